#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The integration scenarios with dutyd and dutyctl under valgrind memcheck: any memory error or
# definite leak makes the program exit 99, which fails the scenario that ran it.
#
#   tests/valgrind.sh [MESON TEST ARGS…]     e.g. tests/valgrind.sh 051-audit
#
# Builds without sanitizers in its own directory, $BUILDDIR (default build-valgrind). The crash
# storm is left out: a process killed with SIGKILL reports nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. packaging/deps.sh
ensure_packages build test

BUILDDIR=${BUILDDIR:-build-valgrind}
# shellcheck disable=SC2086
if [ -f "$BUILDDIR/build.ninja" ]; then
        meson setup --reconfigure "$BUILDDIR" -Dbuildtype=debug -Db_sanitize=none ${MESON_ARGS:-} >/dev/null
else
        meson setup "$BUILDDIR" -Dbuildtype=debug -Db_sanitize=none ${MESON_ARGS:-}
fi
meson compile -C "$BUILDDIR"

VALGRIND="valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
VALGRIND="$VALGRIND --error-exitcode=99 --trace-children=no --suppressions=$PWD/tests/valgrind.supp"
export DUTYD_WRAPPER="$VALGRIND"
export DUTYCTL_WRAPPER="$VALGRIND"

if [ $# -eq 0 ]; then
        set -- --suite integration --no-suite crash
fi
# Everything runs many times slower under valgrind.
meson test -C "$BUILDDIR" --print-errorlogs --timeout-multiplier 6 "$@"
