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

#include <glib/gstdio.h>

#include "teren-application.h"
#include "teren-csv.h"
#include "teren-export.h"
#include "teren-gui-test-util.h"
#include "teren-preferences-window.h"
#include "teren-report-page.h"
#include "teren-window.h"

#define UTF8_BOM "\xEF\xBB\xBF"

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

#define DISK_CHECKING      "Checking…"
#define DISK_ENCRYPTED     "The disk that holds Teren’s records is encrypted."
#define DISK_NOT_ENCRYPTED "Not encrypted: anyone who takes this laptop can read the records on its disk. " \
                           "Ask the IT department to turn on disk encryption (LUKS)."
#define DISK_UNKNOWN       "Teren could not tell whether this disk is encrypted."

static gboolean
disk_checked (gpointer data)
{
  return g_strcmp0 (teren_preferences_window_get_disk_description (data), DISK_CHECKING) != 0;
}

static const char *
disk_text (TerenDiskEncryption verdict)
{
  switch (verdict)
    {
    case TEREN_DISK_ENCRYPTED:
      return DISK_ENCRYPTED;
    case TEREN_DISK_NOT_ENCRYPTED:
      return DISK_NOT_ENCRYPTED;
    case TEREN_DISK_ENCRYPTION_UNKNOWN:
    default:
      return DISK_UNKNOWN;
    }
}

/* Security → Disk encryption: "Checking…" while the worker looks, then the verdict for the
 * data folder of the store in front, in words (and the warning icon when not encrypted). */
static void
test_preferences_disk_encryption (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (teren_store_get_data_dir (store), "no-such-folder", NULL);
  TerenDiskEncryption expected;
  TerenPreferencesWindow *window;
  TerenWindow *main_window;
  const char *text;

  expected = teren_disk_encryption_check (teren_store_get_data_dir (store), NULL, NULL, &error);
  g_assert_no_error (error);

  main_window = g_object_ref (teren_window_new (NULL, store));
  gtk_window_present (GTK_WINDOW (main_window));
  window = g_object_ref (teren_preferences_window_new (GTK_WINDOW (main_window), settings));
  gtk_window_present (GTK_WINDOW (window));
  teren_gui_test_wait_until (disk_checked, window, "the disk encryption check");

  /* This machine's verdict for the store's folder, whatever its disk. */
  text = teren_preferences_window_get_disk_description (window);
  g_assert_nonnull (text);
  g_assert_cmpstr (text, !=, "");
  g_assert_cmpstr (text, ==, disk_text (expected));
  g_assert_true (teren_preferences_window_get_disk_warning_shown (window) ==
                 (expected == TEREN_DISK_NOT_ENCRYPTED));

  /* Each verdict in words; the icon only beside the warning. */
  teren_preferences_window_show_disk_encryption (window, TEREN_DISK_ENCRYPTED);
  g_assert_cmpstr (teren_preferences_window_get_disk_description (window), ==, DISK_ENCRYPTED);
  g_assert_false (teren_preferences_window_get_disk_warning_shown (window));
  teren_preferences_window_show_disk_encryption (window, TEREN_DISK_NOT_ENCRYPTED);
  g_assert_cmpstr (teren_preferences_window_get_disk_description (window), ==, DISK_NOT_ENCRYPTED);
  g_assert_true (teren_preferences_window_get_disk_warning_shown (window));
  teren_preferences_window_show_disk_encryption (window, TEREN_DISK_ENCRYPTION_UNKNOWN);
  g_assert_cmpstr (teren_preferences_window_get_disk_description (window), ==, DISK_UNKNOWN);
  g_assert_false (teren_preferences_window_get_disk_warning_shown (window));

  /* A folder that is not there: unknown, no warning. */
  teren_preferences_window_check_disk (window, missing);
  g_assert_cmpstr (teren_preferences_window_get_disk_description (window), ==, DISK_CHECKING);
  teren_gui_test_wait_until (disk_checked, window, "the check of a missing folder");
  g_assert_cmpstr (teren_preferences_window_get_disk_description (window), ==, DISK_UNKNOWN);
  g_assert_false (teren_preferences_window_get_disk_warning_shown (window));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* Closed while the check runs: the late answer touches nothing freed. */
  teren_preferences_window_check_disk (window, teren_store_get_data_dir (store));
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
  teren_gui_test_spin (50);

  /* Without a store in front: the user's data folder. */
  window = g_object_ref (teren_preferences_window_new (NULL, settings));
  teren_gui_test_wait_until (disk_checked, window, "the check of the user's data folder");
  g_assert_cmpstr (teren_preferences_window_get_disk_description (window), !=, "");
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);

  gtk_window_destroy (GTK_WINDOW (main_window));
  teren_gui_test_assert_finalize (main_window);
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

