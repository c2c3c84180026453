/* teren-triage-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-date.h"
#include "teren-error.h"
#include "teren-gui.h"
#include "teren-nomenclature.h"
#include "teren-schema.h"
#include "teren-triage-page.h"

#define TRIAGE_KIND "school_health.triage"
#define LINE "school_health"

typedef struct {
  char      *id;
  char      *title;
} Choice;

typedef struct {
  char      *person_id;
  char      *title;
  char      *entry_id;      /* that day's triage of the pupil, or NULL */
  GPtrArray *findings;      /* char*: the stored findings */
  gboolean   excluded;
  char      *readmitted_on; /* "YYYY-MM-DD" or NULL */
  gboolean   certificate;

  GtkWidget *findings_button;
  GPtrArray *finding_checks;   /* GtkCheckButton, in the nomenclature's order */
  GtkWidget *excluded_check;
  GtkWidget *readmitted_entry;
  GtkWidget *certificate_check;
  GtkWidget *message_label;
} Row;

struct _TerenTriagePage
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkDropDown   *school_dropdown;
  GtkDropDown   *class_dropdown;
  GtkEntry      *date_entry;
  GtkSpinner    *spinner;
  GtkLabel      *message_label;
  GtkListBox    *list_box;

  TerenStore    *store;
  GCancellable  *cancellable;
  GPtrArray     *schools;     /* Choice */
  GPtrArray     *classes;     /* Choice */
  GPtrArray     *rows;        /* Row */
  char          *school_id;
  char          *class_id;
  char          *date;        /* "YYYY-MM-DD" */
  char          *message;
  guint          generation;
  gboolean       loading;
  gboolean       saving;
  gboolean       filling;
  gboolean       just_saved;
};

G_DEFINE_FINAL_TYPE (TerenTriagePage, teren_triage_page, GTK_TYPE_WIDGET)

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
choice_free (Choice *choice)
{
  g_free (choice->id);
  g_free (choice->title);
  g_free (choice);
}

static void
row_free (Row *row)
{
  g_free (row->person_id);
  g_free (row->title);
  g_free (row->entry_id);
  g_clear_pointer (&row->findings, g_ptr_array_unref);
  g_free (row->readmitted_on);
  g_clear_pointer (&row->finding_checks, g_ptr_array_unref);
  g_free (row);
}

static int
compare_choices (gconstpointer a,
                 gconstpointer b)
{
  const Choice *x = *(const Choice * const *) a;
  const Choice *y = *(const Choice * const *) b;

  return g_utf8_collate (x->title, y->title);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *x = *(const Row * const *) a;
  const Row *y = *(const Row * const *) b;

  return g_utf8_collate (x->title, y->title);
}

static void
update_busy (TerenTriagePage *self)
{
  gtk_spinner_set_spinning (self->spinner, self->loading || self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "triage.save",
                                 !self->loading && !self->saving && self->rows->len > 0);
}

static void
show_message (TerenTriagePage *self,
              const char      *message,
              gboolean         is_error)
{
  g_free (self->message);
  self->message = g_strdup (message);
  teren_gui_show_message (self->message_label, message, is_error);
}

/* ---- Reading (worker thread) ---------------------------------------------------------- */

typedef struct {
  char      *school_id;
  char      *class_id;
  char      *date;
  guint      generation;
  /* results */
  GPtrArray *schools;
  GPtrArray *classes;
  GPtrArray *rows;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->school_id);
  g_free (data->class_id);
  g_free (data->date);
  g_clear_pointer (&data->schools, g_ptr_array_unref);
  g_clear_pointer (&data->classes, g_ptr_array_unref);
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  g_free (data);
}

