/* teren-record-picker.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_RECORD_PICKER (teren_record_picker_get_type ())

G_DECLARE_FINAL_TYPE (TerenRecordPicker, teren_record_picker, TEREN, RECORD_PICKER, AdwWindow)

/* A modal chooser for a reference field: a search entry over a lazy list of records of
 * one kind. Emits "chosen" (const char *id, const char *title) and closes. */
TerenRecordPicker *teren_record_picker_new        (TerenStore        *store,
                                                   const char        *kind);
GtkSearchEntry    *teren_record_picker_get_search (TerenRecordPicker *self);
GListModel        *teren_record_picker_get_model  (TerenRecordPicker *self);
void               teren_record_picker_choose     (TerenRecordPicker *self,
                                                   guint              position);

G_END_DECLS
