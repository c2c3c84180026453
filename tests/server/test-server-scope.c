/* test-server-scope.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scoping on the real teren-server (SYNC.md "Scope", invariant 6): over 1,000 random records
 * of every line, pushed in rounds between incremental pulls, each account receives exactly
 * the records of its lines plus the registry records those reference or it created — never
 * a record of another line. An admin without lines sees no case data.
 */

#include "config.h"

#include <string.h>

#include "teren-line.h"

#include "teren-server-test-util.h"

#define PASSWORD "correct horse 1"
#define N_RECORDS 1000
#define N_ROUNDS 4
#define N_ROUNDS_SANITIZER 2
#define ALL_LINES "creche,child,elderly,canteen,homeless,school_health,community_health,disability,adult"

typedef struct {
  char       *id;
  const char *kind;
  const char *line;      /* "" for registry */
  char       *person;    /* referenced person, or NULL */
  const char *creator;   /* username */
} Rec;

static void
rec_free (Rec *r)
{
  g_free (r->id);
  g_free (r->person);
  g_free (r);
}

typedef struct {
  const char      *name;
  const char      *lines;   /* comma list or "" */
  const char      *role;
  TerenTestDevice *device;
  GStrv            line_list;
} Account;

static Account accounts[] = {
  { "ana",   "child",                    "worker",     NULL, NULL },
  { "bogdan", "elderly",                 "worker",     NULL, NULL },
  { "corina", "child,disability",        "worker",     NULL, NULL },
  { "sara",  "child,elderly,homeless",   "supervisor", NULL, NULL },
  { "adi",   "",                         "admin",      NULL, NULL },
  { "toti",  ALL_LINES,                  "worker",     NULL, NULL },
};

static guint n_rounds = N_ROUNDS;
static guint page_limit = 97;

static gboolean
account_has_line (Account    *account,
                  const char *line)
{
  return account->line_list != NULL && g_strv_contains ((const char * const *) account->line_list, line);
}

/* What @account must hold, given every record so far. */
static GHashTable *
expected_scope (Account   *account,
                GPtrArray *recs)
{
  GHashTable *scope = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < recs->len; i++)
    {
      Rec *r = recs->pdata[i];

      if (*r->line != '\0' && account_has_line (account, r->line))
        {
          g_hash_table_add (scope, r->id);
          if (r->person != NULL)
            g_hash_table_add (scope, r->person);
        }
      else if (*r->line == '\0' && g_strcmp0 (r->creator, account->name) == 0)
        g_hash_table_add (scope, r->id);
    }
  return scope;
}

static void
check_account (Account    *account,
               GPtrArray  *recs,
               GHashTable *by_id)
{
  g_autoptr(GHashTable) scope = expected_scope (account, recs);
  GHashTableIter iter;
  gpointer key, value;

  teren_test_device_pull_all (account->device, page_limit);

  /* Nothing outside the scope; never another line's record. */
  g_hash_table_iter_init (&iter, account->device->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *record = value;
      const char *line = json_object_get_string_member (record, "line");
      Rec *r = g_hash_table_lookup (by_id, key);

      g_assert_nonnull (r);
      g_assert_cmpstr (line, ==, r->line);
      if (*line != '\0' && !account_has_line (account, line))
        g_error ("%s received %s of line %s", account->name, (const char *) key, line);
      if (!g_hash_table_contains (scope, key))
        g_error ("%s received %s (%s) outside its scope", account->name, (const char *) key, r->kind);
    }
  /* Everything inside it. */
  g_hash_table_iter_init (&iter, scope);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (teren_test_device_get (account->device, key) == NULL)
      {
        Rec *r = g_hash_table_lookup (by_id, key);
        g_error ("%s lacks %s (%s, line '%s')", account->name, (const char *) key, r->kind, r->line);
      }
  g_test_message ("%s (%s): %u records", account->name, account->lines, g_hash_table_size (scope));
}

