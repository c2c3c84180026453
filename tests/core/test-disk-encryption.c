/* test-disk-encryption.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whether the disk under Teren's data is encrypted: fake sysfs trees (real folders and
 * symbolic links in a temporary folder, laid out as the kernel lays out /sys/dev/block and
 * /sys/devices) and fake mountinfo files, then the real /sys for the test's own folder.
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "teren-disk-encryption.h"
#include "teren-disk-encryption-private.h"

typedef struct
{
  char *root;    /* the temporary folder */
  char *sysfs;   /* root/sys */
} Fixture;

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* A block device's folder sys/devices/@rel with its "dev" file, and the link
 * sys/dev/block/@dev to it, relative as the kernel makes it. */
static char *
add_device (Fixture    *fixture,
            const char *rel,
            const char *dev)
{
  g_autofree char *folder = g_build_filename (fixture->sysfs, "devices", rel, NULL);
  g_autofree char *dev_file = g_build_filename (folder, "dev", NULL);
  g_autofree char *contents = g_strdup_printf ("%s\n", dev);
  g_autofree char *block = g_build_filename (fixture->sysfs, "dev", "block", NULL);
  g_autofree char *link = g_build_filename (block, dev, NULL);
  g_autofree char *target = g_build_filename ("..", "..", "devices", rel, NULL);

  write_file (dev_file, contents);
  g_assert_cmpint (g_mkdir_with_parents (block, 0700), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);
  return g_steal_pointer (&folder);
}

static void
add_file (const char *folder,
          const char *name,
          const char *contents)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  write_file (path, contents);
}

/* @holder/slaves/<basename of @slave> -> @slave, as dm and md devices list what they use. */
static void
add_slave (const char *holder,
           const char *slave)
{
  g_autofree char *slaves = g_build_filename (holder, "slaves", NULL);
  g_autofree char *name = g_path_get_basename (slave);
  g_autofree char *link = g_build_filename (slaves, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (slaves, 0700), ==, 0);
  g_assert_cmpint (symlink (slave, link), ==, 0);
}

