/* test-gui-lines-5.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-date.h"
#include "teren-form.h"
#include "teren-choice-picker.h"
#include "teren-gui-test-util.h"
#include "teren-line-page.h"
#include "teren-preferences-window.h"
#include "teren-record-picker.h"
#include "teren-triage-page.h"
#include "teren-window.h"

/* The service lines, continued (issues 5 and 6), by the keyboard only: the canteen file's
 * income per member, free meals and contribution computed with the directorate's settings
 * (Preferences), the crèche contribution from the rule table, a referral received from
 * another line accepted or declined with the reason, a referral to its own line refused
 * at the field, the epidemiological triage of a whole class on one screen, the service
 * catalogue searched as you type. */

#define APP_ID "ro.daps.Teren"

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
    if (TEREN_IS_RECORD_PICKER (l->data) || TEREN_IS_PREFERENCES_WINDOW (l->data))
      gtk_window_destroy (l->data);
  g_list_free (toplevels);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  teren_gui_test_assert_finalize (g_steal_pointer (&fixture->window));
  g_clear_object (&fixture->store);
}

/* Keyboard */

/* Ctrl+A, Delete in the focused editable, then types @text. */
static void
retype_text (GtkWindow  *window,
             const char *text)
{
  GtkWidget *focus = teren_gui_test_focus (window);

  /* A long text: its buffer, at the cursor. */
  if (GTK_IS_TEXT_VIEW (focus))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus));

      gtk_text_buffer_set_text (buffer, "", -1);
      gtk_text_buffer_insert_at_cursor (buffer, text, -1);
      return;
    }
  g_assert_true (GTK_IS_EDITABLE (focus));
  gtk_editable_delete_text (GTK_EDITABLE (focus), 0, -1);
  teren_gui_test_type_text (window, text);
}

static void
type_field (Fixture    *fixture,
            TerenForm  *form,
            const char *key,
            const char *text)
{
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, key);
  retype_text (GTK_WINDOW (fixture->window), text);
}

/* Saving */

/* Ctrl+S, then waits until the window has dropped the form. Returns the saved id. */
static char *
save_form (Fixture   *fixture,
           TerenForm *form)
{
  char *id = teren_gui_test_save_form (form);

  teren_gui_test_wait_form_gone (fixture->window);
  return id;
}

static TerenRecord *
save_record (Fixture    *fixture,
             const char *kind,
             const char *line,
             const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  return teren_gui_test_save_record (fixture->store, kind, line, json_node_get_object (node));
}

static TerenRecord *
store_person (Fixture    *fixture,
              const char *last_name,
              const char *first_name)
{
  g_autofree char *json = g_strdup_printf ("{\"last_name\":\"%s\",\"first_name\":\"%s\",\"cnp_status\":\"missing\","
                                           "\"sex\":\"F\",\"birth_date\":\"2015-04-02\"}", last_name, first_name);

  return save_record (fixture, "person", "", json);
}

static double
number_of (JsonObject *values,
           const char *key)
{
  JsonNode *node = json_object_get_member (values, key);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  return json_node_get_double (node);
}

static gboolean
boolean_of (JsonObject *values,
            const char *key)
{
  JsonNode *node = json_object_get_member (values, key);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  return json_node_get_boolean (node);
}

/* ---- Canteen: income per member, free, contribution ------------------------------- */

/* The spin buttons of the canteen settings (the only ones with two decimals). */
static GtkSpinButton *
canteen_spin (GtkWidget *widget,
              double     upper)
{
  GtkWidget *child;

  if (GTK_IS_SPIN_BUTTON (widget) && gtk_spin_button_get_digits (GTK_SPIN_BUTTON (widget)) == 2 &&
      gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (widget))) == upper)
    return GTK_SPIN_BUTTON (widget);
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkSpinButton *found = canteen_spin (child, upper);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Types @value into the spin button by the keyboard and presses Enter. */
static void
type_spin (GtkWindow     *window,
           GtkSpinButton *spin,
           const char    *value)
{
  teren_gui_test_tab_to (window, GTK_WIDGET (spin));
  retype_text (window, value);
  teren_gui_test_press_enter (window);
}

