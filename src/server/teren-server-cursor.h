/* teren-server-cursor.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-server-backend.h"

G_BEGIN_DECLS

/* Opaque pull cursors (SYNC.md "Pull"): base64url of the position plus an HMAC-SHA-256
 * with the server's secret, so that a cursor the server did not issue is refused. A
 * cursor is bound to the epoch, the feed (records or nomenclatures) and the account. */

char     *teren_server_cursor_encode (const guint8             *secret,
                                      const char               *epoch,
                                      gint64                    account_id,
                                      const TerenServerFeedPos *pos);
/* FALSE if @text is not a cursor this server issued for this account and epoch. */
gboolean  teren_server_cursor_decode (const guint8             *secret,
                                      const char               *epoch,
                                      gint64                    account_id,
                                      const char               *text,
                                      TerenServerFeedPos       *out_pos);

/* TRUE if @text is a pull cursor this server signed for this account in ANOTHER epoch
 * (before a restore): the client is then fed from the start, tombstones included. */
gboolean  teren_server_cursor_is_other_epoch (const guint8 *secret,
                                              const char   *epoch,
                                              gint64        account_id,
                                              const char   *text);

char     *teren_server_nomenclature_cursor_encode (const guint8 *secret,
                                                   const char   *epoch,
                                                   gint64        seq);
gboolean  teren_server_nomenclature_cursor_decode (const guint8 *secret,
                                                   const char   *epoch,
                                                   const char   *text,
                                                   gint64       *out_seq);

G_END_DECLS
