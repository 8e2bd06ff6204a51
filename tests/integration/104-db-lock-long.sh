#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Another program holds the database's write lock for longer than a write's bound (the sqlite3
# shell inside BEGIN EXCLUSIVE, LOCK_MS): dutyd's event loop never waits for it.
#   - Status, asked every ~0.5 s throughout, is answered at once (each latency printed, then the
#     median and the maximum), while writes wait;
#   - writes sent at once, in two waves, each wait off the loop for the bound (API_LOCK_WAIT_USEC,
#     5 s) and are then refused with the sentence naming the lock: not sooner (they waited and were
#     tried again) and not much later (nothing else held them up);
#   - a write sent shortly before the lock is released waits, is tried again, and succeeds once the
#     lock is gone;
#   - WATCHDOG=1 keeps coming at its interval all along (the loop runs);
#   - the gap monitor, run by a reload that opens gaps, does not wait for the lock either: it tells
#     nothing while the lock is held, and everything at its next run (after the next change);
#   - the audit log gets the one write that was committed, and its chain is intact.
# Latencies are printed; the bounds asserted are generous, for a loaded machine.
. "$(dirname "$0")/lib.sh"

export DUTYD_NOW=2026-03-02T10:00
# daemon/api-audit.h: API_LOCK_WAIT_USEC.
LOCK_WAIT_MS=5000
WRITE_MIN_MS=$((LOCK_WAIT_MS - 500))
WRITE_MAX_MS=$((LOCK_WAIT_MS + 5000))
# How long the shell holds the lock: longer than two bounds, so that the second wave of writes is
# refused while it is still held.
LOCK_MS=12000
WAVE2_AT_MS=6000
LATE_AT_MS=$((LOCK_MS - 2000))
STATUS_MAX_MS=1000
WRITERS=6
# The watchdog interval given to dutyd: sd-event sends WATCHDOG=1 at half of it. A gap this long
# between two would have got the service killed.
WATCHDOG_MS=2000

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The service manager's NOTIFY_SOCKET, each message written with the time it came (ms).
NOTIFY="$T/notify.sock"
# Its output is not the test's: a failing test must not wait for it to end.
python3 "$(dirname "$0")/notify-listen.py" --times "$NOTIFY" "$T/notify.log" 60 >/dev/null 2>&1 &
LISTENER=$!
for _ in $(seq 1 100); do [ -S "$NOTIFY" ] && break; sleep 0.05; done
[ -S "$NOTIFY" ] || fail "the notify listener did not start"

NOTIFY_SOCKET="$NOTIFY" WATCHDOG_USEC=$((WATCHDOG_MS * 1000)) start_dutyd
DB="$T/state/dutyd.sqlite"
"$DUTYCTL" roster generate --from 2026-03-02 --to 2026-04-30 >/dev/null || fail "roster generate"

"$DUTYCTL" unavailable add fengj --from 2026-03-10 --to 2026-03-12 --reason 培训 >/dev/null ||
        fail "a write before the lock"
rows_before=$(sqlite3 "$DB" "SELECT count(*) FROM audit")
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$DUTYD_PID/stat"; }

lock_database 60
# Read once the lock is held: the gap monitor runs after the reply of the write above, so it may
# still be writing what that write opened until the lock is taken; after that nothing can change.
alerts_before=$(sqlite3 "$DB" "SELECT count(*) FROM alert_state")
T0=$(now_ms)
cpu0=$(cpu_ticks)

# write NAME DAY: one write in the background, its exit status and latency to $T/w.NAME.
write() {
        (
                t0=$(now_ms)
                rc=0
                LC_ALL= LANG=en_US.UTF-8 "$DUTYCTL" unavailable add fengj --from "$2" --to "$2" --reason 培训 \
                        >/dev/null 2>"$T/w.$1.err" || rc=$?
                echo "$rc $(( $(now_ms) - t0 ))" >"$T/w.$1"
        ) &
}
wave() {
        for i in $(seq 1 "$WRITERS"); do
                write "$1$i" "2026-03-$((13 + i))"
        done
}

wave a
wave2=false
late=false
reloaded=false
: >"$T/status.ms"
while [ $(( $(now_ms) - T0 )) -lt "$LOCK_MS" ]; do
        # Two officers on duty on workdays from now on: every workday of the roster has a gap.
        if ! $reloaded && [ $(( $(now_ms) - T0 )) -ge 1000 ]; then
                sed -i '/id = "officer_on_duty"/,/count/s/workday = 1;/workday = 2;/' "$T/etc/dutyd.conf"
                kill -HUP "$DUTYD_PID"
                reloaded=true
        fi
        if ! $wave2 && [ $(( $(now_ms) - T0 )) -ge "$WAVE2_AT_MS" ]; then
                wave b
                wave2=true
        fi
        if ! $late && [ $(( $(now_ms) - T0 )) -ge "$LATE_AT_MS" ]; then
                write late 2026-03-25
                LATE_SENT=$(( $(now_ms) - T0 ))
                late=true
        fi
        t0=$(now_ms)
        "$DUTYCTL" status >/dev/null || fail "Status while another program holds the lock"
        echo $(( $(now_ms) - t0 )) >>"$T/status.ms"
        sleep 0.5
