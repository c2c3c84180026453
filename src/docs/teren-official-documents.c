/* teren-official-documents.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-date.h"
#include "teren-docs-private.h"
#include "teren-error.h"
#include "teren-attachment.h"
#include "teren-official-documents.h"
#include "teren-schema.h"
#include "teren-store-report.h"

/* Each builder reads the record(s), then lays out blocks in the order of the paper form.
 * Values are shown as people read them: nomenclature labels, dates as zz.ll.aaaa,
 * referenced records by their title. No value is ever logged. */

#define SCHEMA_ID     "ro.daps.Teren"
#define TIMESHEET_DAYS 31
#define EMPTY_VALUE   "—"

static const TerenOfficialDocumentKind document_kinds[] = {
  { "social-inquiry", N_("ID"), N_("social inquiry, from a child.social_inquiry record") },
  { "service-plan", N_("ID"), N_("services plan, from a child.service_plan or plan record") },
  { "care-plan", N_("ID"), N_("individual assistance and care plan, from an elderly.care_plan record") },
  { "hg886", N_("ID"), N_("socio-medical assessment (HG 886/2000), from an elderly.assessment record") },
  { "signal", N_("ID"), N_("signal form, from a child.signal record") },
  { "canteen-list", N_("YYYY-MM"), N_("nominal list of the social canteen for the month") },
  { "timesheet", N_("ID"), N_("personal assistant timesheet, from a disability.timesheet record") },
  { "chc-report", N_("YYYY-MM"), N_("community-health monthly report") },
  { "pupil-summary", N_("ID"), N_("pupil medical record summary, from a school_health.pupil_record record") },
};

/* Record kinds accepted by each ID document kind. */
static const struct {
  const char *document;
  const char *record_kind;
} document_records[] = {
  { "social-inquiry", "child.social_inquiry" },
  { "service-plan", "child.service_plan" },
  { "service-plan", "plan" },
  { "care-plan", "elderly.care_plan" },
  { "hg886", "elderly.assessment" },
  { "signal", "child.signal" },
  { "timesheet", "disability.timesheet" },
  { "pupil-summary", "school_health.pupil_record" },
};

const TerenOfficialDocumentKind *
teren_official_document_kinds (guint *n_kinds)
{
  if (n_kinds != NULL)
    *n_kinds = G_N_ELEMENTS (document_kinds);
  return document_kinds;
}

const char *
teren_official_document_kind_for_record (const char *record_kind)
{
  guint i;

  g_return_val_if_fail (record_kind != NULL, NULL);

  for (i = 0; i < G_N_ELEMENTS (document_records); i++)
    if (g_str_equal (document_records[i].record_kind, record_kind))
      return document_records[i].document;
  return NULL;
}

void
teren_official_document_read_header (char **out_name,
                                     char **out_address,
                                     char **out_logo)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "directorate-logo"))
    {
      *out_name = g_strdup ("");
      *out_address = g_strdup ("");
      *out_logo = g_strdup ("");
      return;
    }
  settings = g_settings_new_full (schema, NULL, NULL);
  *out_name = g_settings_get_string (settings, "directorate-name");
  *out_address = g_settings_get_string (settings, "directorate-address");
  *out_logo = g_settings_get_string (settings, "directorate-logo");
}

/* ---- values ------------------------------------------------------------------------- */

static char *
reference_title (TerenStore *store,
                 const char *id)
{
  g_autoptr(TerenRecord) record = teren_store_get_record (store, id, NULL);

  if (record == NULL || teren_record_get_deleted (record))
    return g_strdup (EMPTY_VALUE);
  return g_strdup (teren_record_get_title (record));
}

static char *
format_number (double value,
               guint  decimals)
{
  char *text = g_strdup_printf ("%.*f", (int) decimals, value);
  char *dot = strchr (text, '.');

  if (dot != NULL)
    *dot = ',';   /* Romanian decimal comma */
  return text;
}

