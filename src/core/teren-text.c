/* teren-text.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-text.h"

#define COMBINING_CEDILLA     0x0327
#define COMBINING_COMMA_BELOW 0x0326
#define COMBINING_BREVE       0x0306
#define COMBINING_CIRCUMFLEX  0x0302

/* Our input contract is valid UTF-8, but a stray invalid byte must never crash a
 * normaliser: such text is repaired with U+FFFD first. */
static char *
ensure_valid (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  return g_utf8_make_valid (text, -1);
}

static gboolean
is_cedilla_base (gunichar c)
{
  return c == 's' || c == 'S' || c == 't' || c == 'T';
}

static gboolean
is_ascii (const char *text)
{
  const guchar *p;

  for (p = (const guchar *) text; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/* NFD with s/t + cedilla turned into s/t + comma below. Precomposed ş ţ Ş Ţ decompose
 * to the cedilla sequences first, so both spellings are handled by the same rule. */
static char *
decompose_romanian (const char *text)
{
  g_autofree char *valid = ensure_valid (text);
  g_autofree char *nfd = NULL;
  GString *out;
  gunichar last_starter = 0;
  const char *p;

  /* ASCII is its own NFD and has no cedilla. */
  if (is_ascii (valid))
    return g_steal_pointer (&valid);

  nfd = g_utf8_normalize (valid, -1, G_NORMALIZE_NFD);
  out = g_string_sized_new (strlen (nfd) + 8);
  for (p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_combining_class (c) == 0)
        last_starter = c;
      else if (c == COMBINING_CEDILLA && is_cedilla_base (last_starter))
        c = COMBINING_COMMA_BELOW;

      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static char *
trim_unicode_space (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

char *
teren_text_normalize (const char *text)
{
  g_autofree char *nfd = decompose_romanian (text);
  g_autofree char *nfc = is_ascii (nfd) ? g_strdup (nfd) : g_utf8_normalize (nfd, -1, G_NORMALIZE_NFC);

  return trim_unicode_space (nfc);
}

/* A character that separates words in a search key. */
static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c);
}

/* teren_text_fold() of ASCII text, which NFD leaves as it is and which has no marks: the
 * same result without the normaliser (most names and every id, number and date). */
static char *
fold_ascii (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean pending_space = FALSE;
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        {
          g_string_append_c (out, ' ');
          pending_space = FALSE;
        }
      g_string_append_c (out, g_ascii_tolower (*p));
    }

  return g_string_free (out, FALSE);
}

char *
teren_text_fold (const char *text)
{
  g_autofree char *nfd = NULL;
  GString *out;
  gboolean pending_space = FALSE;
  const char *p;

  if (text != NULL && is_ascii (text))
    return fold_ascii (text);

  nfd = decompose_romanian (text);
  out = g_string_sized_new (strlen (nfd));
  for (p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK ||
          type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;

      if (!is_word_char (c))
        {
          pending_space = out->len > 0;
          continue;
        }

      if (pending_space)
        {
          g_string_append_c (out, ' ');
          pending_space = FALSE;
        }

      c = g_unichar_tolower (c);
      /* Letters GLib does not decompose but users type without marks. */
      switch (c)
        {
        case 0x00DF: /* ß */
          g_string_append (out, "ss");
          continue;
        case 0x0142: /* ł */
          c = 'l';
          break;
        case 0x00F8: /* ø */
          c = 'o';
          break;
        case 0x0111: /* đ */
          c = 'd';
          break;
        default:
          break;
        }
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

gboolean
teren_text_has_control_chars (const char *text,
                              gboolean    allow_newlines)
{
  const char *p;

  if (text == NULL)
    return FALSE;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t' || c == '\n' || c == '\r')
        {
          if (!allow_newlines)
            return TRUE;
          continue;
        }

      if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
        return TRUE;

      /* LINE and PARAGRAPH SEPARATOR break a single line as surely as \n. */
      if (!allow_newlines && (c == 0x2028 || c == 0x2029))
        return TRUE;
    }

  return FALSE;
}

glong
teren_text_length (const char *text)
{
  if (text == NULL)
    return 0;
  return g_utf8_strlen (text, -1);
}

/* The collation key is printable ASCII so that SQLite's BINARY collation (memcmp)
 * orders it correctly. Three levels, CLDR-like:
 *
 *   primary   one byte per letter in the Romanian alphabet order
 *             (a ă â b … i î … s ș t ț … z), digits before letters, any separator
 *             run as "!", other scripts as "~" + six hex digits (after every letter);
 *   secondary "1" for a letter that carried a non-Romanian diacritic (é), else "0";
 *   tertiary  "l" lower case before "u" upper case.
 *
 * Levels are separated by " ", which sorts below every primary byte, so "Pop" < "Pop Ana"
 * < "Popa". */
#define PRIMARY_SEPARATOR '!'
#define PRIMARY_FIRST_LETTER 'A'
#define PRIMARY_OTHER '~'

/* The place of a letter (a lower-case base letter and its first combining mark) in the
 * Romanian alphabet, a ă â b c d e f g h i î j k l m n o p q r s ș t ț u v w x y z, or
 * -1 for anything else. */
static int
romanian_letter_index (gunichar base,
                       gunichar mark)
{
  if (base == 'a' && mark == COMBINING_BREVE)
    return 1;
  if (base == 'a' && mark == COMBINING_CIRCUMFLEX)
    return 2;
  if (base == 'i' && mark == COMBINING_CIRCUMFLEX)
    return 11;
  if (base == 's' && mark == COMBINING_COMMA_BELOW)
    return 22;
  if (base == 't' && mark == COMBINING_COMMA_BELOW)
    return 24;
  if (base < 'a' || base > 'z')
    return -1;
  /* After the letters of its own before it: ă â (after a), î (after i), ș, ț. */
  return (int) (base - 'a') + (base > 'a' ? 2 : 0) + (base > 'i') + (base > 's') + (base > 't');
}

char *
teren_text_collate_key (const char *text)
{
  g_autofree char *nfd = decompose_romanian (text);
  g_autofree char *trimmed = trim_unicode_space (nfd);
  GString *primary = g_string_new (NULL);
  GString *secondary = g_string_new (NULL);
  GString *tertiary = g_string_new (NULL);
  const char *p = trimmed;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      gunichar lower = g_unichar_tolower (c);
      gunichar first_mark = 0;
      gboolean other_marks = FALSE;
      int index;

      p = g_utf8_next_char (p);

      if (!g_unichar_isalnum (c))
        {
          /* Separators and punctuation (and their marks) collapse to one byte. */
          while (*p != '\0' && g_unichar_combining_class (g_utf8_get_char (p)) != 0)
            p = g_utf8_next_char (p);
          if (primary->len == 0 || primary->str[primary->len - 1] != PRIMARY_SEPARATOR)
            g_string_append_c (primary, PRIMARY_SEPARATOR);
          continue;
        }

      while (*p != '\0' && g_unichar_combining_class (g_utf8_get_char (p)) != 0)
        {
          gunichar mark = g_utf8_get_char (p);

          if (first_mark == 0)
            first_mark = mark;
          else
            other_marks = TRUE;
          p = g_utf8_next_char (p);
        }

      if (g_unichar_isdigit (c) && c < 0x80)
        {
          g_string_append_c (primary, (char) c);
          g_string_append_c (secondary, first_mark != 0 ? '1' : '0');
          g_string_append_c (tertiary, 'l');
          continue;
        }

      index = romanian_letter_index (lower, first_mark);
      if (index >= 0 && first_mark != 0 && romanian_letter_index (lower, 0) != index)
        {
          /* ă â î ș ț are letters of their own. */
          g_string_append_c (primary, (char) (PRIMARY_FIRST_LETTER + index));
          g_string_append_c (secondary, other_marks ? '1' : '0');
        }
      else
        {
          index = romanian_letter_index (lower, 0);
          if (index >= 0)
            g_string_append_c (primary, (char) (PRIMARY_FIRST_LETTER + index));
          else
            g_string_append_printf (primary, "%c%06X", PRIMARY_OTHER, lower);
          g_string_append_c (secondary, first_mark != 0 ? '1' : '0');
        }

      g_string_append_c (tertiary, c != lower ? 'u' : 'l');
    }

  /* Drop a trailing separator so "Ana " and "Ana" sort together. */
  if (primary->len > 0 && primary->str[primary->len - 1] == PRIMARY_SEPARATOR)
    g_string_truncate (primary, primary->len - 1);

  g_string_append_c (primary, ' ');
  g_string_append_len (primary, secondary->str, secondary->len);
  g_string_append_c (primary, ' ');
  g_string_append_len (primary, tertiary->str, tertiary->len);

  g_string_free (secondary, TRUE);
  g_string_free (tertiary, TRUE);

  return g_string_free (primary, FALSE);
}

int
teren_text_collate (const char *a,
                    const char *b)
{
  g_autofree char *key_a = teren_text_collate_key (a);
  g_autofree char *key_b = teren_text_collate_key (b);
  int cmp = strcmp (key_a, key_b);

  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}
