/* teren-bench-util.c
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
#include <unistd.h>

#include "teren-bench-util.h"
#include "teren-json.h"
#include "teren-uuid.h"

/* What the sync benchmarks share: the engine driven to the end of one call, the server
 * run by hand on loopback, its accounts and its data seeded through /push. */

void
teren_bench_login_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  TerenBenchWait *wait = data;

  wait->ok = teren_sync_engine_login_finish (TEREN_SYNC_ENGINE (source), result, &wait->error);
  wait->done = TRUE;
}

void
teren_bench_sync_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  TerenBenchWait *wait = data;

  wait->summary = teren_sync_engine_sync_finish (TEREN_SYNC_ENGINE (source), result, &wait->error);
  wait->ok = wait->summary != NULL;
  wait->done = TRUE;
}

void
teren_bench_run_until (TerenBenchWait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
  if (!wait->ok)
    {
      g_printerr ("bench: %s\n", wait->error->message);
      exit (1);
    }
}

char *
teren_bench_server_bin (const char *server_bin,
                        const char *build_path)
{
  if (server_bin != NULL)
    return g_strdup (server_bin);
  return g_strdup (g_getenv ("TEREN_SERVER_BIN") != NULL ? g_getenv ("TEREN_SERVER_BIN") : build_path);
}

void
teren_bench_run_admin (const char *server_bin,
                       const char *data_dir,
                       const char *stdin_text,
                       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) server_bin);
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

GSubprocess *
teren_bench_server_start (const char  *server_bin,
                          const char  *root,
                          const char  *data_dir,
                          char       **out_url)
{
  g_autofree char *out_path = g_build_filename (root, "server.out", NULL);
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  GSubprocess *server;
  int i;

  if (g_getenv ("TEREN_BENCH_SERVER_LOG") != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, g_getenv ("TEREN_BENCH_SERVER_LOG"));
  else
    g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  server = g_subprocess_launcher_spawn (launcher, &error, server_bin, "serve", "--data-dir", data_dir,
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
      exit (1);
    }
  *out_url = g_strndup (line + strlen ("listening on "), strcspn (line + strlen ("listening on "), "\r\n"));
  return server;
}

void
teren_bench_finish (GSubprocess *server,
                    const char  *root)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", root);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  if (system (command) != 0)
    g_printerr ("bench: %s was not removed\n", root);
}

char *
teren_bench_login_token (SoupSession *session,
                         const char  *url,
                         const char  *user)
{
  g_autofree char *login_url = g_strconcat (url, "/api/v1/login", NULL);
  g_autofree char *device = teren_uuid_new ();
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\",\"device_id\":\"%s\","
                                           "\"device_name\":\"bench\"}", user, TEREN_BENCH_PASSWORD,
                                           device);
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

void
teren_bench_seed (SoupSession *session,
                  const char  *url,
                  const char  *token,
                  int          n_records)
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

double
teren_bench_load_average (void)
{
  double load[1] = { 0 };

  if (getloadavg (load, 1) < 0)
    return -1;
  return load[0];
}

double
teren_bench_process_cpu (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree char *stat = NULL;
  unsigned long long utime, stime;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return -1;
  /* The command name may hold spaces and brackets: the fields follow its last ')'. */
  after = strrchr (stat, ')');
  if (after == NULL ||
      sscanf (after + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
    return -1;
  return (double) (utime + stime) / sysconf (_SC_CLK_TCK);
}
