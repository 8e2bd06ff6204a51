#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what is missing (Debian), builds, and runs the whole suite: unit tests and integration
# scenarios. BUILDDIR and MESON_ARGS may be set, e.g. for a sanitizer build:
#   BUILDDIR=build-asan MESON_ARGS="-Db_sanitize=address,undefined" tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. packaging/deps.sh
ensure_packages build test print office
# The Chinese interface is tested in its own locale (tests/integration/060-i18n.sh).
ensure_locale zh_CN.UTF-8

BUILDDIR=${BUILDDIR:-build}
# shellcheck disable=SC2086
# -Dtests=enabled: here a missing cmocka is an error, not a build without tests.
if [ -f "$BUILDDIR/build.ninja" ]; then
        if ! out=$(meson setup --reconfigure "$BUILDDIR" -Dtests=enabled ${MESON_ARGS:-} 2>&1); then
                printf '%s\n' "$out" >&2
                echo "run.sh: meson setup --reconfigure failed (the output above says why)." >&2
                exit 1
        fi
else
        meson setup "$BUILDDIR" -Dtests=enabled ${MESON_ARGS:-}
fi
meson compile -C "$BUILDDIR"
meson test -C "$BUILDDIR" --print-errorlogs "$@"
