/* test-sync-lines.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-sync-test-util.h"

/* Service-line records between two laptops through the real teren-server (issues 5 and 6):
 * a child-protection case with its anchetă socială (family composition row) and plan de
 * servicii (objective row) created on one laptop reaches the other whole, edits of different
 * fields made offline on both merge, and an account of another line receives none of it;
 * a catagrafie edited on two nurses' laptops merges field by field, and the same answer
 * changed on both becomes one value plus a conflict item holding the other. */

typedef struct {
  TerenTestServer *server;
  char            *root;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-sync-lines-XXXXXX",
                              "ana", "child", "worker",
                              "maria", "child", "worker",
                              "ion", "elderly", "worker",
                              "elena", "community_health", "worker",
                              "dana", "community_health", "worker",
                              NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
}

static TerenSyncEngine *
login (Fixture    *fixture,
       const char *user)
{
  return test_engine_login_ok (fixture->server->base_url, user, fixture->root, user);
}

static void
sync_ok (TerenSyncEngine *engine,
         guint            expect_conflicts)
{
  g_autoptr(TerenSyncSummary) summary = test_sync_ok (engine);

  g_assert_cmpuint (summary->quarantined, ==, 0);
  g_assert_cmpuint (summary->conflicts, ==, expect_conflicts);
  g_assert_cmpuint (summary->pending, ==, 0);
}

/* Saves @json (a JSON object, "%s" filled with @ref) as a new record; returns its id. */
static char *
save_json (TerenSyncEngine *engine,
           const char      *kind,
           const char      *line,
           const char      *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = teren_json_parse (json, -1, 64, &error);
  g_autoptr(TerenRecord) record = NULL;

  g_assert_no_error (error);
  record = teren_store_save (teren_sync_engine_get_store (engine), kind, line, NULL,
                             json_node_get_object (node), NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (teren_record_get_id (record));
}

static void
edit_json (TerenSyncEngine *engine,
           const char      *id,
           const char      *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = teren_json_parse (json, -1, 64, &error);
  g_autoptr(TerenRecord) old = NULL;
  g_autoptr(TerenRecord) record = NULL;

  g_assert_no_error (error);
  old = teren_store_get_record (teren_sync_engine_get_store (engine), id, &error);
  g_assert_no_error (error);
  record = teren_store_save (teren_sync_engine_get_store (engine), teren_record_get_kind (old),
                             teren_record_get_line (old), id, json_node_get_object (node), NULL,
                             NULL, &error);
  g_assert_no_error (error);
}

/* The record's fields, for comparison with teren_json_equal. (transfer full) */
static JsonNode *
fields_of (TerenSyncEngine *engine,
           const char      *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_store_get_record (teren_sync_engine_get_store (engine), id,
                                                          &error);
  JsonNode *node;

  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_false (teren_record_get_deleted (record));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, teren_record_get_fields (record));
  return node;
}

static void
assert_same_record (TerenSyncEngine *a,
                    TerenSyncEngine *b,
                    const char      *id)
{
  g_autoptr(JsonNode) on_a = fields_of (a, id);
  g_autoptr(JsonNode) on_b = fields_of (b, id);

  if (!teren_json_equal (on_a, on_b))
    {
      g_autofree char *text_a = teren_json_to_string (on_a);
      g_autofree char *text_b = teren_json_to_string (on_b);

      g_error ("record %s differs: %s vs %s", id, text_a, text_b);
    }
}

static gboolean
has_text (TerenSyncEngine *engine,
          const char      *id,
          const char      *needle)
{
  g_autoptr(JsonNode) node = fields_of (engine, id);
  g_autofree char *text = teren_json_to_string (node);

  return strstr (text, needle) != NULL;
}

static gboolean
holds (TerenSyncEngine *engine,
       const char      *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_store_get_record (teren_sync_engine_get_store (engine), id,
                                                          &error);

  if (record == NULL)
    {
      g_assert_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND);
      return FALSE;
    }
  return !teren_record_get_deleted (record);
}

