/* test-gui-registers.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-date.h"
#include "teren-gui-test-util.h"
#include "teren-line-page.h"
#include "teren-register-page.h"
#include "teren-schema.h"

/* The daily registers (issue 5): crèche attendance and canteen meals of one day on one
 * screen, saved in one transaction, a second save updating the day's records. */

typedef struct {
  TerenStore *store;
  GtkWindow  *window;
  char       *day;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->store = teren_gui_test_store_new ();
  fixture->day = teren_gui_test_iso_days_from_today (-1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->store);
  g_free (fixture->day);
}

static char *
store_person (Fixture    *fixture,
              const char *first_name)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;

  json_object_set_string_member (fields, "last_name", "Ionescu");
  json_object_set_string_member (fields, "first_name", first_name);
  json_object_set_string_member (fields, "cnp_status", "missing");
  json_object_set_string_member (fields, "sex", "F");
  record = teren_gui_test_save_record (fixture->store, "person", "", fields);
  return g_strdup (teren_record_get_id (record));
}

static char *
store_enrolment (Fixture    *fixture,
                 const char *first_name)
{
  g_autofree char *person = store_person (fixture, first_name);
  g_autofree char *birth = teren_gui_test_iso_days_from_today (-500);
  g_autofree char *start = teren_gui_test_iso_days_from_today (-60);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TerenRecord) record = NULL;

  json_object_set_string_member (fields, "person", person);
  json_object_set_string_member (fields, "birth_date", birth);
  json_object_set_string_member (fields, "unit", "Creșa Veseliei");
  json_object_set_string_member (fields, "programme", "normal");
  json_object_set_string_member (fields, "start_on", start);
  record = teren_gui_test_save_record (fixture->store, "creche.enrolment", "creche", fields);
  return g_strdup (teren_record_get_id (record));
}

static char *
store_beneficiary (Fixture    *fixture,
                   const char *first_name,
                   gboolean    dinner)
{
  g_autofree char *person = store_person (fixture, first_name);
  g_autofree char *requested = teren_gui_test_iso_days_from_today (-100);
  g_autofree char *start = teren_gui_test_iso_days_from_today (-60);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonArray) meals = json_array_new ();
  g_autoptr(TerenRecord) record = NULL;

  json_array_add_string_element (meals, "lunch");
  if (dinner)
    json_array_add_string_element (meals, "dinner");
  json_object_set_string_member (fields, "person", person);
  json_object_set_string_member (fields, "category", "d");
  json_object_set_string_member (fields, "requested_on", requested);
  json_object_set_int_member (fields, "household_size", 1);
  json_object_set_array_member (fields, "meals", g_steal_pointer (&meals));
  json_object_set_string_member (fields, "start_on", start);
  json_object_set_boolean_member (fields, "free", TRUE);
  record = teren_gui_test_save_record (fixture->store, "canteen.beneficiary", "canteen", fields);
  return g_strdup (teren_record_get_id (record));
}

static gboolean
page_is_idle (gpointer data)
{
  return !teren_register_page_get_busy (data);
}

/* A register page of @line on the fixture's day, in a window of its own, read. */
static TerenRegisterPage *
open_register (Fixture    *fixture,
               const char *line)
{
  TerenRegisterPage *page = teren_register_page_new (fixture->store, line);

  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (page));
  gtk_window_present (fixture->window);
  teren_gui_test_wait_until (page_is_idle, page, "today's register to be read");
  teren_register_page_set_date (page, fixture->day);
  teren_gui_test_wait_until (page_is_idle, page, "the register to be read");
  g_assert_null (teren_register_page_get_error (page));
  g_assert_cmpstr (teren_register_page_get_date (page), ==, fixture->day);
  return page;
}