/* The printed form of one value, or NULL when the field is empty. (transfer full) */
static char *
format_value (TerenStore          *store,
              const TerenFieldDef *field,
              JsonObject          *fields)
{
  JsonNode *node;
  const TerenNomenclature *nomenclature = NULL;

  if (!json_object_has_member (fields, field->key))
    return NULL;
  node = json_object_get_member (fields, field->key);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (field->nomenclature != NULL)
    nomenclature = teren_nomenclature_lookup (field->nomenclature);

  switch (field->type)
    {
    case TEREN_FIELD_TEXT:
    case TEREN_FIELD_LONG_TEXT:
    case TEREN_FIELD_CNP:
    case TEREN_FIELD_PHONE:
      {
        const char *text = json_node_get_string (node);
        return text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;
      }
    case TEREN_FIELD_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case TEREN_FIELD_DECIMAL:
      return format_number (json_node_get_double (node), field->sensitivity == TEREN_SENSITIVITY_PERSONAL ? 2 : 1);
    case TEREN_FIELD_DATE:
      {
        char *display = teren_date_to_display (json_node_get_string (node));
        return display != NULL ? display : g_strdup (json_node_get_string (node));
      }
    case TEREN_FIELD_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
    case TEREN_FIELD_CHOICE:
      {
        const char *code = json_node_get_string (node);
        const char *label = nomenclature != NULL && code != NULL
                            ? teren_nomenclature_get_label (nomenclature, code) : NULL;
        return g_strdup (label != NULL ? label : code);
      }
    case TEREN_FIELD_MULTI_CHOICE:
      {
        g_autoptr(GString) out = g_string_new (NULL);
        JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
        guint i;

        for (i = 0; array != NULL && i < json_array_get_length (array); i++)
          {
            const char *code = json_array_get_string_element (array, i);
            const char *label = nomenclature != NULL && code != NULL
                                ? teren_nomenclature_get_label (nomenclature, code) : NULL;
            if (out->len > 0)
              g_string_append (out, ", ");
            g_string_append (out, label != NULL ? label : code);
          }
        return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
      }
    case TEREN_FIELD_REFERENCE:
      return reference_title (store, json_node_get_string (node));
    case TEREN_FIELD_ATTACHMENT:
      return teren_attachment_describe (node);
    default:
      return NULL;
    }
}

static char *
record_value (TerenStore  *store,
              TerenRecord *record,
              const char  *key)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (teren_record_get_kind (record));
  const TerenFieldDef *field = kind != NULL ? teren_kind_lookup_field (kind, key) : NULL;

  if (field == NULL)
    return NULL;
  return format_value (store, field, teren_record_get_fields (record));
}

static char *
record_value_or_dash (TerenStore  *store,
                      TerenRecord *record,
                      const char  *key)
{
  char *value = record_value (store, record, key);
  return value != NULL ? value : g_strdup (EMPTY_VALUE);
}

/* Label–value rows for @keys (NULL-terminated), or for every field when @keys is NULL.
 * With @show_empty, an empty field is printed as a dash (a part of a form that must be
 * seen to be empty); otherwise it is left out. */
static void
add_fields (TerenDocument      *doc,
            TerenStore         *store,
            TerenRecord        *record,
            const char * const *keys,
            gboolean            show_empty)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (teren_record_get_kind (record));
  JsonObject *fields = teren_record_get_fields (record);
  guint i;

  if (kind == NULL)
    return;
  for (i = 0; keys != NULL ? keys[i] != NULL : i < kind->n_fields; i++)
    {
      const TerenFieldDef *field = keys != NULL ? teren_kind_lookup_field (kind, keys[i]) : &kind->fields[i];
      g_autofree char *value = NULL;

      if (field == NULL)
        continue;
      value = format_value (store, field, fields);
      if (value != NULL || show_empty)
        teren_document_add_field (doc, teren_field_get_label (field), value != NULL ? value : EMPTY_VALUE);
    }
}

/* One part of a printed form: its heading and the fields under it. */
typedef struct {
  const char         *heading;   /* N_() */
  const char * const *keys;
} DocPart;

/* Each part's heading, then its fields, empty ones too (the form keeps their place). */
static void
add_parts (TerenDocument *doc,
           TerenStore    *store,
           TerenRecord   *record,
           const DocPart *parts,
           guint          n_parts)
{
  guint i;

  for (i = 0; i < n_parts; i++)
    {
      teren_document_add_heading (doc, _(parts[i].heading));
      add_fields (doc, store, record, parts[i].keys, TRUE);
    }
}

