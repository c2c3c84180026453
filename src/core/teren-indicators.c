/* teren-indicators.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-catagrafie.h"
#include "teren-date.h"
#include "teren-indicators.h"
#include "teren-record.h"

typedef enum {
  SOURCE_BENEFICIARY,  /* beneficiaries whose codes match */
  SOURCE_SERVICE,      /* individual services done in the month */
  SOURCE_CAMPAIGN,     /* community activities: health campaigns of one type */
} Source;

enum {
  EXTRA_OTHER_VULNERABILITY = 1 << 0,  /* a vulnerability besides the age category */
  EXTRA_NO_VULNERABILITY    = 1 << 1,  /* no vulnerability besides the age category */
  EXTRA_SOCIOECONOMIC       = 1 << 2,  /* a socio-economic vulnerability (not the age) */
  EXTRA_SERVICE             = 1 << 3,  /* and one of @services done in the month */
  EXTRA_REMOVED             = 1 << 4,  /* removed in the month for the reason @param */
  EXTRA_BREASTFED           = 1 << 5,  /* C03 */
};

typedef struct {
  const char *code;
  const char *group;
  const char *label;
  Source      source;
  const char *all[3];       /* every one of these codes */
  const char *any[4];       /* at least one of these (when given) */
  const char *any2[4];      /* and at least one of these (when given) */
  guint       extra;
  const char *services[4];  /* SOURCE_SERVICE / EXTRA_SERVICE */
  const char *param;        /* campaign type, removal reason */
} Definition;

#define CHILD { "VCV_01", "VCV_02", "VCV_03", NULL }
#define PREGNANT { "VGR_04", "VGR_01", NULL }
#define DISABLED { "VDH_01", "VDH_02", NULL }

