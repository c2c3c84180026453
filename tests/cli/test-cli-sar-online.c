/* test-cli-sar-online.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `teren-cli export --person ID --attachments DIR` with a signed-in account and the real
 * server (issue 7, GDPR art. 15): an attached file that is not on the laptop is downloaded
 * first and exported; with the server gone it is listed as missing, the command says why
 * and exits with status 3. Needs the keyring of build-aux/test-session.sh (skips without).
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "teren-cli-test-util.h"
#include "teren-store-blobs.h"
#include "teren-sync-test-util.h"

static const char pdf_bytes[] = "%PDF-1.4\n% acord semnat\n%%EOF\n";

typedef struct {
  TerenTestServer *server;
  char            *root;
  char            *out;
  char            *err;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-cli-sar-online-XXXXXX",
                              "ana", "elderly", "worker", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
  g_free (fixture->out);
  g_free (fixture->err);
}

/* Runs teren-cli --data-dir @data_dir ARGS… in English (with the test's D-Bus session and
 * keyring); returns the exit status. */
static int
run (Fixture    *fixture,
     const char *data_dir,
     ...)
{
  g_auto(GStrv) envp = test_cli_environ ("en");
  va_list args;
  int status;

  va_start (args, data_dir);
  status = test_cli_run_va (envp, data_dir, NULL, args, &fixture->out, &fixture->err);
  va_end (args);
  return status;
}

static JsonObject *
first_attachment (const char  *json_path,
                  JsonParser **out_parser)
{
  JsonParser *parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *attachments;

  json_parser_load_from_file (parser, json_path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  attachments = json_object_get_array_member (root, "attachments");
  g_assert_nonnull (attachments);
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  *out_parser = parser;
  return json_array_get_object_element (attachments, 0);
}

static void
test_download_then_offline (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) engine = NULL;
  g_autoptr(JsonObject) person_fields = test_person ("Ionescu", "Ana");
  g_autoptr(JsonObject) visit = json_object_new ();
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(TerenRecord) saved = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static (pdf_bytes, sizeof pdf_bytes - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *blob_path = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *person_id = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *json = g_build_filename (fixture->root, "ana.json", NULL);
  g_autofree char *json_offline = g_build_filename (fixture->root, "ana-offline.json", NULL);
  g_autofree char *dir = g_build_filename (fixture->root, "ana-files", NULL);
  g_autofree char *dir_offline = g_build_filename (fixture->root, "ana-files-offline", NULL);
  g_autofree char *file = g_build_filename (dir, "Acord semnat.pdf", NULL);
  JsonArray *attachments = json_array_new ();
  JsonObject *attachment;
  TerenStore *store;
  TerenBlobState state;
  gsize length = 0;

  if (!test_need_keyring ())
    {
      json_array_unref (attachments);
      return;
    }

  /* A visit with its signed form, synced: the file is on the server. */
  engine = test_engine_login_ok (fixture->server->base_url, "ana", fixture->root, "laptop");
  store = teren_sync_engine_get_store (engine);
  person = teren_store_save (store, "person", "", NULL, person_fields, NULL, NULL, &error);
  g_assert_no_error (error);
  person_id = g_strdup (teren_record_get_id (person));
  attachment = teren_store_import_blob_bytes (store, bytes, "Acord semnat.pdf", &error);
  g_assert_no_error (error);
  blob = g_strdup (json_object_get_string_member (attachment, "blob"));
  json_array_add_object_element (attachments, attachment);
  json_object_set_string_member (visit, "person", person_id);
  json_object_set_string_member (visit, "date", "2025-02-01");
  json_object_set_string_member (visit, "status", "done");
  json_object_set_array_member (visit, "attachments", attachments);
  saved = teren_store_save (store, "visit", "elderly", NULL, visit, NULL, NULL, &error);
  g_assert_no_error (error);
  test_sync_quiet (engine);
  g_assert_true (teren_store_get_blob_state (store, blob, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, TEREN_BLOB_UPLOADED);

  /* The laptop no longer has the file (as on a laptop that never downloaded it). */
  data_dir = g_strdup (teren_store_get_data_dir (store));
  blob_path = teren_store_get_blob_path (store, blob, &error);
  g_assert_no_error (error);
  g_clear_object (&engine);
  g_assert_cmpint (g_unlink (blob_path), ==, 0);

  /* Online: downloaded first, then exported. */
  g_assert_cmpint (run (fixture, data_dir, "export", "--person", person_id,
                        "--json", json, "--attachments", dir, NULL), ==, 0);
  g_assert_cmpstr (fixture->err, ==, "");
  g_file_get_contents (file, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, pdf_bytes, sizeof pdf_bytes - 1);
  attachment = first_attachment (json, &parser);
  g_assert_cmpstr (json_object_get_string_member (attachment, "status"), ==, "saved");
  g_assert_cmpstr (json_object_get_string_member (attachment, "file"), ==, "Acord semnat.pdf");
  g_clear_object (&parser);

  /* Offline: the server is gone and the file again not here. Listed as missing, status 3. */
  teren_test_server_kill (fixture->server);
  g_assert_cmpint (g_unlink (blob_path), ==, 0);
  g_assert_cmpint (run (fixture, data_dir, "export", "--person", person_id,
                        "--json", json_offline, "--attachments", dir_offline, NULL), ==, 3);
  g_assert_nonnull (strstr (fixture->err, "is not included: not downloaded to this computer and "
                                          "could not be downloaded now"));
  g_assert_nonnull (strstr (fixture->err, blob));
  g_assert_nonnull (strstr (fixture->err, "The export is incomplete: 1 attached file is not in"));
  g_assert_null (strstr (fixture->err, "Acord semnat"));   /* ids, not names */
  attachment = first_attachment (json_offline, &parser);
  g_assert_cmpstr (json_object_get_string_member (attachment, "status"), ==, "missing");
  g_assert_true (json_object_get_null_member (attachment, "file"));
  g_assert_true (g_file_test (dir_offline, G_FILE_TEST_IS_DIR));
  g_assert_false (g_file_test (blob_path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/teren/cli/sar/attachments-download-then-offline", Fixture, NULL, fixture_set_up,
              test_download_then_offline, fixture_tear_down);

  return g_test_run ();
}
