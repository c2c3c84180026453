/* teren-store.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-error.h"
#include "teren-memory.h"
#include "teren-store-nomenclature.h"
#include "teren-store-private.h"
#include "teren-uuid.h"

/* The store object: its connections, the worker thread, transactions and signals.
 * Records, queries and drafts are in teren-store-records.c.
 *
 * Threads (GNOME Software's pattern): one writer connection, serialised by a recursive
 * lock so that a thread that opened a transaction (teren_store_begin) keeps it until it
 * commits; a pool of read-only connections serves reads, so lists and searches never wait
 * for a long import; one worker thread runs every _async call in order. */

#define MAX_IDLE_READERS 4

struct _TerenStore
{
  GObject       parent_instance;

  char         *data_dir;
  char         *db_path;
  char         *device_id;
  char         *author;

  GRecMutex     write_lock;
  TerenDb      *writer;
  guint         tx_depth;
  GThread      *tx_owner;        /* thread holding an explicit transaction */
  guint         explicit_depth;  /* levels opened by teren_store_begin() */
  GArray       *tx_marks;        /* length of tx_changes at each level */
  GPtrArray    *tx_changes;      /* (id, kind) pairs held until the commit */
  gboolean      tx_oplog;

  GMutex        readers_lock;
  GPtrArray    *readers;         /* idle read-only connections */

  GThread      *worker;
  GAsyncQueue  *jobs;

  TerenSearchOrder *search_order;
  TerenCheckpointer *checkpointer;

  GMutex        signal_lock;
  GPtrArray    *pending_changes; /* (id, kind) pairs to emit */
  gboolean      pending_oplog;
  GSource      *signal_source;
};

enum {
  SIGNAL_RECORD_CHANGED,
  SIGNAL_OPLOG_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TerenStore, teren_store, G_TYPE_OBJECT)

/* ---- Worker thread ----------------------------------------------------------------- */

typedef struct
{
  GTask           *task;
  GTaskThreadFunc  func;
} Job;

static gpointer
worker_main (gpointer data)
{
  GAsyncQueue *jobs = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (jobs);
      GTask *task = job->task;

      if (task == NULL)
        {
          g_free (job);
          break;
        }

      job->func (task, g_task_get_source_object (task), g_task_get_task_data (task),
                 g_task_get_cancellable (task));
      g_free (job);
      /* This may drop the last reference to the store, which then stops this loop by
       * pushing the end marker. */
      g_object_unref (task);
    }

  g_async_queue_unref (jobs);
  return NULL;
}

void
teren_store_run_in_worker (TerenStore      *self,
                           GTask           *task,
                           GTaskThreadFunc  func)
{
  Job *job = g_new0 (Job, 1);

  job->task = g_object_ref (task);
  job->func = func;
  g_async_queue_push (self->jobs, job);
}

/* ---- Signals on the main context ----------------------------------------------------- */

