/* test-store-bad-input.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Bad input to the store (issue #2 "Bad input"): each gives a clear error, and nothing is
 * changed — neither the rows (compared by a digest of every table) nor the file's bytes. */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "teren-cnp.h"
#include "teren-date.h"
#include "teren-error.h"
#include "teren-full-vfs.h"
#include "teren-json.h"
#include "teren-schema.h"
#include "teren-store.h"
#include "teren-store-blobs.h"
#include "teren-store-private.h"
#include "teren-store-test-util.h"

typedef struct
{
  char        *dir;
  TerenStore  *store;
  TerenRecord *existing;   /* a valid person to edit */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cnp = test_make_cnp ('F', 1985, 3, 14, 12);
  g_autoptr(JsonObject) fields = test_person_fields ("Popescu", "Maria", "F", "1985-03-14", cnp);

  fixture->dir = g_dir_make_tmp ("teren-bad-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = teren_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  fixture->existing = teren_store_save (fixture->store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->existing);
  g_clear_object (&fixture->store);
  test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

/* Saves @fields (a create, or an edit of the fixture's person when @edit) and checks that
 * it is refused with @code on @field, a message for the user, and no change at all. */
static void
assert_refused (Fixture    *fixture,
                JsonObject *fields,
                gboolean    edit,
                const char *field,
                const char *code)
{
  g_autofree char *before = test_store_digest (fixture->dir);
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) field_errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(TerenRecord) stored = NULL;
  gboolean found = FALSE;
  guint pending = teren_store_count_pending (fixture->store);
  guint i;

  record = teren_store_save (fixture->store, "person", "",
                             edit ? teren_record_get_id (fixture->existing) : NULL,
                             fields, NULL, &field_errors, &error);
  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_nonnull (field_errors);
  g_assert_cmpuint (field_errors->len, >=, 1);
  for (i = 0; i < field_errors->len; i++)
    {
      TerenFieldError *problem = field_errors->pdata[i];

      g_assert_nonnull (problem->message);
      g_assert_cmpstr (problem->message, !=, "");
      if (g_strcmp0 (problem->field, field) == 0 && g_strcmp0 (problem->code, code) == 0)
        {
          found = TRUE;
          /* The GError names the problem too (the first one, and how many more). */
          g_assert_nonnull (strstr (error->message, ((TerenFieldError *) field_errors->pdata[0])->message));
        }
    }
  if (!found)
    {
      g_autoptr(GString) got = g_string_new (NULL);

      for (i = 0; i < field_errors->len; i++)
        g_string_append_printf (got, " %s:%s", ((TerenFieldError *) field_errors->pdata[i])->field,
                                ((TerenFieldError *) field_errors->pdata[i])->code);
      g_error ("expected %s:%s, got%s", field, code, got->str);
    }

  g_clear_error (&error);
  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, pending);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);
  stored = teren_store_get_record (fixture->store, teren_record_get_id (fixture->existing), &error);
  g_assert_no_error (error);
  {
    g_autofree char *now = teren_json_object_to_string (teren_record_get_fields (stored));
    g_autofree char *then = teren_json_object_to_string (teren_record_get_fields (fixture->existing));

    g_assert_cmpstr (now, ==, then);
  }
}

static char *
cnp_with_check (const char *first12)
{
  return g_strdup_printf ("%s%c", first12, teren_cnp_check_digit (first12));
}

typedef struct
{
  const char *cnp;        /* NULL: made from first12 with its check digit */
  const char *first12;
  const char *code;
} BadCnp;

