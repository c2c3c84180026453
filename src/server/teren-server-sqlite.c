/* teren-server-sqlite.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>

#include "teren-crashpoint.h"
#include "teren-error.h"
#include "teren-json.h"
#include "teren-merge.h"
#include "teren-schema.h"
#include "teren-uuid.h"
#include "teren-server-apply.h"
#include "teren-server-sqlite.h"
#include "teren-server-sqlite-private.h"

static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE accounts (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
  "  display_name TEXT, role TEXT NOT NULL, lines TEXT NOT NULL DEFAULT '',"
  "  password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
  "  scope_version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL);"
  "CREATE TABLE scope_versions (account_id INTEGER NOT NULL, version INTEGER NOT NULL,"
  "  lines TEXT NOT NULL, PRIMARY KEY (account_id, version));"
  "CREATE TABLE devices (account_id INTEGER NOT NULL, device_id TEXT NOT NULL, name TEXT,"
  "  created_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (account_id, device_id));"
  "CREATE INDEX devices_device ON devices (device_id);"
  "CREATE TABLE tokens (hash TEXT PRIMARY KEY, account_id INTEGER NOT NULL,"
  "  device_id TEXT NOT NULL, created_at INTEGER NOT NULL, last_used INTEGER NOT NULL,"
  "  revoked INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX tokens_account ON tokens (account_id);"
  "CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT NOT NULL, line TEXT NOT NULL,"
  "  rev INTEGER NOT NULL, seq INTEGER NOT NULL, deleted INTEGER NOT NULL, fields TEXT NOT NULL,"
  "  created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL,"
  "  updated_by TEXT NOT NULL);"
  "CREATE TABLE history (record_id TEXT NOT NULL, rev INTEGER NOT NULL, seq INTEGER NOT NULL,"
  "  change_id TEXT, prev_change TEXT, op TEXT NOT NULL, device_id TEXT, account TEXT,"
  "  author TEXT, server_time TEXT NOT NULL, device_time TEXT, changed_fields TEXT NOT NULL,"
  "  fields TEXT NOT NULL, deleted INTEGER NOT NULL, PRIMARY KEY (record_id, rev));"
  "CREATE INDEX history_change ON history (change_id);"
  "CREATE TABLE applied (change_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,"
  "  status TEXT NOT NULL, answer TEXT NOT NULL, account_id INTEGER, server_time TEXT NOT NULL);"
  "CREATE TABLE feed (key TEXT NOT NULL, record_id TEXT NOT NULL, seq INTEGER NOT NULL,"
  "  PRIMARY KEY (key, record_id));"
  "CREATE INDEX feed_key_seq ON feed (key, seq);"
  "CREATE INDEX feed_record ON feed (record_id);"
  "CREATE TABLE audit (id INTEGER PRIMARY KEY, time TEXT NOT NULL, account TEXT,"
  "  device_id TEXT, action TEXT NOT NULL, record_id TEXT, change_id TEXT, detail TEXT);"
  "CREATE INDEX audit_record ON audit (record_id);"
  "CREATE TABLE nomenclature (kind TEXT NOT NULL, code TEXT NOT NULL, seq INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL, PRIMARY KEY (kind, code));"
  "CREATE INDEX nomenclature_seq ON nomenclature (seq);"
  "CREATE TABLE pending_grants (target TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (target, key));",
  /* 2: which line records reference which registry records, and the registry records that
   * left a line's scope (delivered in `purge`). */
  "CREATE TABLE refs (source TEXT NOT NULL, key TEXT NOT NULL, target TEXT NOT NULL,"
  "  PRIMARY KEY (source, target));"
  "CREATE INDEX refs_key_target ON refs (key, target);"
  "CREATE TABLE purges (key TEXT NOT NULL, record_id TEXT NOT NULL, seq INTEGER NOT NULL,"
  "  PRIMARY KEY (key, record_id));"
  "CREATE INDEX purges_key_seq ON purges (key, seq);"
  "INSERT OR IGNORE INTO refs (source, key, target)"
  "  SELECT r.id, r.line, j.value FROM records r, json_each(r.fields) j"
  "  WHERE r.line != '' AND r.deleted = 0 AND r.kind != 'sys.conflict' AND j.type = 'text'"
  "  AND EXISTS (SELECT 1 FROM feed f WHERE f.key = r.line AND f.record_id = j.value)"
  "  AND EXISTS (SELECT 1 FROM records t WHERE t.id = j.value AND t.line = '');",
  /* 3: two indexes no query uses; each cost a random B-tree insert per operation. */
  "DROP INDEX IF EXISTS history_change;"
  "DROP INDEX IF EXISTS audit_record;",
  /* 4: the integrity digest reads (id, rev, deleted) of the records of a scope from this
   * covering index (teren_sqlite_scope_ids), not from the rows with their fields. */
  "CREATE INDEX IF NOT EXISTS records_digest ON records (id, rev, deleted);",
};

