#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A feed directory that cannot be written is one journal warning, not one per change: feeds.dir is
# a plain file, dutyd starts, five changes follow; the journal holds exactly one entry with the
# feeds' MESSAGE_ID (in the catalog), naming the directory, and every request is answered. Once the
# file is gone, the next change writes the feeds, and dutyd's log says so. Without root or
# systemd-journald the journal checks are left out and the rest still runs.
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/feeds-lib.sh"
journal_start

ID_FAILED=8d1886402ee54301a0e8f4dd66bcdb22
feeds_conf
echo "not a directory" >"$FEEDS"
export DUTYD_NOW=2026-09-25T10:00
start_dutyd
"$DUTYCTL" roster generate --from 2026-09-28 --to 2026-10-09 >/dev/null || fail "roster generate"
"$DUTYCTL" roster publish --from 2026-09-28 --to 2026-10-09 >/dev/null || fail "roster publish"
R=$("$DUTYCTL" --json roster show --from 2026-09-28 --to 2026-10-09) || fail "roster show"
P=$(json_get "$R" "[a['person'] for x in d['days'] if x['day']['date'] == '2026-10-05' for a in x['assignments'] if a['post'] == 'officer_on_duty' and a['slot'] == 0][0]")
for i in 1 2; do
        "$DUTYCTL" roster unassign 2026-10-05 officer_on_duty "$P" --amend --reason "测试" >/dev/null || fail "unassign"
        "$DUTYCTL" roster assign 2026-10-05 officer_on_duty "$P" --amend --reason "测试" >/dev/null || fail "assign"
done
"$DUTYCTL" status >/dev/null || fail "status"
sleep 0.3

if [ -n "$JOURNAL" ]; then
        J=(journalctl --directory=/run/log/journal --quiet --no-pager)
        journalctl --sync 2>/dev/null || true
        c=$("${J[@]}" -o json MESSAGE_ID=$ID_FAILED 2>/dev/null | grep -c . || true)
        expect_eq "$c" "1" "warnings of the unwritable feed directory after six changes"
        e=$("${J[@]}" -o json MESSAGE_ID=$ID_FAILED 2>/dev/null)
        expect_eq "$(json_get "$e" '(d["PRIORITY"], d["DUTY_FEED_DIR"])')" "('4', '$FEEDS')" "the warning's fields"
        expect_contains "$(json_get "$e" 'd["MESSAGE"]')" "日历订阅文件无法写入 $FEEDS：Not a directory" "the warning says why"
        grep -q "^-- $ID_FAILED\$" "$SRCDIR/packaging/dutyd.catalog" || fail "the warning is not in the catalog"
        grep -q "^-- $ID_FAILED zh_CN\$" "$SRCDIR/packaging/dutyd.catalog" || fail "the warning has no Chinese catalog entry"
fi

rm "$FEEDS"
"$DUTYCTL" roster unassign 2026-10-05 officer_on_duty "$P" --amend --reason "测试" >/dev/null || fail "unassign"
wait_for_file "$FEEDS/office.ics"
wait_for_file "$FEEDS/person-$P.ics"
! grep -q "^UID:20261005-officer_on_duty-0-$P" "$FEEDS/person-$P.ics" || fail "the last change is not in the feed"
# Said at the end of the run, which may still be writing the other people's feeds.
for _ in $(seq 1 200); do
        grep -q "日历订阅文件已恢复写入 $FEEDS" "$T/dutyd.log" && break
        sleep 0.05
done
expect_contains "$(cat "$T/dutyd.log")" "日历订阅文件已恢复写入 $FEEDS" "the recovery in dutyd's log (the office's language)"

stop_dutyd
echo "ok${JOURNAL:+, the journal checked}"
