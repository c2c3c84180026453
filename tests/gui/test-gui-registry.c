/* test-gui-registry.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-full-vfs.h"

#include "teren-form.h"
#include "teren-json.h"
#include "teren-gui-test-util.h"
#include "teren-record-list.h"
#include "teren-record-picker.h"
#include "teren-window.h"

/* The registry through the window, as a user would use it: register, search, see
 * duplicates, get inline validation, and get a crashed form back from its draft. */

typedef struct
{
  TerenStore  *store;
  TerenWindow *window;
  char        *cnp;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->store = teren_gui_test_store_new ();
  fixture->window = g_object_ref (teren_window_new (NULL, fixture->store));
  /* Born 12.03.1985 in București, female. */
  fixture->cnp = teren_gui_test_cnp ("285031240001");
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      teren_gui_test_assert_finalize (g_steal_pointer (&fixture->window));
    }
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->cnp, g_free);
}

/* Helpers */

static void
type_into (TerenForm  *form,
           const char *key,
           const char *text)
{
  TerenFieldRow *row = teren_form_get_field (form, key);

  g_assert_nonnull (row);
  g_assert_nonnull (teren_field_row_get_editable (row));
  gtk_editable_set_text (teren_field_row_get_editable (row), text);
}

static TerenForm *
new_person_form (Fixture *fixture)
{
  TerenForm *form;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-person", NULL);
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (teren_form_get_kind (form), ==, "person");
  return form;
}

static void
on_saved_cb (TerenForm   *form,
             TerenRecord *record,
             gboolean    *saved)
{
  *saved = TRUE;
}

static TerenRecord *
store_person (Fixture    *fixture,
              const char *last_name,
              const char *first_name,
              const char *cnp_status,
              const char *cnp,
              const char *birth_date)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GError) error = NULL;
  TerenRecord *record;

  json_object_set_string_member (fields, "last_name", last_name);
  json_object_set_string_member (fields, "first_name", first_name);
  json_object_set_string_member (fields, "cnp_status", cnp_status);
  json_object_set_string_member (fields, "sex", "F");
  if (cnp != NULL)
    json_object_set_string_member (fields, "cnp", cnp);
  if (birth_date != NULL)
    json_object_set_string_member (fields, "birth_date", birth_date);
  record = teren_store_save (fixture->store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  return record;
}

typedef struct
{
  GListModel *model;
  const char *title;
} ListExpectation;

static gboolean
list_shows_only (gpointer data)
{
  ListExpectation *expect = data;
  g_autoptr(TerenRecord) record = NULL;

  if (teren_record_list_get_loading (TEREN_RECORD_LIST (expect->model)) ||
      g_list_model_get_n_items (expect->model) != 1)
    return FALSE;
  record = g_list_model_get_item (expect->model, 0);
  return g_strcmp0 (teren_record_get_title (record), expect->title) == 0;
}

static gboolean
list_is_empty (gpointer data)
{
  ListExpectation *expect = data;

  return !teren_record_list_get_loading (TEREN_RECORD_LIST (expect->model)) &&
         g_list_model_get_n_items (expect->model) == 0;
}

/* Tests */

static gboolean
record_page_loaded (gpointer data)
{
  TerenRecordPage *page = teren_window_get_record_page (data);

  return page != NULL && teren_record_page_get_record (page) != NULL &&
         !teren_record_page_get_loading (page);
}

