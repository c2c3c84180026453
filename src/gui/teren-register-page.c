/* teren-register-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-date.h"
#include "teren-error.h"
#include "teren-gui.h"
#include "teren-register-page.h"
#include "teren-store-report.h"

#define N_MARKS 3

typedef struct {
  char      *parent_id;
  char      *person_id;
  char      *entry_id;
  char      *title;
  char      *mark;       /* the stored mark, or NULL */
  gboolean   suspended;
  gboolean   lunch;      /* canteen: the meals of the beneficiary */
  gboolean   dinner;
  GtkWidget *buttons[N_MARKS];
} Row;

struct _TerenRegisterPage
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkLabel     *title_label;
  GtkEntry     *date_entry;
  GtkCalendar  *calendar;
  GtkSpinner   *spinner;
  GtkLabel     *message_label;
  GtkListBox   *list_box;

  TerenStore   *store;
  GCancellable *cancellable;
  char         *line;
  char         *date;
  char         *error;
  GPtrArray    *rows;      /* Row */
  gboolean      loading;
  gboolean      saving;
  gboolean      just_saved;
};

G_DEFINE_FINAL_TYPE (TerenRegisterPage, teren_register_page, GTK_TYPE_WIDGET)

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const creche_marks[N_MARKS] = { "present", "absent", "excused" };
static const char * const canteen_marks[N_MARKS] = { "served", "not_served", NULL };

static void
row_free (Row *row)
{
  g_free (row->parent_id);
  g_free (row->person_id);
  g_free (row->entry_id);
  g_free (row->title);
  g_free (row->mark);
  g_free (row);
}

static gboolean
is_canteen (TerenRegisterPage *self)
{
  return g_strcmp0 (self->line, "canteen") == 0;
}

static const char * const *
marks_of (TerenRegisterPage *self)
{
  return is_canteen (self) ? canteen_marks : creche_marks;
}

static void
update_busy (TerenRegisterPage *self)
{
  gboolean busy = self->loading || self->saving;

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "register.save", !busy);
}

static void
show_message (TerenRegisterPage *self,
              const char        *text,
              gboolean           is_error)
{
  g_free (self->error);
  self->error = is_error ? g_strdup (text) : NULL;
  teren_gui_show_message (self->message_label, text, is_error);
}

/* ---- Loading (worker thread) ------------------------------------------------------ */

typedef struct {
  char *line;
  char *date;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->line);
  g_free (data->date);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TerenRegisterPage *self = source_object;
  LoadData *data = task_data;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  GError *error = NULL;
  guint i;

  found = teren_store_day_register (self->store, data->line, data->date, NULL, &error);
  if (found == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (i = 0; i < found->len; i++)
    {
      TerenRegisterRow *in = g_ptr_array_index (found, i);
      Row *row = g_new0 (Row, 1);
      g_autoptr(TerenRecord) person = NULL;

      row->parent_id = g_strdup (in->parent_id);
      row->person_id = g_strdup (in->person_id);
      row->entry_id = g_strdup (in->entry_id);
      row->suspended = in->suspended;
      if (in->person_id != NULL)
        person = teren_store_get_record (self->store, in->person_id, NULL);
      row->title = g_strdup (person != NULL ? teren_record_get_title (person) : _("Unknown person"));
      if (g_strcmp0 (data->line, "canteen") == 0)
        {
          g_autoptr(TerenRecord) parent = teren_store_get_record (self->store, in->parent_id, NULL);
          JsonObject *fields = parent != NULL ? teren_record_get_fields (parent) : NULL;
          JsonNode *meals = fields != NULL ? json_object_get_member (fields, "meals") : NULL;

          if (meals != NULL && JSON_NODE_HOLDS_ARRAY (meals))
            {
              JsonArray *array = json_node_get_array (meals);
              guint j;

              for (j = 0; j < json_array_get_length (array); j++)
                {
                  const char *meal = json_array_get_string_element (array, j);

                  row->lunch |= g_strcmp0 (meal, "lunch") == 0;
                  row->dinner |= g_strcmp0 (meal, "dinner") == 0;
                }
            }
          /* Lunch when the file names no meal. */
          if (!row->lunch && !row->dinner)
            row->lunch = TRUE;
        }
      if (in->entry_id != NULL)
        {
          g_autoptr(TerenRecord) entry = teren_store_get_record (self->store, in->entry_id, NULL);

          if (entry != NULL && g_strcmp0 (data->line, "canteen") == 0)
            row->mark = g_strdup (teren_record_get_bool (entry, "lunch") || teren_record_get_bool (entry, "dinner")
                                  ? "served" : "not_served");
          else if (entry != NULL && teren_record_get_string (entry, "status") != NULL)
            row->mark = g_strdup (teren_record_get_string (entry, "status"));
        }
      g_ptr_array_add (rows, row);
    }
  g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) g_ptr_array_unref);
}

