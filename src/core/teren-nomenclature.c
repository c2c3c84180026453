/* teren-nomenclature.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-nomenclature-private.h"

/* Built-in lists of DOMAIN.md §0.4 (AMC platform and Sunrise lists) plus the case,
 * visit and membership lists Teren needs itself. Codes are stable ASCII and stored in
 * records; never rename one, only add. English labels are distinct strings so that each
 * translates unambiguously (e.g. "Other ethnicity", not "Other").
 *
 * environment: the codes are "urban" and "rural", not SIRUTA's MED numbers; SIRUTA
 * MED 1 maps to "urban" and 3 to "rural" (teren_nomenclature_environment_from_med). */

#define ITEMS(array) array, G_N_ELEMENTS (array)

static const TerenNomenclatureItem id_document_type_items[] = {
  { "birth_certificate", N_("Birth certificate") },
  { "identity_card",     N_("Identity card") },
  { "ro_passport",       N_("Romanian passport") },
  { "foreign_passport",  N_("Foreign passport") },
  { "other",             N_("Other document") },
  { "none",              N_("No identity document") },
};

static const TerenNomenclatureItem sex_items[] = {
  { "F", N_("Female") },
  { "M", N_("Male") },
  { "X", N_("Other sex") },
};

static const TerenNomenclatureItem ethnicity_items[] = {
  { "romanian",        N_("Romanian") },
  { "hungarian",       N_("Hungarian") },
  { "roma",            N_("Roma") },
  { "ukrainian",       N_("Ukrainian") },
  { "german",          N_("German") },
  { "lipovan_russian", N_("Lipovan Russian") },
  { "turkish",         N_("Turkish") },
  { "tatar",           N_("Tatar") },
  { "serbian",         N_("Serbian") },
  { "other",           N_("Other ethnicity") },
};

static const TerenNomenclatureItem civil_status_items[] = {
  { "single",     N_("Single") },
  { "married",    N_("Married") },
  { "divorced",   N_("Divorced") },
  { "widowed",    N_("Widowed") },
  { "cohabiting", N_("Cohabiting") },
};

static const TerenNomenclatureItem education_items[] = {
  { "none",            N_("No schooling") },
  { "primary",         N_("Primary (grades I–IV)") },
  { "lower_secondary", N_("Lower secondary (grades V–VIII)") },
  { "vocational",      N_("Vocational school") },
  { "upper_secondary", N_("High school (grades IX–XII)") },
  { "post_secondary",  N_("Post-secondary school") },
  { "higher",          N_("Higher education") },
};

static const TerenNomenclatureItem occupation_items[] = {
  { "none",               N_("No occupation") },
  { "employee",           N_("Employee") },
  { "self_employed",      N_("Self-employed") },
  { "association_member", N_("Member of an association") },
  { "employer",           N_("Employer") },
  { "farmer",             N_("Farmer") },
  { "pupil_student",      N_("Pupil or student") },
  { "unemployed",         N_("Unemployed") },
  { "homemaker",          N_("Homemaker") },
  { "retired",            N_("Retired") },
};

static const TerenNomenclatureItem income_band_items[] = {
  { "none",               N_("No income") },
  { "below_minimum",      N_("Below the minimum wage") },
  { "minimum_to_average", N_("Between the minimum and the average wage") },
  { "above_average",      N_("Above the average wage") },
  { "social_benefits",    N_("Social benefits") },
  { "other",              N_("Other situations (allowances)") },
};

static const TerenNomenclatureItem environment_items[] = {
  { "urban", N_("Urban") },
  { "rural", N_("Rural") },
};

static const TerenNomenclatureItem ternary_items[] = {
  { "yes",     N_("Yes") },
  { "no",      N_("No") },
  { "unknown", N_("Does not know / no answer") },
};

static const TerenNomenclatureItem removal_reason_items[] = {
  { "died_at_home",     N_("Died at home") },
  { "died_in_hospital", N_("Died in hospital") },
  { "moved_locality",   N_("Moved to another locality") },
  { "moved_abroad",     N_("Moved abroad") },
  { "other",            N_("Other removal reason") },
};