static void
test_canteen_computed (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TerenRecord) person = store_person (fixture, "Stan", "Elena");
  g_autoptr(TerenRecord) saved = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%d.%m.%Y");
  g_autofree char *id = NULL;
  TerenPreferencesWindow *preferences;
  TerenForm *form;

  /* The directorate's values, typed in Preferences. */
  preferences = teren_preferences_window_new (GTK_WINDOW (fixture->window), settings);
  gtk_window_present (GTK_WINDOW (preferences));
  type_spin (GTK_WINDOW (preferences), canteen_spin (GTK_WIDGET (preferences), 100000), "300");
  type_spin (GTK_WINDOW (preferences), canteen_spin (GTK_WIDGET (preferences), 10000), "20");
  g_assert_cmpfloat (g_settings_get_double (settings, "canteen-threshold"), ==, 300);
  g_assert_cmpfloat (g_settings_get_double (settings, "canteen-meal-cost"), ==, 20);
  gtk_window_destroy (GTK_WINDOW (preferences));

  form = teren_window_open_form (fixture->window, "canteen.beneficiary", "canteen", NULL);
  teren_form_set_string (form, "person", teren_record_get_id (person));
  /* February 2027: 28 days of meals cap the contribution at 20 × 28 = 560 lei. */
  type_field (fixture, form, "start_on", "01.02.2027");
  type_field (fixture, form, "household_size", "3");
  type_field (fixture, form, "income_total", "600");
  values = teren_form_collect (form);
  g_assert_false (json_object_has_member (values, "meal_cost") &&
                  !json_object_get_null_member (values, "meal_cost"));
  g_assert_cmpfloat (number_of (values, "income_per_member"), ==, 200);
  g_assert_true (boolean_of (values, "free"));
  g_assert_cmpfloat (number_of (values, "contribution"), ==, 0);
  g_clear_pointer (&values, json_object_unref);

  /* Exactly the threshold per member: paid, 30 %. */
  type_field (fixture, form, "income_total", "900");
  values = teren_form_collect (form);
  g_assert_cmpfloat (number_of (values, "income_per_member"), ==, 300);
  g_assert_false (boolean_of (values, "free"));
  g_assert_cmpfloat (number_of (values, "contribution"), ==, 90);
  g_clear_pointer (&values, json_object_unref);

  /* A high income: capped at the month's meals. */
  type_field (fixture, form, "income_total", "9000");
  values = teren_form_collect (form);
  g_assert_cmpfloat (number_of (values, "contribution"), ==, 560);
  g_clear_pointer (&values, json_object_unref);

  /* The file's own daily cost wins over the setting. */
  type_field (fixture, form, "meal_cost", "15");
  values = teren_form_collect (form);
  g_assert_cmpfloat (number_of (values, "contribution"), ==, 420);
  g_clear_pointer (&values, json_object_unref);

  /* The rest of the file, then Ctrl+S: the computed values are saved. */
  teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "category", 3);
  type_field (fixture, form, "requested_on", today);
  teren_gui_test_tick_first (GTK_WINDOW (fixture->window), form, "meals");
  id = save_form (fixture, form);
  saved = teren_store_get_record (fixture->store, id, NULL);
  g_assert_nonnull (saved);
  values = json_object_ref (teren_record_get_fields (saved));
  g_assert_cmpfloat (number_of (values, "income_per_member"), ==, 3000);
  g_assert_false (boolean_of (values, "free"));
  g_assert_cmpfloat (number_of (values, "contribution"), ==, 420);
  g_assert_cmpfloat (number_of (values, "meal_cost"), ==, 15);

  g_settings_reset (settings, "canteen-threshold");
  g_settings_reset (settings, "canteen-meal-cost");
}

/* ---- Crèche: the contribution from the rule table ---------------------------------- */

static gboolean
amount_is (gpointer data)
{
  TerenForm *form = data;
  g_autoptr(JsonObject) values = teren_form_collect (form);
  JsonNode *node = json_object_get_member (values, "amount");

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_double (node) == GPOINTER_TO_INT (g_object_get_data (data, "expected"));
}

