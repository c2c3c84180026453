/* teren-schema-kinds.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-schema-private.h"

/* The kinds of the shared registry and of every line. Keys are stable: other systems
 * and scripts rely on them (DESIGN.md "Records"); add fields, never rename them.
 *
 * Column order: key, type, label, flags, min, max, nomenclature, ref_kind, sensitivity,
 * help. */

#define REQ    TEREN_FIELD_FLAG_REQUIRED
#define NOFUT  TEREN_FIELD_FLAG_NO_FUTURE
#define SEARCH TEREN_FIELD_FLAG_SEARCH
#define NONE   TEREN_FIELD_FLAG_NONE

#define NORMAL   TEREN_SENSITIVITY_NORMAL
#define PERSONAL TEREN_SENSITIVITY_PERSONAL
#define SPECIAL  TEREN_SENSITIVITY_SPECIAL
/* Scans and photos of the paper (signed consent, certificates, court letters). */
#define ATTACHMENTS(s) { "attachments", TEREN_FIELD_ATTACHMENT, N_("Attachments"), NONE, 0, 0, NULL, NULL, s, NULL }

/* Names on Romanian ID documents are far shorter; 100 leaves room for compound names. */
#define PERSON_NAME_MAX 100

static const TerenFieldDef person_fields[] = {
  { "cnp", TEREN_FIELD_CNP, N_("CNP"), SEARCH, 0, 20, NULL, NULL, PERSONAL,
    N_("Personal numeric code, 13 digits") },
  { "cnp_status", TEREN_FIELD_CHOICE, N_("CNP status"), REQ, 0, 0, "cnp_status", NULL, NORMAL, NULL },
  { "last_name", TEREN_FIELD_TEXT, N_("Last name"), REQ | SEARCH, 0, PERSON_NAME_MAX, NULL, NULL, PERSONAL, NULL },
  { "first_name", TEREN_FIELD_TEXT, N_("First name"), REQ | SEARCH, 0, PERSON_NAME_MAX, NULL, NULL, PERSONAL, NULL },
  { "prior_name", TEREN_FIELD_TEXT, N_("Prior name"), SEARCH, 0, PERSON_NAME_MAX, NULL, NULL, PERSONAL,
    N_("Name before marriage or before a change of name") },
  { "birth_date", TEREN_FIELD_DATE, N_("Birth date"), NOFUT, 0, 0, NULL, NULL, PERSONAL, NULL },
  { "sex", TEREN_FIELD_CHOICE, N_("Sex"), REQ, 0, 0, "sex", NULL, PERSONAL, NULL },
  { "citizenship", TEREN_FIELD_TEXT, N_("Citizenship"), NONE, 0, PERSON_NAME_MAX, NULL, NULL, PERSONAL, NULL },
  { "ethnicity", TEREN_FIELD_CHOICE, N_("Ethnicity"), NONE, 0, 0, "ethnicity", NULL, SPECIAL,
    N_("Only if the person declares it") },
  { "civil_status", TEREN_FIELD_CHOICE, N_("Civil status"), NONE, 0, 0, "civil_status", NULL, PERSONAL, NULL },
  { "education", TEREN_FIELD_CHOICE, N_("Education"), NONE, 0, 0, "education", NULL, PERSONAL, NULL },
  { "occupation", TEREN_FIELD_CHOICE, N_("Occupation"), NONE, 0, 0, "occupation", NULL, PERSONAL, NULL },
  { "income_band", TEREN_FIELD_CHOICE, N_("Income band"), NONE, 0, 0, "income_band", NULL, PERSONAL, NULL },
  { "id_doc_type", TEREN_FIELD_CHOICE, N_("Identity document type"), NONE, 0, 0, "id_document_type", NULL, PERSONAL, NULL },
  { "id_doc_series", TEREN_FIELD_TEXT, N_("Document series"), NONE, 0, 10, NULL, NULL, PERSONAL, NULL },
  { "id_doc_number", TEREN_FIELD_TEXT, N_("Document number"), NONE, 0, 20, NULL, NULL, PERSONAL, NULL },
  { "id_doc_issued_by", TEREN_FIELD_TEXT, N_("Issued by"), NONE, 0, PERSON_NAME_MAX, NULL, NULL, PERSONAL, NULL },
  { "id_doc_issued_on", TEREN_FIELD_DATE, N_("Issued on"), NOFUT, 0, 0, NULL, NULL, PERSONAL, NULL },
  { "id_doc_valid_until", TEREN_FIELD_DATE, N_("Valid until"), NONE, 0, 0, NULL, NULL, PERSONAL, NULL },
  { "phone", TEREN_FIELD_PHONE, N_("Phone"), NONE, 0, 0, NULL, NULL, PERSONAL, NULL },
  { "email", TEREN_FIELD_TEXT, N_("Email"), NONE, 0, 254, NULL, NULL, PERSONAL, NULL },
  { "disability_degree", TEREN_FIELD_CHOICE, N_("Disability degree"), NONE, 0, 0, "disability_degree", NULL, SPECIAL, NULL },
  { "disability_type", TEREN_FIELD_MULTI_CHOICE, N_("Disability type"), NONE, 0, 0, "disability_type", NULL, SPECIAL, NULL },
  { "death_date", TEREN_FIELD_DATE, N_("Date of death"), NOFUT, 0, 0, NULL, NULL, PERSONAL, NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, PERSONAL, NULL },
};

