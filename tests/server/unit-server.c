/* unit-server.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Unit tests of teren-server's pieces that need no running server: the strict JSON check,
 * signed cursors, the nomenclature CSV reader, the push decision (merge, conflicts,
 * permissions), the login rate limiter and account names.
 */

#include "config.h"

#include <string.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-merge.h"
#include "teren-op.h"
#include "teren-uuid.h"
#include "teren-server-apply.h"
#include "teren-server-auth.h"
#include "teren-server-cursor.h"
#include "teren-server-json-write.h"
#include "teren-server-nomenclature.h"

static void
test_cursor (void)
{
  guint8 secret[32], other_secret[32];
  TerenServerFeedPos pos = { 0 }, back = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *nomenclature = NULL;
  g_autofree char *tampered = NULL;
  gint64 seq = 0;

  memset (secret, 7, sizeof secret);
  memset (other_secret, 8, sizeof other_secret);
  pos.seq = 1234;
  pos.scope_version = 3;
  pos.tomb_floor = 99;
  pos.backfill = TRUE;
  pos.backfill_pos = 17;
  pos.backfill_keys = g_strdup ("child,elderly");

  text = teren_server_cursor_encode (secret, "epoch-1", 42, &pos);
  g_assert_true (teren_server_cursor_decode (secret, "epoch-1", 42, text, &back));
  g_assert_cmpint (back.seq, ==, 1234);
  g_assert_cmpint (back.scope_version, ==, 3);
  g_assert_cmpint (back.tomb_floor, ==, 99);
  g_assert_true (back.backfill);
  g_assert_cmpint (back.backfill_pos, ==, 17);
  g_assert_cmpstr (back.backfill_keys, ==, "child,elderly");
  teren_server_feed_pos_clear (&back);

  /* Another account, epoch or key; a changed character; garbage. */
  g_assert_false (teren_server_cursor_decode (secret, "epoch-1", 43, text, &back));
  g_assert_false (teren_server_cursor_decode (secret, "epoch-2", 42, text, &back));
  g_assert_false (teren_server_cursor_decode (other_secret, "epoch-1", 42, text, &back));
  tampered = g_strdup (text);
  tampered[2] = tampered[2] == 'A' ? 'B' : 'A';
  g_assert_false (teren_server_cursor_decode (secret, "epoch-1", 42, tampered, &back));
  g_assert_false (teren_server_cursor_decode (secret, "epoch-1", 42, "abc.def", &back));
  g_assert_false (teren_server_cursor_decode (secret, "epoch-1", 42, "", &back));
  g_assert_false (teren_server_cursor_decode (secret, "epoch-1", 42, "' OR 1=1 --", &back));

  /* A nomenclature cursor is not a pull cursor and the other way round. */
  nomenclature = teren_server_nomenclature_cursor_encode (secret, "epoch-1", 55);
  g_assert_true (teren_server_nomenclature_cursor_decode (secret, "epoch-1", nomenclature, &seq));
  g_assert_cmpint (seq, ==, 55);
  g_assert_false (teren_server_cursor_decode (secret, "epoch-1", 42, nomenclature, &back));
  g_assert_false (teren_server_nomenclature_cursor_decode (secret, "epoch-1", text, &seq));

  teren_server_feed_pos_clear (&pos);
}

static JsonObject *
entry (GPtrArray *entries,
       guint      i)
{
  return g_ptr_array_index (entries, i);
}

