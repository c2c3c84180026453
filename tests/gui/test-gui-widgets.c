/* test-gui-widgets.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-field-row.h"
#include "teren-form.h"
#include "teren-gui-test-util.h"
#include "teren-record-page.h"
#include "teren-record-picker.h"
#include "teren-record-row.h"
#include "teren-window.h"

/* Lifecycle of every widget: new → present → drawn → destroyed → finalized. */

static void
present_and_destroy (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_lifecycle (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  TerenWindow *window = teren_window_new (NULL, store);

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (teren_window_get_store (window) == store);
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

static void
test_window_without_store_lifecycle (void)
{
  TerenWindow *window = teren_window_new (NULL, NULL);

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  /* No store yet: the list waits, it does not pretend to be empty. */
  g_assert_cmpstr (teren_window_get_content_page (window), ==, "loading");
  g_assert_null (teren_window_get_list_model (window));
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

static void
test_form_lifecycle (void)
{
  static const char * const kinds[] = { "person", "household", "household_member", "case" };
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      TerenForm *form = teren_form_new (store, kinds[i], "", NULL);

      g_object_ref_sink (form);
      g_assert_cmpstr (teren_form_get_kind (form), ==, kinds[i]);
      g_assert_nonnull (teren_form_get_draft_key (form));
      g_assert_false (teren_form_get_dirty (form));
      present_and_destroy (GTK_WIDGET (form));
      teren_gui_test_assert_finalize (form);
    }
}

static void
test_record_page_lifecycle (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  TerenRecordPage *page = teren_record_page_new (store, "00000000-0000-4000-8000-000000000000");

  g_object_ref_sink (page);
  present_and_destroy (GTK_WIDGET (page));
  teren_gui_test_assert_finalize (page);
}

static void
test_record_row_lifecycle (void)
{
  TerenRecordRow *row = teren_record_row_new ();
  g_autoptr(TerenRecord) record = teren_record_new ("person", "", "test");

  g_object_ref_sink (row);
  teren_record_set_string (record, "last_name", "Maria & Ion <b>");
  teren_record_set_string (record, "first_name", "Ana");
  teren_record_set_string (record, "birth_date", "1985-03-12");
  teren_record_row_set_record (row, record);
  /* User text is shown as typed, never as markup. */
  g_assert_cmpstr (teren_record_row_get_title (row), ==, "Maria & Ion <b> Ana");
  g_assert_nonnull (strstr (teren_record_row_get_detail (row), "12.03.1985"));
  present_and_destroy (GTK_WIDGET (row));
  teren_record_row_set_record (row, NULL);
  teren_gui_test_assert_finalize (row);
}

static void
test_field_row_lifecycle (void)
{
  static const char * const keys[] = {
    "last_name", "cnp", "cnp_status", "birth_date", "phone", "disability_type", "notes",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      TerenFieldRow *row = teren_field_row_new ("person", keys[i]);
      GtkWidget *list = gtk_list_box_new ();

      g_object_ref_sink (row);
      g_assert_nonnull (teren_field_row_get_field (row));
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (row));
      present_and_destroy (list);
      teren_gui_test_assert_finalize (row);
    }
}

static void
test_field_row_values (void)
{
  TerenFieldRow *row;
  g_autoptr(JsonNode) node = NULL;

  /* A date typed the Romanian way is stored as ISO. */
  row = g_object_ref_sink (teren_field_row_new ("person", "birth_date"));
  gtk_editable_set_text (teren_field_row_get_editable (row), "12.03.1985");
  node = teren_field_row_get_value (row);
  g_assert_cmpstr (json_node_get_string (node), ==, "1985-03-12");
  g_clear_pointer (&node, json_node_unref);
  /* Not a date: handed over as typed, so validation can say why. */
  gtk_editable_set_text (teren_field_row_get_editable (row), "31.02.1985");
  node = teren_field_row_get_value (row);
  g_assert_cmpstr (json_node_get_string (node), ==, "31.02.1985");
  g_clear_pointer (&node, json_node_unref);
  teren_field_row_set_string (row, "2001-12-01");
  g_assert_cmpstr (gtk_editable_get_text (teren_field_row_get_editable (row)), ==, "01.12.2001");
  g_assert_finalize_object (row);

  /* Choices hold codes; nothing chosen is NULL. */
  row = g_object_ref_sink (teren_field_row_new ("person", "sex"));
  g_assert_null (teren_field_row_get_value (row));
  teren_field_row_set_string (row, "F");
  node = teren_field_row_get_value (row);
  g_assert_cmpstr (json_node_get_string (node), ==, "F");
  g_clear_pointer (&node, json_node_unref);
  teren_field_row_set_string (row, "no-such-code");
  g_assert_null (teren_field_row_get_value (row));
  g_assert_finalize_object (row);

  /* The CNP editor cannot take more than a CNP typed with separators. */
  row = g_object_ref_sink (teren_field_row_new ("person", "cnp"));
  gtk_editable_set_text (teren_field_row_get_editable (row), "1234567890123456789012345");
  g_assert_cmpint (strlen (gtk_editable_get_text (teren_field_row_get_editable (row))), <=, 17);
  /* Messages: error style and back. */
  teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_ERROR, "Greșit");
  g_assert_cmpint (teren_field_row_get_message_kind (row), ==, TEREN_FIELD_MESSAGE_ERROR);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (teren_field_row_get_editable (row)), "error"));
  teren_field_row_set_message (row, TEREN_FIELD_MESSAGE_NONE, NULL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (teren_field_row_get_editable (row)), "error"));
  g_assert_null (teren_field_row_get_message (row));
  g_assert_finalize_object (row);

  /* Multi-choice: an array of codes. */
  row = g_object_ref_sink (teren_field_row_new ("person", "disability_type"));
  node = json_from_string ("[\"" "visual" "\"]", NULL);
  teren_field_row_set_value (row, node);
  g_clear_pointer (&node, json_node_unref);
  node = teren_field_row_get_value (row);
  if (teren_nomenclature_has_code (teren_nomenclature_lookup ("disability_type"), "visual"))
    {
      g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
      g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==, "visual");
    }
  g_clear_pointer (&node, json_node_unref);
  g_assert_finalize_object (row);
}

static void
test_record_picker_lifecycle (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  TerenRecordPicker *picker = teren_record_picker_new (store, "person");

  g_object_ref (picker);
  gtk_window_present (GTK_WINDOW (picker));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (picker));
  gtk_window_destroy (GTK_WINDOW (picker));
  teren_gui_test_assert_finalize (picker);
}

/* The window size is saved in GSettings when the window closes, and used by the next. */
static void
test_window_size_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("ro.daps.Teren");
  TerenWindow *window;
  int width = 0, height = 0;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  window = g_object_ref (teren_window_new (NULL, NULL));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  gtk_window_set_default_size (GTK_WINDOW (window), 820, 600);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  teren_gui_test_assert_finalize (window);
}

int
main (int   argc,
      char *argv[])
{
  teren_gui_test_init (&argc, &argv);

  g_test_add_func ("/teren/gui/lifecycle/window", test_window_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/window-without-store", test_window_without_store_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/form", test_form_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/record-page", test_record_page_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/record-row", test_record_row_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/field-row", test_field_row_lifecycle);
  g_test_add_func ("/teren/gui/lifecycle/record-picker", test_record_picker_lifecycle);
  g_test_add_func ("/teren/gui/field-row/values", test_field_row_values);
  g_test_add_func ("/teren/gui/window/size-saved", test_window_size_saved);

  return g_test_run ();
}
