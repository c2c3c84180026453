/* teren-sar-document.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "teren-docs-private.h"
#include "teren-error.h"
#include "teren-json.h"
#include "teren-official-documents.h"
#include "teren-sar-document.h"
#include "teren-schema.h"
#include "teren-store-blobs.h"
#include "teren-store-sar.h"

/* No value is ever logged: ids and counts only. */

static gboolean
is_group_kind (const char *kind)
{
  return g_strcmp0 (kind, "household") == 0 || g_strcmp0 (kind, "family") == 0;
}

TerenSarSection
teren_sar_section_of (const char *kind)
{
  if (g_strcmp0 (kind, "household_member") == 0 || g_strcmp0 (kind, "family_member") == 0)
    return TEREN_SAR_MEMBERSHIPS;
  if (is_group_kind (kind))
    return TEREN_SAR_HOUSEHOLDS;
  if (g_strcmp0 (kind, "case") == 0)
    return TEREN_SAR_CASES;
  return TEREN_SAR_RECORDS;
}

/* The households and families @record points at, added to @groups (ids, in field order). */
static void
collect_groups (TerenRecord *record,
                GPtrArray   *groups,
                GHashTable  *seen)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (teren_record_get_kind (record));
  guint f;

  if (kind == NULL)
    return;
  for (f = 0; f < kind->n_fields; f++)
    {
      const TerenFieldDef *field = &kind->fields[f];
      const char *value;

      if (field->type != TEREN_FIELD_REFERENCE || !is_group_kind (field->ref_kind))
        continue;
      value = teren_record_get_string (record, field->key);
      if (value == NULL || *value == '\0' || g_hash_table_contains (seen, value))
        continue;
      g_hash_table_add (seen, g_strdup (value));
      g_ptr_array_add (groups, g_strdup (value));
    }
}

gboolean
teren_sar_collect (TerenStore   *store,
                   const char   *person_id,
                   TerenRecord **out_person,
                   GPtrArray   **out_records,
                   GError      **error)
{
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GQueue) queue = g_queue_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (store), FALSE);
  g_return_val_if_fail (person_id != NULL, FALSE);

  person = teren_store_get_record (store, person_id, &local_error);
  if (person == NULL)
    {
      if (g_error_matches (local_error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
        g_set_error (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                     _("There is no person with the id “%s”"), person_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_strcmp0 (teren_record_get_kind (person), "person") != 0)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_INVALID,
                   _("The record “%s” is not a person"), person_id);
      return FALSE;
    }

  /* Every record that points at the person, and, in turn, at those records (a case's
   * visits, a plan's items). A household or family is not followed: its other members
   * are other persons' data. */
  g_hash_table_add (seen, g_strdup (person_id));
  g_queue_push_tail (queue, g_strdup (person_id));
  while (!g_queue_is_empty (queue))
    {
      g_autofree char *id = g_queue_pop_head (queue);
      g_autoptr(GPtrArray) referencing = teren_store_list_referencing (store, id, error);

      if (referencing == NULL)
        return FALSE;
      for (i = 0; i < referencing->len; i++)
        {
          const char *other = g_ptr_array_index (referencing, i);
          TerenRecord *record;

          if (g_hash_table_contains (seen, other))
            continue;
          g_hash_table_add (seen, g_strdup (other));
          record = teren_store_get_record (store, other, error);
          if (record == NULL)
            return FALSE;
          g_ptr_array_add (records, record);
          if (!is_group_kind (teren_record_get_kind (record)))
            g_queue_push_tail (queue, g_strdup (other));
        }
    }

  /* The households and families of the person's memberships (and of any record above
   * that names one), without what references them. */
  for (i = 0; i < records->len; i++)
    collect_groups (g_ptr_array_index (records, i), groups, seen);
  for (i = 0; i < groups->len; i++)
    {
      g_autoptr(GError) group_error = NULL;
      TerenRecord *group = teren_store_get_record (store, g_ptr_array_index (groups, i), &group_error);

      /* A household outside this account's scope is simply not held here. */
      if (group == NULL)
        {
          if (g_error_matches (group_error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&group_error));
          return FALSE;
        }
      if (teren_record_get_deleted (group))
        {
          g_object_unref (group);
          continue;
        }
      g_ptr_array_add (records, group);
    }

  if (out_person != NULL)
    *out_person = g_steal_pointer (&person);
  if (out_records != NULL)
    *out_records = g_steal_pointer (&records);
  return TRUE;
}

