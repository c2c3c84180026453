/* teren-document.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "teren-document.h"
#include "teren-error.h"

/* Layout: one pass walks the blocks with a cursor (page, y). It runs once to count the
 * pages and again for each page drawn, drawing only what falls on that page, so the
 * same code paginates and draws and the two can never disagree. */

#define MARGIN_X          56.0
#define MARGIN_TOP        48.0
#define MARGIN_BOTTOM     56.0
#define FOOTER_GAP        24.0
#define BLOCK_GAP          8.0
#define CELL_PAD           3.0
#define LOGO_HEIGHT       48.0
#define FIELD_LABEL_SHARE  0.36
#define SIGNATURE_HEIGHT  64.0
#define FONT_FAMILY       "DejaVu Sans, Cantarell, sans-serif"
#define FONT_SIZE_BODY     10
#define FONT_SIZE_SMALL     8
#define FONT_SIZE_HEADING  12
#define FONT_SIZE_TITLE    15

typedef enum {
  BLOCK_HEADING,
  BLOCK_PARAGRAPH,
  BLOCK_FIELD,
  BLOCK_TABLE,
  BLOCK_ROW,
  BLOCK_SIGNATURES,
} BlockType;

typedef struct {
  BlockType  type;
  GStrv      texts;    /* heading/paragraph: 1; field: label, value; row/table: cells */
  GStrv      names;    /* signatures */
  GArray    *widths;   /* table: relative widths (double) */
} Block;

struct _TerenDocument
{
  GObject    parent_instance;

  char      *title;
  char      *header_name;
  char      *header_address;
  char      *logo_path;
  char      *reg_number;
  char      *reg_date;
  GPtrArray *blocks;   /* (element-type Block) */

  double     width;
  double     height;
  guint      n_pages;
};

G_DEFINE_FINAL_TYPE (TerenDocument, teren_document, G_TYPE_OBJECT)

static void
block_free (Block *block)
{
  g_strfreev (block->texts);
  g_strfreev (block->names);
  if (block->widths != NULL)
    g_array_unref (block->widths);
  g_free (block);
}

static void
teren_document_finalize (GObject *object)
{
  TerenDocument *self = TEREN_DOCUMENT (object);

  g_free (self->title);
  g_free (self->header_name);
  g_free (self->header_address);
  g_free (self->logo_path);
  g_free (self->reg_number);
  g_free (self->reg_date);
  g_ptr_array_unref (self->blocks);

  G_OBJECT_CLASS (teren_document_parent_class)->finalize (object);
}

static void
teren_document_class_init (TerenDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = teren_document_finalize;
}

static void
teren_document_init (TerenDocument *self)
{
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  self->width = TEREN_DOCUMENT_PAGE_WIDTH;
  self->height = TEREN_DOCUMENT_PAGE_HEIGHT;
}

TerenDocument *
teren_document_new (const char *title)
{
  TerenDocument *self = g_object_new (TEREN_TYPE_DOCUMENT, NULL);

  self->title = g_strdup (title != NULL ? title : "");
  return self;
}

const char *
teren_document_get_title (TerenDocument *self)
{
  g_return_val_if_fail (TEREN_IS_DOCUMENT (self), NULL);
  return self->title;
}

void
teren_document_set_header (TerenDocument *self,
                           const char    *name,
                           const char    *address,
                           const char    *logo_path)
{
  g_return_if_fail (TEREN_IS_DOCUMENT (self));

  g_free (self->header_name);
  g_free (self->header_address);
  g_free (self->logo_path);
  self->header_name = g_strdup (name);
  self->header_address = g_strdup (address);
  self->logo_path = g_strdup (logo_path);
}

void
teren_document_set_registration (TerenDocument *self,
                                 const char    *number,
                                 const char    *date)
{
  g_return_if_fail (TEREN_IS_DOCUMENT (self));

  g_free (self->reg_number);
  g_free (self->reg_date);
  self->reg_number = g_strdup (number);
  self->reg_date = g_strdup (date);
}

static Block *
add_block (TerenDocument *self,
           BlockType      type)
{
  Block *block = g_new0 (Block, 1);

  block->type = type;
  g_ptr_array_add (self->blocks, block);
  return block;
}

static GStrv
strv_of (const char *a,
         const char *b)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  g_strv_builder_add (builder, a != NULL ? a : "");
  if (b != NULL)
    g_strv_builder_add (builder, b);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

