/* teren-record-picker.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-record-list.h"
#include "teren-record-picker.h"
#include "teren-record-row.h"
#include "teren-schema.h"

struct _TerenRecordPicker
{
  AdwWindow        parent_instance;

  /* Template widgets */
  GtkListView     *list_view;
  GtkSearchEntry  *search_entry;
  AdwWindowTitle  *window_title;

  /* Owned */
  TerenStore      *store;
  TerenRecordList *list;
  char            *kind;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIND,
  N_PROPS
};

enum {
  CHOSEN,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenRecordPicker, teren_record_picker, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, GTK_WIDGET (teren_record_row_new ()));
}

static void
on_search_changed_cb (TerenRecordPicker *self)
{
  if (self->list != NULL)
    teren_record_list_set_query (self->list,
                                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_search_activate_cb (TerenRecordPicker *self)
{
  if (self->list != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    teren_record_picker_choose (self, 0);
}

static void
on_list_activate_cb (TerenRecordPicker *self,
                     guint              position)
{
  teren_record_picker_choose (self, position);
}

static void
teren_record_picker_constructed (GObject *object)
{
  TerenRecordPicker *self = (TerenRecordPicker *)object;
  const char *kinds[2] = { NULL, NULL };
  const TerenKindDef *kind_def;
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkNoSelection *selection;

  G_OBJECT_CLASS (teren_record_picker_parent_class)->constructed (object);

  kind_def = teren_schema_lookup_kind (self->kind);
  if (kind_def != NULL)
    adw_window_title_set_subtitle (self->window_title, teren_kind_get_label (kind_def));

  kinds[0] = self->kind;
  self->list = teren_record_list_new (self->store, kinds);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (teren_record_row_bind_item), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (teren_record_row_unbind_item), NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  teren_record_list_set_query (self->list, "");
}

static void
teren_record_picker_dispose (GObject *object)
{
  TerenRecordPicker *self = (TerenRecordPicker *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_RECORD_PICKER);
  g_clear_object (&self->list);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (teren_record_picker_parent_class)->dispose (object);
}

static void
teren_record_picker_finalize (GObject *object)
{
  TerenRecordPicker *self = (TerenRecordPicker *)object;

  g_clear_pointer (&self->kind, g_free);

  G_OBJECT_CLASS (teren_record_picker_parent_class)->finalize (object);
}

static void
teren_record_picker_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TerenRecordPicker *self = TEREN_RECORD_PICKER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_record_picker_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TerenRecordPicker *self = TEREN_RECORD_PICKER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_record_picker_class_init (TerenRecordPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = teren_record_picker_constructed;
  object_class->dispose = teren_record_picker_dispose;
  object_class->finalize = teren_record_picker_finalize;
  object_class->get_property = teren_record_picker_get_property;
  object_class->set_property = teren_record_picker_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TEREN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-record-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPicker, list_view);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPicker, window_title);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
teren_record_picker_init (TerenRecordPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TerenRecordPicker *
teren_record_picker_new (TerenStore *store,
                         const char *kind)
{
  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  return g_object_new (TEREN_TYPE_RECORD_PICKER, "store", store, "kind", kind, NULL);
}

GtkSearchEntry *
teren_record_picker_get_search (TerenRecordPicker *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_PICKER (self), NULL);
  return self->search_entry;
}

GListModel *
teren_record_picker_get_model (TerenRecordPicker *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_PICKER (self), NULL);
  return G_LIST_MODEL (self->list);
}

void
teren_record_picker_choose (TerenRecordPicker *self,
                            guint              position)
{
  g_autoptr(TerenRecord) record = NULL;

  g_return_if_fail (TEREN_IS_RECORD_PICKER (self));

  record = g_list_model_get_item (G_LIST_MODEL (self->list), position);
  if (record == NULL)
    return;
  g_signal_emit (self, signals[CHOSEN], 0, teren_record_get_id (record),
                 teren_record_get_title (record));
  gtk_window_close (GTK_WINDOW (self));
}
