/* teren-error.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "teren-error.h"

G_DEFINE_QUARK (teren-error-quark, teren_error)
