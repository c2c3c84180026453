/* teren-attachment-list.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-attachment-list.h"
#include "teren-error.h"
#include "teren-gui.h"
#include "teren-store-blobs.h"
#include "teren-sync-blobs.h"
#include "teren-sync-engine.h"
#include "teren-window.h"

/* The side of the square a thumbnail is scaled into, in pixels. */
#define THUMBNAIL_SIZE 48

/* One attachment shown: its element of the field's value and its row. */
typedef struct
{
  JsonObject     *object;       /* (owned) {"blob","size","mime","name"} */
  TerenBlobState  state;
  gboolean        state_known;
  gboolean        opening;

  /* Borrowed: owned by the list box */
  AdwActionRow   *row;
  GtkImage       *icon;
  GtkSpinner     *spinner;
  GtkWidget      *open_button;
  GtkWidget      *remove_button;
} Item;

struct _TerenAttachmentList
{
  GtkWidget     parent_instance;

  /* Template widgets */
  GtkWidget    *add_button;
  GtkWidget    *box;
  GtkListBox   *list_box;
  GtkLabel     *message_label;
  GtkLabel     *placeholder_label;
  GtkSpinner   *spinner;
  GtkLabel     *title_label;

  /* Owned references */
  TerenStore   *store;
  GCancellable *cancellable;
  GPtrArray    *items;          /* Item, in the value's order */
  GtkFileChooserNative *chooser; /* (nullable) while Add… is open */

  char         *title;
  char         *message;
  guint         generation;     /* of the states being read */
  guint         n_imports;
  guint         n_reads;
  guint         n_opens;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  PROP_MESSAGE,
  N_PROPS
};