static void
test_creche_contribution (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Mihai", "Ilinca");
  g_autoptr(TerenRecord) enrolment = NULL;
  g_autoptr(TerenRecord) r1 = NULL;
  g_autoptr(TerenRecord) r2 = NULL;
  g_autoptr(TerenRecord) r3 = NULL;
  g_autoptr(TerenRecord) saved = NULL;
  g_autofree char *json = NULL;
  g_autofree char *id = NULL;
  TerenForm *form;

  json = g_strdup_printf ("{\"person\":\"%s\",\"birth_date\":\"2025-03-01\",\"unit\":\"Creșa nr. 1\","
                          "\"programme\":\"normal\",\"start_on\":\"2026-09-01\",\"parents_income\":3000,"
                          "\"children_enrolled\":2}", teren_record_get_id (person));
  enrolment = save_record (fixture, "creche.enrolment", "creche", json);
  r1 = save_record (fixture, "creche.contribution_rule", "creche",
                    "{\"year\":2026,\"income_from\":0,\"income_to\":5000,\"percent\":10,\"fixed_amount\":50}");
  r2 = save_record (fixture, "creche.contribution_rule", "creche",
                    "{\"year\":2026,\"income_from\":0,\"income_to\":5000,\"min_children\":2,\"percent\":5}");
  r3 = save_record (fixture, "creche.contribution_rule", "creche",
                    "{\"year\":2027,\"income_from\":0,\"percent\":50}");

  form = teren_window_open_form (fixture->window, "creche.contribution", "creche", NULL);
  /* Opened from the enrolment, as its page does. */
  teren_form_set_string (form, "enrolment", teren_record_get_id (enrolment));
  type_field (fixture, form, "month", "2026-11");
  /* 5 % of 3000 for the family's second child in the crèche. */
  g_object_set_data (G_OBJECT (form), "expected", GINT_TO_POINTER (150));
  teren_gui_test_wait_until (amount_is, form, "the contribution of 2026");
  /* Another year, another rule. */
  type_field (fixture, form, "month", "2027-01");
  g_object_set_data (G_OBJECT (form), "expected", GINT_TO_POINTER (1500));
  teren_gui_test_wait_until (amount_is, form, "the contribution of 2027");
  id = save_form (fixture, form);
  saved = teren_store_get_record (fixture->store, id, NULL);
  g_assert_cmpfloat (json_node_get_double (json_object_get_member (teren_record_get_fields (saved), "amount")), ==,
                     1500);
}


/* ---- Referrals between lines --------------------------------------------------------- */

static guint
count_rows (GtkListBox *list)
{
  GtkWidget *child;
  guint n = 0;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      n++;
  return n;
}

static gboolean
referrals_are (gpointer data)
{
  TerenLinePage *page = data;
  guint expected = GPOINTER_TO_UINT (g_object_get_data (data, "expected"));

  return !teren_line_page_get_loading (page) &&
         count_rows (teren_line_page_get_referrals_list (page)) == expected &&
         gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (teren_line_page_get_referrals_list (page)))) ==
         (expected > 0);
}

static gboolean
field_has_message (gpointer data)
{
  TerenFieldRow *row = data;

  return teren_field_row_get_message_kind (row) == TEREN_FIELD_MESSAGE_ERROR;
}

static gboolean
form_is_idle (gpointer data)
{
  return !teren_form_get_busy (data);
}

