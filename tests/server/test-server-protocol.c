/* test-server-protocol.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The endpoints of SYNC.md against the real teren-server: hello, health, login, me, logout,
 * push statuses, paged pull, grants, backfill and purge, revoked devices.
 */

#include "config.h"

#include <string.h>

#include "teren-uuid.h"

#include "teren-server-test-util.h"

#define PASSWORD "correct horse 1"

static TerenTestServer *server;

static void
test_health_hello (void)
{
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autoptr(TerenTestResponse) health = NULL;
  g_autoptr(TerenTestResponse) hello = NULL;
  g_autoptr(TerenTestResponse) missing = NULL;
  JsonObject *object;
  JsonArray *protocol;

  health = teren_test_request (session, server, "GET", "/api/v1/health", NULL, NULL, 0);
  g_assert_no_error (health->error);
  g_assert_cmpuint (health->status, ==, 200);
  object = teren_test_response_object (health);
  g_assert_nonnull (object);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_true (g_str_has_prefix (health->content_type, "application/json"));

  hello = teren_test_request (session, server, "GET", "/api/v1/hello", NULL, NULL, 0);
  g_assert_cmpuint (hello->status, ==, 200);
  object = teren_test_response_object (hello);
  protocol = json_object_get_array_member (object, "protocol");
  g_assert_nonnull (protocol);
  g_assert_cmpint (json_array_get_int_element (protocol, 0), <=, 1);
  g_assert_cmpint (json_array_get_int_element (protocol, 1), >=, 1);
  g_assert_nonnull (json_object_get_object_member (object, "schema"));
  g_assert_nonnull (json_object_get_string_member (object, "epoch"));
  g_assert_nonnull (json_object_get_string_member (object, "server_time"));

  /* An unknown path is a JSON error too. */
  missing = teren_test_request (session, server, "GET", "/api/v1/no-such-thing", NULL, NULL, 0);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_nonnull (teren_test_response_error (missing));
}

static void
test_login_me_logout (void)
{
  g_autoptr(SoupSession) session = teren_test_session_new ();
  g_autoptr(TerenTestResponse) wrong = NULL;
  g_autoptr(TerenTestResponse) unknown = NULL;
  g_autoptr(TerenTestResponse) me = NULL;
  g_autoptr(TerenTestResponse) me_anon = NULL;
  g_autoptr(TerenTestResponse) logout = NULL;
  g_autoptr(TerenTestResponse) me_after = NULL;
  g_autoptr(TerenTestResponse) login = NULL;
  g_autofree char *device_id = teren_uuid_new ();
  JsonObject *object;
  JsonObject *account;
  JsonArray *lines;
  const char *token;

  login = teren_test_login (session, server, "ana", PASSWORD, device_id);
  g_assert_cmpuint (login->status, ==, 200);
  object = teren_test_response_object (login);
  token = json_object_get_string_member (object, "token");
  g_assert_nonnull (token);
  /* 256 random bits: at least 43 characters of base64 or 64 of hex. */
  g_assert_cmpuint (strlen (token), >=, 43);
  g_assert_nonnull (json_object_get_string_member (object, "expires_at"));
  account = json_object_get_object_member (object, "account");
  g_assert_cmpstr (json_object_get_string_member (account, "username"), ==, "ana");
  lines = json_object_get_array_member (account, "lines");
  g_assert_cmpuint (json_array_get_length (lines), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (lines, 0), ==, "child");
  g_assert_nonnull (json_object_get_array_member (account, "roles"));

  /* Wrong password and unknown user: 401, the same message. */
  wrong = teren_test_login (session, server, "ana", "wrong password", device_id);
  teren_test_assert_error (wrong, 401, "unauthorized");
  unknown = teren_test_login (session, server, "nobody", "wrong password", device_id);
  teren_test_assert_error (unknown, 401, "unauthorized");
  g_assert_cmpstr (json_object_get_string_member (teren_test_response_object (wrong), "message"), ==,
                   json_object_get_string_member (teren_test_response_object (unknown), "message"));

  me = teren_test_request (session, server, "GET", "/api/v1/me", token, NULL, 0);
  g_assert_cmpuint (me->status, ==, 200);
  account = json_object_get_object_member (teren_test_response_object (me), "account");
  g_assert_cmpstr (json_object_get_string_member (account, "username"), ==, "ana");

  me_anon = teren_test_request (session, server, "GET", "/api/v1/me", NULL, NULL, 0);
  teren_test_assert_error (me_anon, 401, "unauthorized");

  logout = teren_test_request (session, server, "POST", "/api/v1/logout", token, "{}", -1);
  g_assert_cmpuint (logout->status, ==, 200);
  me_after = teren_test_request (session, server, "GET", "/api/v1/me", token, NULL, 0);
  teren_test_assert_error (me_after, 401, "unauthorized");
}

