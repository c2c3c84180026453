/* teren-store-order.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "teren-store-private.h"

/* The order of the search index, kept in memory, so that a search that matches tens of
 * thousands of rows ("s", "st" typed into the search field of a registry of 100,000
 * persons) needs no sort: the FTS5 index gives the matching rowids, this gives their
 * places in title order, and a bitmap over those places gives the result in order. SQLite
 * sorting 56,000 rows took 60–180 ms; this takes a few.
 *
 * The search table is only written through the writer connection, by the functions of
 * teren-store-records.c that write its rows: they tell the order the rowids a transaction
 * touched (teren_search_order_touched; not triggers, whose statement journal made every
 * search row written in a pull page cost a third more). After each commit (the WAL hook)
 * those rowids become visible, and the next search re-reads those rows and moves them to
 * their places (teren_search_order_committed, from the writer's WAL hook in teren-store.c).
 * A rolled-back change is re-read as it is, so it does no harm. Each entry
 * costs 40 bytes (240,000 rows: about 10 MB). */

/* Below this many matches the SQL query (FTS5 + sort) is as fast; tests change it. */
guint teren_search_order_min_matches = 2000;
/* More changed rows than this since the last search: read the whole order again. */
#define MAX_CHANGES_APPLIED 500
/* The order is read this long after the store was opened (searches use SQL until then). */
#define WARM_DELAY_MS 1000

typedef struct
{
  gint64      n;          /* rowid in search */
  const char *kind;       /* interned; NULL for a removed entry */
  guint8      uuid[16];
  char        title8[8];  /* first bytes of the folded title, NUL padded */
} Entry;

struct _TerenSearchOrder
{
  gint     ref_count;
  GMutex   lock;
  GCond    cond;          /* signalled when the store closes */
  gint     closed;        /* atomic: the store closed, the warming thread stops */
  GThread *thread;        /* the last warming thread, joined when the store closes */
  char    *db_path;
  gboolean usable;        /* FALSE once an id that is not a lower-case UUID was seen */
  gboolean built;
  gboolean warming;       /* a thread reads the order */
  gboolean warm_stale;    /* ... and the table was emptied since it began */
  GArray  *entries;       /* Entry, in (sort_key, id) order */
  gint32  *n_to_pos;      /* n → index in entries, -1 if none */
  gsize    n_to_pos_size;
  guint    n_removed;
  GArray  *pending;       /* gint64 rowids touched by the open transaction */
  gboolean pending_all;   /* ... or every row (the whole table emptied) */
  GArray  *visible;       /* gint64 rowids touched by committed transactions */
};

