#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The manual pages render without a warning, and stay complete: every verb and option dutyctl
# --help lists is in dutyctl(1), every option of dutyd and every setting of the sample configuration
# in dutyd(8) and dutyd.conf(5), every journal field and MESSAGE_ID of the alerts in dutyd(8).
. "$(dirname "$0")/lib.sh"

MAN="$SRCDIR/packaging/man"
command -v man >/dev/null || fail "man is not installed (package man-db; tests/run.sh installs it)"

# render PAGE: the page as plain text, one paragraph per line as far as the width allows.
render() {
        LC_ALL=C.UTF-8 MANWIDTH=250 MANROFFSEQ='' man -E UTF-8 -l "$MAN/$1" 2>/dev/null | col -bx
}

for page in dutyctl.1 dutyd.conf.5 dutyd.8; do
        [ -f "$MAN/$page" ] || fail "packaging/man/$page is missing"
        LC_ALL=C.UTF-8 MANROFFSEQ='' man --warnings -E UTF-8 -l "$MAN/$page" >/dev/null 2>"$T/warnings" ||
                fail "man cannot render $page"
        [ ! -s "$T/warnings" ] || fail "$page renders with warnings: $(cat "$T/warnings")"
        render "$page" >"$T/$page.txt"
        [ "$(wc -l <"$T/$page.txt")" -gt 50 ] || fail "$page renders to almost nothing"
done

# tagged TEXT WORD: WORD starts a tag line (.TP) of the page, possibly after other tags ("a, b").
tagged() {
        grep -qE "^ {7,}([^ ]+, )*$(printf '%s' "$2" | sed 's/[.[\*^$]/\\&/g')([ ,]|$)" "$1"
}

# ---- dutyctl(1): verbs and options ----

LC_ALL=C "$DUTYCTL" --help >"$T/help" || fail "dutyctl --help"
mapfile -t verbs < <(sed -n '/^Verbs:$/,/^$/s/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\{0,1\}\)\( .*\)\{0,1\}$/\1/p' "$T/help")
[ "${#verbs[@]}" -ge 30 ] || fail "only ${#verbs[@]} verbs read from dutyctl --help"
for v in "${verbs[@]}"; do
        tagged "$T/dutyctl.1.txt" "$v" || fail "verb '$v' is not described in dutyctl.1"
        # shellcheck disable=SC2086 # the verb's words are separate arguments
        LC_ALL=C "$DUTYCTL" $v --help >"$T/verb-help" || fail "dutyctl $v --help"
        while read -r opt; do
                grep -qF -- "$opt" "$T/dutyctl.1.txt" || fail "option $opt of '$v' is not in dutyctl.1"
        done < <(sed -n '/^Options:$/,$p' "$T/verb-help" | grep -oE -- '--[a-z][a-z-]*')
done
while read -r opt; do
        grep -qF -- "$opt" "$T/dutyctl.1.txt" || fail "global option $opt is not in dutyctl.1"
done < <(sed -n '/^Options:$/,/^$/p' "$T/help" | grep -oE -- '--[a-z][a-z-]*')

# The exit statuses dutyctl defines.
while read -r code; do
        sed -n '/^EXIT STATUS/,/^[A-Z]/p' "$T/dutyctl.1.txt" | grep -qE "^ {7}$code( |$)" ||
                fail "exit status $code is not in dutyctl.1"
done < <(grep -oE '#define CLIENT_EXIT_[A-Z_]+ +[0-9]+' "$SRCDIR/cli/client.h" | awk '{print $3}')

# ---- dutyd(8): options, journal fields, message ids ----

while read -r opt; do
        grep -qF -- "$opt" "$T/dutyd.8.txt" || fail "option $opt of dutyd is not in dutyd.8"
done < <(LC_ALL=C "$DUTYD" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)

mapfile -t fields < <(grep -ohE '"DUTY_[A-Z_]+=' "$SRCDIR/daemon/alert.c" | tr -d '"=' | sort -u)
[ "${#fields[@]}" -ge 8 ] || fail "only ${#fields[@]} journal fields read from daemon/alert.c"
for f in "${fields[@]}"; do
        tagged "$T/dutyd.8.txt" "$f" || fail "journal field $f is not described in dutyd.8"
done
mapfile -t ids < <(grep -oE 'ALERT_MESSAGE_ID_[A-Z_]+ +"[0-9a-f]{32}"' "$SRCDIR/daemon/alert.h" | grep -oE '[0-9a-f]{32}')
[ "${#ids[@]}" -ge 5 ] || fail "only ${#ids[@]} MESSAGE_IDs read from daemon/alert.h"
for id in "${ids[@]}"; do
        tagged "$T/dutyd.8.txt" "$id" || fail "MESSAGE_ID $id is not described in dutyd.8"
        grep -q "^-- $id\$" "$SRCDIR/packaging/dutyd.catalog" || fail "MESSAGE_ID $id has no catalog entry"
done

# ---- dutyd.conf(5): the settings of the sample configuration ----

conf="$SRCDIR/conf/dutyd.conf"
# Top level: set, or shown commented out ("# socket = …").
mapfile -t settings < <(grep -oE '^(# ?)?[a-z_]+ = ' "$conf" | sed -E 's/^# ?//; s/ = $//' | sort -u)
# Inside the groups roster, swap and leave.
mapfile -t -O "${#settings[@]}" settings < <(awk '/^(roster|swap|leave) = \{/ { g = 1; next }
        /^\};/ { g = 0 } g && /^ +[a-z_]+ = / { sub(/^ +/, ""); sub(/ = .*/, ""); print }' "$conf" | sort -u)
[ "${#settings[@]}" -ge 25 ] || fail "only ${#settings[@]} settings read from conf/dutyd.conf"
for s in "${settings[@]}"; do
        tagged "$T/dutyd.conf.5.txt" "$s" || fail "setting '$s' is not described in dutyd.conf.5"
done
# Every field of the records, as listed by config.c's key tables.
mapfile -t keys < <(sed -n '/^static const char \*const [a-z_]*_keys\[\] = {/,/};/p' "$SRCDIR/daemon/config.c" |
                    grep -oE '"[a-z_]+"' | tr -d '"' | sort -u)
[ "${#keys[@]}" -ge 40 ] || fail "only ${#keys[@]} keys read from daemon/config.c"
for k in "${keys[@]}"; do
        grep -qE "(^|[^a-z_])$k([^a-z_]|$)" "$T/dutyd.conf.5.txt" || fail "key '$k' of config.c is not in dutyd.conf.5"
done

echo "ok"
