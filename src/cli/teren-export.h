/* teren-export.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-store.h"

G_BEGIN_DECLS

/* Exports of the records of a store (teren-cli export). Deleted records are left out. */

/* A pretty JSON array of records (teren_record_to_json) of the @kinds given, or of every
 * kind when @kinds is %NULL; kinds in schema order, records by title. (transfer full) */
GBytes *teren_export_json        (TerenStore          *store,
                                  const char * const  *kinds,
                                  GError             **error);

/* CSV for spreadsheets: UTF-8 with a BOM (so Excel reads the diacritics), CRLF lines,
 * @separator between cells (',' or ';'), a header of stable keys ("id", "line" for kinds
 * of any line, then the kind's fields in schema order), dates as YYYY-MM-DD, choices as
 * codes, multi-choices as codes joined by ",", booleans as true/false, decimals with a
 * comma when the separator is ';'. Text that starts with = + - @ gets a leading
 * apostrophe so that spreadsheets do not run it as a formula; the import removes it.
 * (transfer full) */
GBytes *teren_export_csv         (TerenStore          *store,
                                  const char          *kind,
                                  char                 separator,
                                  GError             **error);

/* One CSV cell for @value, as above. (transfer full) */
char   *teren_export_cell_text   (JsonNode            *value,
                                  char                 separator);

G_END_DECLS