static void
test_register_person (Fixture       *fixture,
                      gconstpointer  data)
{
  TerenForm *form = new_person_form (fixture);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  TerenRecordPage *page;

  type_into (form, "last_name", "Ștefănescu");
  type_into (form, "first_name", "Ana");
  /* The CNP fills sex and birth date. */
  type_into (form, "cnp", fixture->cnp);
  g_assert_true (teren_form_get_dirty (form));
  g_free (teren_gui_test_save_form (form));

  ids = teren_store_list_ids (fixture->store, "person", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  record = teren_store_get_record (fixture->store, g_ptr_array_index (ids, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (record, "last_name"), ==, "Ștefănescu");
  g_assert_cmpstr (teren_record_get_string (record, "first_name"), ==, "Ana");
  g_assert_cmpstr (teren_record_get_string (record, "cnp"), ==, fixture->cnp);
  g_assert_cmpstr (teren_record_get_string (record, "cnp_status"), ==, "valid");
  g_assert_cmpstr (teren_record_get_string (record, "sex"), ==, "F");
  g_assert_cmpstr (teren_record_get_string (record, "birth_date"), ==, "1985-03-12");
  /* Saved: one operation waits in the op-log, no draft is left. */
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 1);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = teren_store_list_drafts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 0);

  /* The new person's page replaces the form. */
  teren_gui_test_wait_until (record_page_loaded, fixture->window, "the record page");
  page = teren_window_get_record_page (fixture->window);
  g_assert_cmpstr (teren_record_page_get_record_id (page), ==, teren_record_get_id (record));
  g_assert_null (teren_window_get_form (fixture->window));
}

static void
test_search_by_folded_name_and_cnp (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(TerenRecord) ana = store_person (fixture, "Ștefănescu", "Ana", "valid", fixture->cnp, "1985-03-12");
  g_autoptr(TerenRecord) ion = store_person (fixture, "Popescu", "Ion", "missing", NULL, NULL);
  GtkEditable *search = GTK_EDITABLE (teren_window_get_search_entry (fixture->window));
  ListExpectation expect = { teren_window_get_list_model (fixture->window), "Ștefănescu Ana" };

  g_assert_nonnull (expect.model);

  gtk_editable_set_text (search, "stefanescu");
  teren_gui_test_wait_until (list_shows_only, &expect, "the folded name search");
  g_assert_cmpstr (teren_window_get_content_page (fixture->window), ==, "list");

  gtk_editable_set_text (search, "");
  gtk_editable_set_text (search, fixture->cnp);
  teren_gui_test_wait_until (list_shows_only, &expect, "the CNP search");

  expect.title = "Popescu Ion";
  gtk_editable_set_text (search, "pop");
  teren_gui_test_wait_until (list_shows_only, &expect, "the prefix search");

  gtk_editable_set_text (search, "nimeni");
  teren_gui_test_wait_until (list_is_empty, &expect, "an empty search");
  g_assert_cmpstr (teren_window_get_content_page (fixture->window), ==, "no-results");
}

static gboolean
duplicate_shown (gpointer data)
{
  return teren_form_get_duplicate_text (data) != NULL;
}

static void
test_duplicate_warning (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TerenRecord) existing = store_person (fixture, "Ștefănescu", "Ana", "valid",
                                                  fixture->cnp, "1985-03-12");
  TerenForm *form;
  const char *text;

  /* Same CNP. */
  form = new_person_form (fixture);
  type_into (form, "last_name", "Stefanescu");
  type_into (form, "first_name", "Anna");
  type_into (form, "cnp", fixture->cnp);
  teren_gui_test_wait_until (duplicate_shown, form, "the duplicate warning (CNP)");
  text = teren_form_get_duplicate_text (form);
  g_assert_nonnull (strstr (text, "Ștefănescu Ana"));
  g_assert_nonnull (strstr (text, "12.03.1985"));
  g_assert_cmpstr (teren_form_get_duplicate_id (form), ==, teren_record_get_id (existing));

  /* Its Open button asks the window to open the existing person. */
  g_signal_emit_by_name (form, "open-record", teren_record_get_id (existing));
  g_assert_nonnull (teren_window_get_record_page (fixture->window));
  g_assert_cmpstr (teren_record_page_get_record_id (teren_window_get_record_page (fixture->window)),
                   ==, teren_record_get_id (existing));

  /* Same name and birth date, no CNP. */
  form = teren_window_open_form (fixture->window, "person", "", NULL);
  teren_form_set_string (form, "cnp_status", "missing");
  type_into (form, "last_name", "ȘTEFĂNESCU");
  type_into (form, "first_name", "ana");
  type_into (form, "birth_date", "12.03.1985");
  teren_gui_test_wait_until (duplicate_shown, form, "the duplicate warning (name and birth date)");
  g_assert_cmpstr (teren_form_get_duplicate_id (form), ==, teren_record_get_id (existing));
}