enum {
  CHANGED,
  OPEN_URI,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TerenAttachmentList, teren_attachment_list, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void rebuild              (TerenAttachmentList *self);
static void read_states          (TerenAttachmentList *self);
static void on_record_changed_cb (TerenAttachmentList *self,
                                  const char          *id,
                                  const char          *kind);

/* Auxiliary methods */

static void
item_free (gpointer pointer)
{
  Item *item = pointer;

  g_clear_pointer (&item->object, json_object_unref);
  g_free (item);
}

static const char *
item_string (Item       *item,
             const char *member)
{
  JsonNode *node = json_object_get_member (item->object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
item_blob (Item *item)
{
  return item_string (item, "blob");
}

static const char *
item_name (Item *item)
{
  const char *name = item_string (item, "name");

  /* Translators: shown for an attachment that has no file name */
  return name != NULL && *name != '\0' ? name : _("Unnamed file");
}

static const char *
item_mime (Item *item)
{
  const char *mime = item_string (item, "mime");

  return mime != NULL ? mime : "application/octet-stream";
}

static gint64
item_size (Item *item)
{
  JsonNode *node = json_object_get_member (item->object, "size");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

static Item *
find_item (TerenAttachmentList *self,
           const char          *blob,
           guint               *position)
{
  guint i;

  for (i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (item_blob (item), blob) == 0)
        {
          if (position != NULL)
            *position = i;
          return item;
        }
    }
  return NULL;
}

static const char *
state_text (Item *item)
{
  if (!item->state_known)
    return "…";

  switch (item->state)
    {
    case TEREN_BLOB_LOCAL_ONLY:
      return _("Not yet uploaded");
    case TEREN_BLOB_UPLOADED:
    case TEREN_BLOB_DOWNLOADED:
      return _("Uploaded");
    case TEREN_BLOB_REMOTE_ONLY:
      return _("Not downloaded");
    default:
      return "…";
    }
}

gboolean
teren_attachment_list_get_busy (TerenAttachmentList *self)
{
  g_return_val_if_fail (TEREN_IS_ATTACHMENT_LIST (self), FALSE);
  return self->n_imports > 0 || self->n_reads > 0 || self->n_opens > 0;
}

gboolean
teren_attachment_list_get_importing (TerenAttachmentList *self)
{
  g_return_val_if_fail (TEREN_IS_ATTACHMENT_LIST (self), FALSE);
  return self->n_imports > 0;
}

/* Call around every change of the counters: notifies "busy" when it flipped. */
static void
update_busy (TerenAttachmentList *self,
             gboolean             was_busy)
{
  gboolean busy = teren_attachment_list_get_busy (self);

  if (self->spinner != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->n_imports > 0);
      gtk_spinner_set_spinning (self->spinner, self->n_imports > 0);
    }
  if (busy != was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_message (TerenAttachmentList *self,
             const char          *message)
{
  if (message != NULL && *message == '\0')
    message = NULL;
  if (g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  if (self->message_label != NULL)
    {
      gtk_label_set_text (self->message_label, message != NULL ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
    }
  /* The message says why the last Add… did nothing: tie it to the button. */
  if (self->add_button != NULL)
    {
      if (message != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (self->add_button),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
update_row (Item *item)
{
  g_autofree char *size = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *label = NULL;
  const char *state = state_text (item);
  const char *name = item_name (item);
  gint64 bytes = item_size (item);

  size = bytes >= 0 ? g_format_size ((guint64) bytes) : g_strdup ("");
  /* Translators: an attachment's size and sync state, e.g. "1.2 MB · Uploaded" */
  subtitle = g_strdup_printf (_("%s · %s"), size, state);
  adw_action_row_set_subtitle (item->row, subtitle);

  /* Translators: an attachment's accessible name: its file name, size and state */
  label = g_strdup_printf (_("%s, %s, %s"), name, size, state);
  gtk_accessible_update_property (GTK_ACCESSIBLE (item->row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  gtk_widget_set_visible (GTK_WIDGET (item->spinner), item->opening);
  gtk_spinner_set_spinning (item->spinner, item->opening);
  gtk_widget_set_sensitive (item->open_button, !item->opening && item->state_known);
}

static void
emit_changed (TerenAttachmentList *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Callbacks of the rows */

static guint
position_of_button (TerenAttachmentList *self,
                    GtkWidget           *button)
{
  guint i;

  for (i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->open_button == button || item->remove_button == button)
        return i;
    }
  return G_MAXUINT;
}

static void
on_open_clicked_cb (GtkWidget           *button,
                    TerenAttachmentList *self)
{
  guint position = position_of_button (self, button);

  if (position != G_MAXUINT)
    teren_attachment_list_open (self, position);
}

static void
on_remove_clicked_cb (GtkWidget           *button,
                      TerenAttachmentList *self)
{
  guint position = position_of_button (self, button);

  if (position != G_MAXUINT)
    teren_attachment_list_remove (self, position);
}

static GtkWidget *
icon_button_new (const char *icon_name,
                 const char *tooltip,
                 const char *accessible_name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);
  return button;
}

static void
build_row (TerenAttachmentList *self,
           Item                *item)
{
  g_autofree char *open_name = NULL;
  g_autofree char *remove_name = NULL;
  g_autoptr(GIcon) gicon = NULL;
  g_autofree char *content_type = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  GtkWidget *spinner = gtk_spinner_new ();
  const char *name = item_name (item);

  /* A file name is user data: never markup (libadwaita 1.2 rows default to markup). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Tab goes straight to the row's buttons. */
  gtk_widget_set_focusable (row, FALSE);

  content_type = g_content_type_from_mime_type (item_mime (item));
  gicon = g_content_type_get_icon (content_type != NULL ? content_type : item_mime (item));
  icon = gtk_image_new_from_gicon (gicon);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (spinner, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spinner);

  /* Translators: accessible name of an attachment's Open button; %s is its file name */
  open_name = g_strdup_printf (_("Open “%s”"), name);
  item->open_button = icon_button_new ("document-open-symbolic", _("Open"), open_name);
  g_signal_connect_object (item->open_button, "clicked", G_CALLBACK (on_open_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), item->open_button);

  /* Translators: accessible name of an attachment's Remove button; %s is its file name */
  remove_name = g_strdup_printf (_("Remove “%s”"), name);
  item->remove_button = icon_button_new ("user-trash-symbolic", _("Remove"), remove_name);
  g_signal_connect_object (item->remove_button, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), item->remove_button);

  item->row = ADW_ACTION_ROW (row);
  item->icon = GTK_IMAGE (icon);
  item->spinner = GTK_SPINNER (spinner);
  update_row (item);
  gtk_list_box_append (self->list_box, row);
}

static void
rebuild (TerenAttachmentList *self)
{
  GtkWidget *child;
  guint i;

  /* The placeholder is a child of the list box too: remove only the rows. */
  child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (self->list_box, child);
      child = next;
    }

  for (i = 0; i < self->items->len; i++)
    build_row (self, g_ptr_array_index (self->items, i));

  read_states (self);
}

/* States and thumbnails, read on a worker thread */

typedef struct
{
  char *blob;
  char *mime;
} StateQuery;

typedef struct
{
  char           *blob;
  TerenBlobState  state;
  gboolean        known;
  GdkPixbuf      *thumbnail;   /* (nullable) */
} StateAnswer;

static void
state_query_free (gpointer pointer)
{
  StateQuery *query = pointer;

  g_free (query->blob);
  g_free (query->mime);
  g_free (query);
}

static void
state_answer_free (gpointer pointer)
{
  StateAnswer *answer = pointer;

  g_free (answer->blob);
  g_clear_object (&answer->thumbnail);
  g_free (answer);
}

static gboolean
is_image (const char *mime)
{
  return g_strcmp0 (mime, "image/png") == 0 || g_strcmp0 (mime, "image/jpeg") == 0;
}

static gpointer
read_states_func (TerenStore  *store,
                  gpointer     data,
                  GError     **error)
{
  GPtrArray *queries = data;
  GPtrArray *answers = g_ptr_array_new_with_free_func (state_answer_free);
  guint i;

  for (i = 0; i < queries->len; i++)
    {
      StateQuery *query = g_ptr_array_index (queries, i);
      StateAnswer *answer = g_new0 (StateAnswer, 1);
      g_autoptr(GError) local_error = NULL;

      answer->blob = g_strdup (query->blob);
      answer->known = teren_store_get_blob_state (store, query->blob, &answer->state, &local_error);
      if (!answer->known)
        g_debug ("Could not read the state of an attachment: %s", local_error->message);

      /* Only images already on this device get a thumbnail; the rest a mime icon. */
      if (answer->known && is_image (query->mime) &&
          answer->state != TEREN_BLOB_REMOTE_ONLY)
        {
          g_autofree char *path = teren_store_get_blob_path (store, query->blob, NULL);

          if (path != NULL)
            answer->thumbnail = gdk_pixbuf_new_from_file_at_scale (path, THUMBNAIL_SIZE,
                                                                   THUMBNAIL_SIZE, TRUE, NULL);
        }
      g_ptr_array_add (answers, answer);
    }

  return answers;
}

typedef struct
{
  TerenAttachmentList *self;   /* (owned) */
  guint                generation;
} StateCall;

static void
on_states_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  StateCall *call = user_data;
  g_autoptr(TerenAttachmentList) self = call->self;
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GError) error = NULL;
  gboolean was_busy = teren_attachment_list_get_busy (self);
  guint i;

  answers = teren_gui_store_call_finish (result, &error);
  self->n_reads--;

  if (answers != NULL && call->generation == self->generation)
    for (i = 0; i < answers->len; i++)
      {
        StateAnswer *answer = g_ptr_array_index (answers, i);
        Item *item = find_item (self, answer->blob, NULL);

        if (item == NULL)
          continue;
        item->state = answer->state;
        item->state_known = answer->known;
        if (answer->thumbnail != NULL)
          {
            g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (answer->thumbnail);

            gtk_image_set_from_paintable (item->icon, GDK_PAINTABLE (texture));
            gtk_image_set_pixel_size (item->icon, THUMBNAIL_SIZE);
          }
        update_row (item);
      }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not read the attachments' states: %s", error->message);

  g_free (call);
  update_busy (self, was_busy);
}

static void
read_states (TerenAttachmentList *self)
{
  GPtrArray *queries;
  StateCall *call;
  gboolean was_busy = teren_attachment_list_get_busy (self);
  guint i;

  self->generation++;
  if (self->store == NULL || self->items->len == 0)
    return;

  queries = g_ptr_array_new_with_free_func (state_query_free);
  for (i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      StateQuery *query;

      if (item_blob (item) == NULL)
        continue;
      query = g_new0 (StateQuery, 1);
      query->blob = g_strdup (item_blob (item));
      query->mime = g_strdup (item_mime (item));
      g_ptr_array_add (queries, query);
    }

  call = g_new0 (StateCall, 1);
  call->self = g_object_ref (self);
  call->generation = self->generation;
  self->n_reads++;
  teren_gui_store_call_async (self->store, read_states_func, queries,
                              (GDestroyNotify) g_ptr_array_unref,
                              (GDestroyNotify) g_ptr_array_unref,
                              self->cancellable, on_states_read_cb, call);
  update_busy (self, was_busy);
}

/* Importing files, on a worker thread */

typedef struct
{
  char   *name;     /* display name of the file */
  GError *error;    /* (nullable) why it was refused */
  JsonObject *object; /* (nullable) the new element */
} ImportOutcome;

static void
import_outcome_free (gpointer pointer)
{
  ImportOutcome *outcome = pointer;

  g_free (outcome->name);
  g_clear_error (&outcome->error);
  g_clear_pointer (&outcome->object, json_object_unref);
  g_free (outcome);
}

static gpointer
import_func (TerenStore  *store,
             gpointer     data,
             GError     **error)
{
  GPtrArray *files = data;
  GPtrArray *outcomes = g_ptr_array_new_with_free_func (import_outcome_free);
  guint i;

  for (i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      ImportOutcome *outcome = g_new0 (ImportOutcome, 1);
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *basename = g_file_get_basename (file);

      outcome->name = basename != NULL ? g_filename_display_name (basename) : g_strdup ("");
      if (path == NULL)
        g_set_error_literal (&outcome->error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND,
                             "not a local file");
      else
        outcome->object = teren_store_import_blob (store, path, outcome->name, &outcome->error);
      g_ptr_array_add (outcomes, outcome);
    }

  return outcomes;
}

static char *
refusal_message (ImportOutcome *outcome)
{
  if (g_error_matches (outcome->error, TEREN_ERROR, TEREN_ERROR_TOO_LARGE))
    {
      g_autofree char *limit = g_format_size_full (TEREN_ATTACHMENT_MAX_SIZE, G_FORMAT_SIZE_IEC_UNITS);

      /* Translators: %s are a file name and the size limit, e.g. "10.0 MiB" */
      return g_strdup_printf (_("“%s” was not added: it is larger than %s."), outcome->name, limit);
    }
  if (g_error_matches (outcome->error, TEREN_ERROR, TEREN_ERROR_INVALID))
    /* Translators: %s is a file name */
    return g_strdup_printf (_("“%s” was not added: only PDF documents and JPEG or PNG images can be attached."),
                            outcome->name);
  if (g_error_matches (outcome->error, TEREN_ERROR, TEREN_ERROR_NO_SPACE))
    /* Translators: %s is a file name */
    return g_strdup_printf (_("“%s” was not added: the disk is full. Free some space on this computer."),
                            outcome->name);
  if (g_error_matches (outcome->error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND) ||
      g_error_matches (outcome->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    /* Translators: %s is a file name */
    return g_strdup_printf (_("“%s” was not added: the file cannot be read."), outcome->name);
  /* Translators: %s is a file name */
  return g_strdup_printf (_("“%s” could not be added. Try again; if it keeps failing, tell your administrator."),
                          outcome->name);
}

static void
on_imported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TerenAttachmentList) self = user_data;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) messages = g_string_new (NULL);
  gboolean was_busy = teren_attachment_list_get_busy (self);
  gboolean added = FALSE;
  guint i;

  outcomes = teren_gui_store_call_finish (result, &error);
  self->n_imports--;

  if (outcomes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, _("The files could not be added. Try again."));
      update_busy (self, was_busy);
      return;
    }

  for (i = 0; i < outcomes->len; i++)
    {
      ImportOutcome *outcome = g_ptr_array_index (outcomes, i);

      if (outcome->object != NULL)
        {
          Item *item;
          const char *blob = json_object_get_string_member_with_default (outcome->object, "blob", NULL);

          /* The same file twice is one attachment. */
          if (blob == NULL || find_item (self, blob, NULL) != NULL)
            continue;
          item = g_new0 (Item, 1);
          item->object = json_object_ref (outcome->object);
          g_ptr_array_add (self->items, item);
          build_row (self, item);
          added = TRUE;
        }
      else
        {
          g_autofree char *text = refusal_message (outcome);

          g_debug ("An attachment was refused: %s", outcome->error->message);
          if (messages->len > 0)
            g_string_append_c (messages, '\n');
          g_string_append (messages, text);
        }
    }

  set_message (self, messages->len > 0 ? messages->str : NULL);
  if (added)
    {
      read_states (self);
      emit_changed (self);
    }
  update_busy (self, was_busy);
}

/* Opening */

typedef struct
{
  TerenAttachmentList *self;   /* (owned) */
  char                *blob;
} OpenCall;

static void
open_call_free (OpenCall *call)
{
  g_clear_object (&call->self);
  g_free (call->blob);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenCall, open_call_free)

static void
finish_opening (TerenAttachmentList *self,
                const char          *blob)
{
  gboolean was_busy = teren_attachment_list_get_busy (self);
  Item *item = find_item (self, blob, NULL);

  self->n_opens--;
  if (item != NULL)
    {
      item->opening = FALSE;
      update_row (item);
    }
  update_busy (self, was_busy);
}

static void
open_failed (TerenAttachmentList *self,
             const char          *blob,
             const GError        *error)
{
  Item *item = find_item (self, blob, NULL);
  g_autofree char *text = NULL;

  g_debug ("An attachment could not be opened: %s", error->message);
  if (g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_NETWORK) ||
      g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_TIMEOUT))
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("“%s” could not be downloaded: the server cannot be reached. Try again when online."),
                            item != NULL ? item_name (item) : "");
  else if (error->domain == TEREN_SYNC_ERROR)
    /* Translators: %s are a file name and why the download failed (a sentence) */
    text = g_strdup_printf (_("“%s” could not be downloaded: %s"),
                            item != NULL ? item_name (item) : "", error->message);
  else
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("“%s” could not be opened."), item != NULL ? item_name (item) : "");
  set_message (self, text);
}

