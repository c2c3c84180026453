/* bench-gui.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Usage (prints figures, asserts nothing):
 *
 *   _build/bench/registry/teren-bench-generate --data-dir /tmp/teren-100k --persons 100000
 *   GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none xvfb-run -a -s "-screen 0 1280x800x24" \
 *     _build/bench/gui/teren-bench-gui --data-dir /tmp/teren-100k [--runs 5]
 *
 * Without a data directory made by the generator, --generate N fills one with N simple
 * persons first. Each figure comes from a fresh process spawned by this one:
 *   baseline  a bare AdwWindow with ten AdwEntryRow, to its first frame;
 *   teren     the real TerenApplication with --data-dir, to its first frame, and to the
 *             moment the person list shows rows;
 *   scroll    the window with the list scrolled to the end in page steps, then VmRSS,
 *             and VmRSS again 2 s later (after the trim of freed memory), each with its
 *             parts: anonymous and file-backed memory, what malloc holds in use and
 *             free, SQLite's share; --scroll-runs N repeats it and gives the range
 *             (fragmentation varies from run to run). --runs 0 measures the scroll only;
 *             TEREN_BENCH_MALLOC_INFO=1 also writes malloc_info() (one entry per arena)
 *             to stderr at both moments. */

#include "config.h"

#include <glib/gstdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "teren-application.h"
#include "teren-gui.h"
#include "teren-window.h"

/* Pages scrolled per step: every step is painted before the next one. */
#define SCROLL_PAGES_PER_STEP 4
#define DEFAULT_RUNS 5
/* A list that never shows rows (empty data dir) must not hang the benchmark. */
#define LIST_WAIT_LIMIT_US (120 * G_USEC_PER_SEC)

static gboolean scroll_mode;
static GtkApplication *child_app;

/* ---- Child side ------------------------------------------------------------------- */

static void
print_mark (const char *name)
{
  g_print ("%s %" G_GINT64_FORMAT "\n", name, g_get_monotonic_time ());
}

static long
read_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return strtol (line + strlen (key) + 1, NULL, 10);
}

static void
quit_child (void)
{
  if (child_app != NULL)
    g_application_quit (G_APPLICATION (child_app));
  else
    exit (0);
}

typedef struct
{
  TerenWindow   *window;
  GtkAdjustment *adjustment;
  guint          steps;
  gulong         paint_handler;
} Scroll;

/* Where the resident memory is: anonymous (heap) or file-backed (libraries, fonts), and
 * what malloc and SQLite hold of the heap. */
static void
print_memory (const char *prefix)
{
  g_print ("%sRSSANON_KB %ld\n", prefix, read_status_kb ("RssAnon:"));
  g_print ("%sRSSFILE_KB %ld\n", prefix, read_status_kb ("RssFile:"));
  g_print ("%sRSSSHMEM_KB %ld\n", prefix, read_status_kb ("RssShmem:"));
#ifdef __GLIBC__
  {
    struct mallinfo2 info = mallinfo2 ();

    g_print ("%sMALLOC_USED_KB %zu\n", prefix, (info.uordblks + info.hblkhd) / 1024);
    g_print ("%sMALLOC_FREE_KB %zu\n", prefix, info.fordblks / 1024);
    g_print ("%sMALLOC_MMAP_KB %zu\n", prefix, info.hblkhd / 1024);
  }
#endif
  g_print ("%sSQLITE_KB %lld\n", prefix, (long long) (sqlite3_memory_used () / 1024));
#ifdef __GLIBC__
  /* Each malloc arena (one per thread that allocated), as XML on stderr. */
  if (g_getenv ("TEREN_BENCH_MALLOC_INFO") != NULL)
    malloc_info (0, stderr);
#endif
}

/* Two seconds after the scroll stopped (the list trims freed memory 1.5 s after its last
 * read). */
static gboolean
settled_cb (gpointer data)
{
  g_print ("SETTLED_RSS_KB %ld\n", read_status_kb ("VmRSS:"));
  print_memory ("SETTLED_");
  quit_child ();
  return G_SOURCE_REMOVE;
}

static void
finish_scroll (Scroll *scroll)
{
  GListModel *model = teren_window_get_list_model (scroll->window);

  print_mark ("SCROLLED");
  g_print ("ROWS %u\n", model != NULL ? g_list_model_get_n_items (model) : 0);
  g_print ("STEPS %u\n", scroll->steps);
  g_print ("VMRSS_KB %ld\n", read_status_kb ("VmRSS:"));
  g_print ("VMHWM_KB %ld\n", read_status_kb ("VmHWM:"));
  print_memory ("");
  g_timeout_add (2000, settled_cb, NULL);
}

