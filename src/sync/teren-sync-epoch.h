/* teren-sync-epoch.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "teren-store.h"
#include "teren-sync-engine.h"

G_BEGIN_DECLS

/* After the server's epoch changed (restored from a backup; issue 8): the engine, once the
 * round's pull is complete (each round; a quick read when nothing is due) and before it
 * offers op_archive again, sends the store's
 * (id, rev) pairs to POST /api/v1/epoch-report (2,000 a request) so that the server lists,
 * for an admin (`teren-server audit --epoch-report`), the records this device held at a
 * newer revision than the restored server. Ids and revisions only, never contents.
 * Nothing to do (TRUE) when no report is due. Errors in TEREN_SYNC_ERROR; the report then
 * stays due and is sent at the end of a later round. */
void      teren_sync_epoch_report_async  (TerenSyncEngine     *engine,
                                          TerenStore          *store,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* @out_reoffer: op_archive waits to be offered again (set even on error). */
gboolean  teren_sync_epoch_report_finish (TerenSyncEngine     *engine,
                                          GAsyncResult        *result,
                                          gboolean            *out_reoffer,
                                          GError             **error);

G_END_DECLS
