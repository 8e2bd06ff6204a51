#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Presence checks (在岗抽查, issue 17): with a window configured, dutyd asks the people on duty at a
# moment of the window drawn from the database's secret seed, in the journal (MESSAGE_ID, DUTY_DATE,
# DUTY_DUE, DUTY_PERSON); the people on duty confirm with `dutyctl ack` within the minutes given —
# nobody else may, not even root; a check not confirmed in time is recorded as missed and alerted as
# crit, and listed by `dutyctl gaps` as a presence_missed gap of the duty (not told again by the gap
# monitor). The clock moves by restarting dutyd with a later DUTYD_NOW.
#
# As root with systemd-journald, the journal is a private journald (journal-lib.sh); elsewhere
# the journal checks are left out and the records are still checked.
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

journal_start
J=(journalctl --directory=/run/log/journal --quiet --no-pager)
ID_ASKED=256082731e6d4d29aedfcaf9e63e3c18
ID_MISSED=d243682a20e848988a5ef4350848343a
for id in $ID_ASKED $ID_MISSED; do
        grep -q "^#define ALERT_MESSAGE_ID_PRESENCE_.* \"$id\"$" "$SRCDIR/daemon/alert.h" || fail "$id is not in alert.h"
        grep -q "^-- $id$" "$SRCDIR/packaging/dutyd.catalog" || fail "$id is not in the catalog"
done
# entries MATCH…: dutyd's matching journal entries, one JSON object per line (nothing without a journal).
entries() {
        [ -n "$JOURNAL" ] || return 0
        journalctl --sync 2>/dev/null || true
        "${J[@]}" -o json --output-fields=MESSAGE_ID,PRIORITY,MESSAGE,DUTY_CHECK_ID,DUTY_DATE,DUTY_DUE,DUTY_PERSON \
                SYSLOG_IDENTIFIER=dutyd "$@" 2>/dev/null || true
}
# journal_expect N PYTHON-EXPR MATCH…: N entries match, and the expression over the list `e` of
# them is true.
journal_expect() {
        local n=$1 expr=$2
        shift 2
        [ -n "$JOURNAL" ] || return 0
        python3 -c '
import json, sys
e = [json.loads(l) for l in sys.stdin if l.strip()]
assert len(e) == int(sys.argv[1]), "%d entries: %s" % (len(e), e)
assert eval(sys.argv[2]), e' "$n" "$expr" <<<"$(entries "$@")" || fail "journal entries matching $*"
}

# One window of the night, ten minutes to answer.
cat >>"$T/etc/dutyd.conf" <<'CONF'
presence = {
        windows = [ "23:00-05:00" ];
        answer_minutes = 10;
};
CONF

DUTYD_NOW=2026-02-20T10:00 start_dutyd
"$DUTYCTL" roster generate --from 2026-03-01 --to 2026-03-31 >/dev/null || fail "roster generate"
stop_dutyd
on_duty() { # DATE: the people of that duty day, space-separated
        json_get "$("$DUTYCTL" --json roster show --from "$1" --to "$1")" \
                "' '.join(sorted({a['person'] for a in d['days'][0]['assignments'] if a['person']}))"
}
DUTYD_NOW=2026-02-20T10:00 start_dutyd
people5=$(on_duty 2026-03-05)
people6=$(on_duty 2026-03-06)
stop_dutyd
# Uids for the people of both days and for one person on neither (an administrator).
UIDS=$(python3 - "$T/etc/dutyd.conf" $people5 $people6 <<'PY'
import re, sys
p, ids = sys.argv[1], sys.argv[2:]
s = open(p, encoding="utf-8").read()
out, n = [], 2000
for pid in dict.fromkeys(ids):
    m = re.search(r'\{ id = "%s";[^}]*?uid = (\d+);' % re.escape(pid), s)
    if m:
        out.append("%s=%s" % (pid, m.group(1)))
        continue
    n += 1
    s, k = re.subn(r'(\{ id = "%s";)' % re.escape(pid), r'\1 uid = %d;' % n, s, count=1)
    assert k == 1, pid
    out.append("%s=%d" % (pid, n))
open(p, "w", encoding="utf-8").write(s)
print(" ".join(out))
PY
)
declare -A UID_OF
for pair in $UIDS; do UID_OF[${pair%%=*}]=${pair#*=}; done
ADMIN=zhouxd
case " $people5 $people6 " in *" $ADMIN "*) ADMIN=zhaods ;; esac
case " $people5 $people6 " in *" $ADMIN "*) fail "both administrators are on duty" ;; esac
ADMIN_UID=3001
python3 - "$T/etc/dutyd.conf" "$ADMIN" <<'PY'
import re, sys
p, pid = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
s, k = re.subn(r'(\{ id = "%s";)' % re.escape(pid), r'\1 uid = 3001;', s, count=1)
assert k == 1
open(p, "w", encoding="utf-8").write(s)
PY

