/* teren-line-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-date.h"
#include "teren-export.h"
#include "teren-gui.h"
#include "teren-line-page.h"
#include "teren-line.h"
#include "teren-nomenclature.h"
#include "teren-register-page.h"
#include "teren-store-report.h"
#include "teren-triage-page.h"
#include "teren-window.h"

/* A save touches several records at once: reload once after them. */
#define RELOAD_DELAY_MS 200

struct _TerenLinePage
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkWidget      *box;
  AdwStatusPage  *empty_status;
  GtkListView    *list_view;
  GtkWidget      *register_button;
  GtkSearchEntry *search_entry;
  GtkSpinner     *spinner;
  GtkStack       *stack;
  GtkDropDown    *status_dropdown;
  GtkDropDown    *worker_dropdown;
  GtkWidget      *referrals_box;
  GtkListBox     *referrals_list;

  /* Owned */
  TerenStore     *store;
  GCancellable   *cancellable;
  GtkStringList  *model;       /* case ids shown */
  GHashTable     *rows;        /* case id → RowText */
  GtkStringList  *workers;     /* "Every worker", then the case managers */
  char           *line;
  char           *status;
  char           *worker;

  guint           generation;
  TerenGuiDebounce reload_later;
  guint           loading : 1;
  guint           filling_workers : 1;
};

typedef struct
{
  char *title;
  char *subtitle;
} RowText;

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  OPEN_CASE,
  NEW_CASE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenLinePage, teren_line_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
row_text_free (gpointer pointer)
{
  RowText *text = pointer;

  g_free (text->title);
  g_free (text->subtitle);
  g_free (text);
}

/* Reading on a worker thread */

typedef struct
{
  char  *line;
  char  *status;
  char  *worker;
  char  *query;
  GDate  today;
  guint  generation;
} Query;

typedef struct
{
  guint       generation;
  GPtrArray  *ids;        /* char* */
  GPtrArray  *texts;      /* RowText*, same order */
  GPtrArray  *workers;    /* char*, sorted, distinct */
  GPtrArray  *referrals;  /* TerenRecord: referrals waiting for this line's answer */
  GPtrArray  *referral_texts; /* RowText*, same order */
} Result;

static void
query_free (gpointer pointer)
{
  Query *query = pointer;

  g_free (query->line);
  g_free (query->status);
  g_free (query->worker);
  g_free (query->query);
  g_free (query);
}

static void
result_free (gpointer pointer)
{
  Result *result = pointer;

  g_clear_pointer (&result->ids, g_ptr_array_unref);
  g_clear_pointer (&result->texts, g_ptr_array_unref);
  g_clear_pointer (&result->workers, g_ptr_array_unref);
  g_clear_pointer (&result->referrals, g_ptr_array_unref);
  g_clear_pointer (&result->referral_texts, g_ptr_array_unref);
  g_free (result);
}

static char *
case_subtitle (TerenLineCase *row)
{
  const TerenNomenclature *statuses = teren_nomenclature_lookup ("case_status");
  const char *status = teren_nomenclature_get_label (statuses, row->status);
  GString *text = g_string_new (status != NULL ? status : row->status);

  if (row->next_due != NULL)
    {
      g_autofree char *date = teren_gui_format_date (row->next_due->due);

      /* Translators: in a case list: the next thing due and its date, "Review of the plan 12.03.2026" */
      g_string_append_printf (text, " · %s", row->next_due->bucket == TEREN_DUE_OVERDUE ? _("Overdue:") : _("Next:"));
      g_string_append_printf (text, " %s %s", row->next_due->title, date != NULL ? date : row->next_due->due);
    }
  if (row->last_visit != NULL)
    {
      g_autofree char *date = teren_gui_format_date (row->last_visit);

      /* Translators: in a case list, the date of the last visit */
      g_string_append_printf (text, " · %s %s", _("Last visit"), date != NULL ? date : row->last_visit);
    }
  else
    g_string_append_printf (text, " · %s", _("No visit yet"));
  return g_string_free (text, FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char * const *)a, *(const char * const *)b);
}

