/* test-gui-lines.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "teren-date.h"
#include "teren-form.h"
#include "teren-bmi.h"
#include "teren-store-nomenclature.h"
#include "teren-form-rules.h"
#include "teren-gui-test-util.h"
#include "teren-indicators.h"
#include "teren-record-picker.h"
#include "teren-window.h"

/* The service lines through the window (issues 5 and 6): each line's case list, a case
 * opened and filled with the keyboard (focus moved with Tab, text typed into the focused
 * editable, buttons and entries activated as Enter does), the case's life-cycle timeline
 * and its sub-lists, the Due page and its badge, the monthly report, conditional fields
 * and computed values in forms. */

typedef struct
{
  TerenStore  *store;
  TerenWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->store = teren_gui_test_store_new ();
  fixture->window = teren_gui_test_window_new (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GList *l;

  for (l = toplevels; l != NULL; l = l->next)
    if (TEREN_IS_RECORD_PICKER (l->data))
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  teren_gui_test_assert_finalize (g_steal_pointer (&fixture->window));
  g_clear_object (&fixture->store);
}

/* Helpers */

static void
discard_dialogs (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GList *l;

  for (l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      adw_message_dialog_response (l->data, "discard");
  g_list_free (toplevels);
}

/* Cancel; Discard if it asks. */
static void
cancel_form (Fixture   *fixture,
             TerenForm *form)
{
  gtk_widget_activate_action (GTK_WIDGET (form), "form.cancel", NULL);
  discard_dialogs ();
  teren_gui_test_wait_form_gone (fixture->window);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

static TerenRecord *
store_person (Fixture    *fixture,
              const char *last_name,
              const char *first_name,
              const char *birth_date)
{
  g_autoptr(JsonObject) fields = json_object_new ();

  json_object_set_string_member (fields, "last_name", last_name);
  json_object_set_string_member (fields, "first_name", first_name);
  json_object_set_string_member (fields, "cnp_status", "missing");
  json_object_set_string_member (fields, "sex", "F");
  if (birth_date != NULL)
    json_object_set_string_member (fields, "birth_date", birth_date);
  return teren_gui_test_save_record (fixture->store, "person", "", fields);
}

static TerenRecord *
store_case (Fixture    *fixture,
            const char *line,
            TerenRecord *person,
            const char *number)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *today = teren_gui_test_iso_days_from_today (0);

  json_object_set_string_member (fields, "person", teren_record_get_id (person));
  json_object_set_string_member (fields, "number", number);
  json_object_set_string_member (fields, "opened_on", today);
  json_object_set_string_member (fields, "status", "open");
  json_object_set_string_member (fields, "case_manager", "Ionescu Maria");
  return teren_gui_test_save_record (fixture->store, "case", line, fields);
}

static gboolean
line_page_ready (gpointer data)
{
  return !teren_line_page_get_loading (data);
}

typedef struct
{
  TerenLinePage *page;
  guint          n;
} LineExpectation;

static gboolean
line_page_shows (gpointer data)
{
  LineExpectation *expect = data;

  return !teren_line_page_get_loading (expect->page) &&
         g_list_model_get_n_items (teren_line_page_get_model (expect->page)) == expect->n;
}

static gboolean
case_page_loaded (gpointer data)
{
  return !teren_case_page_get_loading (data) && teren_case_page_get_record (data) != NULL;
}

static TerenRecordPicker *
find_picker (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  TerenRecordPicker *picker = NULL;
  GList *l;

  for (l = toplevels; l != NULL; l = l->next)
    {
      if (TEREN_IS_RECORD_PICKER (l->data) && gtk_widget_get_visible (l->data))
        picker = l->data;
    }
  g_list_free (toplevels);
  return picker;
}

static gboolean
picker_shown (gpointer data)
{
  return find_picker () != NULL;
}

static gboolean
picker_has_one (gpointer data)
{
  return g_list_model_get_n_items (teren_record_picker_get_model (data)) == 1;
}

/* Chooses the reference of the focused field's Choose button by the keyboard: Enter,
 * type in the picker's search, Enter. */
static void
choose_by_keyboard (Fixture    *fixture,
                    const char *query)
{
  TerenRecordPicker *picker;
  GtkWidget *search;
  guint i;

  /* Tab onto the field's Choose… button, then Enter. */
  for (i = 0; i < 10 && !GTK_IS_BUTTON (teren_gui_test_focus (GTK_WINDOW (fixture->window))); i++)
    gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
  g_assert_true (GTK_IS_BUTTON (teren_gui_test_focus (GTK_WINDOW (fixture->window))));
  teren_gui_test_press_enter (GTK_WINDOW (fixture->window));
  /* A button activated by the keyboard shows itself pressed a moment before it clicks. */
  teren_gui_test_wait_until (picker_shown, NULL, "the record picker");
  picker = find_picker ();
  search = GTK_WIDGET (teren_record_picker_get_search (picker));
  gtk_widget_grab_focus (search);
  teren_gui_test_type_text (GTK_WINDOW (picker), query);
  teren_gui_test_wait_until (picker_has_one, picker, "the picker to find the person");
  teren_gui_test_press_enter (GTK_WINDOW (picker));
}

/* A yes/no by the keyboard: Tab to its switch, Space. */
static void
switch_on (Fixture    *fixture,
           TerenForm  *form,
           const char *key)
{
  TerenFieldRow *row = teren_form_get_field (form, key);
  GtkWidget *focus;
  guint i;

  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, key);
  for (i = 0; i < 5; i++)
    {
      focus = teren_gui_test_focus (GTK_WINDOW (fixture->window));
      if (GTK_IS_SWITCH (focus) || !gtk_widget_is_ancestor (focus, GTK_WIDGET (row)))
        break;
      gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
    }
  focus = teren_gui_test_focus (GTK_WINDOW (fixture->window));
  g_assert_true (GTK_IS_SWITCH (focus));
  g_assert_true (gtk_widget_activate (focus));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (focus)));
}