/* ---- Ids ---------------------------------------------------------------------------- */

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Canonical lower-case 8-4-4-4-12 only: formatting it back must give the same text. */
static gboolean
parse_uuid (const char *text,
            guint8      out[16])
{
  guint i = 0;
  guint b = 0;

  if (text == NULL || strlen (text) != 36)
    return FALSE;
  while (i < 36)
    {
      int hi, lo;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
          i++;
          continue;
        }
      hi = hex_value (text[i]);
      lo = hex_value (text[i + 1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      out[b++] = (guint8) (hi << 4 | lo);
      i += 2;
    }
  return TRUE;
}

static char *
format_uuid (const guint8 uuid[16])
{
  static const char digits[] = "0123456789abcdef";
  char *text = g_malloc (37);
  guint i, p = 0;

  for (i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        text[p++] = '-';
      text[p++] = digits[uuid[i] >> 4];
      text[p++] = digits[uuid[i] & 0xf];
    }
  text[p] = '\0';
  return text;
}

/* ---- Building and changes -------------------------------------------------------------- */

static gboolean
fill_entry (Entry        *entry,
            gint64        n,
            sqlite3_stmt *stmt,
            int           kind_column)
{
  const char *kind = (const char *) sqlite3_column_text (stmt, kind_column);
  const char *id = (const char *) sqlite3_column_text (stmt, kind_column + 1);
  const char *title = (const char *) sqlite3_column_text (stmt, kind_column + 2);

  memset (entry, 0, sizeof *entry);
  entry->n = n;
  entry->kind = g_intern_string (kind != NULL ? kind : "");
  if (title != NULL)
    memcpy (entry->title8, title, MIN (strlen (title), sizeof entry->title8));
  return parse_uuid (id, entry->uuid);
}

static void
index_positions (TerenSearchOrder *order)
{
  gint64 max_n = 0;
  guint i;

  for (i = 0; i < order->entries->len; i++)
    max_n = MAX (max_n, g_array_index (order->entries, Entry, i).n);

  if ((gsize) max_n + 1 > order->n_to_pos_size)
    {
      order->n_to_pos_size = (gsize) max_n + 1 + 1024;
      order->n_to_pos = g_renew (gint32, order->n_to_pos, order->n_to_pos_size);
    }
  memset (order->n_to_pos, 0xff, order->n_to_pos_size * sizeof (gint32));
  for (i = 0; i < order->entries->len; i++)
    {
      Entry *entry = &g_array_index (order->entries, Entry, i);

      if (entry->kind != NULL)
        order->n_to_pos[entry->n] = (gint32) i;
    }
}

/* Reads the whole order without the lock (on the warming thread, with its own
 * connection). NULL if the store was closed meanwhile or an id cannot be kept. */
static GArray *
read_entries (TerenSearchOrder *order,
              TerenDb          *db,
              gboolean         *out_unusable)
{
  static const char sql[] = "SELECT n, kind, id, title FROM search ORDER BY sort_key, id";
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, NULL);
  int rc = SQLITE_ERROR;

  *out_unusable = FALSE;
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Entry entry;
      gint64 n = sqlite3_column_int64 (stmt, 0);

      if (n < 0 || n >= G_MAXINT32 || !fill_entry (&entry, n, stmt, 1))
        {
          *out_unusable = TRUE;
          break;
        }
      g_array_append_val (entries, entry);
      /* The store was closed while this was read: stop. */
      if (entries->len % 4096 == 0 && g_atomic_int_get (&order->closed))
        break;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&entries);
}

static void start_warming (TerenSearchOrder *order);

/* Too much changed to move rows one by one: read everything again in the background;
 * searches use SQL meanwhile. Lock held. */
static void
rebuild_later (TerenSearchOrder *order)
{
  order->built = FALSE;
  g_array_set_size (order->visible, 0);
  start_warming (order);
}

/* (sort_key, id) of the live entry at or after @pos; FALSE past the end. */
static gboolean
key_at (TerenSearchOrder  *order,
        TerenDb           *db,
        guint             *pos,
        char             **out_sort_key,
        char             **out_id)
{
  static const char sql[] = "SELECT sort_key, id FROM search WHERE n = ?1";
  sqlite3_stmt *stmt = teren_db_prepare (db, sql, NULL);

  if (stmt == NULL)
    return FALSE;
  for (; *pos < order->entries->len; (*pos)++)
    {
      Entry *entry = &g_array_index (order->entries, Entry, *pos);
      gboolean found = FALSE;

      if (entry->kind == NULL)
        continue;
      sqlite3_bind_int64 (stmt, 1, entry->n);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          *out_sort_key = teren_db_column_dup (stmt, 0);
          *out_id = teren_db_column_dup (stmt, 1);
          found = TRUE;
        }
      sqlite3_reset (stmt);
      if (found)
        return TRUE;
    }
  return FALSE;
}

