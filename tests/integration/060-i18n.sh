#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Chinese interface: po/zh_CN.po translates every message of the current sources (a string added
# without its translation fails here); under LANG=zh_CN.UTF-8 every line dutyctl writes for people is
# Chinese and its tables stay aligned (East Asian Wide characters take two columns); under C it is
# English; JSON is the same in both. dutyd's own messages (--help, the configuration's errors)
# follow its locale too.
. "$(dirname "$0")/lib.sh"

CHECK="$(dirname "$0")/i18n-check.py"
PO="$SRCDIR/po"
: "${DUTYD_LOCALEDIR:?the catalogs of the build (set by meson)}"
[ -f "$DUTYD_LOCALEDIR/zh_CN/LC_MESSAGES/dutyd.mo" ] || fail "no compiled catalog under $DUTYD_LOCALEDIR"

# ---- The catalog is complete ----

stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$PO/zh_CN.po" 2>&1) || fail "msgfmt --check: $stats"
case "$stats" in
*untranslated*|*fuzzy*) fail "po/zh_CN.po is not complete: $stats" ;;
*" translated message"*) ;;
*) fail "unexpected msgfmt statistics: $stats" ;;
esac

# Every file with messages is listed for extraction, and every listed file exists.
while IFS= read -r f; do
        [ -f "$SRCDIR/$f" ] || fail "po/POTFILES lists $f, which does not exist"
