# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the scenarios that read dutyd's entries back from a real journald: sourced first, before
# lib.sh. As root, with systemd-journald installed, the scenario runs again in a private mount
# namespace (DUTYD_TEST_NAMESPACE=1), where journal_start gives it a journald of its own on tmpfs,
# out of the host's journal. Otherwise, with JOURNAL_REQUIRED set the scenario is skipped (77);
# without it the scenario goes on with JOURNAL empty and leaves its journal checks out.

if [ -z "${DUTYD_TEST_NAMESPACE:-}" ]; then
        JOURNALD=/lib/systemd/systemd-journald
        [ -x "$JOURNALD" ] || JOURNALD=/usr/lib/systemd/systemd-journald
        if [ "$(id -u)" -eq 0 ] && [ -x "$JOURNALD" ]; then
                export JOURNALD
                DUTYD_TEST_NAMESPACE=1 exec unshare --mount --propagation private bash "$0" "$@"
        fi
        if [ -n "${JOURNAL_REQUIRED:-}" ]; then
                echo "SKIP: a private journald needs root and systemd-journald"
                exit 77
        fi
        echo "NOTE: no root or no systemd-journald: the journal checks are left out"
fi

# journal_start: in the namespace, mounts tmpfs over the journal's directories, starts journald and
# waits for its socket; sets JOURNAL=1 there and leaves it empty elsewhere. Needs lib.sh.
journal_start() {
        JOURNAL=
        [ -n "${DUTYD_TEST_NAMESPACE:-}" ] || return 0
        mount -t tmpfs tmpfs /run/systemd
        mount -t tmpfs tmpfs /run/log
        # journald would move to persistent storage if asked; keep the host's journal out of reach anyway.
        if [ -d /var/log/journal ]; then
                mount -t tmpfs tmpfs /var/log/journal
        fi
        mkdir -p /run/systemd/journal
        "$JOURNALD" >"$T/journald.log" 2>&1 &
        JOURNALD_PID=$!
        for _ in $(seq 1 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
        [ -S /run/systemd/journal/socket ] || fail "journald did not create its socket: $(cat "$T/journald.log")"
        trap 'cleanup; journal_stop' EXIT
        JOURNAL=1
}

journal_stop() {
        [ -n "${JOURNALD_PID:-}" ] || return 0
        kill -TERM "$JOURNALD_PID" 2>/dev/null || true
        wait "$JOURNALD_PID" 2>/dev/null || true
}

# ---- Reading the entries back (the scenario defines entries MATCH…: which fields it reads) ----

J=(journalctl --directory=/run/log/journal --quiet --no-pager)

# count MATCH…: how many entries match.
count() {
        entries "$@" | grep -c . || true
}

# wait_count N MATCH…: until exactly N entries match (WAIT_STEPS tries 50 ms apart, 200 by
# default). --sync returns once journald has stored everything sent before it.
wait_count() {
        local n=$1 c=0
        shift
        for _ in $(seq 1 "${WAIT_STEPS:-200}"); do
                journalctl --sync 2>/dev/null || true
                c=$(count "$@")
                [ "$c" -ge "$n" ] && break
                sleep 0.05
        done
        [ "$c" -eq "$n" ] || fail "expected $n journal entries matching $*, found $c: $(entries "$@")"
}

# load_entry MATCH…: the one matching entry's fields into E[NAME] (several values joined by ",").
declare -A E
load_entry() {
        local json
        json=$(entries "$@")
        [ "$(grep -c . <<<"$json")" = 1 ] || fail "expected one journal entry matching $*: $json"
        E=()
        eval "$(python3 -c '
import json, shlex, sys
for k, v in json.loads(sys.argv[1]).items():
    print("E[%s]=%s" % (k, shlex.quote(",".join(v) if isinstance(v, list) else str(v))))' "$json")"
}

# Runs of the gap monitor completed so far (DUTYD_DEBUG logs each).
runs() {
        grep -c "Gap monitor: .* journal entries written" "$T/dutyd.log" || true
}

# wait_monitor_run N: until more than N runs have completed.
wait_monitor_run() {
        for _ in $(seq 1 200); do
                [ "$(runs)" -gt "$1" ] && return 0
                sleep 0.05
        done
        fail "the gap monitor did not run"
}

# Turns of the report deadline watch completed so far (DUTYD_DEBUG logs each).
turns() {
        grep -c "Duty log: report deadlines looked at" "$T/dutyd.log" || true
}

# wait_turn N: until more than N turns have completed, and journald has stored what they wrote.
wait_turn() {
        for _ in $(seq 1 200); do
                [ "$(turns)" -gt "$1" ] && { journalctl --sync 2>/dev/null || true; return 0; }
                sleep 0.05
        done
        fail "the report deadline watch did not run"
}

# ---- The entries of one database, $DB ($ID_ANCHOR: the MESSAGE_ID of an audit anchor) ----

# wait_anchor SEQ: until the anchor of audit row SEQ of $DB is in the journal (5 s at most).
wait_anchor() {
        local n
        for _ in $(seq 1 100); do
                n=$("${J[@]}" MESSAGE_ID=$ID_ANCHOR "DUTY_DATABASE=$DB" "DUTY_AUDIT_SEQ=$1" 2>/dev/null | grep -c . || true)
                [ "$n" -lt 1 ] || return 0
                sleep 0.05
        done
        fail "no anchor of audit row $1 in the journal"
}

# entry ID: the newest entry of ID for $DB, as JSON ("" if none after 5 s).
entry() {
        local e
        for _ in $(seq 1 100); do
                e=$("${J[@]}" -o json -n 1 MESSAGE_ID="$1" "DUTY_DATABASE=$DB" 2>/dev/null || true)
                [ -z "$e" ] || { echo "$e"; return 0; }
                sleep 0.05
        done
}
