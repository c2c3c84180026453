/* teren-sync-blobs.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "teren-store-blobs.h"
#include "teren-sync-engine.h"

G_BEGIN_DECLS

/* Attachments' bytes over the network (SYNC.md "Other endpoints", SYNC-NOTES.md §2.9):
 * HEAD then PUT /blobs/sha256:… before the operations that reference them are pushed;
 * GET on demand (and prefetch of small ones after a pull). No GTK. */

/* Blobs larger than this go up in pieces of this size (a resumable upload: each piece its
 * own PUT with Content-Range and its own deadline; after a failure the next round goes on
 * from the server's Teren-Upload-Offset), when the server offers it; smaller ones, and all
 * of them with a server that does not, in one PUT. */
#define TEREN_SYNC_UPLOAD_PIECE (1024 * 1024)

/* Blobs up to this size are downloaded after a pull, unless the network is metered. */
#define TEREN_SYNC_PREFETCH_MAX_SIZE (256 * 1024)

/**
 * teren_sync_engine_fetch_blob_async:
 * @engine: the engine of the open account
 * @blob: "sha256:<hex>"
 *
 * The local path of @blob, downloading it first (GET /blobs/…) if it is not here. The
 * bytes are kept only if their SHA-256 matches @blob. Errors: TEREN_SYNC_ERROR (NETWORK,
 * TIMEOUT, FORBIDDEN when the account may not see it, PROTOCOL for a damaged download,
 * NOT_LOGGED_IN, CANCELLED, STORE…), with a translated message.
 */
void        teren_sync_engine_fetch_blob_async   (TerenSyncEngine     *engine,
                                                  const char          *blob,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* Returns: (transfer full): the file's path, or %NULL with @error */
char       *teren_sync_engine_fetch_blob_finish  (TerenSyncEngine     *engine,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* ---- For the engine's round (teren-sync-engine.c) ---------------------------------- */

typedef struct {
  guint       uploaded;   /* blobs PUT (or found on the server by HEAD) */
  guint       failed;     /* blobs that could not be uploaded */
  guint64     sent;       /* bytes of attachments sent in request bodies (answered 2xx) */
  GHashTable *blocked;    /* change ids (set) not to send this round, or NULL */
  GError     *error;      /* the first upload failure, or NULL */
} TerenSyncBlobUpload;

void        teren_sync_blob_upload_free          (TerenSyncBlobUpload *upload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenSyncBlobUpload, teren_sync_blob_upload_free)

/* Uploads every local-only blob referenced by a pending operation (HEAD, then PUT of the
 * file's bytes when the server lacks it: in pieces from the server's offset when it gives
 * one and the file is over TEREN_SYNC_UPLOAD_PIECE, else whole). A blob counts as uploaded
 * only once the server has all of it. Never fails for an upload that failed: the
 * result says which operations must wait (and why). Fails only when the round must stop
 * (CANCELLED, UNAUTHORIZED, DEVICE_REVOKED, STORE). */
void        teren_sync_blobs_upload_async        (TerenSyncEngine     *engine,
                                                  TerenStore          *store,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
TerenSyncBlobUpload *teren_sync_blobs_upload_finish (TerenSyncEngine  *engine,
                                                     GAsyncResult     *result,
                                                     GError          **error);

/* Blocking (a worker thread): gives back to the op-log (pending) the operations of @ops
 * from the first one in @blocked on, and removes them from @ops: an operation waiting for
 * its attachment holds the ones saved after it, so that the server sees them in order.
 * The batch also ends before a later operation of a record whose earlier operation in it
 * carries attachments (sent in the next batch, once the first one was decided). */
gboolean    teren_sync_blobs_trim_batch          (TerenStore          *store,
                                                  GPtrArray           *ops,
                                                  GHashTable          *blocked,
                                                  GError             **error);

/* Forgets the attachments nothing refers to any more (teren_store_blobs_collect()), then
 * downloads the remote-only blobs of at most TEREN_SYNC_PREFETCH_MAX_SIZE bytes, unless
 * the network is metered. Failures are only logged; returns how many were downloaded. */
void        teren_sync_blobs_prefetch_async      (TerenSyncEngine     *engine,
                                                  TerenStore          *store,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
guint       teren_sync_blobs_prefetch_finish     (TerenSyncEngine     *engine,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