static const Definition definitions[] = {
  { "G01", "general", N_("Woman of fertile age (15–45 years)"), SOURCE_BENEFICIARY, { "VGR_10" } },
  { "G02", "general", N_("Woman using contraception"), SOURCE_BENEFICIARY, { "VGR_14" } },
  { "G03", "general", N_("Elderly person (over 65 years)"), SOURCE_BENEFICIARY, { "VCV_06" } },
  { "G04", "general", N_("Person not registered with a family doctor"), SOURCE_BENEFICIARY, { "VSA_02" } },
  { "G05", "general", N_("Family violence case"), SOURCE_BENEFICIARY, { "VFV_03" } },
  { "G06", "general", N_("Elderly person without family"), SOURCE_BENEFICIARY, { "VFA_01", "VCV_06" } },
  { "G07", "general", N_("Elderly person with medico-social needs"), SOURCE_BENEFICIARY, { "VCV_06" }, { NULL }, { NULL },
    EXTRA_OTHER_VULNERABILITY },
  { "G08", "general", N_("Adult with tuberculosis"), SOURCE_BENEFICIARY, { "VCV_05", "VSG_TB" } },
  { "G09", "general", N_("Adult with HIV/AIDS"), SOURCE_BENEFICIARY, { "VCV_05", "VSG_HIV" } },
  { "G10", "general", N_("Adult with disabilities"), SOURCE_BENEFICIARY, { "VCV_05" }, DISABLED },
  { "G11", "general", N_("Medicines given to vulnerable persons"), SOURCE_SERVICE, { NULL }, { NULL }, { NULL }, 0,
    { "STI_01" } },
  { "G12", "general", N_("Adult at medico-social risk"), SOURCE_BENEFICIARY, { "VCV_05" }, { NULL }, { NULL },
    EXTRA_OTHER_VULNERABILITY },
  { "G13", "general", N_("Adult without family"), SOURCE_BENEFICIARY, { "VFA_01", "VCV_05" } },
  { "G14", "general", N_("Adult with chronic diseases"), SOURCE_BENEFICIARY, { "VSG_01", "VCV_05" } },
  { "G15", "general", N_("Elderly person with chronic diseases"), SOURCE_BENEFICIARY, { "VSG_01", "VCV_06" } },
  { "G16", "general", N_("Elderly person with tuberculosis"), SOURCE_BENEFICIARY, { "VCV_06", "VSG_TB" } },
  { "G17", "general", N_("Elderly person with disabilities"), SOURCE_BENEFICIARY, { "VCV_06" }, DISABLED },
  { "G18", "general", N_("Elderly person with mental and behavioural disorders"), SOURCE_BENEFICIARY,
    { "VCV_06", "VSG_TMC" } },
  { "G19", "general", N_("Elderly user of psychotropic substances"), SOURCE_BENEFICIARY, { "VCR_07", "VCV_06" } },
  { "G20", "general", N_("Adult with mental and behavioural disorders"), SOURCE_BENEFICIARY, { "VCV_05", "VSG_TMC" } },
  { "G21", "general", N_("Adult user of psychotropic substances"), SOURCE_BENEFICIARY, { "VCR_07", "VCV_05" } },
  { "G22", "general", N_("Minor mother"), SOURCE_BENEFICIARY, { "VGR_03" } },
  { "G23", "general", N_("Woman in the postpartum period"), SOURCE_BENEFICIARY, { NULL }, { "VGR_08", "VGR_02", NULL } },
  { "G24", "general", N_("Adult without medico-social problems"), SOURCE_BENEFICIARY, { "VCV_05" }, { NULL }, { NULL },
    EXTRA_NO_VULNERABILITY },
  { "G25", "general", N_("Notice for population screening"), SOURCE_CAMPAIGN, { NULL }, { NULL }, { NULL }, 0,
    { NULL }, "screening" },
  { "G26", "general", N_("Palliative care case (terminal phase)"), SOURCE_BENEFICIARY, { "VNS_04" } },
  { "G27", "general", N_("Family planning"), SOURCE_SERVICE, { NULL }, { NULL }, { NULL }, 0, { "SES_08" } },
  { "G28", "general", N_("Preconception counselling (indicator)"), SOURCE_SERVICE, { NULL }, { NULL }, { NULL }, 0,
    { "SES_12" } },

  { "P01", "pregnant", N_("Pregnant woman with social problems"), SOURCE_BENEFICIARY, { NULL }, PREGNANT, { NULL },
    EXTRA_SOCIOECONOMIC },
  { "P02", "pregnant", N_("Pregnant woman with medical problems (risk pregnancy)"), SOURCE_BENEFICIARY, { NULL },
    PREGNANT, { "VSG_01", "VSG_02", NULL } },
  { "P03", "pregnant", N_("Pregnant woman who had prenatal consultations"), SOURCE_BENEFICIARY, { "VGR_96" },
    PREGNANT },
  { "P04", "pregnant", N_("Spontaneous abortion (indicator)"), SOURCE_BENEFICIARY, { "VGR_11" } },
  { "P05", "pregnant", N_("Medical abortion (indicator)"), SOURCE_BENEFICIARY, { "VGR_12" } },
  { "P06", "pregnant", N_("Birth registered at home"), SOURCE_BENEFICIARY, { "VGR_13" } },
  { "P07", "pregnant", N_("Pregnant minor (indicator)"), SOURCE_BENEFICIARY, { "VGR_01" } },
  { "P08", "pregnant", N_("Pregnant woman not registered with a family doctor"), SOURCE_BENEFICIARY, { "VSA_02" },
    PREGNANT },
  { "P09", "pregnant", N_("Pregnant woman registered with a family doctor by the nurse or midwife"),
    SOURCE_BENEFICIARY, { NULL }, PREGNANT, { NULL }, EXTRA_SERVICE, { "STR_02", "SAI_02", "SNF_02", NULL } },
  { "P10", "pregnant", N_("Pregnant woman counselled"), SOURCE_BENEFICIARY, { NULL }, PREGNANT, { NULL },
    EXTRA_SERVICE, { "SES_13", NULL } },
  { "P11", "pregnant", N_("Early diagnosis of the pregnancy (indicator)"), SOURCE_BENEFICIARY, { "VGR_15" } },
  { "P12", "pregnant", N_("Care prescribed by a doctor (indicator)"), SOURCE_SERVICE, { NULL }, { NULL }, { NULL },
    0, { "STI_08" } },

  { "C01", "child", N_("Newborn (0–27 days, indicator)"), SOURCE_BENEFICIARY, { "VCV_00" } },
  { "C02", "child", N_("Premature child"), SOURCE_BENEFICIARY, { "VSC_10" } },
  { "C03", "child", N_("Exclusively breastfed child"), SOURCE_BENEFICIARY, { NULL }, { NULL }, { NULL },
    EXTRA_BREASTFED },
  { "C04", "child", N_("Infectious disease case"), SOURCE_BENEFICIARY, { "VSG_BI" }, CHILD },
  { "C05", "child", N_("Child with a chronic disease"), SOURCE_BENEFICIARY, { "VSG_01" }, CHILD },
  { "C06", "child", N_("Rickets (vitamin D) and anaemia (iron) prophylaxis case"), SOURCE_BENEFICIARY,
    { "VSC_03" }, CHILD },
  { "C07", "child", N_("Child not vaccinated according to the calendar"), SOURCE_BENEFICIARY, { "VSC_01" }, CHILD },
  { "C08", "child", N_("HIV/AIDS case"), SOURCE_BENEFICIARY, { "VSG_HIV" }, CHILD },
  { "C09", "child", N_("Tuberculosis case under treatment"), SOURCE_BENEFICIARY, { "VSG_TB" }, CHILD },
  { "C10", "child", N_("Child with special medical needs"), SOURCE_BENEFICIARY, { "VDH_01" }, CHILD },
  { "C11", "child", N_("Child with special medical needs, without a disability certificate"), SOURCE_BENEFICIARY,
    { "VDH_02" }, CHILD },
  { "C12", "child", N_("Abandoned child case"), SOURCE_BENEFICIARY, { "VFC_07" }, CHILD },
  { "C13", "child", N_("Deinstitutionalised child case"), SOURCE_BENEFICIARY, { "VFC_08" }, CHILD },
  { "C14", "child", N_("Social case (child)"), SOURCE_BENEFICIARY, { "VCS_01" }, CHILD },
  { "C15", "child", N_("Deserted child case"), SOURCE_BENEFICIARY, { "VFC_09" }, CHILD },
  { "C16", "child", N_("Abused child"), SOURCE_BENEFICIARY, { "VFV_04" }, CHILD },
  { "C17", "child", N_("Death at home"), SOURCE_BENEFICIARY, { NULL }, CHILD, { NULL }, EXTRA_REMOVED, { NULL },
    "died_at_home" },
  { "C18", "child", N_("Death in hospital"), SOURCE_BENEFICIARY, { NULL }, CHILD, { NULL }, EXTRA_REMOVED, { NULL },
    "died_in_hospital" },
  { "C19", "child", N_("Child with migrant parents"), SOURCE_BENEFICIARY, { "VFC_02" }, CHILD },
  { "C20", "child", N_("Vaccinated according to the calendar"), SOURCE_BENEFICIARY, { "VSC_97" }, CHILD },
  { "C21", "child", N_("Called for vaccination"), SOURCE_SERVICE, { NULL }, { NULL }, { NULL }, 0, { "SNF_11" } },
  { "C22", "child", N_("Child in contact with tuberculosis (indicator)"), SOURCE_BENEFICIARY, { "VSC_09" } },
  { "C23", "child", N_("Child of a single-parent family (indicator)"), SOURCE_BENEFICIARY, { "VFC_10" } },
  { "C24", "child", N_("Child with disabilities"), SOURCE_BENEFICIARY, { NULL }, CHILD, DISABLED },
  { "C25", "child", N_("Child with mental and behavioural disorders"), SOURCE_BENEFICIARY, { "VSG_TMC" }, CHILD },
  { "C26", "child", N_("Child user of psychotropic substances"), SOURCE_BENEFICIARY, { "VCR_07" }, CHILD },
  { "C27", "child", N_("Child 0–18 years without medico-social problems"), SOURCE_BENEFICIARY, { NULL }, CHILD,
    { NULL }, EXTRA_NO_VULNERABILITY },
  { "C28", "child", N_("Palliative care case (terminal phase, child)"), SOURCE_BENEFICIARY, { "VNS_04" }, CHILD },
  { "C29", "child", N_("Child not registered with a family doctor"), SOURCE_BENEFICIARY, { "VSA_02" }, CHILD },
  { "C30", "child", N_("Child registered with a family doctor"), SOURCE_BENEFICIARY, { "VSA_97" }, CHILD },
  { "C31", "child", N_("Epidemiological triage (indicator)"), SOURCE_CAMPAIGN, { NULL }, { NULL }, { NULL }, 0,
    { NULL }, "epidem_triage" },
};

