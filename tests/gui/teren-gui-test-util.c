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
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
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
