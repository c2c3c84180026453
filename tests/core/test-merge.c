/* test-merge.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-json.h"
#include "teren-merge.h"
#include "teren-schema.h"

static JsonObject *
obj (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = teren_json_parse_object (text, -1, 0, &error);

  g_assert_no_error (error);
  return object;
}

static GHashTable *
key_set (const char *first,
         ...)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *key;
  va_list args;

  va_start (args, first);
  for (key = first; key != NULL; key = va_arg (args, const char *))
    g_hash_table_add (set, g_strdup (key));
  va_end (args);

  return set;
}

static void
assert_object (JsonObject *object,
               const char *expected_text)
{
  g_autoptr(JsonObject) expected = obj (expected_text);
  g_autoptr(JsonNode) a = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) b = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (a, object);
  json_node_set_object (b, expected);
  if (!teren_json_equal (a, b))
    {
      g_autofree char *got = teren_json_object_to_string (object);

      g_error ("expected %s, got %s", expected_text, got);
    }
}

static void
assert_node (JsonNode   *node,
             const char *expected_text)
{
  g_autoptr(JsonNode) expected = json_from_string (expected_text, NULL);

  if (!teren_json_equal (node, expected))
    {
      g_autofree char *got = teren_json_to_string (node);

      g_error ("expected %s, got %s", expected_text, got);
    }
}

static const TerenKindDef *
person_kind (void)
{
  return teren_schema_lookup_kind ("person");
}

static void
test_applied (void)
{
  g_autoptr(JsonObject) base = obj ("{\"last_name\": \"Pop\", \"first_name\": \"Ana\"}");
  g_autoptr(JsonObject) patch = obj ("{\"first_name\": \"Ioana\", \"phone\": \"0721123456\"}");
  g_autoptr(GHashTable) changed = key_set (NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *base_before = teren_json_object_to_string (base);
  g_autofree char *base_after = NULL;

  g_assert_cmpint (teren_merge_patch (person_kind (), base, base, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_APPLIED);
  g_assert_cmpuint (conflicts->len, ==, 0);
  assert_object (fields, "{\"last_name\": \"Pop\", \"first_name\": \"Ioana\", \"phone\": \"0721123456\"}");

  /* The inputs are not changed. */
  base_after = teren_json_object_to_string (base);
  g_assert_cmpstr (base_before, ==, base_after);

  /* A NULL set means the same as an empty one. */
  g_clear_pointer (&fields, json_object_unref);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_assert_cmpint (teren_merge_patch (person_kind (), base, base, NULL, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_APPLIED);
}

static void
test_disjoint_merge (void)
{
  g_autoptr(JsonObject) base = obj ("{\"last_name\": \"Pop\", \"first_name\": \"Ana\", \"phone\": \"0721000000\"}");
  g_autoptr(JsonObject) current = obj ("{\"last_name\": \"Popescu\", \"first_name\": \"Ana\", \"phone\": \"0721000000\"}");
  g_autoptr(JsonObject) patch = obj ("{\"first_name\": \"Ioana\", \"phone\": null}");
  g_autoptr(GHashTable) changed = key_set ("last_name", NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_MERGED);
  g_assert_cmpuint (conflicts->len, ==, 0);
  /* The server's change is kept, the patch applied, null clears. */
  assert_object (fields, "{\"last_name\": \"Popescu\", \"first_name\": \"Ioana\"}");
}

static void
test_same_field_conflict (void)
{
  g_autoptr(JsonObject) base = obj ("{\"last_name\": \"Pop\", \"first_name\": \"Ana\"}");
  g_autoptr(JsonObject) current = obj ("{\"last_name\": \"Popescu\", \"first_name\": \"Ana\"}");
  g_autoptr(JsonObject) patch = obj ("{\"last_name\": \"Popa\", \"first_name\": \"Ioana\"}");
  g_autoptr(GHashTable) changed = key_set ("last_name", NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  TerenMergeConflict *conflict;

  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_CONFLICT);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, "last_name");
  assert_node (conflict->base, "\"Pop\"");
  assert_node (conflict->server, "\"Popescu\"");
  assert_node (conflict->local, "\"Popa\"");

  /* The server value is kept; the other field of the patch is applied. */
  assert_object (fields, "{\"last_name\": \"Popescu\", \"first_name\": \"Ioana\"}");
}

