/* teren-server-test-util.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "teren-cnp.h"
#include "teren-uuid.h"

#include "teren-server-test-util.h"

#define START_TIMEOUT_MS 30000

/* ---- the server process ---- */

TerenTestServer *
teren_test_server_new (void)
{
  TerenTestServer *server = g_new0 (TerenTestServer, 1);
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("TEREN_SERVER_BIN");

  if (bin == NULL || *bin == '\0')
    bin = "teren-server";
  server->bin = g_strdup (bin);
  server->root = g_dir_make_tmp ("teren-server-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->data_dir = g_build_filename (server->root, "data", NULL);
  g_assert_cmpint (g_mkdir_with_parents (server->data_dir, 0700), ==, 0);
  server->scheme = g_strdup ("http");
  server->host = g_strdup ("127.0.0.1");
  return server;
}

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

void
teren_test_server_free (TerenTestServer *server)
{
  if (server == NULL)
    return;
  if (server->proc != NULL)
    teren_test_server_kill (server);
  if (g_getenv ("TEREN_TEST_KEEP") == NULL)
    remove_tree (server->root);
  else
    g_test_message ("kept %s", server->root);
  g_free (server->bin);
  g_free (server->root);
  g_free (server->data_dir);
  g_free (server->scheme);
  g_free (server->host);
  g_free (server->base_url);
  g_free (server->out_path);
  g_free (server->err_path);
  g_strfreev (server->extra_args);
  g_strfreev (server->extra_env);
  g_free (server);
}

void
teren_test_server_set_args (TerenTestServer    *server,
                            const char * const *args)
{
  g_strfreev (server->extra_args);
  server->extra_args = g_strdupv ((char **) args);
}

void
teren_test_server_set_env (TerenTestServer    *server,
                           const char * const *env)
{
  g_strfreev (server->extra_env);
  server->extra_env = g_strdupv ((char **) env);
}

static GSubprocessLauncher *
make_launcher (TerenTestServer *server,
               GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  for (guint i = 0; server->extra_env != NULL && server->extra_env[i] != NULL; i++)
    {
      const char *eq = strchr (server->extra_env[i], '=');
      g_autofree char *name = NULL;

      g_assert_nonnull (eq);
      name = g_strndup (server->extra_env[i], eq - server->extra_env[i]);
      g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
    }
  /* English messages whatever the caller's locale. */
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  return launcher;
}

/* A server outlives no test: killed when the test process dies (even on an abort). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Parses "listening on http://127.0.0.1:1234" out of @text. */
static gboolean
parse_listen_line (TerenTestServer *server,
                   const char      *text)
{
  const char *p = strstr (text, "listening on ");
  const char *scheme_end;
  const char *host;
  const char *colon;
  const char *end;
  guint64 port;

  if (p == NULL)
    return FALSE;
  end = strchr (p, '\n');
  if (end == NULL)
    return FALSE;
  p += strlen ("listening on ");
  scheme_end = strstr (p, "://");
  if (scheme_end == NULL || scheme_end > end)
    return FALSE;
  host = scheme_end + 3;
  colon = NULL;
  for (const char *q = host; q < end; q++)
    if (*q == ':')
      colon = q;
  if (colon == NULL)
    return FALSE;
  port = g_ascii_strtoull (colon + 1, NULL, 10);
  if (port == 0 || port > 65535)
    return FALSE;
  g_free (server->scheme);
  server->scheme = g_strndup (p, scheme_end - p);
  g_free (server->host);
  server->host = g_strndup (host, colon - host);
  if (server->host[0] == '[')
    {
      g_free (server->host);
      server->host = g_strndup (host + 1, colon - host - 2);
    }
  server->port = (guint16) port;
  g_free (server->base_url);
  if (strchr (server->host, ':') != NULL)
    server->base_url = g_strdup_printf ("%s://[%s]:%u", server->scheme, server->host, server->port);
  else
    server->base_url = g_strdup_printf ("%s://%s:%u", server->scheme, server->host, server->port);
  return TRUE;
}

gboolean
teren_test_server_is_running (TerenTestServer *server)
{
  return server->proc != NULL && g_subprocess_get_identifier (server->proc) != NULL;
}

gboolean
teren_test_server_try_start (TerenTestServer *server,
                             const char      *listen,
                             int             *out_status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  g_assert_null (server->proc);
  if (out_status != NULL)
    *out_status = -1;
  server->n_starts++;
  g_free (server->out_path);
  g_free (server->err_path);
  server->out_path = g_strdup_printf ("%s/server-%u.out", server->root, server->n_starts);
  server->err_path = g_strdup_printf ("%s/server-%u.err", server->root, server->n_starts);

  launcher = make_launcher (server, G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, server->out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->err_path);

  g_ptr_array_add (argv, server->bin);
  g_ptr_array_add (argv, (char *) "serve");
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, server->data_dir);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) (listen != NULL ? listen : "127.0.0.1:0"));
  for (guint i = 0; server->extra_args != NULL && server->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, server->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  server->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + START_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *out = NULL;

      if (g_file_get_contents (server->out_path, &out, NULL, NULL) && parse_listen_line (server, out))
        return TRUE;
      if (g_subprocess_get_identifier (server->proc) == NULL)
        {
          g_subprocess_wait (server->proc, NULL, NULL);
          if (out_status != NULL)
            *out_status = g_subprocess_get_if_exited (server->proc)
                          ? g_subprocess_get_exit_status (server->proc) : 128 + g_subprocess_get_term_sig (server->proc);
          g_clear_object (&server->proc);
          return FALSE;
        }
      g_usleep (10 * 1000);
    }
  g_test_message ("the server did not print its address in time");
  teren_test_server_kill (server);
  return FALSE;
}

