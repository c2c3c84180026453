/* bench-sync.c
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
#include <sys/resource.h>

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-sync-engine.h"
#include "teren-uuid.h"

/* Sync figures of DESIGN.md on loopback with the real teren-server: the initial pull of
 * 100,000 records (wall time, client peak RSS), a push of 10,000 operations, and a sync
 * with nothing to do. Each client phase runs in a child process of its own, so that its
 * peak RSS is the client's alone. Needs a Secret Service (the token goes to the keyring):
 *
 *   dbus-run-session -- sh -c 'eval "$(printf x | gnome-keyring-daemon --unlock \
 *     --components=secrets)"; _build/bench/sync/teren-bench-sync [--records N] [--ops N]'
 *
 * Prints plain-text figures. Not run by the tests. */

#define PASSWORD "parola-bench-1"

static char *server_bin = NULL;
static int   n_records = 100000;
static int   n_ops = 10000;
static int   n_noop = 20;

/* ---- child: one engine, one phase -------------------------------------------------- */

typedef struct {
  gboolean          done;
  gboolean          ok;
  GError           *error;
  TerenSyncSummary *summary;
} Wait;

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

static double
round_ms (TerenSyncEngine   *engine,
          TerenSyncSummary **out_summary)
{
  Wait wait = { FALSE };
  gint64 start = g_get_monotonic_time ();
  double ms;

  teren_sync_engine_sync_async (engine, NULL, sync_cb, &wait);
  run_until (&wait);
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
  Wait wait = { FALSE };
  TerenSyncSummary *summary = NULL;
  double ms;

  teren_sync_engine_login_async (engine, url, user, PASSWORD, dir, NULL, login_cb, &wait);
  run_until (&wait);

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

static char *
child_line (const char *self,
            const char *mode,
            const char *url,
            const char *user,
            const char *dir)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *records = g_strdup_printf ("%d", n_records);
  g_autofree char *ops = g_strdup_printf ("%d", n_ops);
  char *out = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self, "--child", mode, url, user, dir,
                           "--ops", ops, "--records", records, NULL);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error) ||
      !g_subprocess_get_successful (proc))
    {
      g_printerr ("bench: the %s client failed\n", mode);
      exit (1);
    }
  return out;
}

/* 100,000 creates straight to /push in batches of 500, from another device of the account
 * that then pulls them (registry records created by an account are in its scope). */
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
  g_autofree char *out_path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *self = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  int i;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (child)
    return argc == 5 ? child_main (argv[1], argv[2], argv[3], argv[4]) : 2;

  if (server_bin == NULL)
    server_bin = g_strdup (g_getenv ("TEREN_SERVER_BIN") != NULL ? g_getenv ("TEREN_SERVER_BIN")
                                                                 : TEREN_SERVER_BUILD_PATH);
  self = g_file_read_link ("/proc/self/exe", NULL);
  root = g_dir_make_tmp ("teren-bench-sync-XXXXXX", &error);
  srv = g_build_filename (root, "server", NULL);
  {
    double load[1] = { 0 };

    if (getloadavg (load, 1) < 0)
      load[0] = -1;
    printf ("teren sync benchmark: %u cores (load average %.1f), SQLite %s, %d records, %d "
            "operations\n", g_get_num_processors (), load[0], sqlite3_libversion (), n_records,
            n_ops);
  }

  run_admin (srv, PASSWORD "\n", "user", "add", "bench", "--role", "worker", "--lines", "child", NULL);
  run_admin (srv, PASSWORD "\n", "user", "add", "pusher", "--role", "worker", "--lines", "child", NULL);
  out_path = g_build_filename (root, "server.out", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  if (g_getenv ("TEREN_BENCH_SERVER_LOG") != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, g_getenv ("TEREN_BENCH_SERVER_LOG"));
  else
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
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      g_printerr ("bench: the server did not start\n");
      return 1;
    }
  url = g_strndup (line + strlen ("listening on "), strcspn (line + strlen ("listening on "), "\r\n"));

  session = soup_session_new_with_options ("timeout", 600, NULL);
  token = login_token (session, url, "bench");
  seed (session, url, token);

  {
    g_autofree char *dir = g_build_filename (root, "pull", NULL);
    g_autofree char *figure = child_line (self, "pull", url, "bench", dir);

    printf ("%s", figure);
  }
  {
    g_autofree char *dir = g_build_filename (root, "push", NULL);
    g_autofree char *figure = child_line (self, "push", url, "pusher", dir);

    printf ("%s", figure);
  }
  {
    g_autofree char *dir = g_build_filename (root, "pull", NULL);
    g_autofree char *figure = child_line (self, "noop", url, "bench", dir);

    printf ("%s", figure);
  }

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", root);

    if (system (command) != 0)
      g_printerr ("bench: %s was not removed\n", root);
  }
  return 0;
}