static char *
add_dm (Fixture    *fixture,
        const char *name,
        const char *dev,
        const char *uuid)
{
  g_autofree char *rel = g_build_filename ("virtual", "block", name, NULL);
  g_autofree char *folder = add_device (fixture, rel, dev);
  g_autofree char *uuid_line = g_strdup_printf ("%s\n", uuid);

  add_file (folder, "dm/uuid", uuid_line);
  return g_steal_pointer (&folder);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_assert_cmpint (g_unlink (path), ==, 0);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* The machine of the tests: disk sda (8:0) with partitions sda1 (plain), sda2 (LUKS2,
 * opened as dm-0 254:0, with LVM dm-1 254:1 on it), sda3 (LVM dm-2 254:2 straight on
 * it); disk sdb (8:16) with sdb1 (plain) and sdb2 (LUKS, dm-5 254:5); disk sdc (8:32)
 * with sdc1 (LUKS, dm-4 254:4) and the LUKS dm-3 254:3 on sdc2; an md RAID1 md0 (9:0)
 * over dm-3 and dm-4 (both LUKS); an md RAID1 md1 (9:1) over dm-5 (LUKS) and sdb1
 * (plain); a loop device loop0 (7:0). */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sda = NULL;
  g_autofree char *sda1 = NULL;
  g_autofree char *sda2 = NULL;
  g_autofree char *sda3 = NULL;
  g_autofree char *sdb = NULL;
  g_autofree char *sdb1 = NULL;
  g_autofree char *sdb2 = NULL;
  g_autofree char *sdc = NULL;
  g_autofree char *sdc1 = NULL;
  g_autofree char *sdc2 = NULL;
  g_autofree char *dm0 = NULL;
  g_autofree char *dm1 = NULL;
  g_autofree char *dm2 = NULL;
  g_autofree char *dm3 = NULL;
  g_autofree char *dm4 = NULL;
  g_autofree char *dm5 = NULL;
  g_autofree char *md0 = NULL;
  g_autofree char *md1 = NULL;
  g_autofree char *loop0 = NULL;

  fixture->root = g_dir_make_tmp ("teren-disk-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->sysfs = g_build_filename (fixture->root, "sys", NULL);

  sda = add_device (fixture, "pci0000:00/0000:00:1f.2/ata1/host0/block/sda", "8:0");
  sda1 = add_device (fixture, "pci0000:00/0000:00:1f.2/ata1/host0/block/sda/sda1", "8:1");
  sda2 = add_device (fixture, "pci0000:00/0000:00:1f.2/ata1/host0/block/sda/sda2", "8:2");
  sda3 = add_device (fixture, "pci0000:00/0000:00:1f.2/ata1/host0/block/sda/sda3", "8:3");
  add_file (sda1, "partition", "1\n");
  add_file (sda2, "partition", "2\n");
  add_file (sda3, "partition", "3\n");
  sdb = add_device (fixture, "pci0000:00/0000:00:1f.2/ata2/host1/block/sdb", "8:16");
  sdb1 = add_device (fixture, "pci0000:00/0000:00:1f.2/ata2/host1/block/sdb/sdb1", "8:17");
  sdb2 = add_device (fixture, "pci0000:00/0000:00:1f.2/ata2/host1/block/sdb/sdb2", "8:18");
  add_file (sdb1, "partition", "1\n");
  add_file (sdb2, "partition", "2\n");
  sdc = add_device (fixture, "pci0000:00/0000:00:1f.2/ata3/host2/block/sdc", "8:32");
  sdc1 = add_device (fixture, "pci0000:00/0000:00:1f.2/ata3/host2/block/sdc/sdc1", "8:33");
  sdc2 = add_device (fixture, "pci0000:00/0000:00:1f.2/ata3/host2/block/sdc/sdc2", "8:34");
  add_file (sdc1, "partition", "1\n");
  add_file (sdc2, "partition", "2\n");

  dm0 = add_dm (fixture, "dm-0", "254:0", "CRYPT-LUKS2-1f0c4a8e2b7d4c11a0e3d5b6c7f80912-luks-1f0c4a8e");
  add_slave (dm0, sda2);
  dm1 = add_dm (fixture, "dm-1", "254:1", "LVM-k3Jd0aZbQeXc1vF2gH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ3aB4cD5eF6gH7iJ8kL9");
  add_slave (dm1, dm0);
  dm2 = add_dm (fixture, "dm-2", "254:2", "LVM-a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6a7B8c9D0e1F2");
  add_slave (dm2, sda3);
  dm3 = add_dm (fixture, "dm-3", "254:3", "CRYPT-LUKS1-0a1b2c3d4e5f60718293a4b5c6d7e8f9-raid-a");
  add_slave (dm3, sdc2);
  dm4 = add_dm (fixture, "dm-4", "254:4", "CRYPT-LUKS2-9f8e7d6c5b4a39281706f5e4d3c2b1a0-raid-b");
  add_slave (dm4, sdc1);
  dm5 = add_dm (fixture, "dm-5", "254:5", "CRYPT-LUKS2-11112222333344445555666677778888-half");
  add_slave (dm5, sdb2);

  md0 = add_device (fixture, "virtual/block/md0", "9:0");
  add_file (md0, "md/level", "raid1\n");
  add_slave (md0, dm3);
  add_slave (md0, dm4);
  md1 = add_device (fixture, "virtual/block/md1", "9:1");
  add_file (md1, "md/level", "raid1\n");
  add_slave (md1, dm5);
  add_slave (md1, sdb1);

  loop0 = add_device (fixture, "virtual/block/loop0", "7:0");
  add_file (loop0, "loop/backing_file", "/var/tmp/disk.img\n");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->root);
  g_free (fixture->sysfs);
  g_free (fixture->root);
}