/* Related records of @kind whose @key names @id, sorted by @sort_key (ISO dates sort). */
static GPtrArray *
related_records (TerenStore  *store,
                 const char  *kind,
                 const char  *key,
                 const char  *id,
                 GError     **error)
{
  g_autoptr(GPtrArray) ids = teren_store_find_by_field (store, kind, key, id, error);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  guint i;

  if (ids == NULL)
    return NULL;
  for (i = 0; i < ids->len; i++)
    {
      TerenRecord *record = teren_store_get_record (store, g_ptr_array_index (ids, i), NULL);
      if (record == NULL)
        continue;
      if (teren_record_get_deleted (record))
        {
          g_object_unref (record);
          continue;
        }
      g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);
}

/* A table of @records with one column per key. */
static void
add_record_table (TerenDocument      *doc,
                  TerenStore         *store,
                  GPtrArray          *records,
                  const char         *record_kind,
                  const char * const *keys,
                  const double       *widths)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (record_kind);
  g_autoptr(GPtrArray) headings = g_ptr_array_new ();
  guint n = g_strv_length ((char **) keys), i, r;

  g_ptr_array_add (headings, (gpointer) _("No."));
  for (i = 0; i < n; i++)
    {
      const TerenFieldDef *field = teren_kind_lookup_field (kind, keys[i]);
      g_ptr_array_add (headings, (gpointer) (field != NULL ? teren_field_get_label (field) : keys[i]));
    }
  g_ptr_array_add (headings, NULL);
  teren_document_add_table (doc, (const char * const *) headings->pdata, widths);

  for (r = 0; r < records->len; r++)
    {
      TerenRecord *record = g_ptr_array_index (records, r);
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (cells, g_strdup_printf ("%u", r + 1));
      for (i = 0; i < n; i++)
        g_ptr_array_add (cells, record_value_or_dash (store, record, keys[i]));
      g_ptr_array_add (cells, NULL);
      teren_document_add_row (doc, (const char * const *) cells->pdata);
    }
  if (records->len == 0)
    teren_document_add_paragraph (doc, _("No entries."));
}

static char *
today_display (void)
{
  GDate today;
  char iso[16];

  teren_date_today (&today);
  g_snprintf (iso, sizeof iso, "%04d-%02d-%02d", g_date_get_year (&today),
              g_date_get_month (&today), g_date_get_day (&today));
  return teren_date_to_display (iso);
}

/* Registration number and date from the record's own fields where the form has them. */
static void
set_registration (TerenDocument *doc,
                  TerenStore    *store,
                  TerenRecord   *record,
                  const char    *number_key,
                  const char    *date_key)
{
  g_autofree char *number = number_key != NULL ? record_value (store, record, number_key) : NULL;
  g_autofree char *date = date_key != NULL ? record_value (store, record, date_key) : NULL;

  if (date == NULL)
    date = today_display ();
  teren_document_set_registration (doc, number, date);
}

static void
add_signatures2 (TerenDocument *doc,
                 const char    *role1,
                 const char    *name1,
                 const char    *role2,
                 const char    *name2)
{
  const char *roles[] = { role1, role2, NULL };
  const char *names[] = { name1, name2, NULL };

  teren_document_add_signatures (doc, roles, names);
}

/* ---- the documents ------------------------------------------------------------------ */

