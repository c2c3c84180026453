/* teren-quarantine-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-gui.h"
#include "teren-quarantine-page.h"
#include "teren-quarantine-view.h"
#include "teren-store-sync.h"

#define RELOAD_DELAY_MS 250

struct _TerenQuarantinePage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwPreferencesPage *page;
  GtkStack           *stack;

  /* Owned */
  TerenStore         *store;
  GCancellable       *cancellable;
  GPtrArray          *views;     /* (element-type TerenQuarantineView) */
  AdwMessageDialog   *dialog;    /* (nullable) (unowned) the open confirmation */

  TerenGuiDebounce    reload_later;
  guint               loading : 1;
  guint               reload_again : 1;
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  OPEN_RECORD,
  ADD_TOAST,
  RETRIED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenQuarantinePage, teren_quarantine_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  GPtrArray *items;   /* (element-type TerenQuarantined) */
  GPtrArray *titles;  /* char* */
} QuarantineList;

static void
quarantine_list_free (gpointer pointer)
{
  QuarantineList *list = pointer;

  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_clear_pointer (&list->titles, g_ptr_array_unref);
  g_free (list);
}

static gpointer
load_func (TerenStore  *store,
           gpointer     data,
           GError     **error)
{
  QuarantineList *list;
  GPtrArray *items = teren_store_list_quarantine (store, error);
  guint i;

  if (items == NULL)
    return NULL;

  list = g_new0 (QuarantineList, 1);
  list->items = items;
  list->titles = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < items->len; i++)
    {
      TerenQuarantined *item = g_ptr_array_index (items, i);
      g_autoptr(TerenRecord) record = teren_store_get_record (store, item->record_id, NULL);
      const TerenKindDef *kind = teren_schema_lookup_kind (item->kind);
      const char *title = record != NULL ? teren_record_get_title (record) : NULL;

      if (title == NULL || *title == '\0')
        title = kind != NULL ? teren_kind_get_label (kind) : _("Unknown record");
      g_ptr_array_add (list->titles, g_strdup (title));
    }
  return list;
}

static void
set_loading (TerenQuarantinePage *self,
             gboolean             loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
toast (TerenQuarantinePage *self,
       const char          *text)
{
  g_signal_emit (self, signals[ADD_TOAST], 0, teren_gui_toast_new (text));
}

/* Retry and discard on the worker */

typedef struct
{
  char       *change_id;
  JsonObject *patch;   /* (nullable) */
  gboolean    discard;
} Action;

static void
action_free (gpointer pointer)
{
  Action *action = pointer;

  g_free (action->change_id);
  g_clear_pointer (&action->patch, json_object_unref);
  g_free (action);
}

static gpointer
action_func (TerenStore  *store,
             gpointer     data,
             GError     **error)
{
  Action *action = data;
  gboolean ok;

  if (action->discard)
    ok = teren_store_discard_quarantined (store, action->change_id, error);
  else
    ok = teren_store_retry_quarantined (store, action->change_id, action->patch, error);
  /* A non-NULL result means success. */
  return ok ? GINT_TO_POINTER (action->discard ? 2 : 1) : NULL;
}

static void
on_action_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TerenQuarantinePage) self = user_data;
  g_autoptr(GError) error = NULL;
  gpointer done = teren_gui_store_call_finish (result, &error);

  if (done == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Quarantine action failed: %s", error != NULL ? error->message : "?");
      message = teren_gui_error_message (error);
      toast (self, message);
    }
  else if (GPOINTER_TO_INT (done) == 2)
    toast (self, _("Change discarded"));
  else
    {
      toast (self, _("The change will be sent again with the next sync"));
      g_signal_emit (self, signals[RETRIED], 0);
    }
  teren_quarantine_page_reload (self);
}

static void
run_action (TerenQuarantinePage *self,
            const char          *change_id,
            JsonObject          *patch,
            gboolean             discard)
{
  Action *action = g_new0 (Action, 1);

  action->change_id = g_strdup (change_id);
  action->patch = patch != NULL ? json_object_ref (patch) : NULL;
  action->discard = discard;
  teren_gui_store_call_async (self->store, action_func, action, action_free, NULL,
                              self->cancellable, on_action_done_cb, g_object_ref (self));
}

static void
on_retry_cb (TerenQuarantinePage *self,
             const char          *change_id,
             JsonObject          *patch,
             TerenQuarantineView *view)
{
  gtk_widget_set_sensitive (GTK_WIDGET (view), FALSE);
  run_action (self, change_id, patch, FALSE);
}

static void
on_dialog_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  TerenQuarantinePage *self = g_object_get_data (G_OBJECT (dialog), "teren-page");
  const char *change_id = g_object_get_data (G_OBJECT (dialog), "teren-change-id");

  if (self == NULL)
    return;
  if (self->dialog == dialog)
    self->dialog = NULL;
  if (g_strcmp0 (response, "discard") == 0)
    run_action (self, change_id, NULL, TRUE);
}