static void
on_scroll_paint_cb (GdkFrameClock *clock,
                    Scroll        *scroll)
{
  double value = gtk_adjustment_get_value (scroll->adjustment);
  double page = gtk_adjustment_get_page_size (scroll->adjustment);
  double upper = gtk_adjustment_get_upper (scroll->adjustment);

  if (value + page >= upper - 1)
    {
      g_signal_handler_disconnect (clock, scroll->paint_handler);
      finish_scroll (scroll);
      return;
    }

  scroll->steps++;
  gtk_adjustment_set_value (scroll->adjustment, MIN (value + SCROLL_PAGES_PER_STEP * page, upper - page));
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  return GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW));
}

static gboolean
list_ready_cb (gpointer data)
{
  TerenWindow *window = data;
  Scroll *scroll;
  GdkFrameClock *clock;

  static gint64 started;

  if (started == 0)
    started = g_get_monotonic_time ();
  if (g_strcmp0 (teren_window_get_content_page (window), "list") != 0)
    {
      if (g_get_monotonic_time () - started < LIST_WAIT_LIMIT_US)
        return G_SOURCE_CONTINUE;
      g_printerr ("the list never showed rows (page %s)\n", teren_window_get_content_page (window));
      quit_child ();
      return G_SOURCE_REMOVE;
    }

  print_mark ("LIST_READY");
  g_print ("READY_RSS_KB %ld\n", read_status_kb ("VmRSS:"));
  if (!scroll_mode)
    {
      quit_child ();
      return G_SOURCE_REMOVE;
    }

  scroll = g_new0 (Scroll, 1);
  scroll->window = window;
  scroll->adjustment = gtk_scrolled_window_get_vadjustment (
    find_scroller (GTK_WIDGET (teren_window_get_list_view (window))));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  scroll->paint_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_scroll_paint_cb), scroll);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  return G_SOURCE_REMOVE;
}

static void
on_first_paint_cb (GdkFrameClock *clock,
                   GtkWidget     *window)
{
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (window), "bench-handler"));

  g_signal_handler_disconnect (clock, handler);
  print_mark ("FIRST_FRAME");
  g_print ("FIRST_RSS_KB %ld\n", read_status_kb ("VmRSS:"));
  g_print ("FIRST_HWM_KB %ld\n", read_status_kb ("VmHWM:"));
  if (TEREN_IS_WINDOW (window))
    g_timeout_add (5, list_ready_cb, window);
  else
    quit_child ();
}

static void
on_map_cb (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint_cb), window);

  g_object_set_data (G_OBJECT (window), "bench-handler", GSIZE_TO_POINTER (handler));
}

static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window)
{
  g_signal_connect (window, "map", G_CALLBACK (on_map_cb), NULL);
}

static int
run_baseline (void)
{
  GtkWidget *window, *page, *group;
  GMainLoop *loop;
  int i;

  gtk_init ();
  adw_init ();
  window = adw_window_new ();
  page = adw_preferences_page_new ();
  group = adw_preferences_group_new ();
  for (i = 0; i < 10; i++)
    {
      GtkWidget *row = adw_entry_row_new ();
      g_autofree char *title = g_strdup_printf ("Field %d", i + 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);
  g_signal_connect (window, "map", G_CALLBACK (on_map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);
  return 0;
}

static int
run_teren (const char *data_dir)
{
  g_autoptr(TerenApplication) app = teren_application_new ();
  char *args[] = { (char *)"teren", (char *)"--data-dir", (char *)data_dir, NULL };

  child_app = GTK_APPLICATION (app);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added_cb), NULL);
  return g_application_run (G_APPLICATION (app), 3, args);
}

/* ---- Parent side ------------------------------------------------------------------ */

typedef struct
{
  double first_frame;   /* seconds from spawn */
  double list_ready;
  double scrolled;
  long   rss_kb;
  long   settled_rss_kb;
  long   hwm_kb;
  long   first_rss_kb;
  long   first_hwm_kb;
  long   ready_rss_kb;
  guint  rows;
  guint  steps;
  char  *output;        /* the scroll child's output */
} Figures;

static double
mark_seconds (const char *output,
              const char *name,
              gint64      spawned)
{
  g_autofree char *key = g_strdup_printf ("%s ", name);
  const char *line = strstr (output, key);

  if (line == NULL)
    return -1;
  return (g_ascii_strtoll (line + strlen (key), NULL, 10) - spawned) / (double)G_USEC_PER_SEC;
}

static long
mark_long (const char *output,
           const char *name)
{
  g_autofree char *key = g_strdup_printf ("%s ", name);
  const char *line = strstr (output, key);

  return line != NULL ? strtol (line + strlen (key), NULL, 10) : -1;
}

