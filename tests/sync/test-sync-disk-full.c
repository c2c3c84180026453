/* test-sync-disk-full.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "teren-error.h"
#include "teren-full-vfs.h"
#include "teren-json.h"
#include "teren-store-sync.h"
#include "teren-sync-test-util.h"

/* The laptop's disk fills up (SYNC-NOTES S20), against the real teren-server:
 * - during a pull page: the round fails and says the disk is full; the cursor, every
 *   record and the op-log are as before the round; the file passes its integrity check;
 * - after a push was answered: the server has the change, the laptop could not mark it
 *   sent, so it stays pending; the next round (space back) sends it again and the server
 *   answers `duplicate`: the change exists once (one revision more, not two);
 * - space back: the laptop holds exactly what the other laptop holds, nothing pending.
 * Full is a VFS shim in this process (tests/store/teren-full-vfs.h), so only SQLite's
 * writes see it; the server runs in its own process on a disk with room. Runs under
 * build-aux/test-session.sh (the token is in the Secret Service). */

#define N_PERSONS 12

typedef struct {
  TerenTestServer *server;
  char            *root;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  test_server_fixture_set_up (&fixture->server, &fixture->root, "teren-disk-full-XXXXXX",
                              "ana", "child", "worker", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  teren_full_vfs_set_full (FALSE);
  test_server_fixture_tear_down (&fixture->server, &fixture->root);
}

/* A person and a child case on @engine; returns the person's id. (transfer full) */
static char *
save_person_with_case (TerenSyncEngine *engine,
                       guint            i)
{
  g_autofree char *first = g_strdup_printf ("Ana%c", 'A' + i % 26);

  return test_save_person_with_case (teren_sync_engine_get_store (engine), "Munteanu", first);
}

static void
set_phone (TerenSyncEngine *engine,
           const char      *id,
           const char      *phone)
{
  TerenStore *store = teren_sync_engine_get_store (engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) old = teren_store_get_record (store, id, &error);
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(TerenRecord) record = NULL;

  g_assert_no_error (error);
  fields = teren_json_object_copy (teren_record_get_fields (old));
  json_object_set_string_member (fields, "phone", phone);
  record = teren_store_save (store, "person", "", id, fields, NULL, NULL, &error);
  g_assert_no_error (error);
}

static gint64
rev_of (TerenSyncEngine *engine,
        const char      *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TerenRecord) record = teren_store_get_record (teren_sync_engine_get_store (engine), id, &error);

  g_assert_no_error (error);
  return teren_record_get_rev (record);
}

/* Armed: the disk fills as soon as a push request has been written out, so the server
 * applies it but the laptop cannot record the answer. (An emission hook: the engine's
 * session is its own.) */
static gboolean fill_after_push;

static gboolean
wrote_body_hook (GSignalInvocationHint *hint,
                 guint                  n_values,
                 const GValue          *values,
                 gpointer               data)
{
  SoupMessage *msg = g_value_get_object (&values[0]);

  if (fill_after_push && g_str_has_suffix (g_uri_get_path (soup_message_get_uri (msg)), "/push"))
    {
      fill_after_push = FALSE;
      teren_full_vfs_set_full (TRUE);
    }
  return TRUE;
}

/* A round that must fail because the disk is full (now, or when @after_push: once the
 * push is on its way); nothing of @engine's store changes. */
