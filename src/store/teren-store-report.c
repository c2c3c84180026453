/* teren-store-report.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-csv.h"
#include "teren-date.h"
#include "teren-due-private.h"
#include "teren-error.h"
#include "teren-json.h"
#include "teren-lifecycle.h"
#include "teren-line.h"
#include "teren-nomenclature.h"
#include "teren-schema.h"
#include "teren-store-private.h"
#include "teren-store-report-private.h"

/* Monthly counts per line by SQL over the `record` table, and the due items of the store.
 * Reads only: a pooled read connection, nothing is written. */

#define UTF8_BOM "\xEF\xBB\xBF"
#define MIN_YEAR 2000
#define MAX_YEAR 2100

struct _TerenReportContext {
  TerenStore *store;
  TerenDb    *db;
  const char *line;
  int         year;
  int         month;
  char        start[16];   /* "YYYY-MM-01" */
  char        end[16];     /* first day of the next month */
};

static void
figure_free (TerenReportFigure *figure)
{
  g_free (figure->key);
  g_free (figure->label);
  g_free (figure);
}

void
teren_report_free (TerenReport *report)
{
  if (report == NULL)
    return;

  g_free (report->line);
  g_ptr_array_unref (report->figures);
  g_free (report);
}

void
teren_report_add (TerenReport *report,
                  const char  *key,
                  const char  *label,
                  double       value,
                  guint        decimals)
{
  TerenReportFigure *figure = g_new0 (TerenReportFigure, 1);

  figure->key = g_strdup (key);
  figure->label = g_strdup (g_dgettext (GETTEXT_PACKAGE, label));
  figure->value = value;
  figure->decimals = decimals;
  g_ptr_array_add (report->figures, figure);
}

const TerenReportFigure *
teren_report_get_figure (TerenReport *report,
                         const char  *key)
{
  guint i;

  g_return_val_if_fail (report != NULL, NULL);

  for (i = 0; i < report->figures->len; i++)
    {
      const TerenReportFigure *figure = g_ptr_array_index (report->figures, i);

      if (g_strcmp0 (figure->key, key) == 0)
        return figure;
    }
  return NULL;
}

TerenStore *
teren_report_context_get_store (TerenReportContext *context)
{
  return context->store;
}

const char *
teren_report_context_get_line (TerenReportContext *context)
{
  return context->line;
}

int
teren_report_context_get_year (TerenReportContext *context)
{
  return context->year;
}

int
teren_report_context_get_month (TerenReportContext *context)
{
  return context->month;
}

gboolean
teren_report_parse_month (const char  *text,
                          int         *out_year,
                          int         *out_month,
                          GError     **error)
{
  int year = 0, month = 0;
  guint i;

  if (text != NULL && strlen (text) == 7 && text[4] == '-')
    {
      gboolean digits = TRUE;

      for (i = 0; i < 7; i++)
        if (i != 4 && !g_ascii_isdigit (text[i]))
          digits = FALSE;
      if (digits)
        {
          year = (int) g_ascii_strtoll (text, NULL, 10);
          month = (int) g_ascii_strtoll (text + 5, NULL, 10);
        }
    }

  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("“%s” is not a month: write it as YYYY-MM, e.g. 2026-03"),
                   text != NULL ? text : "");
      return FALSE;
    }

  if (out_year != NULL)
    *out_year = year;
  if (out_month != NULL)
    *out_month = month;
  return TRUE;
}

static void
bind_params (TerenReportContext *context,
             sqlite3_stmt       *stmt)
{
  int n = sqlite3_bind_parameter_count (stmt);

  if (n >= 1)
    teren_db_bind_text (stmt, 1, context->line);
  if (n >= 2)
    teren_db_bind_text (stmt, 2, context->start);
  if (n >= 3)
    teren_db_bind_text (stmt, 3, context->end);
}

