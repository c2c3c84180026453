/* test-server-admin.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The admin side of the real teren-server: the accounts CLI (user add/passwd/lines/disable/
 * enable/list, device list/revoke), secrets stored only hashed, the login rate limit (429 +
 * Retry-After), the audit trail (`audit --record ID`: who changed which field, never values),
 * the request log without record contents, and nomenclature import (SIRUTA, ICD-10; a bad row
 * reported with its line number and nothing imported; cedilla letters normalised).
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "teren-uuid.h"

#include "teren-server-test-util.h"

#define PASSWORD "correct horse 1"

static int
cli (TerenTestServer *server,
     const char      *input,
     char           **out,
     char           **err,
     ...) G_GNUC_NULL_TERMINATED;

static int
cli (TerenTestServer *server,
     const char      *input,
     char           **out,
     char           **err,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return teren_test_server_cli (server, input, out, err, (const char * const *) args->pdata);
}

/* The `user list` line of @name, split at tabs, or NULL. */
static GStrv
user_list_line (TerenTestServer *server,
                const char      *name)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (cli (server, NULL, &out, NULL, "user", "list", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (cols) >= 4 && g_str_equal (cols[0], name))
        return g_steal_pointer (&cols);
    }
  return NULL;
}

static guint
login_status (TerenTestServer *server,
              const char      *name,
              const char      *password)
{
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autofree char *device_id = teren_uuid_new ();
  g_autoptr(TerenTestResponse) r = teren_test_login (session, server, name, password, device_id);

  g_assert_no_error (r->error);
  return r->status;
}

/* Whether @needle occurs in any file of the data folder (database, WAL, anything). */
static gboolean
data_dir_contains (TerenTestServer *server,
                   const char      *needle)
{
  g_autoptr(GDir) dir = g_dir_open (server->data_dir, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (server->data_dir, name, NULL);
      g_autofree char *data = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &data, &length, NULL))
        {
          gsize n = strlen (needle);
          for (gsize i = 0; i + n <= length; i++)
            if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
              return TRUE;
        }
    }
  return FALSE;
}

