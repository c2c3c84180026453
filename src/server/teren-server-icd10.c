/* teren-server-icd10.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "teren-error.h"
#include "teren-vitals.h"
#include "teren-server-icd10.h"
#include "teren-server-sqlite.h"

/* One read-only connection, used under a lock (pushes are judged one at a time by the
 * group commit, so the lock is not contended). */
typedef struct {
  GMutex        lock;
  sqlite3      *db;
  sqlite3_stmt *stmt;
} Icd10Lookup;

static Icd10Lookup *installed = NULL;

#define LOOKUP_SQL \
  "SELECT EXISTS (SELECT 1 FROM nomenclature WHERE kind = 'icd10' AND deleted = 0 AND code IN (?1, ?2))," \
  "       EXISTS (SELECT 1 FROM nomenclature WHERE kind = 'icd10' AND deleted = 0)"

static TerenIcd10Lookup
lookup (const char *code,
        gpointer    user_data)
{
  Icd10Lookup *self = user_data;
  TerenIcd10Lookup answer = TEREN_ICD10_NO_LIST;
  g_autoptr(GString) undotted = g_string_new (NULL);
  const char *p;

  /* Lists often write "E119" for "E11.9": either spelling is found. */
  for (p = code; *p != '\0'; p++)
    if (*p != '.')
      g_string_append_c (undotted, *p);

  g_mutex_lock (&self->lock);
  sqlite3_bind_text (self->stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (self->stmt, 2, undotted->str, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (self->stmt) == SQLITE_ROW)
    {
      if (sqlite3_column_int (self->stmt, 0) != 0)
        answer = TEREN_ICD10_KNOWN;
      else if (sqlite3_column_int (self->stmt, 1) != 0)
        answer = TEREN_ICD10_UNKNOWN;
    }
  else
    g_warning ("ICD-10 lookup failed: %s", sqlite3_errmsg (self->db));
  sqlite3_reset (self->stmt);
  sqlite3_clear_bindings (self->stmt);
  g_mutex_unlock (&self->lock);
  return answer;
}

static void
icd10_lookup_free (Icd10Lookup *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->stmt);
  sqlite3_close (self->db);
  g_mutex_clear (&self->lock);
  g_free (self);
}

gboolean
teren_server_icd10_install (const char  *data_dir,
                            GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, TEREN_SERVER_DB_NAME, NULL);
  Icd10Lookup *self = g_new0 (Icd10Lookup, 1);

  g_mutex_init (&self->lock);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
      sqlite3_busy_timeout (self->db, 10000) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, LOOKUP_SQL, -1, &self->stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "ICD-10 list: %s",
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      icd10_lookup_free (self);
      return FALSE;
    }
  teren_server_icd10_uninstall ();
  installed = self;
  teren_health_set_icd10_lookup (lookup, self);
  return TRUE;
}

void
teren_server_icd10_uninstall (void)
{
  if (installed == NULL)
    return;
  teren_health_set_icd10_lookup (NULL, NULL);
  g_clear_pointer (&installed, icd10_lookup_free);
}
