/* test-uuid.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "teren-uuid.h"

static void
test_new (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  for (i = 0; i < 1000; i++)
    {
      char *id = teren_uuid_new ();

      g_assert_true (teren_uuid_is_valid (id));
      g_assert_cmpint (strlen (id), ==, 36);
      g_assert_cmpint (id[14], ==, '4');                       /* version 4 */
      g_assert_nonnull (strchr ("89ab", id[19]));              /* RFC 4122 variant */
      {
        g_autofree char *lower = g_ascii_strdown (id, -1);

        g_assert_cmpstr (id, ==, lower);
      }
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, id);
    }
}

static void
test_is_valid (void)
{
  g_assert_true (teren_uuid_is_valid ("123e4567-e89b-12d3-a456-426614174000"));
  g_assert_true (teren_uuid_is_valid ("123E4567-E89B-12D3-A456-426614174000"));
  g_assert_false (teren_uuid_is_valid (NULL));
  g_assert_false (teren_uuid_is_valid (""));
  g_assert_false (teren_uuid_is_valid ("123e4567e89b12d3a456426614174000"));
  g_assert_false (teren_uuid_is_valid ("123e4567-e89b-12d3-a456-42661417400"));
  g_assert_false (teren_uuid_is_valid ("123e4567-e89b-12d3-a456-4266141740000"));
  g_assert_false (teren_uuid_is_valid ("123e4567-e89b-12d3-a456-42661417400g"));
  g_assert_false (teren_uuid_is_valid ("123e4567-e89b-12d3-a456_426614174000"));
  g_assert_false (teren_uuid_is_valid ("{123e4567-e89b-12d3-a456-426614174000}"));
}

static void
test_now (void)
{
  g_autofree char *a = teren_now_iso8601 ();
  g_autofree char *b = teren_now_iso8601 ();
  g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (a, NULL);

  /* "YYYY-MM-DDTHH:MM:SS.ffffffZ" */
  g_assert_cmpint (strlen (a), ==, 27);
  g_assert_cmpint (a[10], ==, 'T');
  g_assert_cmpint (a[19], ==, '.');
  g_assert_cmpint (a[26], ==, 'Z');
  g_assert_nonnull (parsed);
  /* Sortable as text. */
  g_assert_cmpint (strcmp (a, b), <=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/uuid/new", test_new);
  g_test_add_func ("/uuid/is-valid", test_is_valid);
  g_test_add_func ("/uuid/now", test_now);

  return g_test_run ();
}