void
teren_test_server_start_listen (TerenTestServer *server,
                                const char      *listen)
{
  int status = -1;

  if (!teren_test_server_try_start (server, listen, &status))
    {
      g_autofree char *err = teren_test_server_get_stderr (server);
      g_test_message ("server stderr:\n%s", err != NULL ? err : "");
      g_error ("teren-server did not start (status %d)", status);
    }
}

void
teren_test_server_start (TerenTestServer *server)
{
  teren_test_server_start_listen (server, NULL);
}

void
teren_test_server_kill (TerenTestServer *server)
{
  if (server->proc == NULL)
    return;
  g_subprocess_force_exit (server->proc);
  g_subprocess_wait (server->proc, NULL, NULL);
  g_clear_object (&server->proc);
}

int
teren_test_server_term (TerenTestServer *server,
                        guint            timeout_s)
{
  if (server->proc == NULL)
    return -1;
  g_subprocess_send_signal (server->proc, SIGTERM);
  return teren_test_server_wait_exit (server, timeout_s);
}

int
teren_test_server_wait_exit (TerenTestServer *server,
                             guint            timeout_s)
{
  gint64 deadline;
  int status;

  if (server->proc == NULL)
    return -1;
  deadline = g_get_monotonic_time () + (gint64) timeout_s * G_TIME_SPAN_SECOND;
  while (g_subprocess_get_identifier (server->proc) != NULL && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  if (g_subprocess_get_identifier (server->proc) != NULL)
    {
      teren_test_server_kill (server);
      return -1;
    }
  g_subprocess_wait (server->proc, NULL, NULL);
  status = g_subprocess_get_if_exited (server->proc)
           ? g_subprocess_get_exit_status (server->proc) : 128 + g_subprocess_get_term_sig (server->proc);
  g_clear_object (&server->proc);
  return status;
}

GPid
teren_test_server_get_pid (TerenTestServer *server)
{
  const char *id;

  if (server->proc == NULL)
    return 0;
  id = g_subprocess_get_identifier (server->proc);
  return id != NULL ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

char *
teren_test_server_get_stderr (TerenTestServer *server)
{
  char *text = NULL;

  if (server->err_path == NULL || !g_file_get_contents (server->err_path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

char *
teren_test_server_get_stdout (TerenTestServer *server)
{
  char *text = NULL;

  if (server->out_path == NULL || !g_file_get_contents (server->out_path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

int
teren_test_server_cli (TerenTestServer    *server,
                       const char         *stdin_text,
                       char              **out_stdout,
                       char              **out_stderr,
                       const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stdin_path = NULL;
  int stdin_fd;

  /* Standard input comes from a file, not a pipe: a command that refuses
   * its arguments exits before reading, and writing into a pipe nobody
   * reads any more would kill the test with SIGPIPE. */
  stdin_fd = g_file_open_tmp ("teren-test-stdin-XXXXXX", &stdin_path, &error);
  g_assert_no_error (error);
  close (stdin_fd);
  g_file_set_contents (stdin_path, stdin_text != NULL ? stdin_text : "", -1, &error);
  g_assert_no_error (error);
  launcher = make_launcher (server, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  g_ptr_array_add (argv, server->bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, server->data_dir);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (proc, NULL, NULL);
  g_unlink (stdin_path);
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  else if (err != NULL && *err != '\0')
    g_test_message ("teren-server %s: %s", args[0], err);
  if (!g_subprocess_get_if_exited (proc))
    return 128 + g_subprocess_get_term_sig (proc);
  return g_subprocess_get_exit_status (proc);
}

int
teren_test_server_clif (TerenTestServer *server,
                        const char      *stdin_text,
                        char           **out_stdout,
                        char           **out_stderr,
                        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  va_start (ap, out_stderr);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return teren_test_server_cli (server, stdin_text, out_stdout, out_stderr,
                                (const char * const *) args->pdata);
}

void
teren_test_server_add_user (TerenTestServer *server,
                            const char      *name,
                            const char      *password,
                            const char      *lines,
                            const char      *role)
{
  g_autofree char *err = NULL;
  g_autofree char *input = g_strdup_printf ("%s\n", password);
  int status;

  if (lines != NULL && *lines != '\0')
    status = teren_test_server_clif (server, input, NULL, &err, "user", "add", name,
                                     "--lines", lines, "--role", role, NULL);
  else
    status = teren_test_server_clif (server, input, NULL, &err, "user", "add", name,
                                     "--role", role, NULL);
  if (status != 0)
    g_test_message ("user add %s: %s", name, err);
  g_assert_cmpint (status, ==, 0);
}

static void
find_databases_in (const char *path,
                   GPtrArray  *found)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        find_databases_in (child, found);
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        {
          FILE *f = fopen (child, "rb");
          char header[16] = { 0 };

          if (f == NULL)
            continue;
          if (fread (header, 1, sizeof header, f) == sizeof header
              && memcmp (header, "SQLite format 3", 16) == 0)
            g_ptr_array_add (found, g_steal_pointer (&child));
          fclose (f);
        }
    }
  g_dir_close (dir);
}

GPtrArray *
teren_test_server_find_databases (TerenTestServer *server)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  find_databases_in (server->data_dir, found);
  return found;
}

void
teren_test_server_assert_integrity (TerenTestServer *server)
{
  g_autoptr(GPtrArray) dbs = teren_test_server_find_databases (server);

  g_assert_cmpuint (dbs->len, >, 0);
  for (guint i = 0; i < dbs->len; i++)
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;
      g_autoptr(GString) result = g_string_new (NULL);
      int rc;

      rc = sqlite3_open_v2 (dbs->pdata[i], &db, SQLITE_OPEN_READWRITE, NULL);
      g_assert_cmpint (rc, ==, SQLITE_OK);
      sqlite3_busy_timeout (db, 10000);
      rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL);
      g_assert_cmpint (rc, ==, SQLITE_OK);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          if (result->len > 0)
            g_string_append_c (result, '\n');
          g_string_append (result, (const char *) sqlite3_column_text (stmt, 0));
        }
      g_assert_cmpint (rc, ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      g_test_message ("integrity_check %s: %s", (const char *) dbs->pdata[i], result->str);
      g_assert_cmpstr (result->str, ==, "ok");
    }
}

/* ---- HTTP ---- */

void
teren_test_response_free (TerenTestResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->body);
  if (response->json != NULL)
    json_node_unref (response->json);
  g_free (response->retry_after);
  g_free (response->content_type);
  g_free (response->content_encoding);
  g_clear_error (&response->error);
  g_free (response);
}

static void
response_parse_json (TerenTestResponse *response)
{
  g_autoptr(JsonParser) parser = NULL;

  if (response->body == NULL || response->length == 0)
    return;
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, response->body, response->length, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);
      if (root != NULL)
        response->json = json_node_copy (root);
    }
}

JsonObject *
teren_test_response_object (TerenTestResponse *response)
{
  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;
  return json_node_get_object (response->json);
}

const char *
teren_test_response_error (TerenTestResponse *response)
{
  JsonObject *object = teren_test_response_object (response);

  if (object == NULL || !json_object_has_member (object, "error"))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "error")))
    return NULL;
  return json_object_get_string_member (object, "error");
}

