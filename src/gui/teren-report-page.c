/* teren-report-page.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-gui.h"
#include "teren-indicator-table.h"
#include "teren-line.h"
#include "teren-print.h"
#include "teren-report-page.h"
#include "teren-store-report.h"

struct _TerenReportPage
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkWidget      *box;
  GtkWidget      *print_button;
  GtkLabel       *error_label;
  GtkListBox     *figures_list;
  TerenIndicatorTable *indicator_table;
  GtkWidget      *indicators_title;
  GtkDropDown    *line_dropdown;
  GtkEntry       *month_entry;
  GtkSpinner     *spinner;
  GtkStack       *stack;

  /* Owned */
  TerenStore     *store;
  GCancellable   *cancellable;
  TerenReport    *report;      /* (nullable) shown */
  char           *line;
  char           *error;

  guint           generation;
  guint           loading : 1;
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  ADD_TOAST,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenReportPage, teren_report_page, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
add_toast (TerenReportPage *self,
           const char      *text)
{
  g_autoptr(AdwToast) toast = teren_gui_toast_new (text);

  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static void
set_loading (TerenReportPage *self,
             gboolean         loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_error (TerenReportPage *self,
           const char      *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->month_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->month_entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->month_entry), GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
}

/* Worker */

typedef struct
{
  char  *line;
  int    year;
  int    month;
  guint  generation;
} Query;

static void
query_free (gpointer pointer)
{
  Query *query = pointer;

  g_free (query->line);
  g_free (query);
}

static gpointer
report_func (TerenStore  *store,
             gpointer     data,
             GError     **error)
{
  Query *query = data;
  return teren_store_report_month (store, query->line, query->year, query->month, error);
}

typedef struct
{
  TerenReportPage *self;
  guint            generation;
} Call;

static char *
format_value (const TerenReportFigure *figure)
{
  return g_strdup_printf ("%.*f", (int)figure->decimals, figure->value);
}

/* The official document printed from a line's month, or NULL (src/docs). */
static const char *
month_document_for_line (const char *line)
{
  if (g_strcmp0 (line, "canteen") == 0)
    return "canteen-list";
  if (g_strcmp0 (line, "community_health") == 0)
    return "chc-report";
  return NULL;
}

static void
update_print_actions (TerenReportPage *self)
{
  gboolean enabled = self->report != NULL && month_document_for_line (self->report->line) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.save-pdf", enabled);
  gtk_widget_set_visible (self->print_button, month_document_for_line (self->line) != NULL);
}

static void
show_report (TerenReportPage *self)
{
  GtkWidget *child;
  gboolean has_table;
  guint i;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_list))) != NULL)
    gtk_list_box_remove (self->figures_list, child);

  /* Segmented indicators (community health) go to the table below the list. */
  has_table = teren_indicator_table_set_report (self->indicator_table, self->report);
  gtk_widget_set_visible (GTK_WIDGET (self->indicator_table), has_table);
  gtk_widget_set_visible (self->indicators_title, has_table);

  for (i = 0; self->report != NULL && i < self->report->figures->len; i++)
    {
      const TerenReportFigure *figure = g_ptr_array_index (self->report->figures, i);
      g_autofree char *value = NULL;
      GtkWidget *row;
      GtkWidget *label;

      if (has_table && (strchr (figure->key, ':') != NULL
                        || teren_indicator_table_get_cell (self->indicator_table, figure->key, "total") != NULL))
        continue;
      value = format_value (figure);
      row = adw_action_row_new ();
      label = gtk_label_new (value);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), figure->label);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), figure->key);
      gtk_widget_add_css_class (label, "numeric");
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (self->figures_list, row);
    }
  gtk_stack_set_visible_child_name (self->stack,
                                    self->report != NULL && self->report->figures->len > 0 ? "figures" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-csv", self->report != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-json", self->report != NULL);
  update_print_actions (self);
}

static void
on_report_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(TerenReportPage) self = call->self;
  g_autoptr(GError) error = NULL;
  TerenReport *report = teren_gui_store_call_finish (result, &error);
  guint generation = call->generation;

  g_free (call);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || generation != self->generation)
    {
      g_clear_pointer (&report, teren_report_free);
      return;
    }
  set_loading (self, FALSE);
  g_clear_pointer (&self->report, teren_report_free);
  if (report == NULL)
    {
      set_error (self, error != NULL ? error->message : _("The report could not be computed."));
      show_report (self);
      return;
    }
  self->report = report;
  set_error (self, NULL);
  show_report (self);
}

