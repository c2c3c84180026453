/* test-gui-l10n.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "teren-field-row.h"
#include "teren-gui-test-util.h"
#include "teren-gui.h"
#include "teren-sync-indicator.h"
#include "teren-window.h"

/* The window in Romanian, from the catalogue built in <build>/po. */

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  GtkWidget *child;

  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

static void
test_romanian_window (void)
{
  TerenWindow *window = teren_gui_test_window_new (NULL);

  g_assert_true (has_label (GTK_WIDGET (window), "Registru"));
  g_assert_false (has_label (GTK_WIDGET (window), "Registry"));
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

/* The sync status and the inbox rows in Romanian, plurals with their three forms. */
static void
test_romanian_sync_status (void)
{
  TerenSyncIndicator *indicator = g_object_ref_sink (teren_sync_indicator_new ());
  TerenWindow *window = g_object_ref (teren_window_new (NULL, NULL));

  g_assert_cmpstr (teren_sync_indicator_get_state_text (indicator), ==,
                   "Neconectat la un server — modificările rămân pe acest laptop");
  teren_sync_indicator_set_local_pending (indicator, 1);
  g_assert_cmpstr (teren_sync_indicator_get_pending_text (indicator), ==,
                   "1 modificare așteaptă să fie trimisă");
  teren_sync_indicator_set_local_pending (indicator, 2);
  g_assert_cmpstr (teren_sync_indicator_get_pending_text (indicator), ==,
                   "2 modificări așteaptă să fie trimise");
  teren_sync_indicator_set_local_pending (indicator, 20);
  g_assert_cmpstr (teren_sync_indicator_get_pending_text (indicator), ==,
                   "20 de modificări așteaptă să fie trimise");
  g_assert_finalize_object (indicator);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (has_label (GTK_WIDGET (window), "Conflicte"));
  g_assert_true (has_label (GTK_WIDGET (window), "Modificări refuzate"));
  gtk_window_destroy (GTK_WINDOW (window));
  teren_gui_test_assert_finalize (window);
}

static void
test_romanian_field_labels (void)
{
  TerenFieldRow *row = g_object_ref_sink (teren_field_row_new ("person", "last_name"));

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Nume");
  g_assert_finalize_object (row);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *podir = NULL;
  const char *build_root = g_getenv ("TEREN_BUILD_ROOT");

  /* Before gtk_init, which calls setlocale (LC_ALL, ""). */
  g_setenv ("LANGUAGE", "ro", TRUE);
  g_setenv ("LC_ALL", "ro_RO.UTF-8", TRUE);
  teren_gui_test_init (&argc, &argv);
  if (setlocale (LC_ALL, "ro_RO.UTF-8") == NULL)
    g_error ("The ro_RO.UTF-8 locale is not installed");

  podir = g_build_filename (build_root != NULL ? build_root : ".", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_add_func ("/teren/gui/l10n/romanian-window", test_romanian_window);
  g_test_add_func ("/teren/gui/l10n/romanian-field-labels", test_romanian_field_labels);
  g_test_add_func ("/teren/gui/l10n/romanian-sync-status", test_romanian_sync_status);

  return g_test_run ();
}
