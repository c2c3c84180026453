/* teren-cli-report.c
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

#include "teren-cli.h"
#include "teren-cli-report.h"
#include "teren-line.h"
#include "teren-store-report.h"

/* `teren-cli report`: the monthly counts of one line (teren-store-report.h). */

static char *
known_lines (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const TerenLine *lines;
  guint n = 0, i;

  lines = teren_line_list (&n);
  for (i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, lines[i].id);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

int
teren_cli_report_run (const char  *default_dir,
                      int          argc,
                      char       **argv)
{
  const char *data_dir;
  g_autofree char *line = NULL;
  g_autofree char *month = NULL;
  g_autofree char *format = NULL;
  g_autofree char *separator = NULL;
  g_autofree char *given_dir = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(TerenReport) report = NULL;
  gsize length = 0;
  char sep = ',';
  int year = 0, month_number = 0;
  GOptionEntry entries[] = {
    { "line", 'l', 0, G_OPTION_ARG_STRING, &line, N_("The service line, e.g. child"), N_("LINE") },
    { "month", 'm', 0, G_OPTION_ARG_STRING, &month, N_("The month, e.g. 2026-03"), N_("YYYY-MM") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("csv (the default) or json"), N_("FORMAT") },
    { "separator", 's', 0, G_OPTION_ARG_STRING, &separator,
      N_("CSV cell separator: ';' (Excel in Romanian) or ',' (the default)"), N_("SEPARATOR") },
    { NULL }
  };

  g_return_val_if_fail (default_dir != NULL, TEREN_CLI_EXIT_ERROR);

  if (!teren_cli_parse_options (_("report --line LINE --month YYYY-MM"),
                                _("Monthly counts of one service line as CSV or JSON"), NULL,
                                N_("The folder of the store (default: the desktop application’s)"),
                                &given_dir, entries, &argc, &argv))
    return TEREN_CLI_EXIT_ERROR;
  if (argc > 1)
    {
      teren_cli_print_error (_("“report” takes no arguments"));
      return TEREN_CLI_EXIT_ERROR;
    }

  if (line == NULL)
    {
      teren_cli_print_error (_("Give the service line with --line"));
      return TEREN_CLI_EXIT_ERROR;
    }
  if (!teren_line_is_valid (line))
    {
      g_autofree char *lines = known_lines ();

      teren_cli_print_error (_("Unknown service line “%s”. Known lines: %s"), line, lines);
      return TEREN_CLI_EXIT_ERROR;
    }
  if (month == NULL)
    {
      teren_cli_print_error (_("Give the month with --month YYYY-MM"));
      return TEREN_CLI_EXIT_ERROR;
    }
  if (!teren_report_parse_month (month, &year, &month_number, &error))
    {
      teren_cli_print_error ("%s", error->message);
      return TEREN_CLI_EXIT_ERROR;
    }
  if (format != NULL && g_strcmp0 (format, "csv") != 0 && g_strcmp0 (format, "json") != 0)
    {
      teren_cli_print_error (_("Unknown format “%s”: use csv or json"), format);
      return TEREN_CLI_EXIT_ERROR;
    }
  if (separator != NULL)
    {
      if (g_str_equal (separator, ";") || g_ascii_strcasecmp (separator, "semicolon") == 0)
        sep = ';';
      else if (!g_str_equal (separator, ",") && g_ascii_strcasecmp (separator, "comma") != 0)
        {
          teren_cli_print_error (_("Unknown separator “%s”: use ';' or ','"), separator);
          return TEREN_CLI_EXIT_ERROR;
        }
    }

  data_dir = given_dir != NULL ? given_dir : default_dir;

  store = teren_cli_open_existing_store (data_dir);
  if (store == NULL)
    return TEREN_CLI_EXIT_ERROR;

  report = teren_store_report_month (store, line, year, month_number, &error);
  if (report == NULL)
    {
      teren_cli_print_error (_("Cannot make the report: %s"), error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  if (g_strcmp0 (format, "json") == 0)
    {
      g_autofree char *json = teren_report_to_json (report, NULL);

      output = g_strconcat (json, "\n", NULL);
      length = strlen (output);
    }
  else
    output = teren_report_to_csv (report, sep, &length);

  if ((length > 0 && fwrite (output, 1, length, stdout) != length) || fflush (stdout) != 0)
    {
      teren_cli_print_error (_("Cannot write the output: %s"), g_strerror (errno));
      return TEREN_CLI_EXIT_ERROR;
    }
  return TEREN_CLI_EXIT_OK;
}