void
teren_document_add_heading (TerenDocument *self,
                            const char    *text)
{
  g_return_if_fail (TEREN_IS_DOCUMENT (self));
  add_block (self, BLOCK_HEADING)->texts = strv_of (text, NULL);
}

void
teren_document_add_paragraph (TerenDocument *self,
                              const char    *text)
{
  g_return_if_fail (TEREN_IS_DOCUMENT (self));
  add_block (self, BLOCK_PARAGRAPH)->texts = strv_of (text, NULL);
}

void
teren_document_add_field (TerenDocument *self,
                          const char    *label,
                          const char    *value)
{
  g_return_if_fail (TEREN_IS_DOCUMENT (self));
  add_block (self, BLOCK_FIELD)->texts = strv_of (label, value != NULL ? value : "");
}

void
teren_document_add_table (TerenDocument      *self,
                          const char * const *headings,
                          const double       *widths)
{
  Block *block;
  guint n, i;

  g_return_if_fail (TEREN_IS_DOCUMENT (self));
  g_return_if_fail (headings != NULL && headings[0] != NULL);

  block = add_block (self, BLOCK_TABLE);
  block->texts = g_strdupv ((char **) headings);
  n = g_strv_length (block->texts);
  block->widths = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  for (i = 0; i < n; i++)
    {
      double w = widths != NULL ? widths[i] : 1.0;
      g_array_append_val (block->widths, w);
    }
}

void
teren_document_add_row (TerenDocument      *self,
                        const char * const *cells)
{
  Block *table = NULL;
  Block *block;
  GStrvBuilder *builder;
  guint i, n;

  g_return_if_fail (TEREN_IS_DOCUMENT (self));

  for (i = self->blocks->len; i > 0 && table == NULL; i--)
    {
      Block *candidate = g_ptr_array_index (self->blocks, i - 1);
      if (candidate->type == BLOCK_TABLE)
        table = candidate;
    }
  g_return_if_fail (table != NULL);

  n = g_strv_length (table->texts);
  builder = g_strv_builder_new ();
  for (i = 0; i < n; i++)
    g_strv_builder_add (builder, cells[i] != NULL ? cells[i] : "");
  block = add_block (self, BLOCK_ROW);
  block->texts = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
}

void
teren_document_add_signatures (TerenDocument      *self,
                               const char * const *roles,
                               const char * const *names)
{
  Block *block;
  GStrvBuilder *builder;
  guint i, n;

  g_return_if_fail (TEREN_IS_DOCUMENT (self));
  g_return_if_fail (roles != NULL);

  block = add_block (self, BLOCK_SIGNATURES);
  block->texts = g_strdupv ((char **) roles);
  n = g_strv_length (block->texts);
  builder = g_strv_builder_new ();
  for (i = 0; i < n; i++)
    g_strv_builder_add (builder, names != NULL && names[i] != NULL ? names[i] : "");
  block->names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
}

/* ---- layout --------------------------------------------------------------------------- */

#define TARGET_COUNT (-1)   /* only count the pages */
#define TARGET_ALL   (-2)   /* draw every page in one pass, cairo_show_page between them */

typedef struct {
  TerenDocument *doc;
  cairo_t       *cr;
  PangoContext  *context;
  int            target;     /* page to draw, TARGET_COUNT or TARGET_ALL */
  guint          n_pages;    /* known total, for the footers of TARGET_ALL */
  guint          page;
  double         y;
  double         left;
  double         right;
  double         bottom;
  Block         *table;      /* the table whose rows are being laid out */
} Cursor;