/* ---- The printed answer ------------------------------------------------------------ */

static const char *
section_title (TerenSarSection section)
{
  switch (section)
    {
    case TEREN_SAR_MEMBERSHIPS:
      return _("Household and Family Memberships");
    case TEREN_SAR_HOUSEHOLDS:
      return _("Households and Families");
    case TEREN_SAR_CASES:
      return _("Cases");
    case TEREN_SAR_RECORDS:
      return _("Other Records About the Person");
    case TEREN_SAR_N_SECTIONS:
    default:
      return NULL;
    }
}

static const char *
kind_label (const char *kind_name)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (kind_name);

  return kind != NULL ? teren_kind_get_label (kind) : kind_name;
}

/* Within a section, records of one kind together, kinds in the order of their labels
 * (stable: a kind's records keep the store's order). */
static int
compare_by_kind_label (gconstpointer a,
                       gconstpointer b)
{
  TerenRecord *first = *(TerenRecord **) a;
  TerenRecord *second = *(TerenRecord **) b;

  return g_utf8_collate (kind_label (teren_record_get_kind (first)),
                         kind_label (teren_record_get_kind (second)));
}

static void
add_section (TerenDocument   *doc,
             TerenStore      *store,
             TerenSarSection  section,
             GPtrArray       *records)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  const char *last_kind = NULL;
  guint i, number = 0;

  for (i = 0; i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);

      if (teren_sar_section_of (teren_record_get_kind (record)) == section)
        g_ptr_array_add (mine, record);
    }
  if (mine->len == 0)
    return;
  /* g_ptr_array_sort is not stable; insertion order is kept by a stable pass. */
  for (i = 1; i < mine->len; i++)
    {
      gpointer current = g_ptr_array_index (mine, i);
      guint j = i;

      while (j > 0 && compare_by_kind_label (&mine->pdata[j - 1], &current) > 0)
        {
          mine->pdata[j] = mine->pdata[j - 1];
          j--;
        }
      mine->pdata[j] = current;
    }

  teren_document_add_heading (doc, section_title (section));
  for (i = 0; i < mine->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (mine, i);
      const char *kind = teren_record_get_kind (record);
      g_autofree char *title = NULL;

      if (g_strcmp0 (kind, last_kind) != 0)
        {
          number = 0;
          last_kind = kind;
        }
      number++;
      /* Translators: "Case 2: Popescu Ana" (the kind of record, its number in the
       * document, its title) */
      title = g_strdup_printf (_("%s %u: %s"), kind_label (kind), number, teren_record_get_title (record));
      teren_document_add_paragraph (doc, title);
      teren_docs_add_record_fields (doc, store, record);
    }
}

TerenDocument *
teren_sar_document_build (TerenStore  *store,
                          const char  *person_id,
                          GError     **error)
{
  g_autoptr(TerenRecord) person = NULL;
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (person_id != NULL, NULL);

  if (!teren_sar_collect (store, person_id, &person, &records, error))
    return NULL;
  return teren_sar_document_build_for (store, person, records);
}

TerenDocument *
teren_sar_document_build_for (TerenStore  *store,
                              TerenRecord *person,
                              GPtrArray   *records)
{
  g_autoptr(TerenDocument) doc = NULL;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *logo = NULL;
  g_autofree char *today = NULL;
  guint section;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (TEREN_IS_RECORD (person), NULL);
  g_return_val_if_fail (records != NULL, NULL);

  doc = teren_document_new (_("Personal Data Held About a Person"));
  teren_official_document_read_header (&name, &address, &logo);
  teren_document_set_header (doc, name, address, logo);
  today = teren_docs_today_display ();
  teren_document_set_registration (doc, NULL, today);
  teren_document_add_paragraph (doc, _("Answer to a request for access to personal data "
                                       "(Regulation (EU) 2016/679, article 15): every record "
                                       "about the person below held in this account’s data."));

  teren_document_add_heading (doc, _("Identity"));
  teren_docs_add_record_fields (doc, store, person);

  for (section = 0; section < TEREN_SAR_N_SECTIONS; section++)
    add_section (doc, store, section, records);
  if (records->len == 0)
    teren_document_add_paragraph (doc, _("No other record about this person is held."));

  g_debug ("Subject access document: %u records", records->len);
  return g_steal_pointer (&doc);
}

/* ---- The attached files ------------------------------------------------------------ */

