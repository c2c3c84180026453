/* test-store-sync.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-store-test-util.h"
#include "teren-uuid.h"

/* The store's sync layer with canned server answers shaped as teren-server sends them
 * (brief/server-notes.md): per-op results, malformed answers that must change nothing,
 * pull pages with rebase over pending edits, purges, conflicts, quarantine, the wipe. */

typedef struct {
  char       *dir;
  TerenStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("teren-store-sync-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static JsonObject *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = teren_json_parse_object (json, -1, 64, &error);

  g_assert_no_error (error);
  return object;
}

static TerenRecord *
save_person (TerenStore *store,
             const char *id,
             const char *first_name)
{
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) error = NULL;
  TerenRecord *record;

  if (id == NULL)
    fields = test_person_fields ("Popescu", first_name, "M", "1980-01-02", NULL);
  else
    {
      fields = json_object_new ();
      json_object_set_string_member (fields, "first_name", first_name);
    }
  record = teren_store_save (store, "person", "", id, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

/* The record as the server returns it. */
static char *
server_record (TerenRecord *record,
               gint64       rev,
               gint64       seq,
               const char  *first_name)
{
  g_autoptr(JsonObject) fields = teren_json_object_copy (teren_record_get_fields (record));
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (first_name != NULL)
    json_object_set_string_member (fields, "first_name", first_name);
  json_node_set_object (node, fields);
  {
    g_autofree char *fields_json = teren_json_to_string (node);

    return g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"person\",\"line\":\"\",\"rev\":%" G_GINT64_FORMAT
                            ",\"seq\":%" G_GINT64_FORMAT ",\"deleted\":false,\"fields\":%s,"
                            "\"updated_by\":\"ana\",\"updated_at\":\"2026-12-01T10:00:00Z\"}",
                            teren_record_get_id (record), rev, seq, fields_json);
  }
}

static void
assert_status (TerenStore *store,
               guint       pending,
               guint       held,
               guint       quarantined,
               guint       conflicts)
{
  TerenSyncStatus status;
  g_autoptr(GError) error = NULL;

  g_assert_true (teren_store_sync_get_status (store, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status.pending, ==, pending);
  g_assert_cmpuint (status.held, ==, held);
  g_assert_cmpuint (status.quarantined, ==, quarantined);
  g_assert_cmpuint (status.conflicts, ==, conflicts);
  teren_sync_status_clear (&status);
}

static void
test_push_applied (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Ion");
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(TerenRecord) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *rec = NULL;
  TerenSyncCounts counts = { 0 };
  TerenOp *op;

  ops = teren_store_sync_take_batch (fixture->store, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);
  op = ops->pdata[0];
  g_assert_cmpstr (op->record_id, ==, teren_record_get_id (record));

  /* An unanswered batch is taken again with the same change id. */
  again = teren_store_sync_take_batch (fixture->store, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (((TerenOp *) again->pdata[0])->change_id, ==, op->change_id);

  rec = server_record (record, 1, 10, NULL);
  json = g_strdup_printf ("{\"results\":[{\"change_id\":\"%s\",\"record_id\":\"%s\",\"status\":\"applied\","
                          "\"rev\":1,\"seq\":10,\"record\":%s}],\"server_time\":\"x\"}",
                          op->change_id, op->record_id, rec);
  answer = parse (json);
  g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops, answer, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.applied, ==, 1);
  assert_status (fixture->store, 0, 0, 0, 0);

  after = teren_store_get_record (fixture->store, teren_record_get_id (record), &error);
  g_assert_no_error (error);
  g_assert_cmpint (teren_record_get_rev (after), ==, 1);
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, teren_record_get_id (record), NULL, NULL),
                   ==, TEREN_RECORD_SYNCED);

  /* The same answer again (a replay) changes nothing. */
  memset (&counts, 0, sizeof counts);
  g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops, answer, &counts, &error));
  g_assert_cmpuint (counts.applied, ==, 0);
}

