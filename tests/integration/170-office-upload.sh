#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The office side of reporting to the superior duty office, over the real transport, set up as
# packaging/superior/ sets up an office: in a private mount namespace (journal-lib.sh) a system
# journald and the journal namespace "dutyd" (systemd-journald dutyd); dutyd runs with the
# namespace's sockets over /run/systemd/journal, as LogNamespace=dutyd gives it;
# systemd-journal-upload sends the namespace's directory over HTTPS with a client certificate; a
# real systemd-journal-remote --split-mode=host receives it. The system journal stays home.
#
#   - certificates made with openssl: a county CA, a server certificate for 127.0.0.1, the office's
#     key and CSR made by packaging/dutyd-office-csr and signed by the CA (CN = office_id), and a
#     second client certificate whose CN is not the office's;
#   - the office publishes its 国庆 roster and a leader's out-of-town leave is approved, then given
#     up (cancelled) and asked again; the entries arrive in remote-<certificate identity>.journal
#     with MESSAGE_ID, DUTY_OFFICE, the DUTY_REPORT_* fields and the JSON payload of the contract;
#     the audit anchors arrive with DUTY_OFFICE too;
#   - the receiver stops, the office publishes a new version, journal-upload fails and keeps its
#     cursor; the receiver restarts, journal-upload resumes: the new entry arrives exactly once and
#     nothing sent before arrives again;
#   - the certificate whose CN differs from office_id: its file is named after its CN, whatever
#     DUTY_OFFICE the entries claim (the aggregator rejects those, not this side).
#
# Needs root (mount namespaces), systemd-journal-remote and openssl; skipped (77) otherwise.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/offices-lib.sh"
if [ ! -x "$JREMOTE" ] || [ ! -x "$JUPLOAD" ] || ! command -v openssl >/dev/null; then
        echo "SKIP: needs systemd-journal-remote (journal-remote, journal-upload) and openssl"
        exit 77
fi

. "$(dirname "$0")/leave-lib.sh"

OFFICE=xx-county
REPORT_ID=c0875f3e98c0419ab99d67d11bde714e
ANCHOR_ID=$(sed -n 's/^#define ANCHOR_MESSAGE_ID *"\([0-9a-f]*\)".*/\1/p' "$SRCDIR/daemon/anchor.h")
[ -n "$ANCHOR_ID" ] || fail "no ANCHOR_MESSAGE_ID in daemon/anchor.h"
grep -q "^#define REPORT_MESSAGE_ID  *\"$REPORT_ID\"$" "$SRCDIR/daemon/report-fields.h" ||
        fail "$REPORT_ID is not the report MESSAGE_ID of report-fields.h"
grep -q "^-- $REPORT_ID$" "$SRCDIR/packaging/dutyd.catalog" || fail "$REPORT_ID is not in the catalog"

# The office's identity and what it reports: its leaders (principals, executive).
python3 - "$T/etc/dutyd.conf" "$OFFICE" <<'PY'
import sys
p, office = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
s += '\noffice_id = "%s";\nsuperior = { report_groups = [ "principals", "executive" ]; };\n' % office
open(p, "w", encoding="utf-8").write(s)
PY
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the config with office_id does not check"

# ---- Certificates ----

C="$T/certs"
mkdir -p "$C"
ssl() {
        openssl "$@" >>"$T/openssl.log" 2>&1 || fail "openssl $1 failed: $(tail -n 5 "$T/openssl.log")"
}
# The county's CA.
ssl req -x509 -newkey rsa:2048 -nodes -keyout "$C/ca.key" -out "$C/ca.pem" -days 30 -subj "/CN=test county duty CA"
# The superior's server certificate, for the address journal-upload connects to.
ssl req -newkey rsa:2048 -nodes -keyout "$C/server.key" -out "$C/server.csr" -subj "/CN=127.0.0.1"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$C/server.ext"
ssl x509 -req -in "$C/server.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 30 \
        -extfile "$C/server.ext" -out "$C/server.pem"