static void
test_accounts_cli (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  g_auto(GStrv) row = NULL;
  g_autofree char *err = NULL;
  g_autoptr(TerenTestDevice) dev = NULL;
  g_autoptr(TerenTestResponse) me = NULL;
  g_autoptr(TerenTestResponse) me_disabled = NULL;
  g_autofree char *out = NULL;
  JsonArray *lines;
  int status;

  status = cli (server, PASSWORD "\n", NULL, NULL, "user", "add", "ana", "--lines", "child", "--role", "worker",
                "--display-name", "Ana Pop", NULL);
  g_assert_cmpint (status, ==, 0);

  /* Refusals: a taken name, bad names, a short password, an unknown line or role. */
  g_assert_cmpint (cli (server, PASSWORD "\n", NULL, &err, "user", "add", "ana", "--role", "worker", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "teren-server: "));
  g_assert_cmpint (cli (server, PASSWORD "\n", NULL, NULL, "user", "add", "Ana Maria", "--role", "worker", NULL), !=, 0);
  g_assert_cmpint (cli (server, PASSWORD "\n", NULL, NULL, "user", "add", "x'; DROP TABLE accounts; --",
                        "--role", "worker", NULL), !=, 0);
  /* The minimum is 4 characters (the demo account of build-aux/run.sh is "demo"). */
  g_assert_cmpint (cli (server, "abc\n", NULL, NULL, "user", "add", "bob", "--role", "worker", NULL), !=, 0);
  g_assert_cmpint (cli (server, "\n", NULL, NULL, "user", "add", "bob", "--role", "worker", NULL), !=, 0);
  g_assert_cmpint (cli (server, PASSWORD "\n", NULL, NULL, "user", "add", "bob", "--lines", "child,piracy",
                        "--role", "worker", NULL), !=, 0);
  g_assert_cmpint (cli (server, PASSWORD "\n", NULL, NULL, "user", "add", "bob", "--role", "king", NULL), !=, 0);
  g_assert_null (user_list_line (server, "bob"));

  row = user_list_line (server, "ana");
  g_assert_nonnull (row);
  g_assert_cmpstr (row[1], ==, "worker");
  g_assert_cmpstr (row[2], ==, "child");
  g_assert_cmpstr (row[3], ==, "active");
  g_clear_pointer (&row, g_strfreev);

  teren_test_server_start (server);

  {
    /* The database is private to the server's user. */
    g_autoptr(GPtrArray) dbs = teren_test_server_find_databases (server);
    GStatBuf st;

    g_assert_cmpuint (dbs->len, >, 0);
    for (guint i = 0; i < dbs->len; i++)
      {
        g_assert_cmpint (g_stat (dbs->pdata[i], &st), ==, 0);
        g_assert_cmpint (st.st_mode & 0077, ==, 0);
      }
  }

  /* Login works; the password and the token are stored only hashed. */
  dev = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_assert_false (data_dir_contains (server, PASSWORD));
  g_assert_false (data_dir_contains (server, dev->token));
  g_assert_true (data_dir_contains (server, "$argon2id$"));

  /* user passwd: the old password stops working. */
  g_assert_cmpint (cli (server, "another horse 2\n", NULL, NULL, "user", "passwd", "ana", NULL), ==, 0);
  g_assert_cmpuint (login_status (server, "ana", PASSWORD), ==, 401);
  g_assert_cmpuint (login_status (server, "ana", "another horse 2"), ==, 200);
  {
    /* A new password ends the sessions of the old one. */
    g_autoptr(TerenTestResponse) old_token = teren_test_request (dev->session, server, "GET", "/api/v1/me",
                                                                 dev->token, NULL, 0);
    teren_test_assert_error (old_token, 401, "unauthorized");
  }
  g_clear_pointer (&dev, teren_test_device_free);
  dev = teren_test_device_new (server, "ana", "another horse 2", NULL);

  /* user lines replaces the set. */
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "user", "lines", "ana", "--lines", "child,elderly", NULL), ==, 0);
  row = user_list_line (server, "ana");
  g_assert_cmpstr (row[2], ==, "child,elderly");
  g_clear_pointer (&row, g_strfreev);
  me = teren_test_request (dev->session, server, "GET", "/api/v1/me", dev->token, NULL, 0);
  g_assert_cmpuint (me->status, ==, 200);
  lines = json_object_get_array_member (json_object_get_object_member (teren_test_response_object (me), "account"),
                                        "lines");
  g_assert_cmpuint (json_array_get_length (lines), ==, 2);
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "user", "lines", "ana", "--lines", "piracy", NULL), !=, 0);

  /* user disable: its tokens die, logins fail like a wrong password. */
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "user", "disable", "ana", NULL), ==, 0);
  row = user_list_line (server, "ana");
  g_assert_cmpstr (row[3], ==, "disabled");
  g_clear_pointer (&row, g_strfreev);
  me_disabled = teren_test_request (dev->session, server, "GET", "/api/v1/me", dev->token, NULL, 0);
  teren_test_assert_error (me_disabled, 401, "unauthorized");
  g_assert_cmpuint (login_status (server, "ana", "another horse 2"), ==, 401);
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "user", "enable", "ana", NULL), ==, 0);
  g_assert_cmpuint (login_status (server, "ana", "another horse 2"), ==, 200);

  /* Unknown accounts. */
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "user", "disable", "nobody", NULL), ==, 1);
  g_assert_cmpint (cli (server, "another horse 2\n", NULL, NULL, "user", "passwd", "nobody", NULL), ==, 1);

  /* device list shows the devices that logged in. */
  g_assert_cmpint (cli (server, NULL, &out, NULL, "device", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, dev->device_id));
  g_assert_nonnull (strstr (out, "ana"));

  /* The CLI works beside the running server, and the server still answers. */
  g_assert_cmpuint (login_status (server, "ana", "another horse 2"), ==, 200);
}

