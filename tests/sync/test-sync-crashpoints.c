/* test-sync-crashpoints.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "teren-cli-test-util.h"
#include "teren-crashpoint.h"
#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-sync-test-util.h"

/* The client's named crash points (SYNC-NOTES.md §4.2, scenarios S2 and S3 of §4.3, and
 * the save's own). `teren-cli sync` runs in a process of its own against the real
 * teren-server with TEREN_CRASHPOINT naming one point; it must die there (exit status
 * 137). A normal `teren-cli sync` then has to leave every acknowledged save on the server
 * exactly once (a push retried is answered `duplicate`, its operation archived once, the
 * record's revisions contiguous), the pull resumed from the committed cursor (exactly the
 * pages after it asked for, no record repaired by the digest), the client holding exactly
 * the server's records for its scope, nothing waiting and `PRAGMA integrity_check` ok.
 * A save killed before its COMMIT leaves nothing behind: no record, no operation.
 *
 * A probability "name:P" is drawn from a GRand seeded with TEREN_TEST_SEED (as the crash
 * point does); the test picks the seed that makes the process die at the page it wants. */

#define PULL_LIMIT 3
#define PULL_LIMIT_TEXT "3"
#define PULL_PROBABILITY 0.5
#define PULL_PROBABILITY_TEXT "0.5"

typedef struct {
  TerenTestServer *server;
  char            *root;
  char            *dir;    /* the store teren-cli syncs: ana's */
  char            *db;     /* its database file */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-sync-crashpoints-XXXXXX",
                              "ana", "child", "worker", "maria", "child", "worker", NULL);
  fixture->dir = g_build_filename (fixture->root, "ana", NULL);
  fixture->db = g_build_filename (fixture->dir, TEREN_STORE_DB_NAME, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
  g_free (fixture->dir);
  g_free (fixture->db);
}

/* ---- teren-cli in its own process ------------------------------------------------------ */

/* Runs teren-cli ARGS… with TEREN_CRASHPOINT=@crashpoint and TEREN_TEST_SEED=@seed (NULL:
 * unset); returns its exit status. */
static int
cli (Fixture     *fixture,
     const char  *crashpoint,
     const char  *seed,
     char       **out_stdout,
     ...)
{
  g_auto(GStrv) envp = test_cli_environ ("en");
  g_autofree char *config = g_build_filename (fixture->root, "config", NULL);
  va_list args;
  int status;

  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config, TRUE);
  if (crashpoint != NULL)
    envp = g_environ_setenv (envp, "TEREN_CRASHPOINT", crashpoint, TRUE);
  if (seed != NULL)
    envp = g_environ_setenv (envp, "TEREN_TEST_SEED", seed, TRUE);
  g_test_message ("TEREN_CRASHPOINT=%s TEREN_TEST_SEED=%s", crashpoint != NULL ? crashpoint : "",
                  seed != NULL ? seed : "");
  va_start (args, out_stdout);
  status = test_cli_run_full_va (envp, NULL, NULL, NULL, args, out_stdout, NULL);
  va_end (args);
  return status;
}

/* `teren-cli sync` of ana's store that must die at @crashpoint. */
static void
sync_crashes (Fixture    *fixture,
              const char *crashpoint,
              const char *seed)
{
  g_assert_cmpint (cli (fixture, crashpoint, seed, NULL, "sync", "--data-dir", fixture->dir,
                        "--pull-limit", PULL_LIMIT_TEXT, NULL),
                   ==, TEREN_CRASHPOINT_EXIT_STATUS);
}

/* A normal `teren-cli sync` of ana's store; its output. (transfer full) */
static char *
sync_ok (Fixture *fixture)
{
  char *out = NULL;

  g_assert_cmpint (cli (fixture, NULL, NULL, &out, "sync", "--data-dir", fixture->dir,
                        "--pull-limit", PULL_LIMIT_TEXT, NULL), ==, 0);
  return out;
}

