/* teren-store-sync.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-op.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* What the sync engine needs from the store (SYNC.md "Push", "Pull", "Durability"). Every
 * function that writes is ONE transaction: a push answer, a pull page with its cursor, a
 * conflict resolution, a quarantine retry or discard, a revocation wipe. They block: call
 * them from a worker thread (the engine does), never from the GUI's main loop. Answers from
 * the server are checked completely before anything is written ("parse before apply"), so a
 * malformed or truncated answer changes nothing. Logs carry ids and counts only. */

/* ---- sync_meta keys ------------------------------------------------------------------ */

#define TEREN_SYNC_META_CURSOR      "cursor"       /* opaque pull cursor, absent = start */
#define TEREN_SYNC_META_EPOCH       "epoch"        /* server epoch of the cursor */
#define TEREN_SYNC_META_SERVER_TIME "server_time"  /* server_time of the last page */
#define TEREN_SYNC_META_LAST_SYNC   "last_sync"    /* ISO 8601 UTC of the last full round */
#define TEREN_SYNC_META_LAST_ERROR  "last_error"   /* message of the last failed round */
#define TEREN_SYNC_META_SERVER_URL  "server_url"   /* the account this store belongs to */
#define TEREN_SYNC_META_USERNAME    "username"
#define TEREN_SYNC_META_DISPLAY_NAME "display_name"
#define TEREN_SYNC_META_REVOKED     "revoked"      /* set by a wipe: the device was revoked */

/* (transfer full) value or NULL */
char        *teren_store_sync_get_meta        (TerenStore   *self,
                                               const char   *key);
/* @value NULL deletes the key. */
gboolean     teren_store_sync_set_meta        (TerenStore   *self,
                                               const char   *key,
                                               const char   *value,
                                               GError      **error);

/* ---- Push ---------------------------------------------------------------------------- */

/* Counts of one push answer or one pull page (added to, not reset). */
typedef struct {
  guint applied;
  guint merged;
  guint conflicts;
  guint rejected;
  guint duplicates;
  guint records;      /* pull: records applied (rev newer than base) */
  guint skipped;      /* pull: records not newer than their base */
  guint purged;       /* pull: ids deleted locally */
  guint missing_blobs; /* push: operations refused as missing_blob, left pending */
} TerenSyncCounts;

/**
 * teren_store_sync_take_batch:
 * @limit: at most this many (SYNC.md: 500)
 *
 * The next push batch: pending operations oldest first, never a quarantined or held one.
 * Marks them in flight and counts an attempt (one transaction). An operation in flight
 * that was never answered is taken again (it keeps its change id, so the server answers
 * `duplicate` if it had applied it).
 *
 * Returns: (transfer full) (element-type TerenOp): possibly empty
 */
GPtrArray   *teren_store_sync_take_batch      (TerenStore   *self,
                                               guint         limit,
                                               GError      **error);

/**
 * teren_store_sync_apply_push_answer:
 * @ops: (element-type TerenOp): the batch that was sent, in order
 * @answer: the server's body: {"results": [ {…one per op, in order…} ]}
 * @counts: (out caller-allocates) (optional): added to
 *
 * Handles each result exactly as SYNC.md's table: `applied`/`merged` → op archived, base :=
 * the returned record (or base + patch at the returned rev); `conflict` → op archived, base
 * := the returned record, one conflict row per clashing field (base, server, local values)
 * and the record shown with the server value; `rejected` → quarantine with the reason, and
 * the record's later operations held behind it; `duplicate` → as the original answer.
 * The record's current state is recomputed as base + its remaining operations. One
 * transaction; TEREN_ERROR_BAD_JSON (nothing written) if the answer does not match @ops.
 *
 * A result is an object: {"change_id", "status", "rev"?, "seq"?, "record"?: {id, kind,
 * line, rev, seq, deleted, fields, updated_by, updated_at}, "conflict_id"?, "reason"?,
 * "conflicts"?: [{"field", "base", "server", "local"}], "code"?, "message"?,
 * "errors"?: [{"field", "code", "message"}], "original"?: {…a result…}}.
 */
gboolean     teren_store_sync_apply_push_answer (TerenStore      *self,
                                                 GPtrArray       *ops,
                                                 JsonObject      *answer,
                                                 TerenSyncCounts *counts,
                                                 GError         **error);

/* Puts operations taken by a batch that got no answer back to pending (they are taken
 * again anyway; this only keeps the per-record state honest). */
gboolean     teren_store_sync_release_batch   (TerenStore   *self,
                                               GPtrArray    *ops,
                                               GError      **error);

