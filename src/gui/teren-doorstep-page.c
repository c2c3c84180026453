/* teren-doorstep-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "teren-date.h"
#include "teren-doorstep-page.h"
#include "teren-error.h"
#include "teren-nomenclature.h"
#include "teren-schema.h"
#include "teren-text.h"
#include "teren-vitals.h"

#define LINE "community_health"

typedef struct {
  const char *key;
  const char *label;   /* N_(), with a mnemonic */
  gboolean    integer;
} VitalDef;

static const VitalDef vitals[] = {
  { "systolic",    N_("_Systolic pressure (mmHg)"),  TRUE },
  { "diastolic",   N_("D_iastolic pressure (mmHg)"), TRUE },
  { "glucose",     N_("_Glucose (mg/dL)"),           TRUE },
  { "weight",      N_("_Weight (kg)"),               FALSE },
  { "height",      N_("_Height (cm)"),               FALSE },
  { "pulse",       N_("_Pulse (/min)"),              TRUE },
  { "saturation",  N_("Satu_ration (%)"),            TRUE },
  { "temperature", N_("_Temperature (°C)"),          FALSE },
};

typedef struct {
  char       *person_id;
  GtkWidget  *search;
  GtkWidget  *list;
  GHashTable *rows;                       /* code → GtkListBoxRow (unowned) */
  GHashTable *checks;                     /* code → GtkCheckButton (unowned) */
  GtkWidget  *entries[G_N_ELEMENTS (vitals)];
  GtkWidget  *errors[G_N_ELEMENTS (vitals)];
} Member;

struct _TerenDoorstepPage
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkWidget    *content;
  GtkWidget    *date_entry;
  GtkWidget    *date_error;
  GtkWidget    *members_box;
  GtkWidget    *save_button;
  GtkWidget    *status_label;

  TerenStore   *store;
  char         *household_id;
  GCancellable *cancellable;
  GPtrArray    *members;                  /* Member */
  GPtrArray    *person_ids;               /* char* */
  gboolean      loading;
  gboolean      saving;
};

G_DEFINE_FINAL_TYPE (TerenDoorstepPage, teren_doorstep_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_HOUSEHOLD_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
member_free (Member *member)
{
  g_free (member->person_id);
  g_clear_pointer (&member->rows, g_hash_table_unref);
  g_clear_pointer (&member->checks, g_hash_table_unref);
  g_free (member);
}

static Member *
find_member (TerenDoorstepPage *self,
             const char        *person_id)
{
  guint i;

  for (i = 0; self->members != NULL && i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);

      if (g_strcmp0 (member->person_id, person_id) == 0)
        return member;
    }
  return NULL;
}

static int
vital_index (const char *key)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (vitals); i++)
    if (g_strcmp0 (vitals[i].key, key) == 0)
      return (int) i;
  return -1;
}

/* Loading the members, on a worker thread */

typedef struct {
  GPtrArray *ids;      /* person ids */
  GPtrArray *titles;   /* their titles */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->ids, g_ptr_array_unref);
  g_clear_pointer (&data->titles, g_ptr_array_unref);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TerenStore *store = task_data;
  const char *household_id = g_object_get_data (G_OBJECT (task), "household-id");
  g_autoptr(GPtrArray) memberships = NULL;
  LoadData *data;
  GError *error = NULL;
  guint i;

  memberships = teren_store_find_by_field (store, "household_member", "household", household_id, &error);
  if (memberships == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (LoadData, 1);
  data->ids = g_ptr_array_new_with_free_func (g_free);
  data->titles = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < memberships->len; i++)
    {
      g_autoptr(TerenRecord) membership = teren_store_get_record (store, g_ptr_array_index (memberships, i), NULL);
      g_autoptr(TerenRecord) person = NULL;
      const char *person_id;
      guint j;
      gboolean seen = FALSE;

      if (membership == NULL || teren_record_get_deleted (membership) ||
          teren_record_get_string (membership, "end_date") != NULL)
        continue;
      person_id = teren_record_get_string (membership, "person");
      if (person_id == NULL)
        continue;
      for (j = 0; j < data->ids->len; j++)
        seen = seen || g_strcmp0 (g_ptr_array_index (data->ids, j), person_id) == 0;
      if (seen)
        continue;
      person = teren_store_get_record (store, person_id, NULL);
      if (person == NULL || teren_record_get_deleted (person))
        continue;
      g_ptr_array_add (data->ids, g_strdup (person_id));
      g_ptr_array_add (data->titles, g_strdup (teren_record_get_title (person)));
    }

  g_task_return_pointer (task, data, (GDestroyNotify) load_data_free);
}