static void
compute (TerenReportPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->month_entry));
  Query *query;
  Call *call;
  int year = 0, month = 0;

  if (self->store == NULL || self->line == NULL)
    return;

  self->generation++;
  if (!teren_report_parse_month (text, &year, &month, &error))
    {
      g_clear_pointer (&self->report, teren_report_free);
      set_error (self, error->message);
      set_loading (self, FALSE);
      show_report (self);
      return;
    }

  query = g_new0 (Query, 1);
  query->line = g_strdup (self->line);
  query->year = year;
  query->month = month;
  call = g_new0 (Call, 1);
  call->self = g_object_ref (self);
  call->generation = self->generation;
  set_loading (self, TRUE);
  if (self->report == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  teren_gui_store_call_async (self->store, report_func, query, query_free,
                              (GDestroyNotify)teren_report_free, self->cancellable, on_report_cb, call);
}

static void
on_month_activate_cb (TerenReportPage *self)
{
  compute (self);
}

static void
on_line_selected_cb (TerenReportPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->line_dropdown);
  guint n_lines = 0;
  const TerenLine *lines = teren_line_list (&n_lines);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= n_lines)
    return;
  g_free (self->line);
  self->line = g_strdup (lines[selected].id);
  update_print_actions (self);
  /* Not computed before it is shown (the window makes this page at start-up). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    compute (self);
}

static void
on_map_cb (TerenReportPage *self)
{
  if (self->report == NULL && !self->loading && self->error == NULL)
    compute (self);
}

/* Printing: the month's official document (canteen nominal list, community-health monthly
 * report), built from the store like the figures, printed or saved as PDF. */

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TerenReportPage *self = TEREN_REPORT_PAGE (widget);
  const char *document_kind;
  g_autofree char *month = NULL;

  if (self->report == NULL)
    return;
  document_kind = month_document_for_line (self->report->line);
  if (document_kind == NULL)
    return;
  month = g_strdup_printf ("%04d-%02d", self->report->year, self->report->month);
  teren_print_document (widget, self->store, document_kind, month,
                        g_strcmp0 (action_name, "report.save-pdf") == 0);
}

/* Export */

static void
on_written_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
teren_report_page_export_async (TerenReportPage     *self,
                                GFile               *file,
                                const char          *format,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;
  gsize length = 0;

  g_return_if_fail (TEREN_IS_REPORT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_report_page_export_async);
  if (self->report == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               _("There is no report to export."));
      return;
    }
  if (g_strcmp0 (format, "json") == 0)
    text = teren_report_to_json (self->report, &length);
  else if (g_strcmp0 (format, "csv-comma") == 0)
    text = teren_report_to_csv (self->report, ',', &length);
  else
    /* ';' and decimal commas: what a Romanian spreadsheet opens. */
    text = teren_report_to_csv (self->report, ';', &length);
  bytes = g_bytes_new_take (text, length);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify)g_bytes_unref);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, on_written_cb, g_steal_pointer (&task));
}

gboolean
teren_report_page_export_finish (TerenReportPage  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TerenReportPage *self = TEREN_REPORT_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (!teren_report_page_export_finish (self, result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why the file could not be written */
      text = g_strdup_printf (_("Could not save the report: %s"), error->message);
      add_toast (self, text);
      return;
    }
  add_toast (self, _("Report saved"));
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        TerenReportPage *self)
{
  const char *format = g_object_get_data (G_OBJECT (chooser), "teren-format");

  if (g_strcmp0 (format, "csv") == 0 &&
      g_strcmp0 (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "separator"), "comma") == 0)
    format = "csv-comma";
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        teren_report_page_export_async (self, file, format, self->cancellable, on_exported_cb, NULL);
    }
  gtk_native_dialog_destroy (chooser);
  /* A native dialog is not a toplevel: nobody else releases it. */
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TerenReportPage *self = TEREN_REPORT_PAGE (widget);
  const char *format = g_str_has_suffix (action_name, "json") ? "json" : "csv";
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->report == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save the Report"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_strdup_printf ("raport-%s-%04d-%02d.%s", self->report->line, self->report->year,
                          self->report->month, format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "teren-format", (gpointer)format);
  if (g_str_equal (format, "csv"))
    {
      static const char *separator_ids[] = { "semicolon", "comma", NULL };
      const char *separator_labels[] = { _("Semicolon (Excel in Romanian)"), _("Comma"), NULL };

      gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "separator", _("CSV separator"),
                                   separator_ids, separator_labels);
      gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "separator", "semicolon");
    }
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GObject */

