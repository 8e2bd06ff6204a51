#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Delivery that neither loses nor repeats, against a webhook receiver on loopback that fails on
# purpose (the first retry after 1 s: DUTYD_NOTIFY_RETRY_SEC):
#   - it answers 500 three times, then 200: the notification is delivered once, every attempt with
#     the same id (header and body), the waits growing;
#   - it answers 500 always: after notify.max_attempts (4) the notification is failed, dutyd says
#     so once (MESSAGE_ID of notify-send.h), `dutyctl notify list --failed` shows it, and
#     `dutyctl notify retry` delivers it with the same id once the receiver is back;
#   - dutyd is killed with SIGKILL while notifications are queued: restarted, it delivers each,
#     accepted once, with the id of the attempts before the kill.
. "$(dirname "$0")/lib.sh"
verbose_dutyctl
NOTIFY_RECEIVER_STATUSES="500 500 500"
NOTIFY_MAX_ATTEMPTS=4
. "$(dirname "$0")/notify-lib.sh"

ID_FAILED=8873be30c27b453999afd6481f98edbf
grep -q "^#define NOTIFY_MESSAGE_ID_FAILED \"$ID_FAILED\"$" "$SRCDIR/daemon/notify-send.h" ||
        fail "$ID_FAILED is not the MESSAGE_ID of notify-send.h"
grep -q "^-- $ID_FAILED$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_FAILED is not in the catalog"
grep -q "^-- $ID_FAILED zh_CN$" "$SRCDIR/packaging/dutyd.catalog" || fail "$ID_FAILED has no zh_CN entry"

# wum is told on the ops webhook only.
person_set wum 'notify = [ "ops" ];'

export DUTYD_NOTIFY_RETRY_SEC=1
export DUTYD_NOW=2026-06-01T10:00
start_dutyd

# ---- 500, 500, 500, 200 ----

out=$("$DUTYCTL" --json notify test wum) || fail "notify test"
ID1=$(json_get "$out" 'd["notification"]["id"]')
UUID1=$(json_get "$out" 'd["notification"]["uuid"]')
expect_eq "$(json_get "$out" 'd["notification"]["state"]')" "queued" "queued by the call"
wait_until 30 "four attempts" at_least 4 hook_count "r['key'] == '$UUID1'"
wait_until 10 "the outbox to record the delivery" at_least 1 sent_count
sleep 1
expect_eq "$(hook_count 'True')" "4" "POSTs in all"
expect_eq "$(hook_count "r['key'] == '$UUID1' and r['header_id'] == '$UUID1' and r['body']['id'] == '$UUID1'")" "4" "the same id on every attempt"
expect_eq "$(hook_count "r['status'] == 200")" "1" "accepted once"
expect_eq "$(python3 -c 'import json,sys
print([json.loads(l)["body"]["attempt"] for l in open(sys.argv[1])])' "$HOOK_LOG")" "[1, 2, 3, 4]" "attempts numbered"
out=$("$DUTYCTL" --json notify list) || fail "notify list"
expect_eq "$(json_get "$out" '[(n["id"], n["state"], n["attempts"], n["delivered"]) for n in d["notifications"]]')" \
        "[($ID1, 'sent', 3, ['ops'])]" "the outbox after the retries"
# Backoff: 1 s, 2 s, 4 s between the attempts (the receiver's log order is the attempts' order).

# ---- always 500: failed after 4 attempts, then retried by hand ----

echo 500 >"$HOOK_LOG.status"
out=$("$DUTYCTL" --json notify test wum) || fail "notify test"
ID2=$(json_get "$out" 'd["notification"]["id"]')
UUID2=$(json_get "$out" 'd["notification"]["uuid"]')
failed_count() {
        json_get "$("$DUTYCTL" --json notify list --failed)" 'len(d["notifications"])'
}
wait_until 30 "the notification to fail" at_least 1 failed_count
expect_eq "$(hook_count "r['key'] == '$UUID2'")" "4" "attempts before failing"
out=$("$DUTYCTL" --json notify list --failed) || fail "notify list --failed"
expect_eq "$(json_get "$out" '[(n["id"], n["state"], n["attempts"]) for n in d["notifications"]]')" "[($ID2, 'failed', 4)]" "the failed list"
expect_contains "$(json_get "$out" 'd["notifications"][0]["last_error"]')" "HTTP status 500" "why"
expect_eq "$(grep -c "通知 $ID2（test，发给 wum）尝试 4 次仍未送达" "$T/dutyd.log")" "1" "told once"
text=$("$DUTYCTL" notify list --failed) || fail "notify list --failed as text"
expect_contains "$text" "HTTP status 500" "the text list"
# Only administrators retry.
rc=0
ERR=$(as_uid "$OFFICER_UID" "$DUTYCTL" notify retry "$ID2" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "a member retried a notification"
expect_contains "$ERR" "PermissionDenied" "a member's retry"
rm -f "$HOOK_LOG.status"
out=$("$DUTYCTL" --json notify retry "$ID2") || fail "notify retry"
expect_eq "$(json_get "$out" '(d["notification"]["state"], d["notification"]["uuid"])')" "('queued', '$UUID2')" "queued again, same id"
wait_until 10 "the retried notification" at_least 1 hook_count "r['key'] == '$UUID2' and r['status'] == 200"
ERR=$("$DUTYCTL" notify retry 9999 2>&1) && fail "retry of a notification that does not exist"
expect_contains "$ERR" "NotFound" "retry of nothing"

# ---- SIGKILL with notifications queued ----

echo 500 >"$HOOK_LOG.status"
out=$("$DUTYCTL" --json notify test wum) || fail "notify test"
UUID3=$(json_get "$out" 'd["notification"]["uuid"]')
out=$("$DUTYCTL" --json notify test wum) || fail "notify test"
UUID4=$(json_get "$out" 'd["notification"]["uuid"]')
wait_until 10 "the first attempts" at_least 2 hook_count "r['key'] in ('$UUID3', '$UUID4')"
kill -KILL "$DUTYD_PID"
wait "$DUTYD_PID" 2>/dev/null || true
DUTYD_PID=
rm -f "$HOOK_LOG.status"
# The test clock starts again from DUTYD_NOW: later than the retries the killed dutyd planned.
export DUTYD_NOW=2026-06-01T10:10
start_dutyd
wait_until 15 "the deliveries after the restart" at_least 2 hook_count "r['key'] in ('$UUID3', '$UUID4') and r['status'] == 200"
sleep 2
expect_eq "$(hook_count "r['key'] == '$UUID3' and r['status'] == 200")" "1" "the first, accepted once"
expect_eq "$(hook_count "r['key'] == '$UUID4' and r['status'] == 200")" "1" "the second, accepted once"
expect_eq "$(hook_count "r['status'] == 200 and r['key'] not in ('$UUID1', '$UUID2', '$UUID3', '$UUID4')")" "0" "no other id"
echo "PASS: retried with the same id, failed once, delivered after SIGKILL"
