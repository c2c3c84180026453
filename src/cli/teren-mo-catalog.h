/* teren-mo-catalog.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A read-only view of one compiled gettext catalog (.mo), independent of the process
 * locale. The CSV import uses the Romanian catalog to accept Romanian column titles and
 * choice labels even when the program runs in English or in the C locale. */

typedef struct _TerenMoCatalog TerenMoCatalog;

/* Loads @path; TEREN_ERROR_IO if it cannot be read, TEREN_ERROR_CORRUPT if it is not a
 * valid .mo file. */
TerenMoCatalog *teren_mo_catalog_new_from_file (const char     *path,
                                                GError        **error);

/* The catalog of @language ("ro") for the "teren" domain, looked up in
 * $TEREN_LOCALEDIR, then in the installed locale directory. %NULL when there is none
 * (the caller then falls back to the current locale's translations). */
TerenMoCatalog *teren_mo_catalog_new_for_language (const char  *language);

void            teren_mo_catalog_free          (TerenMoCatalog *catalog);

/* The translation of @msgid (the first form for plural entries), or %NULL when the
 * catalog has none. (transfer none) */
const char     *teren_mo_catalog_lookup        (TerenMoCatalog *catalog,
                                                const char     *msgid);

guint           teren_mo_catalog_get_size      (TerenMoCatalog *catalog);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TerenMoCatalog, teren_mo_catalog_free)

G_END_DECLS
