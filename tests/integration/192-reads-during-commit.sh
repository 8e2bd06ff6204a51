#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Reads never wait for the commit of other callers' writes: they run on the store's second,
# read-only connection, which sees what is committed. With each group of writes held open on
# purpose (DUTYD_COMMIT_DELAY_MS=8000, a test hook: the group commits 8 s after its first write;
# under valgrind the four reads take some 4 s),
# while a leave request waits for its commit:
#   - Status, Who, RosterShow and LeaveList are answered (the request still unanswered when they
#     have returned), and LeaveList does not show the leave not yet committed;
#   - the request is then acknowledged, and LeaveList shows it.
# Before, every read that touched the database while a group was open was held until its commit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/leave-lib.sh"

export DUTYD_NOW=2026-03-02T10:10
export DUTYD_COMMIT_DELAY_MS=8000
touch "$T/dutyd.log"
start_dutyd
grep -q "DUTYD_COMMIT_DELAY_MS (test hook)" "$T/dutyd.log" || fail "the test hook is not in force"

groups() { grep -c "A group of writes begins" "$T/dutyd.log" || true; }
# wait_group N: until the Nth group of writes has begun (at most 20 s).
wait_group() {
        local i
        for i in $(seq 200); do
                [ "$(groups)" -ge "$1" ] && return 0
                sleep 0.1
        done
        fail "no group of writes number $1 began"
}

"$DUTYCTL" roster generate --from 2026-03-02 --to 2026-03-15 >/dev/null || fail "roster generate"
expect_eq "$(groups)" "1" "the roster's write made one group"
sleep 1       # what follows a commit (the gap monitor's own transaction) is done

ok 0 --json leave list
before=$(json_get "$OUT" 'len(d["leaves"])')

# ---- a write waits for its commit; the reads do not ----
as_uid "$OFFICER_UID" "$DUTYCTL" --json leave request --from 2026-03-16 --to 2026-03-16 \
        --destination 上海 --reason 探亲 >"$T/request.out" 2>"$T/request.err" &
WRITER=$!
wait_group 2
started=$(date +%s%N)
ok 0 status
ok "$OFFICER_UID" who
ok 0 --json roster show --from 2026-03-02 --to 2026-03-08
expect_eq "$(json_get "$OUT" 'len(d["days"])')" "7" "the roster's days, shown while the write waits"
ok 0 --json leave list
answered_ms=$(( ($(date +%s%N) - started) / 1000000 ))
expect_eq "$(json_get "$OUT" 'len(d["leaves"])')" "$before" "the leave not yet committed is not listed"
kill -0 "$WRITER" 2>/dev/null || fail "the leave request was answered before the reads returned: they waited for its commit"
echo "Status, Who, RosterShow and LeaveList answered in ${answered_ms} ms while a leave request waited for its commit"

# ---- then the write is acknowledged, and seen ----
wait "$WRITER" || fail "the leave request failed: $(cat "$T/request.err")"
id=$(json_get "$(cat "$T/request.out")" 'd["leave"]["id"]')
ok 0 --json leave list
expect_eq "$(json_get "$OUT" 'len(d["leaves"])')" "$((before + 1))" "the committed leave is listed"
expect_eq "$(json_get "$OUT" "any(l['id'] == $id for l in d['leaves'])")" "True" "leave $id listed"
echo "ok: reads answered while a write waited for its commit, without its changes; seen once committed"
