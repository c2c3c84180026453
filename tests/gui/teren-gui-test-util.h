/* teren-gui-test-util.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-form.h"
#include "teren-store.h"
#include "teren-sync-engine.h"
#include "teren-window.h"

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
/* The result of an asynchronous call driven on the main loop. */
typedef struct
{
  GAsyncResult *result;
} TerenTestWaiter;

/* A GAsyncReadyCallback that keeps its result (a reference) in the TerenTestWaiter @data. */
void        teren_gui_test_waiter_cb     (GObject            *object,
                                          GAsyncResult       *result,
                                          gpointer            data);
/* Runs the main loop until @waiter has its result; fails the test after TEREN_TEST_WAIT_MS. */
void        teren_gui_test_waiter_wait   (TerenTestWaiter    *waiter,
                                          const char         *what);
/* The tests against a teren-server need TEREN_SERVER_BIN and a D-Bus session (for the
 * keyring); without them, marks the test skipped and returns FALSE. */
gboolean    teren_gui_test_have_server   (void);
/* Logs @engine in at @url (its data in @data_dir, NULL: the default) on the main loop;
 * fails the test when the login fails. */
void        teren_gui_test_login         (TerenSyncEngine    *engine,
                                          const char         *url,
                                          const char         *user,
                                          const char         *password,
                                          const char         *data_dir);
/* One sync round of @engine on the main loop; fails the test when it fails. */
void        teren_gui_test_sync_round    (TerenSyncEngine    *engine);
/* Runs the main loop until @condition holds; fails the test after TEREN_TEST_WAIT_MS. */
void        teren_gui_test_wait_until    (TerenTestCondition  condition,
                                          gpointer            data,
                                          const char         *what);
/* Spins the main loop for @ms milliseconds. */
void        teren_gui_test_spin          (guint               ms);
/* GTK's own file chooser (no portal in the tests) reads its settings schema: when the
 * system has it, adds the system's schema folder to GSETTINGS_SCHEMA_DIR. Call it before
 * teren_gui_test_init. Returns whether the file chooser can be used. */
gboolean    teren_gui_test_add_system_schemas (void);
/* A new store in a fresh folder under the test's isolated data dir. */
TerenStore *teren_gui_test_store_new     (void);
/* Waits until only the caller holds @object (async work done), then asserts it is
 * finalized when released. */
void        teren_gui_test_assert_finalize (gpointer          object);
/* A valid CNP made from its first twelve digits. (transfer full) */
char       *teren_gui_test_cnp           (const char         *first12);
/* Today plus @days (negative: before today) as YYYY-MM-DD. (transfer full) */
char       *teren_gui_test_iso_days_from_today (int           days);
/* Saves a new record (fails the test on any field error or error). (transfer full) */
TerenRecord *teren_gui_test_save_record  (TerenStore         *store,
                                          const char         *kind,
                                          const char         *line,
                                          JsonObject         *fields);
/* The first descendant of @widget (or @widget itself) of @type; with @visible_only, only
 * through visible widgets. */
GtkWidget  *teren_gui_test_find_descendant (GtkWidget        *widget,
                                            GType             type,
                                            gboolean          visible_only);

/* A new main window on @store (NULL: none), presented and drawn. (transfer full) */
TerenWindow *teren_gui_test_window_new   (TerenStore         *store);

/* ---- The keyboard: focus moved with Tab, text typed into the focused editable, widgets
 * activated as Enter does. ------------------------------------------------------------ */

GtkWidget  *teren_gui_test_focus         (GtkWindow          *window);
/* Presses Tab until the focus is inside @target. */
void        teren_gui_test_tab_to        (GtkWindow          *window,
                                          GtkWidget          *target);
/* Presses Tab until the focus is inside the row of field @key of @form. */
void        teren_gui_test_tab_to_field  (GtkWindow          *window,
                                          TerenForm          *form,
                                          const char         *key);
/* Types @text at the cursor of the focused editable. */
void        teren_gui_test_type_text     (GtkWindow          *window,
                                          const char         *text);
/* Enter on the focused widget. */
void        teren_gui_test_press_enter   (GtkWindow          *window);
/* A choice by the keyboard: Tab to field @key, Enter opens its list, arrows to item
 * @position (0 is "Not specified"), Enter. */
void        teren_gui_test_choose_option (GtkWindow          *window,
                                          TerenForm          *form,
                                          const char         *key,
                                          guint               position);
/* A multi-choice by the keyboard: Tab to field @key, Enter expands it, Tab to the first
 * box, Space ticks it. */
void        teren_gui_test_tick_first    (GtkWindow          *window,
                                          TerenForm          *form,
                                          const char         *key);

/* ---- Forms in the window ------------------------------------------------------------ */

/* Ctrl+S: the form.save action its shortcut triggers; waits for "saved". Returns the
 * saved id. (transfer full) */
char       *teren_gui_test_save_form     (TerenForm          *form);
/* Save and Cancel leave the form with an animation: waits until it is gone. */
void        teren_gui_test_wait_form_gone (TerenWindow       *window);

G_END_DECLS