static TerenDocument *
build_social_inquiry (TerenStore  *store,
                      TerenRecord *record,
                      GError     **error)
{
  static const char * const intro[] = { "date", "purpose", "court_request", "case", "persons_present", NULL };
  static const char * const part1[] = { "person", "mother", "father", "legal_representative", "parents_details", NULL };
  static const char * const part3[] = { "housing_type", "housing_ownership", "rooms", "surface", "electricity",
                                        "running_water", "sewage", "heating", "hygiene", "overcrowded",
                                        "housing_notes", NULL };
  static const char * const part4[] = { "income_total", "income_sources", "benefits", "debts_assets", NULL };
  static const char * const part5[] = { "health", "family_doctor_registered", NULL };
  static const char * const part6[] = { "school", "school_class", "school_attendance", "education", NULL };
  static const char * const part7[] = { "family_relations", "support_network", "relation_mother",
                                        "relation_father", NULL };
  static const char * const part8[] = { "child_opinion", "parents_statements", NULL };
  static const char * const part9[] = { "conclusions", "proposals", NULL };
  static const char * const member_keys[] = { "name", "relationship", "birth_date", "occupation", "income",
                                              "health", "lives_with_child", NULL };
  static const double member_widths[] = { 0.5, 2.4, 1.6, 1.7, 1.4, 1.3, 1.4, 1.3 };
  static const DocPart later_parts[] = {
    { N_("3. Housing conditions"), part3 },
    { N_("4. Economic situation"), part4 },
    { N_("5. Health"), part5 },
    { N_("6. Education"), part6 },
    { N_("7. Family and social relations"), part7 },
    { N_("8. Opinion of the child and statements of the parents"), part8 },
    { N_("9. Conclusions and proposals"), part9 },
  };
  g_autoptr(TerenDocument) doc = teren_document_new (_("Social inquiry"));
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *worker = record_value (store, record, "social_worker");
  guint i;

  set_registration (doc, store, record, NULL, "date");
  add_fields (doc, store, record, intro, FALSE);

  teren_document_add_heading (doc, _("1. Identification data"));
  add_fields (doc, store, record, part1, TRUE);

  teren_document_add_heading (doc, _("2. Family composition"));
  members = related_records (store, "child.inquiry_member", "inquiry", teren_record_get_id (record), error);
  if (members == NULL)
    return NULL;
  /* a member linked to a person record is shown with the person's name and birth date
   * when the row has none of its own */
  for (i = 0; i < members->len; i++)
    {
      TerenRecord *member = g_ptr_array_index (members, i);
      const char *name = teren_record_get_string (member, "name");
      const char *person = teren_record_get_string (member, "person");

      if ((name == NULL || name[0] == '\0') && person != NULL)
        {
          g_autofree char *title = reference_title (store, person);
          teren_record_set_string (member, "name", title);
        }
      if (teren_record_get_string (member, "birth_date") == NULL && person != NULL)
        {
          g_autoptr(TerenRecord) person_record = teren_store_get_record (store, person, NULL);
          const char *birth_date = person_record != NULL
                                   ? teren_record_get_string (person_record, "birth_date") : NULL;

          if (birth_date != NULL)
            teren_record_set_string (member, "birth_date", birth_date);
        }
    }
  add_record_table (doc, store, members, "child.inquiry_member", member_keys, member_widths);

  add_parts (doc, store, record, later_parts, G_N_ELEMENTS (later_parts));

  add_signatures2 (doc, _("Social worker"), worker, _("Head of the service"), NULL);
  return g_steal_pointer (&doc);
}

static TerenDocument *
build_service_plan (TerenStore  *store,
                    TerenRecord *record,
                    GError     **error)
{
  static const char * const item_keys[] = { "objective", "service", "provider", "frequency", "responsible",
                                            "deadline", "status", NULL };
  static const double item_widths[] = { 0.5, 2.6, 2.0, 1.6, 1.3, 1.5, 1.7, 1.6 };
  gboolean child = g_str_equal (teren_record_get_kind (record), "child.service_plan");
  g_autoptr(TerenDocument) doc = teren_document_new (_("Services plan"));
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *responsible = record_value (store, record, "responsible");

  set_registration (doc, store, record, "number", "start_on");
  add_fields (doc, store, record, NULL, FALSE);

  teren_document_add_heading (doc, _("Objectives, services and responsibilities"));
  items = related_records (store, child ? "child.plan_item" : "plan_item", "plan",
                           teren_record_get_id (record), error);
  if (items == NULL)
    return NULL;
  add_record_table (doc, store, items, child ? "child.plan_item" : "plan_item", item_keys, item_widths);

  add_signatures2 (doc, _("Case manager"), responsible, _("Beneficiary or legal representative"), NULL);
  return g_steal_pointer (&doc);
}

