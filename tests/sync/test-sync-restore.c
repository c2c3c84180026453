/* test-sync-restore.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-sync-test-util.h"

/* The server restored from an older backup (issue 8, SYNC.md "Integrity digest",
 * SYNC-NOTES S21): two clients edit and sync; the database is copied (`teren-server
 * backup`, online); more edits are acknowledged (a field edited on both from one base: a
 * conflict; a person created on one and edited on the other); the server is stopped and
 * its database replaced by the older copy — by hand (recognised by the seq gap and the
 * clients' cursors) or with `teren-server restore` (new epoch) — and started again.
 * After the clients sync: every acknowledged change id is in the server's history
 * (invariant 1), once, with contiguous revs (2); within three rounds every client holds
 * exactly the server's records (3); the field written twice from one base ends as one
 * value plus a conflict holding the other (4); nothing was wiped on the clients; the
 * epoch report lists the records the clients held at newer revisions, ids only.
 * Runs under build-aux/test-session.sh (keyring). */

typedef struct {
  TerenTestServer *server;
  char            *root;
  char            *listen;
  TerenSyncEngine *a;
  TerenSyncEngine *b;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-restore-XXXXXX",
                              "ana", "child", "worker", "maria", "child", "worker", NULL);
  fixture->listen = g_strdup_printf ("127.0.0.1:%u", fixture->server->port);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->a);
  g_clear_object (&fixture->b);
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
  g_free (fixture->listen);
}

static TerenSyncEngine *
login (Fixture    *fixture,
       const char *user,
       const char *dir_name)
{
  return test_engine_login_ok (fixture->server->base_url, user, fixture->root, dir_name);
}

static TerenStore *
store_of (TerenSyncEngine *engine)
{
  return teren_sync_engine_get_store (engine);
}

static char *
save_new (TerenSyncEngine *engine,
          const char      *kind,
          const char      *line,
          JsonObject      *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_store_save (store_of (engine), kind, line, NULL, fields, NULL, NULL, &error);

  g_assert_no_error (error);
  return g_strdup (teren_record_get_id (record));
}

