#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One local user cannot lock everyone out (varlink.h: VARLINK_GUEST_CONNECTIONS_MAX,
# VARLINK_UID_CONNECTIONS_MAX, VARLINK_CONNECTIONS_RESERVED, VARLINK_MESSAGE_TIMEOUT_USEC): a guest
# making 1,000 connection attempts while 300 of its connections send a call one byte at a time
# gets at most the guests' share; a member and root are answered all along, the refusals are
# logged in a few lines, not one per attempt, and the slow connections that got in are closed.
. "$(dirname "$0")/lib.sh"

GUEST_SHARE=16  # VARLINK_GUEST_CONNECTIONS_MAX

start_dutyd

# The guest runs the system's python3 (root's may live in a home it cannot enter).
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)
mkdir "$T/guest"
chown "$GUEST_UID:$GUEST_UID" "$T/guest"
cp "$(dirname "$0")/conn-limits.py" "$(dirname "$0")/dutytest.py" "$T/guest/"
chmod 0755 "$T/guest/conn-limits.py"
# setpriv itself (as_uid's), not the function: $! must be the client, which setpriv becomes.
setpriv --reuid="$GUEST_UID" --regid="$GUEST_UID" --groups=0 \
        "$PYTHON" "$T/guest/conn-limits.py" "$SOCK" "$T/guest/ready" 60 >"$T/attack.json" &
ATTACK_PID=$!
for _ in $(seq 600); do
        [ ! -e "$T/guest/ready" ] || break
        kill -0 "$ATTACK_PID" 2>/dev/null || fail "the attacking client died: $(cat "$T/attack.json")"
        sleep 0.1
done
[ -e "$T/guest/ready" ] || fail "the attacking client did not get its connections in place"

# status_as WHO: Status answered while under attack; prints the milliseconds it took (measured,
# for the record; only the answer is asserted).
status_as() {
        local runner=() t0 t1 out
        [ "$1" = root ] || runner=(as_uid "$1")
        t0=$(date +%s%N)
        out=$("${runner[@]}" "$DUTYCTL" --json status 2>&1) || fail "Status as $1 not answered under attack: $out"
        t1=$(date +%s%N)
        expect_eq "$(json_get "$out" '"timezone" in d')" "True" "Status as $1 is a Status reply"
        echo $(((t1 - t0) / 1000000))
}

times=()
for round in 1 2; do
        for i in 1 2 3 4 5; do
                times+=("root:$(status_as root)" "member:$(status_as "$OFFICER_UID")")
        done
        # The attacker holds no more than the guests' share (the rest are this test's own calls).
        out=$("$DUTYCTL" --json status)
        expect_eq "$(json_get "$out" "d['counts']['connections'] <= $GUEST_SHARE + 1")" "True" \
                "connections held under attack ($(json_get "$out" "d['counts']['connections']"))"
        # Past the message timeout: the slow connections that got in were closed and reconnect.
        [ "$round" = 2 ] || sleep 8
done
echo "Status under attack, ms: ${times[*]}"

kill -TERM "$ATTACK_PID"
wait "$ATTACK_PID" || fail "the attacking client failed"
report=$(cat "$T/attack.json")
echo "attack: $report"
expect_eq "$(json_get "$report" 'd["attempts"]')" "1000" "connection attempts made"
# Nearly all of them were hung up on at once, and the slow senders that got in were cut off.
expect_eq "$(json_get "$report" "d['hung_up'] >= 1000 - $GUEST_SHARE")" "True" "attempts refused"
expect_eq "$(json_get "$report" 'd["slow_hung_up"] >= 300 - 16')" "True" "slow connections closed"
# A byte every 2 s, cut off 5 s after the first: no connection got far (without the message
# timeout, the ones let in would have sent a byte each round, 5 or more over the test).
expect_eq "$(json_get "$report" 'd["slow_max_bytes_one_connection"] <= 4')" "True" "bytes sent on one slow connection"
expect_eq "$(json_get "$report" "d['held_at_end'] + d['slow_open_at_end'] <= $GUEST_SHARE")" "True" \
        "connections the guest still held"

kill -0 "$DUTYD_PID" || fail "dutyd died under attack"
# Refusals are counted in a few lines, not logged one by one.
n=$(grep -c "Refused [0-9]* connection(s) over the limits" "$T/dutyd.log" || true)
[ "$n" -ge 1 ] || fail "refused connections were not logged"
[ "$n" -le 10 ] || fail "refused connections flooded the log: $n lines"
expect_contains "$(cat "$T/dutyd.log")" "connections of callers not in the configuration" "refusal names the limit"
stop_dutyd
echo "ok"