static void
on_discard_cb (TerenQuarantinePage *self,
               const char          *change_id,
               TerenQuarantineView *view)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (_("The change to “%s” will be removed from this laptop and never sent. "
                            "This cannot be undone."),
                          teren_quarantine_view_get_record_title (view));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Discard This Change?"), NULL);
  /* The body is plain text: the record's title is user data. */
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* The dialog keeps the page alive until it is answered. */
  g_object_set_data_full (G_OBJECT (dialog), "teren-page", g_object_ref (self), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "teren-change-id", g_strdup (change_id), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response_cb), NULL);
  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_open_record_cb (TerenQuarantinePage *self,
                   const char          *id)
{
  g_signal_emit (self, signals[OPEN_RECORD], 0, id);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TerenQuarantinePage) self = user_data;
  g_autoptr(GError) error = NULL;
  QuarantineList *list = teren_gui_store_call_finish (result, &error);
  guint i;

  if (list == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      g_clear_pointer (&list, quarantine_list_free);
      set_loading (self, FALSE);
      teren_quarantine_page_reload (self);
      return;
    }

  teren_gui_page_remove_groups (self->page, self->views);
  if (list != NULL)
    {
      for (i = 0; i < list->items->len; i++)
        {
          TerenQuarantineView *view =
            teren_quarantine_view_new (g_ptr_array_index (list->items, i),
                                       g_ptr_array_index (list->titles, i));

          g_signal_connect_object (view, "retry", G_CALLBACK (on_retry_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (view, "discard", G_CALLBACK (on_discard_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (view, "open-record", G_CALLBACK (on_open_record_cb), self,
                                   G_CONNECT_SWAPPED);
          adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (view));
          g_ptr_array_add (self->views, view);
        }
      /* Every item now belongs to its view. */
      g_ptr_array_set_free_func (list->items, NULL);
      quarantine_list_free (list);
    }
  else
    g_debug ("Could not list the quarantine: %s", error != NULL ? error->message : "?");

  gtk_stack_set_visible_child_name (self->stack, self->views->len > 0 ? "list" : "empty");
  set_loading (self, FALSE);
}

static void
schedule_reload (TerenQuarantinePage *self)
{
  teren_gui_debounce_schedule (&self->reload_later);
}

static void
teren_quarantine_page_dispose (GObject *object)
{
  TerenQuarantinePage *self = (TerenQuarantinePage *)object;

  teren_gui_debounce_cancel (&self->reload_later);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->dialog != NULL)
    {
      AdwMessageDialog *dialog = g_steal_pointer (&self->dialog);

      g_object_set_data (G_OBJECT (dialog), "teren-page", NULL);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  if (self->views != NULL)
    g_ptr_array_set_size (self->views, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_QUARANTINE_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (teren_quarantine_page_parent_class)->dispose (object);
}

static void
teren_quarantine_page_finalize (GObject *object)
{
  TerenQuarantinePage *self = (TerenQuarantinePage *)object;

  g_clear_pointer (&self->views, g_ptr_array_unref);

  G_OBJECT_CLASS (teren_quarantine_page_parent_class)->finalize (object);
}

static void
teren_quarantine_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TerenQuarantinePage *self = TEREN_QUARANTINE_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_quarantine_page_class_init (TerenQuarantinePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_quarantine_page_dispose;
  object_class->finalize = teren_quarantine_page_finalize;
  object_class->get_property = teren_quarantine_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);
  signals[RETRIED] = g_signal_new ("retried", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-quarantine-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenQuarantinePage, page);
  gtk_widget_class_bind_template_child (widget_class, TerenQuarantinePage, stack);
}

static void
teren_quarantine_page_init (TerenQuarantinePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  teren_gui_debounce_init (&self->reload_later, RELOAD_DELAY_MS,
                           (GSourceOnceFunc) teren_quarantine_page_reload, self);
  self->cancellable = g_cancellable_new ();
  self->views = g_ptr_array_new ();
}

TerenQuarantinePage *
teren_quarantine_page_new (TerenStore *store)
{
  TerenQuarantinePage *self;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_QUARANTINE_PAGE, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "record-changed", G_CALLBACK (schedule_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "oplog-changed", G_CALLBACK (schedule_reload), self,
                           G_CONNECT_SWAPPED);
  teren_quarantine_page_reload (self);
  return self;
}

void
teren_quarantine_page_reload (TerenQuarantinePage *self)
{
  g_return_if_fail (TEREN_IS_QUARANTINE_PAGE (self));

  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  set_loading (self, TRUE);
  teren_gui_store_call_async (self->store, load_func, NULL, NULL, quarantine_list_free,
                              self->cancellable, on_loaded_cb, g_object_ref (self));
}

gboolean
teren_quarantine_page_get_loading (TerenQuarantinePage *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_PAGE (self), FALSE);
  return self->loading;
}

GPtrArray *
teren_quarantine_page_get_views (TerenQuarantinePage *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_PAGE (self), NULL);
  return g_ptr_array_copy (self->views, NULL, NULL);
}

guint
teren_quarantine_page_get_n_items (TerenQuarantinePage *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_PAGE (self), 0);
  return self->views->len;
}

AdwMessageDialog *
teren_quarantine_page_get_dialog (TerenQuarantinePage *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_PAGE (self), NULL);
  return self->dialog;
}
