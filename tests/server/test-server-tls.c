/* test-server-tls.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TLS on the real teren-server with a certificate the test generates (openssl CLI): a client
 * that trusts exactly that certificate syncs; one that does not is refused; plain HTTP to
 * the TLS port gets nothing useful. And the refusal to serve plain HTTP on a non-loopback
 * address unless --insecure-http is given (then with a loud warning).
 */

#include "config.h"

#include <string.h>

#include "teren-server-test-util.h"

#define PASSWORD "correct horse 1"

typedef struct {
  char *dir;
  char *cert;
  char *key;
} CertFiles;

static gboolean
make_certificate (const char *dir,
                  const char *name,
                  CertFiles  *files)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = g_strdup_printf ("/CN=%s", name);

  files->dir = g_strdup (dir);
  files->cert = g_strdup_printf ("%s/%s-cert.pem", dir, name);
  files->key = g_strdup_printf ("%s/%s-key.pem", dir, name);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                           "-nodes", "-keyout", files->key, "-out", files->cert, "-days", "2", "-subj", subject,
                           "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", NULL);
  if (proc == NULL)
    {
      g_test_message ("openssl: %s", error->message);
      return FALSE;
    }
  if (!g_subprocess_wait_check (proc, NULL, &error))
    {
      g_test_message ("openssl failed: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
cert_files_clear (CertFiles *files)
{
  g_free (files->dir);
  g_free (files->cert);
  g_free (files->key);
}

static void
test_tls (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  CertFiles good = { 0 }, other = { 0 };
  g_autoptr(GTlsCertificate) good_cert = NULL;
  g_autoptr(GTlsCertificate) other_cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) untrusting = teren_test_session_new ();
  g_autoptr(SoupSession) trusting_other = teren_test_session_new ();
  g_autoptr(TerenTestResponse) refused = NULL;
  g_autoptr(TerenTestResponse) refused_other = NULL;
  g_autoptr(TerenTestResponse) plain = NULL;
  g_autoptr(TerenTestDevice) dev = NULL;
  g_autoptr(JsonObject) op = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(TerenTestResponse) login = NULL;
  const char *raw = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  const char *args[] = { "--tls-cert", NULL, "--tls-key", NULL, NULL };
  JsonObject *record;

  if (g_tls_backend_get_default () == NULL || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }
  if (!make_certificate (server->root, "teren-test", &good) || !make_certificate (server->root, "intruder", &other))
    {
      g_test_skip ("cannot generate a certificate with openssl");
      cert_files_clear (&good);
      cert_files_clear (&other);
      return;
    }
  good_cert = g_tls_certificate_new_from_file (good.cert, &error);
  g_assert_no_error (error);
  other_cert = g_tls_certificate_new_from_file (other.cert, &error);
  g_assert_no_error (error);

  args[1] = good.cert;
  args[3] = good.key;
  teren_test_server_set_args (server, args);
  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_start (server);
  g_assert_cmpstr (server->scheme, ==, "https");

  /* A client that does not trust the certificate never talks to the server. */
  refused = teren_test_request (untrusting, server, "GET", "/api/v1/health", NULL, NULL, 0);
  g_assert_nonnull (refused->error);
  g_assert_cmpuint (refused->status, ==, 0);
  login = teren_test_login (untrusting, server, "ana", PASSWORD, "6c0a7f0e-3f5b-4f5e-9d4c-2f8e1b0a9c11");
  g_assert_nonnull (login->error);

  /* Nor one that trusts another certificate. */
  teren_test_session_trust_certificate (trusting_other, other_cert);
  refused_other = teren_test_request (trusting_other, server, "GET", "/api/v1/health", NULL, NULL, 0);
  g_assert_nonnull (refused_other->error);

  /* Plain HTTP to the TLS port: no answer of the API. */
  plain = teren_test_raw_request (server, raw, strlen (raw), 10000);
  g_assert_true (plain->status == 0 || plain->status >= 400);
  g_assert_null (plain->body == NULL ? NULL : strstr (plain->body, "\"ok\""));

  /* The client that trusts exactly this certificate logs in, pushes and pulls. */
  {
    g_autoptr(SoupSession) session = teren_test_session_new ();

    teren_test_session_trust_certificate (session, good_cert);
    dev = teren_test_device_new_with_session (server, session, "ana", PASSWORD, NULL);
  }
  op = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (NULL), NULL);
  result = teren_test_device_push_one (dev, op);
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
  teren_test_device_pull_all (dev, 0);
  record = teren_test_device_get (dev, json_object_get_string_member (op, "record_id"));
  g_assert_nonnull (record);

  cert_files_clear (&good);
  cert_files_clear (&other);
}

static void
test_refuse_plain_http_off_loopback (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  g_autofree char *err = NULL;
  int status = -1;
  const char * const insecure[] = { "--insecure-http", NULL };
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autoptr(TerenTestResponse) health = NULL;

  /* 0.0.0.0 is not loopback: exit 2, nothing listens, the reason names TLS. */
  g_assert_false (teren_test_server_try_start (server, "0.0.0.0:0", &status));
  g_assert_cmpint (status, ==, 2);
  err = teren_test_server_get_stderr (server);
  g_assert_nonnull (strstr (err, "TLS"));
  g_assert_nonnull (strstr (err, "--insecure-http"));
  {
    g_autofree char *out = teren_test_server_get_stdout (server);
    g_assert_null (strstr (out, "listening on"));
  }

  /* With --insecure-http it serves, and warns loudly. */
  teren_test_server_set_args (server, insecure);
  teren_test_server_start_listen (server, "0.0.0.0:0");
  g_clear_pointer (&err, g_free);
  err = teren_test_server_get_stderr (server);
  {
    g_autofree char *lower = g_ascii_strdown (err, -1);
    g_assert_nonnull (strstr (lower, "warning"));
  }
  g_free (server->base_url);
  server->base_url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  g_free (server->host);
  server->host = g_strdup ("127.0.0.1");
  health = teren_test_request (session, server, "GET", "/api/v1/health", NULL, NULL, 0);
  g_assert_no_error (health->error);
  g_assert_cmpuint (health->status, ==, 200);
  teren_test_server_kill (server);
}

static void
test_bad_tls_files (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  g_autofree char *missing = g_build_filename (server->root, "missing.pem", NULL);
  const char *args[] = { "--tls-cert", missing, "--tls-key", missing, NULL };
  const char *only_cert[] = { "--tls-cert", missing, NULL };
  int status = -1;
  g_autofree char *err = NULL;

  teren_test_server_set_args (server, args);
  g_assert_false (teren_test_server_try_start (server, NULL, &status));
  g_assert_cmpint (status, !=, 0);
  err = teren_test_server_get_stderr (server);
  g_assert_true (g_str_has_prefix (err, "teren-server: ") || strstr (err, "teren-server: ") != NULL);

  teren_test_server_set_args (server, only_cert);
  g_assert_false (teren_test_server_try_start (server, NULL, &status));
  g_assert_cmpint (status, !=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/tls/self-signed", test_tls);
  g_test_add_func ("/server/tls/refuse-plain-http-off-loopback", test_refuse_plain_http_off_loopback);
  g_test_add_func ("/server/tls/bad-files", test_bad_tls_files);
  return g_test_run ();
}
