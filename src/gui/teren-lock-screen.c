/* teren-lock-screen.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-error.h"
#include "teren-lock-screen.h"
#include "teren-lock-verifier.h"

#define DEFAULT_RETRY_DELAY_S 30
#define MAX_RETRY_DELAY_S     300
#define SETTINGS_KEY          "auto-lock-delay"

struct _TerenLockScreen
{
  GtkWidget             parent_instance;

  /* Template widgets */
  GtkBox               *lock_page;
  GtkLabel             *message_label;
  AdwPasswordEntryRow  *password_row;
  GtkSpinner           *spinner;
  GtkStack             *stack;
  AdwStatusPage        *status_page;
  GtkButton            *unlock_button;

  /* Borrowed */
  GtkWindow            *window;        /* our root, set by attach */

  /* Owned */
  TerenSyncEngine      *engine;        /* (nullable) */
  GSettings            *settings;      /* (nullable) without the installed schema */
  GSimpleAction        *lock_action;
  GCancellable         *cancellable;   /* of the running check */
  GPtrArray            *hidden;        /* (element-type GtkWindow) dialogs hidden by the lock */
  GWeakRef              focus;         /* the content's focus when it locked */
  char                 *title;         /* the window title before locking */
  char                 *checking;      /* (nullable) the password being checked; wiped */

  guint                 delay;         /* s, 0 = never */
  guint                 retry_delay;   /* s */
  guint                 timer_id;
  guint                 failures;
  gint64                last_failure;  /* monotonic µs */
  guint                 locked : 1;
};

