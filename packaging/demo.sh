#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The quick start: installs missing packages, builds, starts dutyd on the sample office
# (conf/dutyd.conf) with its database in a temporary directory, takes a short dutyctl tour, then
# keeps the daemon in the foreground until Ctrl-C. --no-wait ends after the tour.
set -euo pipefail
cd "$(dirname "$0")/.."

WAIT=1
for arg in "$@"; do
        case "$arg" in
        --no-wait) WAIT=0 ;;
        -h|--help) echo "Usage: packaging/demo.sh [--no-wait]"; exit 0 ;;
        *) echo "demo.sh: unknown argument '$arg'" >&2; exit 2 ;;
        esac
done

. packaging/deps.sh
ensure_packages build demo

BUILDDIR=${BUILDDIR:-build}
[ -f "$BUILDDIR/build.ninja" ] || meson setup "$BUILDDIR" >/dev/null
if ! out=$(meson compile -C "$BUILDDIR" 2>&1); then
        echo "$out" >&2
        echo "demo.sh: the build failed." >&2
        exit 1
fi

DEMO=$(mktemp -d /tmp/dutyd-demo.XXXXXX)
mkdir -p "$DEMO/etc" "$DEMO/state"
cp conf/dutyd.conf "$DEMO/etc/dutyd.conf"
cp -r conf/holidays "$DEMO/etc/holidays"
SOCK="$DEMO/io.dutyd.Duty"
export DUTYD_SOCKET="$SOCK"
DUTYCTL="$BUILDDIR/cli/dutyctl"

"$BUILDDIR/daemon/dutyd" --config "$DEMO/etc/dutyd.conf" --state-dir "$DEMO/state" --socket "$SOCK" \
        2>"$DEMO/dutyd.log" &
PID=$!
cleanup() {
        kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
        rm -rf "$DEMO"
}
trap cleanup EXIT

for _ in $(seq 1 200); do
        "$DUTYCTL" status >/dev/null 2>&1 && break
        kill -0 "$PID" 2>/dev/null || { cat "$DEMO/dutyd.log" >&2; exit 1; }
        sleep 0.05
done

tour() {
        echo
        echo "\$ dutyctl $*"
        "$DUTYCTL" "$@"
}

echo "dutyd is running on the sample office; socket: $SOCK"
tour status
tour whoami
tour people
tour people --role leader

if [ "$WAIT" = 1 ]; then
        echo
        echo "dutyd keeps running. In another terminal:  DUTYD_SOCKET=$SOCK $PWD/$DUTYCTL status"
        echo "Press Ctrl-C to stop."
        trap 'echo; exit 0' INT TERM
        wait "$PID"
fi
