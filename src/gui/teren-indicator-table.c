/* teren-indicator-table.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-indicator-table.h"
#include "teren-indicators.h"
#include "teren-nomenclature.h"

struct _TerenIndicatorTable
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkColumnView  *view;

  /* Owned */
  GtkStringList  *codes;    /* one item per indicator, in report order */
  GHashTable     *labels;   /* code → label */
  GHashTable     *cells;    /* "code segment" → text */
};

G_DEFINE_FINAL_TYPE (TerenIndicatorTable, teren_indicator_table, GTK_TYPE_WIDGET)

#define COLUMN_LABEL "label"
#define COLUMN_TOTAL "total"

static char *
cell_key (const char *code,
          const char *segment)
{
  return g_strconcat (code, " ", segment, NULL);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  const char *segment = g_object_get_data (G_OBJECT (factory), "segment");
  GtkWidget *label = gtk_label_new (NULL);

  if (g_strcmp0 (segment, COLUMN_LABEL) == 0)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_width_chars (GTK_LABEL (label), 28);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  TerenIndicatorTable *self = user_data;
  const char *segment = g_object_get_data (G_OBJECT (factory), "segment");
  GtkStringObject *object = gtk_list_item_get_item (item);
  const char *code = gtk_string_object_get_string (object);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *text;

  if (g_strcmp0 (segment, COLUMN_LABEL) == 0)
    {
      const char *name = g_hash_table_lookup (self->labels, code);
      g_autofree char *full = g_strdup_printf ("%s %s", code, name != NULL ? name : "");

      gtk_label_set_text (GTK_LABEL (label), full);
      return;
    }

  text = teren_indicator_table_get_cell (self, code, segment);
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
}

static void
add_column (TerenIndicatorTable *self,
            const char          *segment,
            const char          *title,
            gboolean             expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_object_set_data_full (G_OBJECT (factory), "segment", g_strdup (segment), g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->view, column);
}

static void
teren_indicator_table_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEREN_TYPE_INDICATOR_TABLE);

  G_OBJECT_CLASS (teren_indicator_table_parent_class)->dispose (object);
}

static void
teren_indicator_table_finalize (GObject *object)
{
  TerenIndicatorTable *self = TEREN_INDICATOR_TABLE (object);

  g_clear_object (&self->codes);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->cells, g_hash_table_unref);

  G_OBJECT_CLASS (teren_indicator_table_parent_class)->finalize (object);
}

static void
teren_indicator_table_class_init (TerenIndicatorTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_indicator_table_dispose;
  object_class->finalize = teren_indicator_table_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-indicator-table.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenIndicatorTable, view);
}

static void
teren_indicator_table_init (TerenIndicatorTable *self)
{
  const TerenNomenclature *ages = teren_nomenclature_lookup ("amc_age");
  const TerenNomenclature *sexes = teren_nomenclature_lookup ("sex");
  const char * const *age_codes = teren_indicators_age_segments ();
  const char * const *sex_codes = teren_indicators_sex_segments ();
  g_autoptr(GtkNoSelection) selection = NULL;
  guint i;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->codes = gtk_string_list_new (NULL);
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->codes)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));

  add_column (self, COLUMN_LABEL, _("Indicator"), TRUE);
  add_column (self, COLUMN_TOTAL, _("Total"), FALSE);
  for (i = 0; age_codes[i] != NULL; i++)
    add_column (self, age_codes[i],
                strcmp (age_codes[i], "unknown") != 0
                ? teren_nomenclature_get_label (ages, age_codes[i]) : _("Unknown age"),
                FALSE);
  for (i = 0; sex_codes[i] != NULL; i++)
    add_column (self, sex_codes[i],
                strcmp (sex_codes[i], "unknown") != 0
                ? teren_nomenclature_get_label (sexes, sex_codes[i]) : _("Unknown sex"),
                FALSE);
}

/* Public API */

GtkWidget *
teren_indicator_table_new (void)
{
  return g_object_new (TEREN_TYPE_INDICATOR_TABLE, NULL);
}

gboolean
teren_indicator_table_set_report (TerenIndicatorTable *self,
                                  const TerenReport   *report)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GHashTable) segmented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  g_return_val_if_fail (TEREN_IS_INDICATOR_TABLE (self), FALSE);

  g_hash_table_remove_all (self->labels);
  g_hash_table_remove_all (self->cells);

  /* An indicator is a figure whose key has segmented figures "KEY:segment" after it. */
  for (i = 0; report != NULL && i < report->figures->len; i++)
    {
      const TerenReportFigure *figure = g_ptr_array_index (report->figures, i);
      const char *colon = strchr (figure->key, ':');

      if (colon != NULL)
        g_hash_table_add (segmented, g_strndup (figure->key, (gsize) (colon - figure->key)));
    }

  for (i = 0; report != NULL && i < report->figures->len; i++)
    {
      const TerenReportFigure *figure = g_ptr_array_index (report->figures, i);
      const char *colon = strchr (figure->key, ':');
      g_autofree char *code = colon != NULL ? g_strndup (figure->key, (gsize) (colon - figure->key))
                                            : g_strdup (figure->key);
      g_autofree char *text = g_strdup_printf ("%.*f", (int) figure->decimals, figure->value);

      if (!g_hash_table_contains (segmented, code))
        continue;
      if (colon == NULL)
        {
          g_hash_table_insert (self->labels, g_strdup (code), g_strdup (figure->label));
          g_hash_table_insert (self->cells, cell_key (code, COLUMN_TOTAL), g_steal_pointer (&text));
          g_ptr_array_add (codes, figure->key);
        }
      else
        g_hash_table_insert (self->cells, cell_key (code, colon + 1), g_steal_pointer (&text));
    }
  g_ptr_array_add (codes, NULL);

  gtk_string_list_splice (self->codes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->codes)),
                          (const char * const *) codes->pdata);
  return codes->len > 1;
}

guint
teren_indicator_table_get_n_rows (TerenIndicatorTable *self)
{
  g_return_val_if_fail (TEREN_IS_INDICATOR_TABLE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->codes));
}

const char *
teren_indicator_table_get_cell (TerenIndicatorTable *self,
                                const char          *code,
                                const char          *segment)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (TEREN_IS_INDICATOR_TABLE (self), NULL);

  key = cell_key (code, segment);
  return g_hash_table_lookup (self->cells, key);
}
