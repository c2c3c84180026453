/* test-due-window.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Due page's date window (teren_store_due_items reads, for the buckets up to this
 * month, only the records whose dates can make an item due by the end of the month): the
 * items are exactly those of the whole computation (every date) cut at the same bucket,
 * at the window's edges (the last day of the month and the next one, a plan reviewed six
 * months after a 31st, a review that answers a plan, the objective of a finished plan, a
 * later contract that supersedes an earlier one, a referral answered in a day, a hearing
 * whose "sent" date is empty), for every bucket and line filter.
 */

#include "config.h"

#include <string.h>

#include "teren-date.h"
#include "teren-store-report.h"
#include "teren-store-sync.h"
#include "teren-store-test-util.h"

static gint64 seq = 0;

/* As a pull from the server brings it: history is full of dates the validator would now
 * refuse (a review in the past). */
static void
pull (TerenStore *store,
      const char *id,
      const char *kind,
      const char *line,
      const char *json)
{
  g_autoptr(JsonObject) page = json_object_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *records = json_array_new ();
  JsonObject *record = json_object_new ();
  g_autoptr(JsonNode) fields = json_from_string (json, &error);

  g_assert_no_error (error);
  json_object_set_string_member (record, "id", id);
  json_object_set_string_member (record, "kind", kind);
  json_object_set_string_member (record, "line", line);
  json_object_set_int_member (record, "rev", 1);
  json_object_set_int_member (record, "seq", ++seq);
  json_object_set_boolean_member (record, "deleted", FALSE);
  json_object_set_member (record, "fields", g_steal_pointer (&fields));
  json_object_set_string_member (record, "updated_by", "ana");
  json_object_set_string_member (record, "updated_at", "2026-11-30T08:00:00Z");
  json_array_add_object_element (records, record);
  json_object_set_array_member (page, "records", records);
  json_object_set_array_member (page, "purge", json_array_new ());
  json_object_set_boolean_member (page, "more", FALSE);
  json_object_set_string_member (page, "cursor", "c");
  json_object_set_string_member (page, "epoch", "e");
  json_object_set_string_member (page, "server_time", "2026-11-30T08:00:00Z");
  g_assert_true (teren_store_sync_apply_pull_page (store, page, NULL, NULL, &error));
  g_assert_no_error (error);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
describe (GPtrArray *items)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  guint i;

  for (i = 0; i < items->len; i++)
    {
      const TerenDueItem *item = g_ptr_array_index (items, i);

      g_ptr_array_add (lines, g_strdup_printf ("%s %s %s %s %s %s %s %d", item->rule, item->record_id, item->line,
                                               item->due, item->case_id != NULL ? item->case_id : "-",
                                               item->person_id != NULL ? item->person_id : "-",
                                               item->worker != NULL ? item->worker : "-", item->bucket));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The windowed computation and the whole one cut at @max agree. */
static char *
assert_same (TerenStore     *store,
             const char     *today_text,
             const char     *line,
             TerenDueBucket  max)
{
  TerenDueFilter windowed = { line, NULL, max };
  TerenDueFilter whole = { line, NULL, TEREN_DUE_LATER };
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) cut = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;
  GDate today;
  guint i;

  g_assert_true (teren_date_parse (today_text, &today));
  a = teren_store_due_items (store, &today, &windowed, &error);
  g_assert_no_error (error);
  b = teren_store_due_items (store, &today, &whole, &error);
  g_assert_no_error (error);
  for (i = 0; i < b->len; i++)
    if (((TerenDueItem *) g_ptr_array_index (b, i))->bucket <= max)
      g_ptr_array_add (cut, g_ptr_array_index (b, i));
  text_a = describe (a);
  text_b = describe (cut);
  g_assert_cmpstr (text_a, ==, text_b);
  return g_steal_pointer (&text_a);
}

static void
test_due_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-due-window-XXXXXX", &error);
  g_autoptr(TerenStore) store = NULL;
  g_autofree char *month = NULL;
  g_autofree char *week = NULL;
  g_autofree char *overdue = NULL;
  g_autofree char *later = NULL;
  const char *lines[] = { NULL, "child", "elderly" };
  const TerenDueBucket buckets[] = { TEREN_DUE_OVERDUE, TEREN_DUE_THIS_WEEK, TEREN_DUE_THIS_MONTH };
  guint l, b;

  g_assert_no_error (error);
  store = teren_store_open (dir, &error);
  g_assert_no_error (error);

  pull (store, "p1", "person", "", "{\"last_name\":\"Pop\",\"first_name\":\"Ana\",\"cnp_status\":\"missing\"}");
  pull (store, "p2", "person", "", "{\"last_name\":\"Ene\",\"first_name\":\"Ion\",\"cnp_status\":\"missing\"}");
  pull (store, "c1", "case", "child", "{\"person\":\"p1\",\"status\":\"open\",\"case_manager\":\"ana\"}");
  pull (store, "c2", "case", "child", "{\"person\":\"p2\",\"status\":\"open\",\"case_manager\":\"maria\"}");
  pull (store, "c3", "case", "child", "{\"person\":\"p2\",\"status\":\"closed\"}");

  /* Plans: reviewed on the month's last day (in), the day after (out), six months after
   * the start without a review date (30 June → 30 December: in; 31 August → end of
   * February: out; 31 May → 30 November: overdue), reviewed by a review of the case (no
   * item), of a closed case (no item). */
  pull (store, "plan-in", "plan", "child", "{\"case\":\"c1\",\"start_on\":\"2026-06-01\",\"review_on\":\"2026-12-31\"}");
  pull (store, "plan-out", "plan", "child", "{\"case\":\"c1\",\"start_on\":\"2026-06-01\",\"review_on\":\"2027-01-01\"}");
  pull (store, "plan-6m", "plan", "child", "{\"case\":\"c2\",\"start_on\":\"2026-06-30\"}");
  pull (store, "plan-6m-out", "plan", "child", "{\"case\":\"c2\",\"start_on\":\"2026-08-31\"}");
  pull (store, "plan-6m-31", "child.service_plan", "child", "{\"case\":\"c2\",\"start_on\":\"2026-05-31\"}");
  pull (store, "plan-reviewed", "elderly.care_plan", "elderly",
        "{\"case\":\"c2\",\"start_on\":\"2026-04-01\",\"review_on\":\"2026-10-01\"}");
  pull (store, "review", "review", "elderly", "{\"case\":\"c2\",\"date\":\"2026-09-20\"}");
  pull (store, "plan-closed-case", "plan", "child", "{\"case\":\"c3\",\"start_on\":\"2026-06-01\",\"review_on\":\"2026-12-10\"}");
  pull (store, "plan-done", "plan", "child",
        "{\"case\":\"c1\",\"start_on\":\"2024-01-01\",\"review_on\":\"2024-07-01\",\"status\":\"completed\"}");

  /* Objectives: of the finished plan, still open (in: its case through the plan), the
   * day after the month (out), done long ago (no item). */
  pull (store, "item-in", "plan_item", "child",
        "{\"plan\":\"plan-done\",\"objective\":\"Școala\",\"deadline\":\"2026-11-15\",\"responsible\":\"dana\"}");
  pull (store, "item-out", "plan_item", "child", "{\"plan\":\"plan-in\",\"objective\":\"X\",\"deadline\":\"2027-01-02\"}");
  pull (store, "item-done", "plan_item", "child",
        "{\"plan\":\"plan-in\",\"objective\":\"Y\",\"deadline\":\"2026-01-01\",\"status\":\"done\"}");

  /* Court hearings (a simple rule): on the last day (in), the day after (out), sent. */
  pull (store, "court-in", "child.court_request", "child", "{\"case\":\"c1\",\"hearing_date\":\"2026-12-31\"}");
  pull (store, "court-out", "child.court_request", "child", "{\"case\":\"c1\",\"hearing_date\":\"2027-01-01\"}");
  pull (store, "court-sent", "child.court_request", "child",
        "{\"case\":\"c1\",\"hearing_date\":\"2026-10-01\",\"sent_on\":\"2026-09-25\"}");
  /* An empty "sent" date is not sent: the window keeps it. */
  pull (store, "court-blank", "child.court_request", "child",
        "{\"case\":\"c1\",\"hearing_date\":\"2026-12-20\",\"sent_on\":\"\"}");

  /* Referrals to the elderly line: an emergency of 30 December (answer due on the 31st),
   * an ordinary one of 22 December (due in January), an old one, an answered one. */
  pull (store, "ref-emergency", "referral", "child",
        "{\"case\":\"c1\",\"to_line\":\"elderly\",\"status\":\"sent\",\"urgency\":\"emergency\",\"date\":\"2026-12-30\"}");
  pull (store, "ref-january", "referral", "child",
        "{\"case\":\"c1\",\"to_line\":\"elderly\",\"status\":\"sent\",\"date\":\"2026-12-22\"}");
  pull (store, "ref-old", "referral", "child",
        "{\"case\":\"c2\",\"to_line\":\"elderly\",\"status\":\"sent\",\"date\":\"2026-11-01\"}");
  pull (store, "ref-answered", "referral", "child",
        "{\"case\":\"c2\",\"to_line\":\"elderly\",\"status\":\"accepted\",\"date\":\"2026-11-01\"}");

  /* Contracts: the earlier one ended in November but a later one supersedes it. */
  pull (store, "contract-old", "contract", "child",
        "{\"case\":\"c1\",\"signed_on\":\"2025-01-01\",\"end_on\":\"2026-11-01\"}");
  pull (store, "contract-new", "contract", "child",
        "{\"case\":\"c1\",\"signed_on\":\"2026-06-01\",\"end_on\":\"2027-06-01\"}");

  /* Tuesday 1 December 2026: the window ends on 31 December. */
  month = assert_same (store, "2026-12-01", NULL, TEREN_DUE_THIS_MONTH);
  g_assert_nonnull (strstr (month, "plan.review plan-in "));
  g_assert_null (strstr (month, "plan-out"));
  g_assert_nonnull (strstr (month, "plan.review plan-6m "));
  g_assert_null (strstr (month, "plan-6m-out"));
  g_assert_nonnull (strstr (month, "plan-6m-31 child 2026-11-30"));
  g_assert_null (strstr (month, "plan-reviewed"));
  g_assert_null (strstr (month, "plan-closed-case"));
  g_assert_nonnull (strstr (month, "plan_item.deadline item-in child 2026-11-15 c1 p1 dana"));
  g_assert_null (strstr (month, "item-out"));
  g_assert_null (strstr (month, "item-done"));
  g_assert_nonnull (strstr (month, "child.court_hearing court-in "));
  g_assert_null (strstr (month, "court-out"));
  g_assert_null (strstr (month, "court-sent"));
  g_assert_nonnull (strstr (month, "child.court_hearing court-blank "));
  g_assert_nonnull (strstr (month, "referral.answer ref-emergency elderly 2026-12-31"));
  g_assert_null (strstr (month, "ref-january"));
  g_assert_nonnull (strstr (month, "referral.answer ref-old elderly 2026-11-11"));
  g_assert_null (strstr (month, "ref-answered"));
  g_assert_null (strstr (month, "contract-old"));

  /* Every bucket and line filter, and other days (a week across two months). */
  for (l = 0; l < G_N_ELEMENTS (lines); l++)
    for (b = 0; b < G_N_ELEMENTS (buckets); b++)
      {
        g_free (assert_same (store, "2026-12-01", lines[l], buckets[b]));
        g_free (assert_same (store, "2026-12-29", lines[l], buckets[b]));
        g_free (assert_same (store, "2026-11-30", lines[l], buckets[b]));
      }
  week = assert_same (store, "2026-12-29", NULL, TEREN_DUE_THIS_WEEK);
  /* The week of 29 December ends on Sunday 3 January. */
  g_assert_nonnull (strstr (week, "plan-out"));
  g_assert_nonnull (strstr (week, "court-out"));
  overdue = assert_same (store, "2026-12-01", NULL, TEREN_DUE_OVERDUE);
  g_assert_null (strstr (overdue, "plan-in"));
  g_assert_nonnull (strstr (overdue, "item-in"));

  g_clear_object (&store);
  test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/teren/report/due-window", test_due_window);
  return g_test_run ();
}
