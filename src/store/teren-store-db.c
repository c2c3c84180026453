/* teren-store-db.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "teren-error.h"
#include "teren-store-private.h"

/* Opening the database (SYNC.md "Durability", SYNC-NOTES.md §3.1). Every check that can
 * refuse the file runs before anything is written to it: a damaged or foreign file is
 * reported and left exactly as it was. */

#define BUSY_TIMEOUT_MS 5000
#define SQLITE_HEADER "SQLite format 3"
#define SQLITE_HEADER_SIZE 100
/* Files up to this size get a whole-file PRAGMA quick_check at open (see
 * teren_db_open_writer); tests lower it. */
goffset teren_db_full_check_max_bytes = 64 * 1024 * 1024;

/* Progress handler period (virtual machine instructions) for cancelling queries. */
#define PROGRESS_PERIOD 1000

/* ---- Migrations -------------------------------------------------------------------- */

/* Migration 1: the whole schema. Later migrations are appended, never edited. */
static const char migration_1[] =
  "CREATE TABLE record ("
  "  id          TEXT PRIMARY KEY NOT NULL,"
  "  kind        TEXT NOT NULL,"
  "  line        TEXT NOT NULL DEFAULT '',"
  "  rev         INTEGER NOT NULL DEFAULT 0,"
  "  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  fields      TEXT NOT NULL DEFAULT '{}',"
  "  sort_key    TEXT NOT NULL DEFAULT '',"
  "  created_at  TEXT NOT NULL,"
  "  updated_at  TEXT NOT NULL,"
  "  created_by  TEXT NOT NULL DEFAULT '',"
  "  updated_by  TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX record_by_kind ON record (kind, deleted, sort_key, id);"
  /* Last server-acknowledged state: the merge base (SYNC.md). */
  "CREATE TABLE base ("
  "  id          TEXT PRIMARY KEY NOT NULL,"
  "  kind        TEXT NOT NULL,"
  "  line        TEXT NOT NULL DEFAULT '',"
  "  rev         INTEGER NOT NULL,"
  "  seq         INTEGER NOT NULL DEFAULT 0,"
  "  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),"
  "  fields      TEXT NOT NULL DEFAULT '{}',"
  "  updated_by  TEXT,"
  "  updated_at  TEXT"
  ");"
  /* The outbox: operations not yet acknowledged, in save order. */
  "CREATE TABLE oplog ("
  "  n           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  change_id   TEXT NOT NULL UNIQUE,"
  "  record_id   TEXT NOT NULL,"
  "  kind        TEXT NOT NULL,"
  "  line        TEXT NOT NULL DEFAULT '',"
  "  op          TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),"
  "  base_rev    INTEGER NOT NULL DEFAULT 0,"
  "  prev_change TEXT,"
  "  patch       TEXT NOT NULL DEFAULT '{}',"
  "  author      TEXT NOT NULL DEFAULT '',"
  "  device_time TEXT NOT NULL,"
  "  resolves    TEXT,"
  "  state       TEXT NOT NULL DEFAULT 'pending'"
  "              CHECK (state IN ('pending', 'in_flight', 'quarantined', 'held')),"
  "  attempts    INTEGER NOT NULL DEFAULT 0,"
  "  last_error  TEXT"
  ");"
  "CREATE INDEX oplog_by_record ON oplog (record_id, n);"
  "CREATE INDEX oplog_by_state ON oplog (state, n);"
  /* Acknowledged operations with the server's answer, kept 30 days. */
  "CREATE TABLE op_archive ("
  "  change_id   TEXT PRIMARY KEY NOT NULL,"
  "  record_id   TEXT NOT NULL,"
  "  kind        TEXT NOT NULL,"
  "  line        TEXT NOT NULL DEFAULT '',"
  "  op          TEXT NOT NULL,"
  "  base_rev    INTEGER NOT NULL DEFAULT 0,"
  "  prev_change TEXT,"
  "  patch       TEXT NOT NULL DEFAULT '{}',"
  "  author      TEXT NOT NULL DEFAULT '',"
  "  device_time TEXT NOT NULL,"
  "  status      TEXT NOT NULL,"
  "  rev         INTEGER,"
  "  answer      TEXT,"
  "  archived_at TEXT NOT NULL"
  ");"
  "CREATE INDEX op_archive_by_time ON op_archive (archived_at);"
  "CREATE INDEX op_archive_by_record ON op_archive (record_id);"
  "CREATE TABLE conflict ("
  "  id          TEXT PRIMARY KEY NOT NULL,"
  "  record_id   TEXT NOT NULL,"
  "  change_id   TEXT,"
  "  reason      TEXT NOT NULL DEFAULT 'field',"
  "  field       TEXT NOT NULL DEFAULT '',"
  "  base        TEXT,"
  "  server      TEXT,"
  "  local       TEXT,"
  "  server_by   TEXT,"
  "  server_at   TEXT,"
  "  state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolving', 'resolved')),"
  "  created_at  TEXT NOT NULL"
  ");"
  "CREATE INDEX conflict_by_record ON conflict (record_id, state);"
  /* Form drafts, never synced; n orders them newest first. */
  "CREATE TABLE draft ("
  "  key         TEXT PRIMARY KEY NOT NULL,"
  "  kind        TEXT NOT NULL,"
  "  line        TEXT NOT NULL DEFAULT '',"
  "  record_id   TEXT,"
  "  fields      TEXT NOT NULL DEFAULT '{}',"
  "  updated_at  TEXT NOT NULL,"
  "  n           INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX draft_by_n ON draft (n);"
  /* device_id, cursor, epoch, digest, last success/error, backoff. */
  "CREATE TABLE sync_meta ("
  "  key         TEXT PRIMARY KEY NOT NULL,"
  "  value       TEXT"
  ") WITHOUT ROWID;"
  /* Local audit trail: which fields each change touched (not their values). */
  "CREATE TABLE history ("
  "  n           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  record_id   TEXT NOT NULL,"
  "  change_id   TEXT,"
  "  op          TEXT NOT NULL,"
  "  fields      TEXT NOT NULL DEFAULT '[]',"
  "  author      TEXT NOT NULL DEFAULT '',"
  "  at          TEXT NOT NULL,"
  "  source      TEXT NOT NULL DEFAULT 'local'"
  ");"
  "CREATE INDEX history_by_record ON history (record_id, n);"
  /* Reference fields of non-deleted records, for find_by_field. */
  "CREATE TABLE record_ref ("
  "  record_id   TEXT NOT NULL REFERENCES record (id) ON DELETE CASCADE,"
  "  key         TEXT NOT NULL,"
  "  value       TEXT NOT NULL,"
  "  kind        TEXT NOT NULL,"
  "  PRIMARY KEY (record_id, key)"
  ") WITHOUT ROWID;"
  "CREATE INDEX record_ref_by_value ON record_ref (value, kind, key);"
  /* Search: one row per non-deleted record with searchable text; the FTS5 table indexes
   * its folded text, cnp and dup_key (folded last|first|birth date) are exact keys. */
  "CREATE TABLE search ("
  "  n           INTEGER PRIMARY KEY,"
  "  id          TEXT NOT NULL UNIQUE REFERENCES record (id) ON DELETE CASCADE,"
  "  kind        TEXT NOT NULL,"
  "  text        TEXT NOT NULL,"
  "  title       TEXT NOT NULL DEFAULT '',"
  "  sort_key    TEXT NOT NULL DEFAULT '',"
  "  cnp         TEXT,"
  "  dup_key     TEXT"
  ");"
  "CREATE INDEX search_by_cnp ON search (cnp) WHERE cnp IS NOT NULL;"
  "CREATE INDEX search_by_dup ON search (dup_key) WHERE dup_key IS NOT NULL;"
  "CREATE INDEX search_by_kind ON search (kind, sort_key);"
  "CREATE VIRTUAL TABLE search_fts USING fts5 ("
  "  text, content = 'search', content_rowid = 'n',"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'"
  ");"
  "CREATE TRIGGER search_ai AFTER INSERT ON search BEGIN"
  "  INSERT INTO search_fts (rowid, text) VALUES (new.n, new.text);"
  "END;"
  "CREATE TRIGGER search_ad AFTER DELETE ON search BEGIN"
  "  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.n, old.text);"
  "END;"
  "CREATE TRIGGER search_au AFTER UPDATE OF text ON search BEGIN"
  "  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.n, old.text);"
  "  INSERT INTO search_fts (rowid, text) VALUES (new.n, new.text);"
  "END;";