static const char * const stable_codes[] = {
  "bad_json", "too_large", "bad_request", "bad_cursor", "unauthorized", "forbidden",
  "device_revoked", "rate_limited", "unsupported_version", "internal", "timeout", NULL,
};

void
teren_test_assert_error (TerenTestResponse *response,
                         guint              status,
                         const char        *code)
{
  JsonObject *object;
  const char *error;
  const char *message;

  if (response->error != NULL)
    g_test_message ("transport error: %s", response->error->message);
  g_assert_no_error (response->error);
  if (status != 0 && response->status != status)
    g_test_message ("expected %u, got %u: %.300s", status, response->status,
                    response->body != NULL ? response->body : "");
  if (status != 0)
    g_assert_cmpuint (response->status, ==, status);
  else
    {
      g_assert_cmpuint (response->status, >=, 400);
      g_assert_cmpuint (response->status, <, 500);
    }
  object = teren_test_response_object (response);
  if (object == NULL)
    g_test_message ("not a JSON error body: %.300s", response->body != NULL ? response->body : "");
  g_assert_nonnull (object);
  error = teren_test_response_error (response);
  g_assert_nonnull (error);
  if (code != NULL)
    {
      if (g_strcmp0 (error, code) != 0)
        g_test_message ("expected error %s, got %s", code, error);
      g_assert_cmpstr (error, ==, code);
    }
  else
    g_assert_true (g_strv_contains (stable_codes, error));
  g_assert_true (json_object_has_member (object, "message"));
  message = json_object_get_string_member (object, "message");
  g_assert_nonnull (message);
  g_assert_cmpuint (strlen (message), >, 0);
}