/* "Received: N records in P page(s)" of a sync's output. */
static void
parse_received (const char *out,
                guint      *out_records,
                guint      *out_pages)
{
  const char *line = strstr (out, "Received: ");
  const char *in;

  g_assert_nonnull (line);
  in = strstr (line, " in ");
  g_assert_nonnull (in);
  *out_records = (guint) g_ascii_strtoull (line + strlen ("Received: "), NULL, 10);
  *out_pages = (guint) g_ascii_strtoull (in + strlen (" in "), NULL, 10);
}

/* ---- The store's database, read directly (the checker never asks the code under test) -- */

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static gint64
query_int (const char *path,
           const char *sql,
           const char *param)
{
  sqlite3 *db = open_db (path);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The first column of every row, as text joined by @separator (NULL values as "-"). */
static char *
query_text (const char *path,
            const char *sql,
            const char *separator)
{
  sqlite3 *db = open_db (path);
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (out->len > 0)
        g_string_append (out, separator);
      g_string_append (out, text != NULL ? text : "-");
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static void
assert_integrity (const char *path)
{
  g_autofree char *result = query_text (path, "PRAGMA integrity_check", "\n");

  g_assert_cmpstr (result, ==, "ok");
}

static char *
get_meta (const char *path,
          const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT value FROM sync_meta WHERE key = '%s'", key);

  return query_text (path, sql, "");
}

/* ---- The server's side ------------------------------------------------------------------ */

/* The change ids of @record_id's history on the server (`audit`), checking that its revisions
 * are 1, 2, … n and that no change id appears twice (invariant 2). Space-separated. */
static char *
server_history (Fixture    *fixture,
                const char *record_id)
{
  g_autoptr(GPtrArray) changes = teren_test_server_history (fixture->server, record_id);

  g_ptr_array_add (changes, NULL);
  return g_strjoinv (" ", (char **) changes->pdata);
}

/* Whether the server's history of record_ids[i] holds change_ids[i], for every i. */
static gboolean
server_has_all (Fixture   *fixture,
                GPtrArray *change_ids,
                GPtrArray *record_ids)
{
  guint i;

  for (i = 0; i < change_ids->len; i++)
    {
      g_autofree char *history = server_history (fixture, record_ids->pdata[i]);

      if (strstr (history, change_ids->pdata[i]) == NULL)
        return FALSE;
    }
  return TRUE;
}

static char *
canonical_object (JsonObject *object)
{
  g_autoptr(GList) members = g_list_sort (json_object_get_members (object), (GCompareFunc) g_strcmp0);
  GString *out = g_string_new ("{");
  GList *l;

  for (l = members; l != NULL; l = l->next)
    {
      g_autofree char *value = teren_json_to_string (json_object_get_member (object, l->data));

      g_string_append_printf (out, "%s\"%s\":%s", l == members ? "" : ",", (char *) l->data, value);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* "id rev fields" of every live row of @table (base or record) in ana's store, sorted. */
static char *
client_rows (Fixture    *fixture,
             const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id || ' ' || rev || ' ' || fields FROM %s "
                                          "WHERE deleted = 0 ORDER BY id", table);
  g_autofree char *rows = query_text (fixture->db, sql, "\n");
  g_auto(GStrv) lines = g_strsplit (rows, "\n", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; lines[i] != NULL; i++)
    {
      char *space = lines[i][0] != '\0' ? strchr (strchr (lines[i], ' ') + 1, ' ') : NULL;
      g_autoptr(JsonObject) fields = NULL;
      g_autofree char *canonical = NULL;

      if (space == NULL)
        continue;
      *space = '\0';
      fields = teren_json_parse_object (space + 1, -1, TEREN_JSON_MAX_DEPTH, NULL);
      g_assert_nonnull (fields);
      canonical = canonical_object (fields);
      g_ptr_array_add (out, g_strdup_printf ("%s %s", lines[i], canonical));
    }
  g_ptr_array_sort (out, compare_strings);
  for (i = 0; i < out->len; i++)
    g_string_append_printf (text, "%s\n", (char *) out->pdata[i]);
  return g_string_free (text, FALSE);
}

/* The same for what the server shows @device (a fresh pull from the start). The store keeps
 * sys.conflict records in its base only (their items go to the conflict table): without
 * @with_conflicts they are left out, to compare with the current records. */
static char *
server_rows (TerenTestDevice *device,
             gboolean         with_conflicts)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint i;

  g_clear_pointer (&device->cursor, g_free);
  g_hash_table_remove_all (device->records);
  teren_test_device_pull_all (device, 0);
  g_hash_table_iter_init (&iter, device->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *record = value;
      g_autofree char *canonical = NULL;

      if (json_object_get_boolean_member_with_default (record, "deleted", FALSE) ||
          (!with_conflicts && g_strcmp0 (teren_json_get_string (record, "kind", ""), "sys.conflict") == 0))
        continue;
      canonical = canonical_object (json_object_get_object_member (record, "fields"));
      g_ptr_array_add (out, g_strdup_printf ("%s %" G_GINT64_FORMAT " %s", (char *) key,
                                             json_object_get_int_member (record, "rev"), canonical));
    }
  g_ptr_array_sort (out, compare_strings);
  for (i = 0; i < out->len; i++)
    g_string_append_printf (text, "%s\n", (char *) out->pdata[i]);
  return g_string_free (text, FALSE);
}

/* After the sync that followed a crash: the client holds exactly the server's records for
 * its scope (base and current), nothing waits, the file is sound (invariants 3, 7, 8). */
static void
assert_converged (Fixture *fixture)
{
  g_autoptr(TerenTestDevice) device = teren_test_device_new (fixture->server, "ana", TEST_PASSWORD, NULL);
  g_autofree char *server = server_rows (device, TRUE);
  g_autofree char *server_records = server_rows (device, FALSE);
  g_autofree char *base = client_rows (fixture, "base");
  g_autofree char *record = client_rows (fixture, "record");

  g_assert_cmpstr (base, ==, server);
  g_assert_cmpstr (record, ==, server_records);
  g_assert_cmpint (query_int (fixture->db, "SELECT count(*) FROM oplog", NULL), ==, 0);
  assert_integrity (fixture->db);
  teren_test_server_assert_integrity (fixture->server);
}

/* ---- Saves ------------------------------------------------------------------------------ */

static char *
save_person (TerenStore *store,
             const char *first_name)
{
  return test_save_person (store, "Crăciun", first_name);
}

static void
edit_person (TerenStore *store,
             const char *id,
             const char *first_name)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (fields, "first_name", first_name);
  record = teren_store_save (store, "person", "", id, fields, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* ---- S2: crash points on the push path --------------------------------------------------- */

/* Ana's store with two persons already on the server, then six saves waiting: two edits of
 * the first person (a prev_change chain on a record at rev 1), three new persons and a case.
 * The engine that made it is gone before teren-cli opens the store. */
static void
prepare_pending_push (Fixture *fixture)
{
  g_autoptr(TerenSyncEngine) engine = test_engine_login_ok (fixture->server->base_url, "ana",
                                                            fixture->root, "ana");
  TerenStore *store = teren_sync_engine_get_store (engine);
  g_autofree char *first = save_person (store, "Ana");
  g_autofree char *second = save_person (store, "Ioana");
  g_autofree char *third = NULL;
  guint i;

  test_sync_quiet (engine);
  test_assert_pending (engine, 0);

  edit_person (store, first, "Ana-Maria");
  edit_person (store, first, "Anamaria");
  for (i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Nou%u", i);
      g_autofree char *id = save_person (store, name);

      if (i == 0)
        third = g_steal_pointer (&id);
    }
  g_free (test_save_case (store, third));
  test_assert_pending (engine, 6);
}

static GPtrArray *
split_words (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; words[i] != NULL; i++)
    g_ptr_array_add (array, g_strdup (words[i]));
  return array;
}

static void
test_push_crash (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *crashpoint = data;
  g_autoptr(GPtrArray) change_ids = NULL;
  g_autoptr(GPtrArray) record_ids = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *records = NULL;
  g_autofree char *out = NULL;
  g_autofree char *statuses = NULL;
  gint64 end;
  guint i;

  if (!test_need_keyring ())
    return;
  prepare_pending_push (fixture);
  changes = query_text (fixture->db, "SELECT change_id FROM oplog ORDER BY n", " ");
  records = query_text (fixture->db, "SELECT record_id FROM oplog ORDER BY n", " ");
  change_ids = split_words (changes);
  record_ids = split_words (records);
  g_assert_cmpuint (change_ids->len, ==, 6);

  sync_crashes (fixture, crashpoint, NULL);

  /* Nothing of the answer applied: the six operations still wait, none archived. */
  {
    g_autofree char *after = query_text (fixture->db, "SELECT change_id FROM oplog ORDER BY n", " ");

    g_assert_cmpstr (after, ==, changes);
    g_assert_cmpint (query_int (fixture->db, "SELECT count(*) FROM op_archive", NULL), ==, 2);
  }
  assert_integrity (fixture->db);

  /* The server got the whole batch and applies it (after push_after_send it may still be at
   * it: the process died before reading the answer). */
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!server_has_all (fixture, change_ids, record_ids))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      teren_test_sleep_ms (100);
    }

  /* Before the next sync the nurse edits the first person again, over the two operations
   * left in flight: her own chain, so no conflict with herself. */
  {
    g_autoptr(TerenStore) store = NULL;
    g_autoptr(GError) error = NULL;

    store = teren_store_open (fixture->dir, &error);
    g_assert_no_error (error);
    edit_person (store, record_ids->pdata[0], "Anuța");
  }

  /* The retry: the same change ids, every one answered `duplicate`, none applied twice; the
   * new edit applied. */
  out = sync_ok (fixture);
  g_assert_nonnull (strstr (out, "Sent: 7 changes (1 applied, 0 merged, 0 in conflict, 0 refused, "
                                 "6 already known)"));
  g_clear_pointer (&out, g_free);

  /* Each operation archived once, with the server's original answer. */
  g_assert_cmpint (query_int (fixture->db, "SELECT count(*) FROM op_archive", NULL), ==, 9);
  statuses = query_text (fixture->db, "SELECT DISTINCT status FROM op_archive", " ");
  g_assert_cmpstr (statuses, ==, "applied");
  for (i = 0; i < change_ids->len; i++)
    g_assert_cmpint (query_int (fixture->db, "SELECT count(*) FROM op_archive WHERE change_id = ?",
                                change_ids->pdata[i]), ==, 1);

  /* On the server, each change once, revisions contiguous: the first person has its
   * creation and the three edits (revs 1-4), the others one revision each. */
  for (i = 0; i < change_ids->len; i++)
    {
      g_autofree char *history = server_history (fixture, record_ids->pdata[i]);
      g_auto(GStrv) ids = g_strsplit (history, " ", -1);
      guint n = 0;

      for (guint j = 0; ids[j] != NULL; j++)
        n += g_strcmp0 (ids[j], change_ids->pdata[i]) == 0;
      g_assert_cmpuint (n, ==, 1);
      g_assert_cmpuint (g_strv_length (ids), ==, i < 2 ? 4 : 1);
    }

  assert_converged (fixture);

  /* And nothing left to send. */
  out = sync_ok (fixture);
  g_assert_nonnull (strstr (out, "Sent: 0 changes"));
}