/* Room left in NAME_MAX (255 bytes) for " (99999)" and the extension. */
#define FILE_STEM_MAX_BYTES 200
#define FILE_NAME_FALLBACK  "attachment"

void
teren_sar_attachment_free (TerenSarAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->blob);
  g_free (attachment->name);
  g_free (attachment->mime);
  g_clear_pointer (&attachment->records, g_ptr_array_unref);
  g_free (attachment->file);
  g_free (attachment->reason);
  g_free (attachment);
}

static void
add_record_attachments (TerenRecord *record,
                        GPtrArray   *out,
                        GHashTable  *by_blob)
{
  const TerenKindDef *kind = teren_schema_lookup_kind (teren_record_get_kind (record));
  JsonObject *fields = teren_record_get_fields (record);
  guint f, i;

  if (kind == NULL || fields == NULL)
    return;
  for (f = 0; f < kind->n_fields; f++)
    {
      JsonNode *value;
      JsonArray *array;

      if (kind->fields[f].type != TEREN_FIELD_ATTACHMENT)
        continue;
      value = json_object_get_member (fields, kind->fields[f].key);
      if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
        continue;
      array = json_node_get_array (value);
      for (i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          const char *blob = object != NULL ? teren_json_get_string (object, "blob", NULL) : NULL;
          const char *id = teren_record_get_id (record);
          TerenSarAttachment *attachment;

          if (blob == NULL || !teren_blob_ref_is_valid (blob))
            continue;
          attachment = g_hash_table_lookup (by_blob, blob);
          if (attachment == NULL)
            {
              const char *name = teren_json_get_string (object, "name", NULL);
              const char *mime = teren_json_get_string (object, "mime", NULL);

              attachment = g_new0 (TerenSarAttachment, 1);
              attachment->blob = g_strdup (blob);
              attachment->name = g_strdup (name != NULL ? name : "");
              attachment->mime = g_strdup (mime != NULL ? mime : "");
              attachment->size = teren_json_get_int (object, "size", 0);
              attachment->records = g_ptr_array_new_with_free_func (g_free);
              attachment->state = TEREN_SAR_FILE_PENDING;
              g_ptr_array_add (out, attachment);
              g_hash_table_insert (by_blob, attachment->blob, attachment);
            }
          if (!g_ptr_array_find_with_equal_func (attachment->records, id, g_str_equal, NULL))
            g_ptr_array_add (attachment->records, g_strdup (id));
        }
    }
}

GPtrArray *
teren_sar_list_attachments (TerenRecord *person,
                            GPtrArray   *records)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) teren_sar_attachment_free);
  g_autoptr(GHashTable) by_blob = g_hash_table_new (g_str_hash, g_str_equal);
  guint i;

  if (person != NULL)
    add_record_attachments (person, out, by_blob);
  for (i = 0; records != NULL && i < records->len; i++)
    add_record_attachments (g_ptr_array_index (records, i), out, by_blob);
  return out;
}

guint
teren_sar_count_attachments (GPtrArray         *attachments,
                             TerenSarFileState  state)
{
  guint i, count = 0;

  for (i = 0; attachments != NULL && i < attachments->len; i++)
    {
      TerenSarAttachment *attachment = g_ptr_array_index (attachments, i);

      if (attachment->state == state)
        count++;
    }
  return count;
}

static const char *
extension_of_mime (const char *mime)
{
  if (g_strcmp0 (mime, "application/pdf") == 0)
    return ".pdf";
  if (g_strcmp0 (mime, "image/jpeg") == 0)
    return ".jpg";
  if (g_strcmp0 (mime, "image/png") == 0)
    return ".png";
  return NULL;
}

static gboolean
has_extension_for (const char *lower,
                   const char *mime)
{
  if (g_strcmp0 (mime, "image/jpeg") == 0)
    return g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg");
  return extension_of_mime (mime) != NULL && g_str_has_suffix (lower, extension_of_mime (mime));
}

static gboolean
is_unsafe_char (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT || type == G_UNICODE_UNASSIGNED ||
      type == G_UNICODE_PRIVATE_USE || type == G_UNICODE_SURROGATE ||
      type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
    return TRUE;
  /* Path separators and what Windows and FAT (a USB stick) refuse. */
  return c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' ||
         c == '<' || c == '>' || c == '|';
}

/* The longest prefix of @text of at most @max_bytes bytes that ends on a character. */
static void
truncate_utf8 (GString *text,
               gsize    max_bytes)
{
  const char *end;

  if (text->len <= max_bytes)
    return;
  end = text->str + max_bytes;
  /* Back to the start of the character that does not fit whole. */
  while (end > text->str && (((guchar) *end) & 0xC0) == 0x80)
    end--;
  g_string_truncate (text, end - text->str);
}

