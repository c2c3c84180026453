/* test-cli.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real teren-cli program on a temporary data folder and checks its output, its
 * exit status and what is in the store afterwards.
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "teren-cli-test-util.h"
#include "teren-cnp.h"
#include "teren-store.h"
#include "teren-store-test-util.h"

#define UTF8_BOM "\xEF\xBB\xBF"

typedef struct {
  char *tmp;        /* removed at the end */
  char *data_dir;   /* tmp/data */
  char *out;        /* stdout of the last run */
  char *err;        /* stderr of the last run */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->tmp = g_dir_make_tmp ("teren-cli-test-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp);
  fixture->data_dir = g_build_filename (fixture->tmp, "data", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  test_rm_rf (fixture->tmp);
  g_free (fixture->tmp);
  g_free (fixture->data_dir);
  g_free (fixture->out);
  g_free (fixture->err);
}

/* Runs teren-cli with --data-dir and @args (NULL-terminated) in @language ("en" for
 * the source strings, "ro"). Returns the exit status. */
static int
run_in_language (Fixture    *fixture,
                 const char *language,
                 ...)
{
  g_auto(GStrv) envp = test_cli_environ (language);
  va_list args;
  int status;

  va_start (args, language);
  status = test_cli_run_va (envp, fixture->data_dir, NULL, args, &fixture->out, &fixture->err);
  va_end (args);
  return status;
}

#define run(fixture, ...) run_in_language (fixture, "en", __VA_ARGS__, NULL)

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (fixture->tmp, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("expected “%s” in:\n%s", needle, haystack != NULL ? haystack : "(null)");
}

static void
assert_not_contains (const char *haystack,
                     const char *needle)
{
  if (haystack != NULL && strstr (haystack, needle) != NULL)
    g_error ("did not expect “%s” in:\n%s", needle, haystack);
}

/* A valid CNP from its first 12 digits. (transfer full) */
static char *
make_cnp (const char *first12)
{
  return g_strdup_printf ("%s%c", first12, teren_cnp_check_digit (first12));
}

static TerenStore *
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  TerenStore *store = teren_store_open (fixture->data_dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static guint
count_persons (Fixture *fixture)
{
  g_autoptr(TerenStore) store = NULL;
  g_autofree char *db = g_build_filename (fixture->data_dir, TEREN_STORE_DB_NAME, NULL);

  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    return 0;
  store = open_store (fixture);
  return teren_store_count (store, "person");
}

static guint
count_pending (Fixture *fixture)
{
  g_autoptr(TerenStore) store = open_store (fixture);

  return teren_store_count_pending (store);
}

/* The one person with @cnp. (transfer full) */
static TerenRecord *
find_person (Fixture    *fixture,
             const char *cnp)
{
  g_autoptr(TerenStore) store = open_store (fixture);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  TerenRecord *record;

  ids = teren_store_find_by_cnp (store, cnp, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  record = teren_store_get_record (store, g_ptr_array_index (ids, 0), &error);
  g_assert_no_error (error);
  return record;
}

/* Fills the store with two persons through the CLI. */
static void
import_two (Fixture *fixture)
{
  g_autofree char *cnp = make_cnp ("196010141001");
  g_autofree char *csv = g_strdup_printf ("cnp,last_name,first_name,sex\n"
                                          "%s,Popescu,Ion,M\n"
                                          ",Ionescu,Maria,F\n", cnp);
  g_autofree char *path = write_file (fixture, "two.csv", csv, -1);

  g_assert_cmpint (run (fixture, "import", path), ==, 0);
  g_assert_cmpuint (count_persons (fixture), ==, 2);
}

/* ---- good imports ------------------------------------------------------------------- */

/* What Excel in Romanian writes: a BOM, ';', CRLF, Romanian titles with diacritics. */
static void
test_import_excel_semicolon_bom (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *cnp1 = make_cnp ("196010141001");
  g_autofree char *cnp2 = make_cnp ("285031212345");
  g_autofree char *spaced = g_strdup_printf ("%.4s %.4s %.5s", cnp2, cnp2 + 4, cnp2 + 8);
  g_autofree char *csv = g_strdup_printf (UTF8_BOM
                                          "CNP;Nume;Prenume;Data nașterii;Sex\r\n"
                                          "%s;Ştefănescu;Ana-Maria;01.01.1996;M\r\n"
                                          "%s;Țepeș;Ioana;12.03.1985;feminin\r\n"
                                          ";Vlad;Elena;1990-07-04;F\r\n",
                                          cnp1, spaced);
  g_autofree char *path = write_file (fixture, "excel.csv", csv, -1);
  g_autoptr(TerenRecord) first = NULL;
  g_autoptr(TerenRecord) second = NULL;

  g_assert_cmpint (run (fixture, "import", path), ==, 0);
  assert_contains (fixture->out, "3 imported, 0 rejected");
  g_assert_cmpstr (fixture->err, ==, "");
  g_assert_cmpuint (count_persons (fixture), ==, 3);
  /* Each row is a normal change waiting in the op-log. */
  g_assert_cmpuint (count_pending (fixture), ==, 3);

  first = find_person (fixture, cnp1);
  g_assert_cmpstr (teren_record_get_string (first, "last_name"), ==, "Ștefănescu");
  g_assert_cmpstr (teren_record_get_string (first, "birth_date"), ==, "1996-01-01");
  g_assert_cmpstr (teren_record_get_string (first, "sex"), ==, "M");
  g_assert_cmpstr (teren_record_get_string (first, "cnp_status"), ==, "valid");

  second = find_person (fixture, cnp2);
  g_assert_cmpstr (teren_record_get_string (second, "cnp"), ==, cnp2);
  g_assert_cmpstr (teren_record_get_string (second, "sex"), ==, "F");
  g_assert_cmpstr (teren_record_get_string (second, "birth_date"), ==, "1985-03-12");
}

/* Title spellings: keys, no diacritics, cedilla, upper case; cnp_status derived. */
static void
test_import_title_variants (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *cnp = make_cnp ("501020312345");
  g_autofree char *csv1 = g_strdup_printf ("CNP,NUME,prenume,Data nasterii,SEX\n"
                                           "%s,Pop,Dan,,\n"
                                           ",Pop,Ana,3.4.2005,f\n", cnp);
  g_autofree char *csv2 = g_strdup ("last_name;first_name;Data naşterii;sex;cnp_status\n"
                                    "Gheorghe;Ion;15.08.1950;masculin;refuză să furnizeze\n");
  g_autofree char *path1 = write_file (fixture, "v1.csv", csv1, -1);
  g_autofree char *path2 = write_file (fixture, "v2.csv", csv2, -1);
  g_autoptr(TerenRecord) derived = NULL;
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  guint i;
  gboolean seen_missing = FALSE;
  gboolean seen_refused = FALSE;

  g_assert_cmpint (run (fixture, "import", path1), ==, 0);
  assert_contains (fixture->out, "2 imported, 0 rejected");

  /* Sex and birth date come from the CNP when their cells are empty. */
  derived = find_person (fixture, cnp);
  g_assert_cmpstr (teren_record_get_string (derived, "sex"), ==, "M");
  g_assert_cmpstr (teren_record_get_string (derived, "birth_date"), ==, "2001-02-03");
  g_assert_cmpstr (teren_record_get_string (derived, "cnp_status"), ==, "valid");

  g_assert_cmpint (run (fixture, "import", path2), ==, 0);
  assert_contains (fixture->out, "1 imported, 0 rejected");

  store = open_store (fixture);
  ids = teren_store_list_ids (store, "person", NULL);
  g_assert_cmpuint (ids->len, ==, 3);
  for (i = 0; i < ids->len; i++)
    {
      g_autoptr(TerenRecord) record = teren_store_get_record (store, ids->pdata[i], NULL);
      const char *status = teren_record_get_string (record, "cnp_status");

      if (g_str_equal (teren_record_get_string (record, "first_name"), "Ana"))
        {
          g_assert_cmpstr (status, ==, "missing");
          g_assert_cmpstr (teren_record_get_string (record, "birth_date"), ==, "2005-04-03");
          seen_missing = TRUE;
        }
      if (g_str_equal (teren_record_get_string (record, "first_name"), "Ion"))
        {
          g_assert_cmpstr (status, ==, "refused");
          seen_refused = TRUE;
        }
    }
  g_assert_true (seen_missing);
  g_assert_true (seen_refused);
}

/* Unknown columns are reported and ignored; the rows are imported. */
static void
test_import_extra_columns (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *csv = "Nr. crt.;Nume;Prenume;Sex;Numele mamei;\n"
                    "1;Popa;Ion;M;Maria;\n"
                    "2;Popa;Ana;F;Maria;\n";
  g_autofree char *path = write_file (fixture, "extra.csv", csv, -1);

  g_assert_cmpint (run (fixture, "import", path), ==, 0);
  assert_contains (fixture->err, "Column 1 “Nr. crt.” is not a field of Person and is ignored");
  assert_contains (fixture->err, "Column 5 “Numele mamei” is not a field of Person and is ignored");
  assert_contains (fixture->err, "Column 6 has no title and is ignored");
  assert_contains (fixture->out, "2 imported, 0 rejected");
  g_assert_cmpuint (count_persons (fixture), ==, 2);
}

/* Other registry kinds import the same way. */
static void
test_import_household (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *csv = "Adresa;Cod SIRUTA;Strada;Nr;Mediu\n"
                    "Str. Lungă nr. 5, Brașov;40198;Lungă;5;urban\n"
                    "Str. Scurtă nr. 1;abc;;;\n";
  g_autofree char *path = write_file (fixture, "households.csv", csv, -1);
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(TerenRecord) record = NULL;

  g_assert_cmpint (run (fixture, "import", "--kind", "household", path), ==, 1);
  assert_contains (fixture->out, "1 imported, 1 rejected");
  assert_contains (fixture->err, "Line 3 rejected: column “Cod SIRUTA”: “abc” is not a whole number");

  store = open_store (fixture);
  ids = teren_store_list_ids (store, "household", NULL);
  g_assert_cmpuint (ids->len, ==, 1);
  record = teren_store_get_record (store, ids->pdata[0], NULL);
  g_assert_cmpint (teren_record_get_int (record, "siruta"), ==, 40198);
  g_assert_cmpstr (teren_record_get_string (record, "environment"), ==, "urban");
  g_assert_cmpuint (teren_store_count (store, "person"), ==, 0);
}

/* ---- rejected rows ------------------------------------------------------------------ */

/* Every CNP rule rejects its row, with the rule's message and the line number; the
 * valid row is imported. */
static void
test_import_invalid_cnp (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *good = make_cnp ("196010141001");
  g_autofree char *bad_checksum = make_cnp ("196010141002");
  g_autofree char *bad_sex_digit = make_cnp ("096010141001");
  g_autofree char *bad_date = make_cnp ("196130141001");
  g_autofree char *future = make_cnp ("699123141001");
  g_autofree char *bad_county = make_cnp ("196010160001");
  g_autofree char *bad_sequence = make_cnp ("196010141000");
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;

  bad_checksum[12] = bad_checksum[12] == '9' ? '0' : bad_checksum[12] + 1;
  csv = g_strdup_printf ("CNP;Nume;Prenume;Sex\n"
                         "%s;Bun;Ion;M\n"          /* 2: valid */
                         "%s;A;B;M\n"              /* 3: checksum */
                         "19601014100;A;B;M\n"     /* 4: length */
                         "19601014100AB;A;B;M\n"   /* 5: not digits */
                         "%s;A;B;M\n"              /* 6: sex digit */
                         "%s;A;B;M\n"              /* 7: date */
                         "%s;A;B;F\n"              /* 8: future */
                         "%s;A;B;M\n"              /* 9: county */
                         "%s;A;B;M\n",             /* 10: sequence */
                         good, bad_checksum, bad_sex_digit, bad_date, future, bad_county,
                         bad_sequence);
  path = write_file (fixture, "cnp.csv", csv, -1);

  g_assert_cmpint (run (fixture, "import", path), ==, 1);
  assert_contains (fixture->out, "1 imported, 8 rejected");
  assert_not_contains (fixture->err, "Line 2 ");
  assert_contains (fixture->err, "Line 3 rejected: column “CNP”: The control digit does not match");
  assert_contains (fixture->err, "Line 4 rejected: column “CNP”: A CNP has exactly 13 digits");
  assert_contains (fixture->err, "Line 5 rejected: column “CNP”: A CNP contains only digits");
  assert_contains (fixture->err, "Line 6 rejected: column “CNP”: The first digit of a CNP cannot be 0");
  assert_contains (fixture->err, "Line 7 rejected: column “CNP”: The birth date in the CNP is not a real date");
  assert_contains (fixture->err, "Line 8 rejected: column “CNP”: The birth date in the CNP is in the future");
  assert_contains (fixture->err, "Line 9 rejected: column “CNP”: The county code in the CNP does not exist");
  assert_contains (fixture->err, "Line 10 rejected: column “CNP”: The sequence number in the CNP cannot be 000");

  g_assert_cmpuint (count_persons (fixture), ==, 1);
  g_assert_cmpuint (count_pending (fixture), ==, 1);
}

/* Future birth date, empty required field, a 10,000-character name, control characters
 * and a value that is no choice: each row rejected with its reason; the good row is in. */
static void
test_import_invalid_fields (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (10000, 'A');
  g_autofree char *csv = g_strdup_printf ("Nume,Prenume,Data nașterii,Sex\n"
                                          "Bun,Ion,01.02.1980,M\n"          /* 2 */
                                          "Viitor,Ion,01.01.2999,M\n"       /* 3 */
                                          ",Ion,01.01.1980,M\n"             /* 4 */
                                          "%s,Ion,01.01.1980,M\n"           /* 5 */
                                          "Pop\x01" "a,Ion,01.01.1980,M\n"  /* 6 */
                                          "\"Pop\na\",Ion,01.01.1980,M\n"   /* 7–8 */
                                          "Pop,Ion,31.02.1980,M\n"          /* 9 */
                                          "Pop,Ion,01.01.1980,nu știu\n"    /* 10 */
                                          "Pop,Ion,01.01.1980,M,extra\n",   /* 11 */
                                          long_name);
  g_autofree char *path = write_file (fixture, "fields.csv", csv, -1);
  g_auto(GStrv) lines = NULL;
  guint i;

  g_assert_cmpint (run (fixture, "import", path), ==, 1);
  assert_contains (fixture->out, "1 imported, 8 rejected");
  assert_contains (fixture->err, "Line 3 rejected: column “Data nașterii”: The date cannot be in the future");
  assert_contains (fixture->err, "Line 4 rejected: column “Nume”: This field is required");
  assert_contains (fixture->err, "Line 5 rejected: column “Nume”: At most 100 characters are allowed");
  assert_contains (fixture->err, "Line 6 rejected: column “Nume”: The text must be on one line, without control characters");
  assert_contains (fixture->err, "Line 7 rejected: column “Nume”: The text must be on one line, without control characters");
  assert_contains (fixture->err, "Line 9 rejected: column “Data nașterii”: “31.02.1980” is not a date");
  assert_contains (fixture->err, "Line 10 rejected: column “Sex”: “nu știu” is not one of the choices");
  assert_contains (fixture->err, "Line 11 rejected: the row has 5 values but the header has 4 columns");

  /* The huge name is never echoed back. */
  lines = g_strsplit (fixture->err, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), <, 500);

  g_assert_cmpuint (count_persons (fixture), ==, 1);
}

/* Importing the same register twice adds nobody; a CNP twice in one file is refused. */
static void
test_import_duplicates (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *cnp = make_cnp ("196010141001");
  g_autofree char *csv = g_strdup_printf ("CNP,Nume,Prenume\n%s,Pop,Ion\n%s,Pop,Ion\n", cnp, cnp);
  g_autofree char *path = write_file (fixture, "dup.csv", csv, -1);

  g_assert_cmpint (run (fixture, "import", path), ==, 1);
  assert_contains (fixture->out, "1 imported, 1 rejected");
  assert_contains (fixture->err, "Line 3 rejected: column “CNP”: the same CNP as line 2");
  g_assert_cmpuint (count_persons (fixture), ==, 1);

  g_assert_cmpint (run (fixture, "import", path), ==, 1);
  assert_contains (fixture->out, "0 imported, 2 rejected");
  assert_contains (fixture->err, "Line 2 rejected: column “CNP”: a person with this CNP is already registered");
  g_assert_cmpuint (count_persons (fixture), ==, 1);
}

/* --all-or-nothing: one bad row and nothing is imported. --dry-run imports nothing. */
static void
test_import_all_or_nothing (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *csv = "Nume,Prenume,Sex\nPop,Ion,M\nPop,,F\nPop,Ana,F\n";
  g_autofree char *path = write_file (fixture, "aon.csv", csv, -1);

  import_two (fixture);

  g_assert_cmpint (run (fixture, "import", "--all-or-nothing", path), ==, 1);
  assert_contains (fixture->err, "Line 3 rejected: column “Prenume”: This field is required");
  assert_contains (fixture->err, "Nothing was imported because rows were rejected and --all-or-nothing was given");
  assert_contains (fixture->out, "0 imported, 1 rejected");
  g_assert_cmpuint (count_persons (fixture), ==, 2);
  g_assert_cmpuint (count_pending (fixture), ==, 2);

  g_assert_cmpint (run (fixture, "import", "--dry-run", path), ==, 1);
  assert_contains (fixture->out, "2 valid, 1 rejected");
  g_assert_cmpuint (count_persons (fixture), ==, 2);

  g_assert_cmpint (run (fixture, "import", path), ==, 1);
  assert_contains (fixture->out, "2 imported, 1 rejected");
  g_assert_cmpuint (count_persons (fixture), ==, 4);
}

/* ---- files refused as a whole -------------------------------------------------------- */

/* Runs an import of @contents that must be refused with exit 2 and @message, and checks
 * that the store still holds the two persons it had. */
static void
assert_file_refused (Fixture    *fixture,
                     const char *contents,
                     gssize      length,
                     const char *message)
{
  g_autofree char *path = write_file (fixture, "refused.csv", contents, length);

  g_assert_cmpint (run (fixture, "import", path), ==, 2);
  assert_contains (fixture->err, "Nothing was imported from");
  assert_contains (fixture->err, message);
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_cmpuint (count_persons (fixture), ==, 2);
  g_assert_cmpuint (count_pending (fixture), ==, 2);
}

static void
test_import_invalid_utf8 (Fixture       *fixture,
                          gconstpointer  data)
{
  import_two (fixture);
  /* "Ştefan" as Windows-1250 writes it. */
  assert_file_refused (fixture, "Nume,Prenume,Sex\nPop,Ion,M\n\xaa" "tefan,Ion,M\n", -1,
                       "Line 3 is not UTF-8 text");
  /* A NUL byte. */
  assert_file_refused (fixture, "Nume,Prenume,Sex\nPop,I\0on,M\n", 26, "Line 2 is not UTF-8 text");
}

static void
test_import_encoding (Fixture       *fixture,
                      gconstpointer  data)
{
  /* The same file named as Windows-1250 is read, and the cedilla becomes comma-below. */
  g_autofree char *path = write_file (fixture, "cp1250.csv",
                                      "Nume;Prenume;Sex\r\n\xaa" "tefan;Ion;M\r\n", -1);
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(TerenRecord) record = NULL;

  g_assert_cmpint (run (fixture, "import", "--encoding", "WINDOWS-1250", path), ==, 0);
  assert_contains (fixture->out, "1 imported, 0 rejected");
  store = open_store (fixture);
  ids = teren_store_list_ids (store, "person", NULL);
  g_assert_cmpuint (ids->len, ==, 1);
  record = teren_store_get_record (store, ids->pdata[0], NULL);
  g_assert_cmpstr (teren_record_get_string (record, "last_name"), ==, "Ștefan");
}

static void
test_import_missing_columns (Fixture       *fixture,
                             gconstpointer  data)
{
  import_two (fixture);
  assert_file_refused (fixture, "CNP;Data nașterii\n1960101410019;01.01.1996\n", -1,
                       "The file has no columns for the required fields");
  assert_contains (fixture->err, "(last_name)");
  assert_contains (fixture->err, "(first_name)");
  assert_file_refused (fixture, "Nume;Prenume;Nume de familie\nA;B;C\n", -1,
                       "Columns 1 and 3 both hold");
}

static void
test_import_unterminated_quote (Fixture       *fixture,
                                gconstpointer  data)
{
  import_two (fixture);
  assert_file_refused (fixture, "Nume,Prenume,Sex\nPop,Ion,M\n\"Pop,Ana,F\nIon,Dan,M\n", -1,
                       "The file cannot be read as CSV");
  /* The reader names the line where the quote opens. */
  assert_contains (fixture->err, "Line 3");
}

static void
test_import_empty_file (Fixture       *fixture,
                        gconstpointer  data)
{
  import_two (fixture);
  assert_file_refused (fixture, "", 0, "The file is empty");
  assert_file_refused (fixture, UTF8_BOM, -1, "The file is empty");
  assert_file_refused (fixture, "\r\n\r\n", -1, "The file is empty");
}

/* A refused file does not even create a store in a new data folder. */
static void
test_import_refused_creates_nothing (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *empty = write_file (fixture, "empty.csv", "", 0);
  g_autofree char *no_columns = write_file (fixture, "cols.csv", "CNP\n1960101410019\n", -1);

  g_assert_cmpint (run (fixture, "import", empty), ==, 2);
  assert_contains (fixture->err, "The file is empty");
  g_assert_cmpint (run (fixture, "import", no_columns), ==, 2);
  assert_contains (fixture->err, "(last_name)");
  g_assert_false (g_file_test (fixture->data_dir, G_FILE_TEST_EXISTS));
}

static void
test_import_header_only (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "header.csv", "Nume;Prenume;Sex\r\n;;\r\n", -1);

  import_two (fixture);
  g_assert_cmpint (run (fixture, "import", path), ==, 0);
  assert_contains (fixture->out, "0 imported, 0 rejected");
  g_assert_cmpuint (count_persons (fixture), ==, 2);
}

/* ---- the store cannot be used -------------------------------------------------------- */

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, length);
}