static void
test_luks_partition (Fixture       *fixture,
                     gconstpointer  data)
{
  /* ext4 straight on the LUKS mapping of sda2. */
  g_assert_cmpint (teren_disk_encryption_check_device (254, 0, fixture->sysfs), ==, TEREN_DISK_ENCRYPTED);
  /* The partition itself, read without the mapping, is plain. */
  g_assert_cmpint (teren_disk_encryption_check_device (8, 2, fixture->sysfs), ==, TEREN_DISK_NOT_ENCRYPTED);
}

static void
test_lvm_on_luks (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_cmpint (teren_disk_encryption_check_device (254, 1, fixture->sysfs), ==, TEREN_DISK_ENCRYPTED);
}

static void
test_lvm_on_plain (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpint (teren_disk_encryption_check_device (254, 2, fixture->sysfs), ==, TEREN_DISK_NOT_ENCRYPTED);
}

static void
test_plain_partition (Fixture       *fixture,
                      gconstpointer  data)
{
  g_assert_cmpint (teren_disk_encryption_check_device (8, 1, fixture->sysfs), ==, TEREN_DISK_NOT_ENCRYPTED);
  /* The whole plain disk too. */
  g_assert_cmpint (teren_disk_encryption_check_device (8, 0, fixture->sysfs), ==, TEREN_DISK_NOT_ENCRYPTED);
}

static void
test_md_raid (Fixture       *fixture,
              gconstpointer  data)
{
  /* Both halves LUKS. */
  g_assert_cmpint (teren_disk_encryption_check_device (9, 0, fixture->sysfs), ==, TEREN_DISK_ENCRYPTED);
  /* One half LUKS, the other a plain partition: the records lie in clear on sdb1. */
  g_assert_cmpint (teren_disk_encryption_check_device (9, 1, fixture->sysfs), ==, TEREN_DISK_NOT_ENCRYPTED);
}

static void
test_unknown_devices (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *dm6 = NULL;
  g_autofree char *dm7 = NULL;
  g_autofree char *dangling = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *empty_link = NULL;

  /* No /dev/block entry. */
  g_assert_cmpint (teren_disk_encryption_check_device (8, 99, fixture->sysfs), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);
  /* No sysfs at all. */
  g_assert_cmpint (teren_disk_encryption_check_device (254, 0, "/nonexistent-sysfs"), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);
  /* A loop device: its backing file lies elsewhere. */
  g_assert_cmpint (teren_disk_encryption_check_device (7, 0, fixture->sysfs), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);

  /* LVM over a slave whose link leads nowhere. */
  dm6 = add_dm (fixture, "dm-6", "254:6", "LVM-dangling");
  dangling = g_build_filename (fixture->sysfs, "devices", "virtual", "block", "gone", NULL);
  add_slave (dm6, dangling);
  g_assert_cmpint (teren_disk_encryption_check_device (254, 6, fixture->sysfs), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);

  /* A folder without its "dev" file is no device folder. */
  empty = g_build_filename (fixture->sysfs, "devices", "virtual", "block", "odd", NULL);
  empty_link = g_build_filename (fixture->sysfs, "dev", "block", "254:8", NULL);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  g_assert_cmpint (symlink (empty, empty_link), ==, 0);
  g_assert_cmpint (teren_disk_encryption_check_device (254, 8, fixture->sysfs), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);

  /* Two devices listing each other (a broken tree) end, unknown. */
  dm7 = add_dm (fixture, "dm-7", "254:7", "LVM-loop");
  add_slave (dm7, dm6);
  add_slave (dm6, dm7);
  g_assert_cmpint (teren_disk_encryption_check_device (254, 7, fixture->sysfs), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);
}

static char *
write_mountinfo (Fixture    *fixture,
                 const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->root, "mountinfo", NULL);

  write_file (path, contents);
  return g_steal_pointer (&path);
}