static const TerenFieldDef household_fields[] = {
  { "label", TEREN_FIELD_TEXT, N_("Household name"), SEARCH, 0, 200, NULL, NULL, PERSONAL,
    N_("How the team refers to the household, e.g. the family name") },
  { "address", TEREN_FIELD_TEXT, N_("Address"), REQ | SEARCH, 0, 300, NULL, NULL, PERSONAL, NULL },
  { "siruta", TEREN_FIELD_INTEGER, N_("Locality (SIRUTA code)"), NONE, 1, 999999, NULL, NULL, NORMAL, NULL },
  { "street", TEREN_FIELD_TEXT, N_("Street"), SEARCH, 0, 150, NULL, NULL, PERSONAL, NULL },
  { "number", TEREN_FIELD_TEXT, N_("Number"), NONE, 0, 20, NULL, NULL, PERSONAL, NULL },
  { "block", TEREN_FIELD_TEXT, N_("Block"), NONE, 0, 20, NULL, NULL, PERSONAL, NULL },
  { "staircase", TEREN_FIELD_TEXT, N_("Staircase"), NONE, 0, 20, NULL, NULL, PERSONAL, NULL },
  { "floor", TEREN_FIELD_TEXT, N_("Floor"), NONE, 0, 20, NULL, NULL, PERSONAL, NULL },
  { "apartment", TEREN_FIELD_TEXT, N_("Apartment"), NONE, 0, 20, NULL, NULL, PERSONAL, NULL },
  { "postal_code", TEREN_FIELD_TEXT, N_("Postal code"), NONE, 0, 10, NULL, NULL, PERSONAL, NULL },
  { "environment", TEREN_FIELD_CHOICE, N_("Residence environment"), NONE, 0, 0, "environment", NULL, NORMAL, NULL },
  { "housing_notes", TEREN_FIELD_LONG_TEXT, N_("Housing conditions"), NONE, 0, 0, NULL, NULL, PERSONAL, NULL },
};

static const TerenFieldDef family_fields[] = {
  { "label", TEREN_FIELD_TEXT, N_("Family name"), SEARCH, 0, 200, NULL, NULL, PERSONAL, NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, PERSONAL, NULL },
};

static const TerenFieldDef household_member_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL, NULL },
  { "household", TEREN_FIELD_REFERENCE, N_("Household"), REQ, 0, 0, NULL, "household", NORMAL, NULL },
  { "relationship", TEREN_FIELD_CHOICE, N_("Relationship"), NONE, 0, 0, "relationship", NULL, PERSONAL,
    N_("Relationship to the head of household") },
  { "start_date", TEREN_FIELD_DATE, N_("Living here since"), NONE, 0, 0, NULL, NULL, NORMAL, NULL },
  { "end_date", TEREN_FIELD_DATE, N_("Left on"), NONE, 0, 0, NULL, NULL, NORMAL, NULL },
};

static const TerenFieldDef family_member_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL, NULL },
  { "family", TEREN_FIELD_REFERENCE, N_("Family"), REQ, 0, 0, NULL, "family", NORMAL, NULL },
  { "relationship", TEREN_FIELD_CHOICE, N_("Relationship"), NONE, 0, 0, "relationship", NULL, PERSONAL, NULL },
};

