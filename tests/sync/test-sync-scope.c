/* test-sync-scope.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-sync-test-util.h"

/* Scope changes end to end (issue 8, SYNC.md "Pull", "Scope"): the real teren-server, its
 * admin CLI changing an account's lines, and the real client engine and store.
 * - an account that gains a line gets that line's older records by backfill on its next
 *   sync, and nothing it already held is sent again (the cursor is not reset);
 * - an account that loses a line: its pending operation on such a record is pushed first
 *   (and refused), that record is kept while its operation is in quarantine, everything
 *   else of the line leaves the store (record, base, search rows, drafts);
 * - a registry grant: a case of line A on a person held only by line B brings the person
 *   to line A's accounts; purged again when nothing of the account's lines references it.
 * Invariant 6 (isolation) is checked at the end of every step by comparing the store's ids
 * with what the server shows the account. Runs under build-aux/test-session.sh. */

typedef struct {
  TerenTestServer *server;
  TerenTestDevice *boss;   /* lines child + elderly: makes the records */
  char            *root;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-scope-XXXXXX",
                              "boss", "child,elderly", "supervisor", "ana", "child", "worker", NULL);
  fixture->boss = teren_test_device_new (fixture->server, "boss", TEST_PASSWORD, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->boss, teren_test_device_free);
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
}

static TerenSyncEngine *
login (Fixture    *fixture,
       const char *user,
       const char *dir_name)
{
  return test_engine_login_ok (fixture->server->base_url, user, fixture->root, dir_name);
}

static void
set_lines (Fixture    *fixture,
           const char *user,
           const char *lines)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (teren_test_server_clif (fixture->server, NULL, NULL, &err, "user", "lines", user,
                                           "--lines", lines, NULL), ==, 0);
}

/* boss creates a record; returns its id. (transfer full) */
static char *
boss_create (Fixture    *fixture,
             const char *kind,
             const char *line,
             JsonObject *fields)
{
  JsonObject *op = teren_test_op_new ("create", NULL, kind, line, 0, fields, NULL);
  g_autoptr(JsonObject) result = NULL;
  char *id = g_strdup (json_object_get_string_member (op, "record_id"));

  result = teren_test_device_push_one (fixture->boss, op);
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
  return id;
}

static char *
boss_person (Fixture *fixture)
{
  return boss_create (fixture, "person", "", teren_test_person_fields (NULL));
}

static char *
boss_case (Fixture    *fixture,
           const char *line,
           const char *person_id)
{
  return boss_create (fixture, "case", line, teren_test_case_fields (person_id));
}

static void
boss_delete (Fixture    *fixture,
             const char *id,
             const char *kind,
             const char *line,
             gint64      rev)
{
  JsonObject *op = teren_test_op_new ("delete", id, kind, line, rev, NULL, NULL);
  g_autoptr(JsonObject) result = teren_test_device_push_one (fixture->boss, op);

  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
}

/* Ids of one column of the store's database. (transfer full) */
static GHashTable *
store_ids (TerenStore *store,
           const char *sql)
{
  g_autofree char *path = g_build_filename (teren_store_get_data_dir (store), TEREN_STORE_DB_NAME, NULL);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_hash_table_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ids;
}

static gboolean
store_holds (TerenStore *store,
             const char *id)
{
  g_autoptr(GHashTable) record = store_ids (store, "SELECT id FROM record");
  g_autoptr(GHashTable) base = store_ids (store, "SELECT id FROM base");

  return g_hash_table_contains (record, id) || g_hash_table_contains (base, id);
}

/* What the server shows @user: the non-deleted record ids of a fresh full pull. */
static GHashTable *
server_scope (Fixture    *fixture,
              const char *user)
{
  g_autoptr(TerenTestDevice) device = teren_test_device_new (fixture->server, user, TEST_PASSWORD, NULL);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  teren_test_device_pull_all (device, 0);
  g_hash_table_iter_init (&iter, device->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *record = value;

      if (!json_object_get_boolean_member_with_default (record, "deleted", FALSE))
        g_hash_table_add (ids, g_strdup (key));
    }
  return ids;
}

static void
assert_subset (GHashTable *ids,
               GHashTable *scope,
               const char *what)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (scope, key))
      g_error ("%s holds %s, outside the account's scope", what, (const char *) key);
}

/* Invariant 6: the store holds exactly the server's scope of @user (plus @kept: records
 * kept for an operation in quarantine), and nothing outside it in any table. */
