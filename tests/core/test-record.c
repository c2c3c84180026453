/* test-record.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-record.h"
#include "teren-uuid.h"

#define RECORD_ID "123e4567-e89b-42d3-a456-426614174000"

typedef struct {
  guint title;
  guint rev;
  guint deleted;
  guint updated_at;
} Notifications;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  Notifications *n = user_data;

  if (strcmp (pspec->name, "title") == 0)
    n->title++;
  else if (strcmp (pspec->name, "rev") == 0)
    n->rev++;
  else if (strcmp (pspec->name, "deleted") == 0)
    n->deleted++;
  else if (strcmp (pspec->name, "updated-at") == 0)
    n->updated_at++;
}

static void
test_new (void)
{
  g_autoptr(TerenRecord) record = teren_record_new ("person", NULL, "ana");

  g_assert_true (teren_uuid_is_valid (teren_record_get_id (record)));
  g_assert_cmpstr (teren_record_get_kind (record), ==, "person");
  g_assert_cmpstr (teren_record_get_line (record), ==, "");
  g_assert_cmpint (teren_record_get_rev (record), ==, 0);
  g_assert_false (teren_record_get_deleted (record));
  g_assert_nonnull (teren_record_get_created_at (record));
  g_assert_cmpstr (teren_record_get_created_at (record), ==, teren_record_get_updated_at (record));
  g_assert_cmpstr (teren_record_get_created_by (record), ==, "ana");
  g_assert_cmpstr (teren_record_get_updated_by (record), ==, "ana");
  g_assert_cmpuint (json_object_get_size (teren_record_get_fields (record)), ==, 0);
  g_assert_cmpstr (teren_record_get_title (record), ==, "Unnamed person");
}

static void
test_title_notify (void)
{
  g_autoptr(TerenRecord) record = teren_record_new ("person", "", "ana");
  g_autoptr(JsonObject) fields = json_object_new ();
  Notifications n = { 0 };
  g_autofree char *title = NULL;

  g_signal_connect (record, "notify", G_CALLBACK (on_notify), &n);

  teren_record_set_string (record, "last_name", "Pop");
  g_assert_cmpstr (teren_record_get_title (record), ==, "Pop");
  g_assert_cmpuint (n.title, ==, 1);

  teren_record_set_string (record, "first_name", "Ana");
  g_assert_cmpstr (teren_record_get_title (record), ==, "Pop Ana");
  g_assert_cmpuint (n.title, ==, 2);

  /* A field that is not in the title does not notify it. */
  teren_record_set_string (record, "phone", "0721123456");
  g_assert_cmpuint (n.title, ==, 2);

  /* Neither does setting the same value again. */
  teren_record_set_string (record, "first_name", "Ana");
  g_assert_cmpuint (n.title, ==, 2);

  json_object_set_string_member (fields, "last_name", "Ionescu");
  json_object_set_string_member (fields, "first_name", "Ion");
  teren_record_set_fields (record, fields);
  g_assert_cmpstr (teren_record_get_title (record), ==, "Ionescu Ion");
  g_assert_cmpuint (n.title, ==, 3);
  g_assert_null (teren_record_get_string (record, "phone"));

  /* The record holds a copy of @fields. */
  json_object_set_string_member (fields, "last_name", "Changed");
  g_assert_cmpstr (teren_record_get_string (record, "last_name"), ==, "Ionescu");

  /* Setting its own fields object is safe. */
  teren_record_set_fields (record, teren_record_get_fields (record));
  g_assert_cmpstr (teren_record_get_title (record), ==, "Ionescu Ion");

  teren_record_set_string (record, "last_name", NULL);
  g_assert_cmpstr (teren_record_get_title (record), ==, "Ion");
  g_assert_cmpuint (n.title, ==, 4);

  g_object_get (record, "title", &title, NULL);
  g_assert_cmpstr (title, ==, "Ion");
}

