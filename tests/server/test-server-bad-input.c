/* test-server-bad-input.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every bad input of issue 3 against the real teren-server: each gets a clear JSON error
 * (or a per-operation `rejected`), nothing changes (a full pull before and after is
 * identical), and the server answers the next request.
 */

#include "config.h"

#include <string.h>

#include "teren-cnp.h"
#include "teren-uuid.h"

#include "teren-server-test-util.h"

#define PASSWORD "correct horse 1"
#define REQUEST_TIMEOUT_S 3
#define MIB (1024 * 1024)

static TerenTestServer *server;
static TerenTestDevice *worker;   /* ana: child */
static TerenTestDevice *boss;     /* supervisor of every line: sees everything */
static char *elderly_case_id;     /* a record of a line ana lacks */
static char *child_person_id;

/* ---- helpers ---- */

static char *
snapshot (void)
{
  return teren_test_device_snapshot (boss);
}

/* Nothing changed since @before, and the server answers the next request. */
static void
assert_unchanged_and_alive (const char *before)
{
  g_autofree char *after = snapshot ();
  g_autoptr(TerenTestResponse) me = NULL;

  g_assert_cmpstr (before, ==, after);
  me = teren_test_request (worker->session, server, "GET", "/api/v1/me", worker->token, NULL, 0);
  g_assert_no_error (me->error);
  g_assert_cmpuint (me->status, ==, 200);
}

static TerenTestResponse *
push_body (const char *body,
           gssize      length)
{
  return teren_test_request (worker->session, server, "POST", "/api/v1/push", worker->token, body, length);
}

/* The op was refused: either the whole batch with a JSON 4xx error, or its result is
 * `rejected` with a code and a message. Returns the result or error object. */
static void
assert_refused (TerenTestResponse *response,
                const char        *expected_code)
{
  JsonObject *object;

  g_assert_no_error (response->error);
  if (response->status != 200)
    {
      teren_test_assert_error (response, 0, NULL);
      if (expected_code != NULL && !teren_test_json_has_code (response->json, expected_code))
        g_test_message ("answer without code %s: %.400s", expected_code, response->body);
      return;
    }
  object = teren_test_response_object (response);
  {
    JsonArray *results = json_object_get_array_member (object, "results");
    JsonObject *result;

    g_assert_nonnull (results);
    g_assert_cmpuint (json_array_get_length (results), ==, 1);
    result = json_array_get_object_element (results, 0);
    if (g_strcmp0 (teren_test_result_status (result), "rejected") != 0)
      g_test_message ("not refused: %.400s", response->body);
    g_assert_cmpstr (teren_test_result_status (result), ==, "rejected");
    g_assert_nonnull (json_object_get_string_member (result, "code"));
    g_assert_cmpuint (strlen (json_object_get_string_member (result, "message")), >, 0);
    if (expected_code != NULL)
      {
        if (!teren_test_object_has_code (result, expected_code))
          g_test_message ("expected code %s in %.400s", expected_code, response->body);
        g_assert_true (teren_test_object_has_code (result, expected_code));
      }
  }
}

static TerenTestResponse *
push_op (JsonObject *op)
{
  g_autoptr(JsonArray) ops = teren_test_ops1 (json_object_ref (op));

  return teren_test_device_push_raw (worker, ops);
}

static JsonObject *
new_person_op (void)
{
  return teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (NULL), NULL);
}

static char *
op_body_with (JsonObject *op)
{
  g_autoptr(JsonArray) ops = teren_test_ops1 (json_object_ref (op));

  return teren_test_ops_to_body (ops);
}

/* ---- tests ---- */

static void
test_malformed_json (void)
{
  const char * const bodies[] = {
    "{\"ops\": [",
    "not json",
    "{\"ops\": []} trailing",
    "{\"ops\": [{\"change_id\": }]}",
    "{\"ops\": [],}",
    "\x00\x01\x02",
    NULL,
  };
  g_autofree char *before = snapshot ();

  for (guint i = 0; bodies[i] != NULL; i++)
    {
      g_autoptr(TerenTestResponse) r = push_body (bodies[i], bodies[i][0] == '\0' ? 3 : -1);
      teren_test_assert_error (r, 400, "bad_json");
    }
  {
    /* Empty body and a root that is not an object: refused too. */
    g_autoptr(TerenTestResponse) empty = push_body ("", 0);
    g_autoptr(TerenTestResponse) array = push_body ("[]", -1);
    g_autoptr(TerenTestResponse) login = teren_test_request (worker->session, server, "POST", "/api/v1/login",
                                                             NULL, "{\"username\": \"ana\"", -1);
    teren_test_assert_error (empty, 400, NULL);
    teren_test_assert_error (array, 400, NULL);
    teren_test_assert_error (login, 400, "bad_json");
  }
  assert_unchanged_and_alive (before);
}

/* json-glib 1.6 accepts single-quoted strings; JSON (RFC 8259) does not. */
static void
test_single_quotes (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(TerenTestResponse) r = push_body ("{'ops': []}", -1);

  teren_test_assert_error (r, 400, "bad_json");
  assert_unchanged_and_alive (before);
}