# The office's key and request, made as the README tells an office to, signed by the county.
"$SRCDIR/packaging/dutyd-office-csr" "$OFFICE" "$C/office" >>"$T/openssl.log" 2>&1 ||
        fail "dutyd-office-csr failed: $(tail -n 5 "$T/openssl.log")"
[ -f "$C/office/office.key" ] && [ -f "$C/office/office.csr" ] || fail "dutyd-office-csr made no key or CSR"
[ "$(stat -c %a "$C/office/office.key")" = 600 ] || fail "the office key is readable by others"
expect_contains "$(openssl req -in "$C/office/office.csr" -noout -subject)" "CN = $OFFICE" "the CSR's subject"
printf 'extendedKeyUsage=clientAuth\n' >"$C/client.ext"
ssl x509 -req -in "$C/office/office.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 30 \
        -extfile "$C/client.ext" -out "$C/office/office.pem"
# A client certificate of another identity, also signed by the county.
ssl req -newkey rsa:2048 -nodes -keyout "$C/other.key" -out "$C/other.csr" -subj "/CN=yy-other"
ssl x509 -req -in "$C/other.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 30 \
        -extfile "$C/client.ext" -out "$C/other.pem"

# ---- The superior's receiver ----

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OUTDIR="$T/remote"
mkdir -p "$OUTDIR"
REMOTE_PID=
# Whether this journal-remote checks client certificates: only a build with GnuTLS has --trust
# (Debian 12's systemd-journal-remote 252 has not: "Option --trust is not available."). Without it
# journal-remote accepts any client over HTTPS and --split-mode=host names the file after the
# peer's address; with it, after the client certificate's distinguished name as GnuTLS prints it
# (journal-remote-main.c: check_permissions() → get_auth_dn() → gnutls_x509_crt_get_dn()).
TRUST=()
if "$JREMOTE" --trust="$C/ca.pem" --help >/dev/null 2>&1; then
        TRUST=(--trust="$C/ca.pem")
        RF="$OUTDIR/remote-CN=$OFFICE.journal"
        OTHER="$OUTDIR/remote-CN=yy-other.journal"
else
        echo "NOTE: $JREMOTE has no --trust (built without GnuTLS): client certificates are not checked and"
        echo "      the files are named after the sender's address"
        RF="$OUTDIR/remote-127.0.0.1.journal"
        OTHER="$RF"
fi
start_remote() {
        "$JREMOTE" --listen-https="127.0.0.1:$PORT" --split-mode=host --key="$C/server.key" \
                --cert="$C/server.pem" "${TRUST[@]}" --output="$OUTDIR/" >>"$T/remote.log" 2>&1 &
        REMOTE_PID=$!
        for _ in $(seq 1 100); do
                python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$PORT" \
                        2>/dev/null && return 0
                kill -0 "$REMOTE_PID" 2>/dev/null || fail "journal-remote exited: $(tail -n 20 "$T/remote.log")"
                sleep 0.05
        done
        fail "journal-remote does not listen on $PORT: $(tail -n 20 "$T/remote.log")"
}
stop_remote() {
        [ -n "$REMOTE_PID" ] || return 0
        kill -TERM "$REMOTE_PID" 2>/dev/null || true
        wait "$REMOTE_PID" 2>/dev/null || true
        REMOTE_PID=
}

journal_start
# The journal namespace "dutyd" beside the system journald.
"$JOURNALD" dutyd >"$T/journald-dutyd.log" 2>&1 &
NSJ_PID=$!
trap 'stop_remote; cleanup; kill "$NSJ_PID" 2>/dev/null; wait "$NSJ_PID" 2>/dev/null; journal_stop' EXIT
for _ in $(seq 1 100); do [ -S /run/systemd/journal.dutyd/socket ] && break; sleep 0.05; done
[ -S /run/systemd/journal.dutyd/socket ] || fail "journald dutyd did not start: $(cat "$T/journald-dutyd.log")"
# dutyd sees the namespace's sockets where the system journal's are, as systemd mounts them for a
# service with LogNamespace=dutyd.
cat >"$T/dutyd-ns" <<'WRAPPER'
#!/bin/sh
exec unshare --mount --propagation private /bin/sh -c \
        'mount --bind /run/systemd/journal.dutyd /run/systemd/journal && exec "$0" "$@"' "$REAL_DUTYD" "$@"
