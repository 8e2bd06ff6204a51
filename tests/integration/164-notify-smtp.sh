#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Mail through a real SMTP receiver on loopback (aiosmtpd, smtp-receiver.py), libcurl speaking
# SMTP: the duty-tomorrow reminder at 16:00 and a leave's request and decision arrive at the
# person's email, from the configured address, with a UTF-8 subject (RFC 2047) that decodes to
# the Chinese text and a UTF-8 body. The receiver answers 451 to the first message: it is tried
# again (after 1 s: DUTYD_NOTIFY_RETRY_SEC) and accepted, with the same Message-ID. A person
# without an email gets no mail, and `dutyctl notify list` says why. The config refuses a
# password file others may read, with its file:line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/notify-util.sh"
verbose_dutyctl
. "$(dirname "$0")/swap-lib.sh"

PY3=/usr/bin/python3
"$PY3" -c 'import aiosmtpd' 2>/dev/null || fail "python3-aiosmtpd is not installed (packaging/deps.sh test group)"
MAIL_LOG="$T/mail.jsonl"
: >"$MAIL_LOG"
"$PY3" "$(dirname "$0")/smtp-receiver.py" "$T/smtp.port" "$MAIL_LOG" 451 &
SMTP_PID=$!
for _ in $(seq 1 200); do
        [ -s "$T/smtp.port" ] && break
        sleep 0.05
done
[ -s "$T/smtp.port" ] || fail "the SMTP receiver did not start"
SMTP_PORT=$(cat "$T/smtp.port")
smtp_cleanup() {
        kill "$SMTP_PID" 2>/dev/null || true
        cleanup
}
trap smtp_cleanup EXIT

# Everybody has an email "<id>@office.test".
python3 - "$T/etc/dutyd.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
a = s.index("\npeople")
b = s.index("\n);", a)
people, n = re.subn(r'(\{\s*id\s*=\s*"([a-z0-9_]+)";)', r'\1 email = "\2@office.test";', s[a:b])
assert n > 5, n
s = s[:a] + people + s[b:]
open(p, "w", encoding="utf-8").write(s)
PY
printf 'secret\n' >"$T/etc/smtp.password"
chmod 0644 "$T/etc/smtp.password"
cat >>"$T/etc/dutyd.conf" <<CONF

notify = {
        reminder_time = "16:00";
        alerts = "off";
        channels = (
                { name = "mail"; type = "smtp"; url = "smtp://127.0.0.1:$SMTP_PORT";
                  from = "duty@office.test"; starttls = "no"; timeout = 5; }
        );
};
CONF
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the config with the smtp channel does not check"

