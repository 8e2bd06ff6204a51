#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue #19's scenario whole, on loopback, with what packaging/superior ships at the superior duty
# office: nginx (the shipped site) checks each office's client certificate and passes its upload to
# that office's own systemd-journal-remote, started by socket activation with the command line of
# the shipped dutyd-remote@.service (systemd-socket-activate: no systemd runs here); the aggregator
# dutyd reads the files those write.
#
# Three offices a, b, c: each a dutyd with a journald of its own (a journal namespace, as
# LogNamespace=dutyd gives it; its clock set by libfaketime to the office's day, so that the
# entries carry the times the offices write them), and its own systemd-journal-upload with a client
# certificate (key and CSR by dutyd-office-csr, signed by dutyd-superior-enroll with the test CA).
#
#   - a publishes its 国庆 roster on time, b late, c never: `dutyctl offices` says on time / late /
#     missing; at the deadline one alert names b and c (both missing then);
#   - a's leader reports 外出, then the dates change (LeaveChange): the latest itinerary shows;
#   - b publishes while its receiver and the aggregator are down: journal-upload fails and keeps
#     its cursor; restarted, the report arrives, and is stored once though it is sent again;
#   - an office holding certificate "a" whose entries claim "b": they land in a's file and are
#     rejected and logged once; b does not get that roster;
#   - transport: not enrolled (no socket) → 502, subject other than CN=<id> → 403, another CA or no
#     certificate → 400, GET → 403, a receiver down → 502; journal-upload keeps its cursor when
#     refused; an upload is streamed through nginx as it is sent;
#   - a file in the directory planted by another user is not read.
#
# Needs root (mount namespaces), nginx, systemd-journal-remote, systemd-socket-activate, openssl,
# curl and libfaketime; skipped (77) otherwise.

JOURNAL_REQUIRED=1
. "$(dirname "$0")/journal-lib.sh"
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/offices-lib.sh"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
FAKETIME_LIB=
for f in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
        [ -f "$f" ] && { FAKETIME_LIB=$f; break; }
done
for need in "$JREMOTE" "$JUPLOAD" "$NGINX"; do
        [ -x "$need" ] || { echo "SKIP: $need is not installed (packaging/deps.sh test group)"; exit 77; }
done
for need in openssl curl systemd-socket-activate; do
        command -v "$need" >/dev/null || { echo "SKIP: $need is not installed (packaging/deps.sh test group)"; exit 77; }
done
[ -n "$FAKETIME_LIB" ] || { echo "SKIP: libfaketime is not installed (packaging/deps.sh test group)"; exit 77; }

. "$(dirname "$0")/leave-lib.sh"

ID_REPORT=c0875f3e98c0419ab99d67d11bde714e
ID_REJECTED=0894fe3c38404374837b6d29db741bc8
ID_DEADLINE=9e00d10b644c457685151f32591da6fc
SUP="$SRCDIR/packaging/superior"
C="$T/certs"
R="$T/remote"          # /var/log/journal/dutyd-remote
RUN="$T/run-remote"    # /run/dutyd-remote
mkdir -p "$C" "$R" "$RUN"
chmod 0755 "$R"

# ---- The shipped units: their command line is what runs below ----

unitdir="$T/units"
mkdir -p "$unitdir"
cp "$SUP/dutyd-remote@.socket" "$SUP/dutyd-remote@.service" "$SUP/dutyd-remote-reap.timer" \
        "$SUP/dutyd-remote-reap.service" "$unitdir/"
if SYSTEMD_UNIT_PATH="$unitdir:" systemd-analyze verify --man=no "$unitdir/dutyd-remote@t.socket" \
        "$unitdir/dutyd-remote@t.service" "$unitdir/dutyd-remote-reap.timer" >"$T/verify.log" 2>&1; then
        echo "systemd-analyze verify: the units are well formed"
else
        # Outside a booted system verify may complain about the manager, not the units.
        grep -E "dutyd-remote[@-]" "$T/verify.log" | grep -v "Failed to" && fail "systemd-analyze verify: $(cat "$T/verify.log")"
        echo "NOTE: systemd-analyze verify could not run here: $(head -n 2 "$T/verify.log")"