/* The scroll child's memory figures, at the end of the scroll and 2 s later. */
static void
print_breakdown (const char *output)
{
  static const char * const prefixes[] = { "", "SETTLED_" };
  static const char * const names[] = { "at the end", "2 s later" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *anon = g_strconcat (prefixes[i], "RSSANON_KB", NULL);
      g_autofree char *file = g_strconcat (prefixes[i], "RSSFILE_KB", NULL);
      g_autofree char *used = g_strconcat (prefixes[i], "MALLOC_USED_KB", NULL);
      g_autofree char *free_kb = g_strconcat (prefixes[i], "MALLOC_FREE_KB", NULL);
      g_autofree char *sqlite = g_strconcat (prefixes[i], "SQLITE_KB", NULL);
      const char *line = strstr (output, anon);

      /* "SETTLED_RSSANON_KB" also holds "RSSANON_KB": the plain keys are at line starts. */
      if (line == NULL || (line != output && line[-1] != '\n'))
        continue;
      g_print ("  %s: anonymous %.1f MB, file-backed %.1f MB; malloc in use %.1f MB, "
               "free in the heap %.1f MB; SQLite %.1f MB\n", names[i],
               mark_long (output, anon) / 1024.0, mark_long (output, file) / 1024.0,
               mark_long (output, used) / 1024.0, mark_long (output, free_kb) / 1024.0,
               mark_long (output, sqlite) / 1024.0);
    }
}

static gboolean
spawn_child (const char *self_path,
             const char *mode,
             const char *data_dir,
             Figures    *figures)
{
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { self_path, "--child", mode, "--data-dir", data_dir, NULL };
  int status = 0;
  gint64 spawned = g_get_monotonic_time ();

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &output, NULL, &status, &error))
    {
      g_printerr ("spawn failed: %s\n", error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s run failed: %s\n", mode, error->message);
      return FALSE;
    }

  figures->first_frame = mark_seconds (output, "FIRST_FRAME", spawned);
  figures->list_ready = mark_seconds (output, "LIST_READY", spawned);
  figures->scrolled = mark_seconds (output, "SCROLLED", spawned);
  figures->rss_kb = mark_long (output, "VMRSS_KB");
  figures->settled_rss_kb = mark_long (output, "SETTLED_RSS_KB");
  figures->hwm_kb = mark_long (output, "VMHWM_KB");
  figures->first_rss_kb = mark_long (output, "FIRST_RSS_KB");
  figures->first_hwm_kb = mark_long (output, "FIRST_HWM_KB");
  figures->ready_rss_kb = mark_long (output, "READY_RSS_KB");
  figures->rows = (guint)mark_long (output, "ROWS");
  figures->steps = (guint)mark_long (output, "STEPS");
  if (g_strcmp0 (mode, "scroll") == 0)
    {
      g_free (figures->output);
      figures->output = g_steal_pointer (&output);
    }
  return figures->first_frame >= 0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  if (values->len == 0)
    return -1;
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

/* Smallest and largest of @values (not empty). */
static double
range_min (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, 0);
}

static double
range_max (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len - 1);
}

