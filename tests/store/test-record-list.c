/* test-record-list.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The lazy GListModel over store queries: a list of 100,000 persons holds ids, and makes
 * records only when asked for one. Records are counted by wrapping the constructor the
 * store uses (linked with -Wl,--wrap=teren_record_new_full, see meson.build). */

#include "config.h"

#include <string.h>

#include "teren-record-count.h"
#include "teren-record-list.h"
#include "teren-store.h"
#include "teren-store-test-util.h"

#define N_PERSONS 100000
/* The list's cache of made records (teren-record-list.c) plus slack for the test's own. */
#define MAX_LIVE_RECORDS 300

typedef struct
{
  char       *dir;
  TerenStore *store;
} Fixture;

typedef struct
{
  guint n_signals;
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("teren-list-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  ItemsChanged *seen = user_data;

  seen->n_signals++;
  seen->position = position;
  seen->removed = removed;
  seen->added = added;
}

static void
wait_loaded (TerenRecordList *list)
{
  while (teren_record_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
}

/* Rows written straight into the tables (as a pull would leave them): making 100,000
 * persons through the validating save path would only slow the test down. */
static void
fill_persons (const char *dir,
              guint       n)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = test_db_open (dir, FALSE);

  sql = g_strdup_printf (
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u) "
    "INSERT INTO record (id, kind, line, rev, deleted, fields, sort_key, created_at, updated_at) "
    "SELECT printf ('00000000-0000-4000-8000-%%012d', i), 'person', '', 1, 0, "
    "  json_object ('last_name', 'Pop', 'first_name', printf ('N%%06d', i), 'sex', 'F', "
    "               'cnp_status', 'missing'), "
    "  printf ('pop n%%06d', i), '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n", n);
  test_db_exec (db, "BEGIN");
  test_db_exec (db, sql);
  test_db_exec (db, "COMMIT");
  sqlite3_close (db);
}

static void
test_lazy_100k (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const kinds[] = { "person", NULL };
  g_autoptr(TerenRecordList) list = NULL;
  ItemsChanged seen = { 0 };
  int live_before;
  int made_before;
  int peak = 0;
  guint i;

  fill_persons (fixture->dir, N_PERSONS);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, N_PERSONS);

  live_before = teren_record_count_alive ();
  made_before = (gint) teren_record_count_made ();
  list = teren_record_list_new (fixture->store, kinds);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &seen);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == TEREN_TYPE_RECORD);

  teren_record_list_set_query (list, "");
  g_assert_true (teren_record_list_get_loading (list));
  wait_loaded (list);

  /* One items-changed for the whole list, and no record made to fill it. */
  g_assert_cmpuint (seen.n_signals, ==, 1);
  g_assert_cmpuint (seen.position, ==, 0);
  g_assert_cmpuint (seen.removed, ==, 0);
  g_assert_cmpuint (seen.added, ==, N_PERSONS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_PERSONS);
  g_assert_cmpint (teren_record_count_alive (), ==, live_before);
  g_assert_cmpint ((gint) teren_record_count_made (), ==, made_before);

  /* Ids are there without records. */
  g_assert_cmpstr (teren_record_list_get_id (list, 0), ==, "00000000-0000-4000-8000-000000000001");
  g_assert_cmpstr (teren_record_list_get_id (list, N_PERSONS - 1), ==, "00000000-0000-4000-8000-000000100000");
  g_assert_null (teren_record_list_get_id (list, N_PERSONS));
  g_assert_cmpint (teren_record_count_alive (), ==, live_before);

  /* Asking for one item makes one record; asking again gives the same object. */
  {
    g_autoptr(TerenRecord) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr(TerenRecord) again = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr(TerenRecord) last = g_list_model_get_item (G_LIST_MODEL (list), N_PERSONS - 1);

    g_assert_nonnull (first);
    g_assert_true (first == again);
    g_assert_cmpstr (teren_record_get_string (first, "first_name"), ==, "N000001");
    g_assert_cmpstr (teren_record_get_string (last, "first_name"), ==, "N100000");
    g_assert_cmpint (teren_record_count_alive (), ==, live_before + 2);
    g_assert_cmpint ((gint) teren_record_count_made (), ==, made_before + 2);
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), N_PERSONS));
  }

  /* Scrolling through the list (every 31st row, top to bottom, to keep the test short
   * under sanitizers) keeps only a bounded number of records alive. */
  for (i = 0; i < N_PERSONS; i += 31)
    {
      TerenRecord *record = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_nonnull (record);
      if (i % 9951 == 0)
        g_assert_cmpstr (teren_record_get_id (record), ==, teren_record_list_get_id (list, i));
      g_object_unref (record);
      peak = MAX (peak, teren_record_count_alive ());
    }
  g_test_message ("records alive at most: %d", peak - live_before);
  g_assert_cmpint (peak - live_before, <=, MAX_LIVE_RECORDS);

  /* The same query again: nothing changed, no signal. */
  teren_record_list_set_query (list, "");
  wait_loaded (list);
  g_assert_cmpuint (seen.n_signals, ==, 1);

  g_clear_object (&list);
  g_assert_cmpint (teren_record_count_alive (), ==, live_before);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  GPtrArray *names = user_data;

  g_ptr_array_add (names, g_strdup (pspec->name));
}

