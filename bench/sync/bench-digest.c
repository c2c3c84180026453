/* bench-digest.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "teren-json.h"
#include "teren-store-digest.h"
#include "teren-store-sync.h"
#include "teren-sync-digest.h"
#include "teren-sync-engine.h"
#include "teren-uuid.h"

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

#define PASSWORD "parola-bench-1"

static char  *server_bin = NULL;
static int    n_records = 100000;
static double drift_percent = 1.0;

typedef struct {
  gboolean               done;
  gboolean               ok;
  GError                *error;
  TerenSyncSummary      *summary;
  TerenSyncDigestResult  result;
} Wait;

static void
run_until (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
  if (!wait->ok)
    {
      g_printerr ("bench: %s\n", wait->error->message);
      exit (1);
    }
}

static void
login_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  wait->ok = teren_sync_engine_login_finish (TEREN_SYNC_ENGINE (source), result, &wait->error);
  wait->done = TRUE;
}

static void
sync_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  wait->summary = teren_sync_engine_sync_finish (TEREN_SYNC_ENGINE (source), result, &wait->error);
  wait->ok = wait->summary != NULL;
  wait->done = TRUE;
}

static void
check_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  wait->ok = teren_sync_digest_run_finish (TEREN_SYNC_ENGINE (source), result, &wait->result, &wait->error);
  wait->done = TRUE;
}

static double
check_ms (TerenSyncEngine       *engine,
          TerenSyncDigestResult *out_result)
{
  Wait wait = { FALSE };
  gint64 start = g_get_monotonic_time ();

  teren_sync_digest_run_async (engine, teren_sync_engine_get_store (engine), TRUE, NULL, check_cb, &wait);
  run_until (&wait);
  *out_result = wait.result;
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
run_admin (const char *data_dir,
           const char *stdin_text,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, server_bin);
  va_start (args, stdin_text);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, stdin_text, NULL, NULL, NULL, &error) ||
      !g_subprocess_get_successful (proc))
    {
      g_printerr ("bench: teren-server %s failed\n", (char *) argv->pdata[1]);
      exit (1);
    }
}

/* Creates straight to /push in batches of 500, from another device of the account. */
static void
seed (SoupSession *session,
      const char  *url,
      const char  *token)
{
  g_autofree char *push_url = g_strconcat (url, "/api/v1/push", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *now = teren_now_iso8601 ();
  gint64 start = g_get_monotonic_time ();
  int i = 0;

  while (i < n_records)
    {
      GString *body = g_string_new ("{\"ops\":[");
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", push_url);
      g_autoptr(GBytes) sent = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;
      int j;

      for (j = 0; j < 500 && i < n_records; j++, i++)
        {
          g_autofree char *change = teren_uuid_new ();
          g_autofree char *id = teren_uuid_new ();

          g_string_append_printf (body, "%s{\"change_id\":\"%s\",\"prev_change\":null,\"record_id\":\"%s\","
                                  "\"kind\":\"person\",\"line\":\"\",\"op\":\"create\",\"base_rev\":0,"
                                  "\"patch\":{\"last_name\":\"Popescu%d\",\"first_name\":\"Ana Maria\","
                                  "\"sex\":\"F\",\"birth_date\":\"1984-02-%02d\",\"cnp_status\":\"missing\","
                                  "\"phone\":\"0722 000 %03d\"},\"author\":\"bench\",\"device_time\":\"%s\"}",
                                  j > 0 ? "," : "", change, id, i % 977, 1 + i % 28, i % 1000, now);
        }
      g_string_append (body, "]}");
      sent = g_string_free_to_bytes (body);
      soup_message_set_request_body_from_bytes (msg, "application/json", sent);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Teren-Protocol", "1");
      answer = soup_session_send_and_read (session, msg, NULL, &error);
      if (answer == NULL || soup_message_get_status (msg) != 200)
        {
          g_printerr ("bench: seeding failed (%u %s)\n", soup_message_get_status (msg),
                      error != NULL ? error->message : "");
          exit (1);
        }
    }
  printf ("seeded %d persons through /push in %.1f s\n", n_records,
          (g_get_monotonic_time () - start) / 1e6);
}

static char *
login_token (SoupSession *session,
             const char  *url,
             const char  *user)
{
  g_autofree char *login_url = g_strconcat (url, "/api/v1/login", NULL);
  g_autofree char *device = teren_uuid_new ();
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\",\"device_id\":\"%s\","
                                           "\"device_name\":\"bench\"}", user, PASSWORD, device);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", login_url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonObject) object = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  if (answer == NULL || soup_message_get_status (msg) != 200)
    {
      g_printerr ("bench: login failed\n");
      exit (1);
    }
  object = teren_json_parse_object (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), 64, NULL);
  return g_strdup (teren_json_get_string (object, "token", ""));
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
  g_autofree char *out_path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(TerenSyncEngine) engine = NULL;
  TerenSyncDigestResult result;
  TerenDigest total;
  Wait wait = { FALSE };
  gint64 start;
  double ms, verify_ms, clean_ms, repair_ms, after_ms;
  int n_drift;
  int i;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (server_bin == NULL)
    server_bin = g_strdup (g_getenv ("TEREN_SERVER_BIN") != NULL ? g_getenv ("TEREN_SERVER_BIN")
                                                                 : TEREN_SERVER_BUILD_PATH);
  n_drift = (int) (n_records * drift_percent / 100.0 + 0.5);
  root = g_dir_make_tmp ("teren-bench-digest-XXXXXX", &error);
  srv = g_build_filename (root, "server", NULL);
  dir = g_build_filename (root, "client", NULL);
  {
    double load[1] = { 0 };

    if (getloadavg (load, 1) < 0)
      load[0] = -1;
    printf ("teren digest benchmark: %u cores (load average %.1f), SQLite %s, %d records, "
            "%.2f %% drift (%d records)\n", g_get_num_processors (), load[0], sqlite3_libversion (),
            n_records, drift_percent, n_drift);
  }

  run_admin (srv, PASSWORD "\n", "user", "add", "bench", "--role", "worker", "--lines", "child", NULL);
  out_path = g_build_filename (root, "server.out", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  server = g_subprocess_launcher_spawn (launcher, &error, server_bin, "serve", "--data-dir", srv,
                                        "--listen", "127.0.0.1:0", NULL);
  for (i = 0; i < 500 && (line == NULL || strchr (line, '\n') == NULL); i++)
    {
      g_clear_pointer (&line, g_free);
      g_file_get_contents (out_path, &line, NULL, NULL);
      g_usleep (10000);
    }
  if (server == NULL || line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      g_printerr ("bench: the server did not start\n");
      return 1;
    }
  url = g_strndup (line + strlen ("listening on "), strcspn (line + strlen ("listening on "), "\r\n"));

  session = soup_session_new_with_options ("timeout", 600, NULL);
  token = login_token (session, url, "bench");
  seed (session, url, token);

  engine = g_object_new (TEREN_TYPE_SYNC_ENGINE, "request-timeout", 600, NULL);
  teren_sync_engine_login_async (engine, url, "bench", PASSWORD, dir, NULL, login_cb, &wait);
  run_until (&wait);

  memset (&wait, 0, sizeof wait);
  start = g_get_monotonic_time ();
  teren_sync_engine_sync_async (engine, NULL, sync_cb, &wait);
  run_until (&wait);
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
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", root);

    if (system (command) != 0)
      g_printerr ("bench: %s was not removed\n", root);
  }
  return result.mismatch ? 1 : 0;
}