static GPtrArray *
read_choices (TerenStore  *store,
              GPtrArray   *ids,
              const char  *key)
{
  GPtrArray *choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  guint i;

  for (i = 0; ids != NULL && i < ids->len; i++)
    {
      g_autoptr(TerenRecord) record = teren_store_get_record (store, g_ptr_array_index (ids, i), NULL);
      Choice *choice;

      if (record == NULL || teren_record_get_deleted (record))
        continue;
      choice = g_new0 (Choice, 1);
      choice->id = g_strdup (teren_record_get_id (record));
      choice->title = g_strdup (teren_record_get_string (record, key) != NULL ? teren_record_get_string (record, key)
                                                                              : teren_record_get_title (record));
      g_ptr_array_add (choices, choice);
    }
  g_ptr_array_sort (choices, compare_choices);
  return choices;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TerenTriagePage *self = source_object;
  LoadData *data = task_data;
  g_autoptr(GPtrArray) school_ids = NULL;
  GError *error = NULL;
  guint i, j;

  school_ids = teren_store_list_ids (self->store, "school_health.school", &error);
  if (school_ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->schools = read_choices (self->store, school_ids, "name");

  if (data->school_id != NULL)
    {
      g_autoptr(GPtrArray) class_ids = teren_store_find_by_field (self->store, "school_health.class", "school",
                                                                  data->school_id, &error);

      if (class_ids == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      data->classes = read_choices (self->store, class_ids, "name");
    }

  data->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  if (data->class_id != NULL && data->date != NULL)
    {
      g_autoptr(GPtrArray) pupil_ids = NULL;
      g_autoptr(GPtrArray) triage_ids = NULL;
      g_autoptr(GHashTable) by_person = g_hash_table_new (g_str_hash, g_str_equal);

      pupil_ids = teren_store_find_by_field (self->store, "school_health.pupil_record", "class", data->class_id,
                                             &error);
      if (pupil_ids == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (i = 0; i < pupil_ids->len; i++)
        {
          g_autoptr(TerenRecord) pupil = teren_store_get_record (self->store, g_ptr_array_index (pupil_ids, i), NULL);
          g_autoptr(TerenRecord) person = NULL;
          const char *person_id = pupil != NULL ? teren_record_get_string (pupil, "person") : NULL;
          Row *row;

          if (person_id == NULL || teren_record_get_deleted (pupil) || g_hash_table_contains (by_person, person_id))
            continue;
          person = teren_store_get_record (self->store, person_id, NULL);
          row = g_new0 (Row, 1);
          row->person_id = g_strdup (person_id);
          row->title = g_strdup (person != NULL ? teren_record_get_title (person) : _("Unknown person"));
          row->findings = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (data->rows, row);
          g_hash_table_insert (by_person, row->person_id, row);
        }

      /* The pupils' triage of that day, if they had one. */
      triage_ids = teren_store_find_by_field (self->store, TRIAGE_KIND, "class", data->class_id, &error);
      if (triage_ids == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (i = 0; i < triage_ids->len; i++)
        {
          g_autoptr(TerenRecord) triage = teren_store_get_record (self->store, g_ptr_array_index (triage_ids, i), NULL);
          Row *row;
          JsonNode *findings;

          if (triage == NULL || teren_record_get_deleted (triage) ||
              g_strcmp0 (teren_record_get_string (triage, "date"), data->date) != 0)
            continue;
          row = g_hash_table_lookup (by_person, teren_record_get_string (triage, "person"));
          if (row == NULL || row->entry_id != NULL)
            continue;
          row->entry_id = g_strdup (teren_record_get_id (triage));
          row->excluded = teren_record_get_bool (triage, "excluded");
          row->certificate = teren_record_get_bool (triage, "readmission_certificate");
          row->readmitted_on = g_strdup (teren_record_get_string (triage, "readmitted_on"));
          findings = json_object_get_member (teren_record_get_fields (triage), "findings");
          if (findings != NULL && JSON_NODE_HOLDS_ARRAY (findings))
            for (j = 0; j < json_array_get_length (json_node_get_array (findings)); j++)
              {
                const char *code = json_array_get_string_element (json_node_get_array (findings), j);

                if (code != NULL && strcmp (code, "none") != 0)
                  g_ptr_array_add (row->findings, g_strdup (code));
              }
        }
      g_ptr_array_sort (data->rows, compare_rows);
    }
  g_task_return_boolean (task, TRUE);
}

/* ---- The list ------------------------------------------------------------------------- */

static void
update_findings_label (Row *row)
{
  const TerenNomenclature *list = teren_nomenclature_lookup ("triage_finding");
  g_autoptr(GString) text = g_string_new (NULL);
  guint i;

  for (i = 0; i < row->finding_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (row->finding_checks, i)))
      {
        if (text->len > 0)
          g_string_append (text, ", ");
        g_string_append (text, teren_nomenclature_get_label (list, list->items[i].code));
      }
  /* Translators: the findings of a pupil when none is ticked */
  gtk_menu_button_set_label (GTK_MENU_BUTTON (row->findings_button),
                             text->len > 0 ? text->str : _("Nothing found"));
}

static void
on_finding_toggled_cb (GtkCheckButton *check,
                       Row            *row)
{
  update_findings_label (row);
}

static void
set_row_message (Row        *row,
                 const char *message)
{
  gtk_label_set_text (GTK_LABEL (row->message_label), message != NULL ? message : "");
  gtk_widget_set_visible (row->message_label, message != NULL);
}

static GtkWidget *
make_findings_popover (Row *row)
{
  const TerenNomenclature *list = teren_nomenclature_lookup ("triage_finding");
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  guint i, j;

  row->finding_checks = g_ptr_array_new ();
  for (i = 0; list != NULL && i < list->n_items; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (teren_nomenclature_get_label (list, list->items[i].code));
      gboolean active = FALSE;

      for (j = 0; j < row->findings->len; j++)
        active |= strcmp (g_ptr_array_index (row->findings, j), list->items[i].code) == 0;
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
      g_signal_connect (check, "toggled", G_CALLBACK (on_finding_toggled_cb), row);
      gtk_box_append (GTK_BOX (box), check);
      g_ptr_array_add (row->finding_checks, check);
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

static void
fill_list (TerenTriagePage *self)
{
  GtkWidget *child;
  guint i;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  for (i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (row->title);
      g_autofree char *shown = NULL;

      gtk_widget_set_margin_start (outer, 12);
      gtk_widget_set_margin_end (outer, 12);
      gtk_widget_set_margin_top (outer, 6);
      gtk_widget_set_margin_bottom (outer, 6);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), label);

      row->findings_button = gtk_menu_button_new ();
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (row->findings_button), make_findings_popover (row));
      gtk_widget_set_tooltip_text (row->findings_button, _("Findings (Enter opens the list, Space ticks)"));
      gtk_accessible_update_relation (GTK_ACCESSIBLE (row->findings_button),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
      update_findings_label (row);
      gtk_box_append (GTK_BOX (box), row->findings_button);

      row->excluded_check = gtk_check_button_new_with_mnemonic (_("E_xcluded"));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (row->excluded_check), row->excluded);
      gtk_widget_set_tooltip_text (row->excluded_check, _("Excluded from the collectivity"));
      gtk_box_append (GTK_BOX (box), row->excluded_check);

      row->readmitted_entry = gtk_entry_new ();
      gtk_entry_set_placeholder_text (GTK_ENTRY (row->readmitted_entry), _("Readmitted on"));
      gtk_editable_set_width_chars (GTK_EDITABLE (row->readmitted_entry), 11);
      gtk_entry_set_max_length (GTK_ENTRY (row->readmitted_entry), 10);
      gtk_widget_set_tooltip_text (row->readmitted_entry, _("Day of the readmission (zz.ll.aaaa)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->readmitted_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Readmitted on"), -1);
      shown = row->readmitted_on != NULL ? teren_date_to_display (row->readmitted_on) : NULL;
      gtk_editable_set_text (GTK_EDITABLE (row->readmitted_entry), shown != NULL ? shown : "");
      gtk_box_append (GTK_BOX (box), row->readmitted_entry);

      row->certificate_check = gtk_check_button_new_with_mnemonic (_("_Certificate"));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (row->certificate_check), row->certificate);
      gtk_widget_set_tooltip_text (row->certificate_check, _("Medical certificate for readmission"));
      gtk_box_append (GTK_BOX (box), row->certificate_check);

      row->message_label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (row->message_label), 0);
      gtk_label_set_wrap (GTK_LABEL (row->message_label), TRUE);
      gtk_widget_add_css_class (row->message_label, "error");
      gtk_widget_set_visible (row->message_label, FALSE);

      gtk_box_append (GTK_BOX (outer), box);
      gtk_box_append (GTK_BOX (outer), row->message_label);
      gtk_list_box_append (self->list_box, outer);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_parent (outer)), FALSE);
    }
}

