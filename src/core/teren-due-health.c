/* teren-due-health.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-due-private.h"

/* Due rules of the medical and care lines: community medical assistance, school medical
 * cabinets, disability and personal assistants (DOMAIN.md §6–8). See teren-due-private.h.
 *
 *   community health: the catagrafie is renewed a year after the latest one;
 *   school health: screening follow-ups, infectious disease notifications to the DSP
 *     (due the day the disease is detected), end of PE exemptions, school-age doses of
 *     the national vaccination calendar not recorded for a pupil;
 *   disability: certificate expiry alerts 60 and 30 days before (not for a permanent or
 *     a replaced certificate), reassessment date, DGASPC agreement communicated within 5
 *     days, the personal assistant's contract within 30 days of the request, training
 *     every 2 years, contract end (the assistant told), monthly timesheets (by the 5th
 *     of the next month), change notifications to the DGASPC within 48 hours, the
 *     semi-annual report to the DGASPC (by 15 July and 15 January).
 *
 * Kinds read besides the rules' own (for the store to load): person,
 * school_health.vaccination, disability.timesheet, disability.semiannual_report — see
 * teren_due_health_context_kinds. */

/* Days into the next month by which a personal assistant's timesheet is due. */
#define TIMESHEET_DUE_DAY 5
/* Day of July / January by which the semi-annual report is due. */
#define SEMIANNUAL_DUE_DAY 15

const char * const teren_due_health_context_kinds[] = {
  "person",
  "school_health.vaccination",
  "disability.timesheet",
  "disability.semiannual_report",
  NULL,
};

static gboolean
is_status (TerenRecord *record,
           const char  *key,
           const char  *value)
{
  return g_strcmp0 (teren_record_get_string (record, key), value) == 0;
}

/* Another record of the same kind and person with a later @date_key. */
static gboolean
is_superseded (TerenDueContext *context,
               TerenRecord     *record,
               const char      *date_key)
{
  return teren_due_context_is_superseded (context, record, "person", teren_record_get_string (record, "person"),
                                          date_key);
}

static void
catagrafie_renewal (const TerenDueRule *rule,
                    TerenRecord        *record,
                    TerenDueContext    *context)
{
  GDate due;

  if (!teren_due_record_date (record, "evaluation_date", &due) ||
      is_superseded (context, record, "evaluation_date"))
    return;

  g_date_add_months (&due, 12);
  teren_due_context_add (context, rule, record, NULL, &due);
}

/* Certificate expiry: @rule->add_days is the negative lead time (−60, −30). */
static void
certificate_expiry (const TerenDueRule *rule,
                    TerenRecord        *record,
                    TerenDueContext    *context)
{
  GDate due;

  if (teren_record_get_bool (record, "permanent") ||
      !teren_due_record_date (record, "valid_to", &due) ||
      is_superseded (context, record, "valid_from"))
    return;

  g_date_subtract_days (&due, (guint) -rule->add_days);
  teren_due_context_add (context, rule, record, NULL, &due);
}

static void
certificate_review (const TerenDueRule *rule,
                    TerenRecord        *record,
                    TerenDueContext    *context)
{
  GDate due;

  if (!teren_due_record_date (record, "review_date", &due) ||
      is_superseded (context, record, "valid_from"))
    return;

  teren_due_context_add (context, rule, record, NULL, &due);
}

static gboolean
assistant_active (TerenRecord *record)
{
  return !is_status (record, "contract_status", "ended");
}

static void
assistant_contract (const TerenDueRule *rule,
                    TerenRecord        *record,
                    TerenDueContext    *context)
{
  GDate due;

  if (teren_due_record_is_set (record, "contract_date") || !assistant_active (record) ||
      !teren_due_record_date (record, "request_date", &due))
    return;

  g_date_add_days (&due, 30);
  teren_due_context_add (context, rule, record, NULL, &due);
}

/* Every 2 years from the last training, or from the contract's start for one never
 * trained. */
static void
assistant_training (const TerenDueRule *rule,
                    TerenRecord        *record,
                    TerenDueContext    *context)
{
  GDate due;

  if (!is_status (record, "contract_status", "active"))
    return;
  if (!teren_due_record_date (record, "last_training_on", &due) &&
      !teren_due_record_date (record, "contract_start", &due))
    return;

  g_date_add_years (&due, 2);
  teren_due_context_add (context, rule, record, NULL, &due);
}