static void
test_body_too_large (void)
{
  g_autofree char *before = snapshot ();
  g_autofree char *head = NULL;
  g_autoptr(TerenTestResponse) announced = NULL;
  g_autoptr(TerenTestResponse) chunked = NULL;
  g_autoptr(TerenTestResponse) sent = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) big = NULL;
  char chunk_head[32];
  g_autofree char *chunk = NULL;

  /* A Content-Length over 8 MiB is refused before the body is read. */
  head = g_strdup_printf ("POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
                          worker->token, 8 * MIB + 1);
  announced = teren_test_raw_request (server, head, strlen (head), 15000);
  teren_test_assert_error (announced, 413, "too_large");

  /* A chunked body that grows over 8 MiB. */
  g_free (head);
  head = g_strdup_printf ("POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                          worker->token);
  connection = teren_test_raw_connect (server);
  teren_test_raw_write (connection, head, strlen (head));
  chunk = g_malloc (MIB);
  memset (chunk, ' ', MIB);
  chunk[0] = '{';
  g_snprintf (chunk_head, sizeof chunk_head, "%x\r\n", MIB);
  for (guint i = 0; i < 9; i++)
    {
      if (!teren_test_raw_write (connection, chunk_head, strlen (chunk_head))
          || !teren_test_raw_write (connection, i == 0 ? chunk : chunk + 1, i == 0 ? MIB : MIB - 1)
          || !teren_test_raw_write (connection, "\r\n", 2))
        break;
      chunk[0] = ' ';
    }
  chunked = teren_test_raw_read_response (connection, 15000);
  if (chunked->status == 411)
    teren_test_assert_error (chunked, 411, "bad_request");   /* no chunked bodies at all */
  else if (chunked->status != 0)
    teren_test_assert_error (chunked, 413, "too_large");
  else
    g_test_message ("chunked over 8 MiB: connection dropped without an answer");

  /* A real 9 MiB body through libsoup (valid JSON, padded). */
  big = g_string_new ("{\"ops\": [], \"pad\": \"");
  while (big->len < 9 * MIB)
    g_string_append (big, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");
  sent = push_body (big->str, big->len);
  if (sent->error == NULL)
    teren_test_assert_error (sent, 413, "too_large");
  else
    g_test_message ("9 MiB body: %s (the server closed before reading it)", sent->error->message);

  assert_unchanged_and_alive (before);
}

static GBytes *
gzip_bytes (const char *data,
            gsize       length)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GInputStream) plain = g_memory_input_stream_new_from_data (data, length, NULL);
  g_autoptr(GInputStream) zipped = g_converter_input_stream_new (plain, G_CONVERTER (compressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, zipped, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_gzip (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(GString) bomb_text = g_string_new ("{\"ops\": [");
  g_autoptr(GBytes) bomb = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autoptr(TerenTestResponse) r_bomb = NULL;
  g_autoptr(TerenTestResponse) r_good = NULL;
  g_autoptr(JsonObject) op = new_person_op ();
  g_autofree char *good_text = op_body_with (op);
  const char * const gzip_header[] = { "Content-Encoding", "gzip", NULL };
  JsonArray *results;

  /* Inflates to 64 MiB of white space: refused after inflating 8 MiB, not after 64. */
  for (guint i = 0; i < 64; i++)
    {
      gsize old = bomb_text->len;
      g_string_set_size (bomb_text, old + MIB);
      memset (bomb_text->str + old, ' ', MIB);
    }
  g_string_append (bomb_text, "]}");
  bomb = gzip_bytes (bomb_text->str, bomb_text->len);
  g_assert_cmpuint (g_bytes_get_size (bomb), <, MIB);
  r_bomb = teren_test_request_full (worker->session, server, "POST", "/api/v1/push", worker->token,
                                    g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb), gzip_header);
  teren_test_assert_error (r_bomb, 413, "too_large");
  assert_unchanged_and_alive (before);

  /* A gzip body within the limits is accepted (SYNC.md: gzip accepted both ways). */
  good = gzip_bytes (good_text, strlen (good_text));
  r_good = teren_test_request_full (worker->session, server, "POST", "/api/v1/push", worker->token,
                                    g_bytes_get_data (good, NULL), g_bytes_get_size (good), gzip_header);
  g_assert_cmpuint (r_good->status, ==, 200);
  results = json_object_get_array_member (teren_test_response_object (r_good), "results");
  g_assert_cmpstr (teren_test_result_status (json_array_get_object_element (results, 0)), ==, "applied");
}

static void
test_batch_too_long (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(TerenTestResponse) r = NULL;

  for (guint i = 0; i < 501; i++)
    json_array_add_object_element (ops, new_person_op ());
  r = teren_test_device_push_raw (worker, ops);
  teren_test_assert_error (r, 400, "bad_request");
  assert_unchanged_and_alive (before);
}

static void
test_wrong_types (void)
{
  g_autofree char *before = snapshot ();
  const char * const batch_bodies[] = {
    "{\"ops\": \"x\"}",
    "{\"ops\": {}}",
    "{\"ops\": [1]}",
    "{\"ops\": [null]}",
    "{\"ops\": [[]]}",
    "{\"nope\": []}",
    NULL,
  };
  /* member, JSON value replacing it in a good op */
  const char * const member_values[][2] = {
    { "base_rev", "\"0\"" },
    { "base_rev", "-1" },
    { "base_rev", "1.5" },
    { "patch", "[]" },
    { "patch", "\"x\"" },
    { "op", "5" },
    { "op", "\"upsert\"" },
    { "change_id", "42" },
    { "change_id", "\"not-a-uuid\"" },
    { "record_id", "\"not-a-uuid\"" },
    { "record_id", "null" },
    { "kind", "7" },
    { "line", "[]" },
    { "prev_change", "{}" },
  };
  /* field, JSON value, in an otherwise valid person */
  const char * const field_values[][2] = {
    { "last_name", "5" },
    { "last_name", "[\"Popescu\"]" },
    { "sex", "1" },
    { "sex", "\"Q\"" },
    { "disability_type", "\"physical\"" },
    { "disability_type", "[\"physical\", \"physical\"]" },
    { "birth_date", "\"yesterday\"" },
    { "birth_date", "\"2023-02-30\"" },
    { "birth_date", "\"2999-01-01\"" },
    { "phone", "\"call me\"" },
    { "cnp_status", "true" },
    { "notes", "{\"a\": 1}" },
  };

  for (guint i = 0; batch_bodies[i] != NULL; i++)
    {
      g_autoptr(TerenTestResponse) r = push_body (batch_bodies[i], -1);
      teren_test_assert_error (r, 400, "bad_request");
    }
  for (guint i = 0; i < G_N_ELEMENTS (member_values); i++)
    {
      g_autoptr(JsonObject) op = new_person_op ();
      g_autofree char *marker = NULL;
      g_autofree char *body = NULL;
      g_autoptr(GString) text = NULL;
      g_autoptr(TerenTestResponse) r = NULL;

      json_object_set_string_member (op, member_values[i][0], "@@MARK@@");
      body = op_body_with (op);
      text = g_string_new (body);
      g_string_replace (text, "\"@@MARK@@\"", member_values[i][1], 0);
      r = push_body (text->str, text->len);
      if (r->status == 200)
        g_test_message ("%s = %s: %s", member_values[i][0], member_values[i][1], r->body);
      assert_refused (r, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (field_values); i++)
    {
      g_autoptr(JsonObject) op = new_person_op ();
      g_autofree char *body = NULL;
      g_autoptr(GString) text = NULL;
      g_autoptr(TerenTestResponse) r = NULL;

      json_object_set_string_member (json_object_get_object_member (op, "patch"), field_values[i][0], "@@MARK@@");
      body = op_body_with (op);
      text = g_string_new (body);
      g_string_replace (text, "\"@@MARK@@\"", field_values[i][1], 0);
      r = push_body (text->str, text->len);
      assert_refused (r, NULL);
    }
  assert_unchanged_and_alive (before);
}

static void
test_unknown_kind_and_field (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(JsonObject) kind_op = teren_test_op_new ("create", NULL, "alien", "", 0,
                                                     teren_test_person_fields (NULL), NULL);
  g_autoptr(JsonObject) sys_op = teren_test_op_new ("create", NULL, "sys.conflict", "child", 0,
                                                    json_object_new (), NULL);
  g_autoptr(JsonObject) field_op = new_person_op ();
  g_autoptr(JsonObject) update_op = NULL;
  g_autoptr(TerenTestResponse) r1 = NULL;
  g_autoptr(TerenTestResponse) r2 = NULL;
  g_autoptr(TerenTestResponse) r3 = NULL;
  g_autoptr(TerenTestResponse) r4 = NULL;
  JsonObject *patch = json_object_new ();

  r1 = push_op (kind_op);
  assert_refused (r1, NULL);
  /* Clients cannot forge the server's own conflict records. */
  r2 = push_op (sys_op);
  assert_refused (r2, NULL);
  json_object_set_string_member (json_object_get_object_member (field_op, "patch"), "favourite_colour", "blue");
  r3 = push_op (field_op);
  assert_refused (r3, "unknown_field");
  json_object_set_string_member (patch, "favourite_colour", "blue");
  update_op = teren_test_op_new ("update", child_person_id, "person", "", 1, patch, NULL);
  r4 = push_op (update_op);
  assert_refused (r4, "unknown_field");
  assert_unchanged_and_alive (before);
}

static void
test_invalid_cnp (void)
{
  g_autofree char *before = snapshot ();
  g_autofree char *male = teren_test_make_cnp ('M', 1980, 5, 17, 12, 345);
  g_autofree char *bad_check = g_strdup (male);
  g_autofree char *bad_date = NULL;
  const char *cnps[] = {
    bad_check,         /* the check digit is wrong */
    NULL,              /* 30 February */
    "12345",
    "12345",
    "abcdefghijklm",
    "0800517123458",   /* sex digit 0 */
    NULL,
  };
  char first12[13];

  bad_check[12] = '0' + (bad_check[12] - '0' + 1) % 10;
  memcpy (first12, "180023012345", 12);
  first12[12] = '\0';
  bad_date = g_strdup_printf ("%s%c", first12, teren_cnp_check_digit (first12));
  cnps[1] = bad_date;

  for (guint i = 0; i < G_N_ELEMENTS (cnps) - 1; i++)
    {
      g_autoptr(JsonObject) op = new_person_op ();
      JsonObject *patch = json_object_get_object_member (op, "patch");
      g_autoptr(TerenTestResponse) r = NULL;

      json_object_set_string_member (patch, "cnp_status", "valid");
      json_object_set_string_member (patch, "cnp", cnps[i]);
      r = push_op (op);
      assert_refused (r, NULL);
      {
        JsonObject *result = json_array_get_object_element (
          json_object_get_array_member (teren_test_response_object (r), "results"), 0);
        JsonObject *fields = json_object_get_object_member (result, "fields");
        g_assert_nonnull (fields);
        g_assert_true (json_object_has_member (fields, "cnp"));
        g_assert_true (g_str_has_prefix (json_object_get_string_member (json_object_get_object_member (fields, "cnp"),
                                                                        "code"), "cnp_"));
      }
    }
  {
    /* A valid CNP of a man on a woman's record. */
    g_autoptr(JsonObject) op = new_person_op ();
    JsonObject *patch = json_object_get_object_member (op, "patch");
    g_autoptr(TerenTestResponse) r = NULL;

    json_object_set_string_member (patch, "cnp_status", "valid");
    json_object_set_string_member (patch, "cnp", male);
    json_object_set_string_member (patch, "sex", "F");
    r = push_op (op);
    assert_refused (r, "cnp_sex_mismatch");
  }
  assert_unchanged_and_alive (before);
  {
    /* The same CNP on a man is accepted (the test's CNPs are right). */
    g_autoptr(JsonObject) op = new_person_op ();
    JsonObject *patch = json_object_get_object_member (op, "patch");
    g_autoptr(JsonObject) result = NULL;

    json_object_set_string_member (patch, "cnp_status", "valid");
    json_object_set_string_member (patch, "cnp", male);
    json_object_set_string_member (patch, "sex", "M");
    json_object_set_string_member (patch, "first_name", "Ion");
    result = teren_test_device_push_one (worker, op);
    g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
  }
}

static void
test_line_not_granted (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(JsonObject) create = teren_test_op_new ("create", NULL, "case", "elderly", 0,
                                                    teren_test_case_fields (child_person_id), NULL);
  g_autoptr(JsonObject) update = NULL;
  g_autoptr(JsonObject) move = NULL;
  g_autoptr(JsonObject) bad_line = teren_test_op_new ("create", NULL, "case", "piracy", 0,
                                                      teren_test_case_fields (child_person_id), NULL);
  g_autoptr(JsonObject) registry_with_line = teren_test_op_new ("create", NULL, "person", "child", 0,
                                                                teren_test_person_fields (NULL), NULL);
  g_autoptr(JsonObject) delete = teren_test_op_new ("delete", elderly_case_id, "case", "elderly", 1, NULL, NULL);
  g_autoptr(TerenTestResponse) r1 = NULL;
  g_autoptr(TerenTestResponse) r2 = NULL;
  g_autoptr(TerenTestResponse) r3 = NULL;
  g_autoptr(TerenTestResponse) r4 = NULL;
  g_autoptr(TerenTestResponse) r5 = NULL;
  g_autoptr(TerenTestResponse) r6 = NULL;
  JsonObject *patch = json_object_new ();
  JsonObject *patch2 = json_object_new ();

  r1 = push_op (create);
  assert_refused (r1, "forbidden");
  json_object_set_string_member (patch, "case_manager", "Intrus");
  update = teren_test_op_new ("update", elderly_case_id, "case", "elderly", 1, patch, NULL);
  r2 = push_op (update);
  assert_refused (r2, NULL);
  /* Claiming the record is of ana's line does not help. */
  json_object_set_string_member (patch2, "case_manager", "Intrus");
  move = teren_test_op_new ("update", elderly_case_id, "case", "child", 1, patch2, NULL);
  r3 = push_op (move);
  assert_refused (r3, NULL);
  r4 = push_op (bad_line);
  assert_refused (r4, NULL);
  r5 = push_op (registry_with_line);
  assert_refused (r5, NULL);
  r6 = push_op (delete);
  assert_refused (r6, NULL);
  assert_unchanged_and_alive (before);
}

static void
test_create_reusing_id (void)
{
  g_autofree char *before = snapshot ();
  JsonObject *fields = teren_test_person_fields (NULL);
  g_autoptr(JsonObject) op = NULL;
  g_autoptr(JsonObject) other_kind = NULL;
  g_autoptr(TerenTestResponse) r = NULL;
  g_autoptr(TerenTestResponse) r2 = NULL;

  json_object_set_string_member (fields, "first_name", "Altcineva");
  op = teren_test_op_new ("create", child_person_id, "person", "", 0, fields, NULL);
  r = push_op (op);
  assert_refused (r, "id_taken");
  /* The id of a person reused for a case. */
  other_kind = teren_test_op_new ("create", child_person_id, "case", "child", 0,
                                  teren_test_case_fields (child_person_id), NULL);
  r2 = push_op (other_kind);
  assert_refused (r2, "id_taken");
  assert_unchanged_and_alive (before);
}

static void
test_tokens (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(JsonObject) op = new_person_op ();
  g_autofree char *body = op_body_with (op);
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autoptr(TerenTestDevice) leaving = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autoptr(TerenTestResponse) logout = NULL;
  const char * const bad_tokens[] = { "", "abc", "Bearer", "' OR 1=1 --", NULL };
  const char * const paths[] = { "/api/v1/push", "/api/v1/pull", "/api/v1/me", "/api/v1/nomenclatures", NULL };

  for (guint p = 0; paths[p] != NULL; p++)
    {
      const char *method = p == 0 ? "POST" : "GET";
      g_autoptr(TerenTestResponse) none = teren_test_request (session, server, method, paths[p], NULL,
                                                              p == 0 ? body : NULL, -1);
      teren_test_assert_error (none, 401, "unauthorized");
      for (guint t = 0; bad_tokens[t] != NULL; t++)
        {
          g_autoptr(TerenTestResponse) r = teren_test_request (session, server, method, paths[p], bad_tokens[t],
                                                               p == 0 ? body : NULL, -1);
          teren_test_assert_error (r, 401, "unauthorized");
        }
    }
  {
    /* Another scheme than Bearer. */
    const char * const basic[] = { "Authorization", "Basic YW5hOmNvcnJlY3QgaG9yc2UgMQ==", NULL };
    g_autoptr(TerenTestResponse) r = teren_test_request_full (session, server, "POST", "/api/v1/push", NULL,
                                                              body, -1, basic);
    teren_test_assert_error (r, 401, "unauthorized");
  }

  /* A revoked (logged out) token. */
  logout = teren_test_request (leaving->session, server, "POST", "/api/v1/logout", leaving->token, "{}", -1);
  g_assert_cmpuint (logout->status, ==, 200);
  {
    g_autoptr(TerenTestResponse) r = teren_test_request (session, server, "POST", "/api/v1/push", leaving->token,
                                                         body, -1);
    teren_test_assert_error (r, 401, "unauthorized");
  }
  assert_unchanged_and_alive (before);
}

static void
test_expired_token (void)
{
  g_autoptr(TerenTestServer) quick = NULL;
  g_autoptr(TerenTestDevice) dev = NULL;
  g_autoptr(JsonObject) op = new_person_op ();
  g_autoptr(TerenTestResponse) push = NULL;
  g_autoptr(TerenTestResponse) me = NULL;
  const char * const env[] = { "TEREN_SERVER_TOKEN_IDLE_SECONDS=1", NULL };
  g_autofree char *body = op_body_with (op);

  quick = teren_test_server_new ();
  teren_test_server_set_env (quick, env);
  teren_test_server_add_user (quick, "ana", PASSWORD, "child", "worker");
  teren_test_server_start (quick);
  dev = teren_test_device_new (quick, "ana", PASSWORD, NULL);
  teren_test_sleep_ms (2500);
  push = teren_test_request (dev->session, quick, "POST", "/api/v1/push", dev->token, body, -1);
  teren_test_assert_error (push, 401, "unauthorized");
  me = teren_test_request (dev->session, quick, "GET", "/api/v1/me", dev->token, NULL, 0);
  teren_test_assert_error (me, 401, "unauthorized");
  {
    /* Nothing was stored: a new login sees no records. */
    g_autoptr(TerenTestDevice) again = teren_test_device_new (quick, "ana", PASSWORD, NULL);
    teren_test_device_pull_all (again, 0);
    g_assert_cmpuint (g_hash_table_size (again->records), ==, 0);
  }
}

static const char * const sql_strings[] = {
  "'; DROP TABLE history; --",
  "Robert'); DELETE FROM records; --",
  "\" OR 1=1 --",
  "%_\\' OR '1'='1",
  "x'||(SELECT 1)||'",
};

static void
test_sql_metacharacters (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autofree char *device_id = teren_uuid_new ();
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);

  /* As credentials: refused like any wrong password (3 names, below the address limit). */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TerenTestResponse) as_user = teren_test_login (session, server, sql_strings[i], PASSWORD, device_id);
      g_autoptr(TerenTestResponse) as_password = NULL;

      teren_test_assert_error (as_user, 401, "unauthorized");
      if (i == 0)
        {
          as_password = teren_test_login (session, server, "ana", sql_strings[i], device_id);
          teren_test_assert_error (as_password, 401, "unauthorized");
        }
    }
  {
    /* As device id and name: refused or accepted, but no harm. */
    g_autoptr(TerenTestResponse) as_device = teren_test_login (session, server, "ana", PASSWORD, sql_strings[0]);
    teren_test_assert_error (as_device, 0, NULL);
  }

  /* As identifiers of an op: refused. */
  {
    const char * const members[] = { "change_id", "record_id", "kind", "line", "op", "prev_change", NULL };
    for (guint m = 0; members[m] != NULL; m++)
      for (guint i = 0; i < G_N_ELEMENTS (sql_strings); i++)
        {
          g_autoptr(JsonObject) op = new_person_op ();
          g_autoptr(TerenTestResponse) r = NULL;

          json_object_set_string_member (op, members[m], sql_strings[i]);
          r = push_op (op);
          assert_refused (r, NULL);
        }
  }
  /* As cursor and limit. */
  for (guint i = 0; i < G_N_ELEMENTS (sql_strings); i++)
    {
      g_autofree char *escaped = g_uri_escape_string (sql_strings[i], NULL, FALSE);
      g_autofree char *path1 = g_strdup_printf ("/api/v1/pull?cursor=%s", escaped);
      g_autofree char *path2 = g_strdup_printf ("/api/v1/pull?limit=%s", escaped);
      g_autoptr(TerenTestResponse) r1 = teren_test_request (worker->session, server, "GET", path1, worker->token, NULL, 0);
      g_autoptr(TerenTestResponse) r2 = teren_test_request (worker->session, server, "GET", path2, worker->token, NULL, 0);

      teren_test_assert_error (r1, 400, "bad_cursor");
      teren_test_assert_error (r2, 400, "bad_request");
    }
  assert_unchanged_and_alive (before);

  /* As text values they are ordinary text: stored and given back exactly, and nothing else
   * is touched. */
  for (guint i = 0; i < G_N_ELEMENTS (sql_strings); i++)
    {
      g_autoptr(JsonObject) op = new_person_op ();
      JsonObject *patch = json_object_get_object_member (op, "patch");
      g_autoptr(JsonObject) result = NULL;

      json_object_set_string_member (patch, "last_name", sql_strings[i]);
      json_object_set_string_member (patch, "notes", sql_strings[i]);
      json_object_set_string_member (patch, "citizenship", sql_strings[(i + 1) % G_N_ELEMENTS (sql_strings)]);
      result = teren_test_device_push_one (worker, op);
      g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
      g_ptr_array_add (created, g_strdup (json_object_get_string_member (op, "record_id")));
    }
  {
    g_autofree char *after = snapshot ();
    g_auto(GStrv) old_lines = g_strsplit (before, "\n", -1);
    /* Registry records created by ana are in her scope, not the supervisor's. */
    g_autofree char *mine = teren_test_device_snapshot (worker);

    for (guint i = 0; old_lines[i] != NULL; i++)
      if (*old_lines[i] != '\0')
        g_assert_nonnull (strstr (after, old_lines[i]));
    g_assert_nonnull (mine);
    for (guint i = 0; i < created->len; i++)
      {
        JsonObject *record = teren_test_device_get (worker, created->pdata[i]);
        JsonObject *fields;

        g_assert_nonnull (record);
        fields = json_object_get_object_member (record, "fields");
        g_assert_cmpstr (json_object_get_string_member (fields, "last_name"), ==, sql_strings[i]);
        g_assert_cmpstr (json_object_get_string_member (fields, "notes"), ==, sql_strings[i]);
      }
  }
}