static void
test_rate_limit (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  const char * const env[] = { "TEREN_SERVER_LOGIN_LOCK_SECONDS=3", NULL };
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autofree char *device_id = teren_uuid_new ();
  guint limited_after = 0;
  guint64 retry_after;

  teren_test_server_set_env (server, env);
  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_add_user (server, "bob", PASSWORD, "child", "worker");
  teren_test_server_start (server);

  /* Wrong passwords for one account: 401 a few times, then 429 with Retry-After. */
  for (guint i = 1; i <= 10 && limited_after == 0; i++)
    {
      g_autoptr(TerenTestResponse) r = teren_test_login (session, server, "ana", "wrong password", device_id);

      if (r->status == 429)
        {
          teren_test_assert_error (r, 429, "rate_limited");
          g_assert_nonnull (r->retry_after);
          retry_after = g_ascii_strtoull (r->retry_after, NULL, 10);
          g_assert_cmpuint (retry_after, >=, 1);
          g_assert_cmpuint (retry_after, <=, 3);
          limited_after = i;
        }
      else
        teren_test_assert_error (r, 401, "unauthorized");
    }
  g_assert_cmpuint (limited_after, >, 1);
  g_test_message ("429 after %u failures", limited_after - 1);

  {
    /* While locked even the right password is refused; another account is not locked. */
    g_autoptr(TerenTestResponse) r = teren_test_login (session, server, "ana", PASSWORD, device_id);
    teren_test_assert_error (r, 429, "rate_limited");
    g_assert_nonnull (r->retry_after);
    g_assert_cmpuint (login_status (server, "bob", PASSWORD), ==, 200);
    retry_after = g_ascii_strtoull (r->retry_after, NULL, 10);
  }
  teren_test_sleep_ms ((guint) (retry_after * 1000 + 700));
  g_assert_cmpuint (login_status (server, "ana", PASSWORD), ==, 200);

  /* Unknown names are limited the same way (no account enumeration). */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TerenTestResponse) r = teren_test_login (session, server, "ghost", "wrong password", device_id);
      teren_test_assert_error (r, 401, "unauthorized");
    }
  {
    g_autoptr(TerenTestResponse) r = teren_test_login (session, server, "ghost", "wrong password", device_id);
    teren_test_assert_error (r, 429, "rate_limited");
  }

  /* Many failures from one address over many names: the address is limited. */
  {
    gboolean address_limited = FALSE;

    for (guint i = 0; i < 30 && !address_limited; i++)
      {
        g_autofree char *name = g_strdup_printf ("name%u", i);
        g_autoptr(TerenTestResponse) r = teren_test_login (session, server, name, "wrong password", device_id);

        if (r->status == 429)
          {
            teren_test_assert_error (r, 429, "rate_limited");
            g_assert_nonnull (r->retry_after);
            address_limited = TRUE;
          }
      }
    g_assert_true (address_limited);
  }
}

