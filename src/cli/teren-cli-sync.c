/* teren-cli-sync.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "teren-cli.h"
#include "teren-cli-sync.h"
#include "teren-error.h"
#include "teren-store-sync.h"
#include "teren-sync-blobs.h"
#include "teren-sync-engine.h"

#define PROGRAM_NAME "teren-cli"
#define MAX_PASSWORD 1024
/* Records per pull page: SYNC.md's cap, which the engine and the server apply too. */
#define MAX_PULL_LIMIT 2000

/* ---- The last account (no secret in it) ------------------------------------------------ */

static char *
account_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "teren", "cli-account.ini", NULL);
}

static void
remember_account (const char *server_url,
                  const char *username,
                  const char *data_dir)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = account_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_key_file_set_string (file, "account", "server", server_url);
  g_key_file_set_string (file, "account", "user", username);
  g_key_file_set_string (file, "account", "data-dir", data_dir);
  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_key_file_save_to_file (file, path, &error))
    g_debug ("The account was not remembered: %s", error != NULL ? error->message : g_strerror (errno));
}

static char *
remembered_data_dir (void)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = account_file_path ();

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  return g_key_file_get_string (file, "account", "data-dir", NULL);
}

/* ---- Running the engine on a main loop ---------------------------------------------- */

/* got_result_cb stores the result of an asynchronous call; wait_result() iterates the
 * default main context until it is there. */
static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

gboolean
teren_cli_open_account (TerenSyncEngine  *engine,
                        const char       *data_dir,
                        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  teren_sync_engine_open_account_async (engine, data_dir, NULL, NULL, NULL, got_result_cb, &result);
  return teren_sync_engine_open_account_finish (engine, wait_result (&result), error);
}

char *
teren_cli_fetch_blob (TerenSyncEngine  *engine,
                      const char       *blob,
                      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  teren_sync_engine_fetch_blob_async (engine, blob, NULL, got_result_cb, &result);
  return teren_sync_engine_fetch_blob_finish (engine, wait_result (&result), error);
}

/* ---- Password -------------------------------------------------------------------------- */

static char *
read_password (void)
{
  char buffer[MAX_PASSWORD + 2];
  gboolean tty = isatty (STDIN_FILENO);
  struct termios old_mode, new_mode;
  gboolean echo_off = FALSE;
  char *line;
  size_t length;

  if (tty)
    {
      g_printerr ("%s", _("Password: "));
      if (tcgetattr (STDIN_FILENO, &old_mode) == 0)
        {
          new_mode = old_mode;
          new_mode.c_lflag &= ~(tcflag_t) ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &new_mode) == 0;
        }
    }
  line = fgets (buffer, sizeof buffer, stdin);
  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &old_mode);
      g_printerr ("\n");
    }
  if (line == NULL)
    return NULL;
  length = strlen (buffer);
  if (length > MAX_PASSWORD)
    {
      memset (buffer, 0, sizeof buffer);
      return NULL;
    }
  while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r'))
    buffer[--length] = '\0';
  line = g_strdup (buffer);
  memset (buffer, 0, sizeof buffer);
  return line;
}

/* ---- Commands ------------------------------------------------------------------------ */

static gboolean
parse (const char     *command,
       const char     *parameters,
       const char     *summary,
       GOptionEntry   *entries,
       char          **data_dir,
       int            *argc,
       char         ***argv)
{
  g_autofree char *title = g_strdup_printf ("%s%s%s", command, parameters[0] ? " " : "", parameters);

  if (!teren_cli_parse_options (title, summary, NULL,
                                N_("The folder of the store (default: the signed-in account’s)"),
                                data_dir, entries, argc, argv))
    return FALSE;
  if (*argc > 1)
    {
      teren_cli_print_error (_("Unexpected argument “%s”"), (*argv)[1]);
      return FALSE;
    }
  return TRUE;
}

static int
run_login (int    argc,
           char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenSyncEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  char *password;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("The server’s address, e.g. https://teren.example.ro"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("Your user name"), N_("NAME") },
    { NULL }
  };

  if (!parse ("login", "", _("Sign in to the directorate’s server; the token is kept in the "
                             "keyring, the password nowhere"),
              entries, &data_dir, &argc, &argv))
    return TEREN_CLI_EXIT_ERROR;
  if (server == NULL || user == NULL || user[0] == '\0')
    {
      teren_cli_print_error (_("Give the server and the user name: login --server URL --user NAME"));
      return TEREN_CLI_EXIT_ERROR;
    }
  url = teren_sync_normalize_url (server, &error);
  if (url == NULL)
    {
      teren_cli_print_error ("%s", error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  password = read_password ();
  if (password == NULL || password[0] == '\0')
    {
      g_free (password);
      teren_cli_print_error (_("No password was given"));
      return TEREN_CLI_EXIT_ERROR;
    }

  engine = teren_sync_engine_new ();
  teren_sync_engine_login_async (engine, url, user, password, data_dir, NULL, got_result_cb, &result);
  memset (password, 0, strlen (password));
  g_free (password);

  if (!teren_sync_engine_login_finish (engine, wait_result (&result), &error))
    {
      teren_cli_print_error ("%s", error->message);
      return TEREN_CLI_EXIT_ERROR;
    }
  remember_account (url, user, teren_store_get_data_dir (teren_sync_engine_get_store (engine)));
  g_print (_("Signed in to %s as %s.\n"), url, user);
  return TEREN_CLI_EXIT_OK;
}

static char *
resolve_data_dir (char *data_dir)
{
  char *dir = data_dir != NULL ? g_strdup (data_dir) : remembered_data_dir ();

  if (dir == NULL)
    teren_cli_print_error (_("No account yet: sign in first with “%s login --server URL --user NAME”"),
                           PROGRAM_NAME);
  return dir;
}

static void
print_summary (TerenSyncSummary *summary)
{
  g_print (g_dngettext (GETTEXT_PACKAGE, "Sent: %u change", "Sent: %u changes", summary->pushed),
           summary->pushed);
  g_print (_(" (%u applied, %u merged, %u in conflict, %u refused, %u already known)\n"),
           summary->applied, summary->merged, summary->conflicts, summary->rejected,
           summary->duplicates);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Received: %u record in %u page(s)",
                        "Received: %u records in %u page(s)", summary->pulled),
           summary->pulled, summary->pages);
  g_print ("\n");
  if (summary->purged > 0)
    g_print (_("Removed from this computer (no longer in your scope): %u\n"), summary->purged);
  g_print (_("Waiting: %u; quarantined: %u; open conflicts: %u\n"),
           summary->pending - MIN (summary->pending, summary->quarantined), summary->quarantined,
           summary->open_conflicts);
}

