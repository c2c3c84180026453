/* teren-cli.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "teren-cli.h"
#include "teren-cli-print.h"
#include "teren-cli-report.h"
#include "teren-cli-sar.h"
#include "teren-cli-sync.h"
#include "teren-csv-import.h"
#include "teren-error.h"
#include "teren-export.h"
#include "teren-mo-catalog.h"
#include "teren-sar-document.h"
#include "teren-schema.h"
#include "teren-store.h"

#define PROGRAM_NAME "teren-cli"

/* Registers are at most a few hundred thousand rows; a bigger file is a mistake. */
#define IMPORT_MAX_BYTES (512 * 1024 * 1024)

/* The account directory used when --data-dir is not given, as the GUI before a login. */
#define DEFAULT_ACCOUNT "local"

typedef struct {
  char *data_dir;
} CliOptions;

typedef struct _CliCommand {
  const char *name;
  const char *parameters;   /* N_() */
  const char *summary;      /* N_() */
  int (*run) (const struct _CliCommand *self,
              CliOptions              *options,
              int                      argc,
              char                   **argv);
} CliCommand;

void
teren_cli_print_error (const char *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
}

TerenStore *
teren_cli_open_existing_store (const char *data_dir)
{
  g_autofree char *db_path = g_build_filename (data_dir, TEREN_STORE_DB_NAME, NULL);
  g_autoptr(GError) error = NULL;
  TerenStore *store;

  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      teren_cli_print_error (_("There is no Teren data in “%s”"), data_dir);
      return NULL;
    }
  store = teren_store_open (data_dir, &error);
  if (store == NULL)
    teren_cli_print_error (_("Cannot open the data in “%s”: %s"), data_dir, error->message);
  return store;
}

/* Writes @data to stdout as bytes (UTF-8 whatever the locale says). */
static gboolean
write_stdout (const char *data,
              gsize       length)
{
  if (length > 0 && fwrite (data, 1, length, stdout) != length)
    return FALSE;
  return fflush (stdout) == 0;
}

static const char *
data_dir_or_default (CliOptions *options)
{
  if (options->data_dir == NULL)
    options->data_dir = teren_store_default_dir (DEFAULT_ACCOUNT);
  return options->data_dir;
}

/* Opens the store in --data-dir. Commands that only read refuse a folder without a
 * database rather than create one. Prints the error. */
static TerenStore *
open_store (CliOptions *options,
            gboolean    create)
{
  const char *data_dir = data_dir_or_default (options);
  g_autofree char *db_path = g_build_filename (data_dir, TEREN_STORE_DB_NAME, NULL);
  g_autoptr(GError) error = NULL;
  TerenStore *store;

  if (g_file_test (data_dir, G_FILE_TEST_EXISTS) &&
      !g_file_test (data_dir, G_FILE_TEST_IS_DIR))
    {
      teren_cli_print_error (_("The data folder “%s” is a file, not a folder"), data_dir);
      return NULL;
    }

  if (!create && !g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      teren_cli_print_error (_("There is no Teren data in “%s”"), data_dir);
      return NULL;
    }

  store = teren_store_open (data_dir, &error);
  if (store != NULL)
    return store;

  if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_CORRUPT))
    teren_cli_print_error (_("The database in “%s” is damaged; it was left as it is: %s"),
                           data_dir, error->message);
  else if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_READ_ONLY))
    teren_cli_print_error (_("The data folder “%s” cannot be written: %s"), data_dir, error->message);
  else
    teren_cli_print_error (_("Cannot open the data in “%s”: %s"), data_dir, error->message);
  return NULL;
}