/* Migration 2: the server-managed lists pulled from GET /nomenclatures (ICD-10, SIRUTA,
 * other lists the admin imported); their cursor is in sync_meta. */
static const char migration_2[] =
  "CREATE TABLE nomenclature ("
  "  kind        TEXT NOT NULL,"
  "  code        TEXT NOT NULL,"
  "  data        TEXT NOT NULL DEFAULT '{}',"
  "  PRIMARY KEY (kind, code)"
  ") WITHOUT ROWID;";

/* Migration 3: attachments' bytes (teren-store-blobs.h). state: 0 local only, 1 uploaded,
 * 2 remote only, 3 downloaded. A blob referenced by a record written to base (pull, push
 * answer, repair) is known from then on, as remote only unless its bytes are here. */
#define BLOB_FROM_BASE \
  "  INSERT OR IGNORE INTO blob (ref, size, mime, state, created_at)" \
  "  SELECT json_extract (e.value, '$.blob'), coalesce (json_extract (e.value, '$.size'), 0)," \
  "         coalesce (json_extract (e.value, '$.mime'), ''), 2, strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')" \
  "  FROM json_each (new.fields) f," \
  "       json_each (CASE WHEN f.type = 'array' THEN f.value ELSE '[]' END) e" \
  "  WHERE e.type = 'object' AND json_type (e.value, '$.blob') = 'text'" \
  "    AND json_extract (e.value, '$.blob') GLOB 'sha256:*'" \
  "    AND length (json_extract (e.value, '$.blob')) = 71;"
