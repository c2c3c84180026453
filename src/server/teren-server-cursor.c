/* teren-server-cursor.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "teren-server-cursor.h"

#define MAC_BYTES   16
#define MAX_CURSOR  4096
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

static char *
b64 (const guint8 *data,
     gsize         length)
{
  gsize size = sodium_base64_ENCODED_LEN (length, B64_VARIANT);
  char *out = g_malloc (size);

  sodium_bin2base64 (out, size, data, length, B64_VARIANT);
  return out;
}

static char *
seal (const guint8 *secret,
      const char   *plain)
{
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  g_autofree char *body = b64 ((const guint8 *) plain, strlen (plain));
  g_autofree char *tag = NULL;

  crypto_auth_hmacsha256 (mac, (const guint8 *) plain, strlen (plain), secret);
  tag = b64 (mac, MAC_BYTES);
  return g_strconcat (body, ".", tag, NULL);
}

/* The plain text of a sealed cursor, or NULL. (transfer full) */
static char *
unseal (const guint8 *secret,
        const char   *text)
{
  const char *dot;
  guint8 *plain;
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  guint8 given[MAC_BYTES];
  gsize plain_len = 0, given_len = 0;
  gsize body_len;

  if (text == NULL || strlen (text) > MAX_CURSOR)
    return NULL;
  dot = strchr (text, '.');
  if (dot == NULL)
    return NULL;
  body_len = dot - text;
  plain = g_malloc0 (body_len + 1);
  if (sodium_base642bin (plain, body_len + 1, text, body_len, NULL, &plain_len, NULL, B64_VARIANT) != 0 ||
      sodium_base642bin (given, sizeof given, dot + 1, strlen (dot + 1), NULL, &given_len, NULL, B64_VARIANT) != 0 ||
      given_len != MAC_BYTES)
    {
      g_free (plain);
      return NULL;
    }
  crypto_auth_hmacsha256 (mac, plain, plain_len, secret);
  if (sodium_memcmp (mac, given, MAC_BYTES) != 0 || memchr (plain, '\0', plain_len) != NULL)
    {
      g_free (plain);
      return NULL;
    }
  plain[plain_len] = '\0';
  return (char *) plain;
}

static gboolean
parse_int (const char *text,
           gint64     *out)
{
  char *end = NULL;
  gint64 value;

  if (text == NULL || text[0] == '\0')
    return FALSE;
  value = g_ascii_strtoll (text, &end, 10);
  if (end == NULL || *end != '\0' || value < 0)
    return FALSE;
  *out = value;
  return TRUE;
}

char *
teren_server_cursor_encode (const guint8             *secret,
                            const char               *epoch,
                            gint64                    account_id,
                            const TerenServerFeedPos *pos)
{
  g_autofree char *plain = g_strdup_printf ("p|%" G_GINT64_FORMAT "|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                                            "|%" G_GINT64_FORMAT "|%d|%" G_GINT64_FORMAT "|%s",
                                            account_id, epoch, pos->seq, pos->scope_version,
                                            pos->tomb_floor, pos->backfill ? 1 : 0, pos->backfill_pos,
                                            pos->backfill_keys != NULL ? pos->backfill_keys : "");

  return seal (secret, plain);
}

gboolean
teren_server_cursor_decode (const guint8       *secret,
                            const char         *epoch,
                            gint64              account_id,
                            const char         *text,
                            TerenServerFeedPos *out_pos)
{
  g_autofree char *plain = unseal (secret, text);
  g_auto(GStrv) parts = NULL;
  gint64 account = 0, backfill = 0;
  TerenServerFeedPos pos = { 0 };

  if (plain == NULL)
    return FALSE;
  parts = g_strsplit (plain, "|", 0);
  if (g_strv_length (parts) != 9 || strcmp (parts[0], "p") != 0 ||
      !parse_int (parts[1], &account) || account != account_id ||
      strcmp (parts[2], epoch) != 0 ||
      !parse_int (parts[3], &pos.seq) || !parse_int (parts[4], &pos.scope_version) ||
      !parse_int (parts[5], &pos.tomb_floor) || !parse_int (parts[6], &backfill) ||
      !parse_int (parts[7], &pos.backfill_pos))
    return FALSE;
  pos.backfill = backfill != 0;
  pos.backfill_keys = parts[8][0] != '\0' ? g_strdup (parts[8]) : NULL;
  *out_pos = pos;
  return TRUE;
}

gboolean
teren_server_cursor_is_other_epoch (const guint8 *secret,
                                    const char   *epoch,
                                    gint64        account_id,
                                    const char   *text)
{
  g_autofree char *plain = unseal (secret, text);
  g_auto(GStrv) parts = NULL;
  gint64 account = 0;

  if (plain == NULL)
    return FALSE;
  parts = g_strsplit (plain, "|", 0);
  return g_strv_length (parts) == 9 && strcmp (parts[0], "p") == 0 &&
         parse_int (parts[1], &account) && account == account_id &&
         strcmp (parts[2], epoch) != 0;
}

char *
teren_server_nomenclature_cursor_encode (const guint8 *secret,
                                         const char   *epoch,
                                         gint64        seq)
{
  g_autofree char *plain = g_strdup_printf ("n|%s|%" G_GINT64_FORMAT, epoch, seq);

  return seal (secret, plain);
}

gboolean
teren_server_nomenclature_cursor_decode (const guint8 *secret,
                                         const char   *epoch,
                                         const char   *text,
                                         gint64       *out_seq)
{
  g_autofree char *plain = unseal (secret, text);
  g_auto(GStrv) parts = NULL;

  if (plain == NULL)
    return FALSE;
  parts = g_strsplit (plain, "|", 0);
  return g_strv_length (parts) == 3 && strcmp (parts[0], "n") == 0 &&
         strcmp (parts[1], epoch) == 0 && parse_int (parts[2], out_seq);
}
