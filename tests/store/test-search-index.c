/* test-search-index.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The FTS5 index search_fts over the `search` table is written by the store itself (no
 * triggers since migration 5): after every path that writes or deletes search rows (local
 * save, delete, an import's explicit transaction committed or rolled back, pull pages with
 * fresh records, updates, tombstones and purges, the digest repair, another epoch, the
 * wipe), the index holds exactly the terms of the search rows, and a store made at schema
 * version 4 (with the triggers) migrates and still finds by name. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-digest.h"
#include "teren-store-sync.h"
#include "teren-store-test-util.h"
#include "teren-uuid.h"

typedef struct {
  char       *dir;
  TerenStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("teren-search-index-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

/* Index entries (term, rowid, column, offset) that differ between search_fts and an FTS5
 * table with the same tokenizer made afresh from the search rows, both ways. */
static gint64
fts_differences (const char *dir)
{
  sqlite3 *db = test_db_open (dir, TRUE);
  gint64 n;

  test_db_exec (db, "CREATE VIRTUAL TABLE temp.expect USING fts5 ("
                    "  text, tokenize = 'unicode61 remove_diacritics 2')");
  test_db_exec (db, "INSERT INTO temp.expect (rowid, text) SELECT n, text FROM main.search");
  test_db_exec (db, "CREATE VIRTUAL TABLE temp.have_v USING fts5vocab (main, search_fts, instance)");
  test_db_exec (db, "CREATE VIRTUAL TABLE temp.expect_v USING fts5vocab (temp, expect, instance)");
  n = test_db_int (db, "SELECT count(*) FROM ("
                       "  SELECT term, doc, col, offset FROM temp.have_v"
                       "  EXCEPT SELECT term, doc, col, offset FROM temp.expect_v)") +
      test_db_int (db, "SELECT count(*) FROM ("
                       "  SELECT term, doc, col, offset FROM temp.expect_v"
                       "  EXCEPT SELECT term, doc, col, offset FROM temp.have_v)");
  sqlite3_close (db);
  return n;
}

static void
assert_fts_in_step (const char *dir)
{
  sqlite3 *db;

  g_assert_cmpint (fts_differences (dir), ==, 0);

  db = test_db_open (dir, FALSE);
  /* Every search row with a term has its entries. */
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM search_fts_docsize"), ==,
                   test_db_int (db, "SELECT count(*) FROM search"));
  test_db_exec (db, "INSERT INTO search_fts (search_fts) VALUES ('integrity-check')");
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM sqlite_schema "
                                    "WHERE type = 'trigger' AND tbl_name = 'search'"), ==, 0);
  sqlite3_close (db);
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

static TerenRecord *
save_person (TerenStore *store,
             const char *id,
             const char *last_name,
             const char *first_name)
{
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) error = NULL;
  TerenRecord *record;

  if (id == NULL)
    fields = test_person_fields (last_name, first_name, "F", "1980-01-02", NULL);
  else
    {
      fields = json_object_new ();
      if (last_name != NULL)
        json_object_set_string_member (fields, "last_name", last_name);
      if (first_name != NULL)
        json_object_set_string_member (fields, "first_name", first_name);
    }
  record = teren_store_save (store, "person", "", id, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static char *
pulled_person (const char *id,
               gint64      rev,
               const char *first_name,
               const char *last_name,
               gboolean    deleted)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"person\",\"line\":\"\",\"rev\":%" G_GINT64_FORMAT
                          ",\"seq\":%" G_GINT64_FORMAT ",\"deleted\":%s,\"fields\":{\"last_name\":\"%s\","
                          "\"first_name\":\"%s\",\"sex\":\"F\",\"birth_date\":\"1990-05-06\","
                          "\"cnp_status\":\"missing\"},\"updated_by\":\"maria\","
                          "\"updated_at\":\"2026-12-01T09:00:00Z\"}",
                          id, rev, rev * 10, deleted ? "true" : "false", last_name, first_name);
}