static gpointer
load_func (TerenStore  *store,
           gpointer     data,
           GError     **error)
{
  Query *query = data;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GHashTable) persons = NULL;
  g_autoptr(GHashTable) workers = NULL;
  Result *result;
  GHashTableIter iter;
  gpointer key;
  guint i;

  cases = teren_store_line_cases (store, query->line, query->status, NULL, &query->today, error);
  if (cases == NULL)
    return NULL;

  /* The search is the registry's: persons matching what was typed. */
  if (query->query != NULL && *query->query != '\0')
    {
      static const char * const kinds[] = { "person", NULL };
      g_autoptr(GPtrArray) ids = teren_store_search (store, kinds, query->query, 0, error);

      if (ids == NULL)
        return NULL;
      persons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (i = 0; i < ids->len; i++)
        g_hash_table_add (persons, g_strdup (g_ptr_array_index (ids, i)));
    }

  result = g_new0 (Result, 1);
  result->generation = query->generation;
  result->ids = g_ptr_array_new_with_free_func (g_free);
  result->texts = g_ptr_array_new_with_free_func (row_text_free);
  result->workers = g_ptr_array_new_with_free_func (g_free);
  workers = g_hash_table_new (g_str_hash, g_str_equal);

  for (i = 0; i < cases->len; i++)
    {
      TerenLineCase *row = g_ptr_array_index (cases, i);
      g_autoptr(TerenRecord) person = NULL;
      const char *number = row->number != NULL && *row->number != '\0' ? row->number : NULL;
      RowText *text;

      if (row->case_manager != NULL && *row->case_manager != '\0')
        g_hash_table_add (workers, row->case_manager);
      if (query->worker != NULL && g_strcmp0 (row->case_manager, query->worker) != 0)
        continue;
      if (persons != NULL && (row->person_id == NULL || !g_hash_table_contains (persons, row->person_id)))
        {
          /* The case number matches too. */
          if (number == NULL || g_strstr_len (number, -1, query->query) == NULL)
            continue;
        }

      if (row->person_id != NULL)
        person = teren_store_get_record (store, row->person_id, NULL);
      text = g_new0 (RowText, 1);
      if (person != NULL && number != NULL)
        text->title = g_strdup_printf ("%s — %s", teren_record_get_title (person), number);
      else if (person != NULL)
        text->title = g_strdup (teren_record_get_title (person));
      else
        text->title = g_strdup (number != NULL ? number : _("Case"));
      text->subtitle = case_subtitle (row);
      g_ptr_array_add (result->ids, g_strdup (row->case_id));
      g_ptr_array_add (result->texts, text);
    }

  g_hash_table_iter_init (&iter, workers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (result->workers, g_strdup (key));
  g_ptr_array_sort (result->workers, compare_strings);

  /* Referrals other lines sent here, waiting for an answer. */
  result->referrals = teren_store_line_referrals (store, query->line, NULL);
  if (result->referrals == NULL)
    result->referrals = g_ptr_array_new_with_free_func (g_object_unref);
  result->referral_texts = g_ptr_array_new_with_free_func (row_text_free);
  for (i = 0; i < result->referrals->len; i++)
    {
      TerenRecord *referral = g_ptr_array_index (result->referrals, i);
      const char *person_id = teren_record_get_string (referral, "person");
      g_autoptr(TerenRecord) person = person_id != NULL ? teren_store_get_record (store, person_id, NULL) : NULL;
      const TerenLine *from = teren_line_lookup (teren_record_get_line (referral));
      const char *date = teren_record_get_string (referral, "date");
      g_autofree char *shown_date = date != NULL ? teren_date_to_display (date) : NULL;
      RowText *text = g_new0 (RowText, 1);

      text->title = g_strdup (person != NULL ? teren_record_get_title (person) : _("Referral"));
      /* TRANSLATORS: "From Child protection, 20.11.2026" */
      text->subtitle = g_strdup_printf (_("From %s, %s"),
                                        from != NULL ? teren_line_get_label (from)
                                                     : teren_record_get_line (referral),
                                        shown_date != NULL ? shown_date : "");
      g_ptr_array_add (result->referral_texts, text);
    }

  return result;
}