static void
test_push_applied_and_duplicate (void)
{
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(JsonArray) again = NULL;
  g_autoptr(JsonObject) update = NULL;
  g_autoptr(JsonObject) update_result = NULL;
  g_autoptr(JsonObject) update_again = NULL;
  JsonObject *person_op = teren_test_op_new ("create", NULL, "person", "", 0,
                                             teren_test_person_fields (NULL), NULL);
  const char *person_id = json_object_get_string_member (person_op, "record_id");
  JsonObject *case_op = teren_test_op_new ("create", NULL, "case", "child", 0,
                                           teren_test_case_fields (person_id), NULL);
  gint64 seq0, seq1;
  JsonObject *record;
  JsonObject *patch;

  json_array_add_object_element (ops, person_op);
  json_array_add_object_element (ops, case_op);
  results = teren_test_device_push (dev, ops);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      JsonObject *op = json_array_get_object_element (ops, i);

      g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
      g_assert_cmpint (json_object_get_int_member (result, "rev"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (result, "change_id"), ==,
                       json_object_get_string_member (op, "change_id"));
      g_assert_cmpstr (json_object_get_string_member (result, "record_id"), ==,
                       json_object_get_string_member (op, "record_id"));
    }
  seq0 = json_object_get_int_member (json_array_get_object_element (results, 0), "seq");
  seq1 = json_object_get_int_member (json_array_get_object_element (results, 1), "seq");
  g_assert_cmpint (seq0, >, 0);
  g_assert_cmpint (seq1, >, seq0);

  /* The answer was lost: the same batch again is `duplicate`, with the original answer. */
  again = teren_test_device_push (dev, ops);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *result = json_array_get_object_element (again, i);
      JsonObject *first = json_array_get_object_element (results, i);

      g_assert_cmpstr (teren_test_result_status (result), ==, "duplicate");
      g_assert_cmpstr (json_object_get_string_member (result, "original_status"), ==, "applied");
      g_assert_cmpint (json_object_get_int_member (result, "rev"), ==, json_object_get_int_member (first, "rev"));
      g_assert_cmpint (json_object_get_int_member (result, "seq"), ==, json_object_get_int_member (first, "seq"));
    }

  teren_test_device_pull_all (dev, 0);
  record = teren_test_device_get (dev, person_id);
  g_assert_nonnull (record);
  g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "fields"), "last_name"),
                   ==, "Popescu");
  g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "person");
  g_assert_cmpstr (json_object_get_string_member (record, "line"), ==, "");

  /* An update, then the same update again: one new revision only. */
  patch = json_object_new ();
  json_object_set_string_member (patch, "phone", "0722 123 456");
  update = teren_test_op_new ("update", person_id, "person", "", 1, patch, NULL);
  update_result = teren_test_device_push_one (dev, update);
  g_assert_cmpstr (teren_test_result_status (update_result), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (update_result, "rev"), ==, 2);
  update_again = teren_test_device_push_one (dev, update);
  g_assert_cmpstr (teren_test_result_status (update_again), ==, "duplicate");
  g_assert_cmpint (json_object_get_int_member (update_again, "rev"), ==, 2);
  teren_test_device_pull_all (dev, 0);
  record = teren_test_device_get (dev, person_id);
  g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "fields"), "phone"),
                   ==, "0722 123 456");
}