static void
test_referral_answer (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Dobre", "Maria");
  g_autoptr(TerenRecord) kase = NULL;
  g_autoptr(TerenRecord) referral = NULL;
  g_autoptr(TerenRecord) answered = NULL;
  g_autofree char *json = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  TerenLinePage *page;
  GtkListBox *list;
  GtkWidget *row;
  TerenForm *form;
  TerenFieldRow *reason_row;

  /* Sent by the child line to the elderly line, as the elderly worker's pull brings it. */
  json = g_strdup_printf ("{\"person\":\"%s\",\"opened_on\":\"2026-10-01\",\"status\":\"open\","
                          "\"number\":\"12/2026\"}", teren_record_get_id (person));
  kase = save_record (fixture, "case", "child", json);
  g_free (json);
  json = g_strdup_printf ("{\"direction\":\"outgoing\",\"date\":\"2026-11-20\",\"person\":\"%s\","
                          "\"case\":\"%s\",\"to_line\":\"elderly\",\"reason\":\"Bunica are nevoie de îngrijire.\","
                          "\"consent_by\":\"beneficiary\",\"consent_on\":\"2026-11-19\",\"status\":\"sent\"}",
                          teren_record_get_id (person), teren_record_get_id (kase));
  referral = save_record (fixture, "referral", "child", json);

  /* The sending line lists no referral to answer; the receiving line lists it. */
  teren_window_select_line (fixture->window, "child");
  page = teren_window_get_line_page (fixture->window);
  g_object_set_data (G_OBJECT (page), "expected", GUINT_TO_POINTER (0));
  teren_gui_test_wait_until (referrals_are, page, "no referral in the sending line");
  teren_window_select_line (fixture->window, "elderly");
  page = teren_window_get_line_page (fixture->window);
  g_object_set_data (G_OBJECT (page), "expected", GUINT_TO_POINTER (1));
  teren_gui_test_wait_until (referrals_are, page, "the referral in the receiving line");
  list = teren_line_page_get_referrals_list (page);
  row = gtk_widget_get_first_child (GTK_WIDGET (list));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Dobre Maria");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "From Child protection, 20.11.2026");

  /* Tab to it, Enter: its form, with today as the answer's date. */
  teren_gui_test_tab_to (GTK_WINDOW (fixture->window), row);
  teren_gui_test_press_enter (GTK_WINDOW (fixture->window));
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (teren_form_get_kind (form), ==, "referral");
  {
    g_autoptr(JsonObject) values = teren_form_collect (form);

    g_assert_cmpstr (json_object_get_string_member (values, "answered_on"), ==, today);
  }

  /* Declined without a reason: Ctrl+S says so at the field, nothing saved. */
  teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "status", 4);
  reason_row = teren_form_get_field (form, "answer_reason");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason_row)));
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  teren_gui_test_wait_until (field_has_message, reason_row, "the missing reason");
  teren_gui_test_wait_until (form_is_idle, form, "the form to be idle");
  g_assert_cmpstr (teren_field_row_get_message (reason_row), ==, "Give the reason for declining");
  g_assert_true (teren_window_get_form (fixture->window) == form);
  answered = teren_store_get_record (fixture->store, teren_record_get_id (referral), NULL);
  g_assert_cmpstr (teren_record_get_string (answered, "status"), ==, "sent");
  g_assert_cmpint (teren_record_get_rev (answered), ==, teren_record_get_rev (referral));
  g_clear_object (&answered);

  /* The reason typed, Ctrl+S: declined, with its reason and date. */
  type_field (fixture, form, "answer_reason", "Are deja îngrijire la domiciliu.");
  id = save_form (fixture, form);
  g_assert_cmpstr (id, ==, teren_record_get_id (referral));
  answered = teren_store_get_record (fixture->store, id, NULL);
  g_assert_cmpstr (teren_record_get_string (answered, "status"), ==, "declined");
  g_assert_cmpstr (teren_record_get_string (answered, "answer_reason"), ==, "Are deja îngrijire la domiciliu.");
  g_assert_cmpstr (teren_record_get_string (answered, "answered_on"), ==, today);
  g_assert_cmpstr (teren_record_get_line (answered), ==, "child");

  /* Answered: no longer waiting. */
  page = teren_window_get_line_page (fixture->window);
  g_object_set_data (G_OBJECT (page), "expected", GUINT_TO_POINTER (0));
  teren_line_page_reload (page);
  teren_gui_test_wait_until (referrals_are, page, "the answered referral to leave the list");
}

/* A referral to its own line: Save shows the message at the field and writes nothing. */
static void
test_referral_same_line (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Ene", "Ion");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%d.%m.%Y");
  TerenFieldRow *to_line;
  TerenForm *form;

  form = teren_window_open_form (fixture->window, "referral", "child", NULL);
  teren_form_set_string (form, "person", teren_record_get_id (person));
  teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "direction", 1);
  type_field (fixture, form, "date", today);
  type_field (fixture, form, "reason", "Evaluare.");
  teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "status", 2);
  /* "Child protection" is the second line of the list. */
  teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "to_line", 2);
  to_line = teren_form_get_field (form, "to_line");
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  teren_gui_test_wait_until (field_has_message, to_line, "the message at the field");
  teren_gui_test_wait_until (form_is_idle, form, "the form to be idle");
  g_assert_cmpstr (teren_field_row_get_message (to_line), ==, "A referral cannot go to its own service line");
  teren_gui_test_spin (200);
  g_assert_true (teren_window_get_form (fixture->window) == form);
  g_assert_cmpuint (teren_store_count (fixture->store, "referral"), ==, 0);

  /* Another line: saved. (The list of the first choice closed, the focus elsewhere.) */
  {
    GtkWidget *open = teren_gui_test_find_descendant (GTK_WIDGET (to_line), GTK_TYPE_POPOVER, TRUE);

    if (open != NULL)
      gtk_popover_popdown (GTK_POPOVER (open));
  }
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "date");
  teren_gui_test_choose_option (GTK_WINDOW (fixture->window), form, "to_line", 3);
  g_free (save_form (fixture, form));
  g_assert_cmpuint (teren_store_count (fixture->store, "referral"), ==, 1);
}