static void
on_launched_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TerenAttachmentList) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("No application opened an attachment: %s", error->message);
      set_message (self, _("No application could open the attachment."));
    }
}

static gboolean
teren_attachment_list_real_open_uri (TerenAttachmentList *self,
                                     const char          *uri)
{
  g_autoptr(GAppLaunchContext) context = NULL;

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
  /* GtkFileLauncher is GTK 4.10; GIO goes through the OpenURI portal when sandboxed. */
  g_app_info_launch_default_for_uri_async (uri, context, self->cancellable,
                                           on_launched_cb, g_object_ref (self));
  return TRUE;
}

static gpointer
blob_path_func (TerenStore  *store,
                gpointer     data,
                GError     **error)
{
  return teren_store_get_blob_path (store, data, error);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, TEREN_SYNC_ERROR, TEREN_SYNC_ERROR_CANCELLED);
}

/* Hands @path to whoever opens it ("open-uri"; by default the default application). */
static void
launch_path (TerenAttachmentList *self,
             const char          *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  gboolean handled = FALSE;

  set_message (self, NULL);
  g_signal_emit (self, signals[OPEN_URI], 0, uri, &handled);
}

static TerenSyncEngine *
find_engine (TerenAttachmentList *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TEREN_IS_WINDOW (root))
    return teren_window_get_engine (TEREN_WINDOW (root));
  return NULL;
}

