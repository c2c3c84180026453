/* teren-server-auth.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "teren-error.h"
#include "teren-server-auth.h"

/* Argon2id at libsodium's "interactive" cost (64 MiB); verifications run one at a time so
 * that fifty laptops logging in at 8 a.m. cannot take gigabytes. */
#define PWHASH_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PWHASH_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static GMutex pwhash_lock;

#define ACCOUNT_MAX_FAILURES 5
#define ADDRESS_MAX_FAILURES 20
#define ADDRESS_WINDOW       600

char *
teren_server_password_hash (const char  *password,
                            GError     **error)
{
  char out[crypto_pwhash_STRBYTES];
  int rc;

  if (sodium_init () < 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_FAILED, "libsodium cannot start");
      return NULL;
    }
  g_mutex_lock (&pwhash_lock);
  rc = crypto_pwhash_str (out, password, strlen (password), PWHASH_OPS, PWHASH_MEM);
  g_mutex_unlock (&pwhash_lock);
  if (rc != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_FAILED, _("Out of memory while hashing the password."));
      return NULL;
    }
  return g_strdup (out);
}

gboolean
teren_server_password_verify (const char *hash,
                              const char *password)
{
  int rc;

  if (hash == NULL || password == NULL)
    return FALSE;
  g_mutex_lock (&pwhash_lock);
  rc = crypto_pwhash_str_verify (hash, password, strlen (password));
  g_mutex_unlock (&pwhash_lock);
  return rc == 0;
}

void
teren_server_password_burn (const char *password)
{
  static char *dummy = NULL;
  static GMutex dummy_lock;

  g_mutex_lock (&dummy_lock);
  if (dummy == NULL)
    dummy = teren_server_password_hash ("teren-not-a-password", NULL);
  g_mutex_unlock (&dummy_lock);
  teren_server_password_verify (dummy, password);
}

char *
teren_server_token_new (void)
{
  guint8 bytes[32];
  char out[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (out);
}

char *
teren_server_token_hash (const char *token)
{
  guint8 hash[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];

  crypto_hash_sha256 (hash, (const guint8 *) token, strlen (token));
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

char *
teren_server_bearer_token_hash (const char *authorization)
{
  const char *value = authorization;

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;
  if (value[0] == '\0' || strlen (value) > 256)
    return NULL;
  return teren_server_token_hash (value);
}

gboolean
teren_server_username_is_valid (const char *username)
{
  const char *p;
  gsize n = 0;

  if (username == NULL || username[0] == '\0')
    return FALSE;
  for (p = username; *p != '\0'; p++, n++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
      return FALSE;
  return n <= 64;
}

typedef struct {
  guint  failures;
  gint64 first;
  gint64 locked_until;
} Counter;

struct _TerenServerRateLimiter {
  GMutex      lock;
  GHashTable *accounts;   /* username → Counter */
  GHashTable *addresses;  /* address → Counter */
  gint64      lock_seconds;
};

TerenServerRateLimiter *
teren_server_rate_limiter_new (gint64 lock_seconds)
{
  TerenServerRateLimiter *self = g_new0 (TerenServerRateLimiter, 1);

  g_mutex_init (&self->lock);
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->lock_seconds = lock_seconds > 0 ? lock_seconds : 60;
  return self;
}

void
teren_server_rate_limiter_free (TerenServerRateLimiter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->accounts);
  g_hash_table_unref (self->addresses);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static gint64
wait_for (GHashTable *table,
          const char *key,
          gint64      now)
{
  Counter *counter = key != NULL ? g_hash_table_lookup (table, key) : NULL;

  if (counter == NULL || counter->locked_until <= now)
    return 0;
  return counter->locked_until - now;
}

gint64
teren_server_rate_limiter_check (TerenServerRateLimiter *self,
                                 const char             *username,
                                 const char             *address,
                                 gint64                  now)
{
  gint64 wait;

  g_mutex_lock (&self->lock);
  wait = MAX (wait_for (self->accounts, username, now), wait_for (self->addresses, address, now));
  g_mutex_unlock (&self->lock);
  return wait;
}

static Counter *
counter_for (GHashTable *table,
             const char *key)
{
  Counter *counter = g_hash_table_lookup (table, key);

  if (counter == NULL)
    {
      /* Bounded memory under a flood of made-up names. */
      if (g_hash_table_size (table) > 100000)
        g_hash_table_remove_all (table);
      counter = g_new0 (Counter, 1);
      g_hash_table_insert (table, g_strdup (key), counter);
    }
  return counter;
}

void
teren_server_rate_limiter_failure (TerenServerRateLimiter *self,
                                   const char             *username,
                                   const char             *address,
                                   gint64                  now)
{
  Counter *counter;

  g_mutex_lock (&self->lock);
  if (username != NULL)
    {
      counter = counter_for (self->accounts, username);
      if (counter->locked_until != 0 && counter->locked_until <= now)
        counter->failures = 0, counter->locked_until = 0;
      if (++counter->failures >= ACCOUNT_MAX_FAILURES)
        counter->locked_until = now + self->lock_seconds;
    }
  if (address != NULL)
    {
      counter = counter_for (self->addresses, address);
      if (now - counter->first > ADDRESS_WINDOW || (counter->locked_until != 0 && counter->locked_until <= now))
        {
          counter->failures = 0;
          counter->first = now;
          counter->locked_until = 0;
        }
      if (++counter->failures >= ADDRESS_MAX_FAILURES)
        counter->locked_until = now + self->lock_seconds;
    }
  g_mutex_unlock (&self->lock);
}

void
teren_server_rate_limiter_success (TerenServerRateLimiter *self,
                                   const char             *username)
{
  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->accounts, username);
  g_mutex_unlock (&self->lock);
}
