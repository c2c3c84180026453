/* teren-nomenclature-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-nomenclature.h"

G_BEGIN_DECLS

/* Extra built-in tables, each ended by an entry whose name is NULL: the social service
 * lines (teren-nomenclature-social.c) and the medical and care lines
 * (teren-nomenclature-health.c). teren-nomenclature.c joins them to its own. */
extern const TerenNomenclature teren_nomenclatures_social[];
extern const TerenNomenclature teren_nomenclatures_health[];

G_END_DECLS
