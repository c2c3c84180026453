/* test-gui-doorstep.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-date.h"
#include "teren-doorstep-page.h"
#include "teren-error.h"
#include "teren-gui-test-util.h"
#include "teren-schema.h"
#include "teren-window.h"

/* The community nurse's home visit (issue 6): a household of two persons, services
 * ticked with the keyboard (search + Enter, Tab to a row + Enter), a blood pressure
 * typed, Save; then the exact records in the store. An implausible value shows its
 * message and saves nothing. */

typedef struct
{
  TerenStore        *store;
  GtkWindow         *window;
  TerenDoorstepPage *page;
  char              *person_a;
  char              *person_b;
  char              *today;
  char              *household_id;
} Fixture;

static char *
store_person (TerenStore *store,
              const char *last_name,
              const char *first_name,
              const char *sex)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;

  json_object_set_string_member (fields, "last_name", last_name);
  json_object_set_string_member (fields, "first_name", first_name);
  json_object_set_string_member (fields, "cnp_status", "missing");
  json_object_set_string_member (fields, "sex", sex);
  record = teren_gui_test_save_record (store, "person", "", fields);
  return g_strdup (teren_record_get_id (record));
}

static void
store_member (TerenStore *store,
              const char *household_id,
              const char *person_id)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;

  json_object_set_string_member (fields, "person", person_id);
  json_object_set_string_member (fields, "household", household_id);
  record = teren_gui_test_save_record (store, "household_member", "", fields);
}

static gboolean
page_loaded (gpointer data)
{
  return !teren_doorstep_page_get_loading (data);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonObject) household = json_object_new ();
  g_autoptr(TerenRecord) home = NULL;
  GDate today;
  char text[16];
  GPtrArray *ids;

  teren_date_today (&today);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &today);
  fixture->today = g_strdup (text);

  fixture->store = teren_gui_test_store_new ();
  fixture->person_a = store_person (fixture->store, "Ștefănescu", "Ana", "F");
  fixture->person_b = store_person (fixture->store, "Țurcanu", "Ion", "M");
  json_object_set_string_member (household, "address", "Str. Lungă 3, Brașov");
  home = teren_gui_test_save_record (fixture->store, "household", "", household);
  store_member (fixture->store, teren_record_get_id (home), fixture->person_a);
  store_member (fixture->store, teren_record_get_id (home), fixture->person_b);
  fixture->household_id = g_strdup (teren_record_get_id (home));
  if (data != NULL)
    return;   /* through the main window: the test opens it */

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (fixture->window, 600, 800);
  fixture->page = teren_doorstep_page_new (fixture->store, teren_record_get_id (home));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  teren_gui_test_wait_until (page_loaded, fixture->page, "the household's members");

  ids = teren_doorstep_page_get_person_ids (fixture->page);
  g_assert_cmpuint (ids->len, ==, 2);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (fixture->window);
      teren_gui_test_assert_finalize (g_steal_pointer (&fixture->window));
    }
  g_clear_object (&fixture->store);
  g_free (fixture->person_a);
  g_free (fixture->person_b);
  g_free (fixture->today);
  g_free (fixture->household_id);
}

/* Keyboard */

/* Presses Down until @row has the focus (inside a list box, Tab leaves the list). */
static void
arrow_to (GtkWindow *window,
          GtkWidget *row)
{
  guint i;

  for (i = 0; i < 200; i++)
    {
      if (teren_gui_test_focus (window) == row)
        return;
      /* What the Down key does: the list's "move-cursor" key binding. */
      g_signal_emit_by_name (gtk_widget_get_parent (row), "move-cursor", GTK_MOVEMENT_DISPLAY_LINES, 1, FALSE, FALSE);
    }
  g_assert_not_reached ();
}

static gboolean
row_shown (gpointer data)
{
  return gtk_widget_get_child_visible (data);
}