static gboolean
accept_any_certificate_never (SoupMessage         *msg,
                              GTlsCertificate     *certificate,
                              GTlsCertificateFlags errors,
                              gpointer             user_data)
{
  return FALSE;
}

static gboolean
accept_trusted_certificate (SoupMessage         *msg,
                            GTlsCertificate     *certificate,
                            GTlsCertificateFlags errors,
                            gpointer             user_data)
{
  /* Only the very certificate the test generated, whatever the flags say. */
  return g_tls_certificate_is_same (certificate, G_TLS_CERTIFICATE (user_data));
}

void
teren_test_session_trust_certificate (SoupSession     *session,
                                      GTlsCertificate *certificate)
{
  g_object_set_data_full (G_OBJECT (session), "teren-test-trusted", g_object_ref (certificate),
                          g_object_unref);
}

SoupSession *
teren_test_session_new (void)
{
  SoupSession *session = soup_session_new ();

  soup_session_set_timeout (session, 60);
  soup_session_set_idle_timeout (session, 60);
  soup_session_set_user_agent (session, "teren-server-test/1");
  /* Loopback only: never through a proxy from the environment. */
  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

TerenTestResponse *
teren_test_request_full (SoupSession        *session,
                         TerenTestServer    *server,
                         const char         *method,
                         const char         *path,
                         const char         *token,
                         const char         *body,
                         gssize              length,
                         const char * const *headers)
{
  TerenTestResponse *response = g_new0 (TerenTestResponse, 1);
  g_autofree char *url = g_strconcat (server->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *request_headers;
  const char *value;

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_set_error (&response->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad URL %s", url);
      return response;
    }
  request_headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (request_headers, "Teren-Protocol", "1");
  soup_message_headers_replace (request_headers, "Teren-Schema", "1");
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (request_headers, "Authorization", auth);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }
  if (g_strcmp0 (method, "POST") == 0 && g_strcmp0 (path, "/api/v1/push") == 0)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  if (g_object_get_data (G_OBJECT (session), "teren-test-trusted") != NULL)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_trusted_certificate),
                      g_object_get_data (G_OBJECT (session), "teren-test-trusted"));
  else
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_never), NULL);

  bytes = soup_session_send_and_read (session, msg, NULL, &response->error);
  if (bytes == NULL)
    return response;
  response->status = soup_message_get_status (msg);
  response->length = g_bytes_get_size (bytes);
  response->body = g_malloc (response->length + 1);
  memcpy (response->body, g_bytes_get_data (bytes, NULL), response->length);
  response->body[response->length] = '\0';
  value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  response->retry_after = g_strdup (value);
  value = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  response->content_type = g_strdup (value);
  response_parse_json (response);
  return response;
}

TerenTestResponse *
teren_test_request (SoupSession     *session,
                    TerenTestServer *server,
                    const char      *method,
                    const char      *path,
                    const char      *token,
                    const char      *body,
                    gssize           length)
{
  return teren_test_request_full (session, server, method, path, token, body, length, NULL);
}

/* ---- raw HTTP ---- */

GSocketConnection *
teren_test_raw_connect (TerenTestServer *server)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, server->host, server->port, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

gboolean
teren_test_raw_write (GSocketConnection *connection,
                      const char        *data,
                      gsize              length)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GSocket *socket = g_socket_connection_get_socket (connection);
  gsize written = 0;
  g_autoptr(GError) error = NULL;

  g_socket_set_timeout (socket, 10);
  return g_output_stream_write_all (out, data, length, &written, NULL, &error);
}