static void
fill_dropdown (TerenTriagePage *self,
               GtkDropDown     *dropdown,
               GPtrArray       *choices,
               const char      *selected_id,
               const char      *placeholder)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint selected = 0;
  guint i;

  gtk_string_list_append (model, placeholder);
  for (i = 0; choices != NULL && i < choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (choices, i);

      gtk_string_list_append (model, choice->title);
      if (g_strcmp0 (choice->id, selected_id) == 0)
        selected = i + 1;
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (dropdown, selected);
  self->filling = FALSE;
}

static void reload (TerenTriagePage *self);

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TerenTriagePage *self = TEREN_TRIAGE_PAGE (object);
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->loading = FALSE;
      update_busy (self);
      show_message (self, error->message, TRUE);
      return;
    }
  if (data->generation != self->generation)
    return;
  self->loading = FALSE;

  g_clear_pointer (&self->schools, g_ptr_array_unref);
  self->schools = g_steal_pointer (&data->schools);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  self->classes = data->classes != NULL ? g_steal_pointer (&data->classes)
                                        : g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  g_ptr_array_unref (self->rows);
  self->rows = g_steal_pointer (&data->rows);

  fill_dropdown (self, self->school_dropdown, self->schools, self->school_id, _("Choose the school"));
  fill_dropdown (self, self->class_dropdown, self->classes, self->class_id, _("Choose the class"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->class_dropdown), self->school_id != NULL);
  fill_list (self);
  update_busy (self);

  if (self->just_saved)
    show_message (self, _("Triage saved."), FALSE);
  else if (self->schools->len == 0)
    show_message (self, _("No school unit is recorded yet."), FALSE);
  else if (self->class_id != NULL && self->rows->len == 0)
    show_message (self, _("No pupil of this class has a medical record."), FALSE);
  else
    show_message (self, NULL, FALSE);
  self->just_saved = FALSE;
  g_debug ("triage: %u rows", self->rows->len);
}

