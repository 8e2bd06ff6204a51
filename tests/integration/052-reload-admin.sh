#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `dutyctl reload`: admins only; announced to the service manager like SIGHUP (RELOADING=1, then
# READY=1); a broken configuration is refused with every problem as file:line, returned to the
# caller and logged, and the previous one stays in force. A person removed from the configuration
# who still holds future duties leaves no dangling reference: the roster, `who` and the lists
# still answer, showing the id.
. "$(dirname "$0")/lib.sh"

give_admin_uid

NOTIFY="$T/notify.sock"
python3 "$(dirname "$0")/notify-listen.py" "$NOTIFY" "$T/notify.log" 120 &
LISTENER=$!
for i in $(seq 1 200); do [ -S "$NOTIFY" ] && break; sleep 0.05; done
[ -S "$NOTIFY" ] || fail "notify listener did not start"

export DUTYD_NOW=2026-03-02T10:00
NOTIFY_SOCKET="$NOTIFY" start_dutyd
for i in $(seq 1 100); do grep -q "READY=1" "$T/notify.log" && break; sleep 0.05; done
ready_count() { grep -c "READY=1" "$T/notify.log" || true; }
ready_before=$(ready_count)

# Who may reload.
for uid in "$OFFICER_UID" "$LEADER_UID" "$GUEST_UID"; do
        rc=0
        err=$(as_uid "$uid" "$DUTYCTL" reload 2>&1 >/dev/null) || rc=$?
        expect_eq "$rc" "1" "reload as uid $uid"
        # In the clerk's words: who may, or for a guest that the uid is not in the configuration.
        if [ "$uid" = "$GUEST_UID" ]; then
                expect_contains "$err" "不在本办公室的配置中" "reload refusal as uid $uid"
        else
                expect_contains "$err" "只有管理员可以重新加载配置" "reload refusal as uid $uid"
        fi
done
grep -q "RELOADING=1" "$T/notify.log" && fail "a refused reload was announced"

out=$(as_uid "$ADMIN_UID" "$DUTYCTL" --json reload) || fail "admin cannot reload"
people=$(json_get "$out" 'd["people"]')
[ "$people" -ge 18 ] || fail "reload reply counts $people people"
out=$("$DUTYCTL" reload) || fail "root cannot reload"
expect_contains "$out" "$people" "human reload reply"

# Announced like SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1 again.
for i in $(seq 1 100); do [ "$(ready_count)" -ge $((ready_before + 2)) ] && break; sleep 0.05; done
grep -q "RELOADING=1|MONOTONIC_USEC=[0-9]" "$T/notify.log" || fail "no RELOADING=1 on dutyctl reload"
[ "$(ready_count)" -ge $((ready_before + 2)) ] || fail "no READY=1 after dutyctl reload"

# A roster for the next two weeks, and one officer's future duties.
"$DUTYCTL" roster generate --from 2026-03-09 --to 2026-03-22 >/dev/null
"$DUTYCTL" unavailable add hejj --from 2026-03-30 --to 2026-03-31 --reason 学习 >/dev/null
days=$(json_get "$("$DUTYCTL" --json roster show --from 2026-03-09 --to 2026-03-22 --person hejj)" \
        '" ".join(x["day"]["date"] for x in d["days"] if any(a.get("person") == "hejj" for a in x["assignments"]))')
[ -n "$days" ] || fail "hejj has no duty in the generated roster"
day=${days%% *}

# A broken configuration: refused with file:line, to the caller and in the log; nothing changes.
cp "$T/etc/dutyd.conf" "$T/etc/good.conf"
python3 - "$T/etc/dutyd.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s, n = re.subn(r'(members\s*=\s*\[)', r'\1 "nobody_here", ', s, count=1)
assert n == 1
s, n = re.subn(r'handover\s*=\s*"[^"]*"', 'handover = "25:99"', s, count=1)
assert n == 1
open(p, "w", encoding="utf-8").write(s)
PY
line_member=$(grep -n nobody_here "$T/etc/dutyd.conf" | sed -n 1p | cut -d: -f1)
line_handover=$(grep -n '"25:99"' "$T/etc/dutyd.conf" | sed -n 1p | cut -d: -f1)
ready_before=$(ready_count)
rc=0
err=$("$DUTYCTL" reload 2>&1 >/dev/null) || rc=$?
expect_eq "$rc" "1" "reload of a broken configuration"
expect_contains "$err" "dutyd.conf:$line_member" "reload error names file:line of the unknown member"
expect_contains "$err" "dutyd.conf:$line_handover" "reload error names file:line of the bad handover"
expect_contains "$err" "nobody_here" "reload error names the unknown person"
out=$("$DUTYCTL" --json reload 2>&1 >/dev/null) || true
expect_contains "$(cat "$T/dutyd.log")" "dutyd.conf:$line_member" "reload failure logged with file:line"
for i in $(seq 1 100); do [ "$(ready_count)" -ge $((ready_before + 2)) ] && break; sleep 0.05; done
[ "$(ready_count)" -ge $((ready_before + 2)) ] || fail "no READY=1 after a failed reload"
expect_eq "$(json_get "$("$DUTYCTL" --json status)" '[d["handover"], d["counts"]["people"]]')" \
        "['08:30', $people]" "previous configuration kept after a broken reload"