static char *
dechunk (const char *body,
         gsize       length,
         gsize      *out_length)
{
  GString *out = g_string_new (NULL);
  const char *p = body;
  const char *end = body + length;

  while (p < end)
    {
      char *line_end;
      guint64 size = g_ascii_strtoull (p, &line_end, 16);
      const char *crlf = g_strstr_len (p, end - p, "\r\n");

      if (crlf == NULL || size == 0)
        break;
      p = crlf + 2;
      if ((guint64) (end - p) < size)
        size = end - p;
      g_string_append_len (out, p, size);
      p += size + 2;
    }
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

TerenTestResponse *
teren_test_raw_read_response (GSocketConnection *connection,
                              guint              timeout_ms)
{
  TerenTestResponse *response = g_new0 (TerenTestResponse, 1);
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  const char *head_end = NULL;
  gssize content_length = -1;
  gboolean chunked = FALSE;

  for (;;)
    {
      char buffer[16384];
      gssize n;
      gint64 left = deadline - g_get_monotonic_time ();
      g_autoptr(GError) error = NULL;

      if (left <= 0)
        {
          g_set_error_literal (&response->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out");
          break;
        }
      if (!g_socket_condition_timed_wait (socket, G_IO_IN, left, NULL, &error))
        {
          g_set_error_literal (&response->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out");
          break;
        }
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      if (n < 0)
        {
          response->error = g_steal_pointer (&error);
          break;
        }
      if (n == 0)
        break;
      g_byte_array_append (data, (guint8 *) buffer, n);
      if (head_end == NULL)
        {
          head_end = g_strstr_len ((const char *) data->data, data->len, "\r\n\r\n");
          if (head_end != NULL)
            {
              g_autofree char *head = g_ascii_strdown ((const char *) data->data,
                                                       head_end - (const char *) data->data);
              const char *cl = strstr (head, "\ncontent-length:");

              if (cl != NULL)
                content_length = g_ascii_strtoll (cl + strlen ("\ncontent-length:"), NULL, 10);
              chunked = strstr (head, "\ntransfer-encoding: chunked") != NULL;
              head_end = (const char *) data->data + (head_end - (const char *) data->data);
            }
        }
      if (head_end != NULL)
        {
          /* data->data may have moved: recompute. */
          const char *h = g_strstr_len ((const char *) data->data, data->len, "\r\n\r\n");
          gsize body_len = data->len - ((h + 4) - (const char *) data->data);

          head_end = h;
          if (content_length >= 0 && body_len >= (gsize) content_length)
            break;
          if (chunked && g_strstr_len (h + 4, body_len, "\r\n0\r\n\r\n") != NULL)
            break;
          if (chunked && body_len >= 5 && memcmp (h + 4, "0\r\n\r\n", 5) == 0)
            break;
        }
    }

  if (data->len > 0)
    g_clear_error (&response->error);
  if (data->len >= 12 && memcmp (data->data, "HTTP/1.", 7) == 0)
    {
      const char *h = g_strstr_len ((const char *) data->data, data->len, "\r\n\r\n");

      response->status = (guint) g_ascii_strtoull ((const char *) data->data + 9, NULL, 10);
      if (h != NULL)
        {
          const char *b = h + 4;
          gsize body_len = data->len - (b - (const char *) data->data);
          g_autofree char *head = g_ascii_strdown ((const char *) data->data, h - (const char *) data->data);
          const char *ra = strstr (head, "\nretry-after:");

          const char *ce = strstr (head, "\ncontent-encoding:");

          if (ra != NULL)
            response->retry_after = g_strstrip (g_strndup (ra + 13, strcspn (ra + 13, "\r\n")));
          if (ce != NULL)
            response->content_encoding = g_strstrip (g_strndup (ce + 18, strcspn (ce + 18, "\r\n")));
          if (chunked)
            response->body = dechunk (b, body_len, &response->length);
          else
            {
              if (content_length >= 0 && body_len > (gsize) content_length)
                body_len = content_length;
              /* May be binary (gzip): copied whole, NUL-terminated after. */
              response->body = g_malloc (body_len + 1);
              memcpy (response->body, b, body_len);
              response->body[body_len] = '\0';
              response->length = body_len;
            }
          response_parse_json (response);
        }
    }
  else if (data->len == 0 && response->error == NULL)
    g_set_error_literal (&response->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         "connection closed without an answer");
  return response;
}

TerenTestResponse *
teren_test_raw_request (TerenTestServer *server,
                        const char      *data,
                        gsize            length,
                        guint            timeout_ms)
{
  g_autoptr(GSocketConnection) connection = teren_test_raw_connect (server);

  teren_test_raw_write (connection, data, length);
  return teren_test_raw_read_response (connection, timeout_ms);
}

/* ---- devices ---- */

TerenTestResponse *
teren_test_login (SoupSession     *session,
                  TerenTestServer *server,
                  const char      *username,
                  const char      *password,
                  const char      *device_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, device_id);
  json_builder_set_member_name (builder, "device_name");
  json_builder_add_string_value (builder, "Test laptop");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = teren_test_json_to_string (root);
  return teren_test_request (session, server, "POST", "/api/v1/login", NULL, body, -1);
}

TerenTestDevice *
teren_test_device_new (TerenTestServer *server,
                       const char      *username,
                       const char      *password,
                       const char      *device_id)
{
  return teren_test_device_new_with_session (server, NULL, username, password, device_id);
}

TerenTestDevice *
teren_test_device_new_with_session (TerenTestServer *server,
                                    SoupSession     *session,
                                    const char      *username,
                                    const char      *password,
                                    const char      *device_id)
{
  TerenTestDevice *device = g_new0 (TerenTestDevice, 1);
  g_autoptr(TerenTestResponse) response = NULL;
  JsonObject *object;

  device->server = server;
  device->session = session != NULL ? g_object_ref (session) : teren_test_session_new ();
  device->username = g_strdup (username);
  device->password = g_strdup (password);
  device->device_id = device_id != NULL ? g_strdup (device_id) : teren_uuid_new ();
  device->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) json_object_unref);
  device->purged = g_ptr_array_new_with_free_func (g_free);

  response = teren_test_login (device->session, server, username, password, device->device_id);
  g_assert_no_error (response->error);
  if (response->status != 200)
    g_test_message ("login %s: %u %s", username, response->status, response->body);
  g_assert_cmpuint (response->status, ==, 200);
  object = teren_test_response_object (response);
  g_assert_nonnull (object);
  g_assert_true (json_object_has_member (object, "token"));
  device->token = g_strdup (json_object_get_string_member (object, "token"));
  g_assert_nonnull (device->token);
  g_assert_cmpuint (strlen (device->token), >=, 32);
  return device;
}