static void
test_nomenclature_csv (void)
{
  /* The official INS columns, cedilla upper case as INS writes it. */
  const char *official =
    "SIRUTA;DENLOC;CODP;JUD;SIRSUP;TIP;NIV;MED;REGIUNE\r\n"
    "1017;MUNICIPIUL ALBA IULIA;510000;1;10;1;2;1;7\r\n"
    "1071;CIUGUD;0;1;10;3;2;3;7\r\n"
    "1080;CIUGUD;517240;1;1071;22;3;3;7\r\n"
    "9019;Şelimbăr Ţară;0;32;10;3;2;3;7\r\n";
  const char *simple = "code,name,county,parent,environment,postal_code\n179132,MUNICIPIUL BUCUREŞTI,40,403,urban,0\n";
  const char *icd = "code,name\nJ45.0,Astm predominant alergic\nE11,Diabet zaharat tip 2\n";
  const char *bad_row = "code,name\nA1,One\nA2\nA3,Three\n";
  const char *dup = "code,name\nA1,One\nA1,Again\n";
  const char *bad_siruta = "code,name\n12a,X\n";
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = teren_server_nomenclature_parse_csv ("siruta", official, strlen (official), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (teren_json_get_string (entry (rows, 0), "environment", NULL), ==, "urban");
  g_assert_cmpstr (teren_json_get_string (entry (rows, 1), "environment", NULL), ==, "rural");
  g_assert_cmpstr (teren_json_get_string (entry (rows, 1), "postal_code", NULL), ==, "");
  g_assert_cmpstr (teren_json_get_string (entry (rows, 2), "parent", NULL), ==, "1071");
  g_assert_cmpstr (teren_json_get_string (entry (rows, 2), "postal_code", NULL), ==, "517240");
  /* Cedilla → comma below, case kept. */
  g_assert_cmpstr (teren_json_get_string (entry (rows, 3), "name", NULL), ==, "Șelimbăr Țară");
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = teren_server_nomenclature_parse_csv ("siruta", simple, strlen (simple), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_json_get_string (entry (rows, 0), "name", NULL), ==, "MUNICIPIUL BUCUREȘTI");
  g_assert_cmpstr (teren_json_get_string (entry (rows, 0), "county", NULL), ==, "40");
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = teren_server_nomenclature_parse_csv ("icd10", icd, strlen (icd), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A bad row names its line; nothing is returned. */
  rows = teren_server_nomenclature_parse_csv ("units", bad_row, strlen (bad_row), &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "3"));
  g_clear_error (&error);

  rows = teren_server_nomenclature_parse_csv ("units", dup, strlen (dup), &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);

  rows = teren_server_nomenclature_parse_csv ("siruta", bad_siruta, strlen (bad_siruta), &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);

  rows = teren_server_nomenclature_parse_csv ("units", "", 0, &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_clear_error (&error);

  rows = teren_server_nomenclature_parse_csv ("units", "code,name\n\xff,x\n", 11, &error);
  g_assert_null (rows);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);

  g_assert_true (teren_server_nomenclature_kind_is_valid ("icd10"));
  g_assert_false (teren_server_nomenclature_kind_is_valid ("ICD"));
  g_assert_false (teren_server_nomenclature_kind_is_valid ("a;b"));
  g_assert_false (teren_server_nomenclature_kind_is_valid (""));
}

static TerenServerAccount *
account_new (const char *lines)
{
  TerenServerAccount *account = g_new0 (TerenServerAccount, 1);

  account->id = 1;
  account->username = g_strdup ("ana");
  account->role = TEREN_SERVER_ROLE_WORKER;
  account->lines = lines[0] != '\0' ? g_strsplit (lines, ",", -1) : g_new0 (char *, 1);
  return account;
}

static TerenOp *
case_op (TerenOpType  type,
         const char  *line,
         gint64       base_rev,
         const char  *patch_json)
{
  TerenOp *op = teren_op_new ();

  op->change_id = teren_uuid_new ();
  op->record_id = g_strdup ("6f1f8e1e-3c4b-4c1e-9b8d-2f1e4f0a7b11");
  op->kind = g_strdup ("case");
  g_free (op->line);
  op->line = g_strdup (line);
  op->op = type;
  op->base_rev = base_rev;
  g_clear_pointer (&op->patch, json_object_unref);
  op->patch = teren_json_parse_object (patch_json, -1, 64, NULL);
  op->author = g_strdup ("ana");
  op->device_time = g_strdup ("2026-11-20T09:14:03+02:00");
  return op;
}

#define CASE_FIELDS "{\"person\": \"0b4b8a52-9b0e-4e8c-8a51-3f0e7f7c2a10\", \"opened_on\": \"2026-11-01\", " \
                    "\"status\": \"open\", \"number\": \"12\"}"

static void
state_existing (TerenServerRecordState *state,
                const char             *current_json,
                const char * const     *server_changed)
{
  guint i;

  state->exists = TRUE;
  state->in_scope = TRUE;
  state->kind = g_strdup ("case");
  state->line = g_strdup ("child");
  state->rev = 3;
  state->fields = teren_json_parse_object (current_json, -1, 64, NULL);
  state->base_fields = teren_json_parse_object (CASE_FIELDS, -1, 64, NULL);
  state->server_changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; server_changed != NULL && server_changed[i] != NULL; i++)
    g_hash_table_add (state->server_changed, g_strdup (server_changed[i]));
}

