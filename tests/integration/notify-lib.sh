# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the notification scenarios (160–163, 180–185, 187, 188, 191, 193), sourced after lib.sh
# (or by notify-roster-lib.sh, which sources lib.sh and this): a webhook receiver on loopback
# (notify-receiver.py, its POSTs in $HOOK_LOG), a command hook (notify-hook.py, its runs
# in $CMD_LOG), and dutyd.conf's notify section naming them: channel "ops" (dutyd's own JSON),
# "wecom" (the 企业微信 robot's body, on another path) and "sms" (the command). Sourced, not run.
# NOTIFY_RECEIVER_STATUSES (optional): the statuses the receiver answers first (e.g. "500 500 500").
# NOTIFY_ALERTS (optional): "on" to have the alerts (gap_alert, takeover_missed, report_missed) sent
# too; off by default, so that the scenarios of other kinds count only theirs.
. "$(dirname "$0")/notify-util.sh"

NOTIFY_DIR="$(dirname "${BASH_SOURCE[0]}")"
HOOK_LOG="$T/webhook.jsonl"
CMD_LOG="$T/command.jsonl"
: >"$HOOK_LOG"
: >"$CMD_LOG"
chmod 0666 "$HOOK_LOG" "$CMD_LOG"

# shellcheck disable=SC2086
python3 "$NOTIFY_DIR/notify-receiver.py" "$T/receiver.port" "$HOOK_LOG" ${NOTIFY_RECEIVER_STATUSES:-} &
RECEIVER_PID=$!
for _ in $(seq 1 100); do
        [ -s "$T/receiver.port" ] && break
        sleep 0.05
done
[ -s "$T/receiver.port" ] || fail "the webhook receiver did not start"
PORT=$(cat "$T/receiver.port")
notify_cleanup() {
        kill "$RECEIVER_PID" 2>/dev/null || true
        cleanup
}
trap notify_cleanup EXIT

sed "s|@LOG@|$CMD_LOG|" "$NOTIFY_DIR/notify-hook.py" >"$T/notify-hook"
chmod 0755 "$T/notify-hook"

cat >>"$T/etc/dutyd.conf" <<CONF

notify = {
        reminder_time = "16:00";
        max_attempts = ${NOTIFY_MAX_ATTEMPTS:-8};
        alerts = "${NOTIFY_ALERTS:-off}";
        channels = (
                { name = "ops"; type = "webhook"; url = "http://127.0.0.1:$PORT/ops"; timeout = 5; },
                { name = "wecom"; type = "webhook"; template = "wecom"; url = "http://127.0.0.1:$PORT/wecom"; },
                { name = "sms"; type = "command"; command = "$T/notify-hook"; timeout = 5; }
        );
};
CONF
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the config with the notify section does not check"

# notify_start_roster: dutyd started on the test clock's 2026-06-01 10:00 with the roster generated
# (generate_roster: swap-lib.sh, sourced before).
notify_start_roster() {
        export DUTYD_NOW=2026-06-01T10:00
        start_dutyd
        generate_roster
}
# hook_count PYTHON-CONDITION: POSTs received whose record `r` meets the condition.
hook_count() { log_count "$HOOK_LOG" "$1"; }
# cmd_count PYTHON-CONDITION: command hook runs whose record `r` meets the condition.
cmd_count() { log_count "$CMD_LOG" "$1"; }
# sent_count: notifications the outbox holds as sent.
sent_count() {
        json_get "$("$DUTYCTL" --json notify list)" 'sum(1 for n in d["notifications"] if n["state"] == "sent")'
}