fi
exec_start=$(sed -n 's/^ExecStart=//p' "$SUP/dutyd-remote@.service")
expect_contains "$exec_start" "--listen-http=-3 --split-mode=none" "dutyd-remote@.service's command line"
grep -qx "ListenStream=/run/dutyd-remote/%i.sock" "$SUP/dutyd-remote@.socket" || fail "the socket unit's path"
grep -qx "SocketMode=0660" "$SUP/dutyd-remote@.socket" && grep -qx "SocketGroup=www-data" "$SUP/dutyd-remote@.socket" ||
        fail "the socket unit is not 0660 root:www-data"

# ---- Certificates ----

ssl() {
        openssl "$@" >>"$T/openssl.log" 2>&1 || fail "openssl $1 failed: $(tail -n 5 "$T/openssl.log")"
}
ssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/ca.key" -out "$C/ca.pem" \
        -days 30 -subj "/CN=test city duty CA"
ssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/server.key" -out "$C/server.csr" \
        -subj "/CN=127.0.0.1"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$C/server.ext"
ssl x509 -req -in "$C/server.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 30 \
        -extfile "$C/server.ext" -out "$C/server.pem"
# The offices' keys and requests as the README tells an office to make them; the superior signs
# them with dutyd-superior-enroll (d too, but d's receiver is never enabled).
for id in a b c d; do
        "$SRCDIR/packaging/dutyd-office-csr" "$id" "$C/$id" >>"$T/openssl.log" 2>&1 ||
                fail "dutyd-office-csr $id: $(tail -n 5 "$T/openssl.log")"
        "$SRCDIR/packaging/dutyd-superior-enroll" --ca-dir "$C" --days 30 --no-enable "$id" "$C/$id/office.csr" \
                "$C/$id/office.pem" >>"$T/enroll.log" 2>&1 || fail "dutyd-superior-enroll $id: $(cat "$T/enroll.log")"
        cp "$C/ca.pem" "$C/$id/ca.pem"
done
expect_contains "$(openssl x509 -in "$C/a/office.pem" -noout -subject -nameopt RFC2253)" "subject=CN=a" "a's certificate"
# A request whose subject is more than CN=<id>: enrolment refuses it; signed anyway by hand, nginx
# refuses it.
ssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/ax.key" -out "$C/ax.csr" -subj "/CN=a/O=x"
if "$SRCDIR/packaging/dutyd-superior-enroll" --ca-dir "$C" --no-enable a "$C/ax.csr" "$C/ax.pem" 2>"$T/enroll.err"; then
        fail "dutyd-superior-enroll signed a request with the subject CN=a,O=x"
fi
expect_contains "$(cat "$T/enroll.err")" "not \"CN=a\"" "enrolment refusing CN=a,O=x"
printf 'extendedKeyUsage=clientAuth\n' >"$C/client.ext"
ssl x509 -req -in "$C/ax.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 30 -extfile "$C/client.ext" \
        -out "$C/ax.pem"
# A certificate CN=a from another CA.
ssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/foreign-ca.key" -out "$C/foreign-ca.pem" \
        -days 30 -subj "/CN=foreign CA"
ssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/foreign.key" -out "$C/foreign.csr" -subj "/CN=a"
ssl x509 -req -in "$C/foreign.csr" -CA "$C/foreign-ca.pem" -CAkey "$C/foreign-ca.key" -CAcreateserial -days 30 \
        -extfile "$C/client.ext" -out "$C/foreign.pem"

# ---- The receivers: dutyd-remote@<id>.socket + .service, as systemd would run them ----

