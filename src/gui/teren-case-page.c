/* teren-case-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-case-page.h"
#include "teren-catagrafie.h"
#include "teren-date.h"
#include "teren-error.h"
#include "teren-gui.h"
#include "teren-line.h"
#include "teren-schema.h"

/* A form saves several records together: reload once after them. */
#define RELOAD_DELAY_MS 150

/* The steps of DOMAIN.md §0.2. Each lists the kinds that complete it, line kinds first:
 * a step uses those of the case's line and the common ones; a new record is of the first. */
static const char * const signal_kinds[] = { "child.signal", "intake", NULL };
static const char * const file_kinds[] = {
  "child.case_profile", "creche.enrolment", "elderly.registry_entry", "canteen.beneficiary",
  "homeless.profile", "adult.risk_assessment", "community_health.beneficiary",
  "school_health.pupil_record", "disability.certificate", NULL
};
static const char * const assessment_kinds[] = {
  "child.initial_assessment", "child.social_inquiry", "elderly.assessment",
  "community_health.catagrafie", "assessment", NULL
};
static const char * const plan_kinds[] = {
  "child.service_plan", "elderly.care_plan", "adult.intervention_plan",
  "homeless.intervention_plan", "plan", NULL
};
static const char * const decision_kinds[] = { "decision", NULL };
static const char * const contract_kinds[] = { "contract", NULL };
static const char * const services_kinds[] = { "elderly.home_care_visit", "visit", NULL };
static const char * const review_kinds[] = { "child.reintegration_monitoring", "review", NULL };
static const char * const closure_kinds[] = { "closure", NULL };

typedef struct
{
  const char         *id;
  const char         *label;   /* N_() */
  const char * const *kinds;   /* NULL: the case record itself */
} Step;

static const Step steps[] = {
  { "signal", N_("Signal or request"), signal_kinds },
  { "registration", N_("Registration"), NULL },
  { "file", N_("File of the service line"), file_kinds },
  { "assessment", N_("Assessment"), assessment_kinds },
  { "plan", N_("Plan"), plan_kinds },
  { "decision", N_("Decision (dispoziție)"), decision_kinds },
  { "contract", N_("Contract"), contract_kinds },
  { "services", N_("Services and visits"), services_kinds },
  { "review", N_("Monitoring and review"), review_kinds },
  { "closure", N_("Closure or transfer"), closure_kinds },
};

/* Row records shown under their parent (the schema has no table type). */
typedef struct
{
  const char *parent_kind;
  const char *row_kind;
  const char *key;      /* the row's reference to the parent */
  const char *label;    /* N_() */
  const char *gate;     /* a yes/no of the parent that must be on, or NULL */
} SubList;

static const SubList sub_lists[] = {
  { "plan", "plan_item", "plan", N_("Objectives of the plan"), NULL },
  { "child.service_plan", "child.plan_item", "plan", N_("Objectives of the services plan"), NULL },
  { "elderly.care_plan", "elderly.care_service", "plan", N_("Services of the care plan"), NULL },
  { "child.social_inquiry", "child.inquiry_member", "inquiry", N_("Family composition"), NULL },
  { "canteen.beneficiary", "canteen.household_member", "beneficiary", N_("Household members and income"), NULL },
  /* The catagrafie's disability and disease rows apply only when it says so. */
  { "community_health.catagrafie", "community_health.disability", "catagrafie", N_("Disabilities"),
    "has_disabilities" },
  { "community_health.catagrafie", "community_health.disease", "catagrafie", N_("Health problems"),
    "has_health_issues" },
};

