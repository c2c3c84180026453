/* teren-sync-digest.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "teren-store.h"
#include "teren-sync-engine.h"

G_BEGIN_DECLS

/* The integrity check and repair of the client (SYNC.md "Integrity digest", issue 8).
 *
 * At the end of a successful round (push and pull finished) the engine runs it when due:
 * after the first complete sync, then at most once a day (the time is kept in sync_meta),
 * and right after the server's epoch changed (the epoch of the last check is kept too), or
 * when asked with teren_sync_digest_request_check(). It verifies the local running digest
 * against the base (corrects it after writes made outside Teren), asks GET /digest, and on
 * a mismatch asks the 16 bucket digests, then for each differing bucket GET /ids?bucket=x,
 * compares with the local (id, rev) list and POST /fetch the differing ids (at most 2,000 a
 * request); the answers are applied by teren_store_digest_apply_fetch(): nothing else is
 * touched, nothing is wiped, records with a waiting operation are kept. Logs carry ids and
 * counts only. A failed check does not fail the round; it is tried again after an hour. */

#define TEREN_SYNC_META_DIGEST_CHECKED "digest_checked_at"  /* ISO 8601 UTC of the last check */
#define TEREN_SYNC_META_DIGEST_EPOCH   "digest_epoch"       /* server epoch of the last check */
#define TEREN_SYNC_META_DIGEST_RESULT  "digest_result"      /* "<buckets> <records> <kept>" repaired */

typedef struct {
  gboolean checked;            /* a check ran (it was due) */
  gboolean mismatch;           /* the server's digest differed from the local one */
  gboolean local_corrected;    /* the running digest differed from the base (outside writes) */
  guint    buckets_differing;
  guint    buckets_repaired;   /* buckets where something was written or removed */
  guint    ids_fetched;        /* ids asked with POST /fetch */
  guint    records_repaired;   /* base rows written or removed */
  guint    records_kept;       /* differing, but an operation of this device waits */
} TerenSyncDigestResult;

/* Runs the check if due (@force: whatever the schedule) on @store, through the engine's
 * session and token. Used by the engine at the end of a round; callers outside the engine
 * use teren_sync_digest_request_check(). Errors in TEREN_SYNC_ERROR. */
void         teren_sync_digest_run_async      (TerenSyncEngine        *engine,
                                               TerenStore             *store,
                                               gboolean                force,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
gboolean     teren_sync_digest_run_finish     (TerenSyncEngine        *engine,
                                               GAsyncResult           *result,
                                               TerenSyncDigestResult  *out_result,
                                               GError                **error);

/* Asks for a check at the end of the next round whatever the schedule (e.g. after the
 * server's epoch changed), and starts that round (teren_sync_engine_sync_now) when the
 * engine is started. */
void         teren_sync_digest_request_check  (TerenSyncEngine        *engine);

/* The last check known to this engine (main context): FALSE if none yet. @out_checked_at
 * (transfer full) (optional). */
gboolean     teren_sync_digest_get_last_check (TerenSyncEngine        *engine,
                                               GDateTime             **out_checked_at,
                                               guint                  *out_buckets_repaired,
                                               guint                  *out_records_repaired);

G_END_DECLS