static void
test_push_bad_answers (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Ion");
  g_autoptr(GPtrArray) ops = teren_store_sync_take_batch (fixture->store, 500, NULL);
  TerenOp *op = ops->pdata[0];
  g_autofree char *rec = server_record (record, 1, 10, NULL);
  g_autofree char *wrong_id = teren_uuid_new ();
  const char *templates[] = {
    "{}",
    "{\"results\":[]}",
    "{\"results\":[1]}",
    "{\"results\":[{\"status\":\"applied\"}]}",                       /* no rev */
    "{\"results\":[{\"status\":\"exploded\",\"rev\":1}]}",
    "{\"results\":[{\"status\":\"applied\",\"rev\":1,\"change_id\":\"@ID@\"}]}",  /* another op */
    "{\"results\":[{\"status\":\"applied\",\"rev\":1,\"record\":{\"id\":\"@ID@\",\"kind\":\"person\",\"rev\":1}}]}",
    "{\"results\":[{\"status\":\"applied\",\"rev\":-4}]}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_auto(GStrv) parts = g_strsplit (templates[i], "@ID@", -1);
      g_autofree char *json = g_strjoinv (wrong_id, parts);
      g_autoptr(JsonObject) answer = parse (json);
      g_autoptr(GError) error = NULL;

      g_assert_false (teren_store_sync_apply_push_answer (fixture->store, ops, answer, NULL, &error));
      g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
      assert_status (fixture->store, 1, 0, 0, 0);
      g_assert_cmpint (teren_store_get_sync_state (fixture->store, op->record_id, NULL, NULL), ==,
                       TEREN_RECORD_WAITING);
    }
}

static void
test_push_duplicate (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Ion");
  g_autoptr(GPtrArray) ops = teren_store_sync_take_batch (fixture->store, 500, NULL);
  TerenOp *op = ops->pdata[0];
  g_autofree char *rec = server_record (record, 1, 10, NULL);
  g_autofree char *json = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  TerenSyncCounts counts = { 0 };

  json = g_strdup_printf ("{\"results\":[{\"change_id\":\"%s\",\"status\":\"duplicate\","
                          "\"original_status\":\"applied\",\"rev\":1,\"seq\":10,\"record\":%s}]}",
                          op->change_id, rec);
  answer = parse (json);
  g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops, answer, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.duplicates, ==, 1);
  g_assert_cmpuint (counts.applied, ==, 0);
  assert_status (fixture->store, 0, 0, 0, 0);
}

static void
test_push_conflict_and_resolve (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Ion");
  g_autoptr(GPtrArray) ops = teren_store_sync_take_batch (fixture->store, 500, NULL);
  g_autoptr(GPtrArray) ops2 = NULL;
  g_autoptr(GPtrArray) ops3 = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(TerenRecord) edited = NULL;
  g_autoptr(TerenRecord) shown = NULL;
  g_autoptr(TerenRecord) resolved = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) answer2 = NULL;
  g_autoptr(JsonObject) answer3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rec1 = server_record (record, 1, 1, NULL);
  g_autofree char *rec3 = NULL;
  g_autofree char *rec4 = NULL;
  g_autofree char *json = NULL;
  g_autofree char *conflict_id = teren_uuid_new ();
  g_autoptr(JsonNode) choice = json_node_new (JSON_NODE_VALUE);
  TerenConflict *item;
  TerenOp *op;

  json = g_strdup_printf ("{\"results\":[{\"change_id\":\"%s\",\"status\":\"applied\",\"rev\":1,"
                          "\"seq\":1,\"record\":%s}]}", ((TerenOp *) ops->pdata[0])->change_id, rec1);
  answer = parse (json);
  g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops, answer, NULL, &error));
  g_assert_no_error (error);

  /* Edited offline to "Ionel"; the server has "Ionuț" at rev 2 from someone else. */
  edited = save_person (fixture->store, teren_record_get_id (record), "Ionel");
  ops2 = teren_store_sync_take_batch (fixture->store, 500, NULL);
  g_assert_cmpuint (ops2->len, ==, 1);
  op = ops2->pdata[0];
  g_assert_cmpint (op->base_rev, ==, 1);
  rec3 = server_record (record, 3, 7, "Ionuț");
  g_free (json);
  json = g_strdup_printf ("{\"results\":[{\"change_id\":\"%s\",\"record_id\":\"%s\",\"status\":\"conflict\","
                          "\"rev\":3,\"seq\":7,\"record\":%s,\"reason\":\"field\",\"conflicts\":[{\"field\":"
                          "\"first_name\",\"base\":\"Ion\",\"server\":\"Ionuț\",\"local\":\"Ionel\","
                          "\"server_by\":\"maria\",\"server_at\":\"2026-12-01T09:00:00Z\","
                          "\"conflict_id\":\"%s\"}]}]}",
                          op->change_id, op->record_id, rec3, conflict_id);
  answer2 = parse (json);
  g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops2, answer2, NULL, &error));
  g_assert_no_error (error);
  assert_status (fixture->store, 0, 0, 0, 1);

  shown = teren_store_get_record (fixture->store, teren_record_get_id (record), NULL);
  g_assert_cmpstr (teren_record_get_string (shown, "first_name"), ==, "Ionuț");
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, teren_record_get_id (record), NULL, NULL),
                   ==, TEREN_RECORD_IN_CONFLICT);

  conflicts = teren_store_list_conflicts (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  item = conflicts->pdata[0];
  g_assert_cmpstr (item->conflict_id, ==, conflict_id);
  g_assert_cmpstr (item->field, ==, "first_name");
  g_assert_cmpstr (json_node_get_string (item->base), ==, "Ion");
  g_assert_cmpstr (json_node_get_string (item->server), ==, "Ionuț");
  g_assert_cmpstr (json_node_get_string (item->local), ==, "Ionel");
  g_assert_cmpstr (item->server_by, ==, "maria");
  g_assert_cmpstr (item->state, ==, "open");

  /* A bad value is refused and changes nothing. */
  json_node_set_string (choice, "I0n\x01");
  g_assert_null (teren_store_resolve_conflict (fixture->store, item->id, choice, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);
  assert_status (fixture->store, 0, 0, 0, 1);

  /* The worker keeps her value: an ordinary change that closes the conflict. */
  json_node_set_string (choice, "Ionel");
  resolved = teren_store_resolve_conflict (fixture->store, item->id, choice, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (resolved, "first_name"), ==, "Ionel");
  ops3 = teren_store_sync_take_batch (fixture->store, 500, NULL);
  g_assert_cmpuint (ops3->len, ==, 1);
  op = ops3->pdata[0];
  g_assert_nonnull (op->resolves);
  g_assert_cmpstr (op->resolves[0], ==, conflict_id);
  g_assert_cmpint (op->base_rev, ==, 3);

  rec4 = server_record (shown, 4, 9, "Ionel");
  g_free (json);
  json = g_strdup_printf ("{\"results\":[{\"change_id\":\"%s\",\"status\":\"applied\",\"rev\":4,"
                          "\"seq\":9,\"record\":%s}]}", op->change_id, rec4);
  answer3 = parse (json);
  g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops3, answer3, NULL, &error));
  g_assert_no_error (error);
  assert_status (fixture->store, 0, 0, 0, 0);
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, teren_record_get_id (record), NULL, NULL),
                   ==, TEREN_RECORD_SYNCED);
}