static void
on_fetched_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OpenCall) call = user_data;
  TerenAttachmentList *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = teren_sync_engine_fetch_blob_finish (TEREN_SYNC_ENGINE (object),
                                                               result, &error);

  if (path != NULL)
    {
      /* Now on this device: the row says so, and an image gets its thumbnail. */
      read_states (self);
      launch_path (self, path);
    }
  else if (!is_cancelled (error))
    open_failed (self, call->blob, error);

  finish_opening (self, call->blob);
}

/* Downloads @call's blob with the account's engine, then opens it. */
static void
fetch (OpenCall *call)
{
  TerenAttachmentList *self = call->self;
  TerenSyncEngine *engine = find_engine (self);
  Item *item = find_item (self, call->blob, NULL);

  if (engine == NULL)
    {
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("“%s” is only on the server. Sign in to download it."),
                                               item != NULL ? item_name (item) : "");
      set_message (self, text);
      finish_opening (self, call->blob);
      open_call_free (call);
      return;
    }

  teren_sync_engine_fetch_blob_async (engine, call->blob, self->cancellable, on_fetched_cb, call);
}

static void
on_path_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OpenCall) call = user_data;
  TerenAttachmentList *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = teren_gui_store_call_finish (result, &error);

  if (path != NULL)
    launch_path (self, path);
  else if (g_error_matches (error, TEREN_ERROR, TEREN_ERROR_NOT_FOUND))
    {
      /* Not here after all (its state was not known yet): download it. */
      fetch (g_steal_pointer (&call));
      return;
    }
  else if (!is_cancelled (error))
    {
      if (error == NULL)
        g_set_error_literal (&error, TEREN_ERROR, TEREN_ERROR_FAILED, "no path");
      open_failed (self, call->blob, error);
    }

  finish_opening (self, call->blob);
}

