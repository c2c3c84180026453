/* teren-store-digest.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-error.h"
#include "teren-json.h"
#include "teren-store-digest.h"
#include "teren-store-private.h"
#include "teren-uuid.h"

/* The digest of the base (SYNC.md "Integrity digest"); see teren-store-digest.h. */

#define DIGEST_KEY "teren digest v1."
/* Row of base_digest for ids that do not start with a hex digit (in the total only). */
#define OTHER_BUCKET 16
#define N_ROWS (TEREN_DIGEST_BUCKETS + 1)

/* ---- SipHash-2-4 (Aumasson & Bernstein, 2012), as libsodium's crypto_shorthash ------------- */

#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3)                                              \
  G_STMT_START {                                                              \
    v0 += v1; v1 = ROTL64 (v1, 13); v1 ^= v0; v0 = ROTL64 (v0, 32);          \
    v2 += v3; v3 = ROTL64 (v3, 16); v3 ^= v2;                                \
    v0 += v3; v3 = ROTL64 (v3, 21); v3 ^= v0;                                \
    v2 += v1; v1 = ROTL64 (v1, 17); v1 ^= v2; v2 = ROTL64 (v2, 32);          \
  } G_STMT_END

static guint64
read_le64 (const guint8 *p)
{
  guint64 value = 0;
  int i;

  for (i = 7; i >= 0; i--)
    value = (value << 8) | p[i];
  return value;
}

static guint64
siphash24 (const guint8 *key,
           const guint8 *data,
           gsize         len)
{
  guint64 k0 = read_le64 (key);
  guint64 k1 = read_le64 (key + 8);
  guint64 v0 = k0 ^ G_GUINT64_CONSTANT (0x736f6d6570736575);
  guint64 v1 = k1 ^ G_GUINT64_CONSTANT (0x646f72616e646f6d);
  guint64 v2 = k0 ^ G_GUINT64_CONSTANT (0x6c7967656e657261);
  guint64 v3 = k1 ^ G_GUINT64_CONSTANT (0x7465646279746573);
  guint64 last = (guint64) (len & 0xff) << 56;
  gsize full = len - len % 8;
  gsize i;

  for (i = 0; i < full; i += 8)
    {
      guint64 m = read_le64 (data + i);

      v3 ^= m;
      SIPROUND (v0, v1, v2, v3);
      SIPROUND (v0, v1, v2, v3);
      v0 ^= m;
    }
  for (i = 0; i < len % 8; i++)
    last |= (guint64) data[full + i] << (8 * i);
  v3 ^= last;
  SIPROUND (v0, v1, v2, v3);
  SIPROUND (v0, v1, v2, v3);
  v0 ^= last;
  v2 ^= 0xff;
  SIPROUND (v0, v1, v2, v3);
  SIPROUND (v0, v1, v2, v3);
  SIPROUND (v0, v1, v2, v3);
  SIPROUND (v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

guint64
teren_digest_hash (const char *id,
                   gint64      rev)
{
  char text[256];
  int len;

  g_return_val_if_fail (id != NULL, 0);

  len = g_snprintf (text, sizeof text, "%s:%" G_GINT64_FORMAT, id, rev);
  if (len >= (int) sizeof text)
    {
      g_autofree char *long_text = g_strdup_printf ("%s:%" G_GINT64_FORMAT, id, rev);

      return siphash24 ((const guint8 *) DIGEST_KEY, (const guint8 *) long_text, strlen (long_text));
    }
  return siphash24 ((const guint8 *) DIGEST_KEY, (const guint8 *) text, (gsize) len);
}

int
teren_digest_bucket (const char *id)
{
  if (id == NULL)
    return -1;
  return g_ascii_xdigit_value (id[0]);
}

char *
teren_digest_to_hex (guint64 digest)
{
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x", digest);
}

gboolean
teren_digest_from_hex (const char *text,
                       guint64    *out_digest)
{
  guint64 value = 0;
  guint i;

  if (text == NULL || strlen (text) != 16)
    return FALSE;
  for (i = 0; i < 16; i++)
    {
      int v = g_ascii_xdigit_value (text[i]);

      if (v < 0)
        return FALSE;
      value = (value << 4) | (guint64) v;
    }
  *out_digest = value;
  return TRUE;
}

void
teren_digest_item_free (TerenDigestItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item);
}

/* ---- The writer connection ---------------------------------------------------------- */

static void
xor_func (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  guint64 a = (guint64) sqlite3_value_int64 (argv[0]);
  guint64 b = (guint64) sqlite3_value_int64 (argv[1]);

  sqlite3_result_int64 (context, (sqlite3_int64) (a ^ b));
}

static int
row_of (const char *id)
{
  int bucket = teren_digest_bucket (id);

  return bucket < 0 ? OTHER_BUCKET : bucket;
}

gboolean
teren_store_digest_change (TerenDb     *db,
                           const char  *id,
                           gboolean     had,
                           gint64       old_rev,
                           gboolean     has,
                           gint64       new_rev,
                           GError     **error)
{
  static const char sql[] =
    "UPDATE base_digest SET digest = teren_digest_xor (digest, ?1), count = count + ?2 "
    "WHERE bucket = ?3";
  sqlite3_stmt *stmt;
  guint64 change = 0;
  gint64 count = 0;

  g_return_val_if_fail (id != NULL, FALSE);

  if (had == has && (!had || old_rev == new_rev))
    return TRUE;
  if (had)
    {
      change ^= teren_digest_hash (id, old_rev);
      count--;
    }
  if (has)
    {
      change ^= teren_digest_hash (id, new_rev);
      count++;
    }
  stmt = teren_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) change);
  sqlite3_bind_int64 (stmt, 2, count);
  sqlite3_bind_int (stmt, 3, row_of (id));
  return teren_db_run (db, stmt, error);
}

