/* bench-digest.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "teren-bench-util.h"
#include "teren-store-digest.h"
#include "teren-store-sync.h"
#include "teren-sync-digest.h"
#include "teren-sync-engine.h"

/* Integrity digest figures (issue 8) on loopback with the real teren-server: 100,000
 * records pulled by a client, then the digest check with nothing to repair, the local
 * recomputation from the base, and the check and repair after 1 % drift made with sqlite
 * (half the drifting base rows deleted, half with a corrupted rev). Needs a Secret Service
 * (the token goes to the keyring):
 *
 *   dbus-run-session -- sh -c 'eval "$(printf x | gnome-keyring-daemon --unlock \
 *     --components=secrets)"; _build/bench/sync/teren-bench-digest [--records N] [--drift P]'
 *
 * Prints plain-text figures. Not run by the tests. */

static char  *server_bin = NULL;
static int    n_records = 100000;
static double drift_percent = 1.0;

static void
check_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  TerenBenchWait *wait = data;

  wait->ok = teren_sync_digest_run_finish (TEREN_SYNC_ENGINE (source), result, &wait->result, &wait->error);
  wait->done = TRUE;
}

static double
check_ms (TerenSyncEngine       *engine,
          TerenSyncDigestResult *out_result)
{
  TerenBenchWait wait = { FALSE };
  gint64 start = g_get_monotonic_time ();

  teren_sync_digest_run_async (engine, teren_sync_engine_get_store (engine), TRUE, NULL, check_cb, &wait);
  teren_bench_run_until (&wait);
  *out_result = wait.result;
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Drift with sqlite, outside Teren: @n base rows chosen at random, half deleted, half with
 * their rev raised. */
static void
make_drift (const char *dir,
            int         n)
{
  g_autofree char *path = g_build_filename (dir, "teren.db", NULL);
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    {
      g_printerr ("bench: cannot open %s\n", path);
      exit (1);
    }
  sqlite3_busy_timeout (db, 10000);
  sql = g_strdup_printf ("CREATE TEMP TABLE victim AS SELECT id FROM base WHERE deleted = 0 "
                         "ORDER BY random () LIMIT %d;"
                         "DELETE FROM base WHERE id IN (SELECT id FROM victim WHERE rowid %% 2 = 0);"
                         "UPDATE base SET rev = rev + 3 WHERE id IN (SELECT id FROM victim WHERE rowid %% 2 = 1);",
                         n);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_printerr ("bench: drift failed: %s\n", message);
      exit (1);
    }
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &n_records, "records (100000)", "N" },
    { "drift", 0, 0, G_OPTION_ARG_DOUBLE, &drift_percent, "percent of the records to damage (1)", "P" },
    { "server-bin", 0, 0, G_OPTION_ARG_FILENAME, &server_bin, "teren-server", "PATH" },
    { NULL }
  };
  g_autofree char *root = NULL;
  g_autofree char *srv = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *bin = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(TerenSyncEngine) engine = NULL;
  TerenSyncDigestResult result;
  TerenDigest total;
  TerenBenchWait wait = { FALSE };
  gint64 start;
  double ms, verify_ms, clean_ms, repair_ms, after_ms;
  int n_drift;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  bin = teren_bench_server_bin (server_bin, TEREN_SERVER_BUILD_PATH);
  n_drift = (int) (n_records * drift_percent / 100.0 + 0.5);
  root = g_dir_make_tmp ("teren-bench-digest-XXXXXX", &error);
  srv = g_build_filename (root, "server", NULL);
  dir = g_build_filename (root, "client", NULL);
  printf ("teren digest benchmark: %u cores (load average %.1f), SQLite %s, %d records, "
          "%.2f %% drift (%d records)\n", g_get_num_processors (), teren_bench_load_average (),
          sqlite3_libversion (), n_records, drift_percent, n_drift);

  teren_bench_run_admin (bin, srv, TEREN_BENCH_PASSWORD "\n", "user", "add", "bench", "--role", "worker",
                         "--lines", "child", NULL);
  server = teren_bench_server_start (bin, root, srv, &url);

  session = soup_session_new_with_options ("timeout", 600, NULL);
  token = teren_bench_login_token (session, url, "bench");
  teren_bench_seed (session, url, token, n_records);

  engine = g_object_new (TEREN_TYPE_SYNC_ENGINE, "request-timeout", 600, NULL);
  teren_sync_engine_login_async (engine, url, "bench", TEREN_BENCH_PASSWORD, dir, NULL,
                                 teren_bench_login_cb, &wait);
  teren_bench_run_until (&wait);

  memset (&wait, 0, sizeof wait);
  start = g_get_monotonic_time ();
  teren_sync_engine_sync_async (engine, NULL, teren_bench_sync_cb, &wait);
  teren_bench_run_until (&wait);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  printf ("first sync: %u records pulled in %.0f ms, the integrity check included (%s)\n",
          wait.summary->pulled, ms, wait.summary->digest_checked ? "ran" : "did not run");
  teren_sync_summary_free (wait.summary);

  /* The local part alone: recomputing the digest from the base. */
  start = g_get_monotonic_time ();
  if (!teren_store_digest_verify (teren_sync_engine_get_store (engine), NULL, &error) ||
      !teren_store_digest_get (teren_sync_engine_get_store (engine), &total, NULL, &error))
    {
      g_printerr ("bench: %s\n", error->message);
      return 1;
    }
  verify_ms = (g_get_monotonic_time () - start) / 1000.0;
  printf ("local recomputation of the digest from the base (%" G_GUINT64_FORMAT " records): %.0f ms\n",
          total.count, verify_ms);

  clean_ms = check_ms (engine, &result);
  printf ("digest check, nothing to repair: %.0f ms (mismatch: %s)\n", clean_ms,
          result.mismatch ? "yes" : "no");

  make_drift (dir, n_drift);
  repair_ms = check_ms (engine, &result);
  printf ("digest check and repair of %d damaged records: %.0f ms; %u of 16 buckets differed, "
          "%u ids fetched, %u records repaired, %u kept\n", n_drift, repair_ms,
          result.buckets_differing, result.ids_fetched, result.records_repaired, result.records_kept);

  after_ms = check_ms (engine, &result);
  printf ("digest check after the repair: %.0f ms (mismatch: %s)\n", after_ms,
          result.mismatch ? "yes" : "no");

  g_clear_object (&engine);
  teren_bench_finish (server, root);
  return result.mismatch ? 1 : 0;
}
