#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Files: the state directory dutyd creates is 0700, the database (and its WAL companions) 0600,
# the socket 0660 in the configured group. dutyd refuses to start with a world-writable
# configuration file, a configuration in a world-writable directory (without the sticky bit), a
# world-writable holidays directory or a world-writable state directory, and a reload refuses a
# configuration that became world-writable, keeping the previous one.
. "$(dirname "$0")/lib.sh"

mode() { stat -c %a "$1"; }

# The socket's group, from the configuration.
GROUP=adm
getent group "$GROUP" >/dev/null || GROUP=$(getent group | awk -F: '$3 != 0 { print $1; exit }')
python3 - "$T/etc/dutyd.conf" "$GROUP" <<'PY'
import re, sys
p, group = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
s, n = re.subn(r'^\s*socket_group\s*=.*$', "", s, flags=re.M)
s = f'socket_group = "{group}";\n' + s
open(p, "w", encoding="utf-8").write(s)
PY

STATE="$T/fresh-state"
"$DUTYD" --config "$T/etc/dutyd.conf" --state-dir "$STATE" --socket "$SOCK" >>"$T/dutyd.log" 2>&1 &
DUTYD_PID=$!
wait_for_daemon
"$DUTYCTL" unavailable add fengj --from 2026-03-10 --to 2026-03-11 >/dev/null

expect_eq "$(mode "$STATE")" "700" "state directory mode"
expect_eq "$(mode "$STATE/dutyd.sqlite")" "600" "database mode"
for f in "$STATE"/dutyd.sqlite-*; do
        [ -e "$f" ] || continue
        expect_eq "$(mode "$f")" "600" "mode of $(basename "$f")"
done
expect_eq "$(stat -c %F "$SOCK")" "socket" "socket type"
expect_eq "$(mode "$SOCK")" "660" "socket mode"
expect_eq "$(stat -c %G "$SOCK")" "$GROUP" "socket group"
# The mode does what it says: a uid outside the group cannot connect, one inside can.
rc=0
setpriv --reuid="$GUEST_UID" --regid="$GUEST_UID" --clear-groups "$DUTYCTL" status >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "3" "connecting from outside the socket's group"
gid=$(getent group "$GROUP" | cut -d: -f3)
setpriv --reuid="$GUEST_UID" --regid="$GUEST_UID" --groups="$gid" "$DUTYCTL" status >/dev/null ||
        fail "connecting from inside the socket's group"

# A reload refuses a configuration that became world-writable, and keeps the previous one.
chmod o+w "$T/etc/dutyd.conf"
rc=0
err=$("$DUTYCTL" reload 2>&1) || rc=$?
expect_eq "$rc" "1" "reload of a world-writable configuration"
expect_contains "$err" "world-writable" "reload refusal names the problem"
grep -q "world-writable" "$T/dutyd.log" || fail "reload refusal not logged"
chmod o-w "$T/etc/dutyd.conf"
"$DUTYCTL" reload >/dev/null || fail "reload once the mode is fixed"
stop_dutyd

# Refusals at start: each exits non-zero and says why; nothing listens.
expect_refused() {
        local what=$1 rc=0
        shift
        rm -f "$SOCK"
        out=$("$DUTYD" --config "$T/etc/dutyd.conf" --state-dir "$STATE" --socket "$SOCK" "$@" 2>&1) || rc=$?
        expect_eq "$rc" "1" "dutyd exit code with $what"
        expect_contains "$out" "world-writable" "dutyd explains the refusal of $what"
        [ ! -e "$SOCK" ] || fail "dutyd listened despite $what"
}

chmod 0666 "$T/etc/dutyd.conf"
expect_refused "a world-writable configuration file"
chmod 0644 "$T/etc/dutyd.conf"

chmod 0777 "$T/etc"
expect_refused "a configuration in a world-writable directory"
# The sticky bit keeps others from replacing the file: accepted.
chmod 1777 "$T/etc"
start_dutyd_at() {
        "$DUTYD" --config "$T/etc/dutyd.conf" --state-dir "$STATE" --socket "$SOCK" >>"$T/dutyd.log" 2>&1 &
        DUTYD_PID=$!
        wait_for_daemon
}
start_dutyd_at
stop_dutyd
chmod 0755 "$T/etc"

chmod 0777 "$T/etc/holidays.d"
expect_refused "a world-writable holidays directory"
chmod 0755 "$T/etc/holidays.d"

chmod 0777 "$STATE"
expect_refused "a world-writable state directory"
chmod 0700 "$STATE"

# All fixed: it starts again, with the data.
start_dutyd_at
expect_contains "$("$DUTYCTL" --json unavailable list)" '"fengj"' "data kept across the refusals"
stop_dutyd
echo "ok"