static const char * const age_segments[] = {
  "VCV_01", "VCV_02", "VCV_03", "VCV_04", "VCV_05", "VCV_06", "unknown", NULL,
};
static const char * const sex_segments[] = { "F", "M", "X", "unknown", NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (age_segments) == TEREN_INDICATOR_N_AGES + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (sex_segments) == TEREN_INDICATOR_N_SEXES + 1);

const char * const *
teren_indicators_age_segments (void)
{
  return age_segments;
}

const char * const *
teren_indicators_sex_segments (void)
{
  return sex_segments;
}

const char * const *
teren_indicators_list_codes (void)
{
  static const char *codes[G_N_ELEMENTS (definitions) + 1];
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (definitions); i++)
        codes[i] = definitions[i].code;
      codes[i] = NULL;
      g_once_init_leave (&initialised, 1);
    }

  return codes;
}

const char *
teren_indicators_get_label (const char *code)
{
  guint i;

  for (i = 0; code != NULL && i < G_N_ELEMENTS (definitions); i++)
    if (strcmp (definitions[i].code, code) == 0)
      return g_dgettext (GETTEXT_PACKAGE, definitions[i].label);

  return NULL;
}

guint
teren_indicator_sum (const TerenIndicator *indicator,
                     int                   age_index,
                     int                   sex_index)
{
  guint sum = 0;
  int a, s;

  g_return_val_if_fail (indicator != NULL, 0);

  for (a = 0; a < TEREN_INDICATOR_N_AGES; a++)
    for (s = 0; s < TEREN_INDICATOR_N_SEXES; s++)
      if ((age_index < 0 || a == age_index) && (sex_index < 0 || s == sex_index))
        sum += indicator->counts[a][s];

  return sum;
}

