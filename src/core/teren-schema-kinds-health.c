/* teren-schema-kinds-health.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-schema-private.h"

/* Kinds of the medical and care lines: community medical assistance, school medical cabinets, disability and personal assistants (DOMAIN.md §6–8).
 *
 * Keys are stable (add fields, never rename them). Health answers are
 * TEREN_SENSITIVITY_SPECIAL: never in logs, notifications or on the lock screen.
 * The catagrafie's cat_* keys are the platform's vulnerability categories (DOMAIN.md §7)
 * and hold its official codes; a disability or disease of a catagrafie is its own record
 * referencing it, and a new catagrafie references the one it updates (history kept).
 * Cross-field rules (pregnancy answers, blood pressure, timesheet hours, certificate
 * validity, ICD-10 codes…) are in teren-vitals.c (teren_health_check_cross_fields).
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

#define FIELDS(array) array, G_N_ELEMENTS (array)
/* Scans and photos of the paper (signed consent, certificates, court letters). */
#define ATTACHMENTS(s) { "attachments", TEREN_FIELD_ATTACHMENT, N_("Attachments"), NONE, 0, 0, NULL, NULL, s, NULL }

static const TerenFieldDef community_health_beneficiary_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Beneficiary"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "type", TEREN_FIELD_CHOICE, N_("Beneficiary type"), REQ, 0, 0, "amc_beneficiary_type", NULL, NORMAL,
    NULL },
  { "status", TEREN_FIELD_CHOICE, N_("Beneficiary status"), REQ, 0, 0, "amc_beneficiary_status", NULL, NORMAL,
    NULL },
  { "registered_on", TEREN_FIELD_DATE, N_("Registered on"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "integrated", TEREN_FIELD_BOOLEAN, N_("Served by the integrated community team"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "household", TEREN_FIELD_REFERENCE, N_("Household"), NONE, 0, 0, NULL, "household", NORMAL,
    NULL },
  { "family", TEREN_FIELD_REFERENCE, N_("Family"), NONE, 0, 0, NULL, "family", NORMAL,
    NULL },
  { "nurse", TEREN_FIELD_TEXT, N_("Community nurse"), NONE, 0, 100, NULL, NULL, NORMAL,
    NULL },
  { "work_status", TEREN_FIELD_CHOICE, N_("Works"), NONE, 0, 0, "amc_work_status", NULL, PERSONAL,
    NULL },
  { "status_changed_on", TEREN_FIELD_DATE, N_("Status changed on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "inactivation_reason", TEREN_FIELD_CHOICE, N_("Inactivation reason"), NONE, 0, 0, "amc_inactivation_reason", NULL, NORMAL,
    N_("Required when the beneficiary is inactive") },
  { "removal_reason", TEREN_FIELD_CHOICE, N_("Removal reason"), NONE, 0, 0, "removal_reason", NULL, NORMAL,
    N_("Required when the beneficiary is removed from the register") },
  { "status_notes", TEREN_FIELD_LONG_TEXT, N_("Status justification"), NONE, 0, 0, NULL, NULL, PERSONAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, PERSONAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_community_health_beneficiary = {
  "community_health.beneficiary", N_("Community health beneficiary"), FALSE, FALSE, "community_health", FIELDS (community_health_beneficiary_fields)
};

static const TerenFieldDef community_health_catagrafie_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "evaluation_date", TEREN_FIELD_DATE, N_("Assessment date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "previous", TEREN_FIELD_REFERENCE, N_("Previous catagrafie"), NONE, 0, 0, NULL, "community_health.catagrafie", NORMAL,
    N_("The catagrafie this one updates; its answers are the starting point") },
  { "version", TEREN_FIELD_INTEGER, N_("Version"), NONE, 1, 1000, NULL, NULL, NORMAL,
    NULL },
  { "is_social_case", TEREN_FIELD_BOOLEAN, N_("Social case"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "cat_age", TEREN_FIELD_CHOICE, N_("Age category"), NONE, 0, 0, "amc_age", NULL, PERSONAL,
    N_("Derived from the birth date on the assessment date") },
  { "cat_id", TEREN_FIELD_CHOICE, N_("Identity document"), NONE, 0, 0, "amc_id", NULL, PERSONAL,
    NULL },
  { "cat_inc", TEREN_FIELD_CHOICE, N_("Income source"), NONE, 0, 0, "amc_inc", NULL, PERSONAL,
    NULL },
  { "cat_pov", TEREN_FIELD_CHOICE, N_("Poverty level"), NONE, 0, 0, "amc_pov", NULL, PERSONAL,
    NULL },
  { "cat_liv", TEREN_FIELD_MULTI_CHOICE, N_("Housing conditions"), NONE, 0, 0, "amc_liv", NULL, PERSONAL,
    NULL },
  { "cat_fam", TEREN_FIELD_MULTI_CHOICE, N_("Family situation"), NONE, 0, 0, "amc_fam", NULL, PERSONAL,
    NULL },
  { "cat_edu", TEREN_FIELD_CHOICE, N_("Educational situation"), NONE, 0, 0, "amc_edu", NULL, PERSONAL,
    NULL },
  { "cat_vif", TEREN_FIELD_MULTI_CHOICE, N_("Violence in the family"), NONE, 0, 0, "amc_vif", NULL, SPECIAL,
    NULL },
  { "cat_as", TEREN_FIELD_CHOICE, N_("Health insurance"), NONE, 0, 0, "amc_as", NULL, SPECIAL,
    NULL },
  { "cat_mf", TEREN_FIELD_CHOICE, N_("Family doctor"), NONE, 0, 0, "amc_mf", NULL, SPECIAL,
    NULL },
  { "has_disabilities", TEREN_FIELD_BOOLEAN, N_("Has disabilities"), NONE, 0, 0, NULL, NULL, SPECIAL,
    N_("Each disability is recorded in its own sub-form") },
  { "cat_cr", TEREN_FIELD_MULTI_CHOICE, N_("Risk behaviour"), NONE, 0, 0, "amc_cr", NULL, SPECIAL,
    NULL },
  { "cat_ns", TEREN_FIELD_MULTI_CHOICE, N_("Health needs"), NONE, 0, 0, "amc_ns", NULL, SPECIAL,
    NULL },
  { "cat_ssa", TEREN_FIELD_MULTI_CHOICE, N_("Child health risks"), NONE, 0, 0, "amc_ssa", NULL, SPECIAL,
    NULL },
  { "has_health_issues", TEREN_FIELD_BOOLEAN, N_("Has health problems"), NONE, 0, 0, NULL, NULL, SPECIAL,
    N_("Each disease is recorded in its own sub-form") },
  { "cat_rep", TEREN_FIELD_CHOICE, N_("Reproductive health"), NONE, 0, 0, "amc_rep", NULL, SPECIAL,
    NULL },
  { "cat_preg", TEREN_FIELD_MULTI_CHOICE, N_("Pregnancy"), NONE, 0, 0, "amc_preg", NULL, SPECIAL,
    N_("Only for a pregnant woman") },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_community_health_catagrafie = {
  "community_health.catagrafie", N_("Catagrafie"), FALSE, FALSE, "community_health", FIELDS (community_health_catagrafie_fields)
};

static const TerenFieldDef community_health_disability_fields[] = {
  { "catagrafie", TEREN_FIELD_REFERENCE, N_("Catagrafie"), REQ, 0, 0, NULL, "community_health.catagrafie", NORMAL,
    NULL },
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "type", TEREN_FIELD_CHOICE, N_("Disability type"), REQ, 0, 0, "amc_disability_type", NULL, SPECIAL,
    NULL },
  { "degree", TEREN_FIELD_CHOICE, N_("Disability degree"), NONE, 0, 0, "amc_disability_degree", NULL, SPECIAL,
    NULL },
  { "diagnosis", TEREN_FIELD_TEXT, N_("Diagnosis (ICD-10)"), NONE, 0, 10, NULL, NULL, SPECIAL,
    N_("ICD-10 code, e.g. E11.9") },
  { "has_certificate", TEREN_FIELD_BOOLEAN, N_("Has a disability certificate"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "receives_pension", TEREN_FIELD_BOOLEAN, N_("Receives a disability pension"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "onset_year", TEREN_FIELD_INTEGER, N_("Onset year"), NONE, 1900, 2100, NULL, NULL, SPECIAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
};

static const TerenKindDef kind_community_health_disability = {
  "community_health.disability", N_("Disability (catagrafie)"), FALSE, FALSE, "community_health", FIELDS (community_health_disability_fields)
};

static const TerenFieldDef community_health_disease_fields[] = {
  { "catagrafie", TEREN_FIELD_REFERENCE, N_("Catagrafie"), REQ, 0, 0, NULL, "community_health.catagrafie", NORMAL,
    NULL },
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "type", TEREN_FIELD_CHOICE, N_("Health state"), REQ, 0, 0, "amc_disease_type", NULL, SPECIAL,
    NULL },
  { "category", TEREN_FIELD_CHOICE, N_("Disease or disease group"), NONE, 0, 0, "amc_disease_group", NULL, SPECIAL,
    NULL },
  { "diagnosis", TEREN_FIELD_TEXT, N_("Diagnosis (ICD-10)"), NONE, 0, 10, NULL, NULL, SPECIAL,
    N_("ICD-10 code, e.g. E11.9") },
  { "orpha_code", TEREN_FIELD_TEXT, N_("ORPHA code"), NONE, 0, 20, NULL, NULL, SPECIAL,
    N_("For a rare disease") },
  { "onset_year", TEREN_FIELD_INTEGER, N_("Onset year"), NONE, 1900, 2100, NULL, NULL, SPECIAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
};

static const TerenKindDef kind_community_health_disease = {
  "community_health.disease", N_("Disease (catagrafie)"), FALSE, FALSE, "community_health", FIELDS (community_health_disease_fields)
};

static const TerenFieldDef community_health_intervention_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Beneficiary"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "service", TEREN_FIELD_CHOICE, N_("Service"), REQ, 0, 0, "amc_service", NULL, SPECIAL,
    NULL },
  { "status", TEREN_FIELD_CHOICE, N_("Status"), REQ, 0, 0, "visit_status", NULL, NORMAL,
    NULL },
  { "vulnerability", TEREN_FIELD_CHOICE, N_("Addressed vulnerability"), NONE, 0, 0, "amc_vulnerability", NULL, SPECIAL,
    NULL },
  { "outside_hours", TEREN_FIELD_BOOLEAN, N_("Outside working hours"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "integrated", TEREN_FIELD_BOOLEAN, N_("Integrated service"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "case_management", TEREN_FIELD_REFERENCE, N_("Case management"), NONE, 0, 0, NULL, "community_health.case_management", NORMAL,
    NULL },
  { "appointment", TEREN_FIELD_REFERENCE, N_("Appointment"), NONE, 0, 0, NULL, "community_health.appointment", NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_community_health_intervention = {
  "community_health.intervention", N_("Individual service"), FALSE, FALSE, "community_health", FIELDS (community_health_intervention_fields)
};

static const TerenFieldDef community_health_case_management_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Beneficiary"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "name", TEREN_FIELD_TEXT, N_("Case name"), REQ | SEARCH, 0, 200, NULL, NULL, SPECIAL,
    NULL },
  { "initiator", TEREN_FIELD_CHOICE, N_("Initiated by"), REQ, 0, 0, "amc_case_initiator", NULL, NORMAL,
    NULL },
  { "vulnerabilities", TEREN_FIELD_MULTI_CHOICE, N_("Addressed vulnerabilities"), NONE, 0, 0, "amc_vulnerability", NULL, SPECIAL,
    NULL },
  { "status", TEREN_FIELD_CHOICE, N_("Status"), REQ, 0, 0, "amc_case_status", NULL, NORMAL,
    NULL },
  { "opened_on", TEREN_FIELD_DATE, N_("Opened on"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "closed_on", TEREN_FIELD_DATE, N_("Closed on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "integrated", TEREN_FIELD_BOOLEAN, N_("Integrated case"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "recommendations", TEREN_FIELD_LONG_TEXT, N_("Recommendations"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_community_health_case_management = {
  "community_health.case_management", N_("Case management"), FALSE, FALSE, "community_health", FIELDS (community_health_case_management_fields)
};

static const TerenFieldDef community_health_occasional_intervention_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Beneficiary"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "reason", TEREN_FIELD_TEXT, N_("Reason"), REQ, 0, 200, NULL, NULL, SPECIAL,
    NULL },
  { "services", TEREN_FIELD_MULTI_CHOICE, N_("Services"), NONE, 0, 0, "amc_service", NULL, SPECIAL,
    NULL },
  { "outside_hours", TEREN_FIELD_BOOLEAN, N_("Outside working hours"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
};

static const TerenKindDef kind_community_health_occasional_intervention = {
  "community_health.occasional_intervention", N_("Occasional intervention"), FALSE, FALSE, "community_health", FIELDS (community_health_occasional_intervention_fields)
};

static const TerenFieldDef community_health_appointment_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Beneficiary"), NONE, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "household", TEREN_FIELD_REFERENCE, N_("Household"), NONE, 0, 0, NULL, "household", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "start_time", TEREN_FIELD_TEXT, N_("Start time"), NONE, 0, 5, NULL, NULL, NORMAL,
    N_("HH:MM") },
  { "end_time", TEREN_FIELD_TEXT, N_("End time"), NONE, 0, 5, NULL, NULL, NORMAL,
    N_("HH:MM") },
  { "type", TEREN_FIELD_CHOICE, N_("Appointment type"), NONE, 0, 0, "amc_appointment_type", NULL, NORMAL,
    NULL },
  { "location", TEREN_FIELD_TEXT, N_("Location"), NONE, 0, 200, NULL, NULL, PERSONAL,
    NULL },
  { "attendant", TEREN_FIELD_TEXT, N_("Attended by"), NONE, 0, 100, NULL, NULL, PERSONAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, PERSONAL,
    NULL },
};

static const TerenKindDef kind_community_health_appointment = {
  "community_health.appointment", N_("Appointment"), FALSE, FALSE, "community_health", FIELDS (community_health_appointment_fields)
};

static const TerenFieldDef community_health_community_activity_fields[] = {
  { "type", TEREN_FIELD_CHOICE, N_("Community activity type"), REQ, 0, 0, "amc_activity_type", NULL, NORMAL,
    NULL },
  { "campaign", TEREN_FIELD_CHOICE, N_("Campaign type"), NONE, 0, 0, "amc_campaign", NULL, NORMAL,
    NULL },
  { "administrative", TEREN_FIELD_CHOICE, N_("Administrative activity"), NONE, 0, 0, "amc_admin_activity", NULL, NORMAL,
    NULL },
  { "name", TEREN_FIELD_TEXT, N_("Activity name"), REQ | SEARCH, 0, 200, NULL, NULL, NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "end_date", TEREN_FIELD_DATE, N_("End date"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "location", TEREN_FIELD_TEXT, N_("Location"), NONE, 0, 200, NULL, NULL, NORMAL,
    NULL },
  { "organizer", TEREN_FIELD_TEXT, N_("Organised by"), NONE, 0, 200, NULL, NULL, NORMAL,
    NULL },
  { "outside_hours", TEREN_FIELD_BOOLEAN, N_("Outside working hours"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "participants", TEREN_FIELD_INTEGER, N_("Participants"), NONE, 0, 100000, NULL, NULL, NORMAL,
    NULL },
  { "roma_participants", TEREN_FIELD_INTEGER, N_("Roma participants"), NONE, 0, 100000, NULL, NULL, SPECIAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
};

static const TerenKindDef kind_community_health_community_activity = {
  "community_health.community_activity", N_("Community activity"), FALSE, FALSE, "community_health", FIELDS (community_health_community_activity_fields)
};

static const TerenFieldDef community_health_vital_signs_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "reading_time", TEREN_FIELD_TEXT, N_("Time"), NONE, 0, 5, NULL, NULL, NORMAL,
    N_("HH:MM") },
  { "appointment", TEREN_FIELD_REFERENCE, N_("Appointment"), NONE, 0, 0, NULL, "community_health.appointment", NORMAL,
    NULL },
  { "systolic", TEREN_FIELD_INTEGER, N_("Systolic blood pressure (mmHg)"), NONE, 50, 300, NULL, NULL, SPECIAL,
    NULL },
  { "diastolic", TEREN_FIELD_INTEGER, N_("Diastolic blood pressure (mmHg)"), NONE, 30, 200, NULL, NULL, SPECIAL,
    NULL },
  { "glucose", TEREN_FIELD_INTEGER, N_("Blood glucose (mg/dL)"), NONE, 20, 800, NULL, NULL, SPECIAL,
    NULL },
  { "weight", TEREN_FIELD_DECIMAL, N_("Weight (kg)"), NONE, 1, 350, NULL, NULL, SPECIAL,
    NULL },
  { "height", TEREN_FIELD_DECIMAL, N_("Height (cm)"), NONE, 30, 250, NULL, NULL, SPECIAL,
    NULL },
  { "pulse", TEREN_FIELD_INTEGER, N_("Pulse (beats per minute)"), NONE, 20, 250, NULL, NULL, SPECIAL,
    NULL },
  { "saturation", TEREN_FIELD_INTEGER, N_("Oxygen saturation (%)"), NONE, 50, 100, NULL, NULL, SPECIAL,
    NULL },
  { "temperature", TEREN_FIELD_DECIMAL, N_("Temperature (°C)"), NONE, 30, 45, NULL, NULL, SPECIAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
};

static const TerenKindDef kind_community_health_vital_signs = {
  "community_health.vital_signs", N_("Vital signs"), FALSE, FALSE, "community_health", FIELDS (community_health_vital_signs_fields)
};

static const TerenFieldDef school_health_school_fields[] = {
  { "name", TEREN_FIELD_TEXT, N_("School name"), REQ | SEARCH, 0, 200, NULL, NULL, NORMAL,
    NULL },
  { "siiir_code", TEREN_FIELD_TEXT, N_("SIIIR code"), SEARCH, 0, 10, NULL, NULL, NORMAL,
    N_("The unit's 10-digit code in SIIIR") },
  { "address", TEREN_FIELD_TEXT, N_("Address"), NONE, 0, 300, NULL, NULL, NORMAL,
    NULL },
  { "siruta", TEREN_FIELD_INTEGER, N_("Locality (SIRUTA code)"), NONE, 1, 999999, NULL, NULL, NORMAL,
    NULL },
  { "phone", TEREN_FIELD_PHONE, N_("Phone"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "head_teacher", TEREN_FIELD_TEXT, N_("Head teacher"), NONE, 0, 100, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
};

static const TerenKindDef kind_school_health_school = {
  "school_health.school", N_("School unit"), FALSE, FALSE, "school_health", FIELDS (school_health_school_fields)
};

static const TerenFieldDef school_health_class_fields[] = {
  { "school", TEREN_FIELD_REFERENCE, N_("School unit"), REQ, 0, 0, NULL, "school_health.school", NORMAL,
    NULL },
  { "name", TEREN_FIELD_TEXT, N_("Class name"), REQ | SEARCH, 0, 50, NULL, NULL, NORMAL,
    N_("E.g. V B") },
  { "grade", TEREN_FIELD_CHOICE, N_("Grade or group"), NONE, 0, 0, "school_grade", NULL, NORMAL,
    NULL },
  { "school_year", TEREN_FIELD_TEXT, N_("School year"), REQ, 0, 9, NULL, NULL, NORMAL,
    N_("E.g. 2026-2027") },
  { "teacher", TEREN_FIELD_TEXT, N_("Form teacher"), NONE, 0, 100, NULL, NULL, PERSONAL,
    NULL },
};

static const TerenKindDef kind_school_health_class = {
  "school_health.class", N_("Class or group"), FALSE, FALSE, "school_health", FIELDS (school_health_class_fields)
};

static const TerenFieldDef school_health_pupil_record_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Pupil"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "school", TEREN_FIELD_REFERENCE, N_("School unit"), NONE, 0, 0, NULL, "school_health.school", NORMAL,
    NULL },
  { "class", TEREN_FIELD_REFERENCE, N_("Class or group"), NONE, 0, 0, NULL, "school_health.class", NORMAL,
    NULL },
  { "allergies", TEREN_FIELD_LONG_TEXT, N_("Allergies"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "chronic_conditions", TEREN_FIELD_LONG_TEXT, N_("Chronic conditions followed up"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "chronic_diagnoses", TEREN_FIELD_TEXT, N_("Chronic diagnoses (ICD-10)"), NONE, 0, 100, NULL, NULL, SPECIAL,
    N_("ICD-10 codes separated by commas") },
  { "family_doctor", TEREN_FIELD_TEXT, N_("Family doctor"), NONE, 0, 100, NULL, NULL, PERSONAL,
    NULL },
  { "family_doctor_phone", TEREN_FIELD_PHONE, N_("Family doctor's phone"), NONE, 0, 0, NULL, NULL, PERSONAL,
    NULL },
  { "emergency_contact", TEREN_FIELD_TEXT, N_("Emergency contact"), NONE, 0, 100, NULL, NULL, PERSONAL,
    NULL },
  { "emergency_phone", TEREN_FIELD_PHONE, N_("Emergency phone"), NONE, 0, 0, NULL, NULL, PERSONAL,
    NULL },
  { "emergency_contact_2", TEREN_FIELD_TEXT, N_("Second emergency contact"), NONE, 0, 100, NULL, NULL, PERSONAL,
    NULL },
  { "emergency_phone_2", TEREN_FIELD_PHONE, N_("Second emergency phone"), NONE, 0, 0, NULL, NULL, PERSONAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_school_health_pupil_record = {
  "school_health.pupil_record", N_("Pupil medical record"), FALSE, FALSE, "school_health", FIELDS (school_health_pupil_record_fields)
};

static const TerenFieldDef school_health_consultation_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Pupil"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "visit_time", TEREN_FIELD_TEXT, N_("Time"), NONE, 0, 5, NULL, NULL, NORMAL,
    N_("HH:MM") },
  { "complaint", TEREN_FIELD_LONG_TEXT, N_("Complaint"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "findings", TEREN_FIELD_LONG_TEXT, N_("Findings"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "diagnosis", TEREN_FIELD_TEXT, N_("Diagnosis (ICD-10)"), NONE, 0, 10, NULL, NULL, SPECIAL,
    N_("ICD-10 code, e.g. E11.9") },
  { "treatment", TEREN_FIELD_LONG_TEXT, N_("Treatment given"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "referral", TEREN_FIELD_CHOICE, N_("Referral"), NONE, 0, 0, "school_referral", NULL, NORMAL,
    NULL },
  { "parent_notified", TEREN_FIELD_BOOLEAN, N_("Parent notified"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_school_health_consultation = {
  "school_health.consultation", N_("Consultation"), FALSE, FALSE, "school_health", FIELDS (school_health_consultation_fields)
};

static const TerenFieldDef school_health_screening_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Pupil"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "grade", TEREN_FIELD_CHOICE, N_("Grade or group"), NONE, 0, 0, "school_grade", NULL, NORMAL,
    NULL },
  { "height", TEREN_FIELD_DECIMAL, N_("Height (cm)"), NONE, 30, 250, NULL, NULL, SPECIAL,
    NULL },
  { "weight", TEREN_FIELD_DECIMAL, N_("Weight (kg)"), NONE, 1, 350, NULL, NULL, SPECIAL,
    NULL },
  { "bmi", TEREN_FIELD_DECIMAL, N_("Body mass index"), NONE, 5, 100, NULL, NULL, SPECIAL,
    N_("Worked out from height and weight") },
  { "bmi_class", TEREN_FIELD_CHOICE, N_("BMI-for-age class"), NONE, 0, 0, "bmi_for_age_class", NULL, SPECIAL,
    N_("Only when the WHO reference table has been imported") },
  { "systolic", TEREN_FIELD_INTEGER, N_("Systolic blood pressure (mmHg)"), NONE, 50, 300, NULL, NULL, SPECIAL,
    NULL },
  { "diastolic", TEREN_FIELD_INTEGER, N_("Diastolic blood pressure (mmHg)"), NONE, 30, 200, NULL, NULL, SPECIAL,
    NULL },
  { "vision", TEREN_FIELD_CHOICE, N_("Vision"), NONE, 0, 0, "screening_result", NULL, SPECIAL,
    NULL },
  { "hearing", TEREN_FIELD_CHOICE, N_("Hearing"), NONE, 0, 0, "screening_result", NULL, SPECIAL,
    NULL },
  { "dental", TEREN_FIELD_CHOICE, N_("Teeth"), NONE, 0, 0, "screening_result", NULL, SPECIAL,
    NULL },
  { "spine", TEREN_FIELD_CHOICE, N_("Spine"), NONE, 0, 0, "screening_result", NULL, SPECIAL,
    NULL },
  { "development", TEREN_FIELD_CHOICE, N_("Psychomotor development"), NONE, 0, 0, "screening_result", NULL, SPECIAL,
    NULL },
  { "fitness", TEREN_FIELD_CHOICE, N_("Fitness"), REQ, 0, 0, "school_fitness", NULL, SPECIAL,
    NULL },
  { "follow_up", TEREN_FIELD_BOOLEAN, N_("Follow-up needed"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "follow_up_due", TEREN_FIELD_DATE, N_("Follow-up due on"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "follow_up_done_on", TEREN_FIELD_DATE, N_("Follow-up done on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "findings", TEREN_FIELD_LONG_TEXT, N_("Findings"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
};

static const TerenKindDef kind_school_health_screening = {
  "school_health.screening", N_("Screening exam"), FALSE, FALSE, "school_health", FIELDS (school_health_screening_fields)
};

static const TerenFieldDef school_health_triage_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Pupil"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "class", TEREN_FIELD_REFERENCE, N_("Class or group"), NONE, 0, 0, NULL, "school_health.class", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "findings", TEREN_FIELD_MULTI_CHOICE, N_("Findings"), REQ, 0, 0, "triage_finding", NULL, SPECIAL,
    NULL },
  { "excluded", TEREN_FIELD_BOOLEAN, N_("Excluded from the collectivity"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "readmitted_on", TEREN_FIELD_DATE, N_("Readmitted on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "readmission_certificate", TEREN_FIELD_BOOLEAN, N_("Medical certificate for readmission"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
};

static const TerenKindDef kind_school_health_triage = {
  "school_health.triage", N_("Epidemiological triage"), FALSE, FALSE, "school_health", FIELDS (school_health_triage_fields)
};

static const TerenFieldDef school_health_vaccination_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "vaccine", TEREN_FIELD_CHOICE, N_("Vaccine"), REQ, 0, 0, "vaccine", NULL, SPECIAL,
    NULL },
  { "dose", TEREN_FIELD_INTEGER, N_("Dose number"), NONE, 1, 10, NULL, NULL, SPECIAL,
    NULL },
  { "lot", TEREN_FIELD_TEXT, N_("Lot number"), NONE, 0, 50, NULL, NULL, NORMAL,
    NULL },
  { "campaign", TEREN_FIELD_REFERENCE, N_("Vaccination campaign"), NONE, 0, 0, NULL, "school_health.vaccination_campaign", NORMAL,
    NULL },
  { "administered_by", TEREN_FIELD_TEXT, N_("Administered by"), NONE, 0, 100, NULL, NULL, NORMAL,
    NULL },
  { "reaction", TEREN_FIELD_LONG_TEXT, N_("Adverse reaction"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
};

static const TerenKindDef kind_school_health_vaccination = {
  "school_health.vaccination", N_("Vaccination"), FALSE, FALSE, "school_health", FIELDS (school_health_vaccination_fields)
};

static const TerenFieldDef school_health_vaccination_campaign_fields[] = {
  { "name", TEREN_FIELD_TEXT, N_("Campaign name"), REQ | SEARCH, 0, 200, NULL, NULL, NORMAL,
    NULL },
  { "vaccine", TEREN_FIELD_CHOICE, N_("Vaccine"), REQ, 0, 0, "vaccine", NULL, NORMAL,
    NULL },
  { "school", TEREN_FIELD_REFERENCE, N_("School unit"), NONE, 0, 0, NULL, "school_health.school", NORMAL,
    NULL },
  { "start_date", TEREN_FIELD_DATE, N_("Start date"), REQ, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "end_date", TEREN_FIELD_DATE, N_("End date"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "pupils_targeted", TEREN_FIELD_INTEGER, N_("Pupils targeted"), NONE, 0, 100000, NULL, NULL, NORMAL,
    NULL },
  { "pupils_vaccinated", TEREN_FIELD_INTEGER, N_("Pupils vaccinated"), NONE, 0, 100000, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
};

static const TerenKindDef kind_school_health_vaccination_campaign = {
  "school_health.vaccination_campaign", N_("Vaccination campaign"), FALSE, FALSE, "school_health", FIELDS (school_health_vaccination_campaign_fields)
};

static const TerenFieldDef school_health_health_education_fields[] = {
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "topic", TEREN_FIELD_TEXT, N_("Topic"), REQ | SEARCH, 0, 200, NULL, NULL, NORMAL,
    NULL },
  { "school", TEREN_FIELD_REFERENCE, N_("School unit"), NONE, 0, 0, NULL, "school_health.school", NORMAL,
    NULL },
  { "class", TEREN_FIELD_REFERENCE, N_("Class or group"), NONE, 0, 0, NULL, "school_health.class", NORMAL,
    NULL },
  { "participants", TEREN_FIELD_INTEGER, N_("Participants"), NONE, 0, 100000, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
};

static const TerenKindDef kind_school_health_health_education = {
  "school_health.health_education", N_("Health education session"), FALSE, FALSE, "school_health", FIELDS (school_health_health_education_fields)
};

static const TerenFieldDef school_health_hygiene_inspection_fields[] = {
  { "school", TEREN_FIELD_REFERENCE, N_("School unit"), REQ, 0, 0, NULL, "school_health.school", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "place", TEREN_FIELD_TEXT, N_("Place inspected"), REQ, 0, 200, NULL, NULL, NORMAL,
    N_("Classroom, dormitory, canteen, toilets…") },
  { "findings", TEREN_FIELD_LONG_TEXT, N_("Findings"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "recommendations", TEREN_FIELD_LONG_TEXT, N_("Recommendations"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "deadline", TEREN_FIELD_DATE, N_("Deadline for remedies"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "head_teacher_notified", TEREN_FIELD_BOOLEAN, N_("Head teacher notified in writing"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
};

static const TerenKindDef kind_school_health_hygiene_inspection = {
  "school_health.hygiene_inspection", N_("Hygiene inspection"), FALSE, FALSE, "school_health", FIELDS (school_health_hygiene_inspection_fields)
};

static const TerenFieldDef school_health_pe_exemption_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Pupil"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "type", TEREN_FIELD_CHOICE, N_("Exemption type"), REQ, 0, 0, "pe_exemption_type", NULL, SPECIAL,
    NULL },
  { "start_date", TEREN_FIELD_DATE, N_("Start date"), REQ, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "end_date", TEREN_FIELD_DATE, N_("End date"), REQ, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "reason", TEREN_FIELD_LONG_TEXT, N_("Medical reason"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "certificate_number", TEREN_FIELD_TEXT, N_("Medical certificate number"), NONE, 0, 50, NULL, NULL, NORMAL,
    NULL },
  { "issued_by", TEREN_FIELD_TEXT, N_("Issued by"), NONE, 0, 100, NULL, NULL, NORMAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_school_health_pe_exemption = {
  "school_health.pe_exemption", N_("PE exemption"), FALSE, FALSE, "school_health", FIELDS (school_health_pe_exemption_fields)
};

static const TerenFieldDef school_health_disease_notification_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Pupil"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "detected_on", TEREN_FIELD_DATE, N_("Detected on"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "disease", TEREN_FIELD_TEXT, N_("Disease"), REQ, 0, 200, NULL, NULL, SPECIAL,
    NULL },
  { "diagnosis", TEREN_FIELD_TEXT, N_("Diagnosis (ICD-10)"), NONE, 0, 10, NULL, NULL, SPECIAL,
    N_("ICD-10 code, e.g. E11.9") },
  { "notified_on", TEREN_FIELD_DATE, N_("Notified to the DSP on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "notified_to", TEREN_FIELD_TEXT, N_("Notified to"), NONE, 0, 200, NULL, NULL, NORMAL,
    NULL },
  { "contacts_managed", TEREN_FIELD_LONG_TEXT, N_("Contacts managed"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_school_health_disease_notification = {
  "school_health.disease_notification", N_("Infectious disease notification"), FALSE, FALSE, "school_health", FIELDS (school_health_disease_notification_fields)
};

static const TerenFieldDef disability_certificate_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "degree", TEREN_FIELD_CHOICE, N_("Disability degree"), REQ, 0, 0, "disability_degree", NULL, SPECIAL,
    NULL },
  { "type", TEREN_FIELD_MULTI_CHOICE, N_("Disability type"), NONE, 0, 0, "disability_type", NULL, SPECIAL,
    NULL },
  { "with_assistant", TEREN_FIELD_BOOLEAN, N_("With a personal assistant"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "commission", TEREN_FIELD_CHOICE, N_("Issuing commission"), NONE, 0, 0, "disability_commission", NULL, NORMAL,
    NULL },
  { "number", TEREN_FIELD_TEXT, N_("Certificate number"), REQ | SEARCH, 0, 50, NULL, NULL, NORMAL,
    NULL },
  { "issued_on", TEREN_FIELD_DATE, N_("Issued on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "valid_from", TEREN_FIELD_DATE, N_("Valid from"), REQ, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "valid_to", TEREN_FIELD_DATE, N_("Valid to"), NONE, 0, 0, NULL, NULL, NORMAL,
    N_("Leave empty for a permanent certificate") },
  { "permanent", TEREN_FIELD_BOOLEAN, N_("Permanent"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "review_date", TEREN_FIELD_DATE, N_("Reassessment date"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "plan_reference", TEREN_FIELD_TEXT, N_("Rehabilitation or services plan"), NONE, 0, 100, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_disability_certificate = {
  "disability.certificate", N_("Disability certificate"), FALSE, FALSE, "disability", FIELDS (disability_certificate_fields)
};

static const TerenFieldDef disability_ap_option_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "certificate", TEREN_FIELD_REFERENCE, N_("Disability certificate"), NONE, 0, 0, NULL, "disability.certificate", NORMAL,
    NULL },
  { "choice", TEREN_FIELD_CHOICE, N_("Option"), REQ, 0, 0, "ap_option", NULL, NORMAL,
    NULL },
  { "requested_on", TEREN_FIELD_DATE, N_("Requested on"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "dgaspc_number", TEREN_FIELD_TEXT, N_("DGASPC agreement number"), NONE, 0, 50, NULL, NULL, NORMAL,
    NULL },
  { "dgaspc_date", TEREN_FIELD_DATE, N_("DGASPC agreement date"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "communicated_on", TEREN_FIELD_DATE, N_("Agreement received on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    N_("The DGASPC communicates its agreement within 5 days") },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, PERSONAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_disability_ap_option = {
  "disability.ap_option", N_("Option for a personal assistant or indemnity"), FALSE, FALSE, "disability", FIELDS (disability_ap_option_fields)
};

static const TerenFieldDef disability_personal_assistant_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person with disability"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "assistant", TEREN_FIELD_REFERENCE, N_("Personal assistant"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "relationship", TEREN_FIELD_CHOICE, N_("Relationship to the beneficiary"), NONE, 0, 0, "ap_relationship", NULL, PERSONAL,
    NULL },
  { "education", TEREN_FIELD_CHOICE, N_("Education"), NONE, 0, 0, "education", NULL, PERSONAL,
    NULL },
  { "request_date", TEREN_FIELD_DATE, N_("Request registered on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    N_("The contract is concluded within 30 days of the request") },
  { "medical_certificate_date", TEREN_FIELD_DATE, N_("Medical certificate date"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "criminal_record_date", TEREN_FIELD_DATE, N_("Criminal record certificate date"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "contract_status", TEREN_FIELD_CHOICE, N_("Contract status"), REQ, 0, 0, "ap_contract_status", NULL, NORMAL,
    NULL },
  { "contract_number", TEREN_FIELD_TEXT, N_("Labour contract number"), SEARCH, 0, 50, NULL, NULL, NORMAL,
    NULL },
  { "contract_date", TEREN_FIELD_DATE, N_("Contract date"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "contract_start", TEREN_FIELD_DATE, N_("Contract start"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "contract_end", TEREN_FIELD_DATE, N_("Contract end"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "undertaking_date", TEREN_FIELD_DATE, N_("Undertaking signed on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "salary_grade", TEREN_FIELD_TEXT, N_("Salary grade"), NONE, 0, 20, NULL, NULL, NORMAL,
    NULL },
  { "gradation", TEREN_FIELD_INTEGER, N_("Seniority gradation"), NONE, 0, 5, NULL, NULL, NORMAL,
    NULL },
  { "last_training_on", TEREN_FIELD_DATE, N_("Last training"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    N_("Training is due every 2 years") },
  { "end_reason", TEREN_FIELD_CHOICE, N_("Reason the contract ended"), NONE, 0, 0, "ap_contract_end", NULL, NORMAL,
    NULL },
  { "worker_informed_on", TEREN_FIELD_DATE, N_("Assistant informed on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, PERSONAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_disability_personal_assistant = {
  "disability.personal_assistant", N_("Personal assistant"), FALSE, FALSE, "disability", FIELDS (disability_personal_assistant_fields)
};

static const TerenFieldDef disability_timesheet_fields[] = {
  { "assistant", TEREN_FIELD_REFERENCE, N_("Personal assistant"), REQ, 0, 0, NULL, "disability.personal_assistant", NORMAL,
    NULL },
  { "month", TEREN_FIELD_TEXT, N_("Month"), REQ, 0, 7, NULL, NULL, NORMAL,
    N_("YYYY-MM") },
  { "day_01", TEREN_FIELD_INTEGER, N_("Day 1 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_02", TEREN_FIELD_INTEGER, N_("Day 2 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_03", TEREN_FIELD_INTEGER, N_("Day 3 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_04", TEREN_FIELD_INTEGER, N_("Day 4 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_05", TEREN_FIELD_INTEGER, N_("Day 5 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_06", TEREN_FIELD_INTEGER, N_("Day 6 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_07", TEREN_FIELD_INTEGER, N_("Day 7 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_08", TEREN_FIELD_INTEGER, N_("Day 8 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_09", TEREN_FIELD_INTEGER, N_("Day 9 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_10", TEREN_FIELD_INTEGER, N_("Day 10 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_11", TEREN_FIELD_INTEGER, N_("Day 11 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_12", TEREN_FIELD_INTEGER, N_("Day 12 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_13", TEREN_FIELD_INTEGER, N_("Day 13 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_14", TEREN_FIELD_INTEGER, N_("Day 14 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_15", TEREN_FIELD_INTEGER, N_("Day 15 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_16", TEREN_FIELD_INTEGER, N_("Day 16 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_17", TEREN_FIELD_INTEGER, N_("Day 17 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_18", TEREN_FIELD_INTEGER, N_("Day 18 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_19", TEREN_FIELD_INTEGER, N_("Day 19 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_20", TEREN_FIELD_INTEGER, N_("Day 20 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_21", TEREN_FIELD_INTEGER, N_("Day 21 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_22", TEREN_FIELD_INTEGER, N_("Day 22 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_23", TEREN_FIELD_INTEGER, N_("Day 23 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_24", TEREN_FIELD_INTEGER, N_("Day 24 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_25", TEREN_FIELD_INTEGER, N_("Day 25 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_26", TEREN_FIELD_INTEGER, N_("Day 26 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_27", TEREN_FIELD_INTEGER, N_("Day 27 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_28", TEREN_FIELD_INTEGER, N_("Day 28 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_29", TEREN_FIELD_INTEGER, N_("Day 29 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_30", TEREN_FIELD_INTEGER, N_("Day 30 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "day_31", TEREN_FIELD_INTEGER, N_("Day 31 (hours)"), NONE, 0, 8, NULL, NULL, NORMAL,
    NULL },
  { "leave_days", TEREN_FIELD_INTEGER, N_("Annual leave days"), NONE, 0, 31, NULL, NULL, NORMAL,
    NULL },
  { "medical_leave_days", TEREN_FIELD_INTEGER, N_("Medical leave days"), NONE, 0, 31, NULL, NULL, NORMAL,
    NULL },
  { "absence_days", TEREN_FIELD_INTEGER, N_("Unexcused absence days"), NONE, 0, 31, NULL, NULL, NORMAL,
    NULL },
  { "signed_by_beneficiary", TEREN_FIELD_BOOLEAN, N_("Signed by the beneficiary or representative"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
};

static const TerenKindDef kind_disability_timesheet = {
  "disability.timesheet", N_("Personal assistant timesheet"), FALSE, FALSE, "disability", FIELDS (disability_timesheet_fields)
};

static const TerenFieldDef disability_leave_replacement_fields[] = {
  { "assistant", TEREN_FIELD_REFERENCE, N_("Personal assistant"), REQ, 0, 0, NULL, "disability.personal_assistant", NORMAL,
    NULL },
  { "start_date", TEREN_FIELD_DATE, N_("Start date"), REQ, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "end_date", TEREN_FIELD_DATE, N_("End date"), REQ, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "solution", TEREN_FIELD_CHOICE, N_("Solution during the leave"), REQ, 0, 0, "leave_solution", NULL, NORMAL,
    NULL },
  { "replacement", TEREN_FIELD_REFERENCE, N_("Replacement assistant"), NONE, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "respite_centre", TEREN_FIELD_TEXT, N_("Respite centre"), NONE, 0, 200, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, PERSONAL,
    NULL },
};

static const TerenKindDef kind_disability_leave_replacement = {
  "disability.leave_replacement", N_("Leave replacement"), FALSE, FALSE, "disability", FIELDS (disability_leave_replacement_fields)
};

static const TerenFieldDef disability_monitoring_visit_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person with disability"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "assistant", TEREN_FIELD_REFERENCE, N_("Personal assistant"), NONE, 0, 0, NULL, "disability.personal_assistant", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "plan_followed", TEREN_FIELD_CHOICE, N_("Plan carried out"), NONE, 0, 0, "ternary", NULL, NORMAL,
    NULL },
  { "beneficiary_satisfied", TEREN_FIELD_CHOICE, N_("Beneficiary satisfied"), NONE, 0, 0, "ternary", NULL, NORMAL,
    NULL },
  { "findings", TEREN_FIELD_LONG_TEXT, N_("Findings"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "recommendations", TEREN_FIELD_LONG_TEXT, N_("Recommendations"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_disability_monitoring_visit = {
  "disability.monitoring_visit", N_("Monitoring visit"), FALSE, FALSE, "disability", FIELDS (disability_monitoring_visit_fields)
};

static const TerenFieldDef disability_semiannual_report_fields[] = {
  { "year", TEREN_FIELD_INTEGER, N_("Year"), REQ, 2000, 2100, NULL, NULL, NORMAL,
    NULL },
  { "semester", TEREN_FIELD_CHOICE, N_("Half-year"), REQ, 0, 0, "semester", NULL, NORMAL,
    NULL },
  { "number", TEREN_FIELD_TEXT, N_("Registration number"), SEARCH, 0, 50, NULL, NULL, NORMAL,
    NULL },
  { "sent_on", TEREN_FIELD_DATE, N_("Sent on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "assistants_monitored", TEREN_FIELD_INTEGER, N_("Assistants monitored"), NONE, 0, 100000, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
};

static const TerenKindDef kind_disability_semiannual_report = {
  "disability.semiannual_report", N_("Semi-annual report to the DGASPC"), FALSE, FALSE, "disability", FIELDS (disability_semiannual_report_fields)
};

static const TerenFieldDef disability_change_notification_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person with disability"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "event", TEREN_FIELD_CHOICE, N_("Event"), REQ, 0, 0, "change_event", NULL, SPECIAL,
    NULL },
  { "known_on", TEREN_FIELD_DATE, N_("Known on"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    N_("The DGASPC must be told within 48 hours") },
  { "sent_on", TEREN_FIELD_DATE, N_("Sent to the DGASPC on"), NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "notes", TEREN_FIELD_LONG_TEXT, N_("Notes"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
};

static const TerenKindDef kind_disability_change_notification = {
  "disability.change_notification", N_("Change notification to the DGASPC"), FALSE, FALSE, "disability", FIELDS (disability_change_notification_fields)
};

static const TerenFieldDef disability_indemnity_payment_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "month", TEREN_FIELD_TEXT, N_("Month"), REQ, 0, 7, NULL, NULL, NORMAL,
    N_("YYYY-MM") },
  { "amount", TEREN_FIELD_DECIMAL, N_("Amount (lei)"), NONE, 0, 100000, NULL, NULL, NORMAL,
    NULL },
  { "suspended", TEREN_FIELD_BOOLEAN, N_("Suspended"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "reason", TEREN_FIELD_TEXT, N_("Suspension or ending reason"), NONE, 0, 200, NULL, NULL, NORMAL,
    NULL },
};

static const TerenKindDef kind_disability_indemnity_payment = {
  "disability.indemnity_payment", N_("Monthly indemnity payment"), FALSE, FALSE, "disability", FIELDS (disability_indemnity_payment_fields)
};

static const TerenFieldDef disability_socio_medical_assessment_fields[] = {
  { "person", TEREN_FIELD_REFERENCE, N_("Person"), REQ, 0, 0, NULL, "person", NORMAL,
    NULL },
  { "date", TEREN_FIELD_DATE, N_("Date"), REQ | NOFUT, 0, 0, NULL, NULL, NORMAL,
    NULL },
  { "social_worker", TEREN_FIELD_TEXT, N_("Social worker"), NONE, 0, 100, NULL, NULL, NORMAL,
    NULL },
  { "doctor", TEREN_FIELD_TEXT, N_("Doctor"), NONE, 0, 100, NULL, NULL, NORMAL,
    NULL },
  { "adl", TEREN_FIELD_LONG_TEXT, N_("Activities of daily living"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "iadl", TEREN_FIELD_LONG_TEXT, N_("Instrumental activities of daily living"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "sensory", TEREN_FIELD_LONG_TEXT, N_("Sight and hearing"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "psycho_affective", TEREN_FIELD_LONG_TEXT, N_("Cognition and mood"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "diagnoses", TEREN_FIELD_TEXT, N_("Diagnoses (ICD-10)"), NONE, 0, 100, NULL, NULL, SPECIAL,
    N_("ICD-10 codes separated by commas") },
  { "dependency_degree", TEREN_FIELD_CHOICE, N_("Dependency degree (HG 886/2000)"), NONE, 0, 0, "hg886_dependency_degree", NULL, SPECIAL,
    NULL },
  { "recommended_services", TEREN_FIELD_LONG_TEXT, N_("Recommended services"), NONE, 0, 0, NULL, NULL, SPECIAL,
    NULL },
  { "next_review", TEREN_FIELD_DATE, N_("Next reassessment"), NONE, 0, 0, NULL, NULL, NORMAL,
    NULL },
  ATTACHMENTS (SPECIAL),
};

static const TerenKindDef kind_disability_socio_medical_assessment = {
  "disability.socio_medical_assessment", N_("Socio-medical assessment"), FALSE, FALSE, "disability", FIELDS (disability_socio_medical_assessment_fields)
};

const TerenKindDef * const teren_schema_kinds_health[] = {
  &kind_community_health_beneficiary,
  &kind_community_health_catagrafie,
  &kind_community_health_disability,
  &kind_community_health_disease,
  &kind_community_health_intervention,
  &kind_community_health_case_management,
  &kind_community_health_occasional_intervention,
  &kind_community_health_appointment,
  &kind_community_health_community_activity,
  &kind_community_health_vital_signs,
  &kind_school_health_school,
  &kind_school_health_class,
  &kind_school_health_pupil_record,
  &kind_school_health_consultation,
  &kind_school_health_screening,
  &kind_school_health_triage,
  &kind_school_health_vaccination,
  &kind_school_health_vaccination_campaign,
  &kind_school_health_health_education,
  &kind_school_health_hygiene_inspection,
  &kind_school_health_pe_exemption,
  &kind_school_health_disease_notification,
  &kind_disability_certificate,
  &kind_disability_ap_option,
  &kind_disability_personal_assistant,
  &kind_disability_timesheet,
  &kind_disability_leave_replacement,
  &kind_disability_monitoring_visit,
  &kind_disability_semiannual_report,
  &kind_disability_change_notification,
  &kind_disability_indemnity_payment,
  &kind_disability_socio_medical_assessment,
  NULL,
};