static void
assistant_contract_end (const TerenDueRule *rule,
                        TerenRecord        *record,
                        TerenDueContext    *context)
{
  GDate due;

  if (teren_due_record_is_set (record, "worker_informed_on") ||
      !teren_due_record_date (record, "contract_end", &due))
    return;

  teren_due_context_add (context, rule, record, NULL, &due);
}

/* The previous month's timesheet of an active assistant, by the 5th. */
static void
assistant_timesheet (const TerenDueRule *rule,
                     TerenRecord        *record,
                     TerenDueContext    *context)
{
  const GDate *today = teren_due_context_get_today (context);
  g_autoptr(GPtrArray) sheets = NULL;
  GDate start, previous, due;
  char month[8];
  guint i;

  if (!is_status (record, "contract_status", "active") ||
      !teren_due_record_date (record, "contract_start", &start))
    return;

  g_date_clear (&previous, 1);
  g_date_set_dmy (&previous, 1, g_date_get_month (today), g_date_get_year (today));
  g_date_subtract_months (&previous, 1);
  /* A contract starting after that month owes no sheet for it. */
  if (g_date_get_year (&start) * 12 + g_date_get_month (&start) >
      g_date_get_year (&previous) * 12 + g_date_get_month (&previous))
    return;

  g_snprintf (month, sizeof month, "%04u-%02u", g_date_get_year (&previous), g_date_get_month (&previous));
  sheets = teren_due_context_find (context, "disability.timesheet", "assistant", teren_record_get_id (record));
  for (i = 0; sheets != NULL && i < sheets->len; i++)
    if (is_status (g_ptr_array_index (sheets, i), "month", month))
      return;

  due = previous;
  g_date_add_months (&due, 1);
  g_date_add_days (&due, TIMESHEET_DUE_DAY - 1);
  teren_due_context_add (context, rule, record, NULL, &due);
}

/* The report of the last half-year that ended, unless recorded. */
static void
semiannual_report (const TerenDueRule *rule,
                   TerenRecord        *record,
                   TerenDueContext    *context)
{
  const GDate *today = teren_due_context_get_today (context);
  GPtrArray *reports = teren_due_context_of_kind (context, "disability.semiannual_report");
  GPtrArray *assistants = teren_due_context_of_kind (context, "disability.personal_assistant");
  guint year = g_date_get_year (today);
  const char *semester;
  GDate due;
  guint i;

  /* Only a directorate (or worker) with personal assistants reports on them. */
  if (assistants == NULL || assistants->len == 0)
    return;

  g_date_clear (&due, 1);
  if (g_date_get_month (today) <= G_DATE_JUNE)
    {
      year--;
      semester = "2";
      g_date_set_dmy (&due, SEMIANNUAL_DUE_DAY, G_DATE_JANUARY, g_date_get_year (today));
    }
  else
    {
      semester = "1";
      g_date_set_dmy (&due, SEMIANNUAL_DUE_DAY, G_DATE_JULY, g_date_get_year (today));
    }

  for (i = 0; reports != NULL && i < reports->len; i++)
    {
      TerenRecord *report = g_ptr_array_index (reports, i);

      if (teren_record_get_int (report, "year") == (gint64) year && is_status (report, "semester", semester))
        return;
    }

  teren_due_context_add (context, rule, NULL, "disability", &due);
}

/* School-age doses of the national vaccination calendar (Romania, CNSCBT): the second
 * MMR dose at 5 years, DTPa-IPV at 6 years, dTpa at 14 years. A dose counts as given
 * when a vaccination of the pupil with that vaccine (and dose number, when recorded)
 * exists. Doses due more than 5 years ago are not chased any more. */
static const struct {
  const char *vaccine;
  int         dose;
  int         age_years;
} school_doses[] = {
  { "mmr", 2, 5 },
  { "dtpa_vpi", 1, 6 },
  { "dtpa", 1, 14 },
};