static void
test_decide (void)
{
  g_autoptr(TerenServerAccount) child = account_new ("child");
  g_autoptr(TerenServerAccount) elderly = account_new ("elderly");
  g_autoptr(TerenServerAccount) none = account_new ("");
  const char * const number_changed[] = { "number", NULL };
  TerenServerDecision decision = { 0 };
  TerenServerRecordState state = { 0 };
  TerenMergeConflict *conflict;

  /* A create of a new record is applied and validated. */
  {
    g_autoptr(TerenOp) op = case_op (TEREN_OP_CREATE, "child", 0, CASE_FIELDS);

    g_assert_true (teren_server_precheck_op (child, op, &decision));
    state.server_changed = g_hash_table_new (g_str_hash, g_str_equal);
    teren_server_decide (child, op, &state, &decision);
    g_assert_cmpint (decision.outcome, ==, TEREN_SERVER_OUTCOME_WRITE);
    g_assert_cmpstr (decision.status, ==, "applied");
    teren_server_decision_clear (&decision);
    teren_server_record_state_clear (&state);
  }

  /* A line the account lacks, an unknown kind, a registry change without lines, a
   * conflict record: refused before any state is read. */
  {
    g_autoptr(TerenOp) op = case_op (TEREN_OP_CREATE, "child", 0, CASE_FIELDS);

    g_assert_false (teren_server_precheck_op (elderly, op, &decision));
    g_assert_cmpstr (decision.status, ==, "rejected");
    g_assert_cmpstr (decision.code, ==, "forbidden");
    teren_server_decision_clear (&decision);

    g_free (op->kind);
    op->kind = g_strdup ("no_such_kind");
    g_assert_false (teren_server_precheck_op (child, op, &decision));
    g_assert_cmpstr (decision.code, ==, "unknown_kind");
    teren_server_decision_clear (&decision);

    g_free (op->kind);
    op->kind = g_strdup (TEREN_CONFLICT_KIND);
    g_assert_false (teren_server_precheck_op (child, op, &decision));
    teren_server_decision_clear (&decision);

    g_free (op->kind);
    op->kind = g_strdup ("person");
    g_free (op->line);
    op->line = g_strdup ("");
    g_assert_false (teren_server_precheck_op (none, op, &decision));
    g_assert_cmpstr (decision.code, ==, "forbidden");
    teren_server_decision_clear (&decision);
  }

  /* An invalid field value: rejected with the field named. */
  {
    g_autoptr(TerenOp) op = case_op (TEREN_OP_CREATE, "child", 0,
                                     "{\"person\": \"0b4b8a52-9b0e-4e8c-8a51-3f0e7f7c2a10\", "
                                     "\"opened_on\": \"2026-02-30\", \"status\": \"open\"}");

    g_assert_true (teren_server_precheck_op (child, op, &decision));
    state.server_changed = g_hash_table_new (g_str_hash, g_str_equal);
    teren_server_decide (child, op, &state, &decision);
    g_assert_cmpint (decision.outcome, ==, TEREN_SERVER_OUTCOME_REJECT);
    g_assert_cmpstr (decision.code, ==, "invalid");
    g_assert_nonnull (decision.field_errors);
    g_assert_cmpuint (decision.field_errors->len, >, 0);
    teren_server_decision_clear (&decision);
    teren_server_record_state_clear (&state);
  }

  /* "Not in the future" leaves a day of slack for laptops east of UTC; two days are refused. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 2);
    g_autofree char *d1 = g_date_time_format (tomorrow, "%Y-%m-%d");
    g_autofree char *d2 = g_date_time_format (later, "%Y-%m-%d");
    g_autofree char *p1 = g_strdup_printf ("{\"person\": \"0b4b8a52-9b0e-4e8c-8a51-3f0e7f7c2a10\", "
                                           "\"opened_on\": \"%s\", \"status\": \"open\"}", d1);
    g_autofree char *p2 = g_strdup_printf ("{\"person\": \"0b4b8a52-9b0e-4e8c-8a51-3f0e7f7c2a10\", "
                                           "\"opened_on\": \"%s\", \"status\": \"open\"}", d2);
    g_autoptr(TerenOp) ok_op = case_op (TEREN_OP_CREATE, "child", 0, p1);
    g_autoptr(TerenOp) late_op = case_op (TEREN_OP_CREATE, "child", 0, p2);

    /* Typed a moment ago, on a laptop already in tomorrow. */
    g_free (ok_op->device_time);
    ok_op->device_time = g_date_time_format_iso8601 (tomorrow);
    g_free (late_op->device_time);
    late_op->device_time = g_date_time_format_iso8601 (now);

    g_assert_true (teren_server_precheck_op (child, ok_op, &decision));
    state.server_changed = g_hash_table_new (g_str_hash, g_str_equal);
    teren_server_decide (child, ok_op, &state, &decision);
    g_assert_cmpint (decision.outcome, ==, TEREN_SERVER_OUTCOME_WRITE);
    teren_server_decision_clear (&decision);

    g_assert_true (teren_server_precheck_op (child, late_op, &decision));
    teren_server_decide (child, late_op, &state, &decision);
    g_assert_cmpint (decision.outcome, ==, TEREN_SERVER_OUTCOME_REJECT);
    teren_server_decision_clear (&decision);
    teren_server_record_state_clear (&state);
  }

  /* Same field changed on the server to another value: conflict, others applied. */
  {
    g_autoptr(TerenOp) op = case_op (TEREN_OP_UPDATE, "child", 1, "{\"number\": \"14\", \"case_manager\": \"Ion\"}");

    g_assert_true (teren_server_precheck_op (child, op, &decision));
    state_existing (&state, "{\"person\": \"0b4b8a52-9b0e-4e8c-8a51-3f0e7f7c2a10\", \"opened_on\": \"2026-11-01\", "
                            "\"status\": \"open\", \"number\": \"13\"}", number_changed);
    teren_server_decide (child, op, &state, &decision);
    g_assert_cmpint (decision.outcome, ==, TEREN_SERVER_OUTCOME_WRITE);
    g_assert_cmpstr (decision.status, ==, "conflict");
    g_assert_cmpuint (decision.conflicts->len, ==, 1);
    conflict = g_ptr_array_index (decision.conflicts, 0);
    g_assert_cmpstr (conflict->field, ==, "number");
    g_assert_cmpstr (json_node_get_string (conflict->base), ==, "12");
    g_assert_cmpstr (json_node_get_string (conflict->server), ==, "13");
    g_assert_cmpstr (json_node_get_string (conflict->local), ==, "14");
    g_assert_cmpstr (teren_json_get_string (decision.fields, "number", NULL), ==, "13");
    g_assert_cmpstr (teren_json_get_string (decision.fields, "case_manager", NULL), ==, "Ion");
    teren_server_decision_clear (&decision);
    teren_server_record_state_clear (&state);
  }

  /* The same value on both sides: merged, no conflict. */
  {
    g_autoptr(TerenOp) op = case_op (TEREN_OP_UPDATE, "child", 1, "{\"number\": \"13\"}");

    g_assert_true (teren_server_precheck_op (child, op, &decision));
    state_existing (&state, "{\"person\": \"0b4b8a52-9b0e-4e8c-8a51-3f0e7f7c2a10\", \"opened_on\": \"2026-11-01\", "
                            "\"status\": \"open\", \"number\": \"13\"}", number_changed);
    teren_server_decide (child, op, &state, &decision);
    g_assert_cmpstr (decision.status, ==, "merged");
    g_assert_null (decision.conflicts);
    teren_server_decision_clear (&decision);
    teren_server_record_state_clear (&state);
  }

  /* A delete of a record edited since its base: delete_vs_edit, not deleted. */
  {
    g_autoptr(TerenOp) op = case_op (TEREN_OP_DELETE, "child", 1, "{}");

    g_assert_true (teren_server_precheck_op (child, op, &decision));
    state_existing (&state, CASE_FIELDS, number_changed);
    teren_server_decide (child, op, &state, &decision);
    g_assert_cmpint (decision.outcome, ==, TEREN_SERVER_OUTCOME_RECORD_CONFLICT);
    g_assert_cmpstr (decision.conflict_reason, ==, "delete_vs_edit");
    teren_server_decision_clear (&decision);
    teren_server_record_state_clear (&state);
  }

  /* An update of a deleted record: edit_on_deleted. */
  {
    g_autoptr(TerenOp) op = case_op (TEREN_OP_UPDATE, "child", 1, "{\"number\": \"15\"}");

    g_assert_true (teren_server_precheck_op (child, op, &decision));
    state_existing (&state, CASE_FIELDS, NULL);
    state.deleted = TRUE;
    state.deleted_since_base = TRUE;
    teren_server_decide (child, op, &state, &decision);
    g_assert_cmpint (decision.outcome, ==, TEREN_SERVER_OUTCOME_RECORD_CONFLICT);
    g_assert_cmpstr (decision.conflict_reason, ==, "edit_on_deleted");
    teren_server_decision_clear (&decision);
    teren_server_record_state_clear (&state);
  }

  /* A create reusing an id: same content applied unchanged, other content id_taken. */
  {
    g_autoptr(TerenOp) same = case_op (TEREN_OP_CREATE, "child", 0, CASE_FIELDS);
    g_autoptr(TerenOp) other = case_op (TEREN_OP_CREATE, "child", 0,
                                        "{\"person\": \"0b4b8a52-9b0e-4e8c-8a51-3f0e7f7c2a10\", "
                                        "\"opened_on\": \"2026-11-02\", \"status\": \"open\"}");

    g_assert_true (teren_server_precheck_op (child, same, &decision));
    state_existing (&state, CASE_FIELDS, NULL);
    teren_server_decide (child, same, &state, &decision);
    g_assert_cmpint (decision.outcome, ==, TEREN_SERVER_OUTCOME_UNCHANGED);
    teren_server_decision_clear (&decision);

    g_assert_true (teren_server_precheck_op (child, other, &decision));
    teren_server_decide (child, other, &state, &decision);
    g_assert_cmpint (decision.outcome, ==, TEREN_SERVER_OUTCOME_REJECT);
    g_assert_cmpstr (decision.code, ==, "id_taken");
    teren_server_decision_clear (&decision);
    teren_server_record_state_clear (&state);
  }
}

