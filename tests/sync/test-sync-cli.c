/* test-sync-cli.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-cli-test-util.h"
#include "teren-sync-test-util.h"

/* teren-cli login / sync / status against the real server, with the real keyring: the
 * token is in the Secret Service and in no file under the data or config folders; bad
 * input gives a clear error, exit status 2, and changes nothing. */

typedef struct {
  TerenTestServer *server;
  char            *root;
  char            *config;
  char            *data;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-sync-cli-XXXXXX",
                              "ana", "child", "worker", "maria", "child", "worker", NULL);
  fixture->config = g_build_filename (fixture->root, "config", NULL);
  fixture->data = g_build_filename (fixture->root, "data", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
  g_free (fixture->config);
  g_free (fixture->data);
}

/* Runs teren-cli ARGS… with the fixture's XDG folders and @stdin_text (nullable) on its
 * standard input; returns the exit status. */
static int
cli (Fixture     *fixture,
     const char  *stdin_text,
     char       **out_stdout,
     char       **out_stderr,
     ...)
{
  g_auto(GStrv) envp = test_cli_environ ("en");
  g_autofree char *stdin_path = g_build_filename (fixture->root, "stdin.txt", NULL);
  g_autoptr(GError) error = NULL;
  va_list args;
  int status;

  g_file_set_contents (stdin_path, stdin_text != NULL ? stdin_text : "", -1, &error);
  g_assert_no_error (error);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", fixture->config, TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", fixture->data, TRUE);
  va_start (args, out_stderr);
  status = test_cli_run_full_va (envp, stdin_path, NULL, NULL, args, out_stdout, out_stderr);
  va_end (args);
  return status;
}

/* Every regular file under @dir that contains @needle. */
static void
grep_tree (const char *dir,
           const char *needle,
           GPtrArray  *hits)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        grep_tree (path, needle, hits);
      else if (g_file_get_contents (path, &contents, &length, NULL) &&
               g_strstr_len (contents, length, needle) != NULL)
        g_ptr_array_add (hits, g_steal_pointer (&path));
    }
}

static void
assert_nowhere_in_files (Fixture    *fixture,
                         const char *needle)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);

  grep_tree (fixture->config, needle, hits);
  grep_tree (fixture->data, needle, hits);
  if (hits->len > 0)
    g_error ("found a secret in %s", (char *) hits->pdata[0]);
  g_assert_cmpuint (hits->len, ==, 0);
}

static void
test_login_sync_status (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *url = fixture->server->base_url;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *store_dir = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_need_keyring ())
    return;

  /* Never signed in: sync and status say so. */
  g_assert_cmpint (cli (fixture, NULL, NULL, &err, "sync", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "sign in first"));
  g_clear_pointer (&err, g_free);

  /* The password from stdin (not a terminal here). */
  g_assert_cmpint (cli (fixture, TEST_PASSWORD "\n", &out, &err, "login", "--server", url, "--user", "ana",
                        NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Signed in"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  token = test_keyring_token (url, "ana");
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 32);
  assert_nowhere_in_files (fixture, token);
  assert_nowhere_in_files (fixture, TEST_PASSWORD);

  ini = g_build_filename (fixture->config, "teren", "cli-account.ini", NULL);
  g_assert_true (g_key_file_load_from_file (keyfile, ini, G_KEY_FILE_NONE, &error));
  store_dir = g_key_file_get_string (keyfile, "account", "data-dir", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (store_dir, fixture->data));

  g_assert_cmpint (cli (fixture, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Waiting to be sent: 0"));
  g_assert_nonnull (strstr (out, "Last sync: never"));
  g_clear_pointer (&out, g_free);

  /* A change made by the app, then one round from the command line. */
  store = teren_store_open (store_dir, &error);
  g_assert_no_error (error);
  g_free (test_save_person (store, "Ionescu", "Ana"));
  g_clear_object (&store);

  g_assert_cmpint (cli (fixture, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Waiting to be sent: 1"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cli (fixture, NULL, &out, NULL, "sync", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Sent: 1 change (1 applied"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cli (fixture, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Waiting to be sent: 0"));
  g_assert_null (strstr (out, "Last sync: never"));
  g_clear_pointer (&out, g_free);

  /* Still no secret in any file. */
  assert_nowhere_in_files (fixture, token);

  /* Server down: sync fails clearly (exit 2); status keeps the reason. */
  teren_test_server_kill (fixture->server);
  g_assert_cmpint (cli (fixture, NULL, NULL, &err, "sync", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "cannot be reached"));
  g_assert_cmpint (cli (fixture, NULL, &out, NULL, "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Last error: The server cannot be reached"));
}

static void
test_login_bad_input (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *url = fixture->server->base_url;
  g_autofree char *dir = g_build_filename (fixture->root, "bad", NULL);
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;

  if (!test_need_keyring ())
    return;

  /* http:// off loopback: refused before anything is made. */
  g_assert_cmpint (cli (fixture, TEST_PASSWORD "\n", NULL, &err, "--data-dir", dir, "login", "--server",
                        "http://teren.example.ro", "--user", "ana", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "https://"));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);

  /* Missing options and an empty password. */
  g_assert_cmpint (cli (fixture, TEST_PASSWORD "\n", NULL, &err, "--data-dir", dir, "login", "--user", "ana",
                        NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "\n", NULL, &err, "--data-dir", dir, "login", "--server", url, "--user",
                        "ana", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "No password"));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);

  /* A wrong password: a clear message, no token kept. */
  g_assert_cmpint (cli (fixture, "not-the-password\n", NULL, &err, "--data-dir", dir, "login",
                        "--server", url, "--user", "maria", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "not right"));
  token = test_keyring_token (url, "maria");
  g_assert_null (token);
  g_assert_false (g_file_test (fixture->config, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TEREN_SERVER_BIN") == NULL || g_getenv ("TEREN_CLI_BIN") == NULL)
    return 77;

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync-cli/login-sync-status", test_login_sync_status);
  ADD ("/sync-cli/login-bad-input", test_login_bad_input);
#undef ADD

  return g_test_run ();
}
