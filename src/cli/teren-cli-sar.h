/* teren-cli-sar.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-store.h"

G_BEGIN_DECLS

/* The answer to a data-subject access request (GDPR art. 15, issue 7): everything the
 * store holds about one person, as pretty JSON:
 *
 *   {"format": "teren-subject-access/1", "generated_at": "...Z", "person_id": ID,
 *    "person": R, "memberships": [R], "households": [R], "cases": [R], "records": [R]}
 *
 * where each R is the record (teren_record_to_json) with a "history" member: its local
 * changes (teren_store_list_history). memberships are the person's household and family
 * memberships, households the households and families they point at (not the other
 * members), cases the person's cases, records every other record that references the
 * person, one of the person's cases or one of those records in turn. Deleted records are
 * left out, except the person.
 *
 * Errors: TEREN_ERROR_NOT_FOUND for an unknown id, TEREN_ERROR_INVALID when @person_id
 * is not a person. (transfer full) */
GBytes *teren_cli_sar_export_json (TerenStore  *store,
                                   const char  *person_id,
                                   GError     **error);

G_END_DECLS
