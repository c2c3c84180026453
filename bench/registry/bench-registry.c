/* bench-registry.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* teren-bench-registry --data-dir DIR [--prefixes 200]
 *
 * Store figures on a registry made by teren-bench-generate (prints them, asserts nothing):
 *   open     teren_store_open() of the folder (first, then median of 5);
 *   search   search as you type: incremental prefixes of real names from the store
 *            ("s", "ș", "ște", "ștef"…, some typed without diacritics, some as
 *            "last first"), every result id as the list takes them, and the first 50;
 *            median and worst;
 *   cnp      exact CNP lookup of CNPs from the store, median and worst;
 *   list     a TerenRecordList of persons and households, from set_query("") to its
 *            items-changed.
 * Targets (DESIGN.md): search median ≤ 20 ms, worst ≤ 50 ms; CNP lookup ≤ 2 ms. */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "teren-record-list.h"
#include "teren-store.h"
#include "teren-store-private.h"
#include "teren-text.h"

#define N_OPENS 5
#define N_SAMPLES 200
#define FIRST_PAGE 50

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return values->len > 0 ? g_array_index (values, double, values->len / 2) : -1;
}

static double
worst (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return values->len > 0 ? g_array_index (values, double, values->len - 1) : -1;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* CPU time of this thread (ms): on a loaded machine the wall clock mostly measures the
 * wait for a CPU; both are printed. The blocking store calls run on the calling thread. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

/* Incremental prefixes of @text as typed: one character more each time, up to 6. */
static void
add_prefixes (GPtrArray  *out,
              const char *text,
              guint       max_chars,
              guint       limit)
{
  const char *p = text;
  guint n = 0;

  while (*p != '\0' && n < max_chars && out->len < limit)
    {
      p = g_utf8_next_char (p);
      n++;
      g_ptr_array_add (out, g_strndup (text, p - text));
    }
}

typedef struct
{
  GMainLoop *loop;
  gint64     start;
  double     ms;
  guint      n_items;
} ListWait;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  ListWait   *wait)
{
  wait->ms = ms_since (wait->start);
  wait->n_items = g_list_model_get_n_items (model);
  g_main_loop_quit (wait->loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GArray) opens = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) searches_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) searches_wall = g_array_new (FALSE, FALSE, sizeof (double));  /* unsorted */
  g_autoptr(GArray) cnps_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) firsts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cnps = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) dups = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) prefixes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cnp_values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TerenRecordList) list = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  int n_prefixes = N_SAMPLES;
  double first_open;
  const char *slowest = "";
  double slowest_ms = -1;
  double cpu_start;
  gsize total_hits = 0;
  ListWait wait = { 0 };
  guint i;
  gint64 start;
  const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Store made by teren-bench-generate", "DIR" },
    { "prefixes", 0, 0, G_OPTION_ARG_INT, &n_prefixes, "Typed prefixes to time (default 200)", "N" },
    { NULL },
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- time the store on a large registry");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || data_dir == NULL)
    {
      g_printerr ("Usage: teren-bench-registry --data-dir DIR [--prefixes N]\n");
      return 2;
    }

  /* ---- open ---- */
  start = g_get_monotonic_time ();
  store = teren_store_open (data_dir, &error);
  first_open = ms_since (start);
  if (store == NULL)
    {
      g_printerr ("Cannot open the store: %s\n", error->message);
      return 1;
    }
  for (i = 0; i < N_OPENS; i++)
    {
      g_autoptr(TerenStore) again = NULL;

      start = g_get_monotonic_time ();
      again = teren_store_open (data_dir, &error);
      g_array_append_val (opens, (double) { ms_since (start) });
      if (again == NULL)
        {
          g_printerr ("Cannot open the store: %s\n", error->message);
          return 1;
        }
    }

  g_print ("load average %.1f on %u CPUs\n", load_average (), g_get_num_processors ());
  g_print ("store: %u persons, %u households, %u cases, %u visits, %u pending operations\n",
           teren_store_count (store, "person"), teren_store_count (store, "household"),
           teren_store_count (store, "case"), teren_store_count (store, "visit"),
           teren_store_count_pending (store));
  g_print ("open: first %.1f ms, median of %u %.1f ms\n", first_open, N_OPENS, median (opens));

  /* ---- sample real persons ---- */
  ids = teren_store_list_ids (store, "person", &error);
  if (ids == NULL || ids->len == 0)
    {
      g_printerr ("No persons in %s\n", data_dir);
      return 1;
    }
  for (i = 0; i < N_SAMPLES; i++)
    {
      TerenRecord *record = teren_store_get_record (store, ids->pdata[(gsize) i * 7919 % ids->len], NULL);

      if (record != NULL)
        g_ptr_array_add (samples, record);
    }

  /* Prefixes as a worker types them: the last name with its diacritics, the same without
   * (most keyboards in the field), and "last first". */
  for (i = 0; prefixes->len < (guint) n_prefixes; i++)
    {
      TerenRecord *record = samples->pdata[i % samples->len];
      const char *last = teren_record_get_string (record, "last_name");
      const char *first = teren_record_get_string (record, "first_name");

      switch (i % 3)
        {
        case 0:
          add_prefixes (prefixes, last, 6, (guint) n_prefixes);
          break;
        case 1:
          {
            g_autofree char *folded = teren_text_fold (last);

            add_prefixes (prefixes, folded, 5, (guint) n_prefixes);
          }
          break;
        default:
          {
            g_autofree char *both = g_strdup_printf ("%s %s", last, first);
            const char *space = strchr (both, ' ');

            /* Only the prefixes that reach into the first name. */
            if (space != NULL && prefixes->len < (guint) n_prefixes)
              {
                g_autofree char *with_one = g_strndup (both, space - both + 2);
                g_autofree char *with_three = g_strndup (both, MIN (strlen (both), (gsize) (space - both + 4)));

                g_ptr_array_add (prefixes, g_steal_pointer (&with_one));
                if (prefixes->len < (guint) n_prefixes)
                  g_ptr_array_add (prefixes, g_steal_pointer (&with_three));
              }
          }
          break;
        }
    }

  /* ---- search ---- */
  /* The first search right after opening waits for the search order that the store reads
   * in the background; a person types later (the window takes longer to appear). */
  {
    g_autoptr(TerenStore) fresh = NULL;
    g_autoptr(GPtrArray) hits = NULL;
    double open_ms;

    start = g_get_monotonic_time ();
    fresh = teren_store_open (data_dir, &error);
    open_ms = ms_since (start);
    start = g_get_monotonic_time ();
    hits = fresh != NULL ? teren_store_search (fresh, NULL, "a", 0, &error) : NULL;
    g_print ("first search (\"a\", %u results) %.1f ms after opening: %.1f ms\n",
             hits != NULL ? hits->len : 0, open_ms, ms_since (start));
    g_clear_pointer (&hits, g_ptr_array_unref);
    start = g_get_monotonic_time ();
    hits = fresh != NULL ? teren_store_search (fresh, NULL, "a", 0, &error) : NULL;
    g_print ("same search again: %.1f ms\n", ms_since (start));
  }

  /* The store reads the order of the search index in the background a moment after
   * opening; until then many-match searches are sorted by SQL (the figures above). */
  start = g_get_monotonic_time ();
  while (!teren_search_order_is_ready (teren_store_get_search_order (store)) &&
         ms_since (start) < 60000)
    g_usleep (10000);
  g_print ("search order in memory ready %.0f ms later\n", ms_since (start));

  for (i = 0; i < prefixes->len; i++)
    {
      g_autoptr(GPtrArray) hits = NULL;
      g_autoptr(GPtrArray) page = NULL;
      double ms;

      start = g_get_monotonic_time ();
      cpu_start = cpu_ms ();
      hits = teren_store_search (store, NULL, prefixes->pdata[i], 0, &error);
      ms = ms_since (start);
      g_array_append_val (searches_cpu, (double) { cpu_ms () - cpu_start });
      g_array_append_val (searches_wall, ms);
      if (hits == NULL)
        {
          g_printerr ("Search failed: %s\n", error->message);
          return 1;
        }
      g_array_append_val (searches, ms);
      total_hits += hits->len;
      if (ms > slowest_ms)
        {
          slowest_ms = ms;
          slowest = prefixes->pdata[i];
        }

      start = g_get_monotonic_time ();
      page = teren_store_search (store, NULL, prefixes->pdata[i], FIRST_PAGE, &error);
      g_array_append_val (firsts, (double) { ms_since (start) });
    }
  g_print ("search (all ids, as the list takes them) over %u typed prefixes: median %.2f ms, "
           "worst %.2f ms (\"%s\"); %.0f results on average\n",
           prefixes->len, median (searches), worst (searches), slowest,
           (double) total_hits / prefixes->len);
  {
    g_autoptr(GString) over = g_string_new (NULL);
    guint n_over = 0;

    for (i = 0; i < searches_wall->len; i++)
      if (g_array_index (searches_wall, double, i) > 50)
        {
          n_over++;
          if (n_over <= 12)
            g_string_append_printf (over, " \"%s\"", (char *) prefixes->pdata[i]);
        }
    g_print ("search (all ids) CPU time: median %.2f ms, worst %.2f ms; over 50 ms wall: %u prefixes%s\n",
             median (searches_cpu), worst (searches_cpu), n_over, over->str);
  }
  g_print ("search (first %u): median %.2f ms, worst %.2f ms\n", FIRST_PAGE, median (firsts),
           worst (firsts));

  /* ---- CNP ---- */
  for (i = 0; i < samples->len; i++)
    {
      const char *cnp = teren_record_get_string (samples->pdata[i], "cnp");
      const char *status = teren_record_get_string (samples->pdata[i], "cnp_status");

      if (cnp != NULL && g_strcmp0 (status, "valid") == 0)
        g_ptr_array_add (cnp_values, g_strdup (cnp));
    }
  for (i = 0; i < cnp_values->len; i++)
    {
      g_autoptr(GPtrArray) hits = NULL;

      start = g_get_monotonic_time ();
      cpu_start = cpu_ms ();
      hits = teren_store_find_by_cnp (store, cnp_values->pdata[i], &error);
      g_array_append_val (cnps, (double) { ms_since (start) });
      g_array_append_val (cnps_cpu, (double) { cpu_ms () - cpu_start });
      if (hits == NULL || hits->len == 0)
        {
          g_printerr ("CNP lookup found nothing\n");
          return 1;
        }
    }
  g_print ("cnp lookup over %u CNPs: median %.3f ms, worst %.3f ms (CPU median %.3f ms, worst %.3f ms)\n",
           cnp_values->len, median (cnps), worst (cnps), median (cnps_cpu), worst (cnps_cpu));

  /* ---- duplicate check, as the form runs it ---- */
  for (i = 0; i < samples->len; i++)
    {
      g_autoptr(GPtrArray) hits = NULL;

      start = g_get_monotonic_time ();
      hits = teren_store_find_duplicates (store, teren_record_get_fields (samples->pdata[i]), NULL, &error);
      g_array_append_val (dups, (double) { ms_since (start) });
    }
  g_print ("duplicate check over %u persons: median %.3f ms, worst %.3f ms\n", samples->len,
           median (dups), worst (dups));

  /* ---- list ---- */
  loop = g_main_loop_new (NULL, FALSE);
  list = teren_record_list_new (store, NULL);
  wait.loop = loop;
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &wait);
  wait.start = g_get_monotonic_time ();
  teren_record_list_set_query (list, "");
  g_main_loop_run (loop);
  g_print ("list of persons and households: %u items in %.1f ms\n", wait.n_items, wait.ms);

  start = g_get_monotonic_time ();
  for (i = 0; i < wait.n_items; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
  g_print ("list: every item made once (a full scroll) in %.0f ms\n", ms_since (start));
  {
    g_autofree char *status = NULL;
    const char *rss;

    if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
        (rss = strstr (status, "VmRSS:")) != NULL)
      g_print ("resident memory at the end: %ld kB\n", strtol (rss + 6, NULL, 10));
  }

  return 0;
}
