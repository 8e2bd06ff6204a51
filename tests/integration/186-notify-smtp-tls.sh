#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Mail over TLS to a real SMTP receiver on loopback (aiosmtpd, smtp-receiver.py) with a
# certificate the test makes with openssl, signed by the test's own CA, which dutyd is given by the
# channel's ca_file:
#   - smtp:// with STARTTLS required by the receiver: the message arrives over TLS;
#   - smtps:// (TLS from the start): the same;
#   - the CA of another office in ca_file: the certificate is refused, the attempt fails and is
#     retried (DUTYD_NOTIFY_RETRY_SEC=1) up to notify.max_attempts, nothing arrives, and the journal
#     (dutyd's log here) and `dutyctl notify list --failed` say why: the certificate;
#   - ca_file naming a file that does not exist is refused at load, with its file:line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/notify-util.sh"
verbose_dutyctl

PY3=/usr/bin/python3
"$PY3" -c 'import aiosmtpd' 2>/dev/null || fail "python3-aiosmtpd is not installed (packaging/deps.sh test group)"
command -v openssl >/dev/null || fail "openssl is not installed (packaging/deps.sh test group)"

# ---- the office's CA, the mail server's certificate (for 127.0.0.1), another CA ----
PKI="$T/pki"
mkdir -p "$PKI"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.pem" -days 30 \
        -subj "/CN=Test Office CA" 2>/dev/null || fail "openssl: the CA"
openssl req -newkey rsa:2048 -nodes -keyout "$PKI/server.key" -out "$PKI/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null ||
        fail "openssl: the server's request"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$PKI/ext.cnf"
openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial \
        -out "$PKI/server.pem" -days 30 -extfile "$PKI/ext.cnf" 2>/dev/null || fail "openssl: the server's certificate"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/other.key" -out "$PKI/other.pem" -days 30 \
        -subj "/CN=Another Office CA" 2>/dev/null || fail "openssl: the other CA"
chmod 0644 "$PKI"/*.pem

MAIL_LOG="$T/mail.jsonl"
: >"$MAIL_LOG"
# start_receiver MODE: a receiver speaking MODE (starttls, implicit); its port in $SMTP_PORT.
RECEIVERS=()
start_receiver() {
        rm -f "$T/smtp.port"
        SMTP_TLS=$1 SMTP_CERT="$PKI/server.pem" SMTP_KEY="$PKI/server.key" \
                "$PY3" "$(dirname "$0")/smtp-receiver.py" "$T/smtp.port" "$MAIL_LOG" &
        RECEIVERS+=($!)
        for _ in $(seq 1 200); do
                [ -s "$T/smtp.port" ] && break
                sleep 0.05
        done
        [ -s "$T/smtp.port" ] || fail "the SMTP receiver ($1) did not start"
        SMTP_PORT=$(cat "$T/smtp.port")
}
smtp_cleanup() {
        for p in "${RECEIVERS[@]}"; do kill "$p" 2>/dev/null || true; done
        cleanup
}
trap smtp_cleanup EXIT

mail_count() {
        "$PY3" -c 'import json,sys
print(sum(1 for l in open(sys.argv[1], encoding="utf-8") if eval(sys.argv[2], {}, {"r": json.loads(l)})))' "$MAIL_LOG" "$1"
}

# wum has an email and is told by mail.
person_set wum 'email = "wum@office.test";'
cp "$T/etc/dutyd.conf" "$T/etc/base.conf"
# configure URL CA: the notify section with one smtp channel (STARTTLS required for smtp://).
configure() {
        cp "$T/etc/base.conf" "$T/etc/dutyd.conf"
        cat >>"$T/etc/dutyd.conf" <<CONF

notify = {
        max_attempts = 3;
        channels = (
                { name = "mail"; type = "smtp"; url = "$1";
                  from = "duty@office.test"; timeout = 5;
                  ca_file = "$2"; }
        );
};
CONF
}

# ---- a CA file that does not exist: refused at load, with its line ----
configure "smtp://127.0.0.1:25" "$PKI/missing.pem"
rc=0
ERR=$("$DUTYD" --check-config "$T/etc/dutyd.conf" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "a missing ca_file was accepted"
LINE=$(grep -n "ca_file = \"$PKI/missing.pem" "$T/etc/dutyd.conf" | cut -d: -f1)
expect_contains "$ERR" "dutyd.conf:$LINE" "the missing CA file's file:line"
expect_contains "$ERR" "cannot read the CA file" "why"

export DUTYD_NOTIFY_RETRY_SEC=1
export DUTYD_NOW=2026-06-01T10:00

# ---- STARTTLS, required by the receiver ----
start_receiver starttls
configure "smtp://127.0.0.1:$SMTP_PORT" "$PKI/ca.pem"
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the config with ca_file does not check"
start_dutyd
"$DUTYCTL" notify test wum >/dev/null || fail "notify test (STARTTLS)"
wait_until 15 "the mail over STARTTLS" at_least 1 mail_count 'r["code"] == 250'
expect_eq "$(mail_count 'r["code"] == 250 and r["tls"] and r["rcpt_tos"] == ["wum@office.test"] and r["kind"] == "test"')" "1" \
        "the test mail, over TLS"

# ---- smtps:// ----
start_receiver implicit
configure "smtps://127.0.0.1:$SMTP_PORT" "$PKI/ca.pem"
"$DUTYCTL" reload >/dev/null || fail "reload with smtps://"
"$DUTYCTL" notify test wum >/dev/null || fail "notify test (smtps)"
wait_until 15 "the mail over smtps" at_least 2 mail_count 'r["code"] == 250'
expect_eq "$(mail_count 'r["code"] == 250 and r["tls"]')" "2" "both mails over TLS"

# ---- another office's CA: refused, retried, said why ----
configure "smtps://127.0.0.1:$SMTP_PORT" "$PKI/other.pem"
"$DUTYCTL" reload >/dev/null || fail "reload with the wrong CA"
out=$("$DUTYCTL" --json notify test wum) || fail "notify test (wrong CA)"
ID=$(json_get "$out" 'd["notification"]["id"]')
failed_count() {
        json_get "$("$DUTYCTL" --json notify list --failed)" "sum(1 for n in d['notifications'] if n['id'] == $ID)"
}
wait_until 30 "the notification to fail after its attempts" at_least 1 failed_count
out=$("$DUTYCTL" --json notify list --failed) || fail "notify list --failed"
expect_eq "$(json_get "$out" "[n['attempts'] for n in d['notifications'] if n['id'] == $ID][0]")" "3" "tried max_attempts times"
ERRTEXT=$(json_get "$out" "[n['last_error'] for n in d['notifications'] if n['id'] == $ID][0]")
expect_contains "$ERRTEXT" "certificate" "the outbox says the certificate was refused"
expect_eq "$(mail_count 'True')" "2" "nothing arrives with the wrong CA"
expect_eq "$(grep -c "尝试 3 次仍未送达.*certificate" "$T/dutyd.log")" "1" "the journal says why, once"
echo "ok: STARTTLS and smtps with the office's CA; the wrong CA refused, retried, said why: $ERRTEXT"