static GBytes *
gunzip (const char *data,
        gsize       length)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) zipped = g_memory_input_stream_new_from_data (data, length, NULL);
  g_autoptr(GInputStream) plain = g_converter_input_stream_new (zipped, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, plain, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Answers over 16 KiB are gzipped for a client that accepts it, and only then (SYNC.md). */
static void
check_gzip_answers (TerenTestServer *server,
                    TerenTestDevice *device)
{
  g_autofree char *with = g_strdup_printf ("GET /api/v1/pull?limit=2000 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\nAccept-Encoding: gzip\r\n"
                                           "Connection: close\r\n\r\n", device->token);
  g_autofree char *without = g_strdup_printf ("GET /api/v1/pull?limit=2000 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\nConnection: close\r\n\r\n",
                                              device->token);
  g_autoptr(TerenTestResponse) zipped = teren_test_raw_request (server, with, strlen (with), 30000);
  g_autoptr(TerenTestResponse) plain = teren_test_raw_request (server, without, strlen (without), 30000);
  g_autoptr(GBytes) inflated = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data;

  g_assert_cmpuint (plain->status, ==, 200);
  g_assert_null (plain->content_encoding);
  g_assert_nonnull (plain->json);
  g_assert_cmpuint (plain->length, >, 16 * 1024);

  g_assert_cmpuint (zipped->status, ==, 200);
  g_assert_cmpstr (zipped->content_encoding, ==, "gzip");
  g_assert_cmpuint (zipped->length, <, plain->length);
  inflated = gunzip (zipped->body, zipped->length);
  data = g_bytes_get_data (inflated, &size);
  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "records")), ==,
                    json_array_get_length (json_object_get_array_member (
                      json_node_get_object (plain->json), "records")));
}