/* A plan typed offline on 20 November with its review on 25 November reaches the server
 * later: judged on the day it was typed, it is applied; typed after its review date, the
 * same plan is refused ("the review date is in the past"). */
static void
test_offline_day (void)
{
  g_autoptr(TerenServerAccount) child = account_new ("child");
  const char *plan = "{\"case\": \"0b4b8a52-9b0e-4e8c-8a51-3f0e7f7c2a10\", \"type\": \"intervention\", "
                     "\"start_on\": \"2026-11-20\", \"review_on\": \"2026-11-25\"}";
  TerenServerDecision decision = { 0 };
  TerenServerRecordState state = { 0 };
  g_autoptr(TerenOp) op = case_op (TEREN_OP_CREATE, "child", 0, plan);

  g_free (op->kind);
  op->kind = g_strdup ("plan");
  g_assert_true (teren_server_precheck_op (child, op, &decision));
  state.server_changed = g_hash_table_new (g_str_hash, g_str_equal);
  teren_server_decide (child, op, &state, &decision);
  g_assert_cmpstr (decision.status, ==, "applied");
  teren_server_decision_clear (&decision);
  teren_server_record_state_clear (&state);

  g_free (op->device_time);
  op->device_time = g_strdup ("2026-11-27T10:00:00+02:00");
  state.server_changed = g_hash_table_new (g_str_hash, g_str_equal);
  teren_server_decide (child, op, &state, &decision);
  g_assert_cmpstr (decision.status, ==, "rejected");
  g_assert_cmpstr (decision.code, ==, "invalid");
  teren_server_decision_clear (&decision);
  teren_server_record_state_clear (&state);
}