static TerenDocument *
build_care_plan (TerenStore  *store,
                 TerenRecord *record,
                 GError     **error)
{
  static const char * const service_keys[] = { "service", "frequency", "minutes", "carer", NULL };
  static const double service_widths[] = { 0.5, 3.0, 2.0, 1.2, 2.0 };
  g_autoptr(TerenDocument) doc = teren_document_new (_("Individual assistance and care plan"));
  g_autoptr(GPtrArray) services = NULL;
  g_autofree char *responsible = record_value (store, record, "responsible");

  set_registration (doc, store, record, "number", "start_on");
  add_fields (doc, store, record, NULL, FALSE);

  teren_document_add_heading (doc, _("Care services"));
  services = related_records (store, "elderly.care_service", "plan", teren_record_get_id (record), error);
  if (services == NULL)
    return NULL;
  add_record_table (doc, store, services, "elderly.care_service", service_keys, service_widths);

  add_signatures2 (doc, _("Case manager"), responsible, _("Beneficiary or legal representative"), NULL);
  return g_steal_pointer (&doc);
}

static TerenDocument *
build_hg886 (TerenStore  *store,
             TerenRecord *record,
             GError     **error)
{
  static const char * const intro[] = { "person", "case", "date", NULL };
  static const char * const adl[] = { "adl_hygiene", "adl_dressing", "adl_feeding", "adl_mobility",
                                      "adl_transfer", "adl_continence", NULL };
  static const char * const iadl[] = { "iadl_phone", "iadl_shopping", "iadl_cooking", "iadl_housekeeping",
                                       "iadl_transport", "iadl_medication", "iadl_finances", NULL };
  static const char * const sensory[] = { "sight", "hearing", "cognition", "mood", "bedridden", "diagnoses", NULL };
  static const char * const result[] = { "computed_degree", "degree", "override_reason",
                                         "recommended_services", NULL };
  static const DocPart parts[] = {
    { N_("Activities of daily living"), adl },
    { N_("Instrumental activities of daily living"), iadl },
    { N_("Senses, cognition and health"), sensory },
    { N_("Dependency degree"), result },
  };
  g_autoptr(TerenDocument) doc = teren_document_new (_("Socio-medical assessment form (HG 886/2000)"));
  g_autofree char *worker = record_value (store, record, "social_worker");
  g_autofree char *doctor = record_value (store, record, "doctor");

  set_registration (doc, store, record, NULL, "date");
  add_fields (doc, store, record, intro, TRUE);
  add_parts (doc, store, record, parts, G_N_ELEMENTS (parts));

  add_signatures2 (doc, _("Social worker"), worker, _("Doctor"), doctor);
  return g_steal_pointer (&doc);
}

static TerenDocument *
build_signal (TerenStore  *store,
              TerenRecord *record,
              GError     **error)
{
  g_autoptr(TerenDocument) doc = teren_document_new (_("Signal form"));
  g_autofree char *reporter = record_value (store, record, "reporter_name");
  g_autofree char *responsible = record_value (store, record, "responsible");

  set_registration (doc, store, record, "registration_number", "date");
  add_fields (doc, store, record, NULL, FALSE);
  add_signatures2 (doc, _("Reported by"), reporter, _("Received by"), responsible);
  return g_steal_pointer (&doc);
}

