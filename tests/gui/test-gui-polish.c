/* test-gui-polish.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preferences window (each row changes its GSettings key and follows it), the About
 * window and the application's actions and shortcuts for them (issue 7).
 */

#include "config.h"

#include "teren-application.h"
#include "teren-gui-test-util.h"
#include "teren-preferences-window.h"

static void
test_preferences_bound (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  TerenPreferencesWindow *window;
  g_autofree char *server = NULL;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;

  g_settings_set_string (settings, "server-url", "https://vechi.example.ro");
  g_settings_set_uint (settings, "sync-interval", 5);
  g_settings_set_uint (settings, "auto-lock-delay", 10);
  g_settings_set_string (settings, "directorate-logo", "");

  window = teren_preferences_window_new (NULL, settings);
  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* The rows show the settings. */
  g_assert_cmpstr (gtk_editable_get_text (teren_preferences_window_get_server_row (window)), ==,
                   "https://vechi.example.ro");
  g_assert_cmpint ((int) gtk_spin_button_get_value (teren_preferences_window_get_sync_spin (window)), ==, 5);
  g_assert_cmpint ((int) gtk_spin_button_get_value (teren_preferences_window_get_lock_spin (window)), ==, 10);
  g_assert_cmpstr (teren_preferences_window_get_logo_description (window), ==, "None");

  /* Editing a row changes its key. */
  gtk_editable_set_text (teren_preferences_window_get_server_row (window), "https://teren.example.ro");
  server = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (server, ==, "https://teren.example.ro");
  gtk_spin_button_set_value (teren_preferences_window_get_sync_spin (window), 30);
  g_assert_cmpuint (g_settings_get_uint (settings, "sync-interval"), ==, 30);
  gtk_spin_button_set_value (teren_preferences_window_get_lock_spin (window), 3);
  g_assert_cmpuint (g_settings_get_uint (settings, "auto-lock-delay"), ==, 3);
  gtk_editable_set_text (teren_preferences_window_get_name_row (window),
                         "Direcția de Asistență și Protecție Socială Iași");
  name = g_settings_get_string (settings, "directorate-name");
  g_assert_cmpstr (name, ==, "Direcția de Asistență și Protecție Socială Iași");
  gtk_editable_set_text (teren_preferences_window_get_address_row (window), "Str. Sf. Ștefan 2 & 4");
  address = g_settings_get_string (settings, "directorate-address");
  g_assert_cmpstr (address, ==, "Str. Sf. Ștefan 2 & 4");

  /* The spin buttons keep to the keys' ranges. */
  gtk_spin_button_set_value (teren_preferences_window_get_sync_spin (window), 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "sync-interval"), ==, 1);

  /* A change made elsewhere shows in the window. */
  g_settings_set_string (settings, "server-url", "https://alt.example.ro");
  g_assert_cmpstr (gtk_editable_get_text (teren_preferences_window_get_server_row (window)), ==,
                   "https://alt.example.ro");
  g_settings_set_string (settings, "directorate-logo", "/srv/sigle/stemă & logo.png");
  g_assert_cmpstr (teren_preferences_window_get_logo_description (window), ==, "stemă & logo.png");
  g_settings_set_string (settings, "directorate-logo", "");
  g_assert_cmpstr (teren_preferences_window_get_logo_description (window), ==, "None");

  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);

  /* After the window is gone, changing the settings touches nothing freed. */
  g_settings_set_string (settings, "directorate-logo", "/tmp/x.png");
  g_settings_reset (settings, "directorate-logo");
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "sync-interval");
  g_settings_reset (settings, "auto-lock-delay");
  g_settings_reset (settings, "directorate-name");
  g_settings_reset (settings, "directorate-address");
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();
  guint i;

  g_object_ref (toplevels);
  for (i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static TerenApplication *
new_registered_application (void)
{
  static guint n;
  g_autoptr(GError) error = NULL;
  TerenApplication *app = teren_application_new ();
  g_autofree char *id = g_strdup_printf ("ro.daps.Teren.PolishTest%u", ++n);

  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return app;
}

static void
test_about_window (void)
{
  g_autoptr(TerenApplication) app = new_registered_application ();
  GtkWindow *about;
  const char * const *developers;

  g_assert_null (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (about));

  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Teren");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  developers = adw_about_window_get_developers (ADW_ABOUT_WINDOW (about));
  g_assert_nonnull (developers);
  g_assert_nonnull (developers[0]);
  /* Untranslated (English), the credits are the msgid itself. */
  g_assert_cmpstr (adw_about_window_get_translator_credits (ADW_ABOUT_WINDOW (about)), ==,
                   "translator-credits");

  gtk_window_destroy (about);
}

static void
test_preferences_action (void)
{
  g_autoptr(TerenApplication) app = new_registered_application ();
  g_auto(GStrv) accels = NULL;
  GtkWindow *window;

  /* Ctrl+comma opens the preferences; the shortcut is also in the shortcuts window. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control>comma");

  g_assert_null (find_toplevel (TEREN_TYPE_PREFERENCES_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  window = find_toplevel (TEREN_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_destroy (window);
}

/* The menu and the shortcuts window list the new actions. */
static void
test_menu_and_shortcuts (void)
{
  g_autoptr(GBytes) menu = g_resources_lookup_data ("/ro/daps/Teren/ui/teren-window.ui", 0, NULL);
  g_autoptr(GBytes) overlay = g_resources_lookup_data ("/ro/daps/Teren/gtk/help-overlay.ui", 0, NULL);

  g_assert_nonnull (menu);
  g_assert_nonnull (overlay);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (menu, NULL), g_bytes_get_size (menu), "app.preferences"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (menu, NULL), g_bytes_get_size (menu), "app.about"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (overlay, NULL), g_bytes_get_size (overlay),
                                  "&lt;Control&gt;comma"));
}

int
main (int   argc,
      char *argv[])
{
  teren_gui_test_init (&argc, &argv);

  g_test_add_func ("/teren/gui/preferences/bound-to-settings", test_preferences_bound);
  g_test_add_func ("/teren/gui/preferences/action-and-shortcut", test_preferences_action);
  g_test_add_func ("/teren/gui/about/window", test_about_window);
  g_test_add_func ("/teren/gui/polish/menu-and-shortcuts", test_menu_and_shortcuts);

  return g_test_run ();
}