static void
type_field (Fixture    *fixture,
            TerenForm  *form,
            const char *key,
            const char *text)
{
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, key);
  teren_gui_test_type_text (GTK_WINDOW (fixture->window), text);
}

static void
assert_valid (TerenForm *form)
{
  if (!teren_form_validate (form))
    {
      g_autoptr(JsonObject) values = teren_form_collect (form);
      GList *members = json_object_get_members (values);
      GList *l;

      for (l = members; l != NULL; l = l->next)
        {
          TerenFieldRow *row = teren_form_get_field (form, l->data);

          if (row != NULL && teren_field_row_get_message_kind (row) == TEREN_FIELD_MESSAGE_ERROR)
            g_printerr ("%s: %s\n", (const char *)l->data, teren_field_row_get_message (row));
        }
      g_list_free (members);
      g_error ("The %s form does not validate", teren_form_get_kind (form));
    }
}

/* Fills the required fields of each line's file, by the keyboard. */
static void
fill_file_form (Fixture    *fixture,
                TerenForm  *form,
                const char *line)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) toddler = g_date_time_add_months (now, -18);
  g_autoptr(GDateTime) next_month = g_date_time_add_months (now, 1);
  g_autofree char *today = g_date_time_format (now, "%d.%m.%Y");
  g_autofree char *birth = g_date_time_format (toddler, "%d.%m.%Y");
  g_autofree char *first_of_next = g_date_time_format (next_month, "01.%m.%Y");

  if (g_str_equal (line, "child"))
    teren_gui_test_tick_first (GTK_WINDOW (fixture->window), form, "risk_situations");
  else if (g_str_equal (line, "creche"))
    {
      type_field (fixture, form, "birth_date", birth);
      type_field (fixture, form, "unit", "Creșa nr. 1");
      teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "programme", 1);
      type_field (fixture, form, "start_on", today);
    }
  else if (g_str_equal (line, "elderly"))
    type_field (fixture, form, "registered_on", today);
  else if (g_str_equal (line, "canteen"))
    {
      teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "category", 1);
      type_field (fixture, form, "requested_on", today);
      type_field (fixture, form, "household_size", "3");
      teren_gui_test_tick_first (GTK_WINDOW (fixture->window), form, "meals");
      type_field (fixture, form, "start_on", first_of_next);
    }
  else if (g_str_equal (line, "homeless"))
    teren_gui_test_tick_first (GTK_WINDOW (fixture->window), form, "reasons");
  else if (g_str_equal (line, "adult"))
    {
      type_field (fixture, form, "date", today);
      teren_gui_test_tick_first (GTK_WINDOW (fixture->window), form, "risks");
    }
  else if (g_str_equal (line, "community_health"))
    {
      teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "type", 1);
      teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "status", 1);
      type_field (fixture, form, "registered_on", today);
    }
  else if (g_str_equal (line, "disability"))
    {
      teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "degree", 1);
      type_field (fixture, form, "number", "451/2026");
      type_field (fixture, form, "valid_from", today);
      switch_on (fixture, form, "permanent");
    }
  assert_valid (form);
}

static gboolean
step_done (gpointer data)
{
  return !teren_case_page_get_loading (data) && teren_case_page_get_step_done (data, "file");
}

/* Each line: the line page lists its open cases; New Case opens the case form with the
 * line; filled with the keyboard and saved, the case is in the list with its status and
 * "no visit yet"; opened, its timeline says registration done and plan pending, and the
 * line's file step opens that line's form on the case. */

typedef struct
{
  const char *line;
  const char *file_kind;
} LineCase;

static const LineCase line_cases[] = {
  { "child", "child.case_profile" },
  { "creche", "creche.enrolment" },
  { "elderly", "elderly.registry_entry" },
  { "canteen", "canteen.beneficiary" },
  { "homeless", "homeless.profile" },
  { "adult", "adult.risk_assessment" },
  { "community_health", "community_health.beneficiary" },
  { "school_health", "school_health.pupil_record" },
  { "disability", "disability.certificate" },
};