static void
type_vital (Fixture    *fixture,
            const char *person_id,
            const char *key,
            const char *text)
{
  teren_gui_test_tab_to (fixture->window, teren_doorstep_page_get_vital_entry (fixture->page, person_id, key));
  teren_gui_test_type_text (fixture->window, text);
}

/* Checks */

static gboolean
count_is_set (gpointer data)
{
  return *(guint *)data > 0;
}

static void
on_saved_cb (TerenDoorstepPage *page,
             guint              n_records,
             guint             *out_n)
{
  *out_n = n_records;
}

static GPtrArray *
records_of (TerenStore *store,
            const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = teren_store_list_ids (store, kind, &error);
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);
  guint i;

  g_assert_no_error (error);
  for (i = 0; i < ids->len; i++)
    {
      TerenRecord *record = teren_store_get_record (store, g_ptr_array_index (ids, i), &error);

      g_assert_no_error (error);
      g_ptr_array_add (records, record);
    }
  return records;
}

static gboolean
has_intervention (GPtrArray  *records,
                  const char *person_id,
                  const char *service,
                  const char *date)
{
  guint i;

  for (i = 0; i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (teren_record_get_string (record, "person"), person_id) == 0 &&
          g_strcmp0 (teren_record_get_string (record, "service"), service) == 0)
        {
          g_assert_cmpstr (teren_record_get_line (record), ==, "community_health");
          g_assert_cmpstr (teren_record_get_string (record, "status"), ==, "done");
          g_assert_cmpstr (teren_record_get_string (record, "date"), ==, date);
          g_assert_cmpuint (json_object_get_size (teren_record_get_fields (record)), ==, 4);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_visit_saved (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) interventions = NULL;
  g_autoptr(GPtrArray) vitals = NULL;
  g_autofree char *today_display = teren_date_to_display (fixture->today);
  TerenRecord *reading;
  GtkWidget *row;
  guint n_saved = 0;
  gulong handler;

  /* The date is today by default. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (teren_doorstep_page_get_date_entry (fixture->page))),
                   ==, today_display);

  /* First member: a search and Enter ticks the first service shown; Tab to the list,
   * arrows to a row and Enter ticks it. */
  teren_gui_test_tab_to (fixture->window, teren_doorstep_page_get_search_entry (fixture->page, fixture->person_a));
  teren_gui_test_type_text (fixture->window, "nutri");
  teren_gui_test_press_enter (fixture->window);
  g_assert_true (teren_doorstep_page_get_ticked (fixture->page, fixture->person_a, "SES_02"));
  /* The search hides the other rows: clear it before walking the list. */
  gtk_editable_set_text (GTK_EDITABLE (teren_doorstep_page_get_search_entry (fixture->page, fixture->person_a)), "");
  row = teren_doorstep_page_get_service_row (fixture->page, fixture->person_a, "SIO_01");
  teren_gui_test_wait_until (row_shown, row, "the search to be cleared");
  teren_gui_test_tab_to (fixture->window, gtk_widget_get_parent (row));
  arrow_to (fixture->window, row);
  teren_gui_test_press_enter (fixture->window);
  g_assert_true (teren_doorstep_page_get_ticked (fixture->page, fixture->person_a, "SIO_01"));
  type_vital (fixture, fixture->person_a, "systolic", "130");
  type_vital (fixture, fixture->person_a, "diastolic", "85");

  /* Second member: one service, found by a word of its label. */
  teren_gui_test_tab_to (fixture->window, teren_doorstep_page_get_search_entry (fixture->page, fixture->person_b));
  teren_gui_test_type_text (fixture->window, "exercise");
  teren_gui_test_press_enter (fixture->window);
  g_assert_true (teren_doorstep_page_get_ticked (fixture->page, fixture->person_b, "SES_03"));
  g_assert_false (teren_doorstep_page_get_ticked (fixture->page, fixture->person_b, "SES_02"));
  g_assert_false (teren_doorstep_page_get_ticked (fixture->page, fixture->person_a, "SES_03"));

  handler = g_signal_connect (fixture->page, "saved", G_CALLBACK (on_saved_cb), &n_saved);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "doorstep.save", NULL);
  teren_gui_test_wait_until (count_is_set, &n_saved, "the visit to be saved");
  g_signal_handler_disconnect (fixture->page, handler);
  g_assert_cmpuint (n_saved, ==, 4);

  interventions = records_of (fixture->store, "community_health.intervention");
  g_assert_cmpuint (interventions->len, ==, 3);
  g_assert_true (has_intervention (interventions, fixture->person_a, "SES_02", fixture->today));
  g_assert_true (has_intervention (interventions, fixture->person_a, "SIO_01", fixture->today));
  g_assert_true (has_intervention (interventions, fixture->person_b, "SES_03", fixture->today));

  vitals = records_of (fixture->store, "community_health.vital_signs");
  g_assert_cmpuint (vitals->len, ==, 1);
  reading = g_ptr_array_index (vitals, 0);
  g_assert_cmpstr (teren_record_get_line (reading), ==, "community_health");
  g_assert_cmpstr (teren_record_get_string (reading, "person"), ==, fixture->person_a);
  g_assert_cmpstr (teren_record_get_string (reading, "date"), ==, fixture->today);
  g_assert_cmpint (teren_record_get_int (reading, "systolic"), ==, 130);
  g_assert_cmpint (teren_record_get_int (reading, "diastolic"), ==, 85);
  g_assert_cmpuint (json_object_get_size (teren_record_get_fields (reading)), ==, 4);
}