gboolean
teren_report_query_number (TerenReportContext  *context,
                           const char          *sql,
                           double              *out_value,
                           GError             **error)
{
  sqlite3_stmt *stmt = teren_db_prepare (context->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_params (context, stmt);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      teren_db_set_error (context->db, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  *out_value = rc == SQLITE_ROW ? sqlite3_column_double (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
teren_report_query_by_code (TerenReportContext  *context,
                            const char          *sql,
                            const char          *prefix,
                            const char          *nomenclature,
                            TerenReport         *report,
                            GError             **error)
{
  const TerenNomenclature *list = teren_nomenclature_lookup (nomenclature);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  guint i;
  int rc;

  g_return_val_if_fail (list != NULL, FALSE);

  stmt = teren_db_prepare (context->db, sql, error);
  if (stmt == NULL)
    return FALSE;

  bind_params (context, stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char *code = teren_db_column_dup (stmt, 0);
      double *value = g_new (double, 1);

      *value = sqlite3_column_double (stmt, 1);
      if (code != NULL)
        g_hash_table_replace (counts, code, value);
      else
        g_free (value);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (context->db, rc, error);
      return FALSE;
    }

  for (i = 0; i < list->n_items; i++)
    {
      const double *value = g_hash_table_lookup (counts, list->items[i].code);
      g_autofree char *key = g_strdup_printf ("%s:%s", prefix, list->items[i].code);

      teren_report_add (report, key, list->items[i].label, value != NULL ? *value : 0, 0);
    }
  return TRUE;
}

/* ---- the common figures ------------------------------------------------------------- */

#define CASE_OF_LINE "kind = 'case' AND line = ?1 AND deleted = 0"
#define OPENED "json_extract (fields, '$.opened_on')"
#define CLOSED "NULLIF (json_extract (fields, '$.closed_on'), '')"

static const char sql_new_cases[] =
  "SELECT count(*) FROM record WHERE " CASE_OF_LINE " AND " OPENED " >= ?2 AND " OPENED " < ?3";
static const char sql_closed_cases[] =
  "SELECT count(*) FROM record WHERE " CASE_OF_LINE " AND " CLOSED " >= ?2 AND " CLOSED " < ?3";
/* Open on the last day of the month: opened before its end, not closed by then (a case
 * marked closed or transferred without a date counts as closed). */
static const char sql_open_cases[] =
  "SELECT count(*) FROM record WHERE " CASE_OF_LINE " AND " OPENED " < ?3 AND "
  "(" CLOSED " >= ?3 OR (" CLOSED " IS NULL AND "
  "coalesce (json_extract (fields, '$.status'), '') NOT IN ('closed', 'transferred')))";
static const char sql_visits[] =
  "SELECT count(*) FROM record WHERE kind = 'visit' AND line = ?1 AND deleted = 0 "
  "AND json_extract (fields, '$.status') = 'done' "
  "AND json_extract (fields, '$.date') >= ?2 AND json_extract (fields, '$.date') < ?3";
/* Beneficiaries of the line's cases open at some time in the month. */
static const char sql_persons_served[] =
  "SELECT count(DISTINCT json_extract (fields, '$.person')) FROM record WHERE " CASE_OF_LINE
  " AND " OPENED " < ?3 AND coalesce (" CLOSED ", '9999-12-31') >= ?2";

static gboolean
add_common (TerenReportContext  *context,
            TerenReport         *report,
            GError             **error)
{
  static const struct {
    const char *key;
    const char *label;
    const char *sql;
  } figures[] = {
    { "new_cases", N_("New cases"), sql_new_cases },
    { "closed_cases", N_("Closed cases"), sql_closed_cases },
    { "open_cases", N_("Open cases at the end of the month"), sql_open_cases },
    { "visits", N_("Visits carried out"), sql_visits },
    { "persons_served", N_("Persons served"), sql_persons_served },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      double value = 0;

      if (!teren_report_query_number (context, figures[i].sql, &value, error))
        return FALSE;
      teren_report_add (report, figures[i].key, figures[i].label, value, 0);
    }
  return TRUE;
}

TerenReport *
teren_store_report_month (TerenStore  *store,
                          const char  *line,
                          int          year,
                          int          month,
                          GError     **error)
{
  const TerenReportHook * const tables[] = { teren_report_hooks_social, teren_report_hooks_health };
  g_autoptr(TerenReport) report = NULL;
  TerenReportContext context;
  gboolean ok;
  int next_year, next_month;
  guint t, i;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  if (line == NULL || !teren_line_is_valid (line))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("Unknown service line “%s”"),
                   line != NULL ? line : "");
      return NULL;
    }
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("The month must be between %d-01 and %d-12"), MIN_YEAR, MAX_YEAR);
      return NULL;
    }

  report = g_new0 (TerenReport, 1);
  report->line = g_strdup (line);
  report->year = year;
  report->month = month;
  report->figures = g_ptr_array_new_with_free_func ((GDestroyNotify) figure_free);

  next_year = month == 12 ? year + 1 : year;
  next_month = month == 12 ? 1 : month + 1;
  memset (&context, 0, sizeof context);
  context.store = store;
  context.line = line;
  context.year = year;
  context.month = month;
  g_snprintf (context.start, sizeof context.start, "%04d-%02d-01", year, month);
  g_snprintf (context.end, sizeof context.end, "%04d-%02d-01", next_year, next_month);

  context.db = teren_store_acquire_reader (store, NULL);
  ok = add_common (&context, report, error);
  for (t = 0; ok && t < G_N_ELEMENTS (tables); t++)
    for (i = 0; ok && tables[t][i].line != NULL; i++)
      if (strcmp (tables[t][i].line, line) == 0)
        ok = tables[t][i].func (&context, report, error);
  teren_store_release_reader (store, context.db);

  if (!ok)
    return NULL;
  return g_steal_pointer (&report);
}

/* ---- output -------------------------------------------------------------------------- */

static char *
format_value (const TerenReportFigure *figure,
              char                     decimal_mark)
{
  char format[8];
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf (format, sizeof format, "%%.%uf", MIN (figure->decimals, 6));
  g_ascii_formatd (buffer, sizeof buffer, format, figure->value);
  if (decimal_mark != '.')
    g_strdelimit (buffer, ".", decimal_mark);
  return g_strdup (buffer);
}

