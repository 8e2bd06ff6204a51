#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# packaging/deps.sh and meson.build agree: the Debian package that ships the pkg-config file of each
# dependency() meson.build requires is in the "build" group (what packaging/demo.sh installs on a
# fresh machine), cmocka's in the "test" group, the python3 that meson runs in "build"; and the
# debian/control Build-Depends name them too. Found with dpkg -S on this machine's files, so a
# package renamed or a dependency added on one side only fails here, not on a new user's machine.
. "$(dirname "$0")/lib.sh"

command -v dpkg >/dev/null && command -v pkg-config >/dev/null || { echo "SKIP: needs dpkg and pkg-config"; exit 77; }
# shellcheck source=packaging/deps.sh
. "$SRCDIR/packaging/deps.sh"

in_group() {
        local group=$1 pkg=$2 list
        eval "list=\$dutyd_packages_$group"
        [[ " $list " == *" $pkg "* ]]
}

# package_of_pc NAME: the Debian package whose NAME.pc pkg-config reads.
package_of_pc() {
        local dir
        dir=$(pkg-config --variable=pcfiledir "$1" 2>/dev/null) || return 1
        dpkg -S "$dir/$1.pc" 2>/dev/null | sed -n '1s/:.*//p'
}

control="$SRCDIR/packaging/debian/control"
# Every dependency('…') of the top-level meson.build, required or the tests' cmocka.
mapfile -t deps < <(grep -oE "^[a-z_]+ = dependency\('[^']+'" "$SRCDIR/meson.build" | sed -E "s/.*dependency\('//; s/'$//")
[ "${#deps[@]}" -ge 6 ] || fail "only ${#deps[@]} dependencies read from meson.build"
for d in "${deps[@]}"; do
        pkg=$(package_of_pc "$d") || true
        [ -n "$pkg" ] || fail "no installed package ships $d.pc (is the \"build\"/\"test\" group installed?)"
        pkg=${pkg%%:*}
        group=build
        [ "$d" != cmocka ] || group=test
        in_group "$group" "$pkg" || fail "meson.build needs $d ($pkg), which deps.sh's \"$group\" group lacks"
        grep -qE "^ $pkg( |,|$)" "$control" || fail "meson.build needs $d ($pkg), which debian/control does not build-depend on"
done

# The programs meson setup runs.
for prog in python3 gettext meson ninja-build pkg-config; do
        in_group build "$prog" || fail "deps.sh's \"build\" group lacks $prog, which meson setup needs"
done
# cmocka is what turns the tests on: never in "build", or the demo would build them.
in_group build libcmocka-dev && fail "libcmocka-dev is in the \"build\" group"

# The groups the scenarios skip without are installed by tests/run.sh.
grep -q '^ensure_packages build test print office$' "$SRCDIR/tests/run.sh" ||
        fail "tests/run.sh does not install the groups build test print office"
grep -q '^ensure_packages build demo$' "$SRCDIR/packaging/demo.sh" ||
        fail "packaging/demo.sh installs more than the build (and demo) groups"
echo "ok"
