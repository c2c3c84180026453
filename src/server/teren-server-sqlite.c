/* teren-server-sqlite.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-merge.h"
#include "teren-schema.h"
#include "teren-uuid.h"
#include "teren-server-apply.h"
#include "teren-server-sqlite.h"

/* One connection with its prepared statements, used by one thread at a time. */
typedef struct {
  sqlite3    *db;
  GHashTable *stmts;   /* SQL text (static) → sqlite3_stmt* */
} Conn;

typedef struct {
  TerenServerBackend  parent;
  char               *path;
  Conn               *writer;
  GMutex              write_lock;
  GMutex              queue_lock;
  GQueue              queue;       /* WriteJob* waiting for the next group commit */
  GAsyncQueue        *readers;     /* idle reader Conn* */
  GMutex              readers_lock;
  GPtrArray          *all_readers; /* every reader Conn*, to close them */
  gint64              seq;         /* last seq given (under write_lock) */
  char               *epoch;
  guint8              secret[32];
  gboolean            closed;
} Sqlite;

#define DB_FAIL(error, db, what) \
  g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", what, sqlite3_errmsg (db))

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
};

/* ---- connections ---------------------------------------------------------------- */

static void
stmt_finalize (gpointer data)
{
  sqlite3_finalize (data);
}

static void
conn_close (Conn *conn)
{
  if (conn == NULL)
    return;
  g_clear_pointer (&conn->stmts, g_hash_table_unref);
  if (conn->db != NULL)
    sqlite3_close (conn->db);
  g_free (conn);
}

static gboolean
conn_exec (Conn        *conn,
           const char  *sql,
           GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (conn->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "SQL: %s", message != NULL ? message : "?");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* A prepared statement for @sql (a string constant), reset and unbound. */
static sqlite3_stmt *
conn_stmt (Conn        *conn,
           const char  *sql,
           GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      DB_FAIL (error, conn->db, "prepare");
      return NULL;
    }
  g_hash_table_insert (conn->stmts, (gpointer) sql, stmt);
  return stmt;
}

static Conn *
conn_open (const char  *path,
           gboolean     writer,
           GError     **error)
{
  Conn *conn = g_new0 (Conn, 1);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

  if (writer)
    flags |= SQLITE_OPEN_CREATE;
  conn->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, stmt_finalize);
  if (sqlite3_open_v2 (path, &conn->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot open the database %s: %s"),
                   path, conn->db != NULL ? sqlite3_errmsg (conn->db) : "?");
      conn_close (conn);
      return NULL;
    }
  sqlite3_extended_result_codes (conn->db, 1);
  sqlite3_busy_timeout (conn->db, 10000);
  if (!conn_exec (conn, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                        "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;", error))
    {
      conn_close (conn);
      return NULL;
    }
  return conn;
}

static Conn *
reader_get (Sqlite  *self,
            GError **error)
{
  Conn *conn = g_async_queue_try_pop (self->readers);

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

static void
reader_put (Sqlite *self,
            Conn   *conn)
{
  if (conn != NULL)
    g_async_queue_push (self->readers, conn);
}

/* ---- small helpers -------------------------------------------------------------- */

static char *
col_text (sqlite3_stmt *stmt,
          int           i)
{
  const unsigned char *text = sqlite3_column_text (stmt, i);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static JsonObject *
parse_fields (const char *text)
{
  JsonObject *object = NULL;

  if (text != NULL)
    object = teren_json_parse_object (text, -1, 1000, NULL);
  return object != NULL ? object : json_object_new ();
}

static gboolean
step_done (Conn         *conn,
           sqlite3_stmt *stmt,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      DB_FAIL (error, conn->db, "step");
      return FALSE;
    }
  return TRUE;
}

static char *
lines_join (const char * const *lines)
{
  return lines != NULL ? g_strjoinv (",", (char **) lines) : g_strdup ("");
}

static GStrv
lines_split (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, ",", -1);
}

static char *
account_key (gint64 account_id)
{
  return g_strdup_printf ("u:%" G_GINT64_FORMAT, account_id);
}

/* The feed keys an account reads: its lines and its own key (registry records it made). */
static GPtrArray *
scope_keys (const TerenServerAccount *account)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; account->lines != NULL && account->lines[i] != NULL; i++)
    g_ptr_array_add (keys, g_strdup (account->lines[i]));
  g_ptr_array_add (keys, account_key (account->id));
  return keys;
}

/* ---- open / close ------------------------------------------------------------------ */