/* btrfs, overlay, tmpfs: st_dev has major 0, the mount tells the device. */
static void
test_mountinfo (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *mountinfo = write_mountinfo (fixture,
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    "30 22 254:1 / /home/ana\\040maria rw,relatime shared:2 master:1 - ext4 /dev/mapper/vg-home rw\n"
    "31 30 0:45 / /home/ana\\040maria/tmp rw,nosuid,nodev - tmpfs tmpfs rw,size=1024k\n"
    "32 22 254:2 / /home/ana rw,relatime - ext4 /dev/mapper/vg-plain rw\n"
    "33 22 0:50 / /srv/btrfs rw - btrfs /dev/null rw\n"
    "34 22 0:51 / /srv/nfs rw - nfs4 server:/export rw\n"
    "35 22 8:1 / /srv/stack rw - ext4 /dev/sda1 rw\n"
    "36 22 254:0 / /srv/stack rw - ext4 /dev/mapper/luks rw\n"
    "short line\n"
    "37 22 254:0 / /srv/no-separator rw ext4 /dev/mapper/luks rw\n"
    "\n");
  guint maj = 0;
  guint min = 0;

  /* The escaped mount point "/home/ana maria" (LVM on LUKS) holds the store... */
  g_assert_cmpint (teren_disk_encryption_check_dev ("/home/ana maria/.local/share/teren/local", 0, 40,
                                                    fixture->sysfs, mountinfo), ==, TEREN_DISK_ENCRYPTED);
  g_assert_cmpint (teren_disk_encryption_check_dev ("/home/ana maria", 0, 40,
                                                    fixture->sysfs, mountinfo), ==, TEREN_DISK_ENCRYPTED);
  /* ...and "/home/ana" (LVM over a plain partition) holds only its own. */
  g_assert_cmpint (teren_disk_encryption_check_dev ("/home/ana/.local/share/teren/local", 0, 41,
                                                    fixture->sysfs, mountinfo), ==, TEREN_DISK_NOT_ENCRYPTED);
  /* Elsewhere the root on sda1. */
  g_assert_cmpint (teren_disk_encryption_check_dev ("/var/lib/teren", 0, 42,
                                                    fixture->sysfs, mountinfo), ==, TEREN_DISK_NOT_ENCRYPTED);
  /* Of two mounts on one point the last (on top) counts. */
  g_assert_cmpint (teren_disk_encryption_check_dev ("/srv/stack/teren", 0, 43,
                                                    fixture->sysfs, mountinfo), ==, TEREN_DISK_ENCRYPTED);
  g_assert_true (teren_disk_encryption_mount_device ("/srv/stack/teren", mountinfo, &maj, &min));
  g_assert_cmpuint (maj, ==, 254);
  g_assert_cmpuint (min, ==, 0);
  /* Lines without a separator or too short are skipped: the root holds that path. */
  g_assert_true (teren_disk_encryption_mount_device ("/srv/no-separator/x", mountinfo, &maj, &min));
  g_assert_cmpuint (maj, ==, 8);
  g_assert_cmpuint (min, ==, 1);
}

static void
test_mountinfo_unknown (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *mountinfo = write_mountinfo (fixture,
    "22 1 0:30 / / rw - tmpfs tmpfs rw\n"
    "30 22 0:45 / /home/ana\\040maria/tmp rw,nosuid,nodev - tmpfs tmpfs rw,size=1024k\n"
    "33 22 0:50 / /srv/btrfs rw - btrfs /dev/null rw\n"
    "34 22 0:51 / /srv/nfs rw - nfs4 server:/export rw\n");
  g_autofree char *missing = g_build_filename (fixture->root, "no-mountinfo", NULL);
  guint maj = 7;
  guint min = 7;

  /* tmpfs. */
  g_assert_cmpint (teren_disk_encryption_check_dev ("/home/ana maria/tmp/teren", 0, 45,
                                                    fixture->sysfs, mountinfo), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);
  g_assert_cmpint (teren_disk_encryption_check_dev ("/teren", 0, 30, fixture->sysfs, mountinfo), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);
  /* A source under /dev that is no block device. */
  g_assert_cmpint (teren_disk_encryption_check_dev ("/srv/btrfs/teren", 0, 50, fixture->sysfs, mountinfo), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);
  /* A network file system. */
  g_assert_cmpint (teren_disk_encryption_check_dev ("/srv/nfs/teren", 0, 51, fixture->sysfs, mountinfo), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);
  g_assert_false (teren_disk_encryption_mount_device ("/srv/nfs/teren", mountinfo, &maj, &min));
  g_assert_cmpuint (maj, ==, 7);
  g_assert_cmpuint (min, ==, 7);
  /* No mountinfo to read. */
  g_assert_cmpint (teren_disk_encryption_check_dev ("/teren", 0, 30, fixture->sysfs, missing), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);
  /* A relative path is held by no mount. */
  g_assert_false (teren_disk_encryption_mount_device ("teren", mountinfo, &maj, &min));
}