static const char * const bad_utf8[] = {
  "\xff\xfe",
  "Pop\xc3\x28scu",          /* bad continuation */
  "\xc0\xaf",                /* overlong '/' */
  "\xed\xa0\x80",            /* a surrogate */
  "Ana\xf4\x90\x80\x80",     /* above U+10FFFF */
};

static void
test_invalid_utf8 (void)
{
  g_autofree char *before = snapshot ();
  const char * const members[] = { "change_id", "record_id", "kind", "line", "op", "author", "device_time",
                                   "prev_change", NULL };
  const char * const fields[] = { "last_name", "first_name", "notes", "sex", "cnp_status", "phone", NULL };

  for (guint v = 0; v < G_N_ELEMENTS (bad_utf8); v++)
    {
      for (guint m = 0; members[m] != NULL; m++)
        {
          g_autoptr(JsonObject) op = new_person_op ();
          g_autofree char *body = NULL;
          g_autoptr(GString) text = NULL;
          g_autoptr(TerenTestResponse) r = NULL;

          json_object_set_string_member (op, members[m], "@@MARK@@");
          body = op_body_with (op);
          text = g_string_new (body);
          g_string_replace (text, "@@MARK@@", bad_utf8[v], 0);
          r = push_body (text->str, text->len);
          teren_test_assert_error (r, 400, "bad_json");
        }
      for (guint k = 0; fields[k] != NULL; k++)
        {
          g_autoptr(JsonObject) op = new_person_op ();
          g_autofree char *body = NULL;
          g_autoptr(GString) text = NULL;
          g_autoptr(TerenTestResponse) r = NULL;

          json_object_set_string_member (json_object_get_object_member (op, "patch"), fields[k], "@@MARK@@");
          body = op_body_with (op);
          text = g_string_new (body);
          g_string_replace (text, "@@MARK@@", bad_utf8[v], 0);
          r = push_body (text->str, text->len);
          teren_test_assert_error (r, 400, "bad_json");
        }
      {
        /* In a member name. */
        g_autoptr(JsonObject) op = new_person_op ();
        g_autofree char *body = NULL;
        g_autoptr(GString) text = NULL;
        g_autoptr(TerenTestResponse) r = NULL;

        json_object_set_string_member (json_object_get_object_member (op, "patch"), "@@MARK@@", "x");
        body = op_body_with (op);
        text = g_string_new (body);
        g_string_replace (text, "@@MARK@@", bad_utf8[v], 0);
        r = push_body (text->str, text->len);
        teren_test_assert_error (r, 400, "bad_json");
      }
      {
        /* In the login body. */
        g_autoptr(GString) login = g_string_new ("{\"username\": \"@@MARK@@\", \"password\": \"x\", "
                                                 "\"device_id\": \"0b0e3f5e-6a43-4a55-8f3e-1c1c5d0c1a11\", "
                                                 "\"device_name\": \"x\"}");
        g_autoptr(TerenTestResponse) r = NULL;

        g_string_replace (login, "@@MARK@@", bad_utf8[v], 0);
        r = teren_test_request (worker->session, server, "POST", "/api/v1/login", NULL, login->str, login->len);
        teren_test_assert_error (r, 400, "bad_json");
      }
    }
  {
    /* In the query and in the token (raw bytes on the wire). */
    g_autoptr(TerenTestResponse) r1 = teren_test_request (worker->session, server, "GET",
                                                          "/api/v1/pull?cursor=%FF%FE", worker->token, NULL, 0);
    g_autofree char *raw = g_strdup_printf ("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                            "Authorization: Bearer %s\xff\r\nConnection: close\r\n\r\n", worker->token);
    g_autoptr(TerenTestResponse) r2 = teren_test_raw_request (server, raw, strlen (raw), 10000);

    teren_test_assert_error (r1, 400, NULL);
    g_assert_no_error (r2->error);
    g_assert_cmpuint (r2->status, >=, 400);
    g_assert_cmpuint (r2->status, <, 500);
  }
  assert_unchanged_and_alive (before);
}

static void
test_deep_nesting (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(GString) arrays = g_string_new (NULL);
  g_autoptr(GString) objects = g_string_new (NULL);
  g_autoptr(TerenTestResponse) r1 = NULL;
  g_autoptr(TerenTestResponse) r2 = NULL;
  g_autoptr(TerenTestResponse) r3 = NULL;
  g_autoptr(TerenTestResponse) r4 = NULL;
  g_autoptr(TerenTestResponse) r5 = NULL;
  g_autoptr(JsonObject) op = new_person_op ();
  g_autofree char *body = NULL;
  g_autoptr(GString) nested = NULL;
  g_autoptr(GString) login = g_string_new ("{\"username\": ");

  /* 100,000 levels, unbalanced and balanced. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (arrays, '[');
  r1 = push_body (arrays->str, arrays->len);
  teren_test_assert_error (r1, 400, "bad_json");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (arrays, ']');
  r2 = push_body (arrays->str, arrays->len);
  teren_test_assert_error (r2, 400, "bad_json");
  g_string_append (objects, "{\"ops\": [], \"x\": ");
  for (guint i = 0; i < 50000; i++)
    g_string_append (objects, "{\"a\": ");
  g_string_append (objects, "1");
  for (guint i = 0; i < 50000; i++)
    g_string_append_c (objects, '}');
  g_string_append_c (objects, '}');
  r3 = push_body (objects->str, objects->len);
  teren_test_assert_error (r3, 400, "bad_json");

  /* 65 levels inside a patch value: over the limit of 64. */
  json_object_set_string_member (json_object_get_object_member (op, "patch"), "notes", "@@MARK@@");
  body = op_body_with (op);
  nested = g_string_new (body);
  {
    g_autoptr(GString) value = g_string_new (NULL);
    for (guint i = 0; i < 65; i++)
      g_string_append_c (value, '[');
    for (guint i = 0; i < 65; i++)
      g_string_append_c (value, ']');
    g_string_replace (nested, "\"@@MARK@@\"", value->str, 0);
  }
  r4 = push_body (nested->str, nested->len);
  teren_test_assert_error (r4, 400, "bad_json");

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (login, '[');
  r5 = teren_test_request (worker->session, server, "POST", "/api/v1/login", NULL, login->str, login->len);
  teren_test_assert_error (r5, 400, "bad_json");
  assert_unchanged_and_alive (before);
}

static void
test_forged_cursor (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(TerenTestResponse) nomenclatures = NULL;
  const char * const forged[] = { "abc", "0", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "1.2.3", NULL };
  gsize len;

  teren_test_device_pull_all (dev, 0);
  cursor = g_strdup (dev->cursor);
  len = strlen (cursor);
  g_assert_cmpuint (len, >, 4);

  for (guint i = 0; forged[i] != NULL; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (forged[i], NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("/api/v1/pull?cursor=%s", escaped);
      g_autoptr(TerenTestResponse) r = teren_test_request (dev->session, server, "GET", path, dev->token, NULL, 0);
      teren_test_assert_error (r, 400, "bad_cursor");
    }
  /* A real cursor with one character changed, at several places; truncated; extended. */
  for (guint pos = 0; pos < len; pos += MAX (1, len / 7))
    {
      g_autofree char *copy = g_strdup (cursor);
      g_autofree char *escaped = NULL;
      g_autofree char *path = NULL;
      g_autoptr(TerenTestResponse) r = NULL;

      copy[pos] = copy[pos] == 'A' ? 'B' : 'A';
      escaped = g_uri_escape_string (copy, NULL, FALSE);
      path = g_strdup_printf ("/api/v1/pull?cursor=%s", escaped);
      r = teren_test_request (dev->session, server, "GET", path, dev->token, NULL, 0);
      teren_test_assert_error (r, 400, "bad_cursor");
    }
  {
    g_autofree char *truncated = g_strndup (cursor, len - 2);
    g_autofree char *extended = g_strconcat (cursor, "AA", NULL);
    g_autofree char *e1 = g_uri_escape_string (truncated, NULL, FALSE);
    g_autofree char *e2 = g_uri_escape_string (extended, NULL, FALSE);
    g_autofree char *p1 = g_strdup_printf ("/api/v1/pull?cursor=%s", e1);
    g_autofree char *p2 = g_strdup_printf ("/api/v1/pull?cursor=%s", e2);
    g_autoptr(TerenTestResponse) r1 = teren_test_request (dev->session, server, "GET", p1, dev->token, NULL, 0);
    g_autoptr(TerenTestResponse) r2 = teren_test_request (dev->session, server, "GET", p2, dev->token, NULL, 0);
    teren_test_assert_error (r1, 400, "bad_cursor");
    teren_test_assert_error (r2, 400, "bad_cursor");
  }
  {
    /* A pull cursor is not a nomenclature cursor. */
    g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
    g_autofree char *path = g_strdup_printf ("/api/v1/nomenclatures?cursor=%s", escaped);
    nomenclatures = teren_test_request (dev->session, server, "GET", path, dev->token, NULL, 0);
    teren_test_assert_error (nomenclatures, 400, "bad_cursor");
  }
  {
    /* The genuine cursor still works. */
    g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
    g_autofree char *path = g_strdup_printf ("/api/v1/pull?cursor=%s", escaped);
    g_autoptr(TerenTestResponse) r = teren_test_request (dev->session, server, "GET", path, dev->token, NULL, 0);
    g_assert_cmpuint (r->status, ==, 200);
  }
  assert_unchanged_and_alive (before);
}

/* Slow-loris: partial bodies and headers are dropped after the request timeout, and
 * meanwhile other requests are answered. */
static void
test_slow_loris (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) op = new_person_op ();
  g_autofree char *body = op_body_with (op);
  g_autofree char *head = NULL;
  gint64 start;

  head = g_strdup_printf ("POST /api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                          worker->token, strlen (body));
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 20; i++)
    {
      GSocketConnection *c = teren_test_raw_connect (server);

      if (i % 2 == 0)
        {
          /* Headers, then half the body. */
          teren_test_raw_write (c, head, strlen (head));
          teren_test_raw_write (c, body, strlen (body) / 2);
        }
      else
        /* Half the headers. */
        teren_test_raw_write (c, head, strlen (head) / 2);
      g_ptr_array_add (connections, c);
    }

  /* The server is not blocked by them. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TerenTestResponse) health = teren_test_request (worker->session, server, "GET", "/api/v1/health",
                                                                NULL, NULL, 0);
      g_assert_cmpuint (health->status, ==, 200);
    }

  /* Each stalled connection is dropped (or answered with an error), never applied. */
  for (guint i = 0; i < connections->len; i++)
    {
      g_autoptr(TerenTestResponse) r = teren_test_raw_read_response (connections->pdata[i],
                                                                     (REQUEST_TIMEOUT_S + 20) * 1000);
      if (r->error != NULL)
        {
          g_test_message ("stalled connection %u: %s", i, r->error->message);
          g_assert_false (g_error_matches (r->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
        }
      else
        {
          g_assert_cmpuint (r->status, >=, 400);
          g_assert_cmpuint (r->status, <, 500);
        }
    }
  g_test_message ("stalled connections dropped after %.1f s",
                  (g_get_monotonic_time () - start) / (double) G_TIME_SPAN_SECOND);
  assert_unchanged_and_alive (before);
}

static void
test_methods_and_paths (void)
{
  g_autofree char *before = snapshot ();
  g_autoptr(TerenTestResponse) get_push = teren_test_request (worker->session, server, "GET", "/api/v1/push",
                                                              worker->token, NULL, 0);
  g_autoptr(TerenTestResponse) del_pull = teren_test_request (worker->session, server, "DELETE", "/api/v1/pull",
                                                              worker->token, NULL, 0);
  g_autoptr(TerenTestResponse) sql_path = teren_test_request (worker->session, server, "GET",
                                                              "/api/v1/pull%27%3B--", worker->token, NULL, 0);
  g_autoptr(TerenTestResponse) dots = teren_test_request (worker->session, server, "GET",
                                                          "/api/v1/../../etc/passwd", worker->token, NULL, 0);

  g_assert_cmpuint (get_push->status, >=, 400);
  g_assert_nonnull (teren_test_response_error (get_push));
  g_assert_cmpuint (del_pull->status, >=, 400);
  g_assert_nonnull (teren_test_response_error (del_pull));
  g_assert_cmpuint (sql_path->status, ==, 404);
  g_assert_cmpuint (dots->status, >=, 400);
  g_assert_cmpuint (dots->status, <, 500);
  assert_unchanged_and_alive (before);
}

int
main (int   argc,
      char *argv[])
{
  int ret;
  g_autofree char *timeout_env = g_strdup_printf ("TEREN_SERVER_REQUEST_TIMEOUT=%d", REQUEST_TIMEOUT_S);
  const char *env[] = { timeout_env, NULL };
  g_autoptr(JsonObject) person = NULL;
  g_autoptr(JsonObject) kase = NULL;
  g_autoptr(JsonObject) r1 = NULL;
  g_autoptr(JsonObject) r2 = NULL;

  g_test_init (&argc, &argv, NULL);

  server = teren_test_server_new ();
  teren_test_server_set_env (server, env);
  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_add_user (server, "boss", PASSWORD,
                              "creche,child,elderly,canteen,homeless,school_health,community_health,disability,adult",
                              "supervisor");
  teren_test_server_start (server);
  worker = teren_test_device_new (server, "ana", PASSWORD, NULL);
  boss = teren_test_device_new (server, "boss", PASSWORD, NULL);

  /* Some records: a person of ana's, an elderly case (a line ana lacks). */
  person = new_person_op ();
  child_person_id = g_strdup (json_object_get_string_member (person, "record_id"));
  r1 = teren_test_device_push_one (worker, person);
  g_assert_cmpstr (teren_test_result_status (r1), ==, "applied");
  kase = teren_test_op_new ("create", NULL, "case", "elderly", 0, teren_test_case_fields (child_person_id), NULL);
  elderly_case_id = g_strdup (json_object_get_string_member (kase, "record_id"));
  r2 = teren_test_device_push_one (boss, kase);
  g_assert_cmpstr (teren_test_result_status (r2), ==, "applied");

  g_test_add_func ("/server/bad-input/malformed-json", test_malformed_json);
  g_test_add_func ("/server/bad-input/single-quotes", test_single_quotes);
  g_test_add_func ("/server/bad-input/body-too-large", test_body_too_large);
  g_test_add_func ("/server/bad-input/gzip", test_gzip);
  g_test_add_func ("/server/bad-input/batch-too-long", test_batch_too_long);
  g_test_add_func ("/server/bad-input/wrong-types", test_wrong_types);
  g_test_add_func ("/server/bad-input/unknown-kind-field", test_unknown_kind_and_field);
  g_test_add_func ("/server/bad-input/invalid-cnp", test_invalid_cnp);
  g_test_add_func ("/server/bad-input/line-not-granted", test_line_not_granted);
  g_test_add_func ("/server/bad-input/create-reusing-id", test_create_reusing_id);
  g_test_add_func ("/server/bad-input/tokens", test_tokens);
  g_test_add_func ("/server/bad-input/expired-token", test_expired_token);
  g_test_add_func ("/server/bad-input/sql-metacharacters", test_sql_metacharacters);
  g_test_add_func ("/server/bad-input/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/server/bad-input/deep-nesting", test_deep_nesting);
  g_test_add_func ("/server/bad-input/forged-cursor", test_forged_cursor);
  g_test_add_func ("/server/bad-input/slow-loris", test_slow_loris);
  g_test_add_func ("/server/bad-input/methods-paths", test_methods_and_paths);

  ret = g_test_run ();
  teren_test_device_free (worker);
  teren_test_device_free (boss);
  g_free (child_person_id);
  g_free (elderly_case_id);
  teren_test_server_free (server);
  return ret;
}
