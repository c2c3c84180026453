/* unit-server-checkpoint.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's write-ahead log is checkpointed on a thread of its own (TerenCheckpointer
 * on the SQLite backend's writer): after pushes whose commits leave more than the start
 * size in the log, the thread copies it into the database file; the log stays bounded
 * under back-to-back pushes; closing the backend still leaves an empty log (its TRUNCATE
 * checkpoint waits for the thread). The backend is opened in this process, as `serve`
 * opens it, so that the thresholds (extern variables) can be set low.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-op.h"
#include "teren-uuid.h"
#include "teren-sqlite-checkpoint.h"
#include "teren-server-backend.h"
#include "teren-server-sqlite.h"
#include "teren-server-sqlite-private.h"

#define WAL_HEADER 32
#define FRAME_BYTES (24 + 4096)

typedef struct {
  char               *dir;
  char               *db_path;
  char               *wal_path;
  TerenServerBackend *backend;
  TerenServerCaller   caller;
  guint               saved_start;
  guint               saved_wait;
  guint               n_pushed;
} Fixture;

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return 0;
  return st.st_size;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const lines[] = { "child", NULL };

  fixture->saved_start = teren_checkpoint_start_frames;
  fixture->saved_wait = teren_checkpoint_wait_frames;
  fixture->dir = g_dir_make_tmp ("teren-server-checkpoint-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, TEREN_SERVER_DB_NAME, NULL);
  fixture->wal_path = g_strconcat (fixture->db_path, "-wal", NULL);

  fixture->backend = teren_server_backend_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->backend);
  /* Not a real hash: this test never logs in. */
  g_assert_true (teren_server_backend_account_add (fixture->backend, "ana", "Ana", TEREN_SERVER_ROLE_WORKER,
                                                   lines, "$argon2id$not-used", &error));
  g_assert_no_error (error);
  fixture->caller.account = teren_server_backend_account_lookup (fixture->backend, "ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->caller.account);
  fixture->caller.device_id = teren_uuid_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->backend, teren_server_backend_free);
  g_clear_pointer (&fixture->caller.account, teren_server_account_free);
  g_clear_pointer (&fixture->caller.device_id, g_free);
  teren_checkpoint_start_frames = fixture->saved_start;
  teren_checkpoint_wait_frames = fixture->saved_wait;
  rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->wal_path);
}

/* One push of @n new persons (registry records); every one applied. */
static void
push_persons (Fixture *fixture,
              guint    n)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_op_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < n; i++)
    {
      TerenOp *op = teren_op_new ();
      g_autofree char *first_name = g_strdup_printf ("Ana%u", fixture->n_pushed + i);

      op->change_id = teren_uuid_new ();
      op->record_id = teren_uuid_new ();
      op->kind = g_strdup ("person");
      op->op = TEREN_OP_CREATE;   /* teren_op_new gave line "" and an empty patch */
      op->base_rev = 0;
      json_object_set_string_member (op->patch, "cnp_status", "missing");
      json_object_set_string_member (op->patch, "last_name", "Popescu");
      json_object_set_string_member (op->patch, "first_name", first_name);
      json_object_set_string_member (op->patch, "sex", "F");
      op->author = g_strdup ("ana");
      op->device_time = g_strdup ("2026-12-01T10:00:00Z");
      g_ptr_array_add (ops, op);
    }
  g_assert_true (teren_server_backend_push (fixture->backend, &fixture->caller, ops, &results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, n);
  for (i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) result = teren_json_parse_object (g_ptr_array_index (results, i), -1, 10, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
    }
  fixture->n_pushed += n;
}

static void
wait_for_checkpoints (Fixture *fixture,
                      guint    n)
{
  TerenCheckpointer *checkpointer = teren_sqlite_get_checkpointer (fixture->backend);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_nonnull (checkpointer);
  while (teren_checkpointer_get_n_done (checkpointer) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
}

/* What a second connection sees in the file: every pushed person, and a sound database. */
static void
check_database (Fixture *fixture,
                sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM records WHERE kind = 'person'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, fixture->n_pushed);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
}

