/* teren-server-auth.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Passwords (Argon2id through libsodium's crypto_pwhash_str), tokens (256 random bits,
 * stored as their SHA-256) and the login rate limiter. */

#define TEREN_SERVER_PASSWORD_MIN 4
#define TEREN_SERVER_PASSWORD_MAX 1024

char     *teren_server_password_hash   (const char  *password,
                                        GError     **error);
/* Constant-time check; serialised so that concurrent logins cannot exhaust memory. */
gboolean  teren_server_password_verify (const char  *hash,
                                        const char  *password);
/* A dummy verification costing the same time, for unknown accounts. */
void      teren_server_password_burn   (const char  *password);

/* A new token (base64url of 32 random bytes). (transfer full) */
char     *teren_server_token_new       (void);
/* Hex SHA-256 of @token, what is stored. (transfer full) */
char     *teren_server_token_hash      (const char *token);
/* The hash of the token of an "Authorization: Bearer <token>" header value (nullable), or
 * NULL if there is none or it is empty or longer than 256 bytes. (transfer full) */
char     *teren_server_bearer_token_hash (const char *authorization);

/* Whether @username is an acceptable account name: 1–64 of [a-z0-9._-]. */
gboolean  teren_server_username_is_valid (const char *username);

typedef struct _TerenServerRateLimiter TerenServerRateLimiter;

TerenServerRateLimiter *teren_server_rate_limiter_new  (gint64 lock_seconds);
void                    teren_server_rate_limiter_free (TerenServerRateLimiter *self);
/* 0 if a login for @username from @address may be tried now, else seconds to wait. */
gint64                  teren_server_rate_limiter_check   (TerenServerRateLimiter *self,
                                                           const char             *username,
                                                           const char             *address,
                                                           gint64                  now);
void                    teren_server_rate_limiter_failure (TerenServerRateLimiter *self,
                                                           const char             *username,
                                                           const char             *address,
                                                           gint64                  now);
void                    teren_server_rate_limiter_success (TerenServerRateLimiter *self,
                                                           const char             *username);

G_END_DECLS