static void
test_rev_deleted_touch (void)
{
  g_autoptr(TerenRecord) record = teren_record_new ("household", "", "ana");
  Notifications n = { 0 };

  g_signal_connect (record, "notify", G_CALLBACK (on_notify), &n);

  teren_record_set_rev (record, 3);
  teren_record_set_rev (record, 3);
  g_assert_cmpint (teren_record_get_rev (record), ==, 3);
  g_assert_cmpuint (n.rev, ==, 1);

  teren_record_set_deleted (record, TRUE);
  teren_record_set_deleted (record, TRUE);
  g_assert_true (teren_record_get_deleted (record));
  g_assert_cmpuint (n.deleted, ==, 1);

  teren_record_touch (record, "2030-01-01T00:00:00.000000Z", "ion");
  g_assert_cmpstr (teren_record_get_updated_at (record), ==, "2030-01-01T00:00:00.000000Z");
  g_assert_cmpstr (teren_record_get_updated_by (record), ==, "ion");
  g_assert_cmpstr (teren_record_get_created_by (record), ==, "ana");
  g_assert_cmpuint (n.updated_at, ==, 1);

  /* NULL means now. */
  teren_record_touch (record, NULL, "ion");
  g_assert_cmpstr (teren_record_get_updated_at (record), <, "2030-01-01T00:00:00.000000Z");
  g_assert_cmpuint (n.updated_at, ==, 2);
}

static void
test_accessors (void)
{
  g_autoptr(TerenRecord) record = teren_record_new ("household", "", "ana");
  g_autoptr(JsonNode) array = json_from_string ("[\"a\", \"b\"]", NULL);
  g_autoptr(JsonNode) number = json_from_string ("179132", NULL);
  g_autoptr(JsonNode) flag = json_from_string ("true", NULL);
  JsonNode *stored;

  teren_record_set_member (record, "siruta", number);
  teren_record_set_member (record, "flag", flag);
  teren_record_set_member (record, "list", array);
  teren_record_set_string (record, "address", "Str. Mare 1");

  g_assert_cmpint (teren_record_get_int (record, "siruta"), ==, 179132);
  g_assert_true (teren_record_get_bool (record, "flag"));
  g_assert_cmpstr (teren_record_get_string (record, "address"), ==, "Str. Mare 1");
  g_assert_cmpstr (teren_record_get_title (record), ==, "Str. Mare 1");

  /* Wrong types and absent members give the neutral value. */
  g_assert_null (teren_record_get_string (record, "siruta"));
  g_assert_cmpint (teren_record_get_int (record, "address"), ==, 0);
  g_assert_false (teren_record_get_bool (record, "address"));
  g_assert_null (teren_record_get_string (record, "missing"));

  /* set_member keeps a deep copy. */
  json_array_add_string_element (json_node_get_array (array), "c");
  stored = json_object_get_member (teren_record_get_fields (record), "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (stored)), ==, 2);

  teren_record_set_member (record, "list", NULL);
  g_assert_false (json_object_has_member (teren_record_get_fields (record), "list"));
}

static void
test_json_round_trip (void)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(TerenRecord) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node_again = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (fields, "number", "12/2026");
  record = teren_record_new_full (RECORD_ID, "case", "child", 7, fields, TRUE,
                                  "2026-01-01T00:00:00.000000Z", "2026-02-01T00:00:00.000000Z",
                                  "ana", "ion");
  g_assert_cmpstr (teren_record_get_title (record), ==, "Case 12/2026");

  node = teren_record_to_json (record);
  again = teren_record_new_from_json (node, &error);
  g_assert_no_error (error);
  node_again = teren_record_to_json (again);
  g_assert_true (teren_json_equal (node, node_again));

  g_assert_cmpstr (teren_record_get_id (again), ==, RECORD_ID);
  g_assert_cmpstr (teren_record_get_line (again), ==, "child");
  g_assert_cmpint (teren_record_get_rev (again), ==, 7);
  g_assert_true (teren_record_get_deleted (again));
  g_assert_cmpstr (teren_record_get_updated_by (again), ==, "ion");
  g_assert_cmpstr (teren_record_get_title (again), ==, "Case 12/2026");
}