# moment DUTY-DAY: the moment of the window on that duty day, as dutyd draws it from the seed it
# keeps in the database (sha256 of the seed, the day and the window; see check.c), "YYYY-MM-DDTHH:MM".
moment() {
        python3 - "$(sqlite3 "$T/state/dutyd.sqlite" "SELECT value FROM meta WHERE key = 'presence_seed'")" "$1" "${2:-0}" <<'PY'
import datetime, hashlib, sys
seed, day, add = bytes.fromhex(sys.argv[1]), datetime.date.fromisoformat(sys.argv[2]), int(sys.argv[3])
n = (day - datetime.date(1970, 1, 1)).days
x = int.from_bytes(hashlib.sha256(seed + n.to_bytes(4, "little") + (0).to_bytes(4, "little")).digest()[:8], "big")
handover, start, end = 8 * 60 + 30, (23 * 60 - 510) % 1440, (5 * 60 - 510) % 1440
at = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=handover + start + x % (end - start) + add)
print(at.strftime("%Y-%m-%dT%H:%M"))
PY
}

# Before the window: the seed is made, nobody is asked.
DUTYD_NOW=2026-03-05T22:30 start_dutyd
seed=$(sqlite3 "$T/state/dutyd.sqlite" "SELECT value FROM meta WHERE key = 'presence_seed'")
expect_eq "${#seed}" "64" "the seed"
out=$("$DUTYCTL" --json check list) || fail "check list"
expect_eq "$(json_get "$out" 'd["presence"]')" "[]" "nothing asked before the window"
journal_expect 0 True MESSAGE_ID=$ID_ASKED
stop_dutyd

# At the moment: asked, in the journal, naming the people on duty and the time to confirm by.
M=$(moment 2026-03-05)
DUE=$(moment 2026-03-05 10)
echo "presence check of 2026-03-05 at $M, due $DUE"
DUTYD_NOW=$M start_dutyd
out=$("$DUTYCTL" --json check list --month 2026-03) || fail "check list"
expect_eq "$(json_get "$out" '[(p["date"], p["asked"], p["due"], p["state"]) for p in d["presence"]]')" \
        "[('2026-03-05', '$M:00+08:00', '$DUE:00+08:00', 'pending')]" "the check asked"
journal_expect 1 "e[0]['DUTY_DATE'] == '2026-03-05' and e[0]['DUTY_DUE'] == '$DUE'.replace(' ', 'T') and e[0]['PRIORITY'] == '4' and sorted(e[0]['DUTY_PERSON'] if isinstance(e[0]['DUTY_PERSON'], list) else [e[0]['DUTY_PERSON']]) == sorted('$people5'.split()) and 'dutyctl ack' in e[0]['MESSAGE']" \
        MESSAGE_ID=$ID_ASKED
# Nobody confirms for the people on duty: not an administrator, not root.
out=$(as_uid "$ADMIN_UID" "$DUTYCTL" --verbose ack 2>&1) && fail "an administrator off duty confirmed the check"
expect_contains "$out" "PermissionDenied" "the administrator's ack"
expect_contains "$out" "本人确认" "the administrator's ack says who confirms"
"$DUTYCTL" ack >/dev/null 2>&1 && fail "root confirmed the check"
stop_dutyd

# Three minutes later one of them confirms: acknowledged, audited, and not asked again.
first=${people5%% *}
DUTYD_NOW=$(moment 2026-03-05 3) start_dutyd
out=$(as_uid "${UID_OF[$first]}" "$DUTYCTL" --json ack) || fail "ack by $first"
expect_eq "$(json_get "$out" '(d["presence"]["state"], d["presence"]["acknowledged_by"], d["presence"]["acknowledged"])')" \
        "('acknowledged', '$first', '$(moment 2026-03-05 3):00+08:00')" "the acknowledgement"
as_uid "${UID_OF[$first]}" "$DUTYCTL" ack >/dev/null 2>&1 && fail "a second ack found a check waiting"
out=$("$DUTYCTL" --json audit --limit 1000) || fail "audit"
expect_eq "$(json_get "$out" 'sum(1 for e in d["entries"] if e["method"].endswith("Ack") and e["result"] == "ok")')" "1" "audited ack"
stop_dutyd
DUTYD_NOW=$DUE start_dutyd
journal_expect 0 True MESSAGE_ID=$ID_MISSED
journal_expect 1 True MESSAGE_ID=$ID_ASKED
stop_dutyd

