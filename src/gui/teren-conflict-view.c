/* teren-conflict-view.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-conflict-view.h"
#include "teren-field-row.h"
#include "teren-gui.h"
#include "teren-schema.h"

struct _TerenConflictView
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  AdwActionRow        *base_row;
  GtkButton           *keep_local_button;
  GtkButton           *keep_server_button;
  AdwActionRow        *local_row;
  AdwActionRow        *server_row;

  /* Created for the field */
  TerenFieldRow       *editor;
  GtkWidget           *use_row;
  GtkWidget           *accept_row;

  /* Owned */
  TerenConflict       *conflict;
  char                *record_title;
  char                *texts[3];   /* base, server, local */
};

enum {
  RESOLVE,
  OPEN_RECORD,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenConflictView, teren_conflict_view, ADW_TYPE_PREFERENCES_GROUP)

static guint signals[N_SIGNALS];

static const TerenFieldDef *
field_def (TerenConflictView *self)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (self->conflict->record_kind);

  if (kind == NULL || self->conflict->field == NULL || *self->conflict->field == '\0')
    return NULL;
  return teren_kind_lookup_field (kind, self->conflict->field);
}

static char *
value_text (TerenConflictView *self,
            JsonNode          *node)
{
  const TerenFieldDef *field = field_def (self);
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("(empty)"));
  if (field != NULL)
    text = teren_gui_format_value (field, node);
  if (text == NULL)
    text = json_to_string (node, FALSE);
  return g_steal_pointer (&text);
}

/* "On the server · changed by ana on 01.12.2026 14:05" */
static char *
who_when (const char *where,
          const char *who,
          const char *when_iso)
{
  g_autofree char *when = teren_gui_format_time (when_iso);

  if (who != NULL && *who != '\0' && when != NULL)
    /* Translators: "On the server · changed by ana on 01.12.2026 14:05" */
    return g_strdup_printf (_("%s · changed by %s on %s"), where, who, when);
  if (who != NULL && *who != '\0')
    return g_strdup_printf (_("%s · changed by %s"), where, who);
  if (when != NULL)
    return g_strdup_printf (_("%s · changed on %s"), where, when);
  return g_strdup (where);
}

static void
emit_resolve (TerenConflictView *self,
              JsonNode          *value)
{
  g_autoptr(JsonNode) null_node = NULL;

  if (value == NULL)
    value = null_node = json_node_new (JSON_NODE_NULL);
  g_signal_emit (self, signals[RESOLVE], 0, self->conflict->id, value);
}

static void
on_keep_server_cb (TerenConflictView *self)
{
  teren_conflict_view_keep_server (self);
}

static void
on_keep_local_cb (TerenConflictView *self)
{
  teren_conflict_view_keep_local (self);
}

static void
on_use_clicked_cb (TerenConflictView *self)
{
  teren_conflict_view_use_edited (self);
}

static void
on_accept_clicked_cb (TerenConflictView *self)
{
  emit_resolve (self, NULL);
}

static void
on_open_clicked_cb (TerenConflictView *self)
{
  g_signal_emit (self, signals[OPEN_RECORD], 0, self->conflict->record_id);
}

static GtkWidget *
button_row (const char *title,
            const char *subtitle,
            const char *label,
            GCallback   callback,
            gpointer    self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (button, "clicked", callback, self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

static void
build (TerenConflictView *self)
{
  TerenConflict *conflict = self->conflict;
  const TerenFieldDef *field = field_def (self);
  const TerenKindDef *kind = teren_schema_lookup_kind (conflict->record_kind);
  gboolean resolving = g_strcmp0 (conflict->state, "resolving") == 0;
  gboolean record_level = conflict->field == NULL || *conflict->field == '\0';
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *server_sub = NULL;
  g_autofree char *local_sub = NULL;
  GString *description = g_string_new (NULL);
  GtkWidget *open_button;

  if (field != NULL)
    /* Translators: "Ștefănescu Ana — Phone" (a record, then one of its fields) */
    title = g_strdup_printf (_("%s — %s"), self->record_title, teren_field_get_label (field));
  else
    title = g_strdup (self->record_title);
  escaped = g_markup_escape_text (title, -1);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), escaped);

  if (g_strcmp0 (conflict->reason, "edit_on_deleted") == 0)
    g_string_append (description, _("The record was deleted on the server while you edited it "
                                    "here. It stays deleted; your edit is kept in its history."));
  else if (g_strcmp0 (conflict->reason, "delete_vs_edit") == 0)
    g_string_append (description, _("You deleted the record here while it was changed on the "
                                    "server. It was not deleted; delete it again if it must go."));
  else
    g_string_append (description, _("This field was changed on the server and on this laptop. "
                                    "Keep one of the values or type a new one."));
  if (resolving)
    {
      g_string_append (description, " ");
      g_string_append (description, _("Your choice is saved and waits to be sent."));
    }
  {
    g_autofree char *desc_escaped = g_markup_escape_text (description->str, -1);
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), desc_escaped);
  }
  g_string_free (description, TRUE);

  open_button = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_tooltip_text (open_button, _("Open the record"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (open_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Open the record"), -1);
  gtk_widget_add_css_class (open_button, "flat");
  gtk_widget_set_valign (open_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (open_button, "clicked", G_CALLBACK (on_open_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self), open_button);

  self->texts[0] = value_text (self, conflict->base);
  self->texts[1] = value_text (self, conflict->server);
  self->texts[2] = value_text (self, conflict->local);

  server_sub = who_when (_("On the server"), conflict->server_by, conflict->server_at);
  local_sub = who_when (_("On this laptop"), conflict->local_by, conflict->local_at);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->base_row), self->texts[0]);
  adw_action_row_set_subtitle (self->base_row, _("Before both changes"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->server_row), self->texts[1]);
  adw_action_row_set_subtitle (self->server_row, server_sub);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->local_row), self->texts[2]);
  adw_action_row_set_subtitle (self->local_row, local_sub);

  gtk_widget_set_visible (GTK_WIDGET (self->base_row), !record_level);
  gtk_widget_set_visible (GTK_WIDGET (self->server_row), !record_level);
  gtk_widget_set_visible (GTK_WIDGET (self->local_row), !record_level);
  gtk_widget_set_sensitive (GTK_WIDGET (self->keep_server_button), !resolving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->keep_local_button), !resolving);

  if (record_level)
    {
      self->accept_row = button_row (_("Accept the server’s outcome"), NULL, _("_Accept"),
                                     G_CALLBACK (on_accept_clicked_cb), self);
      gtk_widget_set_sensitive (self->accept_row, !resolving);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->accept_row);
      return;
    }

  if (field != NULL && kind != NULL && field->type != TEREN_FIELD_REFERENCE)
    {
      self->editor = teren_field_row_new (kind->name, field->key);
      teren_field_row_set_value (self->editor, conflict->local);
      gtk_widget_set_sensitive (GTK_WIDGET (self->editor), !resolving);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->editor));
      self->use_row = button_row (_("Or keep the value typed above"), NULL, _("_Use New Value"),
                                  G_CALLBACK (on_use_clicked_cb), self);
      gtk_widget_set_sensitive (self->use_row, !resolving);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->use_row);
    }
}

