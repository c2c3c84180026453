/* teren-window.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-a11y.h"
#include "teren-case-page.h"
#include "teren-conflicts-page.h"
#include "teren-due-page.h"
#include "teren-error.h"
#include "teren-export.h"
#include "teren-gui.h"
#include "teren-line.h"
#include "teren-line-page.h"
#include "teren-lock-screen.h"
#include "teren-login-window.h"
#include "teren-quarantine-page.h"
#include "teren-record-list.h"
#include "teren-record-row.h"
#include "teren-report-page.h"
#include "teren-schema.h"
#include "teren-store-sync.h"
#include "teren-sync-indicator.h"
#include "teren-uuid.h"
#include "teren-window.h"

/* A save touches the record, the op-log and the search index: refresh the list once. */
#define LIST_REFRESH_DELAY_MS 200
/* Counts of the sidebar: refreshed once after a burst of changes (a pull page). */
#define COUNTS_REFRESH_DELAY_MS 300

struct _TerenWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GMenu                *accounts_section;
  GtkBox               *conflicts_box;
  GtkBox               *content_pane;
  GtkStack             *content_stack;
  AdwWindowTitle       *content_title;
  AdwStatusPage        *error_status;
  AdwLeaflet           *inner_leaflet;
  GtkListView          *list_view;
  GtkMenuButton        *new_button;
  AdwLeaflet           *outer_leaflet;
  GtkBox               *quarantine_box;
  GtkSearchEntry       *search_entry;
  GtkListBox           *sidebar_list;
  GtkBox               *sidebar_pane;
  TerenSyncIndicator   *sync_indicator;
  GtkStack             *title_stack;
  AdwToastOverlay      *toast_overlay;

  /* Owned */
  TerenStore           *store;
  TerenRecordList      *list;
  GSettings            *settings;     /* (nullable) when the schema is not installed */
  GCancellable         *cancellable;
  GHashTable           *offered_drafts;
  char                 *line;         /* (nullable) selected service line */
  const char           *special;      /* (nullable) "conflicts" or "quarantine" selected */
  TerenSyncEngine      *engine;       /* (nullable) */
  TerenLockScreen      *lock_screen;  /* (unowned) holds the content; win.lock */
  TerenConflictsPage   *conflicts_page;
  TerenQuarantinePage  *quarantine_page;
  GtkLabel             *conflicts_count;
  GtkLabel             *quarantine_count;
  AdwMessageDialog     *logout_dialog;  /* (nullable) (unowned) */
  char                 *last_logout_text;
  GtkWidget            *conflicts_row;
  GtkWidget            *quarantine_row;
  guint                 n_conflicts;
  guint                 n_quarantined;

  /* Service lines (issue 5): created with the store */
  TerenLinePage        *line_page;
  TerenDuePage         *due_page;
  TerenReportPage      *report_page;
  GtkWidget            *due_row;
  GtkLabel             *due_count;

  guint                 refresh_source;
  TerenGuiDebounce      counts_later;
  TerenGuiSerialRead    counts_read;
  guint                 remove_source;
  guint                 list_ready : 1;
  guint                 await_login : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TerenWindow, teren_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties[N_PROPS];

static void restore_drafts (TerenWindow *self);

/* Auxiliary methods */

static gboolean
registry_selected (TerenWindow *self)
{
  return self->line == NULL && self->special == NULL;
}

static void
update_content (TerenWindow *self)
{
  const char *page;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "error") == 0)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->new_button), registry_selected (self) && self->store != NULL);
  gtk_stack_set_visible_child_name (self->title_stack, registry_selected (self) ? "search" : "title");

  if (self->store == NULL && self->await_login)
    page = "logged-out";
  else if (self->special != NULL)
    page = self->store != NULL ? self->special : "loading";
  else if (!registry_selected (self))
    page = self->line_page != NULL ? "line-cases" : "loading";
  else if (self->list == NULL || (!self->list_ready && teren_record_list_get_loading (self->list)))
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    page = "list";
  else if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0')
    page = "empty";
  else
    page = "no-results";

  gtk_stack_set_visible_child_name (self->content_stack, page);
}

static void
on_list_changed_cb (TerenWindow *self)
{
  if (!teren_record_list_get_loading (self->list))
    self->list_ready = TRUE;
  update_content (self);
}

/* Pages pushed over the main view */

static void
remove_pages_after_visible (TerenWindow *self)
{
  GtkWidget *visible = adw_leaflet_get_visible_child (self->outer_leaflet);
  g_autoptr(GListModel) pages = G_LIST_MODEL (adw_leaflet_get_pages (self->outer_leaflet));
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_object_unref);
  guint i;

  /* In page order: the leaflet reorders its child widgets (the visible one is not
   * always where it was appended). */
  for (i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(AdwLeafletPage) page = g_list_model_get_item (pages, i);
      GtkWidget *child = adw_leaflet_page_get_child (page);

      if (after->len > 0 || child == visible)
        g_ptr_array_add (after, g_object_ref (child));
    }
  for (i = 1; i < after->len; i++)
    adw_leaflet_remove (self->outer_leaflet, g_ptr_array_index (after, i));
}

static void
remove_pages_idle_cb (gpointer user_data)
{
  TerenWindow *self = user_data;

  self->remove_source = 0;
  remove_pages_after_visible (self);
}

static void
on_outer_transition_cb (TerenWindow *self)
{
  /* The leaflet still touches the page it left right after this notification: remove
   * it from an idle instead. */
  if (!adw_leaflet_get_child_transition_running (self->outer_leaflet) && self->remove_source == 0)
    self->remove_source = g_idle_add_once (remove_pages_idle_cb, self);
}

/* A form is left through Save or Cancel (which asks before losing anything), not by a
 * back swipe or Alt+Left. */
static void
on_outer_visible_child_cb (TerenWindow *self)
{
  GtkWidget *visible = adw_leaflet_get_visible_child (self->outer_leaflet);

  adw_leaflet_set_can_navigate_back (self->outer_leaflet, !TEREN_IS_FORM (visible));
}

