/* teren-server-nomenclature.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "teren-csv.h"
#include "teren-error.h"
#include "teren-nomenclature.h"
#include "teren-text.h"
#include "teren-server-nomenclature.h"

#define MAX_VALUE_CHARS 500
#define MAX_ROWS        1000000

gboolean
teren_server_nomenclature_kind_is_valid (const char *kind)
{
  const char *p;

  if (kind == NULL || kind[0] == '\0' || strlen (kind) > 64)
    return FALSE;
  for (p = kind; *p != '\0'; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return FALSE;
  return TRUE;
}

/* Column of @names (lower case) in @header, or -1. */
static int
column (GStrv        header,
        const char **names)
{
  guint i, k;

  for (k = 0; names[k] != NULL; k++)
    for (i = 0; header[i] != NULL; i++)
      if (g_ascii_strcasecmp (header[i], names[k]) == 0)
        return (int) i;
  return -1;
}

static gboolean
all_digits (const char *text,
            guint       max)
{
  guint n = 0;

  if (text == NULL || text[0] == '\0')
    return FALSE;
  for (; *text != '\0'; text++, n++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return n <= max;
}

static gboolean
fail (GError    **error,
      guint       line,
      const char *message)
{
  g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("Line %u: %s"), line, message);
  return FALSE;
}

/* Canonical text of a cell, or NULL (and @error) if it holds control characters or is
 * too long. */
static char *
clean (const char  *cell,
       guint        line,
       const char  *name,
       GError     **error)
{
  g_autofree char *text = teren_text_normalize (cell != NULL ? cell : "");

  if (teren_text_has_control_chars (text, FALSE) || teren_text_length (text) > MAX_VALUE_CHARS)
    {
      g_autofree char *message = g_strdup_printf (_("the column “%s” holds control characters or is too long"), name);

      fail (error, line, message);
      return NULL;
    }
  return g_steal_pointer (&text);
}