static void
test_no_duplicate_for_someone_else (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(TerenRecord) existing = store_person (fixture, "Ștefănescu", "Ana", "valid",
                                                  fixture->cnp, "1985-03-12");
  TerenForm *form = new_person_form (fixture);

  teren_form_set_string (form, "cnp_status", "missing");
  type_into (form, "last_name", "Ștefănescu");
  type_into (form, "first_name", "Ana");
  type_into (form, "birth_date", "13.03.1985");
  teren_gui_test_spin (3 * TEREN_FORM_DUPLICATE_DELAY_MS);
  teren_gui_test_spin (200);
  g_assert_null (teren_form_get_duplicate_text (form));
}

static void
assert_nothing_saved (Fixture *fixture)
{
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 0);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 0);
}

static void
test_invalid_cnp_inline (Fixture       *fixture,
                         gconstpointer  data)
{
  TerenForm *form = new_person_form (fixture);
  TerenFieldRow *cnp_row = teren_form_get_field (form, "cnp");
  g_autofree char *bad = g_strdup (fixture->cnp);
  gboolean saved = FALSE;

  /* Wrong control digit. */
  bad[12] = bad[12] == '9' ? '0' : bad[12] + 1;
  g_signal_connect (form, "saved", G_CALLBACK (on_saved_cb), &saved);
  type_into (form, "last_name", "Ștefănescu");
  type_into (form, "first_name", "Ana");
  type_into (form, "cnp", bad);
  /* Shown as soon as all 13 digits are there. */
  g_assert_cmpint (teren_field_row_get_message_kind (cnp_row), ==, TEREN_FIELD_MESSAGE_ERROR);
  g_assert_nonnull (teren_field_row_get_message (cnp_row));

  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  teren_gui_test_spin (300);
  g_assert_false (saved);
  g_assert_cmpint (teren_field_row_get_message_kind (cnp_row), ==, TEREN_FIELD_MESSAGE_ERROR);
  g_assert_true (teren_window_get_form (fixture->window) == form);
  assert_nothing_saved (fixture);

  /* Fixed: the message goes away while typing. */
  type_into (form, "cnp", fixture->cnp);
  g_assert_cmpint (teren_field_row_get_message_kind (cnp_row), !=, TEREN_FIELD_MESSAGE_ERROR);
}

static void
test_required_field_inline (Fixture       *fixture,
                            gconstpointer  data)
{
  TerenForm *form = new_person_form (fixture);
  TerenFieldRow *last_name = teren_form_get_field (form, "last_name");
  TerenFieldRow *first_name = teren_form_get_field (form, "first_name");
  gboolean saved = FALSE;

  g_signal_connect (form, "saved", G_CALLBACK (on_saved_cb), &saved);
  type_into (form, "first_name", "Ana");
  type_into (form, "cnp", fixture->cnp);
  /* Not nagged while typing elsewhere. */
  g_assert_cmpint (teren_field_row_get_message_kind (last_name), ==, TEREN_FIELD_MESSAGE_NONE);

  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  teren_gui_test_spin (300);
  g_assert_false (saved);
  g_assert_cmpint (teren_field_row_get_message_kind (last_name), ==, TEREN_FIELD_MESSAGE_ERROR);
  g_assert_nonnull (teren_field_row_get_message (last_name));
  g_assert_cmpint (teren_field_row_get_message_kind (first_name), ==, TEREN_FIELD_MESSAGE_NONE);
  g_assert_false (teren_form_validate (form));
  assert_nothing_saved (fixture);

  type_into (form, "last_name", "Ștefănescu");
  g_assert_cmpint (teren_field_row_get_message_kind (last_name), ==, TEREN_FIELD_MESSAGE_NONE);
  g_assert_true (teren_form_validate (form));
}