static gboolean
generate (const char *data_dir,
          guint       n_persons)
{
  static const char * const last[] = { "Popescu", "Ionescu", "Ștefănescu", "Dumitrescu", "Stan",
                                       "Gheorghiu", "Munteanu", "Țurcanu", "Lungu", "Mărgineanu" };
  static const char * const first[] = { "Ana", "Ion", "Maria", "Gheorghe", "Elena", "Vasile",
                                         "Ioana", "Mihai", "Andreea", "Ștefan" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = teren_store_open (data_dir, &error);
  guint i;

  if (store == NULL || !teren_store_begin (store, &error))
    {
      g_printerr ("cannot open %s: %s\n", data_dir, error->message);
      return FALSE;
    }
  for (i = 0; i < n_persons; i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autoptr(TerenRecord) record = NULL;
      g_autofree char *birth = g_strdup_printf ("%04u-%02u-%02u", 1930 + i % 90, 1 + i % 12, 1 + i % 28);

      json_object_set_string_member (fields, "last_name", last[i % G_N_ELEMENTS (last)]);
      json_object_set_string_member (fields, "first_name", first[(i / 10) % G_N_ELEMENTS (first)]);
      json_object_set_string_member (fields, "cnp_status", "missing");
      json_object_set_string_member (fields, "sex", i % 2 ? "M" : "F");
      json_object_set_string_member (fields, "birth_date", birth);
      record = teren_store_save (store, "person", "", NULL, fields, NULL, NULL, &error);
      if (record == NULL)
        {
          g_printerr ("generate failed: %s\n", error->message);
          teren_store_rollback (store);
          return FALSE;
        }
    }
  return teren_store_commit (store, &error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *child = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *self_path = NULL;
  g_autoptr(GArray) base = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ready = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) base_hwm = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app_hwm = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ready_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) end_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) settled_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int runs = DEFAULT_RUNS;
  int scroll_runs = 1;
  int n_generate = 0;
  Figures figures = { 0 };
  double base_median, app_median;
  int i;
  GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Store folder with the dataset", "DIR" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per figure (median shown)", "N" },
    { "scroll-runs", 0, 0, G_OPTION_ARG_INT, &scroll_runs, "Scrolls to the end (each shown, then their range)", "N" },
    { "generate", 0, 0, G_OPTION_ARG_INT, &n_generate, "Fill DIR with N persons first", "N" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child, NULL, NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };

  context = g_option_context_new ("— Teren GUI benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (child != NULL)
    {
      g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
      if (g_strcmp0 (child, "baseline") == 0)
        return run_baseline ();
      scroll_mode = g_strcmp0 (child, "scroll") == 0;
      return run_teren (data_dir);
    }

  if (data_dir == NULL)
    {
      g_printerr ("--data-dir is required\n");
      return 2;
    }
  if (n_generate > 0)
    {
      gint64 t = g_get_monotonic_time ();

      if (!generate (data_dir, (guint)n_generate))
        return 1;
      g_print ("generated %d persons in %.1f s\n", n_generate,
               (g_get_monotonic_time () - t) / (double)G_USEC_PER_SEC);
    }

  self_path = g_file_read_link ("/proc/self/exe", NULL);

  for (i = 0; i < runs; i++)
    {
      double mb;

      if (spawn_child (self_path, "baseline", data_dir, &figures))
        {
          g_array_append_val (base, figures.first_frame);
          mb = figures.first_hwm_kb / 1024.0;
          g_array_append_val (base_hwm, mb);
        }
      if (spawn_child (self_path, "teren", data_dir, &figures))
        {
          g_array_append_val (app, figures.first_frame);
          mb = figures.first_hwm_kb / 1024.0;
          g_array_append_val (app_hwm, mb);
          if (figures.list_ready >= 0)
            {
              g_array_append_val (ready, figures.list_ready);
              mb = figures.ready_rss_kb / 1024.0;
              g_array_append_val (ready_rss, mb);
            }
        }
    }

  base_median = median (base);
  app_median = median (app);
  g_print ("renderer: %s, backend: %s, runs: %d\n",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(default)",
           g_getenv ("GDK_BACKEND") ? g_getenv ("GDK_BACKEND") : "(default)", runs);
  g_print ("first frame, baseline (AdwWindow + 10 AdwEntryRow): %.3f s (median)\n", base_median);
  g_print ("first frame, teren --data-dir %s: %.3f s (median), ratio %.2f (target <= 0.5 s)\n",
           data_dir, app_median, base_median > 0 ? app_median / base_median : 0);
  g_print ("peak memory at the first frame: baseline %.1f MB, teren %.1f MB (medians)\n",
           median (base_hwm), median (app_hwm));
  g_print ("list shows its rows: %.3f s after start (median), VmRSS then %.1f MB\n",
           median (ready), median (ready_rss));

  for (i = 0; i < scroll_runs; i++)
    {
      double mb;

      figures.settled_rss_kb = -1;
      if (!spawn_child (self_path, "scroll", data_dir, &figures))
        continue;
      g_print ("scrolled %u rows to the end in %u steps (%.1f s); VmRSS %.1f MB, VmHWM %.1f MB "
               "(target RSS <= 150 MB)\n",
               figures.rows, figures.steps, figures.scrolled - figures.list_ready,
               figures.rss_kb / 1024.0, figures.hwm_kb / 1024.0);
      if (figures.settled_rss_kb > 0)
        g_print ("VmRSS 2 s after the scroll stopped: %.1f MB\n", figures.settled_rss_kb / 1024.0);
      if (figures.output != NULL)
        print_breakdown (figures.output);
      mb = figures.rss_kb / 1024.0;
      g_array_append_val (end_rss, mb);
      if (figures.settled_rss_kb > 0)
        {
          mb = figures.settled_rss_kb / 1024.0;
          g_array_append_val (settled_rss, mb);
        }
    }
  /* How much the heap's fragmentation varies from run to run. */
  if (end_rss->len > 1)
    {
      g_print ("VmRSS at the end of %u scrolls: %.1f to %.1f MB (median %.1f)\n", end_rss->len,
               range_min (end_rss), range_max (end_rss), median (end_rss));
      if (settled_rss->len > 0)
        g_print ("VmRSS 2 s later: %.1f to %.1f MB (median %.1f)\n", range_min (settled_rss),
                 range_max (settled_rss), median (settled_rss));
    }
  g_free (figures.output);
  return 0;
}
