#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Errors in the clerk's words. Every refusal dutyctl can print — every error of the interface (read
# from the IDL, so a new error is covered at once) and the org.varlink.service ones, each given to
# every verb of `dutyctl --help` by a stand-in daemon (errors-server.py) — is checked: without
# --verbose and --json no Varlink name (io.dutyd.Duty.*, org.varlink.service.*, an error's or a
# method's CamelCase name) is shown, and the exit status is 1; with --json the error is one JSON
# object on stdout (name, parameters, rule ids, message) with the same status; with --verbose the
# names are there. Then the real dutyd, driven into its refusals: a guest is told which uid is not
# in the configuration, a member who may approve, a range over the limit what the limit is, an
# unknown person and an unknown holiday what exists; the answers follow the caller's language.
. "$(dirname "$0")/lib.sh"

SERVER="$(dirname "$0")/errors-server.py"
IDL="$SRCDIR/daemon/io.dutyd.Duty.varlink"

# One invocation of every verb, with arguments it accepts (the stand-in refuses them all anyway).
cat >"$T/invocations" <<'INV'
status
whoami
people
calendar --from 2026-10-01 --to 2026-10-07
who 2026-10-01
roster generate --from 2026-10-01 --to 2026-10-07
roster holiday 国庆节 --year 2026
roster assign 2026-10-01 leader zhangw
roster unassign 2026-10-01 leader zhangw
roster publish --from 2026-10-01 --to 2026-10-07
roster diff 1
roster stats --year 2026
sensitive add 防汛 --from 2026-10-01 --to 2026-10-07
sensitive list
sensitive remove 1
unavailable add zhangw --from 2026-10-01 --to 2026-10-07 --reason 出差
unavailable list --person zhangw
unavailable remove 1
roster show --from 2026-10-01 --to 2026-10-07
roster show --from 2026-10-01 --to 2026-10-07 --format csv
reload
audit --limit 5
audit --verify
leave check --from 2026-10-10 --to 2026-10-11 --destination 南昌 --reason 开会
leave request --from 2026-10-10 --to 2026-10-11 --destination 南昌 --reason 开会 --for zhangw
leave approve 1
leave reject 1 --reason 不同意
leave cancel 1
leave return 1
leave paperwork 1
leave list --pending
leave show 1
swap request 2026-10-10 --with zhangw
swap cover 2026-10-10 --by zhangw
swap list --mine
swap show 1
swap accept 1
swap decline 1
swap approve 1
swap cancel 1
handover take --for zhangw
handover give --note 无
handover list 2026-10-01
gaps --days 7
offices
offices show a
offices on-duty 2026-10-01
me
check add officer --answered --seconds 12
check list --month 2026-10
check list --month 2026-10 --format html
ack
log add 来电 询问防汛物资 --time 09:40 --from 市应急局 --phone 0833-1234567 --open
log list 2026-10-01
log show 1
log close 1 --note 已办结
log report 1 written --to 市委总值班室
log print 2026-10-01 --format csv
report daily 2026-10-01
notify list --failed
notify retry 3
notify test wum
INV

# Every verb of the help has an invocation above: a new verb without one fails here.
"$DUTYCTL" --help | sed -n '/^Verbs:/,/^$/p' | grep -E '^  [a-z]' |
        sed -E 's/^  ([a-z]+( [a-z]+)?).*/\1/' | while read -r verb; do
        words=$(wc -w <<<"$verb")
        if [ "$words" = 2 ]; then
                # "roster generate" vs "who [now…]": a second word that is not an argument.
                grep -qE "^$verb( |\$)" "$T/invocations" ||
                        grep -qE "^${verb%% *}( |\$)" "$T/invocations" || fail "no invocation of '$verb'"
        else
                grep -qE "^$verb( |\$)" "$T/invocations" || fail "no invocation of '$verb'"
        fi
done

FAKE="$T/fake.sock"
python3 "$SERVER" "$IDL" "$FAKE" "$T/error" &
FAKE_PID=$!
trap 'kill "$FAKE_PID" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 100); do [ -S "$FAKE" ] && break; sleep 0.05; done
[ -S "$FAKE" ] || fail "the stand-in daemon did not start"

