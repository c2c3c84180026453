/* test-server-merge.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two devices editing one record against the real teren-server (SYNC.md "Merge rules",
 * SYNC-NOTES S15): disjoint fields merge; the same field to different values is a conflict
 * with base/server/local values, the other fields applied; equal values are no conflict;
 * a device's own chain never conflicts with itself; edit against delete; sets merge.
 */

#include "config.h"

#include <string.h>

#include "teren-server-test-util.h"

#define PASSWORD "correct horse 1"

static TerenTestServer *server;

typedef struct {
  TerenTestDevice *one;
  TerenTestDevice *two;
  char            *case_id;
  char            *person_id;
  gint64           rev;      /* the case's current rev */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) person = teren_test_op_new ("create", NULL, "person", "", 0,
                                                    teren_test_person_fields (NULL), NULL);
  g_autoptr(JsonObject) kase = NULL;
  g_autoptr(JsonObject) r1 = NULL;
  g_autoptr(JsonObject) r2 = NULL;

  f->one = teren_test_device_new (server, "ana", PASSWORD, NULL);
  f->two = teren_test_device_new (server, "bianca", PASSWORD, NULL);
  f->person_id = g_strdup (json_object_get_string_member (person, "record_id"));
  kase = teren_test_op_new ("create", NULL, "case", "child", 0, teren_test_case_fields (f->person_id), NULL);
  f->case_id = g_strdup (json_object_get_string_member (kase, "record_id"));
  r1 = teren_test_device_push_one (f->one, person);
  g_assert_cmpstr (teren_test_result_status (r1), ==, "applied");
  r2 = teren_test_device_push_one (f->one, kase);
  g_assert_cmpstr (teren_test_result_status (r2), ==, "applied");
  f->rev = json_object_get_int_member (r2, "rev");
  g_assert_cmpint (f->rev, ==, 1);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The records of a line the device holds, as sorted "id rev deleted" lines. Registry
 * records differ by account: a person an account created stays in its scope only. */
static char *
line_records (TerenTestDevice *device)
{
  g_autofree char *all = teren_test_device_snapshot (device);   /* a fresh full pull */
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, device->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (json_object_get_string_member (value, "line"), "") != 0)
      g_ptr_array_add (lines, g_strdup_printf ("%s %" G_GINT64_FORMAT " %d", (const char *) key,
                                               json_object_get_int_member (value, "rev"),
                                               json_object_get_boolean_member (value, "deleted")));
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (text, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Whatever happened, both devices end with the same records of the line (convergence). */
  g_autofree char *a = line_records (f->one);
  g_autofree char *b = line_records (f->two);

  g_assert_cmpstr (a, ==, b);
  teren_test_device_free (f->one);
  teren_test_device_free (f->two);
  g_free (f->case_id);
  g_free (f->person_id);
}

static JsonObject *
patch1 (const char *key,
        const char *value)
{
  JsonObject *patch = json_object_new ();

  if (value != NULL)
    json_object_set_string_member (patch, key, value);
  else
    json_object_set_null_member (patch, key);
  return patch;
}

static JsonObject *
update (Fixture         *f,
        TerenTestDevice *device,
        gint64           base_rev,
        JsonObject      *patch,
        const char      *prev_change)
{
  g_autoptr(JsonObject) op = teren_test_op_new ("update", f->case_id, "case", "child", base_rev, patch,
                                                prev_change);

  return teren_test_device_push_one (device, op);
}

static JsonObject *
result_fields (JsonObject *result)
{
  JsonObject *record = json_object_get_object_member (result, "record");

  g_assert_nonnull (record);
  return json_object_get_object_member (record, "fields");
}