static void
test_rate_limiter (void)
{
  TerenServerRateLimiter *limiter = teren_server_rate_limiter_new (60);
  guint i;

  for (i = 0; i < 4; i++)
    {
      g_assert_cmpint (teren_server_rate_limiter_check (limiter, "ana", "10.0.0.1", 1000), ==, 0);
      teren_server_rate_limiter_failure (limiter, "ana", "10.0.0.1", 1000);
    }
  g_assert_cmpint (teren_server_rate_limiter_check (limiter, "ana", "10.0.0.1", 1000), ==, 0);
  teren_server_rate_limiter_failure (limiter, "ana", "10.0.0.1", 1000);
  /* Locked for the account, from any address; not for another account. */
  g_assert_cmpint (teren_server_rate_limiter_check (limiter, "ana", "10.0.0.2", 1010), ==, 50);
  g_assert_cmpint (teren_server_rate_limiter_check (limiter, "bob", "10.0.0.2", 1010), ==, 0);
  /* The lock ends. */
  g_assert_cmpint (teren_server_rate_limiter_check (limiter, "ana", "10.0.0.2", 1061), ==, 0);

  /* Per address: 20 failures over many names. */
  for (i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%u", i);

      teren_server_rate_limiter_failure (limiter, name, "10.0.0.9", 2000);
    }
  g_assert_cmpint (teren_server_rate_limiter_check (limiter, "someone", "10.0.0.9", 2000), >, 0);
  g_assert_cmpint (teren_server_rate_limiter_check (limiter, "someone", "10.0.0.8", 2000), ==, 0);

  /* A success resets the account's count. */
  for (i = 0; i < 4; i++)
    teren_server_rate_limiter_failure (limiter, "cora", "10.0.0.3", 3000);
  teren_server_rate_limiter_success (limiter, "cora");
  teren_server_rate_limiter_failure (limiter, "cora", "10.0.0.3", 3000);
  g_assert_cmpint (teren_server_rate_limiter_check (limiter, "cora", "10.0.0.3", 3000), ==, 0);

  teren_server_rate_limiter_free (limiter);
}