static void
test_cnp_status_controls_cnp (Fixture       *fixture,
                              gconstpointer  data)
{
  TerenForm *form = new_person_form (fixture);
  TerenFieldRow *cnp_row = teren_form_get_field (form, "cnp");
  TerenFieldRow *status_row = teren_form_get_field (form, "cnp_status");
  g_autoptr(JsonNode) status = teren_field_row_get_value (status_row);

  /* A new person is expected to have a valid CNP. */
  g_assert_cmpstr (json_node_get_string (status), ==, "valid");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (cnp_row)));

  /* Refused: no CNP asked for, and the person saves without one. */
  teren_field_row_set_string (status_row, "refused");
  g_signal_emit_by_name (status_row, "changed");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (cnp_row)));
  type_into (form, "last_name", "Popescu");
  type_into (form, "first_name", "Ion");
  teren_form_set_string (form, "sex", "M");
  g_free (teren_gui_test_save_form (form));
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);
}

static void
test_cnp_mismatch_warning (Fixture       *fixture,
                           gconstpointer  data)
{
  TerenForm *form = new_person_form (fixture);
  TerenFieldRow *cnp_row = teren_form_get_field (form, "cnp");

  teren_form_set_string (form, "sex", "M");
  type_into (form, "birth_date", "01.01.1990");
  type_into (form, "cnp", fixture->cnp);
  g_assert_cmpint (teren_field_row_get_message_kind (cnp_row), ==, TEREN_FIELD_MESSAGE_WARNING);
  g_assert_nonnull (teren_field_row_get_message (cnp_row));
}

static gboolean
draft_written (gpointer data)
{
  gpointer *args = data;
  g_autoptr(JsonObject) fields = teren_store_get_draft (args[0], args[1], NULL, NULL, NULL, NULL);

  return fields != NULL &&
         g_strcmp0 (teren_json_get_string (fields, "last_name", NULL), "Ștefănescu") == 0;
}

static gboolean
form_restored (gpointer data)
{
  return teren_window_get_form (data) != NULL;
}

static void
test_draft_restored_after_crash (Fixture       *fixture,
                                 gconstpointer  data)
{
  TerenForm *form = new_person_form (fixture);
  g_autofree char *key = g_strdup (teren_form_get_draft_key (form));
  gpointer args[2] = { fixture->store, key };
  g_autoptr(JsonNode) value = NULL;
  TerenWindow *window;

  type_into (form, "last_name", "Ștefănescu");
  type_into (form, "first_name", "Ana");
  teren_gui_test_wait_until (draft_written, args, "the draft");

  /* The window goes away without saving, as in a crash. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  teren_gui_test_assert_finalize (g_steal_pointer (&fixture->window));
  assert_nothing_saved (fixture);

  window = g_object_ref (teren_window_new (NULL, fixture->store));
  fixture->window = window;
  gtk_window_present (GTK_WINDOW (window));
  teren_gui_test_wait_until (form_restored, window, "the restored form");

  form = teren_window_get_form (window);
  g_assert_cmpstr (teren_form_get_draft_key (form), ==, key);
  g_assert_true (teren_form_get_dirty (form));
  g_assert_cmpstr (gtk_editable_get_text (teren_field_row_get_editable (teren_form_get_field (form, "last_name"))),
                   ==, "Ștefănescu");
  value = teren_field_row_get_value (teren_form_get_field (form, "first_name"));
  g_assert_cmpstr (json_node_get_string (value), ==, "Ana");

  /* Saving it removes the draft. */
  type_into (form, "cnp", fixture->cnp);
  g_free (teren_gui_test_save_form (form));
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);
  g_assert_null (teren_store_get_draft (fixture->store, key, NULL, NULL, NULL, NULL));
}

static void
on_toast_cb (TerenForm  *form,
             AdwToast   *toast,
             GPtrArray  *titles)
{
  g_ptr_array_add (titles, g_strdup (adw_toast_get_title (toast)));
}

static gboolean
has_toast_with (gpointer data)
{
  gpointer *args = data;
  GPtrArray *titles = args[0];
  guint i;

  for (i = 0; i < titles->len; i++)
    if (strstr (titles->pdata[i], args[1]) != NULL)
      return TRUE;
  return FALSE;
}

/* The disk fills while a person is being typed in (SYNC-NOTES S20): the form says once
 * that the typing is no longer kept on disk; Save says the disk is full and keeps the
 * form open with everything typed; once space is back, Save goes through. */
