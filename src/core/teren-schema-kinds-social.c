/* teren-schema-kinds-social.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-schema-private.h"

/* Kinds of the social service lines: child protection, crèche, elderly and adults, social canteen, homeless (DOMAIN.md §1–5, §9).
 *
 * First the kinds of the case life-cycle of DOMAIN.md §0.2, usable by every line
 * (any_line, like "case" and "visit"): intake (signal or request with its registration
 * number), assessment, plan + plan_item, decision (dispoziție), contract, review
 * (monitoring), referral and closure. Then each line's own records, named
 * "<line>.<record>".
 *
 * The schema has no table type: a table (the family composition of a social inquiry, the
 * objectives of a plan, a canteen household's members) is a row kind whose records
 * reference the parent record.
 *
 * Keys are stable; add fields, never rename them. Keys ending in "_time" hold "HH:MM".
 * Cross-field rules (dates in order, the 90-day cap of canteen category g…) are in
 * teren-lifecycle.c. */

#define REQ    TEREN_FIELD_FLAG_REQUIRED
#define NOFUT  TEREN_FIELD_FLAG_NO_FUTURE
#define SEARCH TEREN_FIELD_FLAG_SEARCH
#define NONE   TEREN_FIELD_FLAG_NONE

#define NORMAL   TEREN_SENSITIVITY_NORMAL
#define PERSONAL TEREN_SENSITIVITY_PERSONAL
#define SPECIAL  TEREN_SENSITIVITY_SPECIAL

#define PERSON_NAME_MAX   100
#define MONEY_MAX  10000000

/* One field a line: key, label, flags, then what the type needs. */
#define TEXT(k, l, f, max, s)  { k, TEREN_FIELD_TEXT, l, f, 0, max, NULL, NULL, s, NULL }
#define LONG(k, l, f, s)       { k, TEREN_FIELD_LONG_TEXT, l, f, 0, 0, NULL, NULL, s, NULL }
#define INT(k, l, f, lo, hi)   { k, TEREN_FIELD_INTEGER, l, f, lo, hi, NULL, NULL, NORMAL, NULL }
#define DEC(k, l, f, lo, hi)   { k, TEREN_FIELD_DECIMAL, l, f, lo, hi, NULL, NULL, NORMAL, NULL }
#define MONEY(k, l, f)         { k, TEREN_FIELD_DECIMAL, l, f, 0, 0, NULL, NULL, PERSONAL, NULL }
#define DATE(k, l, f)          { k, TEREN_FIELD_DATE, l, f, 0, 0, NULL, NULL, NORMAL, NULL }
#define BOOL(k, l)             { k, TEREN_FIELD_BOOLEAN, l, NONE, 0, 0, NULL, NULL, NORMAL, NULL }
#define CHOICE(k, l, f, n, s)  { k, TEREN_FIELD_CHOICE, l, f, 0, 0, n, NULL, s, NULL }
#define MULTI(k, l, f, n, s)   { k, TEREN_FIELD_MULTI_CHOICE, l, f, 0, 0, n, NULL, s, NULL }
#define REF(k, l, f, kind)     { k, TEREN_FIELD_REFERENCE, l, f, 0, 0, NULL, kind, NORMAL, NULL }
#define PHONE(k, l)            { k, TEREN_FIELD_PHONE, l, NONE, 0, 0, NULL, NULL, PERSONAL, NULL }
#define TIME(k, l, f)          { k, TEREN_FIELD_TEXT, l, f, 0, 5, NULL, NULL, NORMAL, N_("HH:MM") }
#define WORKER(k, l)           TEXT (k, l, NONE, PERSON_NAME_MAX, NORMAL)

#define FIELDS(array) array, G_N_ELEMENTS (array)
/* Scans and photos of the paper (signed consent, certificates, court letters). */
#define ATTACHMENTS(s) { "attachments", TEREN_FIELD_ATTACHMENT, N_("Attachments"), NONE, 0, 0, NULL, NULL, s, NULL }

/* ---- the case life-cycle (§0.2) --------------------------------------------------------- */

