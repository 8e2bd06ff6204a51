#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Signals at the edges of dutyd's life (signals.py does the timing):
#   - start-up: SIGHUP (reload) and SIGTERM are blocked first thing in main(), so a signal that
#     comes while dutyd still loads its configuration and opens its database waits for the event
#     loop instead of killing it: after a SIGHUP it serves, after a SIGTERM it exits with 0;
#   - shutdown: SIGTERM during a stream of RosterGenerate writes from several clients. Every call
#     answered with success is committed, and every call committed was answered: a client that got
#     EOF instead of a reply finds nothing of its call in the audit log (acknowledged == committed).
. "$(dirname "$0")/lib.sh"
HELPER="$(dirname "$0")/signals.py"

export DUTYD_NOW=2026-03-02T10:00
DUTYD_ARGS=(--config "$T/etc/dutyd.conf" --state-dir "$T/state" --socket "$SOCK")
# The database exists before the starts below: they signal dutyd once it holds it open.
start_dutyd
stop_dutyd

# (a) 40 starts, each sent SIGHUP while starting: every one survives, serves, and stops cleanly.
out=$(START_TIMEOUT=$START_TIMEOUT python3 "$HELPER" start-hup 40 HUP "$DUTYD" "${DUTYD_ARGS[@]}" 2>>"$T/dutyd.log") ||
        fail "start-hup: $out"
echo "SIGHUP at start-up: $out"
expect_eq "$(json_get "$out" 'd["answered"]')" "40" "starts that survived a SIGHUP and answered Status"
expect_eq "$(json_get "$out" 'd["exit"]')" "{'0': 40}" "exit statuses after a SIGHUP at start-up"

# A SIGTERM while starting is a clean stop, not a death by signal.
out=$(START_TIMEOUT=$START_TIMEOUT python3 "$HELPER" start-hup 5 TERM "$DUTYD" "${DUTYD_ARGS[@]}" 2>>"$T/dutyd.log") ||
        fail "start-term: $out"
echo "SIGTERM at start-up: $out"
expect_eq "$(json_get "$out" 'd["exit"]')" "{'0': 5}" "exit statuses after a SIGTERM at start-up"

# (b) SIGTERM during a stream of writes from 6 clients, 3 calls at a time, after 12 replies: the
# replies queued then are larger than the sockets hold.
"$DUTYD" "${DUTYD_ARGS[@]}" >>"$T/dutyd.log" 2>&1 &
DUTYD_PID=$!
wait_for_daemon
out=$(python3 "$HELPER" writes "$SOCK" "$DUTYD_PID" 6 12) || fail "writes: $out"
rc=0
wait "$DUTYD_PID" || rc=$?
DUTYD_PID=
expect_eq "$rc" "0" "dutyd's exit status after SIGTERM during writes"
echo "writes: $(json_get "$out" '{k: len(v) if isinstance(v, list) else v for k, v in d.items()}')"
expect_eq "$(json_get "$out" 'd["terminated"] and len(d["acked"]) >= 12')" "True" "writes acknowledged before the stop"
expect_eq "$(json_get "$out" 'd["refused"]')" "[]" "writes refused"

start_dutyd
audit=$("$DUTYCTL" --json audit --limit 1000) || fail "audit"
committed=$(json_get "$audit" \
        'json.dumps(sorted(json.loads(e["summary"])["from"] for e in d["entries"]
                           if e["method"] == "RosterGenerate" and e["result"] == "ok"))')
acked=$(json_get "$out" 'json.dumps(d["acked"])')
expect_eq "$(json_get "$committed" "sorted(set(d) - set($acked))")" "[]" \
        "RosterGenerate calls committed (audit row ok) whose client got EOF instead of the reply"
expect_eq "$(json_get "$committed" "sorted(set($acked) - set(d))")" "[]" \
        "RosterGenerate calls acknowledged without an audit row ok"
expect_eq "$(json_get "$committed" "len(d)")" "$(json_get "$acked" "len(d)")" "committed vs acknowledged calls"
"$DUTYCTL" audit --verify >/dev/null || fail "audit chain broken after the stop"
stop_dutyd
echo "ok"