char *
teren_sar_attachment_file_name (const char *name,
                                const char *mime)
{
  g_autofree char *valid = g_utf8_make_valid (name != NULL ? name : "", -1);
  g_autofree char *normal = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *lower = NULL;
  const char *extension = extension_of_mime (mime);
  const char *p;
  gsize start;

  for (p = normal != NULL ? normal : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_unsafe_char (c))
        c = '_';
      /* No "..", no run of "_". */
      if ((c == '.' || c == '_') && out->len > 0 && out->str[out->len - 1] == (char) c)
        continue;
      g_string_append_unichar (out, c);
    }

  /* Neither hidden (".x") nor taken for an option ("-x"), nor ending in a dot or space. */
  for (start = 0; start < out->len && strchr (" ._-", out->str[start]) != NULL; start++)
    ;
  g_string_erase (out, 0, start);
  while (out->len > 0 && strchr (" .", out->str[out->len - 1]) != NULL)
    g_string_truncate (out, out->len - 1);

  lower = g_utf8_strdown (out->str, -1);
  if (extension != NULL && has_extension_for (lower, mime))
    {
      /* Keep the name's own extension; shorten the part before it. */
      const char *dot = strrchr (out->str, '.');
      g_autofree char *own = g_strdup (dot);

      g_string_truncate (out, dot - out->str);
      truncate_utf8 (out, FILE_STEM_MAX_BYTES);
      if (out->len == 0)
        g_string_append (out, FILE_NAME_FALLBACK);
      g_string_append (out, own);
    }
  else
    {
      truncate_utf8 (out, FILE_STEM_MAX_BYTES);
      while (out->len > 0 && strchr (" .", out->str[out->len - 1]) != NULL)
        g_string_truncate (out, out->len - 1);
      if (out->len == 0)
        g_string_append (out, FILE_NAME_FALLBACK);
      if (extension != NULL)
        g_string_append (out, extension);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
teren_sar_check_attachments_dir (const char  *dir,
                                 GError     **error)
{
  g_autoptr(GDir) listing = NULL;
  GStatBuf info;

  g_return_val_if_fail (dir != NULL, FALSE);

  if (g_lstat (dir, &info) != 0)
    {
      if (errno == ENOENT)
        return TRUE;
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot use the folder “%s”: %s"),
                   dir, g_strerror (errno));
      return FALSE;
    }
  if (!S_ISDIR (info.st_mode))
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_EXISTS,
                   _("“%s” exists and is not a folder: give a new or empty folder for the attachments"),
                   dir);
      return FALSE;
    }
  listing = g_dir_open (dir, 0, NULL);
  if (listing == NULL || g_dir_read_name (listing) != NULL)
    {
      g_set_error (error, TEREN_ERROR, TEREN_ERROR_EXISTS,
                   _("The folder “%s” is not empty: give a new or empty folder for the attachments"),
                   dir);
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_private_dir (const char  *dir,
                  GError     **error)
{
  if (!teren_sar_check_attachments_dir (dir, error))
    return FALSE;
  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot create the folder “%s”: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Whether @bytes are the content @blob names. */
static gboolean
matches_blob (GBytes     *bytes,
              const char *blob)
{
  g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  return digest != NULL && g_str_equal (digest, blob + strlen (TEREN_BLOB_REF_PREFIX));
}

/* " (n)" before the extension of @base. */
static char *
numbered_name (const char *base,
               guint       n)
{
  const char *dot = strrchr (base, '.');
  gsize stem = dot != NULL && dot != base ? (gsize) (dot - base) : strlen (base);

  if (n < 2)
    return g_strdup (base);
  return g_strdup_printf ("%.*s (%u)%s", (int) stem, base, n, base + stem);
}

/* Writes @bytes as a new 0600 file in @dir named after @base, never over an existing one;
 * the name used is returned (transfer full), NULL with @error. */
static char *
write_new_file (const char  *dir,
                const char  *base,
                GHashTable  *used,
                GBytes      *bytes,
                GError     **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint n;

  for (n = 1; n < 100000; n++)
    {
      g_autofree char *name = numbered_name (base, n);
      g_autofree char *key = g_utf8_casefold (name, -1);
      g_autofree char *path = NULL;
      gsize done = 0;
      int fd;

      if (g_hash_table_contains (used, key))
        continue;
      path = g_build_filename (dir, name, NULL);
      fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0 && errno == EEXIST)
        continue;
      if (fd < 0)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot write “%s”: %s"),
                       path, g_strerror (errno));
          return NULL;
        }
      while (done < size)
        {
          ssize_t written = write (fd, data + done, size - done);

          if (written < 0 && errno == EINTR)
            continue;
          if (written <= 0)
            break;
          done += (gsize) written;
        }
      if (done < size || fchmod (fd, 0600) != 0 || fsync (fd) != 0)
        {
          int saved = errno;

          close (fd);
          g_unlink (path);
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot write “%s”: %s"),
                       path, g_strerror (saved));
          return NULL;
        }
      if (close (fd) != 0)
        {
          int saved = errno;

          g_unlink (path);
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot write “%s”: %s"),
                       path, g_strerror (saved));
          return NULL;
        }
      g_hash_table_add (used, g_steal_pointer (&key));
      return g_steal_pointer (&name);
    }
  g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot write “%s”: %s"), base,
               g_strerror (EEXIST));
  return NULL;
}