/* ---- Computation ------------------------------------------------------------------- */

typedef struct {
  GHashTable *persons;          /* id → TerenRecord */
  GPtrArray  *beneficiaries;
  GPtrArray  *catagrafii;
  GHashTable *disabilities;     /* catagrafie id → GPtrArray of JsonObject */
  GHashTable *diseases;
  GPtrArray  *interventions;
  GPtrArray  *activities;
  char        first[11];        /* "YYYY-MM-01" */
  char        last[11];         /* last day of the month */
  GDate       last_date;
  GDate       newborn_from;     /* born on or after: 0–27 days old on some day of the month */
} Data;

static void
add_row (GHashTable  *table,
         TerenRecord *record)
{
  const char *parent = teren_record_get_string (record, "catagrafie");
  GPtrArray *rows;

  if (parent == NULL)
    return;
  rows = g_hash_table_lookup (table, parent);
  if (rows == NULL)
    {
      rows = g_ptr_array_new ();
      g_hash_table_insert (table, (gpointer) parent, rows);
    }
  g_ptr_array_add (rows, teren_record_get_fields (record));
}

static gboolean
in_month (Data       *data,
          const char *date)
{
  return date != NULL && strcmp (date, data->first) >= 0 && strcmp (date, data->last) <= 0;
}

static int
sex_index (TerenRecord *person)
{
  const char *sex = person != NULL ? teren_record_get_string (person, "sex") : NULL;
  int i;

  for (i = 0; sex != NULL && i < TEREN_INDICATOR_N_SEXES - 1; i++)
    if (strcmp (sex_segments[i], sex) == 0)
      return i;

  return TEREN_INDICATOR_N_SEXES - 1;
}

static int
age_index_of_code (const char *code)
{
  int i;

  if (g_strcmp0 (code, "VCV_00") == 0)
    return 0;
  for (i = 0; code != NULL && i < TEREN_INDICATOR_N_AGES - 1; i++)
    if (strcmp (age_segments[i], code) == 0)
      return i;

  return TEREN_INDICATOR_N_AGES - 1;
}

static gboolean
person_birth (TerenRecord *person,
              GDate       *out_birth)
{
  const char *birth = person != NULL ? teren_record_get_string (person, "birth_date") : NULL;

  return birth != NULL && teren_date_parse (birth, out_birth);
}

/* The AGE code of the month's segment: from the birth date on the last day, else the
 * catagrafie's answer. */
static const char *
age_code (Data        *data,
          TerenRecord *person,
          TerenRecord *catagrafie)
{
  GDate birth;

  if (person_birth (person, &birth))
    return teren_amc_age_category (&birth, &data->last_date, FALSE);
  if (catagrafie != NULL)
    return teren_record_get_string (catagrafie, "cat_age");

  return NULL;
}