static void
on_saved_cb (TerenRegisterPage *page,
             gpointer           data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
save_register (TerenRegisterPage *page)
{
  gboolean saved = FALSE;
  gulong handler = g_signal_connect (page, "saved", G_CALLBACK (on_saved_cb), &saved);

  /* Ctrl+S is bound to this action. */
  gtk_widget_activate_action (GTK_WIDGET (page), "register.save", NULL);
  teren_gui_test_wait_until (flag_is_set, &saved, "the register to be saved");
  g_signal_handler_disconnect (page, handler);
  teren_gui_test_wait_until (page_is_idle, page, "the register to be read again");
  g_assert_null (teren_register_page_get_error (page));
}

/* The records of @kind whose @key is @parent: exactly one, returned. */
static TerenRecord *
only_entry (Fixture    *fixture,
            const char *kind,
            const char *key,
            const char *parent)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = teren_store_find_by_field (fixture->store, kind, key, parent, &error);
  TerenRecord *record;

  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  record = teren_store_get_record (fixture->store, g_ptr_array_index (ids, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (record, "date"), ==, fixture->day);
  return record;
}

static void
test_creche (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *ana = store_enrolment (fixture, "Ana");
  g_autofree char *bogdan = store_enrolment (fixture, "Bogdan");
  g_autofree char *cristi = store_enrolment (fixture, "Cristi");
  g_autofree char *ana_entry = NULL;
  TerenRegisterPage *page;
  GtkWidget *button;

  page = open_register (fixture, "creche");
  g_assert_cmpuint (teren_register_page_get_n_rows (page), ==, 3);
  g_assert_cmpstr (teren_register_page_get_row_id (page, 0), ==, ana);
  g_assert_cmpstr (teren_register_page_get_row_id (page, 1), ==, bogdan);
  g_assert_cmpstr (teren_register_page_get_row_id (page, 2), ==, cristi);
  g_assert_nonnull (strstr (teren_register_page_get_row_title (page, 0), "Ana"));
  g_assert_null (teren_register_page_get_mark (page, ana));

  /* Keyboard: focus a mark and activate it (Space). */
  button = teren_register_page_get_mark_button (page, ana, "present");
  g_assert_true (gtk_widget_grab_focus (button));
  g_assert_true (gtk_widget_activate (button));
  g_assert_cmpstr (teren_register_page_get_mark (page, ana), ==, "present");
  teren_register_page_set_mark (page, bogdan, "present");
  teren_register_page_set_mark (page, cristi, "absent");
  save_register (page);

  g_assert_cmpuint (teren_store_count (fixture->store, "creche.attendance"), ==, 3);
  {
    g_autoptr(TerenRecord) a = only_entry (fixture, "creche.attendance", "enrolment", ana);
    g_autoptr(TerenRecord) b = only_entry (fixture, "creche.attendance", "enrolment", bogdan);
    g_autoptr(TerenRecord) c = only_entry (fixture, "creche.attendance", "enrolment", cristi);

    g_assert_cmpstr (teren_record_get_string (a, "status"), ==, "present");
    g_assert_cmpstr (teren_record_get_string (b, "status"), ==, "present");
    g_assert_cmpstr (teren_record_get_string (c, "status"), ==, "absent");
    g_assert_cmpstr (teren_record_get_line (a), ==, "creche");
    ana_entry = g_strdup (teren_record_get_id (a));
  }

  /* The same day again: the marks are read back; one changed, saved: no duplicate. */
  page = open_register (fixture, "creche");
  g_assert_cmpstr (teren_register_page_get_mark (page, ana), ==, "present");
  g_assert_cmpstr (teren_register_page_get_mark (page, bogdan), ==, "present");
  g_assert_cmpstr (teren_register_page_get_mark (page, cristi), ==, "absent");
  teren_register_page_set_mark (page, ana, "excused");
  save_register (page);
  g_assert_cmpstr (teren_register_page_get_mark (page, ana), ==, "excused");

  g_assert_cmpuint (teren_store_count (fixture->store, "creche.attendance"), ==, 3);
  {
    g_autoptr(TerenRecord) a = only_entry (fixture, "creche.attendance", "enrolment", ana);
    g_autoptr(TerenRecord) b = only_entry (fixture, "creche.attendance", "enrolment", bogdan);
    g_autoptr(TerenRecord) c = only_entry (fixture, "creche.attendance", "enrolment", cristi);

    g_assert_cmpstr (teren_record_get_id (a), ==, ana_entry);
    g_assert_cmpstr (teren_record_get_string (a, "status"), ==, "excused");
    g_assert_cmpstr (teren_record_get_string (b, "status"), ==, "present");
    g_assert_cmpstr (teren_record_get_string (c, "status"), ==, "absent");
  }

  /* Another day has no marks. */
  g_free (fixture->day);
  fixture->day = teren_gui_test_iso_days_from_today (-2);
  page = open_register (fixture, "creche");
  g_assert_cmpuint (teren_register_page_get_n_rows (page), ==, 3);
  g_assert_null (teren_register_page_get_mark (page, ana));
}

static void
test_canteen (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *maria = store_beneficiary (fixture, "Maria", TRUE);
  g_autofree char *petru = store_beneficiary (fixture, "Petru", FALSE);
  g_autofree char *meal = NULL;
  TerenRegisterPage *page;

  page = open_register (fixture, "canteen");
  g_assert_cmpuint (teren_register_page_get_n_rows (page), ==, 2);
  g_assert_cmpstr (teren_register_page_get_row_id (page, 0), ==, maria);
  g_assert_cmpstr (teren_register_page_get_row_id (page, 1), ==, petru);
  g_assert_null (teren_register_page_get_mark_button (page, maria, "present"));
  teren_register_page_set_mark (page, maria, "served");
  teren_register_page_set_mark (page, petru, "not_served");
  save_register (page);

  /* Only the meal served is a record. */
  g_assert_cmpuint (teren_store_count (fixture->store, "canteen.meal"), ==, 1);
  {
    g_autoptr(TerenRecord) m = only_entry (fixture, "canteen.meal", "beneficiary", maria);

    g_assert_true (teren_record_get_bool (m, "lunch"));
    g_assert_true (teren_record_get_bool (m, "dinner"));
    g_assert_cmpstr (teren_record_get_line (m), ==, "canteen");
    meal = g_strdup (teren_record_get_id (m));
  }

  page = open_register (fixture, "canteen");
  g_assert_cmpstr (teren_register_page_get_mark (page, maria), ==, "served");
  g_assert_null (teren_register_page_get_mark (page, petru));
  teren_register_page_set_mark (page, maria, "not_served");
  teren_register_page_set_mark (page, petru, "served");
  save_register (page);
  g_assert_cmpstr (teren_register_page_get_mark (page, maria), ==, "not_served");
  g_assert_cmpstr (teren_register_page_get_mark (page, petru), ==, "served");

  g_assert_cmpuint (teren_store_count (fixture->store, "canteen.meal"), ==, 2);
  {
    g_autoptr(TerenRecord) m = only_entry (fixture, "canteen.meal", "beneficiary", maria);
    g_autoptr(TerenRecord) p = only_entry (fixture, "canteen.meal", "beneficiary", petru);

    g_assert_cmpstr (teren_record_get_id (m), ==, meal);
    g_assert_false (teren_record_get_bool (m, "lunch"));
    g_assert_false (teren_record_get_bool (m, "dinner"));
    g_assert_true (teren_record_get_bool (p, "lunch"));
    g_assert_false (teren_record_get_bool (p, "dinner"));
  }
}

/* Bad input: a day that is not a date is refused at the field and nothing is read; a day in
 * the future cannot be saved (attendance date NOFUT): a clear error and no record. */
static void
test_bad_day (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *ana = store_enrolment (fixture, "Ana");
  g_autofree char *tomorrow = teren_gui_test_iso_days_from_today (1);
  TerenRegisterPage *page;
  GtkWidget *entry;

  page = open_register (fixture, "creche");
  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), TEREN_TYPE_REGISTER_PAGE,
                                                     "date_entry"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "2026-13-45");
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (teren_register_page_get_error (page));
  g_assert_cmpstr (teren_register_page_get_date (page), ==, fixture->day);

  /* The keyboard path to another day: type it and press Enter ("activate"). */
  gtk_editable_set_text (GTK_EDITABLE (entry), tomorrow);
  g_signal_emit_by_name (entry, "activate");
  teren_gui_test_wait_until (page_is_idle, page, "the register to be read");
  g_assert_cmpstr (teren_register_page_get_date (page), ==, tomorrow);
  g_assert_cmpuint (teren_register_page_get_n_rows (page), ==, 1);
  teren_register_page_set_mark (page, ana, "present");
  gtk_widget_activate_action (GTK_WIDGET (page), "register.save", NULL);
  teren_gui_test_wait_until (page_is_idle, page, "the save to fail");
  g_assert_nonnull (teren_register_page_get_error (page));
  g_assert_cmpuint (teren_store_count (fixture->store, "creche.attendance"), ==, 0);
}

