/* teren-preferences-window.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-preferences-window.h"
#include "teren-sync-engine.h"
#include "teren-window.h"

struct _TerenPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwEntryRow          *address_row;
  GtkButton            *ca_choose_button;
  GtkButton            *ca_clear_button;
  AdwActionRow         *ca_row;
  AdwActionRow         *disk_row;
  GtkImage             *disk_warning_icon;
  GtkSpinButton        *canteen_meal_spin;
  GtkSpinButton        *canteen_threshold_spin;
  GtkSpinButton        *lock_spin;
  GtkButton            *logo_choose_button;
  GtkButton            *logo_clear_button;
  AdwActionRow         *logo_row;
  AdwEntryRow          *name_row;
  AdwEntryRow          *server_row;
  GtkSpinButton        *sync_spin;

  GSettings            *settings;
  GtkFileChooserNative *chooser;   /* (nullable) while a file chooser is open */
  GCancellable         *disk_cancellable;  /* the disk encryption check under way */
};

G_DEFINE_FINAL_TYPE (TerenPreferencesWindow, teren_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
update_logo_row (TerenPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "directorate-logo");
  g_autofree char *name = NULL;

  if (*path == '\0')
    {
      adw_action_row_set_subtitle (self->logo_row, _("None"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->logo_clear_button), FALSE);
      return;
    }
  name = g_filename_display_basename (path);
  adw_action_row_set_subtitle (self->logo_row, name);
  gtk_widget_set_sensitive (GTK_WIDGET (self->logo_clear_button), TRUE);
}

static void
update_ca_row (TerenPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "ca-file");
  g_autofree char *name = NULL;

  if (*path == '\0')
    {
      adw_action_row_set_subtitle (self->ca_row, _("System certificates"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->ca_clear_button), FALSE);
      return;
    }
  name = g_filename_display_basename (path);
  adw_action_row_set_subtitle (self->ca_row, name);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ca_clear_button), TRUE);
}

/* The row's subtitle and accessible description say it in words; a disk that is not
 * encrypted also gets the warning icon (never colour alone). */
static void
show_disk_encryption (TerenPreferencesWindow *self,
                      TerenDiskEncryption     verdict,
                      gboolean                checking)
{
  const char *text;

  if (checking)
    text = _("Checking…");
  else if (verdict == TEREN_DISK_ENCRYPTED)
    text = _("The disk that holds Teren’s records is encrypted.");
  else if (verdict == TEREN_DISK_NOT_ENCRYPTED)
    text = _("Not encrypted: anyone who takes this laptop can read the records on its disk. "
             "Ask the IT department to turn on disk encryption (LUKS).");
  else
    text = _("Teren could not tell whether this disk is encrypted.");

  adw_action_row_set_subtitle (self->disk_row, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->disk_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->disk_warning_icon),
                          !checking && verdict == TEREN_DISK_NOT_ENCRYPTED);
}

static void
disk_checked_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TerenPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  TerenDiskEncryption verdict = teren_disk_encryption_check_finish (result, &error);

  /* Cancelled in dispose: @self is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->disk_cancellable);
  show_disk_encryption (self, verdict, FALSE);
}

/* The data folder of the store the window in front shows; with none open yet, the user's
 * data folder, where a new store is made. */
static char *
data_dir_of (GtkWindow *parent)
{
  if (parent != NULL && TEREN_IS_WINDOW (parent))
    {
      TerenStore *store = teren_window_get_store (TEREN_WINDOW (parent));
      TerenSyncEngine *engine = teren_window_get_engine (TEREN_WINDOW (parent));

      if (store == NULL && engine != NULL)
        store = teren_sync_engine_get_store (engine);
      if (store != NULL)
        return g_strdup (teren_store_get_data_dir (store));
    }
  return g_strdup (g_get_user_data_dir ());
}

static void
check_disk (TerenPreferencesWindow *self,
            const char             *dir)
{
  if (self->disk_cancellable != NULL)
    g_cancellable_cancel (self->disk_cancellable);
  g_clear_object (&self->disk_cancellable);
  self->disk_cancellable = g_cancellable_new ();
  show_disk_encryption (self, TEREN_DISK_ENCRYPTION_UNKNOWN, TRUE);
  teren_disk_encryption_check_async (dir, self->disk_cancellable, disk_checked_cb, self);
}

static void
settings_changed (GSettings              *settings,
                  const char             *key,
                  TerenPreferencesWindow *self)
{
  if (g_strcmp0 (key, "directorate-logo") == 0)
    update_logo_row (self);
  else if (g_strcmp0 (key, "ca-file") == 0)
    update_ca_row (self);
}

/* One file chooser at a time; its answer is written to the GSettings key it was opened
 * for ("directorate-logo", "ca-file"). */
