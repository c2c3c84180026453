/* test-op.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-op.h"
#include "teren-uuid.h"

#define CHANGE_ID "11111111-1111-4111-8111-111111111111"
#define PREV_ID   "22222222-2222-4222-8222-222222222222"
#define RECORD_ID "33333333-3333-4333-8333-333333333333"
#define CONFLICT  "44444444-4444-4444-8444-444444444444"

static JsonObject *
valid_op_object (void)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = teren_json_parse_object (
    "{\"change_id\": \"" CHANGE_ID "\", \"prev_change\": \"" PREV_ID "\","
    " \"record_id\": \"" RECORD_ID "\", \"kind\": \"child.social_inquiry\", \"line\": \"child\","
    " \"op\": \"update\", \"base_rev\": 3, \"patch\": {\"last_name\": \"Pop\", \"phone\": null},"
    " \"author\": \"ana\", \"device_time\": \"2026-11-22T10:00:00.000000Z\","
    " \"resolves\": [\"" CONFLICT "\"]}", -1, 0, &error);

  g_assert_no_error (error);
  return object;
}

static TerenOp *
parse (JsonObject  *object,
       GError     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return teren_op_new_from_json (node, error);
}

static void
test_parse_valid (void)
{
  g_autoptr(JsonObject) object = valid_op_object ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenOp) op = parse (object, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (op->change_id, ==, CHANGE_ID);
  g_assert_cmpstr (op->prev_change, ==, PREV_ID);
  g_assert_cmpstr (op->record_id, ==, RECORD_ID);
  g_assert_cmpstr (op->kind, ==, "child.social_inquiry");
  g_assert_cmpstr (op->line, ==, "child");
  g_assert_cmpint (op->op, ==, TEREN_OP_UPDATE);
  g_assert_cmpint (op->base_rev, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (op->patch, "last_name"), ==, "Pop");
  g_assert_true (json_object_get_null_member (op->patch, "phone"));
  g_assert_cmpstr (op->author, ==, "ana");
  g_assert_cmpstr (op->device_time, ==, "2026-11-22T10:00:00.000000Z");
  g_assert_cmpuint (g_strv_length (op->resolves), ==, 1);
  g_assert_cmpstr (op->resolves[0], ==, CONFLICT);

  /* The patch is a copy, independent of the input. */
  json_object_set_string_member (json_object_get_object_member (object, "patch"), "last_name", "X");
  g_assert_cmpstr (json_object_get_string_member (op->patch, "last_name"), ==, "Pop");
}

static void
test_nullable_members (void)
{
  g_autoptr(JsonObject) object = valid_op_object ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenOp) op = NULL;

  json_object_set_null_member (object, "prev_change");
  json_object_remove_member (object, "resolves");
  json_object_remove_member (object, "author");
  json_object_set_null_member (object, "device_time");
  json_object_set_string_member (object, "line", "");
  json_object_set_string_member (object, "kind", "person");
  op = parse (object, &error);
  g_assert_no_error (error);
  g_assert_null (op->prev_change);
  g_assert_null (op->resolves);
  g_assert_null (op->author);
  g_assert_null (op->device_time);
  g_assert_cmpstr (op->line, ==, "");
}

static void
test_round_trip (void)
{
  g_autoptr(JsonObject) object = valid_op_object ();
  g_autoptr(TerenOp) op = parse (object, NULL);
  g_autoptr(JsonNode) node = teren_op_to_json (op);
  g_autoptr(JsonNode) original = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(TerenOp) again = teren_op_new_from_json (node, NULL);
  g_autoptr(TerenOp) copy = teren_op_copy (op);
  g_autoptr(JsonNode) copy_node = NULL;

  json_node_set_object (original, object);
  g_assert_true (teren_json_equal (node, original));
  g_assert_nonnull (again);
  g_assert_cmpstr (again->change_id, ==, CHANGE_ID);

  /* A copy is deep. */
  json_object_set_string_member (copy->patch, "last_name", "Changed");
  g_assert_cmpstr (json_object_get_string_member (op->patch, "last_name"), ==, "Pop");
  json_object_set_string_member (copy->patch, "last_name", "Pop");
  copy_node = teren_op_to_json (copy);
  g_assert_true (teren_json_equal (copy_node, node));
}

static void
test_new_defaults (void)
{
  g_autoptr(TerenOp) op = teren_op_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_nonnull (op->patch);
  g_assert_cmpstr (op->line, ==, "");
  op->change_id = teren_uuid_new ();
  op->record_id = teren_uuid_new ();
  op->kind = g_strdup ("person");
  op->op = TEREN_OP_CREATE;
  node = teren_op_to_json (op);
  object = json_node_get_object (node);
  g_assert_true (json_object_get_null_member (object, "prev_change"));
  g_assert_false (json_object_has_member (object, "resolves"));
  g_assert_cmpstr (json_object_get_string_member (object, "op"), ==, "create");
  g_assert_cmpint (json_object_get_int_member (object, "base_rev"), ==, 0);
}