static gboolean
migrate (Conn    *conn,
         GError **error)
{
  sqlite3_stmt *stmt;
  int version = 0;
  guint i;

  if (sqlite3_prepare_v2 (conn->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      DB_FAIL (error, conn->db, "user_version");
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

      if (!conn_exec (conn, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!conn_exec (conn, migrations[i], error) || !conn_exec (conn, set_version, error))
        {
          conn_exec (conn, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!conn_exec (conn, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

static char *
meta_get (Conn       *conn,
          const char *key)
{
  sqlite3_stmt *stmt = conn_stmt (conn, "SELECT value FROM meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = col_text (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static gboolean
meta_set (Conn        *conn,
          const char  *key,
          const char  *value,
          GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return step_done (conn, stmt, error);
}

static gint64
query_int (Conn       *conn,
           const char *sql)
{
  sqlite3_stmt *stmt = conn_stmt (conn, sql, NULL);
  gint64 value = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static void sqlite_free (TerenServerBackend *backend);
static const TerenServerBackendClass sqlite_class;

TerenServerBackend *
teren_server_sqlite_open (const char  *data_dir,
                          GError     **error)
{
  Sqlite *self;
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

  self = g_new0 (Sqlite, 1);
  self->parent.klass = &sqlite_class;
  self->path = g_steal_pointer (&path);
  g_mutex_init (&self->write_lock);
  g_mutex_init (&self->queue_lock);
  g_queue_init (&self->queue);
  g_mutex_init (&self->readers_lock);
  self->readers = g_async_queue_new ();
  self->all_readers = g_ptr_array_new ();

  self->writer = conn_open (self->path, TRUE, error);
  if (self->writer == NULL || !migrate (self->writer, error))
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
      if (!conn_exec (self->writer, "BEGIN IMMEDIATE", error) ||
          !meta_set (self->writer, "epoch", self->epoch, error) ||
          !meta_set (self->writer, "cursor_secret", hex, error) ||
          !conn_exec (self->writer, "COMMIT", error))
        {
          sodium_memzero (hex, sizeof hex);
          sqlite_free (&self->parent);
          return NULL;
        }
      sodium_memzero (hex, sizeof hex);
    }
  if (secret_hex != NULL)
    sodium_memzero (secret_hex, strlen (secret_hex));

  self->seq = MAX (query_int (self->writer, "SELECT IFNULL(MAX(seq), 0) FROM feed"),
                   MAX (query_int (self->writer, "SELECT IFNULL(MAX(seq), 0) FROM history"),
                        query_int (self->writer, "SELECT IFNULL(MAX(seq), 0) FROM nomenclature")));
  return &self->parent;
}

static gboolean
sqlite_close (TerenServerBackend  *backend,
              GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
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
      ok = conn_exec (self->writer, "PRAGMA wal_checkpoint(TRUNCATE)", error);
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
  Sqlite *self = (Sqlite *) backend;

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
  return ((Sqlite *) backend)->epoch;
}

static const guint8 *
sqlite_get_secret (TerenServerBackend *backend)
{
  return ((Sqlite *) backend)->secret;
}

#define WRITER_BEGIN(self, error) \
  G_STMT_START { \
    g_mutex_lock (&(self)->write_lock); \
    if ((self)->closed) \
      { \
        g_mutex_unlock (&(self)->write_lock); \
        g_set_error (error, TEREN_ERROR, TEREN_ERROR_CANCELLED, "the server is shutting down"); \
        return FALSE; \
      } \
  } G_STMT_END

#define WRITER_END(self) g_mutex_unlock (&(self)->write_lock)

/* ---- group commit ------------------------------------------------------------------ */

/* Writes from concurrent requests (push batches, audit rows, logins) share one
 * transaction and one fsync: each caller queues a job, and whoever takes the writer lock
 * runs every queued job, each in its own SAVEPOINT, then commits once. An answer is only
 * given after the COMMIT that holds its effects. */

typedef struct _WriteJob WriteJob;
typedef gboolean (*WriteFunc) (Sqlite *self, Conn *conn, gpointer data, GError **error);

struct _WriteJob {
  WriteFunc  func;
  gpointer   data;
  gboolean   done;
  gboolean   ok;
  GError    *error;
};

static gboolean push_job (Sqlite *self, Conn *conn, gpointer data, GError **error);

static void
run_group (Sqlite *self,
           GQueue *batch)
{
  GError *error = NULL;
  GList *l;
  gint64 seq_before = self->seq;
  gboolean has_push = FALSE;

  if (self->closed)
    g_set_error (&error, TEREN_ERROR, TEREN_ERROR_CANCELLED, "the server is shutting down");
  else
    conn_exec (self->writer, "BEGIN IMMEDIATE", &error);

  for (l = batch->head; l != NULL && error == NULL; l = l->next)
    {
      WriteJob *job = l->data;

      if (!conn_exec (self->writer, "SAVEPOINT job", &job->error))
        continue;
      job->ok = job->func (self, self->writer, job->data, &job->error);
      has_push |= job->func == push_job;
      if (!job->ok)
        conn_exec (self->writer, "ROLLBACK TO job", NULL);
      if (!conn_exec (self->writer, "RELEASE job", job->error == NULL ? &job->error : NULL))
        job->ok = FALSE;
    }

  if (error == NULL)
    {
      /* Fault injection for the crash tests (SYNC-NOTES.md §4.2). */
      if (has_push && g_strcmp0 (g_getenv ("TEREN_SERVER_CRASHPOINT"), "push_before_commit") == 0)
        raise (SIGKILL);
      if (!conn_exec (self->writer, "COMMIT", &error))
        conn_exec (self->writer, "ROLLBACK", NULL);
    }
  if (error != NULL)
    self->seq = MAX (self->seq, seq_before);

  for (l = batch->head; l != NULL; l = l->next)
    {
      WriteJob *job = l->data;

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

static gboolean
group_write (Sqlite     *self,
             WriteFunc   func,
             gpointer    data,
             GError    **error)
{
  WriteJob job = { func, data, FALSE, FALSE, NULL };

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

/* ---- push ------------------------------------------------------------------------ */

typedef struct {
  gint64  seq;
  char   *updated_by;
  char   *updated_at;
} Current;

static void
current_clear (Current *current)
{
  g_clear_pointer (&current->updated_by, g_free);
  g_clear_pointer (&current->updated_at, g_free);
}

static GPtrArray *
feed_keys_of (Conn        *conn,
              const char  *record_id,
              GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, "SELECT key FROM feed WHERE record_id = ?", error);
  GPtrArray *keys;

  if (stmt == NULL)
    return NULL;
  keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (keys, col_text (stmt, 0));
  sqlite3_reset (stmt);
  return keys;
}

static gboolean
record_in_scope (Conn                     *conn,
                 const TerenServerAccount *account,
                 const char               *record_id,
                 const char               *line)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree char *own = NULL;
  guint i;

  if (line != NULL && line[0] != '\0')
    return teren_server_account_has_line (account, line);

  keys = feed_keys_of (conn, record_id, NULL);
  if (keys == NULL)
    return FALSE;
  own = account_key (account->id);
  for (i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      if (strcmp (key, own) == 0 || teren_server_account_has_line (account, key))
        return TRUE;
    }
  return FALSE;
}

static GHashTable *
string_set_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
add_json_keys (GHashTable *set,
               const char *json_array)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;
  guint i;

  if (json_array == NULL)
    return;
  node = teren_json_parse (json_array, -1, 8, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (array); i++)
    {
      const char *key = json_array_get_string_element (array, i);

      if (key != NULL)
        g_hash_table_add (set, g_strdup (key));
    }
}

typedef struct {
  gint64  rev;
  char   *change_id;
  char   *prev_change;
  char   *changed_fields;
  char   *op;
} Rev;

static void
rev_free (gpointer data)
{
  Rev *rev = data;

  g_free (rev->change_id);
  g_free (rev->prev_change);
  g_free (rev->changed_fields);
  g_free (rev->op);
  g_free (rev);
}

static gboolean
load_state (Conn                     *conn,
            const TerenServerAccount *account,
            const TerenOp            *op,
            TerenServerRecordState   *state,
            Current                  *current,
            GError                  **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) revs = NULL;
  g_autoptr(GHashTable) chain = NULL;
  const char *walk;
  guint i;

  stmt = conn_stmt (conn, "SELECT kind, line, rev, deleted, fields, seq, updated_by, updated_at "
                          "FROM records WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->record_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      state->exists = TRUE;
      state->kind = col_text (stmt, 0);
      state->line = col_text (stmt, 1);
      state->rev = sqlite3_column_int64 (stmt, 2);
      state->deleted = sqlite3_column_int (stmt, 3) != 0;
      state->fields = parse_fields ((const char *) sqlite3_column_text (stmt, 4));
      current->seq = sqlite3_column_int64 (stmt, 5);
      current->updated_by = col_text (stmt, 6);
      current->updated_at = col_text (stmt, 7);
    }
  sqlite3_reset (stmt);

  state->server_changed = string_set_new ();
  if (!state->exists)
    {
      state->fields = json_object_new ();
      state->base_fields = json_object_new ();
      return TRUE;
    }

  state->in_scope = record_in_scope (conn, account, op->record_id, state->line);

  /* Revisions after the base, and the operation's own chain among them. */
  revs = g_ptr_array_new_with_free_func (rev_free);
  stmt = conn_stmt (conn, "SELECT rev, change_id, prev_change, changed_fields, op FROM history "
                          "WHERE record_id = ? AND rev > ? ORDER BY rev", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->record_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, op->base_rev);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Rev *rev = g_new0 (Rev, 1);

      rev->rev = sqlite3_column_int64 (stmt, 0);
      rev->change_id = col_text (stmt, 1);
      rev->prev_change = col_text (stmt, 2);
      rev->changed_fields = col_text (stmt, 3);
      rev->op = col_text (stmt, 4);
      g_ptr_array_add (revs, rev);
    }
  sqlite3_reset (stmt);

  chain = g_hash_table_new (g_direct_hash, g_direct_equal);
  walk = op->prev_change;
  while (walk != NULL)
    {
      const char *next = NULL;

      for (i = 0; i < revs->len; i++)
        {
          Rev *rev = g_ptr_array_index (revs, i);

          if (rev->change_id != NULL && strcmp (rev->change_id, walk) == 0 &&
              !g_hash_table_contains (chain, rev))
            {
              g_hash_table_add (chain, rev);
              next = rev->prev_change;
              break;
            }
        }
      walk = next;
    }

  for (i = 0; i < revs->len; i++)
    {
      Rev *rev = g_ptr_array_index (revs, i);

      if (g_hash_table_contains (chain, rev))
        continue;
      add_json_keys (state->server_changed, rev->changed_fields);
      if (g_strcmp0 (rev->op, "delete") == 0)
        state->deleted_since_base = TRUE;
    }

  if (op->base_rev > 0)
    {
      stmt = conn_stmt (conn, "SELECT fields FROM history WHERE record_id = ? AND rev = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, op->base_rev);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        state->base_fields = parse_fields ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  if (state->base_fields == NULL)
    state->base_fields = json_object_new ();
  return TRUE;
}

static gboolean
feed_put (Conn        *conn,
          const char  *key,
          const char  *record_id,
          gint64       seq,
          GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, "INSERT OR REPLACE INTO feed (key, record_id, seq) VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, seq);
  return step_done (conn, stmt, error);
}

static gboolean
feed_touch (Conn        *conn,
            const char  *record_id,
            gint64       seq,
            GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, "UPDATE feed SET seq = ? WHERE record_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
  return step_done (conn, stmt, error);
}

static gboolean grant_references (Sqlite *self, Conn *conn, const char *key, const char *kind,
                                  JsonObject *fields, guint depth, GError **error);

/* Gives the feed key @key a row for the registry record @target (a grant), with a new seq;
 * remembered for later if @target is not there yet. */
static gboolean
grant (Sqlite      *self,
       Conn        *conn,
       const char  *key,
       const char  *target,
       guint        depth,
       GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *kind = NULL;
  g_autoptr(JsonObject) fields = NULL;
  gboolean found = FALSE;

  if (depth > 4)
    return TRUE;

  stmt = conn_stmt (conn, "SELECT 1 FROM feed WHERE key = ? AND record_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, target, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (found)
    return TRUE;

  stmt = conn_stmt (conn, "SELECT kind, fields FROM records WHERE id = ? AND line = ''", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      kind = col_text (stmt, 0);
      fields = parse_fields ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (!found)
    {
      stmt = conn_stmt (conn, "INSERT OR IGNORE INTO pending_grants (target, key) VALUES (?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
      return step_done (conn, stmt, error);
    }

  if (!feed_put (conn, key, target, ++self->seq, error))
    return FALSE;
  return grant_references (self, conn, key, kind, fields, depth + 1, error);
}

static gboolean
grant_references (Sqlite      *self,
                  Conn        *conn,
                  const char  *key,
                  const char  *kind,
                  JsonObject  *fields,
                  guint        depth,
                  GError     **error)
{
  g_autoptr(GPtrArray) refs = teren_server_registry_references (kind, fields);
  guint i;

  for (i = 0; i < refs->len; i++)
    if (!grant (self, conn, key, g_ptr_array_index (refs, i), depth, error))
      return FALSE;
  return TRUE;
}

typedef struct {
  const char *id;
  const char *kind;
  const char *line;
  gint64      rev;
  gint64      seq;
  gboolean    deleted;
  JsonObject *fields;
  const char *updated_by;
  const char *updated_at;
} RecordView;

/* Writes a new revision of a record: records row, history row, feed rows and grants.
 * @copy_keys_from: for a new registry-line system record (a conflict of a registry
 * record), the record whose feed keys it gets. */
static gboolean
write_revision (Sqlite                  *self,
                Conn                    *conn,
                const TerenServerCaller *caller,
                const TerenOp           *op,
                const char              *op_name,
                const char              *record_id,
                const char              *kind,
                const char              *line,
                gboolean                 exists,
                gint64                   new_rev,
                gboolean                 deleted,
                JsonObject              *fields,
                GPtrArray               *changed,
                const char              *now,
                const char              *copy_keys_from,
                gint64                  *out_seq,
                GError                 **error)
{
  g_autofree char *fields_text = teren_json_object_to_string (fields);
  g_autofree char *changed_text = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) changed_node = NULL;
  sqlite3_stmt *stmt;
  gint64 seq = ++self->seq;
  guint i;

  json_builder_begin_array (builder);
  for (i = 0; changed != NULL && i < changed->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (changed, i));
  json_builder_end_array (builder);
  changed_node = json_builder_get_root (builder);
  changed_text = teren_json_to_string (changed_node);

  if (exists)
    {
      stmt = conn_stmt (conn, "UPDATE records SET rev = ?, seq = ?, deleted = ?, fields = ?, "
                              "updated_at = ?, updated_by = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, new_rev);
      sqlite3_bind_int64 (stmt, 2, seq);
      sqlite3_bind_int (stmt, 3, deleted ? 1 : 0);
      sqlite3_bind_text (stmt, 4, fields_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, caller->account->username, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, record_id, -1, SQLITE_STATIC);
    }
  else
    {
      stmt = conn_stmt (conn, "INSERT INTO records (id, kind, line, rev, seq, deleted, fields, "
                              "created_at, created_by, updated_at, updated_by) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, line, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, new_rev);
      sqlite3_bind_int64 (stmt, 5, seq);
      sqlite3_bind_int (stmt, 6, deleted ? 1 : 0);
      sqlite3_bind_text (stmt, 7, fields_text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, caller->account->username, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 10, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 11, caller->account->username, -1, SQLITE_STATIC);
    }
  if (!step_done (conn, stmt, error))
    return FALSE;

  stmt = conn_stmt (conn, "INSERT INTO history (record_id, rev, seq, change_id, prev_change, op, "
                          "device_id, account, author, server_time, device_time, changed_fields, "
                          "fields, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, new_rev);
  sqlite3_bind_int64 (stmt, 3, seq);
  if (op != NULL)
    {
      sqlite3_bind_text (stmt, 4, op->change_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, op->prev_change, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, op->author, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 11, op->device_time, -1, SQLITE_STATIC);
    }
  sqlite3_bind_text (stmt, 6, op_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, caller->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, caller->account->username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, changed_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, fields_text, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 14, deleted ? 1 : 0);
  if (!step_done (conn, stmt, error))
    return FALSE;

  /* Feed rows. */
  if (line[0] != '\0')
    {
      if (!feed_put (conn, line, record_id, seq, error))
        return FALSE;
      if (!deleted && !grant_references (self, conn, line, kind, fields, 0, error))
        return FALSE;
    }
  else
    {
      g_autoptr(GPtrArray) keys = NULL;

      if (exists && !feed_touch (conn, record_id, seq, error))
        return FALSE;
      if (!exists)
        {
          g_autoptr(GPtrArray) from_keys = NULL;

          if (copy_keys_from != NULL)
            {
              from_keys = feed_keys_of (conn, copy_keys_from, error);
              if (from_keys == NULL)
                return FALSE;
              for (i = 0; i < from_keys->len; i++)
                if (!feed_put (conn, g_ptr_array_index (from_keys, i), record_id, seq, error))
                  return FALSE;
            }
          else
            {
              g_autofree char *own = account_key (caller->account->id);
              GPtrArray *pending = g_ptr_array_new_with_free_func (g_free);

              if (!feed_put (conn, own, record_id, seq, error))
                {
                  g_ptr_array_unref (pending);
                  return FALSE;
                }
              /* Grants asked for before this record existed. */
              stmt = conn_stmt (conn, "SELECT key FROM pending_grants WHERE target = ?", error);
              if (stmt == NULL)
                {
                  g_ptr_array_unref (pending);
                  return FALSE;
                }
              sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
              while (sqlite3_step (stmt) == SQLITE_ROW)
                g_ptr_array_add (pending, col_text (stmt, 0));
              sqlite3_reset (stmt);
              for (i = 0; i < pending->len; i++)
                if (!feed_put (conn, g_ptr_array_index (pending, i), record_id, seq, error))
                  {
                    g_ptr_array_unref (pending);
                    return FALSE;
                  }
              g_ptr_array_unref (pending);
              stmt = conn_stmt (conn, "DELETE FROM pending_grants WHERE target = ?", error);
              if (stmt == NULL)
                return FALSE;
              sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
              if (!step_done (conn, stmt, error))
                return FALSE;
            }
        }
      if (!deleted && teren_schema_lookup_kind (kind) != NULL)
        {
          keys = feed_keys_of (conn, record_id, error);
          if (keys == NULL)
            return FALSE;
          for (i = 0; i < keys->len; i++)
            if (!grant_references (self, conn, g_ptr_array_index (keys, i), kind, fields, 0, error))
              return FALSE;
        }
    }

  *out_seq = seq;
  return TRUE;
}

static void
add_record_view (JsonBuilder      *builder,
                 const RecordView *view)
{
  JsonObject *empty;

  json_builder_set_member_name (builder, "record");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, view->id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, view->kind);
  json_builder_set_member_name (builder, "line");
  json_builder_add_string_value (builder, view->line);
  json_builder_set_member_name (builder, "rev");
  json_builder_add_int_value (builder, view->rev);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, view->seq);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, view->deleted);
  json_builder_set_member_name (builder, "fields");
  empty = json_object_new ();
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (),
                                                          view->deleted ? empty : view->fields));
  json_object_unref (empty);
  json_builder_set_member_name (builder, "updated_by");
  json_builder_add_string_value (builder, view->updated_by);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, view->updated_at);
  json_builder_end_object (builder);
}

static void
add_value_or_null (JsonBuilder *builder,
                   JsonNode    *value)
{
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_value (builder, json_node_copy (value));
}

static char *
rejected_answer (const TerenOp             *op,
                 const TerenServerDecision *decision)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint i;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "change_id");
  json_builder_add_string_value (builder, op->change_id);
  json_builder_set_member_name (builder, "record_id");
  json_builder_add_string_value (builder, op->record_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "rejected");
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, decision->code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, decision->message);
  if (decision->field_errors != NULL && decision->field_errors->len > 0)
    {
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_object (builder);
      for (i = 0; i < decision->field_errors->len; i++)
        {
          TerenFieldError *fe = g_ptr_array_index (decision->field_errors, i);

          json_builder_set_member_name (builder, fe->field);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, fe->code);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, fe->message);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      /* The same as a list, for clients that prefer it. */
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (i = 0; i < decision->field_errors->len; i++)
        {
          TerenFieldError *fe = g_ptr_array_index (decision->field_errors, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, fe->field);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, fe->code);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, fe->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return teren_json_to_string (root);
}

static gboolean
store_applied (Conn        *conn,
               const TerenServerCaller *caller,
               const char  *change_id,
               const char  *fingerprint,
               const char  *status,
               const char  *answer,
               const char  *now,
               GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, "INSERT INTO applied (change_id, fingerprint, status, answer, "
                                        "account_id, server_time) VALUES (?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, change_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, fingerprint, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, answer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, caller->account->id);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  return step_done (conn, stmt, error);
}

static gboolean
audit_row (Conn        *conn,
           const char  *account,
           const char  *device_id,
           const char  *action,
           const char  *record_id,
           const char  *change_id,
           const char  *detail,
           GError     **error)
{
  g_autofree char *now = teren_now_iso8601 ();
  sqlite3_stmt *stmt = conn_stmt (conn, "INSERT INTO audit (time, account, device_id, action, record_id, "
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
  return step_done (conn, stmt, error);
}

static char *
push_audit_detail (const char *status,
                   GPtrArray  *changed)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint i;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  for (i = 0; changed != NULL && i < changed->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (changed, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return teren_json_to_string (root);
}

/* Closes the open sys.conflict records named by @op->resolves that belong to its record. */
static gboolean
close_conflicts (Sqlite                  *self,
                 Conn                    *conn,
                 const TerenServerCaller *caller,
                 const TerenOp           *op,
                 const char              *now,
                 GError                 **error)
{
  guint i;

  for (i = 0; op->resolves != NULL && op->resolves[i] != NULL; i++)
    {
      sqlite3_stmt *stmt;
      g_autoptr(JsonObject) fields = NULL;
      g_autofree char *line = NULL;
      gint64 rev = 0, seq = 0;
      gboolean found = FALSE;

      stmt = conn_stmt (conn, "SELECT line, rev, fields FROM records WHERE id = ? AND kind = '"
                              TEREN_CONFLICT_KIND "' AND deleted = 0", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, op->resolves[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          found = TRUE;
          line = col_text (stmt, 0);
          rev = sqlite3_column_int64 (stmt, 1);
          fields = parse_fields ((const char *) sqlite3_column_text (stmt, 2));
        }
      sqlite3_reset (stmt);
      if (!found ||
          g_strcmp0 (teren_json_get_string (fields, "record", NULL), op->record_id) != 0 ||
          g_strcmp0 (teren_json_get_string (fields, "status", NULL), "open") != 0)
        continue;

      {
        g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);

        json_object_set_string_member (fields, "status", "resolved");
        json_object_set_string_member (fields, "resolved_by", caller->account->username);
        json_object_set_string_member (fields, "resolved_change", op->change_id);
        g_ptr_array_add (changed, g_strdup ("status"));
        if (!write_revision (self, conn, caller, NULL, "update", op->resolves[i], TEREN_CONFLICT_KIND,
                             line, TRUE, rev + 1, FALSE, fields, changed, now, NULL, &seq, error))
          return FALSE;
      }
    }
  return TRUE;
}

static gboolean
push_one (Sqlite                  *self,
          Conn                    *conn,
          const TerenServerCaller *caller,
          TerenOp                 *op,
          char                   **out_answer,
          GError                 **error)
{
  const TerenServerAccount *account = caller->account;
  g_autofree char *fingerprint = teren_server_op_fingerprint (op);
  g_autofree char *now = teren_now_iso8601 ();
  g_autofree char *answer = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *conflict_id = NULL;
  TerenServerRecordState state = { 0 };
  TerenServerDecision decision = { 0 };
  Current current = { 0 };
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gboolean found = FALSE;
  g_autofree char *stored_fp = NULL;
  g_autofree char *stored_answer = NULL;
  g_autofree char *stored_status = NULL;

  /* (a) idempotency */
  stmt = conn_stmt (conn, "SELECT fingerprint, answer, status FROM applied WHERE change_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->change_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      stored_fp = col_text (stmt, 0);
      stored_answer = col_text (stmt, 1);
      stored_status = col_text (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (found)
    {
      if (g_strcmp0 (stored_fp, fingerprint) == 0)
        {
          g_autoptr(JsonObject) object = teren_json_parse_object (stored_answer, -1, 1000, NULL);

          if (object == NULL)
            object = json_object_new ();
          json_object_set_string_member (object, "status", "duplicate");
          json_object_set_string_member (object, "original_status", stored_status);
          *out_answer = teren_json_object_to_string (object);
        }
      else
        {
          decision.code = g_strdup ("change_id_reused");
          decision.message = g_strdup (_("This change id was already used for another operation."));
          *out_answer = rejected_answer (op, &decision);
          teren_server_decision_clear (&decision);
        }
      return TRUE;
    }

  /* (b, c) authorisation and validation that need no stored state */
  if (!teren_server_precheck_op (account, op, &decision))
    goto store;

  if (!load_state (conn, account, op, &state, &current, error))
    goto out;

  teren_server_decide (account, op, &state, &decision);

  switch (decision.outcome)
    {
    case TEREN_SERVER_OUTCOME_REJECT:
      break;

    case TEREN_SERVER_OUTCOME_UNCHANGED:
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;
        RecordView view = { op->record_id, state.kind, state.line, state.rev, current.seq, state.deleted,
                            state.fields, current.updated_by, current.updated_at };

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "change_id");
        json_builder_add_string_value (builder, op->change_id);
        json_builder_set_member_name (builder, "record_id");
        json_builder_add_string_value (builder, op->record_id);
        json_builder_set_member_name (builder, "status");
        json_builder_add_string_value (builder, "applied");
        json_builder_set_member_name (builder, "rev");
        json_builder_add_int_value (builder, state.rev);
        json_builder_set_member_name (builder, "seq");
        json_builder_add_int_value (builder, current.seq);
        add_record_view (builder, &view);
        json_builder_end_object (builder);
        root = json_builder_get_root (builder);
        answer = teren_json_to_string (root);
        break;
      }

    case TEREN_SERVER_OUTCOME_WRITE:
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;
        gint64 new_rev = state.exists ? state.rev + 1 : 1;
        gint64 seq = 0;
        RecordView view;
        guint i;

        if (!write_revision (self, conn, caller, op, teren_op_type_to_string (op->op), op->record_id,
                             op->kind, op->line, state.exists, new_rev, decision.deleted,
                             decision.fields, decision.changed, now, NULL, &seq, error))
          goto out;

        if (decision.conflicts != NULL && decision.conflicts->len > 0)
          {
            g_autoptr(JsonObject) cfields = teren_merge_conflict_fields (op->record_id, op->kind, "field",
                                                                         op->change_id, account->username,
                                                                         decision.conflicts, NULL);
            g_autoptr(GPtrArray) ckeys = teren_merge_patch_keys (cfields);
            gint64 cseq = 0;

            conflict_id = teren_uuid_new ();
            if (!write_revision (self, conn, caller, NULL, "create", conflict_id, TEREN_CONFLICT_KIND,
                                 op->line, FALSE, 1, FALSE, cfields, ckeys, now,
                                 op->line[0] == '\0' ? op->record_id : NULL, &cseq, error))
              goto out;
          }
        if (!close_conflicts (self, conn, caller, op, now, error))
          goto out;

        view = (RecordView) { op->record_id, op->kind, op->line, new_rev, seq, decision.deleted,
                              decision.fields, account->username, now };
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "change_id");
        json_builder_add_string_value (builder, op->change_id);
        json_builder_set_member_name (builder, "record_id");
        json_builder_add_string_value (builder, op->record_id);
        json_builder_set_member_name (builder, "status");
        json_builder_add_string_value (builder, decision.status);
        json_builder_set_member_name (builder, "rev");
        json_builder_add_int_value (builder, new_rev);
        json_builder_set_member_name (builder, "seq");
        json_builder_add_int_value (builder, seq);
        add_record_view (builder, &view);
        if (conflict_id != NULL)
          {
            json_builder_set_member_name (builder, "conflict_id");
            json_builder_add_string_value (builder, conflict_id);
            json_builder_set_member_name (builder, "reason");
            json_builder_add_string_value (builder, "field");
            json_builder_set_member_name (builder, "conflicts");
            json_builder_begin_array (builder);
            for (i = 0; i < decision.conflicts->len; i++)
              {
                TerenMergeConflict *conflict = g_ptr_array_index (decision.conflicts, i);

                json_builder_begin_object (builder);
                json_builder_set_member_name (builder, "field");
                json_builder_add_string_value (builder, conflict->field);
                json_builder_set_member_name (builder, "base");
                add_value_or_null (builder, conflict->base);
                json_builder_set_member_name (builder, "server");
                add_value_or_null (builder, conflict->server);
                json_builder_set_member_name (builder, "local");
                add_value_or_null (builder, conflict->local);
                json_builder_set_member_name (builder, "server_by");
                json_builder_add_string_value (builder, current.updated_by);
                json_builder_set_member_name (builder, "server_at");
                json_builder_add_string_value (builder, current.updated_at);
                json_builder_set_member_name (builder, "conflict_id");
                json_builder_add_string_value (builder, conflict_id);
                json_builder_end_object (builder);
              }
            json_builder_end_array (builder);
          }
        json_builder_end_object (builder);
        root = json_builder_get_root (builder);
        answer = teren_json_to_string (root);
        break;
      }

    case TEREN_SERVER_OUTCOME_RECORD_CONFLICT:
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;
        g_autoptr(JsonObject) cfields = teren_merge_conflict_fields (op->record_id, op->kind,
                                                                     decision.conflict_reason,
                                                                     op->change_id, account->username,
                                                                     NULL, op->patch);
        g_autoptr(GPtrArray) ckeys = teren_merge_patch_keys (cfields);
        RecordView view = { op->record_id, state.kind, state.line, state.rev, current.seq, state.deleted,
                            state.fields, current.updated_by, current.updated_at };
        gint64 cseq = 0;

        conflict_id = teren_uuid_new ();
        if (!write_revision (self, conn, caller, NULL, "create", conflict_id, TEREN_CONFLICT_KIND,
                             op->line, FALSE, 1, FALSE, cfields, ckeys, now,
                             op->line[0] == '\0' ? op->record_id : NULL, &cseq, error))
          goto out;

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "change_id");
        json_builder_add_string_value (builder, op->change_id);
        json_builder_set_member_name (builder, "record_id");
        json_builder_add_string_value (builder, op->record_id);
        json_builder_set_member_name (builder, "status");
        json_builder_add_string_value (builder, "conflict");
        json_builder_set_member_name (builder, "conflict_id");
        json_builder_add_string_value (builder, conflict_id);
        json_builder_set_member_name (builder, "reason");
        json_builder_add_string_value (builder, decision.conflict_reason);
        json_builder_set_member_name (builder, "rev");
        json_builder_add_int_value (builder, state.rev);
        json_builder_set_member_name (builder, "seq");
        json_builder_add_int_value (builder, current.seq);
        add_record_view (builder, &view);
        json_builder_set_member_name (builder, "conflicts");
        json_builder_begin_array (builder);
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "field");
        json_builder_add_string_value (builder, "");
        json_builder_set_member_name (builder, "base");
        json_builder_add_null_value (builder);
        json_builder_set_member_name (builder, "server");
        json_builder_add_null_value (builder);
        json_builder_set_member_name (builder, "local");
        json_builder_add_value (builder, json_node_init_object (json_node_alloc (), op->patch));
        json_builder_set_member_name (builder, "server_by");
        json_builder_add_string_value (builder, current.updated_by);
        json_builder_set_member_name (builder, "server_at");
        json_builder_add_string_value (builder, current.updated_at);
        json_builder_set_member_name (builder, "conflict_id");
        json_builder_add_string_value (builder, conflict_id);
        json_builder_end_object (builder);
        json_builder_end_array (builder);
        json_builder_end_object (builder);
        root = json_builder_get_root (builder);
        answer = teren_json_to_string (root);
        break;
      }

    default:
      g_assert_not_reached ();
    }

store:
  if (decision.outcome == TEREN_SERVER_OUTCOME_REJECT)
    answer = rejected_answer (op, &decision);
  if (!store_applied (conn, caller, op->change_id, fingerprint, decision.status, answer, now, error))
    goto out;
  detail = push_audit_detail (decision.status, decision.changed);
  if (!audit_row (conn, account->username, caller->device_id, "push", op->record_id, op->change_id,
                  detail, error))
    goto out;

  *out_answer = g_steal_pointer (&answer);
  ok = TRUE;

out:
  teren_server_record_state_clear (&state);
  teren_server_decision_clear (&decision);
  current_clear (&current);
  return ok;
}

typedef struct {
  const TerenServerCaller *caller;
  GPtrArray               *ops;
  GPtrArray               *results;
} PushJob;

static gboolean
push_job (Sqlite    *self,
          Conn      *conn,
          gpointer   data,
          GError   **error)
{
  PushJob *job = data;
  guint i;

  g_ptr_array_set_size (job->results, 0);
  for (i = 0; i < job->ops->len; i++)
    {
      char *answer = NULL;

      if (!conn_exec (conn, "SAVEPOINT op", error))
        return FALSE;
      if (!push_one (self, conn, job->caller, g_ptr_array_index (job->ops, i), &answer, error))
        {
          conn_exec (conn, "ROLLBACK TO op", NULL);
          conn_exec (conn, "RELEASE op", NULL);
          return FALSE;
        }
      g_ptr_array_add (job->results, answer);
      if (!conn_exec (conn, "RELEASE op", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_push (TerenServerBackend       *backend,
             const TerenServerCaller  *caller,
             GPtrArray                *ops,
             GPtrArray               **out_results,
             GError                  **error)
{
  Sqlite *self = (Sqlite *) backend;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_free);
  PushJob job = { caller, ops, results };

  if (!group_write (self, push_job, &job, error))
    return FALSE;
  *out_results = g_steal_pointer (&results);
  return TRUE;
}

/* ---- pull ------------------------------------------------------------------------- */

static void
append_json_string (GString    *out,
                    const char *text)
{
  const char *p;

  g_string_append_c (out, '"');
  for (p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

typedef struct {
  char   *record_id;
  gint64  seq;
} FeedRow;

static void
feed_row_free (gpointer data)
{
  FeedRow *row = data;

  g_free (row->record_id);
  g_free (row);
}

static int
feed_row_compare (gconstpointer a,
                  gconstpointer b)
{
  const FeedRow *x = *(FeedRow * const *) a;
  const FeedRow *y = *(FeedRow * const *) b;

  return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Rows of @keys with after < seq ≤ upto, ordered by seq, at most @limit per key;
 * *@truncated when a key had more. */
static GPtrArray *
feed_rows (Conn       *conn,
           GPtrArray  *keys,
           gint64      after,
           gint64      upto,
           guint       limit,
           gboolean   *truncated,
           GError    **error)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (feed_row_free);
  guint i;

  *truncated = FALSE;
  for (i = 0; i < keys->len; i++)
    {
      sqlite3_stmt *stmt = conn_stmt (conn, "SELECT record_id, seq FROM feed WHERE key = ? AND seq > ? "
                                            "AND seq <= ? ORDER BY seq LIMIT ?", error);
      guint n = 0;

      if (stmt == NULL)
        {
          g_ptr_array_unref (rows);
          return NULL;
        }
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (keys, i), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, after);
      sqlite3_bind_int64 (stmt, 3, upto);
      sqlite3_bind_int64 (stmt, 4, (gint64) limit + 1);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          FeedRow *row;

          if (++n > limit)
            {
              *truncated = TRUE;
              break;
            }
          row = g_new0 (FeedRow, 1);
          row->record_id = col_text (stmt, 0);
          row->seq = sqlite3_column_int64 (stmt, 1);
          g_ptr_array_add (rows, row);
        }
      sqlite3_reset (stmt);
    }
  g_ptr_array_sort (rows, feed_row_compare);
  return rows;
}

/* Appends the records of @rows to @page from position *@pos; skips tombstones with
 * seq ≤ @tomb_floor. Returns FALSE on a database error; *@full when the page is full. */
static gboolean
fill_page (Conn                *conn,
           GPtrArray           *rows,
           TerenServerFeedPage *page,
           GHashTable          *seen,
           guint                limit,
           gsize                max_bytes,
           gint64               tomb_floor,
           gint64              *pos,
           gboolean            *full,
           GError             **error)
{
  guint i;

  *full = FALSE;
  for (i = 0; i < rows->len; i++)
    {
      FeedRow *row = g_ptr_array_index (rows, i);
      sqlite3_stmt *stmt;
      g_autoptr(GString) item = NULL;
      gboolean deleted;

      if (page->record_ids->len >= limit)
        {
          *full = TRUE;
          return TRUE;
        }
      if (g_hash_table_contains (seen, row->record_id))
        {
          *pos = row->seq;
          continue;
        }

      stmt = conn_stmt (conn, "SELECT kind, line, rev, seq, deleted, fields, updated_by, updated_at "
                              "FROM records WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, row->record_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          *pos = row->seq;
          continue;
        }
      deleted = sqlite3_column_int (stmt, 4) != 0;
      if (deleted && row->seq <= tomb_floor)
        {
          sqlite3_reset (stmt);
          *pos = row->seq;
          continue;
        }
      item = g_string_sized_new (256);
      g_string_append (item, "{\"id\":");
      append_json_string (item, row->record_id);
      g_string_append (item, ",\"kind\":");
      append_json_string (item, (const char *) sqlite3_column_text (stmt, 0));
      g_string_append (item, ",\"line\":");
      append_json_string (item, (const char *) sqlite3_column_text (stmt, 1));
      g_string_append_printf (item, ",\"rev\":%" G_GINT64_FORMAT ",\"seq\":%" G_GINT64_FORMAT
                              ",\"deleted\":%s,\"fields\":",
                              (gint64) sqlite3_column_int64 (stmt, 2), (gint64) sqlite3_column_int64 (stmt, 3),
                              deleted ? "true" : "false");
      g_string_append (item, deleted ? "{}" : (const char *) sqlite3_column_text (stmt, 5));
      g_string_append (item, ",\"updated_by\":");
      append_json_string (item, (const char *) sqlite3_column_text (stmt, 6));
      g_string_append (item, ",\"updated_at\":");
      append_json_string (item, (const char *) sqlite3_column_text (stmt, 7));
      g_string_append_c (item, '}');
      sqlite3_reset (stmt);

      if (page->record_ids->len > 0 && page->records_json->len + item->len + 1 > max_bytes)
        {
          *full = TRUE;
          return TRUE;
        }
      if (page->records_json->len > 0)
        g_string_append_c (page->records_json, ',');
      g_string_append_len (page->records_json, item->str, item->len);
      g_ptr_array_add (page->record_ids, g_strdup (row->record_id));
      g_hash_table_add (seen, g_strdup (row->record_id));
      *pos = row->seq;
    }
  return TRUE;
}

static GStrv
lines_at_version (Conn   *conn,
                  gint64  account_id,
                  gint64  version)
{
  sqlite3_stmt *stmt = conn_stmt (conn, "SELECT lines FROM scope_versions WHERE account_id = ? AND version = ?", NULL);
  GStrv lines = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, version);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    lines = lines_split ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return lines;
}

/* Ids visible through the removed lines and no longer through the account's keys. */
static gboolean
compute_purge (Conn                      *conn,
               const TerenServerAccount  *account,
               GStrv                      removed,
               GPtrArray                 *purge,
               GError                   **error)
{
  g_autoptr(GPtrArray) keys = scope_keys (account);
  g_autoptr(GHashTable) seen = string_set_new ();
  guint i, k;

  for (i = 0; removed[i] != NULL; i++)
    {
      sqlite3_stmt *stmt = conn_stmt (conn, "SELECT record_id FROM feed WHERE key = ?", error);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, removed[i], -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (ids, col_text (stmt, 0));
      sqlite3_reset (stmt);

      for (k = 0; k < ids->len; k++)
        {
          const char *id = g_ptr_array_index (ids, k);
          g_autoptr(GPtrArray) id_keys = NULL;
          gboolean still = FALSE;
          guint j;

          if (g_hash_table_contains (seen, id))
            continue;
          g_hash_table_add (seen, g_strdup (id));
          id_keys = feed_keys_of (conn, id, error);
          if (id_keys == NULL)
            return FALSE;
          for (j = 0; j < id_keys->len && !still; j++)
            still = g_ptr_array_find_with_equal_func (keys, g_ptr_array_index (id_keys, j), g_str_equal, NULL);
          if (!still)
            g_ptr_array_add (purge, g_strdup (id));
        }
    }
  return TRUE;
}

static GPtrArray *
split_keys (const char *text)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = lines_split (text);
  guint i;

  for (i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (keys, g_strdup (parts[i]));
  return keys;
}

static gboolean
sqlite_feed_page (TerenServerBackend        *backend,
                  const TerenServerCaller   *caller,
                  const TerenServerFeedPos  *from,
                  guint                      limit,
                  gsize                      max_bytes,
                  TerenServerFeedPage      **out_page,
                  GError                   **error)
{
  Sqlite *self = (Sqlite *) backend;
  const TerenServerAccount *account = caller->account;
  g_autoptr(TerenServerFeedPage) page = g_new0 (TerenServerFeedPage, 1);
  g_autoptr(GHashTable) seen = string_set_new ();
  g_autoptr(GPtrArray) keys = scope_keys (account);
  TerenServerFeedPos *pos = &page->next;
  Conn *conn;
  gboolean full = FALSE;
  gboolean truncated = FALSE;
  gboolean ok = FALSE;

  page->records_json = g_string_sized_new (64 * 1024);
  page->record_ids = g_ptr_array_new_with_free_func (g_free);
  page->purge = g_ptr_array_new_with_free_func (g_free);
  pos->seq = from->seq;
  pos->scope_version = from->scope_version;
  pos->tomb_floor = from->tomb_floor;
  pos->backfill = from->backfill;
  pos->backfill_pos = from->backfill_pos;
  pos->backfill_keys = g_strdup (from->backfill_keys);

  conn = reader_get (self, error);
  if (conn == NULL)
    return FALSE;
  if (!conn_exec (conn, "BEGIN", error))
    {
      reader_put (self, conn);
      return FALSE;
    }

  if (pos->seq == 0 && !pos->backfill)
    {
      /* A first pull: no tombstones of what existed before it started. */
      if (pos->tomb_floor == 0)
        pos->tomb_floor = query_int (conn, "SELECT IFNULL(MAX(seq), 0) FROM feed");
      pos->scope_version = account->scope_version;
    }

  if (pos->scope_version != account->scope_version)
    {
      g_auto(GStrv) old_lines = lines_at_version (conn, account->id, pos->scope_version);
      g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
      guint i;

      if (old_lines != NULL)
        {
          for (i = 0; account->lines[i] != NULL; i++)
            if (!g_strv_contains ((const char * const *) old_lines, account->lines[i]))
              g_ptr_array_add (added, g_strdup (account->lines[i]));
          for (i = 0; old_lines[i] != NULL; i++)
            if (!g_strv_contains ((const char * const *) account->lines, old_lines[i]))
              g_ptr_array_add (removed, g_strdup (old_lines[i]));
        }
      g_ptr_array_add (removed, NULL);
      if (!compute_purge (conn, account, (GStrv) removed->pdata, page->purge, error))
        goto out;
      g_ptr_array_set_size (removed, removed->len - 1);

      if (added->len > 0)
        {
          g_autofree char *joined = NULL;

          /* Backfill the new lines up to where the cursor already is (and whatever
           * backfill was in progress, which restarts with them). */
          if (pos->backfill && pos->backfill_keys != NULL)
            {
              g_autoptr(GPtrArray) old_keys = split_keys (pos->backfill_keys);

              for (i = 0; i < old_keys->len; i++)
                if (teren_server_account_has_line (account, g_ptr_array_index (old_keys, i)) &&
                    !g_ptr_array_find_with_equal_func (added, g_ptr_array_index (old_keys, i), g_str_equal, NULL))
                  g_ptr_array_add (added, g_strdup (g_ptr_array_index (old_keys, i)));
            }
          g_ptr_array_add (added, NULL);
          joined = g_strjoinv (",", (char **) added->pdata);
          g_free (pos->backfill_keys);
          pos->backfill_keys = g_steal_pointer (&joined);
          pos->backfill = TRUE;
          pos->backfill_pos = 0;
        }
      pos->scope_version = account->scope_version;
    }

  if (pos->backfill)
    {
      g_autoptr(GPtrArray) bkeys = split_keys (pos->backfill_keys);
      g_autoptr(GPtrArray) rows = feed_rows (conn, bkeys, pos->backfill_pos, pos->seq, limit, &truncated, error);

      if (rows == NULL)
        goto out;
      /* Backfill sends no tombstones. */
      if (!fill_page (conn, rows, page, seen, limit, max_bytes, G_MAXINT64, &pos->backfill_pos, &full, error))
        goto out;
      if (!full && !truncated)
        {
          pos->backfill = FALSE;
          pos->backfill_pos = 0;
          g_clear_pointer (&pos->backfill_keys, g_free);
        }
      else
        {
          page->more = TRUE;
        }
    }

  if (!pos->backfill)
    {
      g_autoptr(GPtrArray) rows = feed_rows (conn, keys, pos->seq, G_MAXINT64, limit, &truncated, error);

      if (rows == NULL)
        goto out;
      if (!fill_page (conn, rows, page, seen, limit, max_bytes, pos->tomb_floor, &pos->seq, &full, error))
        goto out;
      page->more = full || truncated;
    }
  ok = TRUE;

out:
  conn_exec (conn, "COMMIT", NULL);
  reader_put (self, conn);
  if (ok)
    *out_page = g_steal_pointer (&page);
  return ok;
}

static gboolean
sqlite_record_history (TerenServerBackend  *backend,
                       const char          *record_id,
                       GPtrArray          **out_revisions,
                       GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_server_revision_free);
  Conn *conn = reader_get (self, error);
  sqlite3_stmt *stmt;

  if (conn == NULL)
    return FALSE;
  stmt = conn_stmt (conn, "SELECT rev, seq, server_time, account, device_id, op, change_id, changed_fields "
                          "FROM history WHERE record_id = ? ORDER BY rev", error);
  if (stmt == NULL)
    {
      reader_put (self, conn);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TerenServerRevision *rev = g_new0 (TerenServerRevision, 1);
      g_autoptr(GHashTable) set = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      const char *changed = (const char *) sqlite3_column_text (stmt, 7);
      guint i;

      rev->rev = sqlite3_column_int64 (stmt, 0);
      rev->seq = sqlite3_column_int64 (stmt, 1);
      rev->server_time = col_text (stmt, 2);
      rev->account = col_text (stmt, 3);
      rev->device_id = col_text (stmt, 4);
      rev->op = col_text (stmt, 5);
      rev->change_id = col_text (stmt, 6);
      node = changed != NULL ? teren_json_parse (changed, -1, 8, NULL) : NULL;
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (i = 0; i < json_array_get_length (array); i++)
            g_ptr_array_add (names, (gpointer) json_array_get_string_element (array, i));
        }
      g_ptr_array_add (names, NULL);
      rev->changed_fields = g_strjoinv (",", (char **) names->pdata);
      g_ptr_array_add (revisions, rev);
    }
  sqlite3_reset (stmt);
  reader_put (self, conn);
  *out_revisions = g_steal_pointer (&revisions);
  return TRUE;
}

/* ---- accounts, devices, tokens ------------------------------------------------- */

static TerenServerAccount *
account_from_row (sqlite3_stmt *stmt)
{
  TerenServerAccount *account = g_new0 (TerenServerAccount, 1);
  g_autofree char *role = NULL;

  account->id = sqlite3_column_int64 (stmt, 0);
  account->username = col_text (stmt, 1);
  account->display_name = col_text (stmt, 2);
  role = col_text (stmt, 3);
  if (!teren_server_role_from_string (role, &account->role))
    account->role = TEREN_SERVER_ROLE_WORKER;
  account->lines = lines_split ((const char *) sqlite3_column_text (stmt, 4));
  account->disabled = sqlite3_column_int (stmt, 5) != 0;
  account->scope_version = sqlite3_column_int64 (stmt, 6);
  return account;
}

#define ACCOUNT_COLUMNS "a.id, a.username, a.display_name, a.role, a.lines, a.disabled, a.scope_version"

static gboolean
writer_tx (Sqlite   *self,
           GError  **error)
{
  return conn_exec (self->writer, "BEGIN IMMEDIATE", error);
}

static gboolean
writer_commit (Sqlite   *self,
               gboolean  ok,
               GError  **error)
{
  if (ok)
    ok = conn_exec (self->writer, "COMMIT", error);
  if (!ok)
    conn_exec (self->writer, "ROLLBACK", NULL);
  return ok;
}

static gboolean
account_id_of (Conn        *conn,
               const char  *username,
               gint64      *out_id,
               gint64      *out_version,
               GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, "SELECT id, scope_version FROM accounts WHERE username = ?", error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      *out_id = sqlite3_column_int64 (stmt, 0);
      if (out_version != NULL)
        *out_version = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (!found)
    g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("No account named “%s”."), username);
  return found;
}

static gboolean
insert_scope_version (Conn                *conn,
                      gint64               account_id,
                      gint64               version,
                      const char          *lines,
                      GError             **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, "INSERT OR REPLACE INTO scope_versions (account_id, version, lines) "
                                        "VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, version);
  sqlite3_bind_text (stmt, 3, lines, -1, SQLITE_STATIC);
  return step_done (conn, stmt, error);
}

static gboolean
sqlite_account_add (TerenServerBackend  *backend,
                    const char          *username,
                    const char          *display_name,
                    TerenServerRole      role,
                    const char * const  *lines,
                    const char          *password_hash,
                    GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  g_autofree char *joined = lines_join (lines);
  g_autofree char *now = teren_now_iso8601 ();
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  gint64 id = 0;

  WRITER_BEGIN (self, error);
  if (!writer_tx (self, error))
    goto out;
  stmt = conn_stmt (self->writer, "SELECT 1 FROM accounts WHERE username = ?", error);
  if (stmt == NULL)
    goto done;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_EXISTS, _("An account named “%s” already exists."), username);
      goto done;
    }
  sqlite3_reset (stmt);
  stmt = conn_stmt (self->writer, "INSERT INTO accounts (username, display_name, role, lines, password_hash, "
                                  "created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto done;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, teren_server_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, joined, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, password_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (!step_done (self->writer, stmt, error))
    goto done;
  id = sqlite3_last_insert_rowid (self->writer->db);
  ok = insert_scope_version (self->writer, id, 1, joined, error);
done:
  ok = writer_commit (self, ok, ok ? error : NULL);
out:
  WRITER_END (self);
  return ok;
}