static void
test_corrupt_database (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->data_dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *csv_path = write_file (fixture, "ok.csv", "Nume,Prenume,Sex\nPop,Ion,M\n", -1);
  g_autofree char *garbage = g_strnfill (8192, 'x');
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->data_dir, 0700), ==, 0);
  memcpy (garbage, "SQLite format 3", 16);   /* the magic, then nonsense */
  g_assert_true (g_file_set_contents (db, garbage, 8192, NULL));
  before = file_checksum (db);

  g_assert_cmpint (run (fixture, "list"), ==, 2);
  assert_contains (fixture->err, "is damaged; it was left as it is");
  g_assert_cmpint (run (fixture, "import", csv_path), ==, 2);
  assert_contains (fixture->err, "is damaged; it was left as it is");
  g_assert_cmpstr (fixture->out, ==, "");

  after = file_checksum (db);
  g_assert_cmpstr (before, ==, after);
}

static void
test_data_dir_is_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *csv_path = write_file (fixture, "ok.csv", "Nume,Prenume,Sex\nPop,Ion,M\n", -1);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (g_file_set_contents (fixture->data_dir, "a file, not a folder\n", -1, NULL));
  before = file_checksum (fixture->data_dir);

  g_assert_cmpint (run (fixture, "import", csv_path), ==, 2);
  assert_contains (fixture->err, "is a file, not a folder");
  g_assert_cmpint (run (fixture, "list"), ==, 2);
  assert_contains (fixture->err, "is a file, not a folder");

  after = file_checksum (fixture->data_dir);
  g_assert_cmpstr (before, ==, after);
}