static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  TerenForm *form = new_person_form (fixture);
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  gpointer draft_args[2] = { titles, (gpointer) "what you type is lost" };
  gpointer save_args[2] = { titles, (gpointer) "The disk is full; nothing was saved" };
  g_autofree char *id = NULL;
  guint i, told = 0;

  g_signal_connect (form, "add-toast", G_CALLBACK (on_toast_cb), titles);
  teren_full_vfs_set_full (TRUE);
  type_into (form, "last_name", "Ștefănescu");
  type_into (form, "first_name", "Ana");
  teren_gui_test_wait_until (has_toast_with, draft_args, "the warning that the typing is not kept");
  /* More typing, a draft written (and refused) again: no second warning. */
  type_into (form, "cnp", fixture->cnp);
  teren_gui_test_spin (2 * TEREN_FORM_DRAFT_DELAY_MS);

  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  teren_gui_test_wait_until (has_toast_with, save_args, "the full disk on save");

  /* Told once, not at every keystroke; nothing saved; everything typed still there. */
  for (i = 0; i < titles->len; i++)
    told += strstr (titles->pdata[i], "what you type is lost") != NULL;
  g_assert_cmpuint (told, ==, 1);
  g_assert_true (teren_window_get_form (fixture->window) == form);
  g_assert_true (teren_form_get_dirty (form));
  g_assert_cmpstr (gtk_editable_get_text (teren_field_row_get_editable (teren_form_get_field (form, "last_name"))),
                   ==, "Ștefănescu");
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 0);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 0);

  /* Space is back: the same form saves. */
  teren_full_vfs_set_full (FALSE);
  id = teren_gui_test_save_form (form);
  g_assert_nonnull (id);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);
}

static void
test_cancel_clean_form_deletes_nothing (Fixture       *fixture,
                                        gconstpointer  data)
{
  TerenForm *form = new_person_form (fixture);

  g_object_ref (form);
  gtk_widget_activate_action (GTK_WIDGET (form), "form.cancel", NULL);
  teren_gui_test_spin (100);
  g_assert_null (teren_window_get_form (fixture->window));
  assert_nothing_saved (fixture);
  g_object_unref (form);
}

static gboolean
page_shows_related (gpointer data)
{
  TerenRecordPage *page = data;

  return !teren_record_page_get_loading (page) &&
         teren_record_page_get_related_ids (page)->len == 1 &&
         teren_record_page_get_case_ids (page)->len == 1;
}

static void
test_record_page_relations (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Ștefănescu", "Ana", "valid", fixture->cnp, "1985-03-12");
  g_autoptr(JsonObject) household = json_object_new ();
  g_autoptr(JsonObject) member = json_object_new ();
  g_autoptr(JsonObject) kase = json_object_new ();
  g_autoptr(TerenRecord) home = NULL;
  g_autoptr(TerenRecord) membership = NULL;
  g_autoptr(TerenRecord) case_record = NULL;
  g_autoptr(GError) error = NULL;
  TerenRecordPage *page;

  /* Markup characters in user data must show as typed (rows are not markup). */
  json_object_set_string_member (household, "address", "Str. Lungă 3 & <b>bloc</b>, Brașov");
  home = teren_store_save (fixture->store, "household", "", NULL, household, NULL, NULL, &error);
  g_assert_no_error (error);
  json_object_set_string_member (member, "person", teren_record_get_id (person));
  json_object_set_string_member (member, "household", teren_record_get_id (home));
  membership = teren_store_save (fixture->store, "household_member", "", NULL, member, NULL, NULL, &error);
  g_assert_no_error (error);
  json_object_set_string_member (kase, "person", teren_record_get_id (person));
  json_object_set_string_member (kase, "opened_on", "2024-05-02");
  json_object_set_string_member (kase, "status", "open");
  json_object_set_string_member (kase, "number", "123/2024");
  case_record = teren_store_save (fixture->store, "case", "child", NULL, kase, NULL, NULL, &error);
  g_assert_no_error (error);

  page = teren_window_open_record (fixture->window, teren_record_get_id (person));
  teren_gui_test_wait_until (page_shows_related, page, "the households and cases");
  g_assert_cmpstr (g_ptr_array_index (teren_record_page_get_related_ids (page), 0), ==,
                   teren_record_get_id (home));
  g_assert_cmpstr (g_ptr_array_index (teren_record_page_get_case_ids (page), 0), ==,
                   teren_record_get_id (case_record));
}