static const char *
mark_label (const char *mark)
{
  if (g_strcmp0 (mark, "present") == 0)
    return _("_Present");
  if (g_strcmp0 (mark, "absent") == 0)
    return _("_Absent");
  if (g_strcmp0 (mark, "excused") == 0)
    return _("Absent, _excused");
  if (g_strcmp0 (mark, "served") == 0)
    return _("_Served");
  return _("_Not served");
}

static void
fill_list (TerenRegisterPage *self)
{
  const char * const *marks = marks_of (self);
  GtkWidget *child;
  guint i, m;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  for (i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (row->title);
      GtkWidget *group = NULL;

      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), label);
      if (row->suspended)
        {
          GtkWidget *note = gtk_label_new (_("Suspended: documents not renewed"));

          gtk_widget_add_css_class (note, "dim-label");
          gtk_box_append (GTK_BOX (box), note);
        }
      for (m = 0; m < N_MARKS; m++)
        {
          GtkWidget *button;

          row->buttons[m] = NULL;
          if (marks[m] == NULL)
            continue;
          button = gtk_check_button_new_with_mnemonic (mark_label (marks[m]));
          if (group != NULL)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (button), GTK_CHECK_BUTTON (group));
          else
            group = button;
          gtk_check_button_set_active (GTK_CHECK_BUTTON (button), g_strcmp0 (row->mark, marks[m]) == 0);
          gtk_widget_set_sensitive (button, !row->suspended);
          gtk_accessible_update_relation (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
          gtk_box_append (GTK_BOX (box), button);
          row->buttons[m] = button;
        }
      gtk_list_box_append (self->list_box, box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_parent (box)), FALSE);
    }
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TerenRegisterPage *self = TEREN_REGISTER_PAGE (object);
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  rows = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  update_busy (self);
  if (rows == NULL)
    {
      show_message (self, error->message, TRUE);
      g_debug ("register: reading failed (%s)", self->line);
      return;
    }
  g_ptr_array_unref (self->rows);
  self->rows = rows;
  fill_list (self);
  if (self->just_saved)
    show_message (self, _("Register saved."), FALSE);
  else if (rows->len == 0)
    show_message (self, is_canteen (self) ? _("No beneficiary is in force on this day.")
                                          : _("No child is enrolled on this day."), FALSE);
  else
    show_message (self, NULL, FALSE);
  g_debug ("register: %u rows (%s)", rows->len, self->line);
}

