/* teren-store-indicators.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-indicators.h"
#include "teren-store.h"

G_BEGIN_DECLS

/* The community-health indicators (teren-indicators.h) over the store's records. */

/* The records teren_indicators_compute() reads: community_health beneficiaries,
 * catagrafii, their disabilities and diseases, individual services, community activities,
 * and the persons they reference. (transfer full) (element-type TerenRecord) */
GPtrArray *teren_store_indicators_load   (TerenStore  *self,
                                          GError     **error);

/* teren_indicators_compute() for @year/@month over teren_store_indicators_load().
 * (transfer full) (element-type TerenIndicator), or NULL with @error. */
GPtrArray *teren_store_indicators_compute (TerenStore  *self,
                                           guint        year,
                                           guint        month,
                                           GError     **error);

G_END_DECLS
