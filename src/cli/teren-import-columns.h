/* teren-import-columns.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-mo-catalog.h"
#include "teren-schema.h"

G_BEGIN_DECLS

/* How the columns of a spreadsheet map to the fields of a kind, and how its cells become
 * field values. A column title may be the field's stable key ("last_name"), its English
 * label ("Last name"), its Romanian label from the translations ("Nume"), or one of the
 * fixed aliases directorates use in their registers ("Data nașterii", "Cod numeric
 * personal"…), in any case, with or without diacritics, with cedilla or comma-below
 * letters, and with any punctuation. */

typedef struct _TerenImportColumns TerenImportColumns;

/* The field that @title names, or %NULL. @romanian (nullable) is the Romanian catalog. */
const TerenFieldDef *teren_import_match_title   (const TerenKindDef *kind,
                                                 const char         *title,
                                                 TerenMoCatalog     *romanian);

/**
 * teren_import_columns_new:
 * @kind: the kind of the rows
 * @header: (array zero-terminated=1): the titles of the header row
 * @romanian: (nullable): the Romanian catalog
 * @error: TEREN_ERROR_INVALID when two columns name the same field, or when a required
 *   field has no column (the message names them all); fields that the import derives
 *   (a person's cnp_status, and sex when there is a CNP column) are not required
 *
 * Returns: (transfer full): the mapping
 */
TerenImportColumns  *teren_import_columns_new   (const TerenKindDef  *kind,
                                                 const char * const  *header,
                                                 TerenMoCatalog      *romanian,
                                                 GError             **error);
void                 teren_import_columns_free  (TerenImportColumns  *columns);

guint                teren_import_columns_get_n_columns (TerenImportColumns *columns);
/* The field of column @column (0-based), %NULL for an ignored column. */
const TerenFieldDef *teren_import_columns_get_field     (TerenImportColumns *columns,
                                                         guint               column);
/* The title as written in the file. (transfer none) */
const char          *teren_import_columns_get_title     (TerenImportColumns *columns,
                                                         guint               column);
gboolean             teren_import_columns_has_field     (TerenImportColumns *columns,
                                                         const char         *key);

/**
 * teren_import_value_from_text:
 * @field: the field
 * @text: the cell, trimmed and not empty
 * @romanian: (nullable): the Romanian catalog, for choice labels
 * @error: TEREN_ERROR_INVALID with a translated message when the cell is not a value of
 *   the field's type (not a date, not a number, not one of the choices…)
 *
 * Dates are accepted as YYYY-MM-DD or zz.ll.aaaa; choices as codes or as English or
 * Romanian labels (Sex also as M/F, masculin/feminin…); booleans as da/nu, yes/no,
 * true/false, 1/0; multi-choices as a list separated by commas, semicolons or "|"; a CNP
 * with spaces or dashes. Text is returned as it is (validation judges it).
 *
 * Returns: (transfer full): the JSON value
 */
JsonNode            *teren_import_value_from_text (const TerenFieldDef *field,
                                                   const char          *text,
                                                   TerenMoCatalog      *romanian,
                                                   GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenImportColumns, teren_import_columns_free)

G_END_DECLS
