/* teren-form.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-field-row.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* How long after the last change a draft is written (DESIGN.md: within a second). */
#define TEREN_FORM_DRAFT_DELAY_MS     500
/* How long typing must pause before duplicates are looked up. */
#define TEREN_FORM_DUPLICATE_DELAY_MS 300

#define TEREN_TYPE_FORM (teren_form_get_type ())

G_DECLARE_FINAL_TYPE (TerenForm, teren_form, TEREN, FORM, GtkWidget)

/* A form page (DESIGN.md "Forms"): loads ui/forms/<line>/<kind>.ui, binds each
 * TerenFieldRow in it to a record or a new record of @kind, validates inline, writes a
 * draft of every change within a second, and saves with the "form.save" action (Ctrl+S).
 * "form.cancel" discards the draft, asking first if anything was changed.
 *
 * Signals: "saved" (TerenRecord *), "closed" (), "open-record" (const char *id),
 * "add-toast" (AdwToast *). */

/* @record: (nullable): the record to edit, %NULL for a new one. */
TerenForm     *teren_form_new              (TerenStore  *store,
                                            const char  *kind,
                                            const char  *line,
                                            TerenRecord *record);
/* Reopens a draft: @fields are the values the form had (transfer none). */
TerenForm     *teren_form_new_from_draft   (TerenStore  *store,
                                            const char  *draft_key,
                                            const char  *kind,
                                            const char  *line,
                                            TerenRecord *record,
                                            JsonObject  *fields);

const char    *teren_form_get_kind         (TerenForm   *self);
const char    *teren_form_get_line         (TerenForm   *self);
TerenRecord   *teren_form_get_record       (TerenForm   *self);
const char    *teren_form_get_draft_key    (TerenForm   *self);
gboolean       teren_form_get_dirty        (TerenForm   *self);
gboolean       teren_form_get_busy         (TerenForm   *self);
TerenFieldRow *teren_form_get_field        (TerenForm   *self,
                                            const char  *key);
/* The values of every field, null for empty ones (transfer full). */
JsonObject    *teren_form_collect          (TerenForm   *self);
/* Prefills a field (e.g. the household of a new membership), as the user would. */
void           teren_form_set_string       (TerenForm   *self,
                                            const char  *key,
                                            const char  *value);
/* The duplicate warning shown, or %NULL. */
const char    *teren_form_get_duplicate_text (TerenForm *self);
const char    *teren_form_get_duplicate_id   (TerenForm *self);
/* Validates what is typed and shows the messages; %TRUE when there is none. */
gboolean       teren_form_validate         (TerenForm   *self);

void           teren_form_focus_first_field (TerenForm *self);

G_END_DECLS
