/* teren-server-blobs.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "teren-server-backend.h"

G_BEGIN_DECLS

/* Attachments (issue 8, SYNC.md "Other endpoints", SYNC-NOTES §2.9): content-addressed
 * blobs stored under <data dir>/blobs/<2 hex>/<64 hex> (files 0600, folders 0700), written
 * through a temporary file in <data dir>/blobs/tmp (fsync, rename). Their metadata and
 * which record revisions reference them are kept by the backend.
 *
 *   PUT  /api/v1/blobs/sha256:HEX    raw body ≤ 10 MiB, streamed to disk, hash verified,
 *                                     PDF/JPEG/PNG only (by content); 201 new, 200 known
 *   HEAD /api/v1/blobs/sha256:HEX    200 + Content-Length, or 404
 *   GET  /api/v1/blobs/sha256:HEX    the bytes, if a record referencing it is in the
 *                                     caller's scope (or the caller uploaded it and nothing
 *                                     references it yet); 403 / 404 otherwise
 *
 * Resumable uploads (SYNC-NOTES §2.9, for slow links): a PUT with
 * `Content-Range: bytes X-Y/TOTAL` appends its body to the caller's account's *partial* of
 * that hash (DIR/blobs/tmp/partial-<account id>/<hex>.<TOTAL>; another account never sees
 * or extends it). X must be the partial's size (else 409 bad_request, nothing changed),
 * TOTAL ≤ 10 MiB and the same for every piece (else 413 too_large / 400 bad_request). A
 * piece cut off keeps the bytes that arrived. A piece that leaves the partial short of
 * TOTAL gets 202 {"blob","offset","size","complete":false}; the one that completes it is
 * hash-checked and stored exactly as a whole PUT, with its answer. Answers to these PUTs
 * and a HEAD's 404 carry TEREN_UPLOAD_OFFSET_HEADER: the bytes of the caller's partial
 * (0 when none). Partials are removed after a day without a write, and those of disabled
 * or unknown accounts, by the tmp sweep; an account holds at most
 * TEREN_BLOB_PARTIAL_MAX_COUNT of them, of TEREN_BLOB_PARTIAL_MAX_BYTES together (429
 * rate_limited beyond). TEREN_SERVER_BLOB_RESUME=0 (a test knob) turns this off: the
 * server then acts as one without the extension. */

#define TEREN_BLOB_MAX_SIZE     (10 * 1024 * 1024)
#define TEREN_BLOB_GC_AGE_DAYS  30
#define TEREN_BLOB_HEX_LEN      64
#define TEREN_UPLOAD_OFFSET_HEADER    "Teren-Upload-Offset"
#define TEREN_BLOB_PARTIAL_MAX_COUNT  16
#define TEREN_BLOB_PARTIAL_MAX_BYTES  (64 * 1024 * 1024)

typedef struct _TerenServerBlobs TerenServerBlobs;

/* Creates <data_dir>/blobs and its tmp folder (0700). */
TerenServerBlobs *teren_server_blobs_new  (const char          *data_dir,
                                           TerenServerBackend  *backend,
                                           GError             **error);
/* Stops the collection timer and waits for a collection in progress. */
void              teren_server_blobs_free (TerenServerBlobs    *self);

/* "sha256:<64 lower-case hex>" → TRUE, and the hex part in @out_hex (65 bytes). */
gboolean          teren_server_blob_id_parse (const char *id,
                                              char        out_hex[TEREN_BLOB_HEX_LEN + 1]);

/* The MIME type of the content by its first bytes (PDF, JPEG, PNG), or NULL. */
const char       *teren_server_blob_sniff (const guint8 *data,
                                           gsize         length);

/* Adds to @out_hex (char*, unique) the hex of every blob reference
 * {"blob": "sha256:HEX", …} found in the values of @fields, at any depth up to 8. */
void              teren_server_blob_refs_collect (JsonObject *fields,
                                                  GPtrArray  *out_hex);

/* What the early handler (after the headers, before the body) does with a request. */
typedef enum {
  TEREN_SERVER_BLOB_EARLY_NOT_BLOB,   /* not a blob upload: the usual checks apply */
  TEREN_SERVER_BLOB_EARLY_STREAMING,  /* the body goes to a temporary file as it comes */
  TEREN_SERVER_BLOB_EARLY_REFUSE,     /* refuse unread with the status, code and message given */
} TerenServerBlobEarly;

/* Main context. @path is the full request path. A streamed upload is paused until its
 * token is checked (off the main context): an unknown token gets 401 before any of the
 * body is read. @token_idle: seconds a token lives without use. */
TerenServerBlobEarly teren_server_blobs_early (TerenServerBlobs   *self,
                                               SoupServerMessage  *msg,
                                               const char         *path,
                                               gint64              token_idle,
                                               guint              *out_status,
                                               const char        **out_code,
                                               char              **out_message);

/* Removes the blobs no record revision references that were uploaded more than
 * @max_age_seconds ago (and stale temporary files). Any thread. */
gboolean          teren_server_blobs_gc (TerenServerBlobs  *self,
                                         gint64             max_age_seconds,
                                         guint             *out_removed,
                                         guint64           *out_removed_bytes,
                                         guint             *out_kept,
                                         GError           **error);

/* Runs teren_server_blobs_gc() every @interval_seconds (first after a minute) on a
 * thread of its own, off the main context. */
void              teren_server_blobs_start_gc_timer (TerenServerBlobs *self,
                                                     guint             interval_seconds);

/* The collection period of a running server: TEREN_SERVER_BLOB_GC_SECONDS, else a day. */
guint             teren_server_blobs_gc_interval (void);

/* `teren-server gc-blobs --data-dir DIR`: prints the counts; returns the exit status. */
int               teren_server_blobs_cli_gc (const char *data_dir);

G_END_DECLS