/* Breaks @object with @mutate, checks the error names @member. */
static void
assert_rejected (JsonObject *object,
                 const char *member)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenOp) op = parse (object, &error);
  g_autofree char *quoted = g_strdup_printf ("“%s”", member);

  g_assert_null (op);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  if (strstr (error->message, quoted) == NULL)
    g_error ("“%s” does not name %s", error->message, member);
}

static void
test_errors (void)
{
  const char *required[] = { "change_id", "record_id", "kind", "line", "op", "base_rev", "patch" };
  g_autofree char *long_author = g_strnfill (201, 'a');
  g_autofree char *long_kind = g_strnfill (65, 'k');
  guint i;

  for (i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autoptr(JsonObject) object = valid_op_object ();

      json_object_remove_member (object, required[i]);
      assert_rejected (object, required[i]);
    }

#define BREAK(member, setter, ...)                              \
  G_STMT_START {                                                \
    g_autoptr(JsonObject) object = valid_op_object ();          \
    setter (object, member, __VA_ARGS__);                       \
    assert_rejected (object, member);                           \
  } G_STMT_END

  BREAK ("change_id", json_object_set_string_member, "not-a-uuid");
  BREAK ("change_id", json_object_set_int_member, 5);
  BREAK ("change_id", json_object_set_string_member, CHANGE_ID "0");
  BREAK ("prev_change", json_object_set_string_member, "x");
  BREAK ("record_id", json_object_set_string_member, "");
  BREAK ("kind", json_object_set_string_member, "");
  BREAK ("kind", json_object_set_string_member, "Person");
  BREAK ("kind", json_object_set_string_member, "per son");
  BREAK ("kind", json_object_set_string_member, long_kind);
  BREAK ("kind", json_object_set_boolean_member, TRUE);
  BREAK ("line", json_object_set_string_member, "child line");
  BREAK ("line", json_object_set_int_member, 1);
  BREAK ("op", json_object_set_string_member, "upsert");
  BREAK ("op", json_object_set_string_member, "UPDATE");
  BREAK ("base_rev", json_object_set_int_member, -1);
  BREAK ("base_rev", json_object_set_string_member, "3");
  BREAK ("base_rev", json_object_set_double_member, 3.5);
  BREAK ("patch", json_object_set_array_member, json_array_new ());
  BREAK ("patch", json_object_set_string_member, "{}");
  BREAK ("author", json_object_set_string_member, long_author);
  BREAK ("author", json_object_set_int_member, 7);
  BREAK ("device_time", json_object_set_boolean_member, FALSE);
  BREAK ("resolves", json_object_set_string_member, CONFLICT);
  BREAK ("author", json_object_set_string_member, "ana\xff");

#undef BREAK

  {
    g_autoptr(JsonObject) object = valid_op_object ();
    JsonArray *resolves = json_array_new ();

    json_array_add_string_element (resolves, "nope");
    json_object_set_array_member (object, "resolves", resolves);
    assert_rejected (object, "resolves");
  }

  {
    g_autoptr(JsonObject) object = valid_op_object ();
    JsonObject *patch = json_object_new ();

    json_object_set_int_member (patch, "", 1);
    json_object_set_object_member (object, "patch", patch);
    assert_rejected (object, "patch");
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) array = json_from_string ("[1]", NULL);
    g_autoptr(TerenOp) op = teren_op_new_from_json (array, &error);

    g_assert_null (op);
    g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  }
}

static void
test_type_strings (void)
{
  TerenOpType type;

  g_assert_cmpstr (teren_op_type_to_string (TEREN_OP_CREATE), ==, "create");
  g_assert_cmpstr (teren_op_type_to_string (TEREN_OP_UPDATE), ==, "update");
  g_assert_cmpstr (teren_op_type_to_string (TEREN_OP_DELETE), ==, "delete");
  g_assert_true (teren_op_type_from_string ("delete", &type));
  g_assert_cmpint (type, ==, TEREN_OP_DELETE);
  g_assert_false (teren_op_type_from_string ("remove", &type));
  g_assert_false (teren_op_type_from_string (NULL, &type));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/op/parse-valid", test_parse_valid);
  g_test_add_func ("/op/nullable-members", test_nullable_members);
  g_test_add_func ("/op/round-trip", test_round_trip);
  g_test_add_func ("/op/new-defaults", test_new_defaults);
  g_test_add_func ("/op/errors", test_errors);
  g_test_add_func ("/op/type-strings", test_type_strings);

  return g_test_run ();
}
