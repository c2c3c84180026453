/* teren-csv-import.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-cnp.h"
#include "teren-csv-import.h"
#include "teren-csv.h"
#include "teren-error.h"
#include "teren-import-columns.h"
#include "teren-line.h"
#include "teren-schema.h"
#include "teren-text.h"

/* First characters that make a spreadsheet read a cell as a formula (teren-export.c). */
#define FORMULA_STARTS "=+-@"

/* Cells quoted back in messages are cut to this many characters. */
#define QUOTE_MAX_CHARS 40

typedef struct {
  guint  line;
  GStrv  cells;
} Row;

typedef struct {
  guint       line;
  JsonObject *fields;
} ValidRow;

typedef struct {
  TerenStore            *store;
  const TerenKindDef    *kind;
  const char            *line;
  TerenMoCatalog        *romanian;
  TerenImportColumns    *columns;
  TerenCsvImportFlags    flags;
  TerenCsvImportReport   report;
  gpointer               user_data;
  TerenCsvImportSummary *summary;
  GHashTable            *cnp_lines;   /* CNP → GUINT_TO_POINTER (line) of the file */
} Import;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->cells, g_strfreev);
}

static void
valid_row_clear (ValidRow *row)
{
  g_clear_pointer (&row->fields, json_object_unref);
}

static void
report (Import             *import,
        TerenCsvImportNote  note,
        guint               line,
        const char         *message)
{
  if (import->report != NULL)
    import->report (note, line, message, import->user_data);
}

/* Line number (1-based) of byte @offset. */
static guint
line_of_offset (const char *data,
                gsize       offset)
{
  guint line = 1;
  gsize i;

  for (i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        line++;
    }
  return line;
}

static gboolean
is_blank (const char *data,
          gsize       length)
{
  gsize i = 0;

  /* A UTF-8 BOM alone is still an empty file. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;

  for (; i < length; i++)
    {
      if (!g_ascii_isspace (data[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
row_is_blank (const Row *row)
{
  guint i;

  for (i = 0; row->cells[i] != NULL; i++)
    {
      const char *p = row->cells[i];

      while (*p != '\0' && g_ascii_isspace (*p))
        p++;
      if (*p != '\0')
        return FALSE;
    }
  return TRUE;
}

/* Reads the whole file into rows: a format error anywhere refuses the file. */
static GArray *
read_rows (const char  *data,
           gsize        length,
           char         separator,
           GError     **error)
{
  g_autoptr(TerenCsvReader) reader = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr(GError) local_error = NULL;
  const char *bad = NULL;

  g_array_set_clear_func (rows, (GDestroyNotify)row_clear);

  if (length == 0 || is_blank (data, length))
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           _("The file is empty: it has no header row and no data"));
      return NULL;
    }

  if (!g_utf8_validate_len (data, length, &bad))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Line %u is not UTF-8 text. Save the file from the spreadsheet as "
                     "“CSV UTF-8”, or name its encoding with --encoding (for example "
                     "--encoding=WINDOWS-1250), and import it again"),
                   line_of_offset (data, bad - data));
      return NULL;
    }

  reader = teren_csv_reader_new (data, length, separator);
  for (;;)
    {
      Row row = { 0, NULL };

      if (!teren_csv_reader_next_row (reader, &row.cells, &row.line, &local_error))
        break;
      g_array_append_val (rows, row);
    }

  if (local_error != NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("The file cannot be read as CSV: %s"), local_error->message);
      return NULL;
    }

  if (rows->len == 0)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           _("The file is empty: it has no header row and no data"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* @text cut to QUOTE_MAX_CHARS characters, for messages. (transfer full) */
static char *
shorten (const char *text)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, -1) <= QUOTE_MAX_CHARS)
    return g_strdup (text);

  start = g_utf8_substring (text, 0, QUOTE_MAX_CHARS - 1);
  return g_strconcat (start, "…", NULL);
}

/* The title of the column holding @key, or the field's label when no column does
 * (a derived value). */
