/* teren-store-report-health.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-nomenclature.h"
#include "teren-store-indicators.h"
#include "teren-store-report-private.h"

/* Monthly figures of the medical and care lines (community_health, school_health,
 * disability). See teren-store-report-private.h.
 *
 * community_health: the platform's activity figures (A01–A15, by SQL), then every G, P
 * and C indicator (teren-indicators.h) as "G01" (total), "G01:VCV_01"… (by age category,
 * "G01:unknown" without one) and "G01:F", "G01:M", "G01:X", "G01:unknown" (by sex).
 * school_health: the cabinet's monthly activity. disability: certificates, personal
 * assistants, hours, indemnities, monitoring and notifications. */

#define F(key) "json_extract (fields, '$." key "')"
#define IN_MONTH(key) F (key) " >= ?2 AND " F (key) " < ?3"
#define LIVE(kind) "kind = '" kind "' AND line = ?1 AND deleted = 0"

typedef struct {
  const char *key;
  const char *label;
  const char *sql;
  guint       decimals;
} Figure;

static gboolean
add_figures (TerenReportContext  *context,
             TerenReport         *report,
             const Figure        *figures,
             guint                n_figures,
             GError             **error)
{
  guint i;

  for (i = 0; i < n_figures; i++)
    {
      double value = 0;

      if (!teren_report_query_number (context, figures[i].sql, &value, error))
        return FALSE;
      teren_report_add (report, figures[i].key, figures[i].label, value, figures[i].decimals);
    }

  return TRUE;
}

/* ---- community_health ------------------------------------------------------------- */

