/* teren-lock-screen.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-sync-engine.h"

G_BEGIN_DECLS

#define TEREN_TYPE_LOCK_SCREEN (teren_lock_screen_get_type ())

G_DECLARE_FINAL_TYPE (TerenLockScreen, teren_lock_screen, TEREN, LOCK_SCREEN, GtkWidget)

/* The automatic lock (issue 7). Attached to a window, it holds the window's content and
 * covers it with a lock page after "delay" seconds without input in any window of the
 * application (GSettings auto-lock-delay, minutes, 0 = never), or on win.lock (Ctrl+L).
 * Locked: nothing of the content is mapped (forms stay open underneath, their input is
 * kept), the window title is generic, the window's dialogs are hidden (and dialogs opened
 * while locked too) until it is unlocked. The account password is checked by the server
 * when it answers, otherwise against the local verifier (teren-lock-verifier.h); after
 * TEREN_LOCK_FREE_ATTEMPTS wrong passwords each further try waits "retry-delay" seconds.
 * Sync goes on while locked. Without an account (no engine, or no user name) there is
 * no password to ask: the window does not lock. */

#define TEREN_LOCK_FREE_ATTEMPTS 5

/* Takes the content of @window, puts itself in its place and adds the win.lock action.
 * (transfer none) */
TerenLockScreen *teren_lock_screen_attach          (AdwApplicationWindow *window);
void             teren_lock_screen_set_engine      (TerenLockScreen      *self,
                                                    TerenSyncEngine      *engine);
void             teren_lock_screen_lock            (TerenLockScreen      *self);
gboolean         teren_lock_screen_get_locked      (TerenLockScreen      *self);
/* Seconds without input before locking; 0 = never. Set from GSettings when the schema is
 * installed. */
void             teren_lock_screen_set_delay       (TerenLockScreen      *self,
                                                    guint                 seconds);
guint            teren_lock_screen_get_delay       (TerenLockScreen      *self);
/* Seconds to wait before each try after TEREN_LOCK_FREE_ATTEMPTS failures (default 30,
 * doubling up to 5 minutes). */
void             teren_lock_screen_set_retry_delay (TerenLockScreen      *self,
                                                    guint                 seconds);

/* For tests (transfer none): the password row, the message shown (or NULL), and whether
 * a check is running. Submitting = activating the row (Enter) or the Unlock button. */
GtkEditable     *teren_lock_screen_get_password_row (TerenLockScreen     *self);
const char      *teren_lock_screen_get_message      (TerenLockScreen     *self);
gboolean         teren_lock_screen_get_busy         (TerenLockScreen     *self);
void             teren_lock_screen_submit           (TerenLockScreen     *self);

G_END_DECLS
