/* teren-server-apply.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <time.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "teren-json.h"
#include "teren-uuid.h"
#include "teren-merge.h"
#include "teren-schema.h"
#include "teren-server-apply.h"
#include "teren-server-json-write.h"

void
teren_server_record_state_clear (TerenServerRecordState *state)
{
  g_clear_pointer (&state->kind, g_free);
  g_clear_pointer (&state->line, g_free);
  g_clear_pointer (&state->fields, json_object_unref);
  g_clear_pointer (&state->base_fields, json_object_unref);
  g_clear_pointer (&state->server_changed, g_hash_table_unref);
  memset (state, 0, sizeof *state);
}

void
teren_server_decision_clear (TerenServerDecision *decision)
{
  g_clear_pointer (&decision->code, g_free);
  g_clear_pointer (&decision->message, g_free);
  g_clear_pointer (&decision->field_errors, g_ptr_array_unref);
  g_clear_pointer (&decision->fields, json_object_unref);
  g_clear_pointer (&decision->changed, g_ptr_array_unref);
  g_clear_pointer (&decision->conflicts, g_ptr_array_unref);
  memset (decision, 0, sizeof *decision);
}

static gboolean
reject (TerenServerDecision *decision,
        const char          *code,
        const char          *message,
        GPtrArray           *field_errors)
{
  decision->outcome = TEREN_SERVER_OUTCOME_REJECT;
  decision->status = "rejected";
  g_free (decision->code);
  decision->code = g_strdup (code);
  g_free (decision->message);
  decision->message = g_strdup (message);
  g_clear_pointer (&decision->field_errors, g_ptr_array_unref);
  if (field_errors != NULL)
    decision->field_errors = g_ptr_array_ref (field_errors);
  return FALSE;
}

gboolean
teren_server_precheck_op (const TerenServerAccount *account,
                          TerenOp                  *op,
                          TerenServerDecision      *decision)
{
  const TerenKindDef *kind;

  if (strcmp (op->kind, TEREN_CONFLICT_KIND) == 0)
    return reject (decision, "forbidden",
                   _("Conflict records are kept by the server; resolve a conflict by editing the record."),
                   NULL);

  kind = teren_schema_lookup_kind (op->kind);
  if (kind == NULL)
    return reject (decision, "unknown_kind", _("This kind of record is not known to the server."), NULL);

  if (!teren_kind_accepts_line (kind, op->line))
    return reject (decision, "bad_line", _("This kind of record cannot belong to this service line."), NULL);

  if (kind->registry)
    {
      if (account->lines == NULL || account->lines[0] == NULL)
        return reject (decision, "forbidden",
                       _("This account has no service line and cannot change the registry."), NULL);
    }
  else if (!teren_server_account_has_line (account, op->line) &&
           !(op->op == TEREN_OP_UPDATE && strcmp (op->kind, "referral") == 0))
    {
      /* (The receiving line answers a referral of another line: judged on the record's
       * scope in teren_server_decide.) */
      return reject (decision, "forbidden", _("This account does not work in this service line."), NULL);
    }

  if (op->op != TEREN_OP_DELETE)
    teren_schema_normalize_fields (kind, op->patch);

  return TRUE;
}

static GPtrArray *
changed_keys (const TerenKindDef *kind,
              JsonObject         *old_fields,
              JsonObject         *new_fields)
{
  g_autoptr(JsonObject) diff = teren_merge_diff (kind, old_fields, new_fields);

  return teren_merge_patch_keys (diff);
}

/* The day an operation is judged on. "Not in the future" gets a day of slack: the
 * laptop's today (Romania, UTC+2 or +3) is already tomorrow in UTC for the first hours of
 * every day. Rules about the past ("the plan's review date is in the past") are judged on
 * the day the worker made the change (its device_time), so that work typed offline is not
 * refused because it reached the server days later; never later than the slack day. */
static void
judgement_day (const TerenOp *op,
               GDate         *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) typed = NULL;

  g_date_clear (today, 1);
  g_date_set_dmy (today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  g_date_add_days (today, 1);

  if (op->device_time != NULL)
    typed = g_date_time_new_from_iso8601 (op->device_time, NULL);
  if (typed != NULL)
    {
      GDate day;

      g_date_clear (&day, 1);
      g_date_set_dmy (&day, g_date_time_get_day_of_month (typed), g_date_time_get_month (typed),
                      g_date_time_get_year (typed));
      if (g_date_valid (&day) && g_date_compare (&day, today) < 0)
        *today = day;
    }
}

