/* teren-gui-test-util.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-cnp.h"
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