static void
test_line_new_case (Fixture       *fixture,
                    gconstpointer  data)
{
  const LineCase *expect = data;
  g_autoptr(TerenRecord) person = store_person (fixture, "Vlăduț", "Ștefan", "2015-04-02");
  g_autoptr(TerenRecord) kase = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL;
  LineExpectation shows = { NULL, 1 };
  TerenLinePage *line_page;
  TerenCasePage *case_page;
  TerenForm *form;
  GtkWidget *focus;

  teren_window_select_line (fixture->window, expect->line);
  g_assert_cmpstr (teren_window_get_content_page (fixture->window), ==, "line-cases");
  line_page = teren_window_get_line_page (fixture->window);
  g_assert_cmpstr (teren_line_page_get_line (line_page), ==, expect->line);
  teren_gui_test_wait_until (line_page_ready, line_page, "the line's cases");
  g_assert_cmpuint (g_list_model_get_n_items (teren_line_page_get_model (line_page)), ==, 0);

  /* Ctrl+Alt+N on the line page. */
  gtk_widget_activate_action (GTK_WIDGET (line_page), "line.new-case", NULL);
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (teren_form_get_kind (form), ==, "case");
  g_assert_cmpstr (teren_form_get_line (form), ==, expect->line);

  /* The form starts at its first field, the beneficiary. */
  focus = teren_gui_test_focus (GTK_WINDOW (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (teren_form_get_field (form, "person"))));
  choose_by_keyboard (fixture, "vladut");
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "number");
  teren_gui_test_type_text (GTK_WINDOW (fixture->window), "77/2026");
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "case_manager");
  teren_gui_test_type_text (GTK_WINDOW (fixture->window), "Ionescu Maria");
  case_id = teren_gui_test_save_form (form);
  /* The new case's page takes the form's place. */
  g_assert_nonnull (teren_window_get_case_page (fixture->window));
  g_assert_cmpstr (teren_case_page_get_case_id (teren_window_get_case_page (fixture->window)), ==, case_id);

  kase = teren_store_get_record (fixture->store, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_line (kase), ==, expect->line);
  g_assert_cmpstr (teren_record_get_string (kase, "person"), ==, teren_record_get_id (person));
  g_assert_cmpstr (teren_record_get_string (kase, "number"), ==, "77/2026");
  g_assert_cmpstr (teren_record_get_string (kase, "status"), ==, "open");

  shows.page = line_page;
  teren_gui_test_wait_until (line_page_shows, &shows, "the new case in the line's list");
  g_assert_cmpstr (teren_line_page_get_row_title (line_page, 0), ==, "Vlăduț Ștefan — 77/2026");
  g_assert_true (g_str_has_prefix (teren_line_page_get_row_subtitle (line_page, 0), "Active"));
  g_assert_nonnull (strstr (teren_line_page_get_row_subtitle (line_page, 0), "No visit yet"));

  /* Back on the line's list, Enter on the row opens the case page. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back", NULL);
  g_assert_null (teren_window_get_case_page (fixture->window));
  g_signal_emit_by_name (teren_line_page_get_list_view (line_page), "activate", 0);
  case_page = teren_window_get_case_page (fixture->window);
  g_assert_nonnull (case_page);
  teren_gui_test_wait_until (case_page_loaded, case_page, "the case page");
  g_assert_true (teren_case_page_get_step_done (case_page, "registration"));
  g_assert_false (teren_case_page_get_step_done (case_page, "plan"));
  g_assert_false (teren_case_page_get_step_done (case_page, "closure"));

  teren_case_page_activate_step (case_page, "file");
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (teren_form_get_kind (form), ==, expect->file_kind);
  g_assert_cmpstr (teren_form_get_line (form), ==, expect->line);
  {
    g_autoptr(JsonObject) values = teren_form_collect (form);

    if (json_object_has_member (values, "case"))
      g_assert_cmpstr (json_object_get_string_member (values, "case"), ==, case_id);
    g_assert_cmpstr (json_object_get_string_member (values, "person"), ==, teren_record_get_id (person));
  }

  /* The line's own file, filled by the keyboard and saved: the step is done. */
  fill_file_form (fixture, form, expect->line);
  g_free (teren_gui_test_save_form (form));
  teren_gui_test_wait_form_gone (fixture->window);
  g_assert_true (teren_window_get_case_page (fixture->window) == case_page);
  teren_gui_test_wait_until (step_done, case_page, "the line's file step done");
  g_assert_cmpuint (teren_store_count (fixture->store, expect->file_kind), ==, 1);
}

/* The line list filters by status and worker, and searches the persons. */
static void
test_line_filters (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TerenRecord) ana = store_person (fixture, "Popa", "Ana", NULL);
  g_autoptr(TerenRecord) ion = store_person (fixture, "Dinu", "Ion", NULL);
  g_autoptr(TerenRecord) case1 = store_case (fixture, "elderly", ana, "1/2026");
  g_autoptr(TerenRecord) case2 = store_case (fixture, "elderly", ion, "2/2026");
  g_autoptr(TerenRecord) other = store_case (fixture, "child", ion, "3/2026");
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) changed = NULL;
  g_autoptr(GError) error = NULL;
  LineExpectation shows = { NULL, 2 };

  /* The second case belongs to another worker. */
  json_object_set_string_member (fields, "case_manager", "Radu Elena");
  changed = teren_store_save (fixture->store, "case", "elderly", teren_record_get_id (case2), fields,
                              NULL, NULL, &error);
  g_assert_no_error (error);

  teren_window_select_line (fixture->window, "elderly");
  shows.page = teren_window_get_line_page (fixture->window);
  teren_gui_test_wait_until (line_page_shows, &shows, "the two elderly cases");

  teren_line_page_set_worker (shows.page, "Radu Elena");
  shows.n = 1;
  teren_gui_test_wait_until (line_page_shows, &shows, "Radu Elena's case");
  g_assert_cmpstr (teren_line_page_get_row_title (shows.page, 0), ==, "Dinu Ion — 2/2026");
  teren_line_page_set_worker (shows.page, NULL);

  gtk_editable_set_text (GTK_EDITABLE (teren_line_page_get_search_entry (shows.page)), "popa");
  teren_gui_test_wait_until (line_page_shows, &shows, "the search");
  g_assert_cmpstr (teren_line_page_get_row_title (shows.page, 0), ==, "Popa Ana — 1/2026");
  gtk_editable_set_text (GTK_EDITABLE (teren_line_page_get_search_entry (shows.page)), "");

  teren_line_page_set_status (shows.page, "closed");
  shows.n = 0;
  teren_gui_test_wait_until (line_page_shows, &shows, "no closed case");
}