static void
test_push_create_existing_id (void)
{
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autoptr(JsonObject) op = teren_test_op_new ("create", NULL, "person", "", 0,
                                                teren_test_person_fields (NULL), NULL);
  const char *id = json_object_get_string_member (op, "record_id");
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) same = NULL;
  g_autoptr(JsonObject) other = NULL;
  g_autoptr(JsonObject) same_op = NULL;
  g_autoptr(JsonObject) other_op = NULL;
  JsonObject *other_fields;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  first = teren_test_device_push_one (dev, op);
  g_assert_cmpstr (teren_test_result_status (first), ==, "applied");
  before = teren_test_device_snapshot (dev);

  /* Same content under a new change id: applied, no new revision. */
  same_op = teren_test_op_new ("create", id, "person", "", 0, teren_test_person_fields (NULL), NULL);
  same = teren_test_device_push_one (dev, same_op);
  g_assert_cmpstr (teren_test_result_status (same), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (same, "rev"), ==, 1);

  /* Other content: rejected id_taken, nothing changed. */
  other_fields = teren_test_person_fields (NULL);
  json_object_set_string_member (other_fields, "last_name", "Altul");
  other_op = teren_test_op_new ("create", id, "person", "", 0, other_fields, NULL);
  other = teren_test_device_push_one (dev, other_op);
  g_assert_cmpstr (teren_test_result_status (other), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (other, "code"), ==, "id_taken");
  g_assert_cmpuint (strlen (json_object_get_string_member (other, "message")), >, 0);
  after = teren_test_device_snapshot (dev);
  g_assert_cmpstr (before, ==, after);
}

static void
test_push_rejected_does_not_block (void)
{
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(JsonArray) retry = NULL;
  JsonObject *bad_fields = teren_test_person_fields (NULL);
  JsonObject *good0 = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (NULL), NULL);
  JsonObject *bad;
  JsonObject *good1 = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (NULL), NULL);
  JsonObject *result;

  json_object_remove_member (bad_fields, "last_name");  /* required */
  bad = teren_test_op_new ("create", NULL, "person", "", 0, bad_fields, NULL);
  json_array_add_object_element (ops, good0);
  json_array_add_object_element (ops, bad);
  json_array_add_object_element (ops, good1);
  results = teren_test_device_push (dev, ops);
  g_assert_cmpstr (teren_test_result_status (json_array_get_object_element (results, 0)), ==, "applied");
  result = json_array_get_object_element (results, 1);
  g_assert_cmpstr (teren_test_result_status (result), ==, "rejected");
  g_assert_nonnull (json_object_get_string_member (result, "code"));
  g_assert_nonnull (json_object_get_string_member (result, "message"));
  /* The field is named with its code. */
  g_assert_true (json_object_has_member (result, "fields"));
  g_assert_true (json_object_has_member (json_object_get_object_member (result, "fields"), "last_name"));
  g_assert_true (teren_test_object_has_code (result, "required"));
  g_assert_cmpstr (teren_test_result_status (json_array_get_object_element (results, 2)), ==, "applied");

  teren_test_device_pull_all (dev, 0);
  g_assert_null (teren_test_device_get (dev, json_object_get_string_member (bad, "record_id")));
  g_assert_nonnull (teren_test_device_get (dev, json_object_get_string_member (good1, "record_id")));

  /* A rejected op asked again is a duplicate of its rejection; nothing applied. */
  retry = teren_test_device_push (dev, ops);
  result = json_array_get_object_element (retry, 1);
  g_assert_cmpstr (teren_test_result_status (result), ==, "duplicate");
  g_assert_cmpstr (json_object_get_string_member (result, "original_status"), ==, "rejected");
  teren_test_device_pull_all (dev, 0);
  g_assert_null (teren_test_device_get (dev, json_object_get_string_member (bad, "record_id")));
}

