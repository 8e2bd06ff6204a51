#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The duty-tomorrow reminder through real channels on loopback: a webhook receiver (dutyd's own
# JSON and the 企业微信 robot's body) and a command hook. dutyd started at 15:59:50 the day before
# (the test clock) sends nothing before 16:00, then one reminder per duty on each channel, with
# the same id in the header, the body and the hook's environment; restarted at 16:05 it sends none
# again. `dutyctl notify list` shows them sent; a member sees only their own.
. "$(dirname "$0")/notify-roster-lib.sh"

notify_start_roster
stop_dutyd

D=2026-06-10
duties_of "$D"
A=$(head -n 1 "$T/duties" | cut -d' ' -f1)

export DUTYD_NOW=2026-06-09T15:59:50
start_dutyd
# Before 16:00 (dutyd answers within a few seconds of its start): nothing.
expect_eq "$(hook_count 'True')" "0" "webhook POSTs before 16:00"
expect_eq "$(cmd_count 'True')" "0" "hook runs before 16:00"
"$DUTYCTL" --json notify list >"$T/list.json" || fail "notify list"
expect_eq "$(json_get "$(cat "$T/list.json")" 'len(d["notifications"])')" "0" "the outbox before 16:00"

# At 16:00: one per duty on each channel.
wait_until 25 "the reminders on the ops webhook" at_least "$N" hook_count 'r["path"] == "/ops"'
wait_until 15 "the reminders on the wecom webhook" at_least "$N" hook_count 'r["path"] == "/wecom"'
wait_until 15 "the reminders through the command hook" at_least "$N" cmd_count 'True'
sleep 1
expect_eq "$(hook_count 'r["path"] == "/ops" and r["body"]["kind"] == "duty_tomorrow"')" "$N" "reminders on ops"
expect_eq "$(hook_count 'r["path"] == "/wecom" and r["body"]["msgtype"] == "text"')" "$N" "reminders on wecom"
expect_eq "$(cmd_count 'r["env"]["DUTY_NOTIFY_KIND"] == "duty_tomorrow"')" "$N" "reminders through the hook"
while read -r person post; do
        expect_eq "$(hook_count "r['path'] == '/ops' and r['body']['person'] == '$person'")" \
                "$(grep -c "^$person " "$T/duties")" "reminders of $person on ops"
done <"$T/duties"
# The same id in the header, the body and the hook's environment; the text names the day.
expect_eq "$(hook_count 'r["path"] == "/ops" and r["key"] == r["header_id"] == r["body"]["id"]')" "$N" "ids on ops"
expect_eq "$(hook_count 'r["path"] == "/wecom" and r["key"] == r["body"]["dutyd_id"]')" "$N" "ids on wecom"
expect_eq "$(hook_count "r['path'] == '/ops' and '$D' in r['body']['text'] and '明天' in r['body']['text']")" "$N" "the text"
expect_eq "$(hook_count 'r["path"] == "/wecom" and "明天" in r["body"]["text"]["content"]')" "$N" "the wecom text"
ids_ops=$(python3 -c 'import json,sys
print(" ".join(sorted(json.loads(l)["key"] for l in open(sys.argv[1]) if json.loads(l)["path"] == "/ops")))' "$HOOK_LOG")
ids_cmd=$(python3 -c 'import json,sys
print(" ".join(sorted(json.loads(l)["env"]["DUTY_NOTIFY_ID"] for l in open(sys.argv[1]))))' "$CMD_LOG")
expect_eq "$ids_cmd" "$ids_ops" "the hook's ids are the webhook's"
expect_eq "$(cmd_count 'r["stdin"]["id"] == r["env"]["DUTY_NOTIFY_ID"] and r["env"]["DUTY_NOTIFY_PHONE"] != ""')" "$N" "the hook's stdin and phone"

# The outbox says they were sent.
wait_until 10 "the outbox to record the deliveries" at_least "$N" sent_count
out=$("$DUTYCTL" --json notify list) || fail "notify list"
expect_eq "$(json_get "$out" 'all(sorted(n["delivered"]) == ["ops", "sms", "wecom"] for n in d["notifications"])')" "True" "every channel took each"
expect_contains "$(json_get "$out" 'd["notifications"][0]["created"]')" "2026-06-09T16:00:" "created, RFC 3339"
expect_contains "$(json_get "$out" 'd["notifications"][0]["created"]')" "+08:00" "the office's offset"
text=$("$DUTYCTL" notify list) || fail "notify list as text"
expect_contains "$text" "duty_tomorrow" "the text list"
# A member sees their own only.
mine=$(as_person "$A" "$DUTYCTL" --json notify list) || fail "notify list as $A"
expect_eq "$(json_get "$mine" 'all(n["person"] == "'"$A"'" for n in d["notifications"]) and len(d["notifications"]) >= 1')" "True" "a member's list"

# ---- restarted later the same evening: not again ----

stop_dutyd
export DUTYD_NOW=2026-06-09T16:05
start_dutyd
sleep 2
expect_eq "$(hook_count 'r["path"] == "/ops"')" "$N" "reminders on ops after a restart"
expect_eq "$(cmd_count 'True')" "$N" "hook runs after a restart"

echo "PASS: $N reminders at 16:00 on 3 channels, once"
