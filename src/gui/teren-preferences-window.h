/* teren-preferences-window.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-disk-encryption.h"

G_BEGIN_DECLS

#define TEREN_TYPE_PREFERENCES_WINDOW (teren_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TerenPreferencesWindow, teren_preferences_window, TEREN, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* The preferences (issue 7): the server's address, the sync interval, the directorate's
 * header printed on documents (name, address, logo), the automatic lock delay (0 = never) and
 * the optional certificate authority file of a municipal server (ca-file), each bound
 * to its key of @settings (schema ro.daps.Teren): a change is saved at once. Under Security
 * it also says whether the disk holding the data folder of @parent's store (without one:
 * the user's data folder) is encrypted, checked on a worker thread when it opens. */
TerenPreferencesWindow *teren_preferences_window_new (GtkWindow *parent,
                                                      GSettings *settings);

/* For tests (transfer none). */
GtkEditable   *teren_preferences_window_get_server_row       (TerenPreferencesWindow *self);
GtkSpinButton *teren_preferences_window_get_sync_spin        (TerenPreferencesWindow *self);
GtkEditable   *teren_preferences_window_get_name_row         (TerenPreferencesWindow *self);
GtkEditable   *teren_preferences_window_get_address_row      (TerenPreferencesWindow *self);
GtkSpinButton *teren_preferences_window_get_lock_spin        (TerenPreferencesWindow *self);
/* The logo row's subtitle: the file's name, or "None". */
const char    *teren_preferences_window_get_logo_description (TerenPreferencesWindow *self);
/* The certificate authority row's subtitle: the file's name, or "System certificates";
 * its button that clears the key. */
const char    *teren_preferences_window_get_ca_description   (TerenPreferencesWindow *self);
GtkButton     *teren_preferences_window_get_ca_clear_button  (TerenPreferencesWindow *self);
/* The disk encryption row's subtitle ("Checking…" until the check returns) and whether
 * its warning icon shows (a disk that is not encrypted). */
const char    *teren_preferences_window_get_disk_description (TerenPreferencesWindow *self);
gboolean       teren_preferences_window_get_disk_warning_shown (TerenPreferencesWindow *self);
/* Checks the disk under @dir instead (the row says "Checking…" until it returns). */
void           teren_preferences_window_check_disk           (TerenPreferencesWindow *self,
                                                              const char             *dir);
/* Shows @verdict, dropping a check under way. */
void           teren_preferences_window_show_disk_encryption (TerenPreferencesWindow *self,
                                                              TerenDiskEncryption     verdict);

G_END_DECLS