static void
reload (TerenTriagePage *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  if (self->store == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  data = g_new0 (LoadData, 1);
  data->school_id = g_strdup (self->school_id);
  data->class_id = g_strdup (self->class_id);
  data->date = g_strdup (self->date);
  data->generation = ++self->generation;
  task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  self->loading = TRUE;
  update_busy (self);
  g_task_run_in_thread (task, load_thread);
}

static void
on_school_selected_cb (TerenTriagePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->school_dropdown);
  const Choice *choice;

  if (self->filling)
    return;
  choice = selected > 0 && selected <= self->schools->len ? g_ptr_array_index (self->schools, selected - 1) : NULL;
  if (g_strcmp0 (choice != NULL ? choice->id : NULL, self->school_id) == 0)
    return;
  g_free (self->school_id);
  self->school_id = choice != NULL ? g_strdup (choice->id) : NULL;
  g_clear_pointer (&self->class_id, g_free);
  reload (self);
}

static void
on_class_selected_cb (TerenTriagePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->class_dropdown);
  const Choice *choice;

  if (self->filling)
    return;
  choice = selected > 0 && selected <= self->classes->len ? g_ptr_array_index (self->classes, selected - 1) : NULL;
  if (g_strcmp0 (choice != NULL ? choice->id : NULL, self->class_id) == 0)
    return;
  g_free (self->class_id);
  self->class_id = choice != NULL ? g_strdup (choice->id) : NULL;
  reload (self);
}

/* ---- Saving --------------------------------------------------------------------------- */

typedef struct {
  char       *entry_id;
  JsonObject *fields;
} SaveEntry;

