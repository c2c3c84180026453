/* teren-application.h
 *
 * Copyright 2026 The Teren authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "teren-store.h"

G_BEGIN_DECLS

#define TEREN_TYPE_APPLICATION (teren_application_get_type ())

G_DECLARE_FINAL_TYPE (TerenApplication, teren_application, TEREN, APPLICATION, AdwApplication)

/* The application: `--data-dir DIR` chooses the store (default
 * teren_store_default_dir ("local")); the window appears at once and the store is
 * opened on a worker thread. */
TerenApplication *teren_application_new       (void);
const char       *teren_application_get_data_dir (TerenApplication *self);
/* (nullable) once opened */
TerenStore       *teren_application_get_store (TerenApplication *self);

G_END_DECLS
