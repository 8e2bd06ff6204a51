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

# json_get JSON PYTHON-EXPR: evaluates an expression over the parsed document `d`.
json_get() {
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2" <<<"$1"
}