# The next duty day nobody confirms: at its time it is recorded as missed and alerted as crit.
M6=$(moment 2026-03-06)
DUE6=$(moment 2026-03-06 10)
echo "presence check of 2026-03-06 at $M6, due $DUE6"
# The clock runs on from DUTYD_NOW: started two seconds before the moment, dutyd asks at the
# moment by its timer, not at the monitor's next five-minute turn; the same for the time running out.
# wait_state STATE: seconds until the check of 2026-03-06 is in STATE (fails after 30).
wait_state() {
        local start=$SECONDS
        while [ $((SECONDS - start)) -lt 30 ]; do
                [ "$("$DUTYCTL" --json check list --month 2026-03 |
                     python3 -c 'import json,sys; print([p["state"] for p in json.load(sys.stdin)["presence"] if p["date"] == "2026-03-06"])')" = "['$1']" ] &&
                        { echo $((SECONDS - start)); return 0; }
                sleep 0.2
        done
        fail "the check of 2026-03-06 is not $1 after 30 s"
}
before() { date -d "${1/T/ } 2 seconds ago" +%Y-%m-%dT%H:%M:%S; }
DUTYD_NOW=$(before "$M6") start_dutyd
out=$("$DUTYCTL" --json check list --month 2026-03) || fail "check list"
expect_eq "$(json_get "$out" '[p["state"] for p in d["presence"] if p["date"] == "2026-03-06"]')" "[]" \
        "nothing asked before the moment"
waited=$(wait_state pending)
echo "asked ${waited}s after start, 2s before the moment"
[ "$waited" -le 15 ] || fail "asked ${waited}s after start"
stop_dutyd
DUTYD_NOW=$(before "$DUE6") start_dutyd
waited=$(wait_state missed)
echo "missed ${waited}s after start, 2s before its time"
[ "$waited" -le 15 ] || fail "closed ${waited}s after start"
for p in $people6; do
        as_uid "${UID_OF[$p]}" "$DUTYCTL" ack >/dev/null 2>&1 && fail "$p confirmed a check past its time"
done
out=$("$DUTYCTL" --json check list --month 2026-03) || fail "check list"
expect_eq "$(json_get "$out" '[(p["date"], p["state"], p["acknowledged_by"]) for p in d["presence"]]')" \
        "[('2026-03-05', 'acknowledged', '$first'), ('2026-03-06', 'missed', None)]" "the month's presence checks"
journal_expect 1 "e[0]['DUTY_DATE'] == '2026-03-06' and e[0]['PRIORITY'] == '2' and e[0]['DUTY_CHECK_ID'] == '2' and '未应答' in e[0]['MESSAGE']" \
        MESSAGE_ID=$ID_MISSED
out=$(LC_ALL=C "$DUTYCTL" check list) || fail "check list as text"
expect_contains "$out" "MISSED" "the text list shows the missed check"
# A gap of its own kind while the duty lasts, with the people on duty; told to the journal by the
# check's own entry above, never again by the gap monitor.
out=$("$DUTYCTL" --json gaps) || fail "gaps"
expect_eq "$(json_get "$out" '[(g["id"], g["urgency"], g["check_id"]) for g in d["gaps"] if g["kind"] == "presence_missed"]')" \
        "[('presence_missed:2', 'crit', 2)]" "the missed check is a gap of the duty running now"
for p in $people6; do
        expect_contains "$(json_get "$out" '[g["people"] for g in d["gaps"] if g["kind"] == "presence_missed"][0]')" "'$p'" \
                "the gap names $p, on duty"
done
stop_dutyd
# Told once: a restart repeats nothing.
DUTYD_NOW=$DUE6 start_dutyd
stop_dutyd
journal_expect 1 True MESSAGE_ID=$ID_MISSED
journal_expect 0 True DUTY_GAP_KIND=presence_missed
journal_expect 2 True MESSAGE_ID=$ID_ASKED

# A window across the handover is refused with its line.
cat >>"$T/etc/dutyd.conf" <<'CONF'
CONF
sed -i 's/windows = \[ "23:00-05:00" \];/windows = [ "07:00-09:00" ];/' "$T/etc/dutyd.conf"
out=$("$DUTYD" --config "$T/etc/dutyd.conf" --check-config 2>&1) && fail "a window across the handover was accepted"
expect_contains "$out" "crosses the handover" "the refused window"
expect_contains "$out" "dutyd.conf:" "the refused window's line"
echo "ok"