done
cpu1=$(cpu_ticks)
alerts_locked=$(sqlite3 "$DB" "SELECT count(*) FROM alert_state")
printf 'COMMIT;\n.quit\n' >&3
exec 3>&-
RELEASED=$(( $(now_ms) - T0 ))
wait "$LOCKER" || fail "the sqlite3 shell did not finish: $(cat "$T/sql.out")"
LOCKER=
for _ in $(seq 200); do
        [ "$(ls "$T"/w.a? "$T"/w.b? "$T"/w.late 2>/dev/null | wc -l)" -eq $((2 * WRITERS + 1)) ] && break
        sleep 0.1
done

# The figures first, all of them; then the checks.
sort -n "$T/status.ms" >"$T/status.sorted"
n_status=$(wc -l <"$T/status.sorted")
status_median=$(sed -n "$(( (n_status + 1) / 2 ))p" "$T/status.sorted")
status_max=$(tail -n 1 "$T/status.sorted")
echo "Status while locked: $n_status answers, each in ms: $(tr '\n' ' ' <"$T/status.ms")"
echo "Status while locked: median $status_median ms, max $status_max ms (bound asserted $STATUS_MAX_MS ms)"
for f in "$T"/w.a? "$T"/w.b?; do
        [ -f "$f" ] || fail "the write $(basename "$f") never finished"
        read -r rc ms <"$f"
        echo "write $(basename "$f"): exit $rc after $ms ms (bound $LOCK_WAIT_MS ms)"
done
[ -f "$T/w.late" ] || fail "the write sent before the release never finished"
read -r late_rc late_ms <"$T/w.late"
echo "write sent at $LATE_SENT ms, lock released at $RELEASED ms: exit $late_rc after $late_ms ms"
echo "dutyd's CPU time during the ${LOCK_MS} ms lock: $(( (cpu1 - cpu0) * 1000 / $(getconf CLK_TCK) )) ms"
awk -v from="$T0" -v to="$((T0 + RELEASED))" '
        / WATCHDOG=1$/ && $1 >= from - 2000 && $1 <= to + 2000 {
                if (prev) { gap = $1 - prev; if (gap > max) max = gap }
                if ($1 >= from && $1 <= to) n++
                prev = $1
        }
        END { printf "%d %d\n", n, max }' "$T/notify.log" >"$T/watchdog"
read -r wd_n wd_max <"$T/watchdog"
echo "WATCHDOG=1 during the lock: $wd_n, longest gap $wd_max ms (interval $WATCHDOG_MS ms)"

[ "$status_max" -lt "$STATUS_MAX_MS" ] || fail "a Status took $status_max ms while the database was locked"
for f in "$T"/w.a? "$T"/w.b?; do
        read -r rc ms <"$f"
        expect_eq "$rc" "1" "write $(basename "$f") while another program holds the lock"
        err=$(cat "$f.err")
        expect_contains "$err" "locked by another program" "write $(basename "$f")"
        expect_contains "$err" "try again" "write $(basename "$f")"
        [ "$ms" -ge "$WRITE_MIN_MS" ] || fail "write $(basename "$f") was refused after $ms ms: it did not wait for the lock"
        [ "$ms" -lt "$WRITE_MAX_MS" ] || fail "write $(basename "$f") was refused after $ms ms"
done
expect_eq "$late_rc" "0" "the write sent shortly before the lock was released ($(cat "$T/w.late.err"))"
[ "$wd_n" -ge $(( RELEASED / WATCHDOG_MS )) ] || fail "only $wd_n WATCHDOG=1 during the lock"
[ "$wd_max" -lt "$WATCHDOG_MS" ] || fail "no WATCHDOG=1 for $wd_max ms during the lock"

# The gap monitor told nothing while the lock was held, and the gaps once the late write committed.
grep -q "Configuration reloaded" "$T/dutyd.log" || fail "no reload during the lock"
grep -q "Gap monitor: the database is locked by another program" "$T/dutyd.log" ||
        fail "the gap monitor did not find the database locked"
expect_eq "$alerts_locked" "$alerts_before" "gaps remembered while the lock was held"
grep -q "Gap monitor: the database is no longer locked" "$T/dutyd.log" ||
        fail "the gap monitor did not run again after the lock"
alerts_after=$(sqlite3 "$DB" "SELECT count(*) FROM alert_state")
echo "gaps remembered: $alerts_before before the lock, $alerts_locked while it was held, $alerts_after after"
[ "$alerts_after" -gt "$alerts_before" ] || fail "the gaps opened during the lock were never told"

# The journal tells how long each refused write waited.
expect_eq "$(grep -c "waited [0-9]* ms for the database, locked by another program, and is refused" "$T/dutyd.log")" \
        "$((2 * WRITERS))" "log lines of the refused writes"
# Only the write committed after the release is in the audit log.
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM audit")" "$((rows_before + 1))" "audit rows after the lock"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM unavailable")" "2" "unavailabilities after the lock"
expect_eq "$(sqlite3 "$DB" "SELECT method || ' ' || result FROM audit ORDER BY id DESC LIMIT 1")" \
        "UnavailableAdd ok" "the newest audit row"
"$DUTYCTL" audit --verify >/dev/null || fail "audit chain after the lock"
"$DUTYCTL" status >/dev/null || fail "Status after the lock"
kill "$LISTENER" 2>/dev/null || true
stop_dutyd
echo "ok"
