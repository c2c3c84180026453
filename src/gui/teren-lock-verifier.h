/* teren-lock-verifier.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "teren-store.h"

G_BEGIN_DECLS

/* The local check of the account password used by the lock screen when the server cannot
 * be reached: PBKDF2-HMAC-SHA256 with a random 16-byte salt and
 * TEREN_LOCK_VERIFIER_ITERATIONS rounds, kept in the account's store (sync_meta key
 * TEREN_LOCK_VERIFIER_META_KEY) as "pbkdf2-sha256$ITERATIONS$SALT$HASH" (base64). The
 * password itself is never stored. A revocation wipe removes it with the rest. No GTK. */

#define TEREN_LOCK_VERIFIER_META_KEY   "lock_verifier"
#define TEREN_LOCK_VERIFIER_ITERATIONS 100000

/* (transfer full) a new verifier of @password (slow: call it from a worker thread). */
char     *teren_lock_verifier_new          (const char *password);
/* Whether @password matches @verifier (slow; constant-time comparison). FALSE for a
 * malformed verifier. */
gboolean  teren_lock_verifier_matches      (const char *verifier,
                                            const char *password);

/* PBKDF2-HMAC-SHA256 of @password with @salt, one 32-byte block (exposed for tests). */
void      teren_lock_verifier_pbkdf2       (const char   *password,
                                            const guint8 *salt,
                                            gsize         salt_length,
                                            guint         iterations,
                                            guint8        out[32]);

/* Computes and saves the verifier of @password in @store, on a worker thread. */
void      teren_lock_verifier_save_async   (TerenStore          *store,
                                            const char          *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  teren_lock_verifier_save_finish  (GAsyncResult        *result,
                                            GError             **error);

/* Checks @password against the verifier saved in @store, on a worker thread. Errors:
 * TEREN_ERROR_AUTH (wrong password), TEREN_ERROR_NOT_FOUND (no verifier saved: the
 * account never signed in with a password on this computer since it was added). */
void      teren_lock_verifier_check_async  (TerenStore          *store,
                                            const char          *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  teren_lock_verifier_check_finish (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