static void
open_local (OpenCall *call)
{
  TerenAttachmentList *self = call->self;

  teren_gui_store_call_async (self->store, blob_path_func, g_strdup (call->blob), g_free, g_free,
                              self->cancellable, on_path_cb, call);
}

/* Adding */

static void
on_chooser_response_cb (GtkNativeDialog     *chooser,
                        int                  response,
                        TerenAttachmentList *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      teren_attachment_list_add_files (self, files);
    }

  gtk_native_dialog_destroy (chooser);
  /* A native dialog is not a toplevel: this was the last reference. */
  g_clear_object (&self->chooser);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *mime_a,
            const char     *mime_b,
            const char     *mime_c)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime_a);
  if (mime_b != NULL)
    gtk_file_filter_add_mime_type (filter, mime_b);
  if (mime_c != NULL)
    gtk_file_filter_add_mime_type (filter, mime_c);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
on_add_clicked_cb (TerenAttachmentList *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Add Attachments"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("PDF, JPEG and PNG files"),
              "application/pdf", "image/jpeg", "image/png");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("PDF documents"), "application/pdf", NULL, NULL);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("JPEG and PNG images"), "image/jpeg", "image/png", NULL);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
on_drop_cb (GtkDropTarget       *target,
            const GValue        *value,
            double               x,
            double               y,
            TerenAttachmentList *self)
{
  g_autoptr(GListStore) files = NULL;
  GSList *list;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_list_store_new (G_TYPE_FILE);
  for (list = gdk_file_list_get_files (g_value_get_boxed (value)); list != NULL; list = list->next)
    g_list_store_append (files, list->data);
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) == 0)
    return FALSE;

  teren_attachment_list_add_files (self, G_LIST_MODEL (files));
  return TRUE;
}

