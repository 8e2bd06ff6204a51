#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A range that starts in the past is generated from the first duty day that may change, and says
# so (issue 13, finding 4); before, it was refused whole ("…是已经过去的值班日，不能修改") while the
# interface said past assignments are kept. Then an amendment, read back from a real
# systemd-journald as 040-journal.sh does: its MESSAGE_ID (in the catalog) and DUTY_* fields, for
# an amendment by hand and for the approval of a substitution on a published day, which is
# recorded as an amendment by the approver with the substitution's number as the reason.
#
# The journal part needs root (a private mount namespace) and systemd-journald; without them it is
# left out and said so, the rest runs all the same.

. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

ID_AMENDMENT=5d9c5712d0944e3b887ac943dd50b774
grep -q "^#define DUTY_MESSAGE_ID_AMENDMENT \"$ID_AMENDMENT\"$" "$SRCDIR/daemon/duty.h" ||
        fail "$ID_AMENDMENT is not the amendment MESSAGE_ID of duty.h"
grep -q "^-- $ID_AMENDMENT$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_AMENDMENT is not in the catalog"
grep -q "^-- $ID_AMENDMENT zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_AMENDMENT has no zh_CN entry"

journal_start

# People act as themselves for the substitution (uids given as in the swap scenarios).
python3 "$(dirname "$0")/swap-roster.py" uids "$T/etc/dutyd.conf" 2001 >"$T/uids" || fail "cannot give the people uids"
uid_of() { awk -v p="$1" '$1 == p { print $2 }' "$T/uids"; }
as_person() {
        local u
        u=$(uid_of "$1")
        shift
        [ -n "$u" ] || fail "no uid"
        as_uid "$u" "$@"
}

show_json() { "$DUTYCTL" --json roster show --from "$1" --to "$2"; }
day_people() {
        json_get "$(show_json "$1" "$1")" "[(a['post'], a['slot'], a['person']) for x in d['days'] for a in x['assignments']]"
}

export DUTYD_NOW=2026-03-05T10:00
start_dutyd

# ---- A range starting in the past ----

# From 02-20: the past is left alone, the duty running now has no roster yet and is planned.
out=$("$DUTYCTL" --json roster generate --from 2026-02-20 --to 2026-03-20) || fail "a range starting in the past"
expect_eq "$(json_get "$out" '(d["from"], d["planned_from"], d["stored"])')" "('2026-02-20', '2026-03-05', True)" \
        "generate reply"
expect_eq "$(json_get "$(show_json 2026-02-20 2026-03-04)" 'sum(len(x["assignments"]) for x in d["days"])')" "0" \
        "past days untouched"