done < <(grep -v '^#' "$PO/POTFILES" | grep .)
for f in "$SRCDIR"/cli/*.[ch] "$SRCDIR"/daemon/*.[ch]; do
        rel=${f#"$SRCDIR/"}
        [ "$rel" != daemon/i18n.h ] || continue
        if grep -qP '(?<![A-Za-z0-9_])(N?_|ngettext|parser_error)\(' "$f" && ! grep -qx "$rel" "$PO/POTFILES"; then
                fail "$rel has messages but is not listed in po/POTFILES"
        fi
done

# The messages of the current sources, extracted with the options of po/meson.build: each one must
# have its translation in zh_CN.po.
mapfile -t xargs_ < <(grep -oE "'--[a-z-]+=[^']*'" "$PO/meson.build" | tr -d "'")
(cd "$SRCDIR" && xgettext --language=C "${xargs_[@]}" --files-from=po/POTFILES -o "$T/dutyd.pot") ||
        fail "xgettext failed"
[ -s "$T/dutyd.pot" ] || fail "xgettext extracted nothing"
msgcmp "$PO/zh_CN.po" "$T/dutyd.pot" 2>"$T/msgcmp.err" ||
        fail "po/zh_CN.po lacks translations of the current sources (run 'meson compile dutyd-update-po' and translate):
$(cat "$T/msgcmp.err")"
python3 "$CHECK" msgids "$T/dutyd.pot" || fail "a message is not written in English"

# ---- A Chinese locale ----

# The system's zh_CN.UTF-8 (tests/run.sh generates it), else one compiled here from the locale
# sources of the package "locales", which needs no root.
ZH_ENV=(LANG=zh_CN.UTF-8)
if ! locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
        mkdir -p "$T/locale"
        localedef -i zh_CN -f UTF-8 "$T/locale/zh_CN.UTF-8" >"$T/localedef.log" 2>&1 ||
                fail "no zh_CN.UTF-8 locale, and it cannot be built (install the package locales; tests/run.sh does):
$(tail -n 5 "$T/localedef.log")"
        ZH_ENV+=(LOCPATH="$T/locale")
fi
# The test environment pins LC_ALL; these run with LANG alone, as a user's session would.
zh() {
        env -u LC_ALL -u LANGUAGE "${ZH_ENV[@]}" "$@"
}
en() {
        env -u LC_ALL -u LANGUAGE LANG=C "$@"
}

# ---- dutyctl --help ----

zh "$DUTYCTL" --help >"$T/help.zh" || fail "dutyctl --help (zh)"
en "$DUTYCTL" --help >"$T/help.en" || fail "dutyctl --help (C)"
python3 "$CHECK" chinese "$T/help.zh" || fail "dutyctl --help is not all Chinese"
python3 "$CHECK" english "$T/help.en" || fail "dutyctl --help is not all English"
expect_contains "$(cat "$T/help.zh")" "用法：dutyctl" "Chinese usage line"
expect_contains "$(cat "$T/help.en")" "Usage: dutyctl" "English usage line"
# Every verb's help, options included.
mapfile -t verbs < <(sed -n '/^Verbs:$/,/^$/s/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\{0,1\}\)\( .*\)\{0,1\}$/\1/p' "$T/help.en")
[ "${#verbs[@]}" -ge 30 ] || fail "only ${#verbs[@]} verbs read from dutyctl --help"
: >"$T/verbs-help.zh"
for v in "${verbs[@]}"; do
        # shellcheck disable=SC2086 # the verb's words are separate arguments
        zh "$DUTYCTL" $v --help >>"$T/verbs-help.zh" || fail "dutyctl $v --help (zh)"
done
python3 "$CHECK" chinese "$T/verbs-help.zh" || fail "a verb's help is not all Chinese"
zh "$DUTYCTL" roster generate --help >"$T/verb-help.zh" || fail "dutyctl roster generate --help (zh)"
python3 "$CHECK" aligned-last "$T/verb-help.zh" 3 || fail "the options of a verb's help are not aligned"

# Usage errors, before any daemon is asked.
rc=0
zh "$DUTYCTL" roster show --from 2026-02-30 --to 2026-03-01 2>"$T/usage.zh" || rc=$?
expect_eq "$rc" "2" "usage error exit status (zh)"
python3 "$CHECK" chinese "$T/usage.zh" || fail "a usage error is not Chinese"
rc=0
zh "$DUTYCTL" who garbage 2>"$T/usage-who.zh" || rc=$?
expect_eq "$rc" "2" "an instant dutyctl cannot read is a usage error"
expect_contains "$(cat "$T/usage-who.zh")" "“garbage”不是 now" "the instant's usage error in Chinese"
rc=0
zh "$DUTYCTL" nosuchverb 2>"$T/unknown.zh" || rc=$?
expect_eq "$rc" "2" "unknown verb exit status (zh)"
python3 "$CHECK" chinese "$T/unknown.zh" || fail "the unknown verb error is not Chinese"

# ---- Replies of the daemon ----

export DUTYD_NOW=2026-01-20T10:00
start_dutyd
"$DUTYCTL" roster holiday 春节 --year 2026 >/dev/null || fail "roster holiday 春节 --year 2026"

# views: name, then the arguments; each is printed in both languages and as JSON.
views=(
        "roster show --from 2026-02-13 --to 2026-02-23"
        "who 2026-02-16"
        "status"
        "whoami"
        "people"
        "calendar --from 2026-02-10 --to 2026-03-01"
        "gaps"
        "roster stats --year 2026"
        "sensitive list"
)
for v in "${views[@]}"; do
        read -ra a <<<"$v"
        name=${v// /_}
        zh "$DUTYCTL" "${a[@]}" >"$T/$name.zh" || fail "dutyctl $v (zh)"
        en "$DUTYCTL" "${a[@]}" >"$T/$name.en" || fail "dutyctl $v (C)"
        zh "$DUTYCTL" --json "${a[@]}" >"$T/$name.zh.json" || fail "dutyctl --json $v (zh)"
        en "$DUTYCTL" --json "${a[@]}" >"$T/$name.json" || fail "dutyctl --json $v (C)"
        # Everything but the uptime and the connection count is the same in both languages.
        python3 - "$T/$name.json" "$T/$name.zh.json" <<'PY' || fail "dutyctl --json $v depends on the language"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
for d in (a, b):
    if isinstance(d, dict):
        d.pop("uptime_sec", None)
        d.get("counts", {}).pop("connections", None)
assert a == b, (a, b)
PY
        python3 "$CHECK" chinese "$T/$name.zh" "$T/$name.json" || fail "dutyctl $v is not all Chinese"
        python3 "$CHECK" english "$T/$name.en" "$T/$name.json" || fail "dutyctl $v is not all English"
done

# The roster: a title line, the header, one line per day; every cell under its header.
rows=$(python3 "$CHECK" aligned "$T/roster_show_--from_2026-02-13_--to_2026-02-23.zh" 1) ||
        fail "the Chinese roster table is not aligned"
expect_eq "$rows" "11" "days of the Chinese roster table"
rows=$(python3 "$CHECK" aligned "$T/roster_show_--from_2026-02-13_--to_2026-02-23.en" 1) ||
        fail "the English roster table is not aligned"
expect_eq "$rows" "11" "days of the English roster table"
head -n 2 "$T/roster_show_--from_2026-02-13_--to_2026-02-23.zh" | tail -n 1 | grep -q '^日期  *星期  *节日  *带班领导  *值班人员  *电话$' ||
        fail "the Chinese roster header"
head -n 2 "$T/roster_show_--from_2026-02-13_--to_2026-02-23.en" | tail -n 1 | grep -q '^Date  *Day  *Holiday  *Leader on call  *Officers on duty  *Phone$' ||
        fail "the English roster header"
grep -q '^2026-02-16  周一  春节、除夕' "$T/roster_show_--from_2026-02-13_--to_2026-02-23.zh" ||
        fail "the Chinese roster names the weekday and the festival"
grep -q '^2026-02-14  Sat  make-up workday' "$T/roster_show_--from_2026-02-13_--to_2026-02-23.en" ||
        fail "the English roster names the make-up workday"
for t in "people" "calendar_--from_2026-02-10_--to_2026-03-01"; do
        python3 "$CHECK" aligned "$T/$t.zh" 0 >/dev/null || fail "the Chinese table of $t is not aligned"
done
python3 "$CHECK" aligned "$T/who_2026-02-16.zh" 3 >/dev/null || fail "the Chinese table of who is not aligned"
python3 "$CHECK" pairs "$T/status.zh" || fail "the Chinese key/value list of status is not aligned"

# The exported documents are the office's, Chinese in every locale.
en "$DUTYCTL" roster show --from 2026-02-15 --to 2026-02-16 --format csv >"$T/roster.csv" || fail "csv (C)"
head -n 1 "$T/roster.csv" | grep -q '日期,星期,节日,带班领导,值班人员,电话' || fail "the CSV header is not the office's"

# An error of the daemon is explained in the user's language around the daemon's own words.
rc=0
zh "$DUTYCTL" people --role boss 2>"$T/refused.zh" || rc=$?
expect_eq "$rc" "1" "a role dutyd does not know is refused"
expect_contains "$(cat "$T/refused.zh")" "角色应为 leader、officer、approver 或 admin 之一" "the daemon's refusal explained in Chinese"
rc=0
en "$DUTYCTL" people --role boss 2>"$T/refused.en" || rc=$?
expect_eq "$rc" "1" "a role dutyd does not know is refused (C)"
expect_contains "$(cat "$T/refused.en")" "ROLE must be one of leader, officer, approver or admin" "the daemon's refusal explained in English"
# The daemon's own sentences follow the language dutyctl sends: a guest's refusal, in each.
rc=0
as_uid "$GUEST_UID" env -u LC_ALL -u LANGUAGE "${ZH_ENV[@]}" "$DUTYCTL" people 2>"$T/guest.zh" || rc=$?
expect_eq "$rc" "1" "a guest is refused"
expect_contains "$(cat "$T/guest.zh")" "不在本办公室的配置中" "the daemon's refusal in Chinese"
as_uid "$GUEST_UID" env -u LC_ALL -u LANGUAGE LANG=en_US.UTF-8 "$DUTYCTL" people 2>"$T/guest.en" || true
expect_contains "$(cat "$T/guest.en")" "is not in this office's configuration" "the daemon's refusal in English"

stop_dutyd

# ---- dutyd's own messages ----

zh "$DUTYD" --help >"$T/dutyd-help.zh" || fail "dutyd --help (zh)"
python3 "$CHECK" chinese "$T/dutyd-help.zh" || fail "dutyd --help is not all Chinese"
en "$DUTYD" --help >"$T/dutyd-help.en" || fail "dutyd --help (C)"
python3 "$CHECK" english "$T/dutyd-help.en" || fail "dutyd --help is not all English"

sed -i 's/members = \[ "wangjg"/members = [ "nobody_here", "wangjg"/' "$T/etc/dutyd.conf"
grep -q nobody_here "$T/etc/dutyd.conf" || fail "could not break the configuration"
rc=0
zh "$DUTYD" --check-config "$T/etc/dutyd.conf" 2>"$T/check.zh" || rc=$?
expect_eq "$rc" "1" "check-config of a broken file (zh)"
expect_contains "$(cat "$T/check.zh")" "未知人员“nobody_here”" "the configuration error in Chinese"
en "$DUTYD" --check-config "$T/etc/dutyd.conf" 2>"$T/check.en" || true
expect_contains "$(cat "$T/check.en")" 'unknown person "nobody_here"' "the configuration error in English"

echo "ok"
