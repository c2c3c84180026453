/* teren-sar-document.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-document.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* The answer to a data-subject access request (GDPR art. 15, issue 7): everything the
 * store holds about one person. The JSON form is teren-cli's (teren-cli-sar.h); this is
 * the collection both share and the printed form. */

typedef enum {
  TEREN_SAR_MEMBERSHIPS,   /* household and family memberships of the person */
  TEREN_SAR_HOUSEHOLDS,    /* the households and families they point at */
  TEREN_SAR_CASES,         /* the person's cases */
  TEREN_SAR_RECORDS,       /* every other record about the person or those records */
  TEREN_SAR_N_SECTIONS
} TerenSarSection;

TerenSarSection teren_sar_section_of    (const char   *kind);

/* The person and every record about them: each record that references the person, and in
 * turn those records (a case's visits, a plan's items), then the households and families
 * the memberships name (not their other members: other persons' data). Deleted records are
 * left out, except the person. Blocking (SQLite): call it from a worker thread in the GUI.
 * Errors: TEREN_ERROR_NOT_FOUND for an unknown id, TEREN_ERROR_INVALID when @person_id is
 * not a person. @out_records: (element-type TerenRecord) (transfer full). */
gboolean        teren_sar_collect       (TerenStore   *store,
                                         const char   *person_id,
                                         TerenRecord **out_person,
                                         GPtrArray   **out_records,
                                         GError      **error);

/* The printed answer: the directorate's header, the date, the person's identity, then
 * every record grouped by section and kind, each with its field labels and values
 * (nomenclature labels, dates as zz.ll.aaaa, references by title); pages numbered.
 * Blocking. (transfer full) */
TerenDocument  *teren_sar_document_build (TerenStore  *store,
                                          const char  *person_id,
                                          GError     **error);

G_END_DECLS