static void
test_read_only_data_dir (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->data_dir, TEREN_STORE_DB_NAME, NULL);
  g_autofree char *csv_path = write_file (fixture, "ok.csv", "Nume,Prenume,Sex\nPop,Dan,M\n", -1);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("running as root: file modes do not stop root from writing, "
                   "so a read-only data folder cannot be made (see /teren/cli/data-dir-is-file)");
      return;
    }

  import_two (fixture);
  before = file_checksum (db);
  g_assert_cmpint (g_chmod (db, 0400), ==, 0);
  g_assert_cmpint (g_chmod (fixture->data_dir, 0500), ==, 0);

  g_assert_cmpint (run (fixture, "import", csv_path), ==, 2);
  assert_contains (fixture->err, "teren-cli: ");
  g_assert_cmpstr (fixture->out, ==, "");

  g_assert_cmpint (g_chmod (fixture->data_dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (db, 0600), ==, 0);
  after = file_checksum (db);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count_persons (fixture), ==, 2);
}

static void
test_missing_store (Fixture       *fixture,
                    gconstpointer  data)
{
  g_assert_cmpint (run (fixture, "list"), ==, 2);
  assert_contains (fixture->err, "There is no Teren data in");
  /* Reading does not create a store. */
  g_assert_false (g_file_test (fixture->data_dir, G_FILE_TEST_EXISTS));
}

