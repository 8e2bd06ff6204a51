#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Two swaps touching the same duty, both accepted, approved at the same moment from two clients
# (two dutyctl processes, two uids): exactly one is applied, the other is refused with the reason,
# and the roster is never left half swapped. Three rounds, each with an exchange of two duties and a
# substitution of one of them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/swap-lib.sh"

export DUTYD_NOW=2026-06-01T10:00
start_dutyd
generate_roster

USED=(zhouxd)
for round in 1 2 3; do
        refresh_roster
        read -r A D C DC <<<"$(python3 "$SWAP_PY" pair "$T/roster.json" "$T/people.json" officer_on_duty \
                2026-06-05 2026-06-28 "$REST" "${USED[@]}")"
        [ -n "$DC" ] || fail "round $round: no two duties to exchange"
        B=$(free_person officer "$D" "$A" "$C" "${USED[@]}")
        [ -n "$B" ] || fail "round $round: no free officer around $D"
        USED+=("$A" "$C" "$B")

        # X exchanges A's D with C's DC; Y hands A's D to B. Both touch A's duty of D.
        X=$(swap_field "$(as_person "$A" "$DUTYCTL" --json swap request "$D" --with "$C" --their-date "$DC")" '["id"]')
        Y=$(swap_field "$(as_person "$A" "$DUTYCTL" --json swap cover "$D" --by "$B")" '["id"]')
        [ -n "$X" ] && [ -n "$Y" ] || fail "round $round: requests refused"
        as_person "$C" "$DUTYCTL" swap accept "$X" >/dev/null || fail "round $round: accept X"
        as_person "$B" "$DUTYCTL" swap accept "$Y" >/dev/null || fail "round $round: accept Y"

        # Root approves X while the administrator zhouxd approves Y, at once.
        rm -f "$T/go" "$T/x.rc" "$T/y.rc"
        mkfifo "$T/go"
        ( read -r _ <"$T/go" || true; rc=0; "$DUTYCTL" swap approve "$X" >"$T/x.out" 2>"$T/x.err" || rc=$?; echo $rc >"$T/x.rc" ) &
        px=$!
        ( read -r _ <"$T/go" || true; rc=0; as_person zhouxd "$DUTYCTL" swap approve "$Y" >"$T/y.out" 2>"$T/y.err" || rc=$?
          echo $rc >"$T/y.rc" ) &
        py=$!
        # Both wait at the FIFO; one write releases both readers together.
        sleep 0.2
        echo go go >"$T/go"
        wait "$px" "$py"
        rx=$(cat "$T/x.rc") || fail "round $round: the first client did not finish"
        ry=$(cat "$T/y.rc") || fail "round $round: the second client did not finish"

        expect_eq "$(( (rx == 0) + (ry == 0) ))" "1" "round $round: exactly one approval applies (X $rx, Y $ry)"
        if [ "$rx" = 0 ]; then
                loser=y winner=$X other=$Y
        else
                loser=x winner=$Y other=$X
        fi
        expect_eq "$(cat "$T/$loser.rc")" "1" "round $round: the other approval exits 1"
        expect_contains "$(cat "$T/$loser.err")" "[roster_changed]" "round $round: the other approval's reason"

        expect_eq "$(swap_field "$("$DUTYCTL" --json swap show "$winner")" '["state"]')" "applied" "round $round: winner"
        expect_eq "$(swap_field "$("$DUTYCTL" --json swap show "$other")" '["state"]')" "accepted" "round $round: loser kept as it was"

        # The roster is one of the two outcomes, whole.
        refresh_roster
        now="$(duty "$D" officer_on_duty) $(duty "$DC" officer_on_duty)"
        if [ "$rx" = 0 ]; then
                expect_eq "$now" "$C $A" "round $round: the exchange applied whole"
        else
                expect_eq "$now" "$B $C" "round $round: the substitution applied alone"
        fi

        # The loser may be withdrawn; it can never apply now.
        as_person "$A" "$DUTYCTL" swap cancel "$other" >/dev/null || fail "round $round: cancel the loser"
done

# The roster as a whole still keeps every rule: each person at most once a day, a day's rest.
python3 - "$T/roster.json" <<'PY' || fail "the roster breaks a rule after the concurrent approvals"
import datetime, json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
days = {}
for d in r["days"]:
    seen = set()
    for a in d["assignments"]:
        p = a.get("person")
        if not p:
            continue
        assert p not in seen, (d["day"]["date"], p)
        seen.add(p)
        days.setdefault(p, []).append(datetime.date.fromisoformat(a["date"]))
for p, ds in days.items():
    ds.sort()
    for x, y in zip(ds, ds[1:]):
        assert (y - x).days > 1, (p, x, y)
PY

stop_dutyd
echo "ok"