static gboolean
has_code (GPtrArray  *codes,
          const char *code)
{
  guint i;

  for (i = 0; i < codes->len; i++)
    if (strcmp (g_ptr_array_index (codes, i), code) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
has_any (GPtrArray         *codes,
         const char * const *any)
{
  guint i;

  if (any[0] == NULL)
    return TRUE;
  for (i = 0; any[i] != NULL; i++)
    if (has_code (codes, any[i]))
      return TRUE;

  return FALSE;
}

static gboolean
is_socioeconomic (const char *code)
{
  static const char * const prefixes[] = { "VAI_", "VSV_", "VGS_", "VLP_", "VFA_", "VFC_", "VEA_", "VEC_",
                                           "VFV_", "VCS_" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (code, prefixes[i]))
      return TRUE;

  return FALSE;
}

/* A vulnerability other than the age category (and, when @socioeconomic, of the
 * socio-economic section). */
static gboolean
has_other_vulnerability (GPtrArray *codes,
                         gboolean   socioeconomic)
{
  guint i;

  for (i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);

      if (g_str_has_prefix (code, "VCV_") || !teren_amc_code_is_vulnerability (code))
        continue;
      if (socioeconomic && !is_socioeconomic (code))
        continue;
      return TRUE;
    }

  return FALSE;
}

static gboolean
service_done_in_month (Data               *data,
                       const char         *person_id,
                       const char * const *services)
{
  guint i, j;

  for (i = 0; i < data->interventions->len; i++)
    {
      TerenRecord *intervention = g_ptr_array_index (data->interventions, i);

      if (g_strcmp0 (teren_record_get_string (intervention, "person"), person_id) != 0 ||
          g_strcmp0 (teren_record_get_string (intervention, "status"), "done") != 0 ||
          !in_month (data, teren_record_get_string (intervention, "date")))
        continue;
      for (j = 0; services[j] != NULL; j++)
        if (g_strcmp0 (teren_record_get_string (intervention, "service"), services[j]) == 0)
          return TRUE;
    }

  return FALSE;
}

static gboolean
breastfed (Data        *data,
           TerenRecord *person,
           TerenRecord *catagrafie,
           GPtrArray   *codes)
{
  GDate birth;
  int years;
  GDate six_months;

  if (!person_birth (person, &birth) || !teren_age_years (&birth, &data->last_date, &years))
    return FALSE;
  six_months = birth;
  g_date_add_months (&six_months, 6);
  if (g_date_compare (&six_months, &data->last_date) <= 0)
    return FALSE;

  /* Answered the child health risks, without "not exclusively breastfed". */
  if (!json_object_has_member (teren_record_get_fields (catagrafie), "cat_ssa"))
    return FALSE;
  return !has_code (codes, "VSC_04") && !has_code (codes, "VSC_98");
}

static gboolean
beneficiary_in_scope (Data        *data,
                      TerenRecord *beneficiary)
{
  const char *registered = teren_record_get_string (beneficiary, "registered_on");
  const char *changed = teren_record_get_string (beneficiary, "status_changed_on");

  if (registered != NULL && strcmp (registered, data->last) > 0)
    return FALSE;
  if (g_strcmp0 (teren_record_get_string (beneficiary, "status"), "removed") == 0 &&
      changed != NULL && strcmp (changed, data->first) < 0)
    return FALSE;

  return TRUE;
}

static GPtrArray *
beneficiary_codes (Data        *data,
                   TerenRecord *person,
                   TerenRecord *catagrafie)
{
  const char *id = teren_record_get_id (catagrafie);
  GPtrArray *codes = teren_catagrafie_codes (teren_record_get_fields (catagrafie),
                                             g_hash_table_lookup (data->disabilities, id),
                                             g_hash_table_lookup (data->diseases, id));
  GDate birth;
  guint i;

  if (!person_birth (person, &birth))
    return codes;

  /* The age is the month's, not the assessment's. */
  for (i = codes->len; i > 0; i--)
    if (g_str_has_prefix (g_ptr_array_index (codes, i - 1), "VCV_"))
      g_ptr_array_remove_index (codes, i - 1);
  if (g_date_compare (&birth, &data->last_date) <= 0)
    {
      g_ptr_array_add (codes, g_strdup (teren_amc_age_category (&birth, &data->last_date, FALSE)));
      if (g_date_compare (&birth, &data->newborn_from) >= 0)
        g_ptr_array_add (codes, g_strdup ("VCV_00"));
    }

  return codes;
}

static void
count_beneficiaries (Data      *data,
                     GPtrArray *result)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint b, d;

  for (b = 0; b < data->beneficiaries->len; b++)
    {
      TerenRecord *beneficiary = g_ptr_array_index (data->beneficiaries, b);
      const char *person_id = teren_record_get_string (beneficiary, "person");
      TerenRecord *person = person_id != NULL ? g_hash_table_lookup (data->persons, person_id) : NULL;
      TerenRecord *catagrafie;
      g_autoptr(GPtrArray) codes = NULL;
      int age, sex;
      gboolean removed_in_month;

      /* One person counts once, even with two beneficiary records. */
      if (person_id == NULL || !beneficiary_in_scope (data, beneficiary) ||
          !g_hash_table_add (seen, (gpointer) person_id))
        continue;

      catagrafie = teren_catagrafie_latest (data->catagrafii, person_id, &data->last_date);
      codes = catagrafie != NULL ? beneficiary_codes (data, person, catagrafie)
                                 : g_ptr_array_new_with_free_func (g_free);
      if (catagrafie == NULL)
        {
          GDate birth;

          /* Only the removal indicators count without a catagrafie. */
          if (person_birth (person, &birth) && g_date_compare (&birth, &data->last_date) <= 0)
            g_ptr_array_add (codes, g_strdup (teren_amc_age_category (&birth, &data->last_date, FALSE)));
        }

      age = age_index_of_code (age_code (data, person, catagrafie));
      sex = sex_index (person);
      removed_in_month = g_strcmp0 (teren_record_get_string (beneficiary, "status"), "removed") == 0 &&
                         in_month (data, teren_record_get_string (beneficiary, "status_changed_on"));

      for (d = 0; d < G_N_ELEMENTS (definitions); d++)
        {
          const Definition *def = &definitions[d];
          TerenIndicator *indicator = g_ptr_array_index (result, d);
          gboolean match = TRUE;
          guint i;

          if (def->source != SOURCE_BENEFICIARY)
            continue;
          if (catagrafie == NULL && !(def->extra & EXTRA_REMOVED))
            continue;

          for (i = 0; match && i < G_N_ELEMENTS (def->all) && def->all[i] != NULL; i++)
            match = has_code (codes, def->all[i]);
          match = match && has_any (codes, def->any) && has_any (codes, def->any2);
          if (match && (def->extra & EXTRA_OTHER_VULNERABILITY))
            match = has_other_vulnerability (codes, FALSE);
          if (match && (def->extra & EXTRA_NO_VULNERABILITY))
            match = !has_other_vulnerability (codes, FALSE);
          if (match && (def->extra & EXTRA_SOCIOECONOMIC))
            match = has_other_vulnerability (codes, TRUE);
          if (match && (def->extra & EXTRA_SERVICE))
            match = service_done_in_month (data, person_id, def->services);
          if (match && (def->extra & EXTRA_REMOVED))
            match = removed_in_month &&
                    g_strcmp0 (teren_record_get_string (beneficiary, "removal_reason"), def->param) == 0;
          if (match && (def->extra & EXTRA_BREASTFED))
            match = breastfed (data, person, catagrafie, codes);

          if (match)
            {
              indicator->counts[age][sex]++;
              indicator->total++;
            }
        }
    }
}

