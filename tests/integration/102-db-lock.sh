#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Another program holding the database's write lock (the sqlite3 shell inside BEGIN EXCLUSIVE) does
# not freeze dutyd: Status and Who keep being answered at once, also while writes wait; a write
# waits off the event loop for its bound (API_LOCK_WAIT_USEC, 5 s) and is then refused with a
# sentence naming the lock, and leaves no audit row that would have waited for the same lock; once
# the lock is released, writes work again. 104-db-lock-long holds the lock longer.
. "$(dirname "$0")/lib.sh"
verbose_dutyctl

export DUTYD_NOW=2026-03-02T10:00
start_dutyd
DB="$T/state/dutyd.sqlite"
# Bounds generous for a loaded machine; before, each write waited 10 s (5 s busy timeout, then 5 s
# more for its failure's audit row) and every call queued behind it.
READ_MAX_MS=2000
# A write waits this long (daemon/api-audit.h, API_LOCK_WAIT_USEC) before it is refused; sooner means it
# did not wait, much later that something else held it up.
LOCK_WAIT_MS=5000
WRITE_MIN_MS=$((LOCK_WAIT_MS - 500))
WRITE_MAX_MS=$((LOCK_WAIT_MS + 5000))

"$DUTYCTL" unavailable add fengj --from 2026-03-10 --to 2026-03-12 --reason 培训 >/dev/null ||
        fail "a write before the lock"
rows_before=$(sqlite3 "$DB" "SELECT count(*) FROM audit")

lock_database 40

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# timed WHAT CMD…: runs CMD, prints its latency, fails beyond READ_MAX_MS or on an error.
timed_read() {
        local what=$1 t0 ms
        shift
        t0=$(now_ms)
        "$@" >/dev/null || fail "$what while another program holds the lock"
        ms=$(( $(now_ms) - t0 ))
        echo "$what answered in $ms ms while the database is locked"
        [ "$ms" -lt "$READ_MAX_MS" ] || fail "$what took $ms ms while the database is locked"
}

timed_read Status "$DUTYCTL" status
timed_read Who "$DUTYCTL" who
timed_read RosterShow "$DUTYCTL" roster show --from 2026-03-01 --to 2026-03-31

# A write cannot get the lock: refused after its bound, saying why and what to do; in both
# languages, the two waiting at the same time.
t0=$(now_ms)
(LC_ALL= LANG=zh_CN.UTF-8 "$DUTYCTL" unavailable add fengj --from 2026-03-20 --to 2026-03-21 --reason 培训 \
        >/dev/null 2>"$T/zh.err" || true) &
ZH=$!
rc=0
err=$(LC_ALL= LANG=en_US.UTF-8 "$DUTYCTL" unavailable add fengj --from 2026-03-20 --to 2026-03-21 --reason 培训 \
        2>&1 >/dev/null) || rc=$?
ms=$(( $(now_ms) - t0 ))
echo "the write was refused in $ms ms (bound $LOCK_WAIT_MS ms): $err"
expect_eq "$rc" "1" "a write while another program holds the lock"
expect_contains "$err" "Failed" "a write while another program holds the lock"
expect_contains "$err" "locked by another program" "a write while another program holds the lock"
expect_contains "$err" "try again" "a write while another program holds the lock"
[ "$ms" -ge "$WRITE_MIN_MS" ] || fail "the refused write took $ms ms: it did not wait for the lock"
[ "$ms" -lt "$WRITE_MAX_MS" ] || fail "the refused write took $ms ms"
# The daemon's own language too.
wait "$ZH"
expect_contains "$(cat "$T/zh.err")" "数据库正被其他程序锁定" "a write while another program holds the lock (zh)"

# A Status sent while writes wait is answered without waiting behind them.
writers=()
for _ in 1 2 3; do
        "$DUTYCTL" unavailable add fengj --from 2026-03-20 --to 2026-03-21 --reason 培训 >/dev/null 2>&1 &
        writers+=($!)
done
sleep 0.05
timed_read "Status behind three writes" "$DUTYCTL" status
for p in "${writers[@]}"; do
        wait "$p" && fail "a write succeeded while another program holds the lock"
done

# The journal says why the failed writes have no audit row.
grep -q "locked by another program.*audit row is not written" "$T/dutyd.log" ||
        fail "no log line for the audit rows left out"

# Release the lock: writes work again, and only they are in the audit log.
printf 'COMMIT;\n.quit\n' >&3
exec 3>&-
wait "$LOCKER" || fail "the sqlite3 shell did not finish: $(cat "$T/sql.out")"
LOCKER=
"$DUTYCTL" unavailable add fengj --from 2026-03-20 --to 2026-03-21 --reason 培训 >/dev/null ||
        fail "a write after the lock was released"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM audit")" "$((rows_before + 1))" \
        "audit rows after the lock (the refused writes add none)"
expect_eq "$(sqlite3 "$DB" "SELECT method || ' ' || result FROM audit ORDER BY id DESC LIMIT 1")" \
        "UnavailableAdd ok" "the newest audit row"
"$DUTYCTL" audit --verify >/dev/null || fail "audit chain after the lock"
