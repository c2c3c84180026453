/* teren-nomenclature-social.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-nomenclature-private.h"

/* Built-in lists of the social service lines: child protection, crèche, elderly and adults, social canteen, homeless (DOMAIN.md §1–5, §9).
 * Codes are stable ASCII, official codes where DOMAIN.md gives them; never rename one. */

#define ITEMS(array) array, G_N_ELEMENTS (array)

/* ---- the case life-cycle (§0.2), shared by every line -------------------------------- */

/* The line ids of teren-line.c, for referrals and transfers between lines. */
static const TerenNomenclatureItem service_line_items[] = {
  { "creche",           N_("Crèches") },
  { "child",            N_("Child protection") },
  { "elderly",          N_("Elderly") },
  { "canteen",          N_("Social canteen") },
  { "homeless",         N_("Homeless persons") },
  { "school_health",    N_("School medical cabinets") },
  { "community_health", N_("Community medical assistance") },
  { "disability",       N_("Disability and personal assistants") },
  { "adult",            N_("Adults at risk") },
};

static const TerenNomenclatureItem intake_type_items[] = {
  { "signal",     N_("Signal (semnalare)") },
  { "request",    N_("Request (cerere)") },
  { "ex_officio", N_("Opened ex officio") },
};

static const TerenNomenclatureItem intake_channel_items[] = {
  { "written",     N_("In writing") },
  { "phone",       N_("By telephone") },
  { "in_person",   N_("In person") },
  { "signal_form", N_("Signal form (fișă de semnalare)") },
  { "email",       N_("By email") },
  { "field",       N_("Found in the field") },
  { "other",       N_("Other channel") },
};

static const TerenNomenclatureItem assessment_type_items[] = {
  { "initial",        N_("Initial assessment") },
  { "social_inquiry", N_("Social inquiry (anchetă socială)") },
  { "complex",        N_("Complex assessment") },
  { "reassessment",   N_("Reassessment") },
  { "other",          N_("Other assessment") },
};

/* The plan names of the services contract model (DOMAIN.md §0.1). */
static const TerenNomenclatureItem plan_type_items[] = {
  { "intervention",    N_("Intervention plan") },
  { "care",            N_("Individual assistance and care plan") },
  { "social_services", N_("Social services plan") },
  { "services",        N_("Services plan (child)") },
  { "protection",      N_("Individual protection plan") },
  { "rehabilitation",  N_("Habilitation and rehabilitation plan") },
  { "reintegration",   N_("Individual rehabilitation and social integration programme") },
};

static const TerenNomenclatureItem plan_status_items[] = {
  { "draft",     N_("Draft plan") },
  { "active",    N_("Plan in force") },
  { "revised",   N_("Replaced by a revised plan") },
  { "completed", N_("Plan completed") },
  { "cancelled", N_("Plan cancelled") },
};

static const TerenNomenclatureItem item_status_items[] = {
  { "planned",     N_("Not started") },
  { "in_progress", N_("In progress") },
  { "done",        N_("Achieved") },
  { "not_done",    N_("Not achieved") },
  { "cancelled",   N_("Dropped") },
};

static const TerenNomenclatureItem decision_issuer_items[] = {
  { "mayor",           N_("Mayor (dispoziție)") },
  { "director",        N_("Director of the directorate") },
  { "local_council",   N_("Local council (HCL)") },
  { "cpc",             N_("Child Protection Commission (CPC)") },
  { "court",           N_("Court") },
  { "dgaspc_director", N_("DGASPC director") },
  { "other",           N_("Other issuer") },
};

static const TerenNomenclatureItem decision_type_items[] = {
  { "admission",         N_("Admission to a service") },
  { "plan_approval",     N_("Approval of the plan") },
  { "benefit",           N_("Granting a benefit") },
  { "change",            N_("Change of services") },
  { "suspension",        N_("Suspension") },
  { "termination",       N_("Termination") },
  { "protection",        N_("Protection measure") },
  { "other",             N_("Other decision") },
};

static const TerenNomenclatureItem referral_direction_items[] = {
  { "outgoing", N_("Sent by us") },
  { "incoming", N_("Received by us") },
};

static const TerenNomenclatureItem referral_institution_items[] = {
  { "dgaspc",        N_("DGASPC") },
  { "school",        N_("School or kindergarten") },
  { "family_doctor", N_("Family doctor") },
  { "police",        N_("Police") },
  { "emergency_112", N_("Emergency number 112") },
  { "hospital",      N_("Hospital") },
  { "court",         N_("Court") },
  { "dsp",           N_("Public health directorate (DSP)") },
  { "ngo",           N_("Non-governmental organisation") },
  { "other",         N_("Other institution") },
};