/* The answer kept by the server is what a retry gets: a push whose answer was a conflict,
 * killed before applying it, is answered `duplicate` with that conflict, and the conflict
 * item is made from it, once (invariant 4: no silent overwrite). */
static void
test_push_conflict_crash (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) maria = NULL;
  g_autofree char *person = NULL;
  g_autofree char *out = NULL;
  g_autofree char *conflicts = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *history = NULL;

  if (!test_need_keyring ())
    return;
  {
    g_autoptr(TerenSyncEngine) ana = test_engine_login_ok (fixture->server->base_url, "ana",
                                                           fixture->root, "ana");
    TerenStore *store = teren_sync_engine_get_store (ana);

    person = save_person (store, "Ana");
    g_free (test_save_case (store, person));
    test_sync_quiet (ana);

    /* Maria changes the first name from the same base, and is first. */
    maria = test_engine_login_ok (fixture->server->base_url, "maria", fixture->root, "maria");
    test_sync_quiet (maria);
    edit_person (teren_sync_engine_get_store (maria), person, "Mariana");
    test_sync_quiet (maria);

    edit_person (store, person, "Anca");
    test_assert_pending (ana, 1);
  }

  sync_crashes (fixture, "push_after_reply_before_apply", NULL);
  g_assert_cmpint (query_int (fixture->db, "SELECT count(*) FROM oplog", NULL), ==, 1);
  g_assert_cmpint (query_int (fixture->db, "SELECT count(*) FROM conflict", NULL), ==, 0);

  out = sync_ok (fixture);
  g_assert_nonnull (strstr (out, "Sent: 1 change (0 applied, 0 merged, 0 in conflict, 0 refused, "
                                 "1 already known)"));
  g_assert_nonnull (strstr (out, "open conflicts: 1"));

  /* One conflict item, both values in it; the server's value in front; the operation
   * archived once, as a conflict. */
  conflicts = query_text (fixture->db, "SELECT record_id || ' ' || field || ' ' || state FROM conflict", "\n");
  expected = g_strconcat (person, " first_name open", NULL);
  g_assert_cmpstr (conflicts, ==, expected);
  g_clear_pointer (&conflicts, g_free);
  conflicts = query_text (fixture->db, "SELECT server || ' ' || local FROM conflict", "\n");
  g_assert_nonnull (strstr (conflicts, "Mariana"));
  g_assert_nonnull (strstr (conflicts, "Anca"));
  {
    g_autofree char *sql = g_strdup_printf ("SELECT status FROM op_archive WHERE record_id = '%s' "
                                            "ORDER BY rowid", person);
    g_autofree char *statuses = query_text (fixture->db, sql, " ");

    g_assert_cmpstr (statuses, ==, "applied conflict");
  }
  /* On the server: the creation, Maria's edit, and Ana's change once. */
  history = server_history (fixture, person);
  g_assert_cmpuint (strlen (history), ==, 3 * 36 + 2);

  assert_converged (fixture);
}

