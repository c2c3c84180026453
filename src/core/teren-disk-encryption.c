/* teren-disk-encryption.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/fscrypt.h>

#include "teren-disk-encryption-private.h"

/* statfs f_type of eCryptfs (linux/magic.h: ECRYPTFS_SUPER_MAGIC). */
#define TEREN_ECRYPTFS_MAGIC 0xf15f
/* Stacked devices deeper than this (or a loop in a broken tree) give UNKNOWN. */
#define TEREN_DISK_MAX_DEPTH 16
/* dm/uuid of a device made by cryptsetup (LUKS1, LUKS2, plain, BitLocker, TrueCrypt). */
#define TEREN_DM_CRYPT_PREFIX "CRYPT-"

static const char *
verdict_name (TerenDiskEncryption verdict)
{
  switch (verdict)
    {
    case TEREN_DISK_ENCRYPTED:
      return "encrypted";
    case TEREN_DISK_NOT_ENCRYPTED:
      return "not encrypted";
    case TEREN_DISK_ENCRYPTION_UNKNOWN:
    default:
      return "unknown";
    }
}

/* An fscrypt policy on @path (an encrypted home or folder on ext4, f2fs, ubifs). ENODATA
 * (no policy), ENOTTY or EOPNOTSUPP (no fscrypt there) and any other failure: no. */
static gboolean
has_fscrypt_policy (const char *path)
{
  gboolean found = FALSE;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

  if (fd < 0)
    return FALSE;
#ifdef FS_IOC_GET_ENCRYPTION_POLICY_EX
  {
    struct fscrypt_get_policy_ex_arg arg;

    memset (&arg, 0, sizeof arg);
    arg.policy_size = sizeof arg.policy;
    if (ioctl (fd, FS_IOC_GET_ENCRYPTION_POLICY_EX, &arg) == 0)
      found = TRUE;
    else if (errno != ENOTTY)
      {
        close (fd);
        return FALSE;
      }
  }
#endif
  if (!found)
    {
      /* A kernel before 5.4 knows only the version 1 call. */
      struct fscrypt_policy_v1 policy;

      memset (&policy, 0, sizeof policy);
      found = ioctl (fd, FS_IOC_GET_ENCRYPTION_POLICY, &policy) == 0;
    }
  close (fd);
  return found;
}

/* A mountinfo field with its octal escapes (\040 space, \011 tab, \012 newline, \134
 * backslash) decoded. */
