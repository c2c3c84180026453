/* test-lines-money.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Boundaries of the money the canteen and crèche forms compute (issue 5): the canteen's
 * threshold (Legea 208/1997: free only *under* it), the 30 % contribution meeting its cap
 * exactly, a month of 28 or 31 days; the crèche rule table's income range ends
 * (both included) and its min_children steps.
 */

#include "config.h"

#include "teren-lifecycle.h"
#include "teren-record.h"

static TerenRecord *
rule (const char *id,
      const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return teren_record_new_full (id, "creche.contribution_rule", "creche", 0, json_node_get_object (node), FALSE,
                                "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "author", "author");
}

static void
test_canteen_boundaries (void)
{
  double per_member = -1, contribution = -1;
  gboolean is_free = FALSE;

  /* One ban under the threshold per member: free. */
  g_assert_true (teren_canteen_compute (824.97, 3, 275, 22, 30, &per_member, &is_free, &contribution));
  g_assert_cmpfloat (per_member, ==, 274.99);
  g_assert_true (is_free);
  g_assert_cmpfloat (contribution, ==, 0);
  /* Exactly the threshold: not free, 30 %. */
  g_assert_true (teren_canteen_compute (825, 3, 275, 22, 30, &per_member, &is_free, &contribution));
  g_assert_cmpfloat (per_member, ==, 275);
  g_assert_false (is_free);
  g_assert_cmpfloat (contribution, ==, 82.5);
  /* No income at all: free. */
  g_assert_true (teren_canteen_compute (0, 1, 275, 22, 30, &per_member, &is_free, &contribution));
  g_assert_true (is_free);
  g_assert_cmpfloat (contribution, ==, 0);
  /* 30 % of 2200 = 660 = 22 lei × 30 days: the cap is met exactly, not exceeded. */
  g_assert_true (teren_canteen_compute (2200, 1, 275, 22, 30, &per_member, &is_free, &contribution));
  g_assert_cmpfloat (contribution, ==, 660);
  g_assert_true (teren_canteen_compute (2200.10, 1, 275, 22, 30, &per_member, &is_free, &contribution));
  g_assert_cmpfloat (contribution, ==, 660);
  /* The cap follows the month's days. */
  g_assert_true (teren_canteen_compute (5000, 1, 275, 22, 28, NULL, NULL, &contribution));
  g_assert_cmpfloat (contribution, ==, 616);
  g_assert_true (teren_canteen_compute (5000, 1, 275, 22, 31, NULL, NULL, &contribution));
  g_assert_cmpfloat (contribution, ==, 682);
  /* A threshold of 0 (not configured): never free. */
  g_assert_true (teren_canteen_compute (0, 1, 0, 22, 30, NULL, &is_free, NULL));
  g_assert_false (is_free);
  /* Bad input: negative income or cost, no members. */
  g_assert_false (teren_canteen_compute (-0.01, 1, 275, 22, 30, NULL, NULL, NULL));
  g_assert_false (teren_canteen_compute (100, 1, 275, -1, 30, NULL, NULL, NULL));
  g_assert_false (teren_canteen_compute (100, 0, 275, 22, 30, NULL, NULL, NULL));
  g_assert_false (teren_canteen_compute (100, -2, 275, 22, 30, NULL, NULL, NULL));
}

static void
test_creche_boundaries (void)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);
  double amount = -1;

  g_ptr_array_add (rules, rule ("low", "{\"year\":2026,\"income_from\":0,\"income_to\":1000,\"fixed_amount\":50}"));
  g_ptr_array_add (rules, rule ("high", "{\"year\":2026,\"income_from\":1000.01,\"percent\":10}"));
  g_ptr_array_add (rules, rule ("two", "{\"year\":2026,\"income_from\":1000.01,\"min_children\":2,\"percent\":5}"));
  g_ptr_array_add (rules, rule ("gone", "{\"year\":2026,\"income_from\":0,\"min_children\":3,\"fixed_amount\":1}"));
  teren_record_set_deleted (g_ptr_array_index (rules, 3), TRUE);

  /* Both ends of a range belong to it. */
  g_assert_true (teren_creche_contribution (rules, 2026, 0, 1, &amount));
  g_assert_cmpfloat (amount, ==, 50);
  g_assert_true (teren_creche_contribution (rules, 2026, 1000, 1, &amount));
  g_assert_cmpfloat (amount, ==, 50);
  g_assert_true (teren_creche_contribution (rules, 2026, 1000.01, 1, &amount));
  g_assert_cmpfloat (amount, ==, 100);
  /* The rule for two children applies from two children on; a deleted rule never. */
  g_assert_true (teren_creche_contribution (rules, 2026, 3000, 2, &amount));
  g_assert_cmpfloat (amount, ==, 150);
  g_assert_true (teren_creche_contribution (rules, 2026, 3000, 5, &amount));
  g_assert_cmpfloat (amount, ==, 150);
  g_assert_true (teren_creche_contribution (rules, 2026, 500, 3, &amount));
  g_assert_cmpfloat (amount, ==, 50);
  /* No rule of that year, negative income, no child. */
  g_assert_false (teren_creche_contribution (rules, 2027, 500, 1, &amount));
  g_assert_false (teren_creche_contribution (rules, 2026, -1, 1, &amount));
  g_assert_false (teren_creche_contribution (rules, 2026, 500, 0, &amount));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lines/money/canteen-boundaries", test_canteen_boundaries);
  g_test_add_func ("/lines/money/creche-boundaries", test_creche_boundaries);
  return g_test_run ();
}
