/* teren-record-row.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-gui.h"
#include "teren-record-row.h"

struct _TerenRecordRow
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkWidget      *box;
  GtkInscription *detail;
  GtkImage       *icon;
  GtkInscription *title;

  /* Owned */
  TerenRecord    *record;
  char           *detail_text;
};

enum {
  PROP_0,
  PROP_RECORD,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TerenRecordRow, teren_record_row, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
teren_record_row_dispose (GObject *object)
{
  TerenRecordRow *self = (TerenRecordRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_RECORD_ROW);
  g_clear_object (&self->record);

  G_OBJECT_CLASS (teren_record_row_parent_class)->dispose (object);
}

static void
teren_record_row_finalize (GObject *object)
{
  TerenRecordRow *self = (TerenRecordRow *)object;

  g_clear_pointer (&self->detail_text, g_free);

  G_OBJECT_CLASS (teren_record_row_parent_class)->finalize (object);
}

static void
teren_record_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TerenRecordRow *self = TEREN_RECORD_ROW (object);

  switch (prop_id)
    {
    case PROP_RECORD:
      g_value_set_object (value, self->record);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_record_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TerenRecordRow *self = TEREN_RECORD_ROW (object);

  switch (prop_id)
    {
    case PROP_RECORD:
      teren_record_row_set_record (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_record_row_class_init (TerenRecordRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_record_row_dispose;
  object_class->finalize = teren_record_row_finalize;
  object_class->get_property = teren_record_row_get_property;
  object_class->set_property = teren_record_row_set_property;

  properties[PROP_RECORD] =
    g_param_spec_object ("record", NULL, NULL, TEREN_TYPE_RECORD,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-record-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenRecordRow, box);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordRow, detail);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordRow, icon);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordRow, title);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
teren_record_row_init (TerenRecordRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TerenRecordRow *
teren_record_row_new (void)
{
  return g_object_new (TEREN_TYPE_RECORD_ROW, NULL);
}

TerenRecord *
teren_record_row_get_record (TerenRecordRow *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_ROW (self), NULL);
  return self->record;
}

const char *
teren_record_row_icon_for_kind (const char *kind)
{
  if (g_strcmp0 (kind, "person") == 0)
    return "avatar-default-symbolic";
  if (g_strcmp0 (kind, "household") == 0)
    return "user-home-symbolic";
  if (g_strcmp0 (kind, "case") == 0)
    return "folder-documents-symbolic";
  return "text-x-generic-symbolic";
}

char *
teren_record_row_detail_for (TerenRecord *record)
{
  const char *kind = teren_record_get_kind (record);

  if (g_strcmp0 (kind, "person") == 0)
    {
      g_autofree char *born = teren_gui_format_date (teren_record_get_string (record, "birth_date"));

      if (born == NULL)
        return NULL;
      /* Translators: %s is a birth date, zz.ll.aaaa */
      return g_strdup_printf (_("born %s"), born);
    }
  /* A household's title is its address; under it goes the name the team uses. */
  if (g_strcmp0 (kind, "household") == 0)
    return g_strdup (teren_record_get_string (record, "label"));

  return NULL;
}

void
teren_record_row_set_record (TerenRecordRow *self,
                             TerenRecord    *record)
{
  g_autofree char *label = NULL;
  const char *title;

  g_return_if_fail (TEREN_IS_RECORD_ROW (self));
  g_return_if_fail (record == NULL || TEREN_IS_RECORD (record));

  if (!g_set_object (&self->record, record))
    return;

  g_clear_pointer (&self->detail_text, g_free);
  if (record == NULL)
    {
      gtk_inscription_set_text (self->title, NULL);
      gtk_inscription_set_text (self->detail, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);
      return;
    }

  title = teren_record_get_title (record);
  self->detail_text = teren_record_row_detail_for (record);
  gtk_image_set_from_icon_name (self->icon, teren_record_row_icon_for_kind (teren_record_get_kind (record)));
  gtk_inscription_set_text (self->title, title);
  gtk_inscription_set_text (self->detail, self->detail_text);

  label = self->detail_text != NULL ? g_strdup_printf ("%s, %s", title, self->detail_text)
                                    : g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);
}

const char *
teren_record_row_get_title (TerenRecordRow *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_ROW (self), NULL);
  return self->record != NULL ? teren_record_get_title (self->record) : NULL;
}

const char *
teren_record_row_get_detail (TerenRecordRow *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_ROW (self), NULL);
  return self->detail_text;
}

void
teren_record_row_bind_item (GtkSignalListItemFactory *factory,
                            GtkListItem              *item,
                            gpointer                  user_data)
{
  teren_record_row_set_record (TEREN_RECORD_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

void
teren_record_row_unbind_item (GtkSignalListItemFactory *factory,
                              GtkListItem              *item,
                              gpointer                  user_data)
{
  teren_record_row_set_record (TEREN_RECORD_ROW (gtk_list_item_get_child (item)), NULL);
}