static void
test_push_rejected_quarantine (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Ion");
  g_autoptr(TerenRecord) other = save_person (fixture->store, NULL, "Vasile");
  g_autoptr(GPtrArray) ops = teren_store_sync_take_batch (fixture->store, 500, NULL);
  g_autoptr(GPtrArray) quarantine = NULL;
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) fixed = json_object_new ();
  g_autoptr(TerenRecord) later = NULL;
  g_autoptr(TerenRecord) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rec = server_record (other, 1, 2, NULL);
  g_autofree char *json = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *refused_id = NULL;
  TerenQuarantined *item;
  TerenSyncCounts counts = { 0 };

  g_assert_cmpuint (ops->len, ==, 2);
  json = g_strdup_printf ("{\"results\":["
                          "{\"change_id\":\"%s\",\"status\":\"rejected\",\"code\":\"invalid\","
                          "\"message\":\"The CNP is not valid\",\"fields\":{\"cnp\":{\"code\":"
                          "\"cnp_checksum\",\"message\":\"The CNP is not valid\"}}},"
                          "{\"change_id\":\"%s\",\"status\":\"applied\",\"rev\":1,\"seq\":2,\"record\":%s}]}",
                          ((TerenOp *) ops->pdata[0])->change_id,
                          ((TerenOp *) ops->pdata[1])->change_id, rec);
  answer = parse (json);
  g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops, answer, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.rejected, ==, 1);
  g_assert_cmpuint (counts.applied, ==, 1);
  assert_status (fixture->store, 0, 0, 1, 0);
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, teren_record_get_id (record), NULL, &reason),
                   ==, TEREN_RECORD_QUARANTINED);
  g_assert_cmpstr (reason, ==, "The CNP is not valid");

  /* A later edit of the same record waits behind the refused one; other records go on. */
  later = save_person (fixture->store, teren_record_get_id (record), "Ionică");
  assert_status (fixture->store, 0, 1, 1, 0);
  next = teren_store_sync_take_batch (fixture->store, 500, NULL);
  g_assert_cmpuint (next->len, ==, 0);

  quarantine = teren_store_list_quarantine (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quarantine->len, ==, 2);
  item = quarantine->pdata[0];
  g_assert_false (item->held);
  g_assert_cmpstr (item->code, ==, "invalid");
  g_assert_cmpstr (item->message, ==, "The CNP is not valid");
  g_assert_nonnull (item->errors);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (item->errors, 0), "field"),
                   ==, "cnp");
  g_assert_true (((TerenQuarantined *) quarantine->pdata[1])->held);

  /* A fix that is still invalid is refused; nothing changes. */
  json_object_set_string_member (fixed, "birth_date", "2999-01-01");
  g_assert_false (teren_store_retry_quarantined (fixture->store, item->change_id, fixed, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);
  assert_status (fixture->store, 0, 1, 1, 0);

  /* Retry unchanged: both go back to the op-log. */
  g_assert_true (teren_store_retry_quarantined (fixture->store, item->change_id, NULL, &error));
  g_assert_no_error (error);
  assert_status (fixture->store, 2, 0, 0, 0);

  /* Refused again, then discarded: the create goes with its later edit, the record too. */
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = teren_store_sync_take_batch (fixture->store, 500, NULL);
  g_assert_cmpuint (ops->len, ==, 2);
  /* A retry is a new attempt: a new change id, and the held edit chains to it. */
  g_assert_cmpstr (((TerenOp *) ops->pdata[0])->change_id, !=, item->change_id);
  g_assert_cmpstr (((TerenOp *) ops->pdata[1])->prev_change, ==, ((TerenOp *) ops->pdata[0])->change_id);
  refused_id = g_strdup (((TerenOp *) ops->pdata[0])->change_id);
  g_free (json);
  json = g_strdup_printf ("{\"results\":[{\"change_id\":\"%s\",\"status\":\"rejected\",\"code\":\"invalid\","
                          "\"message\":\"no\"},{\"change_id\":\"%s\",\"status\":\"rejected\","
                          "\"code\":\"not_found\",\"message\":\"no\"}]}",
                          ((TerenOp *) ops->pdata[0])->change_id, ((TerenOp *) ops->pdata[1])->change_id);
  g_clear_pointer (&answer, json_object_unref);
  answer = parse (json);
  g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops, answer, NULL, &error));
  g_assert_no_error (error);
  assert_status (fixture->store, 0, 0, 2, 0);
  g_assert_false (teren_store_discard_quarantined (fixture->store, item->change_id, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (teren_store_discard_quarantined (fixture->store, refused_id, &error));
  g_assert_no_error (error);
  assert_status (fixture->store, 0, 0, 0, 0);
  gone = teren_store_get_record (fixture->store, teren_record_get_id (record), &error);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);

  /* Unknown ids are refused clearly. */
  g_assert_false (teren_store_discard_quarantined (fixture->store, refused_id, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
}

static char *
page_json (const char *records,
           const char *purge,
           const char *cursor,
           gboolean    more)
{
  return g_strdup_printf ("{\"records\":[%s],\"purge\":[%s],\"cursor\":\"%s\",\"more\":%s,"
                          "\"epoch\":\"e1\",\"server_time\":\"2026-12-01T10:00:00Z\"}",
                          records, purge, cursor, more ? "true" : "false");
}

static char *
pulled_person (const char *id,
               gint64      rev,
               const char *first_name,
               const char *last_name)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"person\",\"line\":\"\",\"rev\":%" G_GINT64_FORMAT
                          ",\"seq\":%" G_GINT64_FORMAT ",\"deleted\":false,\"fields\":{\"last_name\":\"%s\","
                          "\"first_name\":\"%s\",\"sex\":\"F\",\"birth_date\":\"1990-05-06\","
                          "\"cnp_status\":\"missing\"},\"updated_by\":\"maria\","
                          "\"updated_at\":\"2026-12-01T09:00:00Z\"}",
                          id, rev, rev * 10, last_name, first_name);
}

