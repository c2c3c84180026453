/* teren-full-vfs.c
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "teren-full-vfs.h"

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;   /* the wrapped VFS's file, right after this struct */
} FullFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs full_vfs;
static int disk_full;
static guint refused;

#define REAL(file) (((FullFile *) (file))->real)

/* Every write is refused while full, also one inside a file's present size (a real disk
 * would take that one): a test then does not depend on where SQLite's log restarts. A
 * truncation that shortens a file frees space and goes through. */
static gboolean
refuse (sqlite3_file  *file,
        sqlite3_int64  new_end,
        gboolean       growth_only)
{
  sqlite3_int64 size = 0;

  if (!g_atomic_int_get (&disk_full))
    return FALSE;
  if (growth_only &&
      (REAL (file)->pMethods->xFileSize (REAL (file), &size) != SQLITE_OK || new_end <= size))
    return FALSE;
  g_atomic_int_inc ((int *) &refused);
  return TRUE;
}

static int
full_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

static int
full_read (sqlite3_file  *file,
           void          *buffer,
           int            amount,
           sqlite3_int64  offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buffer, amount, offset);
}

static int
full_write (sqlite3_file  *file,
            const void    *buffer,
            int            amount,
            sqlite3_int64  offset)
{
  if (refuse (file, offset + amount, FALSE))
    return SQLITE_FULL;
  return REAL (file)->pMethods->xWrite (REAL (file), buffer, amount, offset);
}

static int
full_truncate (sqlite3_file  *file,
               sqlite3_int64  size)
{
  if (refuse (file, size, TRUE))
    return SQLITE_FULL;
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
full_sync (sqlite3_file *file,
           int           flags)
{
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
full_file_size (sqlite3_file  *file,
                sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
full_lock (sqlite3_file *file,
           int           lock)
{
  return REAL (file)->pMethods->xLock (REAL (file), lock);
}

static int
full_unlock (sqlite3_file *file,
             int           lock)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), lock);
}

static int
full_check_reserved_lock (sqlite3_file *file,
                          int          *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
full_file_control (sqlite3_file *file,
                   int           op,
                   void         *arg)
{
  if (op == SQLITE_FCNTL_SIZE_HINT && refuse (file, *(sqlite3_int64 *) arg, TRUE))
    return SQLITE_FULL;
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
full_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
full_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
full_shm_map (sqlite3_file  *file,
              int            region,
              int            size,
              int            extend,
              void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), region, size, extend, out);
}

static int
full_shm_lock (sqlite3_file *file,
               int           offset,
               int           n,
               int           flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
full_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
full_shm_unmap (sqlite3_file *file,
                int           delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
full_fetch (sqlite3_file   *file,
            sqlite3_int64   offset,
            int             amount,
            void          **out)
{
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, out);
}

static int
full_unfetch (sqlite3_file  *file,
              sqlite3_int64  offset,
              void          *pointer)
{
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, pointer);
}

static const sqlite3_io_methods full_io_v1 = {
  1, full_close, full_read, full_write, full_truncate, full_sync, full_file_size, full_lock,
  full_unlock, full_check_reserved_lock, full_file_control, full_sector_size,
  full_device_characteristics, NULL, NULL, NULL, NULL, NULL, NULL,
};

static const sqlite3_io_methods full_io_v3 = {
  3, full_close, full_read, full_write, full_truncate, full_sync, full_file_size, full_lock,
  full_unlock, full_check_reserved_lock, full_file_control, full_sector_size,
  full_device_characteristics, full_shm_map, full_shm_lock, full_shm_barrier, full_shm_unmap,
  full_fetch, full_unfetch,
};

static int
full_open (sqlite3_vfs  *vfs,
           const char   *name,
           sqlite3_file *file,
           int           flags,
           int          *out_flags)
{
  FullFile *self = (FullFile *) file;
  int rc;

  self->real = (sqlite3_file *) (self + 1);
  rc = real_vfs->xOpen (real_vfs, name, self->real, flags, out_flags);
  /* SQLite calls xClose only when pMethods is set. */
  if (self->real->pMethods == NULL)
    self->base.pMethods = NULL;
  else
    self->base.pMethods = self->real->pMethods->iVersion >= 3 ? &full_io_v3 : &full_io_v1;
  return rc;
}

void
teren_full_vfs_install (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      real_vfs = sqlite3_vfs_find (NULL);
      g_assert_nonnull (real_vfs);
      g_assert_cmpint (real_vfs->iVersion, >=, 3);
      full_vfs = *real_vfs;
      full_vfs.zName = "teren-full";
      full_vfs.szOsFile = (int) sizeof (FullFile) + real_vfs->szOsFile;
      full_vfs.pNext = NULL;
      full_vfs.xOpen = full_open;
      g_assert_cmpint (sqlite3_vfs_register (&full_vfs, 1), ==, SQLITE_OK);
      g_once_init_leave (&installed, 1);
    }
}

void
teren_full_vfs_set_full (gboolean full)
{
  g_atomic_int_set (&disk_full, !!full);
}

guint
teren_full_vfs_get_refused (void)
{
  return (guint) g_atomic_int_get ((int *) &refused);
}
