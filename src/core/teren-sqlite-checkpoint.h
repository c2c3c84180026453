/* teren-sqlite-checkpoint.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Checkpoints of a database's write-ahead log on a thread of their own, with its own
 * connection. The writer's WAL hook calls teren_checkpointer_committed() after each
 * commit (sqlite3_wal_hook replaces SQLite's automatic checkpoint): a commit leaving at
 * least teren_checkpoint_start_frames in the log asks the thread for a PASSIVE
 * checkpoint; one leaving teren_checkpoint_wait_frames waits for it and copies the rest
 * on the writer, so that the log starts again. Free the checkpointer before closing the
 * writer (it waits for a checkpoint under way). */
typedef struct _TerenCheckpointer TerenCheckpointer;

/* Read at each commit; tests change them. */
extern guint teren_checkpoint_start_frames;
extern guint teren_checkpoint_wait_frames;

TerenCheckpointer *teren_checkpointer_new        (const char        *db_path);
void               teren_checkpointer_free       (TerenCheckpointer *self);
/* From the writer's WAL hook (its thread): a commit left @n_frames in the log of @writer. */
void               teren_checkpointer_committed  (TerenCheckpointer *self,
                                                  sqlite3           *writer,
                                                  const char        *schema,
                                                  int                n_frames);
/* Until no checkpoint runs or is asked for; with the writer idle (its lock held), none is
 * asked for again until its next commit. Before a checkpoint of the writer's own that must
 * not be refused (TRUNCATE). */
void               teren_checkpointer_wait_idle  (TerenCheckpointer *self);
/* How many checkpoints the thread has finished (tests). */
guint              teren_checkpointer_get_n_done (TerenCheckpointer *self);

G_END_DECLS
