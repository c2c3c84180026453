/* teren-cli-sar.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-cli.h"
#include "teren-cli-sar.h"
#include "teren-cli-sync.h"
#include "teren-error.h"
#include "teren-sar-document.h"
#include "teren-store-blobs.h"
#include "teren-store-sar.h"
#include "teren-store-sync.h"
#include "teren-sync-engine.h"

#define SAR_FORMAT "teren-subject-access/1"

static const char * const section_names[TEREN_SAR_N_SECTIONS] = {
  "memberships", "households", "cases", "records",
};

static const char *
file_state_name (TerenSarFileState state)
{
  switch (state)
    {
    case TEREN_SAR_FILE_SAVED:
      return "saved";
    case TEREN_SAR_FILE_MISSING:
      return "missing";
    case TEREN_SAR_FILE_DAMAGED:
      return "damaged";
    case TEREN_SAR_FILE_PENDING:
    default:
      return "not_exported";
    }
}

/* Each attachment object of @node's fields gets "file": the name written in the folder
 * (null when the file is not included). */
static void
add_file_names (JsonNode   *node,
                GHashTable *by_blob)
{
  JsonObject *fields = json_object_get_object_member (json_node_get_object (node), "fields");
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (fields == NULL || by_blob == NULL)
    return;
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &key, &value))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;
      guint i;

      for (i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          JsonNode *blob = object != NULL ? json_object_get_member (object, "blob") : NULL;
          TerenSarAttachment *attachment;

          if (blob == NULL || json_node_get_value_type (blob) != G_TYPE_STRING)
            continue;
          attachment = g_hash_table_lookup (by_blob, json_node_get_string (blob));
          if (attachment == NULL)
            continue;
          if (attachment->file != NULL)
            json_object_set_string_member (object, "file", attachment->file);
          else
            json_object_set_null_member (object, "file");
        }
    }
}

static JsonArray *
attachments_to_json (GPtrArray *attachments)
{
  JsonArray *array = json_array_new ();
  guint i, r;

  for (i = 0; i < attachments->len; i++)
    {
      TerenSarAttachment *attachment = g_ptr_array_index (attachments, i);
      JsonObject *object = json_object_new ();
      JsonArray *records = json_array_new ();

      json_object_set_string_member (object, "blob", attachment->blob);
      json_object_set_string_member (object, "name", attachment->name);
      json_object_set_string_member (object, "mime", attachment->mime);
      json_object_set_int_member (object, "size", attachment->size);
      for (r = 0; r < attachment->records->len; r++)
        json_array_add_string_element (records, g_ptr_array_index (attachment->records, r));
      json_object_set_array_member (object, "records", records);
      json_object_set_string_member (object, "status", file_state_name (attachment->state));
      if (attachment->file != NULL)
        json_object_set_string_member (object, "file", attachment->file);
      else
        json_object_set_null_member (object, "file");
      if (attachment->reason != NULL)
        json_object_set_string_member (object, "reason", attachment->reason);
      json_array_add_object_element (array, object);
    }
  return array;
}

/* The record with its history, as a JSON object node. */
static JsonNode *
record_with_history (TerenStore   *store,
                     TerenRecord  *record,
                     GHashTable   *by_blob,
                     GError      **error)
{
  g_autoptr(JsonNode) node = teren_record_to_json (record);
  JsonArray *history = teren_store_list_history (store, teren_record_get_id (record), error);

  if (history == NULL)
    return NULL;
  add_file_names (node, by_blob);
  json_object_set_array_member (json_node_get_object (node), "history", history);
  return g_steal_pointer (&node);
}

GBytes *
teren_cli_sar_export_json (TerenStore   *store,
                           TerenRecord  *person,
                           GPtrArray    *records,
                           GPtrArray    *attachments,
                           GError      **error)
{
  g_autoptr(GHashTable) by_blob = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) root_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonArray *sections[TEREN_SAR_N_SECTIONS];
  JsonNode *node;
  char *text;
  gsize length;
  guint i;

  g_return_val_if_fail (TEREN_IS_STORE (store), NULL);
  g_return_val_if_fail (TEREN_IS_RECORD (person), NULL);
  g_return_val_if_fail (records != NULL, NULL);

  if (attachments != NULL)
    {
      by_blob = g_hash_table_new (g_str_hash, g_str_equal);
      for (i = 0; i < attachments->len; i++)
        {
          TerenSarAttachment *attachment = g_ptr_array_index (attachments, i);

          g_hash_table_insert (by_blob, attachment->blob, attachment);
        }
    }

  json_object_set_string_member (root, "format", SAR_FORMAT);
  text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  json_object_set_string_member (root, "generated_at", text);
  g_free (text);
  json_object_set_string_member (root, "person_id", teren_record_get_id (person));
  node = record_with_history (store, person, by_blob, error);
  if (node == NULL)
    return NULL;
  json_object_set_member (root, "person", node);

  for (i = 0; i < TEREN_SAR_N_SECTIONS; i++)
    {
      sections[i] = json_array_new ();
      json_object_set_array_member (root, section_names[i], sections[i]);
    }
  for (i = 0; i < records->len; i++)
    {
      TerenRecord *record = g_ptr_array_index (records, i);

      node = record_with_history (store, record, by_blob, error);
      if (node == NULL)
        return NULL;
      json_array_add_element (sections[teren_sar_section_of (teren_record_get_kind (record))], node);
    }
  if (attachments != NULL)
    json_object_set_array_member (root, "attachments", attachments_to_json (attachments));

  json_node_take_object (root_node, g_steal_pointer (&root));
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root_node);
  text = json_generator_to_data (generator, &length);
  text = g_realloc (text, length + 2);
  text[length] = '\n';
  text[length + 1] = '\0';
  return g_bytes_new_take (text, length + 1);
}

