/* teren-conflicts-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-conflict-view.h"
#include "teren-conflicts-page.h"
#include "teren-gui.h"
#include "teren-inbox-page.h"
#include "teren-store-sync.h"

struct _TerenConflictsPage
{
  TerenInboxPage parent_instance;
};

enum {
  RESOLVED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenConflictsPage, teren_conflicts_page, TEREN_TYPE_INBOX_PAGE)

static guint signals[N_SIGNALS];

/* Loading on the worker */

typedef struct
{
  GPtrArray *conflicts;  /* (element-type TerenConflict) */
  GPtrArray *titles;     /* char*, one per conflict */
} ConflictList;

static void
conflict_list_free (gpointer pointer)
{
  ConflictList *list = pointer;

  g_clear_pointer (&list->conflicts, g_ptr_array_unref);
  g_clear_pointer (&list->titles, g_ptr_array_unref);
  g_free (list);
}

static gpointer
load_func (TerenStore  *store,
           gpointer     data,
           GError     **error)
{
  ConflictList *list;
  GPtrArray *conflicts = teren_store_list_conflicts (store, NULL, error);
  guint i;

  if (conflicts == NULL)
    return NULL;

  list = g_new0 (ConflictList, 1);
  list->conflicts = conflicts;
  list->titles = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < conflicts->len; i++)
    {
      TerenConflict *conflict = g_ptr_array_index (conflicts, i);
      g_autoptr(TerenRecord) record = teren_store_get_record (store, conflict->record_id, NULL);

      g_ptr_array_add (list->titles,
                       g_strdup (record != NULL ? teren_record_get_title (record) : _("Unknown record")));
    }
  return list;
}

typedef struct
{
  char     *item_id;
  JsonNode *value;
} Resolution;

static void
resolution_free (gpointer pointer)
{
  Resolution *resolution = pointer;

  g_free (resolution->item_id);
  g_clear_pointer (&resolution->value, json_node_unref);
  g_free (resolution);
}

static gpointer
resolve_func (TerenStore  *store,
              gpointer     data,
              GError     **error)
{
  Resolution *resolution = data;
  JsonNode *value = resolution->value;

  if (value != NULL && JSON_NODE_HOLDS_NULL (value))
    value = NULL;
  return teren_store_resolve_conflict (store, resolution->item_id, value, error);
}

static void
on_resolved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TerenConflictsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_gui_store_call_finish (result, &error);

  if (record == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Resolving a conflict failed: %s", error != NULL ? error->message : "?");
      message = teren_gui_error_message (error);
      teren_inbox_page_toast (TEREN_INBOX_PAGE (self), message);
      teren_conflicts_page_reload (self);
      return;
    }

  teren_inbox_page_toast (TEREN_INBOX_PAGE (self), _("Choice saved; it will be sent with the next sync"));
  g_signal_emit (self, signals[RESOLVED], 0, teren_record_get_id (record));
  teren_conflicts_page_reload (self);
}

static void
on_resolve_cb (TerenConflictsPage *self,
               const char         *item_id,
               JsonNode           *value,
               TerenConflictView  *view)
{
  Resolution *resolution;

  /* No second click while this one is saved. */
  gtk_widget_set_sensitive (GTK_WIDGET (view), FALSE);

  resolution = g_new0 (Resolution, 1);
  resolution->item_id = g_strdup (item_id);
  resolution->value = value != NULL ? json_node_copy (value) : NULL;
  teren_gui_store_call_async (teren_inbox_page_get_store (TEREN_INBOX_PAGE (self)),
                              resolve_func, resolution, resolution_free, g_object_unref,
                              teren_inbox_page_get_cancellable (TEREN_INBOX_PAGE (self)),
                              on_resolved_cb, g_object_ref (self));
}

static void
show_list (TerenInboxPage *page,
           gpointer        pointer)
{
  ConflictList *list = pointer;
  guint i;

  for (i = 0; i < list->conflicts->len; i++)
    {
      TerenConflict *conflict = g_ptr_array_index (list->conflicts, i);
      TerenConflictView *view;

      view = teren_conflict_view_new (conflict, g_ptr_array_index (list->titles, i));
      g_signal_connect_object (view, "resolve", G_CALLBACK (on_resolve_cb), page, G_CONNECT_SWAPPED);
      teren_inbox_page_add_view (page, ADW_PREFERENCES_GROUP (view));
    }
  /* Every item now belongs to its view. */
  g_ptr_array_set_free_func (list->conflicts, NULL);
  conflict_list_free (list);
}

static void
teren_conflicts_page_class_init (TerenConflictsPageClass *klass)
{
  TerenInboxPageClass *page_class = TEREN_INBOX_PAGE_CLASS (klass);

  page_class->load = load_func;
  page_class->list_free = conflict_list_free;
  page_class->show = show_list;

  signals[RESOLVED] = g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
teren_conflicts_page_init (TerenConflictsPage *self)
{
  teren_inbox_page_set_empty (TEREN_INBOX_PAGE (self), _("No Conflicts"),
                              _("When someone changes on the server the same field you changed here, "
                                "both values wait on this page for you to choose. Nothing is "
                                "overwritten silently."));
}

TerenConflictsPage *
teren_conflicts_page_new (TerenStore *store)
{
  TerenConflictsPage *self;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_CONFLICTS_PAGE, NULL);
  teren_inbox_page_set_store (TEREN_INBOX_PAGE (self), store);
  return self;
}

void
teren_conflicts_page_reload (TerenConflictsPage *self)
{
  g_return_if_fail (TEREN_IS_CONFLICTS_PAGE (self));
  teren_inbox_page_reload (TEREN_INBOX_PAGE (self));
}

gboolean
teren_conflicts_page_get_loading (TerenConflictsPage *self)
{
  g_return_val_if_fail (TEREN_IS_CONFLICTS_PAGE (self), FALSE);
  return teren_inbox_page_get_loading (TEREN_INBOX_PAGE (self));
}

GPtrArray *
teren_conflicts_page_get_views (TerenConflictsPage *self)
{
  g_return_val_if_fail (TEREN_IS_CONFLICTS_PAGE (self), NULL);
  return teren_inbox_page_get_views (TEREN_INBOX_PAGE (self));
}

guint
teren_conflicts_page_get_n_items (TerenConflictsPage *self)
{
  g_return_val_if_fail (TEREN_IS_CONFLICTS_PAGE (self), 0);
  return teren_inbox_page_get_n_items (TEREN_INBOX_PAGE (self));
}