/* ---- Pull ---------------------------------------------------------------------------- */

/* The stored cursor, NULL before the first page. (transfer full) */
char        *teren_store_sync_get_cursor      (TerenStore   *self);

/**
 * teren_store_sync_apply_pull_page:
 * @page: {"records": […], "purge": […], "cursor", "more", "epoch", "server_time"}
 * @counts: (out caller-allocates) (optional): added to
 * @out_more: (out) (optional): the page's "more"
 *
 * Checks the whole page, then in ONE transaction: every record whose rev is newer than its
 * base becomes the base, and current := base + the record's pending operations (rebased,
 * so a pending edit is never overwritten); `sys.conflict` records become conflict items;
 * purged ids are deleted (kept while an operation on them is still waiting); the cursor,
 * epoch and server time are stored. A replayed page changes nothing.
 */
gboolean     teren_store_sync_apply_pull_page (TerenStore      *self,
                                               JsonObject      *page,
                                               TerenSyncCounts *counts,
                                               gboolean        *out_more,
                                               GError         **error);

/* The same in two steps, so that a pipelined pull does the first off the writer:
 * teren_store_sync_prepare_pull_page() checks the whole page (TEREN_ERROR_BAD_JSON) and
 * works out what each record will be written as (fields text, title, sort and search
 * keys); it touches no database and may run on any thread. teren_store_sync_apply_
 * prepared_page() is the transaction. A prepared page keeps a reference to @page. */
typedef struct _TerenPulledPage TerenPulledPage;

TerenPulledPage *teren_store_sync_prepare_pull_page   (JsonObject       *page,
                                                       GError          **error);
gboolean         teren_store_sync_apply_prepared_page (TerenStore       *self,
                                                       TerenPulledPage  *prepared,
                                                       TerenSyncCounts  *counts,
                                                       gboolean         *out_more,
                                                       GError          **error);
guint            teren_pulled_page_get_n_records      (TerenPulledPage  *prepared);
gboolean         teren_pulled_page_get_more           (TerenPulledPage  *prepared);
const char      *teren_pulled_page_get_cursor         (TerenPulledPage  *prepared);
void             teren_pulled_page_free               (TerenPulledPage  *prepared);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenPulledPage, teren_pulled_page_free)

/* After the server's epoch changed (restored from a backup, seen by a pull page), puts the
 * acknowledged operations of op_archive back in the op-log with their change ids, before
 * the waiting ones; the server answers `duplicate` for those it still knows (SYNC.md
 * "Integrity digest"). Nothing to do otherwise. One transaction. */
gboolean     teren_store_sync_reoffer_archive (TerenStore      *self,
                                               guint           *out_count,
                                               GError         **error);

/* Whether acknowledged operations wait to be offered again (an epoch change was seen). */
gboolean     teren_store_sync_reoffer_pending (TerenStore      *self);

/* Acknowledged operations stay in op_archive this many days (SYNC.md). */
#define TEREN_SYNC_ARCHIVE_DAYS 30

/* After a successful round: stamps the operations archived since the last call with the
 * server's time of this round (TEREN_SYNC_META_SERVER_TIME) and removes those stamped
 * more than TEREN_SYNC_ARCHIVE_DAYS before it. Only the server's clock counts; nothing is
 * removed while a re-offer (a restored server) is pending or without a server time. */
gboolean     teren_store_sync_prune_archive   (TerenStore      *self,
                                               guint           *out_pruned,
                                               GError         **error);

/* After an epoch change: every (id, rev) of the base as [[id, rev], …] for the server's
 * epoch report (records this store holds at a newer revision than the restored server),
 * and the epoch known before; NULL (no error) when no report is due. Call _done once the
 * server took it. */
JsonArray   *teren_store_sync_epoch_report_take (TerenStore  *self,
                                                 char       **out_old_epoch,
                                                 GError     **error);
gboolean     teren_store_sync_epoch_report_done (TerenStore  *self,
                                                 GError     **error);

/* Purges that were postponed because an operation was waiting; done once those are gone. */
gboolean     teren_store_sync_finish_purges   (TerenStore      *self,
                                               TerenSyncCounts *counts,
                                               GError         **error);

/* ---- Status -------------------------------------------------------------------------- */

typedef struct {
  guint  pending;      /* operations that will be sent (pending + in flight) */
  guint  held;         /* operations waiting behind a quarantined one */
  guint  quarantined;  /* operations refused by the server */
  guint  conflicts;    /* open conflict items (one per field) */
  char  *last_sync;    /* ISO 8601 or NULL */
  char  *last_error;   /* or NULL */
} TerenSyncStatus;

