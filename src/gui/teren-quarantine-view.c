/* teren-quarantine-view.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-field-row.h"
#include "teren-gui.h"
#include "teren-quarantine-view.h"
#include "teren-schema.h"

struct _TerenQuarantineView
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  GtkWidget           *buttons;
  GtkButton           *discard_button;
  GtkButton           *retry_button;

  /* Owned */
  TerenQuarantined    *item;
  char                *record_title;
  char                *reason;
  GHashTable          *editors;   /* key → TerenFieldRow (borrowed from the group) */
  guint                edited : 1;
};

enum {
  RETRY,
  DISCARD,
  OPEN_RECORD,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenQuarantineView, teren_quarantine_view, ADW_TYPE_PREFERENCES_GROUP)

static guint signals[N_SIGNALS];

static const char *
op_label (const char *op)
{
  if (g_strcmp0 (op, "create") == 0)
    return _("New record");
  if (g_strcmp0 (op, "delete") == 0)
    return _("Deletion");
  return _("Change");
}

static const char *
error_for_field (TerenQuarantined *item,
                 const char       *key)
{
  guint i;

  for (i = 0; item->errors != NULL && i < json_array_get_length (item->errors); i++)
    {
      JsonNode *node = json_array_get_element (item->errors, i);
      JsonObject *error = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (error != NULL && g_strcmp0 (json_object_get_string_member_with_default (error, "field", ""), key) == 0)
        return json_object_get_string_member_with_default (error, "message", NULL);
    }
  return NULL;
}

static void
on_editor_changed_cb (TerenQuarantineView *self,
                      TerenFieldRow       *row)
{
  self->edited = TRUE;
  teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_NONE, NULL);
}

static void
on_retry_cb (TerenQuarantineView *self)
{
  teren_quarantine_view_retry (self);
}

static void
on_discard_cb (TerenQuarantineView *self)
{
  teren_quarantine_view_discard (self);
}

static void
on_open_cb (TerenQuarantineView *self)
{
  g_signal_emit (self, signals[OPEN_RECORD], 0, self->item->record_id);
}

static void
build (TerenQuarantineView *self)
{
  TerenQuarantined *item = self->item;
  const TerenKindDef *kind = teren_schema_lookup_kind (item->kind);
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *saved = teren_gui_format_time (item->device_time);
  GString *description = g_string_new (NULL);
  GtkWidget *open_button;
  guint i;

  /* Translators: "Ștefănescu Ana — Change" (a record, then what was done to it) */
  title = g_strdup_printf (_("%s — %s"), self->record_title, op_label (item->op));
  escaped = g_markup_escape_text (title, -1);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), escaped);

  if (item->held)
    {
      self->reason = g_strdup (_("Waits for an earlier change of this record that the server refused. "
                                 "Fix or discard that one first."));
      g_string_append (description, self->reason);
    }
  else
    {
      const char *message = item->message != NULL && *item->message != '\0'
                            ? item->message : item->code;

      self->reason = g_strdup (message != NULL ? message : _("No reason given"));
      /* Translators: %s is the server's reason, e.g. "The CNP is not valid" */
      g_string_append_printf (description, _("The server refused this change: %s"), self->reason);
    }
  if (saved != NULL)
    {
      g_string_append (description, "\n");
      /* Translators: %s is a date and time */
      g_string_append_printf (description, _("Saved on this laptop on %s."), saved);
    }
  {
    g_autofree char *desc_escaped = g_markup_escape_text (description->str, -1);
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), desc_escaped);
  }
  g_string_free (description, TRUE);

  gtk_widget_set_visible (self->buttons, !item->held);

  if (g_strcmp0 (item->op, "delete") == 0 || kind == NULL || item->patch == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     g_strcmp0 (item->op, "delete") == 0
                                     ? _("Delete this record") : _("Change of a kind this version does not know"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
    }
  else
    for (i = 0; i < kind->n_fields; i++)
      {
        const TerenFieldDef *field = &kind->fields[i];
        TerenFieldRow *row;
        const char *message;

        if (!json_object_has_member (item->patch, field->key))
          continue;
        row = teren_field_row_new (kind->name, field->key);
        teren_field_row_set_value (row, json_object_get_member (item->patch, field->key));
        message = error_for_field (item, field->key);
        if (message != NULL)
          teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_ERROR, message);
        gtk_widget_set_sensitive (GTK_WIDGET (row), !item->held && field->type != TEREN_FIELD_REFERENCE);
        g_signal_connect_object (row, "changed", G_CALLBACK (on_editor_changed_cb), self, G_CONNECT_SWAPPED);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
        g_hash_table_insert (self->editors, g_strdup (field->key), row);
      }

  open_button = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_tooltip_text (open_button, _("Open the record"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (open_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Open the record"), -1);
  gtk_widget_add_css_class (open_button, "flat");
  gtk_widget_set_valign (open_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (open_button, "clicked", G_CALLBACK (on_open_cb), self);
  gtk_box_append (GTK_BOX (self->buttons), open_button);
  if (item->held)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->discard_button), FALSE);
      gtk_widget_set_visible (self->buttons, TRUE);
    }
}