enum {
  PROP_0,
  PROP_LOCKED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TerenLockScreen, teren_lock_screen, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* ---- Input anywhere in the application -------------------------------------------- */

/* Monotonic time of the last key, button, motion, scroll or touch in any toplevel. */
static gint64 last_activity;
/* Lock screens alive, to hide the dialogs that appear while one is locked. */
static GList *screens;

static void arm_timer (TerenLockScreen *self);
static void hide_window (TerenLockScreen *self,
                         GtkWindow       *window);

static gboolean
on_any_event_cb (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 gpointer                  user_data)
{
  GdkEventType type = gdk_event_get_event_type (event);

  if (type == GDK_KEY_PRESS || type == GDK_BUTTON_PRESS || type == GDK_MOTION_NOTIFY ||
      type == GDK_SCROLL || type == GDK_TOUCH_BEGIN || type == GDK_TOUCHPAD_SWIPE ||
      type == GDK_TOUCHPAD_PINCH)
    last_activity = g_get_monotonic_time ();
  return GDK_EVENT_PROPAGATE;
}

static gboolean
is_transient_of (GtkWindow *window,
                 GtkWindow *root)
{
  GtkWindow *parent;

  for (parent = gtk_window_get_transient_for (window); parent != NULL;
       parent = gtk_window_get_transient_for (parent))
    if (parent == root)
      return TRUE;
  return FALSE;
}

/* A dialog shown over a locked window is hidden until it is unlocked. */
static void
on_toplevel_visible_cb (GtkWindow  *window,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  GList *l;

  if (!gtk_widget_get_visible (GTK_WIDGET (window)))
    return;
  for (l = screens; l != NULL; l = l->next)
    {
      TerenLockScreen *self = l->data;

      if (self->locked && self->window != NULL && is_transient_of (window, self->window))
        {
          hide_window (self, window);
          return;
        }
    }
}

static void
watch_toplevel (GtkWindow *window)
{
  GtkEventController *controller;

  if (g_object_get_data (G_OBJECT (window), "teren-lock-watched") != NULL)
    return;
  g_object_set_data (G_OBJECT (window), "teren-lock-watched", GINT_TO_POINTER (1));
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (on_any_event_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
  g_signal_connect (window, "notify::visible", G_CALLBACK (on_toplevel_visible_cb), NULL);
}

static void
on_toplevels_changed_cb (GListModel *toplevels,
                         guint       position,
                         guint       removed,
                         guint       added,
                         gpointer    user_data)
{
  guint i;

  for (i = position; i < position + added; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      watch_toplevel (window);
    }
}

static void
ensure_watching (void)
{
  static gboolean watching;
  GListModel *toplevels;

  if (watching)
    return;
  watching = TRUE;
  last_activity = g_get_monotonic_time ();
  toplevels = gtk_window_get_toplevels ();
  g_signal_connect (toplevels, "items-changed", G_CALLBACK (on_toplevels_changed_cb), NULL);
  on_toplevels_changed_cb (toplevels, 0, 0, g_list_model_get_n_items (toplevels), NULL);
}

/* ---- Locking ---------------------------------------------------------------------- */

static gboolean
can_lock (TerenLockScreen *self)
{
  return self->engine != NULL && teren_sync_engine_get_username (self->engine) != NULL;
}

static void
update_action (TerenLockScreen *self)
{
  g_simple_action_set_enabled (self->lock_action, can_lock (self) && !self->locked);
}

static void
set_message (TerenLockScreen *self,
             const char      *message)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
hide_window (TerenLockScreen *self,
             GtkWindow       *window)
{
  if (!g_ptr_array_find (self->hidden, window, NULL))
    g_ptr_array_add (self->hidden, g_object_ref (window));
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
}

static void
update_description (TerenLockScreen *self)
{
  const char *user = self->engine != NULL ? teren_sync_engine_get_username (self->engine) : NULL;
  g_autofree char *description = NULL;

  if (user != NULL)
    /* Translators: %s is the user name of the account (markup, already escaped) */
    description = g_markup_printf_escaped (_("Enter the password of the account %s to continue."), user);
  adw_status_page_set_description (self->status_page, description);
}

void
teren_lock_screen_lock (TerenLockScreen *self)
{
  GtkWidget *focus;
  GListModel *toplevels;
  guint i, n;

  g_return_if_fail (TEREN_IS_LOCK_SCREEN (self));

  if (self->locked || !can_lock (self) || self->window == NULL)
    return;

  focus = gtk_root_get_focus (GTK_ROOT (self->window));
  g_weak_ref_set (&self->focus, focus);

  self->locked = TRUE;
  /* Every window shown over this one (dialogs, pickers, file choosers) goes away. */
  toplevels = gtk_window_get_toplevels ();
  n = g_list_model_get_n_items (toplevels);
  for (i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window != self->window && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          is_transient_of (window, self->window))
        hide_window (self, window);
    }

  g_free (self->title);
  self->title = g_strdup (gtk_window_get_title (self->window));
  gtk_window_set_title (self->window, _("Teren"));
  update_description (self);
  set_message (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_stack_set_visible_child_name (self->stack, "locked");
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  g_clear_handle_id (&self->timer_id, g_source_remove);
  update_action (self);
  g_debug ("Locked");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

static void
unlock (TerenLockScreen *self)
{
  g_autoptr(GtkWidget) focus = g_weak_ref_get (&self->focus);
  guint i;

  self->locked = FALSE;
  self->failures = 0;
  set_message (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_stack_set_visible_child_name (self->stack, "content");
  if (self->window != NULL)
    gtk_window_set_title (self->window, self->title);
  g_clear_pointer (&self->title, g_free);
  if (focus != NULL && gtk_widget_get_mapped (focus))
    gtk_widget_grab_focus (focus);
  g_weak_ref_set (&self->focus, NULL);
  for (i = 0; i < self->hidden->len; i++)
    gtk_window_present (g_ptr_array_index (self->hidden, i));
  g_ptr_array_set_size (self->hidden, 0);

  last_activity = g_get_monotonic_time ();
  arm_timer (self);
  update_action (self);
  g_debug ("Unlocked");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

static gboolean
timer_cb (gpointer user_data)
{
  TerenLockScreen *self = user_data;

  self->timer_id = 0;
  if ((g_get_monotonic_time () - last_activity) / G_USEC_PER_SEC >= self->delay)
    teren_lock_screen_lock (self);
  else
    arm_timer (self);
  return G_SOURCE_REMOVE;
}

/* One timer per window, at the earliest moment the delay can have passed. */
static void
arm_timer (TerenLockScreen *self)
{
  gint64 remaining_ms;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->delay == 0 || self->locked || !can_lock (self))
    return;
  remaining_ms = (last_activity + (gint64) self->delay * G_USEC_PER_SEC - g_get_monotonic_time ()) / 1000;
  self->timer_id = g_timeout_add ((guint) CLAMP (remaining_ms + 1, 1, G_MAXINT), timer_cb, self);
}

/* ---- The password check ----------------------------------------------------------- */

static void
set_busy (TerenLockScreen *self,
          gboolean         busy)
{
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
forget_password (TerenLockScreen *self)
{
  if (self->checking != NULL)
    {
      memset (self->checking, 0, strlen (self->checking));
      g_clear_pointer (&self->checking, g_free);
    }
}

/* Seconds the next try must wait after the last failure. */
static guint
retry_wait (TerenLockScreen *self)
{
  guint wait;
  guint i;

  if (self->failures < TEREN_LOCK_FREE_ATTEMPTS)
    return 0;
  wait = self->retry_delay;
  for (i = TEREN_LOCK_FREE_ATTEMPTS; i < self->failures && wait < MAX_RETRY_DELAY_S; i++)
    wait *= 2;
  return MIN (wait, MAX_RETRY_DELAY_S);
}

static void
check_done (TerenLockScreen *self,
            gboolean         right,
            const char      *message)
{
  forget_password (self);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (right)
    {
      unlock (self);
      return;
    }
  set_message (self, message);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
wrong_password (TerenLockScreen *self)
{
  guint wait;

  self->failures++;
  self->last_failure = g_get_monotonic_time ();
  wait = retry_wait (self);
  g_debug ("Wrong password at the lock (%u)", self->failures);
  if (wait == 0)
    check_done (self, FALSE, _("Wrong password. Try again."));
  else
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Wrong password. Too many tries: wait %u second before the next one.",
                                                               "Wrong password. Too many tries: wait %u seconds before the next one.",
                                                               wait),
                                                  wait);
      check_done (self, FALSE, message);
    }
}

static void
on_local_checked_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TerenLockScreen) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean right = teren_lock_verifier_check_finish (result, &error);

  if (self->checking == NULL)
    return;   /* disposed meanwhile */
  if (right)
    {
      g_debug ("Password checked on this computer");
      check_done (self, TRUE, NULL);
    }
  else if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_AUTH))
    wrong_password (self);
  else
    check_done (self, FALSE,
                _("The server cannot be reached and this computer has no check of your "
                  "password yet. Connect to the network and try again."));
}