declare -A RECEIVER
start_receiver() {
        local id=$1 cmd
        cmd=$(sed -e "s|%i|$id|g" -e "s|/var/log/journal/dutyd-remote|$R|g" <<<"$exec_start")
        rm -f "$RUN/$id.sock"
        # shellcheck disable=SC2086
        systemd-socket-activate -l "$RUN/$id.sock" $cmd >>"$T/remote-$id.log" 2>&1 &
        RECEIVER[$id]=$!
        for _ in $(seq 1 100); do [ -S "$RUN/$id.sock" ] && return 0; sleep 0.05; done
        fail "no socket $RUN/$id.sock: $(cat "$T/remote-$id.log")"
}
# stop_receiver ID: as `systemctl stop dutyd-remote@ID.socket dutyd-remote@ID.service` (SIGTERM).
stop_receiver() {
        local id=$1
        [ -n "${RECEIVER[$id]:-}" ] || return 0
        kill -TERM "${RECEIVER[$id]}" 2>/dev/null || true
        wait "${RECEIVER[$id]}" 2>/dev/null || true
        RECEIVER[$id]=
        rm -f "$RUN/$id.sock"
}

# ---- nginx with the shipped site ----

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$T/nginx"
sed -e "s|/etc/dutyd/offices|$C|g" -e "s|/run/dutyd-remote|$RUN|g" -e "s|listen 19532 ssl;|listen 127.0.0.1:$PORT ssl;|" \
        -e '/listen \[::\]:19532/d' -e "s|/var/log/nginx/dutyd-superior.log|$T/nginx/access.log|" \
        "$SUP/nginx-dutyd-superior.conf" >"$T/nginx/site.conf"
grep -q "listen 127.0.0.1:$PORT ssl;" "$T/nginx/site.conf" || fail "the site's listen line was not found"
cat >"$T/nginx/nginx.conf" <<CONF
user root;
daemon off;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log info;
events { worker_connections 64; }
http {
        client_body_temp_path $T/nginx/body;
        proxy_temp_path $T/nginx/proxy;
        fastcgi_temp_path $T/nginx/fastcgi;
        uwsgi_temp_path $T/nginx/uwsgi;
        scgi_temp_path $T/nginx/scgi;
        include $T/nginx/site.conf;
}
CONF
"$NGINX" -t -p "$T/nginx" -c "$T/nginx/nginx.conf" >"$T/nginx/test.log" 2>&1 || fail "nginx -t: $(cat "$T/nginx/test.log")"
NGINX_PID=
start_nginx() {
        "$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf" >>"$T/nginx/stderr.log" 2>&1 &
        NGINX_PID=$!
        for _ in $(seq 1 100); do
                python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$PORT" \
                        2>/dev/null && return 0
                kill -0 "$NGINX_PID" 2>/dev/null || fail "nginx exited: $(cat "$T/nginx/error.log")"
                sleep 0.05
        done
        fail "nginx does not listen on $PORT"
}

# ---- The offices: a dutyd each, with a journal namespace of its own on its own clock ----