/* ---- The attached files -------------------------------------------------------------- */

static gboolean
is_here (TerenStore *store,
         const char *blob)
{
  g_autofree char *path = teren_store_get_blob_path (store, blob, NULL);

  return path != NULL;
}

/* Downloads the attachments not on this computer yet through the account's sync engine
 * (GET /blobs/…, hash checked); one that cannot be downloaded is MISSING, with why. */
static void
download_missing (TerenStore *store,
                  GPtrArray  *attachments)
{
  g_autoptr(TerenSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  guint i, missing = 0;

  for (i = 0; i < attachments->len; i++)
    {
      TerenSarAttachment *attachment = g_ptr_array_index (attachments, i);

      if (!is_here (store, attachment->blob))
        missing++;
    }
  if (missing == 0)
    return;

  server = teren_store_sync_get_meta (store, TEREN_SYNC_META_SERVER_URL);
  if (server == NULL)
    {
      /* A store without an account: nothing to download from. */
      for (i = 0; i < attachments->len; i++)
        {
          TerenSarAttachment *attachment = g_ptr_array_index (attachments, i);

          if (is_here (store, attachment->blob))
            continue;
          attachment->state = TEREN_SAR_FILE_MISSING;
          attachment->reason = g_strdup (_("not downloaded to this computer, and no account is "
                                           "signed in here to download it"));
        }
      return;
    }

  engine = teren_sync_engine_new ();
  if (!teren_cli_open_account (engine, teren_store_get_data_dir (store), &error))
    {
      g_debug ("Account not opened for the attachments: %s", error->message);
      return;   /* teren_sar_write_attachments() says "not downloaded" */
    }

  for (i = 0; i < attachments->len; i++)
    {
      TerenSarAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autofree char *path = NULL;

      if (is_here (store, attachment->blob))
        continue;
      path = teren_cli_fetch_blob (engine, attachment->blob, &error);
      if (path == NULL)
        {
          attachment->state = TEREN_SAR_FILE_MISSING;
          /* Translators: why an attachment is not in the export; %s is the sync error */
          attachment->reason = g_strdup_printf (_("not downloaded to this computer and could "
                                                  "not be downloaded now: %s"),
                                                error->message);
          g_clear_error (&error);
        }
    }
}

int
teren_cli_sar_export_attachments (TerenStore   *store,
                                  TerenRecord  *person,
                                  GPtrArray    *records,
                                  const char   *dir,
                                  GPtrArray   **out_attachments)
{
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  guint i, missing, damaged;

  g_return_val_if_fail (TEREN_IS_STORE (store), TEREN_CLI_EXIT_ERROR);
  g_return_val_if_fail (TEREN_IS_RECORD (person), TEREN_CLI_EXIT_ERROR);
  g_return_val_if_fail (records != NULL, TEREN_CLI_EXIT_ERROR);
  g_return_val_if_fail (out_attachments != NULL, TEREN_CLI_EXIT_ERROR);

  *out_attachments = NULL;
  attachments = teren_sar_list_attachments (person, records);
  download_missing (store, attachments);
  if (!teren_sar_write_attachments (store, attachments, dir, &error))
    {
      teren_cli_print_error (_("Cannot export the attachments: %s"), error->message);
      return TEREN_CLI_EXIT_ERROR;
    }

  for (i = 0; i < attachments->len; i++)
    {
      TerenSarAttachment *attachment = g_ptr_array_index (attachments, i);
      g_autofree char *ids = NULL;

      if (attachment->state == TEREN_SAR_FILE_SAVED)
        continue;
      g_ptr_array_add (attachment->records, NULL);
      ids = g_strjoinv (", ", (char **) attachment->records->pdata);
      g_ptr_array_remove_index (attachment->records, attachment->records->len - 1);
      /* Ids only: the attachment's name is personal data. */
      if (attachment->state == TEREN_SAR_FILE_DAMAGED)
        /* Translators: %s: "sha256:…", the record ids, the reason */
        teren_cli_print_error (_("The attachment %s of the record(s) %s was NOT exported: %s"),
                               attachment->blob, ids, attachment->reason);
      else
        /* Translators: %s: "sha256:…", the record ids, the reason */
        teren_cli_print_error (_("The attachment %s of the record(s) %s is not included: %s"),
                               attachment->blob, ids, attachment->reason);
    }

  missing = teren_sar_count_attachments (attachments, TEREN_SAR_FILE_MISSING);
  damaged = teren_sar_count_attachments (attachments, TEREN_SAR_FILE_DAMAGED);
  if (missing + damaged > 0)
    teren_cli_print_error (g_dngettext (GETTEXT_PACKAGE,
                                        "The export is incomplete: %u attached file is not in "
                                        "“%s” (the JSON lists it with its status)",
                                        "The export is incomplete: %u attached files are not in "
                                        "“%s” (the JSON lists them with their status)",
                                        missing + damaged),
                           missing + damaged, dir);

  *out_attachments = g_steal_pointer (&attachments);
  if (damaged > 0)
    return TEREN_CLI_EXIT_ERROR;
  return missing > 0 ? TEREN_CLI_EXIT_INCOMPLETE : TEREN_CLI_EXIT_OK;
}