/* Services of a member */

static gboolean
service_filter_func (GtkListBoxRow *row,
                     gpointer       user_data)
{
  Member *member = user_data;
  const char *folded_row = g_object_get_data (G_OBJECT (row), "folded");
  g_autofree char *query = teren_text_fold (gtk_editable_get_text (GTK_EDITABLE (member->search)));
  g_auto(GStrv) words = NULL;
  guint i;

  if (query == NULL || query[0] == '\0')
    return TRUE;
  words = g_strsplit_set (query, " \t", -1);
  for (i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0' && strstr (folded_row, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
on_search_changed_cb (GtkSearchEntry *entry,
                      Member         *member)
{
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (member->list));
}

static void
on_row_activated_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     gpointer       user_data)
{
  GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");

  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

/* Enter in the search entry ticks the first service shown (nothing when the search is
 * empty). */
static void
on_search_activate_cb (GtkSearchEntry *entry,
                       Member         *member)
{
  GtkWidget *child;

  if (gtk_editable_get_text (GTK_EDITABLE (entry))[0] == '\0')
    return;
  for (child = gtk_widget_get_first_child (member->list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) &&
        service_filter_func (GTK_LIST_BOX_ROW (child), member))
      {
        on_row_activated_cb (GTK_LIST_BOX (member->list), GTK_LIST_BOX_ROW (child), NULL);
        return;
      }
}

/* Tab in the list goes on to the vital signs and Shift+Tab back to the search, instead
 * of visiting every service row (arrows move between rows). */
static gboolean
on_list_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        Member                *member)
{
  if (keyval == GDK_KEY_ISO_Left_Tab || (keyval == GDK_KEY_Tab && (state & GDK_SHIFT_MASK) != 0))
    return gtk_widget_grab_focus (member->search);
  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    return gtk_widget_grab_focus (member->entries[0]);
  return FALSE;
}