/* A plan's objectives are listed on the case page with Add; the form of a new objective
 * has its plan, and saved it shows under the plan. */
static void
test_case_sub_list (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Popa", "Ana", NULL);
  g_autoptr(TerenRecord) kase = store_case (fixture, "adult", person, "5/2026");
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) plan = NULL;
  g_autofree char *today = teren_gui_test_iso_days_from_today (0);
  g_autofree char *review = teren_gui_test_iso_days_from_today (30);
  g_autofree char *item_id = NULL;
  TerenCasePage *page;
  TerenForm *form;
  GPtrArray *rows;

  json_object_set_string_member (fields, "case", teren_record_get_id (kase));
  json_object_set_string_member (fields, "type", "intervention");
  json_object_set_string_member (fields, "start_on", today);
  json_object_set_string_member (fields, "review_on", review);
  plan = teren_gui_test_save_record (fixture->store, "plan", "adult", fields);

  page = teren_window_open_case (fixture->window, teren_record_get_id (kase));
  teren_gui_test_wait_until (case_page_loaded, page, "the case page");
  g_assert_true (teren_case_page_get_step_done (page, "plan"));
  rows = teren_case_page_get_row_ids (page, teren_record_get_id (plan), "plan_item");
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, 0);

  /* Activating the plan step opens the plan itself. */
  teren_case_page_activate_step (page, "plan");
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_true (teren_form_get_record (form) != NULL);
  g_assert_cmpstr (teren_record_get_id (teren_form_get_record (form)), ==, teren_record_get_id (plan));
  cancel_form (fixture, form);

  g_signal_emit_by_name (page, "new-record", "plan_item", "adult", "plan", teren_record_get_id (plan), NULL, NULL);
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (teren_form_get_kind (form), ==, "plan_item");
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "objective");
  teren_gui_test_type_text (GTK_WINDOW (fixture->window), "Acte de identitate");
  item_id = teren_gui_test_save_form (form);

  teren_gui_test_wait_until (case_page_loaded, page, "the case page again");
  {
    guint i;

    for (i = 0; i < 200; i++)
      {
        rows = teren_case_page_get_row_ids (page, teren_record_get_id (plan), "plan_item");
        if (rows != NULL && rows->len == 1 && !teren_case_page_get_loading (page))
          break;
        teren_gui_test_spin (50);
      }
  }
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, item_id);
}

/* A catagrafie's disability rows are listed only when it says the person has
 * disabilities; its disease rows only when it says there are health problems. */