static void
count_services (Data      *data,
                GPtrArray *result)
{
  guint i, d, s;

  for (i = 0; i < data->interventions->len; i++)
    {
      TerenRecord *intervention = g_ptr_array_index (data->interventions, i);
      const char *service = teren_record_get_string (intervention, "service");
      const char *person_id = teren_record_get_string (intervention, "person");
      TerenRecord *person = person_id != NULL ? g_hash_table_lookup (data->persons, person_id) : NULL;

      if (service == NULL || g_strcmp0 (teren_record_get_string (intervention, "status"), "done") != 0 ||
          !in_month (data, teren_record_get_string (intervention, "date")))
        continue;

      for (d = 0; d < G_N_ELEMENTS (definitions); d++)
        {
          TerenIndicator *indicator = g_ptr_array_index (result, d);

          if (definitions[d].source != SOURCE_SERVICE)
            continue;
          for (s = 0; definitions[d].services[s] != NULL; s++)
            if (strcmp (definitions[d].services[s], service) == 0)
              {
                TerenRecord *catagrafie = person_id != NULL
                  ? teren_catagrafie_latest (data->catagrafii, person_id, &data->last_date) : NULL;
                int age = age_index_of_code (age_code (data, person, catagrafie));

                indicator->counts[age][sex_index (person)]++;
                indicator->total++;
                break;
              }
        }
    }
}

