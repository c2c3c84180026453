/* test-server-digest.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The integrity digest endpoints on the real teren-server (SYNC.md "Integrity digest"):
 * for an account with two lines, registry records it sees through its lines' references
 * (made by someone else) and ones it made itself, a tombstone, an updated record and
 * records outside its scope, GET /digest (total and the 16 buckets), GET /digest?bucket=x
 * and GET /ids?bucket=x equal a brute-force computation over the records the account
 * pulls, and that set is exactly the expected scope.
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "teren-uuid.h"

#include "teren-server-test-util.h"

#define PASSWORD "correct horse 1"
#define DIGEST_KEY "teren digest v1."
#define N_PERSONS 24

/* SYNC.md: SipHash-2-4 of "<id>:<rev>" with the 16-byte key, read little-endian. */
static guint64
h64 (const char *id,
     gint64      rev)
{
  g_autofree char *text = g_strdup_printf ("%s:%" G_GINT64_FORMAT, id, rev);
  guint8 out[crypto_shorthash_BYTES];
  guint64 value = 0;
  guint i;

  g_assert_cmpint (crypto_shorthash (out, (const guint8 *) text, strlen (text), (const guint8 *) DIGEST_KEY), ==, 0);
  for (i = 0; i < 8; i++)
    value |= (guint64) out[i] << (8 * i);
  return value;
}

static char *
push_new (TerenTestDevice *device,
          const char      *kind,
          const char      *line,
          JsonObject      *fields)
{
  g_autoptr(JsonObject) op = teren_test_op_new ("create", NULL, kind, line, 0, fields, NULL);
  g_autoptr(JsonObject) result = teren_test_device_push_one (device, op);

  g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
  return g_strdup (json_object_get_string_member (op, "record_id"));
}

static JsonObject *
get_json (TerenTestDevice *device,
          const char      *path)
{
  g_autoptr(TerenTestResponse) response = teren_test_request (device->session, device->server, "GET", path,
                                                              device->token, NULL, 0);

  g_assert_cmpuint (response->status, ==, 200);
  return json_object_ref (teren_test_response_object (response));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Brute force over what @device pulled: the non-deleted records of @bucket (-1 = all),
 * sorted by id as "id rev" lines; digest and count. */
static char *
expected_bucket (TerenTestDevice *device,
                 int              bucket,
                 guint64         *out_digest,
                 gint64          *out_count)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  GString *text = g_string_new (NULL);
  guint i;

  *out_digest = 0;
  *out_count = 0;
  g_hash_table_iter_init (&iter, device->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *record = value;
      gint64 rev = json_object_get_int_member (record, "rev");

      if (json_object_get_boolean_member (record, "deleted"))
        continue;
      if (bucket >= 0 && g_ascii_xdigit_value (((const char *) key)[0]) != bucket)
        continue;
      *out_digest ^= h64 (key, rev);
      (*out_count)++;
      g_ptr_array_add (lines, g_strdup_printf ("%s %" G_GINT64_FORMAT, (const char *) key, rev));
    }
  g_ptr_array_sort (lines, compare_strings);
  for (i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) lines->pdata[i]);
  return g_string_free (text, FALSE);
}

static void
assert_digest (JsonObject *object,
               guint64     digest,
               gint64      count)
{
  g_autofree char *hex = g_strdup_printf ("%016" G_GINT64_MODIFIER "x", digest);

  g_assert_cmpstr (json_object_get_string_member (object, "digest"), ==, hex);
  g_assert_cmpint (json_object_get_int_member (object, "count"), ==, count);
}

