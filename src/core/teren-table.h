/* teren-table.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A list as it is exported (issue 7 "Exports"): named columns and rows of text cells, and
 * its CSV and JSON forms. Built on any thread, used by one thread at a time. */

typedef struct _TerenTable TerenTable;

typedef enum {
  TEREN_TABLE_CSV,
  TEREN_TABLE_JSON,
} TerenTableFormat;

/* @columns: the stable keys of the columns (CSV header, JSON member names). */
TerenTable *teren_table_new       (const char * const *columns);
void        teren_table_free      (TerenTable         *table);
guint       teren_table_get_n_columns (TerenTable     *table);
guint       teren_table_get_n_rows    (TerenTable     *table);
/* Appends a row of teren_table_get_n_columns() cells (%NULL cells are empty). */
void        teren_table_add_row   (TerenTable         *table,
                                   const char * const *cells);
/* A cell (transfer none), "" for an empty one. */
const char *teren_table_get_cell  (TerenTable         *table,
                                   guint               row,
                                   guint               column);

/* CSV for spreadsheets: a UTF-8 BOM (Excel then reads the diacritics), the header, CRLF
 * lines, @separator (',' or ';') between cells. A cell that starts with = + - @ and is
 * not a number gets a leading apostrophe, so a spreadsheet does not run it as a formula.
 * (transfer full) */
GBytes     *teren_table_to_csv    (TerenTable         *table,
                                   char                separator);
/* Pretty JSON: an array with one object per row, members named by the columns; an empty
 * cell is null. (transfer full) */
GBytes     *teren_table_to_json   (TerenTable         *table);
GBytes     *teren_table_serialize (TerenTable         *table,
                                   TerenTableFormat    format,
                                   char                separator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenTable, teren_table_free)

G_END_DECLS
