/* test-sync-blobs-resume.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-blobs.h"
#include "teren-store-sync.h"
#include "teren-sync-blobs.h"
#include "teren-sync-test-util.h"

/* Resumable attachment uploads through the real teren-server (SYNC-NOTES §2.9): a scan
 * larger than a piece goes up in pieces of TEREN_SYNC_UPLOAD_PIECE, each its own PUT with
 * Content-Range; an upload cut in the middle of a piece (by the link, or by the server's
 * death) goes on from the server's offset in the next attempt, not from byte 0; a small
 * one goes in one PUT; a server without the extension (no Teren-Upload-Offset in HEAD)
 * gets one whole PUT. The operation referencing the blob waits until the blob is whole. */

#define SCAN_SIZE (3 * TEREN_SYNC_UPLOAD_PIECE + TEREN_SYNC_UPLOAD_PIECE / 2)

typedef struct {
  TerenTestServer *server;
  char            *root;
} Fixture;

/* @data: NULL, or the server's environment (NULL-terminated "NAME=VALUE"). */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("teren-sync-resume-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->server = teren_test_server_new ();
  if (data != NULL)
    teren_test_server_set_env (fixture->server, data);
  teren_test_server_start (fixture->server);
  teren_test_server_add_user (fixture->server, "ana", TEST_PASSWORD, "child", "worker");
  teren_test_server_add_user (fixture->server, "maria", TEST_PASSWORD, "child", "worker");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *log = teren_test_server_get_stderr (fixture->server);

  /* The request log names blobs by hash: never a file name. */
  g_assert_null (strstr (log, "dosar"));
  g_assert_null (strstr (log, "Sanitizer"));
  g_assert_null (strstr (log, "runtime error"));
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
}

/* A PDF of @size bytes (a header, then pseudo-random bytes) under the fixture's root. */
static char *
write_pdf (Fixture    *fixture,
           const char *name,
           gsize       size,
           guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->root, name, NULL);
  gsize i;

  for (i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  memcpy (data, "%PDF-1.4\n", 9);
  g_file_set_contents (path, (const char *) data, (gssize) size, &error);
  g_assert_no_error (error);
  return path;
}

static const char *
hex_of (JsonObject *attachment)
{
  return json_object_get_string_member (attachment, "blob") + strlen ("sha256:");
}

/* ---- the upload step alone (teren_sync_blobs_upload_async) ---- */

typedef struct {
  gboolean             done;
  TerenSyncBlobUpload *result;
  GError              *error;
} UploadRun;

static void
uploaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  UploadRun *run = user_data;

  run->result = teren_sync_blobs_upload_finish (TEREN_SYNC_ENGINE (source), result, &run->error);
  run->done = TRUE;
}

static gboolean
upload_run_done (gpointer data)
{
  return ((UploadRun *) data)->done;
}

/* Uploads @engine's local-only blobs once; the result (never NULL: the step fails only
 * when the round must stop, which these tests do not expect). */
static TerenSyncBlobUpload *
upload_blobs (TerenSyncEngine *engine)
{
  UploadRun run = { FALSE, NULL, NULL };

  teren_sync_blobs_upload_async (engine, teren_sync_engine_get_store (engine), NULL, uploaded_cb, &run);
  g_assert_true (test_wait_until (upload_run_done, &run, 90000));
  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);
  return run.result;
}

/* ---- what the server saw ---- */

/* Request log lines "PUT /api/v1/blobs/sha256:HEX STATUS …". */
static guint
count_puts (Fixture    *fixture,
            const char *hex,
            guint       status)
{
  g_autofree char *log = teren_test_server_get_stderr (fixture->server);
  g_autofree char *needle = g_strdup_printf ("PUT /api/v1/blobs/sha256:%s %u ", hex, status);
  const char *p = log;
  guint n = 0;

  while ((p = strstr (p, needle)) != NULL)
    {
      n++;
      p += strlen (needle);
    }
  return n;
}

/* HEAD as @device: the server lacks the blob; its Teren-Upload-Offset (-1 if absent). */
static gint64
server_offset (Fixture         *fixture,
               TerenTestDevice *device,
               const char      *hex)
{
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/api/v1/blobs/sha256:%s", fixture->server->base_url, hex);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", device->token);
  g_autoptr(SoupMessage) msg = soup_message_new ("HEAD", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *value;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Teren-Upload-Offset");
  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : -1;
}

