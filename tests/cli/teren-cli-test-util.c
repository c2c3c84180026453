/* teren-cli-test-util.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/wait.h>

#include "teren-cli-test-util.h"

/* What the tests that run the real teren-cli share (tests/cli, tests/docs). */

const char *
test_cli_path (void)
{
  const char *path = g_getenv ("TEREN_CLI_BIN");

  if (path == NULL)
    g_error ("TEREN_CLI_BIN is not set: run the tests with meson test");
  return path;
}

char **
test_cli_environ (const char *language)
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *localedir = g_build_filename (g_getenv ("TEREN_BUILD_ROOT"), "po", NULL);

  envp = g_environ_setenv (envp, "TEREN_LOCALEDIR", localedir, TRUE);
  if (g_str_equal (language, "ro"))
    {
      envp = g_environ_setenv (envp, "LC_ALL", "ro_RO.UTF-8", TRUE);
      envp = g_environ_setenv (envp, "LANGUAGE", "ro", TRUE);
    }
  else
    {
      envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
      envp = g_environ_unsetenv (envp, "LANGUAGE");
    }
  return g_steal_pointer (&envp);
}

int
test_cli_run_va (char       **envp,
                 const char  *data_dir,
                 const char  *command,
                 va_list      args,
                 char       **out,
                 char       **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) test_cli_path ());
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  if (command != NULL)
    g_ptr_array_add (argv, (gpointer) command);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err, &wait_status,
                &error);
  g_assert_no_error (error);

  if (g_test_verbose ())
    g_test_message ("stdout: %s\nstderr: %s", *out, *err);
  if (!WIFEXITED (wait_status))   /* a sanitizer's report, on the failure's own stderr */
    g_printerr ("teren-cli %s ended by a signal; its stderr:\n%s\n", command ? command : "", *err);

  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}
