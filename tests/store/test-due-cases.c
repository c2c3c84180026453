/* test-due-cases.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A line's case list (teren_store_line_cases) finds each case's next due item through the
 * Due page's date window (up to the end of the month, then at any date for the cases
 * still without one, reading only the records of those cases): the item of every row is
 * exactly the first item of its case in the whole computation (teren_store_due_items up
 * to TEREN_DUE_LATER, every record of every date), on a store with plans, objectives,
 * court requests, reviews, contracts, referrals and disability certificates over several
 * years: cases whose next item is overdue by years, this week, at the window's edge, years
 * ahead, or none; closed and transferred cases; for every line, status (open, closed,
 * transferred) and worker filter, on several days. And it reads fewer records than the whole computation (records are
 * counted by wrapping their constructor: -Wl,--wrap=teren_record_new_full, meson.build).
 */

#include "config.h"

#include <string.h>

#include "teren-date.h"
#include "teren-error.h"
#include "teren-store-report.h"
#include "teren-store-sync.h"
#include "teren-record-count.h"
#include "teren-store-test-util.h"

static const char * const lines[] = { "child", "elderly", "adult", "disability" };

/* Records of one pull page, as the server sends them: history is full of dates the
 * validator would now refuse (a review in the past). */
typedef struct {
  TerenStore *store;
  JsonArray  *records;
  gint64      seq;
  GRand      *rand;
} Fixture;

static void
add (Fixture    *fixture,
     const char *id,
     const char *kind,
     const char *line,
     const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *record = json_object_new ();
  JsonNode *fields = json_from_string (json, &error);

  g_assert_no_error (error);
  json_object_set_string_member (record, "id", id);
  json_object_set_string_member (record, "kind", kind);
  json_object_set_string_member (record, "line", line);
  json_object_set_int_member (record, "rev", 1);
  json_object_set_int_member (record, "seq", ++fixture->seq);
  json_object_set_boolean_member (record, "deleted", FALSE);
  json_object_set_member (record, "fields", fields);
  json_object_set_string_member (record, "updated_by", "ana");
  json_object_set_string_member (record, "updated_at", "2026-11-30T08:00:00Z");
  json_array_add_object_element (fixture->records, record);
}

static void
flush (Fixture *fixture)
{
  g_autoptr(JsonObject) page = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_array_member (page, "records", g_steal_pointer (&fixture->records));
  json_object_set_array_member (page, "purge", json_array_new ());
  json_object_set_boolean_member (page, "more", FALSE);
  json_object_set_string_member (page, "cursor", "c");
  json_object_set_string_member (page, "epoch", "e");
  json_object_set_string_member (page, "server_time", "2026-11-30T08:00:00Z");
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture->records = json_array_new ();
}

/* A day between 2022 and 2030, as "YYYY-MM-DD" (transfer full). */
static char *
random_day (Fixture *fixture)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 2022);
  g_date_add_days (&date, (guint) g_rand_int_range (fixture->rand, 0, 9 * 365));
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

static const char *
pick (Fixture            *fixture,
      const char * const *values,
      guint               n)
{
  return values[g_rand_int_range (fixture->rand, 0, (gint32) n)];
}

/* ", \"key\":\"value\"" or "" when @value is NULL (transfer full). */
static char *
member (const char *key,
        const char *value)
{
  return value != NULL ? g_strdup_printf (",\"%s\":\"%s\"", key, value) : g_strdup ("");
}

/* The random history of one case: plans (each plan kind of the line) with objectives,
 * court requests, reviews, contracts, referrals to other lines. */