WRAPPER
chmod 0755 "$T/dutyd-ns"
export REAL_DUTYD="$DUTYD"
DUTYD="$T/dutyd-ns"
# Something the office's system journal holds and the superior must never get.
printf "MESSAGE=SYSTEM-ONLY: not for the superior\nSYSLOG_IDENTIFIER=office-system\n" | logger --journald
start_remote

# upload KEY CERT STATE: one run of journal-upload over the office's journal (the whole of this
# private journald: dutyd's entries and the journald's own, as the namespace on a real machine),
# from the saved cursor to the end. Returns journal-upload's status.
#
# journal-upload 252 starts again AT its saved cursor, not after it (journal-upload-journal.c:
# sd_journal_seek_cursor() then sd_journal_next_skip(j, 1), which lands on the cursor's entry):
# each run that resumes sends the last entry of the run before once more. Delivery is at least
# once; the superior keeps reports idempotently (office, kind, key, version). A successful run's
# resent entry is recorded in $T/resent ("boot monotonic realtime", from the cursor) so that the
# checks below allow exactly those and nothing else twice.
upload() {
        local rc=0 cursor=
        journalctl --namespace=dutyd --sync 2>/dev/null || true
        [ -f "$3" ] && cursor=$(sed -n 's/^LAST_CURSOR=//p' "$3")
        "$JUPLOAD" --url="https://127.0.0.1:$PORT" --key="$1" --cert="$2" --trust="$C/ca.pem" \
                --save-state="$3" --directory="$NSDIR" --follow=no >>"$T/upload.log" 2>&1 || rc=$?
        if [ "$rc" = 0 ] && [ -n "$cursor" ]; then
                python3 -c '
import sys
f = dict(p.split("=", 1) for p in sys.argv[1].split(";"))
print(f["b"], int(f["m"], 16), int(f["t"], 16))' "$cursor" >>"$T/resent.$(basename "$3")"
        fi
        return "$rc"
}

# remote_entries FILE MATCH…: the matching entries of a received file, one JSON object per line.
remote_entries() {
        local f=$1
        shift
        journalctl --file="$f" -o json --no-pager "$@" 2>/dev/null || true
}

# ---- The office's work ----

export DUTYD_NOW=2026-09-20T10:00
start_dutyd
grep -q "no reports for the superior" "$T/dutyd.log" && fail "dutyd says it writes no reports though office_id is set"

"$DUTYCTL" roster holiday 国庆 --year 2026 >/dev/null || fail "roster holiday 国庆"
out=$("$DUTYCTL" --json roster publish --from 2026-10-01 --to 2026-10-07) || fail "roster publish"
expect_eq "$(json_get "$out" 'd["version"]')" "1" "the published version"

# 李秀英 (lixy, principals) leaves the county; 王建国 approves. 吴敏 (an officer) is not reported.
trip=$(request "$LIXY_UID" --from 2026-09-28 --to "2026-09-29 am" --destination 北京 --reason 参加省里会议 \
        --acting zhangw)
ok "$WANGJG_UID" leave approve "$trip"
officer=$(request "$OFFICER_UID" --from 2026-09-28 --to 2026-09-28 --destination 南昌 --reason 探亲)
ok "$ZHAODS_UID" leave approve "$officer"
# The itinerary changes: the leave is given up and asked again with the new dates.
ok "$LIXY_UID" leave cancel "$trip"
trip2=$(request "$LIXY_UID" --from 2026-09-29 --to 2026-09-30 --destination 西安 --reason 参加省里会议 \
        --acting zhangw)
ok "$WANGJG_UID" leave approve "$trip2"