static gboolean
emit_pending_cb (gpointer user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(TerenStore) self = g_weak_ref_get (weak);
  g_autoptr(GPtrArray) changes = NULL;
  gboolean oplog;
  guint i;

  if (self == NULL)
    return G_SOURCE_REMOVE;

  g_mutex_lock (&self->signal_lock);
  changes = g_steal_pointer (&self->pending_changes);
  self->pending_changes = g_ptr_array_new_with_free_func (g_free);
  oplog = self->pending_oplog;
  self->pending_oplog = FALSE;
  g_clear_pointer (&self->signal_source, g_source_unref);
  g_mutex_unlock (&self->signal_lock);

  for (i = 0; i + 1 < changes->len; i += 2)
    g_signal_emit (self, signals[SIGNAL_RECORD_CHANGED], 0,
                   changes->pdata[i], changes->pdata[i + 1]);
  if (oplog)
    g_signal_emit (self, signals[SIGNAL_OPLOG_CHANGED], 0);

  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
schedule_signals (TerenStore   *self,
                  gpointer     *changes,
                  guint         n_changes,
                  gboolean      oplog)
{
  guint i;

  g_mutex_lock (&self->signal_lock);
  for (i = 0; i < n_changes; i++)
    g_ptr_array_add (self->pending_changes, g_strdup (changes[i]));
  self->pending_oplog |= oplog;

  if (self->signal_source == NULL &&
      (self->pending_changes->len > 0 || self->pending_oplog))
    {
      GWeakRef *weak = g_new0 (GWeakRef, 1);

      g_weak_ref_init (weak, self);
      self->signal_source = g_idle_source_new ();
      g_source_set_priority (self->signal_source, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->signal_source, emit_pending_cb, weak, weak_ref_free);
      g_source_set_static_name (self->signal_source, "[teren] store signals");
      g_source_attach (self->signal_source, NULL);
    }
  g_mutex_unlock (&self->signal_lock);
}

void
teren_store_queue_changed (TerenStore *self,
                           const char *id,
                           const char *kind,
                           gboolean    oplog)
{
  /* Called with the write lock held. */
  if (self->tx_depth > 0)
    {
      g_ptr_array_add (self->tx_changes, g_strdup (id));
      g_ptr_array_add (self->tx_changes, g_strdup (kind));
      self->tx_oplog |= oplog;
      return;
    }
  else
    {
      gpointer pair[] = { (gpointer) id, (gpointer) kind };

      schedule_signals (self, pair, G_N_ELEMENTS (pair), oplog);
    }
}

/* ---- Connections and transactions -------------------------------------------------- */

TerenDb *
teren_store_lock_writer (TerenStore *self)
{
  g_rec_mutex_lock (&self->write_lock);
  return self->writer;
}

void
teren_store_unlock_writer (TerenStore *self)
{
  g_rec_mutex_unlock (&self->write_lock);
}

TerenDb *
teren_store_acquire_reader (TerenStore   *self,
                            GCancellable *cancellable)
{
  TerenDb *db = NULL;
  g_autoptr(GError) error = NULL;

  if (g_atomic_pointer_get (&self->tx_owner) == g_thread_self ())
    {
      db = teren_store_lock_writer (self);
      return db;
    }

  g_mutex_lock (&self->readers_lock);
  if (self->readers->len > 0)
    db = g_ptr_array_steal_index_fast (self->readers, self->readers->len - 1);
  g_mutex_unlock (&self->readers_lock);

  if (db == NULL)
    db = teren_db_open_reader (self->db_path, &error);
  if (db == NULL)
    {
      /* Fall back to the writer rather than fail a read. */
      g_debug ("No read-only connection: %s", error->message);
      return teren_store_lock_writer (self);
    }

  db->cancellable = cancellable;
  return db;
}

static void
reset_stmt_cb (gpointer key,
               gpointer value,
               gpointer user_data)
{
  sqlite3_reset (value);
}

void
teren_store_release_reader (TerenStore *self,
                            TerenDb    *db)
{
  if (db == self->writer)
    {
      teren_store_unlock_writer (self);
      return;
    }

  db->cancellable = NULL;
  /* End any read transaction left open by a statement. */
  g_hash_table_foreach (db->stmts, reset_stmt_cb, NULL);

  g_mutex_lock (&self->readers_lock);
  if (self->readers->len < MAX_IDLE_READERS)
    {
      g_ptr_array_add (self->readers, db);
      db = NULL;
    }
  g_mutex_unlock (&self->readers_lock);

  teren_db_close (db);
}

/* Before a malloc_trim (teren-memory.h): the idle connections drop their page caches.
 * The next query reads its pages again from the system's file cache. */
static void
release_idle_memory (gpointer user_data)
{
  TerenStore *self = user_data;

  g_mutex_lock (&self->readers_lock);
  for (guint i = 0; i < self->readers->len; i++)
    sqlite3_db_release_memory (((TerenDb *) g_ptr_array_index (self->readers, i))->db);
  g_mutex_unlock (&self->readers_lock);

  if (self->writer != NULL && g_atomic_pointer_get (&self->tx_owner) == NULL &&
      g_rec_mutex_trylock (&self->write_lock))
    {
      if (g_atomic_pointer_get (&self->tx_owner) == NULL)
        sqlite3_db_release_memory (self->writer->db);
      g_rec_mutex_unlock (&self->write_lock);
    }
}

gboolean
teren_store_tx_begin (TerenStore  *self,
                      TerenDb     *db,
                      GError     **error)
{
  const char *sql = self->tx_depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT teren_tx";

  if (!teren_db_exec (db, sql, error))
    return FALSE;

  g_array_append_val (self->tx_marks, self->tx_changes->len);
  self->tx_depth++;
  return TRUE;
}

static void
tx_end (TerenStore *self,
        gboolean    committed)
{
  guint mark;

  self->tx_depth--;
  mark = g_array_index (self->tx_marks, guint, self->tx_depth);
  g_array_set_size (self->tx_marks, self->tx_depth);

  if (!committed)
    g_ptr_array_set_size (self->tx_changes, mark);

  if (self->tx_depth == 0)
    {
      gboolean oplog = self->tx_oplog;

      self->tx_oplog = FALSE;
      if (committed)
        schedule_signals (self, self->tx_changes->pdata, self->tx_changes->len, oplog);
      g_ptr_array_set_size (self->tx_changes, 0);
    }
}

gboolean
teren_store_tx_commit (TerenStore  *self,
                       TerenDb     *db,
                       GError     **error)
{
  const char *sql = self->tx_depth == 1 ? "COMMIT" : "RELEASE teren_tx";

  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (!teren_db_exec (db, sql, error))
    {
      teren_store_tx_rollback (self, db);
      return FALSE;
    }

  tx_end (self, TRUE);
  return TRUE;
}

void
teren_store_tx_rollback (TerenStore *self,
                         TerenDb    *db)
{
  g_return_if_fail (self->tx_depth > 0);

  if (self->tx_depth == 1)
    {
      if (sqlite3_get_autocommit (db->db) == 0)
        teren_db_exec (db, "ROLLBACK", NULL);
    }
  else
    {
      teren_db_exec (db, "ROLLBACK TO teren_tx", NULL);
      teren_db_exec (db, "RELEASE teren_tx", NULL);
    }

  tx_end (self, FALSE);
}

gboolean
teren_store_begin (TerenStore  *self,
                   GError     **error)
{
  TerenDb *db;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  /* The lock stays held until the matching commit or rollback. */
  db = teren_store_lock_writer (self);
  if (!teren_store_tx_begin (self, db, error))
    {
      teren_store_unlock_writer (self);
      return FALSE;
    }
  self->explicit_depth++;
  g_atomic_pointer_set (&self->tx_owner, g_thread_self ());
  return TRUE;
}

static void
end_explicit (TerenStore *self)
{
  self->explicit_depth--;
  if (self->explicit_depth == 0)
    g_atomic_pointer_set (&self->tx_owner, NULL);
  teren_store_unlock_writer (self);
}

gboolean
teren_store_commit (TerenStore  *self,
                    GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);

  if (self->explicit_depth == 0 || self->tx_owner != g_thread_self ())
    {
      g_set_error_literal (error, TEREN_ERROR, TEREN_ERROR_FAILED,
                           _("There is no open transaction to commit"));
      return FALSE;
    }

  ok = teren_store_tx_commit (self, self->writer, error);
  end_explicit (self);
  return ok;
}