static void
add_history (Fixture    *fixture,
             const char *case_id,
             const char *person_id,
             const char *line)
{
  static const char * const plan_statuses[] = { NULL, "active", "completed", "draft", "revised", "cancelled" };
  static const char * const item_statuses[] = { NULL, "in_progress", "done", "not_done", "cancelled" };
  static const char * const workers[] = { NULL, "ana", "maria", "dana" };
  const char *plan_kinds[2] = { "plan", NULL };
  const char *item_kinds[2] = { "plan_item", NULL };
  guint n, i, j;

  if (strcmp (line, "child") == 0)
    {
      plan_kinds[1] = "child.service_plan";
      item_kinds[1] = "child.plan_item";
    }
  else if (strcmp (line, "elderly") == 0)
    plan_kinds[1] = "elderly.care_plan";
  else if (strcmp (line, "adult") == 0)
    plan_kinds[1] = "adult.intervention_plan";

  n = (guint) g_rand_int_range (fixture->rand, 0, 4);
  for (i = 0; i < n; i++)
    {
      guint k = plan_kinds[1] != NULL ? (guint) g_rand_int_range (fixture->rand, 0, 2) : 0;
      g_autofree char *plan_id = g_strdup_printf ("%s-plan-%u", case_id, i);
      g_autofree char *start = random_day (fixture);
      g_autofree char *review = g_rand_boolean (fixture->rand) ? random_day (fixture) : NULL;
      g_autofree char *review_member = member ("review_on", review);
      g_autofree char *status_member = member ("status", pick (fixture, plan_statuses, G_N_ELEMENTS (plan_statuses)));
      g_autofree char *json = g_strdup_printf ("{\"case\":\"%s\",\"start_on\":\"%s\"%s%s}", case_id, start,
                                               review_member, status_member);
      guint m = (guint) g_rand_int_range (fixture->rand, 0, 3);

      add (fixture, plan_id, plan_kinds[k], line, json);
      for (j = 0; j < m && (k == 0 || item_kinds[1] != NULL); j++)
        {
          g_autofree char *item_id = g_strdup_printf ("%s-item-%u", plan_id, j);
          g_autofree char *deadline = random_day (fixture);
          g_autofree char *item_status = member ("status", pick (fixture, item_statuses, G_N_ELEMENTS (item_statuses)));
          g_autofree char *responsible = member ("responsible", pick (fixture, workers, G_N_ELEMENTS (workers)));
          g_autofree char *item_json = NULL;

          if (k == 1)
            item_json = g_strdup_printf ("{\"plan\":\"%s\",\"person\":\"%s\",\"objective\":\"O\",\"deadline\":\"%s\"%s%s}",
                                         plan_id, person_id, deadline, item_status, responsible);
          else
            item_json = g_strdup_printf ("{\"plan\":\"%s\",\"objective\":\"O\",\"deadline\":\"%s\"%s%s}", plan_id,
                                         deadline, item_status, responsible);
          add (fixture, item_id, item_kinds[k], line, item_json);
        }
    }

  /* Reviews of the case: a plan reviewed at most 30 days before its review date is done. */
  n = (guint) g_rand_int_range (fixture->rand, 0, 3);
  for (i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-review-%u", case_id, i);
      g_autofree char *date = random_day (fixture);
      g_autofree char *json = g_strdup_printf ("{\"case\":\"%s\",\"date\":\"%s\"}", case_id, date);

      add (fixture, id, "review", line, json);
    }

  /* Court requests (child): answered (sent) or not. */
  n = strcmp (line, "child") == 0 ? (guint) g_rand_int_range (fixture->rand, 0, 3) : 0;
  for (i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-court-%u", case_id, i);
      g_autofree char *hearing = random_day (fixture);
      g_autofree char *sent = member ("sent_on", g_rand_boolean (fixture->rand) ? hearing : NULL);
      g_autofree char *json = g_strdup_printf ("{\"case\":\"%s\",\"hearing_date\":\"%s\"%s}", case_id, hearing, sent);

      add (fixture, id, "child.court_request", line, json);
    }

  /* Contracts: a later one supersedes an earlier one. */
  n = (guint) g_rand_int_range (fixture->rand, 0, 3);
  for (i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-contract-%u", case_id, i);
      g_autofree char *signed_on = random_day (fixture);
      g_autofree char *end = random_day (fixture);
      g_autofree char *json = g_strdup_printf ("{\"case\":\"%s\",\"signed_on\":\"%s\",\"end_on\":\"%s\"}", case_id,
                                               signed_on, end);

      add (fixture, id, "contract", line, json);
    }

  /* A referral to another line: its item belongs to the receiving line. */
  if (g_rand_int_range (fixture->rand, 0, 4) == 0)
    {
      g_autofree char *id = g_strdup_printf ("%s-referral", case_id);
      g_autofree char *date = random_day (fixture);
      const char *to = pick (fixture, lines, G_N_ELEMENTS (lines));
      g_autofree char *json = g_strdup_printf ("{\"case\":\"%s\",\"to_line\":\"%s\",\"status\":\"%s\",\"date\":\"%s\"}",
                                               case_id, strcmp (to, line) == 0 ? "elderly" : to,
                                               g_rand_boolean (fixture->rand) ? "sent" : "accepted", date);

      add (fixture, id, "referral", line, json);
    }
}