# What the office's dutyd journal holds: one report per step, each naming the office. The
# namespace's files are where journald@dutyd keeps them (/var/log/journal/<machine-id>.dutyd when
# /var/log/journal exists, as the drop-in's --directory says).
journalctl --namespace=dutyd --sync
NSDIR=$( (ls -d /var/log/journal/*.dutyd /run/log/journal/*.dutyd 2>/dev/null || true) | head -n 1)
[ -n "$NSDIR" ] || fail "no directory of the namespace dutyd"
echo "the namespace's journal: $NSDIR"
local_reports=$(journalctl --directory="$NSDIR" -o json --no-pager MESSAGE_ID=$REPORT_ID | grep -c . || true)
expect_eq "$local_reports" "4" "report entries in the office's journal (roster, approved, cancelled, approved)"

# ---- Upload ----

S1="$T/upload-office.state"
upload "$C/office/office.key" "$C/office/office.pem" "$S1" || fail "journal-upload failed: $(tail -n 20 "$T/upload.log")"

ls "$OUTDIR" >"$T/remote.files"
echo "journal-remote wrote: $(tr '\n' ' ' <"$T/remote.files")"
[ -f "$RF" ] || fail "no $RF; journal-remote wrote: $(cat "$T/remote.files")"

# check_reports FILE: the report entries of a received file against the contract, printing a summary
# line "KIND KEY VERSION STATE" per entry.
check_reports() {
        remote_entries "$1" MESSAGE_ID=$REPORT_ID | python3 -c '
import json, sys
office = sys.argv[1]
for line in sys.stdin:
    e = json.loads(line)
    def f(k):
        v = e.get(k)
        assert v is not None, "no %s in %s" % (k, e)
        assert isinstance(v, str), "%s is not text: %r" % (k, v)
        return v
    assert f("PRIORITY") == "6", e
    assert f("DUTY_OFFICE") == office, e
    assert f("DUTY_OFFICE_NAME") == "中共某某县委办公室", e
    j = json.loads(f("DUTY_REPORT_JSON"))
    assert j["schema"] == 1 and j["office"] == office and j["office_name"] == "中共某某县委办公室", j
    assert j["kind"] == f("DUTY_REPORT_KIND") and j["key"] == f("DUTY_REPORT_KEY"), j
    assert j["version"] == int(f("DUTY_REPORT_VERSION")) and j["state"] == f("DUTY_REPORT_STATE"), j
    if j["kind"] == "roster":
        assert j["office_phone"] == "0791-88888110", j
        h = j["holiday"]
        assert h == {"name": "国庆节", "from": f("DUTY_REPORT_FROM"), "to": f("DUTY_REPORT_TO")}, h
        assert (h["from"], h["to"]) == ("2026-10-01", "2026-10-07"), h
        assert [d["date"] for d in j["days"]] == ["2026-10-%02d" % i for i in range(1, 8)], j["days"]
        for d in j["days"]:
            assert d["leader"] and d["leader"]["id"] and d["leader"]["name"], d
            assert d["officers"] and all(o["id"] and o["name"] for o in d["officers"]), d
            assert d["duty_phone"] == "0791-88888110", d
        assert j["published"].startswith("2026-09-20T") and j["published"].endswith("+08:00"), j
        assert "值班表已报送：国庆节 2026-10-01至2026-10-07 第%d版" % j["version"] in f("MESSAGE"), f("MESSAGE")
    else:
        assert j["kind"] == "away" and f("DUTY_REPORT_KEY") == "leave-%d" % j["leave_id"], j
        p = j["person"]
        assert p == {"id": "lixy", "name": "李秀英", "title": "县委副书记、县长", "phone": "0791-86201002"}, p
        assert j["reason"] == "参加省里会议" and j["acting"] == {"id": "zhangw", "name": "张伟"}, j
        assert j["reported"].startswith("2026-09-20T") and j["reported"].endswith("+08:00"), j
        assert "外出报备：李秀英" in f("MESSAGE"), f("MESSAGE")
    print(j["kind"], j["key"], j["version"], j["state"], j.get("destination"), j.get("start"), j.get("end"),
          j.get("half_days"), f("DUTY_REPORT_FROM"), f("DUTY_REPORT_TO"))
' "$OFFICE" || fail "the received reports do not follow the contract"
}

check_reports "$RF" >"$T/reports.1" || fail "the received reports do not follow the contract"
cat "$T/reports.1"
expect_eq "$(cat "$T/reports.1")" "roster 2026-7 1 published None None None None 2026-10-01 2026-10-07
away leave-$trip 1 approved 北京 2026-09-28 08:30 2026-09-29 12:00 3 2026-09-28 2026-09-29
away leave-$trip 2 cancelled 北京 2026-09-28 08:30 2026-09-29 12:00 3 2026-09-28 2026-09-29
away leave-$trip2 1 approved 西安 2026-09-29 08:30 2026-09-30 24:00 4 2026-09-29 2026-09-30" \
        "the reports received, in order"

# The system journal did not go up; dutyd's own entries did.
expect_eq "$(remote_entries "$RF" | grep -c 'SYSTEM-ONLY' || true)" "0" "system journal entries received"
journalctl --sync
expect_eq "$(journalctl -o cat --no-pager | grep -c 'SYSTEM-ONLY' || true)" "1" \
        "the system entry, in the system journal"
expect_eq "$(remote_entries "$RF" _COMM=dutyd | grep -c . || true)" \
        "$(journalctl --directory="$NSDIR" -o json --no-pager _COMM=dutyd | grep -c . || true)" "dutyd's entries received"

# The audit anchors go up as well, naming the office.
anchors=$(remote_entries "$RF" MESSAGE_ID="$ANCHOR_ID" | grep -c . || true)
[ "$anchors" -ge 5 ] || fail "expected the audit anchors in the received file, found $anchors"
unnamed=$(remote_entries "$RF" MESSAGE_ID="$ANCHOR_ID" | grep -vc "\"DUTY_OFFICE\":\"$OFFICE\"" || true)
expect_eq "$unnamed" "0" "anchors without DUTY_OFFICE"
# And every entry of dutyd's with a MESSAGE_ID (started, alerts, anchors, reports).
remote_entries "$RF" _COMM=dutyd | python3 -c '
import json, sys
es = [json.loads(l) for l in sys.stdin]
ids = [e for e in es if "MESSAGE_ID" in e]
bad = [e["MESSAGE_ID"] for e in ids if e.get("DUTY_OFFICE") != sys.argv[1]]
assert not bad, "entries with a MESSAGE_ID but no DUTY_OFFICE: %r" % bad
print("dutyd entries with a MESSAGE_ID, all naming the office:", len(ids), sorted({e["MESSAGE_ID"] for e in ids}))
' "$OFFICE" || fail "an entry with a MESSAGE_ID lacks DUTY_OFFICE"

# ---- The receiver is down while the office publishes again ----

before=$(remote_entries "$RF" | grep -c . || true)
stop_remote
out=$("$DUTYCTL" --json roster publish --from 2026-10-01 --to 2026-10-07) || fail "roster publish again"
expect_eq "$(json_get "$out" 'd["version"]')" "2" "the second published version"
cp "$S1" "$T/state.before"
if upload "$C/office/office.key" "$C/office/office.pem" "$S1"; then
        fail "journal-upload succeeded with the receiver down"
fi
cmp -s "$S1" "$T/state.before" || fail "journal-upload moved its cursor though nothing was sent"
expect_eq "$(remote_entries "$RF" | grep -c . || true)" "$before" "entries received while the receiver was down"

start_remote
upload "$C/office/office.key" "$C/office/office.pem" "$S1" || fail "journal-upload after the restart: $(tail -n 20 "$T/upload.log")"
check_reports "$RF" >"$T/reports.2" || fail "the received reports after the restart"
expect_eq "$(grep -c '^roster 2026-7 2 published' "$T/reports.2")" "1" "the new version, received once"
expect_eq "$(head -n 4 "$T/reports.2")" "$(cat "$T/reports.1")" "the earlier reports, unchanged"
expect_eq "$(grep -c . "$T/reports.2")" "5" "reports received in all"
# Nothing sent before is sent again but the entry at each resumed cursor: the received file holds
# each entry of the office's journal as often as the journal does (journald may write the same line
# twice itself), plus one copy of each resent cursor entry, no more.
# check_once: compares the office's journal with the received file.
check_once() {
        journalctl --directory="$NSDIR" -o json --no-pager >"$T/local.json"
        remote_entries "$RF" >"$T/remote.json"
        python3 - "$T/local.json" "$T/remote.json" "$T/resent.$(basename "$S1")" <<'PY' || fail "an entry arrived twice, or is missing"
import collections, json, sys
def key(e):
    return (e.get("_BOOT_ID"), e.get("__MONOTONIC_TIMESTAMP"), e.get("__REALTIME_TIMESTAMP"))
local, remote = (collections.Counter(key(json.loads(l)) for l in open(f)) for f in sys.argv[1:3])
resent = collections.Counter(tuple(l.split()) for l in open(sys.argv[3]))
extra = remote - local
assert extra == resent, "received more often than written: %r, resent at the cursors: %r" % (extra, resent)
missing = local - remote
assert not missing, "written but not received: %r" % list(missing)[:3]
print("entries written: %d, received: %d (%d resent at a resumed cursor)" % (
      sum(local.values()), sum(remote.values()), sum(resent.values())))
PY
}
check_once
# An upload with nothing new sends nothing but the entry at its cursor again.
upload "$C/office/office.key" "$C/office/office.pem" "$S1" || fail "journal-upload with nothing new"
check_once

# ---- A certificate that is not the office's ----

upload "$C/other.key" "$C/other.pem" "$T/upload-other.state" || fail "journal-upload with the other certificate"
[ -f "$OTHER" ] || fail "no $OTHER: $(ls "$OUTDIR")"
echo "the other certificate's entries went to $(basename "$OTHER"); journal-remote wrote: $(ls "$OUTDIR" | tr '\n' ' ')"
claimed=$(remote_entries "$OTHER" MESSAGE_ID=$REPORT_ID | python3 -c '
import json, sys
print(sorted({json.loads(l)["DUTY_OFFICE"] for l in sys.stdin}))')
expect_eq "$claimed" "['$OFFICE']" "what the entries under the other certificate claim (for the aggregator to reject)"
if [ ${#TRUST[@]} -eq 0 ]; then
        # The same address, the same file: on this build the certificate identifies nobody.
        expect_eq "$(ls "$OUTDIR" | grep -c '\.journal$')" "1" "files of two certificates from one address"
fi

# ---- An amendment of a published holiday day, and a return (销假) ----

person=$("$DUTYCTL" --json roster show --from 2026-10-03 --to 2026-10-03 | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([a["person"] for a in d["days"][0]["assignments"] if a["post"] == "officer_on_duty" and a["person"]][0])')
"$DUTYCTL" roster unassign 2026-10-03 officer_on_duty "$person" --amend --reason 生病住院 >/dev/null ||
        fail "amending a published holiday day"
restart_at 2026-10-01T09:00
ok "$LIXY_UID" leave return "$trip2" --at "2026-09-30 18:00"
journalctl --namespace=dutyd --sync
last_report() {
        journalctl --directory="$NSDIR" -o json --no-pager MESSAGE_ID=$REPORT_ID "$@" | tail -n 1 | python3 -c '
import json, sys
e = json.load(sys.stdin)
j = json.loads(e["DUTY_REPORT_JSON"])
print(e["DUTY_REPORT_KEY"], e["DUTY_REPORT_VERSION"], e["DUTY_REPORT_STATE"], j["version"], j["state"], e["DUTY_OFFICE"])'
}
# Published as version 2, amended: the report after version 2 is 3.
expect_eq "$(last_report DUTY_REPORT_STATE=amended)" "2026-7 3 amended 3 amended $OFFICE" "the amendment's report"
expect_eq "$(last_report DUTY_REPORT_KEY=leave-$trip2)" "leave-$trip2 2 returned 2 returned $OFFICE" "the return's report"
# The officer's leave and the rejected or pending ones are nobody's business upstairs.
expect_eq "$(journalctl --directory="$NSDIR" -o json --no-pager MESSAGE_ID=$REPORT_ID DUTY_REPORT_KEY=leave-$officer | grep -c . || true)" \
        "0" "reports of an officer's leave"

stop_dutyd
echo "OK"