void
teren_store_rollback (TerenStore *self)
{
  g_return_if_fail (TEREN_IS_STORE (self));

  if (self->explicit_depth == 0 || self->tx_owner != g_thread_self ())
    return;

  teren_store_tx_rollback (self, self->writer);
  end_explicit (self);
}

gboolean
teren_store_save_all (TerenStore               *self,
                      const TerenStoreSaveItem *items,
                      guint                     n_items,
                      GError                  **error)
{
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (self), FALSE);
  g_return_val_if_fail (items != NULL || n_items == 0, FALSE);

  if (!teren_store_begin (self, error))
    return FALSE;
  for (i = 0; i < n_items; i++)
    {
      g_autoptr(TerenRecord) saved = teren_store_save (self, items[i].kind, items[i].line,
                                                       items[i].id, items[i].fields, NULL, NULL,
                                                       error);

      if (saved == NULL)
        {
          teren_store_rollback (self);
          return FALSE;
        }
    }
  /* A failed commit has rolled back. */
  return teren_store_commit (self, error);
}

/* ---- Object ------------------------------------------------------------------------ */

/* After every commit of the writer, on its thread. Replaces SQLite's automatic checkpoint. */
static int
writer_wal_hook (void       *user_data,
                 sqlite3    *db,
                 const char *schema,
                 int         n_frames)
{
  TerenStore *self = user_data;

  teren_search_order_committed (self->search_order);
  teren_checkpointer_committed (self->checkpointer, db, schema, n_frames);
  return SQLITE_OK;
}

TerenCheckpointer *
teren_store_get_checkpointer (TerenStore *self)
{
  return self->checkpointer;
}

static void
teren_store_finalize (GObject *object)
{
  TerenStore *self = (TerenStore *) object;
  Job *end = g_new0 (Job, 1);

  teren_store_uninstall_icd10_lookup (self);
  /* Stop the worker; if this runs on the worker itself, it ends after this job. */
  g_async_queue_push (self->jobs, end);
  if (self->worker == g_thread_self ())
    g_thread_unref (self->worker);
  else
    g_thread_join (self->worker);
  g_async_queue_unref (self->jobs);
  teren_memory_remove_release_func (release_idle_memory, self);

  g_mutex_lock (&self->signal_lock);
  if (self->signal_source != NULL)
    {
      g_source_destroy (self->signal_source);
      g_clear_pointer (&self->signal_source, g_source_unref);
    }
  g_mutex_unlock (&self->signal_lock);

  g_ptr_array_set_free_func (self->readers, (GDestroyNotify) teren_db_close);
  g_clear_pointer (&self->readers, g_ptr_array_unref);
  /* Its reader too, so that the writer's close below is the last connection. */
  teren_search_order_close (self->search_order);
  /* Before the writer, whose close checkpoints and removes the log when it is the last
   * connection. */
  g_clear_pointer (&self->checkpointer, teren_checkpointer_free);
  teren_db_close (self->writer);
  /* After the writer: its WAL hook uses it. */
  g_clear_pointer (&self->search_order, teren_search_order_unref);

  g_clear_pointer (&self->pending_changes, g_ptr_array_unref);
  g_clear_pointer (&self->tx_changes, g_ptr_array_unref);
  g_clear_pointer (&self->tx_marks, g_array_unref);
  g_rec_mutex_clear (&self->write_lock);
  g_mutex_clear (&self->readers_lock);
  g_mutex_clear (&self->signal_lock);

  g_free (self->data_dir);
  g_free (self->db_path);
  g_free (self->device_id);
  g_free (self->author);

  G_OBJECT_CLASS (teren_store_parent_class)->finalize (object);
}

