/* test-server-icd10.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 6, bad input "a malformed ICD-10 code (or one missing from the ICD-10 list when the
 * admin has imported one through `teren-server nomenclature import`)": the real server
 * rejects both on push with a clear message on the field, and nothing changes. Without a
 * list only the shape is checked; a list imported while the server runs applies to the
 * next push.
 */

#include "config.h"

#include <string.h>

#include "teren-server-test-util.h"

#define PASSWORD "correct horse 1"

static TerenTestServer *server;
static TerenTestDevice *nurse;
static char *pupil_id;

static JsonObject *
consultation_op (const char *record_id,
                 const char *op,
                 gint64      base_rev,
                 const char *diagnosis)
{
  JsonObject *patch = json_object_new ();

  if (g_strcmp0 (op, "create") == 0)
    {
      json_object_set_string_member (patch, "person", pupil_id);
      json_object_set_string_member (patch, "date", "2026-11-20");
      json_object_set_string_member (patch, "complaint", "Tuse");
    }
  json_object_set_string_member (patch, "diagnosis", diagnosis);
  return teren_test_op_new (op, record_id, "school_health.consultation", "school_health", base_rev, patch, NULL);
}

/* Pushes @op; asserts the result is rejected with @code on the field "diagnosis", with
 * a message, and that nothing changed. */
static void
assert_rejected (JsonObject *op,
                 const char *code,
                 const char *message)
{
  g_autofree char *before = teren_test_device_snapshot (nurse);
  g_autofree char *after = NULL;
  g_autoptr(JsonObject) result = teren_test_device_push_one (nurse, op);
  JsonObject *fields;
  JsonObject *field;

  g_assert_cmpstr (teren_test_result_status (result), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result, "code"), ==, "invalid");
  fields = json_object_get_object_member (result, "fields");
  g_assert_nonnull (fields);
  field = json_object_get_object_member (fields, "diagnosis");
  g_assert_nonnull (field);
  g_assert_cmpstr (json_object_get_string_member (field, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (field, "message"), ==, message);
  after = teren_test_device_snapshot (nurse);
  g_assert_cmpstr (before, ==, after);
}

static JsonObject *
assert_applied (JsonObject *op)
{
  JsonObject *result = teren_test_device_push_one (nurse, op);

  if (g_strcmp0 (teren_test_result_status (result), "applied") != 0)
    {
      g_autofree char *text = teren_test_object_to_string (result);
      g_test_message ("not applied: %s", text);
    }
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
  return result;
}

static char *
write_file (const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (server->root, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_icd10 (void)
{
  const char *malformed = "Not an ICD-10 code: a capital letter, two digits, then optionally a dot "
                          "and up to 4 letters or digits (E11.9)";
  const char *unknown = "This code is not in the ICD-10 list";
  g_autofree char *csv = NULL;
  g_autofree char *err = NULL;
  g_autofree char *first_id = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) op = NULL;

  /* No list imported: the shape is checked, any well-formed code is taken. */
  op = consultation_op (NULL, "create", 0, "e11");
  assert_rejected (op, "bad_icd10", malformed);
  g_clear_pointer (&op, json_object_unref);
  op = consultation_op (NULL, "create", 0, "E1.9");
  assert_rejected (op, "bad_icd10", malformed);
  g_clear_pointer (&op, json_object_unref);
  op = consultation_op (NULL, "create", 0, "Z99.9");
  first_id = g_strdup (json_object_get_string_member (op, "record_id"));
  first = assert_applied (op);
  g_clear_pointer (&op, json_object_unref);

  /* The admin imports a small list while the server runs. */
  csv = write_file ("icd10.csv", "code,name\nA00,Holeră\nE11.9,Diabet zaharat tip 2 fără complicații\n"
                                 "J450,Astm predominant alergic\n");
  g_assert_cmpint (teren_test_server_clif (server, NULL, NULL, &err, "nomenclature", "import", "icd10", csv,
                                           NULL), ==, 0);

  /* A well-formed code missing from the list: rejected, on create and on update. */
  op = consultation_op (NULL, "create", 0, "Z99.9");
  assert_rejected (op, "unknown_icd10", unknown);
  g_clear_pointer (&op, json_object_unref);
  op = consultation_op (first_id, "update", json_object_get_int_member (first, "rev"), "B99");
  assert_rejected (op, "unknown_icd10", unknown);
  g_clear_pointer (&op, json_object_unref);
  /* Still malformed is still malformed. */
  op = consultation_op (NULL, "create", 0, "E11.");
  assert_rejected (op, "bad_icd10", malformed);
  g_clear_pointer (&op, json_object_unref);

  /* Codes of the list are taken, with or without the dot the list wrote. */
  op = consultation_op (NULL, "create", 0, "E11.9");
  json_object_unref (assert_applied (op));
  g_clear_pointer (&op, json_object_unref);
  op = consultation_op (NULL, "create", 0, "J45.0");
  json_object_unref (assert_applied (op));
  g_clear_pointer (&op, json_object_unref);
  op = consultation_op (first_id, "update", json_object_get_int_member (first, "rev"), "A00");
  json_object_unref (assert_applied (op));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonObject) person = NULL;
  g_autoptr(JsonObject) result = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = teren_test_server_new ();
  teren_test_server_add_user (server, "nurse", PASSWORD, "school_health", "worker");
  teren_test_server_start (server);
  nurse = teren_test_device_new (server, "nurse", PASSWORD, NULL);

  person = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (NULL), NULL);
  pupil_id = g_strdup (json_object_get_string_member (person, "record_id"));
  result = teren_test_device_push_one (nurse, person);
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");

  g_test_add_func ("/server/icd10/list", test_icd10);
  ret = g_test_run ();

  teren_test_device_free (nurse);
  teren_test_server_free (server);
  g_free (pupil_id);
  return ret;
}