static void
pupil_vaccinations (const TerenDueRule *rule,
                    TerenRecord        *record,
                    TerenDueContext    *context)
{
  const char *person_id = teren_record_get_string (record, "person");
  const GDate *today = teren_due_context_get_today (context);
  TerenRecord *person = person_id != NULL ? teren_due_context_lookup (context, person_id) : NULL;
  g_autoptr(GPtrArray) given = NULL;
  GDate birth;
  guint i, j;

  if (person == NULL || !teren_due_record_date (person, "birth_date", &birth))
    return;

  given = teren_due_context_find (context, "school_health.vaccination", "person", person_id);
  for (i = 0; i < G_N_ELEMENTS (school_doses); i++)
    {
      gboolean done = FALSE;
      GDate due = birth;
      GDate horizon;

      g_date_add_years (&due, (guint) school_doses[i].age_years);
      horizon = due;
      g_date_add_years (&horizon, 5);
      if (g_date_compare (&horizon, today) < 0)
        continue;

      for (j = 0; given != NULL && j < given->len && !done; j++)
        {
          TerenRecord *vaccination = g_ptr_array_index (given, j);
          gint64 dose = teren_record_get_int (vaccination, "dose");

          done = is_status (vaccination, "vaccine", school_doses[i].vaccine) &&
                 (dose == 0 || dose == school_doses[i].dose);
        }
      if (!done)
        teren_due_context_add (context, rule, record, NULL, &due);
    }
}

const TerenDueRule teren_due_rules_health[] = {
  { "community_health.catagrafie_renewal", N_("Catagrafie renewal"), "community_health.catagrafie",
    "community_health", NULL, 0, 12, NULL, FALSE, catagrafie_renewal },

  { "school_health.screening_follow_up", N_("Screening follow-up"), "school_health.screening",
    "school_health", "follow_up_due", 0, 0, "follow_up_done_on", FALSE, NULL },
  { "school_health.disease_notification", N_("Notify the DSP of an infectious disease"),
    "school_health.disease_notification", "school_health", "detected_on", 0, 0, "notified_on", FALSE, NULL },
  { "school_health.pe_exemption_end", N_("PE exemption ends"), "school_health.pe_exemption",
    "school_health", "end_date", 0, 0, NULL, FALSE, NULL },
  { "school_health.vaccination", N_("Vaccination due by the national calendar"), "school_health.pupil_record",
    "school_health", NULL, 0, 0, NULL, FALSE, pupil_vaccinations },

  { "disability.certificate_expiry_60", N_("Disability certificate expires in 60 days"),
    "disability.certificate", "disability", NULL, -60, 0, NULL, FALSE, certificate_expiry },
  { "disability.certificate_expiry_30", N_("Disability certificate expires in 30 days"),
    "disability.certificate", "disability", NULL, -30, 0, NULL, FALSE, certificate_expiry },
  { "disability.certificate_review", N_("Disability reassessment"), "disability.certificate", "disability",
    NULL, 0, 0, NULL, FALSE, certificate_review },
  { "disability.dgaspc_agreement", N_("DGASPC agreement on the option (5 days)"), "disability.ap_option",
    "disability", "dgaspc_date", 5, 0, "communicated_on", FALSE, NULL },
  { "disability.assistant_contract", N_("Personal assistant contract (30 days from the request)"),
    "disability.personal_assistant", "disability", NULL, 0, 0, NULL, FALSE, assistant_contract },
  { "disability.assistant_training", N_("Personal assistant training (every 2 years)"),
    "disability.personal_assistant", "disability", NULL, 0, 0, NULL, FALSE, assistant_training },
  { "disability.assistant_contract_end", N_("Personal assistant contract ends: tell the assistant"),
    "disability.personal_assistant", "disability", NULL, 0, 0, NULL, FALSE, assistant_contract_end },
  { "disability.timesheet", N_("Personal assistant timesheet"), "disability.personal_assistant", "disability",
    NULL, 0, 0, NULL, FALSE, assistant_timesheet },
  { "disability.change_notification", N_("Notify the DGASPC of a change (48 hours)"),
    "disability.change_notification", "disability", "known_on", 2, 0, "sent_on", FALSE, NULL },
  { "disability.semiannual_report", N_("Semi-annual report to the DGASPC"), NULL, "disability", NULL, 0, 0,
    NULL, FALSE, semiannual_report },

  { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, FALSE, NULL },
};