/* ---- S3: crash points on the pull path --------------------------------------------------- */

/* The smallest seed whose GRand (as the crash point draws) gives @before draws at or above
 * PULL_PROBABILITY, then one below it: the process dies at draw @before + 1. */
static char *
seed_for (guint before)
{
  guint32 seed;

  for (seed = 1; seed < 100000; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      guint i;

      for (i = 0; i < before; i++)
        if (g_rand_double (rand) < PULL_PROBABILITY)
          break;
      if (i == before && g_rand_double (rand) < PULL_PROBABILITY)
        return g_strdup_printf ("%u", seed);
    }
  g_assert_not_reached ();
}

/* Maria makes @n persons with a case each (all in ana's scope through the line "child") and
 * edits the first @edits persons of @ids. */
static void
maria_adds (Fixture   *fixture,
            GPtrArray *ids,
            guint      n,
            guint      edits)
{
  g_autoptr(TerenSyncEngine) engine = test_engine_login_ok (fixture->server->base_url, "maria",
                                                            fixture->root, "maria");
  TerenStore *store = teren_sync_engine_get_store (engine);
  guint i;

  test_sync_quiet (engine);
  for (i = 0; i < edits; i++)
    edit_person (store, ids->pdata[i], "Schimbat");
  for (i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Copil%u", ids->len);
      char *id = save_person (store, name);

      g_free (test_save_case (store, id));
      g_ptr_array_add (ids, id);
    }
  test_sync_quiet (engine);
  test_assert_pending (engine, 0);
}