/* Index of the first live entry whose (sort_key, id) is after the given one. */
static guint
find_place (TerenSearchOrder *order,
            TerenDb          *db,
            const char       *sort_key,
            const char       *id)
{
  guint lo = 0;
  guint hi = order->entries->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint probe = mid;
      g_autofree char *probe_key = NULL;
      g_autofree char *probe_id = NULL;
      int cmp;

      if (!key_at (order, db, &probe, &probe_key, &probe_id))
        {
          hi = mid;
          continue;
        }
      cmp = strcmp (probe_key, sort_key);
      if (cmp == 0)
        cmp = strcmp (probe_id, id);
      if (cmp < 0)
        lo = probe + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
apply_changes (TerenSearchOrder *order,
               TerenDb          *db)
{
  static const char sql[] = "SELECT kind, id, title, sort_key FROM search WHERE n = ?1";
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) changes = order->visible;
  guint i;

  order->visible = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (changes->len > MAX_CHANGES_APPLIED)
    {
      rebuild_later (order);
      return FALSE;
    }

  /* Every touched row out of its old place first (positions are still right)… */
  for (i = 0; i < changes->len; i++)
    {
      gint64 *n = &g_array_index (changes, gint64, i);

      if (!g_hash_table_add (seen, n))
        continue;
      if (*n >= 0 && (gsize) *n < order->n_to_pos_size && order->n_to_pos[*n] >= 0)
        {
          g_array_index (order->entries, Entry, order->n_to_pos[*n]).kind = NULL;
          order->n_to_pos[*n] = -1;
          order->n_removed++;
        }
    }

  /* …then into its new place, if it is still there. */
  for (i = 0; i < changes->len; i++)
    {
      gint64 *n = &g_array_index (changes, gint64, i);
      sqlite3_stmt *stmt;
      int rc;

      if (!g_hash_table_remove (seen, n))
        continue;

      stmt = teren_db_prepare (db, sql, NULL);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, *n);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          Entry entry;
          g_autofree char *sort_key = teren_db_column_dup (stmt, 3);
          g_autofree char *id = teren_db_column_dup (stmt, 1);
          guint place;

          if (*n >= G_MAXINT32 || !fill_entry (&entry, *n, stmt, 0))
            {
              sqlite3_reset (stmt);
              order->usable = FALSE;
              return FALSE;
            }
          sqlite3_reset (stmt);
          place = find_place (order, db, sort_key != NULL ? sort_key : "", id != NULL ? id : "");
          g_array_insert_val (order->entries, place, entry);
        }
      else
        {
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            return FALSE;
        }
    }

  /* Drop the holes once they are many. */
  if (order->n_removed > order->entries->len / 8)
    {
      guint kept = 0;

      for (i = 0; i < order->entries->len; i++)
        {
          Entry *entry = &g_array_index (order->entries, Entry, i);

          if (entry->kind != NULL)
            g_array_index (order->entries, Entry, kept++) = *entry;
        }
      g_array_set_size (order->entries, kept);
      order->n_removed = 0;
    }
  index_positions (order);
  return TRUE;
}

/* ---- Writer hooks ------------------------------------------------------------------- */

void
teren_search_order_touched (TerenSearchOrder *order,
                            gint64            n)
{
  if (order == NULL)
    return;
  g_mutex_lock (&order->lock);
  g_array_append_val (order->pending, n);
  g_mutex_unlock (&order->lock);
}

void
teren_search_order_touched_all (TerenSearchOrder *order)
{
  if (order == NULL)
    return;
  g_mutex_lock (&order->lock);
  order->pending_all = TRUE;
  g_mutex_unlock (&order->lock);
}

void
teren_search_order_committed (TerenSearchOrder *order)
{
  g_mutex_lock (&order->lock);
  if (order->pending->len > 0)
    {
      g_array_append_vals (order->visible, order->pending->data, order->pending->len);
      g_array_set_size (order->pending, 0);
    }
  if (order->pending_all)
    {
      order->pending_all = FALSE;
      order->built = FALSE;
      order->warm_stale = order->warming;
      g_array_set_size (order->visible, 0);
    }
  /* No search needed the order for a long while (an import, a first pull): forget it
   * rather than collect changes; it is read again when a search needs it. Changes made
   * while it is being read are kept. */
  if (!order->warming && (!order->built || order->visible->len > MAX_CHANGES_APPLIED))
    {
      order->built = FALSE;
      g_array_set_size (order->visible, 0);
    }
  g_mutex_unlock (&order->lock);
}

