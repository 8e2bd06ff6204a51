#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Crash safety: several clients write as fast as they can (`dutyctl unavailable add` and
# `dutyctl sensitive add` as root, each write with a unique reason or name) and record every write
# dutyd acknowledged; dutyd is killed with SIGKILL at random moments and restarted, ROUNDS times.
# Afterwards every acknowledged write must be in the database, PRAGMA integrity_check must say ok
# and the audit log's hash chain must hold.
#
#   tests/crash/crash-storm.sh [ROUNDS [CLIENTS]]     (default 100 rounds, 4 clients)
#
# Uses $DUTYD and $DUTYCTL (set by meson), else the binaries of $BUILDDIR (default build/).
# Prints "acknowledged N, found N, lost N"; exits 1 if anything was lost or is corrupt.
set -euo pipefail

ROUNDS=${1:-100}
CLIENTS=${2:-4}
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR/build}
DUTYD=${DUTYD:-$BUILDDIR/daemon/dutyd}
DUTYCTL=${DUTYCTL:-$BUILDDIR/cli/dutyctl}
# How long dutyd runs under the storm before each kill: a random time up to this many ms.
RUN_MSEC_MAX=${RUN_MSEC_MAX:-1500}

[ -x "$DUTYD" ] && [ -x "$DUTYCTL" ] || { echo "crash-storm: build first (no $DUTYD or $DUTYCTL)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "crash-storm: needs the sqlite3 shell" >&2; exit 2; }

T=$(mktemp -d /tmp/dutyd-crash.XXXXXX)
mkdir -p "$T/etc" "$T/state" "$T/run" "$T/acks"
cp "$SRCDIR/conf/dutyd.conf" "$T/etc/dutyd.conf"
cp -r "$SRCDIR/conf/holidays.d" "$T/etc/holidays.d"
chmod 0644 "$T/etc/dutyd.conf"
SOCK="$T/run/io.dutyd.Duty"
DB="$T/state/dutyd.sqlite"
export DUTYD_SOCKET="$SOCK"
DUTYD_PID=
CLIENT_PIDS=()

cleanup() {
        touch "$T/stop"
        for p in "${CLIENT_PIDS[@]}"; do
                kill "$p" 2>/dev/null || true
        done
        if [ -n "$DUTYD_PID" ]; then
                kill -KILL "$DUTYD_PID" 2>/dev/null || true
        fi
        wait 2>/dev/null || true
        rm -rf "$T"
}
trap cleanup EXIT

fail() {
        echo "crash-storm: FAIL: $*" >&2
        tail -n 30 "$T/dutyd.log" >&2 || true
        exit 1
}

start_dutyd() {
        "$DUTYD" --config "$T/etc/dutyd.conf" --state-dir "$T/state" --socket "$SOCK" >>"$T/dutyd.log" 2>&1 &
        DUTYD_PID=$!
        local i
        for i in $(seq 1 400); do
                "$DUTYCTL" status >/dev/null 2>&1 && return 0
                kill -0 "$DUTYD_PID" 2>/dev/null || fail "dutyd exited during start-up (round $round)"
                sleep 0.025
        done
        fail "dutyd did not answer (round $round)"
}

# client K: writes until told to stop; appends "kind id key" for every acknowledged write.
client() {
        local k=$1 n=0 out id key kind
        local people=(fengj hejj mal huwb linxy huangzm xut zhenght)
        while [ ! -e "$T/stop" ]; do
                n=$((n + 1))
                key="c$k-$n"
                if [ $((n % 4)) -eq 0 ]; then
                        kind=sensitive
                        out=$("$DUTYCTL" --json sensitive add "$key" --from 2027-05-01 --to 2027-05-02 2>/dev/null) || continue
                        id=$(sed -n 's/^ *"id": "\{0,1\}\([0-9][0-9]*\)"\{0,1\},\{0,1\}$/\1/p' <<<"$out" | head -n 1)
                else
                        kind=unavailable
                        out=$("$DUTYCTL" --json unavailable add "${people[$((n % ${#people[@]}))]}" \
                                --from 2027-06-01 --to 2027-06-02 --reason "$key" 2>/dev/null) || continue
                        id=$(sed -n 's/^ *"id": \([0-9][0-9]*\),\{0,1\}$/\1/p' <<<"$out" | head -n 1)
                fi
                [ -n "$id" ] || { echo "unparsable acknowledgement: $out" >"$T/acks/bad-$k"; continue; }
                # One short line per write: appended whole.
                echo "$kind $id $key" >>"$T/acks/client-$k"
        done
}

round=0
start_dutyd
for k in $(seq 1 "$CLIENTS"); do
        client "$k" &
        CLIENT_PIDS+=($!)
done

for round in $(seq 1 "$ROUNDS"); do
        [ -n "$DUTYD_PID" ] || start_dutyd
        sleep "$(awk -v r="$RANDOM" -v m="$RUN_MSEC_MAX" 'BEGIN { printf "%.3f", (r % m) / 1000 }')"
        kill -KILL "$DUTYD_PID"
        wait "$DUTYD_PID" 2>/dev/null || true
        DUTYD_PID=
done

touch "$T/stop"
for p in "${CLIENT_PIDS[@]}"; do
        wait "$p" || true
done
CLIENT_PIDS=()
ls "$T"/acks/bad-* >/dev/null 2>&1 && fail "a client could not read an acknowledgement: $(cat "$T"/acks/bad-*)"

# Restarting runs the daemon's own integrity check; then look at the file.
round=final
start_dutyd
kill -TERM "$DUTYD_PID"
wait "$DUTYD_PID" || fail "dutyd did not stop cleanly"
DUTYD_PID=

integrity=$(sqlite3 "$DB" "PRAGMA integrity_check")
[ "$integrity" = "ok" ] || fail "integrity_check: $integrity"

cat "$T"/acks/client-* 2>/dev/null >"$T/acked" || true
acknowledged=$(wc -l <"$T/acked")
sqlite3 -separator ' ' "$DB" \
        "SELECT 'unavailable', id, reason FROM unavailable; SELECT 'sensitive', id, name FROM sensitive_period;" \
        | sort >"$T/stored"
sort "$T/acked" >"$T/acked.sorted"
lost=$(comm -23 "$T/acked.sorted" "$T/stored" | wc -l)
found=$((acknowledged - lost))
audit_rows=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE result = 'ok'")

echo "crash-storm: $ROUNDS rounds, $CLIENTS clients: acknowledged $acknowledged, found $found, lost $lost" \
     "(stored $(wc -l <"$T/stored"), audit rows ok $audit_rows, integrity_check $integrity)"

if [ "$lost" -ne 0 ]; then
        echo "lost writes:" >&2
        comm -23 "$T/acked.sorted" "$T/stored" | head -n 20 >&2
        exit 1
fi
[ "$acknowledged" -gt 0 ] || fail "no write was acknowledged"
# Every stored change came with its audit row, in the same transaction.
[ "$audit_rows" -eq "$(wc -l <"$T/stored")" ] || fail "$audit_rows audit rows for $(wc -l <"$T/stored") stored writes"

round=verify
start_dutyd
"$DUTYCTL" audit --verify >/dev/null || fail "audit chain broken after the storm"
kill -TERM "$DUTYD_PID"
wait "$DUTYD_PID" || true
DUTYD_PID=
echo "ok"
