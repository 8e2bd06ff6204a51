#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion of dutyctl (packaging/completion/dutyctl): verbs of one and two words, the options
# of a verb, values of options, and person ids, post ids, holiday names and leave numbers asked from
# the running daemon; with the daemon down,
# or hanging, completion still returns at once with nothing to offer.
. "$(dirname "$0")/lib.sh"

COMPLETION="$SRCDIR/packaging/completion/dutyctl"
export COMPLETION

# complete WORD…: what completing the last word offers, sorted, one per line (dutyctl is the real
# binary of the build, as the user's shell would find it).
complete_words() {
        bash --norc --noprofile -c '
                . "$1"
                shift
                COMP_WORDS=("$@")
                COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                _dutyctl
                printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$COMPLETION" "$DUTYCTL" "$@"
}

# offers EXPECTED WORD…: the completion of WORD… is exactly EXPECTED (words separated by spaces).
offers() {
        local expected=$1 got
        shift
        got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
        expect_eq "$got" "$expected" "completion of 'dutyctl $*'"
}

# The words, without a daemon.
offers "roster" ro
offers "generate" roster g
offers "sensitive" se
offers "add list remove" sensitive ""
offers "--amend --assume-ordinary --dry-run --from --help --json --reason --replace-manual --socket --to --verbose" roster generate --
offers "--format --from" roster show --f
offers "csv csv-counts csv-long html ics json table" roster show --format ""
offers "escalate freeze normal" sensitive add x --leave ""
offers "now today tomorrow yesterday" who ""
offers "give list take" handover ""
offers "--for --help --json --note --socket --verbose" handover give --
# --note takes a value: the word after it is not a verb's argument.
offers "" handover give --note ""
offers "leader officer room" check add ""
offers "phone video visit" check add room --how ""
offers "--answered --at --help --how --json --missed --person --remarks --seconds --socket --verbose" check add room --
offers "inspector" people --role ins
offers "add close list print report show" log ""
offers "csv html" log print --format ""
offers "csv html text" offices on-duty --format ""
offers "csv html json table" check list --format ""
offers "followup phone written" log report 1 ""
offers "assignment call document emergency instruction other" log add ""
offers "today yesterday" log list ""
# The value of --from is not taken for the log's matter: still the kind's position.
offers "call" log add --from 市应急局 c
# Every verb's first word is offered for an empty command line.
first_words=$(LC_ALL=C "$DUTYCTL" --help | sed -n '/^Verbs:$/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p' | sort -u | tr '\n' ' ' | sed 's/ $//')
[ -n "$first_words" ] || fail "no verbs in dutyctl --help"
offers "$first_words" ""
# The language of the user does not change what is offered.
got=$(LC_ALL=zh_CN.UTF-8 complete_words roster g)
expect_eq "$got" "generate" "completion under LANG=zh_CN.UTF-8"

# The daemon down: nothing.
offers "" roster assign 2026-02-16 leader_on_call ""

# The daemon up: the people it knows, where a person is expected.
start_dutyd
ids=$(LC_ALL=C "$DUTYCTL" --json people | python3 -c 'import json,sys; print(" ".join(sorted(p["id"] for p in json.load(sys.stdin)["people"])))')
[ -n "$ids" ] || fail "no people"
offers "$ids" roster assign 2026-02-16 leader_on_call ""
offers "$ids" leave request --for ""
offers "$(tr ' ' '\n' <<<"$ids" | grep '^zh' | tr '\n' ' ' | sed 's/ $//')" swap cover 2026-03-01 --by zh
# Post ids where a post is expected, holiday names for roster holiday, leave numbers where a leave
# is expected.
offers "leader_on_call officer_on_duty" roster assign 2026-02-16 ""
offers "leader_on_call officer_on_duty" swap cover 2026-03-01 --post ""
holidays=$(LC_ALL=C "$DUTYCTL" --json calendar --year "$(date +%Y)" | python3 -c '
import json, sys
print(" ".join(sorted({d["holiday"] for d in json.load(sys.stdin)["days"] if d.get("holiday")})))')
[ -n "$holidays" ] || fail "no holidays this year"
got=$(complete_words roster holiday "" | tr '\n' ' ' | sed 's/ $//')
for h in $holidays; do
        expect_contains " $got " " $h " "completion of roster holiday offers $h"
done
# Urgent, so that it is recorded whatever rules it breaks on the real date.
"$DUTYCTL" leave request --for zhangw --from "$(date -d '+5 days' +%F)" --to "$(date -d '+5 days' +%F)" \
        --destination 南昌 --reason 开会 --urgent >/dev/null || fail "leave request"
"$DUTYCTL" leave request --for wum --from "$(date -d '+6 days' +%F)" --to "$(date -d '+6 days' +%F)" \
        --destination 南昌 --reason 开会 --urgent >/dev/null || fail "leave request"
offers "1 2" leave approve ""
offers "1 2" leave show ""
offers "" swap accept ""
# --socket on the command line is the daemon asked.
SOCKET_COPY=$DUTYD_SOCKET
got=$(DUTYD_SOCKET=/nonexistent complete_words -s "$SOCKET_COPY" unavailable add "" | tr '\n' ' ' | sed 's/ $//')
expect_eq "$got" "$ids" "completion asks the daemon of --socket"
stop_dutyd

# A daemon that accepts and never answers: completion gives up after its timeout.
python3 - "$T/hang.sock" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(8)
conns = []
deadline = time.time() + 30
while time.time() < deadline:
    s.settimeout(1)
    try:
        conns.append(s.accept()[0])
    except socket.timeout:
        pass
PY
HANG=$!
for _ in $(seq 1 100); do [ -S "$T/hang.sock" ] && break; sleep 0.05; done
[ -S "$T/hang.sock" ] || fail "the hanging socket did not appear"
# dutyctl itself would wait VARLINK_CLIENT_TIMEOUT_MSEC (30 s) for the reply; the completion must
# give up long before that (it allows 2 s), so 20 s tell the two apart even on a loaded machine.
rc=0
got=$(DUTYD_SOCKET="$T/hang.sock" timeout 20 bash -c "$(declare -f complete_words); complete_words leave list --person ''") ||
        rc=$?
kill "$HANG" 2>/dev/null || true
wait "$HANG" 2>/dev/null || true
[ "$rc" -ne 124 ] || fail "completion hangs on a daemon that does not answer"
expect_eq "$rc" "0" "completion with a daemon that does not answer"
expect_eq "$got" "" "completion with a daemon that does not answer offers nothing"

echo "ok"
