/* teren-sar-document.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-document.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* The answer to a data-subject access request (GDPR art. 15, issue 7): everything the
 * store holds about one person. The JSON form is teren-cli's (teren-cli-sar.h); this is
 * the collection both share and the printed form. */

typedef enum {
  TEREN_SAR_MEMBERSHIPS,   /* household and family memberships of the person */
  TEREN_SAR_HOUSEHOLDS,    /* the households and families they point at */
  TEREN_SAR_CASES,         /* the person's cases */
  TEREN_SAR_RECORDS,       /* every other record about the person or those records */
  TEREN_SAR_N_SECTIONS
} TerenSarSection;

TerenSarSection teren_sar_section_of    (const char   *kind);

/* The person and every record about them: each record that references the person, and in
 * turn those records (a case's visits, a plan's items), then the households and families
 * the memberships name (not their other members: other persons' data). Deleted records are
 * left out, except the person. Blocking (SQLite): call it from a worker thread in the GUI.
 * Errors: TEREN_ERROR_NOT_FOUND for an unknown id, TEREN_ERROR_INVALID when @person_id is
 * not a person. @out_records: (element-type TerenRecord) (transfer full). */
gboolean        teren_sar_collect       (TerenStore   *store,
                                         const char   *person_id,
                                         TerenRecord **out_person,
                                         GPtrArray   **out_records,
                                         GError      **error);

/* The printed answer: the directorate's header, the date, the person's identity, then
 * every record grouped by section and kind, each with its field labels and values
 * (nomenclature labels, dates as zz.ll.aaaa, references by title); pages numbered.
 * Blocking. (transfer full) */
TerenDocument  *teren_sar_document_build (TerenStore  *store,
                                          const char  *person_id,
                                          GError     **error);

/* The same of what teren_sar_collect() gave, when the caller has it already. Blocking
 * (labels of referenced records). @records: (element-type TerenRecord). (transfer full) */
TerenDocument  *teren_sar_document_build_for (TerenStore  *store,
                                              TerenRecord *person,
                                              GPtrArray   *records);

/* ---- The attached files (art. 15: a copy of the data, the files too) ---------------- */

typedef enum {
  TEREN_SAR_FILE_PENDING,   /* not handled yet */
  TEREN_SAR_FILE_SAVED,     /* copied into the folder as @file */
  TEREN_SAR_FILE_MISSING,   /* not on this computer (never downloaded): not included */
  TEREN_SAR_FILE_DAMAGED,   /* the copy here does not match its sha256: never exported */
} TerenSarFileState;

typedef struct {
  char              *blob;      /* "sha256:<hex>" */
  char              *name;      /* the name the first record gives it (record data) */
  char              *mime;
  gint64             size;
  GPtrArray         *records;   /* ids of the records that attach it (element-type utf8) */
  char              *file;      /* the safe name written in the folder, or NULL */
  TerenSarFileState  state;
  char              *reason;    /* translated: why it is not included, or NULL */
} TerenSarAttachment;

void        teren_sar_attachment_free      (TerenSarAttachment *attachment);

/* Every attachment of @person and @records (teren_sar_collect()), one per blob however
 * many records or fields attach it, in record order; state PENDING.
 * (element-type TerenSarAttachment) (transfer full) */
GPtrArray  *teren_sar_list_attachments     (TerenRecord *person,
                                            GPtrArray   *records);

/* A safe file name for an attachment called @name (record data, never trusted): one name,
 * never a path (no '/', '\\', "..", control or reserved characters, no leading dot or
 * dash), NFC, at most 200 bytes, with the extension of @mime (.pdf, .jpg, .png) when it
 * lacks it; "attachment" when nothing is left. Letters with diacritics are kept.
 * (transfer full) */
char       *teren_sar_attachment_file_name (const char  *name,
                                            const char  *mime);

/* Whether @dir can receive the files: it does not exist, or is an empty folder (not a
 * link). TEREN_ERROR_EXISTS otherwise, with a clear message. No file is touched. */
gboolean    teren_sar_check_attachments_dir (const char  *dir,
                                             GError     **error);

/* Blocking (a worker thread). Creates @dir (0700; an existing empty folder is set to
 * 0700) and copies into it each PENDING attachment whose file is on this computer, once
 * per blob, as a 0600 file with a unique safe name (teren_sar_attachment_file_name();
 * " (2)", " (3)"… before the extension when two names meet, ignoring case). The bytes are
 * checked against the blob's SHA-256 first: a copy that does not match is never written
 * (state DAMAGED). An attachment not downloaded becomes MISSING. Fails only when @dir or a
 * file cannot be created or written (what was written stays; the failing file is
 * removed). */
gboolean    teren_sar_write_attachments    (TerenStore  *store,
                                            GPtrArray   *attachments,
                                            const char  *dir,
                                            GError     **error);

/* Appends to the printed answer a section "Attached Files": each attachment's name and
 * size, and the name it was saved under, or why it is not included (after
 * teren_sar_write_attachments()). */
void        teren_sar_document_add_attachments (TerenDocument *doc,
                                                GPtrArray     *attachments);

/* How many attachments of @attachments are in @state. */
guint       teren_sar_count_attachments    (GPtrArray         *attachments,
                                            TerenSarFileState  state);

G_END_DECLS
