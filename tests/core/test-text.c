/* test-text.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-text.h"

/* Spelled with escapes so that the test does not depend on how an editor stores them. */
#define S_CEDILLA_UPPER "\xC5\x9E"     /* Ş U+015E */
#define S_CEDILLA_LOWER "\xC5\x9F"     /* ş U+015F */
#define T_CEDILLA_UPPER "\xC5\xA2"     /* Ţ U+0162 */
#define T_CEDILLA_LOWER "\xC5\xA3"     /* ţ U+0163 */
#define S_COMMA_UPPER   "\xC8\x98"     /* Ș U+0218 */
#define S_COMMA_LOWER   "\xC8\x99"     /* ș U+0219 */
#define T_COMMA_UPPER   "\xC8\x9A"     /* Ț U+021A */
#define T_COMMA_LOWER   "\xC8\x9B"     /* ț U+021B */
#define COMB_CEDILLA    "\xCC\xA7"     /* U+0327 */
#define COMB_COMMA      "\xCC\xA6"     /* U+0326 */
#define COMB_BREVE      "\xCC\x86"     /* U+0306 */
#define A_BREVE_LOWER   "\xC4\x83"     /* ă */

static void
assert_normalize (const char *input,
                  const char *expected)
{
  g_autofree char *result = teren_text_normalize (input);

  g_assert_cmpstr (result, ==, expected);
}

static void
assert_fold (const char *input,
             const char *expected)
{
  g_autofree char *result = teren_text_fold (input);

  g_assert_cmpstr (result, ==, expected);
}

/* ASCII text takes a shorter path: it must fold, normalise and collate exactly as through
 * the general one. A trailing no-break space (a separator, dropped at the end; trimmed
 * space for the other two) sends the same text down the general path. Every ASCII
 * character, in random strings and around separators. */
static void
test_ascii_path (void)
{
  static const char * const fixed[] = {
    "", " ", "Ana", "  ANA  maria ", "Pop-Escu, Ion", "a1b2_C3", "\t\x01x\x7fY~", "...", "1984-03-05",
  };
  GRand *rand = g_rand_new_with_seed (20261202);
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (fixed) + 2000; i++)
    {
      g_autofree char *ascii = NULL;
      g_autofree char *general_input = NULL;
      g_autofree char *fast = NULL;
      g_autofree char *general = NULL;

      if (i < G_N_ELEMENTS (fixed))
        ascii = g_strdup (fixed[i]);
      else
        {
          guint length = g_rand_int_range (rand, 0, 24);

          ascii = g_malloc (length + 1);
          for (j = 0; j < length; j++)
            ascii[j] = (char) g_rand_int_range (rand, 1, 128);
          ascii[length] = '\0';
        }
      general_input = g_strconcat (ascii, "\xc2\xa0", NULL);
      fast = teren_text_fold (ascii);
      general = teren_text_fold (general_input);
      g_assert_cmpstr (fast, ==, general);
      g_free (fast);
      g_free (general);
      fast = teren_text_normalize (ascii);
      general = teren_text_normalize (general_input);
      g_assert_cmpstr (fast, ==, general);
      g_free (fast);
      g_free (general);
      fast = teren_text_collate_key (ascii);
      general = teren_text_collate_key (general_input);
      g_assert_cmpstr (fast, ==, general);
    }
  g_rand_free (rand);
}

static void
test_normalize_cedilla (void)
{
  assert_normalize (S_CEDILLA_UPPER "tef" A_BREVE_LOWER "nescu",
                    S_COMMA_UPPER "tef" A_BREVE_LOWER "nescu");
  assert_normalize (S_CEDILLA_LOWER T_CEDILLA_LOWER S_CEDILLA_UPPER T_CEDILLA_UPPER,
                    S_COMMA_LOWER T_COMMA_LOWER S_COMMA_UPPER T_COMMA_UPPER);
  /* Already correct text is unchanged. */
  assert_normalize (S_COMMA_UPPER "tef" A_BREVE_LOWER "nescu",
                    S_COMMA_UPPER "tef" A_BREVE_LOWER "nescu");
}

