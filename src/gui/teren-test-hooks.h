/* teren-test-hooks.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Test-only navigation for the AT-SPI walk (tests/gui/a11y-walk.py) and the screenshot
 * script (build-aux/screenshots.py). Nothing happens unless the environment variable
 * TEREN_TEST_HOOKS is set to 1; then the application gets two more actions, reachable
 * over D-Bus like every app action (org.gtk.Actions on the application's object path,
 * also with --data-dir, which makes the instance non-unique but still exports them):
 *
 *   app.test-show (s): opens a page in the main window: "registry", "line:LINE", "due",
 *     "report", "conflicts", "quarantine", "case:ID", "record:ID", "form:KIND[:LINE]",
 *     "home-visit:HOUSEHOLD_ID", "register:LINE" (the daily register window), "back"
 *     (win.back: leaves the case/record page or cancels the form in front), "close"
 *     (closes every window but the main one), "preferences", "login", "shortcuts",
 *     "about".
 *   app.test-snapshot (s): renders the window in front (the last one presented; the main
 *     window when it is alone) to the PNG file named by the parameter.
 */
void teren_test_hooks_install (GtkApplication *application);

G_END_DECLS
