#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A reload that changes the channels applies to what is still queued: a notification whose webhook
# address is wrong (nothing listens there) fails its first attempt; the address corrected and the
# configuration reloaded, the next attempt goes to the new address, with the same id. A channel
# removed from a person after a notification was queued is not used for it any more, and a
# configuration naming an unknown channel is refused with its file and line.
. "$(dirname "$0")/lib.sh"
verbose_dutyctl
. "$(dirname "$0")/notify-lib.sh"

person_set wum 'notify = [ "ops", "sms" ];'
# Port 9 (discard) on loopback: nothing listens, the connection is refused.
sed -i "s|url = \"http://127.0.0.1:$PORT/ops\"|url = \"http://127.0.0.1:9/ops\"|" "$T/etc/dutyd.conf"
grep -q 'url = "http://127.0.0.1:9/ops"' "$T/etc/dutyd.conf" || fail "the ops channel's URL not replaced"

export DUTYD_NOTIFY_RETRY_SEC=3
export DUTYD_NOW=2026-06-01T10:00
start_dutyd

out=$("$DUTYCTL" --json notify test wum) || fail "notify test"
UUID=$(json_get "$out" 'd["notification"]["uuid"]')
ID=$(json_get "$out" 'd["notification"]["id"]')
# The command channel takes it; the webhook cannot.
wait_until 10 "the hook's run" at_least 1 cmd_count "r['env']['DUTY_NOTIFY_ID'] == '$UUID'"
attempts() {
        json_get "$("$DUTYCTL" --json notify list)" "[n['attempts'] for n in d['notifications'] if n['id'] == $ID][0]"
}
wait_until 10 "the first failed attempt" at_least 1 attempts
out=$("$DUTYCTL" --json notify list) || fail "notify list"
expect_eq "$(json_get "$out" "[(n['state'], n['delivered']) for n in d['notifications'] if n['id'] == $ID][0]")" \
        "('queued', ['sms'])" "queued again, the command channel done"
expect_contains "$(json_get "$out" "[n['last_error'] for n in d['notifications'] if n['id'] == $ID][0]")" "ops:" "the error names the channel"

# The address corrected, and sms taken off wum: the retry goes to the new address only.
sed -i "s|http://127.0.0.1:9/ops|http://127.0.0.1:$PORT/ops|; s|notify = \[ \"ops\", \"sms\" \];|notify = [ \"ops\" ];|" "$T/etc/dutyd.conf"
"$DUTYCTL" reload >/dev/null || fail "reload"
wait_until 15 "the retry at the corrected address" at_least 1 hook_count "r['key'] == '$UUID'"
wait_until 10 "the outbox to record it" at_least 1 sent_count
expect_eq "$(hook_count "r['key'] == '$UUID' and r['path'] == '/ops' and r['body']['attempt'] == 2")" "1" "second attempt, same id"
expect_eq "$(cmd_count "r['env']['DUTY_NOTIFY_ID'] == '$UUID'")" "1" "the command channel not run again"
out=$("$DUTYCTL" --json notify list) || fail "notify list"
expect_eq "$(json_get "$out" "[(n['state'], n['attempts'], n['last_error']) for n in d['notifications'] if n['id'] == $ID][0]")" \
        "('sent', 1, None)" "sent after the reload"

# An unknown channel is refused, file:line, and the running configuration kept.
sed -i 's|notify = \[ "ops" \];|notify = [ "pager" ];|' "$T/etc/dutyd.conf"
line=$(grep -n '"pager"' "$T/etc/dutyd.conf" | cut -d: -f1)
rc=0
ERR=$("$DUTYCTL" reload 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "a channel nobody defined was accepted"
expect_contains "$ERR" "dutyd.conf:$line: people.wum.notify: unknown notification channel \"pager\"" "the refusal"
out=$("$DUTYCTL" --json notify test wum) || fail "notify test after the refused reload"
UUID2=$(json_get "$out" 'd["notification"]["uuid"]')
wait_until 10 "a test on the kept configuration" at_least 1 hook_count "r['key'] == '$UUID2'"
echo "PASS: a reload applies to the queue"