static void
test_normalize_decomposed (void)
{
  /* s/t + combining cedilla, and + combining comma below, all become precomposed
   * comma-below letters. */
  assert_normalize ("S" COMB_CEDILLA "tefan " "T" COMB_CEDILLA "epe" "s" COMB_CEDILLA,
                    S_COMMA_UPPER "tefan " T_COMMA_UPPER "epe" S_COMMA_LOWER);
  assert_normalize ("s" COMB_COMMA "t" COMB_COMMA, S_COMMA_LOWER T_COMMA_LOWER);
  /* NFC: a + combining breve is ă. */
  assert_normalize ("Bra" COMB_BREVE "ila", "Br" A_BREVE_LOWER "ila");
  /* A cedilla on another letter (ç) is not Romanian and stays. */
  assert_normalize ("Fran" "c" COMB_CEDILLA "ois", "Fran\xC3\xA7ois");
}

static void
test_normalize_trim_and_case (void)
{
  assert_normalize ("  Ana Maria \n\t", "Ana Maria");
  assert_normalize ("\xC2\xA0" "Ion" "\xE2\x80\x83", "Ion");   /* NBSP, EM SPACE */
  assert_normalize ("POPESCU", "POPESCU");
  assert_normalize ("", "");
  assert_normalize ("   ", "");
  /* Inner white space is kept: normalisation does not rewrite what people typed. */
  assert_normalize ("Pop  Ana", "Pop  Ana");
}

static void
test_fold_same_key (void)
{
  const char *spellings[] = {
    S_CEDILLA_UPPER "tef" A_BREVE_LOWER "nescu",     /* Ştefănescu, cedilla */
    S_COMMA_UPPER "tef" A_BREVE_LOWER "nescu",       /* Ștefănescu, comma below */
    "STEFANESCU",
    "S" COMB_CEDILLA "tefa" COMB_BREVE "nescu",      /* decomposed cedilla and breve */
    "stefanescu",
    "  \xC8\x98TEF\xC4\x82NESCU ",                   /* ȘTEFĂNESCU */
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (spellings); i++)
    assert_fold (spellings[i], "stefanescu");
}

static void
test_fold_separators (void)
{
  assert_fold (S_CEDILLA_UPPER "tef" A_BREVE_LOWER "nescu-" T_CEDILLA_UPPER "epe" S_CEDILLA_LOWER "  Ana",
               "stefanescu tepes ana");
  assert_fold ("  Br\xC4\x83ila, jud. Br\xC4\x83ila  ", "braila jud braila");
  assert_fold ("\xC3\x8EMPRUMUT \xC3\x82NCA", "imprumut anca");   /* ÎMPRUMUT ÂNCA */
  assert_fold ("O'Brien -- Ion", "o brien ion");
  assert_fold ("Bloc 4, sc. B, ap. 12", "bloc 4 sc b ap 12");
  assert_fold ("", "");
  assert_fold ("---", "");
  assert_fold ("M\xC3\xBCller \xC5\x81ukasz", "muller lukasz");   /* Müller Łukasz */
}

static void
test_control_chars (void)
{
  g_assert_false (teren_text_has_control_chars ("Ana Maria", FALSE));
  g_assert_false (teren_text_has_control_chars (S_COMMA_UPPER "tefan", FALSE));
  g_assert_false (teren_text_has_control_chars (NULL, FALSE));

  g_assert_true (teren_text_has_control_chars ("Ana\nMaria", FALSE));
  g_assert_true (teren_text_has_control_chars ("Ana\tMaria", FALSE));
  g_assert_true (teren_text_has_control_chars ("Ana\rMaria", FALSE));
  g_assert_false (teren_text_has_control_chars ("Ana\nMaria\tx\r\n", TRUE));

  g_assert_true (teren_text_has_control_chars ("A\x01", TRUE));
  g_assert_true (teren_text_has_control_chars ("A\x1b[31m", TRUE));   /* ESC */
  g_assert_true (teren_text_has_control_chars ("A\x7f", TRUE));       /* DEL */
  g_assert_true (teren_text_has_control_chars ("A\xC2\x85", TRUE));   /* NEL, C1 */
  g_assert_true (teren_text_has_control_chars ("A\xE2\x80\xA8", FALSE));  /* LINE SEP */
}

