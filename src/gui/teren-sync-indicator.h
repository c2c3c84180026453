/* teren-sync-indicator.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-sync-engine.h"

G_BEGIN_DECLS

#define TEREN_TYPE_SYNC_INDICATOR (teren_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (TerenSyncIndicator, teren_sync_indicator, TEREN, SYNC_INDICATOR, GtkWidget)

/* The always-visible sync state in the sidebar footer (DESIGN.md "Interface"): offline,
 * syncing with progress, "n changes waiting", last synced time and the last error, each
 * said in words with an icon, never by colour alone. A "Sync Now" button (win.sync-now)
 * and, when logged out, a "Log In…" button (win.login).
 *
 * Without an engine (no account yet) it says that changes stay on this laptop and shows
 * the count given with teren_sync_indicator_set_local_pending. */
TerenSyncIndicator *teren_sync_indicator_new               (void);
void                teren_sync_indicator_set_engine        (TerenSyncIndicator *self,
                                                            TerenSyncEngine    *engine);
TerenSyncEngine    *teren_sync_indicator_get_engine        (TerenSyncIndicator *self);
/* Only an icon button (Sync Now) whose tooltip and accessible name say the state: for the
 * content's header bar when a narrow window hides the sidebar. */
void                teren_sync_indicator_set_compact       (TerenSyncIndicator *self,
                                                            gboolean            compact);
void                teren_sync_indicator_set_local_pending (TerenSyncIndicator *self,
                                                            guint               pending);

/* What is shown, for tests and accessibility. (transfer none) */
const char         *teren_sync_indicator_get_state_text    (TerenSyncIndicator *self);
const char         *teren_sync_indicator_get_pending_text  (TerenSyncIndicator *self);
const char         *teren_sync_indicator_get_last_text     (TerenSyncIndicator *self);
const char         *teren_sync_indicator_get_error_text    (TerenSyncIndicator *self);

G_END_DECLS