static void
assert_isolation (Fixture         *fixture,
                  TerenSyncEngine *engine,
                  const char      *user,
                  const char      *kept)
{
  TerenStore *store = teren_sync_engine_get_store (engine);
  g_autoptr(GHashTable) scope = server_scope (fixture, user);
  g_autoptr(GHashTable) records = store_ids (store, "SELECT id FROM record WHERE deleted = 0");
  g_autoptr(GHashTable) base = store_ids (store, "SELECT id FROM base WHERE deleted = 0");
  g_autoptr(GHashTable) search = store_ids (store, "SELECT id FROM search");
  g_autoptr(GHashTable) refs = store_ids (store, "SELECT record_id FROM record_ref");
  g_autoptr(GHashTable) drafts = store_ids (store, "SELECT record_id FROM draft WHERE record_id IS NOT NULL");
  GHashTableIter iter;
  gpointer key;

  if (kept != NULL)
    g_hash_table_add (scope, g_strdup (kept));
  assert_subset (records, scope, "record");
  assert_subset (base, scope, "base");
  assert_subset (search, scope, "search");
  assert_subset (refs, scope, "record_ref");
  assert_subset (drafts, scope, "draft");
  /* …and all of it (convergence after the round). */
  g_hash_table_iter_init (&iter, scope);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (records, key))
      g_error ("the store lacks %s, in the account's scope", (const char *) key);
}

/* Record ids the server sent to @user's pulls after audit row @after (the server's audit
 * of pulls: ids only). (transfer full) */