static const char *
column_title_for (Import     *import,
                  const char *key)
{
  const TerenFieldDef *field;
  guint i;

  for (i = 0; i < teren_import_columns_get_n_columns (import->columns); i++)
    {
      field = teren_import_columns_get_field (import->columns, i);
      if (field != NULL && g_str_equal (field->key, key))
        return teren_import_columns_get_title (import->columns, i);
    }

  field = teren_kind_lookup_field (import->kind, key);
  return field != NULL ? teren_field_get_label (field) : key;
}

static void
reject (Import     *import,
        guint       line,
        GPtrArray  *reasons)
{
  g_autofree char *joined = NULL;
  g_autofree char *message = NULL;

  g_ptr_array_add (reasons, NULL);
  joined = g_strjoinv ("; ", (char **)reasons->pdata);
  /* Translators: a rejected row: the line number, then the reasons */
  message = g_strdup_printf (_("Line %u rejected: %s"), line, joined);
  report (import, TEREN_CSV_IMPORT_NOTE_REJECTED_ROW, line, message);
  import->summary->rejected++;
}

static char *
column_reason (const char *title,
               const char *message)
{
  g_autofree char *short_title = shorten (title);

  /* Translators: one reason a row is rejected: the column title, then what is wrong */
  return g_strdup_printf (_("column “%s”: %s"), short_title, message);
}

static void
add_field_errors (Import    *import,
                  GPtrArray *field_errors,
                  GPtrArray *reasons)
{
  guint i;

  for (i = 0; i < field_errors->len; i++)
    {
      TerenFieldError *field_error = g_ptr_array_index (field_errors, i);

      if (field_error->field == NULL || field_error->field[0] == '\0')
        g_ptr_array_add (reasons, g_strdup (field_error->message));
      else
        g_ptr_array_add (reasons, column_reason (column_title_for (import, field_error->field),
                                                 field_error->message));
    }
}

/* A person's cnp_status when the file does not give it, and sex and birth date from a
 * valid CNP when their cells are empty. */
static void
derive_person_fields (JsonObject *fields)
{
  const char *cnp = json_object_has_member (fields, "cnp") ?
                    json_object_get_string_member_with_default (fields, "cnp", NULL) : NULL;
  const char *status;
  TerenCnpInfo info = { 0, };

  if (!json_object_has_member (fields, "cnp_status"))
    json_object_set_string_member (fields, "cnp_status",
                                   cnp != NULL ? TEREN_CNP_STATUS_VALID : TEREN_CNP_STATUS_MISSING);

  status = json_object_get_string_member_with_default (fields, "cnp_status", NULL);
  if (cnp == NULL || g_strcmp0 (status, TEREN_CNP_STATUS_VALID) != 0 ||
      teren_cnp_validate (cnp, NULL, &info) != TEREN_CNP_OK)
    return;

  if (!json_object_has_member (fields, "sex") && info.sex != 0)
    {
      char sex[2] = { info.sex, '\0' };
      json_object_set_string_member (fields, "sex", sex);
    }

  if (!json_object_has_member (fields, "birth_date") && info.century_known)
    {
      g_autofree char *birth_date = teren_cnp_info_birth_date (&info);
      json_object_set_string_member (fields, "birth_date", birth_date);
    }
}

