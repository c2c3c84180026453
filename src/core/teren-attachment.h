/* teren-attachment.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-schema.h"

G_BEGIN_DECLS

/* Attachments (SYNC.md "Other endpoints", SYNC-NOTES.md §2.9): a field of type
 * TEREN_FIELD_ATTACHMENT holds a JSON array of
 *   {"blob": "sha256:<64 lower-case hex>", "size": n, "mime": "...", "name": "file name"}
 * The bytes travel separately, as content-addressed blobs (PUT/HEAD/GET /blobs/sha256:…);
 * never base64 inside the sync JSON. */

#define TEREN_ATTACHMENT_MAX_SIZE  (10 * 1024 * 1024)   /* bytes, after downscaling */
#define TEREN_ATTACHMENT_MAX_COUNT 50                   /* per field */
#define TEREN_ATTACHMENT_NAME_MAX  255                  /* characters */
#define TEREN_BLOB_REF_PREFIX      "sha256:"
#define TEREN_BLOB_REF_LENGTH      (7 + 64)             /* "sha256:" + 64 hex */

/* "sha256:" followed by exactly 64 lower-case hex digits. */
gboolean  teren_blob_ref_is_valid       (const char *ref);

/* "application/pdf", "image/jpeg" or "image/png". */
gboolean  teren_attachment_mime_is_allowed (const char *mime);

/* Every blob reference ("sha256:…", borrowed from @fields) found in the attachment fields of
 * @fields (a record's fields or a patch; @kind may be NULL: then every member that looks
 * like an attachment list counts). Appended to @out (element-type utf8, borrowed),
 * without duplicates already in @out. */
void      teren_attachment_collect_blobs (const TerenKindDef *kind,
                                          JsonObject         *fields,
                                          GPtrArray          *out);

/* A new attachment object (transfer full). */
JsonObject *teren_attachment_new        (const char *blob_ref,
                                         gint64      size,
                                         const char *mime,
                                         const char *name);
/* The names and sizes of an attachment field's value for display ("scan.pdf (120.3 kB),
 * foto.jpg (1.2 MB)"), or %NULL when it holds none. (transfer full) */
char       *teren_attachment_describe   (JsonNode   *value);

G_END_DECLS
