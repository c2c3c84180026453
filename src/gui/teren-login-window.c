/* teren-login-window.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-lock-verifier.h"
#include "teren-login-window.h"

struct _TerenLoginWindow
{
  AdwWindow            parent_instance;

  /* Template widgets */
  GtkLabel            *certificate_label;
  GtkWidget           *certificate_box;
  GtkButton           *login_button;
  GtkWidget           *message_box;
  GtkLabel            *message_label;
  AdwPasswordEntryRow *password_row;
  AdwEntryRow         *server_row;
  GtkSpinner          *spinner;
  AdwEntryRow         *user_row;

  /* Owned */
  TerenSyncEngine     *engine;
  GCancellable        *cancellable;
  char                *data_dir;
  char                *message;
  char                *certificate;
  guint                busy : 1;
  guint                fixed : 1;
};

enum {
  LOGGED_IN,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenLoginWindow, teren_login_window, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static void
mark_invalid (GtkWidget *row,
              gboolean   invalid)
{
  if (invalid)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
show_message (TerenLoginWindow *self,
              const char       *message,
              const char       *certificate)
{
  g_free (self->message);
  self->message = g_strdup (message);
  g_free (self->certificate);
  self->certificate = g_strdup (certificate);

  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->message_box, message != NULL);
  gtk_label_set_text (self->certificate_label, certificate != NULL ? certificate : "");
  gtk_widget_set_visible (self->certificate_box, certificate != NULL);
}

static void
set_busy (TerenLoginWindow *self,
          gboolean          busy)
{
  self->busy = !!busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), !busy);
  /* Not insensitive: that would take the focus away from the field being typed in. */
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !busy && !self->fixed);
  gtk_editable_set_editable (GTK_EDITABLE (self->user_row), !busy && !self->fixed);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
}

static const char *
insecure_message (void)
{
  return _("Use an address that starts with https://. An http:// address is only allowed for "
           "a server on this computer (localhost).");
}

static void
on_login_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TerenLoginWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *message = NULL;
  g_autofree char *owned = NULL;
  const char *certificate = NULL;

  if (teren_sync_engine_login_finish (TEREN_SYNC_ENGINE (object), result, &error))
    {
      TerenStore *store = teren_sync_engine_get_store (TEREN_SYNC_ENGINE (object));

      set_busy (self, FALSE);
      /* Only a slow salted hash of the password is kept, for the lock screen offline. */
      if (store != NULL)
        teren_lock_verifier_save_async (store, gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                        NULL, NULL, NULL);
      /* The password is not kept anywhere, not even in the entry. */
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      g_signal_emit (self, signals[LOGGED_IN], 0);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  g_debug ("Login failed (code %d)", error->domain == TEREN_SYNC_ERROR ? error->code : -1);

  if (error->domain == TEREN_SYNC_ERROR)
    switch ((TerenSyncError)error->code)
      {
      case TEREN_SYNC_ERROR_INSECURE_URL:
        message = insecure_message ();
        mark_invalid (GTK_WIDGET (self->server_row), TRUE);
        break;
      case TEREN_SYNC_ERROR_TLS:
        message = _("The server’s certificate was not accepted, so nothing was sent. Ask the IT "
                    "person to check the certificate below.");
        certificate = error->message;
        mark_invalid (GTK_WIDGET (self->server_row), TRUE);
        break;
      case TEREN_SYNC_ERROR_NETWORK:
        message = _("Cannot reach the server. Check the address and the network connection.");
        break;
      case TEREN_SYNC_ERROR_TIMEOUT:
        message = _("The server did not answer in time. Try again in a few minutes.");
        break;
      case TEREN_SYNC_ERROR_BAD_CREDENTIALS:
      case TEREN_SYNC_ERROR_UNAUTHORIZED:
        message = _("Wrong user name or password.");
        mark_invalid (GTK_WIDGET (self->password_row), TRUE);
        break;
      case TEREN_SYNC_ERROR_RATE_LIMITED:
        message = _("Too many failed attempts. Wait a few minutes, then try again.");
        break;
      case TEREN_SYNC_ERROR_FORBIDDEN:
      case TEREN_SYNC_ERROR_DEVICE_REVOKED:
        message = _("This account may not log in from this laptop. Ask the IT person.");
        break;
      case TEREN_SYNC_ERROR_UNSUPPORTED_VERSION:
        message = _("The server is older than this version of Teren. Ask the IT person to update it.");
        break;
      case TEREN_SYNC_ERROR_STORE:
        message = _("The data on this laptop could not be opened; nothing was changed.");
        break;
      case TEREN_SYNC_ERROR_SERVER:
      case TEREN_SYNC_ERROR_PROTOCOL:
        message = _("The server could not log you in right now. Try again later.");
        break;
      case TEREN_SYNC_ERROR_FAILED:
      case TEREN_SYNC_ERROR_NOT_LOGGED_IN:
      case TEREN_SYNC_ERROR_BUSY:
      case TEREN_SYNC_ERROR_CANCELLED:
      default:
        break;
      }

  if (message == NULL)
    {
      /* Translators: %s is a technical reason, shown as is */
      owned = g_strdup_printf (_("Could not log in: %s"), error->message);
      message = owned;
    }
  show_message (self, message, certificate);
}

static void
login_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  teren_login_window_submit (TEREN_LOGIN_WINDOW (widget));
}