static TerenDocument *
build_timesheet (TerenStore  *store,
                 TerenRecord *record,
                 GError     **error)
{
  static const char * const totals[] = { "leave_days", "medical_leave_days", "absence_days",
                                         "signed_by_beneficiary", "notes", NULL };
  const char *headings[] = { _("Day"), _("Hours"), _("Day"), _("Hours"), NULL };
  g_autoptr(TerenDocument) doc = teren_document_new (_("Personal assistant timesheet"));
  g_autoptr(TerenRecord) assistant = NULL;
  g_autofree char *total_text = NULL;
  const char *month = teren_record_get_string (record, "month");
  const char *assistant_id = teren_record_get_string (record, "assistant");
  gint64 total = 0;
  guint day;

  {
    g_autofree char *today = today_display ();
    teren_document_set_registration (doc, NULL, today);
  }
  teren_document_add_field (doc, _("Month"), month != NULL ? month : EMPTY_VALUE);
  if (assistant_id != NULL)
    assistant = teren_store_get_record (store, assistant_id, NULL);
  if (assistant != NULL)
    {
      g_autofree char *person = record_value_or_dash (store, assistant, "person");
      g_autofree char *who = record_value_or_dash (store, assistant, "assistant");
      teren_document_add_field (doc, _("Person with disability"), person);
      teren_document_add_field (doc, _("Personal assistant"), who);
    }

  teren_document_add_heading (doc, _("Hours worked"));
  teren_document_add_table (doc, headings, NULL);
  for (day = 1; day <= (TIMESHEET_DAYS + 1) / 2; day++)
    {
      char key1[8], key2[8];
      g_autofree char *hours1 = NULL, *hours2 = NULL, *day1 = NULL, *day2 = NULL;
      const char *cells[5];
      guint other = day + (TIMESHEET_DAYS + 1) / 2;

      g_snprintf (key1, sizeof key1, "day_%02u", day);
      g_snprintf (key2, sizeof key2, "day_%02u", other);
      hours1 = record_value (store, record, key1);
      total += teren_record_get_int (record, key1);
      day1 = g_strdup_printf ("%u", day);
      if (other <= TIMESHEET_DAYS)
        {
          hours2 = record_value (store, record, key2);
          total += teren_record_get_int (record, key2);
          day2 = g_strdup_printf ("%u", other);
        }
      cells[0] = day1;
      cells[1] = hours1 != NULL ? hours1 : EMPTY_VALUE;
      cells[2] = day2 != NULL ? day2 : "";
      cells[3] = day2 != NULL ? (hours2 != NULL ? hours2 : EMPTY_VALUE) : "";
      cells[4] = NULL;
      teren_document_add_row (doc, cells);
    }
  total_text = g_strdup_printf ("%" G_GINT64_FORMAT, total);
  teren_document_add_field (doc, _("Total hours"), total_text);
  add_fields (doc, store, record, totals, FALSE);

  add_signatures2 (doc, _("Personal assistant"), NULL, _("Beneficiary or legal representative"), NULL);
  return g_steal_pointer (&doc);
}

static TerenDocument *
build_pupil_summary (TerenStore  *store,
                     TerenRecord *record,
                     GError     **error)
{
  static const char * const consultation_keys[] = { "date", NULL };
  static const struct {
    const char *kind;
    const char *heading;
  } related[] = {
    { "school_health.consultation", N_("Consultations") },
    { "school_health.screening", N_("Screening exams") },
    { "school_health.vaccination", N_("Vaccinations") },
  };
  g_autoptr(TerenDocument) doc = teren_document_new (_("Pupil medical record summary"));
  const char *person = teren_record_get_string (record, "person");
  guint i;

  set_registration (doc, store, record, NULL, NULL);
  add_fields (doc, store, record, NULL, FALSE);

  for (i = 0; person != NULL && i < G_N_ELEMENTS (related); i++)
    {
      g_autoptr(GPtrArray) records = related_records (store, related[i].kind, "person", person, error);
      const double widths[] = { 0.5, 1.5, 5.0 };
      const char *headings[] = { _("No."), _("Date"), _("Record"), NULL };
      guint r;

      if (records == NULL)
        return NULL;
      teren_document_add_heading (doc, _(related[i].heading));
      if (records->len == 0)
        {
          teren_document_add_paragraph (doc, _("No entries."));
          continue;
        }
      teren_document_add_table (doc, headings, widths);
      for (r = 0; r < records->len; r++)
        {
          TerenRecord *row = g_ptr_array_index (records, r);
          g_autofree char *number = g_strdup_printf ("%u", r + 1);
          g_autofree char *date = record_value_or_dash (store, row, consultation_keys[0]);
          const char *cells[] = { number, date, teren_record_get_title (row), NULL };
          teren_document_add_row (doc, cells);
        }
    }

  add_signatures2 (doc, _("School doctor or nurse"), NULL, _("Head of the unit"), NULL);
  return g_steal_pointer (&doc);
}

/* ---- month documents ---------------------------------------------------------------- */

static gboolean
in_month (const char *start,
          const char *end,
          const char *first,
          const char *last)
{
  if (start == NULL || g_strcmp0 (start, last) > 0)
    return FALSE;
  return end == NULL || end[0] == '\0' || g_strcmp0 (end, first) >= 0;
}