static void
edit (TerenSyncEngine *engine,
      const char      *id,
      const char      *key,
      const char      *value)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;

  json_object_set_string_member (fields, key, value);
  record = teren_store_save (store_of (engine), "person", "", id, fields, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Rows of a one-column query on a database file. (transfer full) */
static GPtrArray *
query_strings (const char *path,
               const char *sql)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

static char *
store_path (TerenSyncEngine *engine)
{
  return g_build_filename (teren_store_get_data_dir (store_of (engine)), TEREN_STORE_DB_NAME, NULL);
}

static char *
server_db (Fixture *fixture)
{
  return g_build_filename (fixture->server->data_dir, "teren-server.db", NULL);
}

/* The oracle: every change id the client got an answer for (op_archive), added to @acked. */
static void
collect_acked (TerenSyncEngine *engine,
               GHashTable      *acked)
{
  g_autofree char *path = store_path (engine);
  g_autoptr(GPtrArray) ids = query_strings (path, "SELECT change_id FROM op_archive");
  guint i;

  for (i = 0; i < ids->len; i++)
    g_hash_table_add (acked, g_strdup (g_ptr_array_index (ids, i)));
}

static char *
hello_epoch (Fixture *fixture)
{
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autoptr(TerenTestResponse) response = teren_test_request (session, fixture->server, "GET", "/api/v1/hello",
                                                              NULL, NULL, 0);

  g_assert_cmpuint (response->status, ==, 200);
  return g_strdup (json_object_get_string_member (teren_test_response_object (response), "epoch"));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* "id rev" of the non-deleted records the server shows @user, sorted (@conflicts: with the
 * sys.conflict records, which a store keeps in its base only). (transfer full) */
static char *
server_view (Fixture    *fixture,
             const char *user,
             gboolean    conflicts)
{
  g_autoptr(TerenTestDevice) device = teren_test_device_new (fixture->server, user, TEST_PASSWORD, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint i;

  teren_test_device_pull_all (device, 0);
  g_hash_table_iter_init (&iter, device->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!json_object_get_boolean_member_with_default (value, "deleted", FALSE) &&
        (conflicts || g_strcmp0 (json_object_get_string_member (value, "kind"), "sys.conflict") != 0))
      g_ptr_array_add (lines, g_strdup_printf ("%s %" G_GINT64_FORMAT, (const char *) key,
                                               json_object_get_int_member (value, "rev")));
  g_ptr_array_sort (lines, compare_strings);
  for (i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

/* The same of a store: record (current) and base, which must agree. (transfer full) */
static char *
store_view (TerenSyncEngine *engine,
            const char      *table)
{
  g_autofree char *path = store_path (engine);
  g_autofree char *sql = g_strdup_printf ("SELECT id || ' ' || rev FROM %s WHERE deleted = 0 ORDER BY id || ' ' || rev",
                                          table);
  g_autoptr(GPtrArray) rows = query_strings (path, sql);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < rows->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (rows, i));
  return g_string_free (out, FALSE);
}

static gboolean
converged (Fixture         *fixture,
           TerenSyncEngine *engine,
           const char      *user)
{
  g_autofree char *server = server_view (fixture, user, TRUE);
  g_autofree char *server_records = server_view (fixture, user, FALSE);
  g_autofree char *record = store_view (engine, "record");
  g_autofree char *base = store_view (engine, "base");

  if (g_strcmp0 (server_records, record) == 0 && g_strcmp0 (server, base) == 0)
    return TRUE;
  g_test_message ("%s: server\n%srecord\n%sbase\n%s", user, server, record, base);
  return FALSE;
}

/* Invariant 2 on the server: each change id once in the history, revs 1..n. */
static void
assert_history_sound (Fixture *fixture)
{
  g_autofree char *path = server_db (fixture);
  g_autoptr(GPtrArray) dups = query_strings (path, "SELECT change_id FROM history WHERE change_id IS NOT NULL "
                                                   "GROUP BY change_id HAVING count(*) > 1");
  g_autoptr(GPtrArray) gaps = query_strings (path, "SELECT record_id FROM history GROUP BY record_id "
                                                   "HAVING count(*) != max(rev) OR min(rev) != 1");

  g_assert_cmpuint (dups->len, ==, 0);
  g_assert_cmpuint (gaps->len, ==, 0);
}

/* Invariant 1: every acknowledged change id is in the server's history or in quarantine on
 * its device. */
static void
assert_nothing_lost (Fixture    *fixture,
                     GHashTable *acked)
{
  g_autofree char *path = server_db (fixture);
  g_autofree char *path_a = store_path (fixture->a);
  g_autofree char *path_b = store_path (fixture->b);
  g_autoptr(GPtrArray) history = query_strings (path, "SELECT change_id FROM history WHERE change_id IS NOT NULL");
  g_autoptr(GPtrArray) qa = query_strings (path_a, "SELECT change_id FROM oplog WHERE state = 'quarantined'");
  g_autoptr(GPtrArray) qb = query_strings (path_b, "SELECT change_id FROM oplog WHERE state = 'quarantined'");
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  guint i;

  for (i = 0; i < history->len; i++)
    g_hash_table_add (known, g_ptr_array_index (history, i));
  for (i = 0; i < qa->len; i++)
    g_hash_table_add (known, g_ptr_array_index (qa, i));
  for (i = 0; i < qb->len; i++)
    g_hash_table_add (known, g_ptr_array_index (qb, i));
  g_hash_table_iter_init (&iter, acked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (known, key))
      g_error ("acknowledged change %s is lost", (const char *) key);
}

static guint
count_rows (const char *path,
            const char *sql)
{
  g_autoptr(GPtrArray) rows = query_strings (path, sql);

  return rows->len;
}

static void
replace_by_hand (Fixture    *fixture,
                 const char *copy)
{
  g_autofree char *db = server_db (fixture);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (teren_test_server_term (fixture->server, 20), ==, 0);
  g_unlink (wal);
  g_unlink (shm);
  g_assert_true (g_file_get_contents (copy, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (db, contents, (gssize) length, &error));
  g_assert_no_error (error);
  g_chmod (db, 0600);
}

/* @b_first: B syncs first after the restore: its re-offered edit of the person A made after
 * the backup waits (restored_base) until A offered the person again, never quarantined;
 * and B's value of the field written on both comes back first, so it stands and A's is the
 * conflict. */
static void
run_restore (Fixture       *fixture,
             gboolean       by_hand,
             gboolean       b_first)
{
  TerenSyncEngine *first, *second;
  const char *first_value, *second_value;
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *copy = g_build_filename (fixture->root, "backup.db", NULL);
  g_autofree char *epoch_before = NULL;
  g_autofree char *epoch_after = NULL;
  g_autofree char *p = NULL, *c = NULL, *q = NULL, *c2 = NULL;
  g_autofree char *report = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autofree char *value = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint base_a_before, base_b_before;
  gboolean p_reported = FALSE, q_reported = FALSE;
  guint round;
  guint i;

  if (!test_need_keyring ())
    return;

  fixture->a = login (fixture, "ana", "a");
  fixture->b = login (fixture, "maria", "b");

  /* Before the backup: a person and her case from A, an edit from B. */
  p = save_new (fixture->a, "person", "", test_person ("Ionescu", "Ana"));
  c = save_new (fixture->a, "case", "child", test_case (p));
  test_sync_quiet (fixture->a);
  test_sync_quiet (fixture->b);
  edit (fixture->b, p, "citizenship", "română");
  test_sync_quiet (fixture->b);
  test_sync_quiet (fixture->a);

  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, &out, &err, "backup", copy, NULL), ==, 0);
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));
  epoch_before = hello_epoch (fixture);

  /* After it, acknowledged: the same field from one base on both (a conflict); a person
   * made on A and edited on B. */
  edit (fixture->a, p, "first_name", "Anca");
  test_sync_quiet (fixture->a);
  edit (fixture->b, p, "first_name", "Ancuța");
  test_sync_quiet (fixture->b);
  q = save_new (fixture->a, "person", "", test_person ("Popa", "Ioana"));
  c2 = save_new (fixture->a, "case", "child", test_case (q));
  test_sync_quiet (fixture->a);
  test_sync_quiet (fixture->b);
  edit (fixture->b, q, "citizenship", "moldoveană");
  test_sync_quiet (fixture->b);
  test_sync_quiet (fixture->a);
  collect_acked (fixture->a, acked);
  collect_acked (fixture->b, acked);
  g_assert_cmpuint (g_hash_table_size (acked), >=, 7);
  path = store_path (fixture->a);
  base_a_before = count_rows (path, "SELECT id FROM base");
  g_clear_pointer (&path, g_free);
  path = store_path (fixture->b);
  base_b_before = count_rows (path, "SELECT id FROM base");
  g_clear_pointer (&path, g_free);

  /* The server goes back to the copy. */
  if (by_hand)
    {
      replace_by_hand (fixture, copy);
    }
  else
    {
      g_assert_cmpint (teren_test_server_term (fixture->server, 20), ==, 0);
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, &out, NULL, "restore", copy, NULL), ==, 0);
      g_assert_nonnull (strstr (out, "new epoch"));
    }
  teren_test_server_start_listen (fixture->server, fixture->listen);
  /* The restored server lost the person made after the backup. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT id FROM records WHERE id = '%s'", q);

    path = server_db (fixture);
    g_assert_cmpuint (count_rows (path, sql), ==, 0);
    g_clear_pointer (&path, g_free);
  }

  /* The clients sync, three rounds each. */
  first = b_first ? fixture->b : fixture->a;
  second = b_first ? fixture->a : fixture->b;
  first_value = b_first ? "Ancuța" : "Anca";
  second_value = b_first ? "Anca" : "Ancuța";
  for (round = 0; round < 3; round++)
    {
      test_sync_quiet (first);
      if (round == 0 && b_first)
        {
          /* B's edit of the person the server lost waits for A; not quarantined. */
          path = store_path (fixture->b);
          g_assert_cmpuint (count_rows (path, "SELECT change_id FROM oplog WHERE state = 'pending' "
                                              "AND last_error = 'restored_base'"), ==, 1);
          g_assert_cmpuint (count_rows (path, "SELECT change_id FROM oplog WHERE state = 'quarantined'"), ==, 0);
          g_clear_pointer (&path, g_free);
        }
      test_sync_quiet (second);
    }
  /* Nothing needs a person: no quarantine. */
  path = store_path (fixture->a);
  g_assert_cmpuint (count_rows (path, "SELECT change_id FROM oplog"), ==, 0);
  g_clear_pointer (&path, g_free);
  path = store_path (fixture->b);
  g_assert_cmpuint (count_rows (path, "SELECT change_id FROM oplog"), ==, 0);
  g_clear_pointer (&path, g_free);

  /* Nothing was wiped on the clients. */
  path = store_path (fixture->a);
  g_assert_cmpuint (count_rows (path, "SELECT id FROM base"), >=, base_a_before - 1);
  g_clear_pointer (&path, g_free);
  path = store_path (fixture->b);
  g_assert_cmpuint (count_rows (path, "SELECT id FROM base"), >=, base_b_before - 1);
  g_clear_pointer (&path, g_free);

  epoch_after = hello_epoch (fixture);
  g_assert_cmpstr (epoch_after, !=, epoch_before);

  assert_nothing_lost (fixture, acked);
  assert_history_sound (fixture);
  g_assert_true (converged (fixture, fixture->a, "ana"));
  g_assert_true (converged (fixture, fixture->b, "maria"));

  /* The values: the first name offered first stands, the other one is in a conflict; the
   * edits made after the backup are back. */
  value = test_string_of (fixture->a, p, "first_name");
  g_assert_cmpstr (value, ==, first_value);
  g_clear_pointer (&value, g_free);
  value = test_string_of (fixture->b, p, "first_name");
  g_assert_cmpstr (value, ==, first_value);
  g_clear_pointer (&value, g_free);
  value = test_string_of (fixture->a, q, "citizenship");
  g_assert_cmpstr (value, ==, "moldoveană");
  g_clear_pointer (&value, g_free);
  value = test_string_of (fixture->b, p, "citizenship");
  g_assert_cmpstr (value, ==, "română");
  g_clear_pointer (&value, g_free);
  conflicts = teren_store_list_conflicts (store_of (second), p, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, >=, 1);
  for (i = 0; i < conflicts->len; i++)
    {
      TerenConflict *item = g_ptr_array_index (conflicts, i);
      g_autofree char *local = teren_json_to_string (item->local);
      g_autofree char *expected = g_strdup_printf ("\"%s\"", second_value);

      g_assert_cmpstr (item->field, ==, "first_name");
      g_assert_cmpstr (local, ==, expected);
    }
  path = server_db (fixture);
  g_assert_cmpuint (count_rows (path, "SELECT id FROM records WHERE kind = 'sys.conflict' AND deleted = 0 "
                                      "AND json_extract (fields, '$.status') = 'open'"), >=, 1);
  g_clear_pointer (&path, g_free);

  /* The epoch report: ids, revisions, devices and accounts; never contents. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, &report, NULL, "audit", "--epoch-report", NULL), ==, 0);
  g_test_message ("epoch report:\n%s", report);
  g_assert_null (strstr (report, "Anca"));
  g_assert_null (strstr (report, "Popa"));
  lines = g_strsplit (report, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);

      if (lines[i][0] == '\0')
        continue;
      g_assert_cmpuint (g_strv_length (cols), ==, 7);
      g_assert_true (strcmp (cols[1], "ana") == 0 || strcmp (cols[1], "maria") == 0);
      g_assert_cmpint (g_ascii_strtoll (cols[4], NULL, 10), >, g_ascii_strtoll (cols[5], NULL, 10));
      p_reported |= strcmp (cols[3], p) == 0;
      q_reported |= strcmp (cols[3], q) == 0;
    }
  g_assert_true (p_reported);
  g_assert_true (q_reported);
  teren_test_server_assert_integrity (fixture->server);
}

static void
test_replaced_by_hand (Fixture       *fixture,
                       gconstpointer  data)
{
  run_restore (fixture, TRUE, FALSE);
}

static void
test_restore_command (Fixture       *fixture,
                      gconstpointer  data)
{
  run_restore (fixture, FALSE, TRUE);
}

/* `restore` refuses while the server runs, and a file that is not a server database;
 * nothing changes. */
