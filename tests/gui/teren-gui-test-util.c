/* teren-gui-test-util.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-cnp.h"
#include "teren-date.h"
#include "teren-gui-test-util.h"
#include "teren-gui.h"

void
teren_gui_test_init (int    *argc,
                     char ***argv)
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_auto(GStrv) system_dirs = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) mime_dirs = NULL;
  guint i;

  /* Isolated dirs hide the shared MIME database from the tests, and GdkPixbuf needs it
   * to recognise the SVG icons in GTK's resources: keep the system's for GIO. (Read from
   * the environment: g_get_system_data_dirs() would cache a list that g_test_init then
   * replaces.) */
  system_dirs = g_strsplit (data_dirs != NULL && *data_dirs != '\0' ? data_dirs
                                                                     : "/usr/local/share:/usr/share",
                            ":", -1);
  for (i = 0; system_dirs[i] != NULL; i++)
    {
      g_autofree char *dir = NULL;

      if (*system_dirs[i] == '\0')
        continue;
      dir = g_build_filename (system_dirs[i], "mime", NULL);
      g_strv_builder_add (builder, dir);
    }
  mime_dirs = g_strv_builder_end (builder);

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_content_type_set_mime_dirs ((const char * const *)mime_dirs);
  gtk_init ();
  adw_init ();
  teren_gui_init ();
}

static void
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
}

void
teren_gui_test_wait_until (TerenTestCondition  condition,
                           gpointer            data,
                           const char         *what)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_once (TEREN_TEST_WAIT_MS, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (source);
  if (timed_out && !condition (data))
    g_error ("Gave up waiting for %s", what);
}

void
teren_gui_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

#define SYSTEM_SCHEMA_DIR "/usr/share/glib-2.0/schemas"

gboolean
teren_gui_test_add_system_schemas (void)
{
  const char *dir = g_getenv ("GSETTINGS_SCHEMA_DIR");
  g_autofree char *dirs = NULL;

  if (!g_file_test (SYSTEM_SCHEMA_DIR "/org.gtk.gtk4.Settings.FileChooser.gschema.xml", G_FILE_TEST_EXISTS))
    return FALSE;
  dirs = dir != NULL && *dir != '\0' ? g_strconcat (dir, G_SEARCHPATH_SEPARATOR_S, SYSTEM_SCHEMA_DIR, NULL)
                                      : g_strdup (SYSTEM_SCHEMA_DIR);
  g_setenv ("GSETTINGS_SCHEMA_DIR", dirs, TRUE);
  return TRUE;
}

TerenStore *
teren_gui_test_store_new (void)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("teren-test-%u", ++counter);
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  TerenStore *store = teren_store_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static gboolean
only_ref (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

void
teren_gui_test_assert_finalize (gpointer object)
{
  teren_gui_test_wait_until (only_ref, object, "the last reference");
  g_assert_finalize_object (object);
}

char *
teren_gui_test_cnp (const char *first12)
{
  return g_strdup_printf ("%s%c", first12, teren_cnp_check_digit (first12));
}

char *
teren_gui_test_iso_days_from_today (int days)
{
  GDate date;
  char text[16];

  teren_date_today (&date);
  if (days > 0)
    g_date_add_days (&date, days);
  else if (days < 0)
    g_date_subtract_days (&date, -days);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &date);
  return g_strdup (text);
}

TerenRecord *
teren_gui_test_save_record (TerenStore *store,
                            const char *kind,
                            const char *line,
                            JsonObject *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) field_errors = NULL;
  TerenRecord *record = teren_store_save (store, kind, line, NULL, fields, NULL, &field_errors, &error);

  if (field_errors != NULL && field_errors->len > 0)
    g_error ("%s: %s", kind, ((TerenFieldError *) g_ptr_array_index (field_errors, 0))->message);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

GtkWidget *
teren_gui_test_find_descendant (GtkWidget *widget,
                                GType      type,
                                gboolean   visible_only)
{
  GtkWidget *child;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (!visible_only || gtk_widget_get_visible (widget)))
    return widget;
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (visible_only && !gtk_widget_get_visible (child))
        continue;
      found = teren_gui_test_find_descendant (child, type, visible_only);
      if (found != NULL)
        return found;
    }
  return NULL;
}