static void
set_loading (TerenLinePage *self,
             gboolean       loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
fill_workers (TerenLinePage *self,
              GPtrArray     *workers)
{
  guint selected = 0;
  guint i;

  self->filling_workers = TRUE;
  gtk_string_list_splice (self->workers, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->workers)) - 1, NULL);
  for (i = 0; i < workers->len; i++)
    {
      gtk_string_list_append (self->workers, g_ptr_array_index (workers, i));
      if (g_strcmp0 (self->worker, g_ptr_array_index (workers, i)) == 0)
        selected = i + 1;
    }
  gtk_drop_down_set_selected (self->worker_dropdown, selected);
  self->filling_workers = FALSE;
}

/* The referrals waiting for an answer, above the cases. */
static void
fill_referrals (TerenLinePage *self,
                Result        *result)
{
  GtkWidget *child;
  guint i;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->referrals_list))) != NULL)
    gtk_list_box_remove (self->referrals_list, child);
  for (i = 0; i < result->referrals->len; i++)
    {
      RowText *text = g_ptr_array_index (result->referral_texts, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text->title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text->subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text->title,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->subtitle, -1);
      g_object_set_data_full (G_OBJECT (row), "teren-record",
                              g_object_ref (g_ptr_array_index (result->referrals, i)), g_object_unref);
      gtk_list_box_append (self->referrals_list, row);
    }
  gtk_widget_set_visible (self->referrals_box, result->referrals->len > 0);
}

/* A referral opens in its form, to accept or decline it (with the answer's date). */
static void
on_referral_activated_cb (TerenLinePage *self,
                          GtkListBoxRow *row)
{
  TerenRecord *referral = g_object_get_data (G_OBJECT (row), "teren-record");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TerenForm *form;

  if (referral == NULL || !TEREN_IS_WINDOW (root))
    return;
  form = teren_window_open_form (TEREN_WINDOW (root), "referral", teren_record_get_line (referral), referral);
  if (form != NULL && teren_record_get_string (referral, "answered_on") == NULL)
    {
      GDate today;
      char iso[16];

      teren_date_today (&today);
      g_snprintf (iso, sizeof iso, "%04u-%02u-%02u", g_date_get_year (&today), g_date_get_month (&today),
                  g_date_get_day (&today));
      teren_form_set_string (form, "answered_on", iso);
    }
}

static void
on_loaded_cb (GObject      *object,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  g_autoptr(TerenLinePage) self = user_data;
  g_autoptr(GError) error = NULL;
  Result *result = teren_gui_store_call_finish (async_result, &error);
  g_autoptr(GPtrArray) strings = NULL;
  guint i;

  if (result == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the cases of a line: %s", error->message);
      if (error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_loading (self, FALSE);
      return;
    }
  if (result->generation != self->generation || self->model == NULL)
    {
      result_free (result);
      return;
    }

  g_hash_table_remove_all (self->rows);
  strings = g_ptr_array_new ();
  for (i = 0; i < result->ids->len; i++)
    {
      g_hash_table_insert (self->rows, g_strdup (g_ptr_array_index (result->ids, i)),
                           g_ptr_array_index (result->texts, i));
      g_ptr_array_add (strings, g_ptr_array_index (result->ids, i));
    }
  g_ptr_array_add (strings, NULL);
  /* The texts now belong to the table. */
  g_ptr_array_set_free_func (result->texts, NULL);

  gtk_string_list_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                          (const char * const *)strings->pdata);
  fill_workers (self, result->workers);
  fill_referrals (self, result);
  gtk_stack_set_visible_child_name (self->stack, result->ids->len > 0 ? "list" : "empty");
  result_free (result);
  set_loading (self, FALSE);
}

