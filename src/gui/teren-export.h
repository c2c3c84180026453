/* teren-export.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-due.h"
#include "teren-store.h"
#include "teren-table.h"

G_BEGIN_DECLS

/* "Export…" of the lists (issue 7 "Exports"): the registry list, a line's case list and the
 * Due list, as CSV (UTF-8 with a BOM, ',' or ';') or JSON. The rows are gathered and the
 * file written on a worker thread; the file is private to the user (0600). */

/* Gathers the rows on a worker thread. (transfer full) */
typedef TerenTable *(*TerenExportCollectFunc) (TerenStore  *store,
                                               gpointer     data,
                                               GError     **error);

/* Writes the rows to @file. Either @table (transfer full) is given, or @collect with its
 * @data (freed with @data_free on any thread). */
void        teren_export_write_async   (TerenStore             *store,
                                        TerenTable             *table,
                                        TerenExportCollectFunc  collect,
                                        gpointer                data,
                                        GDestroyNotify          data_free,
                                        GFile                  *file,
                                        TerenTableFormat        format,
                                        char                    separator,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
gboolean    teren_export_write_finish  (GAsyncResult           *result,
                                        GError                **error);

/* Asks where to save (GtkFileChooserNative with a format and a separator choice), then
 * writes as above and tells how it went in a toast of the nearest AdwToastOverlay above
 * @parent (a dialog when there is none). @basename is the suggested name without its
 * extension. */
void        teren_export_run           (GtkWidget              *parent,
                                        const char             *basename,
                                        TerenStore             *store,
                                        TerenTable             *table,
                                        TerenExportCollectFunc  collect,
                                        gpointer                data,
                                        GDestroyNotify          data_free);

/* "Export Personal Data…" (GDPR art. 15) of the person @person_id: asks where to save the
 * PDF (teren_sar_document_build()), with a choice, on by default, to also save the person's
 * attached files in a folder next to it ("NAME – attached files", teren_sar_write_attachments():
 * 0700, files 0600, safe unique names, each checked against its SHA-256). Files not on this
 * computer are downloaded first through the window's sync engine when there is one; what
 * cannot be downloaded, or is damaged here, is left out. Store work on workers; a toast
 * says how many files were saved and how many could not be included. */
void        teren_export_personal_data      (GtkWidget   *parent,
                                             TerenStore  *store,
                                             const char  *person_id);

/* The collectors of the lists. */

/* Records by id (@ids: char *, in the order shown) of the @kinds listed. Columns: id,
 * kind, title, then every field of @kinds in schema order (choices as codes, dates
 * YYYY-MM-DD, lists joined by ","). Deleted or vanished records are left out.
 * (transfer full) */
gpointer    teren_export_records_data_new   (GPtrArray          *ids,
                                             const char * const *kinds);
void        teren_export_records_data_free  (gpointer            data);
TerenTable *teren_export_collect_records    (TerenStore         *store,
                                             gpointer            data,
                                             GError            **error);

/* A line's cases, the ones in @ids and in that order (teren_store_line_cases): case_id,
 * number, person_id, person, status, case_manager, opened_on, last_visit, next_due,
 * next_due_date, overdue. (transfer full) */
gpointer    teren_export_line_cases_data_new  (const char  *line,
                                               const char  *status,
                                               GPtrArray   *ids);
void        teren_export_line_cases_data_free (gpointer     data);
TerenTable *teren_export_collect_line_cases   (TerenStore  *store,
                                               gpointer     data,
                                               GError     **error);

/* The Due list as shown: @items (TerenDueItem, %NULL entries for headers are skipped),
 * @persons maps person ids to their titles (nullable). Columns: due, bucket, what, line,
 * person_id, person, worker, record_id, case_id, blocking. Built on the main thread. */
TerenTable *teren_export_due_table          (GPtrArray   *items,
                                             GHashTable  *persons);

G_END_DECLS