char *
teren_report_to_csv (TerenReport *report,
                     char         separator,
                     gsize       *out_length)
{
  static const char * const header[] = { "line", "month", "key", "label", "value", NULL };
  g_autoptr(GString) out = g_string_new (UTF8_BOM);
  g_autofree char *month = NULL;
  guint i;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (separator == ',' || separator == ';', NULL);

  month = g_strdup_printf ("%04d-%02d", report->year, report->month);
  teren_csv_append_row (out, header, separator);
  for (i = 0; i < report->figures->len; i++)
    {
      const TerenReportFigure *figure = g_ptr_array_index (report->figures, i);
      g_autofree char *value = format_value (figure, separator == ';' ? ',' : '.');
      const char *row[] = { report->line, month, figure->key, figure->label, value, NULL };

      teren_csv_append_row (out, row, separator);
    }

  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
teren_report_to_json (TerenReport *report,
                      gsize       *out_length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *month = NULL;
  char *text;
  guint i;

  g_return_val_if_fail (report != NULL, NULL);

  month = g_strdup_printf ("%04d-%02d", report->year, report->month);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "line");
  json_builder_add_string_value (builder, report->line);
  json_builder_set_member_name (builder, "month");
  json_builder_add_string_value (builder, month);
  json_builder_set_member_name (builder, "figures");
  json_builder_begin_array (builder);
  for (i = 0; i < report->figures->len; i++)
    {
      const TerenReportFigure *figure = g_ptr_array_index (report->figures, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, figure->key);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, figure->label);
      json_builder_set_member_name (builder, "value");
      if (figure->decimals == 0)
        json_builder_add_int_value (builder, (gint64) (figure->value + (figure->value >= 0 ? 0.5 : -0.5)));
      else
        json_builder_add_double_value (builder, figure->value);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, out_length);
  return text;
}

/* ---- due items ----------------------------------------------------------------------- */

/* Every live record of @kind in one query (of @line only, when not NULL), added to
 * @records. Referrals are read for every line (their items go to the receiving line), and
 * registry records (persons: birth dates for the health lines' rules) always. */
static const char sql_records_of_kind[] =
  "SELECT id, line, rev, fields, created_at, updated_at, created_by, updated_by, kind "
  "FROM record WHERE kind = ?1 AND deleted = 0 "
  "AND (?2 IS NULL OR line = ?2 OR line = '' OR kind = 'referral')";

/* Reads the rows of @stmt (columns as sql_records_of_kind) into @records, skipping ids in
 * @have and adding the new ones to it. */
static gboolean
read_records (TerenDb       *db,
              sqlite3_stmt  *stmt,
              GHashTable    *have,
              GPtrArray     *records,
              GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) fields = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      TerenRecord *record;

      if (g_hash_table_contains (have, id))
        continue;
      fields = teren_json_parse_object ((const char *) sqlite3_column_text (stmt, 3), -1,
                                        TEREN_JSON_MAX_DEPTH, &local_error);
      if (fields == NULL)
        {
          sqlite3_reset (stmt);
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
                       _("The stored record is damaged: %s"), local_error->message);
          return FALSE;
        }
      record = teren_record_new_take (id, (const char *) sqlite3_column_text (stmt, 8),
                                      (const char *) sqlite3_column_text (stmt, 1),
                                      sqlite3_column_int64 (stmt, 2), g_steal_pointer (&fields), FALSE,
                                      (const char *) sqlite3_column_text (stmt, 4),
                                      (const char *) sqlite3_column_text (stmt, 5),
                                      (const char *) sqlite3_column_text (stmt, 6),
                                      (const char *) sqlite3_column_text (stmt, 7));
      g_hash_table_add (have, g_strdup (id));
      g_ptr_array_add (records, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_kind (TerenDb     *db,
          const char  *kind,
          const char  *line,
          GHashTable  *seen,
          GHashTable  *have,
          GPtrArray   *records,
          GError     **error)
{
  sqlite3_stmt *stmt;

  if (kind == NULL || g_hash_table_contains (seen, kind) || teren_schema_lookup_kind (kind) == NULL)
    return TRUE;
  g_hash_table_add (seen, (gpointer) kind);

  stmt = teren_db_prepare (db, sql_records_of_kind, error);
  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, kind);
  if (line != NULL)
    teren_db_bind_text (stmt, 2, line);

  return read_records (db, stmt, have, records, error);
}

/* The live records whose ids are in @ids (a JSON array), not yet in @have. */
static const char sql_records_by_id[] =
  "SELECT id, line, rev, fields, created_at, updated_at, created_by, updated_by, kind "
  "FROM record WHERE id IN (SELECT value FROM json_each (?1)) AND deleted = 0";

/* @ids (a set of strings) as a JSON array (transfer full). */
static char *
ids_to_json (GHashTable *ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer key;

  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    json_builder_add_string_value (builder, key);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
add_id (GHashTable *ids,
        const char *id,
        GHashTable *skip)
{
  if (id != NULL && id[0] != '\0' && (skip == NULL || !g_hash_table_contains (skip, id)))
    g_hash_table_add (ids, (gpointer) id);
}

/* The ids records[from..] name through @key ("case", "person"), or, when @key is NULL,
 * through their references other than persons and cases (their parents: the plan of an
 * objective, the enrolment of a contribution…), leaving out those in @skip when not NULL,
 * as a JSON array; NULL when there is none. (transfer full) */
static char *
referenced_ids (GPtrArray  *records,
                guint       from,
                const char *key,
                GHashTable *skip)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint i, f;

  for (i = from; i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);
      const TerenKindDef *kind;

      if (key != NULL)
        {
          add_id (ids, teren_record_get_string (record, key), skip);
          continue;
        }
      kind = teren_schema_lookup_kind (teren_record_get_kind (record));
      for (f = 0; kind != NULL && f < kind->n_fields; f++)
        {
          const TerenFieldDef *field = &kind->fields[f];

          if (field->type == TEREN_FIELD_REFERENCE && g_strcmp0 (field->ref_kind, "person") != 0 &&
              g_strcmp0 (field->ref_kind, "case") != 0)
            add_id (ids, teren_record_get_string (record, field->key), skip);
        }
    }
  return g_hash_table_size (ids) > 0 ? ids_to_json (ids) : NULL;
}