/* Called by the query, the filters and store changes; never while the line is unset. */
static void
reload (TerenLinePage *self)
{
  Query *query;
  const char *text;

  teren_gui_debounce_cancel (&self->reload_later);
  if (self->store == NULL || self->line == NULL)
    return;

  text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  query = g_new0 (Query, 1);
  query->line = g_strdup (self->line);
  query->status = g_strdup (self->status);
  query->worker = g_strdup (self->worker);
  query->query = g_strdup (text);
  teren_date_today (&query->today);

  query->generation = ++self->generation;
  set_loading (self, TRUE);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  teren_gui_store_call_async (self->store, load_func, query, query_free, result_free,
                              self->cancellable, on_loaded_cb, g_object_ref (self));
}

/* Back on the list (from a case or a form): read it again, it may have changed. */
static void
on_map_cb (TerenLinePage *self)
{
  if (self->line != NULL && !self->loading)
    reload (self);
}

static void
on_record_changed_cb (TerenLinePage *self)
{
  if (self->line != NULL)
    teren_gui_debounce_schedule (&self->reload_later);
}

/* The list */

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             TerenLinePage            *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkStringObject *string = gtk_list_item_get_item (item);
  RowText *text = g_hash_table_lookup (self->rows, gtk_string_object_get_string (string));
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);

  gtk_label_set_text (GTK_LABEL (title), text != NULL ? text->title : "");
  gtk_label_set_text (GTK_LABEL (subtitle), text != NULL ? text->subtitle : "");
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, text->title,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->subtitle, -1);
}

static void
on_list_activate_cb (TerenLinePage *self,
                     guint          position)
{
  g_autoptr(GtkStringObject) string = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (string != NULL)
    g_signal_emit (self, signals[OPEN_CASE], 0, gtk_string_object_get_string (string));
}

static void
on_search_changed_cb (TerenLinePage *self)
{
  reload (self);
}

static void
on_status_selected_cb (TerenLinePage *self)
{
  const TerenNomenclature *statuses = teren_nomenclature_lookup ("case_status");
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  g_clear_pointer (&self->status, g_free);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && statuses != NULL &&
      selected <= statuses->n_items)
    self->status = g_strdup (statuses->items[selected - 1].code);
  reload (self);
}

static void
on_worker_selected_cb (TerenLinePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->worker_dropdown);

  if (self->filling_workers)
    return;
  g_clear_pointer (&self->worker, g_free);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    self->worker = g_strdup (gtk_string_list_get_string (self->workers, selected));
  reload (self);
}

static void
new_case_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TerenLinePage *self = TEREN_LINE_PAGE (widget);

  if (self->line != NULL)
    g_signal_emit (self, signals[NEW_CASE], 0, self->line);
}

/* "Daily Register": the crèche attendance or canteen meals of one day, in its own window. */
static void
register_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TerenLinePage *self = TEREN_LINE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  TerenRegisterPage *page;
  GtkWidget *window;
  GtkWidget *box;

  if (self->store == NULL)
    return;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  window = adw_window_new ();
  if (g_strcmp0 (self->line, "school_health") == 0)
    {
      /* School medical cabinets: the epidemiological triage of a whole class. */
      TerenTriagePage *triage = teren_triage_page_new (self->store);

      gtk_widget_set_vexpand (GTK_WIDGET (triage), TRUE);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (triage));
      gtk_window_set_title (GTK_WINDOW (window), _("Class Triage"));
      gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
    }
  else if (g_strcmp0 (self->line, "creche") == 0 || g_strcmp0 (self->line, "canteen") == 0)
    {
      page = teren_register_page_new (self->store, self->line);
      gtk_widget_set_vexpand (GTK_WIDGET (page), TRUE);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (page));
      gtk_window_set_title (GTK_WINDOW (window), _("Daily Register"));
      gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
    }
  else
    {
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

/* "Export…": the cases listed, in the order shown. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TerenLinePage *self = TEREN_LINE_PAGE (widget);
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *name = NULL;
  guint i, n;

  if (self->store == NULL || self->line == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  ids = g_ptr_array_new_full (n, g_free);
  for (i = 0; i < n; i++)
    g_ptr_array_add (ids, g_strdup (gtk_string_list_get_string (self->model, i)));
  /* Translators: the suggested file name of an exported case list, without extension;
   * %s is the service line's id, e.g. "cases-elderly" */
  name = g_strdup_printf (_("cases-%s"), self->line);
  teren_export_run (widget, name, self->store, NULL, teren_export_collect_line_cases,
                    teren_export_line_cases_data_new (self->line, self->status, ids),
                    teren_export_line_cases_data_free);
}

