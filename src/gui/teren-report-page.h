/* teren-report-page.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-indicator-table.h"
#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_REPORT_PAGE (teren_report_page_get_type ())

G_DECLARE_FINAL_TYPE (TerenReportPage, teren_report_page, TEREN, REPORT_PAGE, GtkWidget)

/* The monthly report of a service line (issue 5 "Monthly counts", issue 6 indicators):
 * choose the line and the month, the figures of teren_store_report_month (computed on a
 * worker thread) are listed; "report.export-csv" and "report.export-json" save them
 * through a GtkFileChooserNative, written asynchronously; for the lines that have a
 * month document (canteen nominal list, community-health monthly report) "report.print"
 * and "report.save-pdf" print it or save it as PDF. Signal: "add-toast" (AdwToast *). */
TerenReportPage *teren_report_page_new         (TerenStore      *store);
void             teren_report_page_set_line    (TerenReportPage *self,
                                                const char      *line);
/* "YYYY-MM"; a bad month is said under the entry and nothing is computed. */
void             teren_report_page_set_month   (TerenReportPage *self,
                                                const char      *month);
gboolean         teren_report_page_get_loading (TerenReportPage *self);
/* The figure @key of the report shown; FALSE when there is none. */
gboolean         teren_report_page_get_figure  (TerenReportPage *self,
                                                const char      *key,
                                                double          *out_value);
/* The message shown under the month, or %NULL. */
const char      *teren_report_page_get_error   (TerenReportPage *self);
guint            teren_report_page_get_n_rows  (TerenReportPage *self);
/* The community-health indicators by age category and sex, shown under the other figures
 * when the report has them. */
TerenIndicatorTable *teren_report_page_get_indicator_table (TerenReportPage *self);
/* The official document (src/docs) printed for the report shown, or %NULL when its line
 * has none or no report is shown. */
const char      *teren_report_page_get_month_document (TerenReportPage *self);
/* Writes the report shown to @file as "csv" (';' and decimal commas), "csv-comma" (','
 * and decimal points) or "json" (what the export actions do after the file chooser). */
void             teren_report_page_export_async  (TerenReportPage     *self,
                                                  GFile               *file,
                                                  const char          *format,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         teren_report_page_export_finish (TerenReportPage     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