/* Runs @sql with ?1 = @ids (a JSON array), ?2 = @kind and ?3 = @line when not NULL, and
 * reads its rows (columns as sql_records_of_kind) into @records. */
static gboolean
read_by_ids (TerenDb      *db,
             const char   *sql,
             const char   *ids,
             const char   *kind,
             const char   *line,
             GHashTable   *have,
             GPtrArray    *records,
             GError      **error)
{
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, ids);
  if (kind != NULL)
    teren_db_bind_text (stmt, 2, kind);
  if (line != NULL)
    teren_db_bind_text (stmt, 3, line);
  return read_records (db, stmt, have, records, error);
}

/* Adds the records that records[from..] reference through @key ("case", "person") and that
 * are not loaded yet. Cases and persons are many (100,000 each in a large store) and the
 * rules only ever look up the ones their own records name. */
static gboolean
add_referenced (TerenDb     *db,
                GPtrArray   *records,
                guint        from,
                const char  *key,
                GHashTable  *have,
                GError     **error)
{
  g_autofree char *ids = referenced_ids (records, from, key, have);

  return ids == NULL || read_by_ids (db, sql_records_by_id, ids, NULL, NULL, have, records, error);
}

/* ---- the Due page's date window ------------------------------------------------------ */

/* The last day whose items @max_bucket keeps (the end of this week or of this month,
 * whichever is later; yesterday for overdue items only) into @out; FALSE when it keeps
 * every date. */
static gboolean
due_horizon (const GDate    *today,
             TerenDueBucket  max_bucket,
             char            out[16])
{
  GDate end = *today;

  switch (max_bucket)
    {
    case TEREN_DUE_OVERDUE:
      g_date_subtract_days (&end, 1);
      break;
    case TEREN_DUE_THIS_WEEK:
    case TEREN_DUE_THIS_MONTH:
      /* Sunday of this week (weeks start on Monday), or the end of the month if later. */
      g_date_add_days (&end, G_DATE_SUNDAY - g_date_get_weekday (today));
      if (max_bucket == TEREN_DUE_THIS_MONTH)
        {
          GDate month_end;

          g_date_clear (&month_end, 1);
          g_date_set_dmy (&month_end,
                          g_date_get_days_in_month (g_date_get_month (today), g_date_get_year (today)),
                          g_date_get_month (today), g_date_get_year (today));
          if (g_date_compare (&month_end, &end) > 0)
            end = month_end;
        }
      break;
    case TEREN_DUE_LATER:
    default:
      return FALSE;
    }
  g_snprintf (out, 16, "%04u-%02u-%02u", g_date_get_year (&end), g_date_get_month (&end),
              g_date_get_day (&end));
  return TRUE;
}

#define F(key) "json_extract (fields, '$." key "')"

/* Kinds read through a date window (?3 = the horizon): a record can give an item due by the
 * horizon only when the window holds. Windows keep a superset: SQLite's months overflow
 * where GLib's stop at the month's end, hence three days of slack. None of these kinds is
 * read by another rule as evidence (a review, a later record of the same kind). */
#define PLAN_WINDOW \
  "coalesce (" F ("status") ", '') NOT IN ('draft', 'revised', 'completed', 'cancelled') " \
  "AND (" F ("review_on") " <= ?3 OR (" F ("review_on") " IS NULL " \
  "AND date (" F ("start_on") ", '+6 months', '-3 days') <= ?3))"
#define ITEM_WINDOW \
  "coalesce (" F ("status") ", '') NOT IN ('done', 'not_done', 'cancelled') AND " F ("deadline") " <= ?3"

typedef struct {
  const char *kind;
  const char *window;
} DueWindow;

static const DueWindow due_windows[] = {
  { "plan", PLAN_WINDOW },
  { "child.service_plan", PLAN_WINDOW },
  { "elderly.care_plan", PLAN_WINDOW },
  { "adult.intervention_plan", PLAN_WINDOW },
  { "plan_item", ITEM_WINDOW },
  { "child.plan_item", ITEM_WINDOW },
  /* Answered within 1, 3 or 10 days of the referral. */
  { "referral", F ("status") " = 'sent' AND date (" F ("date") ", '+1 days') <= ?3" },
};

#undef F

/* The window of @kind (transfer full), or NULL to read every record: from the table above,
 * else, when every rule of @kind is a simple one (a date plus days and months), the OR of
 * their dates, each while the rule's "done" field is not set. */
static char *
due_window_of (const char *kind)
{
  const TerenDueRule * const tables[] = { teren_due_rules_social, teren_due_rules_health };
  g_autoptr(GString) window = g_string_new (NULL);
  guint t, i;

  for (i = 0; i < G_N_ELEMENTS (due_windows); i++)
    if (strcmp (due_windows[i].kind, kind) == 0)
      return g_strdup (due_windows[i].window);

  for (t = 0; t < G_N_ELEMENTS (tables); t++)
    for (i = 0; tables[t][i].id != NULL; i++)
      {
        const TerenDueRule *rule = &tables[t][i];

        if (g_strcmp0 (rule->kind, kind) != 0)
          continue;
        if (rule->func != NULL || rule->date_key == NULL)
          return NULL;
        g_string_append_printf (window, "%s(date (json_extract (fields, '$.%s'), '%+d days', '%+d months'%s) <= ?3",
                                window->len > 0 ? " OR " : "", rule->date_key, rule->add_days, rule->add_months,
                                rule->add_months != 0 ? ", '-3 days'" : "");
        /* Not done: teren_due_record_is_set() is FALSE (kept unless surely set: true, a
         * number or a non-empty string). */
        if (rule->done_key != NULL)
          g_string_append_printf (window, " AND NOT coalesce (json_type (fields, '$.%s') IN ('true', 'integer', 'real') "
                                  "OR (json_type (fields, '$.%s') = 'text' AND json_extract (fields, '$.%s') <> ''), 0)",
                                  rule->done_key, rule->done_key, rule->done_key);
        g_string_append_c (window, ')');
      }
  return window->len > 0 ? g_string_free (g_steal_pointer (&window), FALSE) : NULL;
}