static GtkWidget *
build_member (TerenDoorstepPage *self,
              Member            *member,
              const char        *title)
{
  const TerenNomenclature *services = teren_nomenclature_lookup ("amc_service");
  GtkWidget *box, *heading, *label, *scrolled, *grid;
  GtkEventController *controller;
  guint i;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  heading = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "title-4");
  gtk_box_append (GTK_BOX (box), heading);

  label = gtk_label_new_with_mnemonic (_("S_ervices"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  member->search = gtk_search_entry_new ();
  g_object_set (member->search, "placeholder-text", _("Search services"), NULL);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), member->search);
  gtk_accessible_update_property (GTK_ACCESSIBLE (member->search),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search services"), -1);
  gtk_box_append (GTK_BOX (box), member->search);

  member->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (member->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (member->list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (member->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Services"), -1);
  member->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  member->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; services != NULL && i < services->n_items; i++)
    {
      const TerenNomenclatureItem *item = &services->items[i];
      g_autofree char *text = g_strdup_printf ("%s — %s", item->code, _(item->label));
      g_autofree char *folded = teren_text_fold (text);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *check = gtk_check_button_new_with_label (text);

      /* The row takes the focus, Enter or Space on it ticks (the check button itself
       * would keep the focus on the row when moving on). */
      gtk_widget_set_can_focus (check, FALSE);
      /* A click goes to the row (row-activated), not to the check button as well. */
      gtk_widget_set_can_target (check, FALSE);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), check);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
      g_object_set_data (G_OBJECT (row), "check", check);
      g_object_set_data_full (G_OBJECT (row), "folded", g_steal_pointer (&folded), g_free);
      gtk_list_box_append (GTK_LIST_BOX (member->list), row);
      g_hash_table_insert (member->rows, g_strdup (item->code), row);
      g_hash_table_insert (member->checks, g_strdup (item->code), check);
    }
  gtk_list_box_set_filter_func (GTK_LIST_BOX (member->list), service_filter_func, member, NULL);
  g_signal_connect (member->list, "row-activated", G_CALLBACK (on_row_activated_cb), NULL);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_list_key_pressed_cb), member);
  gtk_widget_add_controller (member->list, controller);
  g_signal_connect (member->search, "search-changed", G_CALLBACK (on_search_changed_cb), member);
  g_signal_connect (member->search, "activate", G_CALLBACK (on_search_activate_cb), member);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), member->list);
  gtk_box_append (GTK_BOX (box), scrolled);

  label = gtk_label_new (_("Vital signs"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  for (i = 0; i < G_N_ELEMENTS (vitals); i++)
    {
      const TerenVitalRange *range = teren_vitals_lookup_range (vitals[i].key);
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *error = gtk_label_new (NULL);

      label = gtk_label_new_with_mnemonic (_(vitals[i].label));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
      gtk_entry_set_input_purpose (GTK_ENTRY (entry), vitals[i].integer ? GTK_INPUT_PURPOSE_DIGITS
                                                                        : GTK_INPUT_PURPOSE_NUMBER);
      gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
      if (range != NULL)
        {
          g_autofree char *hint = g_strdup_printf ("%g–%g", range->min, range->max);

          gtk_entry_set_placeholder_text (GTK_ENTRY (entry), hint);
        }
      gtk_widget_set_hexpand (entry, TRUE);
      gtk_label_set_xalign (GTK_LABEL (error), 0);
      gtk_label_set_wrap (GTK_LABEL (error), TRUE);
      gtk_widget_add_css_class (error, "error");
      gtk_widget_set_visible (error, FALSE);
      gtk_grid_attach (GTK_GRID (grid), label, 0, (int) i * 2, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), entry, 1, (int) i * 2, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), error, 1, (int) i * 2 + 1, 1, 1);
      member->entries[i] = entry;
      member->errors[i] = error;
    }
  gtk_box_append (GTK_BOX (box), grid);

  return box;
}

static void
on_load_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TerenDoorstepPage *self = TEREN_DOORSTEP_PAGE (source);
  g_autoptr(GError) error = NULL;
  LoadData *data;
  guint i;

  data = g_task_propagate_pointer (G_TASK (result), &error);
  if (data == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not read the members of household %s: %s", self->household_id, error->message);
          gtk_label_set_text (GTK_LABEL (self->status_label), _("Could not read the household’s members."));
          gtk_widget_set_visible (self->status_label, TRUE);
          self->loading = FALSE;
        }
      return;
    }

  for (i = 0; i < data->ids->len; i++)
    {
      Member *member = g_new0 (Member, 1);

      member->person_id = g_strdup (g_ptr_array_index (data->ids, i));
      g_ptr_array_add (self->members, member);
      g_ptr_array_add (self->person_ids, g_strdup (member->person_id));
      gtk_box_append (GTK_BOX (self->members_box),
                      build_member (self, member, g_ptr_array_index (data->titles, i)));
    }
  if (data->ids->len == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->status_label), _("This household has no members yet."));
      gtk_widget_set_visible (self->status_label, TRUE);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doorstep.save", data->ids->len > 0);
  self->loading = FALSE;
  load_data_free (data);
}

static void
load (TerenDoorstepPage *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_load_done_cb, NULL);

  self->loading = TRUE;
  g_task_set_source_tag (task, load);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "household-id", g_strdup (self->household_id), g_free);
  g_task_run_in_thread (task, load_thread);
}

/* Validating and saving */

static void
show_error (GtkWidget  *label,
            const char *message)
{
  gtk_label_set_text (GTK_LABEL (label), message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
}

/* Parses "120", "36,6" or "36.6". */
static gboolean
parse_number (const char *text,
              gboolean    integer,
              double     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  char *comma;
  double value;

  comma = strchr (copy, ',');
  if (comma != NULL)
    *comma = '.';
  if (copy[0] == '\0')
    return FALSE;
  value = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (value))
    return FALSE;
  if (integer && value != (double) (gint64) value)
    return FALSE;
  *out = value;
  return TRUE;
}