static gboolean
sub_list_applies (const SubList *list,
                  TerenRecord   *parent)
{
  JsonObject *fields = teren_record_get_fields (parent);
  JsonNode *node;

  if (list->gate == NULL)
    return TRUE;
  node = fields != NULL ? json_object_get_member (fields, list->gate) : NULL;
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* Keys holding a record's date, first present wins. */
static const char * const date_keys[] = {
  "date", "received_on", "registered_on", "evaluation_date", "start_on", "signed_on",
  "closed_on", "valid_from", "opened_on", NULL
};

struct _TerenCasePage
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkWidget           *box;
  GtkButton           *edit_button;
  AdwPreferencesPage  *page;
  GtkSpinner          *spinner;
  GtkStack            *stack;
  AdwPreferencesGroup *timeline_group;
  AdwWindowTitle      *window_title;

  /* Owned */
  TerenStore          *store;
  GCancellable        *cancellable;
  TerenRecord         *record;
  TerenRecord         *person;        /* (nullable) the beneficiary */
  GHashTable          *by_kind;       /* kind → GPtrArray<TerenRecord>, latest first */
  GHashTable          *rows;          /* parent id → GPtrArray<TerenRecord> */
  GHashTable          *row_ids;       /* "<parent id>/<row kind>" → GPtrArray<char*> */
  GPtrArray           *step_rows;     /* widgets added to timeline_group */
  GPtrArray           *groups;        /* sub-list groups added to page */
  char                *case_id;

  TerenGuiDebounce     reload_later;
  TerenGuiSerialRead   reading;
  guint                loading : 1;
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  EDIT_RECORD,
  NEW_RECORD,
  NEW_RECORD_VALUES,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenCasePage, teren_case_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void reload (TerenCasePage *self);

/* Kinds */

static gboolean
kind_applies (const char *kind,
              const char *line)
{
  const TerenKindDef *def = teren_schema_lookup_kind (kind);

  return def != NULL && (def->any_line || g_strcmp0 (def->line, line) == 0);
}

static const char *
record_date (TerenRecord *record)
{
  guint i;

  for (i = 0; date_keys[i] != NULL; i++)
    {
      const char *value = teren_record_get_string (record, date_keys[i]);

      if (value != NULL && *value != '\0')
        return value;
    }
  return NULL;
}

static int
compare_latest_first (gconstpointer a,
                      gconstpointer b)
{
  TerenRecord *ra = *(TerenRecord * const *)a;
  TerenRecord *rb = *(TerenRecord * const *)b;

  return -g_strcmp0 (record_date (ra), record_date (rb));
}

/* Reading on a worker thread */

typedef struct
{
  TerenRecord *record;
  TerenRecord *person;
  GHashTable  *by_kind;
  GHashTable  *rows;
} CaseData;

static void
case_data_free (gpointer pointer)
{
  CaseData *data = pointer;

  g_clear_object (&data->record);
  g_clear_object (&data->person);
  g_clear_pointer (&data->by_kind, g_hash_table_unref);
  g_clear_pointer (&data->rows, g_hash_table_unref);
  g_free (data);
}

static GPtrArray *
load_records (TerenStore  *store,
              const char  *kind,
              const char  *key,
              const char  *value,
              GError     **error)
{
  g_autoptr(GPtrArray) ids = teren_store_find_by_field (store, kind, key, value, error);
  GPtrArray *records;
  guint i;

  if (ids == NULL)
    return NULL;
  records = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; i < ids->len; i++)
    {
      TerenRecord *record = teren_store_get_record (store, g_ptr_array_index (ids, i), NULL);

      if (record != NULL)
        g_ptr_array_add (records, record);
    }
  g_ptr_array_sort (records, compare_latest_first);
  return records;
}

