/* teren-due-social.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-due-private.h"
#include "teren-lifecycle.h"

/* Due rules of the case life-cycle and of the social lines (DOMAIN.md §0–5, §9):
 *   plan reviews (every plan kind; a review of the same case at most 30 days before the
 *     review date counts as done), objective deadlines;
 *   child: court hearings (until the inquiry is sent), emergency signals to DGASPC the
 *     same day, birth declaration within 30 days, reintegration monitoring, court
 *     confirmation of the carer before the parents leave, yearly school lists in the last
 *     quarter;
 *   crèche: end of the enrolment (at the latest when the child turns 3);
 *   canteen: decision within 30 days of the request, document renewal every 3 months
 *     (blocking: the entitlement is suspended), end of a category g entitlement;
 *   adults: decision on emergency aid within its hours;
 *   any line: services contracts that end, referrals waiting for the receiving line. */

/* A review of the plan's case this many days before the review date counts. */
#define REVIEW_WINDOW_DAYS 30

static gboolean
has_status (TerenRecord        *record,
            const char * const *statuses)
{
  const char *status = teren_record_get_string (record, "status");
  guint i;

  if (status == NULL)
    return FALSE;
  for (i = 0; statuses[i] != NULL; i++)
    if (strcmp (status, statuses[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Another record of the same kind and case (or person, without a case) with a later
 * @date_key: this one is superseded. */
static gboolean
is_superseded (TerenDueContext *context,
               TerenRecord     *record,
               const char      *date_key)
{
  const char *key = "case";
  const char *owner = teren_record_get_string (record, "case");

  if (owner == NULL || owner[0] == '\0')
    {
      key = "person";
      owner = teren_record_get_string (record, "person");
    }
  if (owner == NULL || owner[0] == '\0')
    return FALSE;

  return teren_due_context_is_superseded (context, record, key, owner, date_key);
}

static void
plan_review (const TerenDueRule *rule,
             TerenRecord        *plan,
             TerenDueContext    *context)
{
  static const char * const finished[] = { "draft", "revised", "completed", "cancelled", NULL };
  g_autoptr(GPtrArray) reviews = NULL;
  GDate due, window;
  guint i;

  if (has_status (plan, finished))
    return;
  if (!teren_due_record_date (plan, "review_on", &due))
    {
      /* Plans without a review date are reviewed six months after they start. */
      if (!teren_due_record_date (plan, "start_on", &due))
        return;
      g_date_add_months (&due, 6);
    }

  window = due;
  g_date_subtract_days (&window, REVIEW_WINDOW_DAYS);
  reviews = teren_due_context_find (context, "review", "case",
                                    teren_record_get_string (plan, "case"));
  for (i = 0; reviews != NULL && i < reviews->len; i++)
    {
      GDate date;

      if (teren_due_record_date (g_ptr_array_index (reviews, i), "date", &date) &&
          g_date_compare (&date, &window) >= 0)
        return;
    }

  teren_due_context_add (context, rule, plan, NULL, &due);
}

static void
item_deadline (const TerenDueRule *rule,
               TerenRecord        *item,
               TerenDueContext    *context)
{
  static const char * const finished[] = { "done", "not_done", "cancelled", NULL };
  GDate due;

  if (has_status (item, finished) || !teren_due_record_date (item, "deadline", &due))
    return;

  teren_due_context_add (context, rule, item, NULL, &due);
}

static void
homeless_plan_deadlines (const TerenDueRule *rule,
                         TerenRecord        *plan,
                         TerenDueContext    *context)
{
  static const char * const finished[] = { "draft", "revised", "completed", "cancelled", NULL };
  static const char * const keys[] = {
    "id_documents_deadline", "health_deadline", "income_deadline", "work_deadline",
    "housing_deadline", "family_deadline",
  };
  guint i;

  if (has_status (plan, finished))
    return;

  for (i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GDate due;

      if (teren_due_record_date (plan, keys[i], &due))
        teren_due_context_add (context, rule, plan, NULL, &due);
    }
}

/* Emergency signals go to DGASPC the same day. */
static void
child_signal_to_dgaspc (const TerenDueRule *rule,
                        TerenRecord        *signal,
                        TerenDueContext    *context)
{
  GDate due;

  if (!teren_record_get_bool (signal, "immediate_danger") ||
      teren_due_record_is_set (signal, "sent_to_dgaspc_on") ||
      !teren_due_record_date (signal, "date", &due))
    return;

  teren_due_context_add (context, rule, signal, NULL, &due);
}

static void
child_reintegration_next (const TerenDueRule *rule,
                          TerenRecord        *monitoring,
                          TerenDueContext    *context)
{
  GDate due;

  if (!teren_due_record_date (monitoring, "next_on", &due) ||
      is_superseded (context, monitoring, "date"))
    return;

  teren_due_context_add (context, rule, monitoring, NULL, &due);
}

/* The designated carer is confirmed by the court; before the departure at the latest. */
static void
child_carer_confirmation (const TerenDueRule *rule,
                          TerenRecord        *record,
                          TerenDueContext    *context)
{
  GDate due;

  if (!teren_due_record_is_set (record, "carer") ||
      teren_due_record_is_set (record, "court_confirmed_on") ||
      !teren_due_record_date (record, "departure_on", &due))
    return;

  teren_due_context_add (context, rule, record, NULL, &due);
}

/* HG 691/2015 Annex 1: every year, in the last quarter, SPAS asks the schools for the list
 * of children with parents abroad. One item from 1 October to 31 December while no list
 * of the year has been requested; only where child protection records exist. */
static void
child_school_lists (const TerenDueRule *rule,
                    TerenRecord        *unused,
                    TerenDueContext    *context)
{
  const GDate *today = teren_due_context_get_today (context);
  GPtrArray *lists = teren_due_context_of_kind (context, "child.school_list");
  GPtrArray *abroad = teren_due_context_of_kind (context, "child.parents_abroad");
  int year = g_date_get_year (today);
  GDate due;
  guint i;

  if (g_date_get_month (today) < G_DATE_OCTOBER || abroad == NULL || abroad->len == 0)
    return;

  for (i = 0; lists != NULL && i < lists->len; i++)
    {
      TerenRecord *list = g_ptr_array_index (lists, i);

      if (teren_record_get_int (list, "year") == year &&
          teren_due_record_is_set (list, "requested_on"))
        return;
    }

  g_date_clear (&due, 1);
  g_date_set_dmy (&due, 31, G_DATE_DECEMBER, (GDateYear) year);
  teren_due_context_add (context, rule, NULL, "child", &due);
}

/* A crèche enrolment ends on its end date or when the child turns 3, whichever is first,
 * unless a later enrolment of the same child follows. */
static void
creche_enrolment_end (const TerenDueRule *rule,
                      TerenRecord        *enrolment,
                      TerenDueContext    *context)
{
  GDate due, third;
  gboolean has_due;

  if (is_superseded (context, enrolment, "start_on"))
    return;

  has_due = teren_due_record_date (enrolment, "end_on", &due);
  if (teren_due_record_date (enrolment, "birth_date", &third))
    {
      g_date_add_years (&third, 3);
      if (!has_due || g_date_compare (&third, &due) < 0)
        due = third;
      has_due = TRUE;
    }
  if (!has_due)
    return;

  teren_due_context_add (context, rule, enrolment, NULL, &due);
}

/* Legea 208/1997: the supporting documents are renewed every 3 months, or the entitlement
 * ends. Counted from the last renewal, else from the start of the entitlement. */
static void
canteen_renewal (const TerenDueRule *rule,
                 TerenRecord        *beneficiary,
                 TerenDueContext    *context)
{
  GDate due, end;

  if (!teren_canteen_renewal_due (teren_record_get_fields (beneficiary), &due))
    return;

  if (teren_due_record_date (beneficiary, "end_on", &end) && g_date_compare (&end, &due) < 0)
    return;

  teren_due_context_add (context, rule, beneficiary, NULL, &due);
}

static void
canteen_category_g_end (const TerenDueRule *rule,
                        TerenRecord        *beneficiary,
                        TerenDueContext    *context)
{
  GDate due;

  if (g_strcmp0 (teren_record_get_string (beneficiary, "category"), "g") != 0 ||
      !teren_due_record_date (beneficiary, "end_on", &due))
    return;

  teren_due_context_add (context, rule, beneficiary, NULL, &due);
}

/* Emergency aid: decided within its hours; without them within 1 day for an emergency,
 * 3 days when urgent, 30 days otherwise. */
static void
adult_emergency_decision (const TerenDueRule *rule,
                          TerenRecord        *aid,
                          TerenDueContext    *context)
{
  const char *urgency = teren_record_get_string (aid, "urgency");
  gint64 hours = teren_record_get_int (aid, "decision_within_hours");
  GDate due;
  guint days;

  if (teren_due_record_is_set (aid, "decided_on") || !teren_due_record_date (aid, "date", &due))
    return;

  if (hours > 0)
    days = (guint) ((hours + 23) / 24);
  else if (g_strcmp0 (urgency, "emergency") == 0)
    days = 1;
  else if (g_strcmp0 (urgency, "urgent") == 0)
    days = 3;
  else
    days = 30;
  g_date_add_days (&due, days);

  teren_due_context_add (context, rule, aid, NULL, &due);
}

static void
contract_end (const TerenDueRule *rule,
              TerenRecord        *contract,
              TerenDueContext    *context)
{
  GDate due;

  if (!teren_due_record_date (contract, "end_on", &due) ||
      is_superseded (context, contract, "signed_on"))
    return;

  teren_due_context_add (context, rule, contract, NULL, &due);
}

/* A referral sent to another line waits for that line's answer: 1 day in an emergency,
 * 3 when urgent, 10 otherwise. The item belongs to the receiving line. */
static void
referral_answer (const TerenDueRule *rule,
                 TerenRecord        *referral,
                 TerenDueContext    *context)
{
  const char *urgency = teren_record_get_string (referral, "urgency");
  const char *to_line = teren_record_get_string (referral, "to_line");
  GDate due;

  if (g_strcmp0 (teren_record_get_string (referral, "status"), "sent") != 0 ||
      to_line == NULL || to_line[0] == '\0' ||
      !teren_due_record_date (referral, "date", &due))
    return;

  if (g_strcmp0 (urgency, "emergency") == 0)
    g_date_add_days (&due, 1);
  else if (g_strcmp0 (urgency, "urgent") == 0)
    g_date_add_days (&due, 3);
  else
    g_date_add_days (&due, 10);

  teren_due_context_add (context, rule, referral, to_line, &due);
}

#define SIMPLE(id, label, kind, date_key, days, months, done_key) \
  { id, label, kind, NULL, date_key, days, months, done_key, FALSE, NULL }
#define CUSTOM(id, label, kind, func) \
  { id, label, kind, NULL, NULL, 0, 0, NULL, FALSE, func }
#define BLOCKING(id, label, kind, func) \
  { id, label, kind, NULL, NULL, 0, 0, NULL, TRUE, func }

const TerenDueRule teren_due_rules_social[] = {
  CUSTOM ("plan.review", N_("Review of the plan"), "plan", plan_review),
  CUSTOM ("plan_item.deadline", N_("Deadline of a plan objective"), "plan_item", item_deadline),
  CUSTOM ("contract.end", N_("Services contract ends"), "contract", contract_end),
  CUSTOM ("referral.answer", N_("Answer to a referral"), "referral", referral_answer),
  SIMPLE ("child.court_hearing", N_("Court hearing: send the inquiry"), "child.court_request",
          "hearing_date", 0, 0, "sent_on"),
  CUSTOM ("child.signal_to_dgaspc", N_("Send the emergency signal to DGASPC"), "child.signal",
          child_signal_to_dgaspc),
  CUSTOM ("child.service_plan.review", N_("Review of the services plan"), "child.service_plan",
          plan_review),
  CUSTOM ("child.plan_item.deadline", N_("Deadline of a plan objective"), "child.plan_item",
          item_deadline),
  CUSTOM ("child.reintegration_monitoring", N_("Reintegration monitoring"),
          "child.reintegration_monitoring", child_reintegration_next),
  CUSTOM ("child.carer_confirmation", N_("Court confirmation of the designated carer"),
          "child.parents_abroad", child_carer_confirmation),
  CUSTOM ("child.school_lists", N_("Yearly lists of children with parents abroad from schools"),
          NULL, child_school_lists),
  SIMPLE ("child.birth_declaration", N_("Birth declaration (30 days)"), "child.birth_registration",
          "birth_date", 30, 0, "declared_on"),
  CUSTOM ("creche.enrolment_end", N_("Crèche enrolment ends"), "creche.enrolment",
          creche_enrolment_end),
  SIMPLE ("canteen.request_decision", N_("Decision on the canteen request (30 days)"),
          "canteen.beneficiary", "requested_on", 30, 0, "decision_date"),
  BLOCKING ("canteen.renewal", N_("Renewal of the canteen documents (3 months)"),
            "canteen.beneficiary", canteen_renewal),
  CUSTOM ("canteen.category_g_end", N_("Category g entitlement ends"), "canteen.beneficiary",
          canteen_category_g_end),
  CUSTOM ("elderly.care_plan.review", N_("Review of the care plan"), "elderly.care_plan",
          plan_review),
  CUSTOM ("adult.intervention_plan.review", N_("Review of the intervention plan"),
          "adult.intervention_plan", plan_review),
  CUSTOM ("adult.emergency_decision", N_("Decision on the emergency aid"), "adult.emergency_aid",
          adult_emergency_decision),
  CUSTOM ("homeless.intervention_plan.review", N_("Review of the intervention plan"),
          "homeless.intervention_plan", plan_review),
  CUSTOM ("homeless.intervention_plan.deadline", N_("Deadline of the intervention plan"),
          "homeless.intervention_plan", homeless_plan_deadlines),
  { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, FALSE, NULL },
};
