/* teren-record-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-error.h"
#include "teren-export.h"
#include "teren-gui.h"
#include "teren-line.h"
#include "teren-official-documents.h"
#include "teren-print.h"
#include "teren-record-page.h"
#include "teren-record-row.h"
#include "teren-schema.h"

/* Several saves arrive together (a form saves, the op-log changes): reload once. */
#define RELOAD_DELAY_MS 150

struct _TerenRecordPage
{
  GtkWidget             parent_instance;

  /* Template widgets */
  GtkWidget            *box;
  GtkButton            *case_button;
  AdwPreferencesGroup  *cases_group;
  AdwPreferencesGroup  *details_group;
  GtkButton            *edit_button;
  GtkMenuButton        *more_button;
  GtkMenuButton        *print_button;
  AdwPreferencesGroup  *related_group;
  GtkButton            *related_button;
  GtkSpinner           *spinner;
  GtkStack             *stack;
  GtkButton            *visit_button;
  GtkButton            *sync_button;
  GtkImage             *sync_icon;
  AdwActionRow         *sync_row;
  AdwWindowTitle       *window_title;

  /* Owned */
  TerenStore           *store;
  TerenRecord          *record;
  GCancellable         *cancellable;
  GPtrArray            *rows;          /* (element-type GtkWidget) rows added, to remove */
  GPtrArray            *related_ids;   /* char* */
  GPtrArray            *case_ids;      /* char* */
  char                 *record_id;
  char                 *sync_text;
  TerenRecordSyncState  sync_state;

  TerenGuiDebounce      reload_later;
  guint                 loading : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_RECORD_ID,
  PROP_LOADING,
  N_PROPS
};

enum {
  OPEN_RECORD,
  EDIT_RECORD,
  NEW_RECORD,
  HOME_VISIT,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenRecordPage, teren_record_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void reload (TerenRecordPage *self);

/* What the worker reads */

typedef struct
{
  TerenRecord *record;
  GPtrArray   *related;        /* TerenRecord: households of a person, members of a household */
  GPtrArray   *related_roles;  /* char*: relationship code of each, or NULL */
  GPtrArray   *cases;          /* TerenRecord */
  TerenRecordSyncState sync_state;
  guint        pending;
  char        *reason;         /* why the server refused a change, or NULL */
} PageData;

static void
page_data_free (gpointer pointer)
{
  PageData *data = pointer;

  g_clear_object (&data->record);
  g_clear_pointer (&data->related, g_ptr_array_unref);
  g_clear_pointer (&data->related_roles, g_ptr_array_unref);
  g_clear_pointer (&data->cases, g_ptr_array_unref);
  g_free (data->reason);
  g_free (data);
}

static gboolean
load_memberships (TerenStore  *store,
                  PageData    *data,
                  const char  *own_key,
                  const char  *other_key,
                  GError     **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  guint i;

  ids = teren_store_find_by_field (store, "household_member", own_key,
                                   teren_record_get_id (data->record), error);
  if (ids == NULL)
    return FALSE;

  for (i = 0; i < ids->len; i++)
    {
      g_autoptr(TerenRecord) membership = teren_store_get_record (store, g_ptr_array_index (ids, i), NULL);
      g_autoptr(TerenRecord) other = NULL;
      const char *other_id;

      if (membership == NULL || teren_record_get_deleted (membership))
        continue;
      other_id = teren_record_get_string (membership, other_key);
      if (other_id == NULL)
        continue;
      other = teren_store_get_record (store, other_id, NULL);
      if (other == NULL || teren_record_get_deleted (other))
        continue;
      g_ptr_array_add (data->related, g_steal_pointer (&other));
      g_ptr_array_add (data->related_roles,
                       g_strdup (teren_record_get_string (membership, "relationship")));
    }
  return TRUE;
}

static gpointer
load_page_func (TerenStore  *store,
                gpointer     user_data,
                GError     **error)
{
  const char *id = user_data;
  PageData *data = g_new0 (PageData, 1);
  const char *kind;

  data->related = g_ptr_array_new_with_free_func (g_object_unref);
  data->related_roles = g_ptr_array_new_with_free_func (g_free);
  data->cases = g_ptr_array_new_with_free_func (g_object_unref);

  data->record = teren_store_get_record (store, id, error);
  if (data->record == NULL)
    {
      page_data_free (data);
      return NULL;
    }

  data->sync_state = teren_store_get_sync_state (store, id, &data->pending, &data->reason);

  kind = teren_record_get_kind (data->record);
  if (g_strcmp0 (kind, "person") == 0)
    {
      g_autoptr(GPtrArray) case_ids = NULL;
      guint i;

      if (!load_memberships (store, data, "person", "household", error))
        goto fail;
      case_ids = teren_store_find_by_field (store, "case", "person", id, error);
      if (case_ids == NULL)
        goto fail;
      for (i = 0; i < case_ids->len; i++)
        {
          TerenRecord *record = teren_store_get_record (store, g_ptr_array_index (case_ids, i), NULL);

          if (record != NULL && !teren_record_get_deleted (record))
            g_ptr_array_add (data->cases, record);
          else
            g_clear_object (&record);
        }
    }
  else if (g_strcmp0 (kind, "household") == 0)
    {
      if (!load_memberships (store, data, "household", "person", error))
        goto fail;
    }

  return data;

fail:
  page_data_free (data);
  return NULL;
}

/* Showing it */

static void
clear_rows (TerenRecordPage *self)
{
  guint i;

  for (i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->related_ids, 0);
  g_ptr_array_set_size (self->case_ids, 0);
}

static GtkWidget *
add_row (TerenRecordPage     *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* User data: never markup (libadwaita 1.2 rows default to markup). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, g_object_ref (row));
  return row;
}

