#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Open log items (待办) pass to the new duty at the handover (交接班), on the real daemon with the
# test clock:
#   - the duty of 2026-06-01 writes two open items, closes one of them, and writes an entry that
#     is no open item; an open item of 2026-05-31 is still open;
#   - `handover list` before anybody took over names the posts not taken over by their display
#     names (值班员, 带班领导), not their ids, and the reply carries those names;
#   - the incoming officer's `handover take` (HandoverTake) carries the open items still open, the
#     old ones included, oldest first, and nothing closed or not open; the leader's takeover prints
#     them with their matter and the day they date from;
#   - the outgoing officer's `handover give` (HandoverGive) carries the same items, and prints them;
#   - once the incoming duty closes an item, the next handover no longer carries it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/swap-lib.sh"

FROM=2026-05-31
export DUTYD_NOW=2026-05-30T10:00
start_dutyd
generate_roster
stop_dutyd
export DUTYD_NOW=2026-05-31T10:00
start_dutyd

D0=2026-05-31
D1=2026-06-01
D2=2026-06-02
O0=$(duty $D0 officer_on_duty)
O1=$(duty $D1 officer_on_duty)
O2=$(duty $D2 officer_on_duty)
L2=$(duty $D2 leader_on_call)
[ -n "$O0" ] && [ -n "$O1" ] && [ -n "$O2" ] && [ -n "$L2" ] || fail "no officers or leader around $D1"

entry_id() {
        json_get "$1" 'd["entry"]["id"]'
}

# ---- 2026-05-31 and 2026-06-01: the log ----

out=$(as_person "$O0" "$DUTYCTL" --json log add call "省厅来电：请报送汛期物资清单" --open) || fail "log add on $D0"
OLD=$(entry_id "$out")
stop_dutyd

export DUTYD_NOW=2026-06-01T10:00
start_dutyd
out=$(as_person "$O1" "$DUTYCTL" --json log add assignment "县长交办：核实桥梁受损情况" --time 09:30 --open) ||
        fail "log add (open) on $D1"
KEEP=$(entry_id "$out")
out=$(as_person "$O1" "$DUTYCTL" --json log add call "乡镇来电：道路已恢复通行" --time 09:40 --open) ||
        fail "log add (open, closed later) on $D1"
DONE=$(entry_id "$out")
out=$(as_person "$O1" "$DUTYCTL" --json log add other "值班电话测试正常" --time 09:50) || fail "log add on $D1"
PLAIN=$(entry_id "$out")
as_person "$O1" "$DUTYCTL" log close "$DONE" --note "已回复" >/dev/null || fail "log close $DONE"
stop_dutyd

# ---- 2026-06-02, ten minutes before the handover ----

export DUTYD_NOW=2026-06-02T08:20
start_dutyd

out=$("$DUTYCTL" --json handover list) || fail "handover list"
expect_eq "$(json_get "$out" 'd["date"]')" "$D2" "the day being taken over"
expect_eq "$(json_get "$out" 'sorted(zip(d["pending"], d["pending_names"]))')" \
        "[('leader_on_call', '带班领导'), ('officer_on_duty', '值班员')]" "the posts not taken over, with their names"
human=$("$DUTYCTL" handover list) || fail "handover list (text)"
line=$(grep -E "Not taken over yet|尚未接班" <<<"$human") || fail "handover list names no post not taken over: $human"
expect_contains "$line" "值班员" "handover list names the officer's post"
expect_contains "$line" "带班领导" "handover list names the leader's post"
case "$line" in
*officer_on_duty* | *leader_on_call*) fail "handover list shows post ids: $line" ;;
esac

out=$(as_person "$O2" "$DUTYCTL" --json handover take) || fail "handover take by $O2"
expect_eq "$(json_get "$out" '[e["id"] for e in d["open_items"]]')" "[$OLD, $KEEP]" \
        "the open items the incoming officer takes over (not the closed one, not the plain entry $PLAIN)"
expect_eq "$(json_get "$out" 'all(e["pending"] for e in d["open_items"])')" "True" "the items carried are open"
expect_eq "$(json_get "$out" '[e["date"] for e in d["open_items"]]')" "['$D0', '$D1']" "the days the items date from"

human=$(as_person "$L2" "$DUTYCTL" handover take) || fail "handover take by $L2"
echo "$human"
expect_contains "$human" "县长交办：核实桥梁受损情况" "the leader's takeover prints the open item of $D1"
expect_contains "$human" "省厅来电：请报送汛期物资清单" "the leader's takeover prints the open item of $D0"
expect_contains "$human" "$D0" "the takeover says since when an item is open"
case "$human" in
*道路已恢复通行* | *值班电话测试正常*) fail "the takeover prints entries that are no open items: $human" ;;
esac

out=$(as_person "$O1" "$DUTYCTL" --json handover give --note "桥梁情况待核实") || fail "handover give by $O1"
expect_eq "$(json_get "$out" 'd["date"]')" "$D1" "the day handed over"
expect_eq "$(json_get "$out" '[e["id"] for e in d["open_items"]]')" "[$OLD, $KEEP]" \
        "the open items the outgoing officer leaves open"
stop_dutyd

# ---- 2026-06-02 during the day: the new duty closes one; the next handover carries the other ----

export DUTYD_NOW=2026-06-02T11:00
start_dutyd
as_person "$O2" "$DUTYCTL" log close "$OLD" --note "清单已报送" >/dev/null || fail "log close $OLD"
stop_dutyd

export DUTYD_NOW=2026-06-03T08:25
start_dutyd
O3=$(duty 2026-06-03 officer_on_duty)
out=$(as_person "$O3" "$DUTYCTL" --json handover take) || fail "handover take by $O3"
expect_eq "$(json_get "$out" '[e["id"] for e in d["open_items"]]')" "[$KEEP]" "only the item still open passes on"
human=$(as_person "$O2" "$DUTYCTL" handover give) || fail "handover give by $O2"
echo "$human"
expect_contains "$human" "县长交办：核实桥梁受损情况" "the handover prints the item left open"
case "$human" in
*汛期物资清单*) fail "the handover prints an item closed: $human" ;;
esac
stop_dutyd
echo "ok"
