/* test-sync-blobs.c
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

/* Attachments between two laptops through the real teren-server (issue 8): a case with a
 * scan and a photo saved on one laptop reaches the other, which prefetches the small one
 * and downloads the other on demand, byte for byte; an upload cut by the server's death is
 * done again in the next round; an operation whose attachment could not be uploaded waits
 * (pending, never quarantined, with the operations saved after it) and is applied once
 * after the upload; an operation the server answers `missing_blob` waits the same way. */

typedef struct {
  TerenTestServer *server;
  char            *root;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-sync-blobs-XXXXXX",
                              "ana", "child", "worker", "maria", "child", "worker", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
}

static TerenSyncEngine *
login (Fixture    *fixture,
       const char *url,
       const char *user)
{
  return test_engine_login_ok (url, user, fixture->root, user);
}

/* A PDF of @size bytes (a header, then pseudo-random bytes), written under the fixture's
 * root as @name. (transfer full) path */
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

/* A small valid PNG (1×1, from the PNG specification's layout). */
static char *
write_png (Fixture    *fixture,
           const char *name)
{
  static const guint8 png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
  };
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->root, name, NULL);

  g_file_set_contents (path, (const char *) png, sizeof png, &error);
  g_assert_no_error (error);
  return path;
}

static TerenSyncSummary *
sync_ok (TerenSyncEngine *engine)
{
  TerenSyncSummary *summary = test_sync_ok (engine);

  g_assert_cmpuint (summary->quarantined, ==, 0);
  return summary;
}

static void
test_two_laptops (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenSyncEngine) maria = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *png = NULL;
  g_autoptr(JsonObject) scan = NULL;
  g_autoptr(JsonObject) photo = NULL;
  g_autoptr(TerenSyncSummary) first = NULL;
  g_autoptr(TerenSyncSummary) second = NULL;
  g_autoptr(TerenSyncSummary) again = NULL;
  g_autoptr(TerenRecord) received = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *local_path = NULL;
  g_autofree char *path = NULL;
  g_autofree char *path_again = NULL;
  g_autofree char *photo_path = NULL;
  JsonNode *attachments;

  if (!test_need_keyring ())
    return;

  ana = login (fixture, fixture->server->base_url, "ana");
  maria = login (fixture, fixture->server->base_url, "maria");

  /* A 300 KiB scan (not prefetched) and a tiny photo (prefetched). */
  pdf = write_pdf (fixture, "acord semnat.pdf", 300 * 1024, 1);
  png = write_png (fixture, "poza.png");
  scan = test_import_blob (ana, pdf);
  photo = test_import_blob (ana, png);
  case_id = test_save_case_with (ana, scan, photo);
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_LOCAL_ONLY);

  first = sync_ok (ana);
  g_assert_cmpuint (first->blobs_uploaded, ==, 2);
  g_assert_cmpuint (first->blobs_failed, ==, 0);
  g_assert_cmpuint (first->pending, ==, 0);
  g_assert_cmpuint (first->applied, ==, 2);
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_UPLOADED);
  g_assert_cmpint (test_blob_state (ana, photo), ==, TEREN_BLOB_UPLOADED);

  /* The same scan attached again elsewhere is not uploaded again. */
  other_id = test_save_case_with (ana, scan, NULL);
  again = sync_ok (ana);
  g_assert_cmpuint (again->blobs_uploaded, ==, 0);
  g_assert_cmpuint (again->applied, ==, 2);

  second = sync_ok (maria);
  g_assert_cmpuint (second->pulled, >=, 2);
  received = teren_store_get_record (teren_sync_engine_get_store (maria), case_id, &error);
  g_assert_no_error (error);
  attachments = json_object_get_member (teren_record_get_fields (received), "attachments");
  g_assert_nonnull (attachments);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (attachments)), ==, 2);

  /* The small photo came with the pull; the scan waits until it is opened. */
  g_assert_cmpuint (second->blobs_prefetched, ==, 1);
  g_assert_cmpint (test_blob_state (maria, photo), ==, TEREN_BLOB_DOWNLOADED);
  g_assert_cmpint (test_blob_state (maria, scan), ==, TEREN_BLOB_REMOTE_ONLY);
  path = teren_store_get_blob_path (teren_sync_engine_get_store (maria),
                                    json_object_get_string_member (scan, "blob"), &error);
  g_assert_null (path);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  path = test_fetch_blob (maria, scan, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  local_path = teren_store_get_blob_path (teren_sync_engine_get_store (ana),
                                          json_object_get_string_member (scan, "blob"), &error);
  g_assert_no_error (error);
  test_assert_same_file (path, local_path);
  g_assert_cmpint (test_blob_state (maria, scan), ==, TEREN_BLOB_DOWNLOADED);

  /* Opened again: the same file, no download needed. */
  path_again = test_fetch_blob (maria, scan, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path_again, ==, path);
  photo_path = test_fetch_blob (maria, photo, &error);
  g_assert_no_error (error);
  test_assert_same_file (photo_path, png);
}

