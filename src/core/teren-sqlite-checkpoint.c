/* teren-sqlite-checkpoint.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-sqlite-checkpoint.h"

/* Checkpoints of an SQLite write-ahead log, mostly off the writer's thread (the client's
 * store and the server's database).
 *
 * SQLite's automatic checkpoint runs on the connection that committed, inside the commit:
 * the writer copied every page of its last transaction into the database file (reading it
 * back from the log, then an fsync) before it could start the next one. In a first pull
 * of 100,000 records a page of 2,000 records dirties up to 8,000 pages of the random-keyed
 * indexes, and the copy took a third of the client writer's time.
 *
 * Here a commit that leaves more than teren_checkpoint_start_frames in the log asks a
 * thread of its own, with its own connection, for a PASSIVE checkpoint, and the writer
 * goes on. A checkpoint never changes what is committed: the log stays the authority
 * until it restarts. The log starts again from its beginning only when a transaction
 * begins after a checkpoint copied all of it; while the writer commits without a pause
 * that never happens by itself, so a commit that leaves more than
 * teren_checkpoint_wait_frames waits for the thread and copies the rest itself (bounding
 * the log at about that size plus one transaction). */

guint teren_checkpoint_start_frames = 1000;
guint teren_checkpoint_wait_frames = 32768;   /* 128 MiB of 4 KiB pages */

struct _TerenCheckpointer
{
  char     *db_path;
  GMutex    lock;
  GCond     cond;
  GThread  *thread;
  gboolean  requested;
  gboolean  running;
  gboolean  quit;
  guint     n_done;      /* checkpoints the thread finished (tests) */
};

static sqlite3 *
open_connection (const char *db_path)
{
  sqlite3 *handle = NULL;
  int dummy;

  if (sqlite3_open_v2 (db_path, &handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                       NULL) != SQLITE_OK)
    {
      g_debug ("Checkpoint connection not opened: %s", sqlite3_errmsg (handle));
      sqlite3_close_v2 (handle);
      return NULL;
    }
  /* The writer's close is the one that checkpoints and removes the log. */
  sqlite3_db_config (handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &dummy);
  sqlite3_exec (handle, "PRAGMA cache_size = -1024", NULL, NULL, NULL);
  return handle;
}

static gpointer
checkpoint_thread (gpointer data)
{
  TerenCheckpointer *self = data;
  sqlite3 *handle = NULL;

  g_mutex_lock (&self->lock);
  for (;;)
    {
      int n_log = 0, n_copied = 0;
      int rc = SQLITE_CANTOPEN;

      while (!self->requested && !self->quit)
        g_cond_wait (&self->cond, &self->lock);
      if (self->quit)
        break;
      self->requested = FALSE;
      self->running = TRUE;
      g_mutex_unlock (&self->lock);

      if (handle == NULL)
        handle = open_connection (self->db_path);
      if (handle != NULL)
        rc = sqlite3_wal_checkpoint_v2 (handle, NULL, SQLITE_CHECKPOINT_PASSIVE, &n_log, &n_copied);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        g_debug ("Checkpoint not done (%s)", sqlite3_errstr (rc));

      g_mutex_lock (&self->lock);
      self->running = FALSE;
      self->n_done++;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);

  sqlite3_close_v2 (handle);
  return NULL;
}

TerenCheckpointer *
teren_checkpointer_new (const char *db_path)
{
  TerenCheckpointer *self = g_new0 (TerenCheckpointer, 1);

  self->db_path = g_strdup (db_path);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  return self;
}

void
teren_checkpointer_free (TerenCheckpointer *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->quit = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  /* Waits for a checkpoint under way: the writer closes after this. */
  if (self->thread != NULL)
    g_thread_join (self->thread);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->db_path);
  g_free (self);
}

/* Lock held. */
static void
wait_idle_locked (TerenCheckpointer *self)
{
  /* A request always has its thread; one left at quit is never taken up. */
  while (self->running || (self->requested && !self->quit))
    g_cond_wait (&self->cond, &self->lock);
}

void
teren_checkpointer_committed (TerenCheckpointer *self,
                              sqlite3           *writer,
                              const char        *schema,
                              int                n_frames)
{
  if (n_frames >= 0 && (guint) n_frames >= teren_checkpoint_wait_frames)
    {
      /* The thread may be copying the earlier part: then this copies the rest. */
      g_mutex_lock (&self->lock);
      wait_idle_locked (self);
      g_mutex_unlock (&self->lock);
      sqlite3_wal_checkpoint_v2 (writer, schema, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      return;
    }
  if (n_frames < 0 || (guint) n_frames < teren_checkpoint_start_frames)
    return;

  g_mutex_lock (&self->lock);
  if (!self->quit)
    {
      self->requested = TRUE;
      if (self->thread == NULL)
        self->thread = g_thread_new ("teren-checkpoint", checkpoint_thread, self);
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
}

void
teren_checkpointer_wait_idle (TerenCheckpointer *self)
{
  g_mutex_lock (&self->lock);
  wait_idle_locked (self);
  g_mutex_unlock (&self->lock);
}

guint
teren_checkpointer_get_n_done (TerenCheckpointer *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_done;
  g_mutex_unlock (&self->lock);
  return n;
}
