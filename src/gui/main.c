/* main.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "teren-application.h"

/* The installed catalogue, or the build tree's when running uninstalled: the run script
 * sets TEREN_LOCALEDIR, and a build-tree program finds its own po/ otherwise. */
static const char *
choose_localedir (void)
{
  const char *env = g_getenv ("TEREN_LOCALEDIR");
  g_autofree char *installed = NULL;

  if (env != NULL && *env != '\0')
    return env;

  installed = g_build_filename (LOCALEDIR, "ro", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (installed, G_FILE_TEST_EXISTS) &&
      g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    return BUILD_LOCALEDIR;
  return LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TerenApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, choose_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = teren_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