/* The server dies while the blob is being uploaded: the round fails, the operation waits
 * (not quarantined), and the next round uploads the blob again and sends the operation. */
static void
test_upload_interrupted (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TestProxy) proxy = NULL;
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenSyncEngine) maria = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) scan = NULL;
  g_autoptr(TerenSyncSummary) failed = NULL;
  g_autoptr(TerenSyncSummary) resumed = NULL;
  g_autoptr(TerenSyncSummary) pulled = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_need_keyring ())
    return;

  listen = g_strdup_printf ("127.0.0.1:%u", fixture->server->port);
  proxy = test_proxy_new (fixture->server->port, 8);
  ana = login (fixture, test_proxy_get_url (proxy), "ana");
  maria = login (fixture, fixture->server->base_url, "maria");

  pdf = write_pdf (fixture, "dosar.pdf", 4 * 1024 * 1024, 2);
  scan = test_import_blob (ana, pdf);
  case_id = test_save_case_with (ana, scan, NULL);

  test_proxy_kill_on (proxy, "PUT /api/v1/blobs/", teren_test_server_get_pid (fixture->server));
  failed = test_engine_sync (ana, &error);
  g_assert_true (test_wait_until (test_proxy_killed, proxy, 5000));
  g_assert_null (failed);
  g_assert_nonnull (error);
  g_assert_true (error->domain == TEREN_SYNC_ERROR);
  g_test_message ("round with the server killed: %s", error->message);
  g_clear_error (&error);
  /* The person went before the case, or waits with it; the case waits. */
  test_assert_pending (ana, teren_store_count_pending (teren_sync_engine_get_store (ana)));
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (ana)), >=, 1);
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_LOCAL_ONLY);

  teren_test_server_kill (fixture->server);
  teren_test_server_start_listen (fixture->server, listen);
  test_proxy_kill_on (proxy, NULL, 0);
  teren_test_server_assert_integrity (fixture->server);

  resumed = sync_ok (ana);
  g_assert_cmpuint (resumed->blobs_uploaded, ==, 1);
  g_assert_cmpuint (resumed->pending, ==, 0);
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_UPLOADED);

  pulled = sync_ok (maria);
  path = test_fetch_blob (maria, scan, &error);
  g_assert_no_error (error);
  test_assert_same_file (path, pdf);
}

/* Rewrites the stored file of @attachment with other bytes (so that the server refuses it
 * as a hash mismatch), keeping the original in @saved. */
static void
spoil_blob (TerenSyncEngine  *engine,
            JsonObject       *attachment,
            char            **saved,
            gsize            *saved_length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = teren_store_get_blob_path (teren_sync_engine_get_store (engine),
                                                     json_object_get_string_member (attachment, "blob"),
                                                     &error);
  g_autofree char *spoiled = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, saved, saved_length, NULL));
  spoiled = g_memdup2 (*saved, *saved_length);
  spoiled[*saved_length - 1] ^= 0x55;
  g_file_set_contents (path, spoiled, (gssize) *saved_length, &error);
  g_assert_no_error (error);
}

static void
restore_blob (TerenSyncEngine *engine,
              JsonObject      *attachment,
              const char      *saved,
              gsize            saved_length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = teren_store_get_blob_path (teren_sync_engine_get_store (engine),
                                                     json_object_get_string_member (attachment, "blob"),
                                                     &error);

  g_assert_no_error (error);
  g_file_set_contents (path, saved, (gssize) saved_length, &error);
  g_assert_no_error (error);
}

static guint
server_cases (TerenSyncEngine *reader,
              const char      *id)
{
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = teren_store_get_record (teren_sync_engine_get_store (reader), id, &error);
  if (record == NULL)
    return 0;
  return (guint) teren_record_get_rev (record);
}

/* The upload is refused (the bytes on disk no longer match their hash): the case that
 * uses it, and what was saved after it, wait; what was saved before goes. Once the file is
 * right again the next round uploads it and the case is applied, once. */