static const TerenFieldDef case_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Beneficiary"), REQ, 0, 0, NULL, "person", NORMAL, NULL },
  { "number", TEREN_FIELD_TEXT, N_("Case number"), SEARCH, 0, 50, NULL, NULL, NORMAL,
    N_("Registration number of the case file (dosar)") },
  { "opened_on", TEREN_FIELD_DATE, N_("Opened on"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL, NULL },
  { "closed_on", TEREN_FIELD_DATE, N_("Closed on"), NOFUT, 0, 0, NULL, NULL, NORMAL, NULL },
  { "status", TEREN_FIELD_CHOICE, N_("Status"), REQ, 0, 0, "case_status", NULL, NORMAL, NULL },
  { "case_manager", TEREN_FIELD_TEXT, N_("Case manager"), NONE, 0, PERSON_NAME_MAX, NULL, NULL, NORMAL, NULL },
  { "source", TEREN_FIELD_CHOICE, N_("Source"), NONE, 0, 0, "case_source", NULL, NORMAL, NULL },
  { "closure_reason", TEREN_FIELD_CHOICE, N_("Closure reason"), NONE, 0, 0, "case_closure_reason", NULL, NORMAL, NULL },
  { "service_code", TEREN_FIELD_TEXT, N_("Service code"), NONE, 0, 30, NULL, NULL, NORMAL,
    N_("Code of the licensed social service (HG 867/2015)") },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, PERSONAL, NULL },
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef visit_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), NONE, 0, 0, NULL, "person", NORMAL, NULL },
  { "case", TEREN_FIELD_REFERENCE, N_("Case"), NONE, 0, 0, NULL, "case", NORMAL, NULL },
  { "household", TEREN_FIELD_REFERENCE, N_("Household"), NONE, 0, 0, NULL, "household", NORMAL, NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ, 0, 0, NULL, NULL, NORMAL, NULL },
  { "start_time", TEREN_FIELD_TEXT, N_("Start time"), NONE, 0, 5, NULL, NULL, NORMAL, N_("HH:MM") },
  { "end_time", TEREN_FIELD_TEXT, N_("End time"), NONE, 0, 5, NULL, NULL, NORMAL, N_("HH:MM") },
  { "place", TEREN_FIELD_CHOICE, N_("Place"), NONE, 0, 0, "visit_place", NULL, NORMAL, NULL },
  { "status", TEREN_FIELD_CHOICE, N_("Status"), REQ, 0, 0, "visit_status", NULL, NORMAL, NULL },
  { "outside_hours", TEREN_FIELD_BOOLEAN, N_("Outside working hours"), NONE, 0, 0, NULL, NULL, NORMAL, NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, PERSONAL, NULL },
  ATTACHMENTS (PERSONAL),
};

#define FIELDS(array) array, G_N_ELEMENTS (array)

static const TerenKindDef kind_person = {
  "person", N_("Person"), TRUE, FALSE, NULL, FIELDS (person_fields)
};
static const TerenKindDef kind_household = {
  "household", N_("Household"), TRUE, FALSE, NULL, FIELDS (household_fields)
};
static const TerenKindDef kind_family = {
  "family", N_("Family"), TRUE, FALSE, NULL, FIELDS (family_fields)
};
static const TerenKindDef kind_household_member = {
  "household_member", N_("Household member"), TRUE, FALSE, NULL, FIELDS (household_member_fields)
};
static const TerenKindDef kind_family_member = {
  "family_member", N_("Family member"), TRUE, FALSE, NULL, FIELDS (family_member_fields)
};
static const TerenKindDef kind_case = {
  "case", N_("Case"), FALSE, TRUE, NULL, FIELDS (case_fields)
};
static const TerenKindDef kind_visit = {
  "visit", N_("Visit"), FALSE, TRUE, NULL, FIELDS (visit_fields)
};

const TerenKindDef * const teren_schema_kinds[] = {
  &kind_person,
  &kind_household,
  &kind_family,
  &kind_household_member,
  &kind_family_member,
  &kind_case,
  &kind_visit,
  NULL,
};

const guint teren_schema_n_kinds = G_N_ELEMENTS (teren_schema_kinds) - 1;
