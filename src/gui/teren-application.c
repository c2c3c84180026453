/* teren-application.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-application.h"
#include "teren-gui.h"
#include "teren-window.h"

struct _TerenApplication
{
  AdwApplication  parent_instance;

  TerenStore     *store;
  GError         *open_error;
  GCancellable   *cancellable;
  char           *data_dir;
  guint           opening : 1;
};

G_DEFINE_FINAL_TYPE (TerenApplication, teren_application, ADW_TYPE_APPLICATION)

static void
give_store_to_windows (TerenApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  GList *l;

  for (l = windows; l != NULL; l = l->next)
    {
      if (!TEREN_IS_WINDOW (l->data))
        continue;
      if (self->store != NULL && teren_window_get_store (l->data) == NULL)
        teren_window_set_store (l->data, self->store);
      else if (self->open_error != NULL)
        teren_window_show_error (l->data, self->open_error);
    }
}

static void
on_store_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TerenApplication) self = user_data;

  self->opening = FALSE;
  self->store = teren_store_open_finish (result, &self->open_error);
  if (self->store == NULL)
    g_message ("Could not open the store: %s", self->open_error->message);
  give_store_to_windows (self);
  g_application_release (G_APPLICATION (self));
}

static void
teren_application_activate (GApplication *application)
{
  TerenApplication *self = TEREN_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (teren_window_new (ADW_APPLICATION (self), self->store));

  /* The window shows at once; the store arrives when the worker has opened it. */
  if (self->store == NULL && !self->opening && self->open_error == NULL)
    {
      if (self->data_dir == NULL)
        self->data_dir = teren_store_default_dir ("local");
      self->opening = TRUE;
      g_application_hold (application);
      teren_store_open_async (self->data_dir, self->cancellable, on_store_opened_cb,
                              g_object_ref (self));
    }
  else if (self->open_error != NULL)
    give_store_to_windows (self);

  gtk_window_present (window);
}

static int
teren_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  TerenApplication *self = TEREN_APPLICATION (application);
  const char *data_dir = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("teren %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "data-dir", "^&ay", &data_dir))
    {
      g_free (self->data_dir);
      self->data_dir = g_canonicalize_filename (data_dir, NULL);
      /* Another data directory is another instance: do not hand over to a running one. */
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Close the windows the normal way so they save their size. */
  while (windows != NULL)
    {
      GList *next = windows->next;
      gtk_window_close (windows->data);
      windows = next;
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  static const char *developers[] = { "The Teren authors", NULL };
  GtkApplication *application = GTK_APPLICATION (user_data);

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", _("Teren"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Teren authors"),
                         "developers", developers,
                         "comments", _("Offline case records for social-assistance field work"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: put your names here */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
};

static void
teren_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (teren_application_parent_class)->startup (application);

  teren_gui_init ();
  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
}

static void
teren_application_shutdown (GApplication *application)
{
  TerenApplication *self = TEREN_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (teren_application_parent_class)->shutdown (application);
}

static void
teren_application_finalize (GObject *object)
{
  TerenApplication *self = (TerenApplication *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->open_error);
  g_clear_pointer (&self->data_dir, g_free);

  G_OBJECT_CLASS (teren_application_parent_class)->finalize (object);
}

static void
teren_application_class_init (TerenApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = teren_application_finalize;
  app_class->activate = teren_application_activate;
  app_class->startup = teren_application_startup;
  app_class->shutdown = teren_application_shutdown;
  app_class->handle_local_options = teren_application_handle_local_options;
}

static void
teren_application_init (TerenApplication *self)
{
  static const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Folder of the local database (default: the user's data folder)"), N_("DIR") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };

  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

TerenApplication *
teren_application_new (void)
{
  return g_object_new (TEREN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/ro/daps/Teren",
                       NULL);
}

const char *
teren_application_get_data_dir (TerenApplication *self)
{
  g_return_val_if_fail (TEREN_IS_APPLICATION (self), NULL);
  return self->data_dir;
}

TerenStore *
teren_application_get_store (TerenApplication *self)
{
  g_return_val_if_fail (TEREN_IS_APPLICATION (self), NULL);
  return self->store;
}