/* @n fresh persons "<first><i>" "<last>" at rev 1, comma-separated; their ids in @ids. */
static char *
fresh_people (guint       n,
              const char *first,
              const char *last,
              GPtrArray  *ids)
{
  GString *records = g_string_new (NULL);
  guint i;

  for (i = 0; i < n; i++)
    {
      g_autofree char *id = teren_uuid_new ();
      g_autofree char *name = g_strdup_printf ("%s%u", first, i);
      g_autofree char *record = pulled_person (id, 1, name, last, FALSE);

      g_string_append_printf (records, "%s%s", i > 0 ? "," : "", record);
      if (ids != NULL)
        g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  return g_string_free (records, FALSE);
}

/* The checker itself: a search row written without its index entries, or index entries
 * left after their row went, are seen. */
static void
test_checker (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TerenRecord) ana = save_person (fixture->store, NULL, "Ionescu", "Ana");
  sqlite3 *db;

  assert_fts_in_step (fixture->dir);
  g_clear_object (&fixture->store);

  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "UPDATE search SET text = text || ' zzextra'");
  sqlite3_close (db);
  g_assert_cmpint (fts_differences (fixture->dir), >, 0);

  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "INSERT INTO search_fts (search_fts) VALUES ('rebuild')");
  sqlite3_close (db);
  g_assert_cmpint (fts_differences (fixture->dir), ==, 0);

  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "DELETE FROM search");
  sqlite3_close (db);
  g_assert_cmpint (fts_differences (fixture->dir), >, 0);
}

/* Local saves (create, rename, a change that keeps the name), delete. */
static void
test_local (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TerenRecord) ana = save_person (fixture->store, NULL, "Ionescu", "Ana");
  g_autoptr(TerenRecord) ion = save_person (fixture->store, NULL, "Ștefănescu", "Ion");
  g_autoptr(TerenRecord) renamed = NULL;
  g_autoptr(TerenRecord) same = NULL;
  g_autoptr(JsonObject) household = json_object_new ();
  g_autoptr(TerenRecord) saved_household = NULL;
  g_autoptr(GError) error = NULL;

  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "stefanescu"), ==, 1);

  renamed = save_person (fixture->store, teren_record_get_id (ana), "Marinescu", NULL);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "ionescu"), ==, 0);
  g_assert_cmpuint (search_count (fixture->store, "marin"), ==, 1);

  same = save_person (fixture->store, teren_record_get_id (ion), NULL, "Ion");
  assert_fts_in_step (fixture->dir);

  json_object_set_string_member (household, "address", "Strada Florilor 3, Cluj-Napoca");
  saved_household = teren_store_save (fixture->store, "household", "", NULL, household, NULL, NULL,
                                      &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved_household);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "florilor"), ==, 1);

  g_assert_true (teren_store_delete (fixture->store, teren_record_get_id (ion), &error));
  g_assert_no_error (error);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "stefanescu"), ==, 0);
  g_assert_cmpuint (search_count (fixture->store, "marinescu"), ==, 1);
}

/* An import's explicit transaction: committed saves are indexed, rolled-back ones leave
 * neither rows nor entries. */
static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint i;

  g_assert_true (teren_store_begin (fixture->store, &error));
  g_assert_no_error (error);
  for (i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("Import%u", i);
      g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Dobre", name);

      /* Some records are saved twice inside the import. */
      if (i % 4 == 0)
        {
          g_autoptr(TerenRecord) again = save_person (fixture->store, teren_record_get_id (record),
                                                      NULL, "Iar");
        }
    }
  g_assert_true (teren_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "dobre"), ==, 20);

  g_assert_true (teren_store_begin (fixture->store, &error));
  for (i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Lost%u", i);
      g_autoptr(TerenRecord) record = save_person (fixture->store, NULL, "Nistor", name);
      g_autoptr(TerenRecord) again = save_person (fixture->store, teren_record_get_id (record),
                                                  "Nistorescu", NULL);
    }
  teren_store_rollback (fixture->store);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "nistor"), ==, 0);
  g_assert_cmpuint (search_count (fixture->store, "dobre"), ==, 20);
}

/* Pull pages: fresh records (the same id twice), then updates, tombstones, purges, fresh
 * records and a record with a pending local edit in one page, then a one-record page. */
