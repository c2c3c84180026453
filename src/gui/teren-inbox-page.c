/* teren-inbox-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-inbox-page.h"

/* A push answer or pull page changes many records at once: reload once. */
#define RELOAD_DELAY_MS 250

typedef struct
{
  /* Template widgets */
  AdwPreferencesPage *page;
  GtkStack           *stack;
  AdwStatusPage      *status;

  /* Owned */
  TerenStore         *store;
  GCancellable       *cancellable;
  GPtrArray          *views;     /* (element-type AdwPreferencesGroup) */

  TerenGuiDebounce    reload_later;
  TerenGuiSerialRead  reading;
  guint               loading : 1;
} TerenInboxPagePrivate;

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  OPEN_RECORD,
  ADD_TOAST,
  N_SIGNALS
};

G_DEFINE_TYPE_WITH_PRIVATE (TerenInboxPage, teren_inbox_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_loading (TerenInboxPage *self,
             gboolean        loading)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  loading = !!loading;
  if (priv->loading == loading)
    return;
  priv->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_open_record_cb (TerenInboxPage *self,
                   const char     *id)
{
  g_signal_emit (self, signals[OPEN_RECORD], 0, id);
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TerenInboxPage) self = user_data;
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);
  TerenInboxPageClass *klass = TEREN_INBOX_PAGE_GET_CLASS (self);
  g_autoptr(GError) error = NULL;
  gpointer list = teren_gui_store_call_finish (result, &error);

  /* One read at a time, and one more for changes seen during it (reload_again()), so that
   * an older read never replaces a newer one. A cancelled read leaves the page loading: it
   * is going away. */
  if (!teren_gui_serial_read_end (&priv->reading, error))
    {
      if (list != NULL)
        klass->list_free (list);
      return;
    }

  teren_gui_page_remove_groups (priv->page, priv->views);
  if (list != NULL)
    klass->show (self, list);
  else
    g_debug ("%s: could not list the items: %s", G_OBJECT_TYPE_NAME (self),
             error != NULL ? error->message : "?");

  gtk_stack_set_visible_child_name (priv->stack, priv->views->len > 0 ? "list" : "empty");
  set_loading (self, FALSE);
}

/* A change came during the read that has just ended: its result is dropped. */
static void
reload_again (TerenInboxPage *self)
{
  set_loading (self, FALSE);
  teren_inbox_page_reload (self);
}

static void
schedule_reload (TerenInboxPage *self)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  teren_gui_debounce_schedule (&priv->reload_later);
}

static void
teren_inbox_page_dispose (GObject *object)
{
  TerenInboxPage *self = (TerenInboxPage *)object;
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  teren_gui_debounce_cancel (&priv->reload_later);
  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  if (priv->views != NULL)
    g_ptr_array_set_size (priv->views, 0);
  /* Not gtk_widget_dispose_template(): GTK 4.8 looks for the template on the instance's
   * class (the subclass, which has none). The stack holds every template widget. */
  priv->page = NULL;
  priv->status = NULL;
  g_clear_pointer ((GtkWidget **) &priv->stack, gtk_widget_unparent);
  g_clear_object (&priv->store);
  g_clear_object (&priv->cancellable);

  G_OBJECT_CLASS (teren_inbox_page_parent_class)->dispose (object);
}

static void
teren_inbox_page_finalize (GObject *object)
{
  TerenInboxPage *self = (TerenInboxPage *)object;
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  g_clear_pointer (&priv->views, g_ptr_array_unref);

  G_OBJECT_CLASS (teren_inbox_page_parent_class)->finalize (object);
}

static void
teren_inbox_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TerenInboxPage *self = TEREN_INBOX_PAGE (object);
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, priv->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_inbox_page_class_init (TerenInboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_inbox_page_dispose;
  object_class->finalize = teren_inbox_page_finalize;
  object_class->get_property = teren_inbox_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-inbox-page.ui");
  gtk_widget_class_bind_template_child_private (widget_class, TerenInboxPage, page);
  gtk_widget_class_bind_template_child_private (widget_class, TerenInboxPage, stack);
  gtk_widget_class_bind_template_child_private (widget_class, TerenInboxPage, status);
}

