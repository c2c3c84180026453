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

/* PBKDF2 (RFC 8018) with HMAC-SHA256, one output block. The first round uses GHmac; the
 * other rounds hash a 32-byte message, which is one SHA-256 block for the inner and one for
 * the outer hash: they run on the keyed states with a plain compression function, with no
 * allocation per round (100,000 GHmac copies were slow, and very slow under the
 * sanitizers). Checked against RFC 7914's PBKDF2-HMAC-SHA256 vectors in tests/gui. */

static const guint32 sha256_k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const guint32 sha256_h0[8] = {
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_compress (guint32       state[8],
                 const guint8  block[64])
{
  guint32 w[64];
  guint32 a, b, c, d, e, f, g, h;
  guint i;

  for (i = 0; i < 16; i++)
    w[i] = ((guint32) block[4 * i] << 24) | ((guint32) block[4 * i + 1] << 16) |
           ((guint32) block[4 * i + 2] << 8) | (guint32) block[4 * i + 3];
  for (i = 16; i < 64; i++)
    {
      guint32 s0 = ROTR (w[i - 15], 7) ^ ROTR (w[i - 15], 18) ^ (w[i - 15] >> 3);
      guint32 s1 = ROTR (w[i - 2], 17) ^ ROTR (w[i - 2], 19) ^ (w[i - 2] >> 10);

      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
  a = state[0]; b = state[1]; c = state[2]; d = state[3];
  e = state[4]; f = state[5]; g = state[6]; h = state[7];
  for (i = 0; i < 64; i++)
    {
      guint32 t1 = h + (ROTR (e, 6) ^ ROTR (e, 11) ^ ROTR (e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
      guint32 t2 = (ROTR (a, 2) ^ ROTR (a, 13) ^ ROTR (a, 22)) + ((a & b) ^ (a & c) ^ (b & c));

      h = g; g = f; f = e; e = d + t1;
      d = c; c = b; b = a; a = t1 + t2;
    }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
  memset (w, 0, sizeof w);
}

/* The state after one block of the key XOR @pad (HMAC's inner or outer prefix). */
static void
keyed_state (const guint8 key[64],
             guint8       pad,
             guint32      state[8])
{
  guint8 block[64];
  guint i;

  for (i = 0; i < 64; i++)
    block[i] = key[i] ^ pad;
  memcpy (state, sha256_h0, sizeof sha256_h0);
  sha256_compress (state, block);
  memset (block, 0, sizeof block);
}

/* SHA-256 of (the 64-byte prefix already in @state) + @message (32 bytes), into @out. */
static void
finish_32 (const guint32  state[8],
           const guint8   message[HASH_LENGTH],
           guint8         out[HASH_LENGTH])
{
  guint8 block[64] = { 0 };
  guint32 h[8];
  guint i;

  memcpy (block, message, HASH_LENGTH);
  block[HASH_LENGTH] = 0x80;
  /* the length in bits of prefix + message: (64 + 32) * 8 = 768 */
  block[62] = 0x03;
  block[63] = 0x00;
  memcpy (h, state, sizeof h);
  sha256_compress (h, block);
  for (i = 0; i < 8; i++)
    {
      out[4 * i] = (guint8) (h[i] >> 24);
      out[4 * i + 1] = (guint8) (h[i] >> 16);
      out[4 * i + 2] = (guint8) (h[i] >> 8);
      out[4 * i + 3] = (guint8) h[i];
    }
  memset (block, 0, sizeof block);
  memset (h, 0, sizeof h);
}

void
teren_lock_verifier_pbkdf2 (const char   *password,
                            const guint8 *salt,
                            gsize         salt_length,
                            guint         iterations,
                            guint8        out[32])
{
  static const guint8 block_index[4] = { 0, 0, 0, 1 };
  gsize password_length = strlen (password);
  guint8 key[64] = { 0 };
  guint32 inner[8], outer[8];
  guint8 u[HASH_LENGTH];
  guint8 tmp[HASH_LENGTH];
  gsize length = HASH_LENGTH;
  guint i, j;

  {
    g_autoptr(GHmac) first = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) password, password_length);

    g_hmac_update (first, salt, salt_length);
    g_hmac_update (first, block_index, sizeof block_index);
    g_hmac_get_digest (first, u, &length);
  }
  memcpy (out, u, HASH_LENGTH);

  /* HMAC's key block: the password, or its hash when longer than a block. */
  if (password_length > sizeof key)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

      length = HASH_LENGTH;
      g_checksum_update (checksum, (const guchar *) password, password_length);
      g_checksum_get_digest (checksum, key, &length);
    }
  else
    memcpy (key, password, password_length);
  keyed_state (key, 0x36, inner);
  keyed_state (key, 0x5c, outer);

  for (i = 1; i < iterations; i++)
    {
      finish_32 (inner, u, tmp);
      finish_32 (outer, tmp, u);
      for (j = 0; j < HASH_LENGTH; j++)
        out[j] ^= u[j];
    }
  memset (key, 0, sizeof key);
  memset (inner, 0, sizeof inner);
  memset (outer, 0, sizeof outer);
  memset (u, 0, sizeof u);
  memset (tmp, 0, sizeof tmp);
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
  teren_lock_verifier_pbkdf2 (password, salt, sizeof salt, TEREN_LOCK_VERIFIER_ITERATIONS, hash);
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

  teren_lock_verifier_pbkdf2 (password, salt, salt_length, (guint) iterations, hash);
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