static void
test_names_and_tokens (void)
{
  g_autofree char *a = teren_server_token_new ();
  g_autofree char *b = teren_server_token_new ();
  g_autofree char *ha = teren_server_token_hash (a);

  g_assert_true (teren_server_username_is_valid ("ana.pop-2_x"));
  g_assert_false (teren_server_username_is_valid (""));
  g_assert_false (teren_server_username_is_valid ("Ana"));
  g_assert_false (teren_server_username_is_valid ("ana'; DROP TABLE accounts; --"));
  g_assert_false (teren_server_username_is_valid ("ană"));

  /* 256 bits in base64url without padding: 43 characters; never twice the same. */
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpuint (strlen (ha), ==, 64);
  g_assert_null (strstr (ha, a));
}

/* ---- the push path's JSON writer against json-glib's generator ------------------------ */

static const char * const json_pieces[] = {
  "a", "nume", "Ștefan", "ăîâșț", "€", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x01",
  "\x1e", "\x1f", "\x7f", " ", "x y", "0", "é", "\xf0\x9f\x98\x80", "%", "%s",
};

static char *
random_json_text (GRand *rand)
{
  GString *text = g_string_new (NULL);
  int i, n = g_rand_int_range (rand, 0, 5);

  for (i = 0; i < n; i++)
    g_string_append (text, json_pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (json_pieces))]);
  return g_string_free (text, FALSE);
}