/* Sums the base into @rows (N_ROWS). */
static gboolean
compute_from_base (TerenDb      *db,
                   TerenDigest  *rows,
                   GError      **error)
{
  static const char sql[] = "SELECT id, rev FROM base WHERE deleted = 0";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);
  int rc;

  memset (rows, 0, sizeof (TerenDigest) * N_ROWS);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      int bucket;

      if (id == NULL)
        continue;
      bucket = row_of (id);
      rows[bucket].digest ^= teren_digest_hash (id, sqlite3_column_int64 (stmt, 1));
      rows[bucket].count++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_rows (TerenDb      *db,
           TerenDigest  *rows,
           guint        *out_n,
           GError      **error)
{
  static const char sql[] = "SELECT bucket, digest, count FROM base_digest";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);
  guint n = 0;
  int rc;

  memset (rows, 0, sizeof (TerenDigest) * N_ROWS);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 bucket = sqlite3_column_int64 (stmt, 0);

      if (bucket < 0 || bucket >= N_ROWS)
        continue;
      rows[bucket].digest = (guint64) sqlite3_column_int64 (stmt, 1);
      rows[bucket].count = (guint64) MAX (sqlite3_column_int64 (stmt, 2), 0);
      n++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }
  if (out_n != NULL)
    *out_n = n;
  return TRUE;
}