static char *
known_kinds (void)
{
  const TerenKindDef * const *kinds;
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_kinds = 0;
  guint i;

  kinds = teren_schema_list_kinds (&n_kinds);
  for (i = 0; i < n_kinds; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, kinds[i]->name);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
check_kind (const char *kind)
{
  g_autofree char *kinds = NULL;

  if (kind == NULL || teren_schema_lookup_kind (kind) != NULL)
    return TRUE;

  kinds = known_kinds ();
  teren_cli_print_error (_("Unknown kind of record “%s”. Known kinds: %s"), kind, kinds);
  return FALSE;
}

/* ',' or ';' from the --separator value, 0 when not given; FALSE if unknown. */
static gboolean
parse_separator (const char *text,
                 char       *out_separator)
{
  *out_separator = 0;
  if (text == NULL)
    return TRUE;

  if (g_str_equal (text, ",") || g_ascii_strcasecmp (text, "comma") == 0)
    *out_separator = ',';
  else if (g_str_equal (text, ";") || g_ascii_strcasecmp (text, "semicolon") == 0)
    *out_separator = ';';
  else
    {
      teren_cli_print_error (_("Unknown separator “%s”: use ';' or ','"), text);
      return FALSE;
    }
  return TRUE;
}

gboolean
teren_cli_parse_options (const char     *title,
                         const char     *summary,
                         const char     *description,
                         const char     *data_dir_help,
                         char          **data_dir,
                         GOptionEntry   *entries,
                         int            *argc,
                         char         ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (title);
  g_autoptr(GError) error = NULL;
  GOptionEntry common[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, data_dir, data_dir_help, N_("DIR") },
    { NULL }
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (description != NULL)
    g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      teren_cli_print_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Parses the command's options. Returns FALSE after printing a usage error. */
static gboolean
parse_options (const CliCommand  *command,
               CliOptions        *options,
               GOptionEntry      *entries,
               int               *argc,
               char            ***argv)
{
  g_autofree char *parameters = g_strdup_printf ("%s %s", command->name,
                                                 command->parameters[0] != '\0' ? _(command->parameters) : "");

  return teren_cli_parse_options (parameters, _(command->summary), NULL,
                                  N_("The folder of the store (default: the desktop application’s)"),
                                  &options->data_dir, entries, argc, argv);
}

/* ---- list -------------------------------------------------------------------------- */

static int
run_list (const CliCommand  *self,
         CliOptions        *options,
         int                argc,
         char             **argv)
{
  g_autofree char *kind = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const TerenKindDef * const *kinds;
  guint n_kinds = 0;
  guint k;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind, N_("Only records of this kind"), N_("KIND") },
    { NULL }
  };

  if (!parse_options (self, options, entries, &argc, &argv))
    return TEREN_CLI_EXIT_ERROR;
  if (argc > 1)
    {
      teren_cli_print_error (_("“list” takes no arguments"));
      return TEREN_CLI_EXIT_ERROR;
    }
  if (!check_kind (kind))
    return TEREN_CLI_EXIT_ERROR;

  store = open_store (options, FALSE);
  if (store == NULL)
    return TEREN_CLI_EXIT_ERROR;

  kinds = teren_schema_list_kinds (&n_kinds);
  for (k = 0; k < n_kinds; k++)
    {
      g_autoptr(GPtrArray) ids = NULL;
      g_autoptr(GError) error = NULL;
      guint i;

      if (kind != NULL && !g_str_equal (kind, kinds[k]->name))
        continue;

      ids = teren_store_list_ids (store, kinds[k]->name, &error);
      if (ids == NULL)
        {
          teren_cli_print_error (_("Cannot list the records: %s"), error->message);
          return TEREN_CLI_EXIT_ERROR;
        }

      for (i = 0; i < ids->len; i++)
        {
          g_autoptr(TerenRecord) record = NULL;
          g_autofree char *title = NULL;

          record = teren_store_get_record (store, g_ptr_array_index (ids, i), &error);
          if (record == NULL)
            {
              teren_cli_print_error (_("Cannot list the records: %s"), error->message);
              return TEREN_CLI_EXIT_ERROR;
            }

          /* One record a line, whatever the title holds. */
          title = g_strdup (teren_record_get_title (record));
          if (title != NULL)
            g_strdelimit (title, "\t\r\n", ' ');
          g_string_append_printf (out, "%s\t%s\t%s\n", teren_record_get_id (record),
                                  teren_record_get_kind (record), title != NULL ? title : "");
        }
    }

  if (!write_stdout (out->str, out->len))
    {
      teren_cli_print_error (_("Cannot write the output: %s"), g_strerror (errno));
      return TEREN_CLI_EXIT_ERROR;
    }
  return TEREN_CLI_EXIT_OK;
}

/* ---- show -------------------------------------------------------------------------- */

static const char *
sync_state_to_string (TerenRecordSyncState state)
{
  switch (state)
    {
    case TEREN_RECORD_SYNCED:
      return "synced";
    case TEREN_RECORD_WAITING:
      return "waiting";
    case TEREN_RECORD_IN_CONFLICT:
      return "in_conflict";
    case TEREN_RECORD_QUARANTINED:
      return "quarantined";
    default:
      return "unknown";
    }
}