static const TerenNomenclatureItem referral_status_items[] = {
  { "draft",     N_("Not sent yet") },
  { "sent",      N_("Sent, awaiting an answer") },
  { "accepted",  N_("Accepted") },
  { "declined",  N_("Declined") },
  { "completed", N_("Completed") },
};

static const TerenNomenclatureItem urgency_items[] = {
  { "normal",    N_("Normal") },
  { "urgent",    N_("Urgent") },
  { "emergency", N_("Emergency (danger)") },
};

static const TerenNomenclatureItem consent_giver_items[] = {
  { "beneficiary",          N_("The beneficiary") },
  { "parent",               N_("A parent") },
  { "legal_representative", N_("The legal representative") },
  { "other",                N_("Another person") },
  { "not_required",         N_("Not required (danger or legal duty)") },
};

/* ---- child protection (§2) ------------------------------------------------------------ */

/* DOMAIN.md §2 "risk_situation". */
static const TerenNomenclatureItem child_risk_items[] = {
  { "neglect",              N_("Neglect") },
  { "physical_abuse",       N_("Physical abuse") },
  { "emotional_abuse",      N_("Emotional abuse") },
  { "sexual_abuse",         N_("Sexual abuse") },
  { "labour_exploitation",  N_("Exploitation through labour") },
  { "sexual_exploitation",  N_("Sexual exploitation") },
  { "trafficking",          N_("Trafficking") },
  { "domestic_violence",    N_("Domestic violence") },
  { "street_child",         N_("Street child") },
  { "parents_abroad",       N_("Parents working abroad") },
  { "unregistered",         N_("Not registered or without documents") },
  { "abandonment_risk",     N_("Risk of abandonment") },
  { "school_dropout",       N_("School dropout or absenteeism") },
  { "substance_use",        N_("Alcohol or drug use") },
  { "delinquent_behaviour", N_("Delinquent behaviour") },
  { "offence_no_liability", N_("Offence without criminal liability") },
  { "disability",           N_("Child with disabilities") },
  { "minor_mother",         N_("Minor mother") },
  { "poverty_housing",      N_("Poverty or poor housing") },
};

static const TerenNomenclatureItem signal_source_items[] = {
  { "parent",       N_("A parent") },
  { "relative",     N_("A relative") },
  { "neighbour",    N_("A neighbour") },
  { "child",        N_("The child") },
  { "school",       N_("School or kindergarten") },
  { "family_doctor", N_("Family doctor") },
  { "hospital",     N_("Hospital or maternity") },
  { "police",       N_("Police") },
  { "community",    N_("Community consultative structure") },
  { "ngo",          N_("Non-governmental organisation") },
  { "dgaspc",       N_("DGASPC") },
  { "ex_officio",   N_("Identified by our staff") },
  { "anonymous",    N_("Anonymous") },
  { "other",        N_("Other source") },
};

static const TerenNomenclatureItem risk_level_items[] = {
  { "low",    N_("Low risk") },
  { "medium", N_("Medium risk") },
  { "high",   N_("High risk") },
};

static const TerenNomenclatureItem assessment_proposal_items[] = {
  { "monitoring",         N_("Monitoring only") },
  { "services_plan",      N_("Services plan") },
  { "special_protection", N_("Proposal of special protection to DGASPC") },
  { "other_institution",  N_("Referral to another institution") },
  { "close",              N_("No risk: close the case") },
};

static const TerenNomenclatureItem inquiry_purpose_items[] = {
  { "services", N_("Services plan") },
  { "court",    N_("Requested by a court") },
  { "notary",   N_("Requested by a notary") },
  { "dgaspc",   N_("Requested by DGASPC") },
  { "benefit",  N_("Benefit application") },
  { "other",    N_("Other purpose") },
};

static const TerenNomenclatureItem housing_type_items[] = {
  { "house",       N_("House") },
  { "flat",        N_("Flat") },
  { "improvised",  N_("Improvised dwelling") },
  { "social",      N_("Social housing") },
  { "institution", N_("Institution") },
  { "none",        N_("No dwelling") },
  { "other",       N_("Other dwelling") },
};

static const TerenNomenclatureItem housing_ownership_items[] = {
  { "owner",     N_("Owned") },
  { "rent",      N_("Rented") },
  { "relatives", N_("Lives with relatives") },
  { "public",    N_("Public or social housing") },
  { "none",      N_("No legal title") },
};