static gboolean
write_rows (TerenDb            *db,
            const TerenDigest  *rows,
            GError            **error)
{
  static const char sql[] =
    "INSERT INTO base_digest (bucket, digest, count) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (bucket) DO UPDATE SET digest = excluded.digest, count = excluded.count";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);
  guint i;

  if (stmt == NULL)
    return FALSE;
  for (i = 0; i < N_ROWS; i++)
    {
      sqlite3_bind_int64 (stmt, 1, i);
      sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) rows[i].digest);
      sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) rows[i].count);
      if (!teren_db_run (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
teren_store_digest_attach (TerenDb  *writer,
                           GError  **error)
{
  TerenDigest rows[N_ROWS];
  guint n_rows = 0;
  int rc;

  rc = sqlite3_create_function_v2 (writer->db, "teren_digest_xor", 2,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                   NULL, xor_func, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      teren_db_set_error (writer, rc, error);
      return FALSE;
    }

  /* The migration: a store made before the digest (or whose table is incomplete) gets it
   * computed from its base once, in one transaction. */
  if (!teren_db_exec (writer, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!teren_db_exec (writer,
                      "CREATE TABLE IF NOT EXISTS base_digest ("
                      "  bucket  INTEGER PRIMARY KEY NOT NULL,"
                      "  digest  INTEGER NOT NULL DEFAULT 0,"
                      "  count   INTEGER NOT NULL DEFAULT 0"
                      ")", error) ||
      !read_rows (writer, rows, &n_rows, error) ||
      (n_rows != N_ROWS && (!compute_from_base (writer, rows, error) ||
                            !write_rows (writer, rows, error))) ||
      !teren_db_exec (writer, "COMMIT", error))
    {
      teren_db_exec (writer, "ROLLBACK", NULL);
      return FALSE;
    }
  if (n_rows != N_ROWS)
    g_debug ("Base digest computed from the base");
  return TRUE;
}

/* ---- Reading ------------------------------------------------------------------------- */

gboolean
teren_store_digest_get (TerenStore   *self,
                        TerenDigest  *out_total,
                        TerenDigest  *out_buckets,
                        GError      **error)
{
  TerenDigest rows[N_ROWS];
  TerenDigest total = { 0, 0 };
  TerenDb *db;
  gboolean ok;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  db = teren_store_acquire_reader (self, NULL);
  ok = read_rows (db, rows, NULL, error);
  teren_store_release_reader (self, db);
  if (!ok)
    return FALSE;
  for (i = 0; i < N_ROWS; i++)
    {
      total.digest ^= rows[i].digest;
      total.count += rows[i].count;
    }
  if (out_total != NULL)
    *out_total = total;
  if (out_buckets != NULL)
    memcpy (out_buckets, rows, sizeof (TerenDigest) * TEREN_DIGEST_BUCKETS);
  return TRUE;
}

gboolean
teren_store_digest_verify (TerenStore  *self,
                           gboolean    *out_fixed,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  TerenDigest stored[N_ROWS];
  TerenDigest actual[N_ROWS];
  gboolean fixed = FALSE;
  TerenDb *db;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  if (out_fixed != NULL)
    *out_fixed = FALSE;
  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  if (read_rows (db, stored, NULL, &local_error) &&
      compute_from_base (db, actual, &local_error))
    {
      for (i = 0; i < N_ROWS; i++)
        if (stored[i].digest != actual[i].digest || stored[i].count != actual[i].count)
          {
            g_message ("Base digest of bucket %x did not match the base (%" G_GUINT64_FORMAT
                       " rows counted, %" G_GUINT64_FORMAT " recorded); corrected",
                       i, actual[i].count, stored[i].count);
            fixed = TRUE;
          }
      if (fixed)
        write_rows (db, actual, &local_error);
    }
  if (local_error != NULL)
    {
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  teren_store_unlock_writer (self);
  if (out_fixed != NULL)
    *out_fixed = fixed;
  return TRUE;
}

GPtrArray *
teren_store_digest_list_bucket (TerenStore  *self,
                                guint        bucket,
                                GError     **error)
{
  /* Lower and upper case alike, as the server's bucket (g_ascii_xdigit_value). */
  static const char sql[] =
    "SELECT id, rev FROM base WHERE deleted = 0 AND lower (substr (id, 1, 1)) = ?1 "
    "ORDER BY id";
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_digest_item_free);
  char digit[2] = { 0, 0 };
  sqlite3_stmt *stmt;
  TerenDb *db;
  int rc;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  g_return_val_if_fail (bucket < TEREN_DIGEST_BUCKETS, NULL);

  digit[0] = "0123456789abcdef"[bucket];
  db = teren_store_acquire_reader (self, NULL);
  stmt = teren_db_prepare (db, sql, error);
  if (stmt == NULL)
    {
      teren_store_release_reader (self, db);
      return NULL;
    }
  teren_db_bind_text (stmt, 1, digit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TerenDigestItem *item = g_new0 (TerenDigestItem, 1);

      item->id = teren_db_column_dup (stmt, 0);
      item->rev = sqlite3_column_int64 (stmt, 1);
      if (item->id == NULL)
        {
          teren_digest_item_free (item);
          continue;
        }
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      teren_db_set_error (db, rc, error);
      teren_store_release_reader (self, db);
      return NULL;
    }
  teren_store_release_reader (self, db);
  return g_steal_pointer (&items);
}

/* ---- Repair -------------------------------------------------------------------------- */

static gboolean
bad_answer (GError     **error,
            const char  *what)
{
  g_debug ("Fetch answer refused: %s", what);
  g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_BAD_JSON,
                       _("The server’s answer was incomplete or not understood"));
  return FALSE;
}

static gboolean
is_type (JsonObject *object,
         const char *member,
         GType       type)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
is_optional_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING);
}

/* Same checks as a pulled record. */
static gboolean
check_fetched_record (JsonObject  *record,
                      GError     **error)
{
  JsonNode *node;

  if (!is_type (record, "id", G_TYPE_STRING) || !is_type (record, "kind", G_TYPE_STRING) ||
      !is_type (record, "rev", G_TYPE_INT64))
    return bad_answer (error, "record id, kind or rev");
  if (json_object_get_string_member (record, "id")[0] == '\0' ||
      json_object_get_int_member (record, "rev") <= 0)
    return bad_answer (error, "record id or rev");
  node = json_object_get_member (record, "fields");
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_NULL (node))
    return bad_answer (error, "record fields");
  node = json_object_get_member (record, "deleted");
  if (node != NULL && !JSON_NODE_HOLDS_VALUE (node))
    return bad_answer (error, "record deleted");
  if (json_object_has_member (record, "seq") && !is_type (record, "seq", G_TYPE_INT64))
    return bad_answer (error, "record seq");
  if (!is_optional_string (record, "line") || !is_optional_string (record, "updated_by") ||
      !is_optional_string (record, "updated_at"))
    return bad_answer (error, "record strings");
  return TRUE;
}