void         teren_sync_status_clear          (TerenSyncStatus *status);
gboolean     teren_store_sync_get_status      (TerenStore      *self,
                                               TerenSyncStatus *out_status,
                                               GError         **error);

/* ---- Conflicts ----------------------------------------------------------------------- */

typedef struct {
  char     *id;           /* conflict item id: "<sys.conflict id>#<field>" */
  char     *conflict_id;  /* the server's sys.conflict record id (may equal change id) */
  char     *record_id;
  char     *record_kind;
  char     *change_id;    /* the local operation that clashed */
  char     *reason;       /* "field", "edit_on_deleted", "delete_vs_edit" */
  char     *field;        /* "" for a record-level conflict */
  JsonNode *base;         /* values (null node when absent) */
  JsonNode *server;
  JsonNode *local;
  char     *server_by;    /* who changed the server value, when (nullable) */
  char     *server_at;
  char     *local_by;
  char     *local_at;
  char     *state;        /* "open", "resolving" (resolution not yet acknowledged) */
  char     *created_at;
} TerenConflict;

void          teren_conflict_free             (TerenConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenConflict, teren_conflict_free)

/* Open and resolving conflicts, oldest first; @record_id NULL for all.
 * (transfer full) (element-type TerenConflict) */
GPtrArray    *teren_store_list_conflicts      (TerenStore    *self,
                                               const char    *record_id,
                                               GError       **error);

/**
 * teren_store_resolve_conflict:
 * @item_id: a TerenConflict id
 * @value: (nullable): the chosen or edited value of the field (NULL = clear it). For a
 *   record-level conflict it is ignored: the server's outcome is accepted.
 *
 * The resolution is an ordinary saved change (validated, one transaction): an update of the
 * field whose base is the conflict's rev, carrying `resolves: [conflict_id]`, even when the
 * chosen value is the one already shown. The item becomes "resolving" until the server
 * acknowledges the update, then it disappears. Returns the saved record.
 */
TerenRecord  *teren_store_resolve_conflict    (TerenStore    *self,
                                               const char    *item_id,
                                               JsonNode      *value,
                                               GError       **error);

/* ---- Quarantine ---------------------------------------------------------------------- */

typedef struct {
  char       *change_id;
  char       *record_id;
  char       *kind;
  char       *line;
  char       *op;          /* "create", "update", "delete" */
  JsonObject *patch;
  char       *code;        /* the server's code, e.g. "invalid", "forbidden", "id_taken" */
  char       *message;     /* the server's message (translatable on its side) */
  JsonArray  *errors;      /* [{"field","code","message"}] or NULL */
  char       *device_time;
  gboolean    held;        /* TRUE: not refused itself, waits behind a refused one */
} TerenQuarantined;

void          teren_quarantined_free          (TerenQuarantined *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenQuarantined, teren_quarantined_free)

/* Quarantined and held operations, in save order. (element-type TerenQuarantined) */
GPtrArray    *teren_store_list_quarantine     (TerenStore    *self,
                                               GError       **error);

/**
 * teren_store_retry_quarantined:
 * @change_id: a quarantined operation
 * @fixed_patch: (nullable): replaces the operation's patch (validated against the schema);
 *   NULL retries it unchanged
 *
 * Puts it back in the op-log with the operations held behind it, and recomputes the record.
 * The retry gets a NEW change id: it is a person's new attempt, and the server remembers
 * the refused id (it would answer `duplicate` with the same refusal). One transaction.
 */
gboolean      teren_store_retry_quarantined   (TerenStore    *self,
                                               const char    *change_id,
                                               JsonObject    *fixed_patch,
                                               GError       **error);

/* Drops a quarantined operation (the GUI asks first); the record goes back to base + its
 * other operations, which are released. One transaction. */
gboolean      teren_store_discard_quarantined (TerenStore    *self,
                                               const char    *change_id,
                                               GError       **error);

/* ---- Revocation ---------------------------------------------------------------------- */

/* Change ids of every operation not acknowledged by the server (what a wipe loses).
 * (transfer full) (element-type utf8) */
GPtrArray    *teren_store_sync_list_unsent    (TerenStore    *self,
                                               GError       **error);

/* The device was revoked (403 device_revoked): in ONE transaction (secure_delete on)
 * deletes every record, base, operation, archive, conflict, draft, history and cursor,
 * keeps only device_id and sets "revoked"; then checkpoints the log so nothing remains in
 * the files. */
gboolean      teren_store_sync_wipe           (TerenStore    *self,
                                               GError       **error);

G_END_DECLS
