/* teren-export.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-date.h"
#include "teren-error.h"
#include "teren-export.h"
#include "teren-gui.h"
#include "teren-sar-document.h"
#include "teren-schema.h"
#include "teren-store-blobs.h"
#include "teren-store-report.h"
#include "teren-sync-blobs.h"
#include "teren-sync-engine.h"
#include "teren-window.h"

/* ---- writing on the worker ---------------------------------------------------------- */

typedef struct
{
  TerenTable             *table;
  TerenExportCollectFunc  collect;
  gpointer                data;
  GDestroyNotify          data_free;
  GFile                  *file;
  TerenTableFormat        format;
  char                    separator;
} WriteJob;

static void
write_job_free (gpointer pointer)
{
  WriteJob *job = pointer;

  g_clear_pointer (&job->table, teren_table_free);
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_clear_object (&job->file);
  g_free (job);
}

static gpointer
write_func (TerenStore  *store,
            gpointer     data,
            GError     **error)
{
  WriteJob *job = data;
  g_autoptr(TerenTable) collected = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = g_file_get_path (job->file);
  TerenTable *table = job->table;
  const char *contents;
  gsize length = 0;

  if (table == NULL)
    {
      collected = job->collect (store, job->data, error);
      if (collected == NULL)
        return NULL;
      table = collected;
    }
  bytes = teren_table_serialize (table, job->format, job->separator);
  contents = g_bytes_get_data (bytes, &length);

  /* Personal data: private to the user, written whole or not at all. */
  if (path != NULL)
    {
      if (!g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        return NULL;
    }
  else if (!g_file_replace_contents (job->file, contents, length, NULL, FALSE,
                                     G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                     NULL, NULL, error))
    return NULL;

  return g_object_ref (job->file);
}

void
teren_export_write_async (TerenStore             *store,
                          TerenTable             *table,
                          TerenExportCollectFunc  collect,
                          gpointer                data,
                          GDestroyNotify          data_free,
                          GFile                  *file,
                          TerenTableFormat        format,
                          char                    separator,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  WriteJob *job;

  g_return_if_fail (TEREN_IS_STORE (store));
  g_return_if_fail (table != NULL || collect != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (separator == ',' || separator == ';');

  job = g_new0 (WriteJob, 1);
  job->table = table;
  job->collect = collect;
  job->data = data;
  job->data_free = data_free;
  job->file = g_object_ref (file);
  job->format = format;
  job->separator = separator;
  teren_gui_store_call_async (store, write_func, job, write_job_free, g_object_unref,
                              cancellable, callback, user_data);
}

gboolean
teren_export_write_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(GFile) file = teren_gui_store_call_finish (result, error);

  return file != NULL;
}

/* ---- the chooser -------------------------------------------------------------------- */

typedef struct
{
  GtkWidget              *parent;
  TerenStore             *store;
  TerenTable             *table;
  TerenExportCollectFunc  collect;
  gpointer                data;
  GDestroyNotify          data_free;
} RunData;

static void
run_data_free (RunData *run)
{
  g_clear_object (&run->parent);
  g_clear_object (&run->store);
  g_clear_pointer (&run->table, teren_table_free);
  if (run->data_free != NULL && run->data != NULL)
    run->data_free (run->data);
  g_free (run);
}

/* A toast in the nearest overlay; a dialog titled @failed_title when there is none and
 * it is a failure (@failed_title non-NULL). */
static void
tell (GtkWidget  *parent,
      const char *text,
      const char *failed_title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (parent, ADW_TYPE_TOAST_OVERLAY);
  GtkRoot *root;
  GtkWidget *dialog;

  if (overlay != NULL)
    {
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), teren_gui_toast_new (text));
      return;
    }
  if (failed_title == NULL)
    return;
  root = gtk_widget_get_root (parent);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   failed_title, NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "%s", text);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_written_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GtkWidget) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!teren_export_write_finish (result, &error))
    {
      /* Translators: %s says why the file could not be written */
      g_autofree char *text = g_strdup_printf (_("Could not export the list: %s"), error->message);

      g_debug ("Export failed: %s", g_quark_to_string (error->domain));
      tell (parent, text, _("The List Was Not Exported"));
      return;
    }
  tell (parent, _("List exported"), NULL);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        RunData         *run)
{
  g_autoptr(GFile) file = NULL;
  const char *format;
  const char *separator;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    {
      format = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format");
      separator = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "separator");
      teren_export_write_async (run->store, g_steal_pointer (&run->table), run->collect,
                                g_steal_pointer (&run->data), run->data_free, file,
                                g_strcmp0 (format, "json") == 0 ? TEREN_TABLE_JSON : TEREN_TABLE_CSV,
                                g_strcmp0 (separator, "semicolon") == 0 ? ';' : ',',
                                NULL, on_written_cb, g_object_ref (run->parent));
    }
  gtk_native_dialog_destroy (chooser);
  /* A native dialog is not a toplevel: this was the last reference. */
  g_object_unref (chooser);
}

