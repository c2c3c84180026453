/* teren-official-documents.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-document.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* The official documents of issue 7, built from local records:
 *
 *   social-inquiry  ID of a child.social_inquiry (all nine parts, family table)
 *   service-plan    ID of a child.service_plan or a plan (its objectives as a table)
 *   care-plan       ID of an elderly.care_plan (its services as a table)
 *   hg886           ID of an elderly.assessment (HG 886/2000 grid)
 *   signal          ID of a child.signal (fișă de semnalare)
 *   canteen-list    YYYY-MM: the canteen's beneficiaries entitled in the month
 *   timesheet       ID of a disability.timesheet (personal assistant, one month)
 *   chc-report      YYYY-MM: the community-health monthly report
 *   pupil-summary   ID of a school_health.pupil_record
 *
 * Errors: TEREN_ERROR_INVALID for an unknown document kind, a bad month or a record of
 * another kind than the document needs; TEREN_ERROR_NOT_FOUND for an unknown id. */

typedef struct {
  const char *name;      /* "social-inquiry" */
  const char *argument;  /* "ID" or "YYYY-MM", for --help */
  const char *summary;   /* N_(): the document and what it is made from, for --help */
} TerenOfficialDocumentKind;

const TerenOfficialDocumentKind *teren_official_document_kinds (guint *n_kinds);

/* The document kind printed for a record of @record_kind, or NULL when it has none. */
const char    *teren_official_document_kind_for_record (const char *record_kind);

/* The directorate's header as configured (GSettings ro.daps.Teren: directorate-name,
 * -address, -logo), or empty strings when the schema is not installed. (transfer full) */
void           teren_official_document_read_header (char **out_name,
                                                    char **out_address,
                                                    char **out_logo);

TerenDocument *teren_official_document_build (TerenStore  *store,
                                              const char  *document_kind,
                                              const char  *argument,
                                              GError     **error);

G_END_DECLS
