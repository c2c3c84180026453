/* teren-store-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "teren-schema.h"
#include "teren-sqlite-checkpoint.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* One SQLite connection and its prepared statements (keyed by the address of the static
 * SQL string). A connection is used by one thread at a time: the writer under the store's
 * write lock, readers taken from and given back to the store's pool. */
typedef struct _TerenSearchOrder TerenSearchOrder;

typedef struct
{
  sqlite3      *db;
  GHashTable   *stmts;
  GCancellable *cancellable;   /* checked by the progress handler while a query runs */
  /* A batch of search rows not yet in search_fts (teren_store_search_batch_begin): the
   * rows above fts_mark, each given the next rowid fts_next; 0 outside a batch. */
  guint         fts_batch;
  gint64        fts_mark;
  gint64        fts_next;
  /* The writer's: told of every search row written (teren_search_order_touched). */
  TerenSearchOrder *search_order;
} TerenDb;

/* Opening and schema (teren-store-db.c). Databases larger than
 * teren_db_full_check_max_bytes get a partial check at open (tests may change it). */
extern goffset teren_db_full_check_max_bytes;

/* Opening and schema (teren-store-db.c) */
TerenDb       *teren_db_open_writer      (const char     *data_dir,
                                          const char     *db_path,
                                          GError        **error);
TerenDb       *teren_db_open_reader      (const char     *db_path,
                                          GError        **error);
void           teren_db_close            (TerenDb        *db);

sqlite3_stmt  *teren_db_prepare          (TerenDb        *db,
                                          const char     *sql,
                                          GError        **error);
gboolean       teren_db_exec             (TerenDb        *db,
                                          const char     *sql,
                                          GError        **error);
void           teren_db_set_error        (TerenDb        *db,
                                          int             rc,
                                          GError        **error);
/* Steps a statement that returns no row, then resets it. */
gboolean       teren_db_run              (TerenDb        *db,
                                          sqlite3_stmt   *stmt,
                                          GError        **error);
/* Prepares @sql (a static string), binds @text to ?1 and runs it as teren_db_run(). */
gboolean       teren_db_run_with_text    (TerenDb        *db,
                                          const char     *sql,
                                          const char     *text,
                                          GError        **error);
void           teren_db_bind_text        (sqlite3_stmt   *stmt,
                                          int             index,
                                          const char     *text);
/* (transfer full) column text or NULL */
char          *teren_db_column_dup       (sqlite3_stmt   *stmt,
                                          int             column);

char          *teren_db_get_meta         (TerenDb        *db,
                                          const char     *key);
gboolean       teren_db_set_meta         (TerenDb        *db,
                                          const char     *key,
                                          const char     *value,
                                          GError        **error);

/* Connections of a store (teren-store.c) */
TerenDb       *teren_store_lock_writer   (TerenStore     *self);
void           teren_store_unlock_writer (TerenStore     *self);
/* A connection for reading: the writer when this thread holds an open transaction (so it
 * sees its own writes), else a pooled read-only connection. Give it back with
 * teren_store_release_reader(). */
TerenDb       *teren_store_acquire_reader (TerenStore    *self,
                                           GCancellable  *cancellable);
void           teren_store_release_reader (TerenStore    *self,
                                           TerenDb       *db);

/* Transactions on the writer (lock held): BEGIN IMMEDIATE at depth 0, savepoints inside. */
gboolean       teren_store_tx_begin      (TerenStore     *self,
                                          TerenDb        *db,
                                          GError        **error);
gboolean       teren_store_tx_commit     (TerenStore     *self,
                                          TerenDb        *db,
                                          GError        **error);
void           teren_store_tx_rollback   (TerenStore     *self,
                                          TerenDb        *db);

/* Queue "record-changed" / "oplog-changed" for the main context; held back while an
 * explicit transaction is open and dropped if it rolls back. */
void           teren_store_queue_changed (TerenStore     *self,
                                          const char     *id,
                                          const char     *kind,
                                          gboolean        oplog);

/* The order of the search index in memory, for searches with many matches
 * (teren-store-order.c). */

/* Searches with at least this many matches use the order in memory (tests change it). */
extern guint teren_search_order_min_matches;

TerenSearchOrder *teren_search_order_new    (void);
TerenSearchOrder *teren_search_order_ref    (TerenSearchOrder   *order);
void              teren_search_order_unref  (TerenSearchOrder   *order);
/* Makes @order the writer's: told of the search rows it writes. */
void              teren_search_order_attach (TerenSearchOrder   *order,
                                             TerenDb            *writer);
/* After each commit of the writer (its WAL hook): what the transaction touched becomes
 * visible to searches. */
void              teren_search_order_committed (TerenSearchOrder *order);
/* The open transaction of the writer wrote search row @n (inserted, changed or removed);
 * _all: it removed every row. @order may be NULL. */
void              teren_search_order_touched     (TerenSearchOrder *order,
                                                  gint64            n);
void              teren_search_order_touched_all (TerenSearchOrder *order);
/* Reads the order on a thread of its own (with its own connection), if not read yet. */
void              teren_search_order_warm_in_thread (TerenSearchOrder *order,
                                                     const char       *db_path);
gboolean          teren_search_order_is_ready (TerenSearchOrder *order);
/* The store closes: the warming thread stops, and this waits for it. */
void              teren_search_order_close  (TerenSearchOrder   *order);
/* The ids matching the FTS5 query @match, of @kinds, titles starting with @folded first,
 * then in title order; NULL when the SQL query should answer instead (few matches, or
 * the order cannot be used). */
GPtrArray        *teren_search_order_query  (TerenSearchOrder   *order,
                                             TerenDb            *db,
                                             const char         *match,
                                             const char * const *kinds,
                                             const char         *folded,
                                             guint               limit);
