/* teren-lock-verifier.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "teren-error.h"
#include "teren-lock-verifier.h"
#include "teren-store-sync.h"

#define SALT_LENGTH    16
#define HASH_LENGTH    32   /* one SHA-256 block of output */
#define SCHEME         "pbkdf2-sha256"
/* Bounds on a stored iteration count (a damaged value must not hang the check). */
#define MIN_ITERATIONS 1000
#define MAX_ITERATIONS 10000000

/* PBKDF2 (RFC 8018) with HMAC-SHA256, one output block. The keyed HMAC is copied for
 * each round instead of keyed again. */
static void
pbkdf2_sha256 (const char   *password,
               const guint8 *salt,
               gsize         salt_length,
               guint         iterations,
               guint8        out[HASH_LENGTH])
{
  g_autoptr(GHmac) keyed = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) password, strlen (password));
  static const guint8 block_index[4] = { 0, 0, 0, 1 };
  guint8 u[HASH_LENGTH];
  gsize length = HASH_LENGTH;
  guint i, j;

  {
    g_autoptr(GHmac) first = g_hmac_copy (keyed);

    g_hmac_update (first, salt, salt_length);
    g_hmac_update (first, block_index, sizeof block_index);
    g_hmac_get_digest (first, u, &length);
  }
  memcpy (out, u, HASH_LENGTH);
  for (i = 1; i < iterations; i++)
    {
      g_autoptr(GHmac) round = g_hmac_copy (keyed);

      g_hmac_update (round, u, HASH_LENGTH);
      length = HASH_LENGTH;
      g_hmac_get_digest (round, u, &length);
      for (j = 0; j < HASH_LENGTH; j++)
        out[j] ^= u[j];
    }
  memset (u, 0, sizeof u);
}

static gboolean
random_bytes (guint8 *buffer,
              gsize   length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return TRUE;
}

char *
teren_lock_verifier_new (const char *password)
{
  guint8 salt[SALT_LENGTH];
  guint8 hash[HASH_LENGTH];
  g_autofree char *salt64 = NULL;
  g_autofree char *hash64 = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  if (!random_bytes (salt, sizeof salt))
    return NULL;
  pbkdf2_sha256 (password, salt, sizeof salt, TEREN_LOCK_VERIFIER_ITERATIONS, hash);
  salt64 = g_base64_encode (salt, sizeof salt);
  hash64 = g_base64_encode (hash, sizeof hash);
  memset (hash, 0, sizeof hash);
  return g_strdup_printf (SCHEME "$%u$%s$%s", TEREN_LOCK_VERIFIER_ITERATIONS, salt64, hash64);
}

gboolean
teren_lock_verifier_matches (const char *verifier,
                             const char *password)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *expected = NULL;
  gsize salt_length = 0, expected_length = 0;
  guint64 iterations;
  guint8 hash[HASH_LENGTH];
  guint8 difference = 0;
  guint i;

  if (verifier == NULL || password == NULL)
    return FALSE;
  parts = g_strsplit (verifier, "$", -1);
  if (g_strv_length (parts) != 4 || strcmp (parts[0], SCHEME) != 0 ||
      !g_ascii_string_to_unsigned (parts[1], 10, MIN_ITERATIONS, MAX_ITERATIONS, &iterations, NULL))
    return FALSE;
  salt = g_base64_decode (parts[2], &salt_length);
  expected = g_base64_decode (parts[3], &expected_length);
  if (salt_length < 8 || expected_length != HASH_LENGTH)
    return FALSE;

  pbkdf2_sha256 (password, salt, salt_length, (guint) iterations, hash);
  for (i = 0; i < HASH_LENGTH; i++)
    difference |= hash[i] ^ expected[i];
  memset (hash, 0, sizeof hash);
  return difference == 0;
}

/* Async wrappers: the password is copied into the task and wiped when it is freed. */

typedef struct
{
  TerenStore *store;
  char       *password;
} VerifierJob;

static void
verifier_job_free (VerifierJob *job)
{
  g_clear_object (&job->store);
  if (job->password != NULL)
    {
      memset (job->password, 0, strlen (job->password));
      g_free (job->password);
    }
  g_free (job);
}

static GTask *
new_task (TerenStore          *store,
          const char          *password,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  VerifierJob *job = g_new0 (VerifierJob, 1);

  job->store = g_object_ref (store);
  job->password = g_strdup (password);
  g_task_set_task_data (task, job, (GDestroyNotify) verifier_job_free);
  g_task_set_source_tag (task, source_tag);
  return task;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  VerifierJob *job = task_data;
  g_autofree char *verifier = teren_lock_verifier_new (job->password);
  GError *error = NULL;

  if (verifier == NULL)
    {
      g_task_return_new_error (task, TEREN_ERROR, TEREN_ERROR_FAILED, "No random bytes for a salt");
      return;
    }
  if (!teren_store_sync_set_meta (job->store, TEREN_LOCK_VERIFIER_META_KEY, verifier, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
teren_lock_verifier_save_async (TerenStore          *store,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEREN_IS_STORE (store));
  g_return_if_fail (password != NULL);

  task = new_task (store, password, cancellable, callback, user_data, teren_lock_verifier_save_async);
  g_task_run_in_thread (task, save_thread);
}

gboolean
teren_lock_verifier_save_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  VerifierJob *job = task_data;
  g_autofree char *verifier = teren_store_sync_get_meta (job->store, TEREN_LOCK_VERIFIER_META_KEY);

  if (verifier == NULL)
    g_task_return_new_error (task, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                             "No local password check on this computer");
  else if (!teren_lock_verifier_matches (verifier, job->password))
    g_task_return_new_error (task, TEREN_ERROR, TEREN_ERROR_AUTH, "Wrong password");
  else
    g_task_return_boolean (task, TRUE);
}

void
teren_lock_verifier_check_async (TerenStore          *store,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEREN_IS_STORE (store));
  g_return_if_fail (password != NULL);

  task = new_task (store, password, cancellable, callback, user_data, teren_lock_verifier_check_async);
  g_task_run_in_thread (task, check_thread);
}

gboolean
teren_lock_verifier_check_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