void
teren_export_run (GtkWidget              *parent,
                  const char             *basename,
                  TerenStore             *store,
                  TerenTable             *table,
                  TerenExportCollectFunc  collect,
                  gpointer                data,
                  GDestroyNotify          data_free)
{
  static const char *format_ids[] = { "csv", "json", NULL };
  static const char *separator_ids[] = { "comma", "semicolon", NULL };
  const char *format_labels[] = { _("CSV (spreadsheet)"), _("JSON"), NULL };
  const char *separator_labels[] = { _("Comma"), _("Semicolon (Excel in Romanian)"), NULL };
  g_autofree char *name = NULL;
  GtkRoot *root;
  GtkFileChooserNative *chooser;
  RunData *run;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (TEREN_IS_STORE (store));

  run = g_new0 (RunData, 1);
  run->parent = g_object_ref (parent);
  run->store = g_object_ref (store);
  run->table = table;
  run->collect = collect;
  run->data = data;
  run->data_free = data_free;

  root = gtk_widget_get_root (parent);
  chooser = gtk_file_chooser_native_new (_("Export the List"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "format", _("Format"),
                               format_ids, format_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "format", "csv");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "separator", _("CSV separator"),
                               separator_ids, separator_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "separator", "comma");
  name = g_strconcat (basename, ".csv", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_data (chooser, "response", G_CALLBACK (on_chooser_response_cb), run,
                         (GClosureNotify) (void (*) (void)) run_data_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- Export Personal Data… (GDPR art. 15) -------------------------------------------- */

typedef struct
{
  GtkWidget       *parent;
  TerenStore      *store;
  TerenSyncEngine *engine;        /* the account's, to download what is not here; nullable */
  char            *person_id;
  char            *pdf_path;
  gboolean         with_files;
  TerenRecord     *person;        /* with @records: what the list step collected */
  GPtrArray       *records;
  GPtrArray       *attachments;   /* TerenSarAttachment, NULL without files */
  GPtrArray       *to_fetch;      /* TerenSarAttachment (borrowed) not on this computer */
  guint            next;
  char            *dir;
  gboolean         written;       /* the files and the PDF */
} PersonalJob;

static void
personal_job_free (PersonalJob *job)
{
  g_clear_object (&job->parent);
  g_clear_object (&job->store);
  g_clear_object (&job->engine);
  g_free (job->person_id);
  g_free (job->pdf_path);
  g_clear_object (&job->person);
  g_clear_pointer (&job->records, g_ptr_array_unref);
  g_clear_pointer (&job->to_fetch, g_ptr_array_unref);
  g_clear_pointer (&job->attachments, g_ptr_array_unref);
  g_free (job->dir);
  g_free (job);
}

static void
personal_failed (PersonalJob  *job,
                 const GError *error)
{
  /* Translators: %s says why */
  g_autofree char *text = g_strdup_printf (_("The personal data was not saved: %s"), error->message);

  g_debug ("Personal data export failed: %s %d", g_quark_to_string (error->domain), error->code);
  tell (job->parent, text, _("The Personal Data Was Not Saved"));
  personal_job_free (job);
}

static void
personal_done (PersonalJob *job)
{
  g_autofree char *text = NULL;

  if (job->attachments == NULL || job->attachments->len == 0)
    text = g_strdup (_("Personal data saved as PDF"));
  else
    {
      guint saved = teren_sar_count_attachments (job->attachments, TEREN_SAR_FILE_SAVED);
      guint left = job->attachments->len - saved;
      g_autofree char *files = g_strdup_printf (ngettext ("Personal data saved as PDF, with %u attached file",
                                                          "Personal data saved as PDF, with %u attached files",
                                                          saved), saved);

      if (left == 0)
        text = g_steal_pointer (&files);
      else
        {
          g_autofree char *missing = g_strdup_printf (ngettext ("%u file could not be included",
                                                                "%u files could not be included",
                                                                left), left);

          /* Translators: "Personal data saved as PDF, with 2 attached files. 1 file could
           * not be included" */
          text = g_strdup_printf (_("%s. %s"), files, missing);
        }
    }
  g_debug ("Personal data exported (%u attachments)", job->attachments != NULL ? job->attachments->len : 0);
  tell (job->parent, text, NULL);
  personal_job_free (job);
}

/* The folder next to the PDF ("ana – attached files", or "… (2)" when that one is taken). */
static char *
files_dir_for (const char  *pdf_path,
               GError     **error)
{
  g_autofree char *base = g_strdup (pdf_path);
  guint n;

  if (g_str_has_suffix (base, ".pdf") || g_str_has_suffix (base, ".PDF"))
    base[strlen (base) - 4] = '\0';
  for (n = 1; n < 100; n++)
    {
      /* Translators: the folder of a person's attached files, next to the PDF "%s.pdf" */
      g_autofree char *name = n == 1 ? g_strdup_printf (_("%s – attached files"), base)
                                     : g_strdup_printf (_("%s – attached files (%u)"), base, n);

      if (teren_sar_check_attachments_dir (name, NULL))
        return g_steal_pointer (&name);
    }
  g_set_error (error, TEREN_ERROR, TEREN_ERROR_EXISTS, _("No free folder name next to the PDF"));
  return NULL;
}

/* Worker: the files in their folder, then the PDF (which says what became of each file). */
static gpointer
personal_write_func (TerenStore  *store,
                     gpointer     data,
                     GError     **error)
{
  PersonalJob *job = data;
  g_autoptr(TerenDocument) document = NULL;

  if (job->attachments != NULL && job->attachments->len > 0)
    {
      job->dir = files_dir_for (job->pdf_path, error);
      if (job->dir == NULL || !teren_sar_write_attachments (store, job->attachments, job->dir, error))
        return NULL;
    }
  if (job->person == NULL && !teren_sar_collect (store, job->person_id, &job->person, &job->records, error))
    return NULL;
  document = teren_sar_document_build_for (store, job->person, job->records);
  if (job->attachments != NULL)
    teren_sar_document_add_attachments (document, job->attachments);
  if (!teren_document_write_pdf (document, job->pdf_path, error))
    return NULL;
  job->written = TRUE;
  return job;
}

static void fetch_next (PersonalJob *job);

/* After the list of files (then the downloads), and after the files and the PDF. */
static void
on_personal_step_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PersonalJob *job = user_data;
  g_autoptr(GError) error = NULL;

  if (teren_gui_store_call_finish (result, &error) == NULL)
    personal_failed (job, error);
  else if (!job->written)
    fetch_next (job);
  else
    personal_done (job);
}

static void
on_personal_fetched_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  PersonalJob *job = user_data;
  TerenSarAttachment *attachment = g_ptr_array_index (job->to_fetch, job->next);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = teren_sync_engine_fetch_blob_finish (TEREN_SYNC_ENGINE (object), result, &error);

  if (path == NULL)
    {
      attachment->state = TEREN_SAR_FILE_MISSING;
      attachment->reason = g_strdup (error->message);
    }
  job->next++;
  fetch_next (job);
}

/* Downloads, one after the other, what is not on this computer (the account's engine);
 * then the files and the PDF are written. Without an engine they are left out. */
static void
fetch_next (PersonalJob *job)
{
  if (job->engine != NULL && job->to_fetch != NULL && job->next < job->to_fetch->len)
    {
      TerenSarAttachment *attachment = g_ptr_array_index (job->to_fetch, job->next);

      teren_sync_engine_fetch_blob_async (job->engine, attachment->blob, NULL,
                                          on_personal_fetched_cb, job);
      return;
    }
  teren_gui_store_call_async (job->store, personal_write_func, job, NULL, NULL, NULL,
                              on_personal_step_cb, job);
}

/* Worker: the person's attached files, and which are not on this computer. */
static gpointer
personal_list_func (TerenStore  *store,
                    gpointer     data,
                    GError     **error)
{
  PersonalJob *job = data;
  guint i;

  if (!teren_sar_collect (store, job->person_id, &job->person, &job->records, error))
    return NULL;
  job->attachments = teren_sar_list_attachments (job->person, job->records);
  job->to_fetch = g_ptr_array_new ();
  for (i = 0; i < job->attachments->len; i++)
    {
      TerenSarAttachment *attachment = g_ptr_array_index (job->attachments, i);
      g_autofree char *path = teren_store_get_blob_path (store, attachment->blob, NULL);

      if (path == NULL)
        g_ptr_array_add (job->to_fetch, attachment);
    }
  return job;
}

static void
on_personal_chooser_response_cb (GtkNativeDialog *chooser,
                                 int              response,
                                 PersonalJob     *job)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && g_file_peek_path (file) != NULL)
    {
      job->pdf_path = g_file_get_path (file);
      job->with_files = g_strcmp0 (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser),
                                                                "attachments"), "true") == 0;
      teren_gui_store_call_async (job->store, job->with_files ? personal_list_func : personal_write_func,
                                  job, NULL, NULL, NULL, on_personal_step_cb, job);
    }
  else
    personal_job_free (job);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