static void
test_invalid_cnp (Fixture       *fixture,
                  gconstpointer  data)
{
  GDate today;
  g_autofree char *future12 = NULL;
  g_autofree char *valid = test_make_cnp ('F', 1985, 3, 14, 12);
  g_autofree char *bad_checksum = g_strdup (valid);
  const BadCnp cases[] = {
    { "123456789012", NULL, "cnp_length" },
    { "12345678901234", NULL, "cnp_length" },
    { "2850314400A23", NULL, "cnp_not_digits" },
    { NULL, "085031440012", "cnp_sex_digit" },
    { NULL, "285131440012", "cnp_date" },        /* month 13 */
    { NULL, "285023040012", "cnp_date" },        /* 30 February */
    { NULL, "285000040012", "cnp_date" },        /* month 00 */
    { NULL, "FUTURE", "cnp_future" },
    { NULL, "285031449012", "cnp_county" },      /* 49 */
    { NULL, "285031400012", "cnp_county" },      /* 00 */
    { NULL, "285031447012", "cnp_county" },      /* 47: only born up to 1979-12-19 */
    { NULL, "285031440000", "cnp_sequence" },
    { NULL, NULL, "cnp_checksum" },
  };
  guint i;

  teren_date_today (&today);
  future12 = g_strdup_printf ("6%02d010140012", (g_date_get_year (&today) + 1) % 100);
  bad_checksum[12] = bad_checksum[12] == '9' ? '0' : bad_checksum[12] + 1;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cnp = NULL;
      g_autoptr(JsonObject) create = NULL;
      g_autoptr(JsonObject) edit = json_object_new ();

      if (cases[i].cnp != NULL)
        cnp = g_strdup (cases[i].cnp);
      else if (cases[i].first12 == NULL)
        cnp = g_strdup (bad_checksum);
      else if (strcmp (cases[i].first12, "FUTURE") == 0)
        cnp = cnp_with_check (future12);
      else
        cnp = cnp_with_check (cases[i].first12);

      g_test_message ("CNP rule %s", cases[i].code);
      create = test_person_fields ("Ionescu", "Ana", "F", NULL, cnp);
      assert_refused (fixture, create, FALSE, "cnp", cases[i].code);

      json_object_set_string_member (edit, "cnp", cnp);
      assert_refused (fixture, edit, TRUE, "cnp", cases[i].code);
    }
}

/* Rule 7: the CNP must agree with the sex and birth date entered. */
static void
test_cnp_mismatch (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *cnp = test_make_cnp ('F', 1985, 3, 14, 12);
  g_autoptr(JsonObject) wrong_sex = test_person_fields ("Ionescu", "Ana", "M", "1985-03-14", cnp);
  g_autoptr(JsonObject) wrong_date = test_person_fields ("Ionescu", "Ana", "F", "1985-03-15", cnp);
  g_autoptr(JsonObject) wrong_century = test_person_fields ("Ionescu", "Ana", "F", "1885-03-14", cnp);
  g_autoptr(JsonObject) edit = json_object_new ();

  assert_refused (fixture, wrong_sex, FALSE, "cnp", "cnp_sex_mismatch");
  assert_refused (fixture, wrong_date, FALSE, "cnp", "cnp_birth_date_mismatch");
  assert_refused (fixture, wrong_century, FALSE, "cnp", "cnp_birth_date_mismatch");
  /* Editing only the birth date of a person with a CNP is checked against it. */
  json_object_set_string_member (edit, "birth_date", "1990-01-01");
  assert_refused (fixture, edit, TRUE, "cnp", "cnp_birth_date_mismatch");
}

/* The codes that are valid although unusual are not refused (positive control). */
static void
test_unusual_valid_cnp (Fixture       *fixture,
                        gconstpointer  data)
{
  const struct { const char *first12; const char *sex; const char *birth; } cases[] = {
    { "524051370001", "M", "2024-05-13" },   /* county 70, since 2024 */
    { "175031447012", "M", "1975-03-14" },   /* 47 before 1979-12-19 */
    { "785031440012", "M", "1985-03-14" },   /* foreign resident, century unknown */
    { "885031440013", "F", "1985-03-14" },
    { "985031440014", "F", "1985-03-14" },   /* sex unknown */
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cnp = cnp_with_check (cases[i].first12);
      g_autoptr(JsonObject) fields = test_person_fields ("Test", "Valid", cases[i].sex, cases[i].birth, cnp);
      g_autoptr(GError) error = NULL;
      g_autoptr(TerenRecord) record = NULL;
      g_autoptr(GPtrArray) ids = NULL;

      record = teren_store_save (fixture->store, "person", "", NULL, fields, NULL, NULL, &error);
      g_assert_no_error (error);
      ids = teren_store_find_by_cnp (fixture->store, cnp, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ids->len, ==, 1);
    }
}