static void
push_page (TerenWindow *self,
           GtkWidget   *page)
{
  /* Right after the visible page: a page still sliding away (removed when its transition
   * ends) must not be what Back leads to. */
  adw_leaflet_insert_child_after (self->outer_leaflet, page,
                                  adw_leaflet_get_visible_child (self->outer_leaflet));
  adw_leaflet_set_visible_child (self->outer_leaflet, page);
}

static void
pop_page (TerenWindow *self,
          GtkWidget   *page)
{
  if (adw_leaflet_get_visible_child (self->outer_leaflet) == page)
    adw_leaflet_navigate (self->outer_leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  /* Without animations there is no transition to wait for. */
  if (!adw_leaflet_get_child_transition_running (self->outer_leaflet))
    remove_pages_after_visible (self);
}

static void
refresh_timeout_cb (gpointer user_data)
{
  TerenWindow *self = user_data;

  self->refresh_source = 0;
  if (self->list != NULL)
    teren_record_list_set_query (self->list,
                                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void schedule_counts (TerenWindow *self);

static void
on_record_changed_cb (TerenWindow *self,
                      const char  *id,
                      const char  *kind)
{
  /* A pull or a push answer may bring conflicts. */
  schedule_counts (self);
  if (g_strcmp0 (kind, "person") != 0 && g_strcmp0 (kind, "household") != 0)
    return;
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add_once (LIST_REFRESH_DELAY_MS, refresh_timeout_cb, self);
}

/* Pending changes, conflicts and quarantine counts (read on a worker) */

static gpointer
status_func (TerenStore  *store,
             gpointer     data,
             GError     **error)
{
  TerenSyncStatus *status = g_new0 (TerenSyncStatus, 1);

  if (!teren_store_sync_get_status (store, status, error))
    {
      g_free (status);
      return NULL;
    }
  return status;
}

static void
sync_status_free (gpointer pointer)
{
  TerenSyncStatus *status = pointer;

  teren_sync_status_clear (status);
  g_free (status);
}

static void
set_count (GtkWidget  *row,
           GtkLabel   *label,
           const char *name,
           guint       count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);
  /* Translators: the accessible name of a sidebar row: "Conflicts: 2" */
  g_autofree char *accessible = g_strdup_printf (_("%s: %u"), name, count);

  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), count > 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  count > 0 ? accessible : name, -1);
}

static void
on_status_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TerenWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  TerenSyncStatus *status = teren_gui_store_call_finish (result, &error);

  /* One read at a time: two on the worker pool could end in either order, and the older
   * one would then put back a count that is no longer true (a resolved conflict shown
   * until the next change). A change seen while reading asks for one more read. */
  if (!teren_gui_serial_read_end (&self->counts_read, error))
    {
      g_clear_pointer (&status, sync_status_free);
      return;
    }

  if (status == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the sync status: %s", error->message);
      return;
    }
  if (self->sync_indicator == NULL)
    {
      sync_status_free (status);
      return;
    }

  teren_sync_indicator_set_local_pending (self->sync_indicator, status->pending);
  self->n_conflicts = status->conflicts;
  self->n_quarantined = status->quarantined + status->held;
  set_count (self->conflicts_row, self->conflicts_count, _("Conflicts"), self->n_conflicts);
  set_count (self->quarantine_row, self->quarantine_count, _("Refused Changes"), self->n_quarantined);
  sync_status_free (status);
}

static void
update_pending (TerenWindow *self)
{
  teren_gui_debounce_cancel (&self->counts_later);
  if (self->store == NULL)
    return;
  if (!teren_gui_serial_read_begin (&self->counts_read))
    return;
  teren_gui_store_call_async (self->store, status_func, NULL, NULL, sync_status_free,
                              self->cancellable, on_status_read_cb, g_object_ref (self));
}

static void
schedule_counts (TerenWindow *self)
{
  teren_gui_debounce_schedule (&self->counts_later);
}

/* Forms and pages */

