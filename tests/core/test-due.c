/* test-due.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-date.h"
#include "teren-due.h"
#include "teren-lifecycle.h"
#include "teren-schema.h"

/* Due items per rule with fixed dates (boundary days), the buckets, the filters, and the
 * cross-field rules and computed values of the social lines (teren-lifecycle.h).
 * "Today" is Wednesday 2026-03-11: the week ends on Sunday 03-15, the month on 03-31. */

#define TODAY "2026-03-11"

static void
date_from (const char *iso,
           GDate      *out)
{
  g_assert_true (teren_date_parse (iso, out));
}

/* A record of @kind/@line with @id and the fields of @json. */
static TerenRecord *
make (const char *id,
      const char *kind,
      const char *line,
      const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return teren_record_new_full (id, kind, line, 0, json_node_get_object (node), FALSE,
                                "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "author", "author");
}

static GPtrArray *
records_new (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static GPtrArray *
compute (GPtrArray      *records,
         const char     *today,
         TerenDueBucket  max_bucket)
{
  TerenDueFilter filter = { NULL, NULL, max_bucket };
  GDate date;

  date_from (today, &date);
  return teren_due_compute (records, &date, &filter);
}

/* The items of @rule, as "record_id@due[!]" joined by spaces ('!' = blocking). */
static char *
items_of (GPtrArray  *items,
          const char *rule)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint i;

  for (i = 0; i < items->len; i++)
    {
      const TerenDueItem *item = g_ptr_array_index (items, i);

      if (rule != NULL && strcmp (item->rule, rule) != 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%s@%s%s", item->record_id, item->due, item->blocking ? "!" : "");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Leaves out the items of the health lines, whose yearly rules may add items without
 * any record (teren-due-health.c): these tests are about the social lines. */
static GPtrArray *
social_only (GPtrArray *items)
{
  static const char * const lines[] = { "child", "creche", "elderly", "adult", "canteen", "homeless", NULL };
  guint i = 0;

  while (i < items->len)
    {
      const TerenDueItem *item = g_ptr_array_index (items, i);

      if (g_strv_contains (lines, item->line))
        i++;
      else
        g_ptr_array_remove_index (items, i);
    }
  return items;
}

static void
assert_items (GPtrArray  *records,
              const char *today,
              const char *rule,
              const char *expected)
{
  g_autoptr(GPtrArray) items = compute (records, today, TEREN_DUE_LATER);
  g_autofree char *got = items_of (items, rule);

  g_assert_cmpstr (got, ==, expected);
}

#define CASE_OPEN "{\"person\":\"p1\",\"opened_on\":\"2026-01-05\",\"status\":\"open\",\"case_manager\":\"ana\"}"

static void
test_buckets (void)
{
  static const struct {
    const char     *due;
    TerenDueBucket  bucket;
  } cases[] = {
    { "2025-12-31", TEREN_DUE_OVERDUE },
    { "2026-03-10", TEREN_DUE_OVERDUE },
    { "2026-03-11", TEREN_DUE_THIS_WEEK },
    { "2026-03-15", TEREN_DUE_THIS_WEEK },
    { "2026-03-16", TEREN_DUE_THIS_MONTH },
    { "2026-03-31", TEREN_DUE_THIS_MONTH },
    { "2026-04-01", TEREN_DUE_LATER },
  };
  GDate today, due;
  guint i;

  date_from (TODAY, &today);
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      date_from (cases[i].due, &due);
      g_assert_cmpint (teren_due_bucket_for (&due, &today), ==, cases[i].bucket);
    }

  /* A week that runs into the next month: Monday 03-30, its Sunday is 04-05. */
  date_from ("2026-03-30", &today);
  date_from ("2026-04-05", &due);
  g_assert_cmpint (teren_due_bucket_for (&due, &today), ==, TEREN_DUE_THIS_WEEK);
  date_from ("2026-04-06", &due);
  g_assert_cmpint (teren_due_bucket_for (&due, &today), ==, TEREN_DUE_LATER);
  /* On a Sunday the week ends today. */
  date_from ("2026-03-29", &today);
  date_from ("2026-03-30", &due);
  g_assert_cmpint (teren_due_bucket_for (&due, &today), ==, TEREN_DUE_THIS_MONTH);

  g_assert_cmpstr (teren_due_bucket_get_label (TEREN_DUE_OVERDUE), ==, "Overdue");
}

static void
test_court_hearing (void)
{
  g_autoptr(GPtrArray) records = records_new ();

  g_ptr_array_add (records, make ("c1", "case", "child", CASE_OPEN));
  g_ptr_array_add (records, make ("r1", "child.court_request", "child",
                                  "{\"case\":\"c1\",\"court\":\"Judecătoria Iași\",\"file_number\":\"1/2026\","
                                  "\"object\":\"divorce\",\"received_on\":\"2026-03-01\",\"hearing_date\":\"2026-03-15\"}"));
  g_ptr_array_add (records, make ("r2", "child.court_request", "child",
                                  "{\"case\":\"c1\",\"court\":\"Judecătoria Iași\",\"file_number\":\"2/2026\","
                                  "\"object\":\"residence\",\"received_on\":\"2026-03-01\",\"hearing_date\":\"2026-03-12\","
                                  "\"sent_on\":\"2026-03-10\"}"));
  assert_items (records, TODAY, "child.court_hearing", "r1@2026-03-15");

  {
    g_autoptr(GPtrArray) items = social_only (compute (records, TODAY, TEREN_DUE_THIS_MONTH));
    const TerenDueItem *item = g_ptr_array_index (items, 0);

    g_assert_cmpuint (items->len, ==, 1);
    g_assert_cmpstr (item->case_id, ==, "c1");
    g_assert_cmpstr (item->person_id, ==, "p1");
    g_assert_null (item->person_name);   /* the person's record was not given */
    g_assert_cmpstr (item->worker, ==, "ana");
    g_assert_cmpstr (item->line, ==, "child");
    g_assert_cmpstr (item->kind, ==, "child.court_request");
    g_assert_cmpstr (item->title, ==, "Court hearing: send the inquiry");
    g_assert_cmpint (item->bucket, ==, TEREN_DUE_THIS_WEEK);
    g_assert_false (item->blocking);
  }

  /* Given the person's record, the item carries its title, and a copy keeps it. */
  g_ptr_array_add (records, make ("p1", "person", "", "{\"last_name\":\"Pop\",\"first_name\":\"Ana\"}"));
  {
    g_autoptr(GPtrArray) items = social_only (compute (records, TODAY, TEREN_DUE_THIS_MONTH));
    const TerenDueItem *item = g_ptr_array_index (items, 0);
    TerenDueItem *copy = teren_due_item_copy (item);

    g_assert_cmpuint (items->len, ==, 1);
    g_assert_cmpstr (item->person_id, ==, "p1");
    g_assert_cmpstr (item->person_name, ==, "Pop Ana");
    g_assert_cmpstr (copy->person_name, ==, "Pop Ana");
    teren_due_item_free (copy);
  }

  /* The day after the hearing it is overdue. */
  {
    g_autoptr(GPtrArray) items = social_only (compute (records, "2026-03-16", TEREN_DUE_THIS_MONTH));

    g_assert_cmpuint (teren_due_count_overdue (items), ==, 1);
  }
}

static void
test_plan_review (void)
{
  g_autoptr(GPtrArray) records = records_new ();

  g_ptr_array_add (records, make ("c1", "case", "child", CASE_OPEN));
  g_ptr_array_add (records, make ("c2", "case", "elderly",
                                  "{\"person\":\"p2\",\"opened_on\":\"2026-01-05\",\"status\":\"open\"}"));
  g_ptr_array_add (records, make ("sp", "child.service_plan", "child",
                                  "{\"case\":\"c1\",\"start_on\":\"2026-01-10\",\"review_on\":\"2026-04-10\","
                                  "\"objectives\":\"x\",\"status\":\"active\"}"));
  g_ptr_array_add (records, make ("cp", "elderly.care_plan", "elderly",
                                  "{\"case\":\"c2\",\"start_on\":\"2025-09-10\",\"review_on\":\"2026-03-10\"}"));
  g_ptr_array_add (records, make ("old", "elderly.care_plan", "elderly",
                                  "{\"case\":\"c2\",\"start_on\":\"2025-03-10\",\"review_on\":\"2025-09-10\","
                                  "\"status\":\"revised\"}"));
  assert_items (records, TODAY, "child.service_plan.review", "sp@2026-04-10");
  assert_items (records, TODAY, "elderly.care_plan.review", "cp@2026-03-10");

  /* A review 31 days before the review date does not count, 30 days before does. */
  g_ptr_array_add (records, make ("rv1", "review", "child", "{\"case\":\"c1\",\"date\":\"2026-03-10\"}"));
  assert_items (records, TODAY, "child.service_plan.review", "sp@2026-04-10");
  g_ptr_array_add (records, make ("rv2", "review", "child", "{\"case\":\"c1\",\"date\":\"2026-03-11\"}"));
  assert_items (records, TODAY, "child.service_plan.review", "");

  /* Without a review date, six months after the start. */
  g_ptr_array_add (records, make ("gp", "plan", "canteen",
                                  "{\"case\":\"c9\",\"type\":\"social_services\",\"start_on\":\"2025-10-01\"}"));
  assert_items (records, TODAY, "plan.review", "gp@2026-04-01");
}

static void
test_objectives (void)
{
  g_autoptr(GPtrArray) records = records_new ();

  g_ptr_array_add (records, make ("c1", "case", "child", CASE_OPEN));
  g_ptr_array_add (records, make ("sp", "child.service_plan", "child",
                                  "{\"case\":\"c1\",\"start_on\":\"2026-01-10\",\"review_on\":\"2026-07-10\","
                                  "\"objectives\":\"x\",\"responsible\":\"dan\"}"));
  g_ptr_array_add (records, make ("o1", "child.plan_item", "child",
                                  "{\"plan\":\"sp\",\"objective\":\"școală\",\"deadline\":\"2026-03-20\"}"));
  g_ptr_array_add (records, make ("o2", "child.plan_item", "child",
                                  "{\"plan\":\"sp\",\"objective\":\"medic\",\"deadline\":\"2026-03-01\",\"status\":\"done\"}"));
  g_ptr_array_add (records, make ("o3", "child.plan_item", "child",
                                  "{\"plan\":\"sp\",\"objective\":\"acte\",\"deadline\":\"2026-03-02\",\"responsible\":\"eva\"}"));
  assert_items (records, TODAY, "child.plan_item.deadline", "o3@2026-03-02 o1@2026-03-20");

  {
    g_autoptr(GPtrArray) items = social_only (compute (records, TODAY, TEREN_DUE_THIS_MONTH));
    guint i;

    /* The worker: the row's responsible, else the plan's; the case through the plan. */
    for (i = 0; i < items->len; i++)
      {
        const TerenDueItem *item = g_ptr_array_index (items, i);

        g_assert_cmpstr (item->case_id, ==, "c1");
        if (g_str_equal (item->record_id, "o1"))
          g_assert_cmpstr (item->worker, ==, "dan");
        else if (g_str_equal (item->record_id, "o3"))
          g_assert_cmpstr (item->worker, ==, "eva");
      }
  }
}

static void
test_child_rules (void)
{
  g_autoptr(GPtrArray) records = records_new ();

  g_ptr_array_add (records, make ("s1", "child.signal", "child",
                                  "{\"date\":\"2026-03-11\",\"source\":\"school\",\"description\":\"x\","
                                  "\"immediate_danger\":true}"));
  g_ptr_array_add (records, make ("s2", "child.signal", "child",
                                  "{\"date\":\"2026-03-09\",\"source\":\"school\",\"description\":\"x\","
                                  "\"immediate_danger\":true,\"sent_to_dgaspc_on\":\"2026-03-09\"}"));
  g_ptr_array_add (records, make ("s3", "child.signal", "child",
                                  "{\"date\":\"2026-03-09\",\"source\":\"school\",\"description\":\"x\"}"));
  assert_items (records, TODAY, "child.signal_to_dgaspc", "s1@2026-03-11");

  /* Birth declaration: 30 days after the birth. */
  g_ptr_array_add (records, make ("b1", "child.birth_registration", "child",
                                  "{\"person\":\"p3\",\"birth_date\":\"2026-02-09\"}"));
  g_ptr_array_add (records, make ("b2", "child.birth_registration", "child",
                                  "{\"person\":\"p4\",\"birth_date\":\"2026-02-01\",\"declared_on\":\"2026-02-20\"}"));
  assert_items (records, TODAY, "child.birth_declaration", "b1@2026-03-11");

  /* Reintegration monitoring: only the latest monitoring's next date. */
  g_ptr_array_add (records, make ("m1", "child.reintegration_monitoring", "child",
                                  "{\"case\":\"c5\",\"date\":\"2026-01-10\",\"next_on\":\"2026-02-10\"}"));
  g_ptr_array_add (records, make ("m2", "child.reintegration_monitoring", "child",
                                  "{\"case\":\"c5\",\"date\":\"2026-02-09\",\"next_on\":\"2026-03-09\"}"));
  assert_items (records, TODAY, "child.reintegration_monitoring", "m2@2026-03-09");

  /* Court confirmation of the carer before the departure. */
  g_ptr_array_add (records, make ("pa1", "child.parents_abroad", "child",
                                  "{\"person\":\"p5\",\"who_left\":\"both\",\"notified_on\":\"2026-03-01\","
                                  "\"departure_on\":\"2026-04-15\",\"carer\":\"p6\"}"));
  g_ptr_array_add (records, make ("pa2", "child.parents_abroad", "child",
                                  "{\"person\":\"p7\",\"who_left\":\"mother\",\"departure_on\":\"2026-04-15\","
                                  "\"carer\":\"p8\",\"court_confirmed_on\":\"2026-03-05\"}"));
  assert_items (records, TODAY, "child.carer_confirmation", "pa1@2026-04-15");
}

static void
test_school_lists (void)
{
  g_autoptr(GPtrArray) records = records_new ();

  /* No children with parents abroad: no item. */
  assert_items (records, "2026-10-01", "child.school_lists", "");

  g_ptr_array_add (records, make ("pa1", "child.parents_abroad", "child",
                                  "{\"person\":\"p5\",\"who_left\":\"both\"}"));
  /* Last quarter only: 30 September no, 1 October yes, due 31 December. */
  assert_items (records, "2026-09-30", "child.school_lists", "");
  assert_items (records, "2026-10-01", "child.school_lists", "@2026-12-31");
  assert_items (records, "2026-12-31", "child.school_lists", "@2026-12-31");

  /* A list of last year does not count; one requested this year does. */
  g_ptr_array_add (records, make ("l1", "child.school_list", "child",
                                  "{\"school\":\"Școala 1\",\"year\":2025,\"requested_on\":\"2025-10-05\"}"));
  assert_items (records, "2026-10-01", "child.school_lists", "@2026-12-31");
  g_ptr_array_add (records, make ("l2", "child.school_list", "child",
                                  "{\"school\":\"Școala 1\",\"year\":2026,\"requested_on\":\"2026-10-02\"}"));
  assert_items (records, "2026-10-03", "child.school_lists", "");
}

static void
test_canteen (void)
{
  g_autoptr(GPtrArray) records = records_new ();

  g_ptr_array_add (records, make ("b1", "canteen.beneficiary", "canteen",
                                  "{\"person\":\"p1\",\"category\":\"d\",\"requested_on\":\"2025-11-20\","
                                  "\"household_size\":1,\"meals\":[\"lunch\"],\"start_on\":\"2025-12-01\","
                                  "\"decision_date\":\"2025-11-28\"}"));
  g_ptr_array_add (records, make ("b2", "canteen.beneficiary", "canteen",
                                  "{\"person\":\"p2\",\"category\":\"a\",\"requested_on\":\"2025-11-20\","
                                  "\"household_size\":4,\"meals\":[\"lunch\"],\"start_on\":\"2025-12-01\","
                                  "\"documents_renewed_on\":\"2026-03-01\",\"decision_date\":\"2025-11-28\"}"));
  g_ptr_array_add (records, make ("b3", "canteen.beneficiary", "canteen",
                                  "{\"person\":\"p3\",\"category\":\"g\",\"requested_on\":\"2026-02-20\","
                                  "\"household_size\":1,\"meals\":[\"lunch\"],\"start_on\":\"2026-03-01\","
                                  "\"end_on\":\"2026-05-29\"}"));
  /* Renewal 3 months after the start or the last renewal; blocking. b3 ends first. */
  assert_items (records, TODAY, "canteen.renewal", "b1@2026-03-01! b2@2026-06-01!");
  assert_items (records, TODAY, "canteen.category_g_end", "b3@2026-05-29");
  /* Decision within 30 days of the request. */
  assert_items (records, TODAY, "canteen.request_decision", "b3@2026-03-22");
}

static void
test_other_lines (void)
{
  g_autoptr(GPtrArray) records = records_new ();

  /* Crèche: the enrolment ends at the third birthday when that comes first. */
  g_ptr_array_add (records, make ("e1", "creche.enrolment", "creche",
                                  "{\"person\":\"k1\",\"birth_date\":\"2023-04-02\",\"unit\":\"Creșa 1\","
                                  "\"programme\":\"normal\",\"start_on\":\"2025-09-01\",\"end_on\":\"2026-08-31\"}"));
  g_ptr_array_add (records, make ("e2", "creche.enrolment", "creche",
                                  "{\"person\":\"k2\",\"birth_date\":\"2025-01-02\",\"unit\":\"Creșa 1\","
                                  "\"programme\":\"normal\",\"start_on\":\"2025-09-01\",\"end_on\":\"2026-06-30\"}"));
  assert_items (records, TODAY, "creche.enrolment_end", "e1@2026-04-02 e2@2026-06-30");

  /* Emergency aid within its hours (48 h → 2 days), or 1 day in an emergency. */
  g_ptr_array_add (records, make ("a1", "adult.emergency_aid", "adult",
                                  "{\"person\":\"x\",\"date\":\"2026-03-10\",\"cause\":\"fire\",\"urgency\":\"urgent\","
                                  "\"decision_within_hours\":48}"));
  g_ptr_array_add (records, make ("a2", "adult.emergency_aid", "adult",
                                  "{\"person\":\"y\",\"date\":\"2026-03-10\",\"cause\":\"flood\",\"urgency\":\"emergency\"}"));
  g_ptr_array_add (records, make ("a3", "adult.emergency_aid", "adult",
                                  "{\"person\":\"z\",\"date\":\"2026-03-10\",\"cause\":\"flood\",\"urgency\":\"emergency\","
                                  "\"decided_on\":\"2026-03-10\"}"));
  assert_items (records, TODAY, "adult.emergency_decision", "a2@2026-03-11 a1@2026-03-12");

  /* Homeless plan: each domain deadline. */
  g_ptr_array_add (records, make ("h1", "homeless.intervention_plan", "homeless",
                                  "{\"case\":\"c7\",\"start_on\":\"2026-02-01\",\"review_on\":\"2026-05-01\","
                                  "\"id_documents_deadline\":\"2026-03-20\",\"housing_deadline\":\"2026-04-30\"}"));
  assert_items (records, TODAY, "homeless.intervention_plan.deadline", "h1@2026-03-20 h1@2026-04-30");

  /* A referral sent to another line is due to that line. */
  g_ptr_array_add (records, make ("rf", "referral", "child",
                                  "{\"direction\":\"outgoing\",\"date\":\"2026-03-09\",\"to_line\":\"community_health\","
                                  "\"reason\":\"x\",\"status\":\"sent\",\"urgency\":\"urgent\"}"));
  {
    g_autoptr(GPtrArray) items = compute (records, TODAY, TEREN_DUE_LATER);
    g_autofree char *got = items_of (items, "referral.answer");
    guint i;

    g_assert_cmpstr (got, ==, "rf@2026-03-12");
    for (i = 0; i < items->len; i++)
      {
        const TerenDueItem *item = g_ptr_array_index (items, i);

        if (g_str_equal (item->rule, "referral.answer"))
          g_assert_cmpstr (item->line, ==, "community_health");
      }
  }
}

static void
test_filters_and_closed_cases (void)
{
  g_autoptr(GPtrArray) records = records_new ();
  TerenDueFilter filter = { NULL, NULL, TEREN_DUE_THIS_MONTH };
  GDate today;

  date_from (TODAY, &today);
  g_ptr_array_add (records, make ("c1", "case", "child", CASE_OPEN));
  g_ptr_array_add (records, make ("c2", "case", "child",
                                  "{\"person\":\"p2\",\"opened_on\":\"2026-01-05\",\"status\":\"closed\","
                                  "\"closed_on\":\"2026-03-01\",\"case_manager\":\"ana\"}"));
  g_ptr_array_add (records, make ("r1", "child.court_request", "child",
                                  "{\"case\":\"c1\",\"court\":\"J\",\"file_number\":\"1\",\"object\":\"divorce\","
                                  "\"received_on\":\"2026-03-01\",\"hearing_date\":\"2026-03-20\"}"));
  g_ptr_array_add (records, make ("r2", "child.court_request", "child",
                                  "{\"case\":\"c2\",\"court\":\"J\",\"file_number\":\"2\",\"object\":\"divorce\","
                                  "\"received_on\":\"2026-03-01\",\"hearing_date\":\"2026-03-20\"}"));
  g_ptr_array_add (records, make ("r3", "child.court_request", "child",
                                  "{\"court\":\"J\",\"file_number\":\"3\",\"object\":\"divorce\","
                                  "\"received_on\":\"2026-03-01\",\"hearing_date\":\"2026-04-20\",\"responsible\":\"ion\"}"));
  g_ptr_array_add (records, make ("e1", "creche.enrolment", "creche",
                                  "{\"person\":\"k1\",\"birth_date\":\"2023-03-20\",\"unit\":\"C\","
                                  "\"programme\":\"normal\",\"start_on\":\"2025-09-01\"}"));

  /* Closed case left out; "later" left out by default. */
  {
    g_autoptr(GPtrArray) items = social_only (teren_due_compute (records, &today, NULL));
    g_autofree char *got = items_of (items, NULL);

    g_assert_cmpstr (got, ==, "r1@2026-03-20 e1@2026-03-20");
  }

  filter.line = "child";
  {
    g_autoptr(GPtrArray) items = teren_due_compute (records, &today, &filter);
    g_autofree char *got = items_of (items, NULL);

    g_assert_cmpstr (got, ==, "r1@2026-03-20");
  }

  filter.max_bucket = TEREN_DUE_LATER;
  filter.worker = "ion";
  {
    g_autoptr(GPtrArray) items = teren_due_compute (records, &today, &filter);
    g_autofree char *got = items_of (items, NULL);

    g_assert_cmpstr (got, ==, "r3@2026-04-20");
  }

  /* The creator is the worker when nothing else names one. */
  filter.line = NULL;
  filter.worker = "author";
  {
    g_autoptr(GPtrArray) items = social_only (teren_due_compute (records, &today, &filter));
    g_autofree char *got = items_of (items, NULL);

    g_assert_cmpstr (got, ==, "e1@2026-03-20");
  }

  /* Deleted records are ignored. */
  teren_record_set_deleted (g_ptr_array_index (records, 2), TRUE);
  filter.worker = NULL;
  filter.line = "child";
  {
    g_autoptr(GPtrArray) items = teren_due_compute (records, &today, &filter);
    g_autofree char *got = items_of (items, NULL);

    g_assert_cmpstr (got, ==, "r3@2026-04-20");
  }
}

static void
test_rules_listed (void)
{
  const char * const *rules;
  guint n = 0, i;

  rules = teren_due_list_rules (&n);
  g_assert_cmpuint (n, >=, 20);
  g_assert_null (rules[n]);
  for (i = 0; i < n; i++)
    {
      const char *kind = teren_due_rule_get_kind (rules[i]);

      g_assert_nonnull (teren_due_rule_get_label (rules[i]));
      if (kind != NULL)
        g_assert_nonnull (teren_schema_lookup_kind (kind));
    }
  g_assert_null (teren_due_rule_get_kind ("nonsense"));
}

/* ---- cross-field rules (issue 5 "Bad input") --------------------------------------------- */

/* The errors of @json as "field:code" joined by spaces. */
static char *
check (const char *kind_name,
       const char *line,
       const char *json,
       gboolean    complete)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (kind_name);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_field_error_free);
  g_autoptr(GString) out = g_string_new (NULL);
  GDate today;
  guint i;

  g_assert_nonnull (kind);
  g_assert_nonnull (node);
  date_from (TODAY, &today);
  teren_lifecycle_check (kind, line, json_node_get_object (node),
                         complete ? TEREN_VALIDATE_COMPLETE : TEREN_VALIDATE_PATCH, &today, errors);
  for (i = 0; i < errors->len; i++)
    {
      TerenFieldError *error = g_ptr_array_index (errors, i);

      g_assert_cmpstr (error->message, !=, "");
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%s:%s", error->field, error->code);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define ASSERT_CHECK(kind, line, json, complete, expected) \
  G_STMT_START { \
    g_autofree char *got_ = check (kind, line, json, complete); \
    g_assert_cmpstr (got_, ==, expected); \
  } G_STMT_END

static void
test_bad_input (void)
{
  /* Departure before the notification; on the same day is in order. */
  ASSERT_CHECK ("child.parents_abroad", "child",
                "{\"notified_on\":\"2026-03-01\",\"departure_on\":\"2026-02-28\"}", TRUE,
                "departure_on:out_of_range");
  ASSERT_CHECK ("child.parents_abroad", "child",
                "{\"notified_on\":\"2026-03-01\",\"departure_on\":\"2026-03-01\"}", TRUE, "");
  /* Closure of a shelter stay before the check-in. */
  ASSERT_CHECK ("homeless.shelter_stay", "homeless",
                "{\"check_in_on\":\"2026-03-02\",\"check_out_on\":\"2026-03-01\"}", TRUE,
                "check_out_on:out_of_range");
  /* A plan review in the past; today is fine; a finished plan keeps its date. */
  ASSERT_CHECK ("child.service_plan", "child",
                "{\"start_on\":\"2026-01-01\",\"review_on\":\"2026-03-10\"}", TRUE, "review_on:out_of_range");
  ASSERT_CHECK ("child.service_plan", "child",
                "{\"start_on\":\"2026-01-01\",\"review_on\":\"2026-03-11\"}", TRUE, "");
  ASSERT_CHECK ("elderly.care_plan", "elderly",
                "{\"review_on\":\"2025-03-10\",\"status\":\"completed\"}", FALSE, "");
  /* Category g: 90 days a year, counting the days already used. */
  ASSERT_CHECK ("canteen.beneficiary", "canteen",
                "{\"category\":\"g\",\"requested_on\":\"2026-02-10\",\"start_on\":\"2026-03-01\","
                "\"end_on\":\"2026-05-29\"}", TRUE, "");
  ASSERT_CHECK ("canteen.beneficiary", "canteen",
                "{\"category\":\"g\",\"requested_on\":\"2026-02-10\",\"start_on\":\"2026-03-01\","
                "\"end_on\":\"2026-05-30\"}", TRUE, "end_on:out_of_range");
  ASSERT_CHECK ("canteen.beneficiary", "canteen",
                "{\"category\":\"g\",\"requested_on\":\"2026-02-10\",\"start_on\":\"2026-03-01\","
                "\"end_on\":\"2026-03-20\",\"days_used\":80}", TRUE, "end_on:out_of_range");
  ASSERT_CHECK ("canteen.beneficiary", "canteen",
                "{\"category\":\"g\",\"requested_on\":\"2026-02-10\",\"start_on\":\"2026-03-01\"}", TRUE,
                "end_on:required");
  /* Meals from the month after the request. */
  ASSERT_CHECK ("canteen.beneficiary", "canteen",
                "{\"category\":\"d\",\"requested_on\":\"2026-02-10\",\"start_on\":\"2026-02-20\"}", TRUE,
                "start_on:out_of_range");
  /* Negative income. */
  ASSERT_CHECK ("canteen.beneficiary", "canteen", "{\"income_total\":-1}", FALSE,
                "income_total:out_of_range");
  ASSERT_CHECK ("canteen.household_member", "canteen", "{\"income\":-0.5}", FALSE,
                "income:out_of_range");
  ASSERT_CHECK ("canteen.household_member", "canteen", "{\"income\":0}", FALSE, "");
  /* A crèche child of 3 years or more at the start; the day before is fine. */
  ASSERT_CHECK ("creche.enrolment", "creche",
                "{\"birth_date\":\"2023-03-11\",\"start_on\":\"2026-03-11\"}", TRUE, "birth_date:out_of_range");
  ASSERT_CHECK ("creche.enrolment", "creche",
                "{\"birth_date\":\"2023-03-12\",\"start_on\":\"2026-03-11\"}", TRUE, "");
  /* A referral to its own line; one to nowhere; a decline without a reason. */
  ASSERT_CHECK ("referral", "child", "{\"to_line\":\"child\",\"status\":\"sent\"}", TRUE,
                "to_line:out_of_range");
  ASSERT_CHECK ("referral", "child", "{\"status\":\"sent\"}", TRUE, "to_line:required");
  ASSERT_CHECK ("referral", "child", "{\"to_line\":\"elderly\",\"status\":\"declined\"}", TRUE,
                "answer_reason:required");
  ASSERT_CHECK ("referral", "child",
                "{\"institution\":\"police\",\"status\":\"sent\",\"date\":\"2026-03-01\","
                "\"consent_on\":\"2026-03-02\"}", TRUE, "consent_on:out_of_range");
  /* A hearing before the request was received. */
  ASSERT_CHECK ("child.court_request", "child",
                "{\"received_on\":\"2026-03-05\",\"hearing_date\":\"2026-03-04\"}", TRUE,
                "hearing_date:out_of_range");
  /* Home-care visit: departure before arrival. */
  ASSERT_CHECK ("elderly.home_care_visit", "elderly",
                "{\"arrival_time\":\"10:30\",\"departure_time\":\"09:45\"}", TRUE,
                "departure_time:out_of_range");
  /* Transfer without a receiver. */
  ASSERT_CHECK ("closure", "child", "{\"reason\":\"transferred\"}", TRUE,
                "transfer_to_institution:required");
  /* Month fields. */
  ASSERT_CHECK ("creche.contribution", "creche", "{\"month\":\"2026-3\"}", FALSE, "month:invalid_date");
  ASSERT_CHECK ("creche.contribution", "creche", "{\"month\":\"2026-13\"}", FALSE, "month:invalid_date");
  ASSERT_CHECK ("creche.contribution", "creche", "{\"month\":\"2026-03\"}", FALSE, "");
  /* A court request without a hearing date: the schema requires it. */
  {
    const TerenKindDef *kind = teren_schema_lookup_kind ("child.court_request");
    g_autoptr(JsonNode) node = json_from_string ("{\"court\":\"J\",\"file_number\":\"1\",\"object\":\"divorce\","
                                                 "\"received_on\":\"2026-03-01\"}", NULL);
    g_autoptr(GPtrArray) errors = NULL;
    TerenFieldError *error;

    g_assert_false (teren_schema_validate (kind, "child", json_node_get_object (node),
                                           TEREN_VALIDATE_COMPLETE, NULL, &errors));
    g_assert_cmpuint (errors->len, ==, 1);
    error = g_ptr_array_index (errors, 0);
    g_assert_cmpstr (error->field, ==, "hearing_date");
    g_assert_cmpstr (error->code, ==, "required");
  }
}

static void
test_computed_values (void)
{
  GDate birth, on;
  double per_member = 0, contribution = 0, amount = 0;
  gboolean is_free = FALSE;
  g_autoptr(GPtrArray) rules = records_new ();
  g_autoptr(JsonNode) answers = NULL;

  /* Crèche groups at the boundaries. */
  date_from ("2025-03-11", &birth);
  date_from ("2026-03-10", &on);
  g_assert_cmpstr (teren_creche_group_for_age (&birth, &on), ==, "small");
  date_from ("2026-03-11", &on);
  g_assert_cmpstr (teren_creche_group_for_age (&birth, &on), ==, "middle");
  date_from ("2027-03-11", &on);
  g_assert_cmpstr (teren_creche_group_for_age (&birth, &on), ==, "large");
  date_from ("2028-03-11", &on);
  g_assert_null (teren_creche_group_for_age (&birth, &on));
  date_from ("2025-03-10", &on);
  g_assert_null (teren_creche_group_for_age (&birth, &on));

  /* Late notice: 39 days is late, 40 is not. */
  date_from ("2026-03-01", &on);
  date_from ("2026-04-09", &birth);
  g_assert_true (teren_parents_abroad_is_late (&on, &birth));
  date_from ("2026-04-10", &birth);
  g_assert_false (teren_parents_abroad_is_late (&on, &birth));

  /* Canteen: free below the threshold; else 30 %, capped at the meals' cost. */
  g_assert_true (teren_canteen_compute (1000, 4, 300, 15, 30, &per_member, &is_free, &contribution));
  g_assert_cmpfloat (per_member, ==, 250);
  g_assert_true (is_free);
  g_assert_cmpfloat (contribution, ==, 0);
  g_assert_true (teren_canteen_compute (1300, 2, 300, 15, 30, &per_member, &is_free, &contribution));
  g_assert_false (is_free);
  g_assert_cmpfloat (contribution, ==, 195);
  g_assert_true (teren_canteen_compute (3000, 1, 300, 15, 30, &per_member, &is_free, &contribution));
  g_assert_cmpfloat (contribution, ==, 450);
  g_assert_false (teren_canteen_compute (-1, 1, 300, 15, 30, NULL, NULL, NULL));
  g_assert_false (teren_canteen_compute (100, 0, 300, 15, 30, NULL, NULL, NULL));
  date_from ("2026-03-01", &on);
  date_from ("2026-05-29", &birth);
  g_assert_cmpuint (teren_canteen_days (&on, &birth), ==, 90);

  /* Crèche contribution from the rule table: the rule for 2+ children wins. */
  g_ptr_array_add (rules, make ("r1", "creche.contribution_rule", "creche",
                                "{\"year\":2026,\"income_from\":700,\"percent\":20}"));
  g_ptr_array_add (rules, make ("r2", "creche.contribution_rule", "creche",
                                "{\"year\":2026,\"income_from\":700,\"min_children\":2,\"percent\":10}"));
  g_ptr_array_add (rules, make ("r3", "creche.contribution_rule", "creche",
                                "{\"year\":2026,\"income_from\":225,\"income_to\":699.99,\"percent\":5}"));
  g_assert_true (teren_creche_contribution (rules, 2026, 1000, 1, &amount));
  g_assert_cmpfloat (amount, ==, 200);
  g_assert_true (teren_creche_contribution (rules, 2026, 1000, 2, &amount));
  g_assert_cmpfloat (amount, ==, 100);
  g_assert_true (teren_creche_contribution (rules, 2026, 500, 1, &amount));
  g_assert_cmpfloat (amount, ==, 25);
  g_assert_false (teren_creche_contribution (rules, 2026, 100, 1, &amount));
  g_assert_false (teren_creche_contribution (rules, 2025, 1000, 1, &amount));

  /* Dependency degree from the grid. */
  answers = json_from_string ("{\"adl_hygiene\":\"independent\",\"adl_dressing\":\"independent\","
                              "\"adl_feeding\":\"independent\",\"adl_mobility\":\"independent\"}", NULL);
  g_assert_cmpstr (teren_elderly_dependency_degree (json_node_get_object (answers)), ==, "none");
  json_object_set_string_member (json_node_get_object (answers), "iadl_shopping", "partial");
  g_assert_cmpstr (teren_elderly_dependency_degree (json_node_get_object (answers)), ==, "IIIB");
  json_object_set_string_member (json_node_get_object (answers), "adl_hygiene", "partial");
  g_assert_cmpstr (teren_elderly_dependency_degree (json_node_get_object (answers)), ==, "IIIA");
  json_object_set_string_member (json_node_get_object (answers), "cognition", "severe");
  g_assert_cmpstr (teren_elderly_dependency_degree (json_node_get_object (answers)), ==, "IC");
  json_object_set_boolean_member (json_node_get_object (answers), "bedridden", TRUE);
  g_assert_cmpstr (teren_elderly_dependency_degree (json_node_get_object (answers)), ==, "IA");
  json_object_set_string_member (json_node_get_object (answers), "cognition", "normal");
  g_assert_cmpstr (teren_elderly_dependency_degree (json_node_get_object (answers)), ==, "IB");
  {
    g_autoptr(JsonNode) few = json_from_string ("{\"adl_hygiene\":\"partial\"}", NULL);

    g_assert_null (teren_elderly_dependency_degree (json_node_get_object (few)));
  }
  /* A degree other than the computed one needs a reason. */
  ASSERT_CHECK ("elderly.assessment", "elderly", "{\"computed_degree\":\"IIIA\",\"degree\":\"IIA\"}", TRUE,
                "override_reason:required");
  ASSERT_CHECK ("elderly.assessment", "elderly",
                "{\"computed_degree\":\"IIIA\",\"degree\":\"IIA\",\"override_reason\":\"x\"}", TRUE, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/teren/due/buckets", test_buckets);
  g_test_add_func ("/teren/due/court-hearing", test_court_hearing);
  g_test_add_func ("/teren/due/plan-review", test_plan_review);
  g_test_add_func ("/teren/due/objectives", test_objectives);
  g_test_add_func ("/teren/due/child", test_child_rules);
  g_test_add_func ("/teren/due/school-lists", test_school_lists);
  g_test_add_func ("/teren/due/canteen", test_canteen);
  g_test_add_func ("/teren/due/other-lines", test_other_lines);
  g_test_add_func ("/teren/due/filters-and-closed-cases", test_filters_and_closed_cases);
  g_test_add_func ("/teren/due/rules-listed", test_rules_listed);
  g_test_add_func ("/teren/lifecycle/bad-input", test_bad_input);
  g_test_add_func ("/teren/lifecycle/computed-values", test_computed_values);

  return g_test_run ();
}