journal_start
declare -A NSPID OPID
# office_init SLOT OFFICE_ID: the sample office as office OFFICE_ID in $T/o-SLOT.
office_init() {
        local slot=$1 id=$2 d="$T/o-$1"
        mkdir -p "$d/etc" "$d/state" "$d/run"
        chmod 0755 "$d" "$d/run"
        cp "$T/etc/dutyd.conf" "$d/etc/dutyd.conf"
        cp -r "$T/etc/holidays.d" "$d/etc/holidays.d"
        printf '\noffice_id = "%s";\nsuperior = { report_groups = [ "principals", "executive" ]; };\n' "$id" \
                >>"$d/etc/dutyd.conf"
        chmod -R go-w "$d/etc"
}
# office_start SLOT NOW: its journald (journal namespace o<SLOT>, its clock from NOW on) and dutyd.
office_start() {
        local slot=$1 now=$2 d="$T/o-$1" ns="o$1"
        if [ -z "${NSPID[$slot]:-}" ]; then
                # NOW is the office's time (Asia/Shanghai); libfaketime is given UTC.
                utc=$(TZ=UTC date -d "TZ=\"Asia/Shanghai\" ${now/T/ }" '+%Y-%m-%d %H:%M:%S')
                TZ=UTC LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$utc" FAKETIME_DONT_FAKE_MONOTONIC=1 \
                        "$JOURNALD" "$ns" >"$T/journald-$ns.log" 2>&1 &
                NSPID[$slot]=$!
                for _ in $(seq 1 100); do [ -S "/run/systemd/journal.$ns/socket" ] && break; sleep 0.05; done
                [ -S "/run/systemd/journal.$ns/socket" ] || fail "journald $ns did not start: $(cat "$T/journald-$ns.log")"
        fi
        DUTYD_NOW=$now unshare --mount --propagation private /bin/sh -c \
                'mount --bind "/run/systemd/journal.$0" /run/systemd/journal && exec "$@"' "$ns" \
                "$DUTYD" --config "$d/etc/dutyd.conf" --state-dir "$d/state" --socket "$d/run/sock" >>"$d/dutyd.log" 2>&1 &
        OPID[$slot]=$!
        for _ in $(seq 1 $((START_TIMEOUT * 20))); do
                DUTYD_SOCKET="$d/run/sock" "$DUTYCTL" status >/dev/null 2>&1 && return 0
                kill -0 "${OPID[$slot]}" 2>/dev/null || fail "office $slot's dutyd exited: $(cat "$d/dutyd.log")"
                sleep 0.05
        done
        fail "office $slot's dutyd does not answer: $(cat "$d/dutyd.log")"
}
office_stop() {
        local slot=$1
        [ -n "${OPID[$slot]:-}" ] || return 0
        kill -TERM "${OPID[$slot]}" 2>/dev/null || true
        wait "${OPID[$slot]}" 2>/dev/null || true
        OPID[$slot]=
}
# in_office SLOT COMMAND…: COMMAND with dutyctl talking to office SLOT.
in_office() {
        local slot=$1
        shift
        DUTYD_SOCKET="$T/o-$slot/run/sock" "$@"
}
nsdir() {
        journalctl --namespace="o$1" --sync 2>/dev/null || true
        (ls -d "/var/log/journal/"*".o$1" "/run/log/journal/"*".o$1" 2>/dev/null || true) | head -n 1
}
# upload SLOT KEY-ID STATE: one run of the office's journal-upload with certificate KEY-ID.
upload() {
        local dir
        dir=$(nsdir "$1")
        [ -n "$dir" ] || fail "no journal directory of office $1"
        "$JUPLOAD" --url="https://127.0.0.1:$PORT" --key="$C/$2/office.key" --cert="$C/$2/office.pem" \
                --trust="$C/$2/ca.pem" --save-state="$3" --directory="$dir" --follow=no >>"$T/upload-$1.log" 2>&1
}

all_stop() {
        for s in "${!OPID[@]}"; do office_stop "$s"; done
        for s in "${!NSPID[@]}"; do kill "${NSPID[$s]}" 2>/dev/null || true; wait "${NSPID[$s]}" 2>/dev/null || true; done
        for s in "${!RECEIVER[@]}"; do stop_receiver "$s"; done
        if [ -n "$NGINX_PID" ]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
}
trap 'all_stop; cleanup; journal_stop' EXIT

# ---- The superior's aggregator ----

# The offices first: the sample office, reporting; x is configured as b.
for s in a b c x; do
        office_init "$s" "$([ "$s" = x ] && echo b || echo "$s")"
done
# a, b and c enrolled: the links `systemctl enable dutyd-remote@<id>.socket` leaves (the receivers
# themselves run under systemd-socket-activate here).
enrol "$SRCDIR/packaging/superior/dutyd-remote@.socket" a b c
aggregator_conf "$R" "$T/wants" "a 甲县委办 0371-60001111" "b 乙县委办" "c 丙县委办"
national_day_report
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the aggregator's config does not check"

J=(journalctl --directory=/run/log/journal --quiet --no-pager)
count() {
        journalctl --sync 2>/dev/null || true
        "${J[@]}" -o json SYSLOG_IDENTIFIER=dutyd "$@" 2>/dev/null | grep -c . || true
}
# remote_reports FILE: the report entries of a received file, "OFFICE KIND KEY VERSION STATE" each.
remote_reports() {
        journalctl --file="$1" -o json --no-pager MESSAGE_ID=$ID_REPORT 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    print(e["DUTY_OFFICE"], e["DUTY_REPORT_KIND"], e["DUTY_REPORT_KEY"], e["DUTY_REPORT_VERSION"], e["DUTY_REPORT_STATE"])'
}