static sqlite3 *
open_db (Fixture *fixture)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  /* Reading once opens the log: the connection holds it from now on (the writer's close
   * then does not remove it). */
  g_assert_cmpint (sqlite3_exec (db, "SELECT count(*) FROM meta", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

/* A push whose commit leaves more than the start size in the log: the thread copies it
 * into the database file while the server does nothing (SQLite's own automatic checkpoint,
 * at 1,000 frames, would not have run for it), and the next commit starts the log again
 * from its beginning. */
static void
test_background (Fixture       *fixture,
                 gconstpointer  data)
{
  goffset db_before, wal_after_push, wal_after_checkpoint;
  guint done_before;

  teren_checkpoint_start_frames = 20;
  done_before = teren_checkpointer_get_n_done (teren_sqlite_get_checkpointer (fixture->backend));
  db_before = file_size (fixture->db_path);

  push_persons (fixture, 200);
  wal_after_push = file_size (fixture->wal_path);
  g_assert_cmpint (wal_after_push, >, WAL_HEADER + 20 * FRAME_BYTES);
  g_assert_cmpint (wal_after_push, <, WAL_HEADER + 1000 * FRAME_BYTES);

  wait_for_checkpoints (fixture, done_before + 1);
  /* The pages of the push are in the database file now. */
  g_assert_cmpint (file_size (fixture->db_path), >, db_before + 20 * 4096);
  wal_after_checkpoint = file_size (fixture->wal_path);

  /* A small push: written at the start of the log, which does not grow. */
  push_persons (fixture, 1);
  g_assert_cmpint (file_size (fixture->wal_path), ==, wal_after_checkpoint);

  {
    sqlite3 *db = open_db (fixture);

    check_database (fixture, db);
    sqlite3_close (db);
  }
}

/* Pushes one after the other, with no pause for the thread: a commit that leaves more than
 * the wait size copies the rest itself, so the log never holds much more than that size
 * plus one push. */
static void
test_bounded (Fixture       *fixture,
              gconstpointer  data)
{
  goffset largest = 0, first_push, wal_before;
  guint i;

  teren_checkpoint_start_frames = 20;
  teren_checkpoint_wait_frames = 300;

  wal_before = file_size (fixture->wal_path);
  push_persons (fixture, 100);
  first_push = file_size (fixture->wal_path) - wal_before;
  g_assert_cmpint (first_push, >, 0);
  for (i = 1; i < 30; i++)
    {
      push_persons (fixture, 100);
      largest = MAX (largest, file_size (fixture->wal_path));
    }
  /* A push of 100 persons grows as the indexes grow: allow three times the first. */
  g_assert_cmpint (largest, <=, WAL_HEADER + 300 * FRAME_BYTES + 3 * first_push + wal_before);

  {
    sqlite3 *db = open_db (fixture);

    check_database (fixture, db);
    sqlite3_close (db);
  }
}

/* Closing the backend right after large pushes (whose checkpoint the thread may be doing):
 * its TRUNCATE checkpoint is not refused, the log is left empty (another connection keeps
 * it from being removed at the writer's close) and the file holds everything. */
static void
test_close_truncates (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  guint i;

  teren_checkpoint_start_frames = 20;
  db = open_db (fixture);
  for (i = 0; i < 5; i++)
    push_persons (fixture, 100);
  g_assert_cmpint (file_size (fixture->wal_path), >, WAL_HEADER);

  g_assert_true (teren_server_backend_close (fixture->backend, &error));
  g_assert_no_error (error);
  g_assert_null (teren_sqlite_get_checkpointer (fixture->backend));
  g_assert_true (g_file_test (fixture->wal_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (file_size (fixture->wal_path), ==, 0);
  check_database (fixture, db);
  sqlite3_close (db);
}

/* Reopened after a close: the checkpointer works again on the new writer. */
static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint done_before;

  teren_checkpoint_start_frames = 20;
  push_persons (fixture, 50);
  g_clear_pointer (&fixture->backend, teren_server_backend_free);
  fixture->backend = teren_server_backend_open (fixture->dir, &error);
  g_assert_no_error (error);
  done_before = teren_checkpointer_get_n_done (teren_sqlite_get_checkpointer (fixture->backend));
  push_persons (fixture, 100);
  wait_for_checkpoints (fixture, done_before + 1);
  {
    sqlite3 *db = open_db (fixture);

    check_database (fixture, db);
    sqlite3_close (db);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/server/checkpoint/background", test_background);
  ADD ("/server/checkpoint/bounded", test_bounded);
  ADD ("/server/checkpoint/close-truncates", test_close_truncates);
  ADD ("/server/checkpoint/reopen", test_reopen);
#undef ADD

  return g_test_run ();
}
