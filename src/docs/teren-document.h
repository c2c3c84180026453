/* teren-document.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

/* An official document (issue 7): a title, the directorate's header, a registration
 * number and date, then blocks (headings, paragraphs, label–value rows, data tables whose
 * column headings repeat on every page, signature blocks), laid out with Pango on A4
 * pages numbered "Page N of M". Only Pango and Cairo: the GUI prints it through
 * GtkPrintOperation and teren-cli writes it to PDF without a window. */

#define TEREN_TYPE_DOCUMENT (teren_document_get_type ())

G_DECLARE_FINAL_TYPE (TerenDocument, teren_document, TEREN, DOCUMENT, GObject)

/* A4 in points (1/72 in), the unit every drawing function works in. */
#define TEREN_DOCUMENT_PAGE_WIDTH  595.276
#define TEREN_DOCUMENT_PAGE_HEIGHT 841.890

TerenDocument *teren_document_new              (const char     *title);
const char    *teren_document_get_title        (TerenDocument  *self);

/* The directorate's header; @logo_path (a PNG) may be NULL or empty. */
void           teren_document_set_header       (TerenDocument  *self,
                                                const char     *name,
                                                const char     *address,
                                                const char     *logo_path);
/* Registration number and date as printed (date "zz.ll.aaaa"); either may be NULL. */
void           teren_document_set_registration (TerenDocument  *self,
                                                const char     *number,
                                                const char     *date);

void           teren_document_add_heading      (TerenDocument  *self,
                                                const char     *text);
void           teren_document_add_paragraph    (TerenDocument  *self,
                                                const char     *text);
/* One label–value row; consecutive rows line up as a table. */
void           teren_document_add_field        (TerenDocument  *self,
                                                const char     *label,
                                                const char     *value);
/* Starts a data table: @headings is NULL-terminated; @widths (relative, may be NULL for
 * equal columns) has as many entries. Rows follow with teren_document_add_row. */
void           teren_document_add_table        (TerenDocument  *self,
                                                const char * const *headings,
                                                const double   *widths);
/* A row of the last table; @cells has as many entries as headings (NULL = empty). */
void           teren_document_add_row          (TerenDocument  *self,
                                                const char * const *cells);
/* Signature boxes side by side: @roles and @names NULL-terminated, @names may be NULL. */
void           teren_document_add_signatures   (TerenDocument  *self,
                                                const char * const *roles,
                                                const char * const *names);

/* Lays the document out for pages of @width × @height points measured on @cr (any
 * context: a PDF surface, a GtkPrintContext's) and returns the number of pages. */
guint          teren_document_paginate         (TerenDocument  *self,
                                                cairo_t        *cr,
                                                double          width,
                                                double          height);
/* Draws page @page (0-based) on @cr, whose unit is the point. Call paginate first. */
void           teren_document_draw_page        (TerenDocument  *self,
                                                cairo_t        *cr,
                                                guint           page);

/* Writes the whole document as an A4 PDF at @path. The file is written beside @path
 * under a temporary name and renamed when complete: on failure nothing is left. */
gboolean       teren_document_write_pdf        (TerenDocument  *self,
                                                const char     *path,
                                                GError        **error);

G_END_DECLS