static gpointer
load_func (TerenStore  *store,
           gpointer     user_data,
           GError     **error)
{
  const char *case_id = user_data;
  g_autoptr(TerenRecord) record = teren_store_get_record (store, case_id, error);
  CaseData *data;
  const char *line;
  const char *person;
  guint i, j;

  if (record == NULL)
    return NULL;

  data = g_new0 (CaseData, 1);
  data->record = g_steal_pointer (&record);
  data->by_kind = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_ptr_array_unref);
  data->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify)g_ptr_array_unref);
  line = teren_record_get_line (data->record);
  person = teren_record_get_string (data->record, "person");
  if (person != NULL)
    data->person = teren_store_get_record (store, person, NULL);

  for (i = 0; i < G_N_ELEMENTS (steps); i++)
    for (j = 0; steps[i].kinds != NULL && steps[i].kinds[j] != NULL; j++)
      {
        const char *kind = steps[i].kinds[j];
        const TerenKindDef *def = teren_schema_lookup_kind (kind);
        GPtrArray *records = NULL;

        if (!kind_applies (kind, line) || g_hash_table_contains (data->by_kind, kind))
          continue;
        /* Records of the case; the person's for kinds that name no case. */
        if (teren_kind_lookup_field (def, "case") != NULL)
          records = load_records (store, kind, "case", case_id, error);
        else if (teren_kind_lookup_field (def, "person") != NULL && person != NULL)
          records = load_records (store, kind, "person", person, error);
        else
          continue;
        if (records == NULL)
          {
            case_data_free (data);
            return NULL;
          }
        g_hash_table_insert (data->by_kind, g_strdup (kind), records);
      }

  for (i = 0; i < G_N_ELEMENTS (sub_lists); i++)
    {
      GPtrArray *parents = g_hash_table_lookup (data->by_kind, sub_lists[i].parent_kind);

      for (j = 0; parents != NULL && j < parents->len; j++)
        {
          const char *parent_id = teren_record_get_id (g_ptr_array_index (parents, j));
          GPtrArray *records = load_records (store, sub_lists[i].row_kind, sub_lists[i].key,
                                             parent_id, error);

          if (records == NULL)
            {
              case_data_free (data);
              return NULL;
            }
          g_hash_table_insert (data->rows, g_strdup_printf ("%s/%s", parent_id, sub_lists[i].row_kind),
                               records);
        }
    }

  return data;
}

/* Showing it */

static void
set_loading (TerenCasePage *self,
             gboolean       loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static const Step *
lookup_step (const char *id)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (steps[i].id, id) == 0)
      return &steps[i];
  return NULL;
}

/* The latest record completing @step, or NULL. */
static TerenRecord *
step_record (TerenCasePage *self,
             const Step    *step)
{
  TerenRecord *latest = NULL;
  guint i;

  for (i = 0; step->kinds != NULL && step->kinds[i] != NULL; i++)
    {
      GPtrArray *records = self->by_kind != NULL ? g_hash_table_lookup (self->by_kind, step->kinds[i]) : NULL;
      TerenRecord *first = records != NULL && records->len > 0 ? g_ptr_array_index (records, 0) : NULL;

      if (first != NULL && (latest == NULL || g_strcmp0 (record_date (first), record_date (latest)) > 0))
        latest = first;
    }
  return latest;
}

static guint
step_count (TerenCasePage *self,
            const Step    *step)
{
  guint n = 0;
  guint i;

  for (i = 0; step->kinds != NULL && step->kinds[i] != NULL; i++)
    {
      GPtrArray *records = self->by_kind != NULL ? g_hash_table_lookup (self->by_kind, step->kinds[i]) : NULL;

      n += records != NULL ? records->len : 0;
    }
  return n;
}

static gboolean
step_done (TerenCasePage *self,
           const Step    *step)
{
  const char *status;

  if (self->record == NULL)
    return FALSE;
  if (step->kinds == NULL)
    {
      const char *number = teren_record_get_string (self->record, "number");

      return number != NULL && *number != '\0';
    }
  if (g_strcmp0 (step->id, "closure") == 0)
    {
      status = teren_record_get_string (self->record, "status");
      if (g_strcmp0 (status, "closed") == 0 || g_strcmp0 (status, "transferred") == 0)
        return TRUE;
    }
  return step_record (self, step) != NULL;
}

/* The kind a new record of @step is made of, for the case's line. */
static const char *
step_new_kind (TerenCasePage *self,
               const Step    *step)
{
  const char *line = self->record != NULL ? teren_record_get_line (self->record) : NULL;
  guint i;

  for (i = 0; step->kinds != NULL && step->kinds[i] != NULL; i++)
    if (kind_applies (step->kinds[i], line))
      return step->kinds[i];
  return NULL;
}