static void
test_conflict_absent_values (void)
{
  /* Field absent at base, set on the server, set differently in the patch. */
  g_autoptr(JsonObject) base = obj ("{}");
  g_autoptr(JsonObject) current = obj ("{\"phone\": \"0721111111\"}");
  g_autoptr(JsonObject) patch = obj ("{\"phone\": \"0722222222\"}");
  g_autoptr(GHashTable) changed = key_set ("phone", NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  TerenMergeConflict *conflict;

  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_CONFLICT);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (conflict->base));
  assert_node (conflict->server, "\"0721111111\"");

  /* Cleared on the server, edited in the patch: also a conflict, server null. */
  g_clear_pointer (&fields, json_object_unref);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&base, json_object_unref);
  g_clear_pointer (&current, json_object_unref);
  base = obj ("{\"phone\": \"0721111111\"}");
  current = obj ("{}");
  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_CONFLICT);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (conflict->server));
  assert_object (fields, "{}");
}

static void
test_equal_values (void)
{
  g_autoptr(JsonObject) base = obj ("{\"last_name\": \"Pop\", \"siruta\": 1}");
  g_autoptr(JsonObject) current = obj ("{\"last_name\": \"Popescu\", \"siruta\": 2}");
  g_autoptr(JsonObject) patch = obj ("{\"last_name\": \"Popescu\", \"siruta\": 2.0}");
  g_autoptr(GHashTable) changed = key_set ("last_name", "siruta", NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  /* Both sides made the same edit: merged, no conflict. */
  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_MERGED);
  g_assert_cmpuint (conflicts->len, ==, 0);
  assert_object (fields, "{\"last_name\": \"Popescu\", \"siruta\": 2}");

  /* Both cleared it. */
  g_clear_pointer (&fields, json_object_unref);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&patch, json_object_unref);
  g_clear_pointer (&current, json_object_unref);
  current = obj ("{\"siruta\": 2}");
  patch = obj ("{\"last_name\": null}");
  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_MERGED);
  g_assert_cmpuint (conflicts->len, ==, 0);
}

static void
test_set_merge (void)
{
  /* Server added visual; the patch adds hearing and removes physical. */
  g_autoptr(JsonObject) base = obj ("{\"disability_type\": [\"physical\"]}");
  g_autoptr(JsonObject) current = obj ("{\"disability_type\": [\"physical\", \"visual\"]}");
  g_autoptr(JsonObject) patch = obj ("{\"disability_type\": {\"$add\": [\"hearing\"], \"$remove\": [\"physical\"]}}");
  g_autoptr(GHashTable) changed = key_set ("disability_type", NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_MERGED);
  g_assert_cmpuint (conflicts->len, ==, 0);
  assert_object (fields, "{\"disability_type\": [\"visual\", \"hearing\"]}");
}

static void
test_set_merge_whole_array (void)
{
  /* The patch carries the whole array: the local additions and removals against base
   * are merged with the server's. */
  g_autoptr(JsonObject) base = obj ("{\"disability_type\": [\"physical\", \"visual\"]}");
  g_autoptr(JsonObject) current = obj ("{\"disability_type\": [\"physical\", \"visual\", \"hearing\"]}");
  g_autoptr(JsonObject) patch = obj ("{\"disability_type\": [\"physical\", \"somatic\"]}");
  g_autoptr(GHashTable) changed = key_set ("disability_type", NULL);
  g_autoptr(GHashTable) none = key_set (NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_MERGED);
  g_assert_cmpuint (conflicts->len, ==, 0);
  assert_object (fields, "{\"disability_type\": [\"physical\", \"hearing\", \"somatic\"]}");

  /* Without a server change the array is taken as it is. */
  g_clear_pointer (&fields, json_object_unref);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_assert_cmpint (teren_merge_patch (person_kind (), base, base, none, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_APPLIED);
  assert_object (fields, "{\"disability_type\": [\"physical\", \"somatic\"]}");
}

static void
test_set_merge_clear (void)
{
  /* The patch clears the set while the server added visual: visual survives. */
  g_autoptr(JsonObject) base = obj ("{\"disability_type\": [\"physical\"]}");
  g_autoptr(JsonObject) current = obj ("{\"disability_type\": [\"physical\", \"visual\"]}");
  g_autoptr(JsonObject) patch = obj ("{\"disability_type\": null}");
  g_autoptr(GHashTable) changed = key_set ("disability_type", NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_MERGED);
  assert_object (fields, "{\"disability_type\": [\"visual\"]}");

  /* Server removed everything the base had too: the field goes away. */
  g_clear_pointer (&fields, json_object_unref);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&current, json_object_unref);
  current = obj ("{\"disability_type\": []}");
  g_assert_cmpint (teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_MERGED);
  assert_object (fields, "{}");
}

