/* teren-cli-test-util.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The teren-cli program under test (TEREN_CLI_BIN); a test run outside meson test fails. */
const char *test_cli_path      (void);
/* This process's environment for a run of teren-cli in @language ("en": the source strings,
 * "ro"): its messages from the build's po/, LC_ALL and LANGUAGE set for @language;
 * TEREN_DATA_DIR, TEREN_CRASHPOINT and TEREN_TEST_SEED unset. (transfer full) */
char      **test_cli_environ   (const char  *language);
/* Runs `teren-cli [--data-dir @data_dir] [@command] ARGS…` (ARGS from @args, up to a NULL)
 * with @envp and its standard input from the file @stdin_path (NULL: /dev/null); *@out and
 * *@err (each nullable; freed first) get its standard output and error, which are also
 * logged. Fails the test when it cannot run or does not exit normally (a crash point's
 * _exit (137) is a normal exit); returns its exit status. */
int         test_cli_run_full_va (char       **envp,
                                  const char  *stdin_path,
                                  const char  *data_dir,
                                  const char  *command,
                                  va_list      args,
                                  char       **out,
                                  char       **err);
/* The same with standard input from /dev/null. */
int         test_cli_run_va    (char       **envp,
                                const char  *data_dir,
                                const char  *command,
                                va_list      args,
                                char       **out,
                                char       **err);

G_END_DECLS
