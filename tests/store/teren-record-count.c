/* teren-record-count.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-record.h"
#include "teren-record-count.h"

TerenRecord *__real_teren_record_new_full (const char *id,
                                           const char *kind,
                                           const char *line,
                                           gint64      rev,
                                           JsonObject *fields,
                                           gboolean    deleted,
                                           const char *created_at,
                                           const char *updated_at,
                                           const char *created_by,
                                           const char *updated_by);
TerenRecord *__wrap_teren_record_new_full (const char *id,
                                           const char *kind,
                                           const char *line,
                                           gint64      rev,
                                           JsonObject *fields,
                                           gboolean    deleted,
                                           const char *created_at,
                                           const char *updated_at,
                                           const char *created_by,
                                           const char *updated_by);

TerenRecord *__real_teren_record_new_take (const char *id,
                                           const char *kind,
                                           const char *line,
                                           gint64      rev,
                                           JsonObject *fields,
                                           gboolean    deleted,
                                           const char *created_at,
                                           const char *updated_at,
                                           const char *created_by,
                                           const char *updated_by);
TerenRecord *__wrap_teren_record_new_take (const char *id,
                                           const char *kind,
                                           const char *line,
                                           gint64      rev,
                                           JsonObject *fields,
                                           gboolean    deleted,
                                           const char *created_at,
                                           const char *updated_at,
                                           const char *created_by,
                                           const char *updated_by);

static gint records_made;
static gint records_alive;

static void
record_finalized_cb (gpointer  data,
                     GObject  *where_the_object_was)
{
  g_atomic_int_add (&records_alive, -1);
}

/* Counts @record, made by one of the wrapped constructors. */
static TerenRecord *
count (TerenRecord *record)
{
  g_atomic_int_inc (&records_made);
  g_atomic_int_inc (&records_alive);
  g_object_weak_ref (G_OBJECT (record), record_finalized_cb, NULL);
  return record;
}

TerenRecord *
__wrap_teren_record_new_full (const char *id,
                              const char *kind,
                              const char *line,
                              gint64      rev,
                              JsonObject *fields,
                              gboolean    deleted,
                              const char *created_at,
                              const char *updated_at,
                              const char *created_by,
                              const char *updated_by)
{
  return count (__real_teren_record_new_full (id, kind, line, rev, fields, deleted, created_at, updated_at,
                                              created_by, updated_by));
}

TerenRecord *
__wrap_teren_record_new_take (const char *id,
                              const char *kind,
                              const char *line,
                              gint64      rev,
                              JsonObject *fields,
                              gboolean    deleted,
                              const char *created_at,
                              const char *updated_at,
                              const char *created_by,
                              const char *updated_by)
{
  return count (__real_teren_record_new_take (id, kind, line, rev, fields, deleted, created_at, updated_at,
                                              created_by, updated_by));
}

guint
teren_record_count_made (void)
{
  return (guint) g_atomic_int_get (&records_made);
}

gint
teren_record_count_alive (void)
{
  return g_atomic_int_get (&records_alive);
}