static void
test_restore_refusals (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *copy = g_build_filename (fixture->root, "copy.db", NULL);
  g_autofree char *junk = g_build_filename (fixture->root, "junk.db", NULL);
  g_autofree char *err = NULL;
  g_autofree char *epoch = hello_epoch (fixture);
  g_autofree char *epoch2 = NULL;

  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, NULL, NULL, "backup", copy, NULL), ==, 0);
  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, NULL, &err, "restore", copy, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "running"));
  g_assert_true (g_file_set_contents (junk, "not a database", -1, NULL));
  g_assert_cmpint (teren_test_server_term (fixture->server, 20), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, NULL, &err, "restore", junk, NULL), ==, 1);
  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, NULL, NULL, "restore", NULL), ==, 2);
  teren_test_server_start_listen (fixture->server, fixture->listen);
  epoch2 = hello_epoch (fixture);
  g_assert_cmpstr (epoch, ==, epoch2);
}

static void
report_refused (TerenTestDevice *device,
                const char      *token,
                const char      *body,
                guint            status,
                const char      *code)
{
  g_autoptr(TerenTestResponse) response = teren_test_request (device->session, device->server, "POST",
                                                              "/api/v1/epoch-report", token, body, -1);

  teren_test_assert_error (response, status, code);
}

/* POST /epoch-report: malformed reports are refused with a clear error and store nothing;
 * a sound one keeps only what is newer than the server's. */