# change_trip SLOT LEAVE FROM TO DESTINATION: the leader's itinerary changes (LeaveChange by the
# approver): the same leave, reported again as "changed" under its key with the next version.
change_trip() {
        in_office "$1" ok "$WANGJG_UID" leave change "$2" --from "$3" --to "$4" --destination "$5" --reason 会议改期 >/dev/null
}

start_nginx
start_receiver a
start_receiver b
# c is enrolled and never sends; d is never enrolled: no socket.
start_receiver c

# ---- Transport: who gets through ----

ENTRY="$T/entry.export"
python3 "$SRCDIR/tests/integration/office-entries.py" gap zz probe opened 2026-09-20T09:00 >"$ENTRY"
post() {
        curl -s -o /dev/null -w '%{http_code}' --cacert "$C/ca.pem" -H 'Content-Type: application/vnd.fdo.journal' \
                --data-binary "@$ENTRY" "$@" "https://127.0.0.1:$PORT/upload" || true
}
expect_eq "$(post --cert "$C/ax.pem" --key "$C/ax.key")" 403 "a certificate CN=a,O=x of the right CA"
expect_eq "$(post --cert "$C/d/office.pem" --key "$C/d/office.key")" 502 "office d, signed but not enrolled (no socket)"
expect_eq "$(post --cert "$C/foreign.pem" --key "$C/foreign.key")" 400 "CN=a from another CA"
expect_eq "$(post)" 400 "no client certificate"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$C/ca.pem" --cert "$C/a/office.pem" --key "$C/a/office.key" \
        "https://127.0.0.1:$PORT/upload" || true)" 403 "GET /upload"
expect_eq "$(ls "$R")" "" "files written for refused requests"
grep -q 'office= 403' "$T/nginx/access.log" && grep -q 'office=d 502' "$T/nginx/access.log" ||
        fail "nginx's log does not say who was refused: $(cat "$T/nginx/access.log")"

# Streaming: journal-upload's chunked body reaches journal-remote as it is sent, not when it ends
# (proxy_http_version 1.1 + proxy_request_buffering off), so a long catch-up POST is not held in
# nginx. One entry, a pause, another: the first is in a's file while the request is still open.
python3 -c '
import sys, time
def entry(n):
    return "__REALTIME_TIMESTAMP=%d\nMESSAGE=stream probe %d\nSYSLOG_IDENTIFIER=probe\n\n" % (1790000000000000 + n, n)
sys.stdout.write(entry(1)); sys.stdout.flush()
time.sleep(4)
sys.stdout.write(entry(2)); sys.stdout.flush()' |
        curl -s -o /dev/null -w '%{http_code}' --cacert "$C/ca.pem" --cert "$C/a/office.pem" --key "$C/a/office.key" \
                -H 'Content-Type: application/vnd.fdo.journal' -X POST -T - "https://127.0.0.1:$PORT/upload" \
                >"$T/stream.code" 2>"$T/stream.err" &
STREAM_PID=$!
seen=
for _ in $(seq 1 60); do
        # grep -c, not -q: grep leaving early could fail journalctl with SIGPIPE (pipefail).
        if [ "$(journalctl --file="$R/remote-a.journal" -o cat --no-pager 2>/dev/null | grep -c "stream probe 1" || true)" -ge 1 ]; then
                seen=1
                break
        fi
        sleep 0.05
done
[ -n "$seen" ] || fail "the first entry of a streamed upload was not in remote-a.journal while the request was open:
$(tail -n 5 "$T/nginx/error.log"; tail -n 5 "$T/remote-a.log"; ls -l "$R")"
kill -0 "$STREAM_PID" 2>/dev/null || fail "the streamed request ended before its first entry was seen in a's file"
wait "$STREAM_PID" || true
expect_eq "$(cat "$T/stream.code")" 202 "the streamed upload: $(cat "$T/stream.err")"
expect_eq "$(journalctl --file="$R/remote-a.journal" -o cat --no-pager SYSLOG_IDENTIFIER=probe | tr '\n' ' ')" \
        "stream probe 1 stream probe 2 " "the streamed entries in a's file"