/* ---- connections ---------------------------------------------------------------- */

static void
stmt_finalize (gpointer data)
{
  sqlite3_finalize (data);
}

static void
conn_close (TerenSqliteConn *conn)
{
  if (conn == NULL)
    return;
  g_clear_pointer (&conn->stmts, g_hash_table_unref);
  if (conn->db != NULL)
    sqlite3_close (conn->db);
  g_free (conn);
}

gboolean
teren_sqlite_conn_exec (TerenSqliteConn  *conn,
                        const char       *sql,
                        GError          **error)
{
  char *message = NULL;

  /* One statement (SAVEPOINT, RELEASE, COMMIT… run for every operation): prepared once. */
  if (strchr (sql, ';') == NULL)
    {
      sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          TEREN_SQLITE_FAIL (error, conn->db, "SQL");
          return FALSE;
        }
      return TRUE;
    }

  if (sqlite3_exec (conn->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "SQL: %s", message != NULL ? message : "?");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* A prepared statement for @sql (a string constant), reset and unbound. A push runs a
 * dozen statements per operation: the slot of the text's address is tried first (a
 * comparison of the text, instead of hashing it for the table). */
sqlite3_stmt *
teren_sqlite_conn_stmt (TerenSqliteConn  *conn,
                        const char       *sql,
                        GError          **error)
{
  TerenSqliteStmtSlot *slot = &conn->recent[((guintptr) sql >> 3) % TEREN_SQLITE_STMT_SLOTS];
  sqlite3_stmt *stmt = NULL;
  gpointer key = NULL;
  gpointer value = NULL;

  if (slot->sql == sql && strcmp (slot->key, sql) == 0)
    stmt = slot->stmt;
  else if (g_hash_table_lookup_extended (conn->stmts, sql, &key, &value))
    {
      stmt = value;
      *slot = (TerenSqliteStmtSlot) { sql, key, stmt };
    }

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      TEREN_SQLITE_FAIL (error, conn->db, "prepare");
      return NULL;
    }
  key = g_strdup (sql);
  g_hash_table_insert (conn->stmts, key, stmt);
  *slot = (TerenSqliteStmtSlot) { sql, key, stmt };
  return stmt;
}

static TerenSqliteConn *
conn_open (const char  *path,
           gboolean     writer,
           GError     **error)
{
  TerenSqliteConn *conn = g_new0 (TerenSqliteConn, 1);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

  if (writer)
    flags |= SQLITE_OPEN_CREATE;
  conn->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stmt_finalize);
  if (sqlite3_open_v2 (path, &conn->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot open the database %s: %s"),
                   path, conn->db != NULL ? sqlite3_errmsg (conn->db) : "?");
      conn_close (conn);
      return NULL;
    }
  sqlite3_extended_result_codes (conn->db, 1);
  sqlite3_busy_timeout (conn->db, 10000);
  /* The writer keeps 32 MiB of pages: record, history and change ids are random UUIDs,
   * so every operation touches leaves all over the B-trees. */
  if (!teren_sqlite_conn_exec (conn, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                     "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;", error) ||
      (writer && !teren_sqlite_conn_exec (conn, "PRAGMA cache_size = -32768", error)))
    {
      conn_close (conn);
      return NULL;
    }
  return conn;
}