static void
test_future_birth_date (Fixture       *fixture,
                        gconstpointer  data)
{
  GDate date;
  char tomorrow[16];
  g_autoptr(JsonObject) create = NULL;
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autoptr(JsonObject) no_cnp = json_object_new ();

  teren_date_today (&date);
  g_date_add_days (&date, 1);
  g_date_strftime (tomorrow, sizeof tomorrow, "%Y-%m-%d", &date);

  create = test_person_fields ("Ionescu", "Ana", "F", tomorrow, NULL);
  assert_refused (fixture, create, FALSE, "birth_date", "future_date");

  /* The fixture's person has a CNP: drop it in the same edit so only the date is wrong. */
  json_object_set_string_member (edit, "birth_date", tomorrow);
  json_object_set_null_member (edit, "cnp");
  json_object_set_string_member (edit, "cnp_status", "missing");
  assert_refused (fixture, edit, TRUE, "birth_date", "future_date");

  json_object_set_string_member (no_cnp, "birth_date", "2019-02-29");
  assert_refused (fixture, no_cnp, TRUE, "birth_date", "invalid_date");
}

static void
test_empty_required (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) empty = test_person_fields ("", "Ana", "F", NULL, NULL);
  g_autoptr(JsonObject) blank = test_person_fields ("Ionescu", "   ", "F", NULL, NULL);
  g_autoptr(JsonObject) no_sex = test_person_fields ("Ionescu", "Ana", "F", NULL, NULL);
  g_autoptr(JsonObject) clear = json_object_new ();
  g_autoptr(JsonObject) blank_edit = json_object_new ();
  g_autoptr(JsonObject) household = json_object_new ();
  g_autoptr(GPtrArray) field_errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  json_object_remove_member (no_sex, "sex");
  assert_refused (fixture, empty, FALSE, "last_name", "required");
  assert_refused (fixture, blank, FALSE, "first_name", "required");
  assert_refused (fixture, no_sex, FALSE, "sex", "required");

  json_object_set_null_member (clear, "last_name");
  assert_refused (fixture, clear, TRUE, "last_name", "required");
  json_object_set_string_member (blank_edit, "first_name", "");
  assert_refused (fixture, blank_edit, TRUE, "first_name", "required");

  /* A household without its address. */
  before = test_store_digest (fixture->dir);
  json_object_set_string_member (household, "address", " ");
  record = teren_store_save (fixture->store, "household", "", NULL, household, NULL, &field_errors, &error);
  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  g_assert_cmpstr (((TerenFieldError *) field_errors->pdata[0])->field, ==, "address");
  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);
}

static void
test_long_name (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) ascii = g_string_new (NULL);
  g_autoptr(GString) romanian = g_string_new (NULL);
  g_autoptr(JsonObject) create = NULL;
  g_autoptr(JsonObject) create_ro = NULL;
  g_autoptr(JsonObject) edit = json_object_new ();
  guint i;

  for (i = 0; i < 10000; i++)
    {
      g_string_append_c (ascii, 'a' + i % 26);
      g_string_append (romanian, "\xC8\x99");   /* ș: 10,000 characters, 20,000 bytes */
    }

  create = test_person_fields (ascii->str, "Ana", "F", NULL, NULL);
  assert_refused (fixture, create, FALSE, "last_name", "too_long");
  create_ro = test_person_fields ("Ionescu", romanian->str, "F", NULL, NULL);
  assert_refused (fixture, create_ro, FALSE, "first_name", "too_long");
  json_object_set_string_member (edit, "last_name", ascii->str);
  assert_refused (fixture, edit, TRUE, "last_name", "too_long");
}

