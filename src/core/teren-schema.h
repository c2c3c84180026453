/* teren-schema.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-nomenclature.h"

G_BEGIN_DECLS

/* The schema registry: the one source of truth for every kind of record (DESIGN.md).
 * Client and server validate with it. Definitions are static tables. */

#define TEREN_SCHEMA_VERSION 1

typedef enum {
  TEREN_FIELD_TEXT,          /* one line, JSON string */
  TEREN_FIELD_LONG_TEXT,     /* several lines, JSON string */
  TEREN_FIELD_INTEGER,       /* JSON integer */
  TEREN_FIELD_DECIMAL,       /* JSON number */
  TEREN_FIELD_DATE,          /* JSON string "YYYY-MM-DD", a real date */
  TEREN_FIELD_BOOLEAN,       /* JSON true/false */
  TEREN_FIELD_CHOICE,        /* JSON string, a code of @nomenclature */
  TEREN_FIELD_MULTI_CHOICE,  /* JSON array of distinct codes of @nomenclature */
  TEREN_FIELD_CNP,           /* JSON string, 13 digits, validated per §C1 unless the
                              * record's cnp_status says otherwise */
  TEREN_FIELD_PHONE,         /* JSON string, digits, spaces, + ( ) - only, 6–20 digits */
  TEREN_FIELD_REFERENCE,     /* JSON string, the UUID of a record of @ref_kind */
  TEREN_FIELD_ATTACHMENT,    /* JSON array of {"blob":"sha256:<hex>","size","mime","name"}
                              * (teren-attachment.h); @max = most items (0: 50) */
} TerenFieldType;

typedef enum {
  TEREN_SENSITIVITY_NORMAL,
  TEREN_SENSITIVITY_PERSONAL,   /* identifies a person (name, CNP, address, phone) */
  TEREN_SENSITIVITY_SPECIAL,    /* GDPR art. 9: health, ethnicity, disability */
} TerenSensitivity;

typedef enum {
  TEREN_FIELD_FLAG_NONE     = 0,
  TEREN_FIELD_FLAG_REQUIRED = 1 << 0,
  TEREN_FIELD_FLAG_NO_FUTURE = 1 << 1,  /* dates: not after today */
  TEREN_FIELD_FLAG_SEARCH   = 1 << 2,   /* goes into the search index */
} TerenFieldFlags;

typedef struct {
  const char       *key;           /* stable key, e.g. "last_name" */
  TerenFieldType    type;
  const char       *label;         /* N_() English source string */
  TerenFieldFlags   flags;
  gint64            min;           /* integer/decimal lower bound, text min length */
  gint64            max;           /* integer/decimal upper bound, text max length in
                                    * characters; 0 = the type's default limit */
  const char       *nomenclature;  /* choice, multi-choice */
  const char       *ref_kind;      /* reference */
  TerenSensitivity  sensitivity;
  const char       *help;          /* N_() optional hint shown under the field, or NULL */
} TerenFieldDef;

typedef struct {
  const char          *name;       /* "person", "case", "child.social_inquiry" */
  const char          *label;      /* N_() */
  gboolean             registry;   /* person, household, family, household_member: line "" */
  gboolean             any_line;   /* "case": may carry any service line */
  const char          *line;       /* the line of line-specific kinds, else NULL */
  const TerenFieldDef *fields;
  guint                n_fields;
} TerenKindDef;

/* Default max lengths when TerenFieldDef.max is 0. */
#define TEREN_TEXT_MAX_CHARS      200
#define TEREN_LONG_TEXT_MAX_CHARS 20000

const TerenKindDef   *teren_schema_lookup_kind    (const char         *kind);
const TerenKindDef * const *teren_schema_list_kinds (guint            *n_kinds);
const TerenFieldDef  *teren_kind_lookup_field     (const TerenKindDef *kind,
                                                   const char         *key);
gboolean              teren_schema_is_registry_kind (const char       *kind);

/* Translated label of a field or kind. */
const char           *teren_field_get_label       (const TerenFieldDef *field);
const char           *teren_kind_get_label        (const TerenKindDef  *kind);

