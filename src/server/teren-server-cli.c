/* teren-server-cli.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "teren-error.h"
#include "teren-line.h"
#include "teren-uuid.h"
#include "teren-server-auth.h"
#include "teren-server-backend.h"
#include "teren-server-backup.h"
#include "teren-server-blobs.h"
#include "teren-server-cli.h"
#include "teren-server-http.h"
#include "teren-server-icd10.h"
#include "teren-server-nomenclature.h"
#include "teren-server-sqlite.h"

#define EXIT_USAGE 2

static char    *opt_data_dir;
static char    *opt_lines;
static char    *opt_role;
static char    *opt_display_name;
static char    *opt_record;
static gboolean opt_epoch_report;
static char    *opt_listen;
static char    *opt_tls_cert;
static char    *opt_tls_key;
static gboolean opt_insecure_http;

static const GOptionEntry common_entries[] = {
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_data_dir, N_("Directory of the server database"), N_("DIR") },
  { NULL }
};

static const GOptionEntry user_entries[] = {
  { "lines", 0, 0, G_OPTION_ARG_STRING, &opt_lines, N_("Service lines, comma-separated"), N_("LINES") },
  { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role, N_("worker, supervisor or admin"), N_("ROLE") },
  { "display-name", 0, 0, G_OPTION_ARG_STRING, &opt_display_name, N_("Name shown in the application"), N_("TEXT") },
  { NULL }
};

static const GOptionEntry audit_entries[] = {
  { "record", 0, 0, G_OPTION_ARG_STRING, &opt_record, N_("Record id"), N_("ID") },
  { "epoch-report", 0, 0, G_OPTION_ARG_NONE, &opt_epoch_report,
    N_("Records a client held at a newer revision than the server after a restore"), NULL },
  { NULL }
};

static const GOptionEntry serve_entries[] = {
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen, N_("Address and port (default 127.0.0.1:8787)"), N_("HOST:PORT") },
  { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_cert, N_("TLS certificate (PEM)"), N_("FILE") },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key, N_("TLS private key (PEM)"), N_("FILE") },
  { "insecure-http", 0, 0, G_OPTION_ARG_NONE, &opt_insecure_http, N_("Allow plain HTTP on a non-loopback address"), NULL },
  { NULL }
};

static void
print_usage (void)
{
  /* Command syntax: not translated. */
  fprintf (stderr, "%s",
           ("Usage:\n"
             "  teren-server serve --data-dir DIR [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE] [--insecure-http]\n"
             "  teren-server user add NAME --lines LINES --role worker|supervisor|admin [--display-name TEXT] --data-dir DIR\n"
             "  teren-server user passwd NAME --data-dir DIR\n"
             "  teren-server user lines NAME --lines LINES --data-dir DIR\n"
             "  teren-server user role NAME --role ROLE --data-dir DIR\n"
             "  teren-server user disable|enable NAME --data-dir DIR\n"
             "  teren-server user list --data-dir DIR\n"
             "  teren-server device revoke DEVICE_ID --data-dir DIR\n"
             "  teren-server device list --data-dir DIR\n"
             "  teren-server audit --record ID --data-dir DIR\n"
             "  teren-server audit --epoch-report --data-dir DIR\n"
             "  teren-server backup FILE --data-dir DIR\n"
             "  teren-server restore FILE --data-dir DIR\n"
             "  teren-server nomenclature import siruta|icd10|KIND FILE.csv --data-dir DIR\n"
             "  teren-server gc-blobs --data-dir DIR\n"));
}

static int
fail (const char *message)
{
  fprintf (stderr, "teren-server: %s\n", message);
  return EXIT_FAILURE;
}

static int
usage_error (const char *message)
{
  fprintf (stderr, "teren-server: %s\n", message);
  print_usage ();
  return EXIT_USAGE;
}

/* ---- passwords ------------------------------------------------------------------- */