typedef struct {
  char      *person_id;
  GPtrArray *services;   /* char* codes */
  JsonObject *vitals;    /* NULL when nothing measured */
} MemberVisit;

static void
member_visit_free (MemberVisit *visit)
{
  g_free (visit->person_id);
  g_clear_pointer (&visit->services, g_ptr_array_unref);
  g_clear_pointer (&visit->vitals, json_object_unref);
  g_free (visit);
}

typedef struct {
  TerenStore *store;
  char       *date;
  GPtrArray  *visits;   /* MemberVisit */
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->store);
  g_free (data->date);
  g_clear_pointer (&data->visits, g_ptr_array_unref);
  g_free (data);
}

/* Reads and checks every value; shows the messages. Returns the visit, or NULL when a
 * value is invalid. */
static SaveData *
collect (TerenDoorstepPage *self)
{
  g_autoptr(GPtrArray) visits = g_ptr_array_new_with_free_func ((GDestroyNotify) member_visit_free);
  g_autofree char *date = NULL;
  gboolean valid = TRUE;
  GDate parsed, today;
  SaveData *data;
  guint i, j;

  date = teren_date_to_iso (gtk_editable_get_text (GTK_EDITABLE (self->date_entry)));
  teren_date_today (&today);
  if (date == NULL || !teren_date_parse (date, &parsed))
    {
      show_error (self->date_error, _("Write the date as dd.mm.yyyy, e.g. 05.03.2026"));
      valid = FALSE;
    }
  else if (g_date_compare (&parsed, &today) > 0)
    {
      show_error (self->date_error, _("The visit date cannot be in the future"));
      valid = FALSE;
    }
  else
    show_error (self->date_error, NULL);

  for (i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);
      MemberVisit *visit = g_new0 (MemberVisit, 1);
      g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_field_error_free);
      gboolean parse_error[G_N_ELEMENTS (vitals)] = { FALSE, };
      JsonObject *fields = json_object_new ();
      const TerenNomenclature *services = teren_nomenclature_lookup ("amc_service");

      visit->person_id = g_strdup (member->person_id);
      visit->services = g_ptr_array_new_with_free_func (g_free);
      for (j = 0; services != NULL && j < services->n_items; j++)
        {
          GtkCheckButton *check = g_hash_table_lookup (member->checks, services->items[j].code);

          if (check != NULL && gtk_check_button_get_active (check))
            g_ptr_array_add (visit->services, g_strdup (services->items[j].code));
        }

      for (j = 0; j < G_N_ELEMENTS (vitals); j++)
        {
          const char *text = gtk_editable_get_text (GTK_EDITABLE (member->entries[j]));
          g_autofree char *stripped = g_strstrip (g_strdup (text));
          double value;

          show_error (member->errors[j], NULL);
          if (stripped[0] == '\0')
            continue;
          if (!parse_number (stripped, vitals[j].integer, &value))
            {
              show_error (member->errors[j], vitals[j].integer ? _("Enter a whole number, e.g. 120")
                                                               : _("Enter a number, e.g. 36,6"));
              parse_error[j] = TRUE;
              valid = FALSE;
              continue;
            }
          if (vitals[j].integer)
            json_object_set_int_member (fields, vitals[j].key, (gint64) value);
          else
            json_object_set_double_member (fields, vitals[j].key, value);
        }

      teren_vitals_check (fields, errors);
      for (j = 0; j < errors->len; j++)
        {
          TerenFieldError *field_error = g_ptr_array_index (errors, j);
          int index = vital_index (field_error->field);

          if (index < 0 || parse_error[index] || gtk_widget_get_visible (member->errors[index]))
            continue;
          show_error (member->errors[index], field_error->message);
          valid = FALSE;
        }

      if (json_object_get_size (fields) > 0)
        visit->vitals = fields;
      else
        json_object_unref (fields);
      g_ptr_array_add (visits, visit);
    }

  if (!valid)
    {
      gtk_label_set_text (GTK_LABEL (self->status_label),
                          _("Nothing was saved: correct the values marked in red."));
      gtk_widget_set_visible (self->status_label, TRUE);
      return NULL;
    }

  data = g_new0 (SaveData, 1);
  data->store = g_object_ref (self->store);
  data->date = g_steal_pointer (&date);
  data->visits = g_steal_pointer (&visits);
  return data;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (TerenStoreSaveItem));
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  GError *error = NULL;
  guint i, j;

  for (i = 0; i < data->visits->len; i++)
    {
      MemberVisit *visit = g_ptr_array_index (data->visits, i);
      TerenStoreSaveItem item = { NULL, LINE, NULL, NULL };

      for (j = 0; j < visit->services->len; j++)
        {
          JsonObject *intervention = json_object_new ();

          json_object_set_string_member (intervention, "person", visit->person_id);
          json_object_set_string_member (intervention, "date", data->date);
          json_object_set_string_member (intervention, "service", g_ptr_array_index (visit->services, j));
          json_object_set_string_member (intervention, "status", "done");
          g_ptr_array_add (fields, intervention);
          item.kind = "community_health.intervention";
          item.fields = intervention;
          g_array_append_val (items, item);
        }

      if (visit->vitals != NULL)
        {
          json_object_set_string_member (visit->vitals, "person", visit->person_id);
          json_object_set_string_member (visit->vitals, "date", data->date);
          item.kind = "community_health.vital_signs";
          item.fields = visit->vitals;
          g_array_append_val (items, item);
        }
    }

  if (!teren_store_save_all (data->store, (TerenStoreSaveItem *) (gpointer) items->data, items->len, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("Home visit saved: %u records", items->len);
  g_task_return_int (task, items->len);
}

static void
on_save_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TerenDoorstepPage *self = TEREN_DOORSTEP_PAGE (source);
  g_autoptr(GError) error = NULL;
  gssize n;

  self->saving = FALSE;
  n = g_task_propagate_int (G_TASK (result), &error);
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "doorstep.save", TRUE);
      g_warning ("Home visit to household %s not saved: %s", self->household_id,
                 error->domain == TEREN_ERROR ? "invalid" : "error");
      {
        g_autofree char *message = g_strdup_printf (_("Nothing was saved: %s"), error->message);

        gtk_label_set_text (GTK_LABEL (self->status_label), message);
        gtk_widget_set_visible (self->status_label, TRUE);
      }
      return;
    }

  gtk_label_set_text (GTK_LABEL (self->status_label), _("The visit was saved."));
  gtk_widget_set_visible (self->status_label, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doorstep.save", TRUE);
  g_signal_emit (self, signals[SAVED], 0, (guint) n);
}

