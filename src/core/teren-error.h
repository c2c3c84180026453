/* teren-error.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TEREN_ERROR (teren_error_quark ())

/**
 * TerenErrorCode:
 * @TEREN_ERROR_FAILED: anything not covered below
 * @TEREN_ERROR_INVALID: input failed validation (details per field elsewhere)
 * @TEREN_ERROR_NOT_FOUND: no such record, draft, account…
 * @TEREN_ERROR_CORRUPT: a database or file is damaged; nothing was overwritten
 * @TEREN_ERROR_READ_ONLY: the data directory or database cannot be written
 * @TEREN_ERROR_IO: an I/O error
 * @TEREN_ERROR_BAD_JSON: malformed JSON, too deep, invalid UTF-8
 * @TEREN_ERROR_TOO_LARGE: input over a size limit
 * @TEREN_ERROR_EXISTS: an id or name is already taken
 * @TEREN_ERROR_PERMISSION: not allowed for this account or line
 * @TEREN_ERROR_NETWORK: the server cannot be reached
 * @TEREN_ERROR_AUTH: credentials refused or token expired
 * @TEREN_ERROR_CANCELLED: cancelled by the user or on quit
 * @TEREN_ERROR_NO_SPACE: the disk is full; nothing was written
 */
typedef enum {
  TEREN_ERROR_FAILED,
  TEREN_ERROR_INVALID,
  TEREN_ERROR_NOT_FOUND,
  TEREN_ERROR_CORRUPT,
  TEREN_ERROR_READ_ONLY,
  TEREN_ERROR_IO,
  TEREN_ERROR_BAD_JSON,
  TEREN_ERROR_TOO_LARGE,
  TEREN_ERROR_EXISTS,
  TEREN_ERROR_PERMISSION,
  TEREN_ERROR_NETWORK,
  TEREN_ERROR_AUTH,
  TEREN_ERROR_CANCELLED,
  TEREN_ERROR_NO_SPACE,
} TerenErrorCode;

GQuark teren_error_quark (void);

G_END_DECLS
