#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the Debian package of dutyd from this tree and checks it with lintian.
#
#   packaging/build-deb.sh [OUTPUT_DIR]      (default: ./dist)
#
# Installs what it misses with apt-get (the packaging tools and the Build-Depends of
# packaging/debian/control), copies the tree to a temporary directory with debian/ at its root, runs
# `dpkg-buildpackage -us -uc -b` there, runs lintian on the result and leaves the .deb (with its
# .buildinfo and .changes) in OUTPUT_DIR. Fails if the build, its tests or lintian fail (lintian
# warnings are shown but do not fail the build). DEB_BUILD_OPTIONS=nocheck skips the test suite.
set -euo pipefail

case "${1:-}" in
-h|--help)
        sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
esac
[ $# -le 1 ] || { echo "Usage: packaging/build-deb.sh [OUTPUT_DIR]" >&2; exit 2; }

OUTPUT=$(realpath -m "${1:-dist}")
cd "$(dirname "$0")/.."
TOP=$PWD

# The tools, through the same helper as demo.sh and tests/run.sh.
# shellcheck source=packaging/deps.sh
. packaging/deps.sh
# shellcheck disable=SC2034 # read by ensure_packages through its group name
dutyd_packages_deb="dpkg-dev debhelper lintian fakeroot"
ensure_packages deb

# The project() version: the first "version : '…'" of meson.build (not meson_version).
VERSION=$(grep -oE "(^|[^_[:alnum:]])version[[:space:]]*:[[:space:]]*'[^']*'" meson.build | head -n 1 |
          sed "s/.*'\(.*\)'/\1/")
DEBVERSION=$(dpkg-parsechangelog -l packaging/debian/changelog -S Version)
if [ "${DEBVERSION%%-*}" != "$VERSION" ]; then
        echo "build-deb.sh: packaging/debian/changelog is at $DEBVERSION but meson.build at $VERSION;" \
             "add a changelog entry first." >&2
        exit 1
fi

WORK=$(mktemp -d /tmp/dutyd-deb.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
SRC="$WORK/dutyd-$VERSION"
mkdir -p "$SRC"

# Everything that belongs to the source: tracked and new files, without build directories and other
# ignored output (.gitignore); a tree that is not a git checkout is copied whole instead.
if git -C "$TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$TOP" ls-files -z --cached --others --exclude-standard |
                while IFS= read -r -d '' f; do
                        # Earlier results are not source, wherever OUTPUT_DIR was.
                        case "$TOP/$f" in
                        "$OUTPUT"/*|"$TOP"/dist/*|*.deb|*.ddeb|*.changes|*.buildinfo) continue ;;
                        esac
                        [ -e "$f" ] && printf '%s\0' "$f"
                done |
                tar -C "$TOP" --null -T - -cf - | tar -C "$SRC" -xf -
else
        tar -C "$TOP" --exclude=./.git --exclude='./build*' --exclude=./dist --exclude='*.deb' \
                --exclude='*.ddeb' --exclude='*.changes' --exclude='*.buildinfo' -cf - . | tar -C "$SRC" -xf -
fi
rm -rf "$SRC/debian"
cp -r packaging/debian "$SRC/debian"

if ! (cd "$SRC" && dpkg-checkbuilddeps >/dev/null 2>&1); then
        echo "Installing the build dependencies of dutyd"
        if [ "$(id -u)" -ne 0 ]; then
                SUDO=sudo
        else
                SUDO=
        fi
        PROFILES=()
        case " ${DEB_BUILD_OPTIONS:-} " in
        *" nocheck "*) PROFILES=(-P nocheck) ;;
        esac
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get build-dep -y -qq "${PROFILES[@]}" "$SRC"
fi

DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-} parallel=$(nproc)"
export DEB_BUILD_OPTIONS
(cd "$SRC" && dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1 || {
        tail -n 60 "$WORK/build.log" >&2
        echo "build-deb.sh: dpkg-buildpackage failed (last lines above)." >&2
        exit 1
}

CHANGES=$(ls "$WORK"/dutyd_"$DEBVERSION"_*.changes)
echo "Running lintian on $(basename "$CHANGES")"
lintian --info --fail-on error "$CHANGES"

mkdir -p "$OUTPUT"
cp "$CHANGES" "$WORK"/*.deb "$WORK"/*.buildinfo "$OUTPUT/"
echo "Built:"
ls -1 "$OUTPUT"/dutyd_"$DEBVERSION"_*.deb
