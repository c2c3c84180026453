/* teren-catagrafie.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "teren-record.h"

G_BEGIN_DECLS

/* Community medical assistance (DOMAIN.md §7): the beneficiary's status flow, the
 * catagrafie (vulnerability census of one person, dated and versioned) and the official
 * vulnerability codes it yields. Pure functions: no store, no I/O. */

#define TEREN_CATAGRAFIE_KIND   "community_health.catagrafie"
#define TEREN_AMC_BENEFICIARY_KIND "community_health.beneficiary"

/* ---- Beneficiary status ------------------------------------------------------------ */

typedef enum {
  TEREN_AMC_STATUS_REGISTERED,   /* înregistrat */
  TEREN_AMC_STATUS_CATAGRAFIED,  /* catagrafiat */
  TEREN_AMC_STATUS_ACTIVE,       /* activ */
  TEREN_AMC_STATUS_INACTIVE,     /* inactiv */
  TEREN_AMC_STATUS_REMOVED,      /* scos din evidență */
} TerenAmcStatus;

typedef enum {
  TEREN_AMC_EVENT_CATAGRAFIE,    /* a catagrafie was saved (automatic) */
  TEREN_AMC_EVENT_INTERVENTION,  /* an intervention was opened (automatic) */
  TEREN_AMC_EVENT_INACTIVATE,    /* needs a code of amc_inactivation_reason */
  TEREN_AMC_EVENT_REACTIVATE,
  TEREN_AMC_EVENT_REMOVE,        /* needs a code of removal_reason */
} TerenAmcEvent;

/* Codes of the amc_beneficiary_status nomenclature ("registered", "catagrafied",
 * "active", "inactive", "removed"). */
const char *teren_amc_status_to_code   (TerenAmcStatus  status);
gboolean    teren_amc_status_from_code (const char     *code,
                                        TerenAmcStatus *out_status);

/**
 * teren_amc_status_transition:
 * @from: the current status
 * @event: what happened
 * @reason: (nullable): the reason code for INACTIVATE and REMOVE (ignored otherwise)
 * @out_to: (out): the new status (may equal @from: e.g. a second catagrafie)
 * @error: TEREN_ERROR_INVALID with a translated message when the event is not allowed
 *   (anything on a removed beneficiary, inactivating an inactive one, reactivating one
 *   that is not inactive) or the reason is missing or not in its nomenclature
 *
 * registered → catagrafied after the first catagrafie; registered, catagrafied or
 * inactive → active when an intervention opens; → inactive with a reason; inactive →
 * active on reactivation; → removed with a reason; removed is final.
 */
gboolean    teren_amc_status_transition (TerenAmcStatus   from,
                                         TerenAmcEvent    event,
                                         const char      *reason,
                                         TerenAmcStatus  *out_to,
                                         GError         **error);

/* The patch to save on @beneficiary (a community_health.beneficiary record) for @event
 * on @today: status, status_changed_on and the reason field; an empty object when the
 * status does not change. NULL and @error as for teren_amc_status_transition.
 * (transfer full) */
JsonObject *teren_amc_beneficiary_patch (TerenRecord     *beneficiary,
                                         TerenAmcEvent    event,
                                         const char      *reason,
                                         const GDate     *today,
                                         GError         **error);

/* ---- Age ----------------------------------------------------------------------------- */

/* Age in whole years on @on (FALSE if @birth is after @on). */
gboolean    teren_age_years             (const GDate *birth,
                                         const GDate *on,
                                         int         *out_years);

/* The AGE category code on @on: VCV_00 (0–27 days), VCV_01 (under 1 year), VCV_02
 * (1–4), VCV_03 (5–13), VCV_04 (14–17), VCV_05 (18–64), VCV_06 (65 and over); NULL if
 * @birth is after @on. With @newborn FALSE, VCV_00 is reported as VCV_01 (the report's
 * age segments have no newborn column). */
const char *teren_amc_age_category      (const GDate *birth,
                                         const GDate *on,
                                         gboolean     newborn);

/* ---- Catagrafie ---------------------------------------------------------------------- */

/* TRUE for the REP codes that mean a current pregnancy (VGR_01 pregnant minor, VGR_04
 * pregnant adult): only then are the PREG answers asked. */
gboolean    teren_catagrafie_is_pregnancy (const char *rep_code);

/* TRUE if @code is a vulnerability: not a "none / not applicable / fine" code (_97, _98,
 * _99 suffixes, as the platform's is_valid column). */
gboolean    teren_amc_code_is_vulnerability (const char *code);

/* The "none" code of a multi-choice category (VLP_99 for amc_liv…), or NULL. */
const char *teren_amc_none_code          (const char *nomenclature);

/**
 * teren_catagrafie_codes:
 * @catagrafie: the fields of a community_health.catagrafie
 * @disabilities: (nullable) (element-type JsonObject): fields of its disability records
 * @diseases: (nullable) (element-type JsonObject): fields of its disease records
 *
 * Every official code the catagrafie holds, as the platform derives them: the cat_*
 * answers, VCS_01 for a social case, VDH_99 / VSG_99 when the person has no disability /
 * no health problem, each disability's type, degree and VDH_01 (certificate) or VDH_02,
 * each disease's type and group. Sorted, without duplicates.
 *
 * Returns: (transfer full) (element-type utf8): the codes
 */
GPtrArray  *teren_catagrafie_codes      (JsonObject *catagrafie,
                                         GPtrArray  *disabilities,
                                         GPtrArray  *diseases);

/* Appends to @errors (TerenFieldError) what the schema cannot see in a catagrafie: a
 * "none" code together with other codes of its category ("exclusive_choice"), pregnancy
 * answers when the reproductive answer is not a pregnancy ("not_applicable"). */
void        teren_catagrafie_check_fields (JsonObject *fields,
                                           GPtrArray  *errors);

/**
 * teren_catagrafie_new_version:
 * @previous: (nullable): the person's latest catagrafie, or %NULL for the first one
 * @person_id: the person
 * @birth_date: (nullable): the person's ISO birth date, for the age category
 * @on: the new assessment date
 *
 * The fields of a new catagrafie: the previous answers (shown and edited, history kept
 * in the previous record), `previous` pointing at it, `version` one more (1 for the
 * first), `evaluation_date` @on and `cat_age` derived from @birth_date.
 *
 * Returns: (transfer full): the new fields
 */
JsonObject *teren_catagrafie_new_version (TerenRecord *previous,
                                          const char  *person_id,
                                          const char  *birth_date,
                                          const GDate *on);

/* Of @catagrafii (TerenRecord, any order), the one of @person_id with the latest
 * evaluation_date not after @on (@on NULL: no limit); ties go to the higher version.
 * Deleted records are skipped. (transfer none) or NULL. */
TerenRecord *teren_catagrafie_latest    (GPtrArray   *catagrafii,
                                         const char  *person_id,
                                         const GDate *on);

G_END_DECLS