/* Only the records of @kind that belong to one of the cases in ?4 (a JSON array of ids):
 * through their own "case", or through the case of the record another reference of theirs
 * names (an objective's plan), as the rules resolve an item's case. Tested on the rows of
 * the kind the window keeps (SQLite makes one lookup table of the ids per statement):
 * cheaper than looking up each case's records, most kinds having few records or none.
 * (transfer full) */
static char *
due_cases_clause (const char *kind)
{
  const TerenKindDef *def = teren_schema_lookup_kind (kind);
  g_autoptr(GString) clause = g_string_new ("json_extract (fields, '$.case') IN (SELECT value FROM json_each (?4))");
  guint i;

  for (i = 0; def != NULL && i < def->n_fields; i++)
    {
      const TerenFieldDef *field = &def->fields[i];

      if (field->type != TEREN_FIELD_REFERENCE || g_strcmp0 (field->ref_kind, "person") == 0 ||
          g_strcmp0 (field->ref_kind, "case") == 0)
        continue;
      g_string_append_printf (clause, " OR EXISTS (SELECT 1 FROM record_ref p WHERE p.record_id = "
                              "json_extract (fields, '$.%s') AND p.key = 'case' "
                              "AND p.value IN (SELECT value FROM json_each (?4)))", field->key);
    }
  return g_string_free (g_steal_pointer (&clause), FALSE);
}

/* Like add_kind, only the records of @kind inside @window (an SQL condition on ?3 =
 * @horizon), and of @cases only (a JSON array of case ids) when not NULL. A statement of
 * its own: the window is built at run time. Records already in @have are skipped, so a
 * later call with a further horizon adds only what the earlier ones did not read. */