#define DISK_LOG_MESSAGE "The disk holding Teren's data is not encrypted: turn on disk encryption (LUKS)"

static void
count_disk_message (const char     *domain,
                    GLogLevelFlags  level,
                    const char     *message,
                    gpointer        user_data)
{
  guint *count = user_data;

  if (g_strcmp0 (message, DISK_LOG_MESSAGE) == 0)
    (*count)++;
  else
    g_log_default_handler (domain, level, message, NULL);
}

static gboolean
disk_message_logged (gpointer data)
{
  return *(guint *) data > 0;
}

static gboolean
application_has_store (gpointer data)
{
  TerenWindow *window = TEREN_WINDOW (find_toplevel (TEREN_TYPE_WINDOW));

  return window != NULL && teren_window_get_store (window) != NULL;
}

/* At start the application logs once, without a path, when the disk of its store is not
 * encrypted (for the IT person reading the journal); not when it is, or cannot be told. */
static void
test_disk_encryption_logged (void)
{
  g_autofree char *dir = teren_store_default_dir ("local");
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(TerenApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  TerenDiskEncryption expected;
  guint count = 0;
  guint handler;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no D-Bus session (run under build-aux/test-session.sh)");
      return;
    }
  /* A store of no account yet: the application opens it as it is. */
  store = teren_store_open (dir, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  expected = teren_disk_encryption_check (dir, NULL, NULL, &error);
  g_assert_no_error (error);

  handler = g_log_set_handler ("teren-gui", G_LOG_LEVEL_MESSAGE, count_disk_message, &count);
  app = new_registered_application ();
  g_application_activate (G_APPLICATION (app));
  teren_gui_test_wait_until (application_has_store, NULL, "the store opened by the application");
  if (expected == TEREN_DISK_NOT_ENCRYPTED)
    teren_gui_test_wait_until (disk_message_logged, &count, "the message on the disk");
  else
    teren_gui_test_spin (200);
  /* Opening the window again says nothing more. */
  g_application_activate (G_APPLICATION (app));
  teren_gui_test_spin (100);
  g_assert_cmpuint (count, ==, expected == TEREN_DISK_NOT_ENCRYPTED ? 1 : 0);
  g_log_remove_handler ("teren-gui", handler);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  teren_gui_test_spin (100);
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

static char *
save_person (TerenStore *store,
             const char *last_name,
             const char *first_name)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (fields, "cnp_status", "missing");
  json_object_set_string_member (fields, "last_name", last_name);
  json_object_set_string_member (fields, "first_name", first_name);
  json_object_set_string_member (fields, "sex", "F");
  json_object_set_string_member (fields, "birth_date", "1980-02-03");
  record = teren_store_save (store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (teren_record_get_id (record));
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
on_written_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

/* Writes the store's persons as the registry list does, and returns the file's bytes. */
static char *
export_persons (TerenStore       *store,
                GPtrArray        *ids,
                TerenTableFormat  format,
                char              separator,
                gsize            *length)
{
  static const char * const kinds[] = { "person", "household", NULL };
  g_autofree char *dir = g_dir_make_tmp ("teren-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "registru.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  Wait wait = { NULL };
  char *contents = NULL;

  teren_export_write_async (store, NULL, teren_export_collect_records,
                            teren_export_records_data_new (ids, kinds),
                            teren_export_records_data_free, file, format, separator,
                            NULL, on_written_cb, &wait);
  teren_gui_test_wait_until (has_result, &wait, "the export");
  g_assert_true (teren_export_write_finish (wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  /* Personal data: the file is the user's only. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  g_remove (path);
  g_rmdir (dir);
  return contents;
}

static void
test_export_csv_parses_back (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TerenCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) header = NULL, first = NULL, second = NULL, end = NULL;
  g_autofree char *csv = NULL;
  gsize length = 0;
  int last_name, title;

  g_ptr_array_add (ids, save_person (store, "Ștefănescu", "Ana; Maria"));
  g_ptr_array_add (ids, save_person (store, "=Țepeș", "Ion"));
  /* An id that is not (or no longer) in the store is left out. */
  g_ptr_array_add (ids, g_strdup ("no-such-id"));

  csv = export_persons (store, ids, TEREN_TABLE_CSV, ';', &length);
  g_assert_true (length > 3 && memcmp (csv, UTF8_BOM, 3) == 0);

  reader = teren_csv_reader_new (csv, length, 0);
  g_assert_true (teren_csv_reader_next_row (reader, &header, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (teren_csv_reader_get_separator (reader), ==, ';');
  g_assert_cmpstr (header[0], ==, "id");
  g_assert_cmpstr (header[1], ==, "kind");
  g_assert_cmpstr (header[2], ==, "title");
  for (last_name = 0; header[last_name] != NULL && g_strcmp0 (header[last_name], "last_name") != 0; last_name++)
    ;
  g_assert_nonnull (header[last_name]);
  title = 2;

  g_assert_true (teren_csv_reader_next_row (reader, &first, NULL, &error));
  g_assert_cmpstr (first[0], ==, g_ptr_array_index (ids, 0));
  g_assert_cmpstr (first[1], ==, "person");
  g_assert_cmpstr (first[last_name], ==, "Ștefănescu");
  g_assert_nonnull (strstr (first[title], "Ana; Maria"));
  g_assert_true (teren_csv_reader_next_row (reader, &second, NULL, &error));
  g_assert_cmpstr (second[0], ==, g_ptr_array_index (ids, 1));
  /* A spreadsheet does not run it as a formula. */
  g_assert_cmpstr (second[last_name], ==, "'=Țepeș");
  g_assert_false (teren_csv_reader_next_row (reader, &end, NULL, &error));
  g_assert_no_error (error);
}

static void
test_export_json (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gsize length = 0;
  JsonArray *array;
  JsonObject *row;

  g_ptr_array_add (ids, save_person (store, "Ștefănescu", "Ana"));
  json = export_persons (store, ids, TEREN_TABLE_JSON, ',', &length);
  json_parser_load_from_data (parser, json, length, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  row = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "id"), ==, g_ptr_array_index (ids, 0));
  g_assert_cmpstr (json_object_get_string_member (row, "last_name"), ==, "Ștefănescu");
  g_assert_cmpstr (json_object_get_string_member (row, "birth_date"), ==, "1980-02-03");
}

/* GTK's own file chooser (no portal in the tests) reads its settings schema. */
static gboolean have_file_chooser_schema;

static gboolean
list_has_two (gpointer data)
{
  GListModel *model = teren_window_get_list_model (data);

  return model != NULL && g_list_model_get_n_items (model) == 2;
}

static gboolean
file_chooser_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static void
collect_dropdowns (GtkWidget *widget,
                   GPtrArray *into)
{
  GtkWidget *child;

  if (GTK_IS_DROP_DOWN (widget) && gtk_drop_down_get_model (GTK_DROP_DOWN (widget)) != NULL &&
      g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (widget))) == 2)
    g_ptr_array_add (into, widget);
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_dropdowns (child, into);
}

static gboolean
file_written (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* The whole path from the menu item: Export List… asks where (the file chooser GTK uses
 * without a portal), with ';' chosen the file is a CSV with a BOM of the persons listed. */
static void
run_export_list_chooser (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autofree char *ana = save_person (store, "Ștefănescu", "Ana");
  g_autofree char *ion = save_person (store, "Țepeș", "Ion");
  g_autofree char *dir = g_dir_make_tmp ("teren-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "registru.csv", NULL);
  g_autofree char *cwd = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenCsvReader) reader = NULL;
  g_auto(GStrv) header = NULL, row = NULL;
  g_autofree char *csv = NULL;
  gsize length = 0;
  TerenWindow *window;
  GtkWindow *chooser;
  GPtrArray *dropdowns;

  window = teren_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  teren_gui_test_wait_until (list_has_two, window, "the two persons listed");

  /* The chooser opens in the current folder: the test's own. */
  cwd = g_get_current_dir ();
  g_assert_cmpint (g_chdir (dir), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-list", NULL);
  teren_gui_test_wait_until (file_chooser_shown, NULL, "the file chooser");
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format"), ==, "csv");
  g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "separator"), ==, "comma");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "registru.csv");
  /* As the user does: the second choice (the separator) set to its second option. The
   * chooser's own file-type drop-down has no items here. */
  dropdowns = g_ptr_array_new ();
  collect_dropdowns (GTK_WIDGET (chooser), dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 2);
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 1), 1);
  g_ptr_array_unref (dropdowns);
  g_assert_cmpstr (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "separator"), ==, "semicolon");
  /* The chooser ignores Save until it has loaded its folder: let it. */
  teren_gui_test_spin (500);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  teren_gui_test_wait_until (file_written, path, "the exported file");
  g_assert_cmpint (g_chdir (cwd), ==, 0);

  g_file_get_contents (path, &csv, &length, &error);
  g_assert_no_error (error);
  g_assert_true (length > 3 && memcmp (csv, UTF8_BOM, 3) == 0);
  reader = teren_csv_reader_new (csv, length, 0);
  g_assert_true (teren_csv_reader_next_row (reader, &header, NULL, &error));
  g_assert_cmpint (teren_csv_reader_get_separator (reader), ==, ';');
  g_assert_cmpstr (header[0], ==, "id");
  g_assert_true (teren_csv_reader_next_row (reader, &row, NULL, &error));
  g_assert_true (g_strcmp0 (row[0], ana) == 0 || g_strcmp0 (row[0], ion) == 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (path);
  g_rmdir (dir);
}

static gboolean
report_ready (gpointer data)
{
  return !teren_report_page_get_loading (data) && teren_report_page_get_n_rows (data) > 0;
}

static void
on_report_exported_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

/* The monthly report with ',' chosen: a CSV with a BOM, ',' between cells. */
static void
test_export_report_comma (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autofree char *dir = g_dir_make_tmp ("teren-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "raport.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenCsvReader) reader = NULL;
  g_auto(GStrv) header = NULL;
  g_autofree char *csv = NULL;
  gsize length = 0;
  Wait wait = { NULL };
  GtkWidget *window = gtk_window_new ();
  TerenReportPage *page = teren_report_page_new (store);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  teren_report_page_set_line (page, "elderly");
  teren_report_page_set_month (page, "2025-01");
  teren_gui_test_wait_until (report_ready, page, "the report");

  teren_report_page_export_async (page, file, "csv-comma", NULL, on_report_exported_cb, &wait);
  teren_gui_test_wait_until (has_result, &wait, "the report's file");
  g_assert_true (teren_report_page_export_finish (page, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  g_file_get_contents (path, &csv, &length, &error);
  g_assert_no_error (error);
  g_assert_true (length > 3 && memcmp (csv, UTF8_BOM, 3) == 0);
  reader = teren_csv_reader_new (csv, length, 0);
  g_assert_true (teren_csv_reader_next_row (reader, &header, NULL, &error));
  g_assert_cmpint (teren_csv_reader_get_separator (reader), ==, ',');
  g_assert_cmpstr (header[0], ==, "line");

  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (path);
  g_rmdir (dir);
}

static gboolean
logo_set (gpointer data)
{
  g_autofree char *logo = g_settings_get_string (data, "directorate-logo");

  return *logo != '\0';
}

static gboolean
chooser_open (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

/* The logo is chosen with the file chooser (GTK's own in the tests) and its path saved. */
static void
run_logo_chooser (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *dir = g_dir_make_tmp ("teren-logo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "siglă.png", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *cwd = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  TerenPreferencesWindow *window;
  GtkWindow *chooser;
  GtkWidget *button;

  g_file_set_contents (path, "\x89PNG\r\n\x1a\n", 8, &error);
  g_assert_no_error (error);
  g_settings_reset (settings, "directorate-logo");

  window = teren_preferences_window_new (NULL, settings);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), TEREN_TYPE_PREFERENCES_WINDOW,
                                                      "logo_choose_button"));
  g_assert_nonnull (button);
  /* The chooser opens in the current folder: the logo's. */
  cwd = g_get_current_dir ();
  g_assert_cmpint (g_chdir (dir), ==, 0);
  g_signal_emit_by_name (button, "clicked");
  teren_gui_test_wait_until (chooser_open, NULL, "the logo chooser");
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  /* The chooser selects and opens only once it has loaded its folder: let it. */
  teren_gui_test_spin (500);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  teren_gui_test_spin (500);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  teren_gui_test_wait_until (logo_set, settings, "the logo saved");
  g_assert_cmpint (g_chdir (cwd), ==, 0);

  saved = g_settings_get_string (settings, "directorate-logo");
  g_assert_cmpstr (saved, ==, path);
  g_assert_cmpstr (teren_preferences_window_get_logo_description (window), ==, "siglă.png");

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "directorate-logo");
  g_remove (path);
  g_rmdir (dir);
}

static gboolean
recent_has_export (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (data, &contents, NULL, NULL) && strstr (contents, "registru.csv") != NULL;
}

/* The two uses of GTK's file chooser in one test: the chooser records the files in the
 * recent files of the folders of the test that first used it, and writes them later. */
static void
test_file_choosers (void)
{
  g_autofree char *recent = NULL;

  if (!have_file_chooser_schema)
    {
      g_test_skip ("GTK's file chooser schema is not installed");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  recent = g_build_filename (g_get_user_data_dir (), "recently-used.xbel", NULL);

  run_logo_chooser ();
  run_export_list_chooser ();
  teren_gui_test_wait_until (recent_has_export, recent, "the recent files saved");
}

/* A line's cases as listed: the ids given, in their order, with the person's title. */
static void
test_export_line_cases (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenTable) table = NULL;
  g_autofree char *person = save_person (store, "Ștefănescu", "Ana");
  gpointer data;

  json_object_set_string_member (fields, "person", person);
  json_object_set_string_member (fields, "number", "D-17/2025");
  json_object_set_string_member (fields, "opened_on", "2025-01-10");
  json_object_set_string_member (fields, "status", "open");
  json_object_set_string_member (fields, "case_manager", "ana.worker");
  record = teren_store_save (store, "case", "elderly", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (ids, g_strdup ("not-listed"));
  g_ptr_array_add (ids, g_strdup (teren_record_get_id (record)));

  data = teren_export_line_cases_data_new ("elderly", NULL, ids);
  table = teren_export_collect_line_cases (store, data, &error);
  teren_export_line_cases_data_free (data);
  g_assert_no_error (error);
  g_assert_cmpuint (teren_table_get_n_rows (table), ==, 1);
  g_assert_cmpstr (teren_table_get_cell (table, 0, 0), ==, teren_record_get_id (record));
  g_assert_cmpstr (teren_table_get_cell (table, 0, 1), ==, "D-17/2025");
  g_assert_cmpstr (teren_table_get_cell (table, 0, 2), ==, person);
  g_assert_nonnull (strstr (teren_table_get_cell (table, 0, 3), "Ștefănescu"));
  g_assert_cmpstr (teren_table_get_cell (table, 0, 4), ==, "open");
  g_assert_cmpstr (teren_table_get_cell (table, 0, 5), ==, "ana.worker");
  g_assert_cmpstr (teren_table_get_cell (table, 0, 6), ==, "2025-01-10");
  g_assert_cmpstr (teren_table_get_cell (table, 0, 7), ==, "");
}

/* The Due list as shown: headers skipped, persons by title. */
static void
test_export_due_table (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_due_item_free);
  g_autoptr(GHashTable) persons = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TerenTable) table = NULL;
  TerenDueItem *item = g_new0 (TerenDueItem, 1);

  item->rule = g_strdup ("child.court_hearing");
  item->title = g_strdup ("Court hearing");
  item->record_id = g_strdup ("r1");
  item->kind = g_strdup ("child.court_request");
  item->line = g_strdup ("child");
  item->person_id = g_strdup ("p1");
  item->worker = g_strdup ("ana");
  item->due = g_strdup ("2026-03-12");
  item->bucket = TEREN_DUE_OVERDUE;
  g_ptr_array_add (items, NULL);
  g_ptr_array_add (items, item);
  g_hash_table_insert (persons, (gpointer) "p1", (gpointer) "Ștefănescu Ana");

  table = teren_export_due_table (items, persons);
  g_assert_cmpuint (teren_table_get_n_rows (table), ==, 1);
  g_assert_cmpstr (teren_table_get_cell (table, 0, 0), ==, "2026-03-12");
  g_assert_cmpstr (teren_table_get_cell (table, 0, 1), ==, "Overdue");
  g_assert_cmpstr (teren_table_get_cell (table, 0, 2), ==, "Court hearing");
  g_assert_cmpstr (teren_table_get_cell (table, 0, 5), ==, "Ștefănescu Ana");
  g_assert_cmpstr (teren_table_get_cell (table, 0, 8), ==, "");
  g_assert_cmpstr (teren_table_get_cell (table, 0, 9), ==, "false");
}

int
main (int   argc,
      char *argv[])
{
  have_file_chooser_schema = teren_gui_test_add_system_schemas ();
  teren_gui_test_init (&argc, &argv);

  g_test_add_func ("/teren/gui/preferences/bound-to-settings", test_preferences_bound);
  g_test_add_func ("/teren/gui/preferences/action-and-shortcut", test_preferences_action);
  g_test_add_func ("/teren/gui/preferences/disk-encryption", test_preferences_disk_encryption);
  g_test_add_func ("/teren/gui/application/disk-encryption-logged", test_disk_encryption_logged);
  g_test_add_func ("/teren/gui/about/window", test_about_window);
  g_test_add_func ("/teren/gui/polish/menu-and-shortcuts", test_menu_and_shortcuts);
  g_test_add_func ("/teren/gui/export/csv-parses-back", test_export_csv_parses_back);
  g_test_add_func ("/teren/gui/export/json", test_export_json);
  g_test_add_func ("/teren/gui/export/due-table", test_export_due_table);
  g_test_add_func ("/teren/gui/export/line-cases", test_export_line_cases);
  g_test_add_func ("/teren/gui/file-chooser/logo-and-export-list", test_file_choosers);
  g_test_add_func ("/teren/gui/export/report-comma", test_export_report_comma);

  return g_test_run ();
}