/* ---- School health: the triage of a class on one screen ------------------------------ */

static gboolean
triage_idle (gpointer data)
{
  return !teren_triage_page_get_busy (data);
}

static gboolean
triage_rows_are (gpointer data)
{
  return !teren_triage_page_get_busy (data) &&
         teren_triage_page_get_n_rows (data) == GPOINTER_TO_UINT (g_object_get_data (data, "expected"));
}

static gboolean
triage_saved (gpointer data)
{
  return !teren_triage_page_get_busy (data) && g_strcmp0 (teren_triage_page_get_message (data), "Triage saved.") == 0;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Tab until @target has the focus. */
static void
tab_to_widget (GtkWindow *window,
               GtkWidget *target)
{
  teren_gui_test_tab_to (window, target);
  g_assert_true (teren_gui_test_focus (window) == target ||
                 gtk_widget_is_ancestor (teren_gui_test_focus (window), target));
}

static TerenRecord *
triage_of (Fixture    *fixture,
           const char *person_id)
{
  g_autoptr(GPtrArray) ids = teren_store_find_by_field (fixture->store, "school_health.triage", "person", person_id,
                                                        NULL);

  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, 1);
  return teren_store_get_record (fixture->store, g_ptr_array_index (ids, 0), NULL);
}

static void
test_class_triage (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TerenRecord) school = NULL;
  g_autoptr(TerenRecord) other_school = NULL;
  g_autoptr(TerenRecord) klass = NULL;
  g_autoptr(TerenRecord) other_class = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *today_iso = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *today_text = g_date_time_format (now, "%d.%m.%Y");
  g_autofree char *yesterday_text = g_date_time_format (yesterday, "%d.%m.%Y");
  g_autofree char *tomorrow_text = g_date_time_format (tomorrow, "%d.%m.%Y");
  const char *names[][2] = { { "Barbu", "Andrei" }, { "Anghel", "Ioana" }, { "Crăciun", "Matei" } };
  char *pupils[3];
  GtkWidget *window;
  TerenTriagePage *page;
  GtkWindow *win;
  GtkWidget *popover;
  guint i;

  school = save_record (fixture, "school_health.school", "school_health", "{\"name\":\"Școala Gimnazială nr. 5\"}");
  other_school = save_record (fixture, "school_health.school", "school_health", "{\"name\":\"Liceul Teoretic\"}");
  {
    g_autofree char *json = g_strdup_printf ("{\"school\":\"%s\",\"name\":\"V B\",\"school_year\":\"2026-2027\"}",
                                             teren_record_get_id (school));
    klass = save_record (fixture, "school_health.class", "school_health", json);
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"school\":\"%s\",\"name\":\"IX A\",\"school_year\":\"2026-2027\"}",
                                             teren_record_get_id (other_school));
    other_class = save_record (fixture, "school_health.class", "school_health", json);
  }
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TerenRecord) person = store_person (fixture, names[i][0], names[i][1]);
      g_autoptr(TerenRecord) record = NULL;
      g_autofree char *json = g_strdup_printf ("{\"person\":\"%s\",\"school\":\"%s\",\"class\":\"%s\"}",
                                               teren_record_get_id (person), teren_record_get_id (school),
                                               teren_record_get_id (klass));

      record = save_record (fixture, "school_health.pupil_record", "school_health", json);
      pupils[i] = g_strdup (teren_record_get_id (person));
    }
  {
    /* A pupil of another class is not listed. */
    g_autoptr(TerenRecord) person = store_person (fixture, "Dinu", "Ana");
    g_autoptr(TerenRecord) record = NULL;
    g_autofree char *json = g_strdup_printf ("{\"person\":\"%s\",\"class\":\"%s\"}", teren_record_get_id (person),
                                             teren_record_get_id (other_class));

    record = save_record (fixture, "school_health.pupil_record", "school_health", json);
  }

  page = g_object_ref_sink (teren_triage_page_new (fixture->store));
  window = gtk_window_new ();
  win = GTK_WINDOW (window);
  gtk_window_set_child (win, GTK_WIDGET (page));
  gtk_window_present (win);
  teren_gui_test_wait_until (triage_idle, page, "the schools");

  /* The school, then the class: chosen in their lists by the keyboard. */
  tab_to_widget (win, GTK_WIDGET (teren_triage_page_get_school_dropdown (page)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (teren_triage_page_get_school_dropdown (page))),
                    ==, 3);
  gtk_drop_down_set_selected (teren_triage_page_get_school_dropdown (page), 2);
  teren_gui_test_wait_until (triage_idle, page, "the classes");
  tab_to_widget (win, GTK_WIDGET (teren_triage_page_get_class_dropdown (page)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (teren_triage_page_get_class_dropdown (page))),
                    ==, 2);
  g_object_set_data (G_OBJECT (page), "expected", GUINT_TO_POINTER (3));
  gtk_drop_down_set_selected (teren_triage_page_get_class_dropdown (page), 1);
  teren_gui_test_wait_until (triage_rows_are, page, "the pupils of the class");
  g_assert_cmpstr (teren_triage_page_get_row_title (page, 0), ==, "Anghel Ioana");
  g_assert_cmpstr (teren_triage_page_get_row_title (page, 1), ==, "Barbu Andrei");
  g_assert_cmpstr (teren_triage_page_get_row_title (page, 2), ==, "Crăciun Matei");

  /* A day in the future is refused, the day stays. */
  tab_to_widget (win, GTK_WIDGET (teren_triage_page_get_date_entry (page)));
  retype_text (win, tomorrow_text);
  teren_gui_test_press_enter (win);
  g_assert_cmpstr (teren_triage_page_get_message (page), ==, "The triage cannot be on a day in the future.");
  g_assert_cmpstr (teren_triage_page_get_date (page), ==, today_iso);
  retype_text (win, today_text);
  teren_gui_test_press_enter (win);
  teren_gui_test_wait_until (triage_rows_are, page, "the pupils again");

  /* Ioana: pediculosis, excluded. Tab to her findings, Enter opens them, Space ticks,
   * Escape closes. */
  tab_to_widget (win, teren_triage_page_get_findings_button (page, 0));
  teren_gui_test_press_enter (win);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (teren_triage_page_get_findings_button (page, 0))));
  teren_gui_test_wait_until (widget_mapped, popover, "the findings");
  tab_to_widget (win, teren_triage_page_get_finding_check (page, 0, "pediculosis"));
  g_assert_true (gtk_widget_activate (teren_gui_test_focus (win)));
  gtk_popover_popdown (GTK_POPOVER (popover));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (teren_triage_page_get_findings_button (page, 0))), ==,
                   "Pediculosis");
  tab_to_widget (win, teren_triage_page_get_excluded_check (page, 0));
  g_assert_true (gtk_widget_activate (teren_gui_test_focus (win)));

  /* Matei: a readmission before the triage day: refused at his row, nothing saved. */
  tab_to_widget (win, teren_triage_page_get_readmitted_entry (page, 2));
  teren_gui_test_type_text (win, yesterday_text);
  gtk_widget_activate_action (GTK_WIDGET (page), "triage.save", NULL);
  teren_gui_test_wait_until (triage_idle, page, "the check");
  g_assert_nonnull (teren_triage_page_get_row_message (page, 2));
  g_assert_nonnull (strstr (teren_triage_page_get_row_message (page, 2), "Readmitted before the triage"));
  g_assert_null (teren_triage_page_get_row_message (page, 0));
  g_assert_cmpstr (teren_triage_page_get_message (page), ==, "Nothing was saved: correct the rows marked below.");
  g_assert_cmpuint (teren_store_count (fixture->store, "school_health.triage"), ==, 0);

  /* Corrected: Ctrl+S writes one triage per pupil. */
  retype_text (win, "");
  gtk_widget_activate_action (GTK_WIDGET (page), "triage.save", NULL);
  teren_gui_test_wait_until (triage_saved, page, "the triage to be saved");
  g_assert_cmpuint (teren_store_count (fixture->store, "school_health.triage"), ==, 3);
  {
    g_autoptr(TerenRecord) ioana = triage_of (fixture, pupils[1]);
    g_autoptr(TerenRecord) andrei = triage_of (fixture, pupils[0]);
    JsonArray *findings = json_object_get_array_member (teren_record_get_fields (ioana), "findings");

    g_assert_cmpuint (json_array_get_length (findings), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (findings, 0), ==, "pediculosis");
    g_assert_true (teren_record_get_bool (ioana, "excluded"));
    g_assert_cmpstr (teren_record_get_string (ioana, "date"), ==, today_iso);
    g_assert_cmpstr (teren_record_get_string (ioana, "class"), ==, teren_record_get_id (klass));
    findings = json_object_get_array_member (teren_record_get_fields (andrei), "findings");
    g_assert_cmpstr (json_array_get_string_element (findings, 0), ==, "none");
    g_assert_false (teren_record_get_bool (andrei, "excluded"));
  }

  /* Ioana comes back with her certificate: the same record is updated. */
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (teren_triage_page_get_findings_button (page, 0))), ==,
                   "Pediculosis");
  tab_to_widget (win, teren_triage_page_get_readmitted_entry (page, 0));
  teren_gui_test_type_text (win, today_text);
  tab_to_widget (win, teren_triage_page_get_certificate_check (page, 0));
  g_assert_true (gtk_widget_activate (teren_gui_test_focus (win)));
  gtk_widget_activate_action (GTK_WIDGET (page), "triage.save", NULL);
  teren_gui_test_wait_until (triage_idle, page, "the second save");
  teren_gui_test_wait_until (triage_saved, page, "the triage to be saved again");
  g_assert_cmpuint (teren_store_count (fixture->store, "school_health.triage"), ==, 3);
  {
    g_autoptr(TerenRecord) ioana = triage_of (fixture, pupils[1]);

    g_assert_cmpstr (teren_record_get_string (ioana, "readmitted_on"), ==, today_iso);
    g_assert_true (teren_record_get_bool (ioana, "readmission_certificate"));
    g_assert_true (teren_record_get_bool (ioana, "excluded"));
  }

  gtk_window_destroy (win);
  teren_gui_test_assert_finalize (page);
  for (i = 0; i < G_N_ELEMENTS (pupils); i++)
    g_free (pupils[i]);
}


