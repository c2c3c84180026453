/* teren-csv.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-csv.h"
#include "teren-error.h"

struct _TerenCsvReader
{
  char     *data;       /* a private copy */
  gsize     length;
  gsize     pos;
  guint     line;       /* 1-based line of data[pos] */
  char      separator;
  gboolean  failed;     /* after an error nothing more is read */
};

static const char utf8_bom[] = "\xEF\xBB\xBF";

/* The separator of the header line: ";" if it has more semicolons than commas outside
 * quotes (Excel in a Romanian locale), else ",". */
static char
detect_separator (const char *data,
                  gsize       length)
{
  gboolean quoted = FALSE;
  guint commas = 0, semicolons = 0;
  gsize i;

  for (i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted && c == ',')
        commas++;
      else if (!quoted && c == ';')
        semicolons++;
    }

  return semicolons > commas ? ';' : ',';
}

TerenCsvReader *
teren_csv_reader_new (const char *data,
                      gsize       length,
                      char        separator)
{
  TerenCsvReader *reader = g_new0 (TerenCsvReader, 1);

  if (data == NULL)
    length = 0;

  if (length >= 3 && memcmp (data, utf8_bom, 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  reader->data = g_malloc (length + 1);
  if (length > 0)
    memcpy (reader->data, data, length);
  reader->data[length] = '\0';
  reader->length = length;
  reader->line = 1;
  reader->separator = separator != 0 ? separator : detect_separator (reader->data, length);

  return reader;
}

void
teren_csv_reader_free (TerenCsvReader *reader)
{
  if (reader == NULL)
    return;

  g_free (reader->data);
  g_free (reader);
}

char
teren_csv_reader_get_separator (TerenCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, ',');
  return reader->separator;
}

/* Consumes one line ending at pos (\r\n, \n or \r) if there is one. */
static gboolean
eat_newline (TerenCsvReader *reader)
{
  char c;

  if (reader->pos >= reader->length)
    return FALSE;

  c = reader->data[reader->pos];
  if (c == '\r')
    {
      reader->pos++;
      if (reader->pos < reader->length && reader->data[reader->pos] == '\n')
        reader->pos++;
      reader->line++;
      return TRUE;
    }
  if (c == '\n')
    {
      reader->pos++;
      reader->line++;
      return TRUE;
    }

  return FALSE;
}

/* Line number of byte @offset, counting from @start, which is on line @start_line. */
static guint
line_of (TerenCsvReader *reader,
         gsize           start,
         guint           start_line,
         gsize           offset)
{
  guint line = start_line;
  gsize i;

  for (i = start; i < offset && i < reader->length; i++)
    {
      if (reader->data[i] == '\n')
        line++;
      else if (reader->data[i] == '\r' &&
               !(i + 1 < reader->length && reader->data[i + 1] == '\n'))
        line++;
    }

  return line;
}

gboolean
teren_csv_reader_next_row (TerenCsvReader  *reader,
                           GStrv           *out_fields,
                           guint           *out_line,
                           GError         **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = NULL;
  const char *bad = NULL;
  gsize row_start;
  guint row_line;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (out_fields != NULL, FALSE);

  *out_fields = NULL;

  if (reader->failed)
    return FALSE;

  /* Blank lines are skipped, so a final newline does not make an empty row. */
  while (eat_newline (reader))
    ;

  if (reader->pos >= reader->length)
    return FALSE;

  row_start = reader->pos;
  row_line = reader->line;
  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);

  for (;;)
    {
      gboolean end_of_row = FALSE;

      if (reader->pos < reader->length && reader->data[reader->pos] == '"')
        {
          guint quote_line = reader->line;
          gboolean closed = FALSE;

          reader->pos++;
          while (reader->pos < reader->length)
            {
              char c = reader->data[reader->pos];

              if (c == '"')
                {
                  if (reader->pos + 1 < reader->length && reader->data[reader->pos + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      reader->pos += 2;
                      continue;
                    }
                  reader->pos++;
                  closed = TRUE;
                  break;
                }

              if (c == '\n' || (c == '\r' && !(reader->pos + 1 < reader->length &&
                                                reader->data[reader->pos + 1] == '\n')))
                reader->line++;
              g_string_append_c (field, c);
              reader->pos++;
            }

          if (!closed)
            {
              reader->failed = TRUE;
              g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           _("Line %u: a quoted field is never closed"), quote_line);
              return FALSE;
            }
        }

      /* Unquoted text, or what follows a closing quote (kept as Excel does). */
      while (reader->pos < reader->length)
        {
          char c = reader->data[reader->pos];

          if (c == reader->separator || c == '\n' || c == '\r')
            break;
          g_string_append_c (field, c);
          reader->pos++;
        }

      g_ptr_array_add (fields, g_strndup (field->str, field->len));
      g_string_truncate (field, 0);

      if (reader->pos >= reader->length)
        end_of_row = TRUE;
      else if (reader->data[reader->pos] == reader->separator)
        reader->pos++;
      else
        {
          eat_newline (reader);
          end_of_row = TRUE;
        }

      if (end_of_row)
        break;
    }

  /* The whole row, quotes included, must be UTF-8 (this also catches NUL bytes). */
  if (!g_utf8_validate (reader->data + row_start, reader->pos - row_start, &bad))
    {
      reader->failed = TRUE;
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Line %u is not valid UTF-8 text"),
                   line_of (reader, row_start, row_line, bad - reader->data));
      return FALSE;
    }

  if (out_line != NULL)
    *out_line = row_line;

  g_ptr_array_add (fields, NULL);
  *out_fields = (GStrv) g_ptr_array_free (g_steal_pointer (&fields), FALSE);
  return TRUE;
}

char *
teren_csv_escape (const char *field,
                  char        separator)
{
  GString *out;
  const char *p;

  if (field == NULL)
    return g_strdup ("");
  if (separator == 0)
    separator = ',';

  if (strchr (field, separator) == NULL && strpbrk (field, "\"\r\n") == NULL)
    return g_strdup (field);

  out = g_string_sized_new (strlen (field) + 2);
  g_string_append_c (out, '"');
  for (p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

void
teren_csv_append_row (GString            *out,
                      const char * const *fields,
                      char                separator)
{
  guint i;

  g_return_if_fail (out != NULL);

  if (separator == 0)
    separator = ',';

  for (i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      g_autofree char *escaped = teren_csv_escape (fields[i], separator);

      if (i > 0)
        g_string_append_c (out, separator);
      g_string_append (out, escaped);
    }

  g_string_append (out, "\r\n");
}
