#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGHUP reload: a good config is swapped in whole; a broken one is refused with file:line and the
# daemon keeps serving the previous one. Also --check-config on good and broken files.
. "$(dirname "$0")/lib.sh"

"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "sample config does not check"

start_dutyd
people_count() {
        json_get "$("$DUTYCTL" --json status)" 'd["counts"]["people"]'
}
before=$(people_count)

# Add one officer.
python3 - "$T/etc/dutyd.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
new = '{ id = "reload_test"; name = "测试员"; roles = [ "officer" ]; },\n'
s = re.sub(r"(people\s*=\s*\(\s*)", lambda m: m.group(1) + new, s, count=1)
open(p, "w", encoding="utf-8").write(s)
PY
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "edited config does not check"
kill -HUP "$DUTYD_PID"
for i in $(seq 1 100); do
        [ "$(people_count)" = "$((before + 1))" ] && break
        sleep 0.05
done
expect_eq "$(people_count)" "$((before + 1))" "people after a good reload"
expect_contains "$("$DUTYCTL" --json people)" reload_test "new person listed after reload"

# Break it: a group naming someone who does not exist.
cp "$T/etc/dutyd.conf" "$T/etc/good.conf"
python3 - "$T/etc/dutyd.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s, n = re.subn(r"(members\s*=\s*\[)", r'\1 "nobody_here", ', s, count=1)
assert n == 1
open(p, "w", encoding="utf-8").write(s)
PY
line=$(grep -n nobody_here "$T/etc/dutyd.conf" | sed -n 1p | cut -d: -f1)

rc=0
out=$("$DUTYD" --check-config "$T/etc/dutyd.conf" 2>&1) || rc=$?
expect_eq "$rc" "1" "check-config exit code on a broken config"
expect_contains "$out" "dutyd.conf:$line" "check-config names file:line"
expect_contains "$out" "nobody_here" "check-config names the unknown person"

kill -HUP "$DUTYD_PID"
for i in $(seq 1 100); do
        grep -q "nobody_here" "$T/dutyd.log" && break
        sleep 0.05
done
expect_contains "$(cat "$T/dutyd.log")" "dutyd.conf:$line" "reload failure logged with file:line"
expect_eq "$(people_count)" "$((before + 1))" "previous config kept after a broken reload"
kill -0 "$DUTYD_PID" || fail "dutyd died on a broken reload"

# Who's answer is kept between calls (api-roster.c): a reload, another program's commit to the
# database and the caller's language each make the next answer anew.
cp "$T/etc/good.conf" "$T/etc/dutyd.conf"
kill -HUP "$DUTYD_PID"
for i in $(seq 1 100); do
        [ "$(grep -c 'Configuration reloaded' "$T/dutyd.log")" -ge 2 ] && break
        sleep 0.05
done
day=$(date -d '+2 days' +%F)
"$DUTYCTL" --json roster generate --from "$day" --to "$day" --assume-ordinary >/dev/null || fail "roster generate"
who_json() {
        "$DUTYCTL" --json who "$day"
}
who1=$(who_json)
expect_eq "$(who_json)" "$who1" "Who asked twice gives the same answer"
person=$(json_get "$who1" '[a["person"] for a in d["assignments"] if a["person"]][0]')
name=$(json_get "$who1" '[a["name"] for a in d["assignments"] if a["person"]][0]')
python3 - "$T/etc/dutyd.conf" "$person" <<'PY'
import re, sys
p, person = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
s, n = re.subn(r'(id\s*=\s*"' + re.escape(person) + r'"\s*;\s*name\s*=\s*")([^"]*)"', r'\1\2甲"', s, count=1)
assert n == 1, "person not found in the configuration"
open(p, "w", encoding="utf-8").write(s)
PY
kill -HUP "$DUTYD_PID"
for i in $(seq 1 100); do
        [ "$(grep -c 'Configuration reloaded' "$T/dutyd.log")" -ge 3 ] && break
        sleep 0.05
done
expect_contains "$(who_json)" "\"${name}甲\"" "Who after a reload shows the person's new name"

locked_of() {
        json_get "$1" "[a['locked'] for a in d['assignments'] if a['person'] == '$person']"
}
locked=$(locked_of "$(who_json)")
sqlite3 "$T/state/dutyd.sqlite" "PRAGMA busy_timeout=5000; UPDATE assignment SET locked = 1 - locked WHERE person = '$person';" >/dev/null ||
        fail "another program's write"
expect_eq "$(locked_of "$(who_json)")" "$(python3 -c "print([not x for x in $locked])")" \
        "Who after another program's commit shows it"

stop_dutyd
echo "ok"