static const char migration_3[] =
  "CREATE TABLE blob ("
  "  ref         TEXT PRIMARY KEY NOT NULL,"
  "  size        INTEGER NOT NULL DEFAULT 0,"
  "  mime        TEXT NOT NULL DEFAULT '',"
  "  state       INTEGER NOT NULL DEFAULT 2 CHECK (state BETWEEN 0 AND 3),"
  "  created_at  TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX blob_by_state ON blob (state, size);"
  "CREATE TRIGGER blob_base_ai AFTER INSERT ON base"
  "  WHEN instr (new.fields, 'sha256:') > 0 AND json_valid (new.fields) BEGIN"
  BLOB_FROM_BASE
  "END;"
  "CREATE TRIGGER blob_base_au AFTER UPDATE OF fields ON base"
  "  WHEN instr (new.fields, 'sha256:') > 0 AND json_valid (new.fields) BEGIN"
  BLOB_FROM_BASE
  "END;";

/* Migration 4: the blob triggers of migration 3 without INSERT OR IGNORE, whose conflict
 * policy the statement writing base overrides (an upsert of base made it fail with a
 * UNIQUE error, an INSERT OR REPLACE would have reset the blob's state): only blobs not
 * known yet are inserted, once each. */
#define BLOB_FROM_BASE_4 \
  "  INSERT INTO blob (ref, size, mime, state, created_at)" \
  "  SELECT x.ref, max (x.size), max (x.mime), 2, strftime ('%Y-%m-%dT%H:%M:%SZ', 'now') FROM (" \
  "    SELECT json_extract (e.value, '$.blob') AS ref," \
  "           coalesce (json_extract (e.value, '$.size'), 0) AS size," \
  "           coalesce (json_extract (e.value, '$.mime'), '') AS mime" \
  "    FROM json_each (new.fields) f," \
  "         json_each (CASE WHEN f.type = 'array' THEN f.value ELSE '[]' END) e" \
  "    WHERE e.type = 'object' AND json_type (e.value, '$.blob') = 'text') AS x" \
  "  WHERE x.ref GLOB 'sha256:*' AND length (x.ref) = 71" \
  "    AND NOT EXISTS (SELECT 1 FROM blob b WHERE b.ref = x.ref)" \
  "  GROUP BY x.ref;"
static const char migration_4[] =
  "DROP TRIGGER blob_base_ai;"
  "DROP TRIGGER blob_base_au;"
  "CREATE TRIGGER blob_base_ai AFTER INSERT ON base"
  "  WHEN instr (new.fields, 'sha256:') > 0 AND json_valid (new.fields) BEGIN"
  BLOB_FROM_BASE_4
  "END;"
  "CREATE TRIGGER blob_base_au AFTER UPDATE OF fields ON base"
  "  WHEN instr (new.fields, 'sha256:') > 0 AND json_valid (new.fields) BEGIN"
  BLOB_FROM_BASE_4
  "END;";