static void
test_length (void)
{
  g_assert_cmpint (teren_text_length (S_COMMA_UPPER "tef" A_BREVE_LOWER "nescu"), ==, 10);
  g_assert_cmpint (teren_text_length (""), ==, 0);
  g_assert_cmpint (teren_text_length (NULL), ==, 0);
}

static int
collate_cb (gconstpointer a,
            gconstpointer b)
{
  return teren_text_collate (*(const char * const *) a, *(const char * const *) b);
}

static void
test_collate_order (void)
{
  /* The expected order: lower case before upper case at equal letters; ă after a,
   * â after ă, î after i, ș after s, ț after t; shorter prefixes first. */
  const char *expected[] = {
    "ana", "Ana", "Azi", A_BREVE_LOWER "sta", "\xC3\xA2ine",
    "Ion", "Izvor", "\xC3\x8E" "ndrei",
    "Pop", "Pop Ana", "Popa",
    "Sandu", "Szabo", S_COMMA_UPPER "erban", S_COMMA_UPPER "tefan",
    "Tudor", "Tz", T_COMMA_UPPER "epe" S_COMMA_LOWER,
    "Zoe",
  };
  g_autoptr(GPtrArray) shuffled = g_ptr_array_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    g_ptr_array_add (shuffled, (gpointer) expected[G_N_ELEMENTS (expected) - 1 - i]);
  /* Reverse, then move a few about. */
  g_ptr_array_add (shuffled, g_ptr_array_steal_index (shuffled, 3));
  g_ptr_array_insert (shuffled, 0, g_ptr_array_steal_index (shuffled, 10));

  g_ptr_array_sort (shuffled, collate_cb);
  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (shuffled, i), ==, expected[i]);
}

static void
test_collate_equivalence (void)
{
  /* Cedilla and comma-below are the same letter; so are composed and decomposed. */
  g_assert_cmpint (teren_text_collate (S_CEDILLA_UPPER "tefan", S_COMMA_UPPER "tefan"), ==, 0);
  g_assert_cmpint (teren_text_collate ("Bra" COMB_BREVE "ila", "Br" A_BREVE_LOWER "ila"), ==, 0);
  g_assert_cmpint (teren_text_collate ("Ana ", "Ana"), ==, 0);
  g_assert_cmpint (teren_text_collate ("Ana", "Ana"), ==, 0);
  /* Case is only a tie-breaker. */
  g_assert_cmpint (teren_text_collate ("ANA", "anb"), <, 0);
  /* A non-Romanian accent is a secondary difference: é sorts with e. */
  g_assert_cmpint (teren_text_collate ("Ren\xC3\xA9", "Renz"), <, 0);
  g_assert_cmpint (teren_text_collate ("Rene", "Ren\xC3\xA9"), <, 0);
}

/* Sort keys are stored (record.sort_key, search.sort_key): the key of a text must never
 * change, or stores would hold keys of two kinds. The whole alphabet, digits, a separator
 * and a letter with a mark Romanian does not use. */
static void
test_collate_key_stable (void)
{
  g_autofree char *key = teren_text_collate_key ("Aăâbcdefghiîjklmnopqrsștțuvwxyz 09 Ü!");
  g_autofree char *other = teren_text_collate_key ("Иван");

  g_assert_cmpstr (key, ==, "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_!09!Z "
                            "0000000000000000000000000000000001 "
                            "ullllllllllllllllllllllllllllllllu");
  g_assert_cmpstr (other, ==, "~000438~000432~000430~00043D 0000 ulll");
}

static void
test_collate_key (void)
{
  const char *words[] = {
    "Ana", "ana", A_BREVE_LOWER "sta", S_COMMA_UPPER "tefan", "Sz", "Pop Ana", "Popa",
    "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD",   /* Иван: another script */
    "12 Mai", "Zoe",
  };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autofree char *key = teren_text_collate_key (words[i]);
      const char *p;

      /* Printable ASCII, so that SQLite's BINARY collation orders it. */
      for (p = key; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p < 0x7f);

      for (j = 0; j < G_N_ELEMENTS (words); j++)
        {
          g_autofree char *other = teren_text_collate_key (words[j]);
          int by_key = strcmp (key, other);
          int by_collate = teren_text_collate (words[i], words[j]);

          g_assert_cmpint ((by_key > 0) - (by_key < 0), ==, by_collate);
        }
    }

  /* Other scripts sort after the Latin alphabet, digits before it. */
  g_assert_cmpint (teren_text_collate ("\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD", "Zoe"), >, 0);
  g_assert_cmpint (teren_text_collate ("12 Mai", "Ana"), <, 0);
}