TerenSqliteConn *
teren_sqlite_reader_get (TerenSqlite  *self,
                         GError      **error)
{
  TerenSqliteConn *conn = g_async_queue_try_pop (self->readers);

  if (conn != NULL)
    return conn;
  conn = conn_open (self->path, FALSE, error);
  if (conn == NULL)
    return NULL;
  g_mutex_lock (&self->readers_lock);
  g_ptr_array_add (self->all_readers, conn);
  g_mutex_unlock (&self->readers_lock);
  return conn;
}

void
teren_sqlite_reader_put (TerenSqlite     *self,
                         TerenSqliteConn *conn)
{
  if (conn != NULL)
    g_async_queue_push (self->readers, conn);
}

/* ---- small helpers -------------------------------------------------------------- */

char *
teren_sqlite_col_text (sqlite3_stmt *stmt,
                       int           i)
{
  const unsigned char *text = sqlite3_column_text (stmt, i);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

JsonObject *
teren_sqlite_parse_fields (const char *text)
{
  JsonObject *object = NULL;

  if (text != NULL)
    object = teren_json_parse_object (text, -1, 1000, NULL);
  return object != NULL ? object : json_object_new ();
}

gboolean
teren_sqlite_step_done (TerenSqliteConn  *conn,
                        sqlite3_stmt     *stmt,
                        GError          **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      TEREN_SQLITE_FAIL (error, conn->db, "step");
      return FALSE;
    }
  return TRUE;
}

char *
teren_sqlite_lines_join (const char * const *lines)
{
  return lines != NULL ? g_strjoinv (",", (char **) lines) : g_strdup ("");
}

GStrv
teren_sqlite_lines_split (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, ",", -1);
}

char *
teren_sqlite_account_key (gint64 account_id)
{
  return g_strdup_printf ("u:%" G_GINT64_FORMAT, account_id);
}

/* The feed keys an account reads: its lines and its own key (registry records it made). */
GPtrArray *
teren_sqlite_scope_keys (const TerenServerAccount *account)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; account->lines != NULL && account->lines[i] != NULL; i++)
    g_ptr_array_add (keys, g_strdup (account->lines[i]));
  g_ptr_array_add (keys, teren_sqlite_account_key (account->id));
  return keys;
}

/* ---- open / close ------------------------------------------------------------------ */

