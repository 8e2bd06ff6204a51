#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Mistakes of the hand, each reported by `dutyd --check-config` at file:line with what to type:
#   - full-width punctuation typed with a Chinese input method (；，“”：＝（）) gives one line per
#     character with the ASCII one to use, instead of libconfig's bare "syntax error";
#   - full-width text inside quotes is text, not a mistake;
#   - a person without roles loads, with a warning; the daemon logs the same warning;
#   - a group named like a role is an error at its line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/conf-lib.sh"

export DUTYD_NOW=2026-03-02T09:00

echo "full-width punctuation"
edit 't = s.replace("office = \"中共某某县委办公室\";", "office = “中共某某县委办公室”；", 1)
t = t.replace("handover = \"08:30\";", "handover ＝ \"08:30\";", 1)
t = t.replace("{ id = \"principals\"; name = \"党政主要负责同志\";", "{ id = \"principals\"， name = \"党政主要负责同志（正职）\";", 1)'
check_config
expect_eq "$RC" 1 "full-width punctuation is refused"
office=$(line_of 'office = “')
handover=$(line_of 'handover ＝')
principals=$(line_of '"principals"，')
expect_eq "$ERR" "$CONF:$office: full-width “ typed with a Chinese input method: use \" instead
$CONF:$office: full-width ” typed with a Chinese input method: use \" instead
$CONF:$office: full-width ； typed with a Chinese input method: use ; instead
$CONF:$handover: full-width ＝ typed with a Chinese input method: use = instead
$CONF:$principals: full-width ， typed with a Chinese input method: use , instead" \
        "one line per full-width character, none for the （） inside quotes"
case "$ERR" in *"syntax error"*) fail "the bare syntax error is still printed" ;; esac

echo "full-width punctuation, in the office's language"
RC=0
LANGUAGE=zh_CN LC_ALL=zh_CN.UTF-8 "$DUTYD" --check-config "$CONF" 2>"$T/check.err" >/dev/null || RC=$?
sed 's/^/    /' "$T/check.err"
expect_contains "$(cat "$T/check.err")" "$CONF:$office: 中文输入法输入了全角 ；：请改用半角 ;" "the hint in Chinese"

echo "full-width punctuation in a holiday notice"
cp "$T/sample.conf" "$CONF"
sed -i 's/^year = 2026;/year = 2026；/' "$T/etc/holidays.d/cn-2026.conf"
check_config
expect_eq "$RC" 1 "full-width punctuation in a notice is refused"
expect_eq "$ERR" "$T/etc/holidays.d/cn-2026.conf:$(grep -n '^year = 2026；' "$T/etc/holidays.d/cn-2026.conf" | cut -d: -f1): full-width ； typed with a Chinese input method: use ; instead" \
        "the notice's full-width semicolon, at its line"
sed -i 's/^year = 2026；/year = 2026;/' "$T/etc/holidays.d/cn-2026.conf"

echo "a person without roles"
edit 't = s.replace("roles = [ \"officer\" ]; active_until = \"2026-12-31\";", "roles = [ ]; active_until = \"2026-12-31\";", 1)'
check_config
expect_eq "$RC" 0 "a person without roles loads"
expect_eq "$ERR" "$CONF:$(line_of 'roles = [ ];'): warning: people.dengh.roles: \"dengh\" has no role, so is never put on duty and approves nothing; give roles = [ \"officer\" ] (or leader, approver, admin) unless that is meant" \
        "the warning names the person at the line of roles"
start_dutyd
grep -qF "people.dengh.roles: \"dengh\" has no role" "$T/dutyd.log" || fail "the daemon does not log the warning"
stop_dutyd

echo "a group named like a role"
edit 't = s.replace("{ id = \"executive\";", "{ id = \"leader\";", 1)'
check_config
expect_eq "$RC" 1 "a group named like a role is refused"
expect_eq "$ERR" "$CONF:$(line_of '{ id = "leader";'): groups.leader.id: group id \"leader\" is the name of a role; give the group another id, e.g. \"leader_group\"" \
        "the group named like a role, at its line"

echo "ok"