static gboolean
is_verdict (TerenDiskEncryption verdict)
{
  return verdict == TEREN_DISK_ENCRYPTED || verdict == TEREN_DISK_NOT_ENCRYPTED ||
         verdict == TEREN_DISK_ENCRYPTION_UNKNOWN;
}

static void
test_missing_path (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fixture->root, "no-such-folder", NULL);

  g_assert_cmpint (teren_disk_encryption_check (missing, fixture->sysfs, NULL, &error), ==,
                   TEREN_DISK_ENCRYPTION_UNKNOWN);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  /* The message names no path. */
  g_assert_null (strstr (error->message, fixture->root));
  /* Nothing was made. */
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* The whole check on the test's own folder, against this machine's /sys and mountinfo:
 * whatever the disk, one of the three verdicts and no error. */
static void
test_real_system (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TerenDiskEncryption verdict = teren_disk_encryption_check (fixture->root, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (is_verdict (verdict));
  /* With the fake sysfs, the real device is not in it, or is one of the fake ones. */
  verdict = teren_disk_encryption_check (fixture->root, fixture->sysfs, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (is_verdict (verdict));
}

typedef struct
{
  GMainLoop           *loop;
  TerenDiskEncryption  verdict;
  GError              *error;
} AsyncResult;

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncResult *res = user_data;

  g_assert_null (object);
  res->verdict = teren_disk_encryption_check_finish (result, &res->error);
  g_main_loop_quit (res->loop);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *missing = g_build_filename (fixture->root, "no-such-folder", NULL);
  g_autoptr(GError) sync_error = NULL;
  AsyncResult res = { loop, TEREN_DISK_ENCRYPTION_UNKNOWN, NULL };
  TerenDiskEncryption expected = teren_disk_encryption_check (fixture->root, NULL, NULL, &sync_error);

  /* The same verdict as the plain call. */
  g_assert_no_error (sync_error);
  teren_disk_encryption_check_async (fixture->root, NULL, check_done_cb, &res);
  g_main_loop_run (loop);
  g_assert_no_error (res.error);
  g_assert_cmpint (res.verdict, ==, expected);

  /* A missing folder: the error. */
  res.verdict = TEREN_DISK_ENCRYPTED;
  teren_disk_encryption_check_async (missing, NULL, check_done_cb, &res);
  g_main_loop_run (loop);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpint (res.verdict, ==, TEREN_DISK_ENCRYPTION_UNKNOWN);
  g_clear_error (&res.error);

  /* Cancelled: cancelled, whenever the thread ends. */
  res.verdict = TEREN_DISK_ENCRYPTED;
  teren_disk_encryption_check_async (fixture->root, cancellable, check_done_cb, &res);
  g_cancellable_cancel (cancellable);
  g_main_loop_run (loop);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (res.verdict, ==, TEREN_DISK_ENCRYPTION_UNKNOWN);
  g_clear_error (&res.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/disk-encryption/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("luks-partition", test_luks_partition);
  ADD ("lvm-on-luks", test_lvm_on_luks);
  ADD ("lvm-on-plain", test_lvm_on_plain);
  ADD ("plain-partition", test_plain_partition);
  ADD ("md-raid", test_md_raid);
  ADD ("unknown-devices", test_unknown_devices);
  ADD ("mountinfo", test_mountinfo);
  ADD ("mountinfo-unknown", test_mountinfo_unknown);
  ADD ("missing-path", test_missing_path);
  ADD ("real-system", test_real_system);
  ADD ("async", test_async);
#undef ADD

  return g_test_run ();
}