static void
test_pull_pages (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *id1 = teren_uuid_new ();
  g_autofree char *id2 = teren_uuid_new ();
  g_autofree char *p1 = pulled_person (id1, 1, "Ana", "Ionescu");
  g_autofree char *p2 = pulled_person (id2, 1, "Elena", "Marin");
  g_autofree char *both = g_strconcat (p1, ",", p2, NULL);
  g_autofree char *page1 = page_json (both, "", "c1", TRUE);
  g_autofree char *cursor = NULL;
  g_autofree char *p1b = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *page3 = NULL;
  g_autoptr(JsonObject) page = parse (page1);
  g_autoptr(JsonObject) page_b = NULL;
  g_autoptr(JsonObject) page_c = NULL;
  g_autoptr(TerenRecord) local = NULL;
  g_autoptr(TerenRecord) after = NULL;
  g_autoptr(TerenRecord) purged = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  TerenSyncCounts counts = { 0 };
  gboolean more = FALSE;

  g_assert_null (teren_store_sync_get_cursor (fixture->store));
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page, &counts, &more, &error));
  g_assert_no_error (error);
  g_assert_true (more);
  g_assert_cmpuint (counts.records, ==, 2);
  cursor = teren_store_sync_get_cursor (fixture->store);
  g_assert_cmpstr (cursor, ==, "c1");
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 2);
  found = teren_store_search (fixture->store, NULL, "ionescu", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  /* A replayed page changes nothing. */
  memset (&counts, 0, sizeof counts);
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page, &counts, &more, &error));
  g_assert_cmpuint (counts.records, ==, 0);
  g_assert_cmpuint (counts.skipped, ==, 2);

  /* A pending local edit survives a newer server revision of other fields. */
  local = save_person (fixture->store, id1, "Anca");
  p1b = pulled_person (id1, 2, "Ana", "Ionescu-Pop");
  page2 = page_json (p1b, "", "c2", FALSE);
  page_b = parse (page2);
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page_b, NULL, &more, &error));
  g_assert_no_error (error);
  g_assert_false (more);
  after = teren_store_get_record (fixture->store, id1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (after, "first_name"), ==, "Anca");
  g_assert_cmpstr (teren_record_get_string (after, "last_name"), ==, "Ionescu-Pop");
  g_assert_cmpint (teren_record_get_rev (after), ==, 2);
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, id1, NULL, NULL), ==, TEREN_RECORD_WAITING);

  /* Purge: the record without pending operations goes; the other waits for its push. */
  quoted = g_strdup_printf ("\"%s\",\"%s\"", id1, id2);
  page3 = page_json ("", quoted, "c3", FALSE);
  page_c = parse (page3);
  memset (&counts, 0, sizeof counts);
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page_c, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.purged, ==, 1);
  purged = teren_store_get_record (fixture->store, id2, &error);
  g_assert_null (purged);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&after);
  after = teren_store_get_record (fixture->store, id1, &error);
  g_assert_no_error (error);

  /* Once the op-log is empty (here: discarded by hand), the postponed purge is done. */
  {
    g_autoptr(GPtrArray) ops = teren_store_sync_take_batch (fixture->store, 500, NULL);
    g_autofree char *json = g_strdup_printf ("{\"results\":[{\"change_id\":\"%s\",\"status\":\"applied\","
                                             "\"rev\":3,\"seq\":40}]}",
                                             ((TerenOp *) ops->pdata[0])->change_id);
    g_autoptr(JsonObject) answer = parse (json);

    g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops, answer, NULL, &error));
    g_assert_no_error (error);
  }
  memset (&counts, 0, sizeof counts);
  g_assert_true (teren_store_sync_finish_purges (fixture->store, &counts, &error));
  g_assert_cmpuint (counts.purged, ==, 1);
  g_clear_object (&after);
  after = teren_store_get_record (fixture->store, id1, &error);
  g_assert_null (after);
  g_clear_error (&error);
  g_assert_true (teren_store_check_integrity (fixture->store, &error));
}

