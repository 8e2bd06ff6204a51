#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A leader's changed itinerary (issue #19): LeaveChange on the sample office, which reports its
# principals' trips to the superior office, read back from a real journald (journal-lib.sh), and
# the superior's aggregator fed with exactly what the office wrote (systemd-journal-remote made
# the file from the office's own entries, as 175-offices-ingest does):
#   - the county head's approved trip changed by her approver: new days and destination, the
#     history says from what to what and why, the audit log has the call;
#   - a change onto the Party secretary's approved days is refused by never_together, the
#     message naming the rule and the day, and the leave stays as it was;
#   - the applicant cannot change her approved leave herself; she can change her pending one,
#     which is not reported (nothing was approved yet);
#   - the report: leave-N version 1 approved, version 2 changed with the new days, same key;
#   - the aggregator shows the latest itinerary (version 2, the new destination and start).
#
# Needs root (mount namespaces); anything else is reported as skipped (exit 77), never as passed.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"
verbose_dutyctl
. "$(dirname "$0")/leave-lib.sh"

. "$(dirname "$0")/offices-lib.sh"

OFFICE=xx-county
REPORT_ID=c0875f3e98c0419ab99d67d11bde714e
grep -q "^#define REPORT_MESSAGE_ID  *\"$REPORT_ID\"$" "$SRCDIR/daemon/report-fields.h" ||
        fail "$REPORT_ID is not the report MESSAGE_ID of report-fields.h"
cat >>"$T/etc/dutyd.conf" <<CONF
office_id = "$OFFICE";
superior = { report_groups = [ "principals", "executive" ]; };
CONF
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the config with office_id does not check"

journal_start
J=(journalctl --directory=/run/log/journal --quiet --no-pager)
# reports MATCH…: the office's report entries, one line each: key version state from to destination.
reports() {
        journalctl --sync 2>/dev/null || true
        "${J[@]}" -o json MESSAGE_ID=$REPORT_ID "$@" 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    j = json.loads(e["DUTY_REPORT_JSON"])
    print(e["DUTY_REPORT_KEY"], e["DUTY_REPORT_VERSION"], e["DUTY_REPORT_STATE"], e["DUTY_REPORT_FROM"],
          e["DUTY_REPORT_TO"], j.get("destination"), j["state"], j["version"], e["DUTY_OFFICE"])'
}

ASK=(--reason 参加省里会议)
export DUTYD_NOW=2026-03-02T09:00
start_dutyd

# 李秀英 (县长) leaves for 南昌 03-10…03-12; her approver 王建国 approves.
trip=$(request "$LIXY_UID" --from 2026-03-10 --to 2026-03-12 --destination 南昌 "${ASK[@]}" --acting ouyangmh)
ok "$WANGJG_UID" leave approve "$trip"
# 王建国 himself is away 03-16…03-17: nobody above him, the administrator records it.
secretary=$(request "$WANGJG_UID" --from 2026-03-16 --to 2026-03-17 --destination 北京 "${ASK[@]}" --acting zhangw)
ok "$ZHAODS_UID" leave approve "$secretary"

# ---- refused: onto the secretary's days (never_together), naming the rule and the day ----
refused "$WANGJG_UID" leave change "$trip" --from 2026-03-15 --to 2026-03-17 --destination 成都
expect_contains "$ERR" "LeaveRefused" "never_together: the error"
expect_contains "$ERR" "never_together" "the refusal names the rule"
expect_contains "$ERR" "2026-03-16" "the refusal names the day"
refused "$WANGJG_UID" --json leave change "$trip" --from 2026-03-15 --to 2026-03-17
ok "$LIXY_UID" --json leave show "$trip"
expect_eq "$(json_get "$OUT" '(d["leave"]["duty_from"], d["leave"]["duty_to"], d["leave"]["destination"])')" \
        "('2026-03-10', '2026-03-12', '南昌')" "the refused change left the leave as it was"

# ---- the applicant does not change her approved leave herself ----
refused "$LIXY_UID" leave change "$trip" --from 2026-03-11 --to 2026-03-13
expect_contains "$ERR" "PermissionDenied" "the applicant's own change of an approved leave"
expect_contains "$ERR" "王建国" "the denial says whom to ask"
refused "$WANGJG_UID" leave change "$trip" --from 2026-03-10 --to 2026-03-12 --destination 南昌
expect_contains "$ERR" "没有改动" "the same itinerary"