static JsonObject *
find_conflict (JsonObject *result,
               const char *field)
{
  JsonArray *conflicts = json_object_get_array_member (result, "conflicts");

  g_assert_nonnull (conflicts);
  for (guint i = 0; i < json_array_get_length (conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (conflicts, i);
      if (g_strcmp0 (json_object_get_string_member (c, "field"), field) == 0)
        return c;
    }
  return NULL;
}

static JsonObject *
pulled_fields (TerenTestDevice *device,
               const char      *id)
{
  JsonObject *record;

  teren_test_device_pull_all (device, 0);
  record = teren_test_device_get (device, id);
  g_assert_nonnull (record);
  return json_object_get_object_member (record, "fields");
}

static void
test_disjoint_fields (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) a = update (f, f->one, 1, patch1 ("case_manager", "Ion Pop"), NULL);
  g_autoptr(JsonObject) b = update (f, f->two, 1, patch1 ("number", "D-7/2025"), NULL);
  JsonObject *fields;

  g_assert_cmpstr (teren_test_result_status (a), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (a, "rev"), ==, 2);
  g_assert_cmpstr (teren_test_result_status (b), ==, "merged");
  g_assert_cmpint (json_object_get_int_member (b, "rev"), ==, 3);
  fields = result_fields (b);
  g_assert_cmpstr (json_object_get_string_member (fields, "case_manager"), ==, "Ion Pop");
  g_assert_cmpstr (json_object_get_string_member (fields, "number"), ==, "D-7/2025");
  g_assert_cmpstr (json_object_get_string_member (fields, "status"), ==, "open");

  fields = pulled_fields (f->one, f->case_id);
  g_assert_cmpstr (json_object_get_string_member (fields, "case_manager"), ==, "Ion Pop");
  g_assert_cmpstr (json_object_get_string_member (fields, "number"), ==, "D-7/2025");
}

static void
test_same_field_conflict (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) a = update (f, f->one, 1, patch1 ("case_manager", "Ion Pop"), NULL);
  JsonObject *patch = patch1 ("case_manager", "Maria Dan");
  g_autoptr(JsonObject) b = NULL;
  JsonObject *conflict;
  JsonObject *fields;
  JsonObject *sys;
  const char *conflict_id;

  json_object_set_string_member (patch, "number", "D-9/2025");
  b = update (f, f->two, 1, patch, NULL);
  g_assert_cmpstr (teren_test_result_status (a), ==, "applied");
  g_assert_cmpstr (teren_test_result_status (b), ==, "conflict");
  g_assert_cmpstr (json_object_get_string_member (b, "reason"), ==, "field");
  g_assert_cmpint (json_object_get_int_member (b, "rev"), ==, 3);
  conflict = find_conflict (b, "case_manager");
  g_assert_nonnull (conflict);
  g_assert_true (json_node_is_null (json_object_get_member (conflict, "base")));
  g_assert_cmpstr (json_object_get_string_member (conflict, "server"), ==, "Ion Pop");
  g_assert_cmpstr (json_object_get_string_member (conflict, "local"), ==, "Maria Dan");
  g_assert_null (find_conflict (b, "number"));
  conflict_id = json_object_get_string_member (conflict, "conflict_id");
  g_assert_nonnull (conflict_id);

  /* The server value stays, the other field of the patch is applied. */
  fields = result_fields (b);
  g_assert_cmpstr (json_object_get_string_member (fields, "case_manager"), ==, "Ion Pop");
  g_assert_cmpstr (json_object_get_string_member (fields, "number"), ==, "D-9/2025");
  fields = pulled_fields (f->one, f->case_id);
  g_assert_cmpstr (json_object_get_string_member (fields, "case_manager"), ==, "Ion Pop");
  g_assert_cmpstr (json_object_get_string_member (fields, "number"), ==, "D-9/2025");

  /* The conflict is a record in the case's line, seen by the other worker too. */
  sys = teren_test_device_get (f->one, conflict_id);
  g_assert_nonnull (sys);
  g_assert_cmpstr (json_object_get_string_member (sys, "kind"), ==, "sys.conflict");
  g_assert_cmpstr (json_object_get_string_member (sys, "line"), ==, "child");
  {
    g_autofree char *text = teren_test_object_to_string (json_object_get_object_member (sys, "fields"));
    g_assert_nonnull (strstr (text, f->case_id));
    g_assert_nonnull (strstr (text, "Maria Dan"));
  }
}

/* A conflict is resolved by an ordinary update from the current rev carrying
 * `resolves: [conflict_id]`: the sys.conflict record is closed in the same transaction. */