# ---- Office a publishes on time; its leader reports 外出 ----

office_start a 2026-09-20T10:00
in_office a "$DUTYCTL" roster holiday 国庆 --year 2026 >/dev/null || fail "a: roster holiday 国庆"
in_office a "$DUTYCTL" roster publish --from 2026-10-01 --to 2026-10-07 >/dev/null || fail "a: roster publish"
trip=$(in_office a request "$LIXY_UID" --from 2026-10-12 --to "2026-10-13 am" --destination 西安 --reason 参加省里会议 \
        --acting zhangw)
in_office a ok "$WANGJG_UID" leave approve "$trip"
SA="$T/state-a"
upload a a "$SA" || fail "a's journal-upload: $(tail -n 20 "$T/upload-a.log")"

# ---- An office holding certificate a, configured as b ----

office_start x 2026-09-20T11:00
in_office x "$DUTYCTL" roster holiday 国庆 --year 2026 >/dev/null || fail "x: roster holiday 国庆"
in_office x "$DUTYCTL" roster publish --from 2026-10-01 --to 2026-10-07 >/dev/null || fail "x: roster publish"
SX="$T/state-x"
# First with d's certificate (not enrolled): refused, nothing moves.
if upload x d "$SX"; then
        fail "journal-upload with d's certificate succeeded"
fi
[ ! -e "$SX" ] || fail "journal-upload saved a cursor though nginx refused it: $(cat "$SX")"
expect_eq "$(ls "$R" | grep -c 'remote-d' || true)" 0 "files of office d"
upload x a "$SX" || fail "x's journal-upload with a's certificate: $(tail -n 20 "$T/upload-x.log")"
expect_eq "$(ls "$R" | sort | tr '\n' ' ')" "remote-a.journal " "the files after a's and x's uploads"
# The reaper stops a's receiver (SIGTERM); the next upload starts it again on the same file.
stop_receiver a
start_receiver a
upload x a "$SX" || fail "x's journal-upload after a's receiver was stopped: $(tail -n 20 "$T/upload-x.log")"
expect_eq "$(ls "$R" | sort | tr '\n' ' ')" "remote-a.journal " "the files after a's receiver was stopped and started"
expect_eq "$(remote_reports "$R/remote-a.journal" | sort | uniq -c | awk '{ $1 = $1; print }' | tr '\n' ';')" \
        "1 a away leave-$trip 1 approved;1 a roster 2026-7 1 published;1 b roster 2026-7 1 published;" \
        "the reports in a's file (x's claiming b among them)"

# ---- A file planted by another user: never read ----

python3 "$SRCDIR/tests/integration/office-entries.py" roster c 丙县委办 2026-7 1 published 2026-09-20T12:00 |
        "$JREMOTE" --output="$T/planted.journal" - 2>>"$T/plant.log" || fail "could not plant: $(cat "$T/plant.log")"
chown "$GUEST_UID" "$T/planted.journal"
PLANTED=remote-c@0000000000000001-0000000000000001.journal~
mv "$T/planted.journal" "$R/$PLANTED"

# ---- c's gap alerts: one naming c, one naming no office ----

python3 "$SRCDIR/tests/integration/office-entries.py" gap c unfilled-2026-10-02-officer opened 2026-09-22T08:40 >"$T/gap.export"
python3 "$SRCDIR/tests/integration/office-entries.py" gap c unfilled-2026-10-03-officer opened 2026-09-22T08:41 |
        grep -v '^DUTY_OFFICE=' >>"$T/gap.export"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$C/ca.pem" --cert "$C/c/office.pem" --key "$C/c/office.key" \
        -H 'Content-Type: application/vnd.fdo.journal' --data-binary "@$T/gap.export" "https://127.0.0.1:$PORT/upload" || true)" \
        202 "c's certificate, enrolled"
