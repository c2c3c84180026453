/* test-docs-gui.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "teren-gui-test-util.h"
#include "teren-official-documents.h"
#include "teren-print.h"
#include "teren-record-page.h"

/* The record page offers Print… and Save as PDF… for records that have an official
 * document and not for others; the GtkPrintOperation the page runs draws the same pages
 * (exported to PDF here and read back with pdftotext). */

static char *
save (TerenStore *store,
      const char *kind,
      const char *line,
      const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;

  g_assert_nonnull (node);
  record = teren_store_save (store, kind, line, NULL, json_node_get_object (node), NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (teren_record_get_id (record));
}

static char *
save_signal (TerenStore *store)
{
  return save (store, "child.signal", "child",
               "{\"date\":\"2026-03-01\",\"registration_number\":\"77/2026\",\"source\":\"neighbour\","
               "\"reporter_name\":\"Gică Țurcanu\",\"description\":\"Copilul rămâne singur acasă.\"}");
}

static GtkWidget *
find_print_button (GtkWidget *widget)
{
  GtkWidget *child;

  if (GTK_IS_MENU_BUTTON (widget)
      && g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)), "document-print-symbolic") == 0)
    return widget;
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_print_button (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
page_loaded (gpointer data)
{
  TerenRecordPage *page = data;

  return teren_record_page_get_record (page) != NULL && !teren_record_page_get_loading (page);
}

/* Shows the record page of @id; returns whether its print button is visible. */
static gboolean
print_offered (TerenStore *store,
               const char *id)
{
  GtkWidget *window = gtk_window_new ();
  TerenRecordPage *page = teren_record_page_new (store, id);
  GtkWidget *button;
  gboolean visible;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  teren_gui_test_wait_until (page_loaded, page, "the record page");
  button = find_print_button (GTK_WIDGET (page));
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (button)) == GTK_ACCESSIBLE_ROLE_BUTTON
                   ? "button" : "other", ==, "button");
  visible = gtk_widget_get_visible (button);
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_spin (50);
  return visible;
}

static void
test_print_offered (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autofree char *signal = save_signal (store);
  g_autofree char *person = save (store, "person", "",
                                  "{\"last_name\":\"Ștefănescu\",\"first_name\":\"Ana\",\"sex\":\"F\","
                                  "\"cnp_status\":\"missing\"}");

  g_assert_true (print_offered (store, signal));
  g_assert_false (print_offered (store, person));
}

static void
test_print_operation_pages (void)
{
  g_autoptr(TerenStore) store = teren_gui_test_store_new ();
  g_autofree char *signal = save_signal (store);
  g_autoptr(TerenDocument) document = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("teren-docs-gui-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (tmp, "signal.pdf", NULL);
  g_autofree char *text = NULL;
  const char *pdftotext = g_getenv ("TEREN_PDFTOTEXT");
  const char *argv[] = { pdftotext, "-layout", "-enc", "UTF-8", pdf, "-", NULL };
  int wait_status = 0;

  g_assert_nonnull (pdftotext);
  document = teren_official_document_build (store, "signal", signal, &error);
  g_assert_no_error (error);

  operation = teren_print_operation_new (document);
  gtk_print_operation_set_export_filename (operation, pdf);
  g_assert_cmpint (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error),
                   ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text, NULL, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
  g_assert_nonnull (strstr (text, "Signal form"));
  g_assert_nonnull (strstr (text, "77/2026"));
  g_assert_nonnull (strstr (text, "Gică Țurcanu"));
  g_assert_nonnull (strstr (text, "Copilul rămâne singur acasă."));
  g_assert_nonnull (strstr (text, "Page 1 of 1"));

  g_remove (pdf);
  g_rmdir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  teren_gui_test_init (&argc, &argv);

  g_test_add_func ("/teren/gui/docs/print-offered", test_print_offered);
  g_test_add_func ("/teren/gui/docs/print-operation-pages", test_print_operation_pages);

  return g_test_run ();
}