/* teren_record_new_take() keeps the object it is given (a store reader's parsed fields), and
 * makes the same record as teren_record_new_full(), which copies. */
static void
test_new_take (void)
{
  JsonObject *fields = json_object_new ();
  g_autoptr(TerenRecord) taken = NULL;
  g_autoptr(TerenRecord) copied = NULL;
  g_autoptr(TerenRecord) empty = NULL;
  g_autoptr(JsonNode) node_taken = NULL;
  g_autoptr(JsonNode) node_copied = NULL;
  Notifications n = { 0 };

  json_object_set_string_member (fields, "number", "12/2026");
  copied = teren_record_new_full (RECORD_ID, "case", "child", 7, fields, TRUE,
                                  "2026-01-01T00:00:00.000000Z", "2026-02-01T00:00:00.000000Z", "ana", "ion");
  taken = teren_record_new_take (RECORD_ID, "case", "child", 7, fields, TRUE,
                                 "2026-01-01T00:00:00.000000Z", "2026-02-01T00:00:00.000000Z", "ana", "ion");

  g_assert_true (teren_record_get_fields (taken) == fields);
  g_assert_true (teren_record_get_fields (copied) != fields);
  node_taken = teren_record_to_json (taken);
  node_copied = teren_record_to_json (copied);
  g_assert_true (teren_json_equal (node_taken, node_copied));
  g_assert_cmpstr (teren_record_get_title (taken), ==, "Case 12/2026");
  g_assert_cmpstr (teren_record_get_line (taken), ==, "child");
  g_assert_cmpint (teren_record_get_rev (taken), ==, 7);
  g_assert_true (teren_record_get_deleted (taken));
  g_assert_cmpstr (teren_record_get_created_at (taken), ==, "2026-01-01T00:00:00.000000Z");
  g_assert_cmpstr (teren_record_get_updated_at (taken), ==, "2026-02-01T00:00:00.000000Z");
  g_assert_cmpstr (teren_record_get_created_by (taken), ==, "ana");
  g_assert_cmpstr (teren_record_get_updated_by (taken), ==, "ion");

  /* Its setters notify as any record's do. */
  g_signal_connect (taken, "notify", G_CALLBACK (on_notify), &n);
  teren_record_set_string (taken, "number", "13/2026");
  g_assert_cmpstr (teren_record_get_title (taken), ==, "Case 13/2026");
  g_assert_cmpuint (n.title, ==, 1);
  teren_record_set_rev (taken, 8);
  g_assert_cmpuint (n.rev, ==, 1);

  /* No fields and no line: empty ones, as teren_record_new_full() gives. */
  empty = teren_record_new_take (RECORD_ID, "person", NULL, 0, NULL, FALSE, NULL, NULL, NULL, NULL);
  g_assert_cmpstr (teren_record_get_line (empty), ==, "");
  g_assert_cmpuint (json_object_get_size (teren_record_get_fields (empty)), ==, 0);
  g_assert_cmpstr (teren_record_get_title (empty), ==, "Unnamed person");
  g_assert_null (teren_record_get_created_at (empty));
}

static void
test_from_pull_record (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (
    "{\"id\": \"" RECORD_ID "\", \"kind\": \"person\", \"line\": \"\", \"rev\": 2, \"seq\": 99,"
    " \"deleted\": false, \"fields\": {\"last_name\": \"Pop\"}, \"updated_by\": \"ana\","
    " \"updated_at\": \"2026-01-01T00:00:00.000000Z\"}", NULL);
  g_autoptr(TerenRecord) record = teren_record_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_title (record), ==, "Pop");
  g_assert_null (teren_record_get_created_by (record));
}

static void
assert_bad_record (const char *text,
                   const char *member)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  g_autoptr(TerenRecord) record = teren_record_new_from_json (node, &error);

  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
  if (member != NULL && strstr (error->message, member) == NULL)
    g_error ("“%s” does not name %s", error->message, member);
}