static void
test_resolve (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonObject) a = update (f, f->one, 1, patch1 ("case_manager", "Ion Pop"), NULL);
  g_autoptr(JsonObject) b = update (f, f->two, 1, patch1 ("case_manager", "Maria Dan"), NULL);
  g_autoptr(JsonObject) resolve = NULL;
  g_autoptr(JsonObject) r = NULL;
  JsonArray *resolves = json_array_new ();
  JsonObject *sys;
  const char *conflict_id;
  gint64 rev;

  g_assert_cmpstr (teren_test_result_status (b), ==, "conflict");
  conflict_id = json_object_get_string_member (b, "conflict_id");
  g_assert_nonnull (conflict_id);
  rev = json_object_get_int_member (b, "rev");
  teren_test_device_pull_all (f->one, 0);
  sys = teren_test_device_get (f->one, conflict_id);
  g_assert_nonnull (sys);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sys, "fields"), "status"), ==, "open");

  /* The other worker decides for Maria Dan. */
  json_array_add_string_element (resolves, conflict_id);
  resolve = teren_test_op_new ("update", f->case_id, "case", "child", rev, patch1 ("case_manager", "Maria Dan"), NULL);
  json_object_set_array_member (resolve, "resolves", resolves);
  r = teren_test_device_push_one (f->one, resolve);
  g_assert_cmpstr (teren_test_result_status (r), ==, "applied");
  teren_test_device_pull_all (f->one, 0);
  sys = teren_test_device_get (f->one, conflict_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sys, "fields"), "status"), ==,
                   "resolved");
  g_assert_cmpstr (json_object_get_string_member (pulled_fields (f->one, f->case_id), "case_manager"), ==,
                   "Maria Dan");
  g_assert_cmpstr (teren_test_result_status (a), ==, "applied");
}

static void
test_equal_values (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) a = update (f, f->one, 1, patch1 ("case_manager", "Ion Pop"), NULL);
  g_autoptr(JsonObject) b = update (f, f->two, 1, patch1 ("case_manager", "Ion Pop"), NULL);

  g_assert_cmpstr (teren_test_result_status (a), ==, "applied");
  g_assert_cmpstr (teren_test_result_status (b), ==, "merged");
  g_assert_false (json_object_has_member (b, "conflicts")
                  && json_array_get_length (json_object_get_array_member (b, "conflicts")) > 0);
  g_assert_cmpstr (json_object_get_string_member (result_fields (b), "case_manager"), ==, "Ion Pop");
}

/* A worker who corrects the same field twice offline never conflicts with herself, if her
 * second op names the first in prev_change; without it, it is a conflict (SYNC.md). */
static void
test_own_chain (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  JsonObject *first = teren_test_op_new ("update", f->case_id, "case", "child", 1,
                                         patch1 ("case_manager", "Ion"), NULL);
  JsonObject *second = teren_test_op_new ("update", f->case_id, "case", "child", 1,
                                          patch1 ("case_manager", "Ion Pop"),
                                          json_object_get_string_member (first, "change_id"));
  g_autoptr(JsonObject) unchained = NULL;
  g_autoptr(JsonObject) r = NULL;
  const char *status;

  json_array_add_object_element (ops, first);
  json_array_add_object_element (ops, second);
  results = teren_test_device_push (f->one, ops);
  g_assert_cmpstr (teren_test_result_status (json_array_get_object_element (results, 0)), ==, "applied");
  status = teren_test_result_status (json_array_get_object_element (results, 1));
  g_assert_true (g_strcmp0 (status, "applied") == 0 || g_strcmp0 (status, "merged") == 0);
  g_assert_cmpstr (json_object_get_string_member (pulled_fields (f->one, f->case_id), "case_manager"), ==,
                   "Ion Pop");

  /* The same from base 1 without a chain clashes with those revisions. */
  unchained = teren_test_op_new ("update", f->case_id, "case", "child", 1, patch1 ("case_manager", "Dan"), NULL);
  r = teren_test_device_push_one (f->one, unchained);
  g_assert_cmpstr (teren_test_result_status (r), ==, "conflict");
  g_assert_cmpstr (json_object_get_string_member (pulled_fields (f->one, f->case_id), "case_manager"), ==,
                   "Ion Pop");
}

