/* bench-due.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* teren-bench-due --data-dir DIR [--plans N] [--today YYYY-MM-DD] [--case-list-only]
 *
 * The Due page and a line's case list on a large store (a copy of the teren-bench-generate
 * dataset: the store is migrated and, with --plans, written to): prints the time of
 * teren_store_due_items() for the Due page (up to this month, every line), the items it
 * returns and the process's peak resident memory; then the same without the date window
 * (every date, cut at this month: the items must be the same); then
 * teren_store_line_cases() of the child line. --plans N first adds N plans with an objective
 * each and N court requests to the store's child cases, their dates spread over five years
 * (a directorate's history), so that the rules have work. Each step also prints the records
 * the store made (parsed from their rows: counted by wrapping teren_record_new_full, linked
 * with -Wl,--wrap, see meson.build). --case-list-only runs only the case list, so that the
 * peak resident memory printed is the case list's own. Asserts nothing. */

#include "config.h"

#include <locale.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "teren-store.h"
#include "teren-store-report.h"
#include "teren-store-sync.h"
#include "teren-record-count.h"

static guint
records_made_since (guint *mark)
{
  guint now = teren_record_count_made ();
  guint n = now - *mark;

  *mark = now;
  return n;
}

/* User + system CPU time of the process, every thread (the store's cache warm-up thread
 * too): less sensitive to the machine's load than the wall clock. */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static long
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

static long
rss_mb (void)
{
  g_autofree char *text = NULL;
  long pages = 0, resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &text, NULL, NULL))
    sscanf (text, "%ld %ld", &pages, &resident);
  return resident * (sysconf (_SC_PAGESIZE) / 1024) / 1024;
}

