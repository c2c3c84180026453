/* teren-server-sqlite-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "teren-error.h"
#include "teren-op.h"
#include "teren-sqlite-checkpoint.h"
#include "teren-server-backend.h"

G_BEGIN_DECLS

/* Shared by the files of the SQLite backend: teren-server-sqlite.c (connections, open,
 * group commit, helpers), -sqlite-push.c (operations), -sqlite-feed.c (pull pages, history,
 * nomenclature pages) and -sqlite-accounts.c (accounts, tokens, devices, audit). */

/* A statement met lately at the address @sql (its text checked again on every use: the
 * address of a freed string may come back with another text). */
typedef struct {
  const char   *sql;
  const char   *key;   /* the text, owned by TerenSqliteConn.stmts */
  sqlite3_stmt *stmt;
} TerenSqliteStmtSlot;

#define TEREN_SQLITE_STMT_SLOTS 64

/* One connection with its prepared statements, used by one thread at a time. */
typedef struct {
  sqlite3             *db;
  GHashTable          *stmts;   /* SQL text → prepared sqlite3_stmt* */
  TerenSqliteStmtSlot  recent[TEREN_SQLITE_STMT_SLOTS];   /* by the text's address */
} TerenSqliteConn;

typedef struct {
  TerenServerBackend  parent;
  char               *path;
  TerenSqliteConn               *writer;
  TerenCheckpointer  *checkpointer; /* the writer's WAL checkpoints, on a thread of their own */
  GMutex              write_lock;
  GMutex              queue_lock;
  GQueue              queue;       /* TerenSqliteWriteJob* waiting for the next group commit */
  GAsyncQueue        *readers;     /* idle reader TerenSqliteConn* */
  GMutex              readers_lock;
  GPtrArray          *all_readers; /* every reader TerenSqliteConn*, to close them */
  gint64              seq;         /* last seq given (under write_lock) */
  char               *epoch;
  guint8              secret[32];
  gboolean            closed;
} TerenSqlite;

#define TEREN_SQLITE_FAIL(error, db, what) \
  g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s: %s", what, sqlite3_errmsg (db))

/* A piece of work run inside the next group commit, in its own SAVEPOINT. */
typedef gboolean (*TerenSqliteWriteFunc) (TerenSqlite *self, TerenSqliteConn *conn, gpointer data, GError **error);

/* Takes the writer lock for work outside a group commit (admin commands). */
#define TEREN_SQLITE_WRITER_BEGIN(self, error) \
  G_STMT_START { \
    g_mutex_lock (&(self)->write_lock); \
    if ((self)->closed) \
      { \
        g_mutex_unlock (&(self)->write_lock); \
        g_set_error (error, TEREN_ERROR, TEREN_ERROR_CANCELLED, "the server is shutting down"); \
        return FALSE; \
      } \
  } G_STMT_END

#define TEREN_SQLITE_WRITER_END(self) g_mutex_unlock (&(self)->write_lock)

/* teren-server-sqlite-epoch.c: the seq gap of this start and the tables of restores */
gboolean               teren_sqlite_epoch_open (TerenSqlite *self,
                                                GError **error);
/* FALSE when a cursor at @seq (of this epoch, signed by this server) cannot come from this
 * database's history: the database was replaced by an older copy; the epoch is renewed. */
gboolean               teren_sqlite_epoch_check_cursor (TerenSqlite *self,
                                                        TerenSqliteConn *conn,
                                                        gint64 seq);

/* After a restore (30 days), a refusal @code "not_found" or "bad_base_rev" becomes a
 * retryable answer (code "restored_base", "retry": true), not stored: the device that
 * made the base may still offer it again. */
gboolean               teren_sqlite_epoch_wait_answer (TerenSqliteConn *conn,
                                                       const TerenOp *op,
                                                       const char *code,
                                                       char **out_answer);

/* teren-server-sqlite.c: the checkpointer of @backend's writer (NULL once closed; tests). */
TerenCheckpointer *    teren_sqlite_get_checkpointer (TerenServerBackend *backend);

/* teren-server-sqlite.c: connections and helpers */
gboolean               teren_sqlite_conn_exec (TerenSqliteConn *conn,
                                               const char *sql,
                                               GError **error);
sqlite3_stmt *         teren_sqlite_conn_stmt (TerenSqliteConn *conn,
                                               const char *sql,
                                               GError **error);
TerenSqliteConn *      teren_sqlite_reader_get (TerenSqlite *self,
                                                GError **error);
void                   teren_sqlite_reader_put (TerenSqlite *self,
                                                TerenSqliteConn *conn);