static void
test_bad_text (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonObject) control = test_person_fields ("Ion\x01" "escu", "Ana", "F", NULL, NULL);
  g_autoptr(JsonObject) invalid_utf8 = test_person_fields ("Ion\xC3" "escu", "Ana", "F", NULL, NULL);
  g_autoptr(JsonObject) wrong_type = test_person_fields ("Ionescu", "Ana", "F", NULL, NULL);
  g_autoptr(JsonObject) unknown_choice = test_person_fields ("Ionescu", "Ana", "Q", NULL, NULL);

  json_object_set_int_member (wrong_type, "last_name", 42);
  assert_refused (fixture, control, FALSE, "last_name", "control_chars");
  assert_refused (fixture, invalid_utf8, FALSE, "last_name", "invalid_utf8");
  assert_refused (fixture, wrong_type, FALSE, "last_name", "bad_type");
  assert_refused (fixture, unknown_choice, FALSE, "sex", "unknown_choice");
}

static void
test_unknown_kind (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) fields = test_person_fields ("Ionescu", "Ana", "F", NULL, NULL);
  g_autofree char *before = test_store_digest (fixture->dir);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;

  record = teren_store_save (fixture->store, "spaceship", "", NULL, fields, NULL, NULL, &error);
  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_INVALID);
  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);
}

/* ---- Files ------------------------------------------------------------------------- */

static void
assert_open_refused (const char *dir,
                     int         code,
                     const char *message_part)
{
  g_autofree char *db_path = g_build_filename (dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *before = test_file_checksum (db_path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = NULL;

  store = teren_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, TEREN_ERROR, code);
  g_test_message ("refused: %s", error->message);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message_part);

  after = test_file_checksum (db_path);
  g_assert_cmpstr (before, ==, after);

  /* Trying again is refused the same way (the first try did not "repair" anything). */
  g_clear_error (&error);
  store = teren_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, TEREN_ERROR, code);
}

/* A closed store with some rows, its log checkpointed into the main file. */
static char *
make_store_dir (const char *parent,
                const char *name,
                guint       n_persons)
{
  char *dir = g_build_filename (parent, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = teren_store_open (dir, &error);
  guint i;
  sqlite3 *db;

  g_assert_no_error (error);
  g_assert_true (teren_store_begin (store, &error));
  for (i = 0; i < n_persons; i++)
    {
      g_autofree char *last = g_strdup_printf ("Nume%u", i);
      g_autoptr(JsonObject) fields = test_person_fields (last, "Prenume", "F", NULL, NULL);
      g_autoptr(TerenRecord) record = teren_store_save (store, "person", "", NULL, fields, NULL, NULL, &error);

      g_assert_no_error (error);
    }
  g_assert_true (teren_store_commit (store, &error));
  g_clear_object (&store);

  db = test_db_open (dir, FALSE);
  test_db_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close (db);
  return dir;
}

static void
test_corrupt_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-bad-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  guchar garbage[8192];
  guint i;

  g_assert_no_error (error);
  for (i = 0; i < sizeof garbage; i++)
    garbage[i] = (guchar) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (db_path, (const char *) garbage, sizeof garbage, &error));
  g_assert_cmpint (g_chmod (db_path, 0600), ==, 0);

  assert_open_refused (dir, TEREN_ERROR_CORRUPT, "damaged");
  g_assert_false (g_file_test (wal_path, G_FILE_TEST_EXISTS));

  /* A text file someone saved under that name. */
  g_assert_true (g_file_set_contents (db_path, "nume,prenume\nPop,Ana\n", -1, &error));
  assert_open_refused (dir, TEREN_ERROR_CORRUPT, db_path);

  test_rm_rf (dir);
}

static void
test_corrupt_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *top = g_dir_make_tmp ("teren-bad-XXXXXX", &error);
  g_autofree char *dir = make_store_dir (top, "store", 120);
  g_autofree char *db_path = g_build_filename (dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (db_path, &contents, &length, &error));
  g_assert_cmpuint (length, >, 8192);
  g_assert_true (g_file_set_contents (db_path, contents, length / 2, &error));
  g_assert_cmpint (g_chmod (db_path, 0600), ==, 0);

  assert_open_refused (dir, TEREN_ERROR_CORRUPT, "damaged");

  test_rm_rf (top);
}