static void
test_edit_on_deleted (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) del = teren_test_op_new ("delete", f->case_id, "case", "child", 1, NULL, NULL);
  g_autoptr(JsonObject) a = teren_test_device_push_one (f->one, del);
  g_autoptr(JsonObject) b = update (f, f->two, 1, patch1 ("case_manager", "Ion Pop"), NULL);
  JsonObject *record;

  g_assert_cmpstr (teren_test_result_status (a), ==, "applied");
  g_assert_cmpstr (teren_test_result_status (b), ==, "conflict");
  g_assert_cmpstr (json_object_get_string_member (b, "reason"), ==, "edit_on_deleted");
  teren_test_device_pull_all (f->two, 0);
  record = teren_test_device_get (f->two, f->case_id);
  /* Stays deleted: a first pull has no tombstone, an incremental one shows it deleted. */
  g_assert_true (record == NULL || json_object_get_boolean_member (record, "deleted"));
}

static void
test_delete_vs_edit (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) a = update (f, f->one, 1, patch1 ("case_manager", "Ion Pop"), NULL);
  g_autoptr(JsonObject) del = teren_test_op_new ("delete", f->case_id, "case", "child", 1, NULL, NULL);
  g_autoptr(JsonObject) b = teren_test_device_push_one (f->two, del);
  JsonObject *record;

  g_assert_cmpstr (teren_test_result_status (a), ==, "applied");
  g_assert_cmpstr (teren_test_result_status (b), ==, "conflict");
  g_assert_cmpstr (json_object_get_string_member (b, "reason"), ==, "delete_vs_edit");
  teren_test_device_pull_all (f->two, 0);
  record = teren_test_device_get (f->two, f->case_id);
  g_assert_nonnull (record);
  g_assert_false (json_object_get_boolean_member (record, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "fields"),
                                                  "case_manager"), ==, "Ion Pop");
}

static JsonObject *
set_patch (const char *first,
           ...)
{
  JsonObject *patch = json_object_new ();
  JsonArray *array = json_array_new ();
  va_list ap;
  const char *code;

  va_start (ap, first);
  for (code = first; code != NULL; code = va_arg (ap, const char *))
    json_array_add_string_element (array, code);
  va_end (ap);
  json_object_set_array_member (patch, "disability_type", array);
  return patch;
}

static gboolean
array_has (JsonArray  *array,
           const char *code)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), code) == 0)
      return TRUE;
  return FALSE;
}

/* Multi-choice fields merge as sets and never conflict. */
static void
test_multi_choice_sets (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) base_op = teren_test_op_new ("update", f->person_id, "person", "", 1,
                                                     set_patch ("physical", "visual", NULL), NULL);
  g_autoptr(JsonObject) base = teren_test_device_push_one (f->one, base_op);
  g_autoptr(JsonObject) a_op = NULL;
  g_autoptr(JsonObject) b_op = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  JsonArray *merged;
  gint64 rev = json_object_get_int_member (base, "rev");

  g_assert_cmpstr (teren_test_result_status (base), ==, "applied");
  /* One adds hearing, the other removes visual, from the same base. */
  a_op = teren_test_op_new ("update", f->person_id, "person", "", rev,
                            set_patch ("physical", "visual", "hearing", NULL), NULL);
  b_op = teren_test_op_new ("update", f->person_id, "person", "", rev, set_patch ("physical", NULL), NULL);
  a = teren_test_device_push_one (f->one, a_op);
  b = teren_test_device_push_one (f->two, b_op);
  g_assert_cmpstr (teren_test_result_status (a), ==, "applied");
  g_assert_cmpstr (teren_test_result_status (b), ==, "merged");
  merged = json_object_get_array_member (result_fields (b), "disability_type");
  g_assert_nonnull (merged);
  g_assert_true (array_has (merged, "physical"));
  g_assert_true (array_has (merged, "hearing"));
  g_assert_false (array_has (merged, "visual"));
  g_assert_cmpuint (json_array_get_length (merged), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = teren_test_server_new ();
  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_add_user (server, "bianca", PASSWORD, "child", "worker");
  teren_test_server_start (server);

#define ADD(path, func) \
  g_test_add ("/server/merge/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("disjoint-fields", test_disjoint_fields);
  ADD ("same-field-conflict", test_same_field_conflict);
  ADD ("resolve", test_resolve);
  ADD ("equal-values", test_equal_values);
  ADD ("own-chain", test_own_chain);
  ADD ("edit-on-deleted", test_edit_on_deleted);
  ADD ("delete-vs-edit", test_delete_vs_edit);
  ADD ("multi-choice-sets", test_multi_choice_sets);
#undef ADD

  ret = g_test_run ();
  teren_test_server_free (server);
  return ret;
}