static char *
iso_of (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* As a pull from the server brings them (the validator would refuse a review date in the
 * past, which history is full of). */
static void
add_record (JsonArray  *records,
            const char *id,
            const char *kind,
            const char *line,
            JsonObject *fields,
            gint64      seq)
{
  JsonObject *record = json_object_new ();

  json_object_set_string_member (record, "id", id);
  json_object_set_string_member (record, "kind", kind);
  json_object_set_string_member (record, "line", line);
  json_object_set_int_member (record, "rev", 1);
  json_object_set_int_member (record, "seq", seq);
  json_object_set_boolean_member (record, "deleted", FALSE);
  json_object_set_object_member (record, "fields", json_object_ref (fields));
  json_object_set_string_member (record, "updated_by", "bench");
  json_object_set_string_member (record, "updated_at", "2026-12-01T08:00:00Z");
  json_array_add_object_element (records, record);
}

static gboolean
flush_page (TerenStore  *store,
            JsonArray  **records,
            GError     **error)
{
  g_autoptr(JsonObject) page = json_object_new ();
  gboolean ok;

  json_object_set_array_member (page, "records", g_steal_pointer (records));
  json_object_set_array_member (page, "purge", json_array_new ());
  json_object_set_boolean_member (page, "more", FALSE);
  json_object_set_string_member (page, "cursor", "bench");
  json_object_set_string_member (page, "epoch", "bench");
  json_object_set_string_member (page, "server_time", "2026-12-01T08:00:00Z");
  ok = teren_store_sync_apply_pull_page (store, page, NULL, NULL, error);
  *records = json_array_new ();
  return ok;
}

static gboolean
add_plans (TerenStore  *store,
           guint        n,
           const GDate *today,
           GError     **error)
{
  g_autoptr(GPtrArray) cases = teren_store_list_ids (store, "case", error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(JsonArray) records = json_array_new ();
  gint64 seq = 1000000;
  guint i;

  if (cases == NULL || cases->len == 0)
    return cases != NULL;
  for (i = 0; i < n; i++)
    {
      const char *case_id = g_ptr_array_index (cases, g_rand_int_range (rand, 0, cases->len));
      g_autoptr(TerenRecord) kase = teren_store_get_record (store, case_id, NULL);
      const char *line = kase != NULL ? teren_record_get_line (kase) : "child";
      g_autoptr(JsonObject) plan = json_object_new ();
      g_autoptr(JsonObject) item = json_object_new ();
      g_autoptr(JsonObject) court = json_object_new ();
      g_autofree char *plan_id = g_uuid_string_random ();
      g_autofree char *item_id = g_uuid_string_random ();
      g_autofree char *court_id = g_uuid_string_random ();
      GDate start = *today, review, hearing;
      g_autofree char *start_text = NULL;
      g_autofree char *review_text = NULL;
      g_autofree char *hearing_text = NULL;

      /* Started up to five years ago; reviewed six months later. */
      g_date_subtract_days (&start, g_rand_int_range (rand, 0, 5 * 365));
      review = start;
      g_date_add_months (&review, 6);
      start_text = iso_of (&start);
      review_text = iso_of (&review);
      json_object_set_string_member (plan, "case", case_id);
      json_object_set_string_member (plan, "type", "social_services");
      json_object_set_string_member (plan, "start_on", start_text);
      json_object_set_string_member (plan, "review_on", review_text);
      /* Most old plans were revised or completed long ago. */
      if (g_date_days_between (&review, today) > 60 && g_rand_int_range (rand, 0, 10) < 9)
        json_object_set_string_member (plan, "status", "completed");
      add_record (records, plan_id, "plan", line, plan, ++seq);
      json_object_set_string_member (item, "plan", plan_id);
      json_object_set_string_member (item, "objective", "Obiectiv");
      json_object_set_string_member (item, "deadline", review_text);
      if (g_date_compare (&review, today) < 0 && g_rand_int_range (rand, 0, 10) < 9)
        json_object_set_string_member (item, "status", "done");
      add_record (records, item_id, "plan_item", line, item, ++seq);
      if (g_strcmp0 (line, "child") == 0)
        {
          hearing = start;
          g_date_add_days (&hearing, 40);
          hearing_text = iso_of (&hearing);
          json_object_set_string_member (court, "case", case_id);
          json_object_set_string_member (court, "court", "Judecătoria Sectorului 1");
          json_object_set_string_member (court, "file_number", "1/2026");
          json_object_set_string_member (court, "object", "residence");
          json_object_set_string_member (court, "received_on", start_text);
          json_object_set_string_member (court, "hearing_date", hearing_text);
          if (g_date_compare (&hearing, today) < 0 && g_rand_int_range (rand, 0, 10) < 9)
            json_object_set_string_member (court, "sent_on", start_text);
          add_record (records, court_id, "child.court_request", line, court, ++seq);
        }
      if (json_array_get_length (records) >= 3000 && !flush_page (store, &records, error))
        return FALSE;
    }
  return flush_page (store, &records, error);
}

/* The Due page (three times), then the computation without the window. */
static gboolean
run_due_page (TerenStore   *store,
              const GDate  *today,
              gboolean      once,
              guint        *mark,
              GError      **error)
{
  TerenDueFilter filter = { NULL, NULL, TEREN_DUE_THIS_MONTH };
  TerenDueFilter whole = { NULL, NULL, TEREN_DUE_LATER };
  g_autoptr(GPtrArray) all = NULL;
  double t0, times[3];
  guint n_items = 0, made = 0, kept = 0, n_named = 0, i;

  if (once)
    {
      struct mallinfo2 info = mallinfo2 ();

      g_print ("before: RSS %ld MB; malloc in use %.1f MB, free in the heap %.1f MB\n", rss_mb (),
               info.uordblks / 1048576.0, info.fordblks / 1048576.0);
    }
  for (i = 0; i < (once ? 1 : G_N_ELEMENTS (times)); i++)
    {
      g_autoptr(GPtrArray) items = NULL;

      records_made_since (mark);
      t0 = now_ms ();
      items = teren_store_due_items (store, today, &filter, error);
      times[i] = now_ms () - t0;
      if (items == NULL)
        return FALSE;
      n_items = items->len;
      n_named = 0;
      for (guint k = 0; k < items->len; k++)
        n_named += ((TerenDueItem *) g_ptr_array_index (items, k))->person_name != NULL;
      made = records_made_since (mark);
    }
  if (once)
    {
      struct mallinfo2 info = mallinfo2 ();

      g_print ("due items (Due page, every line, up to this month): %u items (%u with the person's name), "
               "%u records read; %.0f ms; RSS %ld MB, peak %ld MB; malloc in use %.1f MB, free in the heap %.1f MB\n",
               n_items, n_named, made,
               times[0], rss_mb (), peak_rss_mb (), info.uordblks / 1048576.0, info.fordblks / 1048576.0);
      g_print ("SQLite %.1f MB\n", sqlite3_memory_used () / 1048576.0);
      return TRUE;
    }
  g_print ("due items (Due page, every line, up to this month): %u items, %u records read; %.0f ms first, "
           "%.0f / %.0f ms again; RSS %ld MB, peak %ld MB\n", n_items, made, times[0], times[1], times[2],
           rss_mb (), peak_rss_mb ());

  /* The same computation without the window (every date, as before it), cut at this
   * month: what the window saves. */
  records_made_since (mark);
  t0 = now_ms ();
  all = teren_store_due_items (store, today, &whole, error);
  if (all == NULL)
    return FALSE;
  t0 = now_ms () - t0;
  for (i = 0; i < all->len; i++)
    kept += ((TerenDueItem *) g_ptr_array_index (all, i))->bucket <= TEREN_DUE_THIS_MONTH;
  g_print ("without the window (every date): %u items, %u up to this month, %u records read; %.0f ms; "
           "RSS %ld MB, peak %ld MB\n", all->len, kept, records_made_since (mark), t0, rss_mb (), peak_rss_mb ());
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *today_text = NULL;
  int n_plans = 0;
  gboolean case_list_only = FALSE;
  gboolean due_page_only = FALSE;
  GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Store folder (a copy: it is written to)", "DIR" },
    { "plans", 0, 0, G_OPTION_ARG_INT, &n_plans, "Add N plans, objectives and court requests first", "N" },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_text, "The day of the computation", "YYYY-MM-DD" },
    { "case-list-only", 0, 0, G_OPTION_ARG_NONE, &case_list_only, "Only the child line's case list", NULL },
    { "due-page-only", 0, 0, G_OPTION_ARG_NONE, &due_page_only, "Only the Due page's items, once", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- due items on a large store");
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = NULL;
  GDate today;
  double t0;
  guint mark = 0;
  guint made = 0;
  guint i;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || data_dir == NULL)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--data-dir DIR is required");
      return 2;
    }
  g_date_clear (&today, 1);
  if (today_text != NULL)
    g_date_set_parse (&today, today_text);
  else
    g_date_set_time_t (&today, time (NULL));
  if (!g_date_valid (&today))
    {
      g_printerr ("--today: not a date\n");
      return 2;
    }

  store = teren_store_open (data_dir, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (n_plans > 0)
    {
      t0 = now_ms ();
      if (!add_plans (store, (guint) n_plans, &today, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("added %d plans (+ objectives, court requests) in %.0f ms\n", n_plans, now_ms () - t0);
    }
  g_print ("store: %u cases, %u visits, %u plans, %u plan objectives, %u court requests; RSS %ld MB\n",
           teren_store_count (store, "case"), teren_store_count (store, "visit"),
           teren_store_count (store, "plan"), teren_store_count (store, "plan_item"),
           teren_store_count (store, "child.court_request"), rss_mb ());

  if (!case_list_only && !run_due_page (store, &today, due_page_only, &mark, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (due_page_only)
    return 0;

  {
    g_autoptr(GPtrArray) cases = NULL;
    guint with_due = 0;
    double cpu0 = cpu_ms ();

    records_made_since (&mark);
    t0 = now_ms ();
    cases = teren_store_line_cases (store, "child", NULL, NULL, &today, &error);
    if (cases == NULL)
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
    t0 = now_ms () - t0;
    cpu0 = cpu_ms () - cpu0;
    made = records_made_since (&mark);
    for (i = 0; i < cases->len; i++)
      with_due += ((TerenLineCase *) g_ptr_array_index (cases, i))->next_due != NULL;
    g_print ("line cases (child, open): %u rows, %u with a next due item, %u records read; %.0f ms (CPU %.0f ms); "
             "RSS %ld MB, peak %ld MB\n", cases->len, with_due, made, t0, cpu0, rss_mb (), peak_rss_mb ());
  }
  return 0;
}
