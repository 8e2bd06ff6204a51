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

stop_dutyd
echo "ok"
