/* teren-attachment-list.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_ATTACHMENT_LIST (teren_attachment_list_get_type ())

G_DECLARE_FINAL_TYPE (TerenAttachmentList, teren_attachment_list, TEREN, ATTACHMENT_LIST, GtkWidget)

/* The editor of a field of type `attachment` (issue 8): one row per attachment with a
 * thumbnail or a mime icon, the name, the size and the sync state in words; Add… (a file
 * chooser), files dropped on the list, Open (downloaded first when only the server has
 * it) and Remove. The value is the field's JSON array of {"blob","size","mime","name"}.
 *
 * Files are imported into the store on a worker thread; a refused file (too large, not a
 * PDF, JPEG or PNG) is named in a message under the list and not added.
 *
 * Signals: "changed" () when the user added or removed an attachment;
 * "open-uri" (const char *uri) → gboolean: the default handler opens @uri with the
 * default application; a handler returning %TRUE stops that. */

TerenAttachmentList *teren_attachment_list_new        (void);

void                 teren_attachment_list_set_store  (TerenAttachmentList *self,
                                                       TerenStore          *store);
TerenStore          *teren_attachment_list_get_store  (TerenAttachmentList *self);
/* The field's label, shown above the list and used in accessible names. */
void                 teren_attachment_list_set_title  (TerenAttachmentList *self,
                                                       const char          *title);

/* The attachments as stored in a record, %NULL when there is none. (transfer full) */
JsonNode            *teren_attachment_list_get_value  (TerenAttachmentList *self);
/* Shows @value (a JSON array, transfer none; %NULL clears) without emitting "changed". */
void                 teren_attachment_list_set_value  (TerenAttachmentList *self,
                                                       JsonNode            *value);
guint                teren_attachment_list_get_n_items (TerenAttachmentList *self);

/* What Add… and a drop do with the files chosen (a list of GFile): imports each on a
 * worker thread and adds those the store accepts. */
void                 teren_attachment_list_add_files  (TerenAttachmentList *self,
                                                       GListModel          *files);
/* Removes the attachment at @position, as its Remove button does. */
void                 teren_attachment_list_remove     (TerenAttachmentList *self,
                                                       guint                position);
/* Opens the attachment at @position, as its Open button does (downloads it first when it
 * is only on the server). */
void                 teren_attachment_list_open       (TerenAttachmentList *self,
                                                       guint                position);

/* %TRUE while files are imported, states read or an attachment downloaded. */
gboolean             teren_attachment_list_get_busy   (TerenAttachmentList *self);
/* %TRUE while files are imported (they are not in the value yet). */
gboolean             teren_attachment_list_get_importing (TerenAttachmentList *self);
/* The message shown under the list (the last refusal or failure), or %NULL. */
const char          *teren_attachment_list_get_message (TerenAttachmentList *self);

/* The row of the attachment at @position (an AdwActionRow), for tests. (transfer none) */
GtkWidget           *teren_attachment_list_get_row    (TerenAttachmentList *self,
                                                       guint                position);
/* The Add… button. (transfer none) */
GtkWidget           *teren_attachment_list_get_add_button (TerenAttachmentList *self);

G_END_DECLS