/* Migration 5: search_fts is written by the code that writes `search` rows
 * (teren_store_index_record and teren_store_unindex_record, batched for pull pages and
 * the digest repair), no longer by per-row triggers. The index content is already right. */
static const char migration_5[] =
  "DROP TRIGGER IF EXISTS search_ai;"
  "DROP TRIGGER IF EXISTS search_ad;"
  "DROP TRIGGER IF EXISTS search_au;";

/* Migration 6: the attachments a base row refers to are noted by the code that writes
 * base (teren-store-sync.c, note_blobs), no longer by triggers, whose statement journal
 * made every base row written cost more. The blob table is already right. */
static const char migration_6[] =
  "DROP TRIGGER IF EXISTS blob_base_ai;"
  "DROP TRIGGER IF EXISTS blob_base_au;";

/* Migration 7: indexes for a line's case list (teren_store_line_cases): the records of a
 * kind in one line, and each case's last visit carried out (a partial index on the
 * visits' case and date: the latest is read from the index alone, not from every visit's
 * row). The child line of the DESIGN.md dataset: 1.7 s, now 0.14 s (bench/lines). */
static const char migration_7[] =
  "CREATE INDEX IF NOT EXISTS record_by_line ON record (kind, line, deleted);"
  "CREATE INDEX IF NOT EXISTS record_last_visit ON record"
  "  (json_extract (fields, '$.case'), json_extract (fields, '$.date'))"
  "  WHERE kind IN ('visit', 'elderly.home_care_visit') AND deleted = 0"
  "    AND coalesce (json_extract (fields, '$.status'), 'done') = 'done';";

/* Migration 8: op_archive keeps acknowledged operations for 30 days (SYNC.md), counted on
 * the server's clock: acked_at is the server_time of the first successful round that saw
 * the operation archived (teren_store_sync_prune_archive). archived_at is the laptop's
 * clock, which may be a day behind or a year ahead (SYNC-NOTES S16); nothing reads it by
 * time any more, so its index goes. */
static const char migration_8[] =
  "DROP INDEX IF EXISTS op_archive_by_time;"
  "ALTER TABLE op_archive ADD COLUMN acked_at TEXT;"
  "CREATE INDEX op_archive_by_acked ON op_archive (acked_at);";

static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_7,
  migration_8,
};

/* ---- Helpers ----------------------------------------------------------------------- */

void
teren_db_set_error (TerenDb  *db,
                    int       rc,
                    GError  **error)
{
  const char *message = db != NULL && db->db != NULL ? sqlite3_errmsg (db->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                   _("The database is damaged (%s)"), message);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_READ_ONLY,
                   _("The database cannot be written (%s)"), message);
      break;
    case SQLITE_FULL:
      /* SQLite's text says "database or disk is full" in English: say it in the user's
       * words. The transaction was rolled back; the caller still holds what it wrote. */
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_NO_SPACE,
                           _("The disk is full. Free some space on this computer, then try again"));
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO,
                   _("The database could not be read or written (%s)"), message);
      break;
    case SQLITE_INTERRUPT:
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_CANCELLED, _("Cancelled"));
      break;
    default:
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_FAILED,
                   _("Database error (%s)"), message);
      break;
    }
}

sqlite3_stmt *
teren_db_prepare (TerenDb     *db,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->stmts, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      teren_db_set_error (db, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }

  g_hash_table_insert (db->stmts, (gpointer) sql, stmt);
  return stmt;
}