static int
run_show (const CliCommand  *self,
         CliOptions        *options,
         int                argc,
         char             **argv)
{
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;
  TerenRecordSyncState state;
  guint pending = 0;

  if (!parse_options (self, options, NULL, &argc, &argv))
    return TEREN_CLI_EXIT_ERROR;
  if (argc != 2)
    {
      teren_cli_print_error (_("“show” needs the id of one record"));
      return TEREN_CLI_EXIT_ERROR;
    }

  store = open_store (options, FALSE);
  if (store == NULL)
    return TEREN_CLI_EXIT_ERROR;

  record = teren_store_get_record (store, argv[1], &error);
  if (record == NULL)
    {
      if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
        {
          teren_cli_print_error (_("There is no record with the id “%s”"), argv[1]);
          return TEREN_CLI_EXIT_REJECTED;
        }
      teren_cli_print_error (_("Cannot read the record: %s"), error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  state = teren_store_get_sync_state (store, argv[1], &pending, &reason);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "record");
  json_builder_add_value (builder, teren_record_to_json (record));
  json_builder_set_member_name (builder, "sync");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, sync_state_to_string (state));
  json_builder_set_member_name (builder, "pending_changes");
  json_builder_add_int_value (builder, pending);
  json_builder_set_member_name (builder, "reason");
  if (reason != NULL)
    json_builder_add_string_value (builder, reason);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  if (!write_stdout (text, strlen (text)) || !write_stdout ("\n", 1))
    {
      teren_cli_print_error (_("Cannot write the output: %s"), g_strerror (errno));
      return TEREN_CLI_EXIT_ERROR;
    }
  return TEREN_CLI_EXIT_OK;
}

/* ---- export ------------------------------------------------------------------------ */