expect_eq "$(journalctl --file="$R/remote-c.journal" -o json --no-pager | grep -c DUTY_GAP_ID || true)" 2 \
        "c's gap alerts in remote-c.journal"

# ---- The aggregator before the deadline ----

export DUTYD_NOW=2026-09-28T16:50
start_dutyd
wait_status a on_time
reply=$(offices_json)
expect_eq "$(json_get "$reply" "[o['roster_status'] for o in d['offices']]")" "['on_time', 'pending', 'pending']" \
        "before the deadline (b's claim from a's certificate and c's planted file not taken)"
# When a's journald wrote it (its clock started at 10:00).
expect_contains "$(json_get "$reply" "d['offices'][0]['roster_reported']")" "2026-09-20T10:0" "when a reported"
wait_count_rejected() {
        for _ in $(seq 1 100); do [ "$(count MESSAGE_ID=$ID_REJECTED "$@")" -ge 1 ] && break; sleep 0.05; done
}
wait_count_rejected DUTY_REPORT_KIND=roster
expect_eq "$(count MESSAGE_ID=$ID_REJECTED DUTY_SENDER=a DUTY_OFFICE=b DUTY_REPORT_KIND=roster DUTY_REPORT_KEY=2026-7)" 1 \
        "the roster claiming b in a's file, rejected and logged"
expect_eq "$(count MESSAGE_ID=$ID_REJECTED DUTY_SENDER=a DUTY_OFFICE=b DUTY_REPORT_KIND=anchor)" 1 \
        "x's audit anchors claiming b, rejected and logged once"
expect_eq "$(count MESSAGE_ID=$ID_REJECTED DUTY_OFFICE=a)" 0 "a's own entries rejected"
expect_eq "$(count MESSAGE_ID=$ID_REJECTED DUTY_SENDER=c DUTY_REPORT_KIND=gap DUTY_REPORT_KEY=unfilled-2026-10-03-officer)" 1 \
        "c's gap alert naming no office, rejected and logged"
# a's own gap alerts count; x's, claiming b, do not; c's one naming c does.
echo "open gaps: $(json_get "$reply" "[(o['id'], o['open_gaps']) for o in d['offices']]")"
expect_eq "$(json_get "$reply" "[o['open_gaps'] for o in d['offices']][1:]")" "[0, 1]" "open gaps of b and c"
grep -qF "$PLANTED is owned by neither root nor systemd-journal-remote" \
        "$T/dutyd.log" || fail "the planted file was not told about"
stop_dutyd

# ---- Past the deadline: b and c are missing ----

export DUTYD_NOW=2026-09-28T17:01
start_dutyd
for _ in $(seq 1 200); do [ "$(count MESSAGE_ID=$ID_DEADLINE)" -ge 1 ] && break; sleep 0.05; done
expect_eq "$(count MESSAGE_ID=$ID_DEADLINE DUTY_NOTICE=2026-7 DUTY_MISSING=b,c DUTY_MISSING_COUNT=2)" 1 \
        "the deadline alert naming b and c"
expect_contains "$(json_get "$("${J[@]}" -o json MESSAGE_ID=$ID_DEADLINE)" "d['MESSAGE']")" "乙县委办、丙县委办" \
        "the alert's message"
expect_eq "$(json_get "$(offices_json)" "[o['roster_status'] for o in d['offices']]")" "['on_time', 'missing', 'missing']" \
        "after the deadline"
stop_dutyd

# ---- b publishes while its receiver and the aggregator are down ----

office_start b 2026-09-29T09:00
SB="$T/state-b"
# What b wrote before (its start, its anchors) went up while all was well.
upload b b "$SB" || fail "b's first journal-upload: $(tail -n 20 "$T/upload-b.log")"
cp "$SB" "$T/state-b.before"
stop_receiver b
in_office b "$DUTYCTL" roster holiday 国庆 --year 2026 >/dev/null || fail "b: roster holiday 国庆"
in_office b "$DUTYCTL" roster publish --from 2026-10-01 --to 2026-10-07 >/dev/null || fail "b: roster publish"
if upload b b "$SB"; then
        fail "b's journal-upload succeeded with its receiver down"