static gboolean
add_kind_in_window (TerenDb     *db,
                    const char  *kind,
                    const char  *line,
                    const char  *window,
                    const char  *horizon,
                    const char  *cases,
                    GHashTable  *have,
                    GPtrArray   *records,
                    GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;
  int rc;

  if (cases != NULL)
    {
      g_autofree char *by_case = due_cases_clause (kind);

      sql = g_strdup_printf ("%s AND (%s) AND (%s)", sql_records_of_kind, window, by_case);
    }
  else
    sql = g_strdup_printf ("%s AND (%s)", sql_records_of_kind, window);
  rc = sqlite3_prepare_v2 (db->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      teren_db_set_error (db, rc, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  teren_db_bind_text (stmt, 1, kind);
  if (line != NULL)
    teren_db_bind_text (stmt, 2, line);
  teren_db_bind_text (stmt, 3, horizon);
  if (cases != NULL)
    teren_db_bind_text (stmt, 4, cases);
  ok = read_records (db, stmt, have, records, error);
  sqlite3_finalize (stmt);
  return ok;
}

/* The parents of records[from..] (their references other than persons and cases: the plan
 * of an objective, the enrolment of a contribution…): the rules resolve an item's case and
 * worker through them. */
static gboolean
add_parents (TerenDb     *db,
             GPtrArray   *records,
             guint        from,
             GHashTable  *have,
             GError     **error)
{
  g_autofree char *ids = referenced_ids (records, from, NULL, have);

  return ids == NULL || read_by_ids (db, sql_records_by_id, ids, NULL, NULL, have, records, error);
}

/* The live records of @kind that reference, through their "case", a case referenced by
 * records[from..]: every review of the cases whose plans were read. Of @line only (and
 * registry records), as add_kind reads them, when not NULL. */
static const char sql_records_of_cases[] =
  "SELECT id, line, rev, fields, created_at, updated_at, created_by, updated_by, kind "
  "FROM record WHERE deleted = 0 AND (?3 IS NULL OR line = ?3 OR line = '') "
  "AND id IN (SELECT record_id FROM record_ref "
  "WHERE kind = ?2 AND key = 'case' AND value IN (SELECT value FROM json_each (?1)))";

static gboolean
add_of_cases (TerenDb     *db,
              const char  *kind,
              const char  *line,
              GPtrArray   *records,
              guint        from,
              GHashTable  *seen,
              GHashTable  *have,
              GError     **error)
{
  g_autofree char *cases = referenced_ids (records, from, "case", NULL);

  g_hash_table_add (seen, (gpointer) kind);
  return cases == NULL || read_by_ids (db, sql_records_of_cases, cases, kind, line, have, records, error);
}

/* What a due computation has read, kept between its steps: a later step (a further
 * horizon, fewer cases) adds only what the earlier ones did not read. */
typedef struct {
  TerenDb    *db;
  const char *line;      /* of this line only (and referrals, registry records), or NULL */
  GPtrArray  *records;   /* (element-type TerenRecord) */
  GHashTable *seen;      /* kinds read whole (and case, person: read where referenced) */
  GHashTable *have;      /* ids of @records */
} DueLoad;

static void
due_load_init (DueLoad    *load,
               TerenDb    *db,
               const char *line)
{
  load->db = db;
  load->line = line;
  load->records = g_ptr_array_new_with_free_func (g_object_unref);
  load->seen = g_hash_table_new (g_str_hash, g_str_equal);
  load->have = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Referenced, never run on: loaded through add_referenced. */
  g_hash_table_add (load->seen, (gpointer) "case");
  g_hash_table_add (load->seen, (gpointer) "person");
}

static void
due_load_clear (DueLoad *load)
{
  g_clear_pointer (&load->records, g_ptr_array_unref);
  g_clear_pointer (&load->seen, g_hash_table_unref);
  g_clear_pointer (&load->have, g_hash_table_unref);
}

/* The one reading path of the due items: "which items can be due for these cases up to
 * this day". Adds to @load the records that can make an item of its line due by @horizon
 * ("YYYY-MM-DD"; NULL: every date, each rule kind read whole) for the cases in @cases (a
 * JSON array of case ids; NULL: every case, and the items of no case). teren_due_compute()
 * over what was read gives, up to @horizon, exactly the items of the whole computation
 * (for those cases).
 *
 * With a horizon, the kinds of due_window_of() are read through their window (and only
 * the records of @cases); the other rule kinds, whose rules look at other records of
 * their kind (a later contract supersedes an earlier one), are read whole, once. */
static gboolean
due_load (DueLoad     *load,
          const char  *horizon,
          const char  *cases,
          GError     **error)
{
  /* Kinds the rules look at besides the ones they are run on; cases and persons are read
   * only where a loaded record references them (see add_referenced). Reviews count only
   * for the plans of their case: read after the plans when there is a horizon. */
  static const char * const context_kinds[] = {
    "child.school_list", "child.parents_abroad",
  };
  g_autoptr(GHashTable) windowed = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const *rules;
  guint from = load->records->len;
  gboolean ok = TRUE;
  guint n_rules = 0;
  guint first_windowed;
  guint i;

  if (horizon == NULL)
    ok = add_kind (load->db, "review", load->line, load->seen, load->have, load->records, error);
  for (i = 0; ok && i < G_N_ELEMENTS (context_kinds); i++)
    ok = add_kind (load->db, context_kinds[i], load->line, load->seen, load->have, load->records, error);
  for (i = 0; ok && teren_due_health_context_kinds[i] != NULL; i++)
    ok = add_kind (load->db, teren_due_health_context_kinds[i], load->line, load->seen, load->have,
                   load->records, error);

  first_windowed = load->records->len;
  rules = teren_due_list_rules (&n_rules);
  for (i = 0; ok && i < n_rules; i++)
    {
      const char *kind = teren_due_rule_get_kind (rules[i]);
      g_autofree char *window = NULL;

      if (kind == NULL || g_hash_table_contains (load->seen, kind) || g_hash_table_contains (windowed, kind) ||
          teren_schema_lookup_kind (kind) == NULL)
        continue;
      window = horizon != NULL ? due_window_of (kind) : NULL;
      if (window != NULL)
        {
          g_hash_table_add (windowed, (gpointer) kind);
          ok = add_kind_in_window (load->db, kind, load->line, window, horizon, cases, load->have, load->records,
                                   error);
        }
      else
        ok = add_kind (load->db, kind, load->line, load->seen, load->have, load->records, error);
    }

  if (horizon != NULL)
    {
      /* The parents the windowed records name, and the reviews of their cases (those of
       * the parents' cases too: an objective's plan names the case). */
      if (ok)
        ok = add_parents (load->db, load->records, first_windowed, load->have, error);
      if (ok)
        ok = add_of_cases (load->db, "review", load->line, load->records, from, load->seen, load->have, error);
    }

  /* The cases those records belong to, then the persons of both. */
  if (ok)
    ok = add_referenced (load->db, load->records, from, "case", load->have, error);
  if (ok)
    ok = add_referenced (load->db, load->records, from, "person", load->have, error);
  return ok;
}

GPtrArray *
teren_store_due_items (TerenStore           *store,
                       const GDate          *today,
                       const TerenDueFilter *filter,
                       GError              **error)
{
  const char *line = filter != NULL ? filter->line : NULL;
  GPtrArray *items = NULL;
  char horizon[16];
  gboolean windowed;
  DueLoad load;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL, NULL);

  /* The Due page (up to this month) needs only records whose dates can make an item
   * overdue or due by the end of the month: a window in SQL keeps a large store's history
   * out of memory. Everything when the filter asks for later items too. */
  windowed = due_horizon (today, filter != NULL ? filter->max_bucket : TEREN_DUE_THIS_MONTH, horizon);

  due_load_init (&load, teren_store_acquire_reader (store, NULL), line);
  if (due_load (&load, windowed ? horizon : NULL, NULL, error))
    {
      g_debug ("Due items: %u records read%s", load.records->len, windowed ? " (date window)" : "");
      items = teren_due_compute (load.records, today, filter);
    }
  teren_store_release_reader (store, load.db);
  due_load_clear (&load);
  return items;
}

/* ---- a line's case list --------------------------------------------------------------- */

void
teren_line_case_free (TerenLineCase *row)
{
  if (row == NULL)
    return;

  g_free (row->case_id);
  g_free (row->person_id);
  g_free (row->number);
  g_free (row->status);
  g_free (row->case_manager);
  g_free (row->opened_on);
  g_free (row->last_visit);
  teren_due_item_free (row->next_due);
  g_free (row);
}

const char teren_store_line_cases_sql[] =
  "SELECT c.id, json_extract (c.fields, '$.person'), json_extract (c.fields, '$.number'), "
  "json_extract (c.fields, '$.status'), json_extract (c.fields, '$.case_manager'), "
  "json_extract (c.fields, '$.opened_on'), "
  /* The terms of the partial index record_last_visit (migration 7), which gives the max
   * without reading a visit; "+c.id" drops the column's affinity, which would keep the
   * index on an expression from being searched. */
  "(SELECT max (json_extract (v.fields, '$.date')) FROM record v "
  " WHERE json_extract (v.fields, '$.case') = +c.id "
  " AND v.kind IN ('visit', 'elderly.home_care_visit') AND v.deleted = 0 "
  " AND coalesce (json_extract (v.fields, '$.status'), 'done') = 'done') "
  "FROM record c WHERE c.kind = 'case' AND c.line = ?1 AND c.deleted = 0 "
  "AND (?2 IS NULL AND coalesce (json_extract (c.fields, '$.status'), '') NOT IN ('closed', 'transferred') "
  "     OR json_extract (c.fields, '$.status') = ?2) "
  "AND (?3 IS NULL OR json_extract (c.fields, '$.case_manager') = ?3) "
  "ORDER BY json_extract (c.fields, '$.opened_on') DESC, c.id";

/* Gives each row of @pending (case id → TerenLineCase) the first of @items (sorted by
 * date) that belongs to its case, and takes it out of @pending. */
static void
take_next_items (GPtrArray  *items,
                 GHashTable *pending)
{
  guint i;

  for (i = 0; i < items->len && g_hash_table_size (pending) > 0; i++)
    {
      const TerenDueItem *item = g_ptr_array_index (items, i);
      TerenLineCase *row = item->case_id != NULL ? g_hash_table_lookup (pending, item->case_id) : NULL;

      if (row != NULL)
        {
          row->next_due = teren_due_item_copy (item);
          g_hash_table_remove (pending, item->case_id);
        }
    }
}

/* The next due items of the rows in @pending, through the Due page's reading path in two
 * steps: up to the end of this month for every case (most cases with anything due have it
 * by then), then at any date for the cases still without one. Each step reads only what
 * can make an item of those cases due by its horizon: not the plans finished, objectives
 * done and hearings answered of the years before. */
static gboolean
add_next_items (TerenStore   *store,
                const char   *line,
                const GDate  *today,
                GHashTable   *pending,
                GError      **error)
{
  /* Every date: a later horizon than any stored date. */
  static const char any_date[] = "9999-12-31";
  TerenDueFilter filter = { line, NULL, TEREN_DUE_THIS_MONTH };
  g_autofree char *cases = NULL;
  char horizon[16];
  gboolean ok = TRUE;
  DueLoad load;

  if (g_hash_table_size (pending) == 0)
    return TRUE;

  g_debug ("Line cases: next due items of %u cases", g_hash_table_size (pending));
  due_load_init (&load, teren_store_acquire_reader (store, NULL), line);

  due_horizon (today, filter.max_bucket, horizon);
  cases = ids_to_json (pending);
  ok = due_load (&load, horizon, cases, error);
  if (ok)
    {
      g_autoptr(GPtrArray) items = teren_due_compute (load.records, today, &filter);

      take_next_items (items, pending);
    }

  if (ok && g_hash_table_size (pending) > 0)
    {
      g_debug ("Line cases: %u records read up to %s, %u cases without an item by then", load.records->len,
               horizon, g_hash_table_size (pending));
      filter.max_bucket = TEREN_DUE_LATER;
      g_free (cases);
      cases = ids_to_json (pending);
      ok = due_load (&load, any_date, cases, error);
      if (ok)
        {
          g_autoptr(GPtrArray) items = teren_due_compute (load.records, today, &filter);

          take_next_items (items, pending);
        }
    }

  g_debug ("Line cases: %u records read for their next due items", load.records->len);
  teren_store_release_reader (store, load.db);
  due_load_clear (&load);
  return ok;
}

GPtrArray *
teren_store_line_cases (TerenStore   *store,
                        const char   *line,
                        const char   *status,
                        const char   *worker,
                        const GDate  *today,
                        GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_line_case_free);
  g_autoptr(GHashTable) pending = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  TerenDb *db;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL, NULL);

  if (line == NULL || !teren_line_is_valid (line))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("Unknown service line “%s”"),
                   line != NULL ? line : "");
      return NULL;
    }

  db = teren_store_acquire_reader (store, NULL);
  stmt = teren_db_prepare (db, teren_store_line_cases_sql, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (store, db);
      return NULL;
    }
  teren_db_bind_text (stmt, 1, line);
  if (status != NULL)
    teren_db_bind_text (stmt, 2, status);
  if (worker != NULL)
    teren_db_bind_text (stmt, 3, worker);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TerenLineCase *row = g_new0 (TerenLineCase, 1);

      row->case_id = teren_db_column_dup (stmt, 0);
      row->person_id = teren_db_column_dup (stmt, 1);
      row->number = teren_db_column_dup (stmt, 2);
      row->status = teren_db_column_dup (stmt, 3);
      row->case_manager = teren_db_column_dup (stmt, 4);
      row->opened_on = teren_db_column_dup (stmt, 5);
      row->last_visit = teren_db_column_dup (stmt, 6);
      g_ptr_array_add (rows, row);
      /* A closed or transferred case has no due items. */
      if (g_strcmp0 (row->status, "closed") != 0 && g_strcmp0 (row->status, "transferred") != 0)
        g_hash_table_insert (pending, row->case_id, row);
    }
  if (rc != SQLITE_DONE)
    teren_db_set_error (db, rc, error);
  sqlite3_reset (stmt);
  teren_store_release_reader (store, db);
  if (rc != SQLITE_DONE)
    return NULL;

  if (!add_next_items (store, line, today, pending, error))
    return NULL;
  return g_steal_pointer (&rows);
}