static GtkWidget *
find_register_page (GtkWidget *widget)
{
  GtkWidget *child;

  if (TEREN_IS_REGISTER_PAGE (widget))
    return widget;
  for (child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_register_page (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* "Daily Register" on the crèche and canteen line pages only. */
static void
test_line_page_button (Fixture       *fixture,
                       gconstpointer  data)
{
  TerenLinePage *line_page = teren_line_page_new (fixture->store);
  g_autoptr(GListModel) toplevels = NULL;
  GtkWidget *found = NULL;
  guint i, n_before;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (line_page));
  gtk_window_present (fixture->window);

  /* Other lines keep no register: nothing opens. */
  teren_line_page_set_line (line_page, "child");
  n_before = g_list_model_get_n_items (gtk_window_get_toplevels ());
  gtk_widget_activate_action (GTK_WIDGET (line_page), "line.register", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, n_before);
  teren_line_page_set_line (line_page, "canteen");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (line_page), "line.register", NULL));

  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (i = 0; i < g_list_model_get_n_items (toplevels) && found == NULL; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (window != GTK_WIDGET (fixture->window))
        found = find_register_page (window);
    }
  g_assert_nonnull (found);
  g_assert_cmpstr (teren_register_page_get_line (TEREN_REGISTER_PAGE (found)), ==, "canteen");
  teren_gui_test_wait_until (page_is_idle, found, "the register to be read");
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (found)));
}

int
main (int   argc,
      char *argv[])
{
  teren_gui_test_init (&argc, &argv);

  g_test_add ("/gui/registers/creche", Fixture, NULL, fixture_set_up, test_creche, fixture_tear_down);
  g_test_add ("/gui/registers/canteen", Fixture, NULL, fixture_set_up, test_canteen, fixture_tear_down);
  g_test_add ("/gui/registers/bad-day", Fixture, NULL, fixture_set_up, test_bad_day, fixture_tear_down);
  g_test_add ("/gui/registers/line-page", Fixture, NULL, fixture_set_up, test_line_page_button, fixture_tear_down);

  return g_test_run ();
}