# The caller gets the errors as data, too.
python3 - "$SOCK" "$line_member" <<'PY' || fail "ConfigInvalid does not carry the errors"
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(json.dumps({"method": "io.dutyd.Duty.Reload"}).encode() + b"\0")
buf = b""
while not buf.endswith(b"\0"):
    buf += s.recv(65536)
r = json.loads(buf[:-1])
assert r.get("error") == "io.dutyd.Duty.ConfigInvalid", r
errors = r["parameters"]["errors"]
assert len(errors) >= 2, errors
assert any(f"dutyd.conf:{sys.argv[2]}:" in e for e in errors), errors
PY

# Remove hejj, who holds future duties and an unavailability.
cp "$T/etc/good.conf" "$T/etc/dutyd.conf"
python3 - "$T/etc/dutyd.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s, n = re.subn(r'\n\s*\{ id = "hejj";[^}]*\},', "", s, count=1)
assert n == 1
s, n = re.subn(r'"hejj", ', "", s)
assert n == 1
assert "hejj" not in s
open(p, "w", encoding="utf-8").write(s)
PY
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "configuration without hejj does not check"
out=$("$DUTYCTL" --json reload) || fail "reload without hejj"
expect_eq "$(json_get "$out" 'd["people"]')" "$((people - 1))" "people after removing hejj"

# Nothing dangles: the duty is still shown, by id, without a name.
out=$("$DUTYCTL" --json roster show --from 2026-03-09 --to 2026-03-22) || fail "roster show after removing hejj"
expect_eq "$(json_get "$out" '[a.get("name") for x in d["days"] for a in x["assignments"] if a.get("person") == "hejj"][:1]')" \
        "[None]" "removed person's duty shown without a name"
expect_contains "$("$DUTYCTL" roster show --from 2026-03-09 --to 2026-03-22)" "hejj" "roster table shows the removed id"
for format in csv ics html; do
        "$DUTYCTL" roster show --from 2026-03-09 --to 2026-03-22 --format "$format" >/dev/null ||
                fail "roster show --format $format after removing hejj"
done
out=$("$DUTYCTL" --json who "$day") || fail "who $day after removing hejj"
expect_contains "$out" '"hejj"' "who shows the removed id"
expect_contains "$("$DUTYCTL" who "$day")" "hejj" "who table shows the removed id"
expect_contains "$("$DUTYCTL" --json unavailable list)" '"hejj"' "unavailability of the removed person listed"
"$DUTYCTL" roster stats --year 2026 >/dev/null || fail "roster stats after removing hejj"
"$DUTYCTL" roster diff >/dev/null 2>&1 || true
kill -0 "$DUTYD_PID" || fail "dutyd died after removing a person with duties"
"$DUTYCTL" status >/dev/null || fail "dutyd stopped answering"

# Reloads are audited, refused ones included.
out=$("$DUTYCTL" --json audit)
expect_eq "$(json_get "$out" '[e["result"] for e in d["entries"] if e["method"] == "Reload"]')" \
        "['PermissionDenied', 'PermissionDenied', 'PermissionDenied', 'ok', 'ok', 'ConfigInvalid', 'ConfigInvalid', 'ConfigInvalid', 'ok']" \
        "reload audit rows"
expect_eq "$(json_get "$out" '[e.get("person") for e in d["entries"] if e["method"] == "Reload"][3]')" "zhouxd" \
        "reload audited with the admin's person"

stop_dutyd
kill "$LISTENER" 2>/dev/null || true
echo "ok"