static char *
day_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
test_child_case (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenSyncEngine) b = NULL;
  g_autoptr(TerenSyncEngine) other_line = NULL;
  g_autofree char *today = day_from_today (0);
  g_autofree char *review = day_from_today (60);
  g_autofree char *child = NULL;
  g_autofree char *mother = NULL;
  g_autofree char *kase = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *inquiry = NULL;
  g_autofree char *member = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *item = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;
  g_autofree char *value = NULL;
  const char *ids[7];
  guint i;

  if (!test_need_keyring ())
    return;

  a = login (fixture, "ana");
  b = login (fixture, "maria");
  other_line = login (fixture, "ion");

  /* Laptop A, offline: the child, the mother, the case and its documents. */
  child = save_json (a, "person", "",
                     "{\"last_name\":\"Dumitrescu\",\"first_name\":\"Ștefan\",\"sex\":\"M\","
                     "\"birth_date\":\"2016-05-12\",\"cnp_status\":\"missing\"}");
  mother = save_json (a, "person", "",
                      "{\"last_name\":\"Dumitrescu\",\"first_name\":\"Țuca\",\"sex\":\"F\","
                      "\"birth_date\":\"1990-01-20\",\"cnp_status\":\"missing\"}");
  json = g_strdup_printf ("{\"person\":\"%s\",\"opened_on\":\"%s\",\"status\":\"open\"}", child, today);
  kase = save_json (a, "case", "child", json);
  g_free (json);
  json = g_strdup_printf ("{\"case\":\"%s\",\"person\":\"%s\",\"risk_situations\":[\"neglect\","
                          "\"emotional_abuse\"],\"dgaspc_number\":\"DG-2026-118\"}", kase, child);
  profile = save_json (a, "child.case_profile", "child", json);
  g_free (json);
  json = g_strdup_printf ("{\"case\":\"%s\",\"person\":\"%s\",\"date\":\"%s\",\"purpose\":\"services\","
                          "\"mother\":\"%s\",\"rooms\":2,\"electricity\":true,\"running_water\":false,"
                          "\"income_total\":1450.5,\"child_opinion\":\"Vrea să rămână acasă.\","
                          "\"conclusions\":\"Familia are nevoie de sprijin; copilul nu frecventează școala.\","
                          "\"proposals\":\"Plan de servicii, consiliere parentală.\"}",
                          kase, child, today, mother);
  inquiry = save_json (a, "child.social_inquiry", "child", json);
  g_free (json);
  json = g_strdup_printf ("{\"inquiry\":\"%s\",\"person\":\"%s\",\"name\":\"Țuca Dumitrescu\","
                          "\"relationship\":\"parent\",\"income\":1450.5,\"lives_with_child\":true}",
                          inquiry, mother);
  member = save_json (a, "child.inquiry_member", "child", json);
  g_free (json);
  json = g_strdup_printf ("{\"case\":\"%s\",\"number\":\"PS-7/2026\",\"start_on\":\"%s\","
                          "\"review_on\":\"%s\",\"status\":\"active\","
                          "\"objectives\":\"Reluarea frecvenței școlare.\"}", kase, today, review);
  plan = save_json (a, "child.service_plan", "child", json);
  g_free (json);
  json = g_strdup_printf ("{\"plan\":\"%s\",\"objective\":\"Frecvență școlară zilnică\","
                          "\"service\":\"Consiliere\",\"deadline\":\"%s\"}", plan, review);
  item = save_json (a, "child.plan_item", "child", json);
  g_clear_pointer (&json, g_free);

  sync_ok (a, 0);
  sync_ok (b, 0);
  sync_ok (other_line, 0);

  /* B holds every record exactly as A typed it; the elderly line holds none of it. */
  ids[0] = kase;
  ids[1] = profile;
  ids[2] = inquiry;
  ids[3] = member;
  ids[4] = plan;
  ids[5] = item;
  ids[6] = child;
  for (i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      assert_same_record (a, b, ids[i]);
      g_assert_false (holds (other_line, ids[i]));
    }
  g_assert_false (holds (other_line, mother));
  /* The mother is referenced by the inquiry and its family row: granted to the line. */
  assert_same_record (a, b, mother);

  /* Offline on both: A revises the inquiry's conclusions and the plan's objectives, B
   * changes the plan's review date and the inquiry's housing answers. Field merge. */
  edit_json (a, inquiry, "{\"conclusions\":\"Situația s-a îmbunătățit după prima vizită.\"}");
  edit_json (a, plan, "{\"objectives\":\"Reluarea frecvenței școlare; consiliere parentală.\"}");
  g_free (review);
  review = day_from_today (90);
  json = g_strdup_printf ("{\"review_on\":\"%s\"}", review);
  edit_json (b, plan, json);
  edit_json (b, inquiry, "{\"running_water\":true,\"rooms\":3}");
  sync_ok (a, 0);
  sync_ok (b, 0);
  sync_ok (a, 0);

  value = test_string_of (b, inquiry, "conclusions");
  g_assert_cmpstr (value, ==, "Situația s-a îmbunătățit după prima vizită.");
  g_clear_pointer (&value, g_free);
  value = test_string_of (a, plan, "review_on");
  g_assert_cmpstr (value, ==, review);
  g_clear_pointer (&value, g_free);
  for (i = 0; i < G_N_ELEMENTS (ids); i++)
    assert_same_record (a, b, ids[i]);

  /* Converged: both hold what the server holds for the line. */
  dump_a = test_store_dump (teren_sync_engine_get_store (a));
  dump_b = test_store_dump (teren_sync_engine_get_store (b));
  g_assert_cmpstr (dump_a, ==, dump_b);
  g_assert_nonnull (strstr (dump_a, "rooms"));
}