static void
test_epoch_report_input (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TerenTestDevice) device = teren_test_device_new (fixture->server, "ana", TEST_PASSWORD, NULL);
  g_autoptr(TerenTestResponse) response = NULL;
  g_autoptr(GString) big = g_string_new ("{\"epoch\":\"x\",\"records\":[");
  g_autofree char *person = NULL;
  g_autofree char *report = NULL;
  g_autofree char *body = NULL;
  g_autofree char *unknown = g_strdup ("7b0c9a52-1f0e-4d6a-9d8e-3a1c2b4d5e6f");
  JsonObject *op = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (NULL), NULL);
  g_autoptr(JsonObject) result = NULL;
  guint i;

  person = g_strdup (json_object_get_string_member (op, "record_id"));
  result = teren_test_device_push_one (device, op);
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");

  report_refused (device, NULL, "{\"records\":[]}", 401, "unauthorized");
  report_refused (device, device->token, "{\"records\":\"x\"}", 400, "bad_request");
  report_refused (device, device->token, "{\"epoch\":\"x\"}", 400, "bad_request");
  report_refused (device, device->token, "{\"records\":[[\"not-a-uuid\",1]]}", 400, "bad_request");
  body = g_strdup_printf ("{\"records\":[[\"%s\",-1]]}", unknown);
  report_refused (device, device->token, body, 400, "bad_request");
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"records\":[[\"%s\",\"2\"]]}", unknown);
  report_refused (device, device->token, body, 400, "bad_request");
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"records\":[[\"%s\",2,3]]}", unknown);
  report_refused (device, device->token, body, 400, "bad_request");
  for (i = 0; i < 2001; i++)
    g_string_append_printf (big, "%s[\"%s\",%u]", i > 0 ? "," : "", unknown, i);
  g_string_append (big, "]}");
  report_refused (device, device->token, big->str, 400, "bad_request");
  report_refused (device, device->token, "{\"records\":[", 400, "bad_json");
  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, &report, NULL, "audit", "--epoch-report", NULL), ==, 0);
  g_assert_cmpstr (report, ==, "");
  g_clear_pointer (&report, g_free);

  /* Sound: the person at the server's own rev (1) is not newer; the unknown id at rev 2 is. */
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"epoch\":\"x\",\"records\":[[\"%s\",1],[\"%s\",2]]}", person, unknown);
  response = teren_test_request (device->session, fixture->server, "POST", "/api/v1/epoch-report", device->token,
                                 body, -1);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (teren_test_response_object (response), "reported"), ==, 1);
  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, &report, NULL, "audit", "--epoch-report", NULL), ==, 0);
  g_assert_nonnull (strstr (report, unknown));
  g_assert_null (strstr (report, person));
  g_assert_nonnull (strstr (report, "\tana\t"));
  g_assert_nonnull (strstr (report, device->device_id));
  g_assert_nonnull (strstr (report, "\t2\t0\t"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/restore/replaced-by-hand", Fixture, NULL, fixture_set_up, test_replaced_by_hand,
              fixture_tear_down);
  g_test_add ("/sync/restore/restore-command", Fixture, NULL, fixture_set_up, test_restore_command,
              fixture_tear_down);
  g_test_add ("/sync/restore/refusals", Fixture, NULL, fixture_set_up, test_restore_refusals,
              fixture_tear_down);
  g_test_add ("/sync/restore/epoch-report-input", Fixture, NULL, fixture_set_up, test_epoch_report_input,
              fixture_tear_down);
  return g_test_run ();
}