static gboolean
migrate (TerenSqliteConn  *conn,
         GError          **error)
{
  sqlite3_stmt *stmt;
  int version = 0;
  guint i;

  if (sqlite3_prepare_v2 (conn->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      TEREN_SQLITE_FAIL (error, conn->db, "user_version");
      return FALSE;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                   _("The database was made by a newer teren-server (version %d)."), version);
      return FALSE;
    }

  for (i = version; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!teren_sqlite_conn_exec (conn, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!teren_sqlite_conn_exec (conn, migrations[i], error) || !teren_sqlite_conn_exec (conn, set_version, error))
        {
          teren_sqlite_conn_exec (conn, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!teren_sqlite_conn_exec (conn, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

static char *
meta_get (TerenSqliteConn *conn,
          const char      *key)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "SELECT value FROM meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = teren_sqlite_col_text (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static gboolean
meta_set (TerenSqliteConn  *conn,
          const char       *key,
          const char       *value,
          GError          **error)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return teren_sqlite_step_done (conn, stmt, error);
}

gint64
teren_sqlite_query_int (TerenSqliteConn *conn,
                        const char      *sql)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, sql, NULL);
  gint64 value = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static void sqlite_free (TerenServerBackend *backend);
static const TerenServerBackendClass *sqlite_class_get (void);

/* After every commit of the writer, on its thread (under the writer lock). Replaces
 * SQLite's automatic checkpoint on the writer, the only connection that commits: a push of
 * 500 operations leaves ~2,800 pages in the log (six B-trees keyed by random UUIDs), and
 * the automatic checkpoint copied them into the database file, with an fsync, before the
 * answer could be sent. A checkpoint never changes what is committed: the answer still
 * waits for the COMMIT that holds its effects. */
static int
writer_wal_hook (void       *user_data,
                 sqlite3    *db,
                 const char *schema,
                 int         n_frames)
{
  TerenSqlite *self = user_data;

  teren_checkpointer_committed (self->checkpointer, db, schema, n_frames);
  return SQLITE_OK;
}

TerenCheckpointer *
teren_sqlite_get_checkpointer (TerenServerBackend *backend)
{
  return ((TerenSqlite *) backend)->checkpointer;
}

TerenServerBackend *
teren_server_sqlite_open (const char  *data_dir,
                          GError     **error)
{
  TerenSqlite *self;
  g_autofree char *secret_hex = NULL;
  g_autofree char *path = NULL;
  int fd;

  if (sodium_init () < 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_FAILED, "libsodium cannot start");
      return NULL;
    }
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot create the data directory %s: %s"),
                   data_dir, g_strerror (saved));
      return NULL;
    }

  path = g_build_filename (data_dir, TEREN_SERVER_DB_NAME, NULL);
  /* Create the file ourselves so it is 0600 from the start. */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot open the database %s: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  close (fd);

  self = g_new0 (TerenSqlite, 1);
  self->parent.klass = sqlite_class_get ();
  self->path = g_steal_pointer (&path);
  g_mutex_init (&self->write_lock);
  g_mutex_init (&self->queue_lock);
  g_queue_init (&self->queue);
  g_mutex_init (&self->readers_lock);
  self->readers = g_async_queue_new ();
  self->all_readers = g_ptr_array_new ();

  self->writer = conn_open (self->path, TRUE, error);
  if (self->writer != NULL)
    {
      self->checkpointer = teren_checkpointer_new (self->path);
      sqlite3_wal_hook (self->writer->db, writer_wal_hook, self);
    }
  if (self->writer == NULL || !migrate (self->writer, error) || !teren_sqlite_blobs_init (self->writer, error))
    {
      sqlite_free (&self->parent);
      return NULL;
    }

  self->epoch = meta_get (self->writer, "epoch");
  secret_hex = meta_get (self->writer, "cursor_secret");
  if (self->epoch == NULL || secret_hex == NULL ||
      sodium_hex2bin (self->secret, sizeof self->secret, secret_hex, strlen (secret_hex),
                      NULL, NULL, NULL) != 0)
    {
      char hex[65];

      g_free (self->epoch);
      self->epoch = teren_uuid_new ();
      randombytes_buf (self->secret, sizeof self->secret);
      sodium_bin2hex (hex, sizeof hex, self->secret, sizeof self->secret);
      if (!teren_sqlite_conn_exec (self->writer, "BEGIN IMMEDIATE", error) ||
          !meta_set (self->writer, "epoch", self->epoch, error) ||
          !meta_set (self->writer, "cursor_secret", hex, error) ||
          !teren_sqlite_conn_exec (self->writer, "COMMIT", error))
        {
          sodium_memzero (hex, sizeof hex);
          sqlite_free (&self->parent);
          return NULL;
        }
      sodium_memzero (hex, sizeof hex);
    }
  if (secret_hex != NULL)
    sodium_memzero (secret_hex, strlen (secret_hex));

  self->seq = MAX (MAX (teren_sqlite_query_int (self->writer, "SELECT IFNULL(MAX(seq), 0) FROM feed"),
                        teren_sqlite_query_int (self->writer, "SELECT IFNULL(MAX(seq), 0) FROM purges")),
                   MAX (teren_sqlite_query_int (self->writer, "SELECT IFNULL(MAX(seq), 0) FROM history"),
                        teren_sqlite_query_int (self->writer, "SELECT IFNULL(MAX(seq), 0) FROM nomenclature")));
  if (!teren_sqlite_epoch_open (self, error))
    {
      sqlite_free (&self->parent);
      return NULL;
    }
  return &self->parent;
}