static void
test_set_ops_without_kind (void)
{
  /* Without a kind, a {"$add"} object is still recognised as a set operation. */
  g_autoptr(JsonObject) base = obj ("{\"tags\": [\"a\"]}");
  g_autoptr(JsonObject) current = obj ("{\"tags\": [\"a\", \"b\"]}");
  g_autoptr(JsonObject) patch = obj ("{\"tags\": {\"$add\": [\"c\", \"b\"]}}");
  g_autoptr(GHashTable) changed = key_set ("tags", NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;

  g_assert_cmpint (teren_merge_patch (NULL, base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_MERGED);
  assert_object (fields, "{\"tags\": [\"a\", \"b\", \"c\"]}");
}

static void
test_apply_patch (void)
{
  g_autoptr(JsonObject) fields = obj ("{\"last_name\": \"Pop\", \"phone\": \"0721\", "
                                      "\"disability_type\": [\"physical\"]}");
  g_autoptr(JsonObject) patch = obj ("{\"last_name\": \"Popa\", \"phone\": null, "
                                     "\"disability_type\": {\"$add\": [\"visual\", \"physical\"]}, "
                                     "\"sex\": \"F\"}");
  g_autoptr(JsonObject) patch2 = obj ("{\"disability_type\": {\"$remove\": [\"physical\"]}}");

  teren_merge_apply_patch (person_kind (), fields, patch);
  assert_object (fields, "{\"last_name\": \"Popa\", \"sex\": \"F\", "
                         "\"disability_type\": [\"physical\", \"visual\"]}");

  teren_merge_apply_patch (person_kind (), fields, patch2);
  assert_object (fields, "{\"last_name\": \"Popa\", \"sex\": \"F\", \"disability_type\": [\"visual\"]}");

  /* The applied values are copies: changing the patch later does not reach @fields. */
  json_object_set_string_member (patch, "last_name", "Changed");
  g_assert_cmpstr (json_object_get_string_member (fields, "last_name"), ==, "Popa");
}

static void
test_diff (void)
{
  g_autoptr(JsonObject) old_fields = obj ("{\"last_name\": \"Pop\", \"first_name\": \"Ana\", "
                                          "\"phone\": \"0721\", \"disability_type\": [\"physical\", \"visual\"], "
                                          "\"notes\": null}");
  g_autoptr(JsonObject) new_fields = obj ("{\"last_name\": \"Pop\", \"first_name\": \"Ioana\", "
                                          "\"disability_type\": [\"visual\", \"hearing\"], \"sex\": \"F\"}");
  g_autoptr(JsonObject) patch = teren_merge_diff (person_kind (), old_fields, new_fields);
  g_autoptr(JsonObject) same = teren_merge_diff (person_kind (), old_fields, old_fields);
  g_autoptr(JsonObject) reordered = obj ("{\"last_name\": \"Pop\", \"first_name\": \"Ana\", "
                                         "\"phone\": \"0721\", \"disability_type\": [\"visual\", \"physical\"]}");
  g_autoptr(JsonObject) order_only = teren_merge_diff (person_kind (), old_fields, reordered);
  g_autoptr(JsonObject) applied = teren_json_object_copy (old_fields);

  assert_object (patch, "{\"first_name\": \"Ioana\", \"phone\": null, \"sex\": \"F\", "
                        "\"disability_type\": {\"$add\": [\"hearing\"], \"$remove\": [\"physical\"]}}");
  g_assert_cmpuint (json_object_get_size (same), ==, 0);
  /* A multi-choice field whose order alone changed is not a change; "notes": null
   * and an absent "notes" are the same. */
  g_assert_cmpuint (json_object_get_size (order_only), ==, 0);

  /* Round trip: old + diff = new (null members are absent). */
  teren_merge_apply_patch (person_kind (), applied, patch);
  json_object_remove_member (applied, "notes");
  assert_object (applied, "{\"last_name\": \"Pop\", \"first_name\": \"Ioana\", "
                          "\"disability_type\": [\"visual\", \"hearing\"], \"sex\": \"F\"}");
}

static void
test_diff_multi_choice_edges (void)
{
  g_autoptr(JsonObject) empty = obj ("{}");
  g_autoptr(JsonObject) with_set = obj ("{\"disability_type\": [\"physical\"]}");
  g_autoptr(JsonObject) added = teren_merge_diff (person_kind (), empty, with_set);
  g_autoptr(JsonObject) removed = teren_merge_diff (person_kind (), with_set, empty);
  g_autoptr(JsonObject) untyped = teren_merge_diff (NULL, empty, with_set);

  assert_object (added, "{\"disability_type\": {\"$add\": [\"physical\"]}}");
  assert_object (removed, "{\"disability_type\": null}");
  /* Without the kind an array is an ordinary value. */
  assert_object (untyped, "{\"disability_type\": [\"physical\"]}");
}

static void
test_patch_keys (void)
{
  g_autoptr(JsonObject) patch = obj ("{\"zeta\": 1, \"alpha\": null, \"mid\": {}}");
  g_autoptr(GPtrArray) keys = teren_merge_patch_keys (patch);
  g_autoptr(GPtrArray) none = teren_merge_patch_keys (NULL);

  g_assert_cmpuint (keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (keys, 0), ==, "alpha");
  g_assert_cmpstr (g_ptr_array_index (keys, 1), ==, "mid");
  g_assert_cmpstr (g_ptr_array_index (keys, 2), ==, "zeta");
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_status_strings (void)
{
  g_assert_cmpstr (teren_merge_status_to_string (TEREN_MERGE_APPLIED), ==, "applied");
  g_assert_cmpstr (teren_merge_status_to_string (TEREN_MERGE_MERGED), ==, "merged");
  g_assert_cmpstr (teren_merge_status_to_string (TEREN_MERGE_CONFLICT), ==, "conflict");
}

static void
test_record_conflicts (void)
{
  g_autoptr(GHashTable) none = key_set (NULL);
  g_autoptr(GHashTable) changed = key_set ("last_name", NULL);

  g_assert_null (teren_merge_record_conflict (FALSE, FALSE, changed));
  g_assert_cmpstr (teren_merge_record_conflict (FALSE, TRUE, none), ==, "edit_on_deleted");
  g_assert_cmpstr (teren_merge_record_conflict (FALSE, TRUE, changed), ==, "edit_on_deleted");
  g_assert_cmpstr (teren_merge_record_conflict (TRUE, FALSE, changed), ==, "delete_vs_edit");
  g_assert_null (teren_merge_record_conflict (TRUE, FALSE, none));
  g_assert_null (teren_merge_record_conflict (TRUE, FALSE, NULL));
  /* Deleted on both sides: convergent. */
  g_assert_null (teren_merge_record_conflict (TRUE, TRUE, changed));
}

static void
test_conflict_fields (void)
{
  g_autoptr(JsonObject) base = obj ("{\"last_name\": \"Pop\"}");
  g_autoptr(JsonObject) current = obj ("{\"last_name\": \"Popescu\"}");
  g_autoptr(JsonObject) patch = obj ("{\"last_name\": \"Popa\"}");
  g_autoptr(GHashTable) changed = key_set ("last_name", NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) deleted = NULL;

  teren_merge_patch (person_kind (), base, current, changed, patch, &fields, &conflicts);
  record = teren_merge_conflict_fields ("123e4567-e89b-42d3-a456-426614174000", "person", "field",
                                        "11111111-1111-4111-8111-111111111111", "ana",
                                        conflicts, NULL);
  assert_object (record, "{\"record\": \"123e4567-e89b-42d3-a456-426614174000\","
                         " \"record_kind\": \"person\", \"reason\": \"field\","
                         " \"change_id\": \"11111111-1111-4111-8111-111111111111\","
                         " \"author\": \"ana\", \"status\": \"open\","
                         " \"fields\": [{\"field\": \"last_name\", \"base\": \"Pop\","
                         " \"server\": \"Popescu\", \"local\": \"Popa\"}]}");

  /* A record-level conflict keeps the whole patch. */
  deleted = teren_merge_conflict_fields ("123e4567-e89b-42d3-a456-426614174000", "person",
                                         "edit_on_deleted", NULL, NULL, NULL, patch);
  assert_object (deleted, "{\"record\": \"123e4567-e89b-42d3-a456-426614174000\","
                          " \"record_kind\": \"person\", \"reason\": \"edit_on_deleted\","
                          " \"change_id\": null, \"author\": null, \"status\": \"open\","
                          " \"fields\": [], \"patch\": {\"last_name\": \"Popa\"}}");
  g_assert_cmpstr (TEREN_CONFLICT_KIND, ==, "sys.conflict");
}

#define ATT(x, n) "{\"blob\": \"sha256:" x x x x x x x x x x x x x x x x "\", \"size\": 10," \
                  " \"mime\": \"image/png\", \"name\": \"" n "\"}"
#define HEX_A "aaaa"
#define HEX_B "bbbb"
#define HEX_C "cccc"

/* An attachment list is one value (issue 8): replaced as a whole, never merged item by
 * item; two different lists from one base are a conflict, the diff is the whole list. */
static void
test_attachment_lists (void)
{
  const TerenKindDef *kind = teren_schema_lookup_kind ("case");
  g_autoptr(JsonObject) base = obj ("{\"attachments\": [" ATT (HEX_A, "a.png") "]}");
  g_autoptr(JsonObject) current = obj ("{\"attachments\": [" ATT (HEX_A, "a.png") ", " ATT (HEX_C, "c.png") "]}");
  g_autoptr(JsonObject) patch = obj ("{\"attachments\": [" ATT (HEX_A, "a.png") ", " ATT (HEX_B, "b.png") "]}");
  g_autoptr(JsonObject) same = obj ("{\"attachments\": [" ATT (HEX_A, "a.png") ", " ATT (HEX_C, "c.png") "]}");
  g_autoptr(GHashTable) changed = key_set ("attachments", NULL);
  g_autoptr(GHashTable) none = key_set (NULL);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonObject) applied = NULL;
  g_autoptr(JsonObject) equal = NULL;
  g_autoptr(JsonObject) diff = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) no_conflicts = NULL;
  g_autoptr(GPtrArray) equal_conflicts = NULL;
  TerenMergeConflict *conflict;

  g_assert_nonnull (kind);
  g_assert_cmpint (teren_merge_patch (kind, base, current, changed, patch, &fields, &conflicts),
                   ==, TEREN_MERGE_CONFLICT);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, "attachments");
  assert_node (conflict->local, "[" ATT (HEX_A, "a.png") ", " ATT (HEX_B, "b.png") "]");
  assert_object (fields, "{\"attachments\": [" ATT (HEX_A, "a.png") ", " ATT (HEX_C, "c.png") "]}");

  /* No server change: the whole new list. */
  g_assert_cmpint (teren_merge_patch (kind, base, base, none, patch, &applied, &no_conflicts),
                   ==, TEREN_MERGE_APPLIED);
  assert_object (applied, "{\"attachments\": [" ATT (HEX_A, "a.png") ", " ATT (HEX_B, "b.png") "]}");

  /* The same list on both sides is no conflict. */
  g_assert_cmpint (teren_merge_patch (kind, base, current, changed, same, &equal, &equal_conflicts),
                   ==, TEREN_MERGE_MERGED);
  g_assert_cmpuint (equal_conflicts->len, ==, 0);

  diff = teren_merge_diff (kind, base, patch);
  assert_object (diff, "{\"attachments\": [" ATT (HEX_A, "a.png") ", " ATT (HEX_B, "b.png") "]}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/merge/applied", test_applied);
  g_test_add_func ("/merge/attachment-lists", test_attachment_lists);
  g_test_add_func ("/merge/disjoint", test_disjoint_merge);
  g_test_add_func ("/merge/same-field-conflict", test_same_field_conflict);
  g_test_add_func ("/merge/conflict-absent-values", test_conflict_absent_values);
  g_test_add_func ("/merge/equal-values", test_equal_values);
  g_test_add_func ("/merge/set", test_set_merge);
  g_test_add_func ("/merge/set-whole-array", test_set_merge_whole_array);
  g_test_add_func ("/merge/set-clear", test_set_merge_clear);
  g_test_add_func ("/merge/set-without-kind", test_set_ops_without_kind);
  g_test_add_func ("/merge/apply-patch", test_apply_patch);
  g_test_add_func ("/merge/diff", test_diff);
  g_test_add_func ("/merge/diff-multi-choice", test_diff_multi_choice_edges);
  g_test_add_func ("/merge/patch-keys", test_patch_keys);
  g_test_add_func ("/merge/status-strings", test_status_strings);
  g_test_add_func ("/merge/record-conflicts", test_record_conflicts);
  g_test_add_func ("/merge/conflict-fields", test_conflict_fields);

  return g_test_run ();
}