static void
teren_inbox_page_init (TerenInboxPage *self)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  teren_gui_debounce_init (&priv->reload_later, RELOAD_DELAY_MS,
                           (GSourceOnceFunc) teren_inbox_page_reload, self);
  teren_gui_serial_read_init (&priv->reading, (GSourceOnceFunc) reload_again, self);
  priv->cancellable = g_cancellable_new ();
  priv->views = g_ptr_array_new ();
}

void
teren_inbox_page_set_store (TerenInboxPage *self,
                            TerenStore     *store)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  g_return_if_fail (TEREN_IS_INBOX_PAGE (self));
  g_return_if_fail (TEREN_IS_STORE (store));
  g_return_if_fail (priv->store == NULL);

  priv->store = g_object_ref (store);
  g_signal_connect_object (store, "record-changed", G_CALLBACK (schedule_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "oplog-changed", G_CALLBACK (schedule_reload), self,
                           G_CONNECT_SWAPPED);
  teren_inbox_page_reload (self);
}

TerenStore *
teren_inbox_page_get_store (TerenInboxPage *self)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  g_return_val_if_fail (TEREN_IS_INBOX_PAGE (self), NULL);
  return priv->store;
}

GCancellable *
teren_inbox_page_get_cancellable (TerenInboxPage *self)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  g_return_val_if_fail (TEREN_IS_INBOX_PAGE (self), NULL);
  return priv->cancellable;
}

void
teren_inbox_page_set_empty (TerenInboxPage *self,
                            const char     *title,
                            const char     *description)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  g_return_if_fail (TEREN_IS_INBOX_PAGE (self));

  adw_status_page_set_title (priv->status, title);
  adw_status_page_set_description (priv->status, description);
}

void
teren_inbox_page_add_view (TerenInboxPage      *self,
                           AdwPreferencesGroup *view)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  g_return_if_fail (TEREN_IS_INBOX_PAGE (self));
  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (view));

  g_signal_connect_object (view, "open-record", G_CALLBACK (on_open_record_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_page_add (priv->page, view);
  g_ptr_array_add (priv->views, view);
}

void
teren_inbox_page_toast (TerenInboxPage *self,
                        const char     *text)
{
  g_return_if_fail (TEREN_IS_INBOX_PAGE (self));

  g_signal_emit (self, signals[ADD_TOAST], 0, teren_gui_toast_new (text));
}

void
teren_inbox_page_reload (TerenInboxPage *self)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);
  TerenInboxPageClass *klass;

  g_return_if_fail (TEREN_IS_INBOX_PAGE (self));

  if (!teren_gui_serial_read_begin (&priv->reading))
    return;
  klass = TEREN_INBOX_PAGE_GET_CLASS (self);
  set_loading (self, TRUE);
  teren_gui_store_call_async (priv->store, klass->load, NULL, NULL, klass->list_free,
                              priv->cancellable, on_loaded_cb, g_object_ref (self));
}

gboolean
teren_inbox_page_get_loading (TerenInboxPage *self)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  g_return_val_if_fail (TEREN_IS_INBOX_PAGE (self), FALSE);
  return priv->loading;
}

GPtrArray *
teren_inbox_page_get_views (TerenInboxPage *self)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  g_return_val_if_fail (TEREN_IS_INBOX_PAGE (self), NULL);
  return g_ptr_array_copy (priv->views, NULL, NULL);
}

guint
teren_inbox_page_get_n_items (TerenInboxPage *self)
{
  TerenInboxPagePrivate *priv = teren_inbox_page_get_instance_private (self);

  g_return_val_if_fail (TEREN_IS_INBOX_PAGE (self), 0);
  return priv->views->len;
}