static char *
read_line_stdin (void)
{
  GString *line = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    {
      if (line->len > TEREN_SERVER_PASSWORD_MAX)
        break;
      g_string_append_c (line, (char) c);
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  if (c == EOF && line->len == 0)
    {
      g_string_free (line, TRUE);
      return NULL;
    }
  return g_string_free (line, FALSE);
}

static char *
prompt_hidden (const char *prompt)
{
  struct termios old, quiet;
  char *line;
  gboolean restore = FALSE;

  /* Echo off before the prompt shows, so nothing typed after it is flushed. */
  if (tcgetattr (STDIN_FILENO, &old) == 0)
    {
      quiet = old;
      quiet.c_lflag &= ~ECHO;
      restore = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  fprintf (stderr, "%s", prompt);
  fflush (stderr);
  line = read_line_stdin ();
  if (restore)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
  fprintf (stderr, "\n");
  return line;
}

static void
secret_free (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

/* The new password's hash, from the terminal (asked twice) or the first line of stdin. */
static char *
read_new_password_hash (GError **error)
{
  char *password;
  char *hash;

  if (isatty (STDIN_FILENO))
    {
      char *again;

      password = prompt_hidden (_("New password: "));
      again = password != NULL ? prompt_hidden (_("Repeat the password: ")) : NULL;
      if (password == NULL || again == NULL || strcmp (password, again) != 0)
        {
          secret_free (password);
          secret_free (again);
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("The passwords do not match."));
          return NULL;
        }
      secret_free (again);
    }
  else
    {
      password = read_line_stdin ();
    }

  if (password == NULL || g_utf8_strlen (password, -1) < TEREN_SERVER_PASSWORD_MIN ||
      strlen (password) > TEREN_SERVER_PASSWORD_MAX || !g_utf8_validate (password, -1, NULL))
    {
      secret_free (password);
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("A password needs at least %d characters."), TEREN_SERVER_PASSWORD_MIN);
      return NULL;
    }
  hash = teren_server_password_hash (password, error);
  secret_free (password);
  return hash;
}

/* ---- commands ---------------------------------------------------------------------- */

static TerenServerBackend *
open_backend (void)
{
  g_autoptr(GError) error = NULL;
  TerenServerBackend *backend;

  backend = teren_server_backend_open (opt_data_dir, &error);
  if (backend == NULL)
    fail (error->message);
  return backend;
}

static gboolean
parse_lines (char ***out_lines,
             GError **error)
{
  if (opt_lines == NULL || g_strstrip (opt_lines)[0] == '\0')
    {
      *out_lines = g_new0 (char *, 1);
      return TRUE;
    }
  return teren_line_parse_list (opt_lines, out_lines, error);
}

static int
close_backend (TerenServerBackend *backend,
               int                 status)
{
  g_autoptr(GError) error = NULL;

  if (!teren_server_backend_close (backend, &error) && status == EXIT_SUCCESS)
    status = fail (error->message);
  teren_server_backend_free (backend);
  return status;
}

static int
cmd_user (int    argc,
          char **argv)
{
  const char *action = argc > 0 ? argv[0] : NULL;
  const char *name = argc > 1 ? argv[1] : NULL;
  TerenServerBackend *backend;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  if (action == NULL)
    return usage_error (_("user needs add, passwd, lines, role, disable, enable or list."));
  if (strcmp (action, "list") == 0)
    {
      g_autoptr(GPtrArray) accounts = NULL;
      guint i;

      if (argc != 1)
        return usage_error (_("user list takes no argument."));
      if ((backend = open_backend ()) == NULL)
        return EXIT_FAILURE;
      accounts = teren_server_backend_account_list (backend, &error);
      if (accounts == NULL)
        return close_backend (backend, fail (error->message));
      for (i = 0; i < accounts->len; i++)
        {
          TerenServerAccount *account = g_ptr_array_index (accounts, i);
          g_autofree char *lines = g_strjoinv (",", account->lines);

          printf ("%s\t%s\t%s\t%s\n", account->username, teren_server_role_to_string (account->role),
                  lines[0] != '\0' ? lines : "-", account->disabled ? "disabled" : "active");
        }
      return close_backend (backend, EXIT_SUCCESS);
    }

  if (argc != 2)
    return usage_error (_("Give exactly one account name."));
  if (!teren_server_username_is_valid (name))
    return fail (_("An account name is 1 to 64 lower-case letters, digits, “.”, “_” or “-”."));

  if (strcmp (action, "add") == 0)
    {
      g_auto(GStrv) lines = NULL;
      g_autofree char *hash = NULL;
      TerenServerRole role;

      if (opt_role == NULL || !teren_server_role_from_string (opt_role, &role))
        return usage_error (_("--role must be worker, supervisor or admin."));
      if (!parse_lines (&lines, &error))
        return fail (error->message);
      if (opt_display_name != NULL && (!g_utf8_validate (opt_display_name, -1, NULL) ||
                                       g_utf8_strlen (opt_display_name, -1) > 200))
        return fail (_("The display name is not valid."));
      if ((backend = open_backend ()) == NULL)
        return EXIT_FAILURE;
      hash = read_new_password_hash (&error);
      ok = hash != NULL &&
           teren_server_backend_account_add (backend, name, opt_display_name, role,
                                             (const char * const *) lines, hash, &error);
      if (ok)
        printf (_("Account “%s” added.\n"), name);
    }
  else if (strcmp (action, "passwd") == 0)
    {
      g_autofree char *hash = NULL;
      g_autoptr(TerenServerAccount) account = NULL;

      if ((backend = open_backend ()) == NULL)
        return EXIT_FAILURE;
      account = teren_server_backend_account_lookup (backend, name, NULL, &error);
      if (account != NULL)
        {
          hash = read_new_password_hash (&error);
          ok = hash != NULL && teren_server_backend_account_set_password (backend, name, hash, &error);
        }
      if (ok)
        printf (_("Password of “%s” changed; its sessions were ended.\n"), name);
    }
  else if (strcmp (action, "lines") == 0)
    {
      g_auto(GStrv) lines = NULL;

      if (opt_lines == NULL)
        return usage_error (_("user lines needs --lines."));
      if (!parse_lines (&lines, &error))
        return fail (error->message);
      if ((backend = open_backend ()) == NULL)
        return EXIT_FAILURE;
      ok = teren_server_backend_account_set_lines (backend, name, (const char * const *) lines, &error);
      if (ok)
        printf (_("Service lines of “%s” changed.\n"), name);
    }
  else if (strcmp (action, "role") == 0)
    {
      TerenServerRole role;

      if (opt_role == NULL || !teren_server_role_from_string (opt_role, &role))
        return usage_error (_("--role must be worker, supervisor or admin."));
      if ((backend = open_backend ()) == NULL)
        return EXIT_FAILURE;
      ok = teren_server_backend_account_set_role (backend, name, role, &error);
      if (ok)
        printf (_("Role of “%s” changed.\n"), name);
    }
  else if (strcmp (action, "disable") == 0 || strcmp (action, "enable") == 0)
    {
      gboolean disable = strcmp (action, "disable") == 0;

      if ((backend = open_backend ()) == NULL)
        return EXIT_FAILURE;
      ok = teren_server_backend_account_set_disabled (backend, name, disable, &error);
      if (ok)
        printf (disable ? _("Account “%s” disabled; its sessions were ended.\n") : _("Account “%s” enabled.\n"), name);
    }
  else
    {
      return usage_error (_("Unknown user command."));
    }

  return close_backend (backend, ok ? EXIT_SUCCESS : fail (error->message));
}

static int
cmd_device (int    argc,
            char **argv)
{
  TerenServerBackend *backend;
  g_autoptr(GError) error = NULL;

  if (argc == 1 && strcmp (argv[0], "list") == 0)
    {
      g_autoptr(GPtrArray) devices = NULL;
      guint i;

      if ((backend = open_backend ()) == NULL)
        return EXIT_FAILURE;
      devices = teren_server_backend_device_list (backend, &error);
      if (devices == NULL)
        return close_backend (backend, fail (error->message));
      for (i = 0; i < devices->len; i++)
        {
          TerenServerDevice *device = g_ptr_array_index (devices, i);

          printf ("%s\t%s\t%s\t%s\n", device->device_id, device->username,
                  device->name != NULL && device->name[0] != '\0' ? device->name : "-",
                  device->revoked ? "revoked" : "active");
        }
      return close_backend (backend, EXIT_SUCCESS);
    }
  if (argc == 2 && strcmp (argv[0], "revoke") == 0)
    {
      if (!teren_uuid_is_valid (argv[1]))
        return fail (_("A device id is a UUID."));
      if ((backend = open_backend ()) == NULL)
        return EXIT_FAILURE;
      if (!teren_server_backend_device_revoke (backend, argv[1], &error))
        return close_backend (backend, fail (error->message));
      printf (_("Device %s revoked.\n"), argv[1]);
      return close_backend (backend, EXIT_SUCCESS);
    }
  return usage_error (_("device needs “revoke DEVICE_ID” or “list”."));
}

static int
cmd_audit (int    argc,
           char **argv)
{
  TerenServerBackend *backend;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  guint i;

  if (argc == 0 && opt_epoch_report && opt_record == NULL)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      if (!teren_server_epoch_report (opt_data_dir, out, &error))
        return fail (error->message);
      fputs (out->str, stdout);
      return EXIT_SUCCESS;
    }
  if (argc != 0 || opt_record == NULL || opt_epoch_report)
    return usage_error (_("audit needs --record ID or --epoch-report."));
  if (!teren_uuid_is_valid (opt_record))
    return fail (_("A record id is a UUID."));
  if ((backend = open_backend ()) == NULL)
    return EXIT_FAILURE;
  if (!teren_server_backend_record_history (backend, opt_record, &revisions, &error))
    return close_backend (backend, fail (error->message));
  if (revisions->len == 0)
    return close_backend (backend, fail (_("No record with this id.")));
  for (i = 0; i < revisions->len; i++)
    {
      TerenServerRevision *rev = g_ptr_array_index (revisions, i);

      printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\n", rev->rev, rev->server_time,
              rev->account != NULL ? rev->account : "-", rev->device_id != NULL ? rev->device_id : "-",
              rev->op, rev->change_id != NULL ? rev->change_id : "-",
              rev->changed_fields != NULL && rev->changed_fields[0] != '\0' ? rev->changed_fields : "-");
    }
  return close_backend (backend, EXIT_SUCCESS);
}

