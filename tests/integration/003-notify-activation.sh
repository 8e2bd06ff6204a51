#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sd_notify: READY=1, STATUS=, RELOADING=1 with MONOTONIC_USEC, WATCHDOG=1 seen on a NOTIFY_SOCKET
# this test owns. Socket activation through systemd-socket-activate. Refusal to start when another
# dutyd answers on the socket; replacement of a stale socket file.
. "$(dirname "$0")/lib.sh"

NOTIFY="$T/notify.sock"
python3 "$(dirname "$0")/notify-listen.py" "$NOTIFY" "$T/notify.log" 20 &
LISTENER=$!
for i in $(seq 1 100); do [ -S "$NOTIFY" ] && break; sleep 0.05; done

NOTIFY_SOCKET="$NOTIFY" WATCHDOG_USEC=400000 start_dutyd
unset WATCHDOG_USEC
for i in $(seq 1 100); do grep -q "READY=1" "$T/notify.log" && break; sleep 0.05; done
grep -q "READY=1" "$T/notify.log" || fail "no READY=1 on NOTIFY_SOCKET"
grep -q "STATUS=" "$T/notify.log" || fail "no STATUS= on NOTIFY_SOCKET"

kill -HUP "$DUTYD_PID"
for i in $(seq 1 100); do grep -q "RELOADING=1" "$T/notify.log" && break; sleep 0.05; done
grep -q "RELOADING=1|MONOTONIC_USEC=[0-9]" "$T/notify.log" || fail "no RELOADING=1 with MONOTONIC_USEC"
# READY=1 again after the reload.
for i in $(seq 1 100); do [ "$(grep -c "READY=1" "$T/notify.log")" -ge 2 ] && break; sleep 0.05; done
[ "$(grep -c "READY=1" "$T/notify.log")" -ge 2 ] || fail "no READY=1 after the reload"
# The watchdog pings at half the interval.
for i in $(seq 1 100); do grep -q "WATCHDOG=1" "$T/notify.log" && break; sleep 0.05; done
grep -q "WATCHDOG=1" "$T/notify.log" || fail "no WATCHDOG=1 with WATCHDOG_USEC set"

# A second dutyd on the same socket refuses to start.
rc=0
"$DUTYD" --config "$T/etc/dutyd.conf" --state-dir "$T/state2" --socket "$SOCK" >"$T/second.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "second dutyd started on a socket in use"
expect_contains "$(cat "$T/second.log")" "already" "second dutyd explains the refusal"
"$DUTYCTL" status >/dev/null || fail "first dutyd stopped answering"

# SIGKILL leaves a stale socket file; a new dutyd replaces it.
kill -KILL "$DUTYD_PID"
wait "$DUTYD_PID" 2>/dev/null || true
DUTYD_PID=
[ -S "$SOCK" ] || fail "expected a stale socket file after SIGKILL"
start_dutyd
stop_dutyd
kill "$LISTENER" 2>/dev/null || true

# Socket activation: systemd-socket-activate listens and passes the fd on the first connection.
ACT_SOCK="$T/run/activated.sock"
systemd-socket-activate -l "$ACT_SOCK" "$DUTYD" --config "$T/etc/dutyd.conf" --state-dir "$T/state" \
        >>"$T/dutyd.log" 2>&1 &
DUTYD_PID=$!
for i in $(seq 1 100); do [ -S "$ACT_SOCK" ] && break; sleep 0.05; done
out=$("$DUTYCTL" -s "$ACT_SOCK" --json status) || fail "no answer through socket activation"
expect_eq "$(json_get "$out" 'd["counts"]["people"] > 0')" "True" "activated status"
grep -q "passed by the service manager" "$T/dutyd.log" || fail "dutyd did not use the passed socket"
stop_dutyd
echo "ok"