static void
teren_quarantine_view_dispose (GObject *object)
{
  TerenQuarantineView *self = (TerenQuarantineView *)object;

  g_clear_pointer (&self->editors, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_QUARANTINE_VIEW);

  G_OBJECT_CLASS (teren_quarantine_view_parent_class)->dispose (object);
}

static void
teren_quarantine_view_finalize (GObject *object)
{
  TerenQuarantineView *self = (TerenQuarantineView *)object;

  g_clear_pointer (&self->item, teren_quarantined_free);
  g_free (self->record_title);
  g_free (self->reason);

  G_OBJECT_CLASS (teren_quarantine_view_parent_class)->finalize (object);
}

static void
teren_quarantine_view_class_init (TerenQuarantineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_quarantine_view_dispose;
  object_class->finalize = teren_quarantine_view_finalize;

  signals[RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                 G_TYPE_STRING, JSON_TYPE_OBJECT);
  signals[DISCARD] = g_signal_new ("discard", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-quarantine-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenQuarantineView, buttons);
  gtk_widget_class_bind_template_child (widget_class, TerenQuarantineView, discard_button);
  gtk_widget_class_bind_template_child (widget_class, TerenQuarantineView, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, on_discard_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_cb);
}

static void
teren_quarantine_view_init (TerenQuarantineView *self)
{
  g_type_ensure (TEREN_TYPE_FIELD_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->editors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * teren_quarantine_view_new:
 * @item: (transfer full): the refused or held operation
 */
TerenQuarantineView *
teren_quarantine_view_new (TerenQuarantined *item,
                           const char       *record_title)
{
  TerenQuarantineView *self;

  g_return_val_if_fail (item != NULL, NULL);

  self = g_object_new (TEREN_TYPE_QUARANTINE_VIEW, NULL);
  self->item = item;
  self->record_title = g_strdup (record_title != NULL ? record_title : "");
  build (self);
  return self;
}

const TerenQuarantined *
teren_quarantine_view_get_item (TerenQuarantineView *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_VIEW (self), NULL);
  return self->item;
}

const char *
teren_quarantine_view_get_record_title (TerenQuarantineView *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_VIEW (self), NULL);
  return self->record_title;
}

const char *
teren_quarantine_view_get_reason (TerenQuarantineView *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_VIEW (self), NULL);
  return self->reason;
}

GtkWidget *
teren_quarantine_view_get_editor (TerenQuarantineView *self,
                                  const char          *key)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_VIEW (self), NULL);
  return self->editors != NULL ? g_hash_table_lookup (self->editors, key) : NULL;
}

void
teren_quarantine_view_retry (TerenQuarantineView *self)
{
  g_autoptr(JsonObject) patch = NULL;
  GHashTableIter iter;
  gpointer key, row;

  g_return_if_fail (TEREN_IS_QUARANTINE_VIEW (self));

  if (self->item->held)
    return;

  /* Unchanged: sent again as it was (the server may accept it now). */
  if (self->edited)
    {
      patch = json_object_new ();
      g_hash_table_iter_init (&iter, self->editors);
      while (g_hash_table_iter_next (&iter, &key, &row))
        {
          JsonNode *value = teren_field_row_get_value (row);

          if (value == NULL)
            value = json_node_new (JSON_NODE_NULL);
          json_object_set_member (patch, key, value);
        }
    }
  g_signal_emit (self, signals[RETRY], 0, self->item->change_id, patch);
}

void
teren_quarantine_view_discard (TerenQuarantineView *self)
{
  g_return_if_fail (TEREN_IS_QUARANTINE_VIEW (self));

  if (!self->item->held)
    g_signal_emit (self, signals[DISCARD], 0, self->item->change_id);
}