static void
test_catagrafie_sub_lists (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Popa", "Ana", "1950-02-03");
  g_autoptr(TerenRecord) kase = store_case (fixture, "community_health", person, "8/2026");
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) catagrafie = NULL;
  g_autofree char *today = teren_gui_test_iso_days_from_today (0);
  const char *id;
  TerenCasePage *page;
  TerenForm *form;

  json_object_set_string_member (fields, "person", teren_record_get_id (person));
  json_object_set_string_member (fields, "evaluation_date", today);
  json_object_set_boolean_member (fields, "has_disabilities", TRUE);
  json_object_set_boolean_member (fields, "has_health_issues", FALSE);
  catagrafie = teren_gui_test_save_record (fixture->store, "community_health.catagrafie", "community_health",
                                           fields);
  id = teren_record_get_id (catagrafie);

  page = teren_window_open_case (fixture->window, teren_record_get_id (kase));
  teren_gui_test_wait_until (case_page_loaded, page, "the case page");
  g_assert_true (teren_case_page_get_step_done (page, "assessment"));
  g_assert_nonnull (teren_case_page_get_row_ids (page, id, "community_health.disability"));
  g_assert_null (teren_case_page_get_row_ids (page, id, "community_health.disease"));

  /* Add on the disabilities: the row's form comes with its catagrafie and person. */
  g_signal_emit_by_name (page, "new-record", "community_health.disability", "community_health",
                         "catagrafie", id, "person", teren_record_get_id (person));
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  {
    g_autoptr(JsonObject) values = teren_form_collect (form);

    g_assert_cmpstr (json_object_get_string_member (values, "catagrafie"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (values, "person"), ==, teren_record_get_id (person));
  }
  cancel_form (fixture, form);

  /* A new catagrafie is the next version of this one, its answers prefilled. */
  teren_case_page_add_step (page, "assessment");
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (teren_form_get_kind (form), ==, "community_health.catagrafie");
  g_assert_null (teren_form_get_record (form));
  {
    g_autoptr(JsonObject) values = teren_form_collect (form);

    g_assert_cmpstr (json_object_get_string_member (values, "previous"), ==, id);
    g_assert_cmpint (json_object_get_int_member (values, "version"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (values, "person"), ==, teren_record_get_id (person));
    g_assert_true (json_object_get_boolean_member (values, "has_disabilities"));
    g_assert_cmpstr (json_object_get_string_member (values, "cat_age"), ==, "VCV_06");
  }
  cancel_form (fixture, form);
}

/* Due: a plan whose review date has passed is overdue; the sidebar badge says how many;
 * filters by line; Enter on it opens the plan. */
static gboolean
due_page_has_overdue (gpointer data)
{
  return !teren_due_page_get_loading (data) && teren_due_page_get_n_overdue (data) >= 1;
}

static gboolean
strv_contains_prefix (GPtrArray  *lines,
                      const char *prefix)
{
  guint i;

  for (i = 0; i < lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (lines, i), prefix))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_special_row (GtkWidget  *widget,
                  const char *special)
{
  GtkWidget *child;

  if (GTK_IS_LIST_BOX_ROW (widget) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "teren-special"), special) == 0)
    return widget;
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_special_row (child, special);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_count_label (GtkWidget *widget)
{
  GtkWidget *child;

  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "teren-count"))
    return widget;
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_count_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_due_overdue (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Popa", "Ana", NULL);
  g_autoptr(TerenRecord) kase = store_case (fixture, "child", person, "9/2026");
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) plan = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *today = teren_gui_test_iso_days_from_today (0);
  g_autofree char *review = teren_gui_test_iso_days_from_today (2);
  TerenDuePage *page;
  TerenForm *form;
  GDate later;
  GtkWidget *row;
  guint i;

  json_object_set_string_member (fields, "case", teren_record_get_id (kase));
  json_object_set_string_member (fields, "type", "services");
  json_object_set_string_member (fields, "start_on", today);
  json_object_set_string_member (fields, "review_on", review);
  plan = teren_gui_test_save_record (fixture->store, "plan", "child", fields);

  teren_window_show_special (fixture->window, "due");
  g_assert_cmpstr (teren_window_get_content_page (fixture->window), ==, "due");
  page = teren_window_get_due_page (fixture->window);

  /* Ten days on, the review (due in two days) is overdue. */
  teren_date_today (&later);
  g_date_add_days (&later, 10);
  teren_due_page_set_today (page, &later);
  teren_gui_test_wait_until (due_page_has_overdue, page, "the overdue review");
  g_assert_cmpuint (teren_window_get_n_overdue (fixture->window), ==, teren_due_page_get_n_overdue (page));

  lines = teren_due_page_dump (page);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "# Overdue");
  g_assert_true (strv_contains_prefix (lines, "Review of the plan: Popa Ana"));
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* The badge is text: the count shown beside "Due". */
  row = find_special_row (GTK_WIDGET (fixture->window), "due");
  g_assert_nonnull (row);
  {
    GtkWidget *badge = find_count_label (row);
    g_autofree char *count = g_strdup_printf ("%u", teren_due_page_get_n_overdue (page));

    g_assert_nonnull (badge);
    g_assert_true (gtk_widget_get_visible (badge));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, count);
  }

  teren_due_page_set_line (page, "elderly");
  lines = teren_due_page_dump (page);
  g_assert_cmpuint (lines->len, ==, 0);
  g_clear_pointer (&lines, g_ptr_array_unref);
  teren_due_page_set_line (page, "child");
  lines = teren_due_page_dump (page);
  g_assert_true (strv_contains_prefix (lines, "Review of the plan: Popa Ana"));

  teren_due_page_activate_item (page, 0);
  for (i = 0; i < 200 && teren_window_get_form (fixture->window) == NULL; i++)
    teren_gui_test_spin (20);
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (teren_form_get_kind (form), ==, "plan");
  gtk_widget_activate_action (GTK_WIDGET (form), "form.cancel", NULL);
}

/* Report: the figures of the month for a line, a bad month said clearly, CSV export. */
static gboolean
report_ready (gpointer data)
{
  return !teren_report_page_get_loading (data);
}

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (teren_report_page_export_finish (TEREN_REPORT_PAGE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *)user_data = TRUE;
}