void
teren_test_device_free (TerenTestDevice *device)
{
  if (device == NULL)
    return;
  g_clear_object (&device->session);
  g_free (device->username);
  g_free (device->password);
  g_free (device->device_id);
  g_free (device->token);
  g_free (device->cursor);
  g_hash_table_unref (device->records);
  g_ptr_array_unref (device->purged);
  g_free (device);
}

char *
teren_test_ops_to_body (JsonArray *ops)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_array_member (root, "ops", json_array_ref (ops));
  json_node_set_object (node, root);
  return teren_test_json_to_string (node);
}

TerenTestResponse *
teren_test_device_push_raw (TerenTestDevice *device,
                            JsonArray       *ops)
{
  g_autofree char *body = teren_test_ops_to_body (ops);

  return teren_test_request (device->session, device->server, "POST", "/api/v1/push",
                             device->token, body, -1);
}

JsonArray *
teren_test_device_push (TerenTestDevice *device,
                        JsonArray       *ops)
{
  g_autoptr(TerenTestResponse) response = teren_test_device_push_raw (device, ops);
  JsonObject *object;
  JsonArray *results;

  g_assert_no_error (response->error);
  if (response->status != 200)
    g_test_message ("push: %u %.500s", response->status, response->body);
  g_assert_cmpuint (response->status, ==, 200);
  object = teren_test_response_object (response);
  g_assert_nonnull (object);
  g_assert_true (json_object_has_member (object, "results"));
  results = json_object_get_array_member (object, "results");
  g_assert_nonnull (results);
  g_assert_cmpuint (json_array_get_length (results), ==, json_array_get_length (ops));
  return json_array_ref (results);
}

JsonObject *
teren_test_device_push_one (TerenTestDevice *device,
                            JsonObject      *op)
{
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  JsonObject *result;

  json_array_add_object_element (ops, json_object_ref (op));
  results = teren_test_device_push (device, ops);
  result = json_array_get_object_element (results, 0);
  g_assert_nonnull (result);
  return json_object_ref (result);
}

const char *
teren_test_result_status (JsonObject *result)
{
  if (result == NULL || !json_object_has_member (result, "status"))
    return NULL;
  return json_object_get_string_member (result, "status");
}