# Only past days: nothing to plan, and the refusal says why.
rc=0
err=$("$DUTYCTL" roster generate --from 2026-02-20 --to 2026-03-04 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "1" "a range of past days"
expect_contains "$err" "2026-03-04" "the refusal names the range's last day"
table=$("$DUTYCTL" roster generate --from 2026-02-20 --to 2026-03-20) || fail "generate again"
expect_contains "$table" "Generated from 2026-03-06 on (the duty days before it have begun or are past)." \
        "dutyctl says from which day it planned"
ZH_ENV=(LANG=zh_CN.UTF-8)
if ! locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
        mkdir -p "$T/locale"
        localedef -i zh_CN -f UTF-8 "$T/locale/zh_CN.UTF-8" >/dev/null 2>&1 || fail "no zh_CN.UTF-8 locale"
        ZH_ENV+=(LOCPATH="$T/locale")
fi
table=$(env -u LC_ALL -u LANGUAGE "${ZH_ENV[@]}" "$DUTYCTL" roster generate --from 2026-03-01 --to 2026-03-20 --dry-run) ||
        fail "generate in Chinese"
expect_contains "$table" "从 2026-03-06 起生成（之前的值班日已开始或已过去）" "the same in Chinese"

# ---- Amendments in the journal ----

"$DUTYCTL" roster publish --from 2026-03-05 --to 2026-03-20 >/dev/null || fail "roster publish"
R=$(show_json 2026-03-01 2026-03-20)
OFFICERS="'zhouxd','wum','zhenght','fengj','hejj','mal','huwb','linxy','huangzm','xut','simayf','dengh'"
BEFORE=$(json_get "$R" "[a['person'] for x in d['days'] if x['day']['date'] == '2026-03-10' for a in x['assignments'] if a['post'] == 'officer_on_duty'][0]")
AFTER=$(json_get "$R" "sorted({$OFFICERS} - {a['person'] for x in d['days'] if x['day']['date'] in ('2026-03-09','2026-03-10','2026-03-11') for a in x['assignments']})[0]")
"$DUTYCTL" roster unassign 2026-03-10 officer_on_duty "$BEFORE" --amend --reason "家中有事" >/dev/null ||
        fail "unassign as an amendment"
"$DUTYCTL" roster assign 2026-03-10 officer_on_duty "$AFTER" --amend --reason "家中有事" >/dev/null ||
        fail "assign as an amendment"

# A substitution on a published day: the approval is the amendment.
R=$(show_json 2026-03-01 2026-03-20)
A=$(json_get "$R" "[a['person'] for x in d['days'] if x['day']['date'] == '2026-03-15' for a in x['assignments'] if a['post'] == 'officer_on_duty'][0]")
B=$(json_get "$R" "sorted({$OFFICERS} - {a['person'] for x in d['days'] if x['day']['date'] in ('2026-03-14','2026-03-15','2026-03-16') for a in x['assignments']})[0]")
out=$(as_person "$A" "$DUTYCTL" --json swap cover 2026-03-15 --by "$B" --reason "外出开会") || fail "swap cover"
SWAP=$(json_get "$out" 'd["swap"]["id"]')
as_person "$B" "$DUTYCTL" swap accept "$SWAP" >/dev/null || fail "swap accept"
"$DUTYCTL" swap approve "$SWAP" >/dev/null || fail "swap approve"
out=$("$DUTYCTL" --json roster amendments --from 2026-03-15 --to 2026-03-15) || fail "roster amendments"
expect_eq "$(json_get "$out" '[(a["before"], a["after"], a["version"], a["reason"]) for a in d["amendments"]]')" \
        "[('$A', '$B', 1, '代班 #$SWAP，已批准')]" "the approved substitution as an amendment"
expect_eq "$(json_get "$(show_json 2026-03-05 2026-03-20)" 'd["amendments"]')" "3" "amendments shown"

if [ -n "$JOURNAL" ]; then
        J=(journalctl --directory=/run/log/journal --quiet --no-pager)
        entries() {
                "${J[@]}" -o json --output-fields=MESSAGE_ID,PRIORITY,MESSAGE,DUTY_DATE,DUTY_POST,DUTY_SLOT,DUTY_PERSON,DUTY_PREVIOUS_PERSON,DUTY_VERSION,DUTY_REASON,DUTY_AMENDMENT_ID \
                        MESSAGE_ID=$ID_AMENDMENT "$@" 2>/dev/null || true
        }
        c=0
        for i in $(seq 1 100); do
                journalctl --sync 2>/dev/null || true
                c=$(entries | grep -c . || true)
                [ "$c" -ge 3 ] && break
                sleep 0.05
        done
        expect_eq "$c" "3" "amendment entries in the journal"
        fields() {
                entries "$@" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    print("|".join(str(e.get(k, "-")) for k in ("DUTY_DATE", "DUTY_POST", "DUTY_PREVIOUS_PERSON", "DUTY_PERSON", "DUTY_VERSION", "DUTY_REASON", "PRIORITY")))'
        }
        expect_eq "$(fields DUTY_DATE=2026-03-10)" "2026-03-10|officer_on_duty|$BEFORE|-|1|家中有事|5
2026-03-10|officer_on_duty|-|$AFTER|1|家中有事|5" "journal entries of the amendment by hand"
        expect_eq "$(fields DUTY_DATE=2026-03-15)" "2026-03-15|officer_on_duty|$A|$B|1|代班 #$SWAP，已批准|5" \
                "journal entry of the approved substitution"
        expect_contains "$(entries DUTY_DATE=2026-03-15)" "已发布的第 1 版值班表有变更" "the entry's message"
fi

stop_dutyd
echo "ok${JOURNAL:+, the journal checked}"