static void
test_corrupt_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *top = g_dir_make_tmp ("teren-bad-XXXXXX", &error);
  g_autofree char *dir = make_store_dir (top, "store", 120);
  g_autofree char *db_path = g_build_filename (dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint page_size;
  guint n_pages;
  guint page;

  g_assert_true (g_file_get_contents (db_path, &contents, &length, &error));
  page_size = ((guchar) contents[16] << 8) | (guchar) contents[17];
  n_pages = length / page_size;
  g_assert_cmpuint (n_pages, >, 4);
  /* Scribble over the b-tree pages in the middle of the file. */
  for (page = 2; page < n_pages - 1; page += 2)
    memset (contents + (gsize) page * page_size, 0x5a, page_size / 2);
  g_assert_true (g_file_set_contents (db_path, contents, length, &error));
  g_assert_cmpint (g_chmod (db_path, 0600), ==, 0);

  assert_open_refused (dir, TEREN_ERROR_CORRUPT, "damaged");

  test_rm_rf (top);
}

/* Zeroes the root page of @table in the store file in @dir. */
static void
damage_table (const char *dir,
              const char *table)
{
  g_autofree char *db_path = g_build_filename (dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT rootpage FROM sqlite_master WHERE name = '%s'", table);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  gint64 root;
  guint page_size;
  sqlite3 *db;

  db = test_db_open (dir, TRUE);
  root = test_db_int (db, sql);
  sqlite3_close (db);
  g_assert_cmpint (root, >, 1);

  g_assert_true (g_file_get_contents (db_path, &contents, &length, &error));
  page_size = ((guchar) contents[16] << 8) | (guchar) contents[17];
  g_assert_cmpuint ((gsize) root * page_size, <=, length);
  memset (contents + (gsize) (root - 1) * page_size, 0x5a, page_size);
  g_assert_true (g_file_set_contents (db_path, contents, length, &error));
  g_assert_cmpint (g_chmod (db_path, 0600), ==, 0);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* A large store is checked in part at open (schema, drafts, sync state, conflicts); the
 * whole file by teren_store_check_integrity(_async) afterwards. */
static void
test_corrupt_large_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *top = g_dir_make_tmp ("teren-bad-XXXXXX", &error);
  g_autofree char *records_dir = make_store_dir (top, "records", 120);
  g_autofree char *drafts_dir = make_store_dir (top, "drafts", 120);
  g_autofree char *db_path = g_build_filename (records_dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  goffset saved_limit = teren_db_full_check_max_bytes;

  /* Every file counts as large. */
  teren_db_full_check_max_bytes = 0;

  damage_table (records_dir, "record");
  before = test_file_checksum (db_path);
  store = teren_store_open (records_dir, &error);
  g_assert_no_error (error);
  g_assert_false (teren_store_check_integrity (store, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT);
  g_test_message ("found: %s", error->message);
  g_clear_error (&error);

  teren_store_check_integrity_async (store, NULL, check_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (teren_store_check_integrity_finish (store, result, &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Reading the damaged table is an error too, not a crash or empty data. */
  {
    g_autoptr(GPtrArray) ids = teren_store_list_ids (store, "person", &error);  /* an index */
    g_autoptr(TerenRecord) record = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==, 120);
    record = teren_store_get_record (store, ids->pdata[0], &error);
    g_assert_null (record);
    g_assert_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT);
    g_clear_error (&error);
  }
  g_clear_object (&store);
  after = test_file_checksum (db_path);
  g_assert_cmpstr (before, ==, after);

  /* Damaged drafts are found at open. */
  damage_table (drafts_dir, "draft");
  assert_open_refused (drafts_dir, TEREN_ERROR_CORRUPT, "damaged");

  teren_db_full_check_max_bytes = saved_limit;
  test_rm_rf (top);
}

static void
test_db_path_is_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("teren-bad-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *file_dir = g_build_filename (dir, "file", NULL);
  g_autoptr(TerenStore) store = NULL;

  g_assert_cmpint (g_mkdir (db_path, 0700), ==, 0);
  store = teren_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_IO);
  g_assert_true (g_file_test (db_path, G_FILE_TEST_IS_DIR));
  g_clear_error (&error);

  /* The data folder is a file. */
  g_assert_true (g_file_set_contents (file_dir, "x", 1, &error));
  store = teren_store_open (file_dir, &error);
  g_assert_null (store);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_IO);

  test_rm_rf (dir);
}

/* Runs unprivileged (see test_run_unprivileged): a read-only file and folders. */
static void
unwritable_file_cb (gpointer data,
                    gpointer user_data)
{
  const char *top = data;
  g_autofree char *dir = make_store_dir (top, "file-ro", 20);
  g_autofree char *db_path = g_build_filename (dir, TEREN_STORE_DB_NAME, NULL);

  g_assert_cmpint (g_chmod (db_path, 0400), ==, 0);
  assert_open_refused (dir, TEREN_ERROR_READ_ONLY, "cannot be written");
  g_assert_cmpint (g_chmod (db_path, 0600), ==, 0);
}

static void
read_only_dir_cb (gpointer data,
                  gpointer user_data)
{
  const char *top = data;
  g_autofree char *empty = g_build_filename (top, "empty-ro", NULL);
  g_autofree char *empty_db = g_build_filename (empty, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *parent = g_build_filename (top, "parent-ro", NULL);
  g_autofree char *below = g_build_filename (parent, "account", NULL);
  g_autofree char *full = make_store_dir (top, "full-ro", 20);
  g_autofree char *full_db = g_build_filename (full, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *full_wal = g_strconcat (full_db, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenStore) store = NULL;

  /* An empty read-only folder: nothing can be created in it. */
  g_assert_cmpint (g_mkdir (empty, 0500), ==, 0);
  store = teren_store_open (empty, &error);
  g_assert_null (store);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, empty));
  g_assert_false (g_file_test (empty_db, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The account folder would be made inside a read-only one. */
  g_assert_cmpint (g_mkdir (parent, 0500), ==, 0);
  store = teren_store_open (below, &error);
  g_assert_null (store);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_READ_ONLY);
  g_assert_false (g_file_test (below, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A store whose folder became read-only (WAL needs its -wal and -shm files). */
  g_assert_cmpint (g_chmod (full, 0500), ==, 0);
  assert_open_refused (full, TEREN_ERROR_READ_ONLY, "cannot be written");
  g_assert_false (g_file_test (full_wal, G_FILE_TEST_EXISTS));

  g_chmod (empty, 0700);
  g_chmod (parent, 0700);
  g_chmod (full, 0700);
}

static void
test_unwritable_file (void)
{
  g_autofree char *top = test_make_tmp_dir_for_unprivileged ();

  test_run_unprivileged (unwritable_file_cb, top);
  test_rm_rf (top);
}

static void
test_read_only_dir (void)
{
  g_autofree char *top = test_make_tmp_dir_for_unprivileged ();

  test_run_unprivileged (read_only_dir_cb, top);
  test_rm_rf (top);
}

/* A full disk (SYNC-NOTES S20, the store's part): a new record, an edit and a draft are
 * each refused with TEREN_ERROR_NO_SPACE and a message that says so in the user's words;
 * nothing is half-written (every table's digest, the op-log and the file's integrity are
 * as before), and once space is back the same saves go through. */
static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *before = test_store_digest (fixture->dir);
  g_autofree char *after = NULL;
  g_autofree char *cnp = test_make_cnp ('M', 1950, 7, 2, 31);
  g_autoptr(JsonObject) fields = test_person_fields ("Ionescu", "Vasile", "M", "1950-07-02", cnp);
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(GPtrArray) field_errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = NULL;
  g_autoptr(TerenRecord) stored = NULL;
  g_autoptr(JsonObject) draft = NULL;
  guint pending = teren_store_count_pending (fixture->store);
  guint refused = teren_full_vfs_get_refused ();

  edit = teren_json_object_copy (teren_record_get_fields (fixture->existing));
  json_object_set_string_member (edit, "phone", "0744123456");

  teren_full_vfs_set_full (TRUE);

  record = teren_store_save (fixture->store, "person", "", NULL, fields, NULL, &field_errors, &error);
  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_true (field_errors == NULL || field_errors->len == 0);
  g_clear_error (&error);
  g_clear_pointer (&field_errors, g_ptr_array_unref);

  record = teren_store_save (fixture->store, "person", "", teren_record_get_id (fixture->existing), edit,
                             NULL, &field_errors, &error);
  g_assert_null (record);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_clear_pointer (&field_errors, g_ptr_array_unref);

  g_assert_false (teren_store_put_draft (fixture->store, "draft-on-a-full-disk", "person", "", NULL, fields,
                                         &error));
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NO_SPACE);
  g_clear_error (&error);

  /* An attachment: its row cannot be written, so it is not added. */
  {
    static const char pdf[] = "%PDF-1.4\n% a scan\n%%EOF\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (pdf, sizeof pdf - 1);
    g_autoptr(JsonObject) attachment = teren_store_import_blob_bytes (fixture->store, bytes, "scan.pdf", &error);

    g_autofree char *hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
    g_autofree char *file = g_build_filename (fixture->dir, "blobs", hex, NULL);

    g_assert_null (attachment);
    g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NO_SPACE);
    g_clear_error (&error);
    /* nor is its file left behind, taking space on a full disk */
    g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  }

  g_assert_cmpuint (teren_full_vfs_get_refused (), >, refused);
  teren_full_vfs_set_full (FALSE);

  /* Nothing changed, nothing half-written. */
  after = test_store_digest (fixture->dir);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, pending);
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 1);
  g_assert_true (teren_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
  draft = teren_store_get_draft (fixture->store, "draft-on-a-full-disk", NULL, NULL, NULL, &error);
  g_assert_null (draft);
  g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Space is back: the same saves go through on the same store. */
  record = teren_store_save (fixture->store, "person", "", NULL, fields, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_clear_object (&record);
  record = teren_store_save (fixture->store, "person", "", teren_record_get_id (fixture->existing), edit,
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  stored = teren_store_get_record (fixture->store, teren_record_get_id (fixture->existing), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (teren_record_get_string (stored, "phone"), ==, "0744123456");
  g_assert_cmpuint (teren_store_count (fixture->store, "person"), ==, 2);
  g_assert_cmpuint (teren_store_count_pending (fixture->store), ==, pending + 2);
  g_assert_true (teren_store_put_draft (fixture->store, "draft-on-a-full-disk", "person", "", NULL, fields,
                                        &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Before any store is opened: every database of this program goes through it. */
  teren_full_vfs_install ();

  g_test_add ("/store/bad-input/cnp-rules", Fixture, NULL, fixture_setup, test_invalid_cnp, fixture_teardown);
  g_test_add ("/store/bad-input/cnp-mismatch", Fixture, NULL, fixture_setup, test_cnp_mismatch, fixture_teardown);
  g_test_add ("/store/bad-input/cnp-unusual-but-valid", Fixture, NULL, fixture_setup, test_unusual_valid_cnp, fixture_teardown);
  g_test_add ("/store/bad-input/future-birth-date", Fixture, NULL, fixture_setup, test_future_birth_date, fixture_teardown);
  g_test_add ("/store/bad-input/empty-required", Fixture, NULL, fixture_setup, test_empty_required, fixture_teardown);
  g_test_add ("/store/bad-input/long-name", Fixture, NULL, fixture_setup, test_long_name, fixture_teardown);
  g_test_add ("/store/bad-input/bad-text", Fixture, NULL, fixture_setup, test_bad_text, fixture_teardown);
  g_test_add ("/store/bad-input/unknown-kind", Fixture, NULL, fixture_setup, test_unknown_kind, fixture_teardown);
  g_test_add_func ("/store/bad-input/corrupt-garbage", test_corrupt_garbage);
  g_test_add_func ("/store/bad-input/corrupt-truncated", test_corrupt_truncated);
  g_test_add_func ("/store/bad-input/corrupt-page", test_corrupt_page);
  g_test_add_func ("/store/bad-input/corrupt-large-store", test_corrupt_large_store);
  g_test_add_func ("/store/bad-input/db-path-is-folder", test_db_path_is_folder);
  g_test_add_func ("/store/bad-input/unwritable-file", test_unwritable_file);
  g_test_add_func ("/store/bad-input/read-only-dir", test_read_only_dir);
  g_test_add ("/store/bad-input/disk-full", Fixture, NULL, fixture_setup, test_disk_full, fixture_teardown);

  return g_test_run ();
}