# ---- a password file others may read is refused, with its line ----
cp "$T/etc/dutyd.conf" "$T/etc/bad.conf"
sed -i 's|starttls = "no"; timeout = 5;|starttls = "no"; timeout = 5;\n                  username = "duty"; password_file = "'"$T"'/etc/smtp.password";|' "$T/etc/bad.conf"
rc=0
ERR=$("$DUTYD" --check-config "$T/etc/bad.conf" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "a world-readable password file was accepted"
LINE=$(grep -n "password_file = \"$T" "$T/etc/bad.conf" | head -n 1 | cut -d: -f1)
expect_contains "$ERR" "bad.conf:$LINE" "the error's file:line"
expect_contains "$ERR" "chmod 0600" "what to do"
chmod 0600 "$T/etc/smtp.password"
"$DUTYD" --check-config "$T/etc/bad.conf" >/dev/null || fail "a password file readable only by its owner is refused"
rm -f "$T/etc/smtp.password"
rc=0
ERR=$("$DUTYD" --check-config "$T/etc/bad.conf" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "a missing password file was accepted"
expect_contains "$ERR" "bad.conf:$LINE" "the missing file's file:line"

# Other mistakes, each at its line.
bad_channel() {
        local channel=$1 expected=$2 rc=0 err line
        sed "s|{ name = \"mail\"; type = \"smtp\";.*|$channel|; /starttls = \"no\"; timeout = 5; }/d" "$T/etc/dutyd.conf" >"$T/etc/bad2.conf"
        line=$(grep -n '^ *{ name = "mail"' "$T/etc/bad2.conf" | cut -d: -f1)
        err=$("$DUTYD" --check-config "$T/etc/bad2.conf" 2>&1) || rc=$?
        [ "$rc" -ne 0 ] || fail "accepted: $channel"
        expect_contains "$err" "bad2.conf:$line" "the line of: $channel"
        expect_contains "$err" "$expected" "the error of: $channel"
}
bad_channel '{ name = "mail"; type = "smtp"; url = "http://127.0.0.1"; from = "a@b"; }' 'is not an smtp:// or smtps:// address'
bad_channel '{ name = "mail"; type = "smtp"; url = "smtps://127.0.0.1"; }' 'from: required setting is missing'
bad_channel '{ name = "mail"; type = "smtp"; url = "smtps://127.0.0.1"; from = "nobody"; }' 'is not a mail address'
bad_channel '{ name = "mail"; type = "smtp"; url = "smtp://127.0.0.1"; from = "a@b"; starttls = "maybe"; }' 'neither "required" nor "no"'
bad_channel '{ name = "mail"; type = "smtp"; url = "smtp://127.0.0.1"; from = "a@b"; password_file = "/etc/passwd"; }' 'a password without a username'

mail_count() {
        "$PY3" -c 'import json,sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if eval(sys.argv[2]):
        n += 1
print(n)' "$MAIL_LOG" "$1"
}

export DUTYD_NOTIFY_RETRY_SEC=1
export DUTYD_NOW=2026-06-01T10:00
start_dutyd
generate_roster
stop_dutyd

D=2026-06-10
duties_of "$D"

# ---- the reminder at 16:00, the first mail refused once with 451 ----
export DUTYD_NOW=2026-06-09T15:59:50
start_dutyd
expect_eq "$(mail_count 'True')" "0" "mails before 16:00"
wait_until 30 "the reminders accepted" at_least "$N" mail_count 'r["code"] == 250 and r["kind"] == "duty_tomorrow"'
sleep 1
expect_eq "$(mail_count 'r["code"] == 250 and r["kind"] == "duty_tomorrow"')" "$N" "one accepted reminder per duty"
expect_eq "$(mail_count 'r["code"] == 451')" "1" "the refused attempt"
while read -r person post; do
        expect_eq "$(mail_count "r['code'] == 250 and r['rcpt_tos'] == ['$person@office.test'] and r['to'] == '$person@office.test'")" \
                "$(grep -c "^$person " "$T/duties")" "reminders to $person@office.test"
done <"$T/duties"
expect_eq "$(mail_count 'r["mail_from"] == "duty@office.test" and r["from"] == "duty@office.test"')" "$((N + 1))" "from the configured address"
expect_eq "$(mail_count "r['raw_subject'].startswith('=?UTF-8?B?') and '明天' in r['subject'] and '$D' in r['subject']")" "$((N + 1))" "the subject, RFC 2047, decoded to the Chinese text"
expect_eq "$(mail_count "'明天' in r['body'] and r['encoding'] == 'base64' and 'charset=utf-8' in r['content_type']")" "$((N + 1))" "the UTF-8 body"
expect_eq "$(mail_count 'r["message_id"] == "<%s@office.test>" % r["notification"] and r["date"].endswith("+0800")')" "$((N + 1))" "Message-ID from the notification, Date"
# The retry is the same message: its Message-ID is the refused one's.
expect_eq "$("$PY3" -c 'import json,sys
rs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
refused = [r for r in rs if r["code"] == 451][0]
print(sum(1 for r in rs if r["code"] == 250 and r["message_id"] == refused["message_id"] and r["date"] == refused["date"]))' "$MAIL_LOG")" \
        "1" "the retry carries the refused attempt's Message-ID"
expect_eq "$("$PY3" -c 'import json,sys
rs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ids = [r["message_id"] for r in rs if r["code"] == 250]
print(len(ids) == len(set(ids)))' "$MAIL_LOG")" "True" "each notification accepted once"
out=$("$DUTYCTL" --json notify list) || fail "notify list"
expect_eq "$(json_get "$out" 'sorted(set((n["state"], tuple(n["delivered"])) for n in d["notifications"]))')" \
        "[('sent', ('mail',))]" "the outbox after the reminders"
stop_dutyd

# ---- a leave reaches its approver, the decision its applicant ----
export DUTYD_NOW=2026-06-10T10:00
start_dutyd
: >"$MAIL_LOG"
L=$(free_person leader 2026-06-22 wangjg)
[ -n "$L" ] || fail "no leader free on 2026-06-22"
out=$(as_person "$L" "$DUTYCTL" --json leave request --from 2026-06-22 --to 2026-06-22 --destination 南昌 --reason 开会) ||
        fail "leave request"
LEAVE=$(json_get "$out" 'd["leave"]["id"]')
APPROVER=$(json_get "$out" 'd["leave"]["approver"]')
wait_until 15 "the leave's mail" at_least 1 mail_count "r['kind'] == 'leave_pending'"
expect_eq "$(mail_count "r['kind'] == 'leave_pending' and r['rcpt_tos'] == ['$APPROVER@office.test'] and 'dutyctl leave approve $LEAVE' in r['body']")" "1" "to the approver $APPROVER"
as_person "$APPROVER" "$DUTYCTL" leave approve "$LEAVE" --reason 同意 >/dev/null || fail "leave approve"
wait_until 15 "the decision's mail" at_least 1 mail_count "r['kind'] == 'leave_decided'"
expect_eq "$(mail_count "r['kind'] == 'leave_decided' and r['rcpt_tos'] == ['$L@office.test'] and '批准' in r['subject']")" "1" "the decision to the applicant $L, its subject in Chinese"

# ---- a person without an email: no mail, and the list says why ----
python3 - "$T/etc/dutyd.conf" "$L" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = ' email = "%s@office.test";' % sys.argv[2]
assert old in s
open(p, "w", encoding="utf-8").write(s.replace(old, "", 1))
PY
"$DUTYCTL" reload >/dev/null || fail "reload without $L's email"
: >"$MAIL_LOG"
out=$("$DUTYCTL" --json notify test "$L") || fail "notify test"
ID=$(json_get "$out" 'd["notification"]["id"]')
failed_count() {
        json_get "$("$DUTYCTL" --json notify list --failed)" "sum(1 for n in d['notifications'] if n['id'] == $ID)"
}
wait_until 15 "the notification without an address to end" at_least 1 failed_count
out=$("$DUTYCTL" --json notify list --failed) || fail "notify list --failed"
expect_contains "$(json_get "$out" "[n['last_error'] for n in d['notifications'] if n['id'] == $ID][0]")" \
        "mail: no email address for $L" "why"
text=$("$DUTYCTL" notify list --failed) || fail "notify list as text"
expect_contains "$text" "no email address for $L" "the text list"
expect_eq "$(mail_count 'True')" "0" "no mail without an address"
echo "ok: $N reminders, a 451 retried with the same Message-ID, a leave and its decision by mail"
