/* teren-store-blobs.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-attachment.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* Attachments' bytes in the store (SYNC-NOTES.md §2.9): content-addressed files
 * <data dir>/blobs/<64 hex> (0600, directory 0700) and the table `blob` with each one's
 * sync state. Records hold only references {"blob": "sha256:…", "size", "mime", "name"}
 * (teren-attachment.h). Blobs referenced by records written to `base` (pull, push answers,
 * repair) get a REMOTE_ONLY row automatically (a trigger), so the engine knows what to
 * download.
 *
 * Every function here blocks: call them from a worker thread (GTask), never from the GUI's
 * main loop. When a blob's state changes the store emits "record-changed" with
 * id = the blob reference and kind = TEREN_STORE_BLOB_KIND. */

#define TEREN_STORE_BLOB_KIND "blob"

/* Images larger than this on a side are scaled down before they are stored. */
#define TEREN_BLOB_MAX_IMAGE_SIDE 2000

typedef enum {
  TEREN_BLOB_LOCAL_ONLY,    /* imported here, not yet uploaded */
  TEREN_BLOB_UPLOADED,      /* imported here and on the server */
  TEREN_BLOB_REMOTE_ONLY,   /* referenced by a record, on the server, not downloaded */
  TEREN_BLOB_DOWNLOADED,    /* downloaded from the server (hash verified) */
} TerenBlobState;

/**
 * teren_store_import_blob:
 * @self: the store
 * @path: the file chosen by the user
 * @name: (nullable): the name to show, %NULL for the file's own name
 * @error: TEREN_ERROR_INVALID (not a PDF, JPEG or PNG by its content, or an unreadable
 *   image), TEREN_ERROR_TOO_LARGE ("The file is larger than 10 MiB", after downscaling),
 *   TEREN_ERROR_IO
 *
 * Checks the content by its first bytes (the name's extension is not trusted), scales
 * images larger than %TEREN_BLOB_MAX_IMAGE_SIDE pixels on a side down (re-encoding them in
 * the same format), hashes the bytes (SHA-256) and keeps them once: importing the same
 * content again changes nothing. Nothing is stored when the file is refused.
 *
 * Returns: (transfer full): the attachment object to put into an attachment field's array,
 *   or %NULL with @error set
 */
JsonObject *teren_store_import_blob        (TerenStore      *self,
                                            const char      *path,
                                            const char      *name,
                                            GError         **error);

/* The same from bytes in memory (@name required). */
JsonObject *teren_store_import_blob_bytes  (TerenStore      *self,
                                            GBytes          *bytes,
                                            const char      *name,
                                            GError         **error);

/* Path of the local file of @blob ("sha256:…"); %NULL with TEREN_ERROR_NOT_FOUND when it
 * is not here (download it with teren_sync_engine_fetch_blob_async()), TEREN_ERROR_INVALID
 * for a malformed reference. (transfer full) */
char       *teren_store_get_blob_path      (TerenStore      *self,
                                            const char      *blob,
                                            GError         **error);

/* The state of @blob; a reference the store has never seen is REMOTE_ONLY. */
gboolean    teren_store_get_blob_state     (TerenStore      *self,
                                            const char      *blob,
                                            TerenBlobState  *out_state,
                                            GError         **error);

/* ---- For the sync engine (teren-sync-blobs.c) ------------------------------------- */

gboolean    teren_store_set_blob_state     (TerenStore      *self,
                                            const char      *blob,
                                            TerenBlobState   state,
                                            GError         **error);

/* Keeps bytes downloaded for @blob after checking their SHA-256 (TEREN_ERROR_CORRUPT on a
 * mismatch, nothing kept); the state becomes DOWNLOADED (or stays UPLOADED/LOCAL_ONLY).
 * Returns the file's path (transfer full). */
char       *teren_store_save_downloaded_blob (TerenStore    *self,
                                              const char    *blob,
                                              GBytes        *bytes,
                                              GError       **error);

/* REMOTE_ONLY blobs of at most @max_size bytes (as the records say), at most @limit
 * (element-type utf8, transfer full). */
GPtrArray  *teren_store_list_remote_blobs  (TerenStore      *self,
                                            gint64           max_size,
                                            guint            limit,
                                            GError         **error);

/* The blob references in the patches of the pending (not quarantined, not held) operations,
 * each once, with the change ids that reference each: a hash table blob → GPtrArray of
 * change ids (transfer full). */
GHashTable *teren_store_list_pending_op_blobs (TerenStore   *self,
                                               GError      **error);

/* Forgets the blobs no record, base row, waiting operation, draft or conflict item of this
 * store references any more (records purged when the account lost a line, attachments
 * removed), rows and files; blobs imported here and never uploaded are kept (the form
 * that imported them may not be saved yet). Returns how many were removed, -1 on error. */
int         teren_store_blobs_collect      (TerenStore      *self,
                                            GError         **error);

/* Removes every blob file (a revocation wipe: teren_store_sync_wipe(), after the rows). */
void        teren_store_blobs_remove_files (TerenStore      *self);

G_END_DECLS