static gboolean
validate (const TerenKindDef  *kind,
          const char          *line,
          JsonObject          *fields,
          TerenValidateFlags   flags,
          const TerenOp       *op,
          TerenServerDecision *decision)
{
  g_autoptr(GPtrArray) errors = NULL;
  GDate today;

  judgement_day (op, &today);

  if (teren_schema_validate (kind, line, fields, flags, &today, &errors))
    return TRUE;

  return reject (decision, "invalid", _("Some fields are not valid."), errors);
}

void
teren_server_decide (const TerenServerAccount     *account,
                     const TerenOp                *op,
                     const TerenServerRecordState *state,
                     TerenServerDecision          *decision)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (op->kind);
  const char *record_conflict;

  g_return_if_fail (kind != NULL);

  if (state->exists)
    {
      if (!state->in_scope)
        {
          if (op->op == TEREN_OP_CREATE)
            reject (decision, "id_taken", _("This record id is already used by another record."), NULL);
          else
            reject (decision, "forbidden", _("This account may not change this record."), NULL);
          return;
        }
      if (g_strcmp0 (state->kind, op->kind) != 0 || g_strcmp0 (state->line, op->line) != 0)
        {
          if (op->op == TEREN_OP_CREATE)
            reject (decision, "id_taken", _("This record id is already used by another record."), NULL);
          else
            reject (decision, "kind_mismatch",
                    _("The operation names another kind or service line than the stored record."), NULL);
          return;
        }
    }

  switch (op->op)
    {
    case TEREN_OP_CREATE:
      {
        g_autoptr(JsonObject) fields = json_object_new ();

        teren_merge_apply_patch (kind, fields, op->patch);
        if (state->exists)
          {
            g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), fields);
            g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), state->fields);

            if (!state->deleted && teren_json_equal (a, b))
              {
                decision->outcome = TEREN_SERVER_OUTCOME_UNCHANGED;
                decision->status = "applied";
              }
            else
              {
                reject (decision, "id_taken", _("This record id is already used by another record."), NULL);
              }
            return;
          }
        if (!validate (kind, op->line, fields, TEREN_VALIDATE_COMPLETE, op, decision))
          return;
        decision->outcome = TEREN_SERVER_OUTCOME_WRITE;
        decision->status = "applied";
        decision->changed = changed_keys (kind, NULL, fields);
        decision->fields = g_steal_pointer (&fields);
        decision->deleted = FALSE;
        return;
      }

    case TEREN_OP_UPDATE:
      {
        g_autoptr(JsonObject) merged = NULL;
        g_autoptr(GPtrArray) conflicts = NULL;
        TerenMergeStatus status;

        if (!state->exists)
          {
            reject (decision, "not_found", _("This record does not exist on the server."), NULL);
            return;
          }
        if (op->base_rev > state->rev)
          {
            reject (decision, "bad_base_rev", _("The operation is based on a revision the server never gave."), NULL);
            return;
          }
        if (!validate (kind, op->line, op->patch, TEREN_VALIDATE_PATCH, op, decision))
          return;

        if (state->deleted)
          {
            decision->outcome = TEREN_SERVER_OUTCOME_RECORD_CONFLICT;
            decision->status = "conflict";
            decision->conflict_reason = "edit_on_deleted";
            return;
          }

        status = teren_merge_patch (kind, state->base_fields, state->fields, state->server_changed,
                                    op->patch, &merged, &conflicts);
        if (!validate (kind, op->line, merged, TEREN_VALIDATE_COMPLETE, op, decision))
          return;

        decision->outcome = TEREN_SERVER_OUTCOME_WRITE;
        decision->status = teren_merge_status_to_string (status);
        decision->changed = changed_keys (kind, state->fields, merged);
        decision->fields = g_steal_pointer (&merged);
        decision->deleted = FALSE;
        if (status == TEREN_MERGE_CONFLICT)
          {
            decision->conflicts = g_steal_pointer (&conflicts);
            decision->conflict_reason = "field";
          }
        return;
      }

    case TEREN_OP_DELETE:
      if (!state->exists)
        {
          reject (decision, "not_found", _("This record does not exist on the server."), NULL);
          return;
        }
      if (op->base_rev > state->rev)
        {
          reject (decision, "bad_base_rev", _("The operation is based on a revision the server never gave."), NULL);
          return;
        }
      if (state->deleted)
        {
          decision->outcome = TEREN_SERVER_OUTCOME_UNCHANGED;
          decision->status = "applied";
          return;
        }
      record_conflict = teren_merge_record_conflict (TRUE, state->deleted_since_base, state->server_changed);
      if (record_conflict != NULL)
        {
          decision->outcome = TEREN_SERVER_OUTCOME_RECORD_CONFLICT;
          decision->status = "conflict";
          decision->conflict_reason = record_conflict;
          return;
        }
      decision->outcome = TEREN_SERVER_OUTCOME_WRITE;
      decision->status = "applied";
      decision->fields = teren_json_object_copy (state->fields);
      decision->deleted = TRUE;
      decision->changed = g_ptr_array_new_with_free_func (g_free);
      return;

    default:
      reject (decision, "invalid", _("Unknown operation."), NULL);
      return;
    }
}