static void
on_link_row_activated_cb (TerenRecordPage *self,
                          AdwActionRow    *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "teren-record-id");

  if (id != NULL)
    g_signal_emit (self, signals[OPEN_RECORD], 0, id);
}

static void
add_link_row (TerenRecordPage     *self,
              AdwPreferencesGroup *group,
              TerenRecord         *record,
              const char          *subtitle)
{
  GtkWidget *row = add_row (self, group, teren_record_get_title (record), subtitle);
  GtkWidget *icon = gtk_image_new_from_icon_name ("go-next-symbolic");
  GtkWidget *kind_icon = gtk_image_new_from_icon_name (
    teren_record_row_icon_for_kind (teren_record_get_kind (record)));

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), kind_icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "teren-record-id",
                          g_strdup (teren_record_get_id (record)), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (on_link_row_activated_cb), self,
                           G_CONNECT_SWAPPED);
}

static char *
case_subtitle (TerenRecord *record)
{
  const TerenLine *line = teren_line_lookup (teren_record_get_line (record));
  const TerenKindDef *kind = teren_schema_lookup_kind ("case");
  const TerenFieldDef *status_def = kind != NULL ? teren_kind_lookup_field (kind, "status") : NULL;
  const char *status = teren_record_get_string (record, "status");
  const char *status_label = NULL;

  if (status_def != NULL && status_def->nomenclature != NULL && status != NULL)
    status_label = teren_nomenclature_get_label (teren_nomenclature_lookup (status_def->nomenclature),
                                                 status);
  if (line != NULL && status_label != NULL)
    return g_strdup_printf ("%s · %s", g_dgettext (GETTEXT_PACKAGE, line->label), status_label);
  if (line != NULL)
    return g_strdup (g_dgettext (GETTEXT_PACKAGE, line->label));
  return g_strdup (status_label);
}