static void
check_account (TerenTestDevice *device)
{
  g_autoptr(JsonObject) all = get_json (device, "/api/v1/digest");
  g_autofree char *all_ids = NULL;
  JsonArray *buckets;
  guint64 digest;
  gint64 count, total_count = 0;
  int b;

  all_ids = expected_bucket (device, -1, &digest, &count);
  assert_digest (all, digest, count);
  buckets = json_object_get_array_member (all, "buckets");
  g_assert_nonnull (buckets);
  g_assert_cmpuint (json_array_get_length (buckets), ==, 16);
  for (b = 0; b < 16; b++)
    {
      g_autofree char *name = g_strdup_printf ("%x", b);
      g_autofree char *digest_path = g_strdup_printf ("/api/v1/digest?bucket=%x", b);
      g_autofree char *ids_path = g_strdup_printf ("/api/v1/ids?bucket=%x", b);
      g_autoptr(JsonObject) one = get_json (device, digest_path);
      g_autoptr(JsonObject) ids = get_json (device, ids_path);
      g_autofree char *expected = NULL;
      g_autoptr(GString) got = g_string_new (NULL);
      JsonObject *entry = json_array_get_object_element (buckets, b);
      JsonArray *list;
      guint i;

      expected = expected_bucket (device, b, &digest, &count);
      total_count += count;
      g_assert_cmpstr (json_object_get_string_member (entry, "bucket"), ==, name);
      assert_digest (entry, digest, count);
      g_assert_cmpstr (json_object_get_string_member (one, "bucket"), ==, name);
      assert_digest (one, digest, count);

      g_assert_cmpstr (json_object_get_string_member (ids, "bucket"), ==, name);
      list = json_object_get_array_member (ids, "ids");
      g_assert_nonnull (list);
      for (i = 0; i < json_array_get_length (list); i++)
        {
          JsonArray *pair = json_array_get_array_element (list, i);

          g_assert_cmpuint (json_array_get_length (pair), ==, 2);
          g_string_append_printf (got, "%s %" G_GINT64_FORMAT "\n", json_array_get_string_element (pair, 0),
                                  json_array_get_int_element (pair, 1));
        }
      g_assert_cmpstr (got->str, ==, expected);
    }
  g_assert_cmpint (total_count, ==, json_object_get_int_member (all, "count"));
}