static void
reload (TerenRegisterPage *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  if (self->store == NULL || self->line == NULL || self->date == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  data = g_new0 (LoadData, 1);
  data->line = g_strdup (self->line);
  data->date = g_strdup (self->date);
  task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  self->loading = TRUE;
  update_busy (self);
  g_task_run_in_thread (task, load_thread);
}

/* ---- Saving (worker thread, one transaction) -------------------------------------- */

typedef struct {
  char *line;
  char *date;
  GPtrArray *entries;   /* SaveEntry */
} SaveData;

typedef struct {
  char     *parent_id;
  char     *entry_id;
  char     *mark;
  gboolean  lunch;
  gboolean  dinner;
} SaveEntry;

static void
save_entry_free (SaveEntry *entry)
{
  g_free (entry->parent_id);
  g_free (entry->entry_id);
  g_free (entry->mark);
  g_free (entry);
}

static void
save_data_free (SaveData *data)
{
  g_free (data->line);
  g_free (data->date);
  g_ptr_array_unref (data->entries);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TerenRegisterPage *self = source_object;
  SaveData *data = task_data;
  gboolean canteen = g_strcmp0 (data->line, "canteen") == 0;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree TerenStoreSaveItem *items = g_new0 (TerenStoreSaveItem, data->entries->len);
  GError *error = NULL;
  guint i;

  for (i = 0; i < data->entries->len; i++)
    {
      SaveEntry *entry = g_ptr_array_index (data->entries, i);
      JsonObject *entry_fields = json_object_new ();

      if (canteen)
        {
          gboolean served = g_strcmp0 (entry->mark, "served") == 0;

          json_object_set_string_member (entry_fields, "beneficiary", entry->parent_id);
          json_object_set_boolean_member (entry_fields, "lunch", served && entry->lunch);
          json_object_set_boolean_member (entry_fields, "dinner", served && entry->dinner);
        }
      else
        {
          json_object_set_string_member (entry_fields, "enrolment", entry->parent_id);
          json_object_set_string_member (entry_fields, "status", entry->mark);
        }
      json_object_set_string_member (entry_fields, "date", data->date);
      g_ptr_array_add (fields, entry_fields);
      items[i] = (TerenStoreSaveItem) { canteen ? "canteen.meal" : "creche.attendance", data->line,
                                        entry->entry_id, entry_fields };
    }
  if (!teren_store_save_all (self->store, items, data->entries->len, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, data->entries->len);
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TerenRegisterPage *self = TEREN_REGISTER_PAGE (object);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_task_propagate_int (G_TASK (result), &error);
  self->saving = FALSE;
  update_busy (self);
  if (n < 0)
    {
      show_message (self, error->message, TRUE);
      g_debug ("register: saving failed (%s)", self->line);
      return;
    }
  g_debug ("register: %" G_GSSIZE_FORMAT " entries saved (%s)", n, self->line);
  g_signal_emit (self, signals[SAVED], 0);
  /* Read again: new entries get their ids, so a second save updates them. */
  self->just_saved = TRUE;
  reload (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TerenRegisterPage *self = TEREN_REGISTER_PAGE (widget);
  g_autoptr(GTask) task = NULL;
  SaveData *data;
  guint i;

  if (self->store == NULL || self->loading || self->saving || self->date == NULL)
    return;
  data = g_new0 (SaveData, 1);
  data->line = g_strdup (self->line);
  data->date = g_strdup (self->date);
  data->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) save_entry_free);
  for (i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      const char *mark = teren_register_page_get_mark (self, row->parent_id);
      SaveEntry *entry;

      if (mark == NULL || row->suspended)
        continue;
      /* A canteen row never served needs no record. */
      if (row->entry_id == NULL && g_strcmp0 (mark, "not_served") == 0)
        continue;
      entry = g_new0 (SaveEntry, 1);
      entry->parent_id = g_strdup (row->parent_id);
      entry->entry_id = g_strdup (row->entry_id);
      entry->mark = g_strdup (mark);
      entry->lunch = row->lunch;
      entry->dinner = row->dinner;
      g_ptr_array_add (data->entries, entry);
    }
  task = g_task_new (self, NULL, save_done_cb, NULL);
  g_task_set_source_tag (task, save_action);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  self->saving = TRUE;
  self->just_saved = FALSE;
  update_busy (self);
  g_task_run_in_thread (task, save_thread);
}

/* ---- Date ------------------------------------------------------------------------- */

static void
on_date_activate_cb (TerenRegisterPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_entry));
  g_autofree char *iso = teren_date_to_iso (text);
  GDate day;

  if (iso == NULL || !teren_date_parse (iso, &day))
    {
      show_message (self, _("Not a valid date: write it as YYYY-MM-DD."), TRUE);
      return;
    }
  teren_register_page_set_date (self, iso);
}

static void
on_calendar_day_selected_cb (TerenRegisterPage *self)
{
  g_autoptr(GDateTime) when = gtk_calendar_get_date (self->calendar);
  g_autofree char *iso = g_date_time_format (when, "%Y-%m-%d");

  if (g_strcmp0 (iso, self->date) != 0)
    teren_register_page_set_date (self, iso);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
teren_register_page_dispose (GObject *object)
{
  TerenRegisterPage *self = (TerenRegisterPage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_REGISTER_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (teren_register_page_parent_class)->dispose (object);
}

static void
teren_register_page_finalize (GObject *object)
{
  TerenRegisterPage *self = (TerenRegisterPage *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->line);
  g_free (self->date);
  g_free (self->error);

  G_OBJECT_CLASS (teren_register_page_parent_class)->finalize (object);
}

static void
teren_register_page_class_init (TerenRegisterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_register_page_dispose;
  object_class->finalize = teren_register_page_finalize;

  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-register-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenRegisterPage, box);
  gtk_widget_class_bind_template_child (widget_class, TerenRegisterPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TerenRegisterPage, date_entry);
  gtk_widget_class_bind_template_child (widget_class, TerenRegisterPage, calendar);
  gtk_widget_class_bind_template_child (widget_class, TerenRegisterPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TerenRegisterPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, TerenRegisterPage, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_date_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_calendar_day_selected_cb);

  gtk_widget_class_install_action (widget_class, "register.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "register.save", NULL);
}

static void
teren_register_page_init (TerenRegisterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
}

TerenRegisterPage *
teren_register_page_new (TerenStore *store,
                         const char *line)
{
  TerenRegisterPage *self;
  GDate today;
  char iso[16];

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_REGISTER_PAGE, NULL);
  self->store = g_object_ref (store);
  self->line = g_strdup (line);
  gtk_label_set_text (self->title_label, g_strcmp0 (line, "canteen") == 0
                      ? _("Daily Meal Register") : _("Daily Attendance Register"));
  teren_date_today (&today);
  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &today);
  teren_register_page_set_date (self, iso);
  return self;
}