GPtrArray *
teren_server_registry_references (const char *kind_name,
                                  JsonObject *fields)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (kind_name);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  guint i;

  if (kind == NULL || fields == NULL)
    return out;

  for (i = 0; i < kind->n_fields; i++)
    {
      const TerenFieldDef *field = &kind->fields[i];
      const char *value;

      if (field->type != TEREN_FIELD_REFERENCE || field->ref_kind == NULL ||
          !teren_schema_is_registry_kind (field->ref_kind))
        continue;
      value = teren_json_get_string (fields, field->key, NULL);
      if (value != NULL && value[0] != '\0')
        g_ptr_array_add (out, g_strdup (value));
    }
  return out;
}

char *
teren_server_now_iso8601 (void)
{
  gint64 now = g_get_real_time ();
  time_t seconds = (time_t) (now / G_USEC_PER_SEC);
  struct tm tm;

  if (now < 0 || gmtime_r (&seconds, &tm) == NULL || tm.tm_year + 1900 > 9999)
    return teren_now_iso8601 ();
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (now % G_USEC_PER_SEC));
}

static void
buffer_free (gpointer data)
{
  g_string_free (data, TRUE);
}

/* One text buffer per thread for the fingerprints (a malloc and free of each op's text
 * cost as much as writing it). */
static GPrivate fingerprint_buffer = G_PRIVATE_INIT (buffer_free);

/* The SHA-256 of the operation's JSON text as teren_json_to_string (teren_op_to_json (op))
 * writes it — the stored fingerprints of earlier pushes stay comparable — written straight
 * from the operation instead of through a copied tree and json-glib's generator. */
char *
teren_server_op_fingerprint (const TerenOp *op)
{
  GString *text = g_private_get (&fingerprint_buffer);
  guint8 hash[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  guint i;

  if (text == NULL)
    {
      text = g_string_sized_new (1024);
      g_private_set (&fingerprint_buffer, text);
    }
  g_string_truncate (text, 0);

  g_string_append_c (text, '{');
  teren_server_json_append_string_member (text, "change_id", op->change_id, FALSE);
  teren_server_json_append_string_member (text, "prev_change", op->prev_change, TRUE);
  teren_server_json_append_string_member (text, "record_id", op->record_id, TRUE);
  teren_server_json_append_string_member (text, "kind", op->kind, TRUE);
  teren_server_json_append_string_member (text, "line", op->line != NULL ? op->line : "", TRUE);
  teren_server_json_append_string_member (text, "op", teren_op_type_to_string (op->op), TRUE);
  teren_server_json_append_int_member (text, "base_rev", op->base_rev);
  g_string_append_c (text, ',');
  teren_server_json_append_name (text, "patch");
  if (op->patch != NULL)
    teren_server_json_append_object_copied (text, op->patch);
  else
    g_string_append (text, "{}");
  teren_server_json_append_string_member (text, "author", op->author, TRUE);
  teren_server_json_append_string_member (text, "device_time", op->device_time, TRUE);
  if (op->resolves != NULL)
    {
      g_string_append_c (text, ',');
      teren_server_json_append_name (text, "resolves");
      g_string_append_c (text, '[');
      for (i = 0; op->resolves[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (text, ',');
          teren_server_json_append_string (text, op->resolves[i]);
        }
      g_string_append_c (text, ']');
    }
  g_string_append_c (text, '}');

  crypto_hash_sha256 (hash, (const guint8 *) text->str, text->len);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  /* (a buffer grown by a large operation is not kept) */
  if (text->allocated_len > 64 * 1024)
    g_private_replace (&fingerprint_buffer, g_string_sized_new (1024));
  return g_strdup (hex);
}
