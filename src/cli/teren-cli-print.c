/* teren-cli-print.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-cli.h"
#include "teren-cli-print.h"
#include "teren-error.h"
#include "teren-official-documents.h"

/* `teren-cli print`: an official document as PDF (issue 7), the same pages the desktop
 * application prints. */

static char *
kinds_description (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const TerenOfficialDocumentKind *kinds;
  guint n = 0, i;

  kinds = teren_official_document_kinds (&n);
  g_string_append (out, _("Documents (KIND and what follows it):"));
  g_string_append_c (out, '\n');
  for (i = 0; i < n; i++)
    g_string_append_printf (out, "  %-15s %-8s %s\n", kinds[i].name, _(kinds[i].argument), _(kinds[i].summary));
  g_string_append (out, _("ID is the id of the record the document is made from (see “teren-cli list”); "
                          "YYYY-MM is the month of a list or report."));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
known_kind (const char *name)
{
  const TerenOfficialDocumentKind *kinds;
  guint n = 0, i;

  kinds = teren_official_document_kinds (&n);
  for (i = 0; i < n; i++)
    if (g_str_equal (kinds[i].name, name))
      return TRUE;
  return FALSE;
}

int
teren_cli_print_run (const char  *default_dir,
                     int          argc,
                     char       **argv)
{
  const char *data_dir;
  g_autofree char *given_dir = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(TerenDocument) document = NULL;
  GOptionEntry entries[] = {
    { "pdf", 'o', 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write the document to this PDF file"), N_("FILE") },
    { NULL }
  };

  g_return_val_if_fail (default_dir != NULL, TEREN_CLI_EXIT_ERROR);

  description = kinds_description ();
  if (!teren_cli_parse_options (_("print KIND ID|YYYY-MM --pdf FILE"),
                                _("Print an official document to a PDF file"), description,
                                N_("The folder of the store (default: the desktop application’s)"),
                                &given_dir, entries, &argc, &argv))
    return TEREN_CLI_EXIT_ERROR;
  if (argc != 3)
    {
      teren_cli_print_error (_("“print” needs a document kind and a record id or month"));
      return TEREN_CLI_EXIT_ERROR;
    }
  if (!known_kind (argv[1]))
    {
      teren_cli_print_error (_("Unknown document “%s”"), argv[1]);
      g_printerr ("%s\n", description);
      return TEREN_CLI_EXIT_ERROR;
    }
  if (pdf == NULL || pdf[0] == '\0')
    {
      teren_cli_print_error (_("Give the output file with --pdf FILE"));
      return TEREN_CLI_EXIT_ERROR;
    }

  data_dir = given_dir != NULL ? given_dir : default_dir;

  store = teren_cli_open_existing_store (data_dir);
  if (store == NULL)
    return TEREN_CLI_EXIT_ERROR;

  document = teren_official_document_build (store, argv[1], argv[2], &error);
  if (document == NULL)
    {
      teren_cli_print_error ("%s", error->message);
      return g_error_matches (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND)
             ? TEREN_CLI_EXIT_REJECTED : TEREN_CLI_EXIT_ERROR;
    }
  if (!teren_document_write_pdf (document, pdf, &error))
    {
      teren_cli_print_error ("%s", error->message);
      return TEREN_CLI_EXIT_ERROR;
    }
  return TEREN_CLI_EXIT_OK;
}