static GPtrArray *
pulled_since (Fixture    *fixture,
              const char *user,
              gint64      after)
{
  g_autofree char *path = g_build_filename (fixture->server->data_dir, "teren-server.db", NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT detail FROM audit WHERE action = 'pull' AND account = ? "
                                           "AND id > ? ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, after);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) detail = teren_json_parse_object ((const char *) sqlite3_column_text (stmt, 0), -1, 8, NULL);
      JsonArray *array;
      guint i;

      g_assert_nonnull (detail);
      array = json_object_get_array_member (detail, "ids");
      for (i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (ids, g_strdup (json_array_get_string_element (array, i)));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ids;
}

static gint64
last_audit (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->server->data_dir, "teren-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 last = 0;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT IFNULL(MAX(id), 0) FROM audit", -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    last = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return last;
}

static guint
count_in (GPtrArray  *ids,
          const char *id)
{
  guint n = 0;
  guint i;

  for (i = 0; i < ids->len; i++)
    if (strcmp (g_ptr_array_index (ids, i), id) == 0)
      n++;
  return n;
}

/* (a) A line gained: backfill, cursor kept. */
static void
test_gain_line (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  g_autofree char *p1 = NULL, *c1 = NULL, *p2 = NULL, *e1 = NULL, *e2 = NULL, *c3 = NULL;
  g_autofree char *cursor_before = NULL;
  g_autofree char *cursor_after = NULL;
  TerenStore *store;
  gint64 mark;
  guint i;

  if (!test_need_keyring ())
    return;

  p1 = boss_person (fixture);
  c1 = boss_case (fixture, "child", p1);
  p2 = boss_person (fixture);
  e1 = boss_case (fixture, "elderly", p2);
  e2 = boss_case (fixture, "elderly", p2);

  ana = login (fixture, "ana", "ana");
  store = teren_sync_engine_get_store (ana);
  test_sync_quiet (ana);
  g_assert_true (store_holds (store, p1));
  g_assert_true (store_holds (store, c1));
  g_assert_false (store_holds (store, p2));
  g_assert_false (store_holds (store, e1));
  assert_isolation (fixture, ana, "ana", NULL);

  /* Something new in the line ana already has, after her cursor. */
  c3 = boss_case (fixture, "child", p1);
  set_lines (fixture, "ana", "child,elderly");

  cursor_before = teren_store_sync_get_cursor (store);
  mark = last_audit (fixture);
  summary = test_sync_ok (ana);
  g_assert_cmpuint (summary->purged, ==, 0);
  cursor_after = teren_store_sync_get_cursor (store);
  g_assert_cmpstr (cursor_after, !=, cursor_before);

  /* The elderly line's older records arrived (backfill) and the new child case; what ana
   * held was not sent again: the cursor was not reset. */
  sent = pulled_since (fixture, "ana", mark);
  g_assert_cmpuint (count_in (sent, e1), ==, 1);
  g_assert_cmpuint (count_in (sent, e2), ==, 1);
  g_assert_cmpuint (count_in (sent, p2), ==, 1);
  g_assert_cmpuint (count_in (sent, c3), ==, 1);
  g_assert_cmpuint (count_in (sent, p1), ==, 0);
  g_assert_cmpuint (count_in (sent, c1), ==, 0);
  g_assert_cmpuint (sent->len, ==, 4);
  g_assert_cmpuint (summary->pulled, ==, 4);
  for (i = 0; i < sent->len; i++)
    g_assert_true (store_holds (store, g_ptr_array_index (sent, i)));
  assert_isolation (fixture, ana, "ana", NULL);

  /* A second round sends nothing more. */
  {
    g_autoptr(TerenSyncSummary) again = NULL;
    g_autoptr(GPtrArray) sent2 = NULL;

    mark = last_audit (fixture);
    again = test_sync_ok (ana);
    sent2 = pulled_since (fixture, "ana", mark);
    g_assert_cmpuint (sent2->len, ==, 0);
    g_assert_cmpuint (again->pulled, ==, 0);
  }
}

/* (b) A line lost: pending operation pushed first, kept while quarantined, the rest
 * purged with its search rows and drafts. */
static void
test_lose_line (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(TerenSyncSummary) summary2 = NULL;
  g_autoptr(GPtrArray) quarantine = NULL;
  g_autoptr(TerenRecord) edited = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonObject) draft = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) search = NULL;
  g_autoptr(GHashTable) drafts = NULL;
  g_autofree char *p1 = NULL, *c1 = NULL, *p2 = NULL, *e1 = NULL, *e2 = NULL;
  TerenQuarantined *q;
  TerenStore *store;

  if (!test_need_keyring ())
    return;

  set_lines (fixture, "ana", "child,elderly");
  p1 = boss_person (fixture);
  c1 = boss_case (fixture, "child", p1);
  p2 = boss_person (fixture);
  e1 = boss_case (fixture, "elderly", p2);
  e2 = boss_case (fixture, "elderly", p2);

  ana = login (fixture, "ana", "ana");
  store = teren_sync_engine_get_store (ana);
  test_sync_quiet (ana);
  g_assert_true (store_holds (store, e1));
  g_assert_true (store_holds (store, e2));
  g_assert_true (store_holds (store, p2));
  search = store_ids (store, "SELECT id FROM search");
  g_assert_true (g_hash_table_contains (search, p2));
  g_clear_pointer (&search, g_hash_table_unref);

  /* Offline: an edit of e1 (pending) and a draft of e2 and of p2. */
  json_object_set_string_member (patch, "status", "closed");
  json_object_set_string_member (patch, "closed_on", "2026-11-20");
  edited = teren_store_save (store, "case", "elderly", e1, patch, NULL, NULL, &error);
  if (error != NULL && g_error_matches (error, TEREN_ERROR, TEREN_ERROR_INVALID))
    {
      /* The schema wants more to close a case: a plain status edit then. */
      g_clear_error (&error);
      json_object_remove_member (patch, "closed_on");
      json_object_set_string_member (patch, "status", "suspended");
      edited = teren_store_save (store, "case", "elderly", e1, patch, NULL, NULL, &error);
    }
  g_assert_no_error (error);
  json_object_set_string_member (draft, "status", "open");
  g_assert_true (teren_store_put_draft (store, e2, "case", "elderly", e2, draft, &error));
  g_assert_no_error (error);
  g_assert_true (teren_store_put_draft (store, p2, "person", "", p2, draft, &error));
  g_assert_no_error (error);

  set_lines (fixture, "ana", "child");

  summary = test_sync_ok (ana);
  /* The edit was pushed first and refused (the account left the line): quarantined with
   * the server's reason, not dropped. */
  g_assert_cmpuint (summary->pushed, ==, 1);
  g_assert_cmpuint (summary->rejected, ==, 1);
  quarantine = teren_store_list_quarantine (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quarantine->len, ==, 1);
  q = g_ptr_array_index (quarantine, 0);
  g_assert_cmpstr (q->record_id, ==, e1);
  g_assert_cmpstr (q->code, ==, "forbidden");

  /* e1 kept (its operation waits for a person), e2 and p2 purged with their search rows
   * and drafts; the child line untouched. */
  g_assert_true (store_holds (store, e1));
  g_assert_false (store_holds (store, e2));
  g_assert_false (store_holds (store, p2));
  g_assert_true (store_holds (store, p1));
  g_assert_true (store_holds (store, c1));
  search = store_ids (store, "SELECT id FROM search");
  g_assert_false (g_hash_table_contains (search, p2));
  drafts = store_ids (store, "SELECT key FROM draft");
  g_assert_false (g_hash_table_contains (drafts, e2));
  g_assert_false (g_hash_table_contains (drafts, p2));
  g_assert_cmpuint (g_hash_table_size (drafts), ==, 0);
  assert_isolation (fixture, ana, "ana", e1);

  /* The person decides: the change is discarded; the next round purges e1 too. */
  g_assert_true (teren_store_discard_quarantined (store, q->change_id, &error));
  g_assert_no_error (error);
  summary2 = test_sync_ok (ana);
  g_assert_false (store_holds (store, e1));
  assert_isolation (fixture, ana, "ana", NULL);
}