gboolean
teren_db_exec (TerenDb     *db,
               const char  *sql,
               GError     **error)
{
  int rc = sqlite3_exec (db->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
teren_db_run (TerenDb       *db,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      teren_db_set_error (db, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
teren_db_run_with_text (TerenDb     *db,
                        const char  *sql,
                        const char  *text,
                        GError     **error)
{
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, text);
  return teren_db_run (db, stmt, error);
}

void
teren_db_bind_text (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
teren_db_column_dup (sqlite3_stmt *stmt,
                     int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

char *
teren_db_get_meta (TerenDb    *db,
                   const char *key)
{
  static const char sql[] = "SELECT value FROM sync_meta WHERE key = ?1";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  teren_db_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = teren_db_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gboolean
teren_db_set_meta (TerenDb     *db,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  static const char sql[] =
    "INSERT INTO sync_meta (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, key);
  teren_db_bind_text (stmt, 2, value);
  return teren_db_run (db, stmt, error);
}

static int
progress_cb (void *user_data)
{
  TerenDb *db = user_data;

  return db->cancellable != NULL && g_cancellable_is_cancelled (db->cancellable);
}

static TerenDb *
db_new (sqlite3 *handle)
{
  TerenDb *db = g_new0 (TerenDb, 1);

  db->db = handle;
  db->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                     (GDestroyNotify) sqlite3_finalize);
  sqlite3_progress_handler (handle, PROGRESS_PERIOD, progress_cb, db);
  return db;
}

void
teren_db_close (TerenDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->stmts, g_hash_table_unref);
  sqlite3_close_v2 (db->db);
  g_free (db);
}

/* ---- Checks before SQLite touches the file ------------------------------------------- */

static gboolean
is_read_only_errno (int saved_errno)
{
  return saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS;
}

static gboolean
prepare_data_dir (const char  *data_dir,
                  GError     **error)
{
  struct stat st;

  if (g_stat (data_dir, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != ENOENT)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO,
                       _("Cannot use the data folder “%s”: %s"), data_dir, g_strerror (saved_errno));
          return FALSE;
        }
      if (g_mkdir_with_parents (data_dir, 0700) != 0)
        {
          saved_errno = errno;
          g_set_error (error, TEREN_ERROR,
                       is_read_only_errno (saved_errno) ? TEREN_ERROR_READ_ONLY : TEREN_ERROR_IO,
                       _("Cannot create the data folder “%s”: %s"), data_dir,
                       g_strerror (saved_errno));
          return FALSE;
        }
      return TRUE;
    }

  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO,
                   _("The data folder “%s” is a file, not a folder"), data_dir);
      return FALSE;
    }

  if (access (data_dir, W_OK | X_OK) != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_READ_ONLY,
                   _("The data folder “%s” cannot be written"), data_dir);
      return FALSE;
    }

  /* Keep the folder private to the user (only ever tightened). */
  if ((st.st_mode & 077) != 0 && st.st_uid == geteuid ())
    g_chmod (data_dir, st.st_mode & 0700);

  return TRUE;
}

static guint32
read_be32 (const guchar *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Looks at an existing database file without SQLite: regular file, writable, a SQLite
 * header, a plausible page size and no missing pages. *created is set when there was no
 * file and an empty 0600 one was made. */
static gboolean
check_db_file (const char  *db_path,
               gboolean    *created,
               goffset     *out_size,
               GError     **error)
{
  struct stat st;
  guchar header[SQLITE_HEADER_SIZE];
  guint32 page_size;
  guint32 n_pages;
  g_autofree char *wal_path = NULL;
  int fd;
  ssize_t n_read;

  *created = FALSE;
  *out_size = 0;

  if (g_lstat (db_path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != ENOENT)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO,
                       _("Cannot use the database “%s”: %s"), db_path, g_strerror (saved_errno));
          return FALSE;
        }

      /* Made here so that it is private from its first byte; SQLite gives its -wal and
       * -shm files the same mode. */
      fd = g_open (db_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          saved_errno = errno;
          g_set_error (error, TEREN_ERROR,
                       is_read_only_errno (saved_errno) ? TEREN_ERROR_READ_ONLY : TEREN_ERROR_IO,
                       _("Cannot create the database “%s”: %s"), db_path,
                       g_strerror (saved_errno));
          return FALSE;
        }
      close (fd);
      *created = TRUE;
      return TRUE;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO,
                   _("“%s” is a folder, not a database file"), db_path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO,
                   _("“%s” is not a regular file"), db_path);
      return FALSE;
    }
  if (access (db_path, R_OK | W_OK) != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_READ_ONLY,
                   _("The database file “%s” cannot be written"), db_path);
      return FALSE;
    }

  *out_size = st.st_size;

  /* An empty file is a database that was never initialised (a crash right after it was
   * made): SQLite treats it as new. */
  if (st.st_size == 0)
    return TRUE;

  fd = g_open (db_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO,
                   _("Cannot read the database “%s”: %s"), db_path, g_strerror (saved_errno));
      return FALSE;
    }
  n_read = read (fd, header, sizeof header);
  close (fd);

  if (n_read != (ssize_t) sizeof header || memcmp (header, SQLITE_HEADER, sizeof SQLITE_HEADER) != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                   _("“%s” is not a Teren database or it is damaged; it was left as it is"),
                   db_path);
      return FALSE;
    }

  page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                   _("The database “%s” is damaged (bad page size); it was left as it is"),
                   db_path);
      return FALSE;
    }

  /* The header's page count is valid when the change counter matches the
   * version-valid-for number. Without a write-ahead log the file must hold them all. */
  wal_path = g_strconcat (db_path, "-wal", NULL);
  n_pages = read_be32 (header + 28);
  if (n_pages > 0 && read_be32 (header + 24) == read_be32 (header + 92) &&
      !g_file_test (wal_path, G_FILE_TEST_EXISTS) &&
      (guint64) st.st_size < (guint64) n_pages * page_size)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                   _("The database “%s” is damaged (the file is truncated); it was left as it is"),
                   db_path);
      return FALSE;
    }

  return TRUE;
}