static guint
search_count (TerenStore *store,
              const char *query)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = teren_store_search (store, NULL, query, 0, &error);
  g_assert_no_error (error);
  return found->len;
}

/* Large pages of records never seen here have their search_fts rows written in one
 * statement before the page's commit: every record is found by name prefix, the same id
 * twice in a page and a record already here are indexed once with their last values, the
 * FTS index is consistent, and local saves afterwards are indexed at once. */
static void
test_pull_large_pages_search (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GString) first = g_string_new (NULL);
  g_autoptr(GString) second = g_string_new (NULL);
  g_autofree char *first_id = teren_uuid_new ();
  g_autofree char *page1_json = NULL;
  g_autofree char *page2_json = NULL;
  g_autoptr(JsonObject) page1 = NULL;
  g_autoptr(JsonObject) page2 = NULL;
  g_autoptr(TerenRecord) local = NULL;
  g_autoptr(GError) error = NULL;
  TerenSyncCounts counts = { 0 };
  sqlite3 *db;
  guint i;

  for (i = 0; i < 50; i++)
    {
      g_autofree char *id = i == 0 ? g_strdup (first_id) : teren_uuid_new ();
      g_autofree char *name = g_strdup_printf ("Vasile%u", i);
      g_autofree char *record = pulled_person (id, 1, name, "Popa");

      g_string_append_printf (first, "%s%s", i > 0 ? "," : "", record);
    }
  /* The same record again later in the page, renamed. */
  {
    g_autofree char *record = pulled_person (first_id, 2, "Dumitru", "Popa");

    g_string_append_printf (first, ",%s", record);
  }
  page1_json = page_json (first->str, "", "c1", TRUE);
  page1 = parse (page1_json);
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page1, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.records, ==, 51);
  g_assert_cmpuint (search_count (fixture->store, "popa"), ==, 50);
  g_assert_cmpuint (search_count (fixture->store, "vasile4"), ==, 11);
  g_assert_cmpuint (search_count (fixture->store, "vasile0"), ==, 0);
  g_assert_cmpuint (search_count (fixture->store, "dumitru"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "dum popa"), ==, 1);

  /* A second page: 40 fresh records after one already here (rev 3 of the first). */
  {
    g_autofree char *record = pulled_person (first_id, 3, "Dorin", "Popa");

    g_string_append (second, record);
  }
  for (i = 0; i < 40; i++)
    {
      g_autofree char *id = teren_uuid_new ();
      g_autofree char *name = g_strdup_printf ("Ilie%u", i);
      g_autofree char *record = pulled_person (id, 1, name, "Stan");

      g_string_append_printf (second, ",%s", record);
    }
  page2_json = page_json (second->str, "", "c2", FALSE);
  page2 = parse (page2_json);
  memset (&counts, 0, sizeof counts);
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page2, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.records, ==, 41);
  g_assert_cmpuint (search_count (fixture->store, "stan"), ==, 40);
  g_assert_cmpuint (search_count (fixture->store, "ilie3"), ==, 11);
  g_assert_cmpuint (search_count (fixture->store, "dumitru"), ==, 0);
  g_assert_cmpuint (search_count (fixture->store, "dorin"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "popa"), ==, 50);

  /* A local save is found at once. */
  local = save_person (fixture->store, NULL, "Zamfira");
  g_assert_cmpuint (search_count (fixture->store, "zamfi"), ==, 1);

  db = test_db_open (fixture->dir, FALSE);
  /* search_fts is written by the store, not by triggers (migration 5). */
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM sqlite_schema "
                                    "WHERE type = 'trigger' AND name GLOB 'search_a?'"), ==, 0);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM search"), ==, 91);
  test_db_exec (db, "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");
  sqlite3_close (db);
  g_assert_true (teren_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

static void
test_pull_bad_pages (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *id = teren_uuid_new ();
  g_autofree char *p = pulled_person (id, 1, "Ana", "Ionescu");
  g_autofree char *good = page_json (p, "", "c1", TRUE);
  g_autoptr(JsonObject) page = parse (good);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  const char *bad[] = {
    "{\"records\":[],\"more\":false}",                                /* no cursor */
    "{\"records\":{},\"cursor\":\"c9\"}",
    "{\"records\":[{\"id\":\"x\",\"kind\":\"person\"}],\"cursor\":\"c9\"}",   /* no rev */
    "{\"records\":[{\"id\":\"x\",\"kind\":\"person\",\"rev\":0}],\"cursor\":\"c9\"}",
    "{\"records\":[],\"purge\":[1],\"cursor\":\"c9\"}",
    "{\"records\":[],\"cursor\":\"c9\",\"more\":\"yes\"}",
  };
  guint i;

  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page, NULL, NULL, &error));
  g_assert_no_error (error);
  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) bad_page = parse (bad[i]);
      g_autofree char *now = NULL;

      g_assert_false (teren_store_sync_apply_pull_page (fixture->store, bad_page, NULL, NULL, &error));
      g_assert_error (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON);
      g_clear_error (&error);
      now = teren_store_sync_get_cursor (fixture->store);
      g_assert_cmpstr (now, ==, "c1");
      g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);
    }
}

