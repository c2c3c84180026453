/* test-server-referral.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 5, referrals between lines: a referral made in the child line to the elderly line
 * reaches the elderly line's workers (with its person), who accept or decline it with the
 * reason; the sender sees the answer. The receiving line gets nothing else of the sending
 * line, may not create records in it, and a referral to its own line is refused on push.
 */

#include "config.h"

#include <string.h>

#include "teren-server-test-util.h"

#define PASSWORD "correct horse 1"

static JsonObject *
referral_fields (const char *person_id,
                 const char *case_id,
                 const char *to_line)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "direction", "outgoing");
  json_object_set_string_member (fields, "date", "2026-11-20");
  json_object_set_string_member (fields, "person", person_id);
  json_object_set_string_member (fields, "case", case_id);
  json_object_set_string_member (fields, "to_line", to_line);
  json_object_set_string_member (fields, "reason", "Bunica locuiește singură și are nevoie de îngrijire.");
  json_object_set_string_member (fields, "consent_by", "beneficiary");
  json_object_set_string_member (fields, "consent_on", "2026-11-19");
  json_object_set_string_member (fields, "status", "sent");
  return fields;
}

static void
test_referral_between_lines (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  g_autoptr(TerenTestDevice) ana = NULL;
  g_autoptr(TerenTestDevice) ion = NULL;
  g_autoptr(TerenTestDevice) dana = NULL;
  g_autoptr(JsonObject) person = NULL;
  g_autoptr(JsonObject) kase = NULL;
  g_autoptr(JsonObject) referral = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *person_id = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *referral_id = NULL;
  JsonObject *held;
  JsonObject *patch;
  gint64 rev;

  teren_test_server_add_user (server, "ana", PASSWORD, "child", "worker");
  teren_test_server_add_user (server, "ion", PASSWORD, "elderly", "worker");
  teren_test_server_add_user (server, "dana", PASSWORD, "homeless", "worker");
  teren_test_server_start (server);
  ana = teren_test_device_new (server, "ana", PASSWORD, NULL);
  ion = teren_test_device_new (server, "ion", PASSWORD, NULL);
  dana = teren_test_device_new (server, "dana", PASSWORD, NULL);

  /* Ana's child case, and her referral of the grandmother's needs to the elderly line. */
  person = teren_test_op_new ("create", NULL, "person", "", 0, teren_test_person_fields (NULL), NULL);
  person_id = g_strdup (json_object_get_string_member (person, "record_id"));
  result = teren_test_device_push_one (ana, person);
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
  g_clear_pointer (&result, json_object_unref);
  kase = teren_test_op_new ("create", NULL, "case", "child", 0, teren_test_case_fields (person_id), NULL);
  case_id = g_strdup (json_object_get_string_member (kase, "record_id"));
  result = teren_test_device_push_one (ana, kase);
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
  g_clear_pointer (&result, json_object_unref);

  /* To its own line: refused at the field, nothing stored. */
  {
    g_autofree char *before = teren_test_device_snapshot (ana);
    g_autofree char *after = NULL;
    g_autoptr(JsonObject) own = teren_test_op_new ("create", NULL, "referral", "child", 0,
                                                   referral_fields (person_id, case_id, "child"), NULL);
    g_autoptr(JsonObject) refused = teren_test_device_push_one (ana, own);
    JsonObject *fields;

    g_assert_cmpstr (teren_test_result_status (refused), ==, "rejected");
    fields = json_object_get_object_member (refused, "fields");
    g_assert_nonnull (fields);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (fields, "to_line"), "message"),
                     ==, "A referral cannot go to its own service line");
    after = teren_test_device_snapshot (ana);
    g_assert_cmpstr (before, ==, after);
  }

  referral = teren_test_op_new ("create", NULL, "referral", "child", 0,
                                referral_fields (person_id, case_id, "elderly"), NULL);
  referral_id = g_strdup (json_object_get_string_member (referral, "record_id"));
  result = teren_test_device_push_one (ana, referral);
  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
  g_clear_pointer (&result, json_object_unref);

  /* Ion (elderly) receives the referral and its person, not the child case. */
  teren_test_device_pull_all (ion, 0);
  held = teren_test_device_get (ion, referral_id);
  g_assert_nonnull (held);
  g_assert_nonnull (teren_test_device_get (ion, person_id));
  g_assert_null (teren_test_device_get (ion, case_id));
  /* Dana (homeless) receives none of it. */
  teren_test_device_pull_all (dana, 0);
  g_assert_null (teren_test_device_get (dana, referral_id));
  g_assert_null (teren_test_device_get (dana, person_id));

  /* Ion may not touch the child case, nor create records in the child line. */
  {
    g_autoptr(JsonObject) fields = json_object_new ();
    g_autoptr(JsonObject) op = NULL;
    g_autoptr(JsonObject) refused = NULL;

    json_object_set_string_member (fields, "number", "99/2026");
    op = teren_test_op_new ("update", case_id, "case", "child", 1, g_steal_pointer (&fields), NULL);
    refused = teren_test_device_push_one (ion, op);
    g_assert_cmpstr (teren_test_result_status (refused), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (refused, "code"), ==, "forbidden");
  }
  {
    g_autoptr(JsonObject) op = teren_test_op_new ("create", NULL, "referral", "child", 0,
                                                  referral_fields (person_id, case_id, "elderly"), NULL);
    g_autoptr(JsonObject) refused = teren_test_device_push_one (ion, op);

    g_assert_cmpstr (teren_test_result_status (refused), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (refused, "code"), ==, "forbidden");
  }

  /* Ion declines without a reason: refused; with the reason: applied. */
  rev = json_object_get_int_member (held, "rev");
  patch = json_object_new ();
  json_object_set_string_member (patch, "status", "declined");
  json_object_set_string_member (patch, "answered_on", "2026-11-21");
  {
    g_autoptr(JsonObject) op = teren_test_op_new ("update", referral_id, "referral", "child", rev,
                                                  json_object_ref (patch), NULL);
    g_autoptr(JsonObject) refused = teren_test_device_push_one (ion, op);

    g_assert_cmpstr (teren_test_result_status (refused), ==, "rejected");
    g_assert_true (teren_test_object_has_code (refused, "required"));
  }
  json_object_set_string_member (patch, "answer_reason", "Doamna are deja îngrijire la domiciliu.");
  {
    g_autoptr(JsonObject) op = teren_test_op_new ("update", referral_id, "referral", "child", rev,
                                                  patch, NULL);

    answer = teren_test_device_push_one (ion, op);
    g_assert_cmpstr (teren_test_result_status (answer), ==, "applied");
  }

  /* Ana sees the answer. */
  teren_test_device_pull_all (ana, 0);
  held = teren_test_device_get (ana, referral_id);
  g_assert_nonnull (held);
  {
    JsonObject *fields = json_object_get_object_member (held, "fields");

    g_assert_cmpstr (json_object_get_string_member (fields, "status"), ==, "declined");
    g_assert_cmpstr (json_object_get_string_member (fields, "answer_reason"), ==,
                     "Doamna are deja îngrijire la domiciliu.");
  }
  teren_test_server_assert_integrity (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/referral/between-lines", test_referral_between_lines);
  return g_test_run ();
}