static const TerenNomenclatureItem case_closure_reason_items[] = {
  { "plan_completed",      N_("Plan completed") },
  { "transferred",         N_("Transferred to another institution") },
  { "contract_expired",    N_("Contract expired") },
  { "deregistered",        N_("Deregistered") },
  { "beneficiary_request", N_("At the beneficiary’s request") },
  { "deceased",            N_("Beneficiary deceased") },
  { "other",               N_("Other closure reason") },
};

static const TerenNomenclatureItem disability_degree_items[] = {
  { "mild",       N_("Mild") },
  { "moderate",   N_("Moderate") },
  { "pronounced", N_("Pronounced") },
  { "severe",     N_("Severe") },
};

static const TerenNomenclatureItem disability_type_items[] = {
  { "physical",       N_("Physical") },
  { "visual",         N_("Visual") },
  { "hearing",        N_("Hearing") },
  { "deafblind",      N_("Deafblindness") },
  { "somatic",        N_("Somatic") },
  { "mental",         N_("Mental (intellectual)") },
  { "psychic",        N_("Neuropsychiatric") },
  { "hiv_aids",       N_("HIV/AIDS") },
  { "associated",     N_("Associated disabilities") },
  { "rare_disease",   N_("Rare diseases") },
};

static const TerenNomenclatureItem relationship_items[] = {
  { "head",                 N_("Head of household") },
  { "spouse",               N_("Spouse or partner") },
  { "child",                N_("Child") },
  { "parent",               N_("Parent") },
  { "sibling",              N_("Brother or sister") },
  { "grandchild",           N_("Grandchild") },
  { "grandparent",          N_("Grandparent") },
  { "other_relative",       N_("Other relative") },
  { "legal_representative", N_("Legal representative") },
  { "not_related",          N_("Not related") },
};

static const TerenNomenclatureItem case_status_items[] = {
  { "open",        N_("Active") },
  { "assessment",  N_("Under assessment") },
  { "suspended",   N_("Suspended") },
  { "closed",      N_("Closed") },
  { "transferred", N_("Transferred") },
};

static const TerenNomenclatureItem case_source_items[] = {
  { "referral",   N_("Referral (semnalare)") },
  { "request",    N_("Request from the person") },
  { "ex_officio", N_("Ex officio") },
  { "court",      N_("Court") },
  { "dgaspc",     N_("DGASPC") },
  { "police",     N_("Police") },
  { "school",     N_("School") },
  { "health",     N_("Health services") },
  { "other",      N_("Other source") },
};

static const TerenNomenclatureItem cnp_status_items[] = {
  { "valid",        N_("Valid CNP") },
  { "missing",      N_("No CNP") },
  { "refused",      N_("Refuses to give the CNP") },
  { "non_standard", N_("Non-standard CNP") },
};

static const TerenNomenclatureItem visit_status_items[] = {
  { "planned",  N_("Planned") },
  { "done",     N_("Carried out") },
  { "not_done", N_("Not carried out") },
};

static const TerenNomenclatureItem visit_place_items[] = {
  { "home",      N_("At home") },
  { "office",    N_("At the office") },
  { "school",    N_("At school") },
  { "medical",   N_("At a medical unit") },
  { "community", N_("In the community") },
  { "phone",     N_("By phone") },
  { "other",     N_("Other place") },
};

