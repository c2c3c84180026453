/* teren-gui-test-util.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store.h"

G_BEGIN_DECLS

/* How long a test waits for something asynchronous before it fails. Generous: this is
 * not a timing assertion, only a guard against hanging forever. */
#ifdef __SANITIZE_ADDRESS__
/* Sanitized builds run several times slower. */
#define TEREN_TEST_WAIT_MS 60000
#else
#define TEREN_TEST_WAIT_MS 10000
#endif

typedef gboolean (*TerenTestCondition) (gpointer data);

/* g_test_init with isolated dirs, then gtk_init and adw_init (gtk_test_init would force
 * the C locale), then the GUI's resources and types. */
void        teren_gui_test_init          (int                 *argc,
                                          char              ***argv);
/* Runs the main loop until @condition holds; fails the test after TEREN_TEST_WAIT_MS. */
void        teren_gui_test_wait_until    (TerenTestCondition  condition,
                                          gpointer            data,
                                          const char         *what);
/* Spins the main loop for @ms milliseconds. */
void        teren_gui_test_spin          (guint               ms);
/* A new store in a fresh folder under the test's isolated data dir. */
TerenStore *teren_gui_test_store_new     (void);
/* Waits until only the caller holds @object (async work done), then asserts it is
 * finalized when released. */
void        teren_gui_test_assert_finalize (gpointer          object);
/* A valid CNP made from its first twelve digits. (transfer full) */
char       *teren_gui_test_cnp           (const char         *first12);

G_END_DECLS