static gboolean
page_shows_one_household (gpointer data)
{
  TerenRecordPage *page = data;

  return !teren_record_page_get_loading (page) && teren_record_page_get_record (page) != NULL &&
         teren_record_page_get_related_ids (page)->len == 1;
}

static gboolean
page_loaded (gpointer data)
{
  return !teren_record_page_get_loading (data) && teren_record_page_get_record (data) != NULL;
}

/* From a person's page: Add to Household opens a membership form with the person filled
 * in; saving it shows the household on the page. */
static void
test_add_membership_from_page (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Ștefănescu", "Ana", "valid", fixture->cnp, "1985-03-12");
  g_autoptr(JsonObject) household = json_object_new ();
  g_autoptr(TerenRecord) home = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;
  TerenRecordPage *page;
  TerenForm *form;

  json_object_set_string_member (household, "address", "Str. Lungă 3, Brașov");
  home = teren_store_save (fixture->store, "household", "", NULL, household, NULL, NULL, &error);
  g_assert_no_error (error);

  page = teren_window_open_record (fixture->window, teren_record_get_id (person));
  teren_gui_test_wait_until (page_loaded, page, "the person's page");
  g_assert_cmpuint (teren_record_page_get_related_ids (page)->len, ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (page), "record.add-related", NULL);
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (teren_form_get_kind (form), ==, "household_member");
  value = teren_field_row_get_value (teren_form_get_field (form, "person"));
  g_assert_cmpstr (json_node_get_string (value), ==, teren_record_get_id (person));
  /* Prefilled by the page, not typed: nothing to lose yet. */
  g_assert_false (teren_form_get_dirty (form));

  /* What the household picker does when a household is chosen. */
  teren_form_set_string (form, "household", teren_record_get_id (home));
  teren_form_set_string (form, "relationship", "head");
  g_free (teren_gui_test_save_form (form));

  teren_gui_test_wait_until (page_shows_one_household, page, "the household on the page");
  g_assert_cmpstr (g_ptr_array_index (teren_record_page_get_related_ids (page), 0), ==,
                   teren_record_get_id (home));
  g_assert_cmpuint (teren_store_count (fixture->store, "household_member"), ==, 1);
}

static gboolean
page_shows_one_case (gpointer data)
{
  TerenRecordPage *page = data;

  return !teren_record_page_get_loading (page) && teren_record_page_get_record (page) != NULL &&
         teren_record_page_get_case_ids (page)->len == 1;
}

/* Open Case on a person's page, with a service line chosen in the sidebar: the case form
 * comes with the person, today's date and the line; saving shows the case on the page. */
static void
test_open_case_from_page (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Ștefănescu", "Ana", "valid", fixture->cnp, "1985-03-12");
  g_autoptr(TerenRecord) kase = NULL;
  g_autoptr(GError) error = NULL;
  TerenRecordPage *page;
  TerenForm *form;

  teren_window_select_line (fixture->window, "child");
  g_assert_cmpstr (teren_window_get_content_page (fixture->window), ==, "line-cases");

  page = teren_window_open_record (fixture->window, teren_record_get_id (person));
  teren_gui_test_wait_until (page_loaded, page, "the person's page");
  gtk_widget_activate_action (GTK_WIDGET (page), "record.new-case", NULL);
  form = teren_window_get_form (fixture->window);
  g_assert_nonnull (form);
  g_assert_cmpstr (teren_form_get_kind (form), ==, "case");
  g_assert_cmpstr (teren_form_get_line (form), ==, "child");
  type_into (form, "number", "1204/2024");
  g_free (teren_gui_test_save_form (form));

  teren_gui_test_wait_until (page_shows_one_case, page, "the case on the page");
  kase = teren_store_get_record (fixture->store,
                                 g_ptr_array_index (teren_record_page_get_case_ids (page), 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_line (kase), ==, "child");
  g_assert_cmpstr (teren_record_get_string (kase, "person"), ==, teren_record_get_id (person));
  g_assert_cmpstr (teren_record_get_string (kase, "status"), ==, "open");
  g_assert_nonnull (teren_record_get_string (kase, "opened_on"));
}

/* Without a service line a case cannot be saved, and nothing is written. */
static void
test_case_needs_a_line (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TerenRecord) person = store_person (fixture, "Ștefănescu", "Ana", "valid", fixture->cnp, "1985-03-12");
  TerenForm *form = teren_window_open_form (fixture->window, "case", NULL, NULL);
  gboolean saved = FALSE;

  g_signal_connect (form, "saved", G_CALLBACK (on_saved_cb), &saved);
  teren_form_set_string (form, "person", teren_record_get_id (person));
  g_assert_cmpstr (teren_form_get_line (form), ==, "");
  g_assert_false (teren_form_validate (form));
  gtk_widget_activate_action (GTK_WIDGET (form), "form.save", NULL);
  teren_gui_test_spin (300);
  g_assert_false (saved);
  g_assert_cmpuint (teren_store_count (fixture->store, "case"), ==, 0);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, 1);
}