static void
new_record_of (TerenCasePage *self,
               const char    *kind)
{
  const TerenKindDef *def = teren_schema_lookup_kind (kind);
  const char *person = teren_record_get_string (self->record, "person");
  gboolean by_case = teren_kind_lookup_field (def, "case") != NULL;
  gboolean by_person = teren_kind_lookup_field (def, "person") != NULL && person != NULL;

  /* A new catagrafie is a new version of the person's last one: its answers shown to
   * be checked, the age category derived. */
  if (g_strcmp0 (kind, "community_health.catagrafie") == 0 && person != NULL)
    {
      GPtrArray *previous = g_hash_table_lookup (self->by_kind, kind);
      const char *birth_date = self->person != NULL ? teren_record_get_string (self->person, "birth_date") : NULL;
      g_autoptr(JsonObject) values = NULL;
      GDate today;

      teren_date_today (&today);
      values = teren_catagrafie_new_version (previous != NULL ? teren_catagrafie_latest (previous, person, NULL) : NULL,
                                             person, birth_date, &today);
      g_signal_emit (self, signals[NEW_RECORD_VALUES], 0, kind, teren_record_get_line (self->record), values);
      return;
    }

  g_signal_emit (self, signals[NEW_RECORD], 0, kind, teren_record_get_line (self->record),
                 by_case ? "case" : NULL, by_case ? self->case_id : NULL,
                 by_person ? "person" : NULL, by_person ? person : NULL);
}

static void
add_step_record (TerenCasePage *self,
                 const Step    *step)
{
  const char *kind;

  if (self->record == NULL)
    return;
  if (step->kinds == NULL)
    {
      g_signal_emit (self, signals[EDIT_RECORD], 0, self->record);
      return;
    }
  kind = step_new_kind (self, step);
  if (kind != NULL)
    new_record_of (self, kind);
}

static void
activate_step (TerenCasePage *self,
               const Step    *step)
{
  TerenRecord *record;

  if (self->record == NULL)
    return;
  record = step->kinds != NULL ? step_record (self, step) : self->record;
  if (record != NULL)
    g_signal_emit (self, signals[EDIT_RECORD], 0, record);
  else
    add_step_record (self, step);
}

static void
on_step_activated_cb (AdwActionRow  *row,
                      TerenCasePage *self)
{
  activate_step (self, g_object_get_data (G_OBJECT (row), "teren-step"));
}

static void
on_step_add_clicked_cb (GtkButton     *button,
                        TerenCasePage *self)
{
  add_step_record (self, g_object_get_data (G_OBJECT (button), "teren-step"));
}

static char *
step_subtitle (TerenCasePage *self,
               const Step    *step)
{
  TerenRecord *record;
  g_autofree char *date = NULL;
  guint n;

  if (!step_done (self, step))
    return g_strdup (_("Pending"));

  record = step->kinds != NULL ? step_record (self, step) : self->record;
  if (record == NULL)
    /* A case closed without a closure record. */
    return g_strdup (_("Done"));
  date = teren_gui_format_date (step->kinds != NULL ? record_date (record)
                                                    : teren_record_get_string (record, "opened_on"));
  n = step_count (self, step);
  if (step->kinds == NULL)
    /* Translators: "Done, 12.03.2026 — no. 1204/2024" */
    return g_strdup_printf (_("Done, %s — no. %s"), date != NULL ? date : "",
                            teren_record_get_string (record, "number"));
  if (n > 1)
    /* Translators: "Done, 12.03.2026 — Services plan (3 records)" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Done, %s — %s (%u record)",
                                         "Done, %s — %s (%u records)", n),
                            date != NULL ? date : "",
                            teren_kind_get_label (teren_schema_lookup_kind (teren_record_get_kind (record))), n);
  /* Translators: "Done, 12.03.2026 — Services plan" */
  return g_strdup_printf (_("Done, %s — %s"), date != NULL ? date : "",
                          teren_kind_get_label (teren_schema_lookup_kind (teren_record_get_kind (record))));
}

static void
clear_rows (TerenCasePage *self)
{
  guint i;

  for (i = 0; i < self->step_rows->len; i++)
    adw_preferences_group_remove (self->timeline_group, g_ptr_array_index (self->step_rows, i));
  g_ptr_array_set_size (self->step_rows, 0);
  teren_gui_page_remove_groups (self->page, self->groups);
}

static void
on_row_record_activated_cb (AdwActionRow  *row,
                            TerenCasePage *self)
{
  TerenRecord *record = g_object_get_data (G_OBJECT (row), "teren-record");

  if (record != NULL)
    g_signal_emit (self, signals[EDIT_RECORD], 0, record);
}