static int
run_export (const CliCommand  *self,
           CliOptions        *options,
           int                argc,
           char             **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *separator_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *person = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *json = NULL;
  g_autofree char *attachments_dir = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(TerenRecord) person_record = NULL;
  g_autoptr(GPtrArray) person_records = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length = 0;
  char separator = 0;
  int status = TEREN_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("json or csv"), N_("FORMAT") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind,
      N_("Only records of this kind (CSV: person when not given)"), N_("KIND") },
    { "separator", 's', 0, G_OPTION_ARG_STRING, &separator_text,
      N_("CSV cell separator: ';' (Excel in Romanian) or ',' (the default)"), N_("SEPARATOR") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to this file instead of the standard output"), N_("FILE") },
    { "person", 'p', 0, G_OPTION_ARG_STRING, &person,
      N_("Everything held about this person, for a data-subject access request (JSON)"), N_("ID") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf,
      N_("With --person: write the answer as a PDF document to this file (--format json also writes the JSON)"),
      N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json,
      N_("With --person: write the JSON answer to this file (the same as --format json --output FILE)"),
      N_("FILE") },
    { "attachments", 0, 0, G_OPTION_ARG_FILENAME, &attachments_dir,
      N_("With --person: copy the person’s attached files into this new or empty folder "
         "(downloading those not on this computer yet)"),
      N_("DIR") },
    { NULL }
  };

  if (!parse_options (self, options, entries, &argc, &argv))
    return TEREN_CLI_EXIT_ERROR;
  if (argc > 1)
    {
      teren_cli_print_error (_("“export” takes no arguments"));
      return TEREN_CLI_EXIT_ERROR;
    }
  if ((json != NULL || attachments_dir != NULL) && person == NULL)
    {
      teren_cli_print_error (_("--json and --attachments are for the export of a person only: "
                               "--person ID --json FILE --attachments DIR"));
      return TEREN_CLI_EXIT_ERROR;
    }
  if (json != NULL)
    {
      if (output != NULL || (format != NULL && !g_str_equal (format, "json")))
        {
          teren_cli_print_error (_("Give either --json FILE or --format json --output FILE"));
          return TEREN_CLI_EXIT_ERROR;
        }
      g_free (format);
      format = g_strdup ("json");
      output = g_steal_pointer (&json);
    }
  if (pdf != NULL && person == NULL)
    {
      teren_cli_print_error (_("A PDF is written for the export of a person only: --person ID --pdf FILE"));
      return TEREN_CLI_EXIT_ERROR;
    }
  if ((format == NULL && pdf == NULL) ||
      (format != NULL && !g_str_equal (format, "json") && !g_str_equal (format, "csv")))
    {
      teren_cli_print_error (_("Give the format of the export: --format json or --format csv"));
      return TEREN_CLI_EXIT_ERROR;
    }
  if (!check_kind (kind) || !parse_separator (separator_text, &separator))
    return TEREN_CLI_EXIT_ERROR;
  if (person != NULL && ((format != NULL && !g_str_equal (format, "json")) || kind != NULL || separator != 0))
    {
      teren_cli_print_error (_("The export of a person is JSON only and takes no kind or separator: --person ID --format json"));
      return TEREN_CLI_EXIT_ERROR;
    }

  if (attachments_dir != NULL && !teren_sar_check_attachments_dir (attachments_dir, &error))
    {
      teren_cli_print_error ("%s", error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  store = open_store (options, FALSE);
  if (store == NULL)
    return TEREN_CLI_EXIT_ERROR;

  /* The person's records, read once for the files, the PDF and the JSON. */
  if (person != NULL && !teren_sar_collect (store, person, &person_record, &person_records, &error))
    {
      teren_cli_print_error (_("Cannot export the person: %s"), error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  /* The files first: the JSON says what became of each. */
  if (attachments_dir != NULL)
    {
      status = teren_cli_sar_export_attachments (store, person_record, person_records,
                                                 attachments_dir, &attachments);
      if (attachments == NULL)
        return status;
    }

  if (person != NULL && pdf != NULL)
    {
      g_autoptr(TerenDocument) document = teren_sar_document_build_for (store, person_record,
                                                                        person_records);

      if (attachments != NULL)
        teren_sar_document_add_attachments (document, attachments);
      if (!teren_document_write_pdf (document, pdf, &error))
        {
          teren_cli_print_error (_("Cannot export the person: %s"), error->message);
          return TEREN_CLI_EXIT_ERROR;
        }
      if (format == NULL)
        return status;
    }
  if (person != NULL)
    {
      bytes = teren_cli_sar_export_json (store, person_record, person_records, attachments, &error);
      if (bytes == NULL)
        {
          teren_cli_print_error (_("Cannot export the person: %s"), error->message);
          return TEREN_CLI_EXIT_ERROR;
        }
    }
  else if (g_str_equal (format, "json"))
    {
      const char *kinds[] = { kind, NULL };
      bytes = teren_export_json (store, kind != NULL ? kinds : NULL, &error);
    }
  else
    bytes = teren_export_csv (store, kind != NULL ? kind : "person",
                              separator != 0 ? separator : ',', &error);

  if (bytes == NULL)
    {
      teren_cli_print_error (_("Cannot export the records: %s"), error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  data = g_bytes_get_data (bytes, &length);
  if (output != NULL)
    {
      /* Personal data: the file is private to the user, written whole or not at all. */
      if (!g_file_set_contents_full (output, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                     0600, &error))
        {
          teren_cli_print_error (_("Cannot write “%s”: %s"), output, error->message);
          return TEREN_CLI_EXIT_ERROR;
        }
    }
  else if (!write_stdout (data, length))
    {
      teren_cli_print_error (_("Cannot write the output: %s"), g_strerror (errno));
      return TEREN_CLI_EXIT_ERROR;
    }

  return status;
}

/* ---- import ------------------------------------------------------------------------ */

static void
print_import_note (TerenCsvImportNote  note,
                   guint               line,
                   const char         *message,
                   gpointer            user_data)
{
  g_printerr ("%s\n", message);
}

static char *
format_summary (const TerenCsvImportSummary *summary,
                gboolean                     dry_run)
{
  g_autofree char *done = NULL;
  g_autofree char *rejected = NULL;

  if (dry_run)
    done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u valid", "%u valid", summary->valid),
                            summary->valid);
  else
    done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u imported", "%u imported",
                                         summary->imported),
                            summary->imported);
  rejected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u rejected", "%u rejected",
                                           summary->rejected),
                              summary->rejected);

  /* Translators: the summary of an import, e.g. “12 imported, 2 rejected” */
  return g_strdup_printf (_("%s, %s"), done, rejected);
}