static void
save_entry_free (SaveEntry *entry)
{
  g_free (entry->entry_id);
  json_object_unref (entry->fields);
  g_free (entry);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TerenTriagePage *self = source_object;
  GPtrArray *entries = task_data;
  g_autofree TerenStoreSaveItem *items = g_new0 (TerenStoreSaveItem, entries->len);
  GError *error = NULL;
  guint i;

  for (i = 0; i < entries->len; i++)
    {
      SaveEntry *entry = g_ptr_array_index (entries, i);

      items[i] = (TerenStoreSaveItem) { TRIAGE_KIND, LINE, entry->entry_id, entry->fields };
    }
  if (!teren_store_save_all (self->store, items, entries->len, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, entries->len);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TerenTriagePage *self = TEREN_TRIAGE_PAGE (object);
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);

  self->saving = FALSE;
  update_busy (self);
  if (n < 0)
    {
      show_message (self, error->message, TRUE);
      g_debug ("triage: saving failed");
      return;
    }
  g_debug ("triage: %" G_GSSIZE_FORMAT " records saved", n);
  g_signal_emit (self, signals[SAVED], 0);
  /* Read again: new records get their ids, so a second save updates them. */
  self->just_saved = TRUE;
  reload (self);
}

/* The fields of @row for the day, or NULL with the row's message set. */
static JsonObject *
row_fields (TerenTriagePage *self,
            Row             *row,
            const GDate     *today)
{
  const TerenNomenclature *list = teren_nomenclature_lookup ("triage_finding");
  const TerenKindDef *kind = teren_schema_lookup_kind (TRIAGE_KIND);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GPtrArray) errors = NULL;
  JsonArray *findings = json_array_new ();
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row->readmitted_entry));
  guint i;

  for (i = 0; i < row->finding_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (row->finding_checks, i)))
      json_array_add_string_element (findings, list->items[i].code);
  /* Nothing ticked: nothing found. */
  if (json_array_get_length (findings) == 0)
    json_array_add_string_element (findings, "none");

  json_object_set_string_member (fields, "person", row->person_id);
  json_object_set_string_member (fields, "class", self->class_id);
  json_object_set_string_member (fields, "date", self->date);
  json_object_set_array_member (fields, "findings", findings);
  json_object_set_boolean_member (fields, "excluded",
                                  gtk_check_button_get_active (GTK_CHECK_BUTTON (row->excluded_check)));
  json_object_set_boolean_member (fields, "readmission_certificate",
                                  gtk_check_button_get_active (GTK_CHECK_BUTTON (row->certificate_check)));
  if (text[0] != '\0')
    {
      g_autofree char *iso = teren_date_to_iso (text);

      if (iso == NULL)
        {
          set_row_message (row, _("Readmitted on: not a valid date (zz.ll.aaaa)"));
          return NULL;
        }
      json_object_set_string_member (fields, "readmitted_on", iso);
    }
  else if (row->entry_id != NULL)
    json_object_set_null_member (fields, "readmitted_on");

  {
    /* The schema sees the record as saved: no null member. */
    g_autoptr(JsonObject) check = json_object_new ();
    GList *members = json_object_get_members (fields);
    GList *l;

    for (l = members; l != NULL; l = l->next)
      if (!json_object_get_null_member (fields, l->data))
        json_object_set_member (check, l->data, json_node_copy (json_object_get_member (fields, l->data)));
    g_list_free (members);
    if (!teren_schema_validate (kind, LINE, check, TEREN_VALIDATE_COMPLETE, today, &errors))
      {
        TerenFieldError *first = g_ptr_array_index (errors, 0);
        const TerenFieldDef *field = teren_kind_lookup_field (kind, first->field);
        g_autofree char *message = g_strdup_printf ("%s: %s",
                                                    field != NULL ? g_dgettext (GETTEXT_PACKAGE, field->label)
                                                                  : first->field,
                                                    first->message);

        set_row_message (row, message);
        return NULL;
      }
  }
  set_row_message (row, NULL);
  return g_steal_pointer (&fields);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TerenTriagePage *self = TEREN_TRIAGE_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gboolean failed = FALSE;
  GDate today;
  guint i;

  if (self->store == NULL || self->loading || self->saving || self->class_id == NULL || self->date == NULL)
    return;
  teren_date_today (&today);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) save_entry_free);
  for (i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      JsonObject *fields = row_fields (self, row, &today);
      SaveEntry *entry;

      if (fields == NULL)
        {
          failed = TRUE;
          continue;
        }
      entry = g_new0 (SaveEntry, 1);
      entry->entry_id = g_strdup (row->entry_id);
      entry->fields = fields;
      g_ptr_array_add (entries, entry);
    }
  if (failed)
    {
      show_message (self, _("Nothing was saved: correct the rows marked below."), TRUE);
      return;
    }
  task = g_task_new (self, NULL, save_done_cb, NULL);
  g_task_set_source_tag (task, save_action);
  g_task_set_task_data (task, g_steal_pointer (&entries), (GDestroyNotify) g_ptr_array_unref);
  self->saving = TRUE;
  update_busy (self);
  g_task_run_in_thread (task, save_thread);
}