static const TerenNomenclature nomenclatures[] = {
  { "id_document_type",    N_("Identity document type"),    ITEMS (id_document_type_items) },
  { "sex",                 N_("Sex"),                       ITEMS (sex_items) },
  { "ethnicity",           N_("Ethnicity"),                 ITEMS (ethnicity_items) },
  { "civil_status",        N_("Civil status"),              ITEMS (civil_status_items) },
  { "education",           N_("Education"),                 ITEMS (education_items) },
  { "occupation",          N_("Occupation"),                ITEMS (occupation_items) },
  { "income_band",         N_("Income band"),               ITEMS (income_band_items) },
  { "environment",         N_("Residence environment"),     ITEMS (environment_items) },
  { "ternary",             N_("Yes / No / Does not know"),  ITEMS (ternary_items) },
  { "removal_reason",      N_("Removal reason"),            ITEMS (removal_reason_items) },
  { "case_closure_reason", N_("Case closure reason"),       ITEMS (case_closure_reason_items) },
  { "disability_degree",   N_("Disability degree"),         ITEMS (disability_degree_items) },
  { "disability_type",     N_("Disability type"),           ITEMS (disability_type_items) },
  { "relationship",        N_("Relationship"),              ITEMS (relationship_items) },
  { "case_status",         N_("Case status"),               ITEMS (case_status_items) },
  { "case_source",         N_("Case source"),               ITEMS (case_source_items) },
  { "cnp_status",          N_("CNP status"),                ITEMS (cnp_status_items) },
  { "visit_status",        N_("Visit status"),              ITEMS (visit_status_items) },
  { "visit_place",         N_("Visit place"),               ITEMS (visit_place_items) },
};

/* Every table's lists in one NULL-terminated array, built once. */
static const TerenNomenclature * const *
all_nomenclatures (guint *n_nomenclatures)
{
  static const TerenNomenclature **pointers = NULL;
  static guint n = 0;
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      GPtrArray *all = g_ptr_array_new ();
      guint i;

      for (i = 0; i < G_N_ELEMENTS (nomenclatures); i++)
        g_ptr_array_add (all, (gpointer) &nomenclatures[i]);
      for (i = 0; teren_nomenclatures_social[i].name != NULL; i++)
        g_ptr_array_add (all, (gpointer) &teren_nomenclatures_social[i]);
      for (i = 0; teren_nomenclatures_health[i].name != NULL; i++)
        g_ptr_array_add (all, (gpointer) &teren_nomenclatures_health[i]);
      n = all->len;
      g_ptr_array_add (all, NULL);
      /* Lives as long as the program, like the static tables it points into. */
      pointers = (const TerenNomenclature **) g_ptr_array_free (all, FALSE);
      g_once_init_leave (&initialised, 1);
    }

  if (n_nomenclatures != NULL)
    *n_nomenclatures = n;

  return pointers;
}

const TerenNomenclature *
teren_nomenclature_lookup (const char *name)
{
  const TerenNomenclature * const *all;
  guint i, n;

  if (name == NULL)
    return NULL;

  all = all_nomenclatures (&n);
  for (i = 0; i < n; i++)
    if (strcmp (all[i]->name, name) == 0)
      return all[i];

  return NULL;
}

const TerenNomenclature * const *
teren_nomenclature_list (guint *n_nomenclatures)
{
  return all_nomenclatures (n_nomenclatures);
}

static const TerenNomenclatureItem *
find_item (const TerenNomenclature *nomenclature,
           const char              *code)
{
  guint i;

  if (nomenclature == NULL || code == NULL)
    return NULL;

  for (i = 0; i < nomenclature->n_items; i++)
    if (strcmp (nomenclature->items[i].code, code) == 0)
      return &nomenclature->items[i];

  return NULL;
}

gboolean
teren_nomenclature_has_code (const TerenNomenclature *nomenclature,
                             const char              *code)
{
  return find_item (nomenclature, code) != NULL;
}

const char *
teren_nomenclature_get_label (const TerenNomenclature *nomenclature,
                              const char              *code)
{
  const TerenNomenclatureItem *item = find_item (nomenclature, code);

  if (item == NULL)
    return NULL;

  return g_dgettext (GETTEXT_PACKAGE, item->label);
}

const char *
teren_nomenclature_get_name_label (const TerenNomenclature *nomenclature)
{
  g_return_val_if_fail (nomenclature != NULL, NULL);

  return g_dgettext (GETTEXT_PACKAGE, nomenclature->label);
}

const char *
teren_nomenclature_environment_from_med (int med)
{
  switch (med)
    {
    case 1:
      return "urban";
    case 3:
      return "rural";
    default:
      return NULL;
    }
}