static const TerenFieldDef intake_fields[] = {
  CHOICE ("type", N_("Signal or request"), REQ, "intake_type", NORMAL),
  DATE ("received_on", N_("Received on"), REQ | NOFUT),
  TEXT ("registration_number", N_("Registration number"), SEARCH, 50, NORMAL),
  DATE ("registered_on", N_("Registered on"), NOFUT),
  REF ("person", N_("Person concerned"), NONE, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  CHOICE ("channel", N_("Channel"), NONE, "intake_channel", NORMAL),
  CHOICE ("source", N_("Source"), NONE, "case_source", NORMAL),
  TEXT ("source_name", N_("Who signalled or requested"), NONE, 200, PERSONAL),
  PHONE ("source_phone", N_("Their phone")),
  LONG ("description", N_("What was signalled or requested"), REQ, PERSONAL),
  BOOL ("urgent", N_("Urgent")),
  WORKER ("responsible", N_("Assigned to")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef assessment_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  REF ("person", N_("Person assessed"), NONE, "person"),
  CHOICE ("type", N_("Assessment type"), REQ, "assessment_type", NORMAL),
  DATE ("date", N_("Date of the assessment"), REQ | NOFUT),
  WORKER ("assessor", N_("Assessed by")),
  LONG ("findings", N_("Findings"), NONE, PERSONAL),
  LONG ("needs", N_("Needs identified"), NONE, PERSONAL),
  LONG ("conclusions", N_("Conclusions"), NONE, PERSONAL),
  LONG ("proposals", N_("Proposals"), NONE, PERSONAL),
  DATE ("next_assessment_on", N_("Next assessment on"), NONE),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef plan_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  CHOICE ("type", N_("Plan type"), REQ, "plan_type", NORMAL),
  TEXT ("number", N_("Plan number"), NONE, 50, NORMAL),
  DATE ("start_on", N_("In force from"), REQ),
  DATE ("review_on", N_("Review date"), REQ),
  DATE ("end_on", N_("In force until"), NONE),
  CHOICE ("status", N_("Plan status"), NONE, "plan_status", NORMAL),
  LONG ("objectives", N_("General objectives"), NONE, PERSONAL),
  WORKER ("responsible", N_("Responsible")),
  BOOL ("agreed", N_("Agreed and signed by the beneficiary")),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef plan_item_fields[] = {
  REF ("plan", N_("Plan"), REQ, "plan"),
  TEXT ("objective", N_("Objective"), REQ, 300, PERSONAL),
  TEXT ("service", N_("Service or benefit"), NONE, 200, NORMAL),
  TEXT ("provider", N_("Provider"), NONE, 200, NORMAL),
  TEXT ("frequency", N_("Frequency"), NONE, 100, NORMAL),
  WORKER ("responsible", N_("Responsible")),
  DATE ("deadline", N_("Deadline"), NONE),
  CHOICE ("status", N_("Objective status"), NONE, "item_status", NORMAL),
};

static const TerenFieldDef decision_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  CHOICE ("issuer", N_("Issuer of the decision"), REQ, "decision_issuer", NORMAL),
  CHOICE ("type", N_("Decision type"), NONE, "decision_type", NORMAL),
  TEXT ("number", N_("Decision number"), REQ | SEARCH, 50, NORMAL),
  DATE ("date", N_("Decision date"), REQ | NOFUT),
  DATE ("effective_from", N_("Effective from"), NONE),
  DATE ("effective_until", N_("Effective until"), NONE),
  LONG ("subject", N_("What it decides"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef contract_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  TEXT ("number", N_("Contract number"), REQ | SEARCH, 50, NORMAL),
  DATE ("signed_on", N_("Signed on"), REQ | NOFUT),
  DATE ("start_on", N_("Services from"), NONE),
  DATE ("end_on", N_("Services until"), NONE),
  REF ("decision", N_("Decision"), NONE, "decision"),
  MONEY ("monthly_cost", N_("Monthly cost (lei)"), NONE),
  MONEY ("contribution", N_("Beneficiary’s monthly contribution (lei)"), NONE),
  BOOL ("payment_undertaking", N_("Payment undertaking signed")),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef review_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  DATE ("date", N_("Date of the review"), REQ | NOFUT),
  WORKER ("reviewer", N_("Reviewed by")),
  CHOICE ("assessment", N_("Assessment of the situation"), NONE, "monitoring_assessment", NORMAL),
  LONG ("progress", N_("Progress against the plan"), NONE, PERSONAL),
  BOOL ("plan_changed", N_("The plan is revised")),
  LONG ("changes", N_("Changes to the plan"), NONE, PERSONAL),
  DATE ("next_review_on", N_("Next review on"), NONE),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef referral_fields[] = {
  CHOICE ("direction", N_("Referral direction"), REQ, "referral_direction", NORMAL),
  DATE ("date", N_("Referral date"), REQ | NOFUT),
  REF ("person", N_("Person referred"), NONE, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  CHOICE ("to_line", N_("To the service line"), NONE, "service_line", NORMAL),
  CHOICE ("institution", N_("To or from the institution"), NONE, "referral_institution", NORMAL),
  TEXT ("institution_name", N_("Name of the institution"), NONE, 200, NORMAL),
  CHOICE ("urgency", N_("Urgency"), NONE, "urgency", NORMAL),
  LONG ("reason", N_("Reason for the referral"), REQ, PERSONAL),
  CHOICE ("consent_by", N_("Consent given by"), NONE, "consent_giver", NORMAL),
  TEXT ("consent_name", N_("Name of the person who consented"), NONE, PERSON_NAME_MAX, PERSONAL),
  DATE ("consent_on", N_("Consent given on"), NOFUT),
  LONG ("consent_for", N_("Consent given for"), NONE, PERSONAL),
  CHOICE ("status", N_("Referral status"), REQ, "referral_status", NORMAL),
  DATE ("answered_on", N_("Answered on"), NOFUT),
  WORKER ("answered_by", N_("Answered by")),
  LONG ("answer_reason", N_("Reason of the answer"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef closure_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  DATE ("closed_on", N_("Closed on"), REQ | NOFUT),
  CHOICE ("reason", N_("Closure reason"), REQ, "case_closure_reason", NORMAL),
  CHOICE ("transfer_to_line", N_("Transferred to the service line"), NONE, "service_line", NORMAL),
  TEXT ("transfer_to_institution", N_("Transferred to the institution"), NONE, 200, NORMAL),
  REF ("decision", N_("Decision"), NONE, "decision"),
  LONG ("summary", N_("Summary of the case"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

/* ---- child protection (§2) -------------------------------------------------------------- */

static const TerenFieldDef child_case_profile_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  REF ("person", N_("Child"), NONE, "person"),
  MULTI ("risk_situations", N_("Risk situations"), REQ, "child_risk", SPECIAL),
  CHOICE ("signal_source", N_("Source of the signal"), NONE, "signal_source", NORMAL),
  TEXT ("dgaspc_number", N_("DGASPC number"), SEARCH, 50, NORMAL),
  WORKER ("dgaspc_case_manager", N_("DGASPC case manager")),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef child_signal_fields[] = {
  DATE ("date", N_("Date of the signal"), REQ | NOFUT),
  TEXT ("registration_number", N_("Registration number"), SEARCH, 50, NORMAL),
  REF ("person", N_("Child"), NONE, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  CHOICE ("source", N_("Source of the signal"), REQ, "signal_source", NORMAL),
  CHOICE ("channel", N_("Channel"), NONE, "intake_channel", NORMAL),
  TEXT ("reporter_name", N_("Name of the reporter"), NONE, 200, PERSONAL),
  PHONE ("reporter_phone", N_("Phone of the reporter")),
  MULTI ("risk_situations", N_("Risk situations"), NONE, "child_risk", SPECIAL),
  LONG ("description", N_("Description of the situation"), REQ, SPECIAL),
  BOOL ("immediate_danger", N_("The child is in immediate danger")),
  BOOL ("police_notified", N_("Police or 112 notified")),
  DATE ("sent_to_dgaspc_on", N_("Sent to DGASPC on"), NOFUT),
  WORKER ("responsible", N_("Assigned to")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef child_initial_assessment_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  DATE ("date", N_("Date of the assessment"), REQ | NOFUT),
  WORKER ("assessor", N_("Assessed by")),
  MULTI ("risk_situations", N_("Risk situations"), NONE, "child_risk", SPECIAL),
  CHOICE ("risk_level", N_("Risk level"), NONE, "risk_level", NORMAL),
  LONG ("child_needs", N_("The child’s needs"), NONE, SPECIAL),
  LONG ("family_resources", N_("Resources of the family"), NONE, PERSONAL),
  LONG ("conclusions", N_("Conclusions"), NONE, PERSONAL),
  CHOICE ("proposal", N_("Proposal"), REQ, "assessment_proposal", NORMAL),
  ATTACHMENTS (PERSONAL),
};

/* The nine parts of the anchetă socială (DOMAIN.md §2); the family composition table is
 * child.inquiry_member. */
static const TerenFieldDef child_social_inquiry_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  REF ("person", N_("Child"), NONE, "person"),
  DATE ("date", N_("Date of the inquiry"), REQ | NOFUT),
  CHOICE ("purpose", N_("Purpose of the inquiry"), NONE, "inquiry_purpose", NORMAL),
  REF ("court_request", N_("Court request"), NONE, "child.court_request"),
  TEXT ("persons_present", N_("Persons present"), NONE, 300, PERSONAL),
  /* 1. identification */
  REF ("mother", N_("Mother"), NONE, "person"),
  REF ("father", N_("Father"), NONE, "person"),
  REF ("legal_representative", N_("Legal representative"), NONE, "person"),
  LONG ("parents_details", N_("Parents: occupation and workplace"), NONE, PERSONAL),
  /* 3. housing */
  CHOICE ("housing_type", N_("Type of dwelling"), NONE, "housing_type", PERSONAL),
  CHOICE ("housing_ownership", N_("Housing title"), NONE, "housing_ownership", PERSONAL),
  INT ("rooms", N_("Rooms"), NONE, 0, 50),
  DEC ("surface", N_("Surface (m²)"), NONE, 0, 10000),
  BOOL ("electricity", N_("Electricity")),
  BOOL ("running_water", N_("Running water")),
  BOOL ("sewage", N_("Sewage")),
  BOOL ("heating", N_("Heating")),
  CHOICE ("hygiene", N_("Hygiene of the dwelling"), NONE, "condition_level", PERSONAL),
  BOOL ("overcrowded", N_("Overcrowded")),
  LONG ("housing_notes", N_("Housing conditions"), NONE, PERSONAL),
  /* 4. economic situation */
  MONEY ("income_total", N_("Monthly income of the family (lei)"), NONE),
  LONG ("income_sources", N_("Sources of income"), NONE, PERSONAL),
  MULTI ("benefits", N_("Social benefits received"), NONE, "benefit_type", PERSONAL),
  LONG ("debts_assets", N_("Debts, land and animals"), NONE, PERSONAL),
  /* 5. health */
  LONG ("health", N_("Health of the family members"), NONE, SPECIAL),
  CHOICE ("family_doctor_registered", N_("Registered with a family doctor"), NONE, "ternary", SPECIAL),
  /* 6. education */
  TEXT ("school", N_("School or kindergarten"), NONE, 200, PERSONAL),
  TEXT ("school_class", N_("Class"), NONE, 20, PERSONAL),
  CHOICE ("school_attendance", N_("School attendance"), NONE, "condition_level", PERSONAL),
  LONG ("education", N_("Results and behaviour at school"), NONE, PERSONAL),
  /* 7. relations */
  LONG ("family_relations", N_("Family relations and parenting capacity"), NONE, PERSONAL),
  LONG ("support_network", N_("Support network and community relations"), NONE, PERSONAL),
  LONG ("relation_mother", N_("Relationship of the child with the mother"), NONE, PERSONAL),
  LONG ("relation_father", N_("Relationship of the child with the father"), NONE, PERSONAL),
  /* 8. opinions */
  LONG ("child_opinion", N_("The child’s opinion"), NONE, PERSONAL),
  LONG ("parents_statements", N_("Statements of the parents"), NONE, PERSONAL),
  /* 9. conclusions */
  LONG ("conclusions", N_("Conclusions"), REQ, PERSONAL),
  LONG ("proposals", N_("Proposals"), NONE, PERSONAL),
  WORKER ("social_worker", N_("Social worker")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef child_inquiry_member_fields[] = {
  REF ("inquiry", N_("Social inquiry"), REQ, "child.social_inquiry"),
  REF ("person", N_("Person"), NONE, "person"),
  TEXT ("name", N_("Name"), NONE, 200, PERSONAL),
  CHOICE ("relationship", N_("Relationship to the child"), NONE, "relationship", PERSONAL),
  DATE ("birth_date", N_("Birth date"), NOFUT),
  CHOICE ("occupation", N_("Occupation"), NONE, "occupation", PERSONAL),
  MONEY ("income", N_("Monthly income (lei)"), NONE),
  TEXT ("health", N_("Health"), NONE, 200, SPECIAL),
  BOOL ("lives_with_child", N_("Lives with the child")),
};

static const TerenFieldDef child_court_request_fields[] = {
  REF ("case", N_("Case"), NONE, "case"),
  REF ("person", N_("Child"), NONE, "person"),
  TEXT ("court", N_("Court"), REQ, 200, NORMAL),
  TEXT ("file_number", N_("Court file number"), REQ | SEARCH, 50, NORMAL),
  CHOICE ("object", N_("Object of the court case"), REQ, "court_object", NORMAL),
  DATE ("received_on", N_("Received on"), REQ | NOFUT),
  DATE ("hearing_date", N_("Hearing date"), REQ),
  TEXT ("requested_document", N_("Requested document"), NONE, 200, NORMAL),
  DATE ("sent_on", N_("Sent to the court on"), NOFUT),
  WORKER ("responsible", N_("Responsible")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef child_service_plan_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  TEXT ("number", N_("Plan number"), NONE, 50, NORMAL),
  DATE ("start_on", N_("In force from"), REQ),
  DATE ("review_on", N_("Review date"), REQ),
  DATE ("end_on", N_("In force until"), NONE),
  CHOICE ("status", N_("Plan status"), NONE, "plan_status", NORMAL),
  LONG ("objectives", N_("General objectives"), REQ, PERSONAL),
  LONG ("parents_responsibilities", N_("Responsibilities of the parents"), NONE, PERSONAL),
  LONG ("child_opinion", N_("The child’s opinion"), NONE, PERSONAL),
  BOOL ("signed_by_parents", N_("Signed by the parents")),
  BOOL ("signed_by_child", N_("Signed by the child")),
  TEXT ("decision_number", N_("Approving decision number"), NONE, 50, NORMAL),
  DATE ("decision_date", N_("Approving decision date"), NONE),
  WORKER ("responsible", N_("Case manager")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef child_plan_item_fields[] = {
  REF ("plan", N_("Services plan"), REQ, "child.service_plan"),
  TEXT ("objective", N_("Objective"), REQ, 300, PERSONAL),
  TEXT ("service", N_("Service or benefit"), NONE, 200, NORMAL),
  TEXT ("provider", N_("Provider"), NONE, 200, NORMAL),
  TEXT ("frequency", N_("Frequency"), NONE, 100, NORMAL),
  WORKER ("responsible", N_("Responsible")),
  DATE ("deadline", N_("Deadline"), NONE),
  CHOICE ("status", N_("Objective status"), NONE, "item_status", NORMAL),
};

static const TerenFieldDef child_protection_measure_fields[] = {
  REF ("case", N_("Case"), NONE, "case"),
  REF ("person", N_("Child"), REQ, "person"),
  CHOICE ("type", N_("Protection measure"), REQ, "protection_measure_type", SPECIAL),
  CHOICE ("issuer", N_("Issued by"), REQ, "protection_issuer", NORMAL),
  TEXT ("act_number", N_("Act number"), NONE, 50, NORMAL),
  DATE ("act_date", N_("Act date"), NOFUT),
  DATE ("start_on", N_("From"), REQ),
  DATE ("end_on", N_("Until"), NONE),
  TEXT ("placed_with", N_("Placed with"), NONE, 200, PERSONAL),
  DATE ("reintegrated_on", N_("Reintegrated in the family on"), NONE),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef child_reintegration_monitoring_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  REF ("measure", N_("Protection measure"), NONE, "child.protection_measure"),
  DATE ("date", N_("Date of the monitoring"), REQ | NOFUT),
  CHOICE ("assessment", N_("Assessment of the situation"), NONE, "monitoring_assessment", NORMAL),
  LONG ("findings", N_("Findings"), NONE, PERSONAL),
  DATE ("report_sent_on", N_("Report sent to DGASPC on"), NOFUT),
  DATE ("next_on", N_("Next monitoring on"), NONE),
  WORKER ("responsible", N_("Responsible")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef child_parents_abroad_fields[] = {
  REF ("person", N_("Child"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  CHOICE ("who_left", N_("Who left"), REQ, "parents_abroad_who", PERSONAL),
  TEXT ("country", N_("Country"), NONE, 100, PERSONAL),
  DATE ("notified_on", N_("Notification received on"), NOFUT),
  DATE ("departure_on", N_("Departure date"), NONE),
  DATE ("return_on", N_("Return date"), NONE),
  BOOL ("late_notice", N_("Notified less than 40 days before leaving")),
  REF ("carer", N_("Designated carer"), NONE, "person"),
  CHOICE ("carer_relationship", N_("Relationship of the carer"), NONE, "relationship", PERSONAL),
  TEXT ("court_confirmation", N_("Court confirmation (number)"), NONE, 50, NORMAL),
  DATE ("court_confirmed_on", N_("Confirmed by the court on"), NOFUT),
  TEXT ("school", N_("School or kindergarten"), NONE, 200, PERSONAL),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef child_school_list_fields[] = {
  TEXT ("school", N_("School"), REQ, 200, NORMAL),
  INT ("year", N_("Year"), REQ, 2000, 2100),
  DATE ("requested_on", N_("Requested on"), NOFUT),
  DATE ("received_on", N_("List received on"), NOFUT),
  INT ("children", N_("Children with parents abroad"), NONE, 0, 100000),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
};

static const TerenFieldDef child_birth_registration_fields[] = {
  REF ("person", N_("Child"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  DATE ("birth_date", N_("Birth date"), NOFUT),
  TEXT ("birth_place", N_("Place of birth"), NONE, 200, PERSONAL),
  REF ("mother", N_("Mother"), NONE, "person"),
  BOOL ("mother_has_id", N_("The mother has an identity document")),
  BOOL ("medical_birth_certificate", N_("Medical birth certificate available")),
  LONG ("situation", N_("Situation"), NONE, PERSONAL),
  LONG ("steps", N_("Steps taken"), NONE, PERSONAL),
  DATE ("declared_on", N_("Birth declared on"), NOFUT),
  BOOL ("late_registration", N_("Late registration procedure")),
  DATE ("certificate_on", N_("Birth certificate issued on"), NOFUT),
  WORKER ("responsible", N_("Responsible")),
  ATTACHMENTS (PERSONAL),
};

/* ---- crèche (§1) ------------------------------------------------------------------------- */

static const TerenFieldDef creche_enrolment_fields[] = {
  REF ("person", N_("Child"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  DATE ("birth_date", N_("Birth date"), REQ | NOFUT),
  TEXT ("unit", N_("Crèche"), REQ, 200, NORMAL),
  CHOICE ("group", N_("Crèche group"), NONE, "creche_group", NORMAL),
  CHOICE ("programme", N_("Programme"), REQ, "creche_programme", NORMAL),
  DATE ("start_on", N_("Enrolled from"), REQ),
  DATE ("end_on", N_("Enrolled until"), NONE),
  MULTI ("priority", N_("Priority criteria"), NONE, "creche_priority", PERSONAL),
  REF ("mother", N_("Mother"), NONE, "person"),
  REF ("father", N_("Father"), NONE, "person"),
  MULTI ("documents", N_("Admission documents"), NONE, "creche_document", NORMAL),
  CHOICE ("vaccination", N_("Vaccination status"), NONE, "vaccination_status", SPECIAL),
  TEXT ("allergies", N_("Allergies and diet"), NONE, 300, SPECIAL),
  MONEY ("parents_income", N_("Parents’ average monthly income (lei)"), NONE),
  INT ("children_enrolled", N_("Children of the family in the crèche"), NONE, 1, 20),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef creche_attendance_fields[] = {
  REF ("enrolment", N_("Enrolment"), REQ, "creche.enrolment"),
  DATE ("date", N_("Date"), REQ | NOFUT),
  CHOICE ("status", N_("Attendance"), REQ, "attendance_status", NORMAL),
  INT ("meals", N_("Meals served"), NONE, 0, 5),
  TEXT ("note", N_("Note"), NONE, 200, PERSONAL),
};

static const TerenFieldDef creche_triage_fields[] = {
  REF ("enrolment", N_("Enrolment"), REQ, "creche.enrolment"),
  DATE ("date", N_("Date"), REQ | NOFUT),
  DEC ("temperature", N_("Temperature (°C)"), NONE, 34, 43),
  MULTI ("symptoms", N_("Signs at the morning triage"), NONE, "triage_symptom", SPECIAL),
  BOOL ("admitted", N_("Admitted to the group")),
  TEXT ("action", N_("Action taken"), NONE, 300, SPECIAL),
  WORKER ("nurse", N_("Nurse")),
};

/* The parents' contribution rule table, configurable per year (§1). */
static const TerenFieldDef creche_contribution_rule_fields[] = {
  INT ("year", N_("Year"), REQ, 2000, 2100),
  MONEY ("income_from", N_("Income from (lei)"), NONE),
  MONEY ("income_to", N_("Income up to (lei)"), NONE),
  INT ("min_children", N_("From this many children in the crèche"), NONE, 1, 20),
  DEC ("percent", N_("Percentage of the income"), NONE, 0, 100),
  MONEY ("fixed_amount", N_("Fixed amount (lei)"), NONE),
  TEXT ("decision", N_("Local council decision"), NONE, 100, NORMAL),
};

static const TerenFieldDef creche_contribution_fields[] = {
  REF ("enrolment", N_("Enrolment"), REQ, "creche.enrolment"),
  TEXT ("month", N_("Month (YYYY-MM)"), REQ, 7, NORMAL),
  INT ("attendance_days", N_("Attendance days"), NONE, 0, 31),
  MONEY ("amount", N_("Amount (lei)"), REQ),
  DATE ("paid_on", N_("Paid on"), NOFUT),
  TEXT ("receipt", N_("Receipt number"), NONE, 50, NORMAL),
};

/* ---- elderly (§3) ----------------------------------------------------------------------- */

static const TerenFieldDef elderly_registry_entry_fields[] = {
  REF ("person", N_("Elderly person"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  DATE ("registered_on", N_("Registered on"), REQ | NOFUT),
  BOOL ("living_alone", N_("Lives alone")),
  LONG ("legal_supporters", N_("Legal supporters"), NONE, PERSONAL),
  CHOICE ("pension_type", N_("Pension type"), NONE, "pension_type", PERSONAL),
  MONEY ("monthly_income", N_("Monthly income (lei)"), NONE),
  CHOICE ("housing_type", N_("Type of dwelling"), NONE, "housing_type", PERSONAL),
  LONG ("housing_notes", N_("Housing conditions"), NONE, PERSONAL),
  TEXT ("family_doctor", N_("Family doctor"), NONE, 200, PERSONAL),
  BOOL ("disability_certificate", N_("Has a disability certificate")),
  CHOICE ("dependency_degree", N_("Dependency degree"), NONE, "hg886_dependency_degree", SPECIAL),
  DATE ("dependency_assessed_on", N_("Dependency assessed on"), NOFUT),
  LONG ("services_received", N_("Services received"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

/* Fișa de evaluare sociomedicală, HG 886/2000 grid. */
static const TerenFieldDef elderly_assessment_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  REF ("person", N_("Elderly person"), NONE, "person"),
  DATE ("date", N_("Date of the assessment"), REQ | NOFUT),
  WORKER ("social_worker", N_("Social worker")),
  WORKER ("doctor", N_("Doctor")),
  CHOICE ("adl_hygiene", N_("Body hygiene"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("adl_dressing", N_("Dressing"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("adl_feeding", N_("Feeding"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("adl_mobility", N_("Moving inside the home"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("adl_transfer", N_("Getting in and out of bed"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("adl_continence", N_("Continence"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("iadl_phone", N_("Using the telephone"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("iadl_shopping", N_("Shopping"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("iadl_cooking", N_("Preparing meals"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("iadl_housekeeping", N_("Housekeeping"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("iadl_transport", N_("Using transport"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("iadl_medication", N_("Taking medication"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("iadl_finances", N_("Managing money"), NONE, "autonomy_level", SPECIAL),
  CHOICE ("sight", N_("Sight"), NONE, "sensory_level", SPECIAL),
  CHOICE ("hearing", N_("Hearing"), NONE, "sensory_level", SPECIAL),
  CHOICE ("cognition", N_("Cognition"), NONE, "cognition_level", SPECIAL),
  CHOICE ("mood", N_("Mood"), NONE, "mood_level", SPECIAL),
  BOOL ("bedridden", N_("Bedridden")),
  LONG ("diagnoses", N_("Diagnoses (ICD-10)"), NONE, SPECIAL),
  CHOICE ("computed_degree", N_("Degree from the answers"), NONE, "hg886_dependency_degree", SPECIAL),
  CHOICE ("degree", N_("Dependency degree"), NONE, "hg886_dependency_degree", SPECIAL),
  LONG ("override_reason", N_("Why the degree differs from the answers"), NONE, SPECIAL),
  MULTI ("recommended_services", N_("Recommended services"), NONE, "care_service", SPECIAL),
  ATTACHMENTS (PERSONAL),
};

/* Plan individualizat de asistență și îngrijire; its services are elderly.care_service rows. */
static const TerenFieldDef elderly_care_plan_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  TEXT ("number", N_("Plan number"), NONE, 50, NORMAL),
  DATE ("start_on", N_("In force from"), REQ),
  DATE ("review_on", N_("Review date"), REQ),
  DATE ("end_on", N_("In force until"), NONE),
  CHOICE ("status", N_("Plan status"), NONE, "plan_status", NORMAL),
  MULTI ("services", N_("Care services"), NONE, "care_service", SPECIAL),
  INT ("visits_per_week", N_("Visits a week"), NONE, 0, 21),
  INT ("minutes_per_visit", N_("Minutes a visit"), NONE, 0, 720),
  WORKER ("carer", N_("Carer")),
  LONG ("objectives", N_("General objectives"), NONE, PERSONAL),
  WORKER ("responsible", N_("Case manager")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef elderly_care_service_fields[] = {
  REF ("plan", N_("Care plan"), REQ, "elderly.care_plan"),
  CHOICE ("service", N_("Service"), REQ, "care_service", SPECIAL),
  TEXT ("frequency", N_("Frequency"), NONE, 100, NORMAL),
  INT ("minutes", N_("Minutes each time"), NONE, 0, 720),
  WORKER ("carer", N_("Carer")),
};

static const TerenFieldDef elderly_home_care_visit_fields[] = {
  REF ("person", N_("Elderly person"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  REF ("plan", N_("Care plan"), NONE, "elderly.care_plan"),
  WORKER ("carer", N_("Carer")),
  DATE ("date", N_("Date"), REQ | NOFUT),
  TIME ("arrival_time", N_("Arrival"), REQ),
  TIME ("departure_time", N_("Departure"), REQ),
  MULTI ("activities", N_("Activities done"), NONE, "care_service", SPECIAL),
  LONG ("observations", N_("Observations"), NONE, SPECIAL),
  BOOL ("incident", N_("Incident")),
  LONG ("incident_notes", N_("What happened"), NONE, SPECIAL),
  CHOICE ("signed", N_("Signature"), NONE, "signer", NORMAL),
};

static const TerenFieldDef elderly_contribution_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  TEXT ("month", N_("Month (YYYY-MM)"), REQ, 7, NORMAL),
  MONEY ("amount", N_("Beneficiary’s contribution (lei)"), REQ),
  MONEY ("supporters_amount", N_("Legal supporters’ contribution (lei)"), NONE),
  TEXT ("decision", N_("Local council decision"), NONE, 100, NORMAL),
  DATE ("paid_on", N_("Paid on"), NOFUT),
};

/* ---- adults at risk (§9) ----------------------------------------------------------------- */

static const TerenFieldDef adult_risk_assessment_fields[] = {
  REF ("person", N_("Person"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  DATE ("date", N_("Date of the assessment"), REQ | NOFUT),
  MULTI ("risks", N_("Risk situations"), REQ, "adult_risk", SPECIAL),
  CHOICE ("urgency", N_("Urgency"), NONE, "urgency", NORMAL),
  LONG ("description", N_("Description of the situation"), NONE, SPECIAL),
  LONG ("proposals", N_("Proposals"), NONE, PERSONAL),
  WORKER ("assessor", N_("Assessed by")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef adult_intervention_plan_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  DATE ("start_on", N_("In force from"), REQ),
  DATE ("review_on", N_("Review date"), REQ),
  DATE ("end_on", N_("In force until"), NONE),
  CHOICE ("status", N_("Plan status"), NONE, "plan_status", NORMAL),
  BOOL ("reintegration", N_("Reintegration plan")),
  LONG ("objectives", N_("General objectives"), REQ, PERSONAL),
  LONG ("services", N_("Services and steps"), NONE, PERSONAL),
  WORKER ("responsible", N_("Case manager")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef adult_counselling_fields[] = {
  REF ("person", N_("Person"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  DATE ("date", N_("Date"), REQ | NOFUT),
  CHOICE ("type", N_("Counselling type"), REQ, "counselling_type", NORMAL),
  INT ("duration_minutes", N_("Duration (minutes)"), NONE, 1, 480),
  TEXT ("topic", N_("Topic"), NONE, 200, PERSONAL),
  LONG ("notes", N_("Notes"), NONE, SPECIAL),
  WORKER ("counsellor", N_("Counsellor")),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef adult_residential_placement_fields[] = {
  REF ("person", N_("Person"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  CHOICE ("facility_type", N_("Residential service"), REQ, "residential_type", NORMAL),
  TEXT ("facility", N_("Name of the facility"), NONE, 200, NORMAL),
  DATE ("requested_on", N_("Requested on"), REQ | NOFUT),
  MULTI ("documents", N_("Placement documents"), NONE, "placement_document", NORMAL),
  CHOICE ("status", N_("Placement status"), NONE, "placement_status", NORMAL),
  DATE ("admitted_on", N_("Admitted on"), NONE),
  MONEY ("person_contribution", N_("Person’s monthly contribution (lei)"), NONE),
  MONEY ("supporters_contribution", N_("Legal supporters’ contribution (lei)"), NONE),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef adult_emergency_aid_fields[] = {
  REF ("person", N_("Person"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  DATE ("date", N_("Date of the request"), REQ | NOFUT),
  CHOICE ("cause", N_("Cause of the emergency"), REQ, "emergency_cause", PERSONAL),
  CHOICE ("urgency", N_("Urgency"), REQ, "urgency", NORMAL),
  INT ("decision_within_hours", N_("Decision within (hours)"), NONE, 1, 720),
  CHOICE ("aid_form", N_("Form of aid"), NONE, "aid_form", NORMAL),
  MONEY ("amount", N_("Amount (lei)"), NONE),
  DATE ("decided_on", N_("Decided on"), NOFUT),
  TEXT ("decision_number", N_("Decision number"), NONE, 50, NORMAL),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

/* ---- social canteen (§4) ----------------------------------------------------------------- */

static const TerenFieldDef canteen_beneficiary_fields[] = {
  REF ("person", N_("Beneficiary"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  CHOICE ("category", N_("Canteen category"), REQ, "canteen_category", PERSONAL),
  DATE ("requested_on", N_("Request date"), REQ | NOFUT),
  INT ("household_size", N_("Members of the family"), REQ, 1, 30),
  MONEY ("income_total", N_("Net monthly income of the family (lei)"), NONE),
  MONEY ("income_per_member", N_("Income per member (lei)"), NONE),
  MONEY ("meal_cost", N_("Daily cost of the meals (lei)"), NONE),
  BOOL ("free", N_("Free of charge")),
  MONEY ("contribution", N_("Monthly contribution (lei)"), NONE),
  MULTI ("meals", N_("Meals"), REQ, "canteen_meal", NORMAL),
  CHOICE ("delivery", N_("Delivery"), NONE, "canteen_delivery", NORMAL),
  DATE ("start_on", N_("Entitled from"), REQ),
  DATE ("end_on", N_("Entitled until"), NONE),
  DATE ("documents_renewed_on", N_("Documents last renewed on"), NOFUT),
  INT ("days_used", N_("Days already used this year (category g)"), NONE, 0, 366),
  TEXT ("decision_number", N_("Decision number"), NONE, 50, NORMAL),
  DATE ("decision_date", N_("Decision date"), NOFUT),
  TEXT ("contract_number", N_("Contract number"), NONE, 50, NORMAL),
  DATE ("contract_date", N_("Contract date"), NOFUT),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef canteen_household_member_fields[] = {
  REF ("beneficiary", N_("Canteen beneficiary"), REQ, "canteen.beneficiary"),
  REF ("person", N_("Person"), NONE, "person"),
  TEXT ("name", N_("Name"), NONE, 200, PERSONAL),
  CHOICE ("relationship", N_("Relationship"), NONE, "relationship", PERSONAL),
  DATE ("birth_date", N_("Birth date"), NOFUT),
  MONEY ("income", N_("Monthly income (lei)"), NONE),
};

static const TerenFieldDef canteen_meal_fields[] = {
  REF ("beneficiary", N_("Canteen beneficiary"), REQ, "canteen.beneficiary"),
  DATE ("date", N_("Date"), REQ | NOFUT),
  BOOL ("lunch", N_("Lunch (prânz)")),
  BOOL ("dinner", N_("Dinner (cină)")),
  MONEY ("unit_cost", N_("Cost of one portion (lei)"), NONE),
  CHOICE ("picked_up_by", N_("Picked up by"), NONE, "pickup_by", NORMAL),
  TEXT ("proxy_name", N_("Name of the proxy"), NONE, PERSON_NAME_MAX, PERSONAL),
};

/* ---- homeless (§5) ----------------------------------------------------------------------- */

static const TerenFieldDef homeless_profile_fields[] = {
  REF ("person", N_("Person"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  TEXT ("alias", N_("Alias or nickname"), SEARCH, 100, PERSONAL),
  INT ("estimated_birth_year", N_("Estimated birth year"), NONE, 1900, 2100),
  CHOICE ("identification", N_("Identification"), NONE, "identification_status", PERSONAL),
  TEXT ("usual_location", N_("Usual location"), NONE, 300, PERSONAL),
  MULTI ("reasons", N_("Reasons (legal definition)"), REQ, "homeless_reason", PERSONAL),
  LONG ("family_contacts", N_("Family contacts"), NONE, PERSONAL),
  LONG ("health_issues", N_("Health problems"), NONE, SPECIAL),
  LONG ("benefits", N_("Benefits the person may claim"), NONE, PERSONAL),
  LONG ("id_recovery", N_("Steps to recover identity documents"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef homeless_street_contact_fields[] = {
  REF ("person", N_("Person"), NONE, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  DATE ("date", N_("Date"), REQ | NOFUT),
  TIME ("contact_time", N_("Time"), NONE),
  TEXT ("place", N_("Place"), REQ, 300, PERSONAL),
  TEXT ("team", N_("Mobile team"), NONE, 200, NORMAL),
  MULTI ("services", N_("Services offered"), NONE, "street_service", NORMAL),
  BOOL ("refused", N_("Help refused")),
  CHOICE ("weather_code", N_("Weather code"), NONE, "weather_code", NORMAL),
  LONG ("notes", N_("Notes"), NONE, PERSONAL),
};

static const TerenFieldDef homeless_shelter_stay_fields[] = {
  REF ("person", N_("Person"), REQ, "person"),
  REF ("case", N_("Case"), NONE, "case"),
  TEXT ("shelter", N_("Shelter"), REQ, 200, NORMAL),
  TEXT ("bed", N_("Bed"), NONE, 20, NORMAL),
  DATE ("check_in_on", N_("Check-in date"), REQ | NOFUT),
  TIME ("check_in_time", N_("Check-in time"), NONE),
  DATE ("check_out_on", N_("Check-out date"), NONE),
  TIME ("check_out_time", N_("Check-out time"), NONE),
  LONG ("incidents", N_("Incidents"), NONE, PERSONAL),
  ATTACHMENTS (PERSONAL),
};

static const TerenFieldDef homeless_intervention_plan_fields[] = {
  REF ("case", N_("Case"), REQ, "case"),
  DATE ("start_on", N_("In force from"), REQ),
  DATE ("review_on", N_("Review date"), REQ),
  CHOICE ("status", N_("Plan status"), NONE, "plan_status", NORMAL),
  LONG ("id_documents", N_("Identity documents"), NONE, PERSONAL),
  DATE ("id_documents_deadline", N_("Identity documents: deadline"), NONE),
  LONG ("health", N_("Health care"), NONE, SPECIAL),
  DATE ("health_deadline", N_("Health care: deadline"), NONE),
  LONG ("income", N_("Income"), NONE, PERSONAL),
  DATE ("income_deadline", N_("Income: deadline"), NONE),
  LONG ("work", N_("Work"), NONE, PERSONAL),
  DATE ("work_deadline", N_("Work: deadline"), NONE),
  LONG ("housing", N_("Housing"), NONE, PERSONAL),
  DATE ("housing_deadline", N_("Housing: deadline"), NONE),
  LONG ("family", N_("Family reintegration"), NONE, PERSONAL),
  DATE ("family_deadline", N_("Family reintegration: deadline"), NONE),
  WORKER ("responsible", N_("Case manager")),
  ATTACHMENTS (PERSONAL),
};

/* ---- kinds --------------------------------------------------------------------------------- */

#define ANY_LINE(name, label, fields)  { name, label, FALSE, TRUE, NULL, FIELDS (fields) }
#define OF_LINE(name, label, line, fields) { name, label, FALSE, FALSE, line, FIELDS (fields) }

static const TerenKindDef kind_intake = ANY_LINE ("intake", N_("Signal or request"), intake_fields);
static const TerenKindDef kind_assessment = ANY_LINE ("assessment", N_("Assessment"), assessment_fields);
static const TerenKindDef kind_plan = ANY_LINE ("plan", N_("Plan"), plan_fields);
static const TerenKindDef kind_plan_item = ANY_LINE ("plan_item", N_("Plan objective"), plan_item_fields);
static const TerenKindDef kind_decision = ANY_LINE ("decision", N_("Decision (dispoziție)"), decision_fields);
static const TerenKindDef kind_contract = ANY_LINE ("contract", N_("Services contract"), contract_fields);
static const TerenKindDef kind_review = ANY_LINE ("review", N_("Monitoring and review"), review_fields);
static const TerenKindDef kind_referral = ANY_LINE ("referral", N_("Referral"), referral_fields);
static const TerenKindDef kind_closure = ANY_LINE ("closure", N_("Case closure"), closure_fields);

static const TerenKindDef kind_child_case_profile =
  OF_LINE ("child.case_profile", N_("Child case"), "child", child_case_profile_fields);
static const TerenKindDef kind_child_signal =
  OF_LINE ("child.signal", N_("Signal form (fișă de semnalare)"), "child", child_signal_fields);
static const TerenKindDef kind_child_initial_assessment =
  OF_LINE ("child.initial_assessment", N_("Initial assessment"), "child", child_initial_assessment_fields);
static const TerenKindDef kind_child_social_inquiry =
  OF_LINE ("child.social_inquiry", N_("Social inquiry (anchetă socială)"), "child", child_social_inquiry_fields);
static const TerenKindDef kind_child_inquiry_member =
  OF_LINE ("child.inquiry_member", N_("Family member in the inquiry"), "child", child_inquiry_member_fields);
static const TerenKindDef kind_child_court_request =
  OF_LINE ("child.court_request", N_("Court request"), "child", child_court_request_fields);
static const TerenKindDef kind_child_service_plan =
  OF_LINE ("child.service_plan", N_("Services plan"), "child", child_service_plan_fields);
static const TerenKindDef kind_child_plan_item =
  OF_LINE ("child.plan_item", N_("Services plan objective"), "child", child_plan_item_fields);
static const TerenKindDef kind_child_protection_measure =
  OF_LINE ("child.protection_measure", N_("Protection measure"), "child", child_protection_measure_fields);
static const TerenKindDef kind_child_reintegration_monitoring =
  OF_LINE ("child.reintegration_monitoring", N_("Reintegration monitoring"), "child", child_reintegration_monitoring_fields);
static const TerenKindDef kind_child_parents_abroad =
  OF_LINE ("child.parents_abroad", N_("Child with parents abroad"), "child", child_parents_abroad_fields);
static const TerenKindDef kind_child_school_list =
  OF_LINE ("child.school_list", N_("Yearly school list"), "child", child_school_list_fields);
static const TerenKindDef kind_child_birth_registration =
  OF_LINE ("child.birth_registration", N_("Birth registration support"), "child", child_birth_registration_fields);

static const TerenKindDef kind_creche_enrolment =
  OF_LINE ("creche.enrolment", N_("Crèche enrolment"), "creche", creche_enrolment_fields);
static const TerenKindDef kind_creche_attendance =
  OF_LINE ("creche.attendance", N_("Crèche attendance"), "creche", creche_attendance_fields);
static const TerenKindDef kind_creche_triage =
  OF_LINE ("creche.triage", N_("Morning triage"), "creche", creche_triage_fields);
static const TerenKindDef kind_creche_contribution_rule =
  OF_LINE ("creche.contribution_rule", N_("Contribution rule"), "creche", creche_contribution_rule_fields);
static const TerenKindDef kind_creche_contribution =
  OF_LINE ("creche.contribution", N_("Parents’ contribution"), "creche", creche_contribution_fields);

static const TerenKindDef kind_elderly_registry_entry =
  OF_LINE ("elderly.registry_entry", N_("Elderly registry entry"), "elderly", elderly_registry_entry_fields);
static const TerenKindDef kind_elderly_assessment =
  OF_LINE ("elderly.assessment", N_("Socio-medical assessment"), "elderly", elderly_assessment_fields);
static const TerenKindDef kind_elderly_care_plan =
  OF_LINE ("elderly.care_plan", N_("Individual assistance and care plan"), "elderly", elderly_care_plan_fields);
static const TerenKindDef kind_elderly_care_service =
  OF_LINE ("elderly.care_service", N_("Service of the care plan"), "elderly", elderly_care_service_fields);
static const TerenKindDef kind_elderly_home_care_visit =
  OF_LINE ("elderly.home_care_visit", N_("Home-care visit"), "elderly", elderly_home_care_visit_fields);
static const TerenKindDef kind_elderly_contribution =
  OF_LINE ("elderly.contribution", N_("Contribution to the care cost"), "elderly", elderly_contribution_fields);

static const TerenKindDef kind_adult_risk_assessment =
  OF_LINE ("adult.risk_assessment", N_("Risk identification"), "adult", adult_risk_assessment_fields);
static const TerenKindDef kind_adult_intervention_plan =
  OF_LINE ("adult.intervention_plan", N_("Intervention plan"), "adult", adult_intervention_plan_fields);
static const TerenKindDef kind_adult_counselling =
  OF_LINE ("adult.counselling", N_("Counselling session"), "adult", adult_counselling_fields);
static const TerenKindDef kind_adult_residential_placement =
  OF_LINE ("adult.residential_placement", N_("Placement in residential care"), "adult", adult_residential_placement_fields);
static const TerenKindDef kind_adult_emergency_aid =
  OF_LINE ("adult.emergency_aid", N_("Emergency aid"), "adult", adult_emergency_aid_fields);

static const TerenKindDef kind_canteen_beneficiary =
  OF_LINE ("canteen.beneficiary", N_("Canteen beneficiary file"), "canteen", canteen_beneficiary_fields);
static const TerenKindDef kind_canteen_household_member =
  OF_LINE ("canteen.household_member", N_("Family member and income"), "canteen", canteen_household_member_fields);
static const TerenKindDef kind_canteen_meal =
  OF_LINE ("canteen.meal", N_("Meals served"), "canteen", canteen_meal_fields);

static const TerenKindDef kind_homeless_profile =
  OF_LINE ("homeless.profile", N_("Homeless person"), "homeless", homeless_profile_fields);
static const TerenKindDef kind_homeless_street_contact =
  OF_LINE ("homeless.street_contact", N_("Street contact"), "homeless", homeless_street_contact_fields);
static const TerenKindDef kind_homeless_shelter_stay =
  OF_LINE ("homeless.shelter_stay", N_("Shelter stay"), "homeless", homeless_shelter_stay_fields);
static const TerenKindDef kind_homeless_intervention_plan =
  OF_LINE ("homeless.intervention_plan", N_("Intervention plan"), "homeless", homeless_intervention_plan_fields);

const TerenKindDef * const teren_schema_kinds_social[] = {
  &kind_intake,
  &kind_assessment,
  &kind_plan,
  &kind_plan_item,
  &kind_decision,
  &kind_contract,
  &kind_review,
  &kind_referral,
  &kind_closure,
  &kind_child_case_profile,
  &kind_child_signal,
  &kind_child_initial_assessment,
  &kind_child_social_inquiry,
  &kind_child_inquiry_member,
  &kind_child_court_request,
  &kind_child_service_plan,
  &kind_child_plan_item,
  &kind_child_protection_measure,
  &kind_child_reintegration_monitoring,
  &kind_child_parents_abroad,
  &kind_child_school_list,
  &kind_child_birth_registration,
  &kind_creche_enrolment,
  &kind_creche_attendance,
  &kind_creche_triage,
  &kind_creche_contribution_rule,
  &kind_creche_contribution,
  &kind_elderly_registry_entry,
  &kind_elderly_assessment,
  &kind_elderly_care_plan,
  &kind_elderly_care_service,
  &kind_elderly_home_care_visit,
  &kind_elderly_contribution,
  &kind_adult_risk_assessment,
  &kind_adult_intervention_plan,
  &kind_adult_counselling,
  &kind_adult_residential_placement,
  &kind_adult_emergency_aid,
  &kind_canteen_beneficiary,
  &kind_canteen_household_member,
  &kind_canteen_meal,
  &kind_homeless_profile,
  &kind_homeless_street_contact,
  &kind_homeless_shelter_stay,
  &kind_homeless_intervention_plan,
  NULL,
};