static PangoLayout *
make_layout (Cursor     *cursor,
             const char *text,
             int         size,
             gboolean    bold,
             double      width)
{
  PangoLayout *layout = pango_layout_new (cursor->context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static gboolean
drawing (Cursor *cursor)
{
  return cursor->target == TARGET_ALL
         || (cursor->target >= 0 && (guint) cursor->target == cursor->page);
}

static void
draw_layout_at (Cursor      *cursor,
                PangoLayout *layout,
                double       x,
                double       y)
{
  if (!drawing (cursor))
    return;
  cairo_move_to (cursor->cr, x, y);
  pango_cairo_show_layout (cursor->cr, layout);
}

static void repeat_table_headings (Cursor *cursor);
static void draw_footer (Cursor *cursor,
                         guint   page,
                         guint   n_pages);

static void
new_page (Cursor *cursor)
{
  if (cursor->target == TARGET_ALL)
    {
      draw_footer (cursor, cursor->page, cursor->n_pages);
      cairo_show_page (cursor->cr);
    }
  cursor->page++;
  cursor->y = MARGIN_TOP;
  if (cursor->table != NULL)
    repeat_table_headings (cursor);
}

static void
ensure_space (Cursor *cursor,
              double  height)
{
  if (cursor->y + height > cursor->bottom && cursor->y > MARGIN_TOP)
    new_page (cursor);
}

/* Draws @layout line by line from the cursor at @x, breaking pages between lines.
 * Returns the y of the first line's top (on the page where it landed). */
static void
flow_layout (Cursor      *cursor,
             PangoLayout *layout,
             double       x)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      PangoRectangle logical;
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      double height, baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      height = (double) logical.height / PANGO_SCALE;
      baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      ensure_space (cursor, height);
      if (drawing (cursor))
        {
          cairo_move_to (cursor->cr, x, cursor->y + baseline);
          pango_cairo_show_layout_line (cursor->cr, line);
        }
      cursor->y += height;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static double *
column_edges (Cursor *cursor,
              Block  *table)
{
  guint n = table->widths->len, i;
  double total = 0, *edges = g_new (double, n + 1);

  for (i = 0; i < n; i++)
    total += g_array_index (table->widths, double, i);
  edges[0] = cursor->left;
  for (i = 0; i < n; i++)
    edges[i + 1] = edges[i] + (cursor->right - cursor->left) * g_array_index (table->widths, double, i) / total;
  return edges;
}

static void
table_row (Cursor  *cursor,
           GStrv    cells,
           gboolean heading)
{
  g_autofree double *edges = column_edges (cursor, cursor->table);
  guint n = cursor->table->widths->len, i;
  PangoLayout **layouts = g_new0 (PangoLayout *, n);
  double height = 0;

  for (i = 0; i < n; i++)
    {
      layouts[i] = make_layout (cursor, cells[i], FONT_SIZE_SMALL,
                                heading, edges[i + 1] - edges[i] - 2 * CELL_PAD);
      height = MAX (height, layout_height (layouts[i]) + 2 * CELL_PAD);
    }

  if (!heading)
    ensure_space (cursor, height);   /* may repeat the headings on a new page */

  for (i = 0; i < n; i++)
    {
      draw_layout_at (cursor, layouts[i], edges[i] + CELL_PAD, cursor->y + CELL_PAD);
      if (drawing (cursor))
        {
          cairo_rectangle (cursor->cr, edges[i], cursor->y, edges[i + 1] - edges[i], height);
          cairo_set_line_width (cursor->cr, heading ? 0.8 : 0.4);
          cairo_stroke (cursor->cr);
        }
      g_object_unref (layouts[i]);
    }
  g_free (layouts);
  cursor->y += height;
}

static void
repeat_table_headings (Cursor *cursor)
{
  table_row (cursor, cursor->table->texts, TRUE);
}

static void
lay_out_header (Cursor *cursor)
{
  TerenDocument *self = cursor->doc;
  double text_left = cursor->left;
  g_autoptr(GString) header = g_string_new (NULL);
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoLayout) reg = NULL;
  g_autoptr(PangoLayout) title = NULL;
  g_autofree char *reg_text = NULL;
  double top = cursor->y, used = 0;

  if (self->logo_path != NULL && self->logo_path[0] != '\0')
    {
      cairo_surface_t *logo = cairo_image_surface_create_from_png (self->logo_path);

      if (cairo_surface_status (logo) == CAIRO_STATUS_SUCCESS
          && cairo_image_surface_get_height (logo) > 0)
        {
          double scale = LOGO_HEIGHT / cairo_image_surface_get_height (logo);

          if (drawing (cursor))
            {
              cairo_save (cursor->cr);
              cairo_translate (cursor->cr, cursor->left, top);
              cairo_scale (cursor->cr, scale, scale);
              cairo_set_source_surface (cursor->cr, logo, 0, 0);
              cairo_paint (cursor->cr);
              cairo_restore (cursor->cr);
            }
          text_left += cairo_image_surface_get_width (logo) * scale + 10;
          used = LOGO_HEIGHT;
        }
      else
        g_debug ("The directorate's logo could not be read as a PNG; printing without it");
      cairo_surface_destroy (logo);
    }

  if (self->header_name != NULL && self->header_name[0] != '\0')
    g_string_append (header, self->header_name);
  if (self->header_address != NULL && self->header_address[0] != '\0')
    g_string_append_printf (header, "%s%s", header->len > 0 ? "\n" : "", self->header_address);
  if (header->len > 0)
    {
      layout = make_layout (cursor, header->str, FONT_SIZE_BODY, FALSE, cursor->right - text_left);
      draw_layout_at (cursor, layout, text_left, top);
      used = MAX (used, layout_height (layout));
    }
  cursor->y = top + used + BLOCK_GAP;

  /* TRANSLATORS: the registration line of an official document: number and date. */
  reg_text = g_strdup_printf (_("Registration no. %s of %s"),
                              self->reg_number != NULL && self->reg_number[0] != '\0'
                              ? self->reg_number : "__________",
                              self->reg_date != NULL && self->reg_date[0] != '\0'
                              ? self->reg_date : "__________");
  reg = make_layout (cursor, reg_text, FONT_SIZE_BODY, FALSE, cursor->right - cursor->left);
  draw_layout_at (cursor, reg, cursor->left, cursor->y);
  cursor->y += layout_height (reg) + 2 * BLOCK_GAP;

  title = make_layout (cursor, self->title, FONT_SIZE_TITLE, TRUE, cursor->right - cursor->left);
  pango_layout_set_alignment (title, PANGO_ALIGN_CENTER);
  draw_layout_at (cursor, title, cursor->left, cursor->y);
  cursor->y += layout_height (title) + 2 * BLOCK_GAP;
}

static void
lay_out_signatures (Cursor *cursor,
                    Block  *block)
{
  guint n = g_strv_length (block->texts), i;
  double column = (cursor->right - cursor->left) / MAX (n, 1);

  cursor->y += BLOCK_GAP;
  ensure_space (cursor, SIGNATURE_HEIGHT);
  for (i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s\n\n%s", block->texts[i], block->names[i],
                                               /* TRANSLATORS: under a signature block */
                                               _("Signature: ______________"));
      g_autoptr(PangoLayout) layout = make_layout (cursor, text, FONT_SIZE_BODY, FALSE, column - 8);
      draw_layout_at (cursor, layout, cursor->left + i * column, cursor->y);
    }
  cursor->y += SIGNATURE_HEIGHT;
}