/* The pages the server gives @device from its cursor with PULL_LIMIT records each, until
 * `more` is false: one table id → rev per page. Moves the device's cursor to the end. */
static GPtrArray *
reference_pages (Fixture         *fixture,
                 TerenTestDevice *device)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *escaped = device->cursor != NULL ? g_uri_escape_string (device->cursor, NULL, FALSE)
                                                        : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/pull?limit=%u%s%s", PULL_LIMIT,
                                               escaped != NULL ? "&cursor=" : "",
                                               escaped != NULL ? escaped : "");
      g_autoptr(TerenTestResponse) response = teren_test_request (device->session, fixture->server, "GET",
                                                                   path, device->token, NULL, -1);
      GHashTable *page = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      JsonObject *object;
      JsonArray *records;
      guint i;

      g_assert_cmpuint (response->status, ==, 200);
      object = teren_test_response_object (response);
      records = json_object_get_array_member (object, "records");
      for (i = 0; i < json_array_get_length (records); i++)
        {
          JsonObject *record = json_array_get_object_element (records, i);

          g_hash_table_insert (page, g_strdup (json_object_get_string_member (record, "id")),
                               GINT_TO_POINTER ((int) json_object_get_int_member (record, "rev")));
        }
      g_ptr_array_add (pages, page);
      g_free (device->cursor);
      device->cursor = g_strdup (json_object_get_string_member (object, "cursor"));
      more = json_object_get_boolean_member_with_default (object, "more", FALSE);
    }
  return pages;
}