static void
test_pull_conflict_record (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *id = teren_uuid_new ();
  g_autofree char *conflict_id = teren_uuid_new ();
  g_autofree char *p = pulled_person (id, 3, "Ana", "Ionescu");
  g_autofree char *c = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *all = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) page2 = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;

  c = g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"sys.conflict\",\"line\":\"\",\"rev\":1,\"seq\":31,"
                       "\"deleted\":false,\"fields\":{\"record\":\"%s\",\"record_kind\":\"person\","
                       "\"reason\":\"field\",\"change_id\":null,\"author\":\"ion\",\"status\":\"open\","
                       "\"fields\":[{\"field\":\"first_name\",\"base\":\"A\",\"server\":\"Ana\","
                       "\"local\":\"Anuța\"}]},\"updated_by\":\"ion\",\"updated_at\":\"x\"}",
                       conflict_id, id);
  all = g_strconcat (p, ",", c, NULL);
  json = page_json (all, "", "c1", FALSE);
  page = parse (json);
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page, NULL, NULL, &error));
  g_assert_no_error (error);
  conflicts = teren_store_list_conflicts (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, id, NULL, NULL), ==,
                   TEREN_RECORD_IN_CONFLICT);
  /* sys.conflict records are not records of the registry. */
  g_assert_cmpuint (teren_store_count (fixture->store, "sys.conflict"), ==, 0);

  closed = g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"sys.conflict\",\"line\":\"\",\"rev\":2,\"seq\":40,"
                            "\"deleted\":false,\"fields\":{\"record\":\"%s\",\"status\":\"resolved\"}}",
                            conflict_id, id);
  json2 = page_json (closed, "", "c2", FALSE);
  page2 = parse (json2);
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page2, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_status (fixture->store, 0, 0, 0, 0);
}

