/* teren-print.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "teren-document.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* Prints an official document (src/docs/teren-official-documents.h) from @widget's window:
 * the document is built from the store on a worker thread, then either shown in the print
 * dialog (GtkPrintOperation drawing the same pages teren-cli writes) or, with @to_pdf,
 * saved as a PDF file chosen with a GtkFileChooserNative (written on a worker thread,
 * complete or not at all). Errors are shown in a message dialog. */
/* @document_kind TEREN_PRINT_SUBJECT_ACCESS with a person's id: the GDPR art. 15 answer
 * (teren-sar-document.h). */
#define TEREN_PRINT_SUBJECT_ACCESS "subject-access"

void teren_print_document (GtkWidget  *widget,
                           TerenStore *store,
                           const char *document_kind,
                           const char *argument,
                           gboolean    to_pdf);

/* A print operation (A4, points, full page) whose begin-print paginates @document and whose
 * draw-page draws its pages; the caller runs it (print dialog, or export to a PDF file
 * with gtk_print_operation_set_export_filename). (transfer full) */
GtkPrintOperation *teren_print_operation_new (TerenDocument *document);

G_END_DECLS