static void
test_report_month (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TerenRecord) ana = store_person (fixture, "Popa", "Ana", NULL);
  g_autoptr(TerenRecord) ion = store_person (fixture, "Dinu", "Ion", NULL);
  g_autoptr(TerenRecord) case1 = store_case (fixture, "child", ana, "1/2026");
  g_autoptr(TerenRecord) case2 = store_case (fixture, "child", ion, "2/2026");
  g_autoptr(TerenRecord) case3 = store_case (fixture, "elderly", ion, "3/2026");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *month = g_date_time_format (now, "%Y-%m");
  g_autofree char *dir = g_dir_make_tmp ("teren-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "raport.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  TerenReportPage *page;
  TerenIndicatorTable *table;
  const char * const *codes;
  gboolean exported = FALSE;
  double value = -1;

  teren_window_show_special (fixture->window, "report");
  g_assert_cmpstr (teren_window_get_content_page (fixture->window), ==, "report");
  page = teren_window_get_report_page (fixture->window);
  teren_report_page_set_line (page, "child");
  teren_report_page_set_month (page, month);
  teren_gui_test_wait_until (report_ready, page, "the child report");
  g_assert_null (teren_report_page_get_error (page));
  g_assert_true (teren_report_page_get_figure (page, "new_cases", &value));
  g_assert_cmpfloat (value, ==, 2);
  g_assert_true (teren_report_page_get_figure (page, "open_cases", &value));
  g_assert_cmpfloat (value, ==, 2);
  g_assert_cmpuint (teren_report_page_get_n_rows (page), >=, 5);

  teren_report_page_set_line (page, "elderly");
  teren_gui_test_wait_until (report_ready, page, "the elderly report");
  g_assert_true (teren_report_page_get_figure (page, "new_cases", &value));
  g_assert_cmpfloat (value, ==, 1);

  teren_report_page_export_async (page, file, "csv", NULL, on_exported_cb, &exported);
  teren_gui_test_wait_until (flag_is_set, &exported, "the CSV file");
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbf"));
  g_assert_nonnull (strstr (contents, "new_cases"));
  g_assert_nonnull (strstr (contents, "elderly"));
  g_unlink (path);
  g_rmdir (dir);

  /* A month that does not exist: said under the month, no figures. */
  teren_report_page_set_month (page, "2026-13");
  g_assert_nonnull (teren_report_page_get_error (page));
  g_assert_false (teren_report_page_get_figure (page, "new_cases", NULL));
  g_assert_cmpuint (teren_report_page_get_n_rows (page), ==, 0);
  g_assert_null (teren_report_page_get_month_document (page));

  /* The lines with an official month document can print it (issue 7). */
  teren_report_page_set_month (page, month);
  teren_gui_test_wait_until (report_ready, page, "the elderly report again");
  g_assert_null (teren_report_page_get_month_document (page));
  teren_report_page_set_line (page, "canteen");
  teren_gui_test_wait_until (report_ready, page, "the canteen report");
  g_assert_cmpstr (teren_report_page_get_month_document (page), ==, "canteen-list");
  teren_report_page_set_line (page, "community_health");
  teren_gui_test_wait_until (report_ready, page, "the community-health report");
  g_assert_cmpstr (teren_report_page_get_month_document (page), ==, "chc-report");

  /* Its G, P and C indicators are a table by age category and sex, not list rows. */
  table = teren_report_page_get_indicator_table (page);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (table)));
  codes = teren_indicators_list_codes ();
  g_assert_cmpuint (teren_indicator_table_get_n_rows (table), ==, g_strv_length ((char **) codes));
  g_assert_cmpstr (teren_indicator_table_get_cell (table, codes[0], "total"), ==, "0");
  g_assert_cmpstr (teren_indicator_table_get_cell (table, codes[0], "VCV_05"), ==, "0");
  g_assert_cmpstr (teren_indicator_table_get_cell (table, codes[0], "F"), ==, "0");
  g_assert_null (teren_indicator_table_get_cell (table, codes[0], "nonsense"));
  g_assert_false (teren_report_page_get_figure (page, "nonsense", NULL));
  g_assert_cmpuint (teren_report_page_get_n_rows (page), <, 40);

  teren_report_page_set_line (page, "canteen");
  teren_gui_test_wait_until (report_ready, page, "the canteen report again");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (table)));
  g_assert_cmpuint (teren_indicator_table_get_n_rows (table), ==, 0);
}

/* Conditional fields: shown only when another answer makes them apply; hidden ones are
 * not saved. */
static gboolean
row_visible (TerenForm  *form,
             const char *key)
{
  TerenFieldRow *row = teren_form_get_field (form, key);

  g_assert_nonnull (row);
  return gtk_widget_get_visible (GTK_WIDGET (row));
}

static void
test_conditional_fields (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Popa", "Ana", "1990-01-01");
  g_autoptr(TerenRecord) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = teren_gui_test_iso_days_from_today (0);
  g_autofree char *id = NULL;
  TerenForm *form;

  form = teren_window_open_form (fixture->window, "community_health.beneficiary", "community_health", NULL);
  g_assert_false (row_visible (form, "inactivation_reason"));
  g_assert_false (row_visible (form, "removal_reason"));
  teren_form_set_string (form, "status", "inactive");
  g_assert_true (row_visible (form, "inactivation_reason"));
  g_assert_false (row_visible (form, "removal_reason"));
  teren_form_set_string (form, "inactivation_reason", "no_needs");
  teren_form_set_string (form, "status", "removed");
  g_assert_false (row_visible (form, "inactivation_reason"));
  g_assert_true (row_visible (form, "removal_reason"));
  teren_form_set_string (form, "status", "active");
  g_assert_false (row_visible (form, "inactivation_reason"));
  g_assert_false (row_visible (form, "removal_reason"));

  /* The reason typed while it applied is not saved now that it does not. */
  teren_form_set_string (form, "person", teren_record_get_id (person));
  teren_form_set_string (form, "type", "regular");
  teren_form_set_string (form, "registered_on", today);
  id = teren_gui_test_save_form (form);
  teren_gui_test_wait_form_gone (fixture->window);
  saved = teren_store_get_record (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (saved, "status"), ==, "active");
  g_assert_null (teren_record_get_string (saved, "inactivation_reason"));

  form = teren_window_open_form (fixture->window, "community_health.catagrafie", "community_health", NULL);
  g_assert_false (row_visible (form, "cat_preg"));
  teren_form_set_string (form, "cat_rep", "VGR_01");
  g_assert_true (row_visible (form, "cat_preg"));
  teren_form_set_string (form, "cat_rep", "VGR_02");
  g_assert_false (row_visible (form, "cat_preg"));
  cancel_form (fixture, form);

  form = teren_window_open_form (fixture->window, "referral", "child", NULL);
  g_assert_false (row_visible (form, "answer_reason"));
  teren_form_set_string (form, "status", "declined");
  g_assert_true (row_visible (form, "answer_reason"));
  teren_form_set_string (form, "status", "accepted");
  g_assert_false (row_visible (form, "answer_reason"));
}

