/* teren-due-health.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "teren-due-private.h"

/* Due rules of the medical and care lines: community medical assistance, school medical
 * cabinets, disability and personal assistants (DOMAIN.md §6–8). See teren-due-private.h. */

const TerenDueRule teren_due_rules_health[] = {
  { NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, FALSE, NULL },
};
