/* teren-docs-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-document.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* Shared inside src/docs (teren-official-documents.c): the label–value rows of every
 * non-empty field of @record, and today's date as printed (zz.ll.aaaa). */
void  teren_docs_add_record_fields (TerenDocument *doc,
                                    TerenStore    *store,
                                    TerenRecord   *record);
char *teren_docs_today_display     (void);

G_END_DECLS
