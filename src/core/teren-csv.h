/* teren-csv.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 4180 CSV, as Excel writes it: optional UTF-8 BOM, "," or ";" separator (detected
 * from the header line when @separator is 0), quoted fields with "" escapes and embedded
 * newlines, CRLF or LF. */

typedef struct _TerenCsvReader TerenCsvReader;

TerenCsvReader *teren_csv_reader_new        (const char      *data,
                                             gsize            length,
                                             char             separator);
void            teren_csv_reader_free       (TerenCsvReader  *reader);

/**
 * teren_csv_reader_next_row:
 * @reader: the reader
 * @out_fields: (out) (transfer full): the row's fields (NULL-terminated)
 * @out_line: (out) (optional): the 1-based line number where the row starts
 * @error: TEREN_ERROR_INVALID for invalid UTF-8 or an unterminated quote (the message
 *   names the line)
 *
 * Returns: %TRUE if a row was read, %FALSE at the end or on error (check @error)
 */
gboolean        teren_csv_reader_next_row   (TerenCsvReader  *reader,
                                             GStrv           *out_fields,
                                             guint           *out_line,
                                             GError         **error);

char            teren_csv_reader_get_separator (TerenCsvReader *reader);

/* Quotes @field for output when needed. (transfer full) */
char           *teren_csv_escape            (const char      *field,
                                             char             separator);

/* Appends one line (fields escaped, joined by @separator, "\r\n"). */
void            teren_csv_append_row        (GString         *out,
                                             const char * const *fields,
                                             char             separator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenCsvReader, teren_csv_reader_free)

G_END_DECLS