static int
run_sync (int    argc,
          char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(TerenSyncEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  int pull_limit = G_MININT;   /* not given */
  GOptionEntry entries[] = {
    { "pull-limit", 0, 0, G_OPTION_ARG_INT, &pull_limit,
      N_("Records asked for per page of the pull, 1 to 2000 (default: 2000)"), N_("COUNT") },
    { NULL }
  };

  if (!parse ("sync", "", _("Send this computer’s changes and receive the server’s (one round)"),
              entries, &data_dir, &argc, &argv))
    return TEREN_CLI_EXIT_ERROR;
  if (pull_limit != G_MININT && (pull_limit < 1 || pull_limit > MAX_PULL_LIMIT))
    {
      teren_cli_print_error (_("The pull limit must be from 1 to 2000"));
      return TEREN_CLI_EXIT_ERROR;
    }
  dir = resolve_data_dir (data_dir);
  if (dir == NULL)
    return TEREN_CLI_EXIT_ERROR;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      teren_cli_print_error (_("There is no Teren data in “%s”"), dir);
      return TEREN_CLI_EXIT_ERROR;
    }

  engine = teren_sync_engine_new ();
  if (pull_limit != G_MININT)
    g_object_set (engine, "pull-limit", (guint) pull_limit, NULL);
  if (!teren_cli_open_account (engine, dir, &error))
    {
      teren_cli_print_error ("%s", error->message);
      return TEREN_CLI_EXIT_ERROR;
    }
  teren_sync_engine_sync_async (engine, NULL, got_result_cb, &result);
  summary = teren_sync_engine_sync_finish (engine, wait_result (&result), &error);
  if (summary == NULL)
    {
      teren_cli_print_error ("%s", error->message);
      return TEREN_CLI_EXIT_ERROR;
    }
  print_summary (summary);
  return summary->rejected > 0 ? TEREN_CLI_EXIT_REJECTED : TEREN_CLI_EXIT_OK;
}

static int
run_status (int    argc,
            char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TerenSyncStatus status;

  if (!parse ("status", "", _("Show what is waiting to be synced, quarantined or in conflict"),
              NULL, &data_dir, &argc, &argv))
    return TEREN_CLI_EXIT_ERROR;
  dir = resolve_data_dir (data_dir);
  if (dir == NULL)
    return TEREN_CLI_EXIT_ERROR;
  store = teren_cli_open_existing_store (dir);
  if (store == NULL)
    return TEREN_CLI_EXIT_ERROR;
  if (!teren_store_sync_get_status (store, &status, &error))
    {
      teren_cli_print_error (_("Cannot open the data in “%s”: %s"), dir, error->message);
      return TEREN_CLI_EXIT_ERROR;
    }
  server = teren_store_sync_get_meta (store, TEREN_SYNC_META_SERVER_URL);
  user = teren_store_sync_get_meta (store, TEREN_SYNC_META_USERNAME);

  if (server != NULL)
    g_print (_("Account: %s on %s\n"), user != NULL ? user : "?", server);
  else
    g_print (_("Account: not signed in\n"));
  g_print (_("Waiting to be sent: %u\n"), status.pending + status.held);
  g_print (_("Quarantined (refused by the server): %u\n"), status.quarantined);
  g_print (_("Open conflicts: %u\n"), status.conflicts);
  if (status.last_sync != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (status.last_sync, NULL);
      g_autoptr(GDateTime) local = when != NULL ? g_date_time_to_local (when) : NULL;
      g_autofree char *text = local != NULL ? g_date_time_format (local, "%d.%m.%Y %H:%M:%S")
                                            : g_strdup (status.last_sync);

      g_print (_("Last sync: %s\n"), text);
    }
  else
    g_print (_("Last sync: never\n"));
  if (status.last_error != NULL)
    g_print (_("Last error: %s\n"), status.last_error);
  teren_sync_status_clear (&status);
  return TEREN_CLI_EXIT_OK;
}

int
teren_cli_sync_run (const char  *command,
                    int          argc,
                    char       **argv)
{
  if (g_strcmp0 (command, "login") == 0)
    return run_login (argc, argv);
  if (g_strcmp0 (command, "sync") == 0)
    return run_sync (argc, argv);
  if (g_strcmp0 (command, "status") == 0)
    return run_status (argc, argv);
  teren_cli_print_error (_("Unknown command “%s”"), command);
  return TEREN_CLI_EXIT_ERROR;
}