static void
test_catagrafie (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenSyncEngine) b = NULL;
  g_autoptr(TerenRecord) resolved = NULL;
  g_autofree char *today = day_from_today (0);
  g_autofree char *person = NULL;
  g_autofree char *catagrafie = NULL;
  g_autofree char *json = NULL;
  g_autofree char *value = NULL;

  if (!test_need_keyring ())
    return;

  a = login (fixture, "elena");
  b = login (fixture, "dana");

  person = save_json (a, "person", "",
                      "{\"last_name\":\"Stănescu\",\"first_name\":\"Ilie\",\"sex\":\"M\","
                      "\"birth_date\":\"1948-02-11\",\"cnp_status\":\"missing\"}");
  json = g_strdup_printf ("{\"person\":\"%s\",\"evaluation_date\":\"%s\",\"version\":1,"
                          "\"cat_pov\":\"VGS_01\",\"cat_liv\":[\"VLP_01\"],\"cat_edu\":\"VEA_01\"}",
                          person, today);
  catagrafie = save_json (a, "community_health.catagrafie", "community_health", json);
  sync_ok (a, 0);
  sync_ok (b, 0);
  assert_same_record (a, b, catagrafie);

  /* Different answers on the two laptops: merged field by field. */
  edit_json (a, catagrafie, "{\"cat_liv\":[\"VLP_01\",\"VLP_02\"]}");
  edit_json (b, catagrafie, "{\"cat_edu\":\"VEC_01\",\"notes\":\"Revizuit la domiciliu.\"}");
  sync_ok (a, 0);
  sync_ok (b, 0);
  sync_ok (a, 0);
  assert_same_record (a, b, catagrafie);
  g_assert_true (has_text (a, catagrafie, "VLP_02"));
  g_assert_true (has_text (a, catagrafie, "VEC_01"));
  g_assert_true (has_text (b, catagrafie, "VLP_01"));

  /* The same answer changed on both: the first to sync wins, the second gets a conflict
   * item holding its own value, nothing silently lost (invariant 4). */
  edit_json (a, catagrafie, "{\"cat_pov\":\"VGS_02\"}");
  edit_json (b, catagrafie, "{\"cat_pov\":\"VGS_99\"}");
  sync_ok (a, 0);
  sync_ok (b, 1);
  value = test_string_of (b, catagrafie, "cat_pov");
  g_assert_cmpstr (value, ==, "VGS_02");
  g_clear_pointer (&value, g_free);
  /* The nurse on B keeps her answer; it reaches A. */
  resolved = test_resolve_one_conflict (teren_sync_engine_get_store (b), catagrafie, "cat_pov", "VGS_02", "VGS_99",
                                        "VGS_01", "VGS_99");
  sync_ok (b, 0);
  sync_ok (a, 0);
  value = test_string_of (a, catagrafie, "cat_pov");
  g_assert_cmpstr (value, ==, "VGS_99");
  assert_same_record (a, b, catagrafie);
}