static TerenServerAccount *
sqlite_account_lookup (TerenServerBackend  *backend,
                       const char          *username,
                       char               **out_password_hash,
                       GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  Conn *conn = reader_get (self, error);
  TerenServerAccount *account = NULL;
  sqlite3_stmt *stmt;

  if (conn == NULL)
    return NULL;
  stmt = conn_stmt (conn, "SELECT " ACCOUNT_COLUMNS ", a.password_hash FROM accounts a WHERE a.username = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          account = account_from_row (stmt);
          if (out_password_hash != NULL)
            *out_password_hash = col_text (stmt, 7);
        }
      else
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("No account named “%s”."), username);
        }
      sqlite3_reset (stmt);
    }
  reader_put (self, conn);
  return account;
}

/* Runs @sql (one text and one id parameter, or one id) on the account @username. */
static gboolean
account_update (Sqlite      *self,
                const char  *username,
                const char  *sql,
                const char  *text,
                gint64       number,
                gboolean     revoke_tokens,
                GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok = FALSE;

  WRITER_BEGIN (self, error);
  if (!writer_tx (self, error))
    goto out;
  if (!account_id_of (self->writer, username, &id, NULL, error))
    goto done;
  stmt = conn_stmt (self->writer, sql, error);
  if (stmt == NULL)
    goto done;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, number);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!step_done (self->writer, stmt, error))
    goto done;
  if (revoke_tokens)
    {
      stmt = conn_stmt (self->writer, "UPDATE tokens SET revoked = 1 WHERE account_id = ?", error);
      if (stmt == NULL)
        goto done;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!step_done (self->writer, stmt, error))
        goto done;
    }
  ok = TRUE;