static gboolean
has_ops (TerenDb     *db,
         const char  *id,
         gboolean    *out_has,
         GError     **error)
{
  static const char sql[] = "SELECT EXISTS (SELECT 1 FROM oplog WHERE record_id = ?1)";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  *out_has = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_base (TerenDb     *db,
          const char  *id,
          gboolean    *out_has,
          GError     **error)
{
  static const char sql[] = "SELECT EXISTS (SELECT 1 FROM base WHERE id = ?1)";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  teren_db_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  *out_has = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      teren_db_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
teren_store_digest_apply_fetch (TerenStore          *self,
                                const char * const  *ids,
                                JsonObject          *answer,
                                TerenDigestRepair   *out_repair,
                                GError             **error)
{
  g_autoptr(GHashTable) asked = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = teren_now_iso8601 ();
  TerenDigestRepair repair = { 0, 0, 0 };
  JsonArray *records = NULL;
  JsonArray *missing = NULL;
  JsonNode *node;
  guint i, n_records, n_missing;
  TerenDb *db;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);

  for (i = 0; ids[i] != NULL; i++)
    g_hash_table_add (asked, (gpointer) ids[i]);

  /* Parse before apply. */
  node = json_object_get_member (answer, "records");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return bad_answer (error, "records");
  records = json_node_get_array (node);
  node = json_object_get_member (answer, "missing");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return bad_answer (error, "missing");
      missing = json_node_get_array (node);
    }
  n_records = json_array_get_length (records);
  n_missing = missing != NULL ? json_array_get_length (missing) : 0;
  for (i = 0; i < n_records; i++)
    {
      JsonNode *element = json_array_get_element (records, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return bad_answer (error, "record");
      if (!check_fetched_record (json_node_get_object (element), error))
        return FALSE;
    }
  for (i = 0; i < n_missing; i++)
    {
      JsonNode *element = json_array_get_element (missing, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return bad_answer (error, "missing id");
    }

  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  /* The repaired records' search rows reach search_fts in one statement before the commit. */
  teren_store_search_batch_begin (db, &local_error);

  for (i = 0; local_error == NULL && i < n_records; i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      const char *id = json_object_get_string_member (record, "id");
      gboolean pending = FALSE;

      if (!g_hash_table_contains (asked, id) || g_hash_table_contains (done, id))
        continue;
      g_hash_table_add (done, (gpointer) id);
      if (!has_ops (db, id, &pending, &local_error))
        break;
      if (pending)
        {
          g_debug ("Repair: %s kept (an operation is waiting)", id);
          repair.kept++;
          continue;
        }
      if (teren_store_sync_replace_base (self, db, record, now, &local_error))
        {
          g_debug ("Repair: %s rev %" G_GINT64_FORMAT " written", id,
                   json_object_get_int_member (record, "rev"));
          repair.written++;
        }
    }

  for (i = 0; local_error == NULL && i < n_missing; i++)
    {
      const char *id = json_array_get_string_element (missing, i);
      gboolean pending = FALSE;
      gboolean exists = FALSE;

      if (!g_hash_table_contains (asked, id) || g_hash_table_contains (done, id))
        continue;
      g_hash_table_add (done, (gpointer) id);
      if (!has_ops (db, id, &pending, &local_error) || !has_base (db, id, &exists, &local_error))
        break;
      if (pending)
        {
          g_debug ("Repair: %s kept (an operation is waiting)", id);
          repair.kept++;
          continue;
        }
      if (!exists)
        continue;
      if (teren_store_sync_purge_id (self, db, id, &local_error))
        {
          g_debug ("Repair: %s removed (the server does not show it)", id);
          repair.removed++;
        }
    }
  if (local_error == NULL)
    teren_store_search_batch_end (db, &local_error);

  if (local_error != NULL)
    {
      teren_store_search_batch_cancel (db);
      teren_store_tx_rollback (self, db);
      teren_store_unlock_writer (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!teren_store_tx_commit (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  teren_store_unlock_writer (self);

  g_debug ("Repair: %u written, %u removed, %u kept", repair.written, repair.removed, repair.kept);
  if (out_repair != NULL)
    {
      out_repair->written += repair.written;
      out_repair->removed += repair.removed;
      out_repair->kept += repair.kept;
    }
  return TRUE;
}