guint
teren_test_device_pull_all (TerenTestDevice *device,
                            guint            limit)
{
  guint pages = 0;
  gboolean more = TRUE;

  g_ptr_array_set_size (device->purged, 0);
  while (more)
    {
      g_autoptr(GString) path = g_string_new ("/api/v1/pull");
      g_autoptr(TerenTestResponse) response = NULL;
      JsonObject *object;
      JsonArray *records;
      char sep = '?';

      if (device->cursor != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (device->cursor, NULL, FALSE);
          g_string_append_printf (path, "%ccursor=%s", sep, escaped);
          sep = '&';
        }
      if (limit > 0)
        g_string_append_printf (path, "%climit=%u", sep, limit);

      response = teren_test_request (device->session, device->server, "GET", path->str,
                                     device->token, NULL, 0);
      g_assert_no_error (response->error);
      if (response->status != 200)
        g_test_message ("pull: %u %.500s", response->status, response->body);
      g_assert_cmpuint (response->status, ==, 200);
      object = teren_test_response_object (response);
      g_assert_nonnull (object);
      records = json_object_get_array_member (object, "records");
      g_assert_nonnull (records);
      if (limit > 0)
        g_assert_cmpuint (json_array_get_length (records), <=, limit);
      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          JsonObject *record = json_array_get_object_element (records, i);
          const char *id = json_object_get_string_member (record, "id");
          JsonObject *held = g_hash_table_lookup (device->records, id);

          g_assert_nonnull (id);
          if (held == NULL
              || json_object_get_int_member (record, "rev") > json_object_get_int_member (held, "rev"))
            g_hash_table_replace (device->records, g_strdup (id), json_object_ref (record));
        }
      if (json_object_has_member (object, "purge")
          && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "purge")))
        {
          JsonArray *purge = json_object_get_array_member (object, "purge");
          for (guint i = 0; i < json_array_get_length (purge); i++)
            {
              const char *id = json_array_get_string_element (purge, i);
              g_hash_table_remove (device->records, id);
              g_ptr_array_add (device->purged, g_strdup (id));
            }
        }
      g_assert_true (json_object_has_member (object, "cursor"));
      g_free (device->cursor);
      device->cursor = g_strdup (json_object_get_string_member (object, "cursor"));
      g_assert_nonnull (device->cursor);
      more = json_object_get_boolean_member (object, "more");
      pages++;
      g_assert_cmpuint (pages, <, 100000);
    }
  return pages;
}

JsonObject *
teren_test_device_get (TerenTestDevice *device,
                       const char      *id)
{
  return g_hash_table_lookup (device->records, id);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
teren_test_device_snapshot (TerenTestDevice *device)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_clear_pointer (&device->cursor, g_free);
  g_hash_table_remove_all (device->records);
  teren_test_device_pull_all (device, 0);
  g_hash_table_iter_init (&iter, device->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *record = value;
      JsonObject *fields = json_object_get_object_member (record, "fields");
      g_autofree char *fields_text = fields != NULL ? teren_test_object_to_string (fields) : g_strdup ("-");

      g_ptr_array_add (lines, g_strdup_printf ("%s %" G_GINT64_FORMAT " %d %s", (const char *) key,
                                               json_object_get_int_member (record, "rev"),
                                               json_object_get_boolean_member_with_default (record, "deleted", FALSE),
                                               fields_text));
    }
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    {
      g_string_append (text, lines->pdata[i]);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

gboolean
teren_test_json_has_code (JsonNode   *node,
                          const char *code)
{
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return teren_test_object_has_code (json_node_get_object (node), code);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (teren_test_json_has_code (json_array_get_element (array, i), code))
          return TRUE;
    }
  return FALSE;
}

gboolean
teren_test_object_has_code (JsonObject *object,
                            const char *code)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (object, l->data);

      if ((g_strcmp0 (l->data, "code") == 0 || g_strcmp0 (l->data, "error") == 0)
          && JSON_NODE_HOLDS_VALUE (member)
          && json_node_get_value_type (member) == G_TYPE_STRING
          && g_strcmp0 (json_node_get_string (member), code) == 0)
        return TRUE;
      if (teren_test_json_has_code (member, code))
        return TRUE;
    }
  return FALSE;
}

/* ---- records and operations ---- */