python3 "$SERVER" "$IDL" --list >"$T/errors"
mkdir "$T/json"
[ "$(wc -l <"$T/errors")" -ge 10 ] || fail "too few errors read from the IDL"
checked=0
while read -r error; do
        echo "$error" >"$T/error"
        name=${error%+*}
        while read -r -a inv; do
                what="$error × dutyctl ${inv[*]}"
                # Plain: the sentence alone.
                rc=0
                "$DUTYCTL" -s "$FAKE" "${inv[@]}" >"$T/out" 2>"$T/err" </dev/null || rc=$?
                expect_eq "$rc" "1" "exit status of $what"
                [ -s "$T/err" ] || fail "$what: nothing on stderr"
                if grep -qE 'io\.dutyd|org\.varlink|\b[A-Z][a-z]+[A-Z][A-Za-z]*\b' "$T/err"; then
                        fail "$what shows a Varlink name without --verbose: $(cat "$T/err")"
                fi
                # --json: one object on stdout (checked below, all at once), the same status.
                rc=0
                "$DUTYCTL" -s "$FAKE" --json "${inv[@]}" >"$T/json/$checked" 2>/dev/null </dev/null || rc=$?
                expect_eq "$rc" "1" "exit status of --json $what"
                printf '%s\t%s\n' "$checked" "$name" >>"$T/json/index"
                # --verbose: the names are there for whoever asks.
                rc=0
                "$DUTYCTL" -s "$FAKE" --verbose "${inv[@]}" >/dev/null 2>"$T/err" </dev/null || rc=$?
                expect_eq "$rc" "1" "exit status of --verbose $what"
                grep -qF "$name" "$T/err" || fail "--verbose $what does not name the error: $(cat "$T/err")"
                checked=$((checked + 1))
        done <"$T/invocations"
done <"$T/errors"
echo "checked $checked refusals"
python3 - "$T/json" <<'PY' || fail "an error printed with --json is not the expected JSON object"
import json, os, sys
d = sys.argv[1]
for line in open(os.path.join(d, "index")):
    n, name = line.rstrip("\n").split("\t")
    text = open(os.path.join(d, n)).read()
    try:
        o = json.loads(text)
        assert o["error"] == name, o
        assert isinstance(o["parameters"], dict) and isinstance(o["rules"], list), o
        assert isinstance(o["message"], str) and o["message"], o
        assert o["method"].startswith("io.dutyd.Duty."), o
    except Exception as e:
        sys.exit(f"{name}, invocation {n}: {e!r}: {text}")
PY
# A parameter the daemon refused: the limit, in the words of the command line.
echo org.varlink.service.InvalidParameter=to >"$T/error"
ERR=$("$DUTYCTL" -s "$FAKE" roster show --from 2026-10-01 --to 2026-10-07 2>&1) && fail "refused roster show exits 0"
expect_contains "$ERR" "at most 1100 days" "a range refused by the daemon"
ERR=$("$DUTYCTL" -s "$FAKE" roster generate --from 2026-10-01 --to 2026-10-07 2>&1) && fail "refused generate exits 0"
expect_contains "$ERR" "at most 400 days" "a generation range refused by the daemon"
echo org.varlink.service.InvalidParameter=limit >"$T/error"
ERR=$("$DUTYCTL" -s "$FAKE" audit --limit 5 2>&1) && fail "refused audit exits 0"
expect_contains "$ERR" "--limit must be a number from 1 to 1000" "a limit refused by the daemon"
# The rule ids reach scripts.
echo io.dutyd.Duty.LeaveRefused >"$T/error"
out=$("$DUTYCTL" -s "$FAKE" --json leave request --from 2026-10-10 --to 2026-10-11 --destination 南昌 --reason 开会) && fail "refused leave exits 0"
expect_eq "$(json_get "$out" 'd["rules"]')" "['never_together']" "rule ids of a LeaveRefused"
# dutyctl tells the daemon its language, with every call.
: >"$T/error.calls"
LC_ALL= LANG=zh_CN.UTF-8 "$DUTYCTL" -s "$FAKE" status >/dev/null 2>&1 || true
expect_eq "$(json_get "$(tail -n 1 "$T/error.calls")" 'd.get("language")')" "zh" "language sent under LANG=zh_CN.UTF-8"
LC_ALL= LANG=en_US.UTF-8 "$DUTYCTL" -s "$FAKE" status >/dev/null 2>&1 || true
expect_eq "$(json_get "$(tail -n 1 "$T/error.calls")" 'd.get("language")')" "en" "language sent under LANG=en_US.UTF-8"
LC_ALL=C "$DUTYCTL" -s "$FAKE" status >/dev/null 2>&1 || true
expect_eq "$(json_get "$(tail -n 1 "$T/error.calls")" 'd.get("language")')" "None" "no language under C"
kill "$FAKE_PID"

# No daemon at all: the same JSON object (error null) with --json, status 3.
rc=0
out=$("$DUTYCTL" -s "$T/nothing.sock" --json status 2>/dev/null) || rc=$?
expect_eq "$rc" "3" "--json without a daemon: exit status"
expect_eq "$(json_get "$out" 'd["error"], "does not exist" in d["message"]')" "(None, True)" "--json without a daemon"

# ---- The real daemon's refusals, in the clerk's words ----

export DUTYD_NOW=2026-09-20T10:00
start_dutyd