static void
test_pull_paging (void)
{
  g_autoptr(TerenTestDevice) writer = teren_test_device_new (server, "pager", PASSWORD, NULL);
  g_autoptr(TerenTestDevice) reader = teren_test_device_new (server, "pager", PASSWORD, NULL);
  g_autoptr(JsonArray) ops = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonObject) del = NULL;
  g_autoptr(JsonObject) del_result = NULL;
  g_autoptr(TerenTestDevice) fresh = NULL;
  g_autofree char *person_id = NULL;
  gboolean more = TRUE;
  guint pages = 0;
  gint64 last_seq = 0;
  JsonObject *record;
  const char *deleted_id;

  /* The person all the cases belong to, then 24 cases of the `elderly` line. */
  json_array_add_object_element (ops, teren_test_op_new ("create", NULL, "person", "", 0,
                                                         teren_test_person_fields (NULL), NULL));
  person_id = g_strdup (json_object_get_string_member (json_array_get_object_element (ops, 0), "record_id"));
  for (guint i = 0; i < 24; i++)
    json_array_add_object_element (ops, teren_test_op_new ("create", NULL, "case", "elderly", 0,
                                                           teren_test_case_fields (person_id), NULL));
  results = teren_test_device_push (writer, ops);
  for (guint i = 0; i < json_array_get_length (results); i++)
    g_assert_cmpstr (teren_test_result_status (json_array_get_object_element (results, i)), ==, "applied");

  /* Pages of 10 from the start: 25 records, seq order, each once, `more` until the end. */
  while (more)
    {
      g_autofree char *path = NULL;
      g_autoptr(TerenTestResponse) page = NULL;
      JsonObject *object;
      JsonArray *records;

      if (reader->cursor == NULL)
        path = g_strdup ("/api/v1/pull?limit=10");
      else
        {
          g_autofree char *escaped = g_uri_escape_string (reader->cursor, NULL, FALSE);
          path = g_strdup_printf ("/api/v1/pull?limit=10&cursor=%s", escaped);
        }
      page = teren_test_request (reader->session, server, "GET", path, reader->token, NULL, 0);
      g_assert_cmpuint (page->status, ==, 200);
      object = teren_test_response_object (page);
      records = json_object_get_array_member (object, "records");
      g_assert_cmpuint (json_array_get_length (records), <=, 10);
      g_assert_nonnull (json_object_get_string_member (object, "epoch"));
      g_assert_nonnull (json_object_get_array_member (object, "purge"));
      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          JsonObject *r = json_array_get_object_element (records, i);
          gint64 seq = json_object_get_int_member (r, "seq");

          g_assert_cmpint (seq, >, last_seq);
          last_seq = seq;
          g_assert_true (g_hash_table_add (seen, g_strdup (json_object_get_string_member (r, "id"))));
          g_assert_false (json_object_get_boolean_member (r, "deleted"));
          g_assert_true (json_object_has_member (r, "updated_by"));
          g_assert_true (json_object_has_member (r, "updated_at"));
        }
      more = json_object_get_boolean_member (object, "more");
      g_free (reader->cursor);
      reader->cursor = g_strdup (json_object_get_string_member (object, "cursor"));
      pages++;
      if (more)
        g_assert_cmpuint (json_array_get_length (records), ==, 10);
    }
  g_assert_cmpuint (pages, >=, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 25);

  /* From the last cursor nothing new, still a cursor. */
  g_assert_cmpuint (teren_test_device_pull_all (reader, 10), ==, 1);
  g_assert_cmpuint (g_hash_table_size (reader->records), ==, 0);

  /* A delete reaches a device that had the record as a tombstone... */
  deleted_id = json_object_get_string_member (json_array_get_object_element (ops, 1), "record_id");
  del = teren_test_op_new ("delete", deleted_id, "case", "elderly", 1, NULL, NULL);
  del_result = teren_test_device_push_one (writer, del);
  g_assert_cmpstr (teren_test_result_status (del_result), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (del_result, "rev"), ==, 2);
  teren_test_device_pull_all (reader, 10);
  g_assert_cmpuint (g_hash_table_size (reader->records), ==, 1);
  record = teren_test_device_get (reader, deleted_id);
  g_assert_nonnull (record);
  g_assert_true (json_object_get_boolean_member (record, "deleted"));
  g_assert_cmpint (json_object_get_int_member (record, "rev"), ==, 2);

  /* ...but a first pull has no tombstones. */
  fresh = teren_test_device_new (server, "pager", PASSWORD, NULL);
  teren_test_device_pull_all (fresh, 7);
  g_assert_cmpuint (g_hash_table_size (fresh->records), ==, 24);
  g_assert_null (teren_test_device_get (fresh, deleted_id));
}