static const TerenNomenclatureItem condition_level_items[] = {
  { "good",       N_("Good") },
  { "acceptable", N_("Acceptable") },
  { "poor",       N_("Poor") },
};

static const TerenNomenclatureItem benefit_type_items[] = {
  { "state_allowance",  N_("State child allowance") },
  { "family_allowance", N_("Family support allowance") },
  { "minimum_income",   N_("Minimum inclusion income") },
  { "disability",       N_("Disability allowance") },
  { "foster",           N_("Placement allowance") },
  { "heating",          N_("Heating aid") },
  { "other",            N_("Other benefit") },
};

static const TerenNomenclatureItem court_object_items[] = {
  { "divorce",            N_("Divorce") },
  { "residence",          N_("Residence of the child") },
  { "personal_contact",   N_("Personal contact with the child") },
  { "parental_authority", N_("Parental authority") },
  { "guardianship",       N_("Guardianship") },
  { "maintenance",        N_("Maintenance") },
  { "carer_confirmation", N_("Confirmation of a designated carer") },
  { "other",              N_("Other object") },
};

static const TerenNomenclatureItem protection_measure_type_items[] = {
  { "family_placement",       N_("Placement with a family or person") },
  { "foster_care",            N_("Placement with a professional foster carer") },
  { "residential",            N_("Placement in a residential service") },
  { "emergency_placement",    N_("Emergency placement") },
  { "specialised_supervision", N_("Specialised supervision") },
  { "guardianship",           N_("Guardianship of the child") },
  { "adoption",               N_("Adoption") },
};

static const TerenNomenclatureItem protection_issuer_items[] = {
  { "cpc",             N_("Child Protection Commission (CPC)") },
  { "court",           N_("Court") },
  { "dgaspc_director", N_("DGASPC director (emergency)") },
};

static const TerenNomenclatureItem monitoring_assessment_items[] = {
  { "stable",    N_("Stable situation") },
  { "improving", N_("Improving") },
  { "worsening", N_("Worsening: risk again") },
};

static const TerenNomenclatureItem parents_abroad_who_items[] = {
  { "mother",        N_("The mother") },
  { "father",        N_("The father") },
  { "both",          N_("Both parents") },
  { "single_parent", N_("The single parent") },
  { "guardian",      N_("The guardian") },
};

/* ---- crèche (§1) ---------------------------------------------------------------------- */

/* Age groups: mică 3 months–1 year, mijlocie 1–2 years, mare 2–3 years [L28]. */
static const TerenNomenclatureItem creche_group_items[] = {
  { "small",  N_("Small group (under 1 year)") },
  { "middle", N_("Middle group (1–2 years)") },
  { "large",  N_("Large group (2–3 years)") },
  { "mixed",  N_("Mixed-age group") },
};

static const TerenNomenclatureItem creche_programme_items[] = {
  { "normal",   N_("Normal programme (5 hours)") },
  { "extended", N_("Extended programme (10 hours)") },
  { "weekly",   N_("Weekly programme") },
};

static const TerenNomenclatureItem creche_priority_items[] = {
  { "social_case",    N_("Social case") },
  { "single_parent",  N_("Single-parent family") },
  { "parents_working", N_("Both parents working") },
  { "sibling",        N_("A brother or sister already enrolled") },
  { "disability",     N_("Child or parent with disabilities") },
  { "foster",         N_("Child in a protection measure") },
  { "multiple_birth", N_("Twins or more") },
  { "other",          N_("Other priority criterion") },
};

static const TerenNomenclatureItem creche_document_items[] = {
  { "request",           N_("Enrolment request") },
  { "birth_certificate", N_("Child’s birth certificate") },
  { "parents_id",        N_("Parents’ identity documents") },
  { "employment",        N_("Proof of employment") },
  { "income",            N_("Proof of income") },
  { "priority",          N_("Proof of priority criteria") },
  { "medical",           N_("Medical certificate") },
  { "epidemiological",   N_("Epidemiological clearance") },
  { "vaccination",       N_("Vaccination record") },
};

static const TerenNomenclatureItem vaccination_status_items[] = {
  { "up_to_date",  N_("Up to date with the national calendar") },
  { "incomplete",  N_("Incomplete") },
  { "none",        N_("Not vaccinated") },
  { "unknown",     N_("Unknown") },
};

static const TerenNomenclatureItem attendance_status_items[] = {
  { "present", N_("Present") },
  { "absent",  N_("Absent") },
  { "excused", N_("Absent, excused") },
};

