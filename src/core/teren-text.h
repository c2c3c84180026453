/* teren-text.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * teren_text_normalize:
 * @text: valid UTF-8
 *
 * What every stored string goes through on save and import (DOMAIN.md §C3): cedilla
 * ş ţ Ş Ţ (U+015F U+0163 U+015E U+0162, and s/t + U+0327) become comma-below ș ț Ș Ț,
 * then NFC; leading and trailing white space trimmed. Case is kept.
 *
 * Returns: (transfer full): the canonical text
 */
char     *teren_text_normalize         (const char *text);

/**
 * teren_text_fold:
 * @text: valid UTF-8
 *
 * The search key: canonicalised, lower case, every diacritic removed (ă â î ș ț and
 * their cedilla forms all fold), runs of white space, hyphens and punctuation collapsed
 * to one space, trimmed. "Ştefănescu-Ţepeş  Ana" → "stefanescu tepes ana".
 *
 * Returns: (transfer full): the folded text
 */
char     *teren_text_fold              (const char *text);

/* TRUE if @text holds C0/C1 control characters other than \t \n \r (never allowed in
 * single-line fields; long text allows \n and \t). */
gboolean  teren_text_has_control_chars (const char *text,
                                        gboolean    allow_newlines);

/* Number of characters (not bytes). */
glong     teren_text_length            (const char *text);

/* Compare two names for sorting lists the Romanian way (after canonicalisation,
 * ă after a, ș after s…). Returns <0, 0, >0. */
int       teren_text_collate           (const char *a,
                                        const char *b);

/* A sort key with the same order as teren_text_collate(), for SQLite ORDER BY. */
char     *teren_text_collate_key       (const char *text);

G_END_DECLS