done:
  ok = writer_commit (self, ok, ok ? error : NULL);
out:
  WRITER_END (self);
  return ok;
}

static gboolean
sqlite_account_set_password (TerenServerBackend  *backend,
                             const char          *username,
                             const char          *password_hash,
                             GError             **error)
{
  return account_update ((Sqlite *) backend, username,
                         "UPDATE accounts SET password_hash = ? WHERE id = ?", password_hash, 0, TRUE, error);
}

static gboolean
sqlite_account_set_role (TerenServerBackend  *backend,
                         const char          *username,
                         TerenServerRole      role,
                         GError             **error)
{
  return account_update ((Sqlite *) backend, username, "UPDATE accounts SET role = ? WHERE id = ?",
                         teren_server_role_to_string (role), 0, FALSE, error);
}

static gboolean
sqlite_account_set_disabled (TerenServerBackend  *backend,
                             const char          *username,
                             gboolean             disabled,
                             GError             **error)
{
  return account_update ((Sqlite *) backend, username, "UPDATE accounts SET disabled = ? WHERE id = ?",
                         NULL, disabled ? 1 : 0, disabled, error);
}

static gboolean
sqlite_account_set_lines (TerenServerBackend  *backend,
                          const char          *username,
                          const char * const  *lines,
                          GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  g_autofree char *joined = lines_join (lines);
  sqlite3_stmt *stmt;
  gint64 id = 0, version = 0;
  gboolean ok = FALSE;

  WRITER_BEGIN (self, error);
  if (!writer_tx (self, error))
    goto out;
  if (!account_id_of (self->writer, username, &id, &version, error))
    goto done;
  stmt = conn_stmt (self->writer, "UPDATE accounts SET lines = ?, scope_version = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto done;
  sqlite3_bind_text (stmt, 1, joined, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, version + 1);
  sqlite3_bind_int64 (stmt, 3, id);
  if (!step_done (self->writer, stmt, error))
    goto done;
  ok = insert_scope_version (self->writer, id, version + 1, joined, error);
done:
  ok = writer_commit (self, ok, ok ? error : NULL);
out:
  WRITER_END (self);
  return ok;
}

static GPtrArray *
sqlite_account_list (TerenServerBackend  *backend,
                     GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  Conn *conn = reader_get (self, error);
  GPtrArray *accounts;
  sqlite3_stmt *stmt;

  if (conn == NULL)
    return NULL;
  stmt = conn_stmt (conn, "SELECT " ACCOUNT_COLUMNS " FROM accounts a ORDER BY a.username", error);
  if (stmt == NULL)
    {
      reader_put (self, conn);
      return NULL;
    }
  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_server_account_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  sqlite3_reset (stmt);
  reader_put (self, conn);
  return accounts;
}

typedef struct {
  gint64      account_id;
  const char *device_id;
  const char *device_name;
  const char *token_hash;
  gint64      now;
} TokenJob;

static gboolean
token_create_job (Sqlite    *self,
                  Conn      *conn,
                  gpointer   data,
                  GError   **error)
{
  TokenJob *job = data;
  g_autofree char *now_text = teren_now_iso8601 ();
  sqlite3_stmt *stmt;
  gboolean revoked;

  stmt = conn_stmt (conn, "SELECT revoked FROM devices WHERE device_id = ? AND revoked = 1 LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->device_id, -1, SQLITE_STATIC);
  revoked = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (revoked)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_PERMISSION, _("This device was revoked."));
      return FALSE;
    }
  stmt = conn_stmt (conn, "INSERT INTO devices (account_id, device_id, name, created_at) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (account_id, device_id) DO UPDATE SET name = excluded.name", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->account_id);
  sqlite3_bind_text (stmt, 2, job->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, job->device_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now_text, -1, SQLITE_STATIC);
  if (!step_done (conn, stmt, error))
    return FALSE;
  stmt = conn_stmt (conn, "INSERT INTO tokens (hash, account_id, device_id, created_at, last_used) "
                          "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, job->token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, job->account_id);
  sqlite3_bind_text (stmt, 3, job->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, job->now);
  sqlite3_bind_int64 (stmt, 5, job->now);
  return step_done (conn, stmt, error);
}

static gboolean
sqlite_token_create (TerenServerBackend  *backend,
                     gint64               account_id,
                     const char          *device_id,
                     const char          *device_name,
                     const char          *token_hash,
                     gint64               now,
                     GError             **error)
{
  TokenJob job = { account_id, device_id, device_name, token_hash, now };

  return group_write ((Sqlite *) backend, token_create_job, &job, error);
}

static gboolean
token_touch_job (Sqlite    *self,
                 Conn      *conn,
                 gpointer   data,
                 GError   **error)
{
  TokenJob *job = data;
  sqlite3_stmt *stmt = conn_stmt (conn, "UPDATE tokens SET last_used = ? WHERE hash = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->now);
  sqlite3_bind_text (stmt, 2, job->token_hash, -1, SQLITE_STATIC);
  return step_done (conn, stmt, error);
}

static TerenServerTokenStatus
sqlite_token_check (TerenServerBackend  *backend,
                    const char          *token_hash,
                    gint64               now,
                    gint64               idle_limit,
                    TerenServerCaller  **out_caller,
                    GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  TerenServerTokenStatus status = TEREN_SERVER_TOKEN_INVALID;
  g_autoptr(TerenServerCaller) caller = NULL;
  sqlite3_stmt *stmt;
  gint64 last_used = 0;
  Conn *conn = reader_get (self, error);

  if (conn == NULL)
    return TEREN_SERVER_TOKEN_INVALID;
  stmt = conn_stmt (conn, "SELECT " ACCOUNT_COLUMNS ", t.device_id, t.last_used, t.revoked, "
                          "IFNULL(d.revoked, 0) FROM tokens t JOIN accounts a ON a.id = t.account_id "
                          "LEFT JOIN devices d ON d.account_id = t.account_id AND d.device_id = t.device_id "
                          "WHERE t.hash = ?", error);
  if (stmt == NULL)
    {
      reader_put (self, conn);
      return TEREN_SERVER_TOKEN_INVALID;
    }
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      caller = g_new0 (TerenServerCaller, 1);
      caller->account = account_from_row (stmt);
      caller->device_id = col_text (stmt, 7);
      last_used = sqlite3_column_int64 (stmt, 8);
      if (sqlite3_column_int (stmt, 10) != 0)
        status = TEREN_SERVER_TOKEN_REVOKED;
      else if (sqlite3_column_int (stmt, 9) == 0 && !caller->account->disabled &&
               now - last_used <= idle_limit)
        status = TEREN_SERVER_TOKEN_OK;
    }
  sqlite3_reset (stmt);
  reader_put (self, conn);

  if (status == TEREN_SERVER_TOKEN_OK && now - last_used >= 60)
    {
      TokenJob job = { 0, NULL, NULL, token_hash, now };

      group_write (self, token_touch_job, &job, NULL);
    }
  if (status == TEREN_SERVER_TOKEN_OK || status == TEREN_SERVER_TOKEN_REVOKED)
    *out_caller = g_steal_pointer (&caller);
  return status;
}

static gboolean
sqlite_token_revoke (TerenServerBackend  *backend,
                     const char          *token_hash,
                     GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  WRITER_BEGIN (self, error);
  stmt = conn_stmt (self->writer, "UPDATE tokens SET revoked = 1 WHERE hash = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
      ok = step_done (self->writer, stmt, error);
    }
  WRITER_END (self);
  return ok;
}

static gboolean
sqlite_device_revoke (TerenServerBackend  *backend,
                      const char          *device_id,
                      GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  WRITER_BEGIN (self, error);
  stmt = conn_stmt (self->writer, "UPDATE devices SET revoked = 1 WHERE device_id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
      ok = step_done (self->writer, stmt, error);
      if (ok && sqlite3_changes (self->writer->db) == 0)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND, _("No device with the id “%s”."), device_id);
          ok = FALSE;
        }
    }
  WRITER_END (self);
  return ok;
}