static gboolean
sqlite_close (TerenServerBackend  *backend,
              GError             **error)
{
  TerenSqlite *self = (TerenSqlite *) backend;
  gboolean ok = TRUE;
  guint i;

  g_mutex_lock (&self->write_lock);
  if (!self->closed && self->writer != NULL)
    {
      g_mutex_lock (&self->readers_lock);
      for (i = 0; i < self->all_readers->len; i++)
        conn_close (g_ptr_array_index (self->all_readers, i));
      g_ptr_array_set_size (self->all_readers, 0);
      while (g_async_queue_try_pop (self->readers) != NULL)
        ;
      g_mutex_unlock (&self->readers_lock);
      /* The log is left empty at shutdown (a copy of the data directory, `backup` or
       * `restore` then see the whole database in its file). A checkpoint under way on the
       * checkpointer's thread would refuse the TRUNCATE (SQLITE_BUSY): it is waited for and
       * the thread stopped first; no commit comes after this (writer lock held, closed). */
      g_clear_pointer (&self->checkpointer, teren_checkpointer_free);
      ok = teren_sqlite_conn_exec (self->writer, "PRAGMA wal_checkpoint(TRUNCATE)", error);
      conn_close (self->writer);
      self->writer = NULL;
    }
  self->closed = TRUE;
  g_mutex_unlock (&self->write_lock);
  return ok;
}

static void
sqlite_free (TerenServerBackend *backend)
{
  TerenSqlite *self = (TerenSqlite *) backend;

  sqlite_close (backend, NULL);
  g_async_queue_unref (self->readers);
  g_ptr_array_unref (self->all_readers);
  g_mutex_clear (&self->write_lock);
  g_mutex_clear (&self->queue_lock);
  g_mutex_clear (&self->readers_lock);
  sodium_memzero (self->secret, sizeof self->secret);
  g_free (self->epoch);
  g_free (self->path);
  g_free (self);
}

static const char *
sqlite_get_epoch (TerenServerBackend *backend)
{
  return ((TerenSqlite *) backend)->epoch;
}

static const guint8 *
sqlite_get_secret (TerenServerBackend *backend)
{
  return ((TerenSqlite *) backend)->secret;
}


/* ---- group commit ------------------------------------------------------------------ */

/* Writes from concurrent requests (push batches, audit rows, logins) share one
 * transaction and one fsync: each caller queues a job, and whoever takes the writer lock
 * runs every queued job, each in its own SAVEPOINT, then commits once. An answer is only
 * given after the COMMIT that holds its effects. */

typedef struct _TerenSqliteWriteJob TerenSqliteWriteJob;

struct _TerenSqliteWriteJob {
  TerenSqliteWriteFunc  func;
  gpointer   data;
  gboolean   done;
  gboolean   ok;
  GError    *error;
};

static void
run_group (TerenSqlite *self,
           GQueue      *batch)
{
  GError *error = NULL;
  GList *l;
  gint64 seq_before = self->seq;
  gboolean has_push = FALSE;

  if (self->closed)
    g_set_error (&error, TEREN_ERROR, TEREN_ERROR_CANCELLED, "the server is shutting down");
  else
    teren_sqlite_conn_exec (self->writer, "BEGIN IMMEDIATE", &error);

  for (l = batch->head; l != NULL && error == NULL; l = l->next)
    {
      TerenSqliteWriteJob *job = l->data;

      if (!teren_sqlite_conn_exec (self->writer, "SAVEPOINT job", &job->error))
        continue;
      job->ok = job->func (self, self->writer, job->data, &job->error);
      has_push |= job->func == teren_sqlite_push_job;
      if (!job->ok)
        teren_sqlite_conn_exec (self->writer, "ROLLBACK TO job", NULL);
      if (!teren_sqlite_conn_exec (self->writer, "RELEASE job", job->error == NULL ? &job->error : NULL))
        job->ok = FALSE;
    }

  if (error == NULL)
    {
      /* The server's crash points (SYNC-NOTES.md §4.2, TEREN_CRASHPOINT): a group holding
       * a push dies with its whole batch written but not committed, or committed with
       * no answer given yet (the answers are built after this function returns). */
      if (has_push)
        teren_crashpoint ("push_before_commit");
      if (!teren_sqlite_conn_exec (self->writer, "COMMIT", &error))
        teren_sqlite_conn_exec (self->writer, "ROLLBACK", NULL);
      else if (has_push)
        teren_crashpoint ("push_after_commit_before_reply");
    }
  if (error != NULL)
    self->seq = MAX (self->seq, seq_before);

  for (l = batch->head; l != NULL; l = l->next)
    {
      TerenSqliteWriteJob *job = l->data;

      if (error != NULL)
        {
          job->ok = FALSE;
          g_clear_error (&job->error);
          job->error = g_error_copy (error);
        }
      else if (!job->ok && job->error == NULL)
        {
          g_set_error (&job->error, TEREN_ERROR, TEREN_ERROR_FAILED, "write failed");
        }
      job->done = TRUE;
    }
  g_clear_error (&error);
}