/* Disability certificates of a person over the years (the later supersedes), some
 * permanent: their items belong to no case. */
static void
add_certificates (Fixture    *fixture,
                  const char *person_id)
{
  guint n = (guint) g_rand_int_range (fixture->rand, 1, 4);
  guint i;

  for (i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-certificate-%u", person_id, i);
      g_autofree char *from = random_day (fixture);
      g_autofree char *to = random_day (fixture);
      g_autofree char *json = g_strdup_printf ("{\"person\":\"%s\",\"degree\":\"grav\",\"number\":\"%u/2024\","
                                               "\"valid_from\":\"%s\",\"valid_to\":\"%s\",\"permanent\":%s}",
                                               person_id, i + 1, from, to,
                                               g_rand_int_range (fixture->rand, 0, 5) == 0 ? "true" : "false");

      add (fixture, id, "disability.certificate", "disability", json);
    }
}

static char *
describe (const TerenDueItem *item)
{
  if (item == NULL)
    return g_strdup ("none");

  return g_strdup_printf ("%s %s %s %s %s %s %s %s %s %d %d", item->rule, item->title, item->record_id, item->kind,
                          item->line, item->due, item->case_id != NULL ? item->case_id : "-",
                          item->person_id != NULL ? item->person_id : "-",
                          item->worker != NULL ? item->worker : "-", item->bucket, item->blocking);
}

/* The first item of each case in the whole computation (every record of every date) of
 * @line on @today_text: case id → TerenDueItem, the items kept alive by the table. */
static GHashTable *
first_items (TerenStore *store,
             const char *today_text,
             const char *line)
{
  TerenDueFilter whole = { line, NULL, TEREN_DUE_LATER };
  GHashTable *first = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  GDate today;
  guint i;

  g_assert_true (teren_date_parse (today_text, &today));
  items = teren_store_due_items (store, &today, &whole, &error);
  g_assert_no_error (error);
  for (i = 0; i < items->len; i++)
    {
      TerenDueItem *item = g_ptr_array_index (items, i);

      if (item->case_id != NULL && !g_hash_table_contains (first, item->case_id))
        g_hash_table_insert (first, item->case_id, item);
    }
  /* Freed with the table. */
  g_hash_table_insert (first, (gpointer) "", items);
  return first;
}

static void
first_items_free (GHashTable *first)
{
  g_ptr_array_unref (g_hash_table_lookup (first, ""));
  g_hash_table_unref (first);
}

/* Checks every row of the case list against @first (first_items() of the same line and
 * day); returns how many rows have an item. */
static guint
assert_same_next (TerenStore  *store,
                  GHashTable  *first,
                  const char  *today_text,
                  const char  *line,
                  const char  *status,
                  const char  *worker)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint n_with = 0;
  GDate today;
  guint i;

  g_assert_true (teren_date_parse (today_text, &today));
  rows = teren_store_line_cases (store, line, status, worker, &today, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);
  for (i = 0; i < rows->len; i++)
    {
      const TerenLineCase *row = g_ptr_array_index (rows, i);
      g_autofree char *expected = describe (g_hash_table_lookup (first, row->case_id));
      g_autofree char *got = describe (row->next_due);

      if (g_strcmp0 (expected, got) != 0)
        g_test_message ("%s, %s, status %s, worker %s: case %s", today_text, line, status != NULL ? status : "open",
                        worker != NULL ? worker : "any", row->case_id);
      g_assert_cmpstr (got, ==, expected);
      n_with += row->next_due != NULL;
    }
  return n_with;
}

