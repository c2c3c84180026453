/* test-store-checkpoint.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The write-ahead log's checkpoints (teren-store-checkpoint.c): done by a thread of their
 * own after a large commit, the log kept under its bound while commits follow each other,
 * and a wipe still leaves nothing in the log.
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "teren-store.h"
#include "teren-store-private.h"
#include "teren-store-sync.h"
#include "teren-store-test-util.h"

/* SQLite's log: a 32-byte header, then each frame is a 24-byte header and a page. */
#define WAL_HEADER 32
#define FRAME_BYTES (24 + 4096)

typedef struct
{
  char       *dir;
  char       *db_path;
  char       *wal_path;
  TerenStore *store;
  guint       saved_start;
  guint       saved_wait;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->saved_start = teren_checkpoint_start_frames;
  fixture->saved_wait = teren_checkpoint_wait_frames;
  fixture->dir = g_dir_make_tmp ("teren-checkpoint-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, TEREN_STORE_DB_NAME, NULL);
  fixture->wal_path = g_strconcat (fixture->db_path, "-wal", NULL);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  teren_checkpoint_start_frames = fixture->saved_start;
  teren_checkpoint_wait_frames = fixture->saved_wait;
  test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->wal_path);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return 0;
  return st.st_size;
}

/* @n persons "<last> <first><i>" in one transaction. */
static void
save_persons (TerenStore *store,
              const char *last_name,
              guint       first,
              guint       n)
{
  g_autoptr(GError) error = NULL;
  guint i;

  g_assert_true (teren_store_begin (store, &error));
  g_assert_no_error (error);
  for (i = first; i < first + n; i++)
    {
      g_autofree char *first_name = g_strdup_printf ("Ana%u", i);
      g_autoptr(JsonObject) fields = test_person_fields (last_name, first_name, "F", "1990-01-02", NULL);
      g_autoptr(TerenRecord) record = teren_store_save (store, "person", "", NULL, fields, NULL, NULL, &error);

      g_assert_no_error (error);
    }
  g_assert_true (teren_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
wait_for_checkpoints (TerenStore *store,
                      guint       n)
{
  TerenCheckpointer *checkpointer = teren_store_get_checkpointer (store);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (teren_checkpointer_get_n_done (checkpointer) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
}

/* With the store closed or idle: @n persons and search rows, and a sound file. */
static void
assert_rows (Fixture *fixture,
             gint64   n)
{
  sqlite3 *db = test_db_open (fixture->dir, TRUE);
  g_autofree char *check = test_db_text (db, "PRAGMA integrity_check");

  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM record WHERE kind = 'person'"), ==, n);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM search"), ==, n);
  g_assert_cmpstr (check, ==, "ok");
  sqlite3_close (db);
}

/* A commit that leaves more than the start size in the log: the thread copies it into the
 * database file while the writer does nothing, and the next transaction starts the log
 * again from its beginning. */
static void
test_background (Fixture       *fixture,
                 gconstpointer  data)
{
  goffset db_before, wal_after_checkpoint;

  /* The search order is read once, 1 s after opening, by a connection of its own: a
   * reader in the log while the next transaction begins would keep the log from starting
   * again. Let it finish first. */
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (!teren_search_order_is_ready (teren_store_get_search_order (fixture->store)))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (2000);
      }
  }
  teren_checkpoint_start_frames = 60;
  db_before = file_size (fixture->db_path);
  save_persons (fixture->store, "Popescu", 0, 400);
  g_assert_cmpint (file_size (fixture->wal_path), >, WAL_HEADER + 60 * FRAME_BYTES);

  wait_for_checkpoints (fixture->store, 1);
  /* The pages of the commit are in the database file now. */
  g_assert_cmpint (file_size (fixture->db_path), >, db_before + 30 * 4096);
  wal_after_checkpoint = file_size (fixture->wal_path);

  /* A small transaction: written at the start of the log, which does not grow. */
  save_persons (fixture->store, "Ionescu", 0, 1);
  g_assert_cmpint (file_size (fixture->wal_path), ==, wal_after_checkpoint);

  assert_rows (fixture, 401);
}

/* Commits one after the other, with no pause for the thread: a commit that leaves more
 * than the wait size copies the rest itself, so the log never holds much more than that
 * size plus one transaction. */
static void
test_bounded (Fixture       *fixture,
              gconstpointer  data)
{
  goffset largest = 0, first_commit;
  guint i;

  teren_checkpoint_start_frames = 10;
  teren_checkpoint_wait_frames = 120;

  save_persons (fixture->store, "Stan", 0, 40);
  first_commit = file_size (fixture->wal_path);
  for (i = 1; i < 30; i++)
    {
      save_persons (fixture->store, "Stan", i * 40, 40);
      largest = MAX (largest, file_size (fixture->wal_path));
    }
  /* A commit of 40 persons grows as the indexes grow: allow three times the first. */
  g_assert_cmpint (largest, <=, WAL_HEADER + 120 * FRAME_BYTES + 3 * first_commit);

  g_clear_object (&fixture->store);
  assert_rows (fixture, 1200);
}

/* A wipe right after a large commit (whose checkpoint the thread may be doing): nothing of
 * the records stays in the log or the database file, with the store still open. */
static void
test_wipe (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  teren_checkpoint_start_frames = 20;
  save_persons (fixture->store, "Zăvoianu", 0, 200);
  g_assert_true (teren_store_sync_wipe (fixture->store, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (fixture->wal_path, &contents, &length, NULL));
  g_assert_null (g_strstr_len (contents, length, "Zăvoianu"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (fixture->db_path, &contents, &length, NULL));
  g_assert_null (g_strstr_len (contents, length, "Zăvoianu"));
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/checkpoint/background", test_background);
  ADD ("/store/checkpoint/bounded", test_bounded);
  ADD ("/store/checkpoint/wipe", test_wipe);

  return g_test_run ();
}
