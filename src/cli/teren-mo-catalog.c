/* teren-mo-catalog.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "teren-error.h"
#include "teren-mo-catalog.h"

/* GNU .mo layout: magic, revision, number of strings, offset of the table of original
 * strings, offset of the table of translations; each table holds (length, offset) pairs
 * of 32-bit integers in the byte order given by the magic. */
#define MO_MAGIC         0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U
#define MO_HEADER_SIZE   20
#define MO_MAX_SIZE      (64 * 1024 * 1024)

struct _TerenMoCatalog
{
  GHashTable *messages;   /* msgid → msgstr, both owned */
};

static guint32
read_u32 (const guint8 *data,
          gsize         offset,
          gboolean      swapped)
{
  guint32 value;

  memcpy (&value, data + offset, sizeof value);
  return swapped ? GUINT32_SWAP_LE_BE (value) : value;
}

/* Reads entry @index of the table at @table: the string must lie inside the file and be
 * NUL-terminated there. */
static gboolean
read_string (const guint8  *data,
             gsize          size,
             guint32        table,
             guint32        index,
             gboolean       swapped,
             const char   **out_string,
             guint32       *out_length)
{
  guint64 entry = (guint64)table + (guint64)index * 8;
  guint32 length;
  guint32 offset;

  if (entry + 8 > size)
    return FALSE;

  length = read_u32 (data, entry, swapped);
  offset = read_u32 (data, entry + 4, swapped);
  if ((guint64)offset + length + 1 > size || data[offset + length] != '\0')
    return FALSE;

  *out_string = (const char *)data + offset;
  *out_length = length;
  return TRUE;
}

TerenMoCatalog *
teren_mo_catalog_new_from_file (const char  *path,
                                GError     **error)
{
  g_autoptr(TerenMoCatalog) catalog = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *data;
  gsize size = 0;
  gboolean swapped;
  guint32 magic;
  guint32 n_strings;
  guint32 originals;
  guint32 translations;
  guint32 i;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &size, &local_error))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, "%s", local_error->message);
      return NULL;
    }

  data = (const guint8 *)contents;
  if (size < MO_HEADER_SIZE || size > MO_MAX_SIZE)
    goto corrupt;

  memcpy (&magic, data, sizeof magic);
  if (magic == MO_MAGIC)
    swapped = FALSE;
  else if (magic == MO_MAGIC_SWAPPED)
    swapped = TRUE;
  else
    goto corrupt;

  n_strings = read_u32 (data, 8, swapped);
  originals = read_u32 (data, 12, swapped);
  translations = read_u32 (data, 16, swapped);

  catalog = g_new0 (TerenMoCatalog, 1);
  catalog->messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (i = 0; i < n_strings; i++)
    {
      const char *msgid;
      const char *msgstr;
      guint32 msgid_length;
      guint32 msgstr_length;

      if (!read_string (data, size, originals, i, swapped, &msgid, &msgid_length) ||
          !read_string (data, size, translations, i, swapped, &msgstr, &msgstr_length))
        goto corrupt;

      /* The header entry has the empty msgid; plural entries hold "singular\0plural"
       * and "form0\0form1…": strlen keeps the first of each. */
      if (msgid[0] == '\0' || msgstr[0] == '\0')
        continue;
      if (!g_utf8_validate (msgid, -1, NULL) || !g_utf8_validate (msgstr, -1, NULL))
        goto corrupt;

      g_hash_table_replace (catalog->messages, g_strdup (msgid), g_strdup (msgstr));
    }

  return g_steal_pointer (&catalog);

corrupt:
  g_set_error (error, TEREN_ERROR, TEREN_ERROR_CORRUPT,
               _("“%s” is not a valid translation catalog"), path);
  return NULL;
}

TerenMoCatalog *
teren_mo_catalog_new_for_language (const char *language)
{
  const char *dirs[2];
  guint i;

  g_return_val_if_fail (language != NULL, NULL);

  dirs[0] = g_getenv ("TEREN_LOCALEDIR");
  dirs[1] = LOCALEDIR;

  for (i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;
      TerenMoCatalog *catalog;

      if (dirs[i] == NULL || dirs[i][0] == '\0')
        continue;

      path = g_build_filename (dirs[i], language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;

      catalog = teren_mo_catalog_new_from_file (path, NULL);
      if (catalog != NULL)
        return catalog;
    }

  return NULL;
}

void
teren_mo_catalog_free (TerenMoCatalog *catalog)
{
  if (catalog == NULL)
    return;

  g_clear_pointer (&catalog->messages, g_hash_table_unref);
  g_free (catalog);
}

const char *
teren_mo_catalog_lookup (TerenMoCatalog *catalog,
                         const char     *msgid)
{
  g_return_val_if_fail (catalog != NULL, NULL);

  if (msgid == NULL)
    return NULL;

  return g_hash_table_lookup (catalog->messages, msgid);
}

guint
teren_mo_catalog_get_size (TerenMoCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, 0);

  return g_hash_table_size (catalog->messages);
}