TerenSearchOrder *
teren_search_order_new (void)
{
  TerenSearchOrder *order = g_new0 (TerenSearchOrder, 1);

  order->ref_count = 1;
  g_mutex_init (&order->lock);
  g_cond_init (&order->cond);
  order->usable = TRUE;
  order->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  order->pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  order->visible = g_array_new (FALSE, FALSE, sizeof (gint64));
  return order;
}

TerenSearchOrder *
teren_search_order_ref (TerenSearchOrder *order)
{
  g_atomic_int_inc (&order->ref_count);
  return order;
}

void
teren_search_order_unref (TerenSearchOrder *order)
{
  if (order == NULL || !g_atomic_int_dec_and_test (&order->ref_count))
    return;
  g_array_unref (order->entries);
  g_array_unref (order->pending);
  g_array_unref (order->visible);
  g_free (order->n_to_pos);
  g_free (order->db_path);
  g_clear_pointer (&order->thread, g_thread_unref);
  g_cond_clear (&order->cond);
  g_mutex_clear (&order->lock);
  g_free (order);
}

void
teren_search_order_attach (TerenSearchOrder *order,
                           TerenDb          *writer)
{
  writer->search_order = order;
}

static gpointer
warm_thread (gpointer data)
{
  TerenSearchOrder *order = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  GArray *entries = NULL;
  gboolean unusable = FALSE;
  gint64 end = g_get_monotonic_time () + WARM_DELAY_MS * G_TIME_SPAN_MILLISECOND;
  TerenDb *db;

#ifdef __linux__
  /* GLib 2.74 leaves its threads unnamed; this one shows in top -H, gdb and the tests */
  prctl (PR_SET_NAME, "teren-order", 0, 0, 0);
#endif

  /* Not while the window is being shown, nor for a store that is closed at once (a
   * command-line run): wait a moment first, or until the store closes. */
  g_mutex_lock (&order->lock);
  while (!g_atomic_int_get (&order->closed) && g_cond_wait_until (&order->cond, &order->lock, end))
    ;
  if (g_atomic_int_get (&order->closed))
    {
      order->warming = FALSE;
      g_mutex_unlock (&order->lock);
      teren_search_order_unref (order);
      return NULL;
    }
  db_path = g_strdup (order->db_path);
  g_mutex_unlock (&order->lock);

  db = teren_db_open_reader (db_path, &error);
  if (db != NULL)
    {
      entries = read_entries (order, db, &unusable);
      teren_db_close (db);
    }
  else
    g_debug ("Search order not read: %s", error->message);

  g_mutex_lock (&order->lock);
  order->warming = FALSE;
  if (unusable)
    order->usable = FALSE;
  else if (entries != NULL && !order->warm_stale)
    {
      /* Rows changed while reading stay in the visible list: the next search moves them
       * (again), which is harmless. */
      g_array_unref (order->entries);
      order->entries = g_steal_pointer (&entries);
      order->n_removed = 0;
      index_positions (order);
      order->built = TRUE;
      g_debug ("Search order read: %u rows", order->entries->len);
    }
  order->warm_stale = FALSE;
  g_mutex_unlock (&order->lock);

  g_clear_pointer (&entries, g_array_unref);
  teren_search_order_unref (order);
  return NULL;
}

/* Lock held. */
static void
start_warming (TerenSearchOrder *order)
{
  if (order->warming || !order->usable || order->db_path == NULL || g_atomic_int_get (&order->closed))
    return;
  order->warming = TRUE;
  /* Its own connection and a reference to the order; the store's close stops it and waits
   * (teren_search_order_close), so no reader outlives the store. The previous thread has
   * done its work and is ending. */
  g_clear_pointer (&order->thread, g_thread_unref);
  order->thread = g_thread_new ("teren-order", warm_thread, teren_search_order_ref (order));
}

void
teren_search_order_close (TerenSearchOrder *order)
{
  GThread *thread;

  g_mutex_lock (&order->lock);
  g_atomic_int_set (&order->closed, TRUE);
  g_cond_broadcast (&order->cond);
  thread = g_steal_pointer (&order->thread);
  g_mutex_unlock (&order->lock);
  /* At once while it waits; within 4096 rows while it reads. */
  if (thread != NULL)
    g_thread_join (thread);
}