/* ---- A long list searched as you type ---------------------------------------------- */

/* The focus is in the search entry (its text). */
static gboolean
search_has_focus (TerenChoicePicker *picker)
{
  GtkWidget *search = GTK_WIDGET (teren_choice_picker_get_search_entry (picker));
  GtkRoot *root = gtk_widget_get_root (search);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == search || gtk_widget_is_ancestor (focus, search));
}

static gboolean
picker_open (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (teren_choice_picker_get_search_entry (data))) &&
         search_has_focus (data);
}

static gboolean
picker_shows (gpointer data)
{
  return g_list_model_get_n_items (teren_choice_picker_get_shown (data)) ==
         GPOINTER_TO_UINT (g_object_get_data (data, "expected"));
}

static gboolean
picker_closed (gpointer data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (teren_choice_picker_get_search_entry (data)));
}

static const char *
service_of (TerenForm *form)
{
  g_autoptr(JsonObject) values = teren_form_collect (form);
  static char code[32];

  g_strlcpy (code, json_object_has_member (values, "service") && !json_object_get_null_member (values, "service")
                   ? json_object_get_string_member (values, "service") : "", sizeof code);
  return code;
}

/* Types @text in the picker's search (it has the focus) and waits for @n matches. */
static void
search_picker (TerenChoicePicker *picker,
               const char        *text,
               guint              n)
{
  GtkWidget *search = GTK_WIDGET (teren_choice_picker_get_search_entry (picker));

  g_assert_true (search_has_focus (picker));
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  gtk_editable_insert_text (GTK_EDITABLE (search), text, -1, &(int){ 0 });
  g_object_set_data (G_OBJECT (picker), "expected", GUINT_TO_POINTER (n));
  teren_gui_test_wait_until (picker_shows, picker, "the search to filter the list");
}

