/* teren-crashpoint.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Named crash points for the fault tests (SYNC-NOTES.md §4.2). When the environment
 * variable TEREN_CRASHPOINT names @name — "name", or "name:P" with P a probability from 0
 * to 1, several separated by commas — the process ends at once with _exit (137), as a
 * kill -9 would leave it. The variable is read once; the draws come from a GRand seeded
 * with TEREN_TEST_SEED when it is set, so a run can be replayed. Without the variable
 * (every real use) a call costs one load and one comparison. Builds configured with
 * -Dcrashpoints=false (the Flatpak) have none: the call does nothing. */
void teren_crashpoint (const char *name);

/* The exit status of a process ended at a crash point. */
#define TEREN_CRASHPOINT_EXIT_STATUS 137

G_END_DECLS
