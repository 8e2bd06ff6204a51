#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One member cannot stall everyone nor make dutyd hold hundreds of MB (issue 16, finding 3;
# varlink.h: VARLINK_UID_OUTPUT_MAX, VARLINK_SHARED_OUTPUT_MAX, and one call per owner per
# turn of the loop): a member holding its 32 connections, each pipelining 1,100-day RosterShow
# calls (about 780 KiB of reply each) without ever reading, while root and another member call
# Status. Before, every event of a connection ran all the calls it had read up to 8 MiB of
# replies: dutyd grew by hundreds of MB and Status waited seconds.
. "$(dirname "$0")/lib.sh"

CONNECTIONS=40         # more than the uid's share (VARLINK_UID_CONNECTIONS_MAX, 32)
CALLS=100              # per connection
FROM=2024-01-01 TO=2027-01-04  # 1,100 days (DUTY_VIEW_DAYS_MAX)
STATUS_MAX_MS=2000     # generous: well under a second on a loaded machine
# The documented bound (README, Limits; dutyd.8): a uid's queued replies are at most 16 MiB and
# one reply (1 MiB). Beside them dutyd holds its idle footprint and the working memory of the one
# call it runs (the reply's JSON tree and text, a few MiB); 48 MiB above the idle figure leaves
# room for both and for the allocator, and catches any growth per connection (32 × 2 MiB).
GROWTH_MAX_KB=$((48 * 1024))
[ -z "${DUTYD_WRAPPER:-}" ] || STATUS_MAX_MS=30000
# Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default) and every block
# carries redzones and shadow: the quarantine is cut to 8 MiB and the bound doubled, still far
# below what unbounded queues reach (hundreds of MiB for this load).
if ldd "$DUTYD" 2>/dev/null | grep -q libasan; then
        export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8:thread_local_quarantine_size_kb=64"
        GROWTH_MAX_KB=$((96 * 1024))
        echo "AddressSanitizer build: ASAN_OPTIONS=$ASAN_OPTIONS, growth bound $GROWTH_MAX_KB kB"
fi

export DUTYD_NOW=2023-12-01T10:00
start_dutyd
for y in 2024 2025 2026; do
        "$DUTYCTL" roster generate --from "$y-01-01" --to "$y-12-31" >/dev/null || fail "roster generate $y"
done
bytes=$("$DUTYCTL" --json roster show --from "$FROM" --to "$TO" | python3 -c \
        'import json,sys; print(len(json.dumps(json.load(sys.stdin), separators=(",", ":"), ensure_ascii=False).encode()))')
echo "one RosterShow reply: about $bytes bytes"
[ "$bytes" -gt 500000 ] || fail "the roster is too small to load dutyd ($bytes bytes)"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
proc_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$DUTYD_PID/status"; }

# status_as WHO: prints the milliseconds Status took, after checking the answer.
status_as() {
        local runner=() t0 ms out
        [ "$1" = root ] || runner=(as_uid "$1")
        t0=$(now_ms)
        out=$("${runner[@]}" "$DUTYCTL" --json status 2>&1) || fail "Status as $1 not answered: $out"
        ms=$(( $(now_ms) - t0 ))
        expect_eq "$(json_get "$out" '"timezone" in d')" "True" "Status as $1 is a Status reply"
        echo "$ms"
}

idle_ms=()
for _ in 1 2 3; do
        idle_ms+=("$(status_as root)")
done
idle_rss=$(proc_kb VmRSS)
echo "unloaded: Status ms ${idle_ms[*]}; VmRSS $idle_rss kB"

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)
mkdir "$T/member"
chown "$OFFICER_UID:$OFFICER_UID" "$T/member"
cp "$(dirname "$0")/output-budget.py" "$(dirname "$0")/dutytest.py" "$T/member/"
chmod 0755 "$T/member/output-budget.py"
setpriv --reuid="$OFFICER_UID" --regid="$OFFICER_UID" --groups=0 \
        "$PYTHON" "$T/member/output-budget.py" "$SOCK" "$T/member/ready" 120 \
        "$CONNECTIONS" "$CALLS" "$FROM" "$TO" >"$T/attack.json" &
ATTACK_PID=$!
for _ in $(seq 300); do
        [ ! -e "$T/member/ready" ] || break
        kill -0 "$ATTACK_PID" 2>/dev/null || fail "the member's client died: $(cat "$T/attack.json")"
        sleep 0.1
done
[ -e "$T/member/ready" ] || fail "the member's client did not get its calls sent"

worst=0
times=()
for round in 1 2 3 4 5 6; do
        for who in root "$LEADER_UID"; do
                ms=$(status_as "$who")
                times+=("$who:$ms")
                [ "$ms" -le "$worst" ] || worst=$ms
        done
        sleep 0.5
done
rss=$(proc_kb VmRSS)
hwm=$(proc_kb VmHWM)
echo "loaded: Status ms (root, member $LEADER_UID) ${times[*]}; worst $worst ms"
echo "dutyd VmRSS $rss kB, VmHWM $hwm kB (unloaded VmRSS $idle_rss kB; growth at peak $((hwm - idle_rss)) kB)"

kill -TERM "$ATTACK_PID"
wait "$ATTACK_PID" || fail "the member's client failed"
report=$(cat "$T/attack.json")
echo "member: $report"
kill -0 "$DUTYD_PID" || fail "dutyd died under the load"

# The load was real: the member held its share and had far more calls sent than dutyd may answer
# ahead of its reading (16 MiB is about 21 replies).
expect_eq "$(json_get "$report" 'd["held"]')" "32" "connections the member held"
expect_eq "$(json_get "$report" 'd["calls_sent"] >= 1000')" "True" "calls the member sent"
[ "$worst" -lt "$STATUS_MAX_MS" ] || fail "Status took $worst ms while a member pipelined big calls"
[ $((hwm - idle_rss)) -lt "$GROWTH_MAX_KB" ] ||
        fail "dutyd grew by $((hwm - idle_rss)) kB (VmHWM $hwm kB) holding one member's unread replies"

# Once the member is gone, everything it left is given back to the others: its 32 hang-ups are
# taken in turns among other events, so the count is read until it settles (at most 10 s).
for _ in $(seq 100); do
        out=$("$DUTYCTL" --json status)
        [ "$(json_get "$out" 'd["counts"]["connections"]')" != 1 ] || break
        sleep 0.1
done
expect_eq "$(json_get "$out" 'd["counts"]["connections"]')" "1" "the member's connections closed"
stop_dutyd
echo "ok"
