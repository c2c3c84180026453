/* teren-field-row.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "teren-attachment-list.h"
#include "teren-schema.h"

G_BEGIN_DECLS

/* What a message under a field means. */
typedef enum {
  TEREN_FIELD_MESSAGE_NONE,
  TEREN_FIELD_MESSAGE_ERROR,
  TEREN_FIELD_MESSAGE_WARNING,
} TerenFieldMessageKind;

#define TEREN_TYPE_FIELD_ROW (teren_field_row_get_type ())

G_DECLARE_FINAL_TYPE (TerenFieldRow, teren_field_row, TEREN, FIELD_ROW, AdwPreferencesRow)

/* A form field that names its schema `key` (DESIGN.md "Forms"). Once its kind is known
 * (teren_field_row_set_kind, done by TerenForm), it builds the editor the schema asks
 * for: an entry row for text, CNP, phone, numbers and dates (zz.ll.aaaa), a combo row for
 * choices, a check list for multi-choice, a switch row for yes/no, a text view for long
 * text and a "Choose…" row for references. A message line under the editor shows
 * validation errors and warnings. Signals: "changed" (the user edited the value),
 * "choose-reference" (a reference field's Choose button was pressed). */

TerenFieldRow       *teren_field_row_new            (const char            *kind,
                                                     const char            *key);
const char          *teren_field_row_get_key        (TerenFieldRow         *self);
void                 teren_field_row_set_key        (TerenFieldRow         *self,
                                                     const char            *key);
const char          *teren_field_row_get_kind       (TerenFieldRow         *self);
void                 teren_field_row_set_kind       (TerenFieldRow         *self,
                                                     const char            *kind);
/* The schema definition, or %NULL when the kind or key is unknown. */
const TerenFieldDef *teren_field_row_get_field      (TerenFieldRow         *self);

/* The value as stored in a record, or %NULL when the field is empty. Text that is not a
 * valid date or number is returned as typed, so that validation can say what is wrong.
 * (transfer full) */
JsonNode            *teren_field_row_get_value      (TerenFieldRow         *self);
/* Shows @value (transfer none, %NULL clears) without emitting "changed". */
void                 teren_field_row_set_value      (TerenFieldRow         *self,
                                                     JsonNode              *value);
/* Convenience for string values (choices take a code, dates ISO or zz.ll.aaaa). */
void                 teren_field_row_set_string     (TerenFieldRow         *self,
                                                     const char            *value);

/* The editable of text-like fields (an AdwEntryRow), or %NULL. (transfer none) */
GtkEditable         *teren_field_row_get_editable   (TerenFieldRow         *self);

/* The editor of attachment fields, or %NULL. (transfer none) */
TerenAttachmentList *teren_field_row_get_attachment_list (TerenFieldRow   *self);

/* For reference fields: the title shown for the chosen record. */
void                 teren_field_row_set_reference_title (TerenFieldRow    *self,
                                                          const char       *title);

void                 teren_field_row_set_message    (TerenFieldRow         *self,
                                                     TerenFieldMessageKind  kind,
                                                     const char            *message);
TerenFieldMessageKind teren_field_row_get_message_kind (TerenFieldRow      *self);
const char          *teren_field_row_get_message    (TerenFieldRow         *self);

G_END_DECLS