gboolean
teren_sar_write_attachments (TerenStore  *store,
                             GPtrArray   *attachments,
                             const char  *dir,
                             GError     **error)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (store), FALSE);
  g_return_val_if_fail (attachments != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (!make_private_dir (dir, error))
    return FALSE;

  for (i = 0; i < attachments->len; i++)
    {
      TerenSarAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *base = NULL;
      g_autoptr(GMappedFile) mapped = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (attachment->state != TEREN_SAR_FILE_PENDING)
        continue;
      path = teren_store_get_blob_path (store, attachment->blob, &local_error);
      if (path == NULL)
        {
          attachment->state = TEREN_SAR_FILE_MISSING;
          attachment->reason = g_strdup (_("not downloaded to this computer"));
          continue;
        }
      mapped = g_mapped_file_new (path, FALSE, &local_error);
      if (mapped == NULL)
        {
          g_set_error (error, TEREN_ERROR, TEREN_ERROR_IO, _("Cannot read an attachment: %s"),
                       local_error->message);
          return FALSE;
        }
      bytes = g_mapped_file_get_bytes (mapped);
      if (!matches_blob (bytes, attachment->blob))
        {
          /* Ids only in the log. */
          g_debug ("Blob %s does not match its hash: not exported", attachment->blob);
          attachment->state = TEREN_SAR_FILE_DAMAGED;
          attachment->reason = g_strdup (_("the copy on this computer is damaged (its content "
                                           "does not match its checksum)"));
          continue;
        }
      base = teren_sar_attachment_file_name (attachment->name, attachment->mime);
      attachment->file = write_new_file (dir, base, used, bytes, error);
      if (attachment->file == NULL)
        return FALSE;
      attachment->state = TEREN_SAR_FILE_SAVED;
    }

  g_debug ("Subject access attachments: %u saved, %u missing, %u damaged",
           teren_sar_count_attachments (attachments, TEREN_SAR_FILE_SAVED),
           teren_sar_count_attachments (attachments, TEREN_SAR_FILE_MISSING),
           teren_sar_count_attachments (attachments, TEREN_SAR_FILE_DAMAGED));
  return TRUE;
}

void
teren_sar_document_add_attachments (TerenDocument *doc,
                                    GPtrArray     *attachments)
{
  guint i;

  g_return_if_fail (attachments != NULL);

  teren_document_add_heading (doc, _("Attached Files"));
  if (attachments->len == 0)
    {
      teren_document_add_paragraph (doc, _("No file is attached to these records."));
      return;
    }
  for (i = 0; i < attachments->len; i++)
    {
      TerenSarAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autofree char *size = g_format_size ((guint64) MAX (0, attachment->size));
      g_autofree char *value = NULL;

      if (attachment->state == TEREN_SAR_FILE_SAVED)
        /* Translators: "120.3 kB, saved as “scan.pdf”" (the file given with this answer) */
        value = g_strdup_printf (_("%s, saved as “%s”"), size, attachment->file);
      else
        /* Translators: "120.3 kB, not included: not downloaded to this computer" */
        value = g_strdup_printf (_("%s, not included: %s"), size,
                                 attachment->reason != NULL ? attachment->reason : "");
      teren_document_add_field (doc, attachment->name[0] != '\0' ? attachment->name : "—", value);
    }
}