static void
test_audit_and_log (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  g_autoptr(TerenTestDevice) dev = NULL;
  g_autoptr(TerenTestDevice) other = NULL;
  g_autoptr(JsonObject) create = NULL;
  g_autoptr(JsonObject) r1 = NULL;
  g_autoptr(JsonObject) r2 = NULL;
  g_autoptr(JsonObject) r3 = NULL;
  g_autoptr(JsonObject) update = NULL;
  g_autoptr(JsonObject) update2 = NULL;
  JsonObject *fields = teren_test_person_fields (NULL);
  JsonObject *patch = json_object_new ();
  JsonObject *patch2 = json_object_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) c1 = NULL;
  g_auto(GStrv) c2 = NULL;
  g_auto(GStrv) c3 = NULL;
  const char *id;

  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_add_user (server, "bob", PASSWORD, "child", "worker");
  teren_test_server_start (server);
  dev = teren_test_device_new (server, "ana", PASSWORD, NULL);
  other = teren_test_device_new (server, "bob", PASSWORD, NULL);

  json_object_set_string_member (fields, "last_name", "Zamfirescu");
  json_object_set_string_member (fields, "notes", "secret note");
  create = teren_test_op_new ("create", NULL, "person", "", 0, fields, NULL);
  id = json_object_get_string_member (create, "record_id");
  r1 = teren_test_device_push_one (dev, create);
  g_assert_cmpstr (teren_test_result_status (r1), ==, "applied");
  json_object_set_string_member (patch, "phone", "0744 987 654");
  update = teren_test_op_new ("update", id, "person", "", 1, patch, NULL);
  r2 = teren_test_device_push_one (dev, update);
  g_assert_cmpstr (teren_test_result_status (r2), ==, "applied");
  {
    /* A child case of the person brings it into bob's scope. */
    g_autoptr(JsonObject) kase = teren_test_op_new ("create", NULL, "case", "child", 0, teren_test_case_fields (id),
                                                    NULL);
    g_autoptr(JsonObject) rk = teren_test_device_push_one (dev, kase);
    g_assert_cmpstr (teren_test_result_status (rk), ==, "applied");
  }
  json_object_set_string_member (patch2, "first_name", "Ioana");
  json_object_set_string_member (patch2, "notes", "other secret");
  update2 = teren_test_op_new ("update", id, "person", "", 2, patch2, NULL);
  r3 = teren_test_device_push_one (other, update2);
  g_assert_cmpstr (teren_test_result_status (r3), !=, "rejected");
  teren_test_device_pull_all (dev, 0);

  g_assert_cmpint (cli (server, NULL, &out, &err, "audit", "--record", id, NULL), ==, 0);
  g_test_message ("audit:\n%s", out);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  c1 = g_strsplit (lines[0], "\t", -1);
  c2 = g_strsplit (lines[1], "\t", -1);
  c3 = g_strsplit (lines[2], "\t", -1);
  g_assert_cmpuint (g_strv_length (c1), >=, 7);
  g_assert_cmpstr (c1[0], ==, "1");
  g_assert_cmpstr (c1[2], ==, "ana");
  g_assert_cmpstr (c1[3], ==, dev->device_id);
  g_assert_cmpstr (c1[4], ==, "create");
  g_assert_cmpstr (c1[5], ==, json_object_get_string_member (create, "change_id"));
  g_assert_nonnull (strstr (c1[6], "last_name"));
  g_assert_cmpstr (c2[0], ==, "2");
  g_assert_cmpstr (c2[4], ==, "update");
  g_assert_cmpstr (c2[6], ==, "phone");
  g_assert_cmpstr (c3[0], ==, "3");
  g_assert_cmpstr (c3[2], ==, "bob");
  g_assert_nonnull (strstr (c3[6], "first_name"));
  g_assert_nonnull (strstr (c3[6], "notes"));
  g_assert_null (strstr (c3[6], "phone"));

  /* Names of fields, never their values. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_null (strstr (lines[i], "Zamfirescu"));
      g_assert_null (strstr (lines[i], "secret"));
      g_assert_null (strstr (lines[i], "0744"));
      g_assert_null (strstr (lines[i], "Ioana"));
    }
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "audit", "--record", "00000000-0000-4000-8000-000000000000", NULL),
                   ==, 1);

  /* The request log: one line per request, never record contents. */
  g_assert_cmpint (teren_test_server_term (server, 30), ==, 0);
  log = teren_test_server_get_stderr (server);
  g_assert_nonnull (strstr (log, "POST /api/v1/push 200"));
  g_assert_nonnull (strstr (log, "account=ana"));
  g_assert_nonnull (strstr (log, "GET /api/v1/pull"));
  g_assert_null (strstr (log, "Zamfirescu"));
  g_assert_null (strstr (log, "secret"));
  g_assert_null (strstr (log, "0744"));
  g_assert_null (strstr (log, PASSWORD));
  g_assert_null (strstr (log, dev->token));
}