/* ---- Day ------------------------------------------------------------------------------ */

static void
on_date_activate_cb (TerenTriagePage *self)
{
  teren_triage_page_set_date (self, gtk_editable_get_text (GTK_EDITABLE (self->date_entry)));
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
teren_triage_page_dispose (GObject *object)
{
  TerenTriagePage *self = TEREN_TRIAGE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (teren_triage_page_parent_class)->dispose (object);
}

static void
teren_triage_page_finalize (GObject *object)
{
  TerenTriagePage *self = TEREN_TRIAGE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->schools, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->school_id);
  g_free (self->class_id);
  g_free (self->date);
  g_free (self->message);
  G_OBJECT_CLASS (teren_triage_page_parent_class)->finalize (object);
}

static void
teren_triage_page_class_init (TerenTriagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_triage_page_dispose;
  object_class->finalize = teren_triage_page_finalize;

  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "triage.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "triage.save", NULL);
}

static void
teren_triage_page_init (TerenTriagePage *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (_("Class Epidemiological Triage"));
  GtkWidget *day_label = gtk_label_new_with_mnemonic (_("_Day"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Triage"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->cancellable = g_cancellable_new ();
  self->schools = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  self->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-2");
  gtk_box_append (GTK_BOX (self->box), title);

  self->school_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->school_dropdown), _("School unit"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->school_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("School unit"), -1);
  g_signal_connect_swapped (self->school_dropdown, "notify::selected", G_CALLBACK (on_school_selected_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->school_dropdown));

  self->class_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->class_dropdown), _("Class or group"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->class_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Class or group"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (self->class_dropdown), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (self->class_dropdown), GTK_ALIGN_START);
  g_signal_connect_swapped (self->class_dropdown, "notify::selected", G_CALLBACK (on_class_selected_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->class_dropdown));

  self->date_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_max_length (self->date_entry, 10);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->date_entry), 11);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->date_entry), _("The day of the triage; press Enter to read it"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (day_label), GTK_WIDGET (self->date_entry));
  g_signal_connect_swapped (self->date_entry, "activate", G_CALLBACK (on_date_activate_cb), self);
  gtk_box_append (GTK_BOX (bar), day_label);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->date_entry));

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->spinner));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "triage.save");
  gtk_widget_set_tooltip_text (save, _("Save the triage of the class (Ctrl+S)"));
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_box_append (GTK_BOX (bar), save);
  gtk_box_append (GTK_BOX (self->box), bar);

  self->message_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->message_label, 0);
  gtk_label_set_wrap (self->message_label, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->message_label));

  self->list_box = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list_box, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_box), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Pupils of the class"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list_box));
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (self->box), scrolled);
}

/* ---- Public API ----------------------------------------------------------------------- */

TerenTriagePage *
teren_triage_page_new (TerenStore *store)
{
  TerenTriagePage *self;
  GDate today;
  char iso[16];

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_TRIAGE_PAGE, NULL);
  self->store = g_object_ref (store);
  teren_date_today (&today);
  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &today);
  teren_triage_page_set_date (self, iso);
  return self;
}

void
teren_triage_page_set_date (TerenTriagePage *self,
                            const char      *date)
{
  g_autofree char *iso = NULL;
  g_autofree char *shown = NULL;
  GDate day, today;

  g_return_if_fail (TEREN_IS_TRIAGE_PAGE (self));

  iso = date != NULL ? teren_date_to_iso (date) : NULL;
  if (iso == NULL || !teren_date_parse (iso, &day))
    {
      show_message (self, _("Not a valid date: write it as zz.ll.aaaa."), TRUE);
      return;
    }
  teren_date_today (&today);
  if (g_date_compare (&day, &today) > 0)
    {
      show_message (self, _("The triage cannot be on a day in the future."), TRUE);
      return;
    }
  g_free (self->date);
  self->date = g_steal_pointer (&iso);
  shown = teren_date_to_display (self->date);
  gtk_editable_set_text (GTK_EDITABLE (self->date_entry), shown != NULL ? shown : self->date);
  reload (self);
}