static void
teren_store_class_init (TerenStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = teren_store_finalize;

  /**
   * TerenStore::record-changed:
   * @id: the record's id
   * @kind: its kind
   *
   * Emitted on the main context after a save, delete or pull changed a record.
   */
  signals[SIGNAL_RECORD_CHANGED] =
    g_signal_new ("record-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * TerenStore::oplog-changed:
   *
   * Emitted on the main context when the number of pending operations changed.
   */
  signals[SIGNAL_OPLOG_CHANGED] =
    g_signal_new ("oplog-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
teren_store_init (TerenStore *self)
{
  g_rec_mutex_init (&self->write_lock);
  g_mutex_init (&self->readers_lock);
  g_mutex_init (&self->signal_lock);
  self->readers = g_ptr_array_new ();
  self->tx_marks = g_array_new (FALSE, FALSE, sizeof (guint));
  self->tx_changes = g_ptr_array_new_with_free_func (g_free);
  self->pending_changes = g_ptr_array_new_with_free_func (g_free);
  self->jobs = g_async_queue_new ();
  teren_memory_add_release_func (release_idle_memory, self);
  self->worker = g_thread_new ("teren-store", worker_main, g_async_queue_ref (self->jobs));
  self->search_order = teren_search_order_new ();
}

TerenSearchOrder *
teren_store_get_search_order (TerenStore *self)
{
  return self->search_order;
}


TerenStore *
teren_store_open (const char  *data_dir,
                  GError     **error)
{
  g_autoptr(TerenStore) self = NULL;
  g_autofree char *device_id = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (TEREN_TYPE_STORE, NULL);
  self->data_dir = g_strdup (data_dir);
  self->db_path = g_build_filename (data_dir, TEREN_STORE_DB_NAME, NULL);
  self->author = g_strdup (g_get_user_name ());

  self->writer = teren_db_open_writer (self->data_dir, self->db_path, error);
  if (self->writer == NULL)
    return NULL;

  device_id = teren_db_get_meta (self->writer, "device_id");
  if (device_id == NULL)
    {
      device_id = teren_uuid_new ();
      if (!teren_db_set_meta (self->writer, "device_id", device_id, error))
        return NULL;
    }
  self->device_id = g_steal_pointer (&device_id);

  teren_search_order_attach (self->search_order, self->writer);
  self->checkpointer = teren_checkpointer_new (self->db_path);
  sqlite3_wal_hook (self->writer->db, writer_wal_hook, self);
  if (!teren_store_digest_attach (self->writer, error))
    return NULL;

  /* Read the search order in the background, ready for the first short search. */
  teren_search_order_warm_in_thread (self->search_order, self->db_path);

  teren_store_install_icd10_lookup (self);
  g_debug ("Store opened");
  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  TerenStore *store = teren_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
teren_store_open_async (const char          *data_dir,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (data_dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_store_open_async);
  g_task_set_task_data (task, g_strdup (data_dir), g_free);
  g_task_run_in_thread (task, open_thread);
}

TerenStore *
teren_store_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
teren_store_default_dir (const char *account_key)
{
  const char *override = g_getenv ("TEREN_DATA_DIR");

  if (override != NULL && override[0] != '\0')
    return g_strdup (override);

  if (account_key == NULL || account_key[0] == '\0' ||
      strchr (account_key, '/') != NULL || account_key[0] == '.')
    account_key = "local";

  return g_build_filename (g_get_user_data_dir (), "teren", account_key, NULL);
}

const char *
teren_store_get_data_dir (TerenStore *self)
{
  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  return self->data_dir;
}

const char *
teren_store_get_device_id (TerenStore *self)
{
  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  return self->device_id;
}

const char *
teren_store_get_author (TerenStore *self)
{
  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);
  return self->author;
}

void
teren_store_set_author (TerenStore *self,
                        const char *author)
{
  g_return_if_fail (TEREN_IS_STORE (self));

  g_rec_mutex_lock (&self->write_lock);
  g_free (self->author);
  self->author = g_strdup (author != NULL ? author : "");
  g_rec_mutex_unlock (&self->write_lock);
}