static GPtrArray *
sqlite_device_list (TerenServerBackend  *backend,
                    GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  Conn *conn = reader_get (self, error);
  GPtrArray *devices;
  sqlite3_stmt *stmt;

  if (conn == NULL)
    return NULL;
  stmt = conn_stmt (conn, "SELECT d.device_id, a.username, d.name, d.revoked FROM devices d "
                          "JOIN accounts a ON a.id = d.account_id ORDER BY a.username, d.created_at", error);
  if (stmt == NULL)
    {
      reader_put (self, conn);
      return NULL;
    }
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_server_device_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TerenServerDevice *device = g_new0 (TerenServerDevice, 1);

      device->device_id = col_text (stmt, 0);
      device->username = col_text (stmt, 1);
      device->name = col_text (stmt, 2);
      device->revoked = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (devices, device);
    }
  sqlite3_reset (stmt);
  reader_put (self, conn);
  return devices;
}

typedef struct {
  const char *account;
  const char *device_id;
  const char *action;
  const char *record_id;
  const char *change_id;
  const char *detail;
} AuditJob;

static gboolean
audit_job (Sqlite    *self,
           Conn      *conn,
           gpointer   data,
           GError   **error)
{
  AuditJob *job = data;

  return audit_row (conn, job->account, job->device_id, job->action, job->record_id, job->change_id,
                    job->detail, error);
}