static int
cmd_nomenclature (int    argc,
                  char **argv)
{
  TerenServerBackend *backend;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  guint changed = 0;

  if (argc != 3 || strcmp (argv[0], "import") != 0)
    return usage_error (_("nomenclature needs “import KIND FILE.csv”."));
  if (!teren_server_nomenclature_kind_is_valid (argv[1]))
    return fail (_("A list name is 1 to 64 lower-case letters, digits or “_”."));
  if (!g_file_get_contents (argv[2], &data, &length, &error))
    return fail (error->message);
  entries = teren_server_nomenclature_parse_csv (argv[1], data, length, &error);
  if (entries == NULL)
    {
      fprintf (stderr, "teren-server: %s: %s\n", argv[2], error->message);
      fprintf (stderr, "%s\n", _("Nothing was imported."));
      return EXIT_FAILURE;
    }
  if ((backend = open_backend ()) == NULL)
    return EXIT_FAILURE;
  if (!teren_server_backend_nomenclature_replace (backend, argv[1], entries, &changed, &error))
    return close_backend (backend, fail (error->message));
  printf ("imported %u %s entries\n", entries->len, argv[1]);
  return close_backend (backend, EXIT_SUCCESS);
}

static int
cmd_backup (int    argc,
            char **argv,
            gboolean restore)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *epoch = NULL;

  if (argc != 1)
    return usage_error (restore ? _("restore needs the backup FILE.") : _("backup needs the FILE to write."));
  if (!restore)
    {
      if (!teren_server_backup_database (opt_data_dir, argv[0], &error))
        return fail (error->message);
      printf ("backed up to %s\n", argv[0]);
      return EXIT_SUCCESS;
    }
  if (!teren_server_restore_database (opt_data_dir, argv[0], &epoch, &error))
    return fail (error->message);
  printf ("restored from %s, new epoch %s\n", argv[0], epoch);
  return EXIT_SUCCESS;
}

