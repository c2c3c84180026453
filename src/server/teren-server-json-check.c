/* teren-server-json-check.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-server-json-check.h"

typedef struct {
  const char *p;
  const char *end;
  const char *start;
  guint       max_depth;
  const char *reason;
} Scan;

static gboolean value (Scan *s, guint depth);

static void
skip_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
bad (Scan       *s,
     const char *reason)
{
  s->reason = reason;
  return FALSE;
}

static gboolean
string (Scan *s)
{
  s->p++;   /* opening quote */
  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return bad (s, "control character in a string");
      if (c == '\\')
        {
          s->p++;
          if (s->p >= s->end)
            break;
          if (*s->p == 'u')
            {
              guint i;

              for (i = 1; i <= 4; i++)
                if (s->p + i >= s->end || !g_ascii_isxdigit (s->p[i]))
                  return bad (s, "bad \\u escape");
              s->p += 5;
              continue;
            }
          if (strchr ("\"\\/bfnrt", *s->p) == NULL || *s->p == '\0')
            return bad (s, "bad escape");
        }
      s->p++;
    }
  return bad (s, "unterminated string");
}

static gboolean
number (Scan *s)
{
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return bad (s, "bad number");
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return bad (s, "bad number");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return bad (s, "bad number");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  return TRUE;
}

static gboolean
literal (Scan       *s,
         const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return bad (s, "unexpected character");
  s->p += n;
  return TRUE;
}

static gboolean
container (Scan     *s,
           guint     depth,
           gboolean  object)
{
  char close = object ? '}' : ']';

  if (depth >= s->max_depth)
    return bad (s, "nested too deep");
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      skip_ws (s);
      if (object)
        {
          if (s->p >= s->end || *s->p != '"')
            return bad (s, "a member name must be a string");
          if (!string (s))
            return FALSE;
          skip_ws (s);
          if (s->p >= s->end || *s->p != ':')
            return bad (s, "expected ':'");
          s->p++;
        }
      if (!value (s, depth + 1))
        return FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == close)
        {
          s->p++;
          return TRUE;
        }
      return bad (s, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static gboolean
value (Scan  *s,
       guint  depth)
{
  skip_ws (s);
  if (s->p >= s->end)
    return bad (s, "unexpected end");
  switch (*s->p)
    {
    case '{':
      return container (s, depth, TRUE);
    case '[':
      return container (s, depth, FALSE);
    case '"':
      return string (s);
    case 't':
      return literal (s, "true");
    case 'f':
      return literal (s, "false");
    case 'n':
      return literal (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return number (s);
      return bad (s, "unexpected character");
    }
}

gboolean
teren_server_json_check (const char  *data,
                         gsize        length,
                         guint        max_depth,
                         char       **out_reason)
{
  Scan s = { data, data + length, data, max_depth, NULL };

  if (value (&s, 0))
    {
      skip_ws (&s);
      if (s.p == s.end)
        return TRUE;
      s.reason = "text after the JSON value";
    }
  if (out_reason != NULL)
    *out_reason = g_strdup_printf ("%s (at byte %" G_GSIZE_FORMAT ")", s.reason, (gsize) (s.p - s.start));
  return FALSE;
}