static void
count_campaigns (Data      *data,
                 GPtrArray *result)
{
  guint i, d;

  for (i = 0; i < data->activities->len; i++)
    {
      TerenRecord *activity = g_ptr_array_index (data->activities, i);

      if (g_strcmp0 (teren_record_get_string (activity, "type"), "campaign") != 0 ||
          !in_month (data, teren_record_get_string (activity, "date")))
        continue;

      for (d = 0; d < G_N_ELEMENTS (definitions); d++)
        if (definitions[d].source == SOURCE_CAMPAIGN &&
            g_strcmp0 (teren_record_get_string (activity, "campaign"), definitions[d].param) == 0)
          {
            TerenIndicator *indicator = g_ptr_array_index (result, d);

            indicator->counts[TEREN_INDICATOR_N_AGES - 1][TEREN_INDICATOR_N_SEXES - 1]++;
            indicator->total++;
          }
    }
}

GPtrArray *
teren_indicators_compute (GPtrArray *records,
                          guint      year,
                          guint      month)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);
  Data data = { 0 };
  guint i;

  g_return_val_if_fail (records != NULL, result);
  g_return_val_if_fail (month >= 1 && month <= 12 && g_date_valid_year ((GDateYear) year), result);

  for (i = 0; i < G_N_ELEMENTS (definitions); i++)
    {
      TerenIndicator *indicator = g_new0 (TerenIndicator, 1);

      indicator->code = definitions[i].code;
      indicator->group = definitions[i].group;
      indicator->label = definitions[i].label;
      g_ptr_array_add (result, indicator);
    }

  data.persons = g_hash_table_new (g_str_hash, g_str_equal);
  data.beneficiaries = g_ptr_array_new ();
  data.catagrafii = g_ptr_array_new ();
  data.disabilities = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  data.diseases = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  data.interventions = g_ptr_array_new ();
  data.activities = g_ptr_array_new ();

  g_date_clear (&data.last_date, 1);
  g_date_set_dmy (&data.last_date, g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year),
                  (GDateMonth) month, (GDateYear) year);
  g_date_strftime (data.last, sizeof data.last, "%Y-%m-%d", &data.last_date);
  g_snprintf (data.first, sizeof data.first, "%04u-%02u-01", year, month);
  g_date_clear (&data.newborn_from, 1);
  g_date_set_dmy (&data.newborn_from, 1, (GDateMonth) month, (GDateYear) year);
  g_date_subtract_days (&data.newborn_from, 27);

  for (i = 0; i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);
      const char *kind = teren_record_get_kind (record);

      if (teren_record_get_deleted (record))
        continue;
      if (strcmp (kind, "person") == 0)
        g_hash_table_insert (data.persons, (gpointer) teren_record_get_id (record), record);
      else if (strcmp (kind, "community_health.beneficiary") == 0)
        g_ptr_array_add (data.beneficiaries, record);
      else if (strcmp (kind, "community_health.catagrafie") == 0)
        g_ptr_array_add (data.catagrafii, record);
      else if (strcmp (kind, "community_health.disability") == 0)
        add_row (data.disabilities, record);
      else if (strcmp (kind, "community_health.disease") == 0)
        add_row (data.diseases, record);
      else if (strcmp (kind, "community_health.intervention") == 0)
        g_ptr_array_add (data.interventions, record);
      else if (strcmp (kind, "community_health.community_activity") == 0)
        g_ptr_array_add (data.activities, record);
    }

  count_beneficiaries (&data, result);
  count_services (&data, result);
  count_campaigns (&data, result);

  g_hash_table_unref (data.persons);
  g_ptr_array_unref (data.beneficiaries);
  g_ptr_array_unref (data.catagrafii);
  g_hash_table_unref (data.disabilities);
  g_hash_table_unref (data.diseases);
  g_ptr_array_unref (data.interventions);
  g_ptr_array_unref (data.activities);

  return result;
}
