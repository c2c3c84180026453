/* teren-server-backup.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "teren-error.h"
#include "teren-uuid.h"
#include "teren-server-backup.h"
#include "teren-server-sqlite.h"

#define LOCK_NAME "teren-server.lock"

static gboolean
sql_fail (GError     **error,
          sqlite3     *db,
          const char  *what)
{
  g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", what, db != NULL ? sqlite3_errmsg (db) : "?");
  return FALSE;
}

gboolean
teren_server_lock_data_dir (const char  *data_dir,
                            GError     **error)
{
  g_autofree char *path = NULL;
  int fd;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot create the data directory %s: %s"),
                   data_dir, g_strerror (saved));
      return FALSE;
    }
  path = g_build_filename (data_dir, LOCK_NAME, NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_FAILED,
                   _("teren-server is running on %s; stop it first."), data_dir);
      return FALSE;
    }
  /* Kept open (and locked) until the process ends. */
  return TRUE;
}

/* Copies database @from into a new file @to (0600) with the online backup API; the copy
 * uses a rollback journal, so it is one self-contained file. */
static gboolean
copy_database (sqlite3     *from,
               const char  *to,
               GError     **error)
{
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int fd;
  int rc;

  g_unlink (to);
  fd = g_open (to, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", to, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (sqlite3_open_v2 (to, &dest, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      sql_fail (error, dest, to);
      sqlite3_close (dest);
      return FALSE;
    }
  backup = sqlite3_backup_init (dest, "main", from, "main");
  if (backup == NULL)
    {
      sql_fail (error, dest, to);
      sqlite3_close (dest);
      return FALSE;
    }
  /* The whole database in one step; retried while the server holds a write lock. */
  do
    {
      rc = sqlite3_backup_step (backup, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (50);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", to, sqlite3_errstr (rc));
      sqlite3_close (dest);
      return FALSE;
    }
  if (sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
    {
      sql_fail (error, dest, to);
      sqlite3_close (dest);
      return FALSE;
    }
  sqlite3_close (dest);
  return TRUE;
}

static gboolean
fsync_path (const char  *path,
            GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  int saved;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
check_database (sqlite3     *db,
                const char  *path,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK)
    return sql_fail (error, db, path);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  if (ok)
    {
      /* A teren-server database: it has an epoch. */
      ok = sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'epoch'", -1, &stmt, NULL) == SQLITE_OK &&
           sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_finalize (stmt);
    }
  if (!ok)
    g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT, _("%s is not a sound teren-server database."), path);
  return ok;
}

/* The server database @path of @data_dir, read-write with a busy timeout, or NULL. */
static sqlite3 *
open_server_database (const char  *data_dir,
                      const char  *path,
                      GError     **error)
{
  sqlite3 *db = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("No server database in %s."), data_dir);
      return NULL;
    }
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      sql_fail (error, db, path);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 10000);
  return db;
}

gboolean
teren_server_backup_database (const char  *data_dir,
                              const char  *file,
                              GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, TEREN_SERVER_DB_NAME, NULL);
  g_autofree char *tmp = g_strconcat (file, ".part", NULL);
  sqlite3 *db = NULL;
  gboolean ok;

  db = open_server_database (data_dir, path, error);
  if (db == NULL)
    return FALSE;
  ok = copy_database (db, tmp, error);
  sqlite3_close (db);
  if (ok)
    {
      sqlite3 *copy = NULL;

      ok = sqlite3_open_v2 (tmp, &copy, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
           ? check_database (copy, tmp, error) : sql_fail (error, copy, tmp);
      sqlite3_close (copy);
    }
  if (ok)
    ok = fsync_path (tmp, error);
  if (ok && g_rename (tmp, file) != 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", file, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp);
  return ok;
}

static gboolean
exec_bound (sqlite3     *db,
            const char  *sql,
            const char  *a,
            const char  *b,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return sql_fail (error, db, "restore");
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_fail (error, db, "restore");
  return TRUE;
}

gboolean
teren_server_restore_database (const char  *data_dir,
                               const char  *file,
                               char       **out_epoch,
                               GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, TEREN_SERVER_DB_NAME, NULL);
  g_autofree char *tmp = g_strconcat (path, ".restoring", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *epoch = teren_uuid_new ();
  g_autofree char *now = teren_now_iso8601 ();
  g_autofree char *aside = NULL;
  sqlite3 *src = NULL;
  sqlite3 *db = NULL;
  gboolean ok;

  if (!teren_server_lock_data_dir (data_dir, error))
    return FALSE;
  if (sqlite3_open_v2 (file, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sql_fail (error, src, file);
      sqlite3_close (src);
      return FALSE;
    }
  ok = check_database (src, file, error) && copy_database (src, tmp, error);
  sqlite3_close (src);
  if (!ok)
    {
      g_unlink (tmp);
      return FALSE;
    }

  /* The copy gets a new epoch: every client learns the server went back in time. */
  if (sqlite3_open_v2 (tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    ok = sql_fail (error, db, tmp);
  else
    ok = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK &&
         exec_bound (db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('epoch', ?1)", epoch, NULL, error) &&
         exec_bound (db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('restored_at', ?1)", now, NULL, error) &&
         exec_bound (db, "INSERT INTO audit (time, account, device_id, action, detail) "
                         "VALUES (?1, NULL, NULL, 'restore', json_object('epoch', ?2))", now, epoch, error) &&
         (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK || sql_fail (error, db, tmp));
  sqlite3_close (db);
  if (ok)
    ok = fsync_path (tmp, error);
  if (!ok)
    {
      g_unlink (tmp);
      return FALSE;
    }

  /* The replaced database stays beside it until the admin removes it. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *stamp = g_strdelimit (g_strdup (now), ":", '-');

      aside = g_strconcat (path, ".before-restore-", stamp, NULL);
      if (g_rename (path, aside) != 0)
        {
          int saved = errno;

          g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", path, g_strerror (saved));
          g_unlink (tmp);
          return FALSE;
        }
      if (g_file_test (wal, G_FILE_TEST_EXISTS))
        {
          g_autofree char *aside_wal = g_strconcat (aside, "-wal", NULL);

          g_rename (wal, aside_wal);
        }
    }
  g_unlink (shm);
  g_unlink (wal);
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (!fsync_path (data_dir, error))
    return FALSE;
  if (out_epoch != NULL)
    *out_epoch = g_steal_pointer (&epoch);
  return TRUE;
}

gboolean
teren_server_epoch_report (const char  *data_dir,
                           GString     *out,
                           GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, TEREN_SERVER_DB_NAME, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  db = open_server_database (data_dir, path, error);
  if (db == NULL)
    return FALSE;
  rc = sqlite3_prepare_v2 (db, "SELECT time, account, device_id, record_id, client_rev, server_rev, epoch "
                               "FROM epoch_report ORDER BY time, record_id", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      /* A database that never saw an epoch change has no report table yet. */
      sqlite3_close (db);
      return TRUE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (out, "%s\t%s\t%s\t%s\t%lld\t%lld\t%s\n",
                            sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1) != NULL ? (const char *) sqlite3_column_text (stmt, 1) : "-",
                            sqlite3_column_text (stmt, 2) != NULL ? (const char *) sqlite3_column_text (stmt, 2) : "-",
                            sqlite3_column_text (stmt, 3),
                            (long long) sqlite3_column_int64 (stmt, 4),
                            (long long) sqlite3_column_int64 (stmt, 5),
                            sqlite3_column_text (stmt, 6) != NULL ? (const char *) sqlite3_column_text (stmt, 6) : "-");
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_fail (error, db, path);
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_close (db);
  return TRUE;
}