/* PRAGMA quick_check of the whole file, or of @table (one of ours, never input) and its
 * indexes. */
static gboolean
quick_check (TerenDb     *db,
             const char  *db_path,
             const char  *table,
             GError     **error)
{
  g_autofree char *sql = table != NULL ? g_strdup_printf ("PRAGMA quick_check(%s)", table)
                                       : g_strdup ("PRAGMA quick_check");
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  rc = sqlite3_prepare_v2 (db->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      ok = rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
    }
  sqlite3_finalize (stmt);

  if (!ok)
    {
      if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN)
        g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO,
                     _("The database “%s” could not be read (%s)"), db_path,
                     sqlite3_errmsg (db->db));
      else
        g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                     _("The database “%s” is damaged (its check failed); it was left as it is"),
                     db_path);
    }
  return ok;
}

/* Reads the schema version and refuses a file that is not ours: one made by a newer
 * Teren, or a foreign SQLite database (tables but no version). Runs before anything is
 * written, so a refused file is left byte for byte as it was. */
static gboolean
check_schema_version (TerenDb     *db,
                      const char  *db_path,
                      gint64      *out_version,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 version = 0;
  gint64 n_tables = 0;

  stmt = teren_db_prepare (db, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_FAILED,
                   _("The database “%s” was made by a newer version of Teren"), db_path);
      return FALSE;
    }

  if (version == 0)
    {
      stmt = teren_db_prepare (db, "SELECT count(*) FROM sqlite_master", error);
      if (stmt == NULL)
        return FALSE;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n_tables = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (n_tables > 0)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                       _("“%s” is not a Teren database; it was left as it is"), db_path);
          return FALSE;
        }
    }

  *out_version = version;
  return TRUE;
}

static gboolean
run_migrations (TerenDb     *db,
                gint64       version,
                GError     **error)
{
  sqlite3_stmt *stmt;
  guint i;

  for (i = (guint) version; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *set_version = NULL;
      g_autofree char *now = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!teren_db_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* PRAGMA takes no bound parameter; the number is ours, not input. */
      set_version = g_strdup_printf ("PRAGMA user_version = %u", i + 1);
      if (!teren_db_exec (db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                              "  version INTEGER PRIMARY KEY NOT NULL,"
                              "  applied_at TEXT NOT NULL)", &local_error) ||
          !teren_db_exec (db, migrations[i], &local_error) ||
          !teren_db_exec (db, set_version, &local_error))
        {
          teren_db_exec (db, "ROLLBACK", NULL);
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Could not update the database to version %u: "), i + 1);
          return FALSE;
        }

      stmt = teren_db_prepare (db, "INSERT INTO schema_migrations (version, applied_at) "
                                   "VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                               &local_error);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, i + 1);
          teren_db_run (db, stmt, &local_error);
        }
      if (local_error != NULL || !teren_db_exec (db, "COMMIT", &local_error))
        {
          teren_db_exec (db, "ROLLBACK", NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("Database migrated to version %u", i + 1);
    }

  return TRUE;
}

static gboolean
check_pragma_text (TerenDb    *db,
                   const char *sql,
                   const char *expected)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), expected) == 0;
  sqlite3_finalize (stmt);
  return ok;
}