static void
test_digest_buckets (void)
{
  g_autoptr(TerenTestServer) server = teren_test_server_new ();
  g_autoptr(TerenTestDevice) ana = NULL;
  g_autoptr(TerenTestDevice) ion = NULL;
  g_autoptr(TerenTestDevice) dana = NULL;
  g_autoptr(GPtrArray) ana_persons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ion_persons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dana_persons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *deleted_case = NULL;
  g_autofree char *dana_case = NULL;
  g_autofree char *updated = NULL;
  GHashTableIter iter;
  gpointer key;
  guint i;

  g_assert_cmpint (sodium_init (), >=, 0);
  teren_test_server_add_user (server, "ana", PASSWORD, "child,elderly", "worker");
  teren_test_server_add_user (server, "ion", PASSWORD, "child", "worker");
  teren_test_server_add_user (server, "dana", PASSWORD, "homeless", "worker");
  teren_test_server_start (server);
  ana = teren_test_device_new (server, "ana", PASSWORD, NULL);
  ion = teren_test_device_new (server, "ion", PASSWORD, NULL);
  dana = teren_test_device_new (server, "dana", PASSWORD, NULL);

  /* Registry records: ana's own (her key), ion's (granted to ana only through a child
   * case referencing them) and dana's (never in ana's scope). Random ids spread the
   * records over the buckets. */
  for (i = 0; i < N_PERSONS; i++)
    {
      g_ptr_array_add (ana_persons, push_new (ana, "person", "", teren_test_person_fields (NULL)));
      g_ptr_array_add (ion_persons, push_new (ion, "person", "", teren_test_person_fields (NULL)));
      g_ptr_array_add (dana_persons, push_new (dana, "person", "", teren_test_person_fields (NULL)));
    }
  /* Upper-case hex is a valid UUID too: its bucket is its digit's (A… in bucket a). */
  {
    g_autofree char *upper = g_ascii_strup (ana_persons->pdata[0], -1);
    g_autoptr(JsonObject) op = NULL;
    g_autoptr(JsonObject) result = NULL;

    upper[0] = 'C';
    op = teren_test_op_new ("create", upper, "person", "", 0, teren_test_person_fields (NULL), NULL);
    result = teren_test_device_push_one (ana, op);
    g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
    g_ptr_array_add (ana_persons, g_steal_pointer (&upper));
  }
  for (i = 0; i < N_PERSONS; i++)
    {
      g_hash_table_add (expected, ana_persons->pdata[i]);
      /* Half of ana's persons get an elderly case, a quarter a child one. */
      if (i % 2 == 0)
        g_ptr_array_add (cases, push_new (ana, "case", "elderly", teren_test_case_fields (ana_persons->pdata[i])));
      if (i % 4 == 1)
        g_ptr_array_add (cases, push_new (ana, "case", "child", teren_test_case_fields (ana_persons->pdata[i])));
      /* Two thirds of ion's persons get a child case: ana sees those persons. */
      if (i % 3 != 0)
        {
          g_ptr_array_add (cases, push_new (ion, "case", "child", teren_test_case_fields (ion_persons->pdata[i])));
          g_hash_table_add (expected, ion_persons->pdata[i]);
        }
    }
  for (i = 0; i < cases->len; i++)
    g_hash_table_add (expected, cases->pdata[i]);
  /* Outside ana's scope: dana's homeless case of her person. */
  dana_case = push_new (dana, "case", "homeless", teren_test_case_fields (dana_persons->pdata[0]));

  /* Ana holds everything once (a first pull gets no tombstones), then: */
  teren_test_device_pull_all (ana, 0);
  g_assert_nonnull (teren_test_device_get (ana, ion_persons->pdata[N_PERSONS - 1]));
  check_account (ana);

  /* A tombstone in ana's scope (ion's child case of his last person, whom then no record
   * of ana's lines references: out of her scope), and an updated person (rev 2). */
  {
    g_autoptr(JsonObject) del = teren_test_op_new ("delete", cases->pdata[cases->len - 1], "case", "child", 1, NULL, NULL);
    g_autoptr(JsonObject) result = teren_test_device_push_one (ion, del);
    JsonObject *patch = json_object_new ();
    g_autoptr(JsonObject) update = NULL;
    g_autoptr(JsonObject) result2 = NULL;

    g_assert_cmpstr (teren_test_result_status (result), ==, "applied");
    deleted_case = g_strdup (cases->pdata[cases->len - 1]);
    g_assert_true (g_hash_table_remove (expected, ion_persons->pdata[N_PERSONS - 1]));
    json_object_set_string_member (patch, "phone", "0744 987 654");
    updated = g_strdup (ana_persons->pdata[3]);
    update = teren_test_op_new ("update", updated, "person", "", 1, patch, NULL);
    result2 = teren_test_device_push_one (ana, update);
    g_assert_cmpstr (teren_test_result_status (result2), ==, "applied");
  }

  teren_test_device_pull_all (ana, 0);

  /* The brute force runs over exactly the expected scope: every expected record is held
   * (the deleted case as a tombstone), nothing else: not the person whose only reference
   * in ana's lines was that case, never dana's records. */
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (teren_test_device_get (ana, key) == NULL)
      {
        guint at = 0;

        g_ptr_array_find_with_equal_func (cases, key, g_str_equal, &at);
        g_error ("ana does not hold %s (case %u of %u; %u records held)", (char *) key, at, cases->len, g_hash_table_size (ana->records));
      }
  g_assert_nonnull (teren_test_device_get (ana, deleted_case));
  g_assert_true (json_object_get_boolean_member (teren_test_device_get (ana, deleted_case), "deleted"));
  g_assert_cmpint (json_object_get_int_member (teren_test_device_get (ana, updated), "rev"), ==, 2);
  g_assert_nonnull (teren_test_device_get (ana, ana_persons->pdata[N_PERSONS]));
  g_hash_table_add (expected, ana_persons->pdata[N_PERSONS]);
  g_assert_null (teren_test_device_get (ana, dana_case));
  for (i = 0; i < dana_persons->len; i++)
    g_assert_null (teren_test_device_get (ana, dana_persons->pdata[i]));
  g_assert_null (teren_test_device_get (ana, ion_persons->pdata[N_PERSONS - 1]));
  g_assert_cmpuint (g_hash_table_size (ana->records), ==, g_hash_table_size (expected));

  check_account (ana);
  /* The other two accounts as well (one line; no line of ana's). */
  teren_test_device_pull_all (ion, 0);
  check_account (ion);
  teren_test_device_pull_all (dana, 0);
  check_account (dana);

  /* Missing or bad bucket: 400 bad_request. */
  {
    const char *bad[] = { "/api/v1/ids", "/api/v1/ids?bucket=A", "/api/v1/ids?bucket=g", "/api/v1/ids?bucket=10",
                          "/api/v1/digest?bucket=", "/api/v1/digest?bucket=F" };

    for (i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(TerenTestResponse) response = teren_test_request (ana->session, server, "GET", bad[i],
                                                                    ana->token, NULL, 0);

        teren_test_assert_error (response, 400, "bad_request");
      }
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/digest/buckets", test_digest_buckets);
  return g_test_run ();
}