const char *
teren_triage_page_get_date (TerenTriagePage *self)
{
  g_return_val_if_fail (TEREN_IS_TRIAGE_PAGE (self), NULL);
  return self->date;
}

gboolean
teren_triage_page_get_busy (TerenTriagePage *self)
{
  g_return_val_if_fail (TEREN_IS_TRIAGE_PAGE (self), FALSE);
  return self->loading || self->saving;
}

const char *
teren_triage_page_get_message (TerenTriagePage *self)
{
  g_return_val_if_fail (TEREN_IS_TRIAGE_PAGE (self), NULL);
  return self->message;
}

GtkDropDown *
teren_triage_page_get_school_dropdown (TerenTriagePage *self)
{
  g_return_val_if_fail (TEREN_IS_TRIAGE_PAGE (self), NULL);
  return self->school_dropdown;
}

GtkDropDown *
teren_triage_page_get_class_dropdown (TerenTriagePage *self)
{
  g_return_val_if_fail (TEREN_IS_TRIAGE_PAGE (self), NULL);
  return self->class_dropdown;
}

GtkEntry *
teren_triage_page_get_date_entry (TerenTriagePage *self)
{
  g_return_val_if_fail (TEREN_IS_TRIAGE_PAGE (self), NULL);
  return self->date_entry;
}

guint
teren_triage_page_get_n_rows (TerenTriagePage *self)
{
  g_return_val_if_fail (TEREN_IS_TRIAGE_PAGE (self), 0);
  return self->rows->len;
}

static Row *
row_at (TerenTriagePage *self,
        guint            index)
{
  g_return_val_if_fail (TEREN_IS_TRIAGE_PAGE (self), NULL);
  return index < self->rows->len ? g_ptr_array_index (self->rows, index) : NULL;
}

const char *
teren_triage_page_get_row_person (TerenTriagePage *self,
                                  guint            index)
{
  Row *row = row_at (self, index);

  return row != NULL ? row->person_id : NULL;
}

const char *
teren_triage_page_get_row_title (TerenTriagePage *self,
                                 guint            index)
{
  Row *row = row_at (self, index);

  return row != NULL ? row->title : NULL;
}

GtkWidget *
teren_triage_page_get_findings_button (TerenTriagePage *self,
                                       guint            index)
{
  Row *row = row_at (self, index);

  return row != NULL ? row->findings_button : NULL;
}

GtkWidget *
teren_triage_page_get_finding_check (TerenTriagePage *self,
                                     guint            index,
                                     const char      *code)
{
  const TerenNomenclature *list = teren_nomenclature_lookup ("triage_finding");
  Row *row = row_at (self, index);
  guint i;

  for (i = 0; row != NULL && list != NULL && i < list->n_items && i < row->finding_checks->len; i++)
    if (g_strcmp0 (list->items[i].code, code) == 0)
      return g_ptr_array_index (row->finding_checks, i);
  return NULL;
}

GtkWidget *
teren_triage_page_get_excluded_check (TerenTriagePage *self,
                                      guint            index)
{
  Row *row = row_at (self, index);

  return row != NULL ? row->excluded_check : NULL;
}

GtkWidget *
teren_triage_page_get_readmitted_entry (TerenTriagePage *self,
                                        guint            index)
{
  Row *row = row_at (self, index);

  return row != NULL ? row->readmitted_entry : NULL;
}

GtkWidget *
teren_triage_page_get_certificate_check (TerenTriagePage *self,
                                         guint            index)
{
  Row *row = row_at (self, index);

  return row != NULL ? row->certificate_check : NULL;
}

const char *
teren_triage_page_get_row_message (TerenTriagePage *self,
                                   guint            index)
{
  Row *row = row_at (self, index);

  if (row == NULL || row->message_label == NULL || !gtk_widget_get_visible (row->message_label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (row->message_label));
}
