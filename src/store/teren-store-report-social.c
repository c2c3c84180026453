/* teren-store-report-social.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-store-report-private.h"

/* Monthly figures of the social lines (issue 5): children at risk by risk type and
 * children with parents abroad; crèche attendance days and contributions; elderly
 * home-care beneficiaries, visits and care hours; adult counselling and emergency aid;
 * canteen nominal list, portions and cost; homeless persons served, street contacts and
 * bed-nights. ?1 = line, ?2 = first day of the month, ?3 = first day of the next month. */

#define F(key) "json_extract (fields, '$." key "')"
#define IN_MONTH(key) F (key) " >= ?2 AND " F (key) " < ?3"
#define LIVE(kind) "kind = '" kind "' AND line = ?1 AND deleted = 0"
/* Active at some time in the month: started before its end, not ended before its start. */
#define ACTIVE(start, end) \
  F (start) " < ?3 AND coalesce (NULLIF (" F (end) ", ''), '9999-12-31') >= ?2"

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

/* ---- child ----------------------------------------------------------------------------- */

/* Child case profiles whose case is open at some time in the month; the child is the
 * profile's person, else the case's. */
#define PROFILE_FROM "FROM record p JOIN record c ON c.id = json_extract (p.fields, '$.case') "
#define PROFILE_WHERE \
  "WHERE p.kind = 'child.case_profile' AND p.line = ?1 AND p.deleted = 0 " \
  "AND c.kind = 'case' AND c.deleted = 0 " \
  "AND json_extract (c.fields, '$.opened_on') < ?3 " \
  "AND coalesce (NULLIF (json_extract (c.fields, '$.closed_on'), ''), '9999-12-31') >= ?2 "
#define CHILD "coalesce (json_extract (p.fields, '$.person'), json_extract (c.fields, '$.person'))"

static const char sql_children_at_risk[] =
  "SELECT count(DISTINCT " CHILD ") " PROFILE_FROM PROFILE_WHERE;
static const char sql_risk_by_type[] =
  "SELECT j.value, count(DISTINCT " CHILD ") " PROFILE_FROM
  ", json_each (p.fields, '$.risk_situations') j " PROFILE_WHERE "GROUP BY j.value";
static const char sql_parents_abroad[] =
  "SELECT count(DISTINCT " F ("person") ") FROM record WHERE " LIVE ("child.parents_abroad")
  " AND coalesce (" F ("departure_on") ", " F ("notified_on") ", '0000-00-00') < ?3"
  " AND coalesce (NULLIF (" F ("return_on") ", ''), '9999-12-31') >= ?2";
static const char sql_late_notices[] =
  "SELECT count(*) FROM record WHERE " LIVE ("child.parents_abroad")
  " AND " F ("late_notice") " = 1 AND " IN_MONTH ("notified_on");
static const char sql_signals[] =
  "SELECT count(*) FROM record WHERE " LIVE ("child.signal") " AND " IN_MONTH ("date");
static const char sql_inquiries[] =
  "SELECT count(*) FROM record WHERE " LIVE ("child.social_inquiry") " AND " IN_MONTH ("date");
static const char sql_court_requests[] =
  "SELECT count(*) FROM record WHERE " LIVE ("child.court_request") " AND " IN_MONTH ("received_on");

static gboolean
child_figures (TerenReportContext  *context,
               TerenReport         *report,
               GError             **error)
{
  static const Figure first[] = {
    { "children_at_risk", N_("Children at risk"), sql_children_at_risk, 0 },
  };
  static const Figure rest[] = {
    { "parents_abroad", N_("Children with parents abroad"), sql_parents_abroad, 0 },
    { "late_notices", N_("Departures notified less than 40 days before"), sql_late_notices, 0 },
    { "signals", N_("Signals received"), sql_signals, 0 },
    { "social_inquiries", N_("Social inquiries"), sql_inquiries, 0 },
    { "court_requests", N_("Court requests received"), sql_court_requests, 0 },
  };

  return add_figures (context, report, first, G_N_ELEMENTS (first), error) &&
         teren_report_query_by_code (context, sql_risk_by_type, "risk", "child_risk", report, error) &&
         add_figures (context, report, rest, G_N_ELEMENTS (rest), error);
}

/* ---- crèche ---------------------------------------------------------------------------- */

static const char sql_enrolled[] =
  "SELECT count(DISTINCT " F ("person") ") FROM record WHERE " LIVE ("creche.enrolment")
  " AND " ACTIVE ("start_on", "end_on");
static const char sql_attendance_days[] =
  "SELECT count(*) FROM record WHERE " LIVE ("creche.attendance")
  " AND " F ("status") " = 'present' AND " IN_MONTH ("date");
static const char sql_absences[] =
  "SELECT count(*) FROM record WHERE " LIVE ("creche.attendance")
  " AND " F ("status") " IN ('absent', 'excused') AND " IN_MONTH ("date");
