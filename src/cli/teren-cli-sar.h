/* teren-cli-sar.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-store.h"

G_BEGIN_DECLS

/* With @attachments (nullable, element-type TerenSarAttachment, from
 * teren_cli_sar_export_attachments()): a member "attachments": [{"blob", "name", "mime",
 * "size", "records": [ids], "status": "saved"|"missing"|"damaged", "file": name in the
 * folder or null, "reason" when not saved}], and each attachment object inside the records'
 * fields gets "file" too. */

/* The answer to a data-subject access request (GDPR art. 15, issue 7): everything the
 * store holds about one person (@person and @records from teren_sar_collect()), as pretty
 * JSON:
 *
 *   {"format": "teren-subject-access/1", "generated_at": "...Z", "person_id": ID,
 *    "person": R, "memberships": [R], "households": [R], "cases": [R], "records": [R]}
 *
 * where each R is the record (teren_record_to_json) with a "history" member: its local
 * changes (teren_store_list_history). memberships are the person's household and family
 * memberships, households the households and families they point at (not the other
 * members), cases the person's cases, records every other record that references the
 * person, one of the person's cases or one of those records in turn. Deleted records are
 * left out, except the person. @records: (element-type TerenRecord).
 *
 * Errors: the store's, reading a record's history. (transfer full) */
GBytes *teren_cli_sar_export_json (TerenStore   *store,
                                   TerenRecord  *person,
                                   GPtrArray    *records,
                                   GPtrArray    *attachments,
                                   GError      **error);

/* `export --person ID --attachments DIR`: copies every file attached to @person and
 * @records (teren_sar_collect()) into @dir (teren_sar_write_attachments(): a new or empty folder made 0700, files
 * 0600 with safe unique names, each blob once, checked against its SHA-256), downloading
 * first, through the account's sync engine, what is not on this computer yet. Prints
 * what is not included (blob and record ids, never names) on the standard error.
 * @out_attachments: (element-type TerenSarAttachment): what happened to each, for the JSON.
 * Returns TEREN_CLI_EXIT_OK when all are there; TEREN_CLI_EXIT_INCOMPLETE when some could
 * not be downloaded (offline, not signed in); TEREN_CLI_EXIT_ERROR when a copy here is
 * damaged (never exported) or on errors (then *@out_attachments is NULL when nothing was
 * written). */
int     teren_cli_sar_export_attachments (TerenStore   *store,
                                          TerenRecord  *person,
                                          GPtrArray    *records,
                                          const char   *dir,
                                          GPtrArray   **out_attachments);

G_END_DECLS
