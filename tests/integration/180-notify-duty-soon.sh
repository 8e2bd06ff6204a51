#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# duty_soon: an hour (notify.soon_minutes, default 60) before the duty day's handover (08:30 in
# the sample office), each person on a duty of that day — the leader on call and the officers —
# is told once, on the webhook receiver and through the command hook; nobody else. dutyd started
# at 07:29:50 (the test clock) sends nothing before 07:30; restarted at 07:45 and again at 08:10 it
# sends none twice; a duty that began yesterday is not announced today.
. "$(dirname "$0")/notify-roster-lib.sh"

notify_start_roster
stop_dutyd

D=2026-06-10
duties_of "$D"
grep -q " leader_on_call$" "$T/duties" || fail "no leader on call on $D"
soon() { hook_count "r['path'] == '/ops' and r['body']['kind'] == 'duty_soon' $*"; }

export DUTYD_NOW=${D}T07:29:50
t0=$SECONDS
start_dutyd
expect_eq "$(soon)" "0" "duty_soon before 07:30"

# At 07:30: one per duty of $D, on each channel.
wait_until 25 "duty_soon on the ops webhook" at_least "$N" soon
wait_until 15 "duty_soon through the command hook" at_least "$N" cmd_count "r['env']['DUTY_NOTIFY_KIND'] == 'duty_soon'"
echo "duty_soon delivered $((SECONDS - t0)) s after a start 10 s before the hour"
sleep 1
expect_eq "$(soon)" "$N" "duty_soon on ops"
expect_eq "$(cmd_count "r['env']['DUTY_NOTIFY_KIND'] == 'duty_soon'")" "$N" "duty_soon through the hook"
while read -r person post; do
        expect_eq "$(soon "and r['body']['person'] == '$person'")" "$(grep -c "^$person " "$T/duties")" "duty_soon of $person"
done <"$T/duties"
# Nobody else: the recipients are exactly the people on duty.
expect_eq "$(python3 -c 'import json,sys
print(" ".join(sorted({json.loads(l)["body"]["person"] for l in open(sys.argv[1]) if json.loads(l)["body"].get("kind") == "duty_soon"})))' "$HOOK_LOG")" \
        "$(cut -d' ' -f1 "$T/duties" | sort -u | tr '\n' ' ' | sed 's/ $//')" "the recipients"
expect_eq "$(soon "and '08:30' in r['body']['text'] and '$D' in r['body']['text'] and '值班室' in r['body']['text']")" "$N" "the text"
expect_eq "$(soon "and '带班领导' in r['body']['text']")" "$(grep -c " leader_on_call$" "$T/duties")" "the leader's post named"
text=$("$DUTYCTL" notify list) || fail "notify list"
expect_contains "$text" "duty_soon" "notify list shows the kind"

# ---- restarted within the hour, and after the handover: not again ----

stop_dutyd
export DUTYD_NOW=${D}T07:45
start_dutyd
sleep 3
expect_eq "$(soon)" "$N" "duty_soon after a restart at 07:45"
stop_dutyd
# After the handover the next duty day ($D + 1) begins tomorrow: nothing now.
export DUTYD_NOW=${D}T08:10
start_dutyd
sleep 3
expect_eq "$(soon)" "$N" "duty_soon after a restart at 08:10"
expect_eq "$(cmd_count "r['env']['DUTY_NOTIFY_KIND'] == 'duty_soon'")" "$N" "hook runs after the restarts"
wait_until 10 "the outbox to record the deliveries" at_least "$N" sent_count
out=$("$DUTYCTL" --json notify list) || fail "notify list"
expect_eq "$(json_get "$out" 'sum(1 for n in d["notifications"] if n["kind"] == "duty_soon")')" "$N" "duty_soon in the outbox"

echo "PASS: $N duty_soon messages at 07:30 for the duty at 08:30, once"