static void
check_locally (TerenLockScreen *self)
{
  TerenStore *store = self->engine != NULL ? teren_sync_engine_get_store (self->engine) : NULL;

  if (store == NULL)
    {
      check_done (self, FALSE, _("The password cannot be checked now. Try again later."));
      return;
    }
  teren_lock_verifier_check_async (store, self->checking, self->cancellable,
                                   on_local_checked_cb, g_object_ref (self));
}

static void
on_verifier_saved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!teren_lock_verifier_save_finish (result, &error))
    g_debug ("The local password check was not saved (code %d)", error->code);
}

static void
on_verified_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TerenLockScreen) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean right = teren_sync_engine_verify_password_finish (TEREN_SYNC_ENGINE (object), result, &error);

  if (self->checking == NULL)
    return;   /* disposed meanwhile */
  if (right)
    {
      TerenStore *store = teren_sync_engine_get_store (TEREN_SYNC_ENGINE (object));

      g_debug ("Password checked by the server");
      /* The server's password may have changed: the local check follows it. */
      if (store != NULL && self->checking != NULL)
        teren_lock_verifier_save_async (store, self->checking, NULL, on_verifier_saved_cb, NULL);
      check_done (self, TRUE, NULL);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED))
    return;
  g_debug ("The server did not confirm the password (code %d)", error->code);
  if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_BAD_CREDENTIALS))
    wrong_password (self);
  else if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_RATE_LIMITED) ||
           g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_DEVICE_REVOKED) ||
           g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_FORBIDDEN))
    check_done (self, FALSE, error->message);
  else
    /* Offline, or the server cannot answer: the check kept on this computer decides. */
    check_locally (self);
}

