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
#include "teren-store-sync.h"

/* A push answer or pull page changes many records at once: reload once. */
#define RELOAD_DELAY_MS 250

struct _TerenConflictsPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwPreferencesPage *page;
  GtkStack           *stack;

  /* Owned */
  TerenStore         *store;
  GCancellable       *cancellable;
  GPtrArray          *views;     /* (element-type TerenConflictView) */

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
  RESOLVED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenConflictsPage, teren_conflicts_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
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

static void
set_loading (TerenConflictsPage *self,
             gboolean            loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_open_record_cb (TerenConflictsPage *self,
                   const char         *id)
{
  g_signal_emit (self, signals[OPEN_RECORD], 0, id);
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
      g_signal_emit (self, signals[ADD_TOAST], 0, teren_gui_toast_new (message));
      teren_conflicts_page_reload (self);
      return;
    }

  g_signal_emit (self, signals[ADD_TOAST], 0,
                 teren_gui_toast_new (_("Choice saved; it will be sent with the next sync")));
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
  teren_gui_store_call_async (self->store, resolve_func, resolution, resolution_free,
                              g_object_unref, self->cancellable, on_resolved_cb,
                              g_object_ref (self));
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TerenConflictsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  ConflictList *list = teren_gui_store_call_finish (result, &error);
  guint i;

  if (list == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      g_clear_pointer (&list, conflict_list_free);
      set_loading (self, FALSE);
      teren_conflicts_page_reload (self);
      return;
    }

  teren_gui_page_remove_groups (self->page, self->views);
  if (list != NULL)
    {
      for (i = 0; i < list->conflicts->len; i++)
        {
          TerenConflict *conflict = g_ptr_array_index (list->conflicts, i);
          TerenConflictView *view;

          view = teren_conflict_view_new (conflict, g_ptr_array_index (list->titles, i));
          g_signal_connect_object (view, "resolve", G_CALLBACK (on_resolve_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (view, "open-record", G_CALLBACK (on_open_record_cb), self,
                                   G_CONNECT_SWAPPED);
          adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (view));
          g_ptr_array_add (self->views, view);
        }
      /* Every item now belongs to its view. */
      g_ptr_array_set_free_func (list->conflicts, NULL);
      conflict_list_free (list);
    }
  else
    g_debug ("Could not list conflicts: %s", error != NULL ? error->message : "?");

  gtk_stack_set_visible_child_name (self->stack, self->views->len > 0 ? "list" : "empty");
  set_loading (self, FALSE);
}

static void
schedule_reload (TerenConflictsPage *self)
{
  teren_gui_debounce_schedule (&self->reload_later);
}

static void
teren_conflicts_page_dispose (GObject *object)
{
  TerenConflictsPage *self = (TerenConflictsPage *)object;

  teren_gui_debounce_cancel (&self->reload_later);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->views != NULL)
    g_ptr_array_set_size (self->views, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_CONFLICTS_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (teren_conflicts_page_parent_class)->dispose (object);
}

static void
teren_conflicts_page_finalize (GObject *object)
{
  TerenConflictsPage *self = (TerenConflictsPage *)object;

  g_clear_pointer (&self->views, g_ptr_array_unref);

  G_OBJECT_CLASS (teren_conflicts_page_parent_class)->finalize (object);
}

static void
teren_conflicts_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TerenConflictsPage *self = TEREN_CONFLICTS_PAGE (object);

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
teren_conflicts_page_class_init (TerenConflictsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_conflicts_page_dispose;
  object_class->finalize = teren_conflicts_page_finalize;
  object_class->get_property = teren_conflicts_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);
  signals[RESOLVED] = g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-conflicts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenConflictsPage, page);
  gtk_widget_class_bind_template_child (widget_class, TerenConflictsPage, stack);
}

static void
teren_conflicts_page_init (TerenConflictsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  teren_gui_debounce_init (&self->reload_later, RELOAD_DELAY_MS,
                           (GSourceOnceFunc) teren_conflicts_page_reload, self);
  self->cancellable = g_cancellable_new ();
  self->views = g_ptr_array_new ();
}

TerenConflictsPage *
teren_conflicts_page_new (TerenStore *store)
{
  TerenConflictsPage *self;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_CONFLICTS_PAGE, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "record-changed", G_CALLBACK (schedule_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "oplog-changed", G_CALLBACK (schedule_reload), self,
                           G_CONNECT_SWAPPED);
  teren_conflicts_page_reload (self);
  return self;
}

void
teren_conflicts_page_reload (TerenConflictsPage *self)
{
  g_return_if_fail (TEREN_IS_CONFLICTS_PAGE (self));

  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  set_loading (self, TRUE);
  teren_gui_store_call_async (self->store, load_func, NULL, NULL, conflict_list_free,
                              self->cancellable, on_loaded_cb, g_object_ref (self));
}

gboolean
teren_conflicts_page_get_loading (TerenConflictsPage *self)
{
  g_return_val_if_fail (TEREN_IS_CONFLICTS_PAGE (self), FALSE);
  return self->loading;
}

GPtrArray *
teren_conflicts_page_get_views (TerenConflictsPage *self)
{
  g_return_val_if_fail (TEREN_IS_CONFLICTS_PAGE (self), NULL);
  return g_ptr_array_copy (self->views, NULL, NULL);
}

guint
teren_conflicts_page_get_n_items (TerenConflictsPage *self)
{
  g_return_val_if_fail (TEREN_IS_CONFLICTS_PAGE (self), 0);
  return self->views->len;
}