gboolean
teren_doorstep_page_save (TerenDoorstepPage  *self,
                          GError            **error)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), FALSE);

  if (self->loading || self->saving)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID, "busy");
      return FALSE;
    }

  data = collect (self);
  if (data == NULL)
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                           _("Nothing was saved: correct the values marked in red."));
      return FALSE;
    }

  self->saving = TRUE;
  gtk_widget_set_visible (self->status_label, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doorstep.save", FALSE);
  task = g_task_new (self, self->cancellable, on_save_done_cb, NULL);
  g_task_set_source_tag (task, teren_doorstep_page_save);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
  return TRUE;
}

static void
doorstep_save_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  teren_doorstep_page_save (TEREN_DOORSTEP_PAGE (widget), NULL);
}

/* GObject */

static void
teren_doorstep_page_constructed (GObject *object)
{
  TerenDoorstepPage *self = TEREN_DOORSTEP_PAGE (object);
  GDate today;
  char iso[16];
  g_autofree char *display = NULL;

  G_OBJECT_CLASS (teren_doorstep_page_parent_class)->constructed (object);

  teren_date_today (&today);
  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &today);
  display = teren_date_to_display (iso);
  gtk_editable_set_text (GTK_EDITABLE (self->date_entry), display != NULL ? display : iso);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "doorstep.save", FALSE);
  load (self);
}

static void
teren_doorstep_page_dispose (GObject *object)
{
  TerenDoorstepPage *self = TEREN_DOORSTEP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_DOORSTEP_PAGE);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  G_OBJECT_CLASS (teren_doorstep_page_parent_class)->dispose (object);
}

static void
teren_doorstep_page_finalize (GObject *object)
{
  TerenDoorstepPage *self = TEREN_DOORSTEP_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->person_ids, g_ptr_array_unref);
  g_free (self->household_id);
  G_OBJECT_CLASS (teren_doorstep_page_parent_class)->finalize (object);
}