static JsonNode *random_json_node (GRand *rand, int depth);

static JsonObject *
random_json_object (GRand *rand,
                    int    depth)
{
  JsonObject *object = json_object_new ();
  int i, n = g_rand_int_range (rand, 0, depth > 2 ? 3 : 12);

  for (i = 0; i < n; i++)
    {
      g_autofree char *name = random_json_text (rand);

      /* repeated names replace a member in place; some members go again */
      json_object_set_member (object, name, random_json_node (rand, depth + 1));
      if (g_rand_int_range (rand, 0, 10) == 0 && json_object_has_member (object, name))
        json_object_remove_member (object, name);
    }
  return object;
}

static JsonNode *
random_json_node (GRand *rand,
                  int    depth)
{
  static const double doubles[] = { 0.5, -0.0, 0.1, 1e20, 1e-7, 3.0, -2.5e300, 123456789.125, 1.0 / 3 };
  static const gint64 ints[] = { 0, 1, -1, 42, G_MAXINT64, G_MININT64, 1000000007, -987654321 };
  JsonNode *node;

  switch (g_rand_int_range (rand, 0, depth > 3 ? 6 : 8))
    {
    case 0:
      return json_node_new (JSON_NODE_NULL);
    case 1:
      return json_node_init_int (json_node_alloc (), ints[g_rand_int_range (rand, 0, G_N_ELEMENTS (ints))]);
    case 2:
      return json_node_init_double (json_node_alloc (),
                                    doubles[g_rand_int_range (rand, 0, G_N_ELEMENTS (doubles))]);
    case 3:
      return json_node_init_boolean (json_node_alloc (), g_rand_boolean (rand));
    case 4:
    case 5:
      {
        g_autofree char *text = random_json_text (rand);

        return json_node_init_string (json_node_alloc (), text);
      }
    case 6:
      {
        JsonArray *array = json_array_new ();
        int i, n = g_rand_int_range (rand, 0, 5);

        for (i = 0; i < n; i++)
          json_array_add_element (array, random_json_node (rand, depth + 1));
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, array);
        return node;
      }
    default:
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, random_json_object (rand, depth + 1));
      return node;
    }
}

static void
test_json_write (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);
  int round;

  for (round = 0; round < 3000; round++)
    {
      g_autoptr(JsonNode) node = random_json_node (rand, 0);
      g_autofree char *expected = teren_json_to_string (node);
      g_autofree char *written = teren_server_json_node_to_string (node);

      g_assert_cmpstr (written, ==, expected);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);
          g_autoptr(JsonObject) copy = teren_json_object_copy (object);
          g_autofree char *copy_text = teren_json_object_to_string (copy);
          g_autofree char *object_text = teren_server_json_object_to_string (object);
          GString *copied = g_string_new (NULL);

          g_assert_cmpstr (object_text, ==, expected);
          teren_server_json_append_object_copied (copied, object);
          g_assert_cmpstr (copied->str, ==, copy_text);
          g_string_free (copied, TRUE);
        }
    }

  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    GString *out = g_string_new (NULL);

    teren_server_json_append_strings (out, NULL);
    teren_server_json_append_strings (out, names);
    g_ptr_array_add (names, (gpointer) "first_name");
    g_ptr_array_add (names, (gpointer) "a\"b");
    teren_server_json_append_strings (out, names);
    teren_server_json_append_string (out, NULL);
    g_assert_cmpstr (out->str, ==, "[][][\"first_name\",\"a\\\"b\"]null");
    g_string_free (out, TRUE);
  }
}