static int
run_import (const CliCommand  *self,
           CliOptions        *options,
           int                argc,
           char             **argv)
{
  g_autofree char *kind = NULL;
  g_autofree char *line = NULL;
  g_autofree char *separator_text = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *summary_text = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(TerenMoCatalog) romanian = NULL;
  g_autoptr(TerenCsvImportFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all_or_nothing = FALSE;
  gboolean dry_run = FALSE;
  TerenCsvImportSummary summary;
  TerenCsvImportFlags flags = TEREN_CSV_IMPORT_NONE;
  GStatBuf st;
  gsize length = 0;
  char separator = 0;
  const char *path;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind,
      N_("The kind of record of every row (default: person)"), N_("KIND") },
    { "line", 'l', 0, G_OPTION_ARG_STRING, &line,
      N_("The service line, for kinds that belong to any line"), N_("LINE") },
    { "all-or-nothing", 0, 0, G_OPTION_ARG_NONE, &all_or_nothing,
      N_("Import nothing when any row is rejected"), NULL },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Check every row but import nothing"), NULL },
    { "separator", 's', 0, G_OPTION_ARG_STRING, &separator_text,
      N_("Cell separator, ';' or ',' (default: found from the header row)"), N_("SEPARATOR") },
    { "encoding", 'e', 0, G_OPTION_ARG_STRING, &encoding,
      N_("Character set of the file when it is not UTF-8, e.g. WINDOWS-1250"), N_("ENCODING") },
    { NULL }
  };

  if (!parse_options (self, options, entries, &argc, &argv))
    return TEREN_CLI_EXIT_ERROR;
  if (argc != 2)
    {
      teren_cli_print_error (_("“import” needs one CSV file"));
      return TEREN_CLI_EXIT_ERROR;
    }
  if (!check_kind (kind) || !parse_separator (separator_text, &separator))
    return TEREN_CLI_EXIT_ERROR;

  path = argv[1];
  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;
      teren_cli_print_error (_("Cannot read “%s”: %s"), path, g_strerror (saved_errno));
      return TEREN_CLI_EXIT_ERROR;
    }
  if (!S_ISREG (st.st_mode))
    {
      teren_cli_print_error (_("“%s” is not a file"), path);
      return TEREN_CLI_EXIT_ERROR;
    }
  if (st.st_size > IMPORT_MAX_BYTES)
    {
      teren_cli_print_error (_("“%s” is too large to be a register (more than %u MiB)"), path,
                             (guint)(IMPORT_MAX_BYTES / (1024 * 1024)));
      return TEREN_CLI_EXIT_ERROR;
    }
  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      teren_cli_print_error (_("Cannot read “%s”: %s"), path, error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  romanian = teren_mo_catalog_new_for_language ("ro");

  if (all_or_nothing)
    flags |= TEREN_CSV_IMPORT_ALL_OR_NOTHING;
  if (dry_run)
    flags |= TEREN_CSV_IMPORT_DRY_RUN;

  /* A file refused as a whole is refused before the store is opened, so that nothing,
   * not even an empty store, is made for it. */
  file = teren_csv_import_file_new (kind != NULL ? kind : "person", line, contents, length,
                                    separator, encoding, romanian, &error);
  if (file == NULL)
    {
      teren_cli_print_error (_("Nothing was imported from “%s”: %s"), path, error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  store = open_store (options, TRUE);
  if (store == NULL)
    return TEREN_CLI_EXIT_ERROR;

  if (!teren_csv_import_file_run (file, store, flags, print_import_note, NULL, &summary,
                                  &error))
    {
      teren_cli_print_error (_("Nothing was imported from “%s”: the data cannot be written: %s"),
                             path, error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  if (all_or_nothing && summary.rejected > 0)
    teren_cli_print_error (_("Nothing was imported because rows were rejected and --all-or-nothing was given"));

  summary_text = format_summary (&summary, dry_run);
  g_print ("%s\n", summary_text);

  return summary.rejected > 0 ? TEREN_CLI_EXIT_REJECTED : TEREN_CLI_EXIT_OK;
}

/* ---- report (teren-cli-report.c) ----------------------------------------------------- */

static int
run_report (const CliCommand  *self,
            CliOptions        *options,
            int                argc,
            char             **argv)
{
  return teren_cli_report_run (data_dir_or_default (options), argc, argv);
}

/* ---- print (teren-cli-print.c) ------------------------------------------------------- */

static int
run_print (const CliCommand  *self,
           CliOptions        *options,
           int                argc,
           char             **argv)
{
  return teren_cli_print_run (data_dir_or_default (options), argc, argv);
}

/* ---- dispatch ---------------------------------------------------------------------- */

/* ---- login, sync, status (teren-cli-sync.c) ------------------------------------------- */

static int
run_sync_command (const CliCommand  *self,
                  CliOptions        *options,
                  int                argc,
                  char             **argv)
{
  return teren_cli_sync_run (self->name, argc, argv);
}

static const CliCommand commands[] = {
  { "list", "", N_("List the records: id, kind and title, one a line"), run_list },
  { "show", N_("ID"), N_("Show one record as JSON, with its sync state"), run_show },
  { "export", "", N_("Export the records as JSON or CSV"), run_export },
  { "import", N_("FILE.csv"), N_("Import a register of persons from a CSV file"), run_import },
  { "report", N_("--line LINE --month YYYY-MM"), N_("Monthly counts of one service line as CSV or JSON"), run_report },
  { "print", N_("KIND ID|YYYY-MM --pdf FILE"), N_("Print an official document to a PDF file"), run_print },
  { "login", "", N_("Sign in to the server (the token goes to the keyring)"), run_sync_command },
  { "sync", "", N_("Sync once with the server and print a summary"), run_sync_command },
  { "status", "", N_("Show changes waiting, quarantined and in conflict, and the last sync"),
    run_sync_command },
};

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint i;

  g_string_append_printf (out, _("Usage: %s [--data-dir DIR] COMMAND [OPTIONS…]"), PROGRAM_NAME);
  g_string_append (out, "\n\n");
  g_string_append (out, _("Commands:"));
  g_string_append_c (out, '\n');
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (out, "  %-8s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("“%s COMMAND --help” shows the options of a command."),
                          PROGRAM_NAME);
  g_string_append_c (out, '\n');
  g_string_append (out, _("Exit status: 0 on success, 1 when rows were rejected or a record "
                          "was not found, 2 on usage, file or database errors."));
  g_string_append_c (out, '\n');
  g_string_append (out, _("“export --person ID --attachments DIR” exits with 3 when the export "
                          "was written without some attached files (not on this computer and "
                          "not downloadable now), and with 2 when a file here is damaged."));
  g_string_append_c (out, '\n');

  if (stream == stderr)
    g_printerr ("%s", out->str);
  else
    g_print ("%s", out->str);
}

int
teren_cli_main (int    argc,
                char **argv)
{
  CliOptions options = { NULL };
  const CliCommand *command = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  int command_index = -1;
  int status;
  int i;

  /* The command is the first word that is neither an option nor --data-dir's value. */
  for (i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--data-dir") || g_str_equal (argv[i], "-d"))
        {
          i++;
          continue;
        }
      if (argv[i][0] == '-')
        {
          if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
            {
              print_usage (stdout);
              return TEREN_CLI_EXIT_OK;
            }
          if (g_str_equal (argv[i], "--version"))
            {
              g_print ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
              return TEREN_CLI_EXIT_OK;
            }
          continue;
        }
      command_index = i;
      break;
    }

  if (command_index < 0)
    {
      teren_cli_print_error (_("No command given"));
      print_usage (stderr);
      return TEREN_CLI_EXIT_ERROR;
    }

  if (g_str_equal (argv[command_index], "help"))
    {
      print_usage (stdout);
      return TEREN_CLI_EXIT_OK;
    }

  for (i = 0; i < (int)G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[command_index], commands[i].name))
        command = &commands[i];
    }
  if (command == NULL)
    {
      teren_cli_print_error (_("Unknown command “%s”"), argv[command_index]);
      print_usage (stderr);
      return TEREN_CLI_EXIT_ERROR;
    }

  /* The command's options may come before or after its name. */
  g_ptr_array_add (args, argv[0]);
  for (i = 1; i < argc; i++)
    {
      if (i != command_index)
        g_ptr_array_add (args, argv[i]);
    }
  g_ptr_array_add (args, NULL);

  {
    int command_argc = (int)args->len - 1;
    char **command_argv = (char **)args->pdata;

    status = command->run (command, &options, command_argc, command_argv);
  }

  g_free (options.data_dir);
  return status;
}
