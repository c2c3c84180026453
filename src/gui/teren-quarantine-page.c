/* teren-quarantine-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-gui.h"
#include "teren-inbox-page.h"
#include "teren-quarantine-page.h"
#include "teren-quarantine-view.h"
#include "teren-store-sync.h"

struct _TerenQuarantinePage
{
  TerenInboxPage    parent_instance;

  AdwMessageDialog *dialog;    /* (nullable) (unowned) the open confirmation */
};

enum {
  RETRIED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenQuarantinePage, teren_quarantine_page, TEREN_TYPE_INBOX_PAGE)

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
toast (TerenQuarantinePage *self,
       const char          *text)
{
  teren_inbox_page_toast (TEREN_INBOX_PAGE (self), text);
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
  teren_gui_store_call_async (teren_inbox_page_get_store (TEREN_INBOX_PAGE (self)),
                              action_func, action, action_free, NULL,
                              teren_inbox_page_get_cancellable (TEREN_INBOX_PAGE (self)),
                              on_action_done_cb, g_object_ref (self));
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
show_list (TerenInboxPage *page,
           gpointer        pointer)
{
  QuarantineList *list = pointer;
  guint i;

  for (i = 0; i < list->items->len; i++)
    {
      TerenQuarantineView *view =
        teren_quarantine_view_new (g_ptr_array_index (list->items, i),
                                   g_ptr_array_index (list->titles, i));

      g_signal_connect_object (view, "retry", G_CALLBACK (on_retry_cb), page, G_CONNECT_SWAPPED);
      g_signal_connect_object (view, "discard", G_CALLBACK (on_discard_cb), page, G_CONNECT_SWAPPED);
      teren_inbox_page_add_view (page, ADW_PREFERENCES_GROUP (view));
    }
  /* Every item now belongs to its view. */
  g_ptr_array_set_free_func (list->items, NULL);
  quarantine_list_free (list);
}

static void
teren_quarantine_page_dispose (GObject *object)
{
  TerenQuarantinePage *self = (TerenQuarantinePage *)object;

  if (self->dialog != NULL)
    {
      AdwMessageDialog *dialog = g_steal_pointer (&self->dialog);

      g_object_set_data (G_OBJECT (dialog), "teren-page", NULL);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  G_OBJECT_CLASS (teren_quarantine_page_parent_class)->dispose (object);
}

static void
teren_quarantine_page_class_init (TerenQuarantinePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TerenInboxPageClass *page_class = TEREN_INBOX_PAGE_CLASS (klass);

  object_class->dispose = teren_quarantine_page_dispose;

  page_class->load = load_func;
  page_class->list_free = quarantine_list_free;
  page_class->show = show_list;

  signals[RETRIED] = g_signal_new ("retried", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
teren_quarantine_page_init (TerenQuarantinePage *self)
{
  teren_inbox_page_set_empty (TEREN_INBOX_PAGE (self), _("Nothing Refused"),
                              _("Changes the server refuses wait here with its reason, so that you "
                                "can fix and send them again. Other changes are never held up by "
                                "them."));
}

TerenQuarantinePage *
teren_quarantine_page_new (TerenStore *store)
{
  TerenQuarantinePage *self;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_QUARANTINE_PAGE, NULL);
  teren_inbox_page_set_store (TEREN_INBOX_PAGE (self), store);
  return self;
}

void
teren_quarantine_page_reload (TerenQuarantinePage *self)
{
  g_return_if_fail (TEREN_IS_QUARANTINE_PAGE (self));
  teren_inbox_page_reload (TEREN_INBOX_PAGE (self));
}

gboolean
teren_quarantine_page_get_loading (TerenQuarantinePage *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_PAGE (self), FALSE);
  return teren_inbox_page_get_loading (TEREN_INBOX_PAGE (self));
}

GPtrArray *
teren_quarantine_page_get_views (TerenQuarantinePage *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_PAGE (self), NULL);
  return teren_inbox_page_get_views (TEREN_INBOX_PAGE (self));
}

guint
teren_quarantine_page_get_n_items (TerenQuarantinePage *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_PAGE (self), 0);
  return teren_inbox_page_get_n_items (TEREN_INBOX_PAGE (self));
}

AdwMessageDialog *
teren_quarantine_page_get_dialog (TerenQuarantinePage *self)
{
  g_return_val_if_fail (TEREN_IS_QUARANTINE_PAGE (self), NULL);
  return self->dialog;
}