static void
test_implausible_value (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *entry;
  const char *message;

  teren_gui_test_tab_to (fixture->window, teren_doorstep_page_get_search_entry (fixture->page, fixture->person_a));
  teren_gui_test_type_text (fixture->window, "nutri");
  teren_gui_test_press_enter (fixture->window);
  g_assert_true (teren_doorstep_page_get_ticked (fixture->page, fixture->person_a, "SES_02"));
  type_vital (fixture, fixture->person_b, "systolic", "400");
  type_vital (fixture, fixture->person_b, "diastolic", "80");
  type_vital (fixture, fixture->person_b, "temperature", "36,6");

  g_assert_false (teren_doorstep_page_save (fixture->page, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  message = teren_doorstep_page_get_vital_error (fixture->page, fixture->person_b, "systolic");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "between 50 and 300"));
  g_assert_null (teren_doorstep_page_get_vital_error (fixture->page, fixture->person_b, "diastolic"));
  g_assert_null (teren_doorstep_page_get_vital_error (fixture->page, fixture->person_b, "temperature"));

  /* A word where a number goes has its own message. */
  g_clear_error (&error);
  entry = teren_doorstep_page_get_vital_entry (fixture->page, fixture->person_a, "pulse");
  gtk_editable_set_text (GTK_EDITABLE (entry), "fast");
  g_assert_false (teren_doorstep_page_save (fixture->page, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (teren_doorstep_page_get_vital_error (fixture->page, fixture->person_a, "pulse"));

  /* A diastolic pressure not below the systolic one, and a date in the future. */
  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (entry), "72");
  gtk_editable_set_text (GTK_EDITABLE (teren_doorstep_page_get_vital_entry (fixture->page, fixture->person_b, "systolic")), "80");
  gtk_editable_set_text (GTK_EDITABLE (teren_doorstep_page_get_vital_entry (fixture->page, fixture->person_b, "diastolic")), "90");
  g_assert_false (teren_doorstep_page_save (fixture->page, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_null (teren_doorstep_page_get_vital_error (fixture->page, fixture->person_a, "pulse"));
  g_assert_null (teren_doorstep_page_get_vital_error (fixture->page, fixture->person_b, "systolic"));
  g_assert_nonnull (teren_doorstep_page_get_vital_error (fixture->page, fixture->person_b, "diastolic"));

  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (teren_doorstep_page_get_vital_entry (fixture->page, fixture->person_b, "diastolic")), "");
  gtk_editable_set_text (GTK_EDITABLE (teren_doorstep_page_get_date_entry (fixture->page)), "01.01.2999");
  g_assert_false (teren_doorstep_page_save (fixture->page, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_null (teren_doorstep_page_get_vital_error (fixture->page, fixture->person_b, "diastolic"));

  /* The Save action (Ctrl+S) does not write either. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "doorstep.save", NULL);
  teren_gui_test_spin (200);

  g_assert_cmpuint (teren_store_count (fixture->store, "community_health.intervention"), ==, 0);
  g_assert_cmpuint (teren_store_count (fixture->store, "community_health.vital_signs"), ==, 0);
}

static gboolean
record_page_loaded (gpointer data)
{
  return teren_record_page_get_record (data) != NULL;
}

static GtkWidget *
find_doorstep_page (GtkWidget *widget)
{
  GtkWidget *child;

  if (TEREN_IS_DOORSTEP_PAGE (widget))
    return widget;
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_doorstep_page (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
doorstep_page_shown (gpointer data)
{
  GtkWidget *page = find_doorstep_page (data);

  return page != NULL && gtk_widget_get_mapped (page) && !teren_doorstep_page_get_loading (TEREN_DOORSTEP_PAGE (page));
}

static gboolean
doorstep_page_gone (gpointer data)
{
  return find_doorstep_page (data) == NULL;
}

/* From the household's record page: Home Visit…, one service ticked, Save; the screen
 * closes and the record is in the store. A person's page has no Home Visit. */
static void
test_from_record_page (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) interventions = NULL;
  TerenWindow *window;
  TerenRecordPage *record_page;
  GtkWidget *page;

  window = teren_gui_test_window_new (fixture->store);
  fixture->window = GTK_WINDOW (window);

  record_page = teren_window_open_record (window, fixture->person_a);
  teren_gui_test_wait_until (record_page_loaded, record_page, "the person's page");
  gtk_widget_activate_action (GTK_WIDGET (record_page), "record.home-visit", NULL);
  teren_gui_test_spin (100);
  g_assert_null (find_doorstep_page (GTK_WIDGET (window)));

  record_page = teren_window_open_record (window, fixture->household_id);
  teren_gui_test_wait_until (record_page_loaded, record_page, "the household's page");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (record_page), "record.home-visit", NULL));
  teren_gui_test_wait_until (doorstep_page_shown, window, "the home visit screen");
  page = find_doorstep_page (GTK_WIDGET (window));
  fixture->page = TEREN_DOORSTEP_PAGE (page);
  g_assert_cmpstr (teren_doorstep_page_get_household_id (fixture->page), ==, fixture->household_id);
  g_assert_cmpuint (teren_doorstep_page_get_person_ids (fixture->page)->len, ==, 2);

  teren_gui_test_tab_to (fixture->window, teren_doorstep_page_get_search_entry (fixture->page, fixture->person_b));
  teren_gui_test_type_text (fixture->window, "smoking");
  teren_gui_test_press_enter (fixture->window);
  g_assert_true (teren_doorstep_page_get_ticked (fixture->page, fixture->person_b, "SES_04"));
  gtk_widget_activate_action (page, "doorstep.save", NULL);
  fixture->page = NULL;
  teren_gui_test_wait_until (doorstep_page_gone, window, "the home visit screen to close");

  interventions = records_of (fixture->store, "community_health.intervention");
  g_assert_cmpuint (interventions->len, ==, 1);
  g_assert_true (has_intervention (interventions, fixture->person_b, "SES_04", fixture->today));
  g_assert_cmpuint (teren_store_count (fixture->store, "community_health.vital_signs"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  teren_gui_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/gui/doorstep/visit-saved", Fixture, NULL, fixture_set_up, test_visit_saved, fixture_tear_down);
  g_test_add ("/gui/doorstep/implausible-value", Fixture, NULL, fixture_set_up, test_implausible_value, fixture_tear_down);

  g_test_add ("/gui/doorstep/from-record-page", Fixture, "window", fixture_set_up, test_from_record_page, fixture_tear_down);

  return g_test_run ();
}
