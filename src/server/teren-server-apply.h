/* teren-server-apply.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-op.h"
#include "teren-server-backend.h"

G_BEGIN_DECLS

/* The decision for one pushed operation (SYNC.md "Push"), independent of the storage: a
 * backend loads the stored state of the record, asks for a decision, and writes it. */

typedef struct {
  gboolean    exists;
  char       *kind;
  char       *line;
  gint64      rev;
  gboolean    deleted;
  JsonObject *fields;              /* current fields */
  JsonObject *base_fields;         /* fields at the operation's base_rev ({} for 0) */
  GHashTable *server_changed;      /* field keys changed since base outside the chain */
  gboolean    deleted_since_base;  /* a delete since base outside the chain */
  gboolean    in_scope;            /* the account may see this record */
} TerenServerRecordState;

void teren_server_record_state_clear (TerenServerRecordState *state);

typedef enum {
  TEREN_SERVER_OUTCOME_REJECT,          /* nothing written */
  TEREN_SERVER_OUTCOME_UNCHANGED,       /* applied, no new revision (create of the same content) */
  TEREN_SERVER_OUTCOME_WRITE,           /* a new revision */
  TEREN_SERVER_OUTCOME_RECORD_CONFLICT, /* record unchanged, a conflict record is created */
} TerenServerOutcome;

typedef struct {
  TerenServerOutcome  outcome;
  const char         *status;           /* applied, merged, conflict, rejected */
  char               *code;             /* rejected */
  char               *message;          /* rejected, translated */
  GPtrArray          *field_errors;     /* TerenFieldError, rejected by validation */
  JsonObject         *fields;           /* WRITE: the new fields */
  gboolean            deleted;          /* WRITE: the new deleted flag */
  GPtrArray          *changed;          /* WRITE: char*, the field keys changed */
  GPtrArray          *conflicts;        /* TerenMergeConflict */
  const char         *conflict_reason;  /* "field", "edit_on_deleted", "delete_vs_edit" */
} TerenServerDecision;

void teren_server_decision_clear (TerenServerDecision *decision);

/* Checks what needs no stored state: kind, line, the account's right to the line,
 * normalises the patch in place. FALSE and @decision filled as rejected otherwise. */
gboolean teren_server_precheck_op (const TerenServerAccount *account,
                                   TerenOp                  *op,
                                   TerenServerDecision      *decision);

/* The decision for @op against @state (after a successful precheck). */
void     teren_server_decide      (const TerenServerAccount     *account,
                                   const TerenOp                *op,
                                   const TerenServerRecordState *state,
                                   TerenServerDecision          *decision);

/* Field keys of registry records that @fields reference (reference fields of @kind whose
 * target kind is a registry kind), as record ids. (transfer full) (element-type utf8) */
GPtrArray *teren_server_registry_references (const char *kind,
                                             JsonObject *fields);

/* Now in UTC as teren_now_iso8601 writes it ("%Y-%m-%dT%H:%M:%S.%fZ"), without a
 * GDateTime: the server time of every pushed operation. (transfer full) */
char      *teren_server_now_iso8601 (void);

/* A stable fingerprint of an operation (hex SHA-256 of its canonical JSON). */
char      *teren_server_op_fingerprint (const TerenOp *op);

G_END_DECLS
