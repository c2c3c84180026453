/* teren-store-indicators.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-error.h"
#include "teren-store-indicators.h"

static const char * const kinds[] = {
  "community_health.beneficiary",
  "community_health.catagrafie",
  "community_health.disability",
  "community_health.disease",
  "community_health.intervention",
  "community_health.community_activity",
};

GPtrArray *
teren_store_indicators_load (TerenStore  *self,
                             GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) persons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  guint k, i;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  for (k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) ids = teren_store_list_ids (self, kinds[k], error);

      if (ids == NULL)
        return NULL;
      for (i = 0; i < ids->len; i++)
        {
          TerenRecord *record = teren_store_get_record (self, g_ptr_array_index (ids, i), error);
          const char *person;

          if (record == NULL)
            return NULL;
          person = teren_record_get_string (record, "person");
          if (person != NULL)
            g_hash_table_add (persons, g_strdup (person));
          g_ptr_array_add (records, record);
        }
    }

  g_hash_table_iter_init (&iter, persons);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(GError) local_error = NULL;
      TerenRecord *person = teren_store_get_record (self, key, &local_error);

      /* A person not synced yet (or not visible to this account) is simply unknown. */
      if (person == NULL)
        {
          if (!g_error_matches (local_error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          continue;
        }
      g_ptr_array_add (records, person);
    }

  return g_steal_pointer (&records);
}

GPtrArray *
teren_store_indicators_compute (TerenStore  *self,
                                guint        year,
                                guint        month,
                                GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (self), NULL);

  if (month < 1 || month > 12 || year < 1900 || year > 2200)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID, "Not a month: %u-%u", year, month);
      return NULL;
    }

  records = teren_store_indicators_load (self, error);
  if (records == NULL)
    return NULL;

  return teren_indicators_compute (records, year, month);
}