/* Computed values, typed with the keyboard: the crèche group from the birth date, the
 * late notice of parents leaving, the BMI of a screening. */
static void
test_computed_values (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) values = NULL;
  GDateTime *now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) birth = g_date_time_add_months (now, -18);
  g_autoptr(GDateTime) notified = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) departure = g_date_time_add_days (now, 10);
  g_autofree char *birth_text = g_date_time_format (birth, "%d.%m.%Y");
  g_autofree char *notified_text = g_date_time_format (notified, "%d.%m.%Y");
  g_autofree char *departure_text = g_date_time_format (departure, "%d.%m.%Y");
  TerenForm *form;

  g_date_time_unref (now);

  form = teren_window_open_form (fixture->window, "creche.enrolment", "creche", NULL);
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "birth_date");
  teren_gui_test_type_text (GTK_WINDOW (fixture->window), birth_text);
  values = teren_form_collect (form);
  g_assert_cmpstr (json_object_get_string_member (values, "group"), ==, "middle");
  g_clear_pointer (&values, json_object_unref);
  teren_form_set_string (form, "birth_date", NULL);
  cancel_form (fixture, form);

  form = teren_window_open_form (fixture->window, "child.parents_abroad", "child", NULL);
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "notified_on");
  teren_gui_test_type_text (GTK_WINDOW (fixture->window), notified_text);
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "departure_on");
  teren_gui_test_type_text (GTK_WINDOW (fixture->window), departure_text);
  values = teren_form_collect (form);
  g_assert_true (json_object_get_boolean_member (values, "late_notice"));
  g_clear_pointer (&values, json_object_unref);
  cancel_form (fixture, form);

  form = teren_window_open_form (fixture->window, "school_health.screening", "school_health", NULL);
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "height");
  teren_gui_test_type_text (GTK_WINDOW (fixture->window), "150");
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "weight");
  teren_gui_test_type_text (GTK_WINDOW (fixture->window), "45");
  values = teren_form_collect (form);
  g_assert_true (json_object_has_member (values, "bmi"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (values, "bmi"), 20.0, 0.05);
}

/* The BMI-for-age class of a screening when the admin imported the WHO table (pulled into
 * the store as the who_bmi_for_age list): computed from the pupil's sex and age in
 * months; without the table the class is left as typed. */
static void
on_rules_data_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TerenFormRulesData **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = teren_form_rules_load_data_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
pointer_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static TerenFormRulesData *
load_rules_data (Fixture    *fixture,
                 const char *key)
{
  TerenFormRulesData *data = NULL;

  teren_form_rules_load_data_async (fixture->store, key, NULL, on_rules_data_cb, &data);
  teren_gui_test_wait_until (pointer_is_set, &data, "the form's store data");
  return data;
}

static JsonObject *
screening_values (const char *pupil,
                  const char *date,
                  double      weight)
{
  JsonObject *values = json_object_new ();

  json_object_set_string_member (values, "person", pupil);
  json_object_set_string_member (values, "date", date);
  json_object_set_double_member (values, "height", 150);
  json_object_set_double_member (values, "weight", weight);
  json_object_set_string_member (values, "bmi_class", "normal");
  return values;
}

static void
test_bmi_class (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) birth = g_date_time_add_months (now, -130);
  g_autofree char *birth_iso = g_date_time_format (birth, "%Y-%m-%d");
  g_autofree char *today_iso = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) pupil = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *months = NULL;
  TerenFormRulesData *rules_data;
  JsonObject *row;
  GDate birth_date, today;

  json_object_set_string_member (fields, "last_name", "Vlad");
  json_object_set_string_member (fields, "first_name", "Ioana");
  json_object_set_string_member (fields, "sex", "F");
  json_object_set_string_member (fields, "birth_date", birth_iso);
  json_object_set_string_member (fields, "cnp_status", "missing");
  pupil = teren_store_save (fixture->store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);

  /* No table: the BMI is computed, the class stays as typed. */
  values = screening_values (teren_record_get_id (pupil), today_iso, 45);
  key = teren_form_rules_data_key ("school_health.screening", values);
  g_assert_nonnull (key);
  rules_data = load_rules_data (fixture, key);
  g_date_set_time_t (&today, time (NULL));
  changed = teren_form_rules_compute_with_data ("school_health.screening", values, &today, rules_data);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (values, "bmi"), 20.0, 0.05);
  g_assert_cmpstr (json_object_get_string_member (values, "bmi_class"), ==, "normal");
  teren_form_rules_data_free (rules_data);
  g_clear_pointer (&changed, g_ptr_array_unref);
  g_clear_pointer (&values, json_object_unref);

  /* The WHO row of a girl of her age in months. */
  g_assert_true (teren_date_parse (birth_iso, &birth_date));
  months = g_strdup_printf ("%d", teren_age_months (&birth_date, &today));
  row = json_object_new ();
  json_object_set_string_member (row, "kind", "who_bmi_for_age");
  json_object_set_string_member (row, "code", "F-130");
  json_object_set_int_member (row, "seq", 1);
  json_object_set_boolean_member (row, "deleted", FALSE);
  json_object_set_string_member (row, "name", "F 130");
  json_object_set_string_member (row, "sex", "F");
  json_object_set_string_member (row, "age_months", months);
  json_object_set_string_member (row, "p5", "14.0");
  json_object_set_string_member (row, "p85", "21.0");
  json_object_set_string_member (row, "p95", "23.0");
  json_array_add_object_element (items, row);
  g_assert_true (teren_store_nomenclature_apply (fixture->store, items, NULL, &error));
  g_assert_no_error (error);

  values = screening_values (teren_record_get_id (pupil), today_iso, 45);
  rules_data = load_rules_data (fixture, key);
  changed = teren_form_rules_compute_with_data ("school_health.screening", values, &today, rules_data);
  g_assert_cmpstr (json_object_get_string_member (values, "bmi_class"), ==, "normal");
  g_clear_pointer (&changed, g_ptr_array_unref);
  json_object_set_double_member (values, "weight", 55);
  changed = teren_form_rules_compute_with_data ("school_health.screening", values, &today, rules_data);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (values, "bmi"), 24.4, 0.05);
  g_assert_cmpstr (json_object_get_string_member (values, "bmi_class"), ==, "obese");
  g_assert_true (g_ptr_array_find_with_equal_func (changed, "bmi_class", g_str_equal, NULL));
  teren_form_rules_data_free (rules_data);
}

