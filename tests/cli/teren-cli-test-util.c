/* teren-cli-test-util.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-cli-test-util.h"

/* What the tests that run the real teren-cli share (tests/cli, tests/docs, tests/sync). */

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
  envp = g_environ_unsetenv (envp, "TEREN_DATA_DIR");
  envp = g_environ_unsetenv (envp, "TEREN_CRASHPOINT");
  envp = g_environ_unsetenv (envp, "TEREN_TEST_SEED");
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
test_cli_run_full_va (char       **envp,
                      const char  *stdin_path,
                      const char  *data_dir,
                      const char  *command,
                      va_list      args,
                      char       **out,
                      char       **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  g_autofree char *line = NULL;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) test_cli_path ());
  if (data_dir != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--data-dir");
      g_ptr_array_add (argv, (gpointer) data_dir);
    }
  if (command != NULL)
    g_ptr_array_add (argv, (gpointer) command);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  /* Standard input from a file: a write into the pipe of a command that exited would kill us. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, envp);
  g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path != NULL ? stdin_path : "/dev/null");
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out_text, &err_text, &error);
  g_assert_no_error (error);   /* also when it wrote something that is not UTF-8 */

  line = g_strjoinv (" ", (char **) argv->pdata + 1);
  g_test_message ("teren-cli %s\nstdout: %s\nstderr: %s", line, out_text, err_text);
  if (!g_subprocess_get_if_exited (proc))   /* a sanitizer's report, on the failure's own stderr */
    g_printerr ("teren-cli %s ended by a signal; its stderr:\n%s\n", line, err_text);
  g_assert_true (g_subprocess_get_if_exited (proc));

  if (out != NULL)
    {
      g_free (*out);
      *out = g_steal_pointer (&out_text);
    }
  if (err != NULL)
    {
      g_free (*err);
      *err = g_steal_pointer (&err_text);
    }
  return g_subprocess_get_exit_status (proc);
}

int
test_cli_run_va (char       **envp,
                 const char  *data_dir,
                 const char  *command,
                 va_list      args,
                 char       **out,
                 char       **err)
{
  return test_cli_run_full_va (envp, NULL, data_dir, command, args, out, err);
}