static int
compare_rows_by_name (gconstpointer a,
                      gconstpointer b)
{
  char * const *row_a = *(char * const * const *) a;
  char * const *row_b = *(char * const * const *) b;

  return g_utf8_collate (row_a[0], row_b[0]);
}

static TerenDocument *
build_canteen_list (TerenStore *store,
                    int         year,
                    int         month,
                    GError    **error)
{
  const char *headings[] = { _("No."), _("Beneficiary"), _("Canteen category"), _("Meals"),
                             _("Members of the family"), _("Days served"), _("Signature"), NULL };
  const double widths[] = { 0.5, 2.6, 2.0, 1.4, 1.0, 0.9, 1.5 };
  g_autoptr(TerenDocument) doc = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *title = NULL;
  char first[16], last[16], prefix[16];
  guint i, number = 0;

  ids = teren_store_list_ids (store, "canteen.beneficiary", error);
  if (ids == NULL)
    return NULL;

  g_snprintf (first, sizeof first, "%04d-%02d-01", year, month);
  g_snprintf (last, sizeof last, "%04d-%02d-%02d", year, month, g_date_get_days_in_month (month, year));
  g_snprintf (prefix, sizeof prefix, "%04d-%02d-", year, month);

  /* TRANSLATORS: %02d.%04d is the month, e.g. 03.2026 */
  title = g_strdup_printf (_("Nominal list of the social canteen’s beneficiaries, %02d.%04d"), month, year);
  doc = teren_document_new (title);
  {
    g_autofree char *today = today_display ();
    teren_document_set_registration (doc, NULL, today);
  }
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (i = 0; i < ids->len; i++)
    {
      g_autoptr(TerenRecord) record = teren_store_get_record (store, g_ptr_array_index (ids, i), NULL);
      g_autoptr(GPtrArray) meals = NULL;
      GStrvBuilder *builder;
      g_autofree char *name = NULL, *category = NULL, *meal_kinds = NULL, *size = NULL, *days = NULL;
      guint served = 0, m;

      if (record == NULL || teren_record_get_deleted (record)
          || !in_month (teren_record_get_string (record, "start_on"),
                        teren_record_get_string (record, "end_on"), first, last))
        continue;
      meals = related_records (store, "canteen.meal", "beneficiary", teren_record_get_id (record), error);
      if (meals == NULL)
        return NULL;
      for (m = 0; m < meals->len; m++)
        {
          const char *date = teren_record_get_string (g_ptr_array_index (meals, m), "date");
          if (date != NULL && g_str_has_prefix (date, prefix))
            served++;
        }

      name = record_value_or_dash (store, record, "person");
      category = record_value_or_dash (store, record, "category");
      meal_kinds = record_value_or_dash (store, record, "meals");
      size = record_value_or_dash (store, record, "household_size");
      days = g_strdup_printf ("%u", served);
      builder = g_strv_builder_new ();
      g_strv_builder_add_many (builder, name, category, meal_kinds, size, days, NULL);
      g_ptr_array_add (rows, g_strv_builder_end (builder));
      g_strv_builder_unref (builder);
    }
  /* by name, as the list is read and signed */
  g_ptr_array_sort (rows, compare_rows_by_name);

  teren_document_add_table (doc, headings, widths);
  for (i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      g_autofree char *no = g_strdup_printf ("%u", ++number);
      const char *cells[] = { no, row[0], row[1], row[2], row[3], row[4], "", NULL };

      teren_document_add_row (doc, cells);
    }
  if (number == 0)
    teren_document_add_paragraph (doc, _("No entries."));

  add_signatures2 (doc, _("Prepared by"), NULL, _("Head of the service"), NULL);
  return g_steal_pointer (&doc);
}