static const TerenNomenclatureItem triage_symptom_items[] = {
  { "fever",          N_("Fever") },
  { "cough",          N_("Cough") },
  { "runny_nose",     N_("Runny nose") },
  { "rash",           N_("Rash") },
  { "diarrhoea",      N_("Diarrhoea") },
  { "vomiting",       N_("Vomiting") },
  { "conjunctivitis", N_("Conjunctivitis") },
  { "lice",           N_("Lice") },
  { "other",          N_("Other sign") },
};

/* ---- elderly and adults (§3, §9) ------------------------------------------------------- */

static const TerenNomenclatureItem autonomy_level_items[] = {
  { "independent", N_("Independent") },
  { "partial",     N_("Needs some help") },
  { "dependent",   N_("Dependent") },
};

static const TerenNomenclatureItem sensory_level_items[] = {
  { "normal",   N_("Normal") },
  { "impaired", N_("Impaired") },
  { "severe",   N_("Severely impaired") },
};

static const TerenNomenclatureItem cognition_level_items[] = {
  { "normal",   N_("Normal") },
  { "mild",     N_("Mild impairment") },
  { "severe",   N_("Severe impairment (dementia)") },
};

static const TerenNomenclatureItem mood_level_items[] = {
  { "normal",     N_("Normal") },
  { "anxious",    N_("Anxious or depressive") },
  { "severe",     N_("Severe disorder") },
};

static const TerenNomenclatureItem pension_type_items[] = {
  { "old_age",    N_("Old-age pension") },
  { "disability", N_("Disability pension") },
  { "survivor",   N_("Survivor’s pension") },
  { "social",     N_("Social indemnity") },
  { "farmer",     N_("Farmer’s pension") },
  { "none",       N_("No pension") },
};

/* PIAI services by category (§3 home_care_plan). */
static const TerenNomenclatureItem care_service_items[] = {
  { "soc_personal_care",   N_("Personal care") },
  { "soc_marginalisation", N_("Prevention of marginalisation") },
  { "soc_counselling",     N_("Legal and administrative counselling") },
  { "soc_bills",           N_("Help paying bills") },
  { "soc_maintenance",     N_("Home maintenance") },
  { "soc_household",       N_("Household help") },
  { "soc_meals",           N_("Meal preparation") },
  { "socmed_abilities",    N_("Keeping or regaining abilities") },
  { "socmed_ergotherapy",  N_("Ergotherapy") },
  { "socmed_hygiene",      N_("Help with body hygiene") },
  { "med_consultation",    N_("Medical consultation at home") },
  { "med_nursing",         N_("Nursing care at home") },
  { "med_palliative",      N_("Palliative care") },
  { "med_devices",         N_("Medical devices") },
};

static const TerenNomenclatureItem signer_items[] = {
  { "beneficiary", N_("Signed by the beneficiary") },
  { "witness",     N_("Signed by a witness") },
  { "none",        N_("Not signed") },
};

/* DOMAIN.md §9 adult risk nomenclature. */
static const TerenNomenclatureItem adult_risk_items[] = {
  { "no_dwelling",         N_("No dwelling") },
  { "eviction_risk",       N_("Risk of eviction") },
  { "domestic_violence",   N_("Domestic violence") },
  { "disability_no_support", N_("Disability without support") },
  { "chronic_illness",     N_("Chronic illness without care") },
  { "addiction",           N_("Alcohol or drug dependence") },
  { "leaving_institution", N_("Leaving prison or an institution") },
  { "isolation",           N_("Social isolation") },
  { "extreme_poverty",     N_("Extreme poverty") },
  { "no_id",               N_("No identity documents") },
};

static const TerenNomenclatureItem counselling_type_items[] = {
  { "social",        N_("Social counselling") },
  { "legal",         N_("Legal and administrative counselling") },
  { "psychological", N_("Psychological counselling (by referral)") },
};

static const TerenNomenclatureItem residential_type_items[] = {
  { "elderly_home",     N_("Care home for the elderly") },
  { "disability_centre", N_("Centre for adults with disabilities") },
  { "shelter",          N_("Shelter") },
  { "other",            N_("Other residential service") },
};

static const TerenNomenclatureItem placement_document_items[] = {
  { "request",            N_("Request") },
  { "social_inquiry",     N_("Social inquiry") },
  { "medical",            N_("Medical or geriatric assessment") },
  { "decision",           N_("Decision (dispoziție)") },
  { "contract",           N_("Services contract") },
  { "payment_undertaking", N_("Payment undertaking") },
  { "income",             N_("Proof of income") },
};