TerenSearchOrder *teren_store_get_search_order (TerenStore      *self);
TerenCheckpointer *teren_store_get_checkpointer (TerenStore      *self);

/* Search and reference rows of a record (teren-store-records.c), shared with the sync
 * layer. @is_new: the record has no rows yet, skip deleting the old ones. These are the
 * only writers of `search` rows and of the FTS5 index search_fts over them (external
 * content, no triggers): each keeps both in step, at once or, inside a batch, when the
 * batch ends. */
gboolean       teren_store_unindex_record (TerenDb            *db,
                                           const char         *id,
                                           GError            **error);
/* What a record's row and search entry hold that follows from its kind and fields alone
 * (teren_store_derive_record): computed off the writer, e.g. while the next pull page is
 * parsed, so that the writer's transaction only writes. */
typedef struct
{
  char *title;
  char *sort_key;
  char *search_text;    /* teren_schema_search_text() */
  char *title_folded;
  char *cnp;            /* persons: the CNP key, or NULL */
  char *dup_key;        /* persons: the duplicate key, or NULL */
} TerenRecordDerived;

void           teren_store_derive_record  (const TerenKindDef *kind,
                                           JsonObject         *fields,
                                           TerenRecordDerived *out);
void           teren_record_derived_clear (TerenRecordDerived *derived);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TerenRecordDerived, teren_record_derived_clear)

/* @derived: teren_store_derive_record() of @kind and @fields. */
gboolean       teren_store_index_record   (TerenDb                  *db,
                                           const TerenKindDef       *kind,
                                           const char               *id,
                                           JsonObject               *fields,
                                           const TerenRecordDerived *derived,
                                           gboolean                  is_new,
                                           GError                  **error);

/* A batch of index writes inside the caller's transaction (a pull page, a digest repair):
 * search rows written meanwhile reach search_fts in one statement at
 * teren_store_search_batch_end(), before the commit (FTS5 writes its pending terms out at
 * the end of every statement, so one statement per record made one tiny index segment per
 * record). Searches on this connection do not see the batch's rows by name before its
 * end. After a rollback, call teren_store_search_batch_cancel(). */
gboolean       teren_store_search_batch_begin  (TerenDb       *db,
                                                GError       **error);
gboolean       teren_store_search_batch_end    (TerenDb       *db,
                                                GError       **error);
void           teren_store_search_batch_cancel (TerenDb       *db);

/* Inserts or replaces the record row of @id (created_at/created_by of a row already
 * there are kept), in the caller's transaction (teren-store-records.c). */
gboolean       teren_store_write_record_row (TerenDb          *db,
                                             const char       *id,
                                             const char       *kind,
                                             const char       *line,
                                             gint64            rev,
                                             gboolean          deleted,
                                             const char       *fields_json,
                                             const char       *sort_key,
                                             const char       *created_at,
                                             const char       *updated_at,
                                             const char       *created_by,
                                             const char       *updated_by,
                                             GError          **error);

/* Appends an operation of @type on @id to the op-log and its history row, in the caller's
 * transaction (teren-store-records.c): prev_change is the last operation on the record
 * still in the op-log, a record with a refused operation holds the new one behind it, the
 * base revision is the base's (0 for a create). @resolves_json: the conflicts it
 * resolves, or NULL. */
gboolean       teren_store_append_op      (TerenDb            *db,
                                           const char         *id,
                                           const char         *kind,
                                           const char         *line,
                                           TerenOpType         type,
                                           JsonObject         *patch,
                                           const char         *author,
                                           const char         *now,
                                           const char         *resolves_json,
                                           GError            **error);

/* One op-log row as an operation (teren-store-records.c); a damaged patch leaves
 * op->patch NULL and sets @error. */
TerenOp       *teren_store_op_from_row    (sqlite3_stmt       *stmt,
                                           GError            **error);

/* Runs @func on the store's worker thread. */
void           teren_store_run_in_worker (TerenStore     *self,
                                          GTask          *task,
                                          GTaskThreadFunc func);

/* The query of teren_store_line_cases() (teren-store-report.c): ?1 line, ?2 status or
 * NULL, ?3 worker or NULL. Tests check its plan uses the indexes of migration 7. */
extern const char teren_store_line_cases_sql[];

/* The integrity digest (teren-store-digest.c): its SQL function and the base_digest table
 * (computed from the base once for an older store) on the writer connection. */
gboolean       teren_store_digest_attach (TerenDb        *writer,
                                          GError        **error);
/* Keeps base_digest in step with a write to `base`: row @id counted at @old_rev before
 * (when @had: it existed and was not deleted) and at @new_rev after (when @has). Every
 * writer of `base` calls it, in the same transaction (not a trigger: its statement
 * journal made every base row of a pull page cost twice as much). */
gboolean       teren_store_digest_change (TerenDb        *db,
                                          const char     *id,
                                          gboolean        had,
                                          gint64          old_rev,
                                          gboolean        has,
                                          gint64          new_rev,
                                          GError        **error);
/* For the digest repair (teren-store-sync.c), inside the caller's transaction: @record
 * (a checked pull-shaped record) becomes the base whatever the local rev, and the current
 * row is recomputed; purge_id deletes everything of @id as a pulled purge does. */
gboolean       teren_store_sync_replace_base (TerenStore  *self,
                                              TerenDb     *db,
                                              JsonObject  *record,
                                              const char  *now,
                                              GError     **error);
gboolean       teren_store_sync_purge_id  (TerenStore     *self,
                                           TerenDb        *db,
                                           const char     *id,
                                           GError        **error);

G_END_DECLS