/* Rejects a person whose valid CNP is already in the store or on an earlier line. */
static gboolean
check_duplicate_cnp (Import      *import,
                     guint        line,
                     JsonObject  *fields,
                     GPtrArray   *reasons,
                     GError     **error)
{
  const char *cnp = json_object_get_string_member_with_default (fields, "cnp", NULL);
  const char *status = json_object_get_string_member_with_default (fields, "cnp_status", NULL);
  g_autoptr(GPtrArray) ids = NULL;
  gpointer earlier;

  if (cnp == NULL || g_strcmp0 (status, TEREN_CNP_STATUS_VALID) != 0)
    return TRUE;

  if (g_hash_table_lookup_extended (import->cnp_lines, cnp, NULL, &earlier))
    {
      g_autofree char *message = g_strdup_printf (_("the same CNP as line %u"),
                                                  GPOINTER_TO_UINT (earlier));

      g_ptr_array_add (reasons, column_reason (column_title_for (import, "cnp"), message));
      return TRUE;
    }

  ids = teren_store_find_by_cnp (import->store, cnp, error);
  if (ids == NULL)
    return FALSE;
  if (ids->len > 0)
    {
      g_ptr_array_add (reasons,
                       column_reason (column_title_for (import, "cnp"),
                                      _("a person with this CNP is already registered")));
      return TRUE;
    }

  g_hash_table_insert (import->cnp_lines, g_strdup (cnp), GUINT_TO_POINTER (line));
  return TRUE;
}

/* Converts and validates one row. Returns the fields of a valid row, or %NULL after
 * reporting it; FALSE in @ok only for a store failure (@error set). */
static JsonObject *
convert_row (Import      *import,
             const Row   *row,
             gboolean    *ok,
             GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) field_errors = NULL;
  guint n_columns = teren_import_columns_get_n_columns (import->columns);
  guint n_cells = g_strv_length (row->cells);
  guint i;

  *ok = TRUE;

  for (i = n_columns; i < n_cells; i++)
    {
      g_autofree char *cell = g_strstrip (g_strdup (row->cells[i]));

      if (cell[0] != '\0')
        {
          g_ptr_array_add (reasons,
                           g_strdup_printf (_("the row has %u values but the header has %u columns"),
                                            n_cells, n_columns));
          reject (import, row->line, reasons);
          return NULL;
        }
    }

  for (i = 0; i < n_columns && i < n_cells; i++)
    {
      const TerenFieldDef *field = teren_import_columns_get_field (import->columns, i);
      g_autofree char *cell = NULL;
      g_autoptr(GError) value_error = NULL;
      JsonNode *value;

      if (field == NULL)
        continue;

      cell = g_strstrip (g_strdup (row->cells[i]));
      if (cell[0] == '\0')
        continue;

      /* Undo the apostrophe that teren-cli export puts before formula-like text. */
      if (cell[0] == '\'' && cell[1] != '\0' && strchr (FORMULA_STARTS, cell[1]) != NULL)
        memmove (cell, cell + 1, strlen (cell));

      value = teren_import_value_from_text (field, cell, import->romanian, &value_error);
      if (value == NULL)
        {
          g_autofree char *short_message = NULL;

          /* Messages quote the cell: keep a 10,000-character cell out of them. */
          if (g_utf8_strlen (value_error->message, -1) > 4 * QUOTE_MAX_CHARS)
            short_message = g_strdup (_("the value is not valid for this field"));
          else
            short_message = g_strdup (value_error->message);
          g_ptr_array_add (reasons,
                           column_reason (teren_import_columns_get_title (import->columns, i),
                                          short_message));
          continue;
        }

      json_object_set_member (fields, field->key, value);
    }

  if (reasons->len > 0)
    {
      reject (import, row->line, reasons);
      return NULL;
    }

  if (g_str_equal (import->kind->name, "person"))
    derive_person_fields (fields);

  teren_schema_normalize_fields (import->kind, fields);

  if (!teren_schema_validate (import->kind, import->line, fields, TEREN_VALIDATE_COMPLETE,
                              NULL, &field_errors))
    {
      add_field_errors (import, field_errors, reasons);
      if (reasons->len == 0)
        g_ptr_array_add (reasons, g_strdup (_("the row is not valid")));
      reject (import, row->line, reasons);
      return NULL;
    }

  if (g_str_equal (import->kind->name, "person") &&
      !check_duplicate_cnp (import, row->line, fields, reasons, error))
    {
      *ok = FALSE;
      return NULL;
    }

  if (reasons->len > 0)
    {
      reject (import, row->line, reasons);
      return NULL;
    }

  return g_steal_pointer (&fields);
}