/* ---- daily registers ------------------------------------------------------------------ */

void
teren_register_row_free (TerenRegisterRow *row)
{
  if (row == NULL)
    return;

  g_free (row->parent_id);
  g_free (row->person_id);
  g_free (row->entry_id);
  g_free (row);
}

#define REGISTER_SQL(parent, entry, key, unit_filter) \
  "SELECT e.id, json_extract (e.fields, '$.person'), " \
  "(SELECT a.id FROM record_ref r JOIN record a ON a.id = r.record_id " \
  " WHERE r.value = e.id AND r.key = '" key "' AND r.kind = '" entry "' AND a.deleted = 0 " \
  " AND json_extract (a.fields, '$.date') = ?1 ORDER BY a.id LIMIT 1), e.fields " \
  "FROM record e LEFT JOIN record p ON p.id = json_extract (e.fields, '$.person') " \
  "WHERE e.kind = '" parent "' AND e.deleted = 0 " \
  "AND json_extract (e.fields, '$.start_on') <= ?1 " \
  "AND coalesce (NULLIF (json_extract (e.fields, '$.end_on'), ''), '9999-12-31') >= ?1 " \
  unit_filter "ORDER BY p.sort_key, e.id"

static const char sql_creche_register[] =
  REGISTER_SQL ("creche.enrolment", "creche.attendance", "enrolment",
                "AND (?2 IS NULL OR json_extract (e.fields, '$.unit') = ?2) ");
