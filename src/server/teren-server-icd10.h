/* teren-server-icd10.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The ICD-10 list imported by the admin (`teren-server nomenclature import icd10 FILE`)
 * as the validator's lookup (teren_health_set_icd10_lookup): a diagnosis code missing
 * from it is rejected on push ("unknown_icd10"); without a list only the code's shape is
 * checked. The lookup reads the server database in @data_dir on its own read-only
 * connection, so a list imported while the server runs applies to the next push. */
gboolean teren_server_icd10_install   (const char  *data_dir,
                                       GError     **error);
void     teren_server_icd10_uninstall (void);

G_END_DECLS
