/* teren-disk-encryption-private.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "teren-disk-encryption.h"

G_BEGIN_DECLS

/* The part of teren_disk_encryption_check after stat(): @path (absolute, symbolic links
 * resolved) lies on the device MAJOR:MINOR (its st_dev). Major 0 is looked up in
 * @mountinfo_path. Tests give fake trees and devices. */
TerenDiskEncryption teren_disk_encryption_check_dev   (const char *path,
                                                       guint       major,
                                                       guint       minor,
                                                       const char *sysfs_root,
                                                       const char *mountinfo_path);

/* The block device of the mount holding @path in @mountinfo_path: the mount's own
 * MAJ:MIN when its major is not 0, else its source's (when it is a block device under
 * /dev). FALSE when there is none. */
gboolean            teren_disk_encryption_mount_device (const char *path,
                                                        const char *mountinfo_path,
                                                        guint      *major,
                                                        guint      *minor);

G_END_DECLS