teren_export_personal_data (GtkWidget  *parent,
                            TerenStore *store,
                            const char *person_id)
{
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  GtkRoot *root;
  PersonalJob *job;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (TEREN_IS_STORE (store));
  g_return_if_fail (person_id != NULL);

  root = gtk_widget_get_root (parent);
  job = g_new0 (PersonalJob, 1);
  job->parent = g_object_ref (parent);
  job->store = g_object_ref (store);
  job->person_id = g_strdup (person_id);
  if (TEREN_IS_WINDOW (root) && teren_window_get_engine (TEREN_WINDOW (root)) != NULL &&
      teren_sync_engine_get_store (teren_window_get_engine (TEREN_WINDOW (root))) == store)
    job->engine = g_object_ref (teren_window_get_engine (TEREN_WINDOW (root)));

  chooser = gtk_file_chooser_native_new (_("Save as PDF"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* A boolean choice: a check button in GTK's chooser and in the portal's. */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "attachments",
                               _("Also save the attached files, in a folder next to the PDF"),
                               NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "attachments", "true");
  name = g_strdup_printf ("%s.pdf", _("Personal Data Held About a Person"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_personal_chooser_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- collectors ---------------------------------------------------------------------- */

/* A field's value as a cell: codes for choices, YYYY-MM-DD dates, lists joined by ",". */
static char *
cell_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      GString *out = g_string_new (NULL);
      guint i;

      for (i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = cell_text (json_array_get_element (array, i));

          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append (out, item);
        }
      return g_string_free (out, FALSE);
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_to_string (node, FALSE);
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", json_node_get_double (node)));
      }
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    default:
      return g_strdup ("");
    }
}

typedef struct
{
  GPtrArray *ids;
  GStrv      kinds;
} RecordsData;

gpointer
teren_export_records_data_new (GPtrArray          *ids,
                               const char * const *kinds)
{
  RecordsData *data = g_new0 (RecordsData, 1);

  data->ids = g_ptr_array_ref (ids);
  data->kinds = g_strdupv ((char **) kinds);
  return data;
}

void
teren_export_records_data_free (gpointer pointer)
{
  RecordsData *data = pointer;

  g_ptr_array_unref (data->ids);
  g_strfreev (data->kinds);
  g_free (data);
}

TerenTable *
teren_export_collect_records (TerenStore  *store,
                              gpointer     pointer,
                              GError     **error)
{
  static const char * const fixed_columns[] = { "id", "kind", "title", NULL };
  RecordsData *data = pointer;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) column_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) columns = NULL;
  g_autoptr(TerenTable) table = NULL;
  guint n_columns = 3;
  guint i, k, f;

  g_strv_builder_addv (builder, (const char **) fixed_columns);
  for (k = 0; data->kinds[k] != NULL; k++)
    {
      const TerenKindDef *kind = teren_schema_lookup_kind (data->kinds[k]);

      for (f = 0; kind != NULL && f < kind->n_fields; f++)
        {
          const char *key = kind->fields[f].key;

          if (g_hash_table_contains (column_of, key) || g_strv_contains (fixed_columns, key))
            continue;
          g_hash_table_insert (column_of, (gpointer) key, GUINT_TO_POINTER (n_columns++));
          g_strv_builder_add (builder, key);
        }
    }
  columns = g_strv_builder_end (builder);
  table = teren_table_new ((const char * const *) columns);

  for (i = 0; i < data->ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(TerenRecord) record = teren_store_get_record (store, g_ptr_array_index (data->ids, i), &local_error);
      g_autoptr(GPtrArray) cells = NULL;
      JsonObject *fields;
      GHashTableIter iter;
      gpointer key, value;

      if (record == NULL)
        {
          /* Removed since it was listed (a sync): left out. */
          if (g_error_matches (local_error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (teren_record_get_deleted (record))
        continue;

      cells = g_ptr_array_new_full (n_columns + 1, g_free);
      g_ptr_array_add (cells, g_strdup (teren_record_get_id (record)));
      g_ptr_array_add (cells, g_strdup (teren_record_get_kind (record)));
      g_ptr_array_add (cells, g_strdup (teren_record_get_title (record)));
      for (f = 3; f < n_columns; f++)
        g_ptr_array_add (cells, NULL);
      fields = teren_record_get_fields (record);
      g_hash_table_iter_init (&iter, column_of);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          JsonNode *node = json_object_get_member (fields, key);

          if (node != NULL)
            {
              guint column = GPOINTER_TO_UINT (value);

              g_free (cells->pdata[column]);
              cells->pdata[column] = cell_text (node);
            }
        }
      g_ptr_array_add (cells, NULL);
      teren_table_add_row (table, (const char * const *) cells->pdata);
    }
  return g_steal_pointer (&table);
}

typedef struct
{
  char      *line;
  char      *status;
  GPtrArray *ids;
} LineCasesData;

gpointer
teren_export_line_cases_data_new (const char *line,
                                  const char *status,
                                  GPtrArray  *ids)
{
  LineCasesData *data = g_new0 (LineCasesData, 1);

  data->line = g_strdup (line);
  data->status = g_strdup (status);
  data->ids = g_ptr_array_ref (ids);
  return data;
}

void
teren_export_line_cases_data_free (gpointer pointer)
{
  LineCasesData *data = pointer;

  g_free (data->line);
  g_free (data->status);
  g_ptr_array_unref (data->ids);
  g_free (data);
}

TerenTable *
teren_export_collect_line_cases (TerenStore  *store,
                                 gpointer     pointer,
                                 GError     **error)
{
  static const char * const columns[] = {
    "case_id", "number", "person_id", "person", "status", "case_manager", "opened_on",
    "last_visit", "next_due", "next_due_date", "overdue", NULL
  };
  LineCasesData *data = pointer;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TerenTable) table = teren_table_new (columns);
  GDate today;
  guint i;

  teren_date_today (&today);
  cases = teren_store_line_cases (store, data->line, data->status, NULL, &today, error);
  if (cases == NULL)
    return NULL;
  for (i = 0; i < cases->len; i++)
    {
      TerenLineCase *row = g_ptr_array_index (cases, i);

      g_hash_table_insert (by_id, row->case_id, row);
    }

  for (i = 0; i < data->ids->len; i++)
    {
      TerenLineCase *row = g_hash_table_lookup (by_id, g_ptr_array_index (data->ids, i));
      g_autoptr(TerenRecord) person = NULL;
      const char *cells[G_N_ELEMENTS (columns)] = { NULL };

      if (row == NULL)
        continue;
      if (row->person_id != NULL)
        person = teren_store_get_record (store, row->person_id, NULL);
      cells[0] = row->case_id;
      cells[1] = row->number;
      cells[2] = row->person_id;
      cells[3] = person != NULL ? teren_record_get_title (person) : NULL;
      cells[4] = row->status;
      cells[5] = row->case_manager;
      cells[6] = row->opened_on;
      cells[7] = row->last_visit;
      cells[8] = row->next_due != NULL ? row->next_due->title : NULL;
      cells[9] = row->next_due != NULL ? row->next_due->due : NULL;
      cells[10] = row->next_due != NULL && row->next_due->bucket == TEREN_DUE_OVERDUE ? "true" : "false";
      teren_table_add_row (table, cells);
    }
  return g_steal_pointer (&table);
}

TerenTable *
teren_export_due_table (GPtrArray  *items,
                        GHashTable *persons)
{
  static const char * const columns[] = {
    "due", "bucket", "what", "line", "person_id", "person", "worker", "record_id", "case_id",
    "blocking", NULL
  };
  TerenTable *table = teren_table_new (columns);
  guint i;

  for (i = 0; items != NULL && i < items->len; i++)
    {
      TerenDueItem *item = g_ptr_array_index (items, i);
      const char *cells[G_N_ELEMENTS (columns)] = { NULL };

      if (item == NULL)
        continue;
      cells[0] = item->due;
      cells[1] = teren_due_bucket_get_label (item->bucket);
      cells[2] = item->title;
      cells[3] = item->line;
      cells[4] = item->person_id;
      cells[5] = persons != NULL && item->person_id != NULL ? g_hash_table_lookup (persons, item->person_id) : NULL;
      cells[6] = item->worker;
      cells[7] = item->record_id;
      cells[8] = item->case_id;
      cells[9] = item->blocking ? "true" : "false";
      teren_table_add_row (table, cells);
    }
  return table;
}