/* Each page alone: created, shown, destroyed, finalized (no reference left behind by
 * its work on the store's worker). */
static gboolean
page_idle (gpointer data)
{
  gboolean loading = FALSE;

  g_object_get (data, "loading", &loading, NULL);
  return !loading;
}

static void
test_pages_finalize (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Popa", "Ana", NULL);
  g_autoptr(TerenRecord) kase = store_case (fixture, "child", person, "4/2026");
  GtkWidget *pages[4];
  guint i;

  pages[0] = GTK_WIDGET (teren_line_page_new (fixture->store));
  teren_line_page_set_line (TEREN_LINE_PAGE (pages[0]), "child");
  pages[1] = GTK_WIDGET (teren_case_page_new (fixture->store, teren_record_get_id (kase)));
  pages[2] = GTK_WIDGET (teren_due_page_new (fixture->store));
  pages[3] = GTK_WIDGET (teren_report_page_new (fixture->store));

  for (i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *window = gtk_window_new ();

      g_object_ref_sink (pages[i]);
      gtk_window_set_child (GTK_WINDOW (window), pages[i]);
      gtk_window_present (GTK_WINDOW (window));
      teren_gui_test_wait_until (page_idle, pages[i], "the page's first load");
      gtk_window_destroy (GTK_WINDOW (window));
      teren_gui_test_assert_finalize (pages[i]);
    }
}

/* Built four times (TEREN_LINES_GROUP 1–4) so that each program stays short under the
 * sanitizers: three lines' cases in each of the first three, then the filters and the
 * pages. */
#ifndef TEREN_LINES_GROUP
#define TEREN_LINES_GROUP 1
#endif

int
main (int   argc,
      char *argv[])
{
  guint first = MIN ((TEREN_LINES_GROUP - 1) * 3, G_N_ELEMENTS (line_cases));
  guint last = TEREN_LINES_GROUP <= 3 ? MIN (first + 3, G_N_ELEMENTS (line_cases)) : first;
  guint i;

  teren_gui_test_init (&argc, &argv);
  /* Pages pushed while the previous one still slides away stay under the new one
   * (teren-window.c removes them when the transition ends): no animations here. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  for (i = first; i < last; i++)
    {
      g_autofree char *path = g_strdup_printf ("/gui/lines/new-case/%s", line_cases[i].line);

      g_test_add (path, Fixture, &line_cases[i], fixture_set_up, test_line_new_case, fixture_tear_down);
    }
  if (TEREN_LINES_GROUP == 4)
    {
      g_test_add ("/gui/lines/filters", Fixture, NULL, fixture_set_up, test_line_filters, fixture_tear_down);
      g_test_add ("/gui/lines/pages-finalize", Fixture, NULL, fixture_set_up, test_pages_finalize, fixture_tear_down);
      g_test_add ("/gui/lines/case-sub-list", Fixture, NULL, fixture_set_up, test_case_sub_list, fixture_tear_down);
      g_test_add ("/gui/lines/catagrafie-sub-lists", Fixture, NULL, fixture_set_up, test_catagrafie_sub_lists, fixture_tear_down);
      g_test_add ("/gui/lines/due-overdue", Fixture, NULL, fixture_set_up, test_due_overdue, fixture_tear_down);
      g_test_add ("/gui/lines/report-month", Fixture, NULL, fixture_set_up, test_report_month, fixture_tear_down);
      g_test_add ("/gui/lines/conditional-fields", Fixture, NULL, fixture_set_up, test_conditional_fields, fixture_tear_down);
      g_test_add ("/gui/lines/computed-values", Fixture, NULL, fixture_set_up, test_computed_values, fixture_tear_down);
      g_test_add ("/gui/lines/bmi-class", Fixture, NULL, fixture_set_up, test_bmi_class, fixture_tear_down);
    }

  return g_test_run ();
}
