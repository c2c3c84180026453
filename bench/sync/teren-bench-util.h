/* teren-bench-util.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "teren-sync-digest.h"
#include "teren-sync-engine.h"

G_BEGIN_DECLS

/* The password of every account the sync benchmarks create. */
#define TEREN_BENCH_PASSWORD "parola-bench-1"

/* One asynchronous call of the engine, driven to its end by teren_bench_run_until. */
typedef struct {
  gboolean               done;
  gboolean               ok;
  GError                *error;
  TerenSyncSummary      *summary;
  TerenSyncDigestResult  result;
} TerenBenchWait;

/* Callbacks of teren_sync_engine_login_async and teren_sync_engine_sync_async; @data is a
 * TerenBenchWait. */
void         teren_bench_login_cb      (GObject         *source,
                                        GAsyncResult    *result,
                                        gpointer         data);
void         teren_bench_sync_cb       (GObject         *source,
                                        GAsyncResult    *result,
                                        gpointer         data);
/* Iterates the default main context until @wait is done; exits the program on an error. */
void         teren_bench_run_until     (TerenBenchWait  *wait);

/* @server_bin, else $TEREN_SERVER_BIN, else @build_path. (transfer full) */
char        *teren_bench_server_bin    (const char      *server_bin,
                                        const char      *build_path);
/* Runs `@server_bin ARGS... --data-dir @data_dir` (NULL-terminated ARGS) with @stdin_text
 * on its standard input; exits the program when it fails. */
void         teren_bench_run_admin     (const char      *server_bin,
                                        const char      *data_dir,
                                        const char      *stdin_text,
                                        ...) G_GNUC_NULL_TERMINATED;
/* Starts `@server_bin serve` on a free loopback port with its data in @data_dir (its
 * standard error goes to $TEREN_BENCH_SERVER_LOG when set, else nowhere); sets @out_url to
 * its "http://127.0.0.1:PORT". Exits the program when it does not start. */
GSubprocess *teren_bench_server_start  (const char      *server_bin,
                                        const char      *root,
                                        const char      *data_dir,
                                        char           **out_url);
/* Stops the server (SIGTERM, then waits) and removes @root and all in it. */
void         teren_bench_finish        (GSubprocess     *server,
                                        const char      *root);
/* A token of @user (password TEREN_BENCH_PASSWORD) from POST /login; exits the program
 * when the login fails. (transfer full) */
char        *teren_bench_login_token   (SoupSession     *session,
                                        const char      *url,
                                        const char      *user);
/* Creates @n_records persons straight through POST /push in batches of 500, from the
 * device of @token; prints how long it took. Exits the program when a batch fails. */
void         teren_bench_seed          (SoupSession     *session,
                                        const char      *url,
                                        const char      *token,
                                        int              n_records);
/* The load average of the last minute, or -1 when unknown. */
double       teren_bench_load_average  (void);
/* The CPU time (user and system) @process has used so far, in seconds; -1 when unknown. */
double       teren_bench_process_cpu   (GSubprocess     *process);

G_END_DECLS
