/* teren-disk-encryption.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whether the disk under a folder is encrypted by the operating system. Teren does not
 * encrypt its store itself: the protection of a lost laptop is LUKS / dm-crypt (as the
 * Debian installer offers it) or an encrypted home (eCryptfs, fscrypt). */
typedef enum
{
  TEREN_DISK_ENCRYPTION_UNKNOWN = 0,  /* could not tell (tmpfs, network, unreadable sysfs) */
  TEREN_DISK_ENCRYPTED,
  TEREN_DISK_NOT_ENCRYPTED,
} TerenDiskEncryption;

/* Linux only, reads files (call it on a worker thread, or use the _async form).
 * eCryptfs or an fscrypt policy on @path: encrypted. Otherwise the block device holding
 * @path, found through @sysfs_root/dev/block/MAJ:MIN (NULL: "/sys"), or for a file
 * system without one (btrfs, overlay) through the mount holding @path in @mountinfo_path
 * (NULL: "/proc/self/mountinfo"): a dm-crypt device is encrypted, a device-mapper or md
 * device is encrypted when every device under it is, a plain disk or partition is not.
 * Anything unreadable gives TEREN_DISK_ENCRYPTION_UNKNOWN; @error is set (and UNKNOWN
 * returned) only when @path cannot be looked at (G_IO_ERROR_NOT_FOUND when it does not
 * exist). Thread-safe. */
TerenDiskEncryption teren_disk_encryption_check        (const char           *path,
                                                        const char           *sysfs_root,
                                                        const char           *mountinfo_path,
                                                        GError              **error);

/* The verdict for the block device MAJOR:MINOR alone, from @sysfs_root (NULL: "/sys"). */
TerenDiskEncryption teren_disk_encryption_check_device (guint                 major,
                                                        guint                 minor,
                                                        const char           *sysfs_root);

/* teren_disk_encryption_check (@path, NULL, NULL) on a thread of GIO's pool. */
void                teren_disk_encryption_check_async  (const char           *path,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
/* UNKNOWN with @error set when the check failed or was cancelled. */
TerenDiskEncryption teren_disk_encryption_check_finish (GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