static void
test_service_picker (Fixture       *fixture,
                     gconstpointer  data)
{
  TerenForm *form = teren_window_open_form (fixture->window, "community_health.intervention", "community_health",
                                            NULL);
  TerenFieldRow *row = teren_form_get_field (form, "service");
  TerenChoicePicker *picker = TEREN_CHOICE_PICKER (teren_gui_test_find_descendant (GTK_WIDGET (row),
                                                                                   TEREN_TYPE_CHOICE_PICKER, FALSE));
  GtkWindow *win = GTK_WINDOW (fixture->window);

  g_assert_nonnull (picker);
  /* A short list keeps its plain list. */
  g_assert_null (teren_gui_test_find_descendant (GTK_WIDGET (teren_form_get_field (form, "status")),
                                                 TEREN_TYPE_CHOICE_PICKER, FALSE));

  /* Tab to the service, Enter: the search has the focus and shows everything. */
  teren_gui_test_tab_to_field (GTK_WINDOW (fixture->window), form, "service");
  teren_gui_test_press_enter (win);
  teren_gui_test_wait_until (picker_open, picker, "the service list");
  g_assert_cmpuint (g_list_model_get_n_items (teren_choice_picker_get_shown (picker)), >=, 100);

  /* Part of a word of the label: two services; Enter takes the first. */
  search_picker (picker, "nutr", 2);
  g_signal_emit_by_name (teren_choice_picker_get_search_entry (picker), "activate");
  teren_gui_test_wait_until (picker_closed, picker, "the list to close");
  g_assert_cmpstr (service_of (form), ==, "SES_02");

  /* By its code, case and punctuation aside; Down into the list, Enter. */
  teren_choice_picker_popup (picker);
  teren_gui_test_wait_until (picker_open, picker, "the service list again");
  search_picker (picker, "smt 06", 1);
  {
    GtkEventController *keys = NULL;
    GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (teren_choice_picker_get_search_entry (picker)));
    guint i;
    gboolean handled = FALSE;

    for (i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
            g_signal_handler_find (controller, G_SIGNAL_MATCH_ID, g_signal_lookup ("key-pressed",
                                   GTK_TYPE_EVENT_CONTROLLER_KEY), 0, NULL, NULL, NULL) != 0)
          keys = GTK_EVENT_CONTROLLER (controller);
      }
    g_object_unref (controllers);
    g_assert_nonnull (keys);
    g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
    g_assert_true (handled);
  }
  g_assert_true (gtk_widget_is_ancestor (teren_gui_test_focus (win),
                                         GTK_WIDGET (teren_choice_picker_get_list_view (picker))) ||
                 teren_gui_test_focus (win) == GTK_WIDGET (teren_choice_picker_get_list_view (picker)));
  g_signal_emit_by_name (teren_choice_picker_get_list_view (picker), "activate", 0);
  teren_gui_test_wait_until (picker_closed, picker, "the list to close");
  g_assert_cmpstr (service_of (form), ==, "SMT_06");

  /* Several words narrow it; nothing matching chooses nothing; Escape keeps the choice. */
  teren_choice_picker_popup (picker);
  teren_gui_test_wait_until (picker_open, picker, "the service list a third time");
  search_picker (picker, "blood pressure", 1);
  search_picker (picker, "zzzz", 0);
  g_signal_emit_by_name (teren_choice_picker_get_search_entry (picker), "activate");
  g_signal_emit_by_name (teren_choice_picker_get_search_entry (picker), "stop-search");
  teren_gui_test_wait_until (picker_closed, picker, "the list to close");
  g_assert_cmpstr (service_of (form), ==, "SMT_06");

  /* The form's value comes back into the picker. */
  teren_form_set_string (form, "service", "SES_04");
  g_assert_cmpuint (teren_choice_picker_get_selected (picker), >, 0);
  g_assert_cmpstr (service_of (form), ==, "SES_04");
}