/* ---- list, show, export ---------------------------------------------------------------- */

static void
test_list_show (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) cells = NULL;
  g_autofree char *id = NULL;
  JsonObject *root;
  JsonObject *record;
  JsonObject *sync;

  import_two (fixture);

  g_assert_cmpint (run (fixture, "list", "--kind", "person"), ==, 0);
  lines = g_strsplit (fixture->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);   /* two lines and the empty end */
  cells = g_strsplit (lines[0], "\t", -1);
  g_assert_cmpuint (g_strv_length (cells), ==, 3);
  g_assert_cmpstr (cells[1], ==, "person");
  assert_contains (fixture->out, "Ionescu");
  assert_contains (fixture->out, "Popescu");
  id = g_strdup (cells[0]);

  g_assert_cmpint (run (fixture, "list"), ==, 0);
  g_assert_cmpuint (strlen (fixture->out), >, 0);

  g_assert_cmpint (run (fixture, "show", id), ==, 0);
  json_parser_load_from_data (parser, fixture->out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  record = json_object_get_object_member (root, "record");
  sync = json_object_get_object_member (root, "sync");
  g_assert_cmpstr (json_object_get_string_member (record, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "person");
  g_assert_true (json_object_has_member (json_object_get_object_member (record, "fields"),
                                         "last_name"));
  g_assert_cmpstr (json_object_get_string_member (sync, "state"), ==, "waiting");
  g_assert_cmpint (json_object_get_int_member (sync, "pending_changes"), ==, 1);

  g_assert_cmpint (run (fixture, "show", "00000000-0000-4000-8000-000000000000"), ==, 1);
  assert_contains (fixture->err, "There is no record with the id");

  g_assert_cmpint (run (fixture, "list", "--kind", "nonsense"), ==, 2);
  assert_contains (fixture->err, "Unknown kind of record “nonsense”");
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out_path = g_build_filename (fixture->tmp, "export.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *first_data_dir = g_strdup (fixture->data_dir);
  GStatBuf st;
  JsonArray *array;

  import_two (fixture);

  g_assert_cmpint (run (fixture, "export", "--format", "json"), ==, 0);
  json_parser_load_from_data (parser, fixture->out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  g_assert_cmpint (run (fixture, "export", "--format", "csv"), ==, 0);
  g_assert_true (g_str_has_prefix (fixture->out,
                                   UTF8_BOM "id,cnp,cnp_status,last_name,first_name,"));
  assert_contains (fixture->out, "\r\n");
  assert_contains (fixture->out, ",Popescu,Ion,");

  g_assert_cmpint (run (fixture, "export", "--format", "csv", "--separator", ";",
                        "--output", out_path), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_true (g_file_get_contents (out_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, UTF8_BOM "id;cnp;cnp_status;last_name;"));
  g_assert_cmpint (g_stat (out_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The export imports again into an empty store: "id" is reported and ignored. */
  g_free (fixture->data_dir);
  fixture->data_dir = g_build_filename (fixture->tmp, "data2", NULL);
  g_assert_cmpint (run (fixture, "import", out_path), ==, 0);
  assert_contains (fixture->err, "Column 1 “id” is not a field of Person and is ignored");
  assert_contains (fixture->out, "2 imported, 0 rejected");
  g_assert_cmpuint (count_persons (fixture), ==, 2);

  g_assert_cmpint (run (fixture, "export"), ==, 2);
  assert_contains (fixture->err, "--format json or --format csv");
  g_assert_cmpint (run (fixture, "export", "--format", "csv", "--separator", "|"), ==, 2);
  assert_contains (fixture->err, "Unknown separator");
}

/* Text a spreadsheet would run as a formula is exported with an apostrophe in front,
 * and the import takes it off again. */
static void
test_export_formula_text (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *csv = "Nume,Prenume,Sex,Telefon,Observații\n"
                    "Pop,Ion,M,+40 721 234 567,\"=HYPERLINK(\"\"http://example.com\"\")\"\n";
  g_autofree char *path = write_file (fixture, "formula.csv", csv, -1);
  g_autofree char *out_path = g_build_filename (fixture->tmp, "formula-export.csv", NULL);
  g_autoptr(TerenStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(TerenRecord) record = NULL;

  g_assert_cmpint (run (fixture, "import", path), ==, 0);
  g_assert_cmpint (run (fixture, "export", "--format", "csv", "--output", out_path), ==, 0);
  g_clear_pointer (&fixture->out, g_free);
  g_assert_true (g_file_get_contents (out_path, &fixture->out, NULL, NULL));
  assert_contains (fixture->out, ",'+40 721 234 567,");
  assert_contains (fixture->out, ",\"'=HYPERLINK(");

  g_free (fixture->data_dir);
  fixture->data_dir = g_build_filename (fixture->tmp, "data2", NULL);
  g_assert_cmpint (run (fixture, "import", out_path), ==, 0);
  store = open_store (fixture);
  ids = teren_store_list_ids (store, "person", NULL);
  g_assert_cmpuint (ids->len, ==, 1);
  record = teren_store_get_record (store, ids->pdata[0], NULL);
  g_assert_cmpstr (teren_record_get_string (record, "phone"), ==, "+40 721 234 567");
  g_assert_cmpstr (teren_record_get_string (record, "notes"), ==,
                   "=HYPERLINK(\"http://example.com\")");
}

/* ---- usage and language --------------------------------------------------------------- */

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpint (run (fixture, "frobnicate"), ==, 2);
  assert_contains (fixture->err, "Unknown command “frobnicate”");
  g_assert_cmpint (run (fixture, "import"), ==, 2);
  assert_contains (fixture->err, "“import” needs one CSV file");
  g_assert_cmpint (run (fixture, "import", "/nonexistent/register.csv"), ==, 2);
  assert_contains (fixture->err, "Cannot read “/nonexistent/register.csv”");
  g_assert_cmpint (run (fixture, "import", "--no-such-option", "x.csv"), ==, 2);
  g_assert_cmpint (run (fixture, "--help"), ==, 0);
  assert_contains (fixture->out, "import");
  /* None of these created a store. */
  g_assert_false (g_file_test (fixture->data_dir, G_FILE_TEST_EXISTS));
}

static void
test_romanian_messages (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *csv = "Nume;Prenume;Sex\nPop;Ion;M\n;Ana;F\n";
  g_autofree char *path = write_file (fixture, "ro.csv", csv, -1);

  if (setlocale (LC_ALL, "ro_RO.UTF-8") == NULL)
    {
      g_test_skip ("the ro_RO.UTF-8 locale is not installed (build-aux/install-deps.sh makes it)");
      return;
    }
  setlocale (LC_ALL, "C.UTF-8");

  g_assert_cmpint (run_in_language (fixture, "ro", "import", path, NULL), ==, 1);
  assert_contains (fixture->err, "Rândul 3 a fost respins: coloana „Nume”");
  assert_contains (fixture->out, "1 rând importat, 1 rând respins");

  g_assert_cmpint (run_in_language (fixture, "ro", "frobnicate", NULL), ==, 2);
  assert_contains (fixture->err, "Comandă necunoscută „frobnicate”");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/teren/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("import/excel-semicolon-bom", test_import_excel_semicolon_bom);
  ADD ("import/title-variants", test_import_title_variants);
  ADD ("import/extra-columns", test_import_extra_columns);
  ADD ("import/household", test_import_household);
  ADD ("import/invalid-cnp", test_import_invalid_cnp);
  ADD ("import/invalid-fields", test_import_invalid_fields);
  ADD ("import/duplicates", test_import_duplicates);
  ADD ("import/all-or-nothing", test_import_all_or_nothing);
  ADD ("import/invalid-utf8", test_import_invalid_utf8);
  ADD ("import/encoding", test_import_encoding);
  ADD ("import/missing-columns", test_import_missing_columns);
  ADD ("import/unterminated-quote", test_import_unterminated_quote);
  ADD ("import/empty-file", test_import_empty_file);
  ADD ("import/header-only", test_import_header_only);
  ADD ("import/refused-creates-nothing", test_import_refused_creates_nothing);
  ADD ("store/corrupt-database", test_corrupt_database);
  ADD ("store/data-dir-is-file", test_data_dir_is_file);
  ADD ("store/read-only-data-dir", test_read_only_data_dir);
  ADD ("store/missing", test_missing_store);
  ADD ("list-show", test_list_show);
  ADD ("export", test_export);
  ADD ("export-formula-text", test_export_formula_text);
  ADD ("usage-errors", test_usage_errors);
  ADD ("romanian-messages", test_romanian_messages);

#undef ADD

  return g_test_run ();
}
