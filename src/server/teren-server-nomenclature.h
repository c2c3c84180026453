/* teren-server-nomenclature.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads a server-managed list from CSV (`teren-server nomenclature import`): "siruta"
 * (the INS columns or code,name,county,parent,environment,postal_code), "icd10"
 * (code,name) or any KIND (code,name plus extra columns). Text is canonicalised
 * (cedilla → comma below, NFC, trimmed; case kept). The whole file is checked: the first
 * bad row fails with TEREN_ERROR_INVALID naming its line, and nothing is returned.
 *
 * Returns: (transfer full) (element-type JsonObject): one object per row, with "code" */
GPtrArray *teren_server_nomenclature_parse_csv (const char  *kind,
                                                const char  *data,
                                                gsize        length,
                                                GError     **error);

/* Whether @kind is an acceptable list name: 1–64 of [a-z0-9_]. */
gboolean   teren_server_nomenclature_kind_is_valid (const char *kind);

G_END_DECLS