static void
sync_on_full_disk (TerenSyncEngine *engine,
                   gboolean         after_push)
{
  TerenStore *store = teren_sync_engine_get_store (engine);
  g_autofree char *cursor = teren_store_sync_get_cursor (store);
  g_autofree char *dump = test_store_dump (store);
  g_autofree char *cursor_after = NULL;
  g_autofree char *dump_after = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  guint pending = teren_store_count_pending (store);
  guint refused = teren_full_vfs_get_refused ();

  if (after_push)
    fill_after_push = TRUE;
  else
    teren_full_vfs_set_full (TRUE);
  summary = test_engine_sync (engine, &error);
  g_assert_false (fill_after_push);
  g_assert_null (summary);
  g_assert_error (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_STORE);
  /* The user is told why, in words: not SQLite's "database or disk is full". */
  g_assert_nonnull (strstr (error->message, "The disk is full"));
  g_assert_null (strstr (error->message, "database or disk"));
  g_clear_error (&error);
  g_assert_cmpint (teren_sync_engine_get_state (engine), ==, TEREN_SYNC_STATE_ERROR);
  g_assert_nonnull (strstr (teren_sync_engine_get_last_error (engine), "The disk is full"));
  g_assert_cmpuint (teren_full_vfs_get_refused (), >, refused);
  teren_full_vfs_set_full (FALSE);

  cursor_after = teren_store_sync_get_cursor (store);
  dump_after = test_store_dump (store);
  g_assert_cmpstr (cursor_after, ==, cursor);
  g_assert_cmpstr (dump_after, ==, dump);
  g_assert_cmpuint (teren_store_count_pending (store), ==, pending);
  g_assert_true (teren_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TerenSyncEngine) office = NULL;
  g_autoptr(TerenSyncEngine) field = NULL;
  g_autoptr(TerenSyncSummary) summary = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *office_dump = NULL;
  g_autofree char *field_dump = NULL;
  const char *edited;
  gint64 rev;
  guint i;

  if (!test_need_keyring ())
    return;

  office = test_engine_login_ok (fixture->server->base_url, "ana", fixture->root, "office");
  field = test_engine_login_ok (fixture->server->base_url, "ana", fixture->root, "field");
  /* Several pages a round. */
  g_object_set (field, "pull-limit", 4, NULL);

  for (i = 0; i < N_PERSONS / 2; i++)
    g_ptr_array_add (ids, save_person_with_case (office, i));
  test_sync_quiet (office);
  test_sync_quiet (field);

  /* 1. The disk fills while new records come down. */
  for (; i < N_PERSONS; i++)
    g_ptr_array_add (ids, save_person_with_case (office, i));
  test_sync_quiet (office);
  sync_on_full_disk (field, FALSE);

  /* 2. Full before a push: nothing is sent, the change waits. */
  edited = g_ptr_array_index (ids, 0);
  rev = rev_of (field, edited);
  set_phone (field, edited, "0744000111");
  sync_on_full_disk (field, FALSE);

  /* 3. Full once the push went out: the server has the change, the laptop could not
   * mark it sent, so it stays pending... */
  sync_on_full_disk (field, TRUE);

  /* ...and is answered `duplicate` when sent again: one change, one revision. */
  summary = test_sync_ok (field);
  g_assert_cmpuint (summary->duplicates, ==, 1);
  g_assert_cmpuint (summary->pending, ==, 0);
  g_assert_cmpuint (summary->pulled, >=, N_PERSONS);
  g_assert_cmpint (rev_of (field, edited), ==, rev + 1);

  /* 4. Both laptops hold the same. */
  test_sync_quiet (office);
  g_assert_cmpint (rev_of (office, edited), ==, rev + 1);
  office_dump = test_store_dump (teren_sync_engine_get_store (office));
  field_dump = test_store_dump (teren_sync_engine_get_store (field));
  g_assert_cmpstr (field_dump, ==, office_dump);
  g_assert_cmpuint (teren_store_count (teren_sync_engine_get_store (field), "person"), ==, N_PERSONS);
  g_assert_cmpuint (teren_store_count_pending (teren_sync_engine_get_store (field)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Before any store is opened: every database of this program goes through it. */
  teren_full_vfs_install ();
  g_type_class_ref (SOUP_TYPE_MESSAGE);  /* its signals exist once the class does */
  g_signal_add_emission_hook (g_signal_lookup ("wrote-body", SOUP_TYPE_MESSAGE), 0, wrote_body_hook,
                              NULL, NULL);

  g_test_add ("/sync/disk-full/pull-and-push", Fixture, NULL, fixture_set_up, test_disk_full,
              fixture_tear_down);

  return g_test_run ();
}