/* (c) Registry grant with backfill and purge. */
static void
test_registry_grant (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) ana = NULL;
  g_autoptr(TerenSyncEngine) maria = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  g_autofree char *q = NULL, *eq = NULL, *cq = NULL, *p1 = NULL, *c1 = NULL;
  TerenStore *store;
  TerenStore *mstore;
  gint64 mark;

  if (!test_need_keyring ())
    return;

  teren_test_server_add_user (fixture->server, "maria", TEST_PASSWORD, "child", "worker");
  p1 = boss_person (fixture);
  c1 = boss_case (fixture, "child", p1);
  q = boss_person (fixture);
  eq = boss_case (fixture, "elderly", q);

  ana = login (fixture, "ana", "ana");
  maria = login (fixture, "maria", "maria");
  store = teren_sync_engine_get_store (ana);
  mstore = teren_sync_engine_get_store (maria);
  test_sync_quiet (ana);
  test_sync_quiet (maria);
  g_assert_false (store_holds (store, q));
  g_assert_false (store_holds (mstore, q));
  assert_isolation (fixture, ana, "ana", NULL);

  /* A child case on the person held only by the elderly line: a grant. */
  cq = boss_case (fixture, "child", q);
  mark = last_audit (fixture);
  test_sync_quiet (ana);
  test_sync_quiet (maria);
  g_assert_true (store_holds (store, q));
  g_assert_true (store_holds (store, cq));
  g_assert_true (store_holds (mstore, q));
  g_assert_false (store_holds (store, eq));
  sent = pulled_since (fixture, "ana", mark);
  g_assert_cmpuint (count_in (sent, q), ==, 1);
  g_assert_cmpuint (count_in (sent, cq), ==, 1);
  g_assert_cmpuint (count_in (sent, p1), ==, 0);
  g_assert_cmpuint (sent->len, ==, 2);
  assert_isolation (fixture, ana, "ana", NULL);
  assert_isolation (fixture, maria, "maria", NULL);

  /* ana moves to the elderly line: backfill of eq (q stays, now through eq), purge of the
   * child records. */
  set_lines (fixture, "ana", "elderly");
  test_sync_quiet (ana);
  g_assert_true (store_holds (store, eq));
  g_assert_true (store_holds (store, q));
  g_assert_false (store_holds (store, cq));
  g_assert_false (store_holds (store, c1));
  g_assert_false (store_holds (store, p1));
  assert_isolation (fixture, ana, "ana", NULL);

  /* Back to child only: eq purged, q kept through cq, the child records backfilled. */
  set_lines (fixture, "ana", "child");
  test_sync_quiet (ana);
  g_assert_false (store_holds (store, eq));
  g_assert_true (store_holds (store, q));
  g_assert_true (store_holds (store, cq));
  g_assert_true (store_holds (store, c1));
  g_assert_true (store_holds (store, p1));
  assert_isolation (fixture, ana, "ana", NULL);

  /* The only child case of q goes: q leaves the child line, purged from both child
   * accounts, which keep nothing of it. */
  boss_delete (fixture, cq, "case", "child", 1);
  test_sync_quiet (ana);
  test_sync_quiet (maria);
  g_assert_false (store_holds (store, q));
  g_assert_false (store_holds (mstore, q));
  assert_isolation (fixture, ana, "ana", NULL);
  assert_isolation (fixture, maria, "maria", NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/scope/gain-line", Fixture, NULL, fixture_set_up, test_gain_line, fixture_tear_down);
  g_test_add ("/sync/scope/lose-line", Fixture, NULL, fixture_set_up, test_lose_line, fixture_tear_down);
  g_test_add ("/sync/scope/registry-grant", Fixture, NULL, fixture_set_up, test_registry_grant,
              fixture_tear_down);
  return g_test_run ();
}
