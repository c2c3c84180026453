/* test-store.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The laptop's store on real SQLite files: opening, migrations, saves with their op-log
 * entry, drafts, search, CNP lookup, duplicates, sync state and integrity. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store.h"
#include "teren-store-private.h"
#include "teren-store-sync.h"
#include "teren-store-test-util.h"
#include "teren-text.h"
#include "teren-uuid.h"

#define S_CEDILLA_UPPER "\xC5\x9E"     /* Ş U+015E */
#define S_CEDILLA_LOWER "\xC5\x9F"     /* ş U+015F */
#define T_CEDILLA_UPPER "\xC5\xA2"     /* Ţ U+0162 */
#define T_CEDILLA_LOWER "\xC5\xA3"     /* ţ U+0163 */
#define S_COMMA_UPPER   "\xC8\x98"     /* Ș U+0218 */
#define S_COMMA_LOWER   "\xC8\x99"     /* ș U+0219 */
#define T_COMMA_UPPER   "\xC8\x9A"     /* Ț U+021A */
#define T_COMMA_LOWER   "\xC8\x9B"     /* ț U+021B */

typedef struct
{
  char       *dir;
  TerenStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("teren-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

static TerenRecord *
save_person (TerenStore *store,
             const char *last_name,
             const char *first_name,
             const char *sex,
             const char *birth_date,
             const char *cnp)
{
  g_autoptr(JsonObject) fields = test_person_fields (last_name, first_name, sex, birth_date, cnp);
  g_autoptr(GError) error = NULL;
  TerenRecord *record;

  record = teren_store_save (store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static TerenRecord *
save_household (TerenStore *store,
                const char *label,
                const char *address)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  TerenRecord *record;

  if (label != NULL)
    json_object_set_string_member (fields, "label", label);
  json_object_set_string_member (fields, "address", address);
  record = teren_store_save (store, "household", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static gboolean
ids_contain (GPtrArray  *ids,
             const char *id)
{
  guint i;

  for (i = 0; ids != NULL && i < ids->len; i++)
    if (g_strcmp0 (ids->pdata[i], id) == 0)
      return TRUE;
  return FALSE;
}

static GPtrArray *
search (TerenStore *store,
        const char *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = teren_store_search (store, NULL, query, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ids);
  return ids;
}

static void
spin_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ---- Opening ------------------------------------------------------------------------ */

static void
test_open_creates_private_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *top = g_dir_make_tmp ("teren-store-XXXXXX", &error);
  g_autofree char *data_dir = g_build_filename (top, "a", "b", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *device_id = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(TerenRecord) record = NULL;
  struct stat st;
  sqlite3 *db;
  TerenDb *writer;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);

  store = teren_store_open (data_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (teren_store_get_data_dir (store), ==, data_dir);
  g_assert_true (teren_uuid_is_valid (teren_store_get_device_id (store)));
  device_id = g_strdup (teren_store_get_device_id (store));

  g_assert_cmpint (g_stat (data_dir, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (db_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  record = save_person (store, "Pop", "Ana", "F", NULL, NULL);
  g_assert_cmpint (g_stat (wal_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* synchronous is a property of the connection: ask the store's own writer. */
  writer = teren_store_lock_writer (store);
  g_assert_cmpint (sqlite3_prepare_v2 (writer->db, "PRAGMA synchronous", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);  /* FULL */
  sqlite3_finalize (stmt);
  /* Savepoint journals stay in memory (each save in an import is a savepoint). */
  g_assert_cmpint (sqlite3_prepare_v2 (writer->db, "PRAGMA temp_store", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);  /* MEMORY */
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (writer->db, "PRAGMA foreign_keys", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);
  teren_store_unlock_writer (store);

  db = test_db_open (data_dir, TRUE);
  {
    g_autofree char *mode = test_db_text (db, "PRAGMA journal_mode");

    g_assert_cmpstr (mode, ==, "wal");
  }
  g_assert_cmpint (test_db_int (db, "PRAGMA user_version"), ==, TEST_STORE_SCHEMA_VERSION);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM schema_migrations"), ==, TEST_STORE_SCHEMA_VERSION);
  g_assert_cmpint (test_db_int (db, "SELECT max(version) FROM schema_migrations"), ==, TEST_STORE_SCHEMA_VERSION);
  sqlite3_close (db);

  /* Re-opening keeps the data and the device id and runs no migration again. */
  g_clear_object (&store);
  store = teren_store_open (data_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_store_get_device_id (store), ==, device_id);
  g_assert_cmpuint (teren_store_count (store, "person"), ==, 1);
  db = test_db_open (data_dir, TRUE);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM schema_migrations"), ==, TEST_STORE_SCHEMA_VERSION);
  sqlite3_close (db);

  g_clear_object (&store);
  test_rm_rf (top);
}

static void
test_open_tightens_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-store-XXXXXX", &error);
  g_autoptr(TerenStore) store = NULL;
  struct stat st;

  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  store = teren_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_clear_object (&store);
  test_rm_rf (dir);
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_open_async_real (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-store-XXXXXX", &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TerenStore) store = NULL;

  g_assert_no_error (error);
  teren_store_open_async (dir, NULL, open_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  store = teren_store_open_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (TEREN_IS_STORE (store));
  g_assert_cmpuint (teren_store_count (store, "person"), ==, 0);

  g_clear_object (&store);
  test_rm_rf (dir);
}

static void
test_open_newer_version (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-store-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(TerenStore) store = NULL;
  sqlite3 *db;

  g_assert_no_error (error);
  store = teren_store_open (dir, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  db = test_db_open (dir, FALSE);
  test_db_exec (db, "PRAGMA user_version = 99");
  test_db_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close (db);
  before = test_file_checksum (db_path);

  store = teren_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "newer version"));
  after = test_file_checksum (db_path);
  g_assert_cmpstr (before, ==, after);

  test_rm_rf (dir);
}

static void
test_open_foreign_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-store-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(TerenStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  test_db_exec (db, "CREATE TABLE invoices (n INTEGER); INSERT INTO invoices VALUES (1)");
  sqlite3_close (db);
  before = test_file_checksum (db_path);

  store = teren_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a Teren database"));
  after = test_file_checksum (db_path);
  g_assert_cmpstr (before, ==, after);

  test_rm_rf (dir);
}

/* ---- Saving ------------------------------------------------------------------------- */

static void
on_record_changed (TerenStore *store,
                   const char *id,
                   const char *kind,
                   gpointer    user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, g_strdup (id));
}

static void
on_oplog_changed (TerenStore *store,
                  gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_save_create (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *cnp = test_make_cnp ('F', 1985, 3, 14, 12);
  g_autoptr(JsonObject) fields = test_person_fields ("Popescu", "Maria", "F", "1985-03-14", cnp);
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(TerenRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *history = NULL;
  guint oplog_signals = 0;
  TerenOp *op;
  sqlite3 *db;

  g_signal_connect (fixture->store, "record-changed", G_CALLBACK (on_record_changed), seen);
  g_signal_connect (fixture->store, "oplog-changed", G_CALLBACK (on_oplog_changed), &oplog_signals);
  teren_store_set_author (fixture->store, "nurse1");

  record = teren_store_save (fixture->store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (teren_uuid_is_valid (teren_record_get_id (record)));
  g_assert_cmpstr (teren_record_get_kind (record), ==, "person");
  g_assert_cmpstr (teren_record_get_line (record), ==, "");
  g_assert_cmpint (teren_record_get_rev (record), ==, 0);
  g_assert_false (teren_record_get_deleted (record));
  g_assert_cmpstr (teren_record_get_created_by (record), ==, "nurse1");

  stored = teren_store_get_record (fixture->store, teren_record_get_id (record), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (stored, "last_name"), ==, "Popescu");
  g_assert_cmpstr (teren_record_get_string (stored, "cnp"), ==, cnp);
  g_assert_cmpstr (teren_record_get_string (stored, "birth_date"), ==, "1985-03-14");
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);

  /* One op-log entry: a create with the whole record as its patch. */
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 1);
  ops = teren_store_list_pending_ops (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);
  op = ops->pdata[0];
  g_assert_true (teren_uuid_is_valid (op->change_id));
  g_assert_null (op->prev_change);
  g_assert_cmpstr (op->record_id, ==, teren_record_get_id (record));
  g_assert_cmpstr (op->kind, ==, "person");
  g_assert_cmpint (op->op, ==, TEREN_OP_CREATE);
  g_assert_cmpint (op->base_rev, ==, 0);
  g_assert_cmpstr (op->author, ==, "nurse1");
  g_assert_nonnull (op->device_time);
  g_assert_cmpuint (json_object_get_size (op->patch), ==, json_object_get_size (fields));
  g_assert_cmpstr (teren_json_get_string (op->patch, "last_name", NULL), ==, "Popescu");
  g_assert_cmpstr (teren_json_get_string (op->patch, "cnp", NULL), ==, cnp);

  /* The local history names the fields, never their values. */
  db = test_db_open (fixture->dir, TRUE);
  sql = g_strdup_printf ("SELECT fields FROM history WHERE change_id = '%s'", op->change_id);
  history = test_db_text (db, sql);
  g_assert_nonnull (strstr (history, "last_name"));
  g_assert_null (strstr (history, "Popescu"));
  sqlite3_close (db);

  /* Signals arrive on the main context. */
  spin_main_context ();
  g_assert_true (ids_contain (seen, teren_record_get_id (record)));
  g_assert_cmpuint (oplog_signals, >=, 1);

}

static void
test_save_update (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, "Ionescu", "Dan", "M", "1970-01-02", NULL);
  const char *id = teren_record_get_id (record);
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(JsonObject) clear = json_object_new ();
  g_autoptr(TerenRecord) updated = NULL;
  g_autoptr(TerenRecord) again = NULL;
  g_autoptr(TerenRecord) cleared = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  TerenOp *first;
  TerenOp *second;
  TerenOp *third;
  sqlite3 *db;

  json_object_set_string_member (edit, "first_name", "Dănuț");
  json_object_set_string_member (edit, "prior_name", "Vasilescu");
  json_object_set_string_member (edit, "last_name", "Ionescu");  /* unchanged */
  updated = teren_store_save (fixture->store, "person", "", id, edit, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_id (updated), ==, id);
  g_assert_cmpstr (teren_record_get_string (updated, "first_name"), ==, "Dănuț");
  g_assert_cmpstr (teren_record_get_string (updated, "last_name"), ==, "Ionescu");
  g_assert_cmpstr (teren_record_get_string (updated, "birth_date"), ==, "1970-01-02");

  /* Saving the same values again writes nothing. */
  again = teren_store_save (fixture->store, "person", "", id, edit, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 2);

  /* The server acknowledged rev 7 as the base: the next operation names it. */
  db = test_db_open (fixture->dir, FALSE);
  sql = g_strdup_printf ("INSERT INTO base (id, kind, rev, fields) VALUES ('%s', 'person', 7, '{}')", id);
  test_db_exec (db, sql);
  sqlite3_close (db);

  json_object_set_null_member (clear, "prior_name");
  cleared = teren_store_save (fixture->store, "person", "", id, clear, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (teren_record_get_string (cleared, "prior_name"));

  ops = teren_store_list_pending_ops (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 3);
  first = ops->pdata[0];
  second = ops->pdata[1];
  third = ops->pdata[2];
  g_assert_cmpint (second->op, ==, TEREN_OP_UPDATE);
  g_assert_cmpstr (second->prev_change, ==, first->change_id);
  g_assert_cmpint (second->base_rev, ==, 0);
  /* The patch holds the changed fields only. */
  g_assert_cmpuint (json_object_get_size (second->patch), ==, 2);
  g_assert_cmpstr (teren_json_get_string (second->patch, "first_name", NULL), ==, "Dănuț");
  g_assert_cmpstr (teren_json_get_string (second->patch, "prior_name", NULL), ==, "Vasilescu");
  g_assert_false (json_object_has_member (second->patch, "last_name"));

  g_assert_cmpstr (third->prev_change, ==, second->change_id);
  g_assert_cmpint (third->base_rev, ==, 7);
  g_assert_cmpuint (json_object_get_size (third->patch), ==, 1);
  g_assert_true (json_object_has_member (third->patch, "prior_name"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (third->patch, "prior_name")));

  /* Limit. */
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = teren_store_list_pending_ops (fixture->store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 2);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_save_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) fields = test_person_fields ("Marin", "Elena", "F", NULL, NULL);
  g_autoptr(JsonObject) bad = test_person_fields ("", "Elena", "F", NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GPtrArray) field_errors = NULL;
  g_autoptr(GError) error = NULL;

  teren_store_save_async (fixture->store, "person", "", NULL, fields, NULL, NULL, save_done_cb, &result);
  /* The caller may change its object at once. */
  json_object_set_string_member (fields, "last_name", "Changed");
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  record = teren_store_save_finish (fixture->store, result, &field_errors, &error);
  g_assert_no_error (error);
  g_assert_null (field_errors);
  g_assert_cmpstr (teren_record_get_string (record, "last_name"), ==, "Marin");

  g_clear_object (&result);
  teren_store_save_async (fixture->store, "person", "", NULL, bad, NULL, NULL, save_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&record);
  record = teren_store_save_finish (fixture->store, result, &field_errors, &error);
  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (field_errors);
  g_assert_cmpuint (field_errors->len, >=, 1);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);
}

/* A failure while writing the op-log entry must leave the record, the search index and
 * the draft as they were: the save is one transaction. */
static void
test_save_one_transaction (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, "Dumitru", "Ion", "M", NULL, NULL);
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(JsonObject) draft = json_object_new ();
  g_autoptr(JsonObject) kept = NULL;
  g_autoptr(TerenRecord) failed = NULL;
  g_autoptr(TerenRecord) stored = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db;

  json_object_set_string_member (draft, "first_name", "Ionuț");
  g_assert_true (teren_store_put_draft (fixture->store, "d1", "person", "", teren_record_get_id (record), draft, &error));
  g_assert_no_error (error);

  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "CREATE TRIGGER fail_oplog BEFORE INSERT ON oplog "
                    "BEGIN SELECT RAISE (ABORT, 'disk on fire'); END");
  sqlite3_close (db);
  before = test_store_digest (fixture->dir);

  json_object_set_string_member (edit, "first_name", "Ionuț");
  failed = teren_store_save (fixture->store, "person", "", teren_record_get_id (record), edit, "d1", NULL, &error);
  g_assert_null (failed);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "disk on fire"));
  g_clear_error (&error);

  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);
  stored = teren_store_get_record (fixture->store, teren_record_get_id (record), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (stored, "first_name"), ==, "Ion");
  found = search (fixture->store, "ionut");
  g_assert_cmpuint (found->len, ==, 0);
  kept = teren_store_get_draft (fixture->store, "d1", NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* A create fails as a whole too. */
  {
    g_autoptr(JsonObject) fields = test_person_fields ("Nou", "Nou", "F", NULL, NULL);
    g_autoptr(TerenRecord) none = teren_store_save (fixture->store, "person", "", NULL, fields, NULL, NULL, &error);

    g_assert_null (none);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_clear_pointer (&after, g_free);
  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);

  /* Once the fault is gone the same save works and deletes the draft with it. */
  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "DROP TRIGGER fail_oplog");
  sqlite3_close (db);
  g_clear_object (&failed);
  failed = teren_store_save (fixture->store, "person", "", teren_record_get_id (record), edit, "d1", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&kept, json_object_unref);
  kept = teren_store_get_draft (fixture->store, "d1", NULL, NULL, NULL, &error);
  g_assert_null (kept);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
}

/* A list saved at once (a day's register, a class's triage): all or nothing. The third
 * record is invalid: its clear error, and the store exactly as before; then the list
 * without it saves whole, an update among the creates. */
static void
test_save_all (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(TerenRecord) existing = save_person (fixture->store, "Dumitru", "Ion", "M", NULL, NULL);
  g_autoptr(JsonObject) first = test_person_fields ("Avram", "Ana", "F", NULL, NULL);
  g_autoptr(JsonObject) rename = json_object_new ();
  g_autoptr(JsonObject) bad = test_person_fields ("Barbu", "Dan", "M", "1990-02-31", NULL);
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) stored = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TerenStoreSaveItem items[3];
  guint ops_before;

  json_object_set_string_member (rename, "first_name", "Ionel");
  items[0] = (TerenStoreSaveItem) { "person", "", NULL, first };
  items[1] = (TerenStoreSaveItem) { "person", "", teren_record_get_id (existing), rename };
  items[2] = (TerenStoreSaveItem) { "person", "", NULL, bad };
  ops = teren_store_list_pending_ops (fixture->store, 0, &error);
  g_assert_no_error (error);
  ops_before = ops->len;
  g_clear_pointer (&ops, g_ptr_array_unref);
  before = test_store_digest (fixture->dir);

  g_assert_false (teren_store_save_all (fixture->store, items, 3, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);
  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);
  stored = teren_store_get_record (fixture->store, teren_record_get_id (existing), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (stored, "first_name"), ==, "Ion");

  /* The writer is free again: the valid part saves, in order, in one go. */
  g_assert_true (teren_store_save_all (fixture->store, items, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 2);
  g_clear_object (&stored);
  stored = teren_store_get_record (fixture->store, teren_record_get_id (existing), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (stored, "first_name"), ==, "Ionel");
  ops = teren_store_list_pending_ops (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, ops_before + 2);

  /* Nothing to save is a success that writes nothing. */
  g_assert_true (teren_store_save_all (fixture->store, NULL, 0, &error));
  g_assert_no_error (error);
}

static void
test_explicit_transaction (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint i;

  g_assert_true (teren_store_begin (fixture->store, &error));
  for (i = 0; i < 3; i++)
    g_object_unref (save_person (fixture->store, "Lot", "Unu", "F", NULL, NULL));
  /* Reads on the same thread see the open transaction. */
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 3);
  teren_store_rollback (fixture->store);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 0);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 0);

  g_assert_true (teren_store_begin (fixture->store, &error));
  for (i = 0; i < 3; i++)
    g_object_unref (save_person (fixture->store, "Lot", "Doi", "F", NULL, NULL));
  g_assert_true (teren_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 3);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 3);

  /* Commit without begin is an error, not a crash. */
  g_assert_false (teren_store_commit (fixture->store, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_FAILED);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *cnp = test_make_cnp ('M', 1990, 5, 6, 7);
  g_autoptr(TerenRecord) record = save_person (fixture->store, "Radu", "Mihai", "M", "1990-05-06", cnp);
  g_autoptr(TerenRecord) other = save_person (fixture->store, "Radu", "Ioana", "F", NULL, NULL);
  const char *id = teren_record_get_id (record);
  g_autoptr(TerenRecord) stored = NULL;
  g_autoptr(TerenRecord) updated = NULL;
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  TerenOp *op;

  g_assert_true (teren_store_delete (fixture->store, id, &error));
  g_assert_no_error (error);

  stored = teren_store_get_record (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (teren_record_get_deleted (stored));
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);

  ops = teren_store_list_pending_ops (fixture->store, 0, &error);
  g_assert_cmpuint (ops->len, ==, 3);
  op = ops->pdata[2];
  g_assert_cmpint (op->op, ==, TEREN_OP_DELETE);
  g_assert_cmpstr (op->record_id, ==, id);
  g_assert_cmpuint (json_object_get_size (op->patch), ==, 0);

  ids = search (fixture->store, "radu");
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, teren_record_get_id (other));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = teren_store_find_by_cnp (fixture->store, cnp, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = teren_store_list_ids (fixture->store, "person", &error);
  g_assert_cmpuint (ids->len, ==, 1);

  /* Deleting again changes nothing; an edit of a deleted record is refused. */
  g_assert_true (teren_store_delete (fixture->store, id, &error));
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 3);
  json_object_set_string_member (edit, "first_name", "X");
  updated = teren_store_save (fixture->store, "person", "", id, edit, NULL, NULL, &error);
  g_assert_null (updated);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (teren_store_delete (fixture->store, "3f1d1b7e-0000-4000-8000-000000000000", &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
}

static void
test_get_unknown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(TerenRecord) household = save_household (fixture->store, NULL, "Strada Lungă 1");
  g_autoptr(JsonObject) edit = json_object_new ();

  record = teren_store_get_record (fixture->store, "nope", &error);
  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  record = teren_store_get_record (fixture->store, "", &error);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Saving a household id as a person is refused. */
  json_object_set_string_member (edit, "first_name", "X");
  record = teren_store_save (fixture->store, "person", "", teren_record_get_id (household), edit,
                             NULL, NULL, &error);
  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
}

static void
test_normalise_cedilla (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(TerenRecord) stored = NULL;
  g_autoptr(TerenRecord) household = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  TerenOp *op;

  record = save_person (fixture->store, S_CEDILLA_UPPER "tef" "\xC4\x83" "nescu",
                        T_CEDILLA_UPPER "u" T_CEDILLA_LOWER "u " S_CEDILLA_LOWER "tefan", "M", NULL, NULL);
  stored = teren_store_get_record (fixture->store, teren_record_get_id (record), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (stored, "last_name"), ==, S_COMMA_UPPER "tef" "\xC4\x83" "nescu");
  g_assert_cmpstr (teren_record_get_string (stored, "first_name"), ==,
                   T_COMMA_UPPER "u" T_COMMA_LOWER "u " S_COMMA_LOWER "tefan");

  household = save_household (fixture->store, NULL, "Str. Mure" S_CEDILLA_LOWER "ului 3, Bra" S_CEDILLA_LOWER "ov");
  g_assert_cmpstr (teren_record_get_string (household, "address"), ==,
                   "Str. Mure" S_COMMA_LOWER "ului 3, Bra" S_COMMA_LOWER "ov");

  /* What syncs is the normalised text too. */
  ops = teren_store_list_pending_ops (fixture->store, 0, &error);
  op = ops->pdata[0];
  g_assert_cmpstr (teren_json_get_string (op->patch, "last_name", NULL), ==,
                   S_COMMA_UPPER "tef" "\xC4\x83" "nescu");
  g_assert_null (strstr (teren_json_get_string (op->patch, "first_name", NULL), T_CEDILLA_LOWER));
}

/* ---- Drafts ------------------------------------------------------------------------- */

static void
test_drafts (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonObject) one = json_object_new ();
  g_autoptr(JsonObject) two = json_object_new ();
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *line = NULL;
  g_autofree char *record_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  json_object_set_string_member (one, "last_name", "Pop");
  json_object_set_string_member (two, "opened_on", "2026-01-05");

  g_assert_true (teren_store_put_draft (fixture->store, "k1", "person", "", NULL, one, &error));
  g_assert_true (teren_store_put_draft (fixture->store, "k2", "case", "child", "rec-9", two, &error));
  g_assert_no_error (error);

  got = teren_store_get_draft (fixture->store, "k2", &kind, &line, &record_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kind, ==, "case");
  g_assert_cmpstr (line, ==, "child");
  g_assert_cmpstr (record_id, ==, "rec-9");
  g_assert_cmpstr (teren_json_get_string (got, "opened_on", NULL), ==, "2026-01-05");

  keys = teren_store_list_drafts (fixture->store, &error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (keys->pdata[0], ==, "k2");
  g_assert_cmpstr (keys->pdata[1], ==, "k1");

  /* Upsert: k1 typed again becomes the newest, with the new text. */
  json_object_set_string_member (one, "last_name", "Popa");
  g_assert_true (teren_store_put_draft (fixture->store, "k1", "person", "", NULL, one, &error));
  g_clear_pointer (&keys, g_ptr_array_unref);
  keys = teren_store_list_drafts (fixture->store, &error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (keys->pdata[0], ==, "k1");
  g_clear_pointer (&got, json_object_unref);
  got = teren_store_get_draft (fixture->store, "k1", NULL, NULL, NULL, &error);
  g_assert_cmpstr (teren_json_get_string (got, "last_name", NULL), ==, "Popa");
  g_clear_pointer (&got, json_object_unref);

  /* Drafts are never synced. */
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 0);

  g_assert_true (teren_store_delete_draft (fixture->store, "k2", &error));
  got = teren_store_get_draft (fixture->store, "k2", NULL, NULL, NULL, &error);
  g_assert_null (got);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (teren_store_delete_draft (fixture->store, "k2", &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Bad drafts are refused and change nothing. */
  before = test_store_digest (fixture->dir);
  g_assert_false (teren_store_put_draft (fixture->store, "k3", "spaceship", "", NULL, one, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (teren_store_put_draft (fixture->store, "", "person", "", NULL, one, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);
  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);

  /* A draft survives closing the store. */
  g_clear_object (&fixture->store);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  got = teren_store_get_draft (fixture->store, "k1", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_json_get_string (got, "last_name", NULL), ==, "Popa");
}

static void
draft_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_draft_deleted_with_save (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) typed = test_person_fields ("Vlad", "Sorin", "M", NULL, NULL);
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(TerenRecord) same = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = teren_uuid_new ();

  /* The form autosaves a draft for a new person (async, as the GUI does). */
  teren_store_put_draft_async (fixture->store, key, "person", "", NULL, typed, NULL, draft_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (teren_store_put_draft_finish (fixture->store, result, &error));
  g_assert_no_error (error);

  record = teren_store_save (fixture->store, "person", "", NULL, typed, key, NULL, &error);
  g_assert_no_error (error);
  got = teren_store_get_draft (fixture->store, key, NULL, NULL, NULL, &error);
  g_assert_null (got);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A save with nothing changed still removes the obsolete draft of the edit form. */
  g_assert_true (teren_store_put_draft (fixture->store, teren_record_get_id (record), "person", "",
                                        teren_record_get_id (record), typed, &error));
  same = teren_store_save (fixture->store, "person", "", teren_record_get_id (record), typed,
                           teren_record_get_id (record), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 1);
  got = teren_store_get_draft (fixture->store, teren_record_get_id (record), NULL, NULL, NULL, &error);
  g_assert_null (got);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
}

/* ---- Search ------------------------------------------------------------------------- */

typedef struct
{
  TerenRecord *stefanescu;
  TerenRecord *popescu;
  TerenRecord *stefan;
  TerenRecord *household;
  char        *cnp;
} Registry;

static void
fill_registry (TerenStore *store,
               Registry   *registry)
{
  g_autoptr(TerenRecord) filler = NULL;

  registry->cnp = test_make_cnp ('F', 1980, 2, 29, 123);
  registry->stefanescu = save_person (store, S_COMMA_UPPER "tef" "\xC4\x83" "nescu", "Ana", "F", "1980-02-29",
                                      registry->cnp);
  registry->popescu = save_person (store, "Popescu", "Ion", "M", "1961-07-01", NULL);
  registry->stefan = save_person (store, S_COMMA_UPPER "tefan", "Gheorghe", "M", NULL, NULL);
  registry->household = save_household (store, "Familia Moldovan",
                                        "Strada Mihai Viteazu 12, T\xC3\xA2rgu Jiu");
  filler = save_household (store, NULL, "Aleea Teilor 4, Cluj-Napoca");
}

static void
registry_clear (Registry *registry)
{
  g_clear_object (&registry->stefanescu);
  g_clear_object (&registry->popescu);
  g_clear_object (&registry->stefan);
  g_clear_object (&registry->household);
  g_clear_pointer (&registry->cnp, g_free);
}

static void
assert_search_finds (TerenStore  *store,
                     const char  *query,
                     TerenRecord *expected,
                     guint        n_expected)
{
  g_autoptr(GPtrArray) ids = search (store, query);

  if (ids->len != n_expected || (expected != NULL && !ids_contain (ids, teren_record_get_id (expected))))
    g_error ("query “%s”: %u results, expected %u", query, ids->len, n_expected);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  Registry registry = { 0 };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(TerenRecord) renamed = NULL;
  g_autofree char *cnp_prefix = NULL;
  const char * const persons_only[] = { "person", NULL };
  const char * const households_only[] = { "household", NULL };
  const char * const odd_queries[] = {
    "\"", "\"\"", "*", "a*b", "NEAR(a b)", "OR", "AND NOT", "-", "(", ")", "^", "ion:", "{a}",
    "a\"b OR c", "' OR 1=1 --", "\t \n",
  };
  guint i;

  fill_registry (fixture->store, &registry);

  /* Folded names: no diacritics, any case, cedilla or comma-below. */
  assert_search_finds (fixture->store, "stefanescu", registry.stefanescu, 1);
  assert_search_finds (fixture->store, "STEFANESCU", registry.stefanescu, 1);
  assert_search_finds (fixture->store, S_COMMA_LOWER "tef" "\xC4\x83" "nescu", registry.stefanescu, 1);
  assert_search_finds (fixture->store, S_CEDILLA_LOWER "tef" "\xC4\x83" "nescu", registry.stefanescu, 1);
  assert_search_finds (fixture->store, S_CEDILLA_UPPER "TEF", registry.stefanescu, 2);
  /* Typed prefixes. */
  assert_search_finds (fixture->store, "s", registry.stefan, 3);  /* Ștefan, Ștefănescu, Strada */
  assert_search_finds (fixture->store, "st", registry.stefan, 3);
  assert_search_finds (fixture->store, S_COMMA_LOWER "te", registry.stefan, 2);
  assert_search_finds (fixture->store, "stefa", registry.stefanescu, 2);
  assert_search_finds (fixture->store, "stefane", registry.stefanescu, 1);
  /* Every word must match, in any order. */
  assert_search_finds (fixture->store, "ana stef", registry.stefanescu, 1);
  assert_search_finds (fixture->store, "stef ana", registry.stefanescu, 1);
  assert_search_finds (fixture->store, "stef ion", NULL, 0);
  /* The best match first: the title that starts with the query. */
  ids = search (fixture->store, "stefan");
  g_assert_cmpuint (ids->len, ==, 2);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* CNP: 13 digits exactly, and typed as a prefix. */
  assert_search_finds (fixture->store, registry.cnp, registry.stefanescu, 1);
  cnp_prefix = g_strndup (registry.cnp, 7);
  assert_search_finds (fixture->store, cnp_prefix, registry.stefanescu, 1);

  /* Addresses and household names. */
  assert_search_finds (fixture->store, "viteazu", registry.household, 1);
  assert_search_finds (fixture->store, "targu jiu", registry.household, 1);
  assert_search_finds (fixture->store, "T\xC3\xA2RGU", registry.household, 1);
  assert_search_finds (fixture->store, "moldovan", registry.household, 1);
  assert_search_finds (fixture->store, "cluj", NULL, 1);

  /* Kinds. */
  ids = teren_store_search (fixture->store, persons_only, "s", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = teren_store_search (fixture->store, households_only, "stefanescu", 0, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* Empty query: everything, sorted by title; limit. */
  ids = search (fixture->store, "");
  g_assert_cmpuint (ids->len, ==, 5);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search (fixture->store, "   ");
  g_assert_cmpuint (ids->len, ==, 5);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = teren_store_search (fixture->store, NULL, "", 2, &error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = teren_store_search (fixture->store, persons_only, "", 0, &error);
  g_assert_cmpuint (ids->len, ==, 3);
  /* Popescu, Ștefan, Ștefănescu (Ș after S in Romanian order, ă after a). */
  g_assert_cmpstr (ids->pdata[0], ==, teren_record_get_id (registry.popescu));
  g_assert_cmpstr (ids->pdata[1], ==, teren_record_get_id (registry.stefan));
  g_assert_cmpstr (ids->pdata[2], ==, teren_record_get_id (registry.stefanescu));
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* Several kinds, empty query: their ordered ranges merged give the order one sort of
   * them all gives (the statement with "kind IN", used for a kind named twice), whatever
   * the order of the kinds. */
  {
    static const char * const both[] = { "person", "household", NULL };
    static const char * const both_reversed[] = { "household", "person", NULL };
    static const char * const twice[] = { "person", "household", "person", NULL };
    g_autoptr(GPtrArray) merged = teren_store_search (fixture->store, both, "", 0, &error);
    g_autoptr(GPtrArray) reversed = teren_store_search (fixture->store, both_reversed, "", 0, &error);
    g_autoptr(GPtrArray) sorted = teren_store_search (fixture->store, twice, "", 0, &error);
    g_autoptr(GPtrArray) first = teren_store_search (fixture->store, both, "", 3, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (merged->len, ==, 5);
    g_assert_cmpuint (reversed->len, ==, 5);
    g_assert_cmpuint (sorted->len, ==, 5);
    g_assert_cmpuint (first->len, ==, 3);
    for (i = 0; i < merged->len; i++)
      {
        g_assert_cmpstr (merged->pdata[i], ==, sorted->pdata[i]);
        g_assert_cmpstr (reversed->pdata[i], ==, sorted->pdata[i]);
        if (i < first->len)
          g_assert_cmpstr (first->pdata[i], ==, sorted->pdata[i]);
      }
  }

  /* Nothing found is an empty list. */
  assert_search_finds (fixture->store, "zzzz", NULL, 0);

  /* FTS syntax typed by a user is text, never an error. */
  for (i = 0; i < G_N_ELEMENTS (odd_queries); i++)
    {
      ids = teren_store_search (fixture->store, NULL, odd_queries[i], 0, &error);
      g_assert_no_error (error);
      g_assert_nonnull (ids);
      g_clear_pointer (&ids, g_ptr_array_unref);
    }

  /* The index follows edits. */
  json_object_set_string_member (edit, "last_name", "Georgescu");
  renamed = teren_store_save (fixture->store, "person", "", teren_record_get_id (registry.popescu), edit,
                              NULL, NULL, &error);
  g_assert_no_error (error);
  assert_search_finds (fixture->store, "popescu", NULL, 0);
  assert_search_finds (fixture->store, "georgescu ion", registry.popescu, 1);

  registry_clear (&registry);
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_search_async (Fixture       *fixture,
                   gconstpointer  data)
{
  Registry registry = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  fill_registry (fixture->store, &registry);

  teren_store_search_async (fixture->store, NULL, "stefanescu", 0, NULL, search_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ids = teren_store_search_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_ptr_array_unref);
  g_clear_object (&result);

  g_cancellable_cancel (cancellable);
  teren_store_search_async (fixture->store, NULL, "s", 0, cancellable, search_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ids = teren_store_search_finish (fixture->store, result, &error);
  g_assert_null (ids);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  registry_clear (&registry);
}

static void
test_find_by_cnp (Fixture       *fixture,
                  gconstpointer  data)
{
  Registry registry = { 0 };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spaced = NULL;
  g_autofree char *other = test_make_cnp ('M', 1980, 2, 29, 124);

  fill_registry (fixture->store, &registry);

  ids = teren_store_find_by_cnp (fixture->store, registry.cnp, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, teren_record_get_id (registry.stefanescu));
  g_clear_pointer (&ids, g_ptr_array_unref);

  spaced = g_strdup_printf ("%.1s %.6s-%s", registry.cnp, registry.cnp + 1, registry.cnp + 7);
  ids = teren_store_find_by_cnp (fixture->store, spaced, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* Exact only: a prefix or another CNP finds nothing. */
  ids = teren_store_find_by_cnp (fixture->store, other, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  registry.cnp[12] = '\0';
  ids = teren_store_find_by_cnp (fixture->store, registry.cnp, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = teren_store_find_by_cnp (fixture->store, "", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 0);

  registry_clear (&registry);
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *cnp = test_make_cnp ('M', 1975, 11, 30, 55);
  g_autoptr(TerenRecord) ion = save_person (fixture->store, "Munteanu", "Ion", "M", "1975-11-30", cnp);
  g_autoptr(TerenRecord) tica = save_person (fixture->store, S_COMMA_UPPER "tefan", T_COMMA_UPPER "ic" "\xC4\x83",
                                             "M", "1950-04-01", NULL);
  g_autoptr(JsonObject) same_cnp = test_person_fields ("Altcineva", "Cu Acelasi Cnp", "M", NULL, cnp);
  g_autoptr(JsonObject) same_name = test_person_fields ("STEFAN", "tica", "M", "1950-04-01", NULL);
  g_autoptr(JsonObject) cedilla_name = test_person_fields (S_CEDILLA_UPPER "tefan", T_CEDILLA_UPPER "ic" "\xC4\x83",
                                                           "M", "1950-04-01", NULL);
  g_autoptr(JsonObject) other_date = test_person_fields ("Stefan", "Tica", "M", "1950-04-02", NULL);
  g_autoptr(JsonObject) no_date = test_person_fields ("Stefan", "Tica", "M", NULL, NULL);
  g_autoptr(JsonObject) non_standard = test_person_fields ("X", "Y", "M", NULL, NULL);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = teren_store_find_duplicates (fixture->store, same_cnp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, teren_record_get_id (ion));
  g_clear_pointer (&ids, g_ptr_array_unref);

  ids = teren_store_find_duplicates (fixture->store, same_name, NULL, &error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, teren_record_get_id (tica));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = teren_store_find_duplicates (fixture->store, cedilla_name, NULL, &error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* Editing the record itself is not a duplicate of itself. */
  ids = teren_store_find_duplicates (fixture->store, same_name, teren_record_get_id (tica), &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);

  ids = teren_store_find_duplicates (fixture->store, other_date, NULL, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = teren_store_find_duplicates (fixture->store, no_date, NULL, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* The same digits as a non-standard code do not identify anyone. */
  json_object_set_string_member (non_standard, "cnp", cnp);
  json_object_set_string_member (non_standard, "cnp_status", "non_standard");
  ids = teren_store_find_duplicates (fixture->store, non_standard, NULL, &error);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* Same CNP and same name+date on two records: both listed, once each. */
  {
    g_autoptr(JsonObject) both = test_person_fields ("Stefan", "Tica", "M", "1950-04-01", cnp);

    ids = teren_store_find_duplicates (fixture->store, both, NULL, &error);
    g_assert_cmpuint (ids->len, ==, 2);
    g_assert_true (ids_contain (ids, teren_record_get_id (ion)));
    g_assert_true (ids_contain (ids, teren_record_get_id (tica)));
    g_clear_pointer (&ids, g_ptr_array_unref);
  }

  /* A deleted person is no duplicate. */
  g_assert_true (teren_store_delete (fixture->store, teren_record_get_id (ion), &error));
  ids = teren_store_find_duplicates (fixture->store, same_cnp, NULL, &error);
  g_assert_cmpuint (ids->len, ==, 0);
}

static void
test_find_by_field (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TerenRecord) person = save_person (fixture->store, "Pop", "Ana", "F", NULL, NULL);
  g_autoptr(TerenRecord) household = save_household (fixture->store, NULL, "Strada Mare 1");
  g_autoptr(JsonObject) member = json_object_new ();
  g_autoptr(TerenRecord) link = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (member, "person", teren_record_get_id (person));
  json_object_set_string_member (member, "household", teren_record_get_id (household));
  json_object_set_string_member (member, "relationship", "head");
  link = teren_store_save (fixture->store, "household_member", "", NULL, member, NULL, NULL, &error);
  g_assert_no_error (error);

  ids = teren_store_find_by_field (fixture->store, "household_member", "household",
                                   teren_record_get_id (household), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (ids->pdata[0], ==, teren_record_get_id (link));
  g_clear_pointer (&ids, g_ptr_array_unref);

  ids = teren_store_find_by_field (fixture->store, "household_member", "relationship", "head", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_ptr_array_unref);

  ids = teren_store_find_by_field (fixture->store, "household_member", "x') OR 1=1 --", "head", &error);
  g_assert_null (ids);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (teren_store_delete (fixture->store, teren_record_get_id (link), &error));
  ids = teren_store_find_by_field (fixture->store, "household_member", "household",
                                   teren_record_get_id (household), &error);
  g_assert_cmpuint (ids->len, ==, 0);
}

/* ---- Sync state and integrity --------------------------------------------------------- */

static void
test_sync_state (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, "Pop", "Ana", "F", NULL, NULL);
  const char *id = teren_record_get_id (record);
  g_autofree char *reason = NULL;
  g_autofree char *sql = NULL;
  guint pending = 99;
  sqlite3 *db;

  g_assert_cmpint (teren_store_get_sync_state (fixture->store, id, &pending, &reason), ==,
                   TEREN_RECORD_WAITING);
  g_assert_cmpuint (pending, ==, 1);
  g_assert_null (reason);

  db = test_db_open (fixture->dir, FALSE);
  sql = g_strdup_printf ("INSERT INTO conflict (id, record_id, field, created_at) "
                         "VALUES ('c1', '%s', 'first_name', '2026-01-01T00:00:00Z')", id);
  test_db_exec (db, sql);
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, id, NULL, NULL), ==,
                   TEREN_RECORD_IN_CONFLICT);

  test_db_exec (db, "UPDATE oplog SET state = 'quarantined', last_error = 'Rejected by the server'");
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, id, &pending, &reason), ==,
                   TEREN_RECORD_QUARANTINED);
  g_assert_cmpstr (reason, ==, "Rejected by the server");
  g_clear_pointer (&reason, g_free);
  /* Quarantined operations are not offered for pushing. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) ops = teren_store_list_pending_ops (fixture->store, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ops->len, ==, 0);
  }

  test_db_exec (db, "DELETE FROM oplog; UPDATE conflict SET state = 'resolved'");
  sqlite3_close (db);
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, id, &pending, &reason), ==,
                   TEREN_RECORD_SYNCED);
  g_assert_cmpuint (pending, ==, 0);
  g_assert_null (reason);
  g_assert_cmpint (teren_store_get_sync_state (fixture->store, "unknown", NULL, NULL), ==,
                   TEREN_RECORD_SYNCED);
}

static void
test_held_behind_quarantine (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TerenRecord) record = save_person (fixture->store, "Pop", "Ana", "F", NULL, NULL);
  g_autoptr(TerenRecord) updated = NULL;
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  sqlite3 *db;

  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "UPDATE oplog SET state = 'quarantined'");
  json_object_set_string_member (edit, "first_name", "Anca");
  updated = teren_store_save (fixture->store, "person", "", teren_record_get_id (record), edit, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM oplog WHERE state = 'held'"), ==, 1);
  sqlite3_close (db);

  g_assert_cmpint (teren_store_get_sync_state (fixture->store, teren_record_get_id (record), NULL, &reason), ==,
                   TEREN_RECORD_QUARANTINED);
  g_assert_nonnull (reason);
}

static void
test_integrity (Fixture       *fixture,
                gconstpointer  data)
{
  Registry registry = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (teren_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
  fill_registry (fixture->store, &registry);
  g_assert_true (teren_store_delete (fixture->store, teren_record_get_id (registry.popescu), &error));
  g_assert_true (teren_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);

  {
    g_autoptr(GAsyncResult) result = NULL;

    teren_store_check_integrity_async (fixture->store, NULL, save_done_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (teren_store_check_integrity_finish (fixture->store, result, &error));
    g_assert_no_error (error);
  }
  registry_clear (&registry);
}

static void
test_default_dir (void)
{
  g_autofree char *local = NULL;
  g_autofree char *account = NULL;
  g_autofree char *evil = NULL;
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "teren", "local", NULL);

  g_unsetenv ("TEREN_DATA_DIR");
  local = teren_store_default_dir (NULL);
  g_assert_cmpstr (local, ==, expected);
  account = teren_store_default_dir ("ana@daps");
  g_assert_true (g_str_has_suffix (account, "/teren/ana@daps"));
  evil = teren_store_default_dir ("../../etc");
  g_assert_cmpstr (evil, ==, expected);
}

/* Searches with many matches take their order from memory instead of an SQL sort: the
 * same ids in the same order as the SQL query, also after saves, renames, deletes and
 * rolled-back transactions. */
static void
wait_order_ready (TerenStore *store)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!teren_search_order_is_ready (teren_store_get_search_order (store)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

/* Threads of this process whose name starts with @prefix. */
static guint
count_threads (const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *name = NULL;

      if (g_file_get_contents (path, &name, NULL, NULL) && g_str_has_prefix (name, prefix))
        n++;
    }
  return n;
}

/* Closing the store ends the thread that reads the search order, and waits for it, even
 * while someone else still holds the order: a command-line run that closes its store at
 * once leaves no thread with a connection of its own running while the process exits. */
static void
test_search_order_close (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-store-XXXXXX", &error);
  g_autofree char *wal = NULL;
  TerenSearchOrder *order;
  TerenStore *store;
  gint64 deadline;

  g_assert_no_error (error);
  store = teren_store_open (dir, &error);
  g_assert_no_error (error);
  g_object_unref (save_person (store, "Stan", "Ana", "F", NULL, NULL));
  order = teren_search_order_ref (teren_store_get_search_order (store));
  /* the thread names itself once it runs */
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (count_threads ("teren-order") == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }

  g_object_unref (store);
  /* gone at once (the kernel forgets a joined thread within microseconds), not after its
   * delay of a second */
  deadline = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;
  while (count_threads ("teren-order") > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  /* the writer was the last connection: the log went with it */
  wal = g_build_filename (dir, TEREN_STORE_DB_NAME "-wal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (teren_search_order_is_ready (order));
  teren_search_order_unref (order);
  test_rm_rf (dir);
}

static GPtrArray *
search_both (TerenStore          *store,
             const char * const  *kinds,
             const char          *query,
             guint                limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) from_memory = NULL;
  GPtrArray *from_sql = NULL;
  guint saved = teren_search_order_min_matches;
  guint i;

  teren_search_order_min_matches = 0;
  from_memory = teren_store_search (store, kinds, query, limit, &error);
  g_assert_no_error (error);
  teren_search_order_min_matches = G_MAXUINT;
  from_sql = teren_store_search (store, kinds, query, limit, &error);
  g_assert_no_error (error);
  teren_search_order_min_matches = saved;

  if (from_memory->len != from_sql->len)
    g_error ("“%s”: %u ids from memory, %u from SQL", query, from_memory->len, from_sql->len);
  for (i = 0; i < from_sql->len; i++)
    g_assert_cmpstr (from_memory->pdata[i], ==, from_sql->pdata[i]);
  return from_sql;
}

static void
test_search_order (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const last[] = { "Stan", "Ștefan", "Stoica", "Sandu", "Popa", "Șerban",
                                       "Ionescu", "Săvulescu", "Surdu", "Ana" };
  static const char * const first[] = { "Ana", "Ion", "Maria", "Sorin", "Elena", "Ștefan" };
  const char * const queries[] = { "s", "st", "ș", "a", "an", "ion", "stefan", "str", "" };
  const char * const persons_only[] = { "person", NULL };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) rename = json_object_new ();
  g_autoptr(TerenRecord) renamed = NULL;
  guint i, q;

  g_assert_true (teren_store_begin (fixture->store, &error));
  for (i = 0; i < 120; i++)
    {
      g_autoptr(TerenRecord) record = save_person (fixture->store, last[i % G_N_ELEMENTS (last)],
                                                   first[(i / 3) % G_N_ELEMENTS (first)],
                                                   i % 2 ? "M" : "F", NULL, NULL);
    }
  for (i = 0; i < 20; i++)
    {
      g_autofree char *address = g_strdup_printf ("Strada Sării %u, Slatina", i);
      g_autoptr(TerenRecord) household = save_household (fixture->store, i % 3 ? NULL : "Familia Stan", address);
    }
  g_assert_true (teren_store_commit (fixture->store, &error));
  /* 140 new rows were moved into the order one by one (or it was read again). */
  wait_order_ready (fixture->store);

  for (q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_clear_pointer (&ids, g_ptr_array_unref);
      ids = search_both (fixture->store, NULL, queries[q], 0);
      g_clear_pointer (&ids, g_ptr_array_unref);
      ids = search_both (fixture->store, persons_only, queries[q], 0);
      g_clear_pointer (&ids, g_ptr_array_unref);
      ids = search_both (fixture->store, NULL, queries[q], 7);
    }

  /* Changes after the order was read: a new person, a rename, a delete. */
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "s", 0);
  g_object_unref (save_person (fixture->store, "Sârbu", "Aurel", "M", NULL, NULL));
  json_object_set_string_member (rename, "last_name", "Albu");
  renamed = teren_store_save (fixture->store, "person", "", ids->pdata[0], rename, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (teren_store_delete (fixture->store, ids->pdata[1], &error));
  /* A rolled-back import leaves no trace in the order either; inside it, its own rows
   * are found. */
  g_assert_true (teren_store_begin (fixture->store, &error));
  g_object_unref (save_person (fixture->store, "Scurtu", "Nimeni", "M", NULL, NULL));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "s", 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "scurtu", 0);
  g_assert_cmpuint (ids->len, ==, 1);
  teren_store_rollback (fixture->store);

  for (q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_clear_pointer (&ids, g_ptr_array_unref);
      ids = search_both (fixture->store, NULL, queries[q], 0);
    }
  g_assert_true (teren_search_order_is_ready (teren_store_get_search_order (fixture->store)));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "sarbu", 0);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "scurtu", 0);
  g_assert_cmpuint (ids->len, ==, 0);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "albu", 0);
  g_assert_cmpuint (ids->len, ==, 1);

  /* An import of more rows than are moved one by one: the order is read again. */
  g_assert_true (teren_store_begin (fixture->store, &error));
  for (i = 0; i < 600; i++)
    g_object_unref (save_person (fixture->store, "Import", first[i % G_N_ELEMENTS (first)], "F", NULL, NULL));
  g_assert_true (teren_store_commit (fixture->store, &error));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "i", 0);   /* SQL answers meanwhile */
  wait_order_ready (fixture->store);
  for (q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_clear_pointer (&ids, g_ptr_array_unref);
      ids = search_both (fixture->store, NULL, queries[q], 0);
    }
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, persons_only, "import", 0);
  g_assert_cmpuint (ids->len, ==, 600);

  /* The account's data wiped (a revoked device): the whole order goes, and the rows saved
   * afterwards (whose rowids start again from 1) are ordered as SQL orders them. */
  g_assert_true (teren_store_sync_wipe (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_false (teren_search_order_is_ready (teren_store_get_search_order (fixture->store)));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "s", 0);
  g_assert_cmpuint (ids->len, ==, 0);
  for (i = 0; i < 30; i++)
    g_object_unref (save_person (fixture->store, last[(i + 3) % G_N_ELEMENTS (last)], "După", "M", NULL, NULL));
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "s", 0);
  wait_order_ready (fixture->store);
  for (q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_clear_pointer (&ids, g_ptr_array_unref);
      ids = search_both (fixture->store, NULL, queries[q], 0);
    }
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = search_both (fixture->store, NULL, "dupa", 0);
  g_assert_cmpuint (ids->len, ==, 30);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/open/creates-private-files", test_open_creates_private_files);
  g_test_add_func ("/store/open/tightens-folder", test_open_tightens_folder);
  g_test_add_func ("/store/open/async", test_open_async_real);
  g_test_add_func ("/store/open/newer-version", test_open_newer_version);
  g_test_add_func ("/store/open/foreign-database", test_open_foreign_database);
  g_test_add_func ("/store/default-dir", test_default_dir);
  g_test_add ("/store/save/create", Fixture, NULL, fixture_setup, test_save_create, fixture_teardown);
  g_test_add ("/store/save/update", Fixture, NULL, fixture_setup, test_save_update, fixture_teardown);
  g_test_add ("/store/save/async", Fixture, NULL, fixture_setup, test_save_async, fixture_teardown);
  g_test_add ("/store/save/one-transaction", Fixture, NULL, fixture_setup, test_save_one_transaction, fixture_teardown);
  g_test_add ("/store/save/all-or-nothing", Fixture, NULL, fixture_setup, test_save_all, fixture_teardown);
  g_test_add ("/store/save/explicit-transaction", Fixture, NULL, fixture_setup, test_explicit_transaction, fixture_teardown);
  g_test_add ("/store/save/cedilla", Fixture, NULL, fixture_setup, test_normalise_cedilla, fixture_teardown);
  g_test_add ("/store/delete", Fixture, NULL, fixture_setup, test_delete, fixture_teardown);
  g_test_add ("/store/get-unknown", Fixture, NULL, fixture_setup, test_get_unknown, fixture_teardown);
  g_test_add ("/store/drafts/basic", Fixture, NULL, fixture_setup, test_drafts, fixture_teardown);
  g_test_add ("/store/drafts/deleted-with-save", Fixture, NULL, fixture_setup, test_draft_deleted_with_save, fixture_teardown);
  g_test_add ("/store/search/text", Fixture, NULL, fixture_setup, test_search, fixture_teardown);
  g_test_add ("/store/search/async", Fixture, NULL, fixture_setup, test_search_async, fixture_teardown);
  g_test_add ("/store/search/order-in-memory", Fixture, NULL, fixture_setup, test_search_order, fixture_teardown);
  g_test_add_func ("/store/search/order-close", test_search_order_close);
  g_test_add ("/store/search/cnp", Fixture, NULL, fixture_setup, test_find_by_cnp, fixture_teardown);
  g_test_add ("/store/duplicates", Fixture, NULL, fixture_setup, test_duplicates, fixture_teardown);
  g_test_add ("/store/find-by-field", Fixture, NULL, fixture_setup, test_find_by_field, fixture_teardown);
  g_test_add ("/store/sync-state", Fixture, NULL, fixture_setup, test_sync_state, fixture_teardown);
  g_test_add ("/store/sync-state/held", Fixture, NULL, fixture_setup, test_held_behind_quarantine, fixture_teardown);
  g_test_add ("/store/integrity", Fixture, NULL, fixture_setup, test_integrity, fixture_teardown);

  return g_test_run ();
}