static void
on_form_toast_cb (TerenWindow *self,
                  AdwToast    *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

static void
on_form_open_record_cb (TerenWindow *self,
                        const char  *id)
{
  teren_window_open_record (self, id);
}

static void
on_form_closed_cb (TerenWindow *self,
                   TerenForm   *form)
{
  pop_page (self, GTK_WIDGET (form));
  restore_drafts (self);
}

static void
on_form_saved_cb (TerenWindow *self,
                  TerenRecord *record,
                  TerenForm   *form)
{
  const char *kind = teren_record_get_kind (record);
  g_autofree char *text = NULL;

  /* Translators: %s is the title of a record (a person's name, an address…) */
  text = g_strdup_printf (_("Saved “%s”"), teren_record_get_title (record));
  adw_toast_overlay_add_toast (self->toast_overlay, teren_gui_toast_new (text));

  if (g_object_get_data (G_OBJECT (form), "teren-show-after-save") != NULL &&
      (g_strcmp0 (kind, "person") == 0 || g_strcmp0 (kind, "household") == 0))
    {
      g_autofree char *id = g_strdup (teren_record_get_id (record));

      /* The new record's page takes the form's place. */
      adw_leaflet_remove (self->outer_leaflet, GTK_WIDGET (form));
      teren_window_open_record (self, id);
    }
  else if (g_object_get_data (G_OBJECT (form), "teren-show-after-save") != NULL &&
           g_strcmp0 (kind, "case") == 0)
    {
      g_autofree char *id = g_strdup (teren_record_get_id (record));

      /* A new case goes on with its life cycle. */
      adw_leaflet_remove (self->outer_leaflet, GTK_WIDGET (form));
      teren_window_open_case (self, id);
    }
  else
    pop_page (self, GTK_WIDGET (form));

  restore_drafts (self);
}

/* A conflict resolution or a retried change: send it soon, as after any save (the engine
 * also sees the op-log change; this only makes it sooner). */
static void
on_resolution_saved_cb (TerenWindow *self)
{
  if (self->engine != NULL && teren_sync_engine_get_state (self->engine) != TEREN_SYNC_STATE_LOGGED_OUT)
    teren_sync_engine_sync_now (self->engine);
}

static void
connect_form (TerenWindow *self,
              TerenForm   *form)
{
  g_signal_connect_object (form, "add-toast", G_CALLBACK (on_form_toast_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (form, "open-record", G_CALLBACK (on_form_open_record_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (form, "closed", G_CALLBACK (on_form_closed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (form, "saved", G_CALLBACK (on_form_saved_cb), self, G_CONNECT_SWAPPED);
}

static void
on_page_edit_record_cb (TerenWindow *self,
                        TerenRecord *record)
{
  teren_window_open_form (self, teren_record_get_kind (record), teren_record_get_line (record), record);
}

static void
on_page_new_record_cb (TerenWindow *self,
                       const char  *kind,
                       const char  *key,
                       const char  *value)
{
  TerenForm *form = teren_window_open_form (self, kind, self->line, NULL);

  if (form != NULL)
    teren_form_set_string (form, key, value);
}

/* Service lines: cases, due items, reports */

static void
on_line_new_case_cb (TerenWindow *self,
                     const char  *line)
{
  TerenForm *form = teren_window_open_form (self, "case", line, NULL);

  if (form != NULL)
    g_object_set_data (G_OBJECT (form), "teren-show-after-save", GINT_TO_POINTER (TRUE));
}

static void
on_line_open_case_cb (TerenWindow *self,
                      const char  *case_id)
{
  teren_window_open_case (self, case_id);
}

static void
on_case_new_record_cb (TerenWindow *self,
                       const char  *kind,
                       const char  *line,
                       const char  *key1,
                       const char  *value1,
                       const char  *key2,
                       const char  *value2)
{
  TerenForm *form = teren_window_open_form (self, kind, line, NULL);

  if (form == NULL)
    return;
  if (key1 != NULL)
    teren_form_set_string (form, key1, value1);
  if (key2 != NULL)
    teren_form_set_string (form, key2, value2);
}

static void
on_case_new_record_values_cb (TerenWindow *self,
                              const char  *kind,
                              const char  *line,
                              JsonObject  *values)
{
  g_autofree char *key = teren_uuid_new ();
  TerenForm *form;

  if (self->store == NULL || teren_schema_lookup_kind (kind) == NULL)
    return;
  /* Prefilled like a draft: the values are shown for the user to check and save. */
  form = teren_form_new_from_draft (self->store, key, kind, line, NULL, values);
  connect_form (self, form);
  push_page (self, GTK_WIDGET (form));
  teren_form_focus_first_field (form);
}

static void
on_due_count_cb (TerenWindow *self)
{
  guint n_overdue = teren_due_page_get_n_overdue (self->due_page);
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  set_count (self->due_row, self->due_count, _("Due"), n_overdue);
  if (n_overdue == 0)
    return;
  /* The badge is a bare number: its tooltip and the row's name say what it counts. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u overdue", "%u overdue", n_overdue), n_overdue);
  /* Translators: the accessible name of the Due row of the sidebar, "Due: 3 overdue" */
  name = g_strdup_printf (_("Due: %s"), text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->due_count), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->due_row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static gpointer
get_record_func (TerenStore  *store,
                 gpointer     data,
                 GError     **error)
{
  return teren_store_get_record (store, data, error);
}

static void
on_due_record_loaded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TerenWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_gui_store_call_finish (result, &error);

  if (record == NULL || self->store == NULL || teren_window_get_form (self) != NULL)
    return;
  if (g_strcmp0 (teren_record_get_kind (record), "case") == 0)
    teren_window_open_case (self, teren_record_get_id (record));
  else
    teren_window_open_form (self, teren_record_get_kind (record), teren_record_get_line (record), record);
}

static void
on_due_open_record_cb (TerenWindow *self,
                       const char  *id,
                       const char  *kind)
{
  if (self->store == NULL || teren_window_get_form (self) != NULL)
    return;
  teren_gui_store_call_async (self->store, get_record_func, g_strdup (id), g_free, g_object_unref,
                              self->cancellable, on_due_record_loaded_cb, g_object_ref (self));
}

static void
add_line_pages (TerenWindow *self,
                TerenStore  *store)
{
  self->line_page = teren_line_page_new (store);
  gtk_widget_set_vexpand (GTK_WIDGET (self->line_page), TRUE);
  g_signal_connect_object (self->line_page, "new-case", G_CALLBACK (on_line_new_case_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->line_page, "open-case", G_CALLBACK (on_line_open_case_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->line_page), "line-cases");
  if (self->line != NULL)
    teren_line_page_set_line (self->line_page, self->line);

  self->due_page = teren_due_page_new (store);
  g_signal_connect_object (self->due_page, "notify::n-overdue", G_CALLBACK (on_due_count_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->due_page, "open-record", G_CALLBACK (on_due_open_record_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->due_page), "due");

  self->report_page = teren_report_page_new (store);
  g_signal_connect_object (self->report_page, "add-toast", G_CALLBACK (on_form_toast_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->report_page), "report");
  teren_a11y_fix_tree (GTK_WIDGET (self->content_stack));
}

/* Drafts left over from a crash */

typedef struct
{
  char        *key;
  char        *kind;
  char        *line;
  JsonObject  *fields;
  TerenRecord *record;
  guint        n_drafts;
} DraftData;

static void
draft_data_free (gpointer pointer)
{
  DraftData *data = pointer;

  if (data == NULL)
    return;
  g_free (data->key);
  g_free (data->kind);
  g_free (data->line);
  g_clear_pointer (&data->fields, json_object_unref);
  g_clear_object (&data->record);
  g_free (data);
}

static gpointer
load_draft_func (TerenStore  *store,
                 gpointer     user_data,
                 GError     **error)
{
  GHashTable *skip = user_data;
  g_autoptr(GPtrArray) keys = teren_store_list_drafts (store, error);
  guint i;

  if (keys == NULL)
    return NULL;

  for (i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_autofree char *record_id = NULL;
      DraftData *data;

      if (g_hash_table_contains (skip, key))
        continue;

      data = g_new0 (DraftData, 1);
      data->key = g_strdup (key);
      data->fields = teren_store_get_draft (store, key, &data->kind, &data->line, &record_id, NULL);
      if (data->fields == NULL || teren_schema_lookup_kind (data->kind) == NULL)
        {
          draft_data_free (data);
          continue;
        }
      if (record_id != NULL && *record_id != '\0')
        {
          data->record = teren_store_get_record (store, record_id, NULL);
          if (data->record == NULL)
            {
              draft_data_free (data);
              continue;
            }
        }
      data->n_drafts = keys->len;
      return data;
    }

  return NULL;
}

static void
on_draft_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TerenWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  DraftData *data = teren_gui_store_call_finish (result, &error);
  TerenForm *form;

  if (data == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not list drafts: %s", error->message);
      return;
    }

  /* Never offer the same draft twice in a session, and never over an open form. */
  g_hash_table_add (self->offered_drafts, g_strdup (data->key));
  if (self->store == NULL || teren_window_get_form (self) != NULL)
    {
      draft_data_free (data);
      return;
    }

  form = teren_form_new_from_draft (self->store, data->key, data->kind, data->line,
                                    data->record, data->fields);
  connect_form (self, form);
  push_page (self, GTK_WIDGET (form));
  adw_toast_overlay_add_toast (self->toast_overlay,
                               teren_gui_toast_new (_("Unsaved draft restored")));
  draft_data_free (data);
}

static void
restore_drafts (TerenWindow *self)
{
  GHashTable *skip;
  GHashTableIter iter;
  gpointer key;

  if (self->store == NULL)
    return;

  skip = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->offered_drafts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (skip, g_strdup (key));

  teren_gui_store_call_async (self->store, load_draft_func, skip,
                              (GDestroyNotify)g_hash_table_unref, draft_data_free,
                              self->cancellable, on_draft_loaded_cb, g_object_ref (self));
}

/* Sidebar */

/* @special: (nullable) the page of a non-line row; @out_count: a count label at the end. */
static GtkWidget *
sidebar_row_new_full (const char  *icon_name,
                      const char  *label,
                      const char  *line,
                      const char  *special,
                      GtkLabel   **out_count)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *image = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *text = gtk_label_new (label);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 2);
  gtk_widget_set_margin_bottom (box, 2);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), text);
  if (out_count != NULL)
    {
      GtkWidget *count = gtk_label_new (NULL);

      gtk_widget_add_css_class (count, "teren-count");
      gtk_widget_set_visible (count, FALSE);
      gtk_box_append (GTK_BOX (box), count);
      *out_count = GTK_LABEL (count);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (row), "teren-line", g_strdup (line), g_free);
  g_object_set_data (G_OBJECT (row), "teren-special", (gpointer)special);
  return row;
}

static GtkWidget *
sidebar_row_new (const char *icon_name,
                 const char *label,
                 const char *line)
{
  return sidebar_row_new_full (icon_name, label, line, NULL, NULL);
}

static void
fill_sidebar_special (TerenWindow *self)
{
  GtkWidget *separator = gtk_list_box_row_new ();

  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (separator), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (separator), FALSE);
  gtk_widget_set_focusable (separator, FALSE);
  gtk_widget_add_css_class (separator, "sidebar-separator");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (separator), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (separator), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_list_box_append (self->sidebar_list, separator);

  self->due_row = sidebar_row_new_full ("alarm-symbolic", _("Due"), NULL, "due", &self->due_count);
  gtk_list_box_append (self->sidebar_list, self->due_row);
  gtk_list_box_append (self->sidebar_list,
                       sidebar_row_new_full ("x-office-spreadsheet-symbolic", _("Monthly Report"), NULL,
                                             "report", NULL));

  self->conflicts_row = sidebar_row_new_full ("dialog-question-symbolic", _("Conflicts"), NULL,
                                              "conflicts", &self->conflicts_count);
  gtk_list_box_append (self->sidebar_list, self->conflicts_row);
  self->quarantine_row = sidebar_row_new_full ("dialog-warning-symbolic", _("Refused Changes"), NULL,
                                               "quarantine", &self->quarantine_count);
  gtk_list_box_append (self->sidebar_list, self->quarantine_row);
}

static void
fill_sidebar (TerenWindow *self)
{
  const TerenLine *lines;
  guint n_lines = 0;
  GtkWidget *registry;
  guint i;

  registry = sidebar_row_new ("system-users-symbolic", _("Registry"), NULL);
  gtk_list_box_append (self->sidebar_list, registry);

  lines = teren_line_list (&n_lines);
  for (i = 0; i < n_lines; i++)
    gtk_list_box_append (self->sidebar_list,
                         sidebar_row_new (lines[i].icon_name,
                                          g_dgettext (GETTEXT_PACKAGE, lines[i].label),
                                          lines[i].id));
  fill_sidebar_special (self);

  gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (registry));
}

static void
on_sidebar_row_selected_cb (TerenWindow   *self,
                            GtkListBoxRow *row)
{
  const char *line;
  const TerenLine *info;

  if (row == NULL)
    return;

  line = g_object_get_data (G_OBJECT (row), "teren-line");
  self->special = g_object_get_data (G_OBJECT (row), "teren-special");
  g_free (self->line);
  self->line = g_strdup (line);

  info = line != NULL ? teren_line_lookup (line) : NULL;
  if (info != NULL)
    {
      adw_window_title_set_title (self->content_title, g_dgettext (GETTEXT_PACKAGE, info->label));
    }
  else if (g_strcmp0 (self->special, "due") == 0)
    adw_window_title_set_title (self->content_title, _("Due"));
  else if (g_strcmp0 (self->special, "report") == 0)
    adw_window_title_set_title (self->content_title, _("Monthly Report"));
  else if (self->special != NULL)
    adw_window_title_set_title (self->content_title,
                                g_strcmp0 (self->special, "conflicts") == 0 ? _("Conflicts") : _("Refused Changes"));
  if (self->line_page != NULL && line != NULL)
    teren_line_page_set_line (self->line_page, line);
  update_content (self);
}

static void
on_sidebar_row_activated_cb (TerenWindow   *self,
                             GtkListBoxRow *row)
{
  adw_leaflet_navigate (self->inner_leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_content_back_clicked_cb (TerenWindow *self)
{
  adw_leaflet_navigate (self->inner_leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The list */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *row = GTK_WIDGET (teren_record_row_new ());

  /* The list view's item widget, which takes the focus, is named by the row. */
  teren_a11y_label_parent_by (row);
  gtk_list_item_set_child (item, row);
}

static void
on_search_changed_cb (TerenWindow *self)
{
  if (self->list != NULL)
    teren_record_list_set_query (self->list,
                                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_search_activate_cb (TerenWindow *self)
{
  const char *id;

  /* Enter opens the first match. */
  if (self->list == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0)
    return;
  id = teren_record_list_get_id (self->list, 0);
  if (id != NULL)
    teren_window_open_record (self, id);
}

static void
on_search_stop_cb (TerenWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_list_activate_cb (TerenWindow *self,
                     guint        position)
{
  const char *id;

  if (self->list == NULL)
    return;
  id = teren_record_list_get_id (self->list, position);
  if (id != NULL)
    teren_window_open_record (self, id);
}

/* Actions */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TerenWindow *self = TEREN_WINDOW (widget);
  GtkListBoxRow *registry = gtk_list_box_get_row_at_index (self->sidebar_list, 0);

  if (teren_window_get_form (self) == NULL)
    adw_leaflet_set_visible_child_name (self->outer_leaflet, "main");
  else
    return;
  gtk_list_box_select_row (self->sidebar_list, registry);
  adw_leaflet_navigate (self->inner_leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
new_record_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TerenWindow *self = TEREN_WINDOW (widget);
  const char *kind = g_strcmp0 (action_name, "win.new-household") == 0 ? "household" : "person";
  TerenForm *form;

  if (self->store == NULL || teren_window_get_form (self) != NULL)
    return;
  form = teren_window_open_form (self, kind, "", NULL);
  if (form != NULL)
    g_object_set_data (G_OBJECT (form), "teren-show-after-save", GINT_TO_POINTER (TRUE));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TerenWindow *self = TEREN_WINDOW (widget);
  GtkWidget *visible = adw_leaflet_get_visible_child (self->outer_leaflet);

  if (TEREN_IS_FORM (visible))
    gtk_widget_activate_action (visible, "form.cancel", NULL);
  else if (TEREN_IS_RECORD_PAGE (visible) || TEREN_IS_CASE_PAGE (visible))
    pop_page (self, visible);
}

/* Sync, login and logout */

/* "Export List…": the persons and households listed (with the search applied). */
static void
export_list_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  static const char * const kinds[] = { "person", "household", NULL };
  TerenWindow *self = TEREN_WINDOW (widget);
  g_autoptr(GPtrArray) ids = NULL;
  guint i, n;

  if (self->store == NULL || self->list == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  ids = g_ptr_array_new_full (n, g_free);
  for (i = 0; i < n; i++)
    g_ptr_array_add (ids, g_strdup (teren_record_list_get_id (self->list, i)));
  /* Translators: the suggested file name of an exported registry list, without extension */
  teren_export_run (GTK_WIDGET (self->toast_overlay), _("registry"), self->store, NULL,
                    teren_export_collect_records, teren_export_records_data_new (ids, kinds),
                    teren_export_records_data_free);
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TerenWindow *self = TEREN_WINDOW (widget);

  if (self->engine == NULL || teren_sync_engine_get_state (self->engine) == TEREN_SYNC_STATE_LOGGED_OUT)
    {
      gtk_widget_activate_action (widget, "win.login", NULL);
      return;
    }
  teren_sync_engine_sync_now (self->engine);
}

static void
show_special_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  teren_window_show_special (TEREN_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
on_logged_in_cb (TerenWindow      *self,
                 TerenLoginWindow *login)
{
  TerenSyncEngine *engine = teren_login_window_get_engine (login);
  TerenStore *store = teren_sync_engine_get_store (engine);

  if (engine != self->engine)
    return;
  if (self->store == NULL && store != NULL)
    teren_window_set_store (self, store);
  teren_sync_engine_start (engine);
  adw_toast_overlay_add_toast (self->toast_overlay, teren_gui_toast_new (_("Logged in; syncing starts now")));
}

static void
login_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TerenWindow *self = TEREN_WINDOW (widget);
  TerenLoginWindow *login;
  const char *server = NULL;
  const char *user = NULL;
  g_autofree char *default_server = NULL;
  const char *data_dir = NULL;

  if (self->engine == NULL)
    {
      /* No engine in this window (tests, or the store failed): the application decides. */
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      if (app != NULL && g_action_group_has_action (G_ACTION_GROUP (app), "add-account"))
        g_action_group_activate_action (G_ACTION_GROUP (app), "add-account", NULL);
      return;
    }

  server = teren_sync_engine_get_server_url (self->engine);
  user = teren_sync_engine_get_username (self->engine);
  if (self->store != NULL)
    data_dir = teren_store_get_data_dir (self->store);
  if ((server == NULL || *server == '\0') && self->settings != NULL)
    server = default_server = g_settings_get_string (self->settings, "server-url");

  login = teren_login_window_new (GTK_WINDOW (self), self->engine, data_dir, server, user);
  /* This window's data belongs to one account: logging in again is for that account. */
  if (teren_sync_engine_get_username (self->engine) != NULL && self->store != NULL)
    teren_login_window_set_account_fixed (login, TRUE);
  g_signal_connect_object (login, "logged-in", G_CALLBACK (on_logged_in_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (login));
}

static void
on_logged_out_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TerenWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint unsynced = 0;

  if (!teren_sync_engine_logout_finish (TEREN_SYNC_ENGINE (object), result, &unsynced, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why logging out failed */
      text = g_strdup_printf (_("Could not log out: %s"), error->message);
    }
  else if (unsynced == 0)
    text = g_strdup (_("Logged out. Nothing was waiting to be sent."));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Logged out. %u change not yet sent is kept on this laptop and will be sent after you log in again.",
                                         "Logged out. %u changes not yet sent are kept on this laptop and will be sent after you log in again.",
                                         unsynced),
                            unsynced);
  if (self->toast_overlay != NULL)
    {
      AdwToast *toast = teren_gui_toast_new (text);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  g_free (self->last_logout_text);
  self->last_logout_text = g_steal_pointer (&text);
}

static void
on_logout_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       TerenWindow      *self)
{
  if (g_strcmp0 (response, "logout") == 0 && self->engine != NULL)
    teren_sync_engine_logout_async (self->engine, self->cancellable, on_logged_out_cb, g_object_ref (self));
}

static void
logout_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TerenWindow *self = TEREN_WINDOW (widget);
  GtkWidget *dialog;

  if (self->engine == NULL || teren_sync_engine_get_state (self->engine) == TEREN_SYNC_STATE_LOGGED_OUT)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Log Out?"),
                                   _("Everything saved stays on this laptop, including changes not "
                                     "yet sent; they are sent after you log in again. Syncing "
                                     "stops until then."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "logout", _("_Log Out"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_logout_response_cb), self, 0);
  self->logout_dialog = ADW_MESSAGE_DIALOG (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->logout_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_account_actions (TerenWindow *self)
{
  TerenSyncState state = self->engine != NULL ? teren_sync_engine_get_state (self->engine)
                                              : TEREN_SYNC_STATE_LOGGED_OUT;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", state != TEREN_SYNC_STATE_LOGGED_OUT);
}

static void
on_engine_store_cb (TerenWindow *self)
{
  TerenStore *store = teren_sync_engine_get_store (self->engine);

  if (self->store == NULL && store != NULL)
    teren_window_set_store (self, store);
}

static void
on_revoked_cb (TerenWindow *self,
               guint        unsent)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (unsent == 0)
    body = g_strdup (_("The directorate disconnected this laptop from the server, so this "
                       "account’s data was removed from it. Everything had been sent before."));
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The directorate disconnected this laptop from the server, so this account’s data was removed from it. %u change could not be sent; tell the IT person.",
                                         "The directorate disconnected this laptop from the server, so this account’s data was removed from it. %u changes could not be sent; tell the IT person.",
                                         unsent),
                            unsent);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("This Laptop Was Disconnected"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Window state */

static void
save_window_state (TerenWindow *self)
{
  int width = 0, height = 0;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
load_window_state (TerenWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  int width, height;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  /* Running from the build tree without the compiled schema: keep the defaults. */
  if (schema == NULL || !g_settings_schema_has_key (schema, "window-width") ||
      !g_settings_schema_has_key (schema, "window-height") ||
      !g_settings_schema_has_key (schema, "window-maximized"))
    return;

  self->settings = g_settings_new (APP_ID);
  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
teren_window_close_request (GtkWindow *window)
{
  save_window_state (TEREN_WINDOW (window));
  return GTK_WINDOW_CLASS (teren_window_parent_class)->close_request (window);
}

/* GObject */

static void
teren_window_dispose (GObject *object)
{
  TerenWindow *self = (TerenWindow *)object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->remove_source, g_source_remove);
  teren_gui_debounce_cancel (&self->counts_later);
  if (self->logout_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->logout_dialog));
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_WINDOW);

  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (teren_window_parent_class)->dispose (object);
}

static void
teren_window_finalize (GObject *object)
{
  TerenWindow *self = (TerenWindow *)object;

  g_clear_pointer (&self->offered_drafts, g_hash_table_unref);
  g_clear_pointer (&self->last_logout_text, g_free);
  g_clear_pointer (&self->line, g_free);

  G_OBJECT_CLASS (teren_window_parent_class)->finalize (object);
}

static void
teren_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TerenWindow *self = TEREN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TerenWindow *self = TEREN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      teren_window_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_window_class_init (TerenWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = teren_window_dispose;
  object_class->finalize = teren_window_finalize;
  object_class->get_property = teren_window_get_property;
  object_class->set_property = teren_window_set_property;
  window_class->close_request = teren_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TEREN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, accounts_section);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, content_pane);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, error_status);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, inner_leaflet);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, new_button);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, outer_leaflet);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, quarantine_box);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, title_stack);
  gtk_widget_class_bind_template_child (widget_class, TerenWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_content_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_outer_transition_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.new-person", NULL, new_record_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-person", NULL);
  gtk_widget_class_install_action (widget_class, "win.new-household", NULL, new_record_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.new-household", NULL);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.export-list", NULL, export_list_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync-now", NULL);
  gtk_widget_class_install_action (widget_class, "win.login", NULL, login_action);
  gtk_widget_class_install_action (widget_class, "win.show-special", "s", show_special_action);
  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_action);
}

