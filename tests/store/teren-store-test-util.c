/* teren-store-test-util.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "teren-cnp.h"
#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-store-test-util.h"

#define UNPRIVILEGED_ID 65534

char *
test_make_cnp (char sex,
               int  year,
               int  month,
               int  day,
               int  seq)
{
  char first12[13];
  int sex_digit;

  if (year >= 2000)
    sex_digit = sex == 'M' ? 5 : 6;
  else
    sex_digit = sex == 'M' ? 1 : 2;

  g_snprintf (first12, sizeof first12, "%d%02d%02d%02d40%03d", sex_digit, year % 100, month, day,
              seq % 1000 == 0 ? 1 : seq % 1000);
  return g_strdup_printf ("%s%c", first12, teren_cnp_check_digit (first12));
}

JsonObject *
test_person_fields (const char *last_name,
                    const char *first_name,
                    const char *sex,
                    const char *birth_date,
                    const char *cnp)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "last_name", last_name);
  json_object_set_string_member (fields, "first_name", first_name);
  json_object_set_string_member (fields, "sex", sex);
  if (birth_date != NULL)
    json_object_set_string_member (fields, "birth_date", birth_date);
  if (cnp != NULL)
    {
      json_object_set_string_member (fields, "cnp", cnp);
      json_object_set_string_member (fields, "cnp_status", "valid");
    }
  else
    json_object_set_string_member (fields, "cnp_status", "missing");
  return fields;
}

char *
test_file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

void
test_rm_rf (const char *path)
{
  GDir *dir;
  const char *name;
  struct stat st;

  if (path == NULL || g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          test_rm_rf (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

sqlite3 *
test_db_open (const char *data_dir,
              gboolean    read_only)
{
  g_autofree char *path = g_build_filename (data_dir, "teren.db", NULL);
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

char *
test_db_text (sqlite3    *db,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return text;
}

gint64
test_db_int (sqlite3    *db,
             const char *sql)
{
  g_autofree char *text = test_db_text (db, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

void
test_db_exec (sqlite3    *db,
              const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

char *
test_store_digest (const char *data_dir)
{
  static const char * const tables[] = {
    "record", "base", "oplog", "history", "search", "record_ref", "draft", "conflict",
    "sync_meta",
  };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3 *db = test_db_open (data_dir, TRUE);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", tables[i]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_checksum_update (checksum, (const guchar *) tables[i], -1);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          int c;

          for (c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const unsigned char *text = sqlite3_column_text (stmt, c);

              g_checksum_update (checksum, text != NULL ? text : (const guchar *) "<null>", -1);
              g_checksum_update (checksum, (const guchar *) "\x1f", 1);
            }
          g_checksum_update (checksum, (const guchar *) "\x1e", 1);
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_strdup (g_checksum_get_string (checksum));
}

void
test_run_unprivileged (GFunc    func,
                       gpointer data)
{
  pid_t pid;
  int status = 0;

  if (geteuid () != 0)
    {
      func (data, NULL);
      return;
    }

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (setgroups (0, NULL) != 0 || setgid (UNPRIVILEGED_ID) != 0 ||
          setuid (UNPRIVILEGED_ID) != 0)
        {
          g_printerr ("cannot drop privileges: %s\n", g_strerror (errno));
          _exit (2);
        }
      func (data, NULL);
      fflush (stdout);
      fflush (stderr);
      _exit (0);
    }

  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

char *
test_make_tmp_dir_for_unprivileged (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("teren-store-XXXXXX", &error);

  g_assert_no_error (error);
  if (geteuid () == 0)
    g_assert_cmpint (chown (dir, UNPRIVILEGED_ID, UNPRIVILEGED_ID), ==, 0);
  return dir;
}

void
test_pull_page (TerenStore *store,
                const char *records,
                const char *purge,
                const char *cursor,
                const char *epoch)
{
  g_autofree char *json = g_strdup_printf ("{\"records\":[%s],\"purge\":[%s],\"cursor\":\"%s\","
                                           "\"more\":false,\"epoch\":\"%s\","
                                           "\"server_time\":\"2026-12-01T10:00:00Z\"}",
                                           records, purge, cursor, epoch);
  g_autoptr(JsonObject) page = teren_json_parse_object (json, -1, 64, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (page);
  g_assert_true (teren_store_sync_apply_pull_page (store, page, NULL, NULL, &error));
  g_assert_no_error (error);
}

void
test_db_undo_migration_8 (sqlite3 *db)
{
  test_db_exec (db, "DROP INDEX op_archive_by_acked;"
                    "ALTER TABLE op_archive DROP COLUMN acked_at;"
                    "CREATE INDEX op_archive_by_time ON op_archive (archived_at);");
}