# ---- accepted: the approver changes it (half a day later, a day longer, another city) ----
ok "$WANGJG_UID" --json leave change "$trip" --from "2026-03-11 pm" --to 2026-03-13 --destination 成都 --reason 会议改期
expect_eq "$(json_get "$OUT" '(d["leave"]["state"], d["leave"]["duty_from"], d["leave"]["duty_to"], d["leave"]["destination"], d["leave"]["half_days"])')" \
        "('approved', '2026-03-11', '2026-03-13', '成都', 5)" "the changed leave"
ok "$LIXY_UID" leave show "$trip"
expect_contains "$OUT" "成都" "leave show: the new destination"
ok "$LIXY_UID" --json leave show "$trip"
expect_eq "$(json_get "$OUT" '[e["action"] for e in d["events"]]')" "['request', 'approve', 'change']" "the history"
expect_contains "$(json_get "$OUT" 'd["events"][-1]["note"]')" "会议改期" "the change's note says why"
expect_contains "$(json_get "$OUT" 'd["events"][-1]["note"]')" "2026-03-10" "the change's note says from what"
ok 0 --json audit
expect_eq "$(json_get "$OUT" '[(a["method"], a["result"], a["person"]) for a in d["entries"] if a["method"] == "LeaveChange"]')" \
        "[('LeaveChange', 'LeaveRefused', 'wangjg'), ('LeaveChange', 'LeaveRefused', 'wangjg'), ('LeaveChange', 'PermissionDenied', 'lixy'), ('LeaveChange', 'LeaveRefused', 'wangjg'), ('LeaveChange', 'ok', 'wangjg')]" \
        "the audit log has every change asked, refused or not"

# ---- a pending leave: the applicant changes it; not reported ----
later=$(request "$LIXY_UID" --from 2026-03-25 --to 2026-03-26 --destination 九江 "${ASK[@]}" --acting ouyangmh)
ok "$LIXY_UID" --json leave change "$later" --from 2026-03-26 --to 2026-03-27
expect_eq "$(json_get "$OUT" '(d["leave"]["state"], d["leave"]["duty_from"], d["leave"]["destination"])')" \
        "('pending', '2026-03-26', '九江')" "the pending leave changed by its applicant"
refused "$CHENZQ_UID" leave change "$later" --from 2026-03-27 --to 2026-03-28
expect_contains "$ERR" "PermissionDenied" "somebody else's leave"
stop_dutyd

# ---- the reports: approved v1, changed v2 under the same key ----
expect_eq "$(reports DUTY_REPORT_KEY=leave-$trip)" \
"leave-$trip 1 approved 2026-03-10 2026-03-12 南昌 approved 1 $OFFICE
leave-$trip 2 changed 2026-03-11 2026-03-13 成都 changed 2 $OFFICE" "the trip's reports"
expect_eq "$(reports DUTY_REPORT_KEY=leave-$later)" "" "the pending leave's change is not reported"

# ---- the superior's view: journal-remote writes the office's entries, the aggregator reads them ----
R="$T/remote"
mkdir -p "$R"
journalctl --sync 2>/dev/null || true
"${J[@]}" -o export MESSAGE_ID=$REPORT_ID | "$JREMOTE" --output="$R/remote-$OFFICE.journal" - \
        2>"$T/journal-remote.log" || fail "journal-remote: $(cat "$T/journal-remote.log")"
cat >>"$T/etc/dutyd.conf" <<CONF
aggregator = {
  journal_dir = "$R";
  offices = ( { id = "$OFFICE"; name = "某县委办"; } );
};
CONF
export DUTYD_NOW=2026-03-05T10:00
start_dutyd
next=
for _ in $(seq 1 200); do
        next=$(json_get "$("$DUTYCTL" offices --json)" \
                "(lambda n: n and (n['version'], n['destination'], n['start'][:10]))(d['offices'][0]['away_next'])")
        [ "$next" = "(2, '成都', '2026-03-11')" ] && break
        sleep 0.05
done
expect_eq "$next" "(2, '成都', '2026-03-11')" "the aggregator shows the latest itinerary"
show=$("$DUTYCTL" offices show "$OFFICE")
expect_contains "$show" "成都" "offices show: the new destination"
case "$show" in *南昌*) fail "offices show still shows the first itinerary: $show" ;; esac
stop_dutyd
echo "OK"