static void
test_epoch_reoffer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Ion");
  g_autoptr(TerenRecord) later = NULL;
  g_autoptr(GPtrArray) ops = teren_store_sync_take_batch (fixture->store, 500, NULL);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *rec = server_record (record, 1, 10, NULL);
  g_autofree char *answer_json = NULL;
  g_autofree char *first_change = g_strdup (((TerenOp *) ops->pdata[0])->change_id);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) page1 = parse ("{\"records\":[],\"cursor\":\"c1\",\"more\":false,\"epoch\":\"e1\"}");
  g_autoptr(JsonObject) page2 = parse ("{\"records\":[],\"cursor\":\"c2\",\"more\":false,\"epoch\":\"e1\"}");
  g_autoptr(JsonObject) page3 = parse ("{\"records\":[],\"cursor\":\"d1\",\"more\":false,\"epoch\":\"e2\"}");
  g_autoptr(GError) error = NULL;
  guint count = 99;

  answer_json = g_strdup_printf ("{\"results\":[{\"change_id\":\"%s\",\"status\":\"applied\","
                                 "\"rev\":1,\"seq\":10,\"record\":%s}]}", first_change, rec);
  answer = parse (answer_json);
  g_assert_true (teren_store_sync_apply_push_answer (fixture->store, ops, answer, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page1, NULL, NULL, &error));
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page2, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Same epoch: nothing to offer again. */
  g_assert_true (teren_store_sync_reoffer_archive (fixture->store, &count, &error));
  g_assert_cmpuint (count, ==, 0);
  assert_status (fixture->store, 0, 0, 0, 0);

  /* A later edit waits; then the server turns out restored from a backup. */
  later = save_person (fixture->store, teren_record_get_id (record), "Ionel");
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page3, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (teren_store_sync_reoffer_archive (fixture->store, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  assert_status (fixture->store, 2, 0, 0, 0);

  /* The acknowledged change comes first, with its change id. */
  again = teren_store_sync_take_batch (fixture->store, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 2);
  g_assert_cmpstr (((TerenOp *) again->pdata[0])->change_id, ==, first_change);
  g_assert_true (teren_store_sync_reoffer_archive (fixture->store, &count, &error));
  g_assert_cmpuint (count, ==, 0);
}

/* Pushes @record's pending operation and applies an "applied" answer at @rev. */
static void
push_applied (TerenStore  *store,
              TerenRecord *record,
              gint64       rev)
{
  g_autoptr(GPtrArray) ops = teren_store_sync_take_batch (store, 500, NULL);
  g_autofree char *rec = server_record (record, rev, rev * 10, NULL);
  g_autofree char *json = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (ops->len, ==, 1);
  json = g_strdup_printf ("{\"results\":[{\"change_id\":\"%s\",\"status\":\"applied\","
                          "\"rev\":%" G_GINT64_FORMAT ",\"seq\":%" G_GINT64_FORMAT ",\"record\":%s}]}",
                          ((TerenOp *) ops->pdata[0])->change_id, rev, rev * 10, rec);
  answer = parse (json);
  g_assert_true (teren_store_sync_apply_push_answer (store, ops, answer, NULL, &error));
  g_assert_no_error (error);
}

static guint
prune_at (Fixture    *fixture,
          const char *server_time)
{
  g_autoptr(GError) error = NULL;
  guint pruned = 99;

  g_assert_true (teren_store_sync_set_meta (fixture->store, TEREN_SYNC_META_SERVER_TIME, server_time, &error));
  g_assert_true (teren_store_sync_prune_archive (fixture->store, &pruned, &error));
  g_assert_no_error (error);
  return pruned;
}

static gint64
archived (Fixture *fixture)
{
  sqlite3 *db = test_db_open (fixture->dir, TRUE);
  gint64 n = test_db_int (db, "SELECT count(*) FROM op_archive");

  sqlite3_close (db);
  return n;
}

/* SYNC.md: acknowledged operations stay in op_archive for 30 days, on the server's clock.
 * This laptop's clock says the year's end; the server's times are from January, so a
 * prune that read the laptop's clock would empty the archive at once. */
static void
test_archive_pruned (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Ion");
  g_autoptr(TerenRecord) later = NULL;
  g_autoptr(JsonObject) page = parse ("{\"records\":[],\"cursor\":\"d1\",\"more\":false,\"epoch\":\"e2\"}");
  g_autoptr(JsonObject) first_page = parse ("{\"records\":[],\"cursor\":\"c1\",\"more\":false,\"epoch\":\"e1\"}");
  g_autoptr(GError) error = NULL;
  guint count = 0;

  /* No server time yet: nothing is stamped or removed. */
  push_applied (fixture->store, record, 1);
  g_assert_true (teren_store_sync_prune_archive (fixture->store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (archived (fixture), ==, 1);

  /* Stamped with the server's time of the round, kept 30 days on that clock. */
  g_assert_cmpuint (prune_at (fixture, "2026-01-01T10:00:00Z"), ==, 0);
  g_assert_cmpuint (prune_at (fixture, "2026-01-31T09:59:59.500Z"), ==, 0);
  g_assert_cmpint (archived (fixture), ==, 1);

  /* A later change, archived the day after; the first is 30 days old and goes. */
  later = save_person (fixture->store, teren_record_get_id (record), "Ionel");
  push_applied (fixture->store, later, 2);
  g_assert_cmpuint (prune_at (fixture, "2026-01-31T10:00:01Z"), ==, 1);
  g_assert_cmpint (archived (fixture), ==, 1);

  /* A time the store cannot read removes nothing. */
  g_assert_cmpuint (prune_at (fixture, "not a time"), ==, 0);
  g_assert_cmpint (archived (fixture), ==, 1);

  /* A restored server: the archive is offered again first, never pruned meanwhile. */
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, first_page, NULL, NULL, &error));
  g_assert_true (teren_store_sync_apply_pull_page (fixture->store, page, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (teren_store_sync_reoffer_pending (fixture->store));
  g_assert_cmpuint (prune_at (fixture, "2027-06-01T10:00:00Z"), ==, 0);
  g_assert_cmpint (archived (fixture), ==, 1);
  g_assert_true (teren_store_sync_reoffer_archive (fixture->store, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
}

static void
test_wipe (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Ion");
  g_autofree char *device = g_strdup (teren_store_get_device_id (fixture->store));
  g_autofree char *revoked = NULL;
  g_autoptr(GPtrArray) unsent = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) reopened = NULL;
  g_autofree char *db_path = g_build_filename (fixture->dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  teren_store_sync_set_meta (fixture->store, TEREN_SYNC_META_CURSOR, "c1", NULL);
  unsent = teren_store_sync_list_unsent (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unsent->len, ==, 1);

  g_assert_true (teren_store_sync_wipe (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 0);
  assert_status (fixture->store, 0, 0, 0, 0);
  g_assert_null (teren_store_sync_get_cursor (fixture->store));
  revoked = teren_store_sync_get_meta (fixture->store, TEREN_SYNC_META_REVOKED);
  g_assert_nonnull (revoked);
  g_assert_true (teren_store_check_integrity (fixture->store, &error));

  /* Nothing of the record is left in the file. */
  g_clear_object (&fixture->store);
  g_assert_true (g_file_get_contents (db_path, &contents, &length, NULL));
  g_assert_null (g_strstr_len (contents, length, "Popescu"));

  reopened = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_store_get_device_id (reopened), ==, device);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store-sync/push/applied", test_push_applied);
  ADD ("/store-sync/push/bad-answers", test_push_bad_answers);
  ADD ("/store-sync/push/duplicate", test_push_duplicate);
  ADD ("/store-sync/push/conflict-and-resolve", test_push_conflict_and_resolve);
  ADD ("/store-sync/push/rejected-quarantine", test_push_rejected_quarantine);
  ADD ("/store-sync/pull/pages", test_pull_pages);
  ADD ("/store-sync/pull/large-pages-search", test_pull_large_pages_search);
  ADD ("/store-sync/pull/bad-pages", test_pull_bad_pages);
  ADD ("/store-sync/pull/conflict-record", test_pull_conflict_record);
  ADD ("/store-sync/epoch-reoffer", test_epoch_reoffer);
  ADD ("/store-sync/archive-pruned", test_archive_pruned);
  ADD ("/store-sync/wipe", test_wipe);
#undef ADD

  return g_test_run ();
}