static void
show_data (TerenRecordPage *self,
           PageData        *data)
{
  const TerenKindDef *kind_def = teren_schema_lookup_kind (teren_record_get_kind (data->record));
  const char *kind = teren_record_get_kind (data->record);
  gboolean is_person = g_strcmp0 (kind, "person") == 0;
  gboolean is_household = g_strcmp0 (kind, "household") == 0;
  JsonObject *fields = teren_record_get_fields (data->record);
  guint i;

  g_set_object (&self->record, data->record);
  clear_rows (self);

  {
    gboolean printable = teren_official_document_kind_for_record (kind) != NULL;

    gtk_widget_set_visible (GTK_WIDGET (self->print_button), printable);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.print", printable);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.save-pdf", printable);
  }

  adw_window_title_set_title (self->window_title, teren_record_get_title (data->record));
  adw_window_title_set_subtitle (self->window_title,
                                 kind_def != NULL ? teren_kind_get_label (kind_def) : NULL);

  for (i = 0; kind_def != NULL && i < kind_def->n_fields; i++)
    {
      const TerenFieldDef *field = &kind_def->fields[i];
      g_autofree char *value = NULL;

      if (fields == NULL || !json_object_has_member (fields, field->key))
        continue;
      /* "Valid CNP" says nothing the CNP row does not. */
      if (g_strcmp0 (field->key, "cnp_status") == 0 &&
          g_strcmp0 (teren_record_get_string (data->record, "cnp_status"), "valid") == 0 &&
          teren_record_get_string (data->record, "cnp") != NULL)
        continue;
      value = teren_gui_format_value (field, json_object_get_member (fields, field->key));
      if (value == NULL || *value == '\0')
        continue;
      /* The label is the title and the value the subtitle, as in GNOME's detail pages. */
      add_row (self, self->details_group, teren_field_get_label (field), value);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->related_group), is_person || is_household);
  gtk_widget_set_visible (GTK_WIDGET (self->cases_group), is_person);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.add-related", is_person || is_household);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.new-case", is_person);
  gtk_widget_set_visible (GTK_WIDGET (self->visit_button), is_household);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.home-visit", is_household);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), is_person);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.export-personal-data", is_person);

  if (is_person)
    {
      adw_preferences_group_set_title (self->related_group, _("Households"));
      gtk_button_set_label (self->related_button, _("_Add to Household"));
    }
  else if (is_household)
    {
      adw_preferences_group_set_title (self->related_group, _("Members"));
      gtk_button_set_label (self->related_button, _("_Add Member"));
    }

  for (i = 0; i < data->related->len; i++)
    {
      TerenRecord *other = g_ptr_array_index (data->related, i);
      const char *role = g_ptr_array_index (data->related_roles, i);
      const TerenKindDef *member_def = teren_schema_lookup_kind ("household_member");
      const TerenFieldDef *role_def = member_def != NULL
                                      ? teren_kind_lookup_field (member_def, "relationship") : NULL;
      const char *role_label = NULL;

      if (role != NULL && role_def != NULL && role_def->nomenclature != NULL)
        role_label = teren_nomenclature_get_label (teren_nomenclature_lookup (role_def->nomenclature), role);
      add_link_row (self, self->related_group, other, role_label);
      g_ptr_array_add (self->related_ids, g_strdup (teren_record_get_id (other)));
    }
  if (data->related->len == 0 && (is_person || is_household))
    add_row (self, self->related_group,
             is_person ? _("Not in a household yet") : _("No members yet"), NULL);

  for (i = 0; i < data->cases->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (data->cases, i);
      g_autofree char *subtitle = case_subtitle (record);

      add_link_row (self, self->cases_group, record, subtitle);
      g_ptr_array_add (self->case_ids, g_strdup (teren_record_get_id (record)));
    }
  if (data->cases->len == 0 && is_person)
    add_row (self, self->cases_group, _("No cases yet"), NULL);

  gtk_stack_set_visible_child_name (self->stack, "record");
}

/* Per-record sync state, said in words (issue 4): synced, waiting, in conflict, refused. */
static void
show_sync_state (TerenRecordPage *self,
                 PageData        *data)
{
  const char *icon_name;
  const char *button = NULL;
  char *text;

  switch (data->sync_state)
    {
    case TEREN_RECORD_WAITING:
      icon_name = "document-save-symbolic";
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Saved on this laptop; %u change waiting to be sent",
                                           "Saved on this laptop; %u changes waiting to be sent",
                                           data->pending),
                              data->pending);
      break;
    case TEREN_RECORD_IN_CONFLICT:
      icon_name = "dialog-question-symbolic";
      text = g_strdup (_("In conflict: a field was changed here and on the server. Choose the value to keep."));
      button = _("_Resolve…");
      break;
    case TEREN_RECORD_QUARANTINED:
      icon_name = "dialog-warning-symbolic";
      /* Translators: %s is the server's reason */
      text = g_strdup_printf (_("Refused by the server: %s"),
                              data->reason != NULL ? data->reason : _("No reason given"));
      button = _("_Fix…");
      break;
    case TEREN_RECORD_SYNCED:
    default:
      icon_name = "emblem-ok-symbolic";
      text = g_strdup (teren_record_get_rev (data->record) > 0
                       ? _("Synced with the server")
                       : _("Saved on this laptop"));
      break;
    }

  self->sync_state = data->sync_state;
  g_free (self->sync_text);
  self->sync_text = text;
  gtk_image_set_from_icon_name (self->sync_icon, icon_name);
  adw_action_row_set_subtitle (self->sync_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), button != NULL);
  if (button != NULL)
    gtk_button_set_label (self->sync_button, button);
}