void
teren_lock_screen_submit (TerenLockScreen *self)
{
  const char *password;
  gint64 elapsed_s;
  guint wait;

  g_return_if_fail (TEREN_IS_LOCK_SCREEN (self));

  if (!self->locked || self->checking != NULL)
    return;
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (password[0] == '\0')
    {
      set_message (self, _("Enter your password."));
      return;
    }
  wait = retry_wait (self);
  elapsed_s = (g_get_monotonic_time () - self->last_failure) / G_USEC_PER_SEC;
  if (wait > 0 && elapsed_s < wait)
    {
      guint left = wait - (guint) elapsed_s;
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Too many wrong passwords. Try again in %u second.",
                                                               "Too many wrong passwords. Try again in %u seconds.",
                                                               left),
                                                  left);

      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      set_message (self, message);
      return;
    }

  self->checking = g_strdup (password);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  set_message (self, NULL);
  teren_sync_engine_verify_password_async (self->engine, self->checking, self->cancellable,
                                           on_verified_cb, g_object_ref (self));
}

static void
on_password_activated_cb (TerenLockScreen *self)
{
  teren_lock_screen_submit (self);
}

static void
on_unlock_clicked_cb (TerenLockScreen *self)
{
  teren_lock_screen_submit (self);
}

/* ---- Keys while locked ------------------------------------------------------------ */

/* Nothing typed reaches the covered content: the focus goes back to the password. */
static gboolean
on_window_key_cb (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  TerenLockScreen       *self)
{
  GtkWidget *focus;

  if (!self->locked || self->window == NULL)
    return GDK_EVENT_PROPAGATE;
  focus = gtk_root_get_focus (GTK_ROOT (self->window));
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->lock_page)))
    return GDK_EVENT_PROPAGATE;
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  return GDK_EVENT_STOP;
}

/* The window's own shortcuts (new person, search, sync…) do not run while locked. */
static gboolean
on_lock_page_key_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     TerenLockScreen       *self)
{
  if (self->locked && (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return GDK_EVENT_STOP;
  return GDK_EVENT_PROPAGATE;
}

static void
lock_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  teren_lock_screen_lock (TEREN_LOCK_SCREEN (user_data));
}

static void
on_delay_changed_cb (GSettings       *settings,
                     const char      *key,
                     TerenLockScreen *self)
{
  teren_lock_screen_set_delay (self, 60 * g_settings_get_uint (settings, SETTINGS_KEY));
}

/* Signing in or out changes whether there is a password to ask. */
static void
on_username_cb (TerenLockScreen *self)
{
  update_action (self);
  arm_timer (self);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
teren_lock_screen_dispose (GObject *object)
{
  TerenLockScreen *self = TEREN_LOCK_SCREEN (object);

  screens = g_list_remove (screens, self);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  forget_password (self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->lock_action);
  if (self->hidden != NULL)
    g_ptr_array_set_size (self->hidden, 0);
  g_weak_ref_set (&self->focus, NULL);
  self->window = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_LOCK_SCREEN);

  G_OBJECT_CLASS (teren_lock_screen_parent_class)->dispose (object);
}

static void
teren_lock_screen_finalize (GObject *object)
{
  TerenLockScreen *self = TEREN_LOCK_SCREEN (object);

  g_clear_pointer (&self->hidden, g_ptr_array_unref);
  g_weak_ref_clear (&self->focus);
  g_free (self->title);

  G_OBJECT_CLASS (teren_lock_screen_parent_class)->finalize (object);
}

static void
teren_lock_screen_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TerenLockScreen *self = TEREN_LOCK_SCREEN (object);

  switch (prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_lock_screen_class_init (TerenLockScreenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_lock_screen_dispose;
  object_class->finalize = teren_lock_screen_finalize;
  object_class->get_property = teren_lock_screen_get_property;

  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-lock-screen.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenLockScreen, lock_page);
  gtk_widget_class_bind_template_child (widget_class, TerenLockScreen, message_label);
  gtk_widget_class_bind_template_child (widget_class, TerenLockScreen, password_row);
  gtk_widget_class_bind_template_child (widget_class, TerenLockScreen, spinner);
  gtk_widget_class_bind_template_child (widget_class, TerenLockScreen, stack);
  gtk_widget_class_bind_template_child (widget_class, TerenLockScreen, status_page);
  gtk_widget_class_bind_template_child (widget_class, TerenLockScreen, unlock_button);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_clicked_cb);
}