/* The one conflict item of @engine's store for @id: its field and who set the server's
 * value. */
static void
assert_conflict_by (TerenSyncEngine *engine,
                    const char      *id,
                    const char      *field,
                    const char      *server_by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = teren_store_list_conflicts (teren_sync_engine_get_store (engine), id,
                                                               &error);
  TerenConflict *conflict;

  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, field);
  g_assert_cmpstr (conflict->server_by, ==, server_by);
  g_assert_nonnull (conflict->server_at);
}

/* Who set the server's value of a conflict is named on both laptops: the one whose change
 * did not go in (from the push answer) and the one who made it (from the pulled
 * sys.conflict record, whose own author is the other). Ana's batch changes the phone, then
 * the first name Maria had changed: the server's first name is Maria's, though the record's
 * last revision (the phone, one operation earlier) is Ana's. */
static void
test_conflict_authors (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) a = NULL;
  g_autoptr(TerenSyncEngine) b = NULL;
  g_autofree char *child = NULL;
  g_autofree char *kase = NULL;
  g_autofree char *json = NULL;
  g_autofree char *today = day_from_today (0);

  if (!test_need_keyring ())
    return;

  a = login (fixture, "ana");
  b = login (fixture, "maria");
  child = save_json (a, "person", "",
                     "{\"last_name\":\"Dumitrescu\",\"first_name\":\"Ștefan\",\"sex\":\"M\","
                     "\"birth_date\":\"2016-05-12\",\"cnp_status\":\"missing\"}");
  json = g_strdup_printf ("{\"person\":\"%s\",\"opened_on\":\"%s\",\"status\":\"open\"}", child, today);
  kase = save_json (a, "case", "child", json);
  sync_ok (a, 0);
  sync_ok (b, 0);

  edit_json (b, child, "{\"last_name\":\"Dumitrescu\",\"first_name\":\"Ștefănel\",\"sex\":\"M\","
                       "\"birth_date\":\"2016-05-12\",\"cnp_status\":\"missing\"}");
  sync_ok (b, 0);

  edit_json (a, child, "{\"last_name\":\"Dumitrescu\",\"first_name\":\"Ștefan\",\"sex\":\"M\","
                       "\"birth_date\":\"2016-05-12\",\"cnp_status\":\"missing\",\"phone\":\"0744000222\"}");
  edit_json (a, child, "{\"last_name\":\"Dumitrescu\",\"first_name\":\"Fănel\",\"sex\":\"M\","
                       "\"birth_date\":\"2016-05-12\",\"cnp_status\":\"missing\",\"phone\":\"0744000222\"}");
  sync_ok (a, 1);
  assert_conflict_by (a, child, "first_name", "maria");

  sync_ok (b, 0);
  assert_conflict_by (b, child, "first_name", "maria");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TEREN_SERVER_BIN") == NULL)
    {
      g_test_message ("TEREN_SERVER_BIN is not set");
      return 77;
    }

  g_test_add ("/sync/lines/child-case", Fixture, NULL, fixture_set_up, test_child_case,
              fixture_tear_down);
  g_test_add ("/sync/lines/catagrafie", Fixture, NULL, fixture_set_up, test_catagrafie,
              fixture_tear_down);
  g_test_add ("/sync/lines/conflict-authors", Fixture, NULL, fixture_set_up, test_conflict_authors,
              fixture_tear_down);
  return g_test_run ();
}
