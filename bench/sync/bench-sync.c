/* bench-sync.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <sqlite3.h>

#include "teren-bench-util.h"
#include "teren-store-sync.h"
#include "teren-sync-engine.h"

/* Sync figures of DESIGN.md on loopback with the real teren-server: the initial pull of
 * 100,000 records (wall time, client peak RSS), a push of 10,000 operations, and a sync
 * with nothing to do. Each client phase runs in a child process of its own, so that its
 * peak RSS is the client's alone. Needs a Secret Service (the token goes to the keyring):
 *
 *   dbus-run-session -- sh -c 'eval "$(printf x | gnome-keyring-daemon --unlock \
 *     --components=secrets)"; _build/bench/sync/teren-bench-sync [--records N] [--ops N]'
 *
 * Prints plain-text figures. Not run by the tests. */

static char *server_bin = NULL;
static int   n_records = 100000;
static int   n_ops = 10000;
static int   n_noop = 20;

/* ---- child: one engine, one phase -------------------------------------------------- */

static double
round_ms (TerenSyncEngine   *engine,
          TerenSyncSummary **out_summary)
{
  TerenBenchWait wait = { FALSE };
  gint64 start = g_get_monotonic_time ();
  double ms;

  teren_sync_engine_sync_async (engine, NULL, teren_bench_sync_cb, &wait);
  teren_bench_run_until (&wait);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  if (out_summary != NULL)
    *out_summary = wait.summary;
  else
    teren_sync_summary_free (wait.summary);
  return ms;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static long
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static int
child_main (const char *mode,
            const char *url,
            const char *user,
            const char *dir)
{
  g_autoptr(TerenSyncEngine) engine = g_object_new (TEREN_TYPE_SYNC_ENGINE, "request-timeout", 600, NULL);
  TerenBenchWait wait = { FALSE };
  TerenSyncSummary *summary = NULL;
  double ms;

  teren_sync_engine_login_async (engine, url, user, TEREN_BENCH_PASSWORD, dir, NULL, teren_bench_login_cb,
                                 &wait);
  teren_bench_run_until (&wait);

  if (g_strcmp0 (mode, "pull") == 0)
    {
      double cpu = cpu_seconds ();

      ms = round_ms (engine, &summary);
      printf ("pull %u records in %u pages: %.0f ms wall (%.0f records/s), client CPU %.2f s, "
              "client peak RSS %.1f MB\n",
              summary->pulled, summary->pages, ms, summary->pulled / (ms / 1000.0),
              cpu_seconds () - cpu, peak_rss_kb () / 1024.0);
    }
  else if (g_strcmp0 (mode, "push") == 0)
    {
      TerenStore *store = teren_sync_engine_get_store (engine);
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double save_ms;
      int i;

      /* The saves are not timed as sync: one transaction, then the round. */
      teren_store_begin (store, &error);
      for (i = 0; i < n_ops; i++)
        {
          g_autoptr(JsonObject) fields = json_object_new ();
          g_autoptr(TerenRecord) record = NULL;
          g_autofree char *first = g_strdup_printf ("Nume%d", i);

          json_object_set_string_member (fields, "last_name", "Bench");
          json_object_set_string_member (fields, "first_name", first);
          json_object_set_string_member (fields, "sex", i % 2 ? "F" : "M");
          json_object_set_string_member (fields, "birth_date", "1970-01-01");
          json_object_set_string_member (fields, "cnp_status", "missing");
          record = teren_store_save (store, "person", "", NULL, fields, NULL, NULL, &error);
          if (record == NULL)
            {
              g_printerr ("bench: %s\n", error->message);
              return 1;
            }
        }
      teren_store_commit (store, &error);
      save_ms = (g_get_monotonic_time () - start) / 1000.0;
      {
        double cpu = cpu_seconds ();

        ms = round_ms (engine, &summary);
        printf ("push %u operations (%u applied): round %.0f ms wall (%.0f ops/s, the pull of "
                "the answers included), client CPU %.2f s; saving them took %.0f ms; client "
                "peak RSS %.1f MB\n",
                summary->pushed, summary->applied, ms, summary->pushed / (ms / 1000.0),
                cpu_seconds () - cpu, save_ms, peak_rss_kb () / 1024.0);
      }
    }
  else
    {
      g_autofree double *times = g_new0 (double, n_noop);
      int i;

      round_ms (engine, NULL);   /* catch up first */
      for (i = 0; i < n_noop; i++)
        times[i] = round_ms (engine, NULL);
      qsort (times, n_noop, sizeof (double), compare_double);
      printf ("no-op sync (%d rounds): median %.1f ms, min %.1f ms, max %.1f ms\n",
              n_noop, times[n_noop / 2], times[0], times[n_noop - 1]);
    }
  teren_sync_summary_free (summary);
  return 0;
}

/* ---- parent: the server and the data ---------------------------------------------------- */

static char *
child_line (GSubprocess *server,
            const char  *self,
            const char  *mode,
            const char  *url,
            const char  *user,
            const char  *dir)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *records = g_strdup_printf ("%d", n_records);
  g_autofree char *ops = g_strdup_printf ("%d", n_ops);
  g_autofree char *out = NULL;
  double server_cpu = teren_bench_process_cpu (server);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self, "--child", mode, url, user, dir,
                           "--ops", ops, "--records", records, NULL);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (proc))
    {
      g_printerr ("bench: the %s client failed\n", mode);
      exit (1);
    }
  /* The child's figures are one line; the server's share of the same stretch follows it. */
  g_strchomp (out);
  return g_strdup_printf ("%s; server CPU %.2f s\n", out, teren_bench_process_cpu (server) - server_cpu);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean child = FALSE;
  GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &n_records, "records to pull (100000)", "N" },
    { "ops", 0, 0, G_OPTION_ARG_INT, &n_ops, "operations to push (10000)", "N" },
    { "server-bin", 0, 0, G_OPTION_ARG_FILENAME, &server_bin, "teren-server", "PATH" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &child, NULL, NULL },
    { NULL }
  };
  g_autofree char *root = NULL;
  g_autofree char *srv = NULL;
  g_autofree char *bin = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *self = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (child)
    return argc == 5 ? child_main (argv[1], argv[2], argv[3], argv[4]) : 2;

  bin = teren_bench_server_bin (server_bin, TEREN_SERVER_BUILD_PATH);
  self = g_file_read_link ("/proc/self/exe", NULL);
  root = g_dir_make_tmp ("teren-bench-sync-XXXXXX", &error);
  srv = g_build_filename (root, "server", NULL);
  printf ("teren sync benchmark: %u cores (load average %.1f), SQLite %s, %d records, %d "
          "operations\n", g_get_num_processors (), teren_bench_load_average (), sqlite3_libversion (),
          n_records, n_ops);

  teren_bench_run_admin (bin, srv, TEREN_BENCH_PASSWORD "\n", "user", "add", "bench", "--role", "worker",
                         "--lines", "child", NULL);
  teren_bench_run_admin (bin, srv, TEREN_BENCH_PASSWORD "\n", "user", "add", "pusher", "--role", "worker",
                         "--lines", "child", NULL);
  server = teren_bench_server_start (bin, root, srv, &url);

  session = soup_session_new_with_options ("timeout", 600, NULL);
  token = teren_bench_login_token (session, url, "bench");
  teren_bench_seed (session, url, token, n_records);

  {
    g_autofree char *dir = g_build_filename (root, "pull", NULL);
    g_autofree char *figure = child_line (server, self, "pull", url, "bench", dir);

    printf ("%s", figure);
  }
  {
    g_autofree char *dir = g_build_filename (root, "push", NULL);
    g_autofree char *figure = child_line (server, self, "push", url, "pusher", dir);

    printf ("%s", figure);
  }
  {
    g_autofree char *dir = g_build_filename (root, "pull", NULL);
    g_autofree char *figure = child_line (server, self, "noop", url, "bench", dir);

    printf ("%s", figure);
  }

  teren_bench_finish (server, root);
  return 0;
}