static void
teren_lock_screen_init (TerenLockScreen *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->hidden = g_ptr_array_new_with_free_func (g_object_unref);
  g_weak_ref_init (&self->focus, NULL);
  self->retry_delay = DEFAULT_RETRY_DELAY_S;

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_lock_page_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->lock_page), controller);

  self->lock_action = g_simple_action_new ("lock", NULL);
  g_signal_connect_object (self->lock_action, "activate", G_CALLBACK (lock_action_cb), self, 0);
  g_simple_action_set_enabled (self->lock_action, FALSE);
}

/* ---- Public API ------------------------------------------------------------------- */

TerenLockScreen *
teren_lock_screen_attach (AdwApplicationWindow *window)
{
  TerenLockScreen *self;
  g_autoptr(GtkWidget) content = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GtkEventController *controller;

  g_return_val_if_fail (ADW_IS_APPLICATION_WINDOW (window), NULL);

  ensure_watching ();
  self = g_object_new (TEREN_TYPE_LOCK_SCREEN, NULL);
  self->window = GTK_WINDOW (window);
  screens = g_list_prepend (screens, self);

  content = adw_application_window_get_content (window);
  if (content != NULL)
    {
      g_object_ref (content);
      adw_application_window_set_content (window, NULL);
      gtk_stack_add_named (self->stack, content, "content");
      gtk_stack_set_visible_child_name (self->stack, "content");
    }
  adw_application_window_set_content (window, GTK_WIDGET (self));
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (self->lock_action));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_window_key_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, SETTINGS_KEY))
    {
      self->settings = g_settings_new (APP_ID);
      g_signal_connect (self->settings, "changed::" SETTINGS_KEY, G_CALLBACK (on_delay_changed_cb), self);
      self->delay = 60 * g_settings_get_uint (self->settings, SETTINGS_KEY);
    }
  return self;
}

void
teren_lock_screen_set_engine (TerenLockScreen *self,
                              TerenSyncEngine *engine)
{
  g_return_if_fail (TEREN_IS_LOCK_SCREEN (self));
  g_return_if_fail (engine == NULL || TEREN_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    g_signal_connect_object (engine, "notify::username", G_CALLBACK (on_username_cb), self,
                             G_CONNECT_SWAPPED);
  update_action (self);
  arm_timer (self);
}

gboolean
teren_lock_screen_get_locked (TerenLockScreen *self)
{
  g_return_val_if_fail (TEREN_IS_LOCK_SCREEN (self), FALSE);
  return self->locked;
}

void
teren_lock_screen_set_delay (TerenLockScreen *self,
                             guint            seconds)
{
  g_return_if_fail (TEREN_IS_LOCK_SCREEN (self));

  self->delay = seconds;
  arm_timer (self);
}

guint
teren_lock_screen_get_delay (TerenLockScreen *self)
{
  g_return_val_if_fail (TEREN_IS_LOCK_SCREEN (self), 0);
  return self->delay;
}

void
teren_lock_screen_set_retry_delay (TerenLockScreen *self,
                                   guint            seconds)
{
  g_return_if_fail (TEREN_IS_LOCK_SCREEN (self));
  self->retry_delay = seconds;
}

GtkEditable *
teren_lock_screen_get_password_row (TerenLockScreen *self)
{
  g_return_val_if_fail (TEREN_IS_LOCK_SCREEN (self), NULL);
  return GTK_EDITABLE (self->password_row);
}

const char *
teren_lock_screen_get_message (TerenLockScreen *self)
{
  g_return_val_if_fail (TEREN_IS_LOCK_SCREEN (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

gboolean
teren_lock_screen_get_busy (TerenLockScreen *self)
{
  g_return_val_if_fail (TEREN_IS_LOCK_SCREEN (self), FALSE);
  return self->checking != NULL;
}