static void
test_now (void)
{
  int i;

  for (i = 0; i < 200; i++)
    {
      g_autofree char *before = teren_now_iso8601 ();
      g_autofree char *now = teren_server_now_iso8601 ();
      g_autofree char *after = teren_now_iso8601 ();
      guint j;

      /* the same shape as teren_now_iso8601: 2026-12-02T05:48:01.123456Z, between two of its times */
      g_assert_cmpuint (strlen (now), ==, strlen (before));
      for (j = 0; now[j] != '\0'; j++)
        g_assert_true (g_ascii_isdigit (now[j]) == g_ascii_isdigit (before[j]) &&
                       (g_ascii_isdigit (now[j]) || now[j] == before[j]));
      g_assert_cmpstr (before, <=, now);
      g_assert_cmpstr (now, <=, after);
    }
}

/* The fingerprint before it was written directly: the hash of json-glib's text of
 * teren_op_to_json. Stored fingerprints are compared with new ones across versions. */
static char *
reference_fingerprint (const TerenOp *op)
{
  g_autoptr(JsonNode) node = teren_op_to_json (op);
  g_autofree char *text = teren_json_to_string (node);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) text, strlen (text));
  return g_strdup (g_checksum_get_string (checksum));
}

static void
test_fingerprint (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int round;

  for (round = 0; round < 2000; round++)
    {
      g_autoptr(TerenOp) op = g_new0 (TerenOp, 1);
      g_autofree char *expected = NULL;
      g_autofree char *fingerprint = NULL;

      op->change_id = teren_uuid_new ();
      op->prev_change = g_rand_boolean (rand) ? teren_uuid_new () : NULL;
      op->record_id = teren_uuid_new ();
      op->kind = g_strdup (g_rand_boolean (rand) ? "person" : "social_case");
      op->line = g_rand_int_range (rand, 0, 3) == 0 ? NULL : g_strdup (g_rand_boolean (rand) ? "" : "child");
      op->op = (TerenOpType) g_rand_int_range (rand, 0, 3);
      op->base_rev = g_rand_int_range (rand, 0, 5) == 0 ? G_MAXINT64 : g_rand_int_range (rand, 0, 100);
      op->patch = g_rand_int_range (rand, 0, 10) == 0 ? NULL : random_json_object (rand, 0);
      op->author = g_rand_boolean (rand) ? random_json_text (rand) : NULL;
      op->device_time = g_rand_boolean (rand) ? g_strdup ("2026-12-02T05:00:00.123Z") : NULL;
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          op->resolves = g_new0 (char *, 3);
          op->resolves[0] = teren_uuid_new ();
          if (g_rand_boolean (rand))
            op->resolves[1] = teren_uuid_new ();
        }

      expected = reference_fingerprint (op);
      fingerprint = teren_server_op_fingerprint (op);
      g_assert_cmpstr (fingerprint, ==, expected);
      g_assert_false (g_hash_table_contains (seen, fingerprint));
      g_hash_table_add (seen, g_steal_pointer (&fingerprint));

      /* a large operation now and then (the per-thread text buffer is not kept that large) */
      if (round % 500 == 0)
        {
          g_autofree char *big = g_strnfill (100000 + round, 'x');
          g_autofree char *expected_big = NULL;
          g_autofree char *fingerprint_big = NULL;

          json_object_set_string_member (op->patch != NULL ? op->patch : (op->patch = json_object_new ()),
                                         "notes", big);
          expected_big = reference_fingerprint (op);
          fingerprint_big = teren_server_op_fingerprint (op);
          g_assert_cmpstr (fingerprint_big, ==, expected_big);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/unit/cursor", test_cursor);
  g_test_add_func ("/server/unit/nomenclature-csv", test_nomenclature_csv);
  g_test_add_func ("/server/unit/decide", test_decide);
  g_test_add_func ("/server/unit/offline-day", test_offline_day);
  g_test_add_func ("/server/unit/rate-limiter", test_rate_limiter);
  g_test_add_func ("/server/unit/names-and-tokens", test_names_and_tokens);
  g_test_add_func ("/server/unit/json-write", test_json_write);
  g_test_add_func ("/server/unit/fingerprint", test_fingerprint);
  g_test_add_func ("/server/unit/now", test_now);

  return g_test_run ();
}