static const char sql_creche_meals[] =
  "SELECT total (" F ("meals") ") FROM record WHERE " LIVE ("creche.attendance")
  " AND " IN_MONTH ("date");
static const char sql_contributions[] =
  "SELECT total (" F ("amount") ") FROM record WHERE " LIVE ("creche.contribution")
  " AND " F ("month") " = substr (?2, 1, 7)";
static const char sql_contributions_paid[] =
  "SELECT total (" F ("amount") ") FROM record WHERE " LIVE ("creche.contribution")
  " AND " F ("month") " = substr (?2, 1, 7) AND " F ("paid_on") " IS NOT NULL";

static gboolean
creche_figures (TerenReportContext  *context,
                TerenReport         *report,
                GError             **error)
{
  static const Figure figures[] = {
    { "children_enrolled", N_("Children enrolled"), sql_enrolled, 0 },
    { "attendance_days", N_("Attendance days"), sql_attendance_days, 0 },
    { "absence_days", N_("Days of absence"), sql_absences, 0 },
    { "meals", N_("Meals served"), sql_creche_meals, 0 },
    { "contributions", N_("Parents’ contributions due (lei)"), sql_contributions, 2 },
    { "contributions_paid", N_("Parents’ contributions paid (lei)"), sql_contributions_paid, 2 },
  };

  return add_figures (context, report, figures, G_N_ELEMENTS (figures), error);
}

/* ---- elderly ----------------------------------------------------------------------------- */

#define MINUTES(key) \
  "(CAST (substr (" F (key) ", 1, 2) AS INTEGER) * 60 + CAST (substr (" F (key) ", 4, 2) AS INTEGER))"

static const char sql_home_care_beneficiaries[] =
  "SELECT count(DISTINCT " F ("person") ") FROM record WHERE " LIVE ("elderly.home_care_visit")
  " AND " IN_MONTH ("date");
static const char sql_home_care_visits[] =
  "SELECT count(*) FROM record WHERE " LIVE ("elderly.home_care_visit") " AND " IN_MONTH ("date");
static const char sql_care_hours[] =
  "SELECT total (" MINUTES ("departure_time") " - " MINUTES ("arrival_time") ") / 60.0 "
  "FROM record WHERE " LIVE ("elderly.home_care_visit") " AND " IN_MONTH ("date")
  " AND " F ("departure_time") " >= " F ("arrival_time");
static const char sql_registered[] =
  "SELECT count(DISTINCT " F ("person") ") FROM record WHERE " LIVE ("elderly.registry_entry")
  " AND " F ("registered_on") " < ?3";
static const char sql_elderly_assessments[] =
  "SELECT count(*) FROM record WHERE " LIVE ("elderly.assessment") " AND " IN_MONTH ("date");

static gboolean
elderly_figures (TerenReportContext  *context,
                 TerenReport         *report,
                 GError             **error)
{
  static const Figure figures[] = {
    { "home_care_beneficiaries", N_("Home-care beneficiaries"), sql_home_care_beneficiaries, 0 },
    { "home_care_visits", N_("Home-care visits"), sql_home_care_visits, 0 },
    { "care_hours", N_("Care hours"), sql_care_hours, 1 },
    { "registered_elderly", N_("Elderly persons in the registry"), sql_registered, 0 },
    { "assessments", N_("Socio-medical assessments"), sql_elderly_assessments, 0 },
  };

  return add_figures (context, report, figures, G_N_ELEMENTS (figures), error);
}

/* ---- adults ------------------------------------------------------------------------------ */

static const char sql_risk_assessments[] =
  "SELECT count(*) FROM record WHERE " LIVE ("adult.risk_assessment") " AND " IN_MONTH ("date");
static const char sql_counselling[] =
  "SELECT count(*) FROM record WHERE " LIVE ("adult.counselling") " AND " IN_MONTH ("date");
static const char sql_emergency_aids[] =
  "SELECT count(*) FROM record WHERE " LIVE ("adult.emergency_aid") " AND " IN_MONTH ("date");
static const char sql_emergency_amount[] =
  "SELECT total (" F ("amount") ") FROM record WHERE " LIVE ("adult.emergency_aid")
  " AND " IN_MONTH ("date");
static const char sql_placements[] =
  "SELECT count(*) FROM record WHERE " LIVE ("adult.residential_placement")
  " AND " IN_MONTH ("admitted_on");

static gboolean
adult_figures (TerenReportContext  *context,
               TerenReport         *report,
               GError             **error)
{
  static const Figure figures[] = {
    { "risk_assessments", N_("Risk identifications"), sql_risk_assessments, 0 },
    { "counselling_sessions", N_("Counselling sessions"), sql_counselling, 0 },
    { "emergency_aids", N_("Emergency aids"), sql_emergency_aids, 0 },
    { "emergency_aid_amount", N_("Emergency aid granted (lei)"), sql_emergency_amount, 2 },
    { "placements", N_("Admissions to residential care"), sql_placements, 0 },
  };

  return add_figures (context, report, figures, G_N_ELEMENTS (figures), error);
}