/* The base revision of @id in ana's store, 0 when absent. */
static gint64
base_rev (Fixture    *fixture,
          const char *id)
{
  return query_int (fixture->db, "SELECT coalesce (max (rev), 0) FROM base WHERE id = ?", id);
}

/* One pull crash and its recovery. @reference follows the server page by page with the same
 * limit, so it knows what each page of the pull from ana's cursor holds. @dies_at: the page
 * at whose crash point the process dies (1-based); @committed: the pages committed by then. */
static void
pull_crash_once (Fixture         *fixture,
                 TerenTestDevice *reference,
                 const char      *crashpoint,
                 guint            dies_at,
                 guint            committed)
{
  g_autofree char *seed = seed_for (dies_at - 1);
  g_autofree char *spec = g_strdup_printf ("%s:%s", crashpoint, PULL_PROBABILITY_TEXT);
  g_autofree char *cursor_before = get_meta (fixture->db, TEREN_SYNC_META_CURSOR);
  g_autofree char *cursor_after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(GPtrArray) pages = reference_pages (fixture, reference);
  guint records = 0, resumed_pages = 0, remaining = 0;
  guint i;

  g_test_message ("%s: %u pages to pull, dying at page %u (seed %s)", crashpoint, pages->len,
                  dies_at, seed);
  g_assert_cmpuint (pages->len, >, dies_at);

  sync_crashes (fixture, spec, seed);

  /* Exactly the committed pages are in, with their cursor; nothing of the later ones. */
  for (i = 0; i < pages->len; i++)
    {
      GHashTableIter iter;
      gpointer id, rev;

      g_hash_table_iter_init (&iter, pages->pdata[i]);
      while (g_hash_table_iter_next (&iter, &id, &rev))
        {
          if (i < committed)
            g_assert_cmpint (base_rev (fixture, id), ==, GPOINTER_TO_INT (rev));
          else
            g_assert_cmpint (base_rev (fixture, id), <, GPOINTER_TO_INT (rev));
        }
      if (i >= committed)
        remaining += g_hash_table_size (pages->pdata[i]);
    }
  cursor_after = get_meta (fixture->db, TEREN_SYNC_META_CURSOR);
  if (committed == 0)
    g_assert_cmpstr (cursor_after, ==, cursor_before);
  else
    g_assert_cmpstr (cursor_after, !=, cursor_before);
  assert_integrity (fixture->db);

  /* The next sync goes on from that cursor: the remaining pages, no page again, none
   * skipped, and the digest check at the end finds nothing to repair. */
  out = sync_ok (fixture);
  parse_received (out, &records, &resumed_pages);
  g_assert_cmpuint (resumed_pages, ==, pages->len - committed);
  g_assert_cmpuint (records, ==, remaining);
  digest = get_meta (fixture->db, "digest_result");
  g_assert_cmpstr (digest, ==, "0 0 0");

  assert_converged (fixture);
}