static gboolean
sqlite_audit (TerenServerBackend  *backend,
              const char          *account,
              const char          *device_id,
              const char          *action,
              const char          *record_id,
              const char          *change_id,
              const char          *detail,
              GError             **error)
{
  AuditJob job = { account, device_id, action, record_id, change_id, detail };

  return group_write ((Sqlite *) backend, audit_job, &job, error);
}

/* ---- nomenclatures -------------------------------------------------------------- */

static gboolean
sqlite_nomenclature_replace (TerenServerBackend  *backend,
                             const char          *kind,
                             GPtrArray           *entries,
                             guint               *out_changed,
                             GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  g_autoptr(GHashTable) codes = string_set_new ();
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  guint changed = 0;
  guint i;

  WRITER_BEGIN (self, error);
  if (!writer_tx (self, error))
    goto out;
  for (i = 0; i < entries->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (entries, i);
      const char *code = teren_json_get_string (entry, "code", "");
      g_autofree char *data = teren_json_object_to_string (entry);
      g_autofree char *old = NULL;
      gboolean old_deleted = FALSE;

      g_hash_table_add (codes, g_strdup (code));
      stmt = conn_stmt (self->writer, "SELECT data, deleted FROM nomenclature WHERE kind = ? AND code = ?", error);
      if (stmt == NULL)
        goto done;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          old = col_text (stmt, 0);
          old_deleted = sqlite3_column_int (stmt, 1) != 0;
        }
      sqlite3_reset (stmt);
      if (old != NULL && !old_deleted && strcmp (old, data) == 0)
        continue;
      stmt = conn_stmt (self->writer, "INSERT OR REPLACE INTO nomenclature (kind, code, seq, deleted, data) "
                                      "VALUES (?, ?, ?, 0, ?)", error);
      if (stmt == NULL)
        goto done;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, ++self->seq);
      sqlite3_bind_text (stmt, 4, data, -1, SQLITE_STATIC);
      if (!step_done (self->writer, stmt, error))
        goto done;
      changed++;
    }

  stmt = conn_stmt (self->writer, "SELECT code FROM nomenclature WHERE kind = ? AND deleted = 0", error);
  if (stmt == NULL)
    goto done;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (!g_hash_table_contains (codes, sqlite3_column_text (stmt, 0)))
      g_ptr_array_add (gone, col_text (stmt, 0));
  sqlite3_reset (stmt);
  for (i = 0; i < gone->len; i++)
    {
      stmt = conn_stmt (self->writer, "UPDATE nomenclature SET deleted = 1, seq = ? WHERE kind = ? AND code = ?", error);
      if (stmt == NULL)
        goto done;
      sqlite3_bind_int64 (stmt, 1, ++self->seq);
      sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, g_ptr_array_index (gone, i), -1, SQLITE_STATIC);
      if (!step_done (self->writer, stmt, error))
        goto done;
      changed++;
    }
  ok = TRUE;