static void
test_query (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TerenRecordList) list = teren_record_list_new (fixture->store, NULL);
  g_autoptr(GPtrArray) notified = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ana = test_person_fields ("\xC8\x98tef\xC4\x83nescu", "Ana", "F", NULL, NULL);
  g_autoptr(JsonObject) ion = test_person_fields ("Popescu", "Ion", "M", NULL, NULL);
  g_autoptr(JsonObject) household = json_object_new ();
  g_autoptr(JsonObject) rename = json_object_new ();
  g_autoptr(TerenRecord) a = NULL;
  g_autoptr(TerenRecord) b = NULL;
  g_autoptr(TerenRecord) h = NULL;
  g_autoptr(TerenRecord) renamed = NULL;
  g_autoptr(TerenRecord) item = NULL;
  ItemsChanged seen = { 0 };
  char *value = NULL;

  a = teren_store_save (fixture->store, "person", "", NULL, ana, NULL, NULL, &error);
  b = teren_store_save (fixture->store, "person", "", NULL, ion, NULL, NULL, &error);
  json_object_set_string_member (household, "address", "Strada Stejarului 2");
  h = teren_store_save (fixture->store, "household", "", NULL, household, NULL, NULL, &error);
  g_assert_no_error (error);

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &seen);
  g_signal_connect (list, "notify", G_CALLBACK (on_notify), notified);

  /* Default kinds: persons and households. */
  g_object_set (list, "query", "", NULL);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  teren_record_list_set_query (list, "ste");
  g_assert_cmpstr (teren_record_list_get_query (list), ==, "ste");
  g_object_get (list, "query", &value, NULL);
  g_assert_cmpstr (value, ==, "ste");
  g_free (value);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_cmpuint (seen.removed, ==, 3);
  g_assert_cmpuint (seen.added, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (notified, "loading", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (notified, "query", g_str_equal, NULL));

  /* A newer query replaces one still running; only the last one's result shows. */
  teren_record_list_set_query (list, "popescu");
  teren_record_list_set_query (list, "ana");
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpstr (teren_record_list_get_id (list, 0), ==, teren_record_get_id (a));

  /* A record shown in the list follows a save. */
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  json_object_set_string_member (rename, "first_name", "Ana-Maria");
  renamed = teren_store_save (fixture->store, "person", "", teren_record_get_id (a), rename, NULL, NULL, &error);
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (teren_record_get_string (item, "first_name"), ==, "Ana-Maria");

  teren_record_list_set_query (list, "nimeni");
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 0));
}

/* A record purged after the query ran still gives an item (deleted, empty), so the
 * positions the view knows stay valid until the next query. */
static void
test_vanished_item (Fixture       *fixture,
                    gconstpointer  data)
{
  const char * const kinds[] = { "person", NULL };
  g_autoptr(TerenRecordList) list = teren_record_list_new (fixture->store, kinds);
  g_autoptr(TerenRecord) item = NULL;
  sqlite3 *db;

  fill_persons (fixture->dir, 3);
  teren_record_list_set_query (list, "");
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  db = test_db_open (fixture->dir, FALSE);
  test_db_exec (db, "DELETE FROM record WHERE id = '00000000-0000-4000-8000-000000000002'");
  sqlite3_close (db);

  item = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_nonnull (item);
  g_assert_true (teren_record_get_deleted (item));
  g_assert_cmpstr (teren_record_get_kind (item), ==, "person");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/record-list/lazy-100k", Fixture, NULL, fixture_setup, test_lazy_100k, fixture_teardown);
  g_test_add ("/record-list/query", Fixture, NULL, fixture_setup, test_query, fixture_teardown);
  g_test_add ("/record-list/vanished-item", Fixture, NULL, fixture_setup, test_vanished_item, fixture_teardown);

  return g_test_run ();
}