static void
test_random_scope (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  g_autoptr(GPtrArray) recs = g_ptr_array_new_with_free_func ((GDestroyNotify) rec_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) persons = g_ptr_array_new ();
  g_autoptr(GPtrArray) cases = g_ptr_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (1000);
  g_auto(GStrv) all_lines = g_strsplit (ALL_LINES, ",", -1);
  Account *writer = &accounts[G_N_ELEMENTS (accounts) - 1];
  Account *ana = &accounts[0];
  Account *admin = &accounts[4];

  for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
    {
      teren_test_server_add_user (server, accounts[a].name, PASSWORD, accounts[a].lines, accounts[a].role);
      accounts[a].line_list = *accounts[a].lines != '\0' ? g_strsplit (accounts[a].lines, ",", -1) : NULL;
    }
  teren_test_server_start (server);
  for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
    accounts[a].device = teren_test_device_new (server, accounts[a].name, PASSWORD, NULL);

  for (guint round = 0; round < n_rounds; round++)
    {
      g_autoptr(JsonArray) ops = json_array_new ();
      g_autoptr(JsonArray) mine = json_array_new ();
      g_autoptr(JsonArray) results = NULL;
      g_autoptr(JsonArray) my_results = NULL;

      while (json_array_get_length (ops) + json_array_get_length (mine) < N_RECORDS / n_rounds)
        {
          Rec *r = g_new0 (Rec, 1);
          double dice = g_rand_double (rand);
          JsonObject *op;

          r->creator = writer->name;
          if (persons->len < 5 || dice < 0.3)
            {
              op = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (rand), NULL);
              r->kind = "person";
              r->line = "";
              /* A few persons are ana's own, referenced by nothing. */
              if (g_rand_int_range (rand, 0, 10) == 0)
                r->creator = ana->name;
            }
          else if (cases->len < 5 || dice < 0.75)
            {
              Rec *p = persons->pdata[g_rand_int_range (rand, 0, persons->len)];

              r->kind = "case";
              r->line = g_intern_string (all_lines[g_rand_int_range (rand, 0, g_strv_length (all_lines))]);
              r->person = g_strdup (p->id);
              op = teren_test_op_new ("create", NULL, "case", r->line, 0, teren_test_case_fields (p->id), NULL);
            }
          else
            {
              Rec *c = cases->pdata[g_rand_int_range (rand, 0, cases->len)];

              r->kind = "visit";
              r->line = c->line;
              r->person = g_strdup (c->person);
              op = teren_test_op_new ("create", NULL, "visit", r->line, 0,
                                      teren_test_visit_fields (c->person, c->id), NULL);
            }
          r->id = g_strdup (json_object_get_string_member (op, "record_id"));
          json_array_add_object_element (r->creator == ana->name ? mine : ops, op);
          g_ptr_array_add (recs, r);
          g_hash_table_insert (by_id, r->id, r);
          if (g_str_equal (r->kind, "person"))
            g_ptr_array_add (persons, r);
          else if (g_str_equal (r->kind, "case"))
            g_ptr_array_add (cases, r);
        }

      if (json_array_get_length (mine) > 0)
        {
          my_results = teren_test_device_push (ana->device, mine);
          for (guint i = 0; i < json_array_get_length (my_results); i++)
            g_assert_cmpstr (teren_test_result_status (json_array_get_object_element (my_results, i)), ==, "applied");
        }
      results = teren_test_device_push (writer->device, ops);
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *res = json_array_get_object_element (results, i);
          if (g_strcmp0 (teren_test_result_status (res), "applied") != 0)
            {
              g_autofree char *text = teren_test_object_to_string (res);
              g_test_message ("op %u: %s", i, text);
            }
          g_assert_cmpstr (teren_test_result_status (res), ==, "applied");
        }

      /* Incremental pulls between rounds: later grants must reach cursors already past
       * the persons' seq. */
      for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
        check_account (&accounts[a], recs, by_id);
    }
  g_assert_cmpuint (recs->len, ==, N_RECORDS);

  /* A fresh first pull gives the same as the incremental ones. */
  for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
    {
      TerenTestDevice *old = accounts[a].device;
      g_autoptr(TerenTestDevice) again = teren_test_device_new (server, accounts[a].name, PASSWORD, NULL);
      GHashTableIter iter;
      gpointer key;
      g_autoptr(GPtrArray) ids_old = g_ptr_array_new ();
      g_autoptr(GPtrArray) ids_new = g_ptr_array_new ();

      teren_test_device_pull_all (again, 500);
      g_hash_table_iter_init (&iter, old->records);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (ids_old, key);
      g_hash_table_iter_init (&iter, again->records);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (ids_new, key);
      g_assert_cmpuint (ids_old->len, ==, ids_new->len);
      for (guint i = 0; i < ids_old->len; i++)
        g_assert_nonnull (teren_test_device_get (again, ids_old->pdata[i]));
    }

  check_gzip_answers (server, writer->device);

  /* The admin has no lines: no case data at all, and cannot write any. */
  g_assert_cmpuint (g_hash_table_size (admin->device->records), ==, 0);
  {
    Rec *p = persons->pdata[0];
    g_autoptr(JsonObject) op = teren_test_op_new ("create", NULL, "case", "child", 0,
                                                  teren_test_case_fields (p->id), NULL);
    g_autoptr(JsonObject) res = teren_test_device_push_one (admin->device, op);
    g_assert_cmpstr (teren_test_result_status (res), ==, "rejected");
  }

  for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
    {
      g_clear_pointer (&accounts[a].device, teren_test_device_free);
      g_clear_pointer (&accounts[a].line_list, g_strfreev);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Sanitizer builds are several times slower: the same 1,000 records in fewer, bigger
   * rounds and pages. */
  if (g_getenv ("TEREN_TEST_SANITIZER") != NULL)
    {
      n_rounds = N_ROUNDS_SANITIZER;
      page_limit = 500;
    }
  g_test_add_func ("/server/scope/random-1000", test_random_scope);
  return g_test_run ();
}
