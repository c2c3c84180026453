/* teren-csv-import.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-mo-catalog.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* Import of the registers directorates keep in Excel, as CSV (teren-cli import).
 *
 * The whole file is read and every row converted and validated with the schema before
 * anything is written. A file that cannot be read as a whole (not UTF-8, an unterminated
 * quote, no header, a required column missing, two columns for one field) is refused
 * and nothing is imported. Columns that name no field are reported and ignored. Each
 * row that fails is reported with its line number and reason; the valid rows are then
 * saved in one transaction, each as a normal change in the op-log (teren_store_save), so
 * that they sync. With ALL_OR_NOTHING a single rejected row imports nothing. */

typedef enum {
  TEREN_CSV_IMPORT_NONE           = 0,
  TEREN_CSV_IMPORT_ALL_OR_NOTHING = 1 << 0,
  TEREN_CSV_IMPORT_DRY_RUN        = 1 << 1,   /* validate only, write nothing */
} TerenCsvImportFlags;

typedef enum {
  TEREN_CSV_IMPORT_NOTE_IGNORED_COLUMN,
  TEREN_CSV_IMPORT_NOTE_REJECTED_ROW,
} TerenCsvImportNote;

/* @line: the 1-based line of the file; @message: translated. Personal data may be in
 * @message (it quotes the cell); show it to the user, never log it. */
typedef void (*TerenCsvImportReport) (TerenCsvImportNote  note,
                                      guint               line,
                                      const char         *message,
                                      gpointer            user_data);

typedef struct {
  guint rows;       /* data rows read, blank rows not counted */
  guint valid;      /* rows that passed validation */
  guint rejected;
  guint imported;   /* rows saved (0 on a dry run or when ALL_OR_NOTHING refused) */
} TerenCsvImportSummary;

/**
 * teren_csv_import:
 * @store: the store
 * @kind: the kind of every row ("person")
 * @line: (nullable): the service line, for kinds that may carry any line ("case");
 *   ignored for registry and line-specific kinds
 * @data: the file's bytes (need not be NUL-terminated)
 * @length: their number
 * @separator: ',' or ';', or 0 to detect it from the header line
 * @encoding: (nullable): the file's character set when it is not UTF-8 ("WINDOWS-1250")
 * @romanian: (nullable): the Romanian catalog, to accept Romanian titles and labels
 * @flags: what to do
 * @report: (scope call) (nullable): called for every ignored column and rejected row
 * @user_data: for @report
 * @summary: (out): the counts
 * @error: TEREN_ERROR_INVALID for a file refused as a whole, TEREN_ERROR_READ_ONLY,
 *   TEREN_ERROR_IO… when the store cannot be written (then nothing was imported)
 *
 * Returns: %TRUE when the file was processed (rows may still have been rejected)
 */
gboolean teren_csv_import (TerenStore             *store,
                           const char             *kind,
                           const char             *line,
                           const char             *data,
                           gsize                   length,
                           char                    separator,
                           const char             *encoding,
                           TerenMoCatalog         *romanian,
                           TerenCsvImportFlags     flags,
                           TerenCsvImportReport    report,
                           gpointer                user_data,
                           TerenCsvImportSummary  *summary,
                           GError                **error);

/* The same in two steps, so that a file refused as a whole is refused before any store
 * is opened (or created). */
typedef struct _TerenCsvImportFile TerenCsvImportFile;

/* Reads, decodes and parses the file and maps its columns; @error as for
 * teren_csv_import() for a file refused as a whole. @romanian must outlive the result.
 * (transfer full) */
TerenCsvImportFile *teren_csv_import_file_new  (const char              *kind,
                                                const char              *line,
                                                const char              *data,
                                                gsize                    length,
                                                char                     separator,
                                                const char              *encoding,
                                                TerenMoCatalog          *romanian,
                                                GError                 **error);
gboolean            teren_csv_import_file_run  (TerenCsvImportFile      *file,
                                                TerenStore              *store,
                                                TerenCsvImportFlags      flags,
                                                TerenCsvImportReport     report,
                                                gpointer                 user_data,
                                                TerenCsvImportSummary   *summary,
                                                GError                 **error);
void                teren_csv_import_file_free (TerenCsvImportFile      *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenCsvImportFile, teren_csv_import_file_free)

G_END_DECLS
