#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what Teren needs to build, run and test on Debian 12.
# Runs apt-get only for packages that are missing; works as root or with sudo.
set -euo pipefail

PACKAGES=(
  # build
  gcc meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsqlite3-dev libsecret-1-dev libsodium-dev
  glib-networking gsettings-desktop-schemas
  # data validation
  desktop-file-utils appstream
  # running the app and the tests
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools at-spi2-core
  python3-gi gir1.2-atspi-2.0
  adwaita-icon-theme fonts-cantarell fonts-dejavu-core
  locales openssl sqlite3 curl poppler-utils python3
  # clock-skew tests (SYNC-NOTES §4.2, S16)
  faketime
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The README's run command starts Teren in Romanian.
if ! locale -a 2>/dev/null | grep -qi '^ro_RO\.utf8$'; then
  echo "install-deps: generating the ro_RO.UTF-8 locale"
  if [ -f /etc/locale.gen ] && grep -q '^# *ro_RO.UTF-8' /etc/locale.gen; then
    $SUDO sed -i 's/^# *\(ro_RO.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  elif ! grep -q '^ro_RO.UTF-8' /etc/locale.gen 2>/dev/null; then
    echo 'ro_RO.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
  fi
  $SUDO locale-gen >/dev/null
fi