static void
on_add_row_clicked_cb (GtkButton     *button,
                       TerenCasePage *self)
{
  const SubList *list = g_object_get_data (G_OBJECT (button), "teren-sub-list");
  const char *parent_id = g_object_get_data (G_OBJECT (button), "teren-parent");
  const char *person = teren_record_get_string (self->record, "person");
  const TerenKindDef *def = teren_schema_lookup_kind (list->row_kind);
  gboolean by_person = teren_kind_lookup_field (def, "person") != NULL && person != NULL;

  g_signal_emit (self, signals[NEW_RECORD], 0, list->row_kind, teren_record_get_line (self->record),
                 list->key, parent_id, by_person ? "person" : NULL, by_person ? person : NULL);
}

static void
show_sub_list (TerenCasePage *self,
               const SubList *list,
               TerenRecord   *parent)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", teren_record_get_id (parent), list->row_kind);
  GPtrArray *records = g_hash_table_lookup (self->rows, key);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *date = teren_gui_format_date (record_date (parent));
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
  g_autofree char *add_label = NULL;
  guint i;

  /* Translators: a sub-list's title: "Objectives of the plan (12.03.2026)" */
  title = date != NULL ? g_strdup_printf (_("%s (%s)"), g_dgettext (GETTEXT_PACKAGE, list->label), date)
                       : g_strdup (g_dgettext (GETTEXT_PACKAGE, list->label));
  escaped = g_markup_escape_text (title, -1);
  adw_preferences_group_set_title (group, escaped);

  /* Translators: the accessible name of the Add button of a sub-list, "Add: Objectives of the plan" */
  add_label = g_strdup_printf (_("Add: %s"), g_dgettext (GETTEXT_PACKAGE, list->label));
  gtk_widget_set_tooltip_text (add, add_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL, add_label, -1);
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (add), "teren-sub-list", (gpointer)list);
  g_object_set_data_full (G_OBJECT (add), "teren-parent", g_strdup (teren_record_get_id (parent)), g_free);
  g_signal_connect_object (add, "clicked", G_CALLBACK (on_add_row_clicked_cb), self, 0);
  adw_preferences_group_set_header_suffix (group, add);

  for (i = 0; records != NULL && i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), teren_record_get_title (record));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "teren-record", g_object_ref (record), g_object_unref);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_row_record_activated_cb), self, 0);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (ids, g_strdup (teren_record_get_id (record)));
    }
  if (records == NULL || records->len == 0)
    adw_preferences_group_set_description (group, _("None yet."));

  g_hash_table_insert (self->row_ids, g_steal_pointer (&key), ids);
  adw_preferences_page_add (self->page, group);
  g_ptr_array_add (self->groups, group);
}