/* The bytes [@start, @end] of @bytes (@total in all) sent by @device as a piece: 202. */
static void
send_piece_as (Fixture         *fixture,
               TerenTestDevice *device,
               const char      *blob,
               const char      *bytes,
               gsize            start,
               gsize            end,
               gsize            total)
{
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/api/v1/blobs/%s", fixture->server->base_url, blob);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", device->token);
  g_autofree char *range = g_strdup_printf ("bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
                                            start, end, total);
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr(GBytes) piece = g_bytes_new (bytes + start, end - start + 1);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Range", range);
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", piece);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 202);
}

/* The other laptop pulls the case and downloads the scan: the same bytes as @original. */
static void
assert_arrives_whole (Fixture    *fixture,
                      JsonObject *scan,
                      const char *original)
{
  g_autoptr(TerenSyncEngine) maria = test_engine_login_ok (fixture->server->base_url, "maria", fixture->root,
                                                           "maria");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  test_sync_quiet (maria);
  path = test_fetch_blob (maria, scan, &error);
  g_assert_no_error (error);
  test_assert_same_file (path, original);
}

/* ---- tests ---- */

/* A 3.5 MiB scan goes in four pieces (three 202, one 201), a 300 KiB one in one plain PUT;
 * both arrive whole; the case is applied once both are there. */
static void
test_pieces (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(JsonObject) scan = NULL;
  g_autoptr(JsonObject) small = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *small_pdf = NULL;
  g_autofree char *case_id = NULL;

  if (!test_need_keyring ())
    return;
  ana = test_engine_login_ok (fixture->server->base_url, "ana", fixture->root, "ana");
  pdf = write_pdf (fixture, "dosar.pdf", SCAN_SIZE, 1);
  small_pdf = write_pdf (fixture, "dosar-mic.pdf", 300 * 1024, 2);
  scan = test_import_blob (ana, pdf);
  small = test_import_blob (ana, small_pdf);
  case_id = test_save_case_with (ana, scan, small);

  summary = test_sync_ok (ana);
  g_assert_cmpuint (summary->blobs_uploaded, ==, 2);
  g_assert_cmpuint (summary->blobs_failed, ==, 0);
  g_assert_cmpuint (summary->applied, ==, 2);
  g_assert_cmpuint (summary->pending, ==, 0);
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_UPLOADED);
  g_assert_cmpint (test_blob_state (ana, small), ==, TEREN_BLOB_UPLOADED);
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 202), ==, 3);
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 201), ==, 1);
  g_assert_cmpuint (count_puts (fixture, hex_of (small), 202), ==, 0);
  g_assert_cmpuint (count_puts (fixture, hex_of (small), 201), ==, 1);
  assert_arrives_whole (fixture, scan, pdf);
}

/* The link drops 700,000 bytes into the first piece (the server keeps them); the next
 * attempt sends only the rest, from the server's offset, and the case goes after it. */
static void
test_resume_after_cut (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenTestDevice) tablet = NULL;
  g_autoptr(TerenSyncBlobUpload) upload = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(JsonObject) scan = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *bytes = NULL;
  const gsize cut = 700000;
  gsize length = 0;
  gint64 offset = -1;
  guint i;

  if (!test_need_keyring ())
    return;
  ana = test_engine_login_ok (fixture->server->base_url, "ana", fixture->root, "ana");
  pdf = write_pdf (fixture, "dosar.pdf", SCAN_SIZE, 3);
  scan = test_import_blob (ana, pdf);
  case_id = test_save_case_with (ana, scan, NULL);
  g_assert_true (g_file_get_contents (pdf, &bytes, &length, NULL));

  /* The same account's first piece, cut off by the link (a raw connection closed). */
  tablet = teren_test_device_new (fixture->server, "ana", TEST_PASSWORD, NULL);
  {
    g_autoptr(GSocketConnection) connection = teren_test_raw_connect (fixture->server);
    g_autofree char *head = g_strdup_printf ("PUT /api/v1/blobs/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Authorization: Bearer %s\r\n"
                                             "Content-Range: bytes 0-%d/%" G_GSIZE_FORMAT "\r\n"
                                             "Content-Length: %d\r\n\r\n",
                                             json_object_get_string_member (scan, "blob"), tablet->token,
                                             TEREN_SYNC_UPLOAD_PIECE - 1, length, TEREN_SYNC_UPLOAD_PIECE);

    g_assert_true (teren_test_raw_write (connection, head, strlen (head)));
    g_assert_true (teren_test_raw_write (connection, bytes, cut));
    teren_test_sleep_ms (200);
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  }
  for (i = 0; i < 100 && (offset = server_offset (fixture, tablet, hex_of (scan))) != (gint64) cut; i++)
    teren_test_sleep_ms (50);
  g_assert_cmpint (offset, ==, (gint64) cut);
  /* Nothing is synced yet: the blob is local only, the case waits. */
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_LOCAL_ONLY);
  test_assert_pending (ana, 2);

  upload = upload_blobs (ana);
  g_assert_cmpuint (upload->uploaded, ==, 1);
  g_assert_cmpuint (upload->failed, ==, 0);
  g_assert_cmpuint (upload->sent, ==, length - cut);
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_UPLOADED);
  /* From 700,000: pieces at 700,000, 1,748,576 (202 each) and 2,797,152 (201). */
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 202), ==, 2);
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 201), ==, 1);
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 409), ==, 0);   /* never tried from 0 */

  summary = test_sync_ok (ana);
  g_assert_cmpuint (summary->blobs_uploaded, ==, 0);
  g_assert_cmpuint (summary->applied, ==, 2);
  g_assert_cmpuint (summary->pending, ==, 0);
  assert_arrives_whole (fixture, scan, pdf);
}