done:
  ok = writer_commit (self, ok, ok ? error : NULL);
out:
  WRITER_END (self);
  if (ok && out_changed != NULL)
    *out_changed = changed;
  return ok;
}

static gboolean
sqlite_nomenclature_page (TerenServerBackend  *backend,
                          gint64               after_seq,
                          guint                limit,
                          GString             *out_items_json,
                          gint64              *out_last_seq,
                          gboolean            *out_more,
                          GError             **error)
{
  Sqlite *self = (Sqlite *) backend;
  Conn *conn = reader_get (self, error);
  sqlite3_stmt *stmt;
  gint64 last = after_seq;
  guint n = 0;

  *out_more = FALSE;
  if (conn == NULL)
    return FALSE;
  stmt = conn_stmt (conn, "SELECT kind, seq, deleted, data FROM nomenclature WHERE seq > ? ORDER BY seq LIMIT ?", error);
  if (stmt == NULL)
    {
      reader_put (self, conn);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *data = (const char *) sqlite3_column_text (stmt, 3);

      if (++n > limit)
        {
          *out_more = TRUE;
          break;
        }
      last = sqlite3_column_int64 (stmt, 1);
      if (out_items_json->len > 0)
        g_string_append_c (out_items_json, ',');
      /* data is a JSON object text {"code",…}: splice kind, seq, deleted in front. */
      g_string_append (out_items_json, "{\"kind\":");
      append_json_string (out_items_json, (const char *) sqlite3_column_text (stmt, 0));
      g_string_append_printf (out_items_json, ",\"seq\":%" G_GINT64_FORMAT ",\"deleted\":%s",
                              last, sqlite3_column_int (stmt, 2) ? "true" : "false");
      if (data != NULL && data[0] == '{' && data[1] != '}')
        {
          g_string_append_c (out_items_json, ',');
          g_string_append (out_items_json, data + 1);
        }
      else
        {
          g_string_append_c (out_items_json, '}');
        }
    }
  sqlite3_reset (stmt);
  reader_put (self, conn);
  *out_last_seq = last;
  return TRUE;
}

static const TerenServerBackendClass sqlite_class = {
  .free = sqlite_free,
  .close = sqlite_close,
  .get_epoch = sqlite_get_epoch,
  .get_secret = sqlite_get_secret,
  .push = sqlite_push,
  .feed_page = sqlite_feed_page,
  .record_history = sqlite_record_history,
  .account_add = sqlite_account_add,
  .account_lookup = sqlite_account_lookup,
  .account_set_password = sqlite_account_set_password,
  .account_set_lines = sqlite_account_set_lines,
  .account_set_role = sqlite_account_set_role,
  .account_set_disabled = sqlite_account_set_disabled,
  .account_list = sqlite_account_list,
  .token_create = sqlite_token_create,
  .token_check = sqlite_token_check,
  .token_revoke = sqlite_token_revoke,
  .device_revoke = sqlite_device_revoke,
  .device_list = sqlite_device_list,
  .audit = sqlite_audit,
  .nomenclature_replace = sqlite_nomenclature_replace,
  .nomenclature_page = sqlite_nomenclature_page,
};