static TerenDocument *
build_chc_report (TerenStore *store,
                  int         year,
                  int         month,
                  GError    **error)
{
  const char *headings[] = { _("No."), _("Indicator"), _("Value"), NULL };
  const double widths[] = { 0.5, 5.0, 1.5 };
  g_autoptr(TerenReport) report = NULL;
  g_autoptr(TerenDocument) doc = NULL;
  g_autofree char *title = NULL;
  guint i;

  report = teren_store_report_month (store, "community_health", year, month, error);
  if (report == NULL)
    return NULL;

  /* TRANSLATORS: %02d.%04d is the month, e.g. 03.2026 */
  title = g_strdup_printf (_("Monthly activity report of community medical assistance, %02d.%04d"),
                           month, year);
  doc = teren_document_new (title);
  {
    g_autofree char *today = today_display ();
    teren_document_set_registration (doc, NULL, today);
  }
  teren_document_add_table (doc, headings, widths);
  for (i = 0; i < report->figures->len; i++)
    {
      TerenReportFigure *figure = g_ptr_array_index (report->figures, i);
      g_autofree char *no = g_strdup_printf ("%u", i + 1);
      g_autofree char *value = format_number (figure->value, figure->decimals);
      const char *cells[] = { no, figure->label, value, NULL };
      teren_document_add_row (doc, cells);
    }

  add_signatures2 (doc, _("Community health nurse"), NULL, _("Coordinator"), NULL);
  return g_steal_pointer (&doc);
}

/* ---- entry point -------------------------------------------------------------------- */

typedef TerenDocument *(*RecordBuilder) (TerenStore *, TerenRecord *, GError **);

static RecordBuilder
record_builder (const char *document_kind)
{
  if (g_str_equal (document_kind, "social-inquiry"))
    return build_social_inquiry;
  if (g_str_equal (document_kind, "service-plan"))
    return build_service_plan;
  if (g_str_equal (document_kind, "care-plan"))
    return build_care_plan;
  if (g_str_equal (document_kind, "hg886"))
    return build_hg886;
  if (g_str_equal (document_kind, "signal"))
    return build_signal;
  if (g_str_equal (document_kind, "timesheet"))
    return build_timesheet;
  if (g_str_equal (document_kind, "pupil-summary"))
    return build_pupil_summary;
  return NULL;
}

static gboolean
record_fits (const char *document_kind,
             const char *record_kind)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (document_records); i++)
    if (g_str_equal (document_records[i].document, document_kind)
        && g_str_equal (document_records[i].record_kind, record_kind))
      return TRUE;
  return FALSE;
}

TerenDocument *
teren_official_document_build (TerenStore  *store,
                               const char  *document_kind,
                               const char  *argument,
                               GError     **error)
{
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(TerenDocument) doc = NULL;
  g_autofree char *name = NULL, *address = NULL, *logo = NULL;
  RecordBuilder builder;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (document_kind != NULL && argument != NULL, NULL);

  builder = record_builder (document_kind);
  if (builder != NULL)
    {
      GError *local_error = NULL;

      record = teren_store_get_record (store, argument, &local_error);
      if (record == NULL || teren_record_get_deleted (record))
        {
          g_clear_error (&local_error);
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                       _("There is no record with the id “%s”"), argument);
          return NULL;
        }
      if (!record_fits (document_kind, teren_record_get_kind (record)))
        {
          const TerenKindDef *kind = teren_schema_lookup_kind (teren_record_get_kind (record));
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                       _("The record “%s” is a %s, not a record a “%s” document is made from"),
                       argument, kind != NULL ? teren_kind_get_label (kind) : teren_record_get_kind (record),
                       document_kind);
          return NULL;
        }
      doc = builder (store, record, error);
    }
  else if (g_str_equal (document_kind, "canteen-list") || g_str_equal (document_kind, "chc-report"))
    {
      int year = 0, month = 0;

      if (!teren_report_parse_month (argument, &year, &month, error))
        return NULL;
      doc = g_str_equal (document_kind, "canteen-list")
            ? build_canteen_list (store, year, month, error)
            : build_chc_report (store, year, month, error);
    }
  else
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("Unknown document “%s”"), document_kind);
      return NULL;
    }

  if (doc == NULL)
    return NULL;
  teren_official_document_read_header (&name, &address, &logo);
  teren_document_set_header (doc, name, address, logo);
  return g_steal_pointer (&doc);
}

/* ---- shared inside src/docs (teren-docs-private.h) ------------------------------------ */

void
teren_docs_add_record_fields (TerenDocument *doc,
                              TerenStore    *store,
                              TerenRecord   *record)
{
  add_fields (doc, store, record, NULL, FALSE);
}

char *
teren_docs_today_display (void)
{
  return today_display ();
}