char *                 teren_sqlite_col_text (sqlite3_stmt *stmt,
                                              int i);
JsonObject *           teren_sqlite_parse_fields (const char *text);
gboolean               teren_sqlite_step_done (TerenSqliteConn *conn,
                                               sqlite3_stmt *stmt,
                                               GError **error);
char *                 teren_sqlite_lines_join (const char * const *lines);
GStrv                  teren_sqlite_lines_split (const char *text);
char *                 teren_sqlite_account_key (gint64 account_id);
GPtrArray *            teren_sqlite_scope_keys (const TerenServerAccount *account);
gint64                 teren_sqlite_query_int (TerenSqliteConn *conn,
                                               const char *sql);
gboolean               teren_sqlite_group_write (TerenSqlite *self,
                                                 TerenSqliteWriteFunc func,
                                                 gpointer data,
                                                 GError **error);
GPtrArray *            teren_sqlite_feed_keys_of (TerenSqliteConn *conn,
                                                  const char *record_id,
                                                  GError **error);
GHashTable *           teren_sqlite_string_set_new (void);
gboolean               teren_sqlite_audit_row (TerenSqliteConn *conn,
                                               const char *account,
                                               const char *device_id,
                                               const char *action,
                                               const char *record_id,
                                               const char *change_id,
                                               const char *detail,
                                               GError **error);
/* The same with the time given (@now, ISO 8601): a push writes its operation's time. */
gboolean               teren_sqlite_audit_row_at (TerenSqliteConn *conn,
                                                  const char *now,
                                                  const char *account,
                                                  const char *device_id,
                                                  const char *action,
                                                  const char *record_id,
                                                  const char *change_id,
                                                  const char *detail,
                                                  GError **error);
gboolean               teren_sqlite_writer_tx (TerenSqlite *self,
                                               GError **error);
gboolean               teren_sqlite_writer_commit (TerenSqlite *self,
                                                   gboolean ok,
                                                   GError **error);

/* The methods of the backend (TerenServerBackendClass), each file putting in its own:
 * push (-sqlite-push.c), feed pages, history, nomenclature pages, scope ids and fetch
 * (-sqlite-feed.c), accounts, tokens, devices, audit and nomenclatures (-sqlite-accounts.c),
 * attachments (-sqlite-blobs.c) and the epoch report (-sqlite-epoch.c). */
void                   teren_sqlite_push_class_init (TerenServerBackendClass *klass);
void                   teren_sqlite_feed_class_init (TerenServerBackendClass *klass);
void                   teren_sqlite_accounts_class_init (TerenServerBackendClass *klass);
void                   teren_sqlite_blobs_class_init (TerenServerBackendClass *klass);
void                   teren_sqlite_epoch_class_init (TerenServerBackendClass *klass);

/* teren-server-sqlite-push.c */
gboolean               teren_sqlite_push_job (TerenSqlite *self,
                                              TerenSqliteConn *conn,
                                              gpointer data,
                                              GError **error);

/* teren-server-sqlite-blobs.c (attachments) */
gboolean               teren_sqlite_blobs_init (TerenSqliteConn *conn,
                                                GError **error);
/* Push hooks: *@out_answer = a `missing_blob` rejection (not to be stored) when the
 * patch references blobs the server lacks; blob_ref rows for a new revision. */
gboolean               teren_sqlite_blobs_missing_answer (TerenSqliteConn *conn,
                                                          const TerenOp *op,
                                                          char **out_answer,
                                                          GError **error);
gboolean               teren_sqlite_blobs_ref_revision (TerenSqliteConn *conn,
                                                        const char *record_id,
                                                        gint64 rev,
                                                        JsonObject *fields,
                                                        GError **error);
/* teren-server-sqlite-push.c: the answer to an operation, {"change_id", "record_id",
 * "status", …; the "rejected" one also with "code" and the translated "message";
 * teren_sqlite_answer_end closes it and gives its text. */
JsonBuilder *          teren_sqlite_answer_begin (const TerenOp *op,
                                                  const char *status);
JsonBuilder *          teren_sqlite_answer_begin_rejected (const TerenOp *op,
                                                           const char *code,
                                                           const char *message);
char *                 teren_sqlite_answer_end (JsonBuilder *builder);
/* teren-server-sqlite-push.c: whether @account may see the record (its line, or for a
 * registry record one of its feed keys). */
gboolean               teren_sqlite_record_in_scope (TerenSqliteConn *conn,
                                                     const TerenServerAccount *account,
                                                     const char *record_id,
                                                     const char *line);

G_END_DECLS