static void
on_row_changed_cb (TerenLoginWindow *self,
                   GtkWidget        *row)
{
  mark_invalid (row, FALSE);
}

static void
on_entry_activated_cb (TerenLoginWindow *self)
{
  teren_login_window_submit (self);
}

static void
teren_login_window_dispose (GObject *object)
{
  TerenLoginWindow *self = (TerenLoginWindow *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_LOGIN_WINDOW);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (teren_login_window_parent_class)->dispose (object);
}

static void
teren_login_window_finalize (GObject *object)
{
  TerenLoginWindow *self = (TerenLoginWindow *)object;

  g_free (self->data_dir);
  g_free (self->message);
  g_free (self->certificate);

  G_OBJECT_CLASS (teren_login_window_parent_class)->finalize (object);
}

static void
teren_login_window_class_init (TerenLoginWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_login_window_dispose;
  object_class->finalize = teren_login_window_finalize;

  signals[LOGGED_IN] = g_signal_new ("logged-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-login-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenLoginWindow, certificate_box);
  gtk_widget_class_bind_template_child (widget_class, TerenLoginWindow, certificate_label);
  gtk_widget_class_bind_template_child (widget_class, TerenLoginWindow, login_button);
  gtk_widget_class_bind_template_child (widget_class, TerenLoginWindow, message_box);
  gtk_widget_class_bind_template_child (widget_class, TerenLoginWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TerenLoginWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, TerenLoginWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, TerenLoginWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, TerenLoginWindow, user_row);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_changed_cb);

  gtk_widget_class_install_action (widget_class, "login.submit", NULL, login_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
teren_login_window_init (TerenLoginWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  set_busy (self, FALSE);
  show_message (self, NULL, NULL);
}

TerenLoginWindow *
teren_login_window_new (GtkWindow       *parent,
                        TerenSyncEngine *engine,
                        const char      *data_dir,
                        const char      *server_url,
                        const char      *username)
{
  TerenLoginWindow *self;

  g_return_val_if_fail (TEREN_IS_SYNC_ENGINE (engine), NULL);

  self = g_object_new (TEREN_TYPE_LOGIN_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->engine = g_object_ref (engine);
  self->data_dir = g_strdup (data_dir);
  if (server_url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);
  if (username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->user_row), username);

  if (server_url == NULL || *server_url == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (username == NULL || *username == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  return self;
}

TerenSyncEngine *
teren_login_window_get_engine (TerenLoginWindow *self)
{
  g_return_val_if_fail (TEREN_IS_LOGIN_WINDOW (self), NULL);
  return self->engine;
}

void
teren_login_window_set_account_fixed (TerenLoginWindow *self,
                                      gboolean          fixed)
{
  g_return_if_fail (TEREN_IS_LOGIN_WINDOW (self));

  self->fixed = !!fixed;
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !fixed);
  gtk_editable_set_editable (GTK_EDITABLE (self->user_row), !fixed);
  if (fixed)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

GtkEditable *
teren_login_window_get_server_row (TerenLoginWindow *self)
{
  g_return_val_if_fail (TEREN_IS_LOGIN_WINDOW (self), NULL);
  return GTK_EDITABLE (self->server_row);
}

GtkEditable *
teren_login_window_get_user_row (TerenLoginWindow *self)
{
  g_return_val_if_fail (TEREN_IS_LOGIN_WINDOW (self), NULL);
  return GTK_EDITABLE (self->user_row);
}

GtkEditable *
teren_login_window_get_password_row (TerenLoginWindow *self)
{
  g_return_val_if_fail (TEREN_IS_LOGIN_WINDOW (self), NULL);
  return GTK_EDITABLE (self->password_row);
}

const char *
teren_login_window_get_message (TerenLoginWindow *self)
{
  g_return_val_if_fail (TEREN_IS_LOGIN_WINDOW (self), NULL);
  return self->message;
}

const char *
teren_login_window_get_certificate (TerenLoginWindow *self)
{
  g_return_val_if_fail (TEREN_IS_LOGIN_WINDOW (self), NULL);
  return self->certificate;
}

gboolean
teren_login_window_get_busy (TerenLoginWindow *self)
{
  g_return_val_if_fail (TEREN_IS_LOGIN_WINDOW (self), FALSE);
  return self->busy;
}

void
teren_login_window_submit (TerenLoginWindow *self)
{
  const char *server;
  const char *user;
  const char *password;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TEREN_IS_LOGIN_WINDOW (self));

  if (self->busy)
    return;

  server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (*server == '\0' || *user == '\0' || *password == '\0')
    {
      GtkWidget *empty = *server == '\0' ? GTK_WIDGET (self->server_row)
                         : *user == '\0' ? GTK_WIDGET (self->user_row)
                         : GTK_WIDGET (self->password_row);

      mark_invalid (empty, TRUE);
      gtk_widget_grab_focus (empty);
      show_message (self, _("Fill in the server address, the user name and the password."), NULL);
      return;
    }

  /* Refused before anything is sent: no password over plain http to another machine. */
  url = teren_sync_normalize_url (server, &error);
  if (url == NULL)
    {
      mark_invalid (GTK_WIDGET (self->server_row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      show_message (self, insecure_message (), NULL);
      return;
    }

  show_message (self, NULL, NULL);
  set_busy (self, TRUE);
  teren_sync_engine_login_async (self->engine, url, user, password, self->data_dir,
                                 self->cancellable, on_login_cb, g_object_ref (self));
}