/* The server holds the first piece (sent from the account's tablet); it dies while the
 * laptop's next piece is arriving (through a proxy that kills it): the attempt fails, the
 * case waits, the blob stays local only. After the restart the next attempt sends only
 * what the server lacks (from its offset: the first piece and whatever of the second it
 * kept). */
static void
test_resume_after_failure (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = NULL;
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenTestDevice) tablet = NULL;
  g_autoptr(TerenSyncBlobUpload) failed = NULL;
  g_autoptr(TerenSyncBlobUpload) resumed = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(JsonObject) scan = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *bytes = NULL;
  gsize length = 0;
  gint64 offset;

  if (!test_need_keyring ())
    return;
  listen = g_strdup_printf ("127.0.0.1:%u", fixture->server->port);
  proxy = test_proxy_new (fixture->server->port, 9);
  ana = test_engine_login_ok (test_proxy_get_url (proxy), "ana", fixture->root, "ana");
  tablet = teren_test_device_new (fixture->server, "ana", TEST_PASSWORD, NULL);
  pdf = write_pdf (fixture, "dosar.pdf", SCAN_SIZE, 4);
  scan = test_import_blob (ana, pdf);
  case_id = test_save_case_with (ana, scan, NULL);
  g_assert_true (g_file_get_contents (pdf, &bytes, &length, NULL));
  send_piece_as (fixture, tablet, json_object_get_string_member (scan, "blob"), bytes, 0,
                 TEREN_SYNC_UPLOAD_PIECE - 1, length);

  /* The server dies as the laptop's piece (the second) arrives. */
  test_proxy_kill_on (proxy, "PUT /api/v1/blobs/", teren_test_server_get_pid (fixture->server));
  failed = upload_blobs (ana);
  g_assert_true (test_wait_until (test_proxy_killed, proxy, 5000));
  g_assert_cmpuint (failed->uploaded, ==, 0);
  g_assert_cmpuint (failed->failed, ==, 1);
  g_assert_nonnull (failed->error);
  g_assert_cmpuint (g_hash_table_size (failed->blocked), >=, 1);
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_LOCAL_ONLY);
  test_assert_pending (ana, 2);

  teren_test_server_kill (fixture->server);
  teren_test_server_start_listen (fixture->server, listen);
  test_proxy_kill_on (proxy, NULL, 0);
  teren_test_server_assert_integrity (fixture->server);

  offset = server_offset (fixture, tablet, hex_of (scan));
  g_test_message ("the server held %" G_GINT64_FORMAT " bytes after its death", offset);
  g_assert_cmpint (offset, >=, TEREN_SYNC_UPLOAD_PIECE);
  g_assert_cmpint (offset, <=, 2 * TEREN_SYNC_UPLOAD_PIECE);
  resumed = upload_blobs (ana);
  g_assert_cmpuint (resumed->uploaded, ==, 1);
  g_assert_cmpuint (resumed->sent, ==, (guint64) (SCAN_SIZE - offset));
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 409), ==, 0);   /* never tried from 0 */
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_UPLOADED);

  summary = test_sync_ok (ana);
  g_assert_cmpuint (summary->applied, ==, 2);
  g_assert_cmpuint (summary->pending, ==, 0);
  assert_arrives_whole (fixture, scan, pdf);
}

