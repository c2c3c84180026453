/* teren-cli-test-util.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The teren-cli program under test (TEREN_CLI_BIN); a test run outside meson test fails. */
const char *test_cli_path      (void);
/* This process's environment for a run of teren-cli in @language ("en": the source strings,
 * "ro"): its messages from the build's po/, LC_ALL and LANGUAGE set for @language.
 * (transfer full) */
char      **test_cli_environ   (const char  *language);
/* Runs `teren-cli --data-dir @data_dir [@command] ARGS…` (ARGS from @args, up to a NULL)
 * with @envp; *@out and *@err (freed first) get its standard output and error. Fails the
 * test when it cannot run or does not exit normally; returns its exit status. */
int         test_cli_run_va    (char       **envp,
                                const char  *data_dir,
                                const char  *command,
                                va_list      args,
                                char       **out,
                                char       **err);

G_END_DECLS