const char *
teren_register_page_get_line (TerenRegisterPage *self)
{
  g_return_val_if_fail (TEREN_IS_REGISTER_PAGE (self), NULL);
  return self->line;
}

void
teren_register_page_set_date (TerenRegisterPage *self,
                              const char        *date)
{
  GDate day;

  g_return_if_fail (TEREN_IS_REGISTER_PAGE (self));

  if (g_strcmp0 (self->date, date) != 0)
    {
      g_free (self->date);
      self->date = g_strdup (date);
      self->just_saved = FALSE;
    }
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->date_entry)), date) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->date_entry), date != NULL ? date : "");
  if (date != NULL && teren_date_parse (date, &day))
    {
      g_autoptr(GDateTime) when = g_date_time_new_local (g_date_get_year (&day), g_date_get_month (&day),
                                                         g_date_get_day (&day), 12, 0, 0);

      gtk_calendar_select_day (self->calendar, when);
    }
  reload (self);
}

const char *
teren_register_page_get_date (TerenRegisterPage *self)
{
  g_return_val_if_fail (TEREN_IS_REGISTER_PAGE (self), NULL);
  return self->date;
}

gboolean
teren_register_page_get_busy (TerenRegisterPage *self)
{
  g_return_val_if_fail (TEREN_IS_REGISTER_PAGE (self), FALSE);
  return self->loading || self->saving;
}

guint
teren_register_page_get_n_rows (TerenRegisterPage *self)
{
  g_return_val_if_fail (TEREN_IS_REGISTER_PAGE (self), 0);
  return self->rows->len;
}

static Row *
find_row (TerenRegisterPage *self,
          const char        *row_id)
{
  guint i;

  for (i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (row->parent_id, row_id) == 0)
        return row;
    }
  return NULL;
}

const char *
teren_register_page_get_row_id (TerenRegisterPage *self,
                                guint              index)
{
  g_return_val_if_fail (TEREN_IS_REGISTER_PAGE (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return ((Row *) g_ptr_array_index (self->rows, index))->parent_id;
}

const char *
teren_register_page_get_row_title (TerenRegisterPage *self,
                                   guint              index)
{
  g_return_val_if_fail (TEREN_IS_REGISTER_PAGE (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return ((Row *) g_ptr_array_index (self->rows, index))->title;
}

const char *
teren_register_page_get_mark (TerenRegisterPage *self,
                              const char        *row_id)
{
  const char * const *marks;
  Row *row;
  guint m;

  g_return_val_if_fail (TEREN_IS_REGISTER_PAGE (self), NULL);

  row = find_row (self, row_id);
  if (row == NULL)
    return NULL;
  marks = marks_of (self);
  for (m = 0; m < N_MARKS; m++)
    if (row->buttons[m] != NULL && gtk_check_button_get_active (GTK_CHECK_BUTTON (row->buttons[m])))
      return marks[m];
  return NULL;
}

GtkWidget *
teren_register_page_get_mark_button (TerenRegisterPage *self,
                                     const char        *row_id,
                                     const char        *mark)
{
  const char * const *marks;
  Row *row;
  guint m;

  g_return_val_if_fail (TEREN_IS_REGISTER_PAGE (self), NULL);

  row = find_row (self, row_id);
  if (row == NULL)
    return NULL;
  marks = marks_of (self);
  for (m = 0; m < N_MARKS; m++)
    if (marks[m] != NULL && g_strcmp0 (marks[m], mark) == 0)
      return row->buttons[m];
  return NULL;
}

void
teren_register_page_set_mark (TerenRegisterPage *self,
                              const char        *row_id,
                              const char        *mark)
{
  GtkWidget *button = teren_register_page_get_mark_button (self, row_id, mark);

  g_return_if_fail (button != NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (button), TRUE);
}

const char *
teren_register_page_get_error (TerenRegisterPage *self)
{
  g_return_val_if_fail (TEREN_IS_REGISTER_PAGE (self), NULL);
  return self->error;
}
