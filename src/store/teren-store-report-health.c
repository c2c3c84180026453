/* teren-store-report-health.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-store-report-private.h"

/* Monthly figures of the medical and care lines (community_health, school_health,
 * disability). See teren-store-report-private.h. */

const TerenReportHook teren_report_hooks_health[] = {
  { NULL, NULL },
};