/* GObject */

static void
teren_attachment_list_dispose (GObject *object)
{
  TerenAttachmentList *self = (TerenAttachmentList *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  gtk_widget_dispose_template (GTK_WIDGET (self), TEREN_TYPE_ATTACHMENT_LIST);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_record_changed_cb, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (teren_attachment_list_parent_class)->dispose (object);
}

static void
teren_attachment_list_finalize (GObject *object)
{
  TerenAttachmentList *self = (TerenAttachmentList *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (teren_attachment_list_parent_class)->finalize (object);
}

static void
teren_attachment_list_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TerenAttachmentList *self = TEREN_ATTACHMENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, teren_attachment_list_get_busy (self));
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_attachment_list_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TerenAttachmentList *self = TEREN_ATTACHMENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      teren_attachment_list_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
teren_attachment_list_class_init (TerenAttachmentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = teren_attachment_list_dispose;
  object_class->finalize = teren_attachment_list_finalize;
  object_class->get_property = teren_attachment_list_get_property;
  object_class->set_property = teren_attachment_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TEREN_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[OPEN_URI] =
    g_signal_new_class_handler ("open-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (teren_attachment_list_real_open_uri),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ro/daps/Teren/ui/teren-attachment-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TerenAttachmentList, add_button);
  gtk_widget_class_bind_template_child (widget_class, TerenAttachmentList, box);
  gtk_widget_class_bind_template_child (widget_class, TerenAttachmentList, list_box);
  gtk_widget_class_bind_template_child (widget_class, TerenAttachmentList, message_label);
  gtk_widget_class_bind_template_child (widget_class, TerenAttachmentList, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, TerenAttachmentList, spinner);
  gtk_widget_class_bind_template_child (widget_class, TerenAttachmentList, title_label);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
teren_attachment_list_init (TerenAttachmentList *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->items = g_ptr_array_new_with_free_func (item_free);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* Public API */

TerenAttachmentList *
teren_attachment_list_new (void)
{
  return g_object_new (TEREN_TYPE_ATTACHMENT_LIST, NULL);
}

/* A blob changed state (uploaded, downloaded by a sync): say so in its row. */
static void
on_record_changed_cb (TerenAttachmentList *self,
                      const char          *id,
                      const char          *kind)
{
  if (g_strcmp0 (kind, TEREN_STORE_BLOB_KIND) == 0 && find_item (self, id, NULL) != NULL)
    read_states (self);
}

void
teren_attachment_list_set_store (TerenAttachmentList *self,
                                 TerenStore          *store)
{
  g_return_if_fail (TEREN_IS_ATTACHMENT_LIST (self));
  g_return_if_fail (store == NULL || TEREN_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_record_changed_cb, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "record-changed", G_CALLBACK (on_record_changed_cb), self,
                             G_CONNECT_SWAPPED);
  read_states (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

TerenStore *
teren_attachment_list_get_store (TerenAttachmentList *self)
{
  g_return_val_if_fail (TEREN_IS_ATTACHMENT_LIST (self), NULL);
  return self->store;
}

void
teren_attachment_list_set_title (TerenAttachmentList *self,
                                 const char          *title)
{
  g_return_if_fail (TEREN_IS_ATTACHMENT_LIST (self));

  g_free (self->title);
  self->title = g_strdup (title);
  gtk_label_set_text (self->title_label, title != NULL ? title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), title != NULL && *title != '\0');
  if (title != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

JsonNode *
teren_attachment_list_get_value (TerenAttachmentList *self)
{
  g_autoptr(JsonArray) array = NULL;
  guint i;

  g_return_val_if_fail (TEREN_IS_ATTACHMENT_LIST (self), NULL);

  if (self->items->len == 0)
    return NULL;

  array = json_array_new ();
  for (i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      JsonNode *node = json_node_init_object (json_node_alloc (), item->object);

      json_array_add_element (array, json_node_copy (node));
      json_node_unref (node);
    }
  return json_node_init_array (json_node_alloc (), array);
}

void
teren_attachment_list_set_value (TerenAttachmentList *self,
                                 JsonNode            *value)
{
  JsonArray *array = NULL;
  guint i;

  g_return_if_fail (TEREN_IS_ATTACHMENT_LIST (self));

  g_ptr_array_set_size (self->items, 0);
  if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    array = json_node_get_array (value);

  for (i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(JsonNode) copy = NULL;
      Item *item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      copy = json_node_copy (element);
      item = g_new0 (Item, 1);
      item->object = json_object_ref (json_node_get_object (copy));
      g_ptr_array_add (self->items, item);
    }

  set_message (self, NULL);
  rebuild (self);
}

guint
teren_attachment_list_get_n_items (TerenAttachmentList *self)
{
  g_return_val_if_fail (TEREN_IS_ATTACHMENT_LIST (self), 0);
  return self->items->len;
}

void
teren_attachment_list_add_files (TerenAttachmentList *self,
                                 GListModel          *files)
{
  GPtrArray *array;
  gboolean was_busy;
  guint i;

  g_return_if_fail (TEREN_IS_ATTACHMENT_LIST (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  if (self->store == NULL)
    {
      set_message (self, _("Attachments cannot be added before the data is open."));
      return;
    }

  array = g_ptr_array_new_with_free_func (g_object_unref);
  for (i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GObject) file = g_list_model_get_item (files, i);

      if (G_IS_FILE (file))
        g_ptr_array_add (array, g_steal_pointer (&file));
    }
  if (array->len == 0)
    {
      g_ptr_array_unref (array);
      return;
    }

  was_busy = teren_attachment_list_get_busy (self);
  self->n_imports++;
  teren_gui_store_call_async (self->store, import_func, array,
                              (GDestroyNotify) g_ptr_array_unref,
                              (GDestroyNotify) g_ptr_array_unref,
                              self->cancellable, on_imported_cb, g_object_ref (self));
  update_busy (self, was_busy);
}

void
teren_attachment_list_remove (TerenAttachmentList *self,
                              guint                position)
{
  Item *item;
  GtkWidget *focus_to;

  g_return_if_fail (TEREN_IS_ATTACHMENT_LIST (self));

  if (position >= self->items->len)
    return;

  item = g_ptr_array_index (self->items, position);
  gtk_list_box_remove (self->list_box, GTK_WIDGET (item->row));
  g_ptr_array_remove_index (self->items, position);

  /* Keep keyboard users where they were: the next row's Remove, else Add…. */
  if (position < self->items->len)
    focus_to = ((Item *) g_ptr_array_index (self->items, position))->remove_button;
  else if (position > 0)
    focus_to = ((Item *) g_ptr_array_index (self->items, position - 1))->remove_button;
  else
    focus_to = self->add_button;
  gtk_widget_grab_focus (focus_to);

  set_message (self, NULL);
  emit_changed (self);
}

void
teren_attachment_list_open (TerenAttachmentList *self,
                            guint                position)
{
  g_autoptr(OpenCall) call = NULL;
  gboolean was_busy;
  Item *item;

  g_return_if_fail (TEREN_IS_ATTACHMENT_LIST (self));

  if (position >= self->items->len || self->store == NULL)
    return;
  item = g_ptr_array_index (self->items, position);
  if (item->opening || item_blob (item) == NULL)
    return;

  call = g_new0 (OpenCall, 1);
  call->self = g_object_ref (self);
  call->blob = g_strdup (item_blob (item));

  was_busy = teren_attachment_list_get_busy (self);
  item->opening = TRUE;
  self->n_opens++;
  update_row (item);
  update_busy (self, was_busy);

  if (item->state_known && item->state == TEREN_BLOB_REMOTE_ONLY)
    {
      fetch (g_steal_pointer (&call));
      return;
    }

  open_local (g_steal_pointer (&call));
}

const char *
teren_attachment_list_get_message (TerenAttachmentList *self)
{
  g_return_val_if_fail (TEREN_IS_ATTACHMENT_LIST (self), NULL);
  return self->message;
}

GtkWidget *
teren_attachment_list_get_row (TerenAttachmentList *self,
                               guint                position)
{
  g_return_val_if_fail (TEREN_IS_ATTACHMENT_LIST (self), NULL);

  if (position >= self->items->len)
    return NULL;
  return GTK_WIDGET (((Item *) g_ptr_array_index (self->items, position))->row);
}

GtkWidget *
teren_attachment_list_get_add_button (TerenAttachmentList *self)
{
  g_return_val_if_fail (TEREN_IS_ATTACHMENT_LIST (self), NULL);
  return self->add_button;
}