TerenDb *
teren_db_open_writer (const char  *data_dir,
                      const char  *db_path,
                      GError     **error)
{
  TerenDb *db = NULL;
  sqlite3 *handle = NULL;
  gboolean created = FALSE;
  gint64 version = 0;
  goffset size = 0;
  gboolean checked;
  int dummy = 0;
  int rc;

  if (!prepare_data_dir (data_dir, error) ||
      !check_db_file (db_path, &created, &size, error))
    return NULL;

  rc = sqlite3_open_v2 (db_path, &handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      if (handle == NULL)
        g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_FAILED, _("Out of memory"));
      else
        {
          TerenDb tmp = { .db = handle };

          teren_db_set_error (&tmp, rc, error);
        }
      sqlite3_close_v2 (handle);
      return NULL;
    }
  db = db_new (handle);

  /* Until the file is known to be good, closing must not checkpoint a log into it. */
  sqlite3_db_config (handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &dummy);
  sqlite3_busy_timeout (handle, BUSY_TIMEOUT_MS);

  if (sqlite3_db_readonly (handle, "main") == 1)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_READ_ONLY,
                   _("The database file “%s” cannot be written"), db_path);
      teren_db_close (db);
      return NULL;
    }

  /* A whole-file check reads every page: seconds for a registry of 100,000 persons, so
   * a large store checks its schema and the small tables needed at start (drafts to
   * restore, sync state, conflicts) here, and the rest is checked by
   * teren_store_check_integrity_async() once the window is up. A page damaged elsewhere
   * is reported by the query that meets it (TEREN_ERROR_CORRUPT), never "repaired". */
  if (created)
    checked = check_schema_version (db, db_path, &version, error);
  else if (size <= teren_db_full_check_max_bytes)
    checked = quick_check (db, db_path, NULL, error) &&
              check_schema_version (db, db_path, &version, error);
  else
    checked = check_schema_version (db, db_path, &version, error) &&
              (version == 0 ||
               (quick_check (db, db_path, "sync_meta", error) &&
                quick_check (db, db_path, "draft", error) &&
                quick_check (db, db_path, "conflict", error)));
  if (!checked)
    {
      teren_db_close (db);
      return NULL;
    }

  if (!check_pragma_text (db, "PRAGMA journal_mode = WAL", "wal"))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO,
                   _("The database “%s” cannot use a write-ahead log (%s)"), db_path,
                   sqlite3_errmsg (handle));
      teren_db_close (db);
      return NULL;
    }

  /* Every save is a savepoint inside teren_store_begin() batches (CSV import, first
   * pull): keep the savepoint journal in memory instead of writing each page it holds to
   * a temporary file, and give the writer a page cache that holds a batch's pages (KiB,
   * grows only as used). */
  if (!teren_db_exec (db, "PRAGMA synchronous = FULL", error) ||
      !teren_db_exec (db, "PRAGMA temp_store = MEMORY", error) ||
      !teren_db_exec (db, "PRAGMA cache_size = -32768", error) ||
      !teren_db_exec (db, "PRAGMA foreign_keys = ON", error) ||
      !run_migrations (db, version, error))
    {
      teren_db_close (db);
      return NULL;
    }

  sqlite3_db_config (handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, &dummy);
  return db;
}

TerenDb *
teren_db_open_reader (const char  *db_path,
                      GError     **error)
{
  sqlite3 *handle = NULL;
  TerenDb *db;
  int rc;

  rc = sqlite3_open_v2 (db_path, &handle,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      TerenDb tmp = { .db = handle };

      teren_db_set_error (&tmp, rc, error);
      sqlite3_close_v2 (handle);
      return NULL;
    }
  db = db_new (handle);
  sqlite3_busy_timeout (handle, BUSY_TIMEOUT_MS);
  /* Searches sort tens of thousands of rows for a one-letter prefix: keep the sorter in
   * memory rather than spilling runs to temporary files. Each reader keeps at most 8 MiB
   * of pages (up to four readers idle): the kernel's file cache holds the rest without
   * counting in the window's resident memory. */
  sqlite3_exec (handle, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8192", NULL, NULL, NULL);
  return db;
}