GPtrArray *
teren_server_nomenclature_parse_csv (const char  *kind,
                                     const char  *data,
                                     gsize        length,
                                     GError     **error)
{
  static const char *code_names[] = { "code", "siruta", "cod", NULL };
  static const char *name_names[] = { "name", "denloc", "label", "description", "denumire", NULL };
  static const char *county_names[] = { "county", "jud", NULL };
  static const char *parent_names[] = { "parent", "sirsup", NULL };
  static const char *env_names[] = { "environment", NULL };
  static const char *med_names[] = { "med", NULL };
  static const char *postal_names[] = { "postal_code", "codp", NULL };
  static const char *type_names[] = { "tip", "type", NULL };
  static const char *level_names[] = { "niv", "level", NULL };
  g_autoptr(TerenCsvReader) reader = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) header = NULL;
  gboolean siruta = g_strcmp0 (kind, "siruta") == 0;
  gboolean icd10 = g_strcmp0 (kind, "icd10") == 0;
  int c_code, c_name, c_county = -1, c_parent = -1, c_env = -1, c_med = -1, c_postal = -1;
  int c_type = -1, c_level = -1;
  guint line = 0;
  guint n_header;
  GStrv row = NULL;
  GError *local = NULL;

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, "%s", _("the file is not valid UTF-8"));
      return NULL;
    }
  reader = teren_csv_reader_new (data, length, 0);
  if (!teren_csv_reader_next_row (reader, &header, &line, &local))
    {
      if (local != NULL)
        g_propagate_error (error, local);
      else
        fail (error, 1, _("the file is empty; a header row is needed"));
      return NULL;
    }
  n_header = g_strv_length (header);
  for (guint i = 0; i < n_header; i++)
    g_strstrip (header[i]);

  c_code = column (header, code_names);
  c_name = column (header, name_names);
  if (c_code < 0 || c_name < 0)
    {
      fail (error, line, _("the header needs a “code” and a “name” column"));
      return NULL;
    }
  if (siruta)
    {
      c_county = column (header, county_names);
      c_parent = column (header, parent_names);
      c_env = column (header, env_names);
      c_med = column (header, med_names);
      c_postal = column (header, postal_names);
      c_type = column (header, type_names);
      c_level = column (header, level_names);
    }

  while (teren_csv_reader_next_row (reader, &row, &line, &local))
    {
      g_auto(GStrv) cells = row;
      g_autoptr(JsonObject) entry = NULL;
      g_autofree char *code = NULL;
      g_autofree char *name = NULL;
      guint n = g_strv_length (cells);
      guint i;

      row = NULL;
      if (n == 0 || (n == 1 && g_strstrip (cells[0])[0] == '\0'))
        continue;   /* blank line */
      if (n != n_header)
        {
          g_autofree char *message = g_strdup_printf (_("%u columns where the header has %u"), n, n_header);

          fail (error, line, message);
          return NULL;
        }
      if (entries->len >= MAX_ROWS)
        {
          fail (error, line, _("too many rows"));
          return NULL;
        }
      code = clean (cells[c_code], line, "code", error);
      name = code != NULL ? clean (cells[c_name], line, "name", error) : NULL;
      if (code == NULL || name == NULL)
        return NULL;
      if (code[0] == '\0' || strlen (code) > 32 || strchr (code, ' ') != NULL)
        {
          fail (error, line, _("the code is empty, too long or holds spaces"));
          return NULL;
        }
      if (siruta && !all_digits (code, 6))
        {
          fail (error, line, _("a SIRUTA code is 1 to 6 digits"));
          return NULL;
        }
      if (icd10 && (!g_ascii_isalpha (code[0]) || strlen (code) > 8))
        {
          fail (error, line, _("an ICD-10 code starts with a letter (e.g. J45.0)"));
          return NULL;
        }
      if (name[0] == '\0')
        {
          fail (error, line, _("the name is empty"));
          return NULL;
        }
      if (g_hash_table_contains (seen, code))
        {
          fail (error, line, _("this code appears twice"));
          return NULL;
        }
      g_hash_table_add (seen, g_strdup (code));

      entry = json_object_new ();
      json_object_set_string_member (entry, "code", code);
      json_object_set_string_member (entry, "name", name);

      if (siruta)
        {
          struct { int col; const char *member; } extra[] = {
            { c_county, "county" }, { c_parent, "parent" }, { c_postal, "postal_code" },
            { c_type, "type" }, { c_level, "level" },
          };

          for (i = 0; i < G_N_ELEMENTS (extra); i++)
            {
              g_autofree char *value = NULL;

              if (extra[i].col < 0)
                continue;
              value = clean (cells[extra[i].col], line, extra[i].member, error);
              if (value == NULL)
                return NULL;
              if (value[0] != '\0' && !all_digits (value, 8))
                {
                  g_autofree char *message = g_strdup_printf (_("the column “%s” must be a number"), extra[i].member);

                  fail (error, line, message);
                  return NULL;
                }
              /* SIRUTA writes 0 for "no postal code" and "no parent". */
              if (strcmp (value, "0") == 0 && (strcmp (extra[i].member, "postal_code") == 0 ||
                                               strcmp (extra[i].member, "parent") == 0))
                value[0] = '\0';
              json_object_set_string_member (entry, extra[i].member, value);
            }
          if (c_env >= 0)
            {
              g_autofree char *value = clean (cells[c_env], line, "environment", error);

              if (value == NULL)
                return NULL;
              if (value[0] != '\0' && strcmp (value, "urban") != 0 && strcmp (value, "rural") != 0)
                {
                  fail (error, line, _("the environment is “urban”, “rural” or empty"));
                  return NULL;
                }
              json_object_set_string_member (entry, "environment", value);
            }
          else if (c_med >= 0)
            {
              g_autofree char *value = clean (cells[c_med], line, "MED", error);
              const char *environment;

              if (value == NULL)
                return NULL;
              if (!all_digits (value, 1))
                {
                  fail (error, line, _("MED must be 0, 1 or 3"));
                  return NULL;
                }
              environment = teren_nomenclature_environment_from_med (atoi (value));
              json_object_set_string_member (entry, "environment", environment != NULL ? environment : "");
            }
        }
      else
        {
          for (i = 0; i < n; i++)
            {
              g_autofree char *value = NULL;
              g_autofree char *member = NULL;

              if ((int) i == c_code || (int) i == c_name || header[i][0] == '\0')
                continue;
              member = g_ascii_strdown (header[i], -1);
              if (!teren_server_nomenclature_kind_is_valid (member) || strcmp (member, "kind") == 0 ||
                  strcmp (member, "seq") == 0 || strcmp (member, "deleted") == 0)
                continue;
              value = clean (cells[i], line, header[i], error);
              if (value == NULL)
                return NULL;
              json_object_set_string_member (entry, member, value);
            }
        }
      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (entries->len == 0)
    {
      fail (error, line, _("the file has no rows"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}