/* GObject */

static void
teren_line_page_dispose (GObject *object)
{
  TerenLinePage *self = (TerenLinePage *)object;

  teren_gui_debounce_cancel (&self->reload_later);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_LINE_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->model);
  g_clear_object (&self->workers);

  G_OBJECT_CLASS (teren_line_page_parent_class)->dispose (object);
}

static void
teren_line_page_finalize (GObject *object)
{
  TerenLinePage *self = (TerenLinePage *)object;

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_free (self->line);
  g_free (self->status);
  g_free (self->worker);

  G_OBJECT_CLASS (teren_line_page_parent_class)->finalize (object);
}

static void
teren_line_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TerenLinePage *self = TEREN_LINE_PAGE (object);

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
teren_line_page_class_init (TerenLinePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_line_page_dispose;
  object_class->finalize = teren_line_page_finalize;
  object_class->get_property = teren_line_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_CASE] =
    g_signal_new ("open-case", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[NEW_CASE] =
    g_signal_new ("new-case", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-line-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, box);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, list_view);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, referrals_box);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, referrals_list);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, register_button);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, stack);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TerenLinePage, worker_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_referral_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);

  gtk_widget_class_install_action (widget_class, "line.new-case", NULL, new_case_action);
  gtk_widget_class_install_action (widget_class, "line.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "line.register", NULL, register_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "line.new-case", NULL);
}

static void
teren_line_page_init (TerenLinePage *self)
{
  const TerenNomenclature *statuses = teren_nomenclature_lookup ("case_status");
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkStringList) status_model = NULL;
  GtkNoSelection *selection;
  guint i;

  gtk_widget_init_template (GTK_WIDGET (self));
  teren_gui_debounce_init (&self->reload_later, RELOAD_DELAY_MS, (GSourceOnceFunc) reload, self);

  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, row_text_free);
  self->model = gtk_string_list_new (NULL);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (teren_gui_setup_two_line_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  status_model = gtk_string_list_new (NULL);
  gtk_string_list_append (status_model, _("Open cases"));
  for (i = 0; statuses != NULL && i < statuses->n_items; i++)
    gtk_string_list_append (status_model, g_dgettext (GETTEXT_PACKAGE, statuses->items[i].label));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (status_model));
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (on_status_selected_cb), self, G_CONNECT_SWAPPED);

  self->workers = gtk_string_list_new (NULL);
  gtk_string_list_append (self->workers, _("Every worker"));
  gtk_drop_down_set_model (self->worker_dropdown, G_LIST_MODEL (self->workers));
  g_signal_connect_object (self->worker_dropdown, "notify::selected",
                           G_CALLBACK (on_worker_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
}

/* Public API */

TerenLinePage *
teren_line_page_new (TerenStore *store)
{
  TerenLinePage *self;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_LINE_PAGE, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "record-changed", G_CALLBACK (on_record_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

void
teren_line_page_set_line (TerenLinePage *self,
                          const char    *line)
{
  const TerenLine *info;

  g_return_if_fail (TEREN_IS_LINE_PAGE (self));

  if (g_strcmp0 (self->line, line) == 0)
    return;
  g_free (self->line);
  self->line = g_strdup (line);

  info = line != NULL ? teren_line_lookup (line) : NULL;
  if (info != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (teren_line_get_label (info), -1);

      adw_status_page_set_icon_name (self->empty_status, info->icon_name);
      adw_status_page_set_title (self->empty_status, escaped);
    }
  gtk_string_list_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)), NULL);
  g_hash_table_remove_all (self->rows);
  g_clear_pointer (&self->worker, g_free);
  gtk_widget_set_visible (self->register_button,
                          g_strcmp0 (line, "creche") == 0 || g_strcmp0 (line, "canteen") == 0 ||
                          g_strcmp0 (line, "school_health") == 0);
  gtk_button_set_label (GTK_BUTTON (self->register_button),
                        g_strcmp0 (line, "school_health") == 0 ? _("Class _Triage") : _("Daily _Register"));
  gtk_widget_set_tooltip_text (self->register_button,
                               g_strcmp0 (line, "school_health") == 0
                               ? _("Epidemiological triage of a whole class")
                               : _("Attendance or meals of one day for the whole list"));
  reload (self);
}

