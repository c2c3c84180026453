/* teren-print.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "teren-store.h"

G_BEGIN_DECLS

/* Prints an official document (src/docs/teren-official-documents.h) from @widget's window:
 * the document is built from the store on a worker thread, then either shown in the print
 * dialog (GtkPrintOperation drawing the same pages teren-cli writes) or, with @to_pdf,
 * saved as a PDF file chosen with a GtkFileChooserNative (written on a worker thread,
 * complete or not at all). Errors are shown in a message dialog. */
void teren_print_document (GtkWidget  *widget,
                           TerenStore *store,
                           const char *document_kind,
                           const char *argument,
                           gboolean    to_pdf);

G_END_DECLS
