/* teren-store.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "teren-op.h"
#include "teren-record.h"

G_BEGIN_DECLS

/* The laptop's store (DESIGN.md, SYNC.md "The client op-log", "Durability"): one SQLite
 * database per account directory, WAL, synchronous=FULL, 0600 file in a 0700 directory.
 *
 * Tables: record (current = base + pending ops), base (last server-acknowledged), oplog,
 * op_archive, conflict, draft, sync_meta, search (FTS5 over folded text), history.
 *
 * Threading: the blocking functions below may be called from any thread (the connection
 * is serialised by the store). The GUI calls the _async variants, which run on the
 * store's single worker thread and complete on the caller's main context. */

#define TEREN_TYPE_STORE (teren_store_get_type ())

G_DECLARE_FINAL_TYPE (TerenStore, teren_store, TEREN, STORE, GObject)

#define TEREN_STORE_DB_NAME "teren.db"

/* Opening. Creates @data_dir (0700) and the database (0600) if missing, runs numbered
 * migrations. A damaged database gives TEREN_ERROR_CORRUPT and is left untouched; an
 * unwritable directory or file gives TEREN_ERROR_READ_ONLY. Never overwrites anything. */
TerenStore  *teren_store_open              (const char           *data_dir,
                                            GError              **error);
void         teren_store_open_async        (const char           *data_dir,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
TerenStore  *teren_store_open_finish       (GAsyncResult         *result,
                                            GError              **error);

/* Default data directory: $XDG_DATA_HOME/teren/<account> ("local" before any login). */
char        *teren_store_default_dir       (const char           *account_key);

const char  *teren_store_get_data_dir      (TerenStore           *self);
/* Random UUID made when the store was created; the sync device id. */
const char  *teren_store_get_device_id     (TerenStore           *self);
/* Author recorded in new operations (the account's user name; defaults to the OS user). */
const char  *teren_store_get_author        (TerenStore           *self);
void         teren_store_set_author        (TerenStore           *self,
                                            const char           *author);

/* Signals:
 *  "record-changed" (const char *id, const char *kind): emitted on the main context after
 *   a save, delete or pull changed a record (from any thread).
 *  "oplog-changed" (): the number of pending operations changed. */

/* ---- Records ---------------------------------------------------------------------- */

/* Current state; TEREN_ERROR_NOT_FOUND if unknown. Deleted records are returned with
 * deleted = TRUE. (transfer full) */
TerenRecord *teren_store_get_record        (TerenStore           *self,
                                            const char           *id,
                                            GError              **error);

/**
 * teren_store_save:
 * @self: the store
 * @kind: the record's kind
 * @line: its line ("" for registry kinds)
 * @id: (nullable): the record to update, %NULL to create one
 * @fields: the desired values of the edited fields (members absent are left as they
 *   are; a null member clears a field). Strings are normalised before saving.
 * @draft_key: (nullable): the draft to delete in the same transaction
 * @field_errors: (out) (optional) (transfer full) (element-type TerenFieldError): on
 *   TEREN_ERROR_INVALID, each failure
 * @error: TEREN_ERROR_INVALID, _NOT_FOUND, _READ_ONLY, _IO
 *
 * Validates with the schema registry (a create must be complete), computes the patch
 * against the current record, and in ONE transaction writes the record, appends the op
 * (change id, prev_change, base rev, patch), updates the search index and deletes the
 * draft. Saving with no change writes nothing and returns the record. Nests inside
 * teren_store_begin()/commit() (savepoints).
 *
 * Returns: (transfer full): the saved record, or %NULL on error
 */
TerenRecord *teren_store_save              (TerenStore           *self,
                                            const char           *kind,
                                            const char           *line,
                                            const char           *id,
                                            JsonObject           *fields,
                                            const char           *draft_key,
                                            GPtrArray           **field_errors,
                                            GError              **error);
void         teren_store_save_async        (TerenStore           *self,
                                            const char           *kind,
                                            const char           *line,
                                            const char           *id,
                                            JsonObject           *fields,
                                            const char           *draft_key,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* @field_errors as for teren_store_save. */
TerenRecord *teren_store_save_finish       (TerenStore           *self,
                                            GAsyncResult         *result,
                                            GPtrArray           **field_errors,
                                            GError              **error);

/* Marks deleted (a delete op in the op-log). */
gboolean     teren_store_delete            (TerenStore           *self,
                                            const char           *id,
                                            GError              **error);

/* One record of teren_store_save_all(). */
typedef struct
{
  const char *kind;
  const char *line;      /* "" for registry kinds */
  const char *id;        /* the record to update, NULL to create one */
  JsonObject *fields;    /* as for teren_store_save() */
} TerenStoreSaveItem;

/* Saves @n_items records in ONE transaction, in order: all of them or, at the first
 * failure (its @error, as teren_store_save() gives it), none. For screens that save a
 * whole list at once (a day's register, a class's triage, a home visit). Any thread but
 * the main one's (it takes the writer). */
gboolean     teren_store_save_all          (TerenStore               *self,
                                            const TerenStoreSaveItem *items,
                                            guint                     n_items,
                                            GError                  **error);

/* Explicit transaction around several saves (CSV import): savepoints inside. */
gboolean     teren_store_begin             (TerenStore           *self,
                                            GError              **error);
gboolean     teren_store_commit            (TerenStore           *self,
                                            GError              **error);
void         teren_store_rollback          (TerenStore           *self);

/* ---- Queries (ids as char*, (transfer full) arrays, g_free elements) ----------------- */

/* Non-deleted records of @kind, sorted by title (Romanian collation). */
GPtrArray   *teren_store_list_ids          (TerenStore           *self,
                                            const char           *kind,
                                            GError              **error);
guint        teren_store_count             (TerenStore           *self,
                                            const char           *kind);

/* Records of @kind whose field @key holds @value (e.g. household_member with person = X,
 * case with person = X). */
GPtrArray   *teren_store_find_by_field     (TerenStore           *self,
                                            const char           *kind,
                                            const char           *key,
                                            const char           *value,
                                            GError              **error);

/**
 * teren_store_search:
 * @kinds: (nullable): NULL-terminated kinds to search, %NULL for person and household
 * @query: what was typed: words are folded and matched as prefixes (all must match);
 *   13 digits match a CNP exactly; an empty query lists everything
 * @limit: at most this many ids (0 = no limit)
 *
 * Returns: (transfer full): matching ids, best first (then by title)
 */
GPtrArray   *teren_store_search            (TerenStore           *self,
                                            const char * const   *kinds,
                                            const char           *query,
                                            guint                 limit,
                                            GError              **error);
void         teren_store_search_async      (TerenStore           *self,
                                            const char * const   *kinds,
                                            const char           *query,
                                            guint                 limit,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray   *teren_store_search_finish     (TerenStore           *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Exact CNP lookup among non-deleted persons. (transfer full) ids */
GPtrArray   *teren_store_find_by_cnp       (TerenStore           *self,
                                            const char           *cnp,
                                            GError              **error);

/* Possible duplicates of a person being registered or edited: same valid CNP, or same
 * folded last+first name and same birth date; @exclude_id (nullable) is left out.
 * (transfer full) ids */
GPtrArray   *teren_store_find_duplicates   (TerenStore           *self,
                                            JsonObject           *person_fields,
                                            const char           *exclude_id,
                                            GError              **error);

/* ---- Drafts (never synced) --------------------------------------------------------- */

/* @key: the record id when editing, or a form-made UUID for a new record. Upsert. */
gboolean     teren_store_put_draft         (TerenStore           *self,
                                            const char           *key,
                                            const char           *kind,
                                            const char           *line,
                                            const char           *record_id,
                                            JsonObject           *fields,
                                            GError              **error);
void         teren_store_put_draft_async   (TerenStore           *self,
                                            const char           *key,
                                            const char           *kind,
                                            const char           *line,
                                            const char           *record_id,
                                            JsonObject           *fields,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean     teren_store_put_draft_finish  (TerenStore           *self,
                                            GAsyncResult         *result,
                                            GError              **error);
/* (transfer full) fields, or NULL with TEREN_ERROR_NOT_FOUND. Out params optional. */
JsonObject  *teren_store_get_draft         (TerenStore           *self,
                                            const char           *key,
                                            char                **out_kind,
                                            char                **out_line,
                                            char                **out_record_id,
                                            GError              **error);
gboolean     teren_store_delete_draft      (TerenStore           *self,
                                            const char           *key,
                                            GError              **error);
/* Keys of every draft, newest first (restored after a crash). */
GPtrArray   *teren_store_list_drafts       (TerenStore           *self,
                                            GError              **error);

/* ---- Op-log ------------------------------------------------------------------------ */

guint        teren_store_count_pending     (TerenStore           *self);
/* Oldest first, at most @limit (0 = all). (transfer full) (element-type TerenOp) */
GPtrArray   *teren_store_list_pending_ops  (TerenStore           *self,
                                            guint                 limit,
                                            GError              **error);

/* Sync state of one record, for the record page. */
typedef enum {
  TEREN_RECORD_SYNCED,
  TEREN_RECORD_WAITING,
  TEREN_RECORD_IN_CONFLICT,
  TEREN_RECORD_QUARANTINED,
} TerenRecordSyncState;

TerenRecordSyncState teren_store_get_sync_state (TerenStore      *self,
                                                 const char      *id,
                                                 guint           *out_pending,
                                                 char           **out_reason);

/* PRAGMA integrity_check == "ok". */
gboolean     teren_store_check_integrity   (TerenStore           *self,
                                            GError              **error);
/* The same on a thread of its own (not the store's worker, so saves and searches do not
 * wait for it): a large store is only partly checked at open, so the application runs
 * this once it is up and tells the user if the database is damaged. */
void         teren_store_check_integrity_async  (TerenStore          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean     teren_store_check_integrity_finish (TerenStore          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