static void
test_pull (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TerenRecord) local = NULL;
  g_autoptr(TerenRecord) edited = NULL;
  g_autofree char *page1 = fresh_people (60, "Vasile", "Popa", ids);
  g_autofree char *twice = pulled_person (ids->pdata[0], 2, "Dumitru", "Popa", FALSE);
  g_autofree char *page1_all = g_strconcat (page1, ",", twice, NULL);
  g_autofree char *more = fresh_people (30, "Ilie", "Stan", NULL);
  g_autofree char *renamed = pulled_person (ids->pdata[1], 2, "Dorin", "Popa", FALSE);
  g_autofree char *tombstone = pulled_person (ids->pdata[2], 2, "Vasile2", "Popa", TRUE);
  g_autofree char *rebased = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *purge = g_strdup_printf ("\"%s\",\"%s\"", (char *) ids->pdata[3],
                                            (char *) ids->pdata[4]);
  g_autofree char *single = pulled_person (ids->pdata[5], 2, "Emil", "Popa", FALSE);
  g_autofree char *again = NULL;

  test_pull_page (fixture->store, page1_all, "", "c1", "e1");
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "popa"), ==, 60);
  g_assert_cmpuint (search_count (fixture->store, "dumitru"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "vasile0"), ==, 0);

  /* A local edit waits for its push while the server sends the record again. */
  edited = save_person (fixture->store, ids->pdata[6], NULL, "Petru");
  rebased = pulled_person (ids->pdata[6], 2, "Vasile6", "Popovici", FALSE);
  local = save_person (fixture->store, NULL, "Zamfir", "Zamfira");
  assert_fts_in_step (fixture->dir);

  page2 = g_strjoin (",", renamed, more, tombstone, rebased, NULL);
  test_pull_page (fixture->store, page2, purge, "c2", "e1");
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "stan"), ==, 30);
  g_assert_cmpuint (search_count (fixture->store, "dorin"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "popa"), ==, 60 - 1 - 2 - 1);
  g_assert_cmpuint (search_count (fixture->store, "popovici petru"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "zamfira"), ==, 1);

  test_pull_page (fixture->store, single, "", "c3", "e1");
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "emil"), ==, 1);

  /* A purged record sent again is fresh once more. */
  again = pulled_person (ids->pdata[3], 3, "Revenit", "Popa", FALSE);
  test_pull_page (fixture->store, again, "", "c4", "e1");
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "revenit"), ==, 1);

  g_clear_object (&local);
  local = save_person (fixture->store, NULL, "Ultimul", "Salvat");
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "ultimul"), ==, 1);
}

/* The digest repair rewrites records from the server's answer and purges the missing ones;
 * another epoch sends records again over the ones here; the wipe leaves nothing. */
static void
test_repair_epoch_wipe (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *page1 = fresh_people (40, "Radu", "Lungu", ids);
  g_autofree char *fixed = pulled_person (ids->pdata[0], 5, "Reparat", "Lungu", FALSE);
  g_autofree char *unknown_id = teren_uuid_new ();
  g_autofree char *unknown = pulled_person (unknown_id, 1, "Nou", "Adus", FALSE);
  g_autofree char *answer_json = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *epoch_page = NULL;
  g_autofree char *epoch_a = pulled_person (ids->pdata[5], 1, "Altul", "Lungu", FALSE);
  g_autofree char *epoch_b = pulled_person (ids->pdata[6], 7, "Mutat", "Scurtu", FALSE);
  g_autoptr(TerenRecord) local = NULL;
  const char *asked[4];
  TerenDigestRepair repair = { 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  test_pull_page (fixture->store, page1, "", "c1", "e1");
  assert_fts_in_step (fixture->dir);

  asked[0] = ids->pdata[0];
  asked[1] = unknown_id;
  asked[2] = ids->pdata[1];
  asked[3] = NULL;
  answer_json = g_strdup_printf ("{\"records\":[%s,%s],\"missing\":[\"%s\"]}", fixed, unknown,
                                 (char *) ids->pdata[1]);
  answer = teren_json_parse_object (answer_json, -1, 64, &error);
  g_assert_no_error (error);
  g_assert_true (teren_store_digest_apply_fetch (fixture->store, asked, answer, &repair, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (repair.written, ==, 2);
  g_assert_cmpuint (repair.removed, ==, 1);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "reparat"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "adus"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "lungu"), ==, 39);

  /* Another epoch: the server sends records again, some at an older revision. */
  local = save_person (fixture->store, NULL, "Epocă", "Salvată");
  epoch_page = g_strjoin (",", epoch_a, epoch_b, NULL);
  test_pull_page (fixture->store, epoch_page, "", "d1", "e2");
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "scurtu"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "altul"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "epoca"), ==, 1);

  g_assert_true (teren_store_sync_wipe (fixture->store, &error));
  g_assert_no_error (error);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "lungu"), ==, 0);
  db = test_db_open (fixture->dir, TRUE);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM search"), ==, 0);
  sqlite3_close (db);
}