static const TerenNomenclatureItem placement_status_items[] = {
  { "preparing", N_("File being prepared") },
  { "submitted", N_("File submitted") },
  { "admitted",  N_("Admitted") },
  { "refused",   N_("Refused") },
  { "withdrawn", N_("Withdrawn") },
};

static const TerenNomenclatureItem emergency_cause_items[] = {
  { "fire",    N_("Fire") },
  { "flood",   N_("Flood or calamity") },
  { "death",   N_("Death in the family") },
  { "illness", N_("Serious illness") },
  { "eviction", N_("Eviction") },
  { "other",   N_("Other emergency") },
};

static const TerenNomenclatureItem aid_form_items[] = {
  { "cash",          N_("Money") },
  { "goods",         N_("Goods") },
  { "accommodation", N_("Emergency accommodation") },
};

/* ---- social canteen (§4) ---------------------------------------------------------------- */

/* Legea 208/1997 art. 2 alin. (1) letters a–g. */
static const TerenNomenclatureItem canteen_category_items[] = {
  { "a", N_("a) Child up to 18 in a low-income family") },
  { "b", N_("b) Young person in education, up to 25 (26)") },
  { "c", N_("c) Beneficiary of social aid") },
  { "d", N_("d) Pensioner") },
  { "e", N_("e) Isolated person of retirement age") },
  { "f", N_("f) Invalid or chronically ill person") },
  { "g", N_("g) Temporarily without income (90 days a year)") },
};

static const TerenNomenclatureItem canteen_meal_items[] = {
  { "lunch",  N_("Lunch (prânz)") },
  { "dinner", N_("Dinner (cină)") },
};

static const TerenNomenclatureItem canteen_delivery_items[] = {
  { "canteen", N_("At the canteen") },
  { "home",    N_("Home delivery") },
};

static const TerenNomenclatureItem pickup_by_items[] = {
  { "self",  N_("The beneficiary") },
  { "proxy", N_("A proxy") },
};

/* ---- homeless (§5) ---------------------------------------------------------------------- */

/* Legea 292/2011 definition [L50]. */
static const TerenNomenclatureItem homeless_reason_items[] = {
  { "street",          N_("Lives in the street") },
  { "with_friends",    N_("Stays temporarily with friends or acquaintances") },
  { "cannot_pay_rent", N_("Cannot afford rent") },
  { "eviction_risk",   N_("At risk of eviction") },
  { "leaving_institution", N_("Leaves an institution within 2 months") },
  { "leaving_prison",  N_("Released from prison within 2 months") },
};

static const TerenNomenclatureItem identification_status_items[] = {
  { "with_id",    N_("Identified, with identity document") },
  { "without_id", N_("Identified, without identity document") },
  { "unknown",    N_("Not identified") },
};

static const TerenNomenclatureItem street_service_items[] = {
  { "hot_meal",  N_("Hot meal") },
  { "clothes",   N_("Clothes") },
  { "blankets",  N_("Blankets") },
  { "first_aid", N_("First aid") },
  { "shelter",   N_("Transport to a shelter") },
  { "hospital",  N_("Referral to hospital") },
  { "call_112",  N_("Call to 112") },
  { "hygiene",   N_("Hygiene kit") },
  { "information", N_("Information and counselling") },
};

static const TerenNomenclatureItem weather_code_items[] = {
  { "none",   N_("No weather warning") },
  { "yellow", N_("Yellow code") },
  { "orange", N_("Orange code") },
  { "red",    N_("Red code") },
};