#ifndef TEREN_LINES5_GROUP
#define TEREN_LINES5_GROUP 1
#endif

int
main (int   argc,
      char *argv[])
{
  teren_gui_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* Three programs (TEREN_LINES5_GROUP 1-3), each short under the sanitizers. */
  if (TEREN_LINES5_GROUP == 1)
    {
      g_test_add ("/gui/lines5/canteen-computed", Fixture, NULL, fixture_set_up, test_canteen_computed,
                  fixture_tear_down);
      g_test_add ("/gui/lines5/creche-contribution", Fixture, NULL, fixture_set_up, test_creche_contribution,
                  fixture_tear_down);
    }
  else if (TEREN_LINES5_GROUP == 2)
    {
      g_test_add ("/gui/lines5/referral-answer", Fixture, NULL, fixture_set_up, test_referral_answer,
                  fixture_tear_down);
      g_test_add ("/gui/lines5/referral-same-line", Fixture, NULL, fixture_set_up, test_referral_same_line,
                  fixture_tear_down);
    }
  else
    {
      g_test_add ("/gui/lines5/class-triage", Fixture, NULL, fixture_set_up, test_class_triage, fixture_tear_down);
      g_test_add ("/gui/lines5/service-picker", Fixture, NULL, fixture_set_up, test_service_picker,
                  fixture_tear_down);
    }
  return g_test_run ();
}