/* Saves the valid rows in one transaction. A row that the store still refuses is
 * reported and left out (or, with ALL_OR_NOTHING, everything is rolled back). */
static gboolean
save_rows (Import   *import,
           GArray   *valid,
           GError  **error)
{
  guint i;
  guint saved = 0;

  if (!teren_store_begin (import->store, error))
    return FALSE;

  for (i = 0; i < valid->len; i++)
    {
      ValidRow *row = &g_array_index (valid, ValidRow, i);
      g_autoptr(GPtrArray) field_errors = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(TerenRecord) record = NULL;

      record = teren_store_save (import->store, import->kind->name, import->line, NULL,
                                 row->fields, NULL, &field_errors, &local_error);
      if (record != NULL)
        {
          saved++;
          continue;
        }

      if (g_error_matches (local_error, TEREN_ERROR, TEREN_ERROR_INVALID))
        {
          g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);

          if (field_errors != NULL)
            add_field_errors (import, field_errors, reasons);
          if (reasons->len == 0)
            g_ptr_array_add (reasons, g_strdup (local_error->message));
          reject (import, row->line, reasons);
          import->summary->valid--;

          if (import->flags & TEREN_CSV_IMPORT_ALL_OR_NOTHING)
            {
              teren_store_rollback (import->store);
              return TRUE;
            }
          continue;
        }

      teren_store_rollback (import->store);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!teren_store_commit (import->store, error))
    {
      teren_store_rollback (import->store);
      return FALSE;
    }

  import->summary->imported = saved;
  return TRUE;
}

struct _TerenCsvImportFile
{
  const TerenKindDef *kind;
  const char         *line;      /* the records' line, static */
  TerenMoCatalog     *romanian;  /* (nullable) owned by the caller */
  GArray             *rows;      /* Row, the header first */
  GStrv               header;    /* trimmed titles */
  TerenImportColumns *columns;
};

void
teren_csv_import_file_free (TerenCsvImportFile *file)
{
  if (file == NULL)
    return;

  g_clear_pointer (&file->rows, g_array_unref);
  g_clear_pointer (&file->header, g_strfreev);
  g_clear_pointer (&file->columns, teren_import_columns_free);
  g_free (file);
}

TerenCsvImportFile *
teren_csv_import_file_new (const char      *kind,
                           const char      *line,
                           const char      *data,
                           gsize            length,
                           char             separator,
                           const char      *encoding,
                           TerenMoCatalog  *romanian,
                           GError         **error)
{
  g_autoptr(TerenCsvImportFile) file = NULL;
  g_autofree char *converted = NULL;
  const TerenKindDef *kind_def;
  const char *record_line;
  const Row *header_row;
  guint i;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  kind_def = teren_schema_lookup_kind (kind);
  if (kind_def == NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Unknown kind of record “%s”"), kind);
      return NULL;
    }

  if (kind_def->registry)
    record_line = "";
  else if (kind_def->line != NULL)
    record_line = kind_def->line;
  else if (line != NULL && teren_line_lookup (line) != NULL &&
           teren_kind_accepts_line (kind_def, line))
    record_line = teren_line_lookup (line)->id;
  else
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Records of kind “%s” need a service line: give one with --line"),
                   kind);
      return NULL;
    }

  if (encoding != NULL && g_ascii_strcasecmp (encoding, "UTF-8") != 0 &&
      g_ascii_strcasecmp (encoding, "UTF8") != 0 && length > 0)
    {
      g_autoptr(GError) convert_error = NULL;
      gsize converted_length = 0;

      converted = g_convert (data, length, "UTF-8", encoding, NULL, &converted_length,
                             &convert_error);
      if (converted == NULL)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                       _("The file cannot be read as %s: %s"), encoding,
                       convert_error->message);
          return NULL;
        }
      data = converted;
      length = converted_length;
    }

  file = g_new0 (TerenCsvImportFile, 1);
  file->kind = kind_def;
  file->line = record_line;
  file->romanian = romanian;

  file->rows = read_rows (data, length, separator, error);
  if (file->rows == NULL)
    return NULL;

  /* The header row: its cells without the surrounding blanks Excel sometimes adds. */
  header_row = &g_array_index (file->rows, Row, 0);
  file->header = g_new0 (char *, g_strv_length (header_row->cells) + 1);
  for (i = 0; header_row->cells[i] != NULL; i++)
    file->header[i] = g_strstrip (g_strdup (header_row->cells[i]));

  file->columns = teren_import_columns_new (kind_def, (const char * const *)file->header,
                                            romanian, error);
  if (file->columns == NULL)
    return NULL;

  return g_steal_pointer (&file);
}