const TerenNomenclature teren_nomenclatures_social[] = {
  { "service_line",            N_("Service line"),                ITEMS (service_line_items) },
  { "intake_type",             N_("Signal or request"),           ITEMS (intake_type_items) },
  { "intake_channel",          N_("Channel"),                     ITEMS (intake_channel_items) },
  { "assessment_type",         N_("Assessment type"),             ITEMS (assessment_type_items) },
  { "plan_type",               N_("Plan type"),                   ITEMS (plan_type_items) },
  { "plan_status",             N_("Plan status"),                 ITEMS (plan_status_items) },
  { "item_status",             N_("Objective status"),            ITEMS (item_status_items) },
  { "decision_issuer",         N_("Issuer of the decision"),      ITEMS (decision_issuer_items) },
  { "decision_type",           N_("Decision type"),               ITEMS (decision_type_items) },
  { "referral_direction",      N_("Referral direction"),          ITEMS (referral_direction_items) },
  { "referral_institution",    N_("Institution"),                 ITEMS (referral_institution_items) },
  { "referral_status",         N_("Referral status"),             ITEMS (referral_status_items) },
  { "urgency",                 N_("Urgency"),                     ITEMS (urgency_items) },
  { "consent_giver",           N_("Consent given by"),            ITEMS (consent_giver_items) },
  { "child_risk",              N_("Risk situation of a child"),   ITEMS (child_risk_items) },
  { "signal_source",           N_("Source of the signal"),        ITEMS (signal_source_items) },
  { "risk_level",              N_("Risk level"),                  ITEMS (risk_level_items) },
  { "assessment_proposal",     N_("Proposal of the assessment"),  ITEMS (assessment_proposal_items) },
  { "inquiry_purpose",         N_("Purpose of the inquiry"),      ITEMS (inquiry_purpose_items) },
  { "housing_type",            N_("Type of dwelling"),            ITEMS (housing_type_items) },
  { "housing_ownership",       N_("Housing title"),               ITEMS (housing_ownership_items) },
  { "condition_level",         N_("Condition"),                   ITEMS (condition_level_items) },
  { "benefit_type",            N_("Social benefit"),              ITEMS (benefit_type_items) },
  { "court_object",            N_("Object of the court case"),    ITEMS (court_object_items) },
  { "protection_measure_type", N_("Protection measure"),          ITEMS (protection_measure_type_items) },
  { "protection_issuer",       N_("Issued by"),                   ITEMS (protection_issuer_items) },
  { "monitoring_assessment",   N_("Assessment of the situation"), ITEMS (monitoring_assessment_items) },
  { "parents_abroad_who",      N_("Who left"),                    ITEMS (parents_abroad_who_items) },
  { "creche_group",            N_("Crèche group"),                ITEMS (creche_group_items) },
  { "creche_programme",        N_("Programme"),                   ITEMS (creche_programme_items) },
  { "creche_priority",         N_("Priority criteria"),           ITEMS (creche_priority_items) },
  { "creche_document",         N_("Admission documents"),         ITEMS (creche_document_items) },
  { "vaccination_status",      N_("Vaccination status"),          ITEMS (vaccination_status_items) },
  { "attendance_status",       N_("Attendance"),                  ITEMS (attendance_status_items) },
  { "triage_symptom",          N_("Signs at the morning triage"), ITEMS (triage_symptom_items) },
  { "autonomy_level",          N_("Autonomy"),                    ITEMS (autonomy_level_items) },
  { "sensory_level",           N_("Sensory function"),            ITEMS (sensory_level_items) },
  { "cognition_level",         N_("Cognition"),                   ITEMS (cognition_level_items) },
  { "mood_level",              N_("Mood"),                        ITEMS (mood_level_items) },
  { "pension_type",            N_("Pension type"),                ITEMS (pension_type_items) },
  { "care_service",            N_("Care services"),               ITEMS (care_service_items) },
  { "signer",                  N_("Signature"),                   ITEMS (signer_items) },
  { "adult_risk",              N_("Risk situation of an adult"),  ITEMS (adult_risk_items) },
  { "counselling_type",        N_("Counselling type"),            ITEMS (counselling_type_items) },
  { "residential_type",        N_("Residential service"),         ITEMS (residential_type_items) },
  { "placement_document",      N_("Placement documents"),         ITEMS (placement_document_items) },
  { "placement_status",        N_("Placement status"),            ITEMS (placement_status_items) },
  { "emergency_cause",         N_("Cause of the emergency"),      ITEMS (emergency_cause_items) },
  { "aid_form",                N_("Form of aid"),                 ITEMS (aid_form_items) },
  { "canteen_category",        N_("Canteen category"),            ITEMS (canteen_category_items) },
  { "canteen_meal",            N_("Meals"),                       ITEMS (canteen_meal_items) },
  { "canteen_delivery",        N_("Delivery"),                    ITEMS (canteen_delivery_items) },
  { "pickup_by",               N_("Picked up by"),                ITEMS (pickup_by_items) },
  { "homeless_reason",         N_("Reasons (legal definition)"),  ITEMS (homeless_reason_items) },
  { "identification_status",   N_("Identification"),              ITEMS (identification_status_items) },
  { "street_service",          N_("Services offered"),            ITEMS (street_service_items) },
  { "weather_code",            N_("Weather code"),                ITEMS (weather_code_items) },
  { NULL, NULL, NULL, 0 },
};