/* ---- canteen ----------------------------------------------------------------------------- */

#define PORTIONS "(coalesce (" F ("lunch") ", 0) + coalesce (" F ("dinner") ", 0))"

static const char sql_nominal_list[] =
  "SELECT count(DISTINCT " F ("person") ") FROM record WHERE " LIVE ("canteen.beneficiary")
  " AND " ACTIVE ("start_on", "end_on");
static const char sql_free_beneficiaries[] =
  "SELECT count(DISTINCT " F ("person") ") FROM record WHERE " LIVE ("canteen.beneficiary")
  " AND " ACTIVE ("start_on", "end_on") " AND " F ("free") " = 1";
static const char sql_lunches[] =
  "SELECT total (coalesce (" F ("lunch") ", 0)) FROM record WHERE " LIVE ("canteen.meal")
  " AND " IN_MONTH ("date");
static const char sql_dinners[] =
  "SELECT total (coalesce (" F ("dinner") ", 0)) FROM record WHERE " LIVE ("canteen.meal")
  " AND " IN_MONTH ("date");
static const char sql_portions[] =
  "SELECT total (" PORTIONS ") FROM record WHERE " LIVE ("canteen.meal") " AND " IN_MONTH ("date");
static const char sql_meal_cost[] =
  "SELECT total (" PORTIONS " * coalesce (" F ("unit_cost") ", 0)) FROM record WHERE "
  LIVE ("canteen.meal") " AND " IN_MONTH ("date");

static gboolean
canteen_figures (TerenReportContext  *context,
                 TerenReport         *report,
                 GError             **error)
{
  static const Figure figures[] = {
    { "nominal_list", N_("Beneficiaries on the nominal list"), sql_nominal_list, 0 },
    { "free_beneficiaries", N_("Beneficiaries free of charge"), sql_free_beneficiaries, 0 },
    { "lunch_portions", N_("Lunch portions"), sql_lunches, 0 },
    { "dinner_portions", N_("Dinner portions"), sql_dinners, 0 },
    { "portions", N_("Portions served"), sql_portions, 0 },
    { "cost", N_("Cost of the meals (lei)"), sql_meal_cost, 2 },
  };

  return add_figures (context, report, figures, G_N_ELEMENTS (figures), error);
}

/* ---- homeless ---------------------------------------------------------------------------- */

static const char sql_homeless_served[] =
  "SELECT count(*) FROM ("
  "SELECT " F ("person") " AS person FROM record WHERE " LIVE ("homeless.street_contact")
  " AND " IN_MONTH ("date") " AND " F ("person") " IS NOT NULL "
  "UNION SELECT " F ("person") " FROM record WHERE " LIVE ("homeless.shelter_stay")
  " AND " F ("check_in_on") " < ?3 AND coalesce (" F ("check_out_on") ", '9999-12-31') > ?2)";
static const char sql_street_contacts[] =
  "SELECT count(*) FROM record WHERE " LIVE ("homeless.street_contact") " AND " IN_MONTH ("date");
static const char sql_refusals[] =
  "SELECT count(*) FROM record WHERE " LIVE ("homeless.street_contact") " AND " IN_MONTH ("date")
  " AND " F ("refused") " = 1";
/* Nights inside the month: from max(check-in, month start) to min(check-out, next month);
 * a stay without check-out runs to the end of the month. */
static const char sql_bed_nights[] =
  "SELECT total (max (0, julianday (min (coalesce (" F ("check_out_on") ", ?3), ?3)) - "
  "julianday (max (" F ("check_in_on") ", ?2)))) FROM record WHERE " LIVE ("homeless.shelter_stay")
  " AND " F ("check_in_on") " < ?3";

static gboolean
homeless_figures (TerenReportContext  *context,
                  TerenReport         *report,
                  GError             **error)
{
  static const Figure figures[] = {
    { "homeless_served", N_("Homeless persons served"), sql_homeless_served, 0 },
    { "street_contacts", N_("Street contacts"), sql_street_contacts, 0 },
    { "refusals", N_("Contacts where help was refused"), sql_refusals, 0 },
    { "bed_nights", N_("Bed-nights"), sql_bed_nights, 0 },
  };

  return add_figures (context, report, figures, G_N_ELEMENTS (figures), error);
}

const TerenReportHook teren_report_hooks_social[] = {
  { "child", child_figures },
  { "creche", creche_figures },
  { "elderly", elderly_figures },
  { "adult", adult_figures },
  { "canteen", canteen_figures },
  { "homeless", homeless_figures },
  { NULL, NULL },
};