/* Whether @line is allowed for records of @kind ("" for registry kinds). */
gboolean              teren_kind_accepts_line     (const TerenKindDef *kind,
                                                   const char         *line);

/* One validation failure: which field, a stable code, a translated message. */
typedef struct {
  char *field;     /* key, or "" for the record as a whole */
  char *code;      /* "required", "too_long", "too_short", "bad_type", "unknown_field",
                    * "unknown_choice", "invalid_date", "future_date", "out_of_range",
                    * "control_chars", "invalid_utf8", "bad_reference", "bad_phone",
                    * "cnp_<teren_cnp_result_to_code()>", "cnp_sex_mismatch",
                    * "cnp_birth_date_mismatch", "bad_line", and also
                    * "cnp_not_expected" (a CNP although cnp_status is missing/refused),
                    * "cnp_non_standard" (non_standard code not 1–20 letters/digits),
                    * "invalid_time" ("*_time" text fields are "HH:MM"); the health lines'
                    * checks (teren-vitals.h) add "bad_icd10", "unknown_icd10", "bad_month",
                    * "bad_school_year", "too_many_hours", "exclusive_choice" and
                    * "not_applicable"; attachment fields add "bad_attachment" (not an
                    * object of blob/size/mime/name), "bad_blob_ref" (not "sha256:" and 64
                    * lower-case hex digits), "bad_mime" (not PDF, JPEG or PNG),
                    * "attachment_too_large" (size not 1 byte to 10 MiB), "bad_file_name",
                    * "duplicate_attachment", "too_many_attachments"; "out_of_range"
                    * also marks the later of two fields that must be in order
                    * (birth/death, start/end, opened/closed) */
  char *message;   /* translated, for the user */
} TerenFieldError;

void             teren_field_error_free (TerenFieldError *error);
TerenFieldError *teren_field_error_new  (const char *field,
                                         const char *code,
                                         const char *message);

typedef enum {
  TEREN_VALIDATE_PATCH    = 0,        /* only the fields present; null clears (not allowed
                                       * for required fields) */
  TEREN_VALIDATE_COMPLETE = 1 << 0,   /* a whole record: required fields must be there */
  TEREN_VALIDATE_LENIENT_UNKNOWN = 1 << 1, /* ignore unknown keys (newer schema) */
} TerenValidateFlags;

/**
 * teren_schema_validate:
 * @kind: the kind definition
 * @line: the record's line ("" for registry)
 * @fields: a patch or a whole record's fields
 * @flags: what to check
 * @today: (nullable): date for "not in the future" checks, %NULL = now
 * @errors: (out) (transfer full) (element-type TerenFieldError): every failure, in the
 *   schema's field order; an empty array when valid
 *
 * Checks types, lengths, control characters, nomenclature codes, real dates, dates not in
 * the future where flagged, CNP rules (a person's CNP is only checked when cnp_status is
 * "valid" or absent; a CNP's sex and birth date must agree with `sex` and `birth_date`
 * when those are present — as errors "cnp_sex_mismatch"/"cnp_birth_date_mismatch"),
 * reference syntax (UUID). Strings must already be normalised (teren_text_normalize).
 *
 * Returns: %TRUE if there was no failure
 */
gboolean teren_schema_validate (const TerenKindDef  *kind,
                                const char          *line,
                                JsonObject          *fields,
                                TerenValidateFlags   flags,
                                const GDate         *today,
                                GPtrArray          **errors);

/* Normalises every string value of @fields in place (teren_text_normalize, CNP without
 * spaces), so that what is stored is canonical. Unknown keys are left alone. */
void     teren_schema_normalize_fields (const TerenKindDef *kind,
                                        JsonObject         *fields);

/* The text that goes into the search index for a record of @kind: the folded values of
 * its TEREN_FIELD_FLAG_SEARCH fields joined by spaces. (transfer full) */
char    *teren_schema_search_text     (const TerenKindDef *kind,
                                       JsonObject         *fields);

/* A short human title for a record: "Ștefănescu Ana" for a person, the address for a
 * household, the number for a case… (transfer full). Never logged. */
char    *teren_schema_record_title    (const TerenKindDef *kind,
                                       JsonObject         *fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenFieldError, teren_field_error_free)

G_END_DECLS