static const Figure community_figures[] = {
  { "A01", N_("New regular beneficiaries"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.beneficiary")
    " AND " F ("type") " = 'regular' AND " IN_MONTH ("registered_on"), 0 },
  { "A02", N_("New occasional beneficiaries"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.beneficiary")
    " AND " F ("type") " = 'occasional' AND " IN_MONTH ("registered_on"), 0 },
  { "A03", N_("Regular beneficiaries with status active"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.beneficiary")
    " AND " F ("type") " = 'regular' AND " F ("status") " = 'active' AND " F ("registered_on") " < ?3", 0 },
  { "A04", N_("Regular beneficiaries with status inactive"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.beneficiary")
    " AND " F ("type") " = 'regular' AND " F ("status") " = 'inactive' AND " F ("registered_on") " < ?3", 0 },
  { "A05", N_("Regular beneficiaries removed from the register"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.beneficiary")
    " AND " F ("type") " = 'regular' AND " F ("status") " = 'removed' AND " IN_MONTH ("status_changed_on"), 0 },
  { "A06", N_("New catagrafii"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.catagrafie")
    " AND " IN_MONTH ("evaluation_date") " AND " F ("previous") " IS NULL", 0 },
  { "A07", N_("Updated catagrafii"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.catagrafie")
    " AND " IN_MONTH ("evaluation_date") " AND " F ("previous") " IS NOT NULL", 0 },
  { "A09", N_("Services carried out"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.intervention")
    " AND " F ("status") " = 'done' AND " IN_MONTH ("date"), 0 },
  { "A10", N_("Beneficiaries who received services"),
    "SELECT count(DISTINCT " F ("person") ") FROM record WHERE " LIVE ("community_health.intervention")
    " AND " F ("status") " = 'done' AND " IN_MONTH ("date"), 0 },
  { "A12", N_("Services carried out outside working hours"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.intervention")
    " AND " F ("status") " = 'done' AND " F ("outside_hours") " = 1 AND " IN_MONTH ("date"), 0 },
  { "A13", N_("Appointments"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.appointment") " AND " IN_MONTH ("date"), 0 },
  { "A15", N_("Community activities carried out"),
    "SELECT count(*) FROM record WHERE " LIVE ("community_health.community_activity") " AND " IN_MONTH ("date"), 0 },
  { "community_participants", N_("Participants in community activities"),
    "SELECT sum(" F ("participants") ") FROM record WHERE " LIVE ("community_health.community_activity")
    " AND " IN_MONTH ("date"), 0 },
};

static gboolean
community_health_figures (TerenReportContext  *context,
                          TerenReport         *report,
                          GError             **error)
{
  g_autoptr(GPtrArray) indicators = NULL;
  const char * const *ages = teren_indicators_age_segments ();
  const char * const *sexes = teren_indicators_sex_segments ();
  guint i;
  int a, s;

  if (!add_figures (context, report, community_figures, G_N_ELEMENTS (community_figures), error))
    return FALSE;

  indicators = teren_store_indicators_compute (teren_report_context_get_store (context),
                                               (guint) teren_report_context_get_year (context),
                                               (guint) teren_report_context_get_month (context), error);
  if (indicators == NULL)
    return FALSE;

  for (i = 0; i < indicators->len; i++)
    {
      const TerenIndicator *indicator = g_ptr_array_index (indicators, i);
      const char *label = g_dgettext (GETTEXT_PACKAGE, indicator->label);

      teren_report_add (report, indicator->code, indicator->label, indicator->total, 0);
      for (a = 0; a < TEREN_INDICATOR_N_AGES; a++)
        {
          g_autofree char *key = g_strdup_printf ("%s:%s", indicator->code, ages[a]);
          const char *segment = a < TEREN_INDICATOR_N_AGES - 1
            ? teren_nomenclature_get_label (teren_nomenclature_lookup ("amc_age"), ages[a])
            : _("Unknown age");
          /* Translators: an indicator and one age category or sex, e.g. "Adult with
           * tuberculosis — Adult 18–65 years" */
          g_autofree char *full = g_strdup_printf (_("%s — %s"), label, segment);

          teren_report_add (report, key, full, teren_indicator_sum (indicator, a, -1), 0);
        }
      for (s = 0; s < TEREN_INDICATOR_N_SEXES; s++)
        {
          g_autofree char *key = g_strdup_printf ("%s:%s", indicator->code, sexes[s]);
          const char *segment = s < TEREN_INDICATOR_N_SEXES - 1
            ? teren_nomenclature_get_label (teren_nomenclature_lookup ("sex"), sexes[s])
            : _("Unknown sex");
          g_autofree char *full = g_strdup_printf (_("%s — %s"), label, segment);

          teren_report_add (report, key, full, teren_indicator_sum (indicator, -1, s), 0);
        }
    }

  return TRUE;
}

/* ---- school_health ---------------------------------------------------------------- */

static const Figure school_figures[] = {
  { "consultations", N_("Consultations"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.consultation") " AND " IN_MONTH ("date"), 0 },
  { "pupils_consulted", N_("Pupils consulted"),
    "SELECT count(DISTINCT " F ("person") ") FROM record WHERE " LIVE ("school_health.consultation")
    " AND " IN_MONTH ("date"), 0 },
  { "referrals", N_("Pupils referred"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.consultation") " AND " IN_MONTH ("date")
    " AND coalesce (" F ("referral") ", 'none') <> 'none'", 0 },
  { "screenings", N_("Screening exams"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.screening") " AND " IN_MONTH ("date"), 0 },
  { "screenings_unfit", N_("Pupils found unfit"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.screening") " AND " IN_MONTH ("date")
    " AND " F ("fitness") " = 'unfit'", 0 },
  { "screenings_follow_up", N_("Screening exams needing follow-up"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.screening") " AND " IN_MONTH ("date")
    " AND " F ("follow_up") " = 1", 0 },
  { "triage_checks", N_("Pupils checked at epidemiological triage"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.triage") " AND " IN_MONTH ("date"), 0 },
  { "triage_exclusions", N_("Pupils excluded from the collectivity"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.triage") " AND " IN_MONTH ("date")
    " AND " F ("excluded") " = 1", 0 },
  { "vaccinations", N_("Vaccinations given"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.vaccination") " AND " IN_MONTH ("date"), 0 },
  { "education_sessions", N_("Health education sessions"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.health_education") " AND " IN_MONTH ("date"), 0 },
  { "education_participants", N_("Participants in health education"),
    "SELECT sum(" F ("participants") ") FROM record WHERE " LIVE ("school_health.health_education")
    " AND " IN_MONTH ("date"), 0 },
  { "hygiene_inspections", N_("Hygiene inspections"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.hygiene_inspection") " AND " IN_MONTH ("date"), 0 },
  { "disease_notifications", N_("Infectious diseases notified to the DSP"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.disease_notification")
    " AND " IN_MONTH ("detected_on"), 0 },
  { "pe_exemptions", N_("PE exemptions in force"),
    "SELECT count(*) FROM record WHERE " LIVE ("school_health.pe_exemption")
    " AND " F ("start_date") " < ?3 AND " F ("end_date") " >= ?2", 0 },
};

static gboolean
school_health_figures (TerenReportContext  *context,
                       TerenReport         *report,
                       GError             **error)
{
  return add_figures (context, report, school_figures, G_N_ELEMENTS (school_figures), error);
}

/* ---- disability ------------------------------------------------------------------- */

#define HOURS \
  "coalesce (" F ("day_01") ",0)+coalesce (" F ("day_02") ",0)+coalesce (" F ("day_03") ",0)+" \
  "coalesce (" F ("day_04") ",0)+coalesce (" F ("day_05") ",0)+coalesce (" F ("day_06") ",0)+" \
  "coalesce (" F ("day_07") ",0)+coalesce (" F ("day_08") ",0)+coalesce (" F ("day_09") ",0)+" \
  "coalesce (" F ("day_10") ",0)+coalesce (" F ("day_11") ",0)+coalesce (" F ("day_12") ",0)+" \
  "coalesce (" F ("day_13") ",0)+coalesce (" F ("day_14") ",0)+coalesce (" F ("day_15") ",0)+" \
  "coalesce (" F ("day_16") ",0)+coalesce (" F ("day_17") ",0)+coalesce (" F ("day_18") ",0)+" \
  "coalesce (" F ("day_19") ",0)+coalesce (" F ("day_20") ",0)+coalesce (" F ("day_21") ",0)+" \
  "coalesce (" F ("day_22") ",0)+coalesce (" F ("day_23") ",0)+coalesce (" F ("day_24") ",0)+" \
  "coalesce (" F ("day_25") ",0)+coalesce (" F ("day_26") ",0)+coalesce (" F ("day_27") ",0)+" \
  "coalesce (" F ("day_28") ",0)+coalesce (" F ("day_29") ",0)+coalesce (" F ("day_30") ",0)+" \
  "coalesce (" F ("day_31") ",0)"

static const Figure disability_figures[] = {
  { "certificates_in_force", N_("Disability certificates in force"),
    "SELECT count(*) FROM record WHERE " LIVE ("disability.certificate") " AND " F ("valid_from") " < ?3"
    " AND (" F ("permanent") " = 1 OR " F ("valid_to") " >= ?2)", 0 },
  { "certificates_expiring", N_("Disability certificates expiring this month"),
    "SELECT count(*) FROM record WHERE " LIVE ("disability.certificate") " AND " IN_MONTH ("valid_to")
    " AND coalesce (" F ("permanent") ", 0) = 0", 0 },
  { "assistants_employed", N_("Personal assistants under contract"),
    "SELECT count(*) FROM record WHERE " LIVE ("disability.personal_assistant")
    " AND " F ("contract_start") " < ?3 AND coalesce (NULLIF (" F ("contract_end") ", ''), '9999-12-31') >= ?2", 0 },
  { "contracts_concluded", N_("Personal assistant contracts concluded"),
    "SELECT count(*) FROM record WHERE " LIVE ("disability.personal_assistant") " AND " IN_MONTH ("contract_date"), 0 },
  { "timesheets", N_("Timesheets of the month"),
    "SELECT count(*) FROM record WHERE " LIVE ("disability.timesheet") " AND " F ("month") " = substr (?2, 1, 7)", 0 },
  { "hours_worked", N_("Hours worked by personal assistants"),
    "SELECT sum(" HOURS ") FROM record WHERE " LIVE ("disability.timesheet") " AND " F ("month") " = substr (?2, 1, 7)", 0 },
  { "indemnities_paid", N_("Monthly indemnities paid"),
    "SELECT count(*) FROM record WHERE " LIVE ("disability.indemnity_payment")
    " AND " F ("month") " = substr (?2, 1, 7) AND coalesce (" F ("suspended") ", 0) = 0", 0 },
  { "indemnities_amount", N_("Amount of monthly indemnities (lei)"),
    "SELECT sum(" F ("amount") ") FROM record WHERE " LIVE ("disability.indemnity_payment")
    " AND " F ("month") " = substr (?2, 1, 7) AND coalesce (" F ("suspended") ", 0) = 0", 2 },
  { "monitoring_visits", N_("Monitoring visits"),
    "SELECT count(*) FROM record WHERE " LIVE ("disability.monitoring_visit") " AND " IN_MONTH ("date"), 0 },
  { "change_notifications", N_("Change notifications to the DGASPC"),
    "SELECT count(*) FROM record WHERE " LIVE ("disability.change_notification") " AND " IN_MONTH ("known_on"), 0 },
  { "late_notifications", N_("Change notifications sent after 48 hours"),
    "SELECT count(*) FROM record WHERE " LIVE ("disability.change_notification") " AND " IN_MONTH ("known_on")
    " AND julianday (coalesce (" F ("sent_on") ", date ('now'))) - julianday (" F ("known_on") ") > 2", 0 },
};

static gboolean
disability_figures_func (TerenReportContext  *context,
                         TerenReport         *report,
                         GError             **error)
{
  return add_figures (context, report, disability_figures, G_N_ELEMENTS (disability_figures), error);
}

const TerenReportHook teren_report_hooks_health[] = {
  { "community_health", community_health_figures },
  { "school_health", school_health_figures },
  { "disability", disability_figures_func },
  { NULL, NULL },
};