/* ---- nomenclatures ---- */

/* All items of the feed: "kind:code" → item. */
static GHashTable *
pull_nomenclatures (TerenTestDevice *dev,
                    char           **cursor)
{
  GHashTable *items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = NULL;
      g_autoptr(TerenTestResponse) r = NULL;
      JsonObject *object;
      JsonArray *array;

      if (*cursor != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (*cursor, NULL, FALSE);
          path = g_strdup_printf ("/api/v1/nomenclatures?cursor=%s", escaped);
        }
      else
        path = g_strdup ("/api/v1/nomenclatures");
      r = teren_test_request (dev->session, dev->server, "GET", path, dev->token, NULL, 0);
      g_assert_cmpuint (r->status, ==, 200);
      object = teren_test_response_object (r);
      array = json_object_get_array_member (object, "items");
      g_assert_nonnull (array);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *item = json_array_get_object_element (array, i);
          g_hash_table_replace (items, g_strdup_printf ("%s:%s", json_object_get_string_member (item, "kind"),
                                                        json_object_get_string_member (item, "code")),
                                json_object_ref (item));
        }
      g_free (*cursor);
      *cursor = g_strdup (json_object_get_string_member (object, "cursor"));
      more = json_object_get_boolean_member (object, "more");
    }
  return items;
}