static void
test_pull_limit (void)
{
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "pager", PASSWORD, NULL);
  g_autoptr(TerenTestResponse) big = NULL;
  g_autoptr(TerenTestResponse) bad = NULL;
  JsonArray *records;

  /* Over 2,000 is clamped, not refused. */
  big = teren_test_request (dev->session, server, "GET", "/api/v1/pull?limit=100000", dev->token, NULL, 0);
  g_assert_cmpuint (big->status, ==, 200);
  records = json_object_get_array_member (teren_test_response_object (big), "records");
  g_assert_cmpuint (json_array_get_length (records), <=, 2000);

  bad = teren_test_request (dev->session, server, "GET", "/api/v1/pull?limit=ten", dev->token, NULL, 0);
  teren_test_assert_error (bad, 400, "bad_request");
}

/* A registry person referenced by a new case of line X appears in the feed of an account
 * with line X (a grant), even though that account's cursor is past the person's seq. */
static void
test_grant (void)
{
  g_autoptr(TerenTestDevice) child_worker = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autoptr(TerenTestDevice) elderly_worker = teren_test_device_new (server, "bogdan", PASSWORD, NULL);
  g_autoptr(TerenTestDevice) both = teren_test_device_new (server, "corina", PASSWORD, NULL);
  g_autoptr(JsonObject) person_op = teren_test_op_new ("create", NULL, "person", "", 0,
                                                       teren_test_person_fields (NULL), NULL);
  const char *person_id = json_object_get_string_member (person_op, "record_id");
  g_autoptr(JsonObject) case_op = NULL;
  g_autoptr(JsonObject) r1 = NULL;
  g_autoptr(JsonObject) r2 = NULL;
  g_autoptr(JsonObject) rejected = NULL;
  g_autoptr(JsonObject) foreign_case = NULL;
  JsonObject *person;

  teren_test_device_pull_all (elderly_worker, 0);
  r1 = teren_test_device_push_one (child_worker, person_op);
  g_assert_cmpstr (teren_test_result_status (r1), ==, "applied");

  /* Not yet in the elderly line's scope. */
  teren_test_device_pull_all (elderly_worker, 0);
  g_assert_null (teren_test_device_get (elderly_worker, person_id));

  /* An elderly worker may not open a child case. */
  foreign_case = teren_test_op_new ("create", NULL, "case", "child", 0, teren_test_case_fields (person_id), NULL);
  rejected = teren_test_device_push_one (elderly_worker, foreign_case);
  g_assert_cmpstr (teren_test_result_status (rejected), ==, "rejected");
  teren_test_device_pull_all (elderly_worker, 0);
  g_assert_null (teren_test_device_get (elderly_worker, person_id));

  /* An elderly case of that person: the person enters the elderly line's feed. */
  case_op = teren_test_op_new ("create", NULL, "case", "elderly", 0, teren_test_case_fields (person_id), NULL);
  r2 = teren_test_device_push_one (both, case_op);
  g_assert_cmpstr (teren_test_result_status (r2), ==, "applied");
  teren_test_device_pull_all (elderly_worker, 0);
  person = teren_test_device_get (elderly_worker, person_id);
  g_assert_nonnull (person);
  g_assert_cmpint (json_object_get_int_member (person, "rev"), ==, 1);
  g_assert_nonnull (teren_test_device_get (elderly_worker, json_object_get_string_member (case_op, "record_id")));

  {
    /* The case goes: the person leaves the elderly line's scope and is purged there. */
    g_autoptr(JsonObject) del = teren_test_op_new ("delete", json_object_get_string_member (case_op, "record_id"),
                                                   "case", "elderly", 1, NULL, NULL);
    g_autoptr(JsonObject) r3 = teren_test_device_push_one (both, del);
    gboolean purged = FALSE;

    g_assert_cmpstr (teren_test_result_status (r3), ==, "applied");
    teren_test_device_pull_all (elderly_worker, 0);
    for (guint i = 0; i < elderly_worker->purged->len; i++)
      if (g_strcmp0 (elderly_worker->purged->pdata[i], person_id) == 0)
        purged = TRUE;
    g_assert_true (purged);
    g_assert_null (teren_test_device_get (elderly_worker, person_id));
    /* Its creator still has it. */
    teren_test_device_pull_all (child_worker, 0);
    g_assert_nonnull (teren_test_device_get (child_worker, person_id));
  }
}