static void
test_from_json_errors (void)
{
#define GOOD_ID "\"id\": \"" RECORD_ID "\""
  assert_bad_record ("[1]", NULL);
  assert_bad_record ("{\"kind\": \"person\", \"line\": \"\", \"rev\": 0, \"fields\": {}}", "“id”");
  assert_bad_record ("{\"id\": \"x\", \"kind\": \"person\", \"line\": \"\", \"rev\": 0, \"fields\": {}}", "“id”");
  assert_bad_record ("{" GOOD_ID ", \"line\": \"\", \"rev\": 0, \"fields\": {}}", "“kind”");
  assert_bad_record ("{" GOOD_ID ", \"kind\": \"person\", \"rev\": 0, \"fields\": {}}", "“line”");
  assert_bad_record ("{" GOOD_ID ", \"kind\": \"person\", \"line\": \"\", \"rev\": \"0\", \"fields\": {}}", "“rev”");
  assert_bad_record ("{" GOOD_ID ", \"kind\": \"person\", \"line\": \"\", \"rev\": -1, \"fields\": {}}", "“rev”");
  assert_bad_record ("{" GOOD_ID ", \"kind\": \"person\", \"line\": \"\", \"rev\": 0}", "“fields”");
  assert_bad_record ("{" GOOD_ID ", \"kind\": \"person\", \"line\": \"\", \"rev\": 0, \"fields\": []}", "“fields”");
  assert_bad_record ("{" GOOD_ID ", \"kind\": \"person\", \"line\": \"\", \"rev\": 0, \"fields\": {},"
                     " \"deleted\": \"no\"}", "“deleted”");
  assert_bad_record ("{" GOOD_ID ", \"kind\": \"person\", \"line\": \"\", \"rev\": 0, \"fields\": {},"
                     " \"created_by\": 5}", "“created_by”");
#undef GOOD_ID
}

static void
test_copy (void)
{
  g_autoptr(TerenRecord) record = teren_record_new ("person", "", "ana");
  g_autoptr(TerenRecord) copy = NULL;

  teren_record_set_string (record, "last_name", "Pop");
  teren_record_set_rev (record, 4);
  copy = teren_record_copy (record);

  g_assert_cmpstr (teren_record_get_id (copy), ==, teren_record_get_id (record));
  g_assert_cmpint (teren_record_get_rev (copy), ==, 4);
  g_assert_cmpstr (teren_record_get_title (copy), ==, "Pop");

  teren_record_set_string (copy, "last_name", "Popa");
  g_assert_cmpstr (teren_record_get_string (record, "last_name"), ==, "Pop");
}

static void
test_properties (void)
{
  g_autoptr(TerenRecord) record = g_object_new (TEREN_TYPE_RECORD,
                                                "kind", "family", "line", "",
                                                "rev", (gint64) 5, NULL);
  g_autofree char *id = NULL;
  g_autofree char *kind = NULL;
  gint64 rev = 0;

  /* An id is made when none is given. */
  g_object_get (record, "id", &id, "kind", &kind, "rev", &rev, NULL);
  g_assert_true (teren_uuid_is_valid (id));
  g_assert_cmpstr (kind, ==, "family");
  g_assert_cmpint (rev, ==, 5);
  g_assert_cmpstr (teren_record_get_title (record), ==, "Family");

  g_object_set (record, "deleted", TRUE, "updated-by", "ion", NULL);
  g_assert_true (teren_record_get_deleted (record));
  g_assert_cmpstr (teren_record_get_updated_by (record), ==, "ion");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/record/new", test_new);
  g_test_add_func ("/record/title-notify", test_title_notify);
  g_test_add_func ("/record/rev-deleted-touch", test_rev_deleted_touch);
  g_test_add_func ("/record/accessors", test_accessors);
  g_test_add_func ("/record/json-round-trip", test_json_round_trip);
  g_test_add_func ("/record/new-take", test_new_take);
  g_test_add_func ("/record/from-pull-record", test_from_pull_record);
  g_test_add_func ("/record/from-json-errors", test_from_json_errors);
  g_test_add_func ("/record/copy", test_copy);
  g_test_add_func ("/record/properties", test_properties);

  return g_test_run ();
}