/* The server's HEAD is behind its partial (TEREN_SERVER_BLOB_STALE_HEAD=1 answers 0, as a
 * HEAD answered just before the tablet's piece landed would): the laptop's piece from 0 is
 * refused with 409 and the server's offset, and the laptop goes on from there, sending only
 * what the server lacks. */
static const char * const stale_head_env[] = { "TEREN_SERVER_BLOB_STALE_HEAD=1", NULL };

static void
test_follow_conflict (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenTestDevice) tablet = NULL;
  g_autoptr(TerenSyncBlobUpload) upload = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(JsonObject) scan = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *bytes = NULL;
  gsize length = 0;

  if (!test_need_keyring ())
    return;
  ana = test_engine_login_ok (fixture->server->base_url, "ana", fixture->root, "ana");
  tablet = teren_test_device_new (fixture->server, "ana", TEST_PASSWORD, NULL);
  pdf = write_pdf (fixture, "dosar.pdf", SCAN_SIZE, 6);
  scan = test_import_blob (ana, pdf);
  case_id = test_save_case_with (ana, scan, NULL);
  g_assert_true (g_file_get_contents (pdf, &bytes, &length, NULL));
  send_piece_as (fixture, tablet, json_object_get_string_member (scan, "blob"), bytes, 0,
                 TEREN_SYNC_UPLOAD_PIECE - 1, length);
  g_assert_cmpint (server_offset (fixture, tablet, hex_of (scan)), ==, 0);   /* the stale answer */

  upload = upload_blobs (ana);
  g_assert_cmpuint (upload->uploaded, ==, 1);
  g_assert_cmpuint (upload->failed, ==, 0);
  g_assert_cmpuint (upload->sent, ==, length - TEREN_SYNC_UPLOAD_PIECE);
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 409), ==, 1);
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_UPLOADED);

  summary = test_sync_ok (ana);
  g_assert_cmpuint (summary->applied, ==, 2);
  g_assert_cmpuint (summary->pending, ==, 0);
  assert_arrives_whole (fixture, scan, pdf);
}

/* A server without resumable uploads (TEREN_SERVER_BLOB_RESUME=0: no Teren-Upload-Offset
 * in HEAD): the client sends the scan in one whole PUT, as before the extension. */
static const char * const old_server_env[] = { "TEREN_SERVER_BLOB_RESUME=0", NULL };

static void
test_old_server (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenTestDevice) tablet = NULL;
  g_autoptr(TerenSyncBlobUpload) upload = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(JsonObject) scan = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *case_id = NULL;

  if (!test_need_keyring ())
    return;
  ana = test_engine_login_ok (fixture->server->base_url, "ana", fixture->root, "ana");
  tablet = teren_test_device_new (fixture->server, "ana", TEST_PASSWORD, NULL);
  pdf = write_pdf (fixture, "dosar.pdf", SCAN_SIZE, 5);
  scan = test_import_blob (ana, pdf);
  case_id = test_save_case_with (ana, scan, NULL);
  g_assert_cmpint (server_offset (fixture, tablet, hex_of (scan)), ==, -1);

  upload = upload_blobs (ana);
  g_assert_cmpuint (upload->uploaded, ==, 1);
  g_assert_cmpuint (upload->sent, ==, SCAN_SIZE);
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 201), ==, 1);
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 202), ==, 0);
  g_assert_cmpuint (count_puts (fixture, hex_of (scan), 400), ==, 0);

  summary = test_sync_ok (ana);
  g_assert_cmpuint (summary->applied, ==, 2);
  assert_arrives_whole (fixture, scan, pdf);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/blobs-resume/pieces", Fixture, NULL, fixture_set_up, test_pieces, fixture_tear_down);
  g_test_add ("/sync/blobs-resume/after-cut", Fixture, NULL, fixture_set_up, test_resume_after_cut,
              fixture_tear_down);
  g_test_add ("/sync/blobs-resume/after-failure", Fixture, NULL, fixture_set_up, test_resume_after_failure,
              fixture_tear_down);
  g_test_add ("/sync/blobs-resume/follow-conflict", Fixture, stale_head_env, fixture_set_up, test_follow_conflict,
              fixture_tear_down);
  g_test_add ("/sync/blobs-resume/old-server", Fixture, old_server_env, fixture_set_up, test_old_server,
              fixture_tear_down);
  return g_test_run ();
}