static void
teren_conflict_view_dispose (GObject *object)
{
  TerenConflictView *self = (TerenConflictView *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_CONFLICT_VIEW);
  self->editor = NULL;
  self->use_row = NULL;
  self->accept_row = NULL;

  G_OBJECT_CLASS (teren_conflict_view_parent_class)->dispose (object);
}

static void
teren_conflict_view_finalize (GObject *object)
{
  TerenConflictView *self = (TerenConflictView *)object;
  guint i;

  g_clear_pointer (&self->conflict, teren_conflict_free);
  g_free (self->record_title);
  for (i = 0; i < G_N_ELEMENTS (self->texts); i++)
    g_free (self->texts[i]);

  G_OBJECT_CLASS (teren_conflict_view_parent_class)->finalize (object);
}

static void
teren_conflict_view_class_init (TerenConflictViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_conflict_view_dispose;
  object_class->finalize = teren_conflict_view_finalize;

  signals[RESOLVE] = g_signal_new ("resolve", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_STRING, JSON_TYPE_NODE);
  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-conflict-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenConflictView, base_row);
  gtk_widget_class_bind_template_child (widget_class, TerenConflictView, keep_local_button);
  gtk_widget_class_bind_template_child (widget_class, TerenConflictView, keep_server_button);
  gtk_widget_class_bind_template_child (widget_class, TerenConflictView, local_row);
  gtk_widget_class_bind_template_child (widget_class, TerenConflictView, server_row);
  gtk_widget_class_bind_template_callback (widget_class, on_keep_local_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_keep_server_cb);
}

static void
teren_conflict_view_init (TerenConflictView *self)
{
  g_type_ensure (TEREN_TYPE_FIELD_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * teren_conflict_view_new:
 * @conflict: (transfer full): the item shown
 */
TerenConflictView *
teren_conflict_view_new (TerenConflict *conflict,
                         const char    *record_title)
{
  TerenConflictView *self;

  g_return_val_if_fail (conflict != NULL, NULL);

  self = g_object_new (TEREN_TYPE_CONFLICT_VIEW, NULL);
  self->conflict = conflict;
  self->record_title = g_strdup (record_title != NULL ? record_title : "");
  build (self);
  return self;
}

const TerenConflict *
teren_conflict_view_get_conflict (TerenConflictView *self)
{
  g_return_val_if_fail (TEREN_IS_CONFLICT_VIEW (self), NULL);
  return self->conflict;
}

const char *
teren_conflict_view_get_value_text (TerenConflictView *self,
                                    const char        *which)
{
  g_return_val_if_fail (TEREN_IS_CONFLICT_VIEW (self), NULL);

  if (g_strcmp0 (which, "base") == 0)
    return self->texts[0];
  if (g_strcmp0 (which, "server") == 0)
    return self->texts[1];
  if (g_strcmp0 (which, "local") == 0)
    return self->texts[2];
  return NULL;
}

void
teren_conflict_view_keep_server (TerenConflictView *self)
{
  g_return_if_fail (TEREN_IS_CONFLICT_VIEW (self));
  emit_resolve (self, self->conflict->server);
}

void
teren_conflict_view_keep_local (TerenConflictView *self)
{
  g_return_if_fail (TEREN_IS_CONFLICT_VIEW (self));
  emit_resolve (self, self->conflict->local);
}

GtkWidget *
teren_conflict_view_get_editor (TerenConflictView *self)
{
  g_return_val_if_fail (TEREN_IS_CONFLICT_VIEW (self), NULL);
  return self->editor != NULL ? GTK_WIDGET (self->editor) : NULL;
}

void
teren_conflict_view_use_edited (TerenConflictView *self)
{
  g_autoptr(JsonNode) value = NULL;

  g_return_if_fail (TEREN_IS_CONFLICT_VIEW (self));

  if (self->editor == NULL)
    return;
  value = teren_field_row_get_value (self->editor);
  emit_resolve (self, value);
}