gboolean
teren_csv_import_file_run (TerenCsvImportFile     *file,
                           TerenStore             *store,
                           TerenCsvImportFlags     flags,
                           TerenCsvImportReport    report_func,
                           gpointer                user_data,
                           TerenCsvImportSummary  *summary,
                           GError                **error)
{
  g_autoptr(GArray) valid = NULL;
  g_autoptr(GHashTable) cnp_lines = NULL;
  Import import = { 0, };
  guint i;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (TEREN_IS_STORE (store), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  memset (summary, 0, sizeof *summary);
  cnp_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  import.store = store;
  import.kind = file->kind;
  import.line = file->line;
  import.romanian = file->romanian;
  import.columns = file->columns;
  import.flags = flags;
  import.report = report_func;
  import.user_data = user_data;
  import.summary = summary;
  import.cnp_lines = cnp_lines;

  for (i = 0; i < teren_import_columns_get_n_columns (file->columns); i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *message = NULL;

      if (teren_import_columns_get_field (file->columns, i) != NULL)
        continue;

      title = shorten (file->header[i]);
      if (title[0] == '\0')
        message = g_strdup_printf (_("Column %u has no title and is ignored"), i + 1);
      else
        message = g_strdup_printf (_("Column %u “%s” is not a field of %s and is ignored"),
                                   i + 1, title, teren_kind_get_label (file->kind));
      report (&import, TEREN_CSV_IMPORT_NOTE_IGNORED_COLUMN, 1, message);
    }

  valid = g_array_new (FALSE, TRUE, sizeof (ValidRow));
  g_array_set_clear_func (valid, (GDestroyNotify)valid_row_clear);

  for (i = 1; i < file->rows->len; i++)
    {
      const Row *row = &g_array_index (file->rows, Row, i);
      ValidRow valid_row = { row->line, NULL };
      gboolean ok;

      if (row_is_blank (row))
        continue;

      summary->rows++;
      valid_row.fields = convert_row (&import, row, &ok, error);
      if (!ok)
        return FALSE;
      if (valid_row.fields != NULL)
        g_array_append_val (valid, valid_row);
    }

  summary->valid = valid->len;

  if ((flags & TEREN_CSV_IMPORT_DRY_RUN) ||
      ((flags & TEREN_CSV_IMPORT_ALL_OR_NOTHING) && summary->rejected > 0) ||
      valid->len == 0)
    return TRUE;

  if (!save_rows (&import, valid, error))
    {
      summary->imported = 0;
      return FALSE;
    }

  return TRUE;
}

gboolean
teren_csv_import (TerenStore             *store,
                  const char             *kind,
                  const char             *line,
                  const char             *data,
                  gsize                   length,
                  char                    separator,
                  const char             *encoding,
                  TerenMoCatalog         *romanian,
                  TerenCsvImportFlags     flags,
                  TerenCsvImportReport    report_func,
                  gpointer                user_data,
                  TerenCsvImportSummary  *summary,
                  GError                **error)
{
  g_autoptr(TerenCsvImportFile) file = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (store), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  memset (summary, 0, sizeof *summary);

  file = teren_csv_import_file_new (kind, line, data, length, separator, encoding, romanian,
                                    error);
  if (file == NULL)
    return FALSE;

  return teren_csv_import_file_run (file, store, flags, report_func, user_data, summary,
                                    error);
}