gboolean
teren_sqlite_group_write (TerenSqlite           *self,
                          TerenSqliteWriteFunc   func,
                          gpointer               data,
                          GError               **error)
{
  TerenSqliteWriteJob job = { func, data, FALSE, FALSE, NULL };

  g_mutex_lock (&self->queue_lock);
  g_queue_push_tail (&self->queue, &job);
  g_mutex_unlock (&self->queue_lock);

  g_mutex_lock (&self->write_lock);
  if (!job.done)
    {
      GQueue batch;

      g_mutex_lock (&self->queue_lock);
      batch = self->queue;
      g_queue_init (&self->queue);
      g_mutex_unlock (&self->queue_lock);
      run_group (self, &batch);
      g_queue_clear (&batch);
    }
  g_mutex_unlock (&self->write_lock);

  if (!job.ok)
    {
      g_propagate_error (error, job.error);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
teren_sqlite_feed_keys_of (TerenSqliteConn  *conn,
                           const char       *record_id,
                           GError          **error)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "SELECT key FROM feed WHERE record_id = ?", error);
  GPtrArray *keys;

  if (stmt == NULL)
    return NULL;
  keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (keys, teren_sqlite_col_text (stmt, 0));
  sqlite3_reset (stmt);
  return keys;
}

GHashTable *
teren_sqlite_string_set_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

gboolean
teren_sqlite_audit_row (TerenSqliteConn  *conn,
                        const char       *account,
                        const char       *device_id,
                        const char       *action,
                        const char       *record_id,
                        const char       *change_id,
                        const char       *detail,
                        GError          **error)
{
  g_autofree char *now = teren_now_iso8601 ();

  return teren_sqlite_audit_row_at (conn, now, account, device_id, action, record_id, change_id, detail, error);
}

gboolean
teren_sqlite_audit_row_at (TerenSqliteConn  *conn,
                           const char       *now,
                           const char       *account,
                           const char       *device_id,
                           const char       *action,
                           const char       *record_id,
                           const char       *change_id,
                           const char       *detail,
                           GError          **error)
{
  sqlite3_stmt *stmt = teren_sqlite_conn_stmt (conn, "INSERT INTO audit (time, account, device_id, action, record_id, "
                                        "change_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, account, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, change_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, detail, -1, SQLITE_STATIC);
  return teren_sqlite_step_done (conn, stmt, error);
}

gboolean
teren_sqlite_writer_tx (TerenSqlite  *self,
                        GError      **error)
{
  return teren_sqlite_conn_exec (self->writer, "BEGIN IMMEDIATE", error);
}

gboolean
teren_sqlite_writer_commit (TerenSqlite  *self,
                            gboolean      ok,
                            GError      **error)
{
  if (ok)
    ok = teren_sqlite_conn_exec (self->writer, "COMMIT", error);
  if (!ok)
    teren_sqlite_conn_exec (self->writer, "ROLLBACK", NULL);
  return ok;
}


/* The class, filled once: its own methods here, the others by the backend's files. */
static const TerenServerBackendClass *
sqlite_class_get (void)
{
  static TerenServerBackendClass klass;
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      klass.free = sqlite_free;
      klass.close = sqlite_close;
      klass.get_epoch = sqlite_get_epoch;
      klass.get_secret = sqlite_get_secret;
      teren_sqlite_push_class_init (&klass);
      teren_sqlite_feed_class_init (&klass);
      teren_sqlite_accounts_class_init (&klass);
      teren_sqlite_blobs_class_init (&klass);
      teren_sqlite_epoch_class_init (&klass);
      g_once_init_leave (&ready, 1);
    }
  return &klass;
}