static const char sql_canteen_register[] =
  REGISTER_SQL ("canteen.beneficiary", "canteen.meal", "beneficiary", "");

GPtrArray *
teren_store_day_register (TerenStore   *store,
                          const char   *line,
                          const char   *date,
                          const char   *unit,
                          GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_register_row_free);
  g_autofree char *iso = NULL;
  gboolean canteen;
  sqlite3_stmt *stmt;
  TerenDb *db;
  GDate day;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  canteen = g_strcmp0 (line, "canteen") == 0;
  if (!canteen && g_strcmp0 (line, "creche") != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Only the crèche and the canteen keep a daily register"));
      return NULL;
    }
  iso = date != NULL ? teren_date_to_iso (date) : NULL;
  if (iso == NULL || g_strcmp0 (iso, date) != 0 || !teren_date_parse (iso, &day))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("Not a valid date"));
      return NULL;
    }

  db = teren_store_acquire_reader (store, NULL);
  stmt = teren_db_prepare (db, canteen ? sql_canteen_register : sql_creche_register, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (store, db);
      return NULL;
    }
  teren_db_bind_text (stmt, 1, iso);
  if (!canteen && unit != NULL)
    teren_db_bind_text (stmt, 2, unit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TerenRegisterRow *row = g_new0 (TerenRegisterRow, 1);

      row->parent_id = teren_db_column_dup (stmt, 0);
      row->person_id = teren_db_column_dup (stmt, 1);
      row->entry_id = teren_db_column_dup (stmt, 2);
      if (canteen)
        {
          g_autofree char *fields = teren_db_column_dup (stmt, 3);
          g_autoptr(JsonNode) node = fields != NULL ? json_from_string (fields, NULL) : NULL;

          if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
            row->suspended = teren_canteen_is_suspended (json_node_get_object (node), &day);
        }
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    teren_db_set_error (db, rc, error);
  sqlite3_reset (stmt);
  teren_store_release_reader (store, db);

  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&rows);
}

/* ---- Referrals awaiting an answer ------------------------------------------------- */

static const char sql_line_referrals[] =
  "SELECT id FROM record WHERE kind = 'referral' AND deleted = 0 "
  "AND json_extract (fields, '$.to_line') = ?1 AND line <> ?1 "
  "AND coalesce (json_extract (fields, '$.status'), '') = 'sent' "
  "ORDER BY json_extract (fields, '$.date'), id";

GPtrArray *
teren_store_line_referrals (TerenStore  *store,
                            const char  *line,
                            GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  TerenDb *db;
  guint i;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (line != NULL, NULL);

  db = teren_store_acquire_reader (store, NULL);
  stmt = teren_db_prepare (db, sql_line_referrals, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (store, db);
      return NULL;
    }
  teren_db_bind_text (stmt, 1, line);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, teren_db_column_dup (stmt, 0));
  if (rc != SQLITE_DONE)
    teren_db_set_error (db, rc, error);
  sqlite3_reset (stmt);
  teren_store_release_reader (store, db);
  if (rc != SQLITE_DONE)
    return NULL;

  for (i = 0; i < ids->len; i++)
    {
      TerenRecord *record = teren_store_get_record (store, g_ptr_array_index (ids, i), NULL);

      if (record != NULL)
        g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);
}