/* ---- serve ------------------------------------------------------------------------ */

typedef struct {
  GMainLoop          *loop;
  TerenServerHttp    *http;
  gboolean            stopping;
} Serve;

static gboolean
on_drained (gpointer user_data)
{
  Serve *serve = user_data;

  g_main_loop_quit (serve->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer user_data)
{
  Serve *serve = user_data;

  if (!serve->stopping)
    {
      serve->stopping = TRUE;
      fprintf (stderr, "%s\n", _("Stopping: finishing the requests in progress."));
      teren_server_http_shutdown (serve->http, on_drained, serve);
    }
  return G_SOURCE_CONTINUE;
}

static guint
env_uint (const char *name,
          guint64     fallback)
{
  const char *text = g_getenv (name);
  guint64 value = 0;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT32, &value, NULL))
    return (guint) value;
  return (guint) fallback;
}

/* "127.0.0.1:8787", "[::1]:0", "localhost:8787" → a socket address. */
static GSocketAddress *
parse_listen (const char  *text,
              GError     **error)
{
  g_autofree char *host = NULL;
  const char *colon = strrchr (text, ':');
  g_autoptr(GInetAddress) inet = NULL;
  guint64 port = 0;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("--listen needs HOST:PORT, e.g. 127.0.0.1:8787."));
      return NULL;
    }
  host = g_strndup (text, colon - text);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = inner;
    }
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, _("--listen needs an IP address, not “%s”."), host);
      return NULL;
    }
  return g_inet_socket_address_new (inet, (guint16) port);
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autofree char *url = NULL;
  TerenServerBackend *backend;
  TerenServerHttpOptions options;
  Serve serve = { 0 };
  GInetAddress *inet;
  int status = EXIT_SUCCESS;

  if (argc != 0)
    return usage_error (_("serve takes no argument besides its options."));
  address = parse_listen (opt_listen != NULL ? opt_listen : "127.0.0.1:8787", &error);
  if (address == NULL)
    return usage_error (error->message);
  if ((opt_tls_cert == NULL) != (opt_tls_key == NULL))
    return usage_error (_("--tls-cert and --tls-key go together."));
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  if (opt_tls_cert == NULL && !g_inet_address_get_is_loopback (inet))
    {
      if (!opt_insecure_http)
        {
          fprintf (stderr, "teren-server: %s\n",
                   _("Refusing to serve plain HTTP on a non-loopback address: give --tls-cert and --tls-key "
                     "(TLS), or --insecure-http if a TLS proxy stands in front."));
          return EXIT_USAGE;
        }
      fprintf (stderr, "%s\n", _("WARNING: serving PLAIN HTTP on a non-loopback address (--insecure-http). "
                                 "Passwords, tokens and case data cross the network UNENCRYPTED unless a TLS "
                                 "proxy stands in front of this server."));
    }
  if (opt_tls_cert != NULL)
    {
      tls = g_tls_certificate_new_from_files (opt_tls_cert, opt_tls_key, &error);
      if (tls == NULL)
        return fail (error->message);
    }

  options.request_timeout = env_uint ("TEREN_SERVER_REQUEST_TIMEOUT", 30);
  options.token_idle = env_uint ("TEREN_SERVER_TOKEN_IDLE_SECONDS", 30 * 24 * 3600);
  options.login_lock = env_uint ("TEREN_SERVER_LOGIN_LOCK_SECONDS", 60);
  options.data_dir = opt_data_dir;

  /* One server per data directory; `restore` waits for it to stop. */
  if (!teren_server_lock_data_dir (opt_data_dir, &error))
    return fail (error->message);
  teren_server_sqlite_set_serving (TRUE);
  if ((backend = open_backend ()) == NULL)
    return EXIT_FAILURE;
  if (!teren_server_icd10_install (opt_data_dir, &error))
    return close_backend (backend, fail (error->message));
  serve.http = teren_server_http_new (backend, &options, tls, &error);
  if (serve.http == NULL || !teren_server_http_listen (serve.http, address, &url, &error))
    {
      teren_server_http_free (serve.http);
      teren_server_icd10_uninstall ();
      return close_backend (backend, fail (error->message));
    }

  printf ("listening on %s\n", url);
  fflush (stdout);

  serve.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, &serve);
  g_unix_signal_add (SIGINT, on_signal, &serve);
  g_main_loop_run (serve.loop);

  teren_server_http_free (serve.http);
  teren_server_icd10_uninstall ();
  status = close_backend (backend, EXIT_SUCCESS);
  g_main_loop_unref (serve.loop);
  fprintf (stderr, "%s\n", _("Stopped."));
  return status;
}

