/* teren-login-window.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-sync-engine.h"

G_BEGIN_DECLS

#define TEREN_TYPE_LOGIN_WINDOW (teren_login_window_get_type ())

G_DECLARE_FINAL_TYPE (TerenLoginWindow, teren_login_window, TEREN, LOGIN_WINDOW, AdwWindow)

/* The login flow (issue 4): server address, user name and password. http:// is refused
 * for anything but this computer, TLS errors are shown with the certificate's details,
 * and the token goes to the Secret Service through the engine (the password is never
 * stored). @data_dir (nullable) is the store to log in with, %NULL for the account's own
 * folder. On success "logged-in" is emitted and the window closes itself. */
TerenLoginWindow *teren_login_window_new          (GtkWindow        *parent,
                                                   TerenSyncEngine  *engine,
                                                   const char       *data_dir,
                                                   const char       *server_url,
                                                   const char       *username);
TerenSyncEngine  *teren_login_window_get_engine   (TerenLoginWindow *self);
/* Logging in again to the account whose data is open: server and user cannot change. */
void              teren_login_window_set_account_fixed (TerenLoginWindow *self,
                                                        gboolean          fixed);

/* For tests: the rows and the message shown (transfer none). */
GtkEditable      *teren_login_window_get_server_row   (TerenLoginWindow *self);
GtkEditable      *teren_login_window_get_user_row     (TerenLoginWindow *self);
GtkEditable      *teren_login_window_get_password_row (TerenLoginWindow *self);
const char       *teren_login_window_get_message      (TerenLoginWindow *self);
/* The certificate's details after a TLS error, else %NULL. */
const char       *teren_login_window_get_certificate  (TerenLoginWindow *self);
gboolean          teren_login_window_get_busy         (TerenLoginWindow *self);
/* Same as pressing Log In. */
void              teren_login_window_submit           (TerenLoginWindow *self);

G_END_DECLS