static char *
write_file (TerenTestServer *server,
            const char      *name,
            const char      *text)
{
  char *path = g_build_filename (server->root, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static const char *
item_name (GHashTable *items,
           const char *key)
{
  JsonObject *item = g_hash_table_lookup (items, key);

  if (item == NULL)
    return NULL;
  return json_object_get_string_member (item, "name");
}

static void
test_nomenclature_import (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  g_autoptr(TerenTestDevice) dev = NULL;
  g_autofree char *siruta = NULL;
  g_autofree char *siruta_bad = NULL;
  g_autofree char *siruta_ins = NULL;
  g_autofree char *siruta_again = NULL;
  g_autofree char *icd = NULL;
  g_autofree char *icd_bad = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GHashTable) items = NULL;
  g_autoptr(GHashTable) after_bad = NULL;
  g_autoptr(GHashTable) changes = NULL;
  JsonObject *item;

  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_start (server);
  dev = teren_test_device_new (server, "ana", PASSWORD, NULL);

  /* Cedilla ş ţ Ş Ţ become comma-below; case is kept as in the file. */
  siruta = write_file (server, "siruta.csv",
                       "code,name,county,parent,environment,postal_code\n"
                       "179132,MUNICIPIUL BUCUREŞTI,40,1,urban,010011\n"
                       "92658,Ţăndărei,21,92649,urban,925200\n"
                       "115832,Sighişoara,26,,urban,545400\n");
  g_assert_cmpint (cli (server, NULL, &out, &err, "nomenclature", "import", "siruta", siruta, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "imported 3 siruta entries"));
  items = pull_nomenclatures (dev, &cursor);
  g_assert_cmpstr (item_name (items, "siruta:179132"), ==, "MUNICIPIUL BUCUREȘTI");
  g_assert_cmpstr (item_name (items, "siruta:92658"), ==, "Țăndărei");
  g_assert_cmpstr (item_name (items, "siruta:115832"), ==, "Sighișoara");
  item = g_hash_table_lookup (items, "siruta:92658");
  {
    g_autofree char *text = teren_test_object_to_string (item);
    g_assert_nonnull (strstr (text, "925200"));
    g_assert_null (strstr (text, "\xc5\xa3"));  /* ţ */
  }

  /* A bad row (line 4): exit 1, the line named, nothing imported. */
  siruta_bad = write_file (server, "siruta-bad.csv",
                           "code,name,county,parent,environment,postal_code\n"
                           "179141,Sectorul 1,40,179132,urban,\n"
                           "179150,Sectorul 2,40,179132,urban,\n"
                           "17916x,Sectorul 3,40,179132,urban,\n"
                           "179169,Sectorul 4,40,179132,urban,\n");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (server, NULL, NULL, &err, "nomenclature", "import", "siruta", siruta_bad, NULL), ==, 1);
  expected = g_strdup_printf ("%s:4:", siruta_bad);
  if (strstr (err, expected) == NULL && strstr (err, "Line 4:") == NULL)
    g_test_message ("stderr: %s", err);
  g_assert_true (strstr (err, expected) != NULL || strstr (err, "Line 4:") != NULL);
  g_assert_nonnull (strstr (err, siruta_bad));
  g_assert_true (g_str_has_prefix (err, "teren-server: "));
  {
    g_autofree char *fresh_cursor = NULL;
    after_bad = pull_nomenclatures (dev, &fresh_cursor);
  }
  g_assert_cmpuint (g_hash_table_size (after_bad), ==, g_hash_table_size (items));
  g_assert_null (g_hash_table_lookup (after_bad, "siruta:179141"));

  /* ICD-10; a bad row in a new list imports nothing of it either. */
  icd_bad = write_file (server, "icd-bad.csv", "code,name\nA00,Holeră\nA01\n");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (server, NULL, NULL, &err, "nomenclature", "import", "icd10", icd_bad, NULL), ==, 1);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s:3:", icd_bad);
  g_assert_true (strstr (err, expected) != NULL || strstr (err, "Line 3:") != NULL);
  icd = write_file (server, "icd.csv", "code,name\nA00,Holeră\nF32,Episod depresiv\n");
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "nomenclature", "import", "icd10", icd, NULL), ==, 0);

  /* The official INS layout, ";"-separated. */
  siruta_ins = write_file (server, "siruta-ins.csv",
                           "SIRUTA;DENLOC;CODP;JUD;SIRSUP;TIP;NIV;MED\n"
                           "1017;MUNICIPIUL ALBA IULIA;510000;1;1;40;1;1\n"
                           "1213;GALDA DE JOS;0;1;1;3;2;3\n");
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "nomenclature", "import", "siruta", siruta_ins, NULL), ==, 0);

  /* Incremental: the new lists arrive; what the re-import of siruta left out is deleted. */
  changes = pull_nomenclatures (dev, &cursor);
  g_assert_cmpstr (item_name (changes, "icd10:A00"), ==, "Holeră");
  g_assert_cmpstr (item_name (changes, "siruta:1017"), ==, "MUNICIPIUL ALBA IULIA");
  g_assert_nonnull (g_hash_table_lookup (changes, "siruta:1213"));
  g_assert_null (g_hash_table_lookup (changes, "icd10:A01"));
  item = g_hash_table_lookup (changes, "siruta:92658");
  g_assert_nonnull (item);
  g_assert_true (json_object_get_boolean_member (item, "deleted"));
  {
    g_autofree char *urban = teren_test_object_to_string (g_hash_table_lookup (changes, "siruta:1017"));
    g_autofree char *rural = teren_test_object_to_string (g_hash_table_lookup (changes, "siruta:1213"));
    g_assert_nonnull (strstr (urban, "urban"));
    g_assert_nonnull (strstr (rural, "rural"));
  }

  /* A missing file, an unknown list name. */
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "nomenclature", "import", "siruta", "/nonexistent.csv", NULL), ==, 1);
  siruta_again = write_file (server, "x.csv", "code,name\n1,x\n");
  g_assert_cmpint (cli (server, NULL, NULL, NULL, "nomenclature", "import", "Bad Kind!", siruta_again, NULL), !=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/admin/accounts-cli", test_accounts_cli);
  g_test_add_func ("/server/admin/rate-limit", test_rate_limit);
  g_test_add_func ("/server/admin/audit-and-log", test_audit_and_log);
  g_test_add_func ("/server/admin/nomenclature-import", test_nomenclature_import);
  return g_test_run ();
}
