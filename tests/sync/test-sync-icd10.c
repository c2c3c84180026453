/* test-sync-icd10.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 6: the ICD-10 list the admin imported on the server reaches the laptop with a
 * sync round (GET /nomenclatures into the store) and then refuses, at the field and
 * before anything is saved, a diagnosis missing from it; a later import that drops a code
 * drops it on the laptop too.
 */

#include "config.h"

#include "teren-error.h"
#include "teren-store-nomenclature.h"
#include "teren-sync-test-util.h"

static void
import (TerenTestServer *server,
        const char      *root,
        const char      *csv)
{
  g_autofree char *path = g_build_filename (root, "icd10.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, csv, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (teren_test_server_clif (server, NULL, NULL, NULL, "nomenclature", "import", "icd10", path,
                                           NULL), ==, 0);
}

static TerenRecord *
save_consultation (TerenStore  *store,
                   const char  *person_id,
                   const char  *diagnosis,
                   GPtrArray  **errors,
                   GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  json_object_set_string_member (fields, "person", person_id);
  json_object_set_string_member (fields, "date", "2026-11-20");
  json_object_set_string_member (fields, "diagnosis", diagnosis);
  return teren_store_save (store, "school_health.consultation", "school_health", NULL, fields, NULL, errors, error);
}

static void
test_icd10_pulled (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("teren-sync-icd10-XXXXXX", &error);
  g_autofree char *dir = NULL;
  g_autoptr(TerenTestServer) server = NULL;
  g_autoptr(TerenSyncEngine) engine = NULL;
  g_autofree char *person_id = NULL;
  g_autoptr(TerenRecord) ok = NULL;
  g_autoptr(TerenRecord) refused = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TerenStore *store;
  TerenFieldError *first;

  if (!test_need_keyring ())
    return;
  g_assert_no_error (error);
  server = teren_test_server_new ();
  teren_test_server_start (server);
  teren_test_server_add_user (server, "nurse", TEST_PASSWORD, "school_health", "worker");
  import (server, root, "code,name\nA00,Holeră\nE11.9,Diabet zaharat tip 2\n");

  dir = g_build_filename (root, "nurse", NULL);
  engine = test_engine_new ();
  g_assert_true (test_engine_login (engine, server->base_url, "nurse", TEST_PASSWORD, dir, &error));
  g_assert_no_error (error);
  store = teren_sync_engine_get_store (engine);
  g_assert_cmpuint (teren_store_nomenclature_count (store, "icd10"), ==, 0);
  test_sync_quiet (engine);
  g_assert_cmpuint (teren_store_nomenclature_count (store, "icd10"), ==, 2);

  person_id = test_save_person (store, "Pop", "Ioana");
  ok = save_consultation (store, person_id, "E11.9", NULL, &error);
  g_assert_no_error (error);

  before = test_store_dump (store);
  refused = save_consultation (store, person_id, "J45.0", &errors, &error);
  g_assert_null (refused);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  first = errors->pdata[0];
  g_assert_cmpstr (first->field, ==, "diagnosis");
  g_assert_cmpstr (first->code, ==, "unknown_icd10");
  g_assert_cmpstr (first->message, ==, "This code is not in the ICD-10 list");
  after = test_store_dump (store);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);
  g_clear_pointer (&errors, g_ptr_array_unref);

  /* The admin imports a new list without E11.9: the next round drops it here too. */
  import (server, root, "code,name\nA00,Holeră\nJ45.0,Astm\n");
  test_sync_quiet (engine);
  g_assert_cmpuint (teren_store_nomenclature_count (store, "icd10"), ==, 2);
  g_assert_null (teren_store_nomenclature_get (store, "icd10", "E11.9"));
  g_clear_object (&refused);
  refused = save_consultation (store, person_id, "E11.9", &errors, &error);
  g_assert_null (refused);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&ok);
  ok = save_consultation (store, person_id, "J45.0", NULL, &error);
  g_assert_no_error (error);
  test_sync_quiet (engine);

  g_clear_object (&engine);
  test_remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/icd10/pulled", test_icd10_pulled);
  return g_test_run ();
}
