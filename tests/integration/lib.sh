# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the integration scenarios: a private copy of the sample office, the real dutyd on a
# temporary state dir and socket, and the real dutyctl. Sourced, not run.
#
# Environment (set by meson): SRCDIR, BUILDDIR, DUTYD, DUTYCTL. DUTYD_WRAPPER and DUTYCTL_WRAPPER
# (e.g. "valgrind --error-exitcode=99 …", see tests/valgrind.sh), when set, are prepended to every
# command line of dutyd and dutyctl.

set -euo pipefail

: "${SRCDIR:?}" "${DUTYD:?}" "${DUTYCTL:?}"

# Uids of the sample office (conf/dutyd.conf) and one nobody knows.
OFFICER_UID=1001
LEADER_UID=1002
GUEST_UID=4242

T=$(mktemp -d /tmp/dutyd-test.XXXXXX)
# Other uids (setpriv) must reach the socket and the binaries.
chmod 0755 "$T"
mkdir -p "$T/etc" "$T/state" "$T/run"
chmod 0755 "$T/run"
cp "$SRCDIR/conf/dutyd.conf" "$T/etc/dutyd.conf"
cp -r "$SRCDIR/conf/holidays.d" "$T/etc/holidays.d"
chmod 0644 "$T/etc/dutyd.conf"
# dutyd trusts no file its group may write (a umask of 002 would leave the copies so).
chmod -R go-w "$T/etc"

SOCK="$T/run/io.dutyd.Duty"
export DUTYD_SOCKET="$SOCK"
DUTYD_PID=

# wrap NAME REAL WRAPPER: a script in $T running WRAPPER REAL "$@" (other uids can run it too).
wrap() {
        printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$3" "$2" >"$T/$1"
        chmod 0755 "$T/$1"
        echo "$T/$1"
}
# Other uids (as_uid) run dutyctl without root's capabilities and may not reach the build tree (a
# checkout in a private home, such as /root, mode 0700): they run a copy in $T, with a copy of the
# message catalogs.
mkdir -p "$T/bin"
cp "$DUTYCTL" "$T/bin/dutyctl"
DUTYCTL="$T/bin/dutyctl"
if [ -n "${DUTYD_LOCALEDIR:-}" ] && [ -d "$DUTYD_LOCALEDIR" ]; then
        (cd "$DUTYD_LOCALEDIR" && find . -name '*.mo' -exec cp --parents {} "$T/bin/" \;) && chmod -R a+rX "$T/bin"
        DUTYD_LOCALEDIR="$T/bin"
        export DUTYD_LOCALEDIR
fi
[ -z "${DUTYD_WRAPPER:-}" ] || DUTYD=$(wrap dutyd "$DUTYD" "$DUTYD_WRAPPER")
[ -z "${DUTYCTL_WRAPPER:-}" ] || DUTYCTL=$(wrap dutyctl "$DUTYCTL" "$DUTYCTL_WRAPPER")
# verbose_dutyctl: from here on dutyctl runs with --verbose, naming the Varlink method and error of
# every refusal beside the sentence, for the scenarios that assert those names (without it, dutyctl
# shows only the sentence: see 090-errors.sh).
verbose_dutyctl() {
        printf '#!/bin/sh\nexec "%s" --verbose "$@"\n' "$DUTYCTL" >"$T/dutyctl-verbose"
        chmod 0755 "$T/dutyctl-verbose"
        DUTYCTL="$T/dutyctl-verbose"
}
# Seconds dutyd may take to answer after its start (much longer under a wrapper such as valgrind).
START_TIMEOUT=10
[ -z "${DUTYD_WRAPPER:-}${DUTYCTL_WRAPPER:-}" ] || START_TIMEOUT=180

fail() {
        echo "FAIL: $*" >&2
        if [ -f "$T/dutyd.log" ]; then
                echo "--- dutyd log ---" >&2
                tail -n 50 "$T/dutyd.log" >&2
        fi
        exit 1
}

cleanup() {
        if [ -n "$DUTYD_PID" ] && kill -0 "$DUTYD_PID" 2>/dev/null; then
                kill -TERM "$DUTYD_PID" 2>/dev/null || true
                wait "$DUTYD_PID" 2>/dev/null || true
        fi
        rm -rf "$T"
}
trap cleanup EXIT

# wait_for_daemon: until dutyctl status answers, at most START_TIMEOUT seconds.
wait_for_daemon() {
        local deadline=$((SECONDS + START_TIMEOUT))
        while [ "$SECONDS" -lt "$deadline" ]; do
                if "$DUTYCTL" status >/dev/null 2>&1; then
                        return 0
                fi
                if [ -n "$DUTYD_PID" ] && ! kill -0 "$DUTYD_PID" 2>/dev/null; then
                        fail "dutyd exited during start-up"
                fi
                sleep 0.05
        done
        fail "dutyd did not answer on $SOCK"
}

