#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Where the holiday notices are, and posts restricted to a group:
#   - holidays_dir's default is holidays.d beside the file, which is what the package installs, the
#     sample names, the demo copies and dutyd.conf(5) says: without the setting the notices are read;
#   - a year around today without a notice is a warning of `dutyd --check-config` (exit 0) and of
#     the daemon's log: this year always, the next from November;
#   - a post with group = "…" (值班科长) is given only to members of the group, by roster generate
#     and by hand (roster assign refuses anybody else, naming the group).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/conf-lib.sh"

echo "one layout: the default, the sample, the package, the demo and the manual"
grep -qx 'holidays_dir = "holidays.d";' "$SRCDIR/conf/dutyd.conf" || fail "the sample does not name holidays.d"
grep -qF "'../conf/holidays.d'" "$SRCDIR/packaging/meson.build" || fail "the package does not install conf/holidays.d"
grep -qF "dutyd_sysconfdir / 'holidays.d'" "$SRCDIR/packaging/meson.build" || fail "the package does not install to holidays.d"
grep -qF 'cp -r conf/holidays.d "$DEMO/etc/holidays.d"' "$SRCDIR/packaging/demo.sh" || fail "the demo does not copy holidays.d"
LC_ALL=C.UTF-8 MANWIDTH=250 man -E UTF-8 -l "$SRCDIR/packaging/man/dutyd.conf.5" 2>/dev/null | col -bx | tr -s ' ' \
        >"$T/dutyd.conf.5.txt"
grep -q 'Default: "holidays.d" beside this file' "$T/dutyd.conf.5.txt" || fail "dutyd.conf(5) gives another default"
edit 't = s.replace("holidays_dir = \"holidays.d\";\n", "", 1)'
DUTYD_NOW=2026-03-02T09:00 check_config
expect_eq "$RC" 0 "the sample without holidays_dir"
expect_contains "$OUT" "3 holiday notices" "the default directory is where the notices are"
expect_eq "$ERR" "" "no warning in March 2026: 2026 is known, 2027's notice is not out yet"

echo "a year without a notice"
DUTYD_NOW=2026-12-06T09:00 check_config
expect_eq "$RC" 0 "a missing notice is a warning, not an error"
expect_eq "$ERR" "$T/etc/holidays.d: warning: no holiday notice for 2027: its days are unknown and cannot be planned; when the State Council publishes it, add it here as cn-2027.conf (format: see dutyd.conf(5))" \
        "December 2026: the notice for 2027 is asked for"
DUTYD_NOW=2027-01-04T09:00 check_config
expect_eq "$RC" 0 "January 2027 without a notice"
expect_contains "$ERR" "warning: no holiday notice for 2027:" "the current year without a notice"
export DUTYD_NOW=2026-12-06T09:00
start_dutyd
grep -qF "holidays.d: warning: no holiday notice for 2027: its days are unknown" "$T/dutyd.log" ||
        fail "the daemon does not log the missing notice"
stop_dutyd

echo "a post restricted to a group (值班科长)"
rm -rf "$T/state" && mkdir -p "$T/state"
edit 't = s.replace("groups = (\n", "groups = (\n        { id = \"section_chiefs\"; name = \"科长\"; members = [ \"zhouxd\", \"zhenght\", \"wangjg\" ]; },\n", 1)
t = t.replace("posts = (\n", "posts = (\n        { id = \"chief_on_duty\"; name = \"值班科长\"; role = \"officer\"; group = \"section_chiefs\"; },\n", 1)'
check_config
expect_eq "$RC" 0 "a post restricted to a group is a valid configuration"
export DUTYD_NOW=2026-03-02T09:00
start_dutyd
"$DUTYCTL" roster generate --from 2026-03-09 --to 2026-03-22 >/dev/null || fail "roster generate"
OUT=$("$DUTYCTL" --json roster show --from 2026-03-09 --to 2026-03-22) || fail "roster show"
chiefs=$(json_get "$OUT" 'sorted({a.get("person") for day in d["days"] for a in day["assignments"] if a["post"] == "chief_on_duty"})')
echo "    chief_on_duty held by: $chiefs"
expect_eq "$chiefs" "['zhenght', 'zhouxd']" "only the officers of the group hold the post (wangjg is not an officer)"
others=$(json_get "$OUT" 'len([a for day in d["days"] for a in day["assignments"] if a["post"] == "officer_on_duty" and a.get("person")])')
[ "$others" -ge 14 ] || fail "the other officers' post is filled too ($others)"

RC=0
"$DUTYCTL" roster assign 2026-03-26 chief_on_duty wum >"$T/out" 2>"$T/err" || RC=$?
sed 's/^/    /' "$T/err"
expect_eq "$RC" 1 "assigning an officer outside the group is refused"
expect_contains "$(cat "$T/err")" "人员不具备该岗位所需角色（或不属于岗位限定的分组）" \
        "the refusal names the group"
"$DUTYCTL" roster assign 2026-03-26 chief_on_duty zhenght >/dev/null || fail "a chief is refused the chiefs' post"
stop_dutyd

echo "ok"
