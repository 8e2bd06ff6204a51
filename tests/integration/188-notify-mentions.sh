#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Group robots @-mention the person, as their public JSON formats say, checked at a receiver on
# loopback: 企业微信 (text.mentioned_mobile_list, text.mentioned_list) and 钉钉 (at.atMobiles,
# at.atUserIds). By the person's phone; with people.notify_mention, also by the robot's user id;
# neither for a person without them. A notify_mention with a separator is refused at its line.
. "$(dirname "$0")/lib.sh"
verbose_dutyctl
. "$(dirname "$0")/notify-lib.sh"

# A 钉钉 robot beside the 企业微信 one.
python3 - "$T/etc/dutyd.conf" "$PORT" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = '{ name = "sms"; type = "command";'
new = '{ name = "ding"; type = "webhook"; template = "dingtalk"; url = "http://127.0.0.1:%s/ding"; },\n                ' % sys.argv[2] + old
assert old in s
i = s.rindex(old)
open(p, "w", encoding="utf-8").write(s[:i] + new + s[i + len(old):])
PY
"$DUTYD" --check-config "$T/etc/dutyd.conf" >/dev/null || fail "the config with a dingtalk channel does not check"

# body PATH ID PYTHON: the expression over the body `b` of the POST on PATH of notification ID.
body() {
        python3 -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["path"] == sys.argv[2] and r["body"].get("dutyd_id") == sys.argv[3]:
        b = r["body"]
        print(eval(sys.argv[4]))
        break' "$HOOK_LOG" "$1" "$2" "$3"
}
# test_message PERSON: `dutyctl notify test PERSON`, waited for on both robots; its uuid in $UUID.
test_message() {
        local out
        out=$("$DUTYCTL" --json notify test "$1") || fail "notify test $1"
        UUID=$(json_get "$out" 'd["notification"]["uuid"]')
        wait_until 10 "the robots' POSTs for $1" at_least 2 hook_count "r['path'] in ('/wecom', '/ding') and r['body'].get('dutyd_id') == '$UUID'"
}

# ---- a bad notify_mention, at its line ----
cp "$T/etc/dutyd.conf" "$T/etc/good.conf"
person_set zhenght 'notify_mention = "a,b";'
rc=0
ERR=$("$DUTYD" --check-config "$T/etc/dutyd.conf" 2>&1) || rc=$?
[ "$rc" -ne 0 ] || fail "a notify_mention with a comma was accepted"
expect_contains "$ERR" "dutyd.conf:$(grep -n 'notify_mention = "a,b"' "$T/etc/dutyd.conf" | cut -d: -f1)" "its line"
expect_contains "$ERR" "is not a robot user id" "why"
cp "$T/etc/good.conf" "$T/etc/dutyd.conf"

export DUTYD_NOW=2026-06-01T10:00
start_dutyd

# ---- by phone ----
test_message wum
expect_eq "$(body /wecom "$UUID" '(b["msgtype"], b["text"]["mentioned_mobile_list"], b["text"]["mentioned_list"])')" \
        "('text', ['13879100102'], [])" "企业微信: mentioned by mobile number"
expect_contains "$(body /wecom "$UUID" 'b["text"]["content"]')" "测试消息" "企业微信: the text"
expect_eq "$(body /ding "$UUID" '(b["msgtype"], b["at"]["atMobiles"], b["at"]["atUserIds"])')" \
        "('text', ['13879100102'], [])" "钉钉: at by mobile number"
expect_contains "$(body /ding "$UUID" 'b["text"]["content"]')" "测试消息" "钉钉: the text"

# ---- by the robot's user id too ----
person_set wum 'notify_mention = "WuMin01";'
"$DUTYCTL" reload >/dev/null || fail "reload with wum's notify_mention"
test_message wum
expect_eq "$(body /wecom "$UUID" '(b["text"]["mentioned_mobile_list"], b["text"]["mentioned_list"])')" \
        "(['13879100102'], ['WuMin01'])" "企业微信: by mobile number and user id"
expect_eq "$(body /ding "$UUID" '(b["at"]["atMobiles"], b["at"]["atUserIds"])')" \
        "(['13879100102'], ['WuMin01'])" "钉钉: by mobile number and user id"

# ---- neither ----
python3 - "$T/etc/dutyd.conf" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s, n = re.subn(r'(\{\s*id\s*=\s*"zhenght";.*?)phone = "[0-9]+";', r'\1', s, count=1, flags=re.S)
assert n == 1
open(p, "w", encoding="utf-8").write(s)
PY
"$DUTYCTL" reload >/dev/null || fail "reload without zhenght's phone"
test_message zhenght
expect_eq "$(body /wecom "$UUID" '(b["text"]["mentioned_mobile_list"], b["text"]["mentioned_list"])')" "([], [])" \
        "企业微信: nobody mentioned without a phone or user id"
expect_eq "$(body /ding "$UUID" '(b["at"]["atMobiles"], b["at"]["atUserIds"])')" "([], [])" "钉钉: nobody at"
echo "ok: 企业微信 and 钉钉 bodies mention by phone and by notify_mention"
