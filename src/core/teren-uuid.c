/* teren-uuid.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <sys/random.h>

#include "teren-uuid.h"

/* The kernel's CSPRNG (getrandom(2)); the client needs no crypto library for ids. */
static void
random_bytes (guint8 *buf,
              gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom failed: %s", g_strerror (errno));
        }
      done += (gsize) n;
    }
}

char *
teren_uuid_new (void)
{
  guint8 b[16];

  random_bytes (b, sizeof b);

  /* Version 4, variant RFC 4122. */
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Any RFC 4122 textual UUID (8-4-4-4-12 hex digits), either case; the version is not
 * checked so that ids made by other tools are accepted. */
gboolean
teren_uuid_is_valid (const char *text)
{
  guint i;

  if (text == NULL)
    return FALSE;

  for (i = 0; i < 36; i++)
    {
      char c = text[i];

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (c != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (c))
        return FALSE;
    }

  return text[36] == '\0';
}

char *
teren_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}