static void
chooser_response (GtkNativeDialog        *chooser,
                  int                     response,
                  TerenPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (chooser), "settings-key");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, key, path);
    }
  gtk_native_dialog_destroy (chooser);
  /* A native dialog is not a toplevel: drop our reference (Text Editor ebbe28c). */
  g_clear_object (&self->chooser);
}

static void
choose_file_for_key (TerenPreferencesWindow *self,
                     const char             *key,
                     const char             *title,
                     GtkFileFilter          *filter)
{
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Choose"), _("_Cancel"));
  g_object_set_data (G_OBJECT (self->chooser), "settings-key", (gpointer) key);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
choose_logo (GtkButton              *button,
             TerenPreferencesWindow *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Images"));
  /* The formats the printed header can draw (and gtk_file_filter_add_pixbuf_formats
   * leaks on GTK 4.8). */
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/svg+xml");
  choose_file_for_key (self, "directorate-logo", _("Choose the Directorate’s Logo"), filter);
}

/* The municipal certificate authority's PEM file, for a server whose certificate it
 * signed (the sync engine's ca-file). */
static void
choose_ca_file (GtkButton              *button,
                TerenPreferencesWindow *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_mime_type (filter, "application/x-pem-file");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  choose_file_for_key (self, "ca-file", _("Choose the Certificate Authority File"), filter);
}

static void
clear_ca_file (GtkButton              *button,
               TerenPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "ca-file", "");
}

static void
clear_logo (GtkButton              *button,
            TerenPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "directorate-logo", "");
}

static void
teren_preferences_window_dispose (GObject *object)
{
  TerenPreferencesWindow *self = TEREN_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->disk_cancellable != NULL)
    g_cancellable_cancel (self->disk_cancellable);
  g_clear_object (&self->disk_cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEREN_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (teren_preferences_window_parent_class)->dispose (object);
}

static void
teren_preferences_window_class_init (TerenPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, ca_choose_button);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, ca_row);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, canteen_meal_spin);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, disk_row);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, disk_warning_icon);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, canteen_threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, lock_spin);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, logo_choose_button);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, logo_clear_button);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, logo_row);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, TerenPreferencesWindow, sync_spin);
  gtk_widget_class_bind_template_callback (widget_class, choose_ca_file);
  gtk_widget_class_bind_template_callback (widget_class, choose_logo);
  gtk_widget_class_bind_template_callback (widget_class, clear_ca_file);
  gtk_widget_class_bind_template_callback (widget_class, clear_logo);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
teren_preferences_window_init (TerenPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TerenPreferencesWindow *
teren_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  TerenPreferencesWindow *self;
  g_autofree char *data_dir = data_dir_of (parent);

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TEREN_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "server-url", self->server_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sync-interval", self->sync_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "directorate-name", self->name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "directorate-address", self->address_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "auto-lock-delay", self->lock_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "canteen-threshold", self->canteen_threshold_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "canteen-meal-cost", self->canteen_meal_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect (settings, "changed", G_CALLBACK (settings_changed), self);
  update_logo_row (self);
  update_ca_row (self);
  check_disk (self, data_dir);

  return self;
}

GtkEditable *
teren_preferences_window_get_server_row (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), NULL);
  return GTK_EDITABLE (self->server_row);
}

GtkSpinButton *
teren_preferences_window_get_sync_spin (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), NULL);
  return self->sync_spin;
}

GtkEditable *
teren_preferences_window_get_name_row (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), NULL);
  return GTK_EDITABLE (self->name_row);
}

GtkEditable *
teren_preferences_window_get_address_row (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), NULL);
  return GTK_EDITABLE (self->address_row);
}

GtkSpinButton *
teren_preferences_window_get_lock_spin (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), NULL);
  return self->lock_spin;
}

const char *
teren_preferences_window_get_logo_description (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (self->logo_row);
}

const char *
teren_preferences_window_get_ca_description (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (self->ca_row);
}

GtkButton *
teren_preferences_window_get_ca_clear_button (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), NULL);
  return self->ca_clear_button;
}

const char *
teren_preferences_window_get_disk_description (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (self->disk_row);
}

gboolean
teren_preferences_window_get_disk_warning_shown (TerenPreferencesWindow *self)
{
  g_return_val_if_fail (TEREN_IS_PREFERENCES_WINDOW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->disk_warning_icon));
}

void
teren_preferences_window_check_disk (TerenPreferencesWindow *self,
                                     const char             *dir)
{
  g_return_if_fail (TEREN_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (dir != NULL);
  check_disk (self, dir);
}

void
teren_preferences_window_show_disk_encryption (TerenPreferencesWindow *self,
                                               TerenDiskEncryption     verdict)
{
  g_return_if_fail (TEREN_IS_PREFERENCES_WINDOW (self));
  if (self->disk_cancellable != NULL)
    g_cancellable_cancel (self->disk_cancellable);
  g_clear_object (&self->disk_cancellable);
  show_disk_encryption (self, verdict, FALSE);
}