fi
cmp -s "$SB" "$T/state-b.before" || fail "b's journal-upload moved its cursor though nothing was received"
grep -q 'office=b 502' "$T/nginx/access.log" || fail "nginx did not answer 502 with b's receiver down: $(tail -n 3 "$T/nginx/access.log")"
expect_eq "$(remote_reports "$R/remote-b.journal" | grep -c . || true)" 0 "b's reports received while down"

# a's leader's dates change meanwhile.
change_trip a "$trip" 2026-10-13 2026-10-15 成都
upload a a "$SA" || fail "a's second journal-upload: $(tail -n 20 "$T/upload-a.log")"
expect_eq "$(remote_reports "$R/remote-a.journal" | grep -c "^a away leave-$trip 2 changed$" || true)" 1 \
        "a's changed itinerary in remote-a.journal (same key, version 2)"

start_receiver b
upload b b "$SB" || fail "b's journal-upload after the restart: $(tail -n 20 "$T/upload-b.log")"
expect_eq "$(remote_reports "$R/remote-b.journal" | grep -c "^b roster 2026-7 1 published$" || true)" 1 \
        "b's roster report in remote-b.journal"
# Delivery is at least once (journal-upload resends the entry at its cursor; a state file restored
# from a backup resends more): the same report sent again from the cursor before the outage.
cp "$T/state-b.before" "$T/state-b.old"
upload b b "$T/state-b.old" || fail "b's journal-upload from an older cursor"
expect_eq "$(remote_reports "$R/remote-b.journal" | grep -c "^b roster 2026-7 1 published$" || true)" 2 \
        "b's roster report in remote-b.journal, sent twice"

export DUTYD_NOW=2026-09-29T10:00
start_dutyd
wait_offices "[o['roster_status'] for o in d['offices']]" "['on_time', 'late', 'missing']" "on time, late, missing"
reply=$(offices_json)
expect_eq "$(json_get "$reply" "(d['on_time'], d['late'], d['missing'])")" "(1, 1, 1)" "the counts"
expect_eq "$(json_get "$("$DUTYCTL" offices show b --json)" "[(r['key'], r['version']) for r in d['rosters']]")" \
        "[('2026-7', 1)]" "b's roster, stored once"
expect_contains "$(json_get "$("$DUTYCTL" offices show b --json)" "d['rosters'][0]['reported']")" "2026-09-29T09:" \
        "when b reported"
expect_eq "$(json_get "$reply" "(d['offices'][0]['away_next']['destination'], d['offices'][0]['away_next']['start'])")" \
        "('成都', '2026-10-13 08:30')" "a's leader: the latest itinerary"
show=$("$DUTYCTL" offices show a)
expect_contains "$show" "成都" "offices show a"
text=$("$DUTYCTL" offices)
echo "$text"
expect_contains "$text" "成都" "dutyctl offices: a's leader away"
expect_eq "$(count MESSAGE_ID=$ID_DEADLINE)" 1 "the deadline alert, not repeated"
expect_eq "$(count MESSAGE_ID=$ID_REJECTED DUTY_REPORT_KIND=roster)" 1 "rejections of the forged roster"
stop_dutyd

# ---- A directory others may write: nothing read from it ----

chmod 0775 "$R"
mark=$(($(wc -l <"$T/dutyd.log") + 1))
start_dutyd
for _ in $(seq 1 100); do
        tail -n +"$mark" "$T/dutyd.log" >"$T/dutyd.log.new"
        grep -q "$R is writable by its group or by others" "$T/dutyd.log.new" && break
        sleep 0.05
done
tail -n +"$mark" "$T/dutyd.log" >"$T/dutyd.log.new"
grep -q "$R is writable by its group or by others; no office's report is read" "$T/dutyd.log.new" ||
        fail "a group-writable journal_dir was not refused: $(tail -n +"$mark" "$T/dutyd.log")"
stop_dutyd
chmod 0755 "$R"
echo "OK"