static void
test_invalid_utf8_does_not_crash (void)
{
  /* The contract is valid UTF-8, but nothing may crash on bad bytes. */
  g_autofree char *normal = teren_text_normalize ("Ana\xff\xfe");
  g_autofree char *folded = teren_text_fold ("Ana\xff");
  g_autofree char *key = teren_text_collate_key ("Ana\xff");

  g_assert_true (g_utf8_validate (normal, -1, NULL));
  g_assert_true (g_str_has_prefix (folded, "ana"));
  g_assert_nonnull (key);
}

/* Random valid UTF-8 with Romanian letters, marks and separators: normalisation is
 * idempotent, folding is lower-case ASCII-ish and stable under normalisation, and the
 * collation key agrees with itself. */
static void
test_random_text (void)
{
  const char *pieces[] = {
    "a", "Z", " ", "-", ".", "\t", A_BREVE_LOWER, S_CEDILLA_UPPER, S_COMMA_LOWER, T_CEDILLA_LOWER,
    COMB_CEDILLA, COMB_COMMA, COMB_BREVE, "\xC3\xAE", "\xC3\x82", "s", "t", "1",
  };
  GRand *rand = g_rand_new_with_seed (1866);
  guint i, j;

  for (i = 0; i < 3000; i++)
    {
      GString *s = g_string_new (NULL);
      g_autofree char *text = NULL;
      g_autofree char *normal = NULL;
      g_autofree char *normal2 = NULL;
      g_autofree char *folded = NULL;
      g_autofree char *folded_normal = NULL;
      guint n = g_rand_int_range (rand, 0, 12);

      for (j = 0; j < n; j++)
        g_string_append (s, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      text = g_string_free (s, FALSE);

      normal = teren_text_normalize (text);
      normal2 = teren_text_normalize (normal);
      g_assert_cmpstr (normal, ==, normal2);
      g_assert_null (strstr (normal, S_CEDILLA_UPPER));
      g_assert_null (strstr (normal, T_CEDILLA_LOWER));

      folded = teren_text_fold (text);
      folded_normal = teren_text_fold (normal);
      g_assert_cmpstr (folded, ==, folded_normal);
      g_assert_true (g_utf8_validate (folded, -1, NULL));
      for (j = 0; folded[j] != '\0'; j++)
        g_assert_true (g_ascii_islower (folded[j]) || g_ascii_isdigit (folded[j]) ||
                       folded[j] == ' ' || (guchar) folded[j] >= 0x80);

      g_assert_cmpint (teren_text_collate (text, normal), ==, 0);
    }

  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/text/normalize/cedilla", test_normalize_cedilla);
  g_test_add_func ("/text/normalize/decomposed", test_normalize_decomposed);
  g_test_add_func ("/text/normalize/trim-and-case", test_normalize_trim_and_case);
  g_test_add_func ("/text/fold/same-key", test_fold_same_key);
  g_test_add_func ("/text/fold/separators", test_fold_separators);
  g_test_add_func ("/text/ascii-path", test_ascii_path);
  g_test_add_func ("/text/control-chars", test_control_chars);
  g_test_add_func ("/text/length", test_length);
  g_test_add_func ("/text/collate/order", test_collate_order);
  g_test_add_func ("/text/collate/equivalence", test_collate_equivalence);
  g_test_add_func ("/text/collate/key", test_collate_key);
  g_test_add_func ("/text/collate/key-stable", test_collate_key_stable);
  g_test_add_func ("/text/invalid-utf8", test_invalid_utf8_does_not_crash);
  g_test_add_func ("/text/random", test_random_text);

  return g_test_run ();
}