static void
on_sync_button_clicked_cb (TerenRecordPage *self)
{
  const char *page = self->sync_state == TEREN_RECORD_IN_CONFLICT ? "conflicts" : "quarantine";

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-special", "s", page);
}

static void
set_loading (TerenRecordPage *self,
             gboolean         loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_page_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TerenRecordPage) self = user_data;
  g_autoptr(GError) error = NULL;
  PageData *data = teren_gui_store_call_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (data == NULL)
    {
      if (!g_error_matches (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
        g_debug ("Could not load a record page: %s", error != NULL ? error->message : "");
      gtk_stack_set_visible_child_name (self->stack, "missing");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.edit", FALSE);
    }
  else
    {
      show_data (self, data);
      show_sync_state (self, data);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.edit",
                                     !teren_record_get_deleted (data->record));
      page_data_free (data);
    }

  set_loading (self, FALSE);
}

static void
reload (TerenRecordPage *self)
{
  teren_gui_debounce_cancel (&self->reload_later);
  if (self->store == NULL || self->record_id == NULL)
    return;

  /* A newer load replaces an older one. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_loading (self, TRUE);
  teren_gui_store_call_async (self->store, load_page_func, g_strdup (self->record_id), g_free,
                              page_data_free, self->cancellable, on_page_loaded_cb,
                              g_object_ref (self));
}

static void
on_record_changed_cb (TerenRecordPage *self,
                      const char      *id,
                      const char      *kind)
{
  /* The record itself, or something that may point at it. */
  if (g_strcmp0 (id, self->record_id) != 0 &&
      g_strcmp0 (kind, "household_member") != 0 &&
      g_strcmp0 (kind, "case") != 0 &&
      !(self->related_ids != NULL &&
        g_ptr_array_find_with_equal_func (self->related_ids, id, g_str_equal, NULL)))
    return;

  teren_gui_debounce_schedule (&self->reload_later);
}

static void
on_oplog_changed_cb (TerenRecordPage *self)
{
  teren_gui_debounce_schedule (&self->reload_later);
}

/* Actions */

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TerenRecordPage *self = TEREN_RECORD_PAGE (widget);

  if (self->record != NULL)
    g_signal_emit (self, signals[EDIT_RECORD], 0, self->record);
}

static void
add_related_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TerenRecordPage *self = TEREN_RECORD_PAGE (widget);
  const char *kind;

  if (self->record == NULL)
    return;
  kind = teren_record_get_kind (self->record);
  if (g_strcmp0 (kind, "person") == 0 || g_strcmp0 (kind, "household") == 0)
    g_signal_emit (self, signals[NEW_RECORD], 0, "household_member", kind, self->record_id);
}

static void
new_case_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TerenRecordPage *self = TEREN_RECORD_PAGE (widget);

  if (self->record != NULL)
    g_signal_emit (self, signals[NEW_RECORD], 0, "case", "person", self->record_id);
}

/* The community nurse's visit to a household (TerenDoorstepPage). */
static void
home_visit_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TerenRecordPage *self = TEREN_RECORD_PAGE (widget);

  if (self->record != NULL && g_strcmp0 (teren_record_get_kind (self->record), "household") == 0)
    g_signal_emit (self, signals[HOME_VISIT], 0, self->record_id);
}

/* The official document of this record (issue 7), printed or saved as PDF. */
static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TerenRecordPage *self = TEREN_RECORD_PAGE (widget);
  const char *document_kind;

  if (self->record == NULL || self->store == NULL)
    return;
  document_kind = teren_official_document_kind_for_record (teren_record_get_kind (self->record));
  if (document_kind != NULL)
    teren_print_document (widget, self->store, document_kind, self->record_id,
                          g_str_equal (action_name, "record.save-pdf"));
}

/* Everything held about the person (GDPR art. 15), saved as a PDF with, by choice, their
 * attached files in a folder next to it (teren-export.h). */
static void
export_personal_data_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  TerenRecordPage *self = TEREN_RECORD_PAGE (widget);

  if (self->record == NULL || self->store == NULL ||
      g_strcmp0 (teren_record_get_kind (self->record), "person") != 0)
    return;
  teren_export_personal_data (widget, self->store, self->record_id);
}

/* GObject */