/* A store made at schema version 4 (search_fts written by triggers) migrates: the triggers
 * go, what was indexed stays found, and later saves, pulls and deletes keep the index in
 * step. */
static void
test_migrate_from_4 (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TerenRecord) ana = save_person (fixture->store, NULL, "Ionescu", "Ana");
  g_autoptr(TerenRecord) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page = fresh_people (40, "Vechi", "Pulat", NULL);
  sqlite3 *db;

  test_pull_page (fixture->store, page, "", "c1", "e1");
  g_clear_object (&fixture->store);

  /* Back to version 4: the triggers of migration 1, and a row they index. */
  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "CREATE TRIGGER search_ai AFTER INSERT ON search BEGIN"
                    "  INSERT INTO search_fts (rowid, text) VALUES (new.n, new.text);"
                    "END;"
                    "CREATE TRIGGER search_ad AFTER DELETE ON search BEGIN"
                    "  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.n, old.text);"
                    "END;"
                    "CREATE TRIGGER search_au AFTER UPDATE OF text ON search BEGIN"
                    "  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.n, old.text);"
                    "  INSERT INTO search_fts (rowid, text) VALUES (new.n, new.text);"
                    "END;");
  test_db_exec (db, "UPDATE search SET text = 'ionescu ana trigger' WHERE id = (SELECT id FROM record "
                    "WHERE json_extract (fields, '$.last_name') = 'Ionescu')");
  test_db_undo_migration_8 (db);
  test_db_exec (db, "DELETE FROM schema_migrations WHERE version >= 5");
  test_db_exec (db, "PRAGMA user_version = 4");
  sqlite3_close (db);
  g_assert_cmpint (fts_differences (fixture->dir), ==, 0);

  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  db = test_db_open (fixture->dir, TRUE);
  g_assert_cmpint (test_db_int (db, "PRAGMA user_version"), ==, TEST_STORE_SCHEMA_VERSION);
  g_assert_cmpint (test_db_int (db, "SELECT max (version) FROM schema_migrations"), ==, TEST_STORE_SCHEMA_VERSION);
  sqlite3_close (db);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "ionescu"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "trigger"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "pulat"), ==, 40);
  g_assert_cmpuint (search_count (fixture->store, "vechi1"), ==, 11);

  later = save_person (fixture->store, teren_record_get_id (ana), "Marin", NULL);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "ionescu"), ==, 0);
  g_assert_cmpuint (search_count (fixture->store, "marin ana"), ==, 1);
  g_assert_true (teren_store_delete (fixture->store, teren_record_get_id (ana), &error));
  g_assert_no_error (error);
  assert_fts_in_step (fixture->dir);
  g_assert_cmpuint (search_count (fixture->store, "marin"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/search-index/checker", test_checker);
  ADD ("/search-index/local", test_local);
  ADD ("/search-index/import", test_import);
  ADD ("/search-index/pull", test_pull);
  ADD ("/search-index/repair-epoch-wipe", test_repair_epoch_wipe);
  ADD ("/search-index/migrate-from-4", test_migrate_from_4);
#undef ADD

  return g_test_run ();
}