static void
test_pull_crash (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *crashpoint = data;
  /* pull_after_apply_before_next dies after its page's commit, the other before. */
  guint after_commit = g_str_equal (crashpoint, "pull_after_apply_before_next");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TerenTestDevice) reference = NULL;

  if (!test_need_keyring ())
    return;

  /* Ana's store, signed in, never synced. */
  {
    g_autoptr(TerenSyncEngine) engine = test_engine_login_ok (fixture->server->base_url, "ana",
                                                              fixture->root, "ana");
  }
  reference = teren_test_device_new (fixture->server, "ana", TEST_PASSWORD, NULL);

  /* The first pull (no cursor), dying at its second page. */
  maria_adds (fixture, ids, 6, 0);
  pull_crash_once (fixture, reference, crashpoint, 2, 1 + after_commit);

  /* An incremental pull: new records and edits of pulled ones, dying at its third page. The
   * digest was checked by the first complete sync, so it is not due: a skipped page would
   * stay missing and the comparison with the server would fail. */
  maria_adds (fixture, ids, 5, 3);
  pull_crash_once (fixture, reference, crashpoint, 3, 2 + after_commit);
}

/* ---- A save killed before its COMMIT ------------------------------------------------------ */

static char *
write_csv (Fixture    *fixture,
           const char *name,
           const char *first_names)
{
  g_auto(GStrv) names = g_strsplit (first_names, " ", -1);
  g_autoptr(GString) csv = g_string_new ("cnp,last_name,first_name,sex\n");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->root, name, NULL);
  guint i;

  for (i = 0; names[i] != NULL; i++)
    g_string_append_printf (csv, ",Stoica,%s,F\n", names[i]);
  g_file_set_contents (path, csv->str, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* `teren-cli import` of three persons dies in its first save, before COMMIT: after it the
 * store opens, holds only what was saved before (two persons, two operations, nothing half
 * written: no record, operation, search row or history of the import) and syncs exactly
 * those two. */
static void
test_import_crash (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *two = write_csv (fixture, "two.csv", "Elena Maria");
  g_autofree char *three = write_csv (fixture, "three.csv", "Oana Irina Dana");
  g_autofree char *out = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *tables[] = { "record", "oplog", "history", "search_fts" };
  gint64 before[G_N_ELEMENTS (tables)];
  guint i;

  if (!test_need_keyring ())
    return;
  {
    g_autoptr(TerenSyncEngine) engine = test_engine_login_ok (fixture->server->base_url, "ana",
                                                              fixture->root, "ana");
  }
  g_assert_cmpint (cli (fixture, NULL, NULL, &out, "import", "--data-dir", fixture->dir, two, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2 imported, 0 rejected"));
  for (i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      before[i] = query_int (fixture->db, sql, NULL);
    }
  g_assert_cmpint (before[1], ==, 2);

  g_assert_cmpint (cli (fixture, "save_before_commit", NULL, NULL, "import", "--data-dir", fixture->dir,
                        three, NULL), ==, TEREN_CRASHPOINT_EXIT_STATUS);

  assert_integrity (fixture->db);
  for (i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      g_assert_cmpint (query_int (fixture->db, sql, NULL), ==, before[i]);
    }
  store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_true (teren_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (teren_store_count (store, "person"), ==, 2);
  g_assert_cmpuint (teren_store_count_pending (store), ==, 2);
  g_clear_object (&store);

  g_clear_pointer (&out, g_free);
  out = sync_ok (fixture);
  g_assert_nonnull (strstr (out, "Sent: 2 changes (2 applied"));
  assert_converged (fixture);
}

/* The helper process of test_save_crash: saves persons one by one into @dir and prints the
 * id of each save acknowledged (its transaction committed) until a crash point ends it. */
static int
save_helper (const char *dir)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  store = teren_store_open (dir, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Salvat%u", i);
      g_autofree char *id = save_person (store, name);

      /* Acknowledged: written out before the next save can die. */
      g_print ("%s\n", id);
      fflush (stdout);
    }
  return 0;
}

/* Saves one by one in a process of its own that dies in the seventh save, before its
 * COMMIT: the six acknowledged saves are there, each with its one operation, and nothing
 * else; the store opens and its first sync sends exactly those six. */
static void
test_save_crash (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *seed = seed_for (6);
  g_autofree char *spec = g_strdup_printf ("save_before_commit:%s", PULL_PROBABILITY_TEXT);
  g_autofree char *out = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) acknowledged = NULL;

  if (!test_need_keyring ())
    return;
  {
    g_autoptr(TerenSyncEngine) engine = test_engine_login_ok (fixture->server->base_url, "ana",
                                                              fixture->root, "ana");
  }

  g_assert_nonnull (self);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "TEREN_CRASHPOINT", spec, TRUE);
  g_subprocess_launcher_setenv (launcher, "TEREN_TEST_SEED", seed, TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, self, "--save-helper", fixture->dir, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, TEREN_CRASHPOINT_EXIT_STATUS);

  acknowledged = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (acknowledged), ==, 6);
  g_qsort_with_data (acknowledged, 6, sizeof (char *), (GCompareDataFunc) compare_strings, NULL);
  expected = g_strjoinv (" ", acknowledged);

  assert_integrity (fixture->db);
  ids = query_text (fixture->db, "SELECT id FROM record ORDER BY id", " ");
  g_assert_cmpstr (ids, ==, expected);
  g_clear_pointer (&ids, g_free);
  ids = query_text (fixture->db, "SELECT record_id FROM oplog ORDER BY record_id", " ");
  g_assert_cmpstr (ids, ==, expected);
  g_assert_cmpint (query_int (fixture->db, "SELECT count(*) FROM history", NULL), ==, 6);

  store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (teren_store_count (store, "person"), ==, 6);
  g_clear_object (&store);

  g_clear_pointer (&out, g_free);
  out = sync_ok (fixture);
  g_assert_nonnull (strstr (out, "Sent: 6 changes (6 applied"));
  assert_converged (fixture);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--save-helper"))
    return save_helper (argv[2]);

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TEREN_SERVER_BIN") == NULL || g_getenv ("TEREN_CLI_BIN") == NULL)
    return 77;
  if (!TEREN_CRASHPOINTS)
    {
      g_print ("1..0 # SKIP built with -Dcrashpoints=false\n");
      return 0;
    }

#define ADD(path, func, data) g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync-crashpoints/push-after-send", test_push_crash, "push_after_send");
  ADD ("/sync-crashpoints/push-after-reply-before-apply", test_push_crash, "push_after_reply_before_apply");
  ADD ("/sync-crashpoints/push-conflict-after-reply-before-apply", test_push_conflict_crash, NULL);
  ADD ("/sync-crashpoints/pull-after-reply-before-apply", test_pull_crash, "pull_after_reply_before_apply");
  ADD ("/sync-crashpoints/pull-after-apply-before-next", test_pull_crash, "pull_after_apply_before_next");
  ADD ("/sync-crashpoints/save-before-commit/import", test_import_crash, NULL);
  ADD ("/sync-crashpoints/save-before-commit/one-by-one", test_save_crash, NULL);
#undef ADD

  return g_test_run ();
}