# start_dutyd [EXTRA ARGS…]: the real daemon in the background, logging to $T/dutyd.log.
start_dutyd() {
        "$DUTYD" --config "$T/etc/dutyd.conf" --state-dir "$T/state" --socket "$SOCK" "$@" \
                >>"$T/dutyd.log" 2>&1 &
        DUTYD_PID=$!
        wait_for_daemon
}

stop_dutyd() {
        [ -n "$DUTYD_PID" ] || return 0
        kill -TERM "$DUTYD_PID"
        local rc=0
        wait "$DUTYD_PID" || rc=$?
        DUTYD_PID=
        [ "$rc" -eq 0 ] || fail "dutyd exited with $rc on SIGTERM"
}

# as_uid UID CMD…: runs a command as another uid, in the socket's group (root's, gid 0).
as_uid() {
        local uid=$1
        shift
        setpriv --reuid="$uid" --regid="$uid" --groups=0 "$@"
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
        [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() {
        case "$1" in
        *"$2"*) ;;
        *) fail "$3: '$2' not found in: $1" ;;
        esac
}

# python_with MODULE: a python3 that imports MODULE, or nothing (Debian's python3-* modules are
# not seen by a python3 of its own, which may come first in PATH).
python_with() {
        local p
        for p in python3 /usr/bin/python3; do
                if command -v "$p" >/dev/null && "$p" -c "import $1" 2>/dev/null; then
                        echo "$p"
                        return 0
                fi
        done
        return 0
}

# require_office: PY is a python3 with openpyxl, and soffice is there (packaging/deps.sh group
# "office"); the scenario is skipped without them.
require_office() {
        PY=$(python_with openpyxl)
        if ! command -v soffice >/dev/null || [ -z "$PY" ]; then
                echo "SKIP: needs soffice and python3-openpyxl (packaging/deps.sh group \"office\")"
                exit 77
        fi
}

# require_print: CHROMIUM is a browser that prints to PDF, with poppler-utils and a Chinese font
# (packaging/deps.sh group "print"); the scenario is skipped without the first two.
require_print() {
        local c
        CHROMIUM=
        for c in chromium chromium-browser google-chrome; do
                command -v "$c" >/dev/null && { CHROMIUM=$c; break; }
        done
        if [ -z "$CHROMIUM" ] || ! command -v pdfinfo >/dev/null || ! command -v pdftotext >/dev/null; then
                echo "SKIP: needs chromium and poppler-utils (packaging/deps.sh group \"print\")"
                exit 77
        fi
        fc-list ':lang=zh' family 2>/dev/null | grep . >/dev/null || fail "no Chinese font installed (fonts-noto-cjk)"
}

# require_message_id DEFINE ID: alert.h defines DEFINE as ID (so that the scenario
# looks for the right entries).
require_message_id() {
        grep -q "^#define $1 *\"$2\"$" "$SRCDIR/daemon/alert.h" || fail "$2 is not the MESSAGE_ID of alert.h"
}

# require_catalog ID: packaging/dutyd.catalog explains ID, in English and in Chinese.
require_catalog() {
        grep -q "^-- $1$" "$SRCDIR/packaging/dutyd.catalog" || fail "$1 is not in the catalog"
        grep -q "^-- $1 zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$1 has no zh_CN entry"
}

# lock_database SECONDS: a sqlite3 shell (LOCKER) takes the lock of $DB (BEGIN EXCLUSIVE), says so,
# and keeps it until told to commit on descriptor 3, or for SECONDS at most.
lock_database() {
        mkfifo "$T/sql"
        timeout "$1" sqlite3 "$DB" <"$T/sql" >"$T/sql.out" 2>&1 &
        LOCKER=$!
        exec 3>"$T/sql"
        printf '.timeout 2000\nBEGIN EXCLUSIVE;\n' >&3
        printf "SELECT 'locked';\n" >&3
        for _ in $(seq 100); do
                grep -q '^locked$' "$T/sql.out" 2>/dev/null && break
                sleep 0.05
        done
        grep -q '^locked$' "$T/sql.out" || fail "the sqlite3 shell did not take the lock: $(cat "$T/sql.out")"
}

# give_admin_uid: the office's admin officer (zhouxd) gets the uid ADMIN_UID (1003) in this
# scenario's copy of the configuration.
give_admin_uid() {
        ADMIN_UID=1003
        python3 - "$T/etc/dutyd.conf" "$ADMIN_UID" <<'PY'
import re, sys
p, uid = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
s, n = re.subn(r'(user = "zhouxd";)', r'\1 uid = %s;' % uid, s, count=1)
assert n == 1
open(p, "w", encoding="utf-8").write(s)
PY
}

# json_get JSON PYTHON-EXPR: evaluates an expression over the parsed document `d`.
json_get() {
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2" <<<"$1"
}
