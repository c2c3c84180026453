/* teren-table.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "teren-csv.h"
#include "teren-table.h"

#define UTF8_BOM "\xEF\xBB\xBF"
/* First characters that make a spreadsheet read a cell as a formula. */
#define FORMULA_STARTS "=+-@\t\r"

struct _TerenTable
{
  GStrv      columns;
  guint      n_columns;
  GPtrArray *rows;   /* GStrv of n_columns cells */
};

TerenTable *
teren_table_new (const char * const *columns)
{
  TerenTable *table;

  g_return_val_if_fail (columns != NULL && columns[0] != NULL, NULL);

  table = g_new0 (TerenTable, 1);
  table->columns = g_strdupv ((char **) columns);
  table->n_columns = g_strv_length (table->columns);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return table;
}

void
teren_table_free (TerenTable *table)
{
  if (table == NULL)
    return;
  g_strfreev (table->columns);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

guint
teren_table_get_n_columns (TerenTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->n_columns;
}

guint
teren_table_get_n_rows (TerenTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->rows->len;
}

void
teren_table_add_row (TerenTable         *table,
                     const char * const *cells)
{
  char **row;
  guint i;

  g_return_if_fail (table != NULL);
  g_return_if_fail (cells != NULL);

  row = g_new0 (char *, table->n_columns + 1);
  for (i = 0; i < table->n_columns; i++)
    row[i] = g_strdup (cells[i] != NULL ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
}

const char *
teren_table_get_cell (TerenTable *table,
                      guint       row,
                      guint       column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (row < table->rows->len && column < table->n_columns, NULL);
  return ((char **) g_ptr_array_index (table->rows, row))[column];
}

static gboolean
is_number (const char *text)
{
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0';
}

static void
append_csv_row (GString            *out,
                const char * const *cells,
                guint               n_cells,
                char                separator)
{
  g_autoptr(GPtrArray) safe = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; i < n_cells; i++)
    {
      const char *cell = cells[i];

      if (*cell != '\0' && strchr (FORMULA_STARTS, *cell) != NULL && !is_number (cell))
        g_ptr_array_add (safe, g_strconcat ("'", cell, NULL));
      else
        g_ptr_array_add (safe, g_strdup (cell));
    }
  g_ptr_array_add (safe, NULL);
  teren_csv_append_row (out, (const char * const *) safe->pdata, separator);
}

GBytes *
teren_table_to_csv (TerenTable *table,
                    char        separator)
{
  GString *out;
  guint i;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (separator == ',' || separator == ';', NULL);

  out = g_string_new (UTF8_BOM);
  append_csv_row (out, (const char * const *) table->columns, table->n_columns, separator);
  for (i = 0; i < table->rows->len; i++)
    append_csv_row (out, g_ptr_array_index (table->rows, i), table->n_columns, separator);
  return g_string_free_to_bytes (out);
}

GBytes *
teren_table_to_json (TerenTable *table)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize length = 0;
  guint i, c;

  g_return_val_if_fail (table != NULL, NULL);

  for (i = 0; i < table->rows->len; i++)
    {
      char **row = g_ptr_array_index (table->rows, i);
      JsonObject *object = json_object_new ();

      for (c = 0; c < table->n_columns; c++)
        {
          if (*row[c] == '\0')
            json_object_set_null_member (object, table->columns[c]);
          else
            json_object_set_string_member (object, table->columns[c], row[c]);
        }
      json_array_add_object_element (array, object);
    }
  json_node_set_array (root, array);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  text = g_realloc (text, length + 2);
  text[length] = '\n';
  text[length + 1] = '\0';
  return g_bytes_new_take (text, length + 1);
}

GBytes *
teren_table_serialize (TerenTable       *table,
                       TerenTableFormat  format,
                       char              separator)
{
  switch (format)
    {
    case TEREN_TABLE_JSON:
      return teren_table_to_json (table);
    case TEREN_TABLE_CSV:
    default:
      return teren_table_to_csv (table, separator);
    }
}
