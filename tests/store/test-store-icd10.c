/* test-store-icd10.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 6: the server-managed lists pulled into the store (GET /nomenclatures pages) and
 * the ICD-10 list as the validator's lookup on the client: a diagnosis missing from the
 * pulled list is refused at the field with a clear message and nothing is saved; without
 * a list only the code's shape is checked.
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-store.h"
#include "teren-store-nomenclature.h"
#include "teren-store-test-util.h"

static JsonArray *
page (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static TerenRecord *
save_consultation (TerenStore  *store,
                   const char  *person_id,
                   const char  *diagnosis,
                   GPtrArray  **field_errors,
                   GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  json_object_set_string_member (fields, "person", person_id);
  json_object_set_string_member (fields, "date", "2026-11-20");
  json_object_set_string_member (fields, "diagnosis", diagnosis);
  return teren_store_save (store, "school_health.consultation", "school_health", NULL, fields, NULL,
                           field_errors, error);
}

static void
assert_refused (TerenStore *store,
                const char *data_dir,
                const char *person_id,
                const char *diagnosis,
                const char *code,
                const char *message)
{
  g_autofree char *before = test_store_digest (data_dir);
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = save_consultation (store, person_id, diagnosis, &errors, &error);
  TerenFieldError *first;

  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (errors);
  g_assert_cmpuint (errors->len, ==, 1);
  first = errors->pdata[0];
  g_assert_cmpstr (first->field, ==, "diagnosis");
  g_assert_cmpstr (first->code, ==, code);
  g_assert_cmpstr (first->message, ==, message);
  after = test_store_digest (data_dir);
  g_assert_cmpstr (before, ==, after);
}

static void
test_pulled_list (void)
{
  const char *unknown = "This code is not in the ICD-10 list";
  const char *malformed = "Not an ICD-10 code: a capital letter, two digits, then optionally a dot "
                          "and up to 4 letters or digits (E11.9)";
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("teren-store-icd10-XXXXXX", &error);
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(TerenRecord) first = NULL;
  g_autoptr(TerenRecord) second = NULL;
  g_autoptr(TerenRecord) third = NULL;
  g_autoptr(JsonObject) fields = test_person_fields ("Popa", "Ana", "F", "2015-03-04", NULL);
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(JsonObject) entry = NULL;
  g_autofree char *cursor = NULL;
  const char *person_id;

  g_assert_no_error (error);
  store = teren_store_open (data_dir, &error);
  g_assert_no_error (error);
  person = teren_store_save (store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  person_id = teren_record_get_id (person);

  /* Nothing pulled yet: only the shape counts. */
  g_assert_null (teren_store_nomenclature_get_cursor (store));
  g_assert_cmpint (teren_store_icd10_lookup (store, "Z99.9"), ==, TEREN_ICD10_NO_LIST);
  first = save_consultation (store, person_id, "Z99.9", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  assert_refused (store, data_dir, person_id, "z99", "bad_icd10", malformed);

  /* A first page of the server's lists, then a second one that deletes an entry. */
  items = page ("[{\"kind\":\"icd10\",\"code\":\"A00\",\"name\":\"Holeră\",\"seq\":1,\"deleted\":false},"
                " {\"kind\":\"icd10\",\"code\":\"E11.9\",\"name\":\"Diabet\",\"seq\":2,\"deleted\":false},"
                " {\"kind\":\"icd10\",\"code\":\"J450\",\"name\":\"Astm\",\"seq\":3,\"deleted\":false},"
                " {\"kind\":\"icd10\",\"code\":\"B99\",\"name\":\"Alte boli\",\"seq\":4,\"deleted\":false},"
                " {\"kind\":\"siruta\",\"code\":\"179132\",\"name\":\"București\",\"county\":\"40\",\"seq\":5,"
                "  \"deleted\":false}]");
  g_assert_true (teren_store_nomenclature_apply (store, items, "c1", &error));
  g_assert_no_error (error);
  g_clear_pointer (&items, json_array_unref);
  items = page ("[{\"kind\":\"icd10\",\"code\":\"B99\",\"seq\":6,\"deleted\":true}]");
  g_assert_true (teren_store_nomenclature_apply (store, items, "c2", &error));
  g_assert_no_error (error);
  cursor = teren_store_nomenclature_get_cursor (store);
  g_assert_cmpstr (cursor, ==, "c2");
  g_assert_cmpuint (teren_store_nomenclature_count (store, "icd10"), ==, 3);
  g_assert_cmpuint (teren_store_nomenclature_count (store, "siruta"), ==, 1);
  entry = teren_store_nomenclature_get (store, "siruta", "179132");
  g_assert_nonnull (entry);
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, "București");
  g_assert_cmpstr (json_object_get_string_member (entry, "county"), ==, "40");
  g_assert_false (json_object_has_member (entry, "seq"));

  g_assert_cmpint (teren_store_icd10_lookup (store, "E11.9"), ==, TEREN_ICD10_KNOWN);
  g_assert_cmpint (teren_store_icd10_lookup (store, "J45.0"), ==, TEREN_ICD10_KNOWN);
  g_assert_cmpint (teren_store_icd10_lookup (store, "B99"), ==, TEREN_ICD10_UNKNOWN);

  /* Codes outside the list are refused at the field, nothing saved; also on an edit. */
  assert_refused (store, data_dir, person_id, "Z99.9", "unknown_icd10", unknown);
  assert_refused (store, data_dir, person_id, "B99", "unknown_icd10", unknown);
  {
    g_autofree char *before = test_store_digest (data_dir);
    g_autofree char *after = NULL;
    g_autoptr(JsonObject) patch = json_object_new ();
    g_autoptr(GPtrArray) errors = NULL;
    g_autoptr(GError) local = NULL;
    g_autoptr(TerenRecord) edited = NULL;

    json_object_set_string_member (patch, "diagnosis", "Z00.0");
    edited = teren_store_save (store, "school_health.consultation", "school_health", teren_record_get_id (first),
                               patch, NULL, &errors, &local);
    g_assert_null (edited);
    g_assert_error (local, TEREN_ERROR, TEREN_ERROR_INVALID);
    g_assert_cmpstr (((TerenFieldError *) errors->pdata[0])->code, ==, "unknown_icd10");
    after = test_store_digest (data_dir);
    g_assert_cmpstr (before, ==, after);
  }

  /* Codes of the list are saved, with or without the dot the list wrote. */
  second = save_consultation (store, person_id, "E11.9", NULL, &error);
  g_assert_no_error (error);
  third = save_consultation (store, person_id, "J45.0", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teren_store_count (store, "school_health.consultation"), ==, 3);

  /* The list survives a restart; a store closed removes its lookup. */
  g_clear_object (&store);
  store = teren_store_open (data_dir, &error);
  g_assert_no_error (error);
  assert_refused (store, data_dir, person_id, "Z99.9", "unknown_icd10", unknown);
  g_clear_object (&store);

  test_rm_rf (data_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/icd10/pulled-list", test_pulled_list);
  return g_test_run ();
}