static const TerenLineCase *
find_row (GPtrArray  *rows,
          const char *case_id)
{
  guint i;

  for (i = 0; i < rows->len; i++)
    if (strcmp (((TerenLineCase *) g_ptr_array_index (rows, i))->case_id, case_id) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static void
test_due_cases (void)
{
  static const char * const days[] = { "2026-12-01", "2026-12-29", "2025-06-30", "2030-12-31" };
  static const char * const statuses[] = { NULL, "closed", "transferred" };
  static const char * const case_statuses[] = { "open", "open", "open", "closed", "transferred" };
  static const char * const managers[] = { "ana", "maria" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-due-cases-XXXXXX", &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261201);
  g_autoptr(GPtrArray) rows = NULL;
  TerenDueFilter whole = { "child", NULL, TEREN_DUE_LATER };
  g_autoptr(GPtrArray) all = NULL;
  const TerenLineCase *row;
  Fixture fixture = { NULL, NULL, 0, NULL };
  guint made_whole, made_cases;
  guint n_with = 0;
  guint d, l, s, w, i;
  GDate today;

  g_assert_no_error (error);
  fixture.store = teren_store_open (dir, &error);
  g_assert_no_error (error);
  fixture.records = json_array_new ();
  fixture.rand = rand;

  /* Hand-made cases of the child line (person p0). */
  add (&fixture, "p0", "person", "", "{\"last_name\":\"Pop\",\"first_name\":\"Ana\",\"cnp_status\":\"missing\"}");
  /* Overdue by years: an objective of 2022 never done (its plan finished), and a plan
   * reviewed in 2029. */
  add (&fixture, "c-over", "case", "child", "{\"person\":\"p0\",\"status\":\"open\",\"case_manager\":\"ana\"}");
  add (&fixture, "c-over-plan", "plan", "child",
       "{\"case\":\"c-over\",\"start_on\":\"2021-09-01\",\"review_on\":\"2022-03-01\",\"status\":\"completed\"}");
  add (&fixture, "c-over-item", "plan_item", "child",
       "{\"plan\":\"c-over-plan\",\"objective\":\"Școala\",\"deadline\":\"2022-02-10\"}");
  add (&fixture, "c-over-future", "plan", "child",
       "{\"case\":\"c-over\",\"start_on\":\"2028-01-01\",\"review_on\":\"2029-01-01\"}");
  /* Far in the future only: a plan reviewed in 2030, its history finished. */
  add (&fixture, "c-far", "case", "child", "{\"person\":\"p0\",\"status\":\"open\",\"case_manager\":\"maria\"}");
  add (&fixture, "c-far-plan", "child.service_plan", "child",
       "{\"case\":\"c-far\",\"start_on\":\"2029-06-01\",\"review_on\":\"2030-06-01\"}");
  add (&fixture, "c-far-old", "plan", "child",
       "{\"case\":\"c-far\",\"start_on\":\"2023-01-01\",\"review_on\":\"2023-07-01\",\"status\":\"completed\"}");
  add (&fixture, "c-far-court", "child.court_request", "child",
       "{\"case\":\"c-far\",\"hearing_date\":\"2024-05-01\",\"sent_on\":\"2024-04-20\"}");
  /* Nothing due: finished history only. */
  add (&fixture, "c-none", "case", "child", "{\"person\":\"p0\",\"status\":\"open\",\"case_manager\":\"ana\"}");
  add (&fixture, "c-none-plan", "plan", "child",
       "{\"case\":\"c-none\",\"start_on\":\"2024-01-01\",\"review_on\":\"2024-07-01\",\"status\":\"cancelled\"}");
  add (&fixture, "c-none-item", "plan_item", "child",
       "{\"plan\":\"c-none-plan\",\"objective\":\"X\",\"deadline\":\"2024-03-01\",\"status\":\"done\"}");
  /* A hearing on the window's last day and one the day after (1 December 2026: the
   * window ends on 31 December). */
  add (&fixture, "c-edge", "case", "child", "{\"person\":\"p0\",\"status\":\"open\",\"case_manager\":\"ana\"}");
  add (&fixture, "c-edge-in", "child.court_request", "child", "{\"case\":\"c-edge\",\"hearing_date\":\"2026-12-31\"}");
  add (&fixture, "c-edge-out", "child.court_request", "child", "{\"case\":\"c-edge\",\"hearing_date\":\"2027-01-01\"}");
  /* A plan whose review came (30 days before its date): no item; a review of another line
   * does not count for the child line's computation. */
  add (&fixture, "c-reviewed", "case", "child", "{\"person\":\"p0\",\"status\":\"open\",\"case_manager\":\"ana\"}");
  add (&fixture, "c-reviewed-plan", "plan", "child",
       "{\"case\":\"c-reviewed\",\"start_on\":\"2026-06-01\",\"review_on\":\"2026-12-10\"}");
  add (&fixture, "c-reviewed-review", "review", "child", "{\"case\":\"c-reviewed\",\"date\":\"2026-11-20\"}");
  add (&fixture, "c-cross", "case", "child", "{\"person\":\"p0\",\"status\":\"open\",\"case_manager\":\"ana\"}");
  add (&fixture, "c-cross-plan", "plan", "child",
       "{\"case\":\"c-cross\",\"start_on\":\"2026-06-01\",\"review_on\":\"2026-12-10\"}");
  add (&fixture, "c-cross-review", "review", "elderly", "{\"case\":\"c-cross\",\"date\":\"2026-11-20\"}");
  /* Closed and transferred cases with open items: no next item. */
  add (&fixture, "c-closed", "case", "child", "{\"person\":\"p0\",\"status\":\"closed\",\"case_manager\":\"ana\"}");
  add (&fixture, "c-closed-court", "child.court_request", "child", "{\"case\":\"c-closed\",\"hearing_date\":\"2026-12-05\"}");
  add (&fixture, "c-closed-plan", "plan", "child",
       "{\"case\":\"c-closed\",\"start_on\":\"2029-01-01\",\"review_on\":\"2029-07-01\"}");
  add (&fixture, "c-moved", "case", "child", "{\"person\":\"p0\",\"status\":\"transferred\",\"case_manager\":\"ana\"}");
  add (&fixture, "c-moved-court", "child.court_request", "child", "{\"case\":\"c-moved\",\"hearing_date\":\"2026-12-02\"}");

  /* 100 random cases over four lines, their persons with disability certificates. */
  for (i = 0; i < 100; i++)
    {
      g_autofree char *person_id = g_strdup_printf ("p%u", i + 1);
      g_autofree char *case_id = g_strdup_printf ("c%u", i + 1);
      const char *line = lines[i % G_N_ELEMENTS (lines)];
      g_autofree char *person = g_strdup_printf ("{\"last_name\":\"Ene\",\"first_name\":\"Ion %u\",\"cnp_status\":\"missing\"}", i);
      g_autofree char *kase = g_strdup_printf ("{\"person\":\"%s\",\"status\":\"%s\",\"case_manager\":\"%s\"}", person_id,
                                               pick (&fixture, case_statuses, G_N_ELEMENTS (case_statuses)),
                                               pick (&fixture, managers, G_N_ELEMENTS (managers)));

      add (&fixture, person_id, "person", "", person);
      add (&fixture, case_id, "case", line, kase);
      add_history (&fixture, case_id, person_id, line);
      if (strcmp (line, "disability") == 0)
        add_certificates (&fixture, person_id);
      if (i % 25 == 24)
        flush (&fixture);
    }
  flush (&fixture);

  /* Every line, status and worker filter, on days before, inside and after the data. */
  for (d = 0; d < G_N_ELEMENTS (days); d++)
    for (l = 0; l < G_N_ELEMENTS (lines); l++)
      {
        GHashTable *first = first_items (fixture.store, days[d], lines[l]);

        for (s = 0; s < G_N_ELEMENTS (statuses); s++)
          for (w = 0; w < 2; w++)
            n_with += assert_same_next (fixture.store, first, days[d], lines[l], statuses[s], w == 0 ? NULL : "ana");
        first_items_free (first);
      }
  /* Not a vacuous comparison. */
  g_assert_cmpuint (n_with, >, 100);

  /* The hand-made cases on 1 December 2026. */
  g_assert_true (teren_date_parse ("2026-12-01", &today));
  rows = teren_store_line_cases (fixture.store, "child", NULL, NULL, &today, &error);
  g_assert_no_error (error);
  row = find_row (rows, "c-over");
  g_assert_nonnull (row);
  g_assert_nonnull (row->next_due);
  g_assert_cmpstr (row->next_due->record_id, ==, "c-over-item");
  g_assert_cmpstr (row->next_due->due, ==, "2022-02-10");
  g_assert_cmpint (row->next_due->bucket, ==, TEREN_DUE_OVERDUE);
  row = find_row (rows, "c-far");
  g_assert_nonnull (row->next_due);
  g_assert_cmpstr (row->next_due->record_id, ==, "c-far-plan");
  g_assert_cmpstr (row->next_due->due, ==, "2030-06-01");
  g_assert_cmpint (row->next_due->bucket, ==, TEREN_DUE_LATER);
  g_assert_null (find_row (rows, "c-none")->next_due);
  g_assert_cmpstr (find_row (rows, "c-edge")->next_due->record_id, ==, "c-edge-in");
  g_assert_null (find_row (rows, "c-reviewed")->next_due);
  g_assert_cmpstr (find_row (rows, "c-cross")->next_due->record_id, ==, "c-cross-plan");
  g_assert_null (find_row (rows, "c-closed"));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = teren_store_line_cases (fixture.store, "child", "closed", NULL, &today, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_row (rows, "c-closed"));
  g_assert_null (find_row (rows, "c-closed")->next_due);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = teren_store_line_cases (fixture.store, "child", "transferred", NULL, &today, &error);
  g_assert_no_error (error);
  g_assert_null (find_row (rows, "c-moved")->next_due);
  g_clear_pointer (&rows, g_ptr_array_unref);
  /* On 2 January 2027 both hearings are overdue: the earlier one comes first. */
  g_assert_true (teren_date_parse ("2027-01-02", &today));
  rows = teren_store_line_cases (fixture.store, "child", NULL, NULL, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (find_row (rows, "c-edge")->next_due->record_id, ==, "c-edge-in");
  g_assert_cmpint (find_row (rows, "c-edge")->next_due->bucket, ==, TEREN_DUE_OVERDUE);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The case list reads fewer records than the whole computation: not the finished
   * plans, done objectives and answered hearings of the years before. */
  g_assert_true (teren_date_parse ("2026-12-01", &today));
  made_whole = teren_record_count_made ();
  all = teren_store_due_items (fixture.store, &today, &whole, &error);
  g_assert_no_error (error);
  made_whole = teren_record_count_made () - made_whole;
  made_cases = teren_record_count_made ();
  rows = teren_store_line_cases (fixture.store, "child", NULL, NULL, &today, &error);
  g_assert_no_error (error);
  made_cases = teren_record_count_made () - made_cases;
  g_test_message ("records read: whole computation %u, case list %u", made_whole, made_cases);
  g_assert_cmpuint (made_cases, >, 0);
  g_assert_cmpuint (made_cases, <, made_whole);

  g_clear_object (&fixture.store);
  test_rm_rf (dir);
}

/* Bad input: an unknown line is refused with a clear error. */
static void
test_due_cases_bad_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-due-cases-XXXXXX", &error);
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GDate today;

  g_assert_no_error (error);
  store = teren_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (teren_date_parse ("2026-12-01", &today));
  rows = teren_store_line_cases (store, "nowhere", NULL, NULL, &today, &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nowhere"));

  g_clear_object (&store);
  test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/teren/report/due-cases", test_due_cases);
  g_test_add_func ("/teren/report/due-cases/bad-line", test_due_cases_bad_line);
  return g_test_run ();
}
