/* teren-export.c
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
#include "teren-export.h"
#include "teren-schema.h"

#define UTF8_BOM "\xEF\xBB\xBF"

/* First characters that make a spreadsheet read a cell as a formula. */
#define FORMULA_STARTS "=+-@\t\r"

/* The record as pretty JSON, every line indented by @indent_level spaces (an element of
 * the exported array). */
static char *
record_to_pretty_json (TerenRecord *record,
                       guint        indent_level)
{
  g_autoptr(JsonNode) node = teren_record_to_json (record);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *indent = g_strnfill (indent_level, ' ');
  g_auto(GStrv) lines = NULL;
  GString *out;
  guint i;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);

  lines = g_strsplit (text, "\n", -1);
  out = g_string_new (NULL);
  for (i = 0; lines[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, indent);
      g_string_append (out, lines[i]);
    }
  return g_string_free (out, FALSE);
}

GBytes *
teren_export_json (TerenStore          *store,
                   const char * const  *kinds,
                   GError             **error)
{
  g_autoptr(GString) out = g_string_new ("[");
  const TerenKindDef * const *all_kinds;
  guint n_kinds = 0;
  guint n_records = 0;
  guint k;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  all_kinds = teren_schema_list_kinds (&n_kinds);

  for (k = 0; k < n_kinds; k++)
    {
      g_autoptr(GPtrArray) ids = NULL;
      guint i;

      if (kinds != NULL && !g_strv_contains (kinds, all_kinds[k]->name))
        continue;

      ids = teren_store_list_ids (store, all_kinds[k]->name, error);
      if (ids == NULL)
        return NULL;

      for (i = 0; i < ids->len; i++)
        {
          g_autoptr(TerenRecord) record = NULL;
          g_autofree char *text = NULL;

          record = teren_store_get_record (store, g_ptr_array_index (ids, i), error);
          if (record == NULL)
            return NULL;
          if (teren_record_get_deleted (record))
            continue;

          text = record_to_pretty_json (record, 2);
          g_string_append (out, n_records == 0 ? "\n" : ",\n");
          g_string_append (out, text);
          n_records++;
        }
    }

  g_string_append (out, n_records == 0 ? "]\n" : "\n]\n");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

char *
teren_export_cell_text (JsonNode *value,
                        char      separator)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("");

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);
      GString *out = g_string_new (NULL);
      guint i;

      for (i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = teren_export_cell_text (json_array_get_element (array, i),
                                                          separator);
          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append (out, item);
        }
      return g_string_free (out, FALSE);
    }

  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_root (generator, value);
      return json_generator_to_data (generator, NULL);
    }

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (value);

        /* A spreadsheet runs a cell that starts with = + - or @ as a formula: such text
         * gets a leading apostrophe (OWASP "CSV injection"), which the import removes. */
        if (text != NULL && text[0] != '\0' && strchr (FORMULA_STARTS, text[0]) != NULL)
          return g_strconcat ("'", text, NULL);
        return g_strdup (text);
      }

    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (value) ? "true" : "false");

    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));

    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (value));
        if (separator == ';')
          g_strdelimit (buffer, ".", ',');
        return g_strdup (buffer);
      }

    default:
      return g_strdup ("");
    }
}

GBytes *
teren_export_csv (TerenStore  *store,
                  const char  *kind,
                  char         separator,
                  GError     **error)
{
  g_autoptr(GString) out = g_string_new (UTF8_BOM);
  g_autoptr(GPtrArray) header = g_ptr_array_new_null_terminated (16, NULL, TRUE);
  g_autoptr(GPtrArray) ids = NULL;
  const TerenKindDef *kind_def;
  gboolean with_line;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (separator == ',' || separator == ';', NULL);

  kind_def = teren_schema_lookup_kind (kind);
  if (kind_def == NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Unknown kind of record “%s”"), kind);
      return NULL;
    }

  with_line = !kind_def->registry;
  g_ptr_array_add (header, (gpointer)"id");
  if (with_line)
    g_ptr_array_add (header, (gpointer)"line");
  for (i = 0; i < kind_def->n_fields; i++)
    g_ptr_array_add (header, (gpointer)kind_def->fields[i].key);
  teren_csv_append_row (out, (const char * const *)header->pdata, separator);

  ids = teren_store_list_ids (store, kind, error);
  if (ids == NULL)
    return NULL;

  for (i = 0; i < ids->len; i++)
    {
      g_autoptr(TerenRecord) record = NULL;
      g_autoptr(GPtrArray) cells = g_ptr_array_new_null_terminated (header->len, g_free, TRUE);
      JsonObject *fields;
      guint f;

      record = teren_store_get_record (store, g_ptr_array_index (ids, i), error);
      if (record == NULL)
        return NULL;
      if (teren_record_get_deleted (record))
        continue;

      fields = teren_record_get_fields (record);
      g_ptr_array_add (cells, g_strdup (teren_record_get_id (record)));
      if (with_line)
        g_ptr_array_add (cells, g_strdup (teren_record_get_line (record)));
      for (f = 0; f < kind_def->n_fields; f++)
        {
          JsonNode *value = json_object_get_member (fields, kind_def->fields[f].key);
          g_ptr_array_add (cells, teren_export_cell_text (value, separator));
        }

      teren_csv_append_row (out, (const char * const *)cells->pdata, separator);
    }

  return g_string_free_to_bytes (g_steal_pointer (&out));
}