const char *
teren_line_page_get_line (TerenLinePage *self)
{
  g_return_val_if_fail (TEREN_IS_LINE_PAGE (self), NULL);
  return self->line;
}

void
teren_line_page_set_status (TerenLinePage *self,
                            const char    *status)
{
  const TerenNomenclature *statuses = teren_nomenclature_lookup ("case_status");
  guint selected = 0;
  guint i;

  g_return_if_fail (TEREN_IS_LINE_PAGE (self));

  for (i = 0; status != NULL && statuses != NULL && i < statuses->n_items; i++)
    if (g_strcmp0 (statuses->items[i].code, status) == 0)
      selected = i + 1;
  if (gtk_drop_down_get_selected (self->status_dropdown) != selected)
    gtk_drop_down_set_selected (self->status_dropdown, selected);
}

void
teren_line_page_set_worker (TerenLinePage *self,
                            const char    *worker)
{
  g_return_if_fail (TEREN_IS_LINE_PAGE (self));

  if (g_strcmp0 (self->worker, worker) == 0)
    return;
  g_free (self->worker);
  self->worker = g_strdup (worker);
  reload (self);
}

void
teren_line_page_reload (TerenLinePage *self)
{
  g_return_if_fail (TEREN_IS_LINE_PAGE (self));
  reload (self);
}

gboolean
teren_line_page_get_loading (TerenLinePage *self)
{
  g_return_val_if_fail (TEREN_IS_LINE_PAGE (self), FALSE);
  return self->loading;
}

GListModel *
teren_line_page_get_model (TerenLinePage *self)
{
  g_return_val_if_fail (TEREN_IS_LINE_PAGE (self), NULL);
  return G_LIST_MODEL (self->model);
}

static RowText *
row_at (TerenLinePage *self,
        guint          position)
{
  const char *id = gtk_string_list_get_string (self->model, position);

  return id != NULL ? g_hash_table_lookup (self->rows, id) : NULL;
}

const char *
teren_line_page_get_row_title (TerenLinePage *self,
                               guint          position)
{
  RowText *text;

  g_return_val_if_fail (TEREN_IS_LINE_PAGE (self), NULL);
  text = row_at (self, position);
  return text != NULL ? text->title : NULL;
}

const char *
teren_line_page_get_row_subtitle (TerenLinePage *self,
                                  guint          position)
{
  RowText *text;

  g_return_val_if_fail (TEREN_IS_LINE_PAGE (self), NULL);
  text = row_at (self, position);
  return text != NULL ? text->subtitle : NULL;
}

GtkSearchEntry *
teren_line_page_get_search_entry (TerenLinePage *self)
{
  g_return_val_if_fail (TEREN_IS_LINE_PAGE (self), NULL);
  return self->search_entry;
}

GtkListView *
teren_line_page_get_list_view (TerenLinePage *self)
{
  g_return_val_if_fail (TEREN_IS_LINE_PAGE (self), NULL);
  return self->list_view;
}

GtkListBox *
teren_line_page_get_referrals_list (TerenLinePage *self)
{
  g_return_val_if_fail (TEREN_IS_LINE_PAGE (self), NULL);
  return self->referrals_list;
}