int
teren_server_cli_main (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;
  int status;

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_usage ();
      return argc < 2 ? EXIT_USAGE : EXIT_SUCCESS;
    }
  command = argv[1];

  context = g_option_context_new (NULL);
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  if (strcmp (command, "serve") == 0)
    g_option_context_add_main_entries (context, serve_entries, GETTEXT_PACKAGE);
  else if (strcmp (command, "user") == 0)
    g_option_context_add_main_entries (context, user_entries, GETTEXT_PACKAGE);
  else if (strcmp (command, "audit") == 0)
    g_option_context_add_main_entries (context, audit_entries, GETTEXT_PACKAGE);
  else if (strcmp (command, "device") != 0 && strcmp (command, "nomenclature") != 0 &&
           strcmp (command, "gc-blobs") != 0 && strcmp (command, "backup") != 0 &&
           strcmp (command, "restore") != 0)
    return usage_error (_("Unknown command."));

  /* argv[0] = program, then the command's own words and options. */
  argv[1] = argv[0];
  argc--;
  argv++;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (opt_data_dir == NULL || opt_data_dir[0] == '\0')
    return usage_error (_("--data-dir DIR is required."));

  if (strcmp (command, "serve") == 0)
    status = cmd_serve (argc - 1, argv + 1);
  else if (strcmp (command, "user") == 0)
    status = cmd_user (argc - 1, argv + 1);
  else if (strcmp (command, "device") == 0)
    status = cmd_device (argc - 1, argv + 1);
  else if (strcmp (command, "audit") == 0)
    status = cmd_audit (argc - 1, argv + 1);
  else if (strcmp (command, "backup") == 0 || strcmp (command, "restore") == 0)
    status = cmd_backup (argc - 1, argv + 1, strcmp (command, "restore") == 0);
  else if (strcmp (command, "gc-blobs") == 0)
    status = argc == 1 ? teren_server_blobs_cli_gc (opt_data_dir) : usage_error (_("gc-blobs takes no argument."));
  else
    status = cmd_nomenclature (argc - 1, argv + 1);

  g_clear_pointer (&opt_data_dir, g_free);
  g_clear_pointer (&opt_lines, g_free);
  g_clear_pointer (&opt_role, g_free);
  g_clear_pointer (&opt_display_name, g_free);
  g_clear_pointer (&opt_record, g_free);
  g_clear_pointer (&opt_listen, g_free);
  g_clear_pointer (&opt_tls_cert, g_free);
  g_clear_pointer (&opt_tls_key, g_free);
  return status;
}