static void
on_chosen_cb (TerenRecordPicker *picker,
              const char        *id,
              const char        *title,
              char             **out_id)
{
  g_free (*out_id);
  *out_id = g_strdup (id);
}

/* The reference picker searches like the main list and hands back the chosen record. */
static void
test_record_picker_search (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TerenRecord) ana = store_person (fixture, "Ștefănescu", "Ana", "valid", fixture->cnp, "1985-03-12");
  g_autoptr(TerenRecord) ion = store_person (fixture, "Popescu", "Ion", "missing", NULL, NULL);
  TerenRecordPicker *picker = g_object_ref (teren_record_picker_new (fixture->store, "person"));
  ListExpectation expect = { teren_record_picker_get_model (picker), "Ștefănescu Ana" };
  g_autofree char *chosen = NULL;

  g_signal_connect (picker, "chosen", G_CALLBACK (on_chosen_cb), &chosen);
  gtk_window_present (GTK_WINDOW (picker));
  gtk_editable_set_text (GTK_EDITABLE (teren_record_picker_get_search (picker)), "ștef");
  teren_gui_test_wait_until (list_shows_only, &expect, "the picker's search");
  teren_record_picker_choose (picker, 0);
  g_assert_cmpstr (chosen, ==, teren_record_get_id (ana));
  teren_gui_test_assert_finalize (picker);
}

int
main (int   argc,
      char *argv[])
{
  teren_gui_test_init (&argc, &argv);
  /* Before any store is opened: every database of this program goes through it. */
  teren_full_vfs_install ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/teren/gui/registry/register-person", test_register_person);
  ADD ("/teren/gui/registry/search", test_search_by_folded_name_and_cnp);
  ADD ("/teren/gui/registry/duplicate-warning", test_duplicate_warning);
  ADD ("/teren/gui/registry/no-duplicate-for-someone-else", test_no_duplicate_for_someone_else);
  ADD ("/teren/gui/registry/invalid-cnp-inline", test_invalid_cnp_inline);
  ADD ("/teren/gui/registry/required-field-inline", test_required_field_inline);
  ADD ("/teren/gui/registry/cnp-status-controls-cnp", test_cnp_status_controls_cnp);
  ADD ("/teren/gui/registry/cnp-mismatch-warning", test_cnp_mismatch_warning);
  ADD ("/teren/gui/registry/draft-restored", test_draft_restored_after_crash);
  ADD ("/teren/gui/registry/disk-full", test_disk_full);
  ADD ("/teren/gui/registry/cancel-clean-form", test_cancel_clean_form_deletes_nothing);
  ADD ("/teren/gui/registry/record-page-relations", test_record_page_relations);
  ADD ("/teren/gui/registry/add-membership-from-page", test_add_membership_from_page);
  ADD ("/teren/gui/registry/open-case-from-page", test_open_case_from_page);
  ADD ("/teren/gui/registry/case-needs-a-line", test_case_needs_a_line);
  ADD ("/teren/gui/registry/record-picker-search", test_record_picker_search);

#undef ADD

  return g_test_run ();
}