gboolean
teren_search_order_is_ready (TerenSearchOrder *order)
{
  gboolean ready;

  g_mutex_lock (&order->lock);
  ready = order->built && order->usable;
  g_mutex_unlock (&order->lock);
  return ready;
}

void
teren_search_order_warm_in_thread (TerenSearchOrder *order,
                                   const char       *db_path)
{
  g_mutex_lock (&order->lock);
  g_free (order->db_path);
  order->db_path = g_strdup (db_path);
  start_warming (order);
  g_mutex_unlock (&order->lock);
}

/* ---- Queries ------------------------------------------------------------------------ */

GPtrArray *
teren_search_order_query (TerenSearchOrder   *order,
                          TerenDb            *db,
                          const char         *match,
                          const char * const *kinds,
                          const char         *folded,
                          guint               limit)
{
  static const char sql[] = "SELECT rowid FROM search_fts WHERE search_fts MATCH ?1";
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree guint64 *bits = NULL;
  GPtrArray *ids = NULL;
  const char *wanted[16];
  gsize folded_len = strlen (folded);
  guint n_wanted = 0;
  guint n_words;
  sqlite3_stmt *stmt;
  guint pass;
  guint i;
  int rc;

  /* Inside a transaction (the writer, during an import) the order does not show its
   * uncommitted rows yet; and long queries have few matches. */
  if (folded_len > sizeof ((Entry *) NULL)->title8 || !sqlite3_get_autocommit (db->db))
    return NULL;
  for (i = 0; kinds[i] != NULL; i++)
    {
      if (n_wanted == G_N_ELEMENTS (wanted))
        return NULL;
      wanted[n_wanted++] = g_intern_string (kinds[i]);
    }

  stmt = teren_db_prepare (db, sql, NULL);
  if (stmt == NULL)
    return NULL;
  teren_db_bind_text (stmt, 1, match);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, n);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE || rowids->len < teren_search_order_min_matches)
    return NULL;

  /* Not read yet (just opened, or after a large import): SQL answers meanwhile. */
  g_mutex_lock (&order->lock);
  if (!order->usable || !order->built)
    {
      start_warming (order);
      g_mutex_unlock (&order->lock);
      return NULL;
    }
  if (order->visible->len > 0 && !apply_changes (order, db))
    {
      /* Half moved: read it all again. */
      if (order->built)
        rebuild_later (order);
      g_mutex_unlock (&order->lock);
      return NULL;
    }

  /* The places of the matches, as bits: reading them in order sorts them. */
  n_words = (order->entries->len + 63) / 64;
  bits = g_new0 (guint64, MAX (n_words, 1));
  for (i = 0; i < rowids->len; i++)
    {
      gint64 n = g_array_index (rowids, gint64, i);
      gint32 pos;
      const char *kind;
      guint k;

      if (n < 0 || (gsize) n >= order->n_to_pos_size || (pos = order->n_to_pos[n]) < 0)
        continue;
      kind = g_array_index (order->entries, Entry, pos).kind;
      for (k = 0; k < n_wanted && wanted[k] != kind; k++)
        ;
      if (k < n_wanted)
        bits[pos / 64] |= G_GUINT64_CONSTANT (1) << (pos % 64);
    }

  /* Titles that start with what was typed first, then the rest; each in title order. */
  ids = g_ptr_array_new_with_free_func (g_free);
  for (pass = 0; pass < 2; pass++)
    for (i = 0; i < n_words && (limit == 0 || ids->len < limit); i++)
      {
        guint64 word = bits[i];

        while (word != 0 && (limit == 0 || ids->len < limit))
          {
            guint bit = (guint) __builtin_ctzll (word);
            Entry *entry = &g_array_index (order->entries, Entry, i * 64 + bit);
            gboolean starts = strncmp (entry->title8, folded, folded_len) == 0;

            word &= word - 1;
            if (starts == (pass == 0))
              g_ptr_array_add (ids, format_uuid (entry->uuid));
          }
      }
  g_mutex_unlock (&order->lock);

  return ids;
}