/* An account that gains a line gets its older records (backfill); one that loses a line
 * gets their ids in `purge`. */
static void
test_backfill_and_purge (void)
{
  g_autoptr(TerenTestDevice) writer = teren_test_device_new (server, "corina", PASSWORD, NULL);
  g_autoptr(TerenTestDevice) dan = NULL;
  g_autoptr(JsonObject) person_op = teren_test_op_new ("create", NULL, "person", "", 0,
                                                       teren_test_person_fields (NULL), NULL);
  const char *person_id = json_object_get_string_member (person_op, "record_id");
  g_autoptr(JsonObject) case_op = teren_test_op_new ("create", NULL, "case", "child", 0,
                                                     teren_test_case_fields (person_id), NULL);
  const char *case_id = json_object_get_string_member (case_op, "record_id");
  g_autoptr(JsonObject) r1 = NULL;
  g_autoptr(JsonObject) r2 = NULL;
  int status;
  gboolean purged_case = FALSE;

  teren_test_server_add_user (server, "dan", PASSWORD, "elderly", "worker");
  dan = teren_test_device_new (server, "dan", PASSWORD, NULL);
  r1 = teren_test_device_push_one (writer, person_op);
  r2 = teren_test_device_push_one (writer, case_op);
  g_assert_cmpstr (teren_test_result_status (r2), ==, "applied");

  teren_test_device_pull_all (dan, 0);
  g_assert_null (teren_test_device_get (dan, case_id));
  g_assert_null (teren_test_device_get (dan, person_id));

  status = teren_test_server_clif (server, NULL, NULL, NULL, "user", "lines", "dan", "--lines",
                                   "elderly,child", NULL);
  g_assert_cmpint (status, ==, 0);
  teren_test_device_pull_all (dan, 0);
  g_assert_nonnull (teren_test_device_get (dan, case_id));
  g_assert_nonnull (teren_test_device_get (dan, person_id));

  status = teren_test_server_clif (server, NULL, NULL, NULL, "user", "lines", "dan", "--lines", "elderly", NULL);
  g_assert_cmpint (status, ==, 0);
  teren_test_device_pull_all (dan, 0);
  for (guint i = 0; i < dan->purged->len; i++)
    if (g_strcmp0 (dan->purged->pdata[i], case_id) == 0)
      purged_case = TRUE;
  g_assert_true (purged_case);
  g_assert_null (teren_test_device_get (dan, case_id));
  /* The person was only in scope through the child case. */
  g_assert_null (teren_test_device_get (dan, person_id));
}