static void
teren_record_page_constructed (GObject *object)
{
  TerenRecordPage *self = (TerenRecordPage *)object;

  G_OBJECT_CLASS (teren_record_page_parent_class)->constructed (object);

  if (self->store != NULL)
    {
      g_signal_connect_object (self->store, "record-changed",
                               G_CALLBACK (on_record_changed_cb), self, G_CONNECT_SWAPPED);
      /* A push answer changes the record's sync state without changing the record. */
      g_signal_connect_object (self->store, "oplog-changed",
                               G_CALLBACK (on_oplog_changed_cb), self, G_CONNECT_SWAPPED);
    }
  reload (self);
}

static void
teren_record_page_dispose (GObject *object)
{
  TerenRecordPage *self = (TerenRecordPage *)object;

  teren_gui_debounce_cancel (&self->reload_later);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);

  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_RECORD_PAGE);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->record);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (teren_record_page_parent_class)->dispose (object);
}

static void
teren_record_page_finalize (GObject *object)
{
  TerenRecordPage *self = (TerenRecordPage *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->related_ids, g_ptr_array_unref);
  g_clear_pointer (&self->case_ids, g_ptr_array_unref);
  g_clear_pointer (&self->record_id, g_free);
  g_clear_pointer (&self->sync_text, g_free);

  G_OBJECT_CLASS (teren_record_page_parent_class)->finalize (object);
}

static void
teren_record_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TerenRecordPage *self = TEREN_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_RECORD_ID:
      g_value_set_string (value, self->record_id);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_record_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TerenRecordPage *self = TEREN_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_RECORD_ID:
      self->record_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_record_page_class_init (TerenRecordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = teren_record_page_constructed;
  object_class->dispose = teren_record_page_dispose;
  object_class->finalize = teren_record_page_finalize;
  object_class->get_property = teren_record_page_get_property;
  object_class->set_property = teren_record_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TEREN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORD_ID] =
    g_param_spec_string ("record-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_RECORD] =
    g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[EDIT_RECORD] =
    g_signal_new ("edit-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TEREN_TYPE_RECORD);
  signals[NEW_RECORD] =
    g_signal_new ("new-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[HOME_VISIT] =
    g_signal_new ("home-visit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, box);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, case_button);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, cases_group);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, related_button);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, related_group);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, sync_button);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, sync_row);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, visit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_button_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, TerenRecordPage, window_title);

  gtk_widget_class_install_action (widget_class, "record.edit", NULL, edit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "record.edit", NULL);
  gtk_widget_class_install_action (widget_class, "record.add-related", NULL, add_related_action);
  gtk_widget_class_install_action (widget_class, "record.new-case", NULL, new_case_action);
  gtk_widget_class_install_action (widget_class, "record.home-visit", NULL, home_visit_action);
  gtk_widget_class_install_action (widget_class, "record.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "record.save-pdf", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "record.export-personal-data", NULL,
                                   export_personal_data_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "record.print", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
teren_record_page_init (TerenRecordPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  teren_gui_debounce_init (&self->reload_later, RELOAD_DELAY_MS, (GSourceOnceFunc) reload, self);

  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->related_ids = g_ptr_array_new_with_free_func (g_free);
  self->case_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.edit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.add-related", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.new-case", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.home-visit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.print", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.save-pdf", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.export-personal-data", FALSE);
}

TerenRecordPage *
teren_record_page_new (TerenStore *store,
                       const char *record_id)
{
  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (record_id != NULL, NULL);

  return g_object_new (TEREN_TYPE_RECORD_PAGE, "store", store, "record-id", record_id, NULL);
}

const char *
teren_record_page_get_record_id (TerenRecordPage *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_PAGE (self), NULL);
  return self->record_id;
}

TerenRecord *
teren_record_page_get_record (TerenRecordPage *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_PAGE (self), NULL);
  return self->record;
}

gboolean
teren_record_page_get_loading (TerenRecordPage *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_PAGE (self), FALSE);
  return self->loading;
}

GPtrArray *
teren_record_page_get_related_ids (TerenRecordPage *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_PAGE (self), NULL);
  return self->related_ids;
}

GPtrArray *
teren_record_page_get_case_ids (TerenRecordPage *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_PAGE (self), NULL);
  return self->case_ids;
}

/* The record's sync state and how it is said, once loaded. */
TerenRecordSyncState
teren_record_page_get_sync_state (TerenRecordPage *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_PAGE (self), TEREN_RECORD_SYNCED);
  return self->sync_state;
}

const char *
teren_record_page_get_sync_text (TerenRecordPage *self)
{
  g_return_val_if_fail (TEREN_IS_RECORD_PAGE (self), NULL);
  return self->sync_text;
}