static void
show_case (TerenCasePage *self)
{
  const TerenLine *line = teren_line_lookup (teren_record_get_line (self->record));
  guint i, j;

  clear_rows (self);
  g_hash_table_remove_all (self->row_ids);

  adw_window_title_set_title (self->window_title, teren_record_get_title (self->record));
  adw_window_title_set_subtitle (self->window_title, line != NULL ? teren_line_get_label (line) : "");

  for (i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      const Step *step = &steps[i];
      gboolean done = step_done (self, step);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *icon;
      GtkWidget *add;
      const char *title = g_dgettext (GETTEXT_PACKAGE, step->label);
      const char *new_kind = step_new_kind (self, step);
      g_autofree char *add_label = NULL;

      /* A line without a file kind (the case is its file) skips that step. */
      if (step->kinds != NULL && new_kind == NULL)
        continue;
      if (g_strcmp0 (step->id, "file") == 0)
        title = teren_kind_get_label (teren_schema_lookup_kind (new_kind));

      subtitle = step_subtitle (self, step);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "teren-step", (gpointer)step);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_step_activated_cb), self, 0);

      icon = gtk_image_new_from_icon_name (done ? "emblem-ok-symbolic" : "content-loading-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      done ? _("Done") : _("Pending"), -1);
      if (done)
        gtk_widget_add_css_class (icon, "success");
      else
        gtk_widget_add_css_class (icon, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

      if (step->kinds != NULL)
        {
          add = gtk_button_new_from_icon_name ("list-add-symbolic");
          /* Translators: the Add button of a step of the case, "Add: Plan" */
          add_label = g_strdup_printf (_("Add: %s"), title);
          gtk_widget_set_tooltip_text (add, add_label);
          gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL, add_label, -1);
          gtk_widget_add_css_class (add, "flat");
          gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (add), "teren-step", (gpointer)step);
          g_signal_connect_object (add, "clicked", G_CALLBACK (on_step_add_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), add);
        }

      adw_preferences_group_add (self->timeline_group, row);
      g_ptr_array_add (self->step_rows, row);
    }

  for (i = 0; i < G_N_ELEMENTS (sub_lists); i++)
    {
      GPtrArray *parents = g_hash_table_lookup (self->by_kind, sub_lists[i].parent_kind);

      for (j = 0; parents != NULL && j < parents->len; j++)
        if (sub_list_applies (&sub_lists[i], g_ptr_array_index (parents, j)))
          show_sub_list (self, &sub_lists[i], g_ptr_array_index (parents, j));
    }
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TerenCasePage) self = user_data;
  g_autoptr(GError) error = NULL;
  CaseData *data = teren_gui_store_call_finish (result, &error);

  /* Reads end in any order on the worker pool: one at a time, and a change seen during
   * a read asks for another (reload_again()), so an older read never replaces a newer one.
   * A cancelled read leaves the page loading: it is going away. */
  if (self->stack == NULL || !teren_gui_serial_read_end (&self->reading, error))
    {
      if (data != NULL)
        case_data_free (data);
      return;
    }
  set_loading (self, FALSE);
  if (data == NULL)
    {
      if (!g_error_matches (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
        g_warning ("Could not read a case: %s", error != NULL ? error->message : "?");
      gtk_stack_set_visible_child_name (self->stack, "missing");
      gtk_widget_set_sensitive (GTK_WIDGET (self->edit_button), FALSE);
      return;
    }

  g_set_object (&self->record, data->record);
  g_set_object (&self->person, data->person);
  g_clear_pointer (&self->by_kind, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  self->by_kind = g_steal_pointer (&data->by_kind);
  self->rows = g_steal_pointer (&data->rows);
  case_data_free (data);

  show_case (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_button), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "case");
}

static void
reload (TerenCasePage *self)
{
  teren_gui_debounce_cancel (&self->reload_later);
  if (!teren_gui_serial_read_begin (&self->reading))
    return;
  set_loading (self, TRUE);
  teren_gui_store_call_async (self->store, load_func, g_strdup (self->case_id), g_free,
                              case_data_free, self->cancellable, on_loaded_cb, g_object_ref (self));
}

/* A change came during the read that has just ended: its result is dropped. */
static void
reload_again (TerenCasePage *self)
{
  set_loading (self, FALSE);
  reload (self);
}

static void
on_record_changed_cb (TerenCasePage *self)
{
  teren_gui_debounce_schedule (&self->reload_later);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TerenCasePage *self = TEREN_CASE_PAGE (widget);

  if (self->record != NULL)
    g_signal_emit (self, signals[EDIT_RECORD], 0, self->record);
}

/* GObject */

static void
teren_case_page_dispose (GObject *object)
{
  TerenCasePage *self = (TerenCasePage *)object;

  teren_gui_debounce_cancel (&self->reload_later);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_CASE_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->record);
  g_clear_object (&self->person);

  G_OBJECT_CLASS (teren_case_page_parent_class)->dispose (object);
}