# expect_refusal TEXT CMD…: exit status 1, TEXT in the message, no Varlink name.
expect_refusal() {
        local text=$1 rc=0
        shift
        ERR=$("$@" 2>&1 >/dev/null) || rc=$?
        expect_eq "$rc" "1" "exit status of: $*"
        expect_contains "$ERR" "$text" "refusal of: $*"
        case "$ERR" in *io.dutyd*|*org.varlink*) fail "$* shows a Varlink name: $ERR" ;; esac
}

# A guest: the uid, and what the administrator adds.
expect_refusal "uid $GUEST_UID 不在本办公室的配置中" as_uid "$GUEST_UID" "$DUTYCTL" people
expect_contains "$ERR" "uid = $GUEST_UID" "the guest is told what to add"
expect_refusal "uid $GUEST_UID is not in this office's configuration" \
        as_uid "$GUEST_UID" env LC_ALL= LANG=en_US.UTF-8 "$DUTYCTL" people
# A member: who may do it.
expect_refusal "只有管理员可以生成值班表" as_uid "$OFFICER_UID" "$DUTYCTL" roster generate --from 2026-10-01 --to 2026-10-07
expect_contains "$ERR" "dutyctl people --role admin" "the member is told how to find an administrator"
expect_refusal "只有审批人和管理员可以批准请假" as_uid "$OFFICER_UID" "$DUTYCTL" leave approve 1
expect_refusal "only approvers and administrators may approve leave" \
        as_uid "$OFFICER_UID" env LC_ALL= LANG=en_US.UTF-8 "$DUTYCTL" leave approve 1
# A limit dutyctl checks itself is stated the same way (a usage error, status 2).
rc=0
ERR=$("$DUTYCTL" audit --limit 5000 2>&1) || rc=$?
expect_eq "$rc" "2" "audit --limit over the maximum"
expect_contains "$ERR" "from 1 to 1000" "audit --limit states the maximum"
# An unknown person, the same words wherever it is named, with the command that lists people.
expect_refusal '本办公室没有 id 为“nobody”的人员；`dutyctl people`' "$DUTYCTL" unavailable add nobody --from 2026-10-01 --to 2026-10-02
expect_refusal '本办公室没有 id 为“nobody”的人员；`dutyctl people`' "$DUTYCTL" roster assign 2026-10-01 leader_on_call nobody
expect_refusal 'there is nobody with id "nobody" in this office; `dutyctl people` lists' \
        env LC_ALL= LANG=en_US.UTF-8 "$DUTYCTL" roster assign 2026-10-01 leader_on_call nobody
# An unknown post: the posts that exist; an unknown leave: the command that lists them.
expect_refusal "岗位有：leader_on_call（带班领导）、officer_on_duty（值班员）" "$DUTYCTL" roster assign 2026-10-01 leader zhangw
expect_refusal "the posts are: leader_on_call (带班领导), officer_on_duty (值班员)" \
        env LC_ALL= LANG=en_US.UTF-8 "$DUTYCTL" roster assign 2026-10-01 leader zhangw
expect_refusal '`dutyctl leave list` 可列出您能查看的请假' "$DUTYCTL" leave show 99
# An unknown holiday: the names that exist.
expect_refusal "没有名为“腊八”的节假日；已知的节假日有：" "$DUTYCTL" roster holiday 腊八 --year 2026
expect_contains "$ERR" "国庆节" "the known holidays are listed"
# --json: the same refusal as an object on stdout, with its rule id and message.
rc=0
out=$("$DUTYCTL" --json roster assign 2026-10-01 leader_on_call nobody 2>/dev/null) || rc=$?
expect_eq "$rc" "1" "--json refusal exit status"
expect_eq "$(json_get "$out" 'd["error"], d["parameters"]["what"]')" "('io.dutyd.Duty.NotFound', 'person')" "--json refusal"
# A broken configuration: the problems in the language of the sentence around them (dutyctl's
# Chinese needs the zh_CN.UTF-8 locale: the system's, else one compiled here as 060-i18n.sh does).
ZH_ENV=(LC_ALL= LANG=zh_CN.UTF-8)
if ! locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
        mkdir -p "$T/locale"
        localedef -i zh_CN -f UTF-8 "$T/locale/zh_CN.UTF-8" >"$T/localedef.log" 2>&1 ||
                fail "no zh_CN.UTF-8 locale, and it cannot be built (install the package locales)"
        ZH_ENV+=(LOCPATH="$T/locale")
fi
sed -i 's/roles = \[ "officer" \]; },/roles = [ "oficer" ]; },/' "$T/etc/dutyd.conf"
ERR=$(env "${ZH_ENV[@]}" "$DUTYCTL" reload 2>&1 >/dev/null) && fail "broken configuration accepted"
expect_contains "$ERR" "配置有误" "reload heading"
expect_contains "$ERR" '未知角色 "oficer"' "reload problem translated"
case "$ERR" in *"unknown role"*) fail "an English problem under a Chinese heading: $ERR" ;; esac