static void
draw_footer (Cursor *cursor,
             guint   page,
             guint   n_pages)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;

  /* TRANSLATORS: page numbers at the foot of a printed document */
  text = g_strdup_printf (_("Page %u of %u"), page + 1, n_pages);
  layout = make_layout (cursor, text, FONT_SIZE_SMALL, FALSE, cursor->right - cursor->left);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  cairo_move_to (cursor->cr, cursor->left, cursor->doc->height - MARGIN_BOTTOM + FOOTER_GAP / 2);
  pango_cairo_show_layout (cursor->cr, layout);
}

/* Walks every block; returns the number of pages. */
static guint
lay_out (TerenDocument *self,
         cairo_t       *cr,
         int            target)
{
  Cursor cursor = { 0 };
  guint i;

  cursor.doc = self;
  cursor.cr = cr;
  cursor.context = pango_cairo_create_context (cr);
  /* Points everywhere: a 10 pt font is 10 units high on every surface. */
  pango_cairo_context_set_resolution (cursor.context, 72.0);
  cursor.target = target;
  cursor.y = MARGIN_TOP;
  cursor.left = MARGIN_X;
  cursor.right = self->width - MARGIN_X;
  cursor.bottom = self->height - MARGIN_BOTTOM;

  cursor.n_pages = self->n_pages;
  if (target != TARGET_COUNT)
    cairo_set_source_rgb (cr, 0, 0, 0);

  lay_out_header (&cursor);

  for (i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);

      if (block->type != BLOCK_ROW && cursor.table != NULL)
        {
          cursor.table = NULL;
          cursor.y += BLOCK_GAP;
        }

      switch (block->type)
        {
        case BLOCK_HEADING:
          {
            g_autoptr(PangoLayout) layout = make_layout (&cursor, block->texts[0], FONT_SIZE_HEADING,
                                                         TRUE, cursor.right - cursor.left);
            cursor.y += BLOCK_GAP;
            /* keep a heading with at least three lines of what follows */
            ensure_space (&cursor, layout_height (layout) + 3 * FONT_SIZE_BODY * 1.4);
            flow_layout (&cursor, layout, cursor.left);
            cursor.y += BLOCK_GAP / 2;
          }
          break;
        case BLOCK_PARAGRAPH:
          {
            g_autoptr(PangoLayout) layout = make_layout (&cursor, block->texts[0], FONT_SIZE_BODY,
                                                         FALSE, cursor.right - cursor.left);
            flow_layout (&cursor, layout, cursor.left);
            cursor.y += BLOCK_GAP;
          }
          break;
        case BLOCK_FIELD:
          {
            double label_width = (cursor.right - cursor.left) * FIELD_LABEL_SHARE;
            g_autoptr(PangoLayout) label = make_layout (&cursor, block->texts[0], FONT_SIZE_BODY,
                                                        TRUE, label_width - 8);
            g_autoptr(PangoLayout) value = make_layout (&cursor, block->texts[1], FONT_SIZE_BODY,
                                                        FALSE, cursor.right - cursor.left - label_width);
            double start, label_end;
            guint start_page;

            ensure_space (&cursor, MIN (layout_height (label), FONT_SIZE_BODY * 3.0));
            start = cursor.y;
            start_page = cursor.page;
            draw_layout_at (&cursor, label, cursor.left, start);
            label_end = start + layout_height (label);
            flow_layout (&cursor, value, cursor.left + label_width);
            if (cursor.page == start_page)
              cursor.y = MAX (cursor.y, label_end);
            cursor.y += 3;
          }
          break;
        case BLOCK_TABLE:
          cursor.y += BLOCK_GAP / 2;
          ensure_space (&cursor, 3 * FONT_SIZE_BODY * 2.0);
          cursor.table = block;
          repeat_table_headings (&cursor);
          break;
        case BLOCK_ROW:
          if (cursor.table != NULL)
            table_row (&cursor, block->texts, FALSE);
          break;
        case BLOCK_SIGNATURES:
          lay_out_signatures (&cursor, block);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (target >= 0)
    draw_footer (&cursor, (guint) target, self->n_pages);
  else if (target == TARGET_ALL)
    draw_footer (&cursor, cursor.page, self->n_pages);
  g_object_unref (cursor.context);
  return cursor.page + 1;
}

guint
teren_document_paginate (TerenDocument *self,
                         cairo_t       *cr,
                         double         width,
                         double         height)
{
  g_return_val_if_fail (TEREN_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (cr != NULL, 0);

  self->width = width;
  self->height = height;
  cairo_save (cr);
  self->n_pages = lay_out (self, cr, TARGET_COUNT);
  cairo_restore (cr);
  return self->n_pages;
}

void
teren_document_draw_page (TerenDocument *self,
                          cairo_t       *cr,
                          guint          page)
{
  g_return_if_fail (TEREN_IS_DOCUMENT (self));
  g_return_if_fail (cr != NULL);

  if (self->n_pages == 0)
    teren_document_paginate (self, cr, self->width, self->height);
  g_return_if_fail (page < self->n_pages);

  cairo_save (cr);
  lay_out (self, cr, (int) page);
  cairo_restore (cr);
}

gboolean
teren_document_write_pdf (TerenDocument  *self,
                          const char     *path,
                          GError        **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_path = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint n, drawn;
  int fd;

  g_return_val_if_fail (TEREN_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  /* Personal data: the file is private to the user. */
  fd = g_mkstemp_full (tmp_path, O_WRONLY, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot write the file “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  surface = cairo_pdf_surface_create (tmp_path, TEREN_DOCUMENT_PAGE_WIDTH, TEREN_DOCUMENT_PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Teren");
  cr = cairo_create (surface);
  /* one pass for the page count (the footers need it), one pass drawing every page */
  n = teren_document_paginate (self, cr, TEREN_DOCUMENT_PAGE_WIDTH, TEREN_DOCUMENT_PAGE_HEIGHT);
  cairo_save (cr);
  drawn = lay_out (self, cr, TARGET_ALL);
  cairo_restore (cr);
  cairo_show_page (cr);
  g_warn_if_fail (drawn == n);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (tmp_path);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO,
                   _("Cannot write the file “%s”: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp_path);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot write the file “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