static void
teren_window_init (TerenWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  g_type_ensure (TEREN_TYPE_RECORD_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->lock_screen = teren_lock_screen_attach (ADW_APPLICATION_WINDOW (self));
  teren_gui_debounce_init (&self->counts_later, COUNTS_REFRESH_DELAY_MS,
                           (GSourceOnceFunc) update_pending, self);
  teren_gui_serial_read_init (&self->counts_read, (GSourceOnceFunc) update_pending, self);

  self->cancellable = g_cancellable_new ();
  self->offered_drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (teren_record_row_bind_item), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (teren_record_row_unbind_item), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  g_signal_connect_object (self->outer_leaflet, "notify::visible-child",
                           G_CALLBACK (on_outer_visible_child_cb), self, G_CONNECT_SWAPPED);

  /* Typing in the list starts a search; typing in a form never does. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->content_pane));

  fill_sidebar (self);
  load_window_state (self);
  /* Nothing to log out of until an account's engine is set. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", FALSE);
  update_content (self);
}

/* Public API */

TerenWindow *
teren_window_new (AdwApplication *application,
                  TerenStore     *store)
{
  return g_object_new (TEREN_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

TerenStore *
teren_window_get_store (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->store;
}

void
teren_window_set_store (TerenWindow *self,
                        TerenStore  *store)
{
  static const char * const kinds[] = { "person", "household", NULL };
  GtkNoSelection *selection;

  g_return_if_fail (TEREN_IS_WINDOW (self));
  g_return_if_fail (store == NULL || TEREN_IS_STORE (store));

  if (self->store == store)
    return;
  /* The store is set once, when it has been opened. */
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->list = teren_record_list_new (store, kinds);
  g_signal_connect_object (self->list, "items-changed", G_CALLBACK (on_list_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::loading", G_CALLBACK (on_list_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "record-changed", G_CALLBACK (on_record_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "oplog-changed", G_CALLBACK (update_pending), self,
                           G_CONNECT_SWAPPED);

  self->conflicts_page = teren_conflicts_page_new (store);
  gtk_widget_set_vexpand (GTK_WIDGET (self->conflicts_page), TRUE);
  g_signal_connect_object (self->conflicts_page, "open-record", G_CALLBACK (on_form_open_record_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conflicts_page, "add-toast", G_CALLBACK (on_form_toast_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conflicts_page, "resolved", G_CALLBACK (on_resolution_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (self->conflicts_box, GTK_WIDGET (self->conflicts_page));
  self->quarantine_page = teren_quarantine_page_new (store);
  gtk_widget_set_vexpand (GTK_WIDGET (self->quarantine_page), TRUE);
  g_signal_connect_object (self->quarantine_page, "open-record", G_CALLBACK (on_form_open_record_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->quarantine_page, "add-toast", G_CALLBACK (on_form_toast_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->quarantine_page, "retried", G_CALLBACK (on_resolution_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (self->quarantine_box, GTK_WIDGET (self->quarantine_page));
  add_line_pages (self, store);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  teren_record_list_set_query (self->list, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_content (self);
  update_pending (self);
  restore_drafts (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
teren_window_show_error (TerenWindow  *self,
                         const GError *error)
{
  g_autofree char *message = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (TEREN_IS_WINDOW (self));

  if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_CORRUPT))
    message = g_strdup (_("The local database is damaged. It was left untouched; ask the IT person to recover it."));
  else if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_READ_ONLY))
    message = g_strdup (_("The data folder cannot be written. Check the disk and its permissions."));
  else
    message = g_strdup (_("The local database could not be opened."));

  escaped = g_markup_escape_text (message, -1);
  adw_status_page_set_description (self->error_status, escaped);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), FALSE);
}

GtkSearchEntry *
teren_window_get_search_entry (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->search_entry;
}

GtkListView *
teren_window_get_list_view (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->list_view;
}

GListModel *
teren_window_get_list_model (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->list != NULL ? G_LIST_MODEL (self->list) : NULL;
}

const char *
teren_window_get_content_page (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

void
teren_window_select_line (TerenWindow *self,
                          const char  *line)
{
  GtkListBoxRow *row;
  int i;

  g_return_if_fail (TEREN_IS_WINDOW (self));

  for (i = 0; (row = gtk_list_box_get_row_at_index (self->sidebar_list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "teren-line"), line) == 0)
      {
        gtk_list_box_select_row (self->sidebar_list, row);
        return;
      }
}

TerenForm *
teren_window_open_form (TerenWindow *self,
                        const char  *kind,
                        const char  *line,
                        TerenRecord *record)
{
  TerenForm *form;

  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  if (self->store == NULL || teren_schema_lookup_kind (kind) == NULL)
    return NULL;

  form = teren_form_new (self->store, kind, line, record);
  connect_form (self, form);
  push_page (self, GTK_WIDGET (form));
  teren_form_focus_first_field (form);
  return form;
}

static void
on_page_home_visit_cb (TerenWindow     *self,
                       const char      *household_id,
                       TerenRecordPage *page)
{
  teren_window_open_home_visit (self, household_id);
}

TerenRecordPage *
teren_window_open_record (TerenWindow *self,
                          const char  *id)
{
  TerenRecordPage *page;
  GtkWidget *visible;

  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (self->store == NULL)
    return NULL;

  /* Already in front: nothing to do. */
  visible = adw_leaflet_get_visible_child (self->outer_leaflet);
  if (TEREN_IS_RECORD_PAGE (visible) &&
      g_strcmp0 (teren_record_page_get_record_id (TEREN_RECORD_PAGE (visible)), id) == 0)
    return TEREN_RECORD_PAGE (visible);

  page = teren_record_page_new (self->store, id);
  g_signal_connect_object (page, "open-record", G_CALLBACK (on_form_open_record_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "edit-record", G_CALLBACK (on_page_edit_record_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "new-record", G_CALLBACK (on_page_new_record_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "home-visit", G_CALLBACK (on_page_home_visit_cb), self,
                           G_CONNECT_SWAPPED);
  push_page (self, GTK_WIDGET (page));
  return page;
}

/* Saved: back to the page it was opened from. */
static void
on_home_visit_saved_cb (TerenWindow       *self,
                        guint              n_records,
                        TerenDoorstepPage *page)
{
  pop_page (self, GTK_WIDGET (page));
}

TerenDoorstepPage *
teren_window_open_home_visit (TerenWindow *self,
                              const char  *household_id)
{
  TerenDoorstepPage *page;

  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  if (self->store == NULL)
    return NULL;

  page = teren_doorstep_page_new (self->store, household_id);
  g_signal_connect_object (page, "saved", G_CALLBACK (on_home_visit_saved_cb), self,
                           G_CONNECT_SWAPPED);
  push_page (self, GTK_WIDGET (page));
  gtk_widget_grab_focus (teren_doorstep_page_get_date_entry (page));
  return page;
}

TerenForm *
teren_window_get_form (TerenWindow *self)
{
  GtkWidget *visible;

  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);

  visible = adw_leaflet_get_visible_child (self->outer_leaflet);
  return TEREN_IS_FORM (visible) ? TEREN_FORM (visible) : NULL;
}

TerenRecordPage *
teren_window_get_record_page (TerenWindow *self)
{
  GtkWidget *visible;

  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);

  visible = adw_leaflet_get_visible_child (self->outer_leaflet);
  return TEREN_IS_RECORD_PAGE (visible) ? TEREN_RECORD_PAGE (visible) : NULL;
}

void
teren_window_add_toast (TerenWindow *self,
                        AdwToast    *toast)
{
  g_return_if_fail (TEREN_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
teren_window_get_pending_text (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return teren_sync_indicator_get_pending_text (self->sync_indicator);
}

TerenSyncIndicator *
teren_window_get_sync_indicator (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->sync_indicator;
}

TerenConflictsPage *
teren_window_get_conflicts_page (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->conflicts_page;
}

TerenQuarantinePage *
teren_window_get_quarantine_page (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->quarantine_page;
}

void
teren_window_show_special (TerenWindow *self,
                           const char  *page)
{
  GtkWidget *row = NULL;

  g_return_if_fail (TEREN_IS_WINDOW (self));

  if (g_strcmp0 (page, "conflicts") == 0)
    row = self->conflicts_row;
  else if (g_strcmp0 (page, "quarantine") == 0)
    row = self->quarantine_row;
  else if (g_strcmp0 (page, "due") == 0)
    row = self->due_row;
  else if (g_strcmp0 (page, "report") == 0)
    {
      GtkListBoxRow *candidate;
      int i;

      for (i = 0; (candidate = gtk_list_box_get_row_at_index (self->sidebar_list, i)) != NULL; i++)
        if (g_strcmp0 (g_object_get_data (G_OBJECT (candidate), "teren-special"), "report") == 0)
          row = GTK_WIDGET (candidate);
    }
  if (row == NULL)
    return;
  adw_leaflet_set_visible_child_name (self->outer_leaflet, "main");
  gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
}

guint
teren_window_get_n_conflicts (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), 0);
  return self->n_conflicts;
}

guint
teren_window_get_n_quarantined (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), 0);
  return self->n_quarantined;
}

void
teren_window_set_engine (TerenWindow     *self,
                         TerenSyncEngine *engine)
{
  g_return_if_fail (TEREN_IS_WINDOW (self));
  g_return_if_fail (engine == NULL || TEREN_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  /* One window shows one account; switching accounts makes a new window. */
  g_return_if_fail (self->engine == NULL);

  self->engine = g_object_ref (engine);
  teren_sync_indicator_set_engine (self->sync_indicator, engine);
  teren_lock_screen_set_engine (self->lock_screen, engine);
  g_signal_connect_object (engine, "notify::store", G_CALLBACK (on_engine_store_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::state", G_CALLBACK (update_account_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::conflicts", G_CALLBACK (schedule_counts), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::quarantined", G_CALLBACK (schedule_counts), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "revoked", G_CALLBACK (on_revoked_cb), self, G_CONNECT_SWAPPED);
  update_account_actions (self);
  on_engine_store_cb (self);
}

TerenSyncEngine *
teren_window_get_engine (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->engine;
}

void
teren_window_set_await_login (TerenWindow *self,
                              gboolean     await_login)
{
  g_return_if_fail (TEREN_IS_WINDOW (self));

  self->await_login = !!await_login;
  update_content (self);
}

GMenu *
teren_window_get_accounts_menu (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->accounts_section;
}

const char *
teren_window_get_logout_text (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->last_logout_text;
}

TerenCasePage *
teren_window_open_case (TerenWindow *self,
                        const char  *case_id)
{
  TerenCasePage *page;
  GtkWidget *visible;

  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  if (self->store == NULL)
    return NULL;

  visible = adw_leaflet_get_visible_child (self->outer_leaflet);
  if (TEREN_IS_CASE_PAGE (visible) &&
      g_strcmp0 (teren_case_page_get_case_id (TEREN_CASE_PAGE (visible)), case_id) == 0)
    return TEREN_CASE_PAGE (visible);

  page = teren_case_page_new (self->store, case_id);
  g_signal_connect_object (page, "edit-record", G_CALLBACK (on_page_edit_record_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "new-record", G_CALLBACK (on_case_new_record_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "new-record-values", G_CALLBACK (on_case_new_record_values_cb), self,
                           G_CONNECT_SWAPPED);
  push_page (self, GTK_WIDGET (page));
  return page;
}

TerenCasePage *
teren_window_get_case_page (TerenWindow *self)
{
  GtkWidget *visible;

  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);

  visible = adw_leaflet_get_visible_child (self->outer_leaflet);
  return TEREN_IS_CASE_PAGE (visible) ? TEREN_CASE_PAGE (visible) : NULL;
}

TerenLinePage *
teren_window_get_line_page (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->line_page;
}

TerenDuePage *
teren_window_get_due_page (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->due_page;
}

TerenReportPage *
teren_window_get_report_page (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->report_page;
}

guint
teren_window_get_n_overdue (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), 0);
  return self->due_page != NULL ? teren_due_page_get_n_overdue (self->due_page) : 0;
}

TerenLockScreen *
teren_window_get_lock_screen (TerenWindow *self)
{
  g_return_val_if_fail (TEREN_IS_WINDOW (self), NULL);
  return self->lock_screen;
}