char *
teren_test_make_cnp (char sex,
                     int  year,
                     int  month,
                     int  day,
                     int  county,
                     int  sequence)
{
  int s;
  char first12[13];

  if (year < 2000)
    s = sex == 'M' ? 1 : 2;
  else
    s = sex == 'M' ? 5 : 6;
  g_snprintf (first12, sizeof first12, "%d%02d%02d%02d%02d%03d", s, year % 100, month, day, county,
              sequence);
  return g_strdup_printf ("%s%c", first12, teren_cnp_check_digit (first12));
}

static const char * const last_names[] = {
  "Popescu", "Ionescu", "Ștefănescu", "Dumitru", "Țurcanu", "Constantinescu", "Munteanu", "Lungu",
};
static const char * const first_names_f[] = { "Ana", "Maria", "Ioana", "Elena", "Mădălina" };
static const char * const first_names_m[] = { "Ion", "Andrei", "Mihai", "Ștefan", "Vasile" };

JsonObject *
teren_test_person_fields (GRand *rand)
{
  JsonObject *fields = json_object_new ();
  gboolean female = rand != NULL ? g_rand_boolean (rand) : TRUE;
  guint a = rand != NULL ? g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names)) : 0;
  guint b = rand != NULL ? g_rand_int_range (rand, 0, 5) : 0;

  json_object_set_string_member (fields, "cnp_status", "missing");
  json_object_set_string_member (fields, "last_name", last_names[a]);
  json_object_set_string_member (fields, "first_name", female ? first_names_f[b] : first_names_m[b]);
  json_object_set_string_member (fields, "sex", female ? "F" : "M");
  return fields;
}

JsonObject *
teren_test_case_fields (const char *person_id)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "person", person_id);
  json_object_set_string_member (fields, "opened_on", "2025-03-14");
  json_object_set_string_member (fields, "status", "open");
  json_object_set_string_member (fields, "number", "D-2025-001");
  return fields;
}

JsonObject *
teren_test_visit_fields (const char *person_id,
                         const char *case_id)
{
  JsonObject *fields = json_object_new ();

  if (person_id != NULL)
    json_object_set_string_member (fields, "person", person_id);
  if (case_id != NULL)
    json_object_set_string_member (fields, "case", case_id);
  json_object_set_string_member (fields, "date", "2025-06-02");
  json_object_set_string_member (fields, "status", "done");
  return fields;
}

JsonObject *
teren_test_op_new (const char *op,
                   const char *record_id,
                   const char *kind,
                   const char *line,
                   gint64      base_rev,
                   JsonObject *patch,
                   const char *prev_change)
{
  JsonObject *object = json_object_new ();
  g_autofree char *change_id = teren_uuid_new ();
  g_autofree char *new_id = record_id == NULL ? teren_uuid_new () : NULL;
  g_autofree char *now = teren_now_iso8601 ();

  json_object_set_string_member (object, "change_id", change_id);
  if (prev_change != NULL)
    json_object_set_string_member (object, "prev_change", prev_change);
  else
    json_object_set_null_member (object, "prev_change");
  json_object_set_string_member (object, "record_id", record_id != NULL ? record_id : new_id);
  json_object_set_string_member (object, "kind", kind);
  json_object_set_string_member (object, "line", line != NULL ? line : "");
  json_object_set_string_member (object, "op", op);
  json_object_set_int_member (object, "base_rev", base_rev);
  json_object_set_object_member (object, "patch", patch != NULL ? patch : json_object_new ());
  json_object_set_string_member (object, "author", "test");
  json_object_set_string_member (object, "device_time", now);
  return object;
}

JsonArray *
teren_test_ops1 (JsonObject *op)
{
  JsonArray *ops = json_array_new ();

  json_array_add_object_element (ops, op);
  return ops;
}

char *
teren_test_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
teren_test_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return teren_test_json_to_string (node);
}

void
teren_test_sleep_ms (guint ms)
{
  g_usleep ((gulong) ms * 1000);
}

GPtrArray *
teren_test_server_history (TerenTestServer *server,
                           const char      *record_id)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *changes = g_ptr_array_new_with_free_func (g_free);
  int status;
  guint i;

  status = teren_test_server_clif (server, NULL, &out, &err, "audit", "--record", record_id, NULL);
  if (status != 0)
    g_test_message ("audit: %s", err);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = NULL;
      char *change;

      if (lines[i][0] == '\0')
        continue;
      columns = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (columns), >=, 7);
      g_assert_cmpint (g_ascii_strtoll (columns[0], NULL, 10), ==, changes->len + 1);
      change = g_strdup (columns[5]);
      /* Each change applied once. */
      g_assert_true (g_hash_table_add (seen, change));
      g_ptr_array_add (changes, change);
    }
  return changes;
}