TerenWindow *
teren_gui_test_window_new (TerenStore *store)
{
  TerenWindow *window = g_object_ref (teren_window_new (NULL, store));

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

/* ---- The keyboard ---------------------------------------------------------------------- */

GtkWidget *
teren_gui_test_focus (GtkWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

void
teren_gui_test_tab_to (GtkWindow *window,
                       GtkWidget *target)
{
  guint i;

  g_assert_nonnull (target);
  for (i = 0; i < 1000; i++)
    {
      GtkWidget *focus = teren_gui_test_focus (window);

      if (focus != NULL && (focus == target || gtk_widget_is_ancestor (focus, target)))
        return;
      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
    }
  g_assert_not_reached ();
}

void
teren_gui_test_tab_to_field (GtkWindow  *window,
                             TerenForm  *form,
                             const char *key)
{
  TerenFieldRow *row = teren_form_get_field (form, key);

  g_assert_nonnull (row);
  teren_gui_test_tab_to (window, GTK_WIDGET (row));
}

void
teren_gui_test_type_text (GtkWindow  *window,
                          const char *text)
{
  GtkWidget *focus = teren_gui_test_focus (window);
  int position;

  g_assert_true (GTK_IS_EDITABLE (focus));
  position = gtk_editable_get_position (GTK_EDITABLE (focus));
  gtk_editable_insert_text (GTK_EDITABLE (focus), text, -1, &position);
  gtk_editable_set_position (GTK_EDITABLE (focus), position);
}

void
teren_gui_test_press_enter (GtkWindow *window)
{
  GtkWidget *focus = teren_gui_test_focus (window);

  g_assert_nonnull (focus);
  /* In a list box, Enter is the list's "activate-cursor-row" key binding. */
  if (GTK_IS_LIST_BOX_ROW (focus))
    {
      GtkWidget *box = gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX);

      g_assert_nonnull (box);
      g_signal_emit_by_name (box, "row-activated", focus);
      return;
    }
  /* In a text entry, Enter emits its "activate". */
  if (GTK_IS_TEXT (focus))
    {
      g_signal_emit_by_name (focus, "activate");
      return;
    }
  g_assert_true (gtk_widget_activate (focus));
}

static gboolean
popover_open (gpointer data)
{
  GtkWidget *popover = teren_gui_test_find_descendant (data, GTK_TYPE_POPOVER, TRUE);

  return popover != NULL && gtk_widget_get_mapped (popover);
}

void
teren_gui_test_choose_option (GtkWindow  *window,
                              TerenForm  *form,
                              const char *key,
                              guint       position)
{
  TerenFieldRow *row = teren_form_get_field (form, key);
  GtkWidget *list;

  teren_gui_test_tab_to_field (window, form, key);
  teren_gui_test_press_enter (window);
  teren_gui_test_wait_until (popover_open, row, "the list of choices");
  list = teren_gui_test_find_descendant (teren_gui_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_POPOVER, TRUE),
                                         GTK_TYPE_LIST_VIEW, FALSE);
  g_assert_nonnull (list);
  /* Down arrows move the selection of the list, Enter takes it. */
  gtk_selection_model_select_item (gtk_list_view_get_model (GTK_LIST_VIEW (list)), position, TRUE);
  g_signal_emit_by_name (list, "activate", position);
}

void
teren_gui_test_tick_first (GtkWindow  *window,
                           TerenForm  *form,
                           const char *key)
{
  TerenFieldRow *row = teren_form_get_field (form, key);
  GtkWidget *focus;
  guint i;

  teren_gui_test_tab_to_field (window, form, key);
  teren_gui_test_press_enter (window);
  for (i = 0; i < 10; i++)
    {
      focus = teren_gui_test_focus (window);
      if (GTK_IS_CHECK_BUTTON (focus) && gtk_widget_is_ancestor (focus, GTK_WIDGET (row)))
        break;
      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
    }
  focus = teren_gui_test_focus (window);
  g_assert_true (GTK_IS_CHECK_BUTTON (focus));
  g_assert_true (gtk_widget_activate (focus));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (focus)));
}

/* ---- Forms in the window --------------------------------------------------------------- */

static void
on_saved_cb (TerenForm   *form,
             TerenRecord *record,
             char       **out_id)
{
  g_free (*out_id);
  *out_id = g_strdup (teren_record_get_id (record));
}

static gboolean
string_is_set (gpointer data)
{
  return *(char **) data != NULL;
}

char *
teren_gui_test_save_form (TerenForm *form)
{
  char *id = NULL;
  /* The window drops the form once saved. */
  g_autoptr(TerenForm) hold = g_object_ref (form);
  gulong handler = g_signal_connect (form, "saved", G_CALLBACK (on_saved_cb), &id);

  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  teren_gui_test_wait_until (string_is_set, &id, "the form to be saved");
  g_signal_handler_disconnect (hold, handler);
  return id;
}

static gboolean
no_form (gpointer data)
{
  return teren_window_get_form (data) == NULL;
}

void
teren_gui_test_wait_form_gone (TerenWindow *window)
{
  teren_gui_test_wait_until (no_form, window, "the form to close");
}

/* ---- Asynchronous calls and the server ------------------------------------------------- */

void
teren_gui_test_waiter_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      data)
{
  TerenTestWaiter *waiter = data;

  waiter->result = g_object_ref (result);
}

static gboolean
waiter_done (gpointer data)
{
  return ((TerenTestWaiter *) data)->result != NULL;
}

void
teren_gui_test_waiter_wait (TerenTestWaiter *waiter,
                            const char      *what)
{
  teren_gui_test_wait_until (waiter_done, waiter, what);
}

void
teren_gui_test_login (TerenSyncEngine *engine,
                      const char      *url,
                      const char      *user,
                      const char      *password,
                      const char      *data_dir)
{
  TerenTestWaiter waiter = { NULL };
  g_autoptr(GError) error = NULL;

  teren_sync_engine_login_async (engine, url, user, password, data_dir, NULL, teren_gui_test_waiter_cb, &waiter);
  teren_gui_test_waiter_wait (&waiter, "the login");
  g_assert_true (teren_sync_engine_login_finish (engine, waiter.result, &error));
  g_assert_no_error (error);
  g_clear_object (&waiter.result);
}

void
teren_gui_test_sync_round (TerenSyncEngine *engine)
{
  TerenTestWaiter waiter = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;

  teren_sync_engine_sync_async (engine, NULL, teren_gui_test_waiter_cb, &waiter);
  teren_gui_test_waiter_wait (&waiter, "a sync round");
  summary = teren_sync_engine_sync_finish (engine, waiter.result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  g_clear_object (&waiter.result);
}

gboolean
teren_gui_test_have_server (void)
{
  const char *bin = g_getenv ("TEREN_SERVER_BIN");

  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("TEREN_SERVER_BIN is not a built teren-server");
      return FALSE;
    }
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no D-Bus session (run under build-aux/test-session.sh)");
      return FALSE;
    }
  return TRUE;
}