static void
teren_case_page_finalize (GObject *object)
{
  TerenCasePage *self = (TerenCasePage *)object;

  g_clear_pointer (&self->by_kind, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->row_ids, g_hash_table_unref);
  g_clear_pointer (&self->step_rows, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_free (self->case_id);

  G_OBJECT_CLASS (teren_case_page_parent_class)->finalize (object);
}

static void
teren_case_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TerenCasePage *self = TEREN_CASE_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_case_page_class_init (TerenCasePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_case_page_dispose;
  object_class->finalize = teren_case_page_finalize;
  object_class->get_property = teren_case_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EDIT_RECORD] =
    g_signal_new ("edit-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TEREN_TYPE_RECORD);
  signals[NEW_RECORD] =
    g_signal_new ("new-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 6,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                  G_TYPE_STRING, G_TYPE_STRING);
  signals[NEW_RECORD_VALUES] =
    g_signal_new ("new-record-values", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, JSON_TYPE_OBJECT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-case-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenCasePage, box);
  gtk_widget_class_bind_template_child (widget_class, TerenCasePage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TerenCasePage, page);
  gtk_widget_class_bind_template_child (widget_class, TerenCasePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TerenCasePage, stack);
  gtk_widget_class_bind_template_child (widget_class, TerenCasePage, timeline_group);
  gtk_widget_class_bind_template_child (widget_class, TerenCasePage, window_title);

  gtk_widget_class_install_action (widget_class, "case.edit", NULL, edit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "case.edit", NULL);
}

static void
teren_case_page_init (TerenCasePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  teren_gui_debounce_init (&self->reload_later, RELOAD_DELAY_MS, (GSourceOnceFunc) reload, self);
  teren_gui_serial_read_init (&self->reading, (GSourceOnceFunc) reload_again, self);

  self->cancellable = g_cancellable_new ();
  self->row_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_ptr_array_unref);
  self->step_rows = g_ptr_array_new ();
  self->groups = g_ptr_array_new ();
}

/* Public API */

TerenCasePage *
teren_case_page_new (TerenStore *store,
                     const char *case_id)
{
  TerenCasePage *self;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  self = g_object_new (TEREN_TYPE_CASE_PAGE, NULL);
  self->store = g_object_ref (store);
  self->case_id = g_strdup (case_id);
  g_signal_connect_object (store, "record-changed", G_CALLBACK (on_record_changed_cb), self,
                           G_CONNECT_SWAPPED);
  reload (self);
  return self;
}

const char *
teren_case_page_get_case_id (TerenCasePage *self)
{
  g_return_val_if_fail (TEREN_IS_CASE_PAGE (self), NULL);
  return self->case_id;
}

gboolean
teren_case_page_get_loading (TerenCasePage *self)
{
  g_return_val_if_fail (TEREN_IS_CASE_PAGE (self), FALSE);
  return self->loading;
}

TerenRecord *
teren_case_page_get_record (TerenCasePage *self)
{
  g_return_val_if_fail (TEREN_IS_CASE_PAGE (self), NULL);
  return self->record;
}

guint
teren_case_page_get_n_steps (TerenCasePage *self)
{
  g_return_val_if_fail (TEREN_IS_CASE_PAGE (self), 0);
  return G_N_ELEMENTS (steps);
}

const char *
teren_case_page_get_step_id (TerenCasePage *self,
                             guint          index)
{
  g_return_val_if_fail (TEREN_IS_CASE_PAGE (self), NULL);
  g_return_val_if_fail (index < G_N_ELEMENTS (steps), NULL);
  return steps[index].id;
}

gboolean
teren_case_page_get_step_done (TerenCasePage *self,
                               const char    *step_id)
{
  const Step *step = lookup_step (step_id);

  g_return_val_if_fail (TEREN_IS_CASE_PAGE (self), FALSE);
  return step != NULL && step_done (self, step);
}

void
teren_case_page_activate_step (TerenCasePage *self,
                               const char    *step_id)
{
  const Step *step = lookup_step (step_id);

  g_return_if_fail (TEREN_IS_CASE_PAGE (self));
  if (step != NULL)
    activate_step (self, step);
}

void
teren_case_page_add_step (TerenCasePage *self,
                          const char    *step_id)
{
  const Step *step = lookup_step (step_id);

  g_return_if_fail (TEREN_IS_CASE_PAGE (self));
  if (step != NULL)
    add_step_record (self, step);
}

GPtrArray *
teren_case_page_get_row_ids (TerenCasePage *self,
                             const char    *parent_id,
                             const char    *row_kind)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (TEREN_IS_CASE_PAGE (self), NULL);

  key = g_strdup_printf ("%s/%s", parent_id, row_kind);
  return g_hash_table_lookup (self->row_ids, key);
}