static void
teren_report_page_dispose (GObject *object)
{
  TerenReportPage *self = (TerenReportPage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_REPORT_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (teren_report_page_parent_class)->dispose (object);
}

static void
teren_report_page_finalize (GObject *object)
{
  TerenReportPage *self = (TerenReportPage *)object;

  g_clear_pointer (&self->report, teren_report_free);
  g_free (self->line);
  g_free (self->error);

  G_OBJECT_CLASS (teren_report_page_parent_class)->finalize (object);
}

static void
teren_report_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TerenReportPage *self = TEREN_REPORT_PAGE (object);

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
teren_report_page_class_init (TerenReportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_report_page_dispose;
  object_class->finalize = teren_report_page_finalize;
  object_class->get_property = teren_report_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ADD_TOAST] =
    g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  g_type_ensure (TEREN_TYPE_INDICATOR_TABLE);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/ro/daps/Teren/ui/teren-report-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, box);
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, figures_list);
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, indicator_table);
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, indicators_title);
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, line_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, month_entry);
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TerenReportPage, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_month_activate_cb);

  gtk_widget_class_install_action (widget_class, "report.export-csv", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "report.export-json", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "report.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "report.save-pdf", NULL, print_action);
}

static void
teren_report_page_init (TerenReportPage *self)
{
  g_autoptr(GtkStringList) lines_model = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *month = g_date_time_format (now, "%Y-%m");
  const TerenLine *lines;
  guint n_lines = 0;
  guint i;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  lines = teren_line_list (&n_lines);
  for (i = 0; i < n_lines; i++)
    gtk_string_list_append (lines_model, teren_line_get_label (&lines[i]));
  gtk_drop_down_set_model (self->line_dropdown, G_LIST_MODEL (lines_model));
  gtk_editable_set_text (GTK_EDITABLE (self->month_entry), month);
  g_signal_connect_object (self->line_dropdown, "notify::selected",
                           G_CALLBACK (on_line_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-csv", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-json", FALSE);
  update_print_actions (self);
}

/* Public API */

TerenReportPage *
teren_report_page_new (TerenStore *store)
{
  TerenReportPage *self;
  guint n_lines = 0;
  const TerenLine *lines = teren_line_list (&n_lines);

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);

  self = g_object_new (TEREN_TYPE_REPORT_PAGE, NULL);
  self->store = g_object_ref (store);
  if (n_lines > 0)
    teren_report_page_set_line (self, lines[0].id);
  return self;
}

void
teren_report_page_set_line (TerenReportPage *self,
                            const char      *line)
{
  guint n_lines = 0;
  const TerenLine *lines = teren_line_list (&n_lines);
  guint i;

  g_return_if_fail (TEREN_IS_REPORT_PAGE (self));

  for (i = 0; i < n_lines; i++)
    if (g_strcmp0 (lines[i].id, line) == 0)
      {
        if (gtk_drop_down_get_selected (self->line_dropdown) == i && self->line != NULL)
          {
            if (gtk_widget_get_mapped (GTK_WIDGET (self)))
              compute (self);
          }
        else
          gtk_drop_down_set_selected (self->line_dropdown, i);
        if (self->line == NULL)
          on_line_selected_cb (self);
        return;
      }
}

void
teren_report_page_set_month (TerenReportPage *self,
                             const char      *month)
{
  g_return_if_fail (TEREN_IS_REPORT_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->month_entry), month);
  compute (self);
}

gboolean
teren_report_page_get_loading (TerenReportPage *self)
{
  g_return_val_if_fail (TEREN_IS_REPORT_PAGE (self), FALSE);
  return self->loading;
}

gboolean
teren_report_page_get_figure (TerenReportPage *self,
                              const char      *key,
                              double          *out_value)
{
  const TerenReportFigure *figure;

  g_return_val_if_fail (TEREN_IS_REPORT_PAGE (self), FALSE);

  figure = self->report != NULL ? teren_report_get_figure (self->report, key) : NULL;
  if (figure == NULL)
    return FALSE;
  if (out_value != NULL)
    *out_value = figure->value;
  return TRUE;
}

const char *
teren_report_page_get_error (TerenReportPage *self)
{
  g_return_val_if_fail (TEREN_IS_REPORT_PAGE (self), NULL);
  return self->error;
}

TerenIndicatorTable *
teren_report_page_get_indicator_table (TerenReportPage *self)
{
  g_return_val_if_fail (TEREN_IS_REPORT_PAGE (self), NULL);

  return self->indicator_table;
}

guint
teren_report_page_get_n_rows (TerenReportPage *self)
{
  guint n = 0;
  GtkWidget *child;

  g_return_val_if_fail (TEREN_IS_REPORT_PAGE (self), 0);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

const char *
teren_report_page_get_month_document (TerenReportPage *self)
{
  g_return_val_if_fail (TEREN_IS_REPORT_PAGE (self), NULL);

  return self->report != NULL ? month_document_for_line (self->report->line) : NULL;
}