static void
teren_doorstep_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TerenDoorstepPage *self = TEREN_DOORSTEP_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_HOUSEHOLD_ID:
      self->household_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_doorstep_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TerenDoorstepPage *self = TEREN_DOORSTEP_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_HOUSEHOLD_ID:
      g_value_set_string (value, self->household_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_doorstep_page_class_init (TerenDoorstepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = teren_doorstep_page_constructed;
  object_class->dispose = teren_doorstep_page_dispose;
  object_class->finalize = teren_doorstep_page_finalize;
  object_class->set_property = teren_doorstep_page_set_property;
  object_class->get_property = teren_doorstep_page_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TEREN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOUSEHOLD_ID] =
    g_param_spec_string ("household-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "doorstep.save", NULL, doorstep_save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "doorstep.save", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-doorstep-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenDoorstepPage, box);
  gtk_widget_class_bind_template_child (widget_class, TerenDoorstepPage, content);
  gtk_widget_class_bind_template_child (widget_class, TerenDoorstepPage, date_entry);
  gtk_widget_class_bind_template_child (widget_class, TerenDoorstepPage, date_error);
  gtk_widget_class_bind_template_child (widget_class, TerenDoorstepPage, members_box);
  gtk_widget_class_bind_template_child (widget_class, TerenDoorstepPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, TerenDoorstepPage, status_label);
}

static void
teren_doorstep_page_init (TerenDoorstepPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  self->person_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

TerenDoorstepPage *
teren_doorstep_page_new (TerenStore *store,
                         const char *household_id)
{
  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (household_id != NULL, NULL);

  return g_object_new (TEREN_TYPE_DOORSTEP_PAGE, "store", store, "household-id", household_id, NULL);
}

const char *
teren_doorstep_page_get_household_id (TerenDoorstepPage *self)
{
  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), NULL);
  return self->household_id;
}

gboolean
teren_doorstep_page_get_loading (TerenDoorstepPage *self)
{
  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), FALSE);
  return self->loading;
}

GPtrArray *
teren_doorstep_page_get_person_ids (TerenDoorstepPage *self)
{
  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), NULL);
  return self->person_ids;
}

GtkWidget *
teren_doorstep_page_get_search_entry (TerenDoorstepPage *self,
                                      const char        *person_id)
{
  Member *member;

  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), NULL);
  member = find_member (self, person_id);
  return member != NULL ? member->search : NULL;
}

GtkWidget *
teren_doorstep_page_get_service_row (TerenDoorstepPage *self,
                                     const char        *person_id,
                                     const char        *service_code)
{
  Member *member;

  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), NULL);
  member = find_member (self, person_id);
  return member != NULL ? g_hash_table_lookup (member->rows, service_code) : NULL;
}

gboolean
teren_doorstep_page_get_ticked (TerenDoorstepPage *self,
                                const char        *person_id,
                                const char        *service_code)
{
  Member *member;
  GtkCheckButton *check;

  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), FALSE);
  member = find_member (self, person_id);
  check = member != NULL ? g_hash_table_lookup (member->checks, service_code) : NULL;
  return check != NULL && gtk_check_button_get_active (check);
}

GtkWidget *
teren_doorstep_page_get_vital_entry (TerenDoorstepPage *self,
                                     const char        *person_id,
                                     const char        *key)
{
  Member *member;
  int index = vital_index (key);

  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), NULL);
  member = find_member (self, person_id);
  return member != NULL && index >= 0 ? member->entries[index] : NULL;
}

const char *
teren_doorstep_page_get_vital_error (TerenDoorstepPage *self,
                                     const char        *person_id,
                                     const char        *key)
{
  Member *member;
  int index = vital_index (key);

  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), NULL);
  member = find_member (self, person_id);
  if (member == NULL || index < 0 || !gtk_widget_get_visible (member->errors[index]))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (member->errors[index]));
}

GtkWidget *
teren_doorstep_page_get_date_entry (TerenDoorstepPage *self)
{
  g_return_val_if_fail (TEREN_IS_DOORSTEP_PAGE (self), NULL);
  return self->date_entry;
}