static void
test_op_waits_for_upload (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenSyncEngine) maria = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *before_id = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *after_id = NULL;
  g_autofree char *saved = NULL;
  gsize saved_length = 0;
  g_autoptr(JsonObject) scan = NULL;
  g_autoptr(TerenSyncSummary) retried = NULL;
  g_autoptr(TerenSyncSummary) quiet = NULL;
  g_autoptr(TerenSyncSummary) seen = NULL;
  g_autoptr(TerenSyncSummary) first = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_need_keyring ())
    return;

  ana = login (fixture, fixture->server->base_url, "ana");
  maria = login (fixture, fixture->server->base_url, "maria");

  pdf = write_pdf (fixture, "ancheta.pdf", 64 * 1024, 3);
  scan = test_import_blob (ana, pdf);
  before_id = test_save_case_with (ana, NULL, NULL);       /* person + case, no attachment: 2 ops */
  case_id = test_save_case_with (ana, scan, NULL);         /* 2 ops, the case's needs the scan */
  after_id = test_save_case_with (ana, NULL, NULL);        /* 2 ops saved after it */
  spoil_blob (ana, scan, &saved, &saved_length);

  first = test_engine_sync (ana, &error);
  g_assert_null (first);
  g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "attachments could not be uploaded"));
  g_clear_error (&error);
  /* The first case and the second person went; the second case and the third pair wait. */
  test_assert_pending (ana, 3);
  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_LOCAL_ONLY);

  seen = sync_ok (maria);
  g_assert_cmpuint (server_cases (maria, before_id), ==, 1);
  g_assert_cmpuint (server_cases (maria, case_id), ==, 0);
  g_assert_cmpuint (server_cases (maria, after_id), ==, 0);

  restore_blob (ana, scan, saved, saved_length);
  retried = sync_ok (ana);
  g_assert_cmpuint (retried->blobs_uploaded, ==, 1);
  g_assert_cmpuint (retried->applied, ==, 3);
  g_assert_cmpuint (retried->duplicates, ==, 0);
  g_assert_cmpuint (retried->pending, ==, 0);

  quiet = sync_ok (ana);
  g_assert_cmpuint (quiet->pushed, ==, 0);
  g_clear_pointer (&seen, teren_sync_summary_free);
  seen = sync_ok (maria);
  g_assert_cmpuint (server_cases (maria, case_id), ==, 1);
  g_assert_cmpuint (server_cases (maria, after_id), ==, 1);
}

/* The laptop believes the blob uploaded but the server lacks it (restored from an older
 * backup): the server answers missing_blob, and the operation waits instead of going to
 * quarantine, with the edit of the same record saved after it; the next round uploads the
 * blob again and the same operations are applied. */
static void
test_missing_blob (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *case_id = NULL;
  g_autoptr(JsonObject) scan = NULL;
  g_autoptr(TerenSyncSummary) refused = NULL;
  g_autoptr(TerenSyncSummary) done = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(TerenRecord) edited = NULL;
  g_autoptr(TerenRecord) final = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_need_keyring ())
    return;

  ana = login (fixture, fixture->server->base_url, "ana");
  pdf = write_pdf (fixture, "consimtamant.pdf", 10 * 1024, 4);
  scan = test_import_blob (ana, pdf);
  case_id = test_save_case_with (ana, scan, NULL);
  /* An edit of the same case after it: it waits with it. */
  edit = json_object_new ();
  json_object_set_string_member (edit, "number", "17/2026");
  edited = teren_store_save (teren_sync_engine_get_store (ana), "case", "child", case_id, edit,
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (teren_store_set_blob_state (teren_sync_engine_get_store (ana),
                                             json_object_get_string_member (scan, "blob"),
                                             TEREN_BLOB_UPLOADED, &error));
  g_assert_no_error (error);

  refused = sync_ok (ana);
  g_test_message ("missing: %u, rejected %u, pending %u, applied %u", refused->missing_blobs,
                  refused->rejected, refused->pending, refused->applied);
  g_assert_cmpuint (refused->missing_blobs, ==, 1);
  g_assert_cmpuint (refused->rejected, ==, 0);
  g_assert_cmpuint (refused->pending, ==, 2);
  test_assert_pending (ana, 2);

  g_assert_cmpint (test_blob_state (ana, scan), ==, TEREN_BLOB_LOCAL_ONLY);
  done = sync_ok (ana);
  g_assert_cmpuint (done->blobs_uploaded, ==, 1);
  g_assert_cmpuint (done->applied, ==, 2);
  g_assert_cmpuint (done->pending, ==, 0);
  final = teren_store_get_record (teren_sync_engine_get_store (ana), case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (teren_record_get_rev (final), ==, 2);
  g_assert_cmpstr (teren_record_get_string (final, "number"), ==, "17/2026");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/sync/blobs/two-laptops", test_two_laptops);
  ADD ("/sync/blobs/upload-interrupted", test_upload_interrupted);
  ADD ("/sync/blobs/op-waits-for-upload", test_op_waits_for_upload);
  ADD ("/sync/blobs/missing-blob", test_missing_blob);

  return g_test_run ();
}