static void
test_device_revoked (void)
{
  g_autofree char *device_id = teren_uuid_new ();
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "ana", PASSWORD, device_id);
  g_autoptr(TerenTestDevice) other = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autoptr(JsonArray) ops = teren_test_ops1 (teren_test_op_new ("create", NULL, "person", "", 0,
                                                                 teren_test_person_fields (NULL), NULL));
  g_autoptr(TerenTestResponse) push = NULL;
  g_autoptr(TerenTestResponse) pull = NULL;
  g_autoptr(TerenTestResponse) me = NULL;
  g_autoptr(TerenTestResponse) relogin = NULL;
  g_autoptr(TerenTestResponse) other_me = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;

  before = teren_test_device_snapshot (other);
  g_assert_cmpint (teren_test_server_clif (server, NULL, NULL, NULL, "device", "revoke", device_id, NULL), ==, 0);
  g_assert_cmpint (teren_test_server_clif (server, NULL, &out, NULL, "device", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, device_id));

  push = teren_test_device_push_raw (dev, ops);
  teren_test_assert_error (push, 403, "device_revoked");
  pull = teren_test_request (dev->session, server, "GET", "/api/v1/pull", dev->token, NULL, 0);
  teren_test_assert_error (pull, 403, "device_revoked");
  me = teren_test_request (dev->session, server, "GET", "/api/v1/me", dev->token, NULL, 0);
  teren_test_assert_error (me, 403, "device_revoked");
  relogin = teren_test_login (dev->session, server, "ana", PASSWORD, device_id);
  teren_test_assert_error (relogin, 403, "device_revoked");

  /* The account's other device goes on, and the refused push changed nothing. */
  other_me = teren_test_request (other->session, server, "GET", "/api/v1/me", other->token, NULL, 0);
  g_assert_cmpuint (other_me->status, ==, 200);
  after = teren_test_device_snapshot (other);
  g_assert_cmpstr (before, ==, after);

  g_assert_cmpint (teren_test_server_clif (server, NULL, NULL, NULL, "device", "revoke",
                                           "00000000-0000-4000-8000-000000000000", NULL), ==, 1);
}

static void
test_unsupported_version (void)
{
  g_autoptr(TerenTestDevice) dev = teren_test_device_new (server, "ana", PASSWORD, NULL);
  g_autoptr(JsonArray) ops = teren_test_ops1 (teren_test_op_new ("create", NULL, "person", "", 0,
                                                                 teren_test_person_fields (NULL), NULL));
  g_autofree char *body = teren_test_ops_to_body (ops);
  const char * const newer[] = { "Teren-Schema", "999", NULL };
  g_autoptr(TerenTestResponse) push = NULL;
  g_autoptr(TerenTestResponse) pull = NULL;

  push = teren_test_request_full (dev->session, server, "POST", "/api/v1/push", dev->token, body, -1, newer);
  teren_test_assert_error (push, 409, "unsupported_version");
  pull = teren_test_request_full (dev->session, server, "GET", "/api/v1/pull", dev->token, NULL, 0, newer);
  g_assert_cmpuint (pull->status, ==, 200);
  teren_test_device_pull_all (dev, 0);
  g_assert_null (teren_test_device_get (dev, json_object_get_string_member (json_array_get_object_element (ops, 0),
                                                                            "record_id")));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = teren_test_server_new ();
  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_add_user (server, "bogdan", PASSWORD, "elderly", "worker");
  teren_test_server_add_user (server, "corina", PASSWORD, "child,elderly", "worker");
  teren_test_server_add_user (server, "pager", PASSWORD, "elderly", "worker");
  teren_test_server_start (server);

  g_test_add_func ("/server/protocol/health-hello", test_health_hello);
  g_test_add_func ("/server/protocol/login-me-logout", test_login_me_logout);
  g_test_add_func ("/server/protocol/push-applied-duplicate", test_push_applied_and_duplicate);
  g_test_add_func ("/server/protocol/push-create-existing-id", test_push_create_existing_id);
  g_test_add_func ("/server/protocol/push-rejected-does-not-block", test_push_rejected_does_not_block);
  g_test_add_func ("/server/protocol/pull-paging", test_pull_paging);
  g_test_add_func ("/server/protocol/pull-limit", test_pull_limit);
  g_test_add_func ("/server/protocol/grant", test_grant);
  g_test_add_func ("/server/protocol/backfill-purge", test_backfill_and_purge);
  g_test_add_func ("/server/protocol/device-revoked", test_device_revoked);
  g_test_add_func ("/server/protocol/unsupported-version", test_unsupported_version);

  ret = g_test_run ();
  teren_test_server_free (server);
  return ret;
}
