#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A subscriber never reads half a feed: while 60 amendments follow one another (the officer of a
# day taken off and given back, 0.1 s apart: dutyd keeps its runs 0.3 s apart, so most pairs
# show), a reader reads office.ics and a person's feed in a loop and parses every version it sees
# whole with python3-icalendar (ending in END:VCALENDAR). It must see three versions at least (the feeds
# did change under it) and no torn one; no temporary file is left in the directory afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/feeds-lib.sh"

feeds_conf
export DUTYD_NOW=2026-09-25T10:00
start_dutyd
"$DUTYCTL" roster generate --from 2026-09-28 --to 2026-10-09 >/dev/null || fail "roster generate"
"$DUTYCTL" roster publish --from 2026-09-28 --to 2026-10-09 >/dev/null || fail "roster publish"
R=$("$DUTYCTL" --json roster show --from 2026-09-28 --to 2026-10-09) || fail "roster show"
DAY=2026-10-05
P=$(json_get "$R" "[a['person'] for x in d['days'] if x['day']['date'] == '$DAY' for a in x['assignments'] if a['post'] == 'officer_on_duty' and a['slot'] == 0][0]")
wait_for_file "$FEEDS/person-$P.ics"
until grep -q "^UID:20261005-officer_on_duty-0-$P" "$FEEDS/office.ics"; do sleep 0.02; done

for f in office.ics "person-$P.ics"; do
        "$PY" "$FEEDS_CHECK" reader "$FEEDS/$f" "$T/stop" >"$T/reader.$f" 2>&1 &
        eval "READER_${#f}=$!"
        pids+=($!)
done

start=$SECONDS
for i in $(seq 1 30); do
        "$DUTYCTL" roster unassign "$DAY" officer_on_duty "$P" --amend --reason "测试$i" >/dev/null || fail "unassign $i"
        sleep 0.1
        "$DUTYCTL" roster assign "$DAY" officer_on_duty "$P" --amend --reason "测试$i" >/dev/null || fail "assign $i"
        sleep 0.1
done
echo "60 amendments in $((SECONDS - start)) s"
sleep 0.3
touch "$T/stop"
for pid in "${pids[@]}"; do
        rc=0
        wait "$pid" || rc=$?
        [ "$rc" -eq 0 ] || { cat "$T"/reader.*; fail "a reader saw a torn feed"; }
done
for f in office.ics "person-$P.ics"; do
        read -r reads versions torn < <(head -1 "$T/reader.$f")
        echo "$f: $reads reads, $versions versions, $torn torn"
        expect_eq "$torn" "0" "torn reads of $f"
        [ "$versions" -ge 3 ] || fail "$f: only $versions versions seen: the feed did not change under the reader"
done
[ -z "$(find "$FEEDS" -name '.*')" ] || fail "temporary files left: $(ls -A "$FEEDS")"
"$ICS_CHECK" "$FEEDS/office.ics" >/dev/null || fail "libical refuses the last office.ics"

stop_dutyd
echo "ok"