static char *
unescape_field (const char *field)
{
  GString *out = g_string_sized_new (strlen (field));
  const char *p;

  for (p = field; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
          p[3] >= '0' && p[3] <= '7')
        {
          g_string_append_c (out, (char) (((p[1] - '0') << 6) | ((p[2] - '0') << 3) | (p[3] - '0')));
          p += 3;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Whether the mount point @mount_point holds @path (both absolute). */
static gboolean
mount_holds (const char *mount_point,
             const char *path)
{
  size_t len = strlen (mount_point);

  if (strcmp (mount_point, "/") == 0)
    return path[0] == '/';
  if (strncmp (mount_point, path, len) != 0)
    return FALSE;
  return path[len] == '\0' || path[len] == '/';
}

gboolean
teren_disk_encryption_mount_device (const char *path,
                                    const char *mountinfo_path,
                                    guint      *major_out,
                                    guint      *minor_out)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *best_dev = NULL;
  g_autofree char *best_source = NULL;
  gsize best_len = 0;
  gboolean found = FALSE;
  guint maj = 0;
  guint min = 0;
  guint i;

  g_return_val_if_fail (path != NULL, FALSE);

  if (mountinfo_path == NULL)
    mountinfo_path = "/proc/self/mountinfo";
  if (!g_file_get_contents (mountinfo_path, &contents, NULL, NULL))
    return FALSE;

  /* "36 35 98:0 /root /mount/point options [optional fields] - fstype source super-options";
   * of the mounts holding @path the longest mount point wins, and of equal ones the last
   * (mounted on top). */
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", -1);
      g_autofree char *mount_point = NULL;
      guint n = g_strv_length (fields);
      guint sep;

      if (n < 7)
        continue;
      for (sep = 6; sep < n && strcmp (fields[sep], "-") != 0; sep++)
        ;
      if (sep + 2 >= n)
        continue;
      mount_point = unescape_field (fields[4]);
      if (!mount_holds (mount_point, path) || strlen (mount_point) < best_len)
        continue;
      best_len = strlen (mount_point);
      g_free (best_dev);
      best_dev = g_strdup (fields[2]);
      g_free (best_source);
      best_source = unescape_field (fields[sep + 2]);
      found = TRUE;
    }
  if (!found)
    return FALSE;

  if (sscanf (best_dev, "%u:%u", &maj, &min) == 2 && maj != 0)
    {
      *major_out = maj;
      *minor_out = min;
      return TRUE;
    }
  /* btrfs and the like show an anonymous 0:N: their source names the device. */
  if (g_str_has_prefix (best_source, "/dev/"))
    {
      struct stat st;

      if (stat (best_source, &st) == 0 && S_ISBLK (st.st_mode) && major (st.st_rdev) != 0)
        {
          *major_out = major (st.st_rdev);
          *minor_out = minor (st.st_rdev);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
folder_has (const char *folder,
            const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* @folder: a block device's folder in sysfs (symbolic links resolved). */
static TerenDiskEncryption
check_folder (const char *folder,
              guint       depth)
{
  g_autofree char *uuid_path = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *slaves_path = NULL;
  g_autoptr(GDir) slaves = NULL;

  if (depth > TEREN_DISK_MAX_DEPTH || !folder_has (folder, "dev"))
    return TEREN_DISK_ENCRYPTION_UNKNOWN;

  uuid_path = g_build_filename (folder, "dm", "uuid", NULL);
  if (g_file_get_contents (uuid_path, &uuid, NULL, NULL) &&
      g_str_has_prefix (uuid, TEREN_DM_CRYPT_PREFIX))
    return TEREN_DISK_ENCRYPTED;

  /* A loop device's backing file lies on another file system. */
  if (folder_has (folder, "loop"))
    return TEREN_DISK_ENCRYPTION_UNKNOWN;

  /* LVM, md RAID, any other stacked device: encrypted only if all under it is. */
  slaves_path = g_build_filename (folder, "slaves", NULL);
  slaves = g_dir_open (slaves_path, 0, NULL);
  if (slaves != NULL)
    {
      TerenDiskEncryption verdict = TEREN_DISK_ENCRYPTED;
      const char *name;
      guint n = 0;

      while ((name = g_dir_read_name (slaves)) != NULL)
        {
          g_autofree char *link = g_build_filename (slaves_path, name, NULL);
          g_autofree char *child = realpath (link, NULL);
          TerenDiskEncryption sub;

          n++;
          sub = child != NULL ? check_folder (child, depth + 1) : TEREN_DISK_ENCRYPTION_UNKNOWN;
          if (sub == TEREN_DISK_NOT_ENCRYPTED)
            verdict = TEREN_DISK_NOT_ENCRYPTED;
          else if (sub == TEREN_DISK_ENCRYPTION_UNKNOWN && verdict == TEREN_DISK_ENCRYPTED)
            verdict = TEREN_DISK_ENCRYPTION_UNKNOWN;
        }
      if (n > 0)
        return verdict;
    }

  /* A partition: what holds it is the disk in the folder above. */
  if (folder_has (folder, "partition"))
    {
      g_autofree char *parent = g_path_get_dirname (folder);

      return check_folder (parent, depth + 1);
    }

  return TEREN_DISK_NOT_ENCRYPTED;
}

TerenDiskEncryption
teren_disk_encryption_check_device (guint       maj,
                                    guint       min,
                                    const char *sysfs_root)
{
  g_autofree char *link = NULL;
  g_autofree char *folder = NULL;

  link = g_strdup_printf ("%s/dev/block/%u:%u", sysfs_root != NULL ? sysfs_root : "/sys", maj, min);
  folder = realpath (link, NULL);
  if (folder == NULL)
    return TEREN_DISK_ENCRYPTION_UNKNOWN;
  return check_folder (folder, 0);
}

TerenDiskEncryption
teren_disk_encryption_check_dev (const char *path,
                                 guint       maj,
                                 guint       min,
                                 const char *sysfs_root,
                                 const char *mountinfo_path)
{
  g_return_val_if_fail (path != NULL, TEREN_DISK_ENCRYPTION_UNKNOWN);

  /* No block device of its own (btrfs, overlay, tmpfs, network): the mount's. */
  if (maj == 0 && !teren_disk_encryption_mount_device (path, mountinfo_path, &maj, &min))
    return TEREN_DISK_ENCRYPTION_UNKNOWN;
  return teren_disk_encryption_check_device (maj, min, sysfs_root);
}

TerenDiskEncryption
teren_disk_encryption_check (const char  *path,
                             const char  *sysfs_root,
                             const char  *mountinfo_path,
                             GError     **error)
{
  TerenDiskEncryption verdict;
  struct stat st;
  struct statfs fs;

  g_return_val_if_fail (path != NULL, TEREN_DISK_ENCRYPTION_UNKNOWN);
  g_return_val_if_fail (error == NULL || *error == NULL, TEREN_DISK_ENCRYPTION_UNKNOWN);

  if (stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot look at the folder: %s", g_strerror (saved_errno));
      return TEREN_DISK_ENCRYPTION_UNKNOWN;
    }

  if (statfs (path, &fs) == 0 && fs.f_type == TEREN_ECRYPTFS_MAGIC)
    verdict = TEREN_DISK_ENCRYPTED;
  else if (has_fscrypt_policy (path))
    verdict = TEREN_DISK_ENCRYPTED;
  else
    {
      g_autofree char *real = realpath (path, NULL);

      if (real == NULL)
        real = g_canonicalize_filename (path, NULL);
      verdict = teren_disk_encryption_check_dev (real, major (st.st_dev), minor (st.st_dev),
                                                 sysfs_root, mountinfo_path);
    }
  g_debug ("Disk encryption of device %u:%u: %s",
           (guint) major (st.st_dev), (guint) minor (st.st_dev), verdict_name (verdict));
  return verdict;
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  TerenDiskEncryption verdict = teren_disk_encryption_check (task_data, NULL, NULL, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, verdict);
}

void
teren_disk_encryption_check_async (const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, teren_disk_encryption_check_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, check_thread);
}

TerenDiskEncryption
teren_disk_encryption_check_finish (GAsyncResult  *result,
                                    GError       **error)
{
  gssize verdict;

  g_return_val_if_fail (g_task_is_valid (result, NULL), TEREN_DISK_ENCRYPTION_UNKNOWN);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == teren_disk_encryption_check_async,
                        TEREN_DISK_ENCRYPTION_UNKNOWN);

  verdict = g_task_propagate_int (G_TASK (result), error);
  if (verdict < 0)
    return TEREN_DISK_ENCRYPTION_UNKNOWN;
  return (TerenDiskEncryption) verdict;
}
