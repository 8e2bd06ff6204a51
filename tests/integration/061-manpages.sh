#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The manual pages render without a warning, and stay complete: every verb and option dutyctl
# --help lists is in dutyctl(1), every option of dutyd and every setting of the sample configuration
# in dutyd(8) and dutyd.conf(5), every journal field and MESSAGE_ID of the alerts in dutyd(8).
# The Chinese pages (packaging/man/zh_CN) are held to the same, and to the English pages: every
# option, setting and key the English page names is in its translation, so that an option added to
# one page alone fails here instead of leaving the Chinese reader behind.
. "$(dirname "$0")/lib.sh"

MAN="$SRCDIR/packaging/man"
command -v man >/dev/null || fail "man is not installed (package man-db; tests/run.sh installs it)"

# render PAGE: the page as plain text, one paragraph per line as far as the width allows.
render() {
        LC_ALL=C.UTF-8 MANWIDTH=250 MANROFFSEQ='' man -E UTF-8 -l "$MAN/$1" 2>/dev/null | col -bx
}

# Each page by its path under packaging/man: the English ones, then their Chinese translations,
# rendered to $T/<page>.txt and $T/zh_CN.<page>.txt.
for page in dutyctl.1 dutyd.conf.5 dutyd.8 zh_CN/dutyctl.1 zh_CN/dutyd.conf.5 zh_CN/dutyd.8; do
        [ -f "$MAN/$page" ] || fail "packaging/man/$page is missing"
        LC_ALL=C.UTF-8 MANROFFSEQ='' man --warnings -E UTF-8 -l "$MAN/$page" >/dev/null 2>"$T/warnings" ||
                fail "man cannot render $page"
        [ ! -s "$T/warnings" ] || fail "$page renders with warnings: $(cat "$T/warnings")"
        # groff itself, with every warning, as lintian runs it.
        groff -mandoc -Tutf8 -ww -z -K utf8 "$MAN/$page" 2>"$T/warnings" || fail "groff cannot render $page"
        [ ! -s "$T/warnings" ] || fail "$page has groff warnings: $(cat "$T/warnings")"
        out="$T/$(printf '%s' "$page" | tr / .).txt"
        render "$page" >"$out"
        [ "$(wc -l <"$out")" -gt 50 ] || fail "$page renders to almost nothing"
done
# The translations are Chinese, and keep their title line for whatis(1) and apropos(1).
for page in dutyctl.1 dutyd.conf.5 dutyd.8; do
        grep -q '^\.SH 名称$' "$MAN/zh_CN/$page" || fail "zh_CN/$page has no 名称 (NAME) section"
        LC_ALL=C.UTF-8 lexgrog "$MAN/zh_CN/$page" >"$T/whatis" 2>&1 || fail "lexgrog cannot read zh_CN/$page: $(cat "$T/whatis")"
        LC_ALL=C.UTF-8 grep -q "${page%.*} - .*[值班]" "$T/whatis" || fail "zh_CN/$page: whatis line is '$(cat "$T/whatis")'"
        [ "$(LC_ALL=C.UTF-8 grep -cP '[\x{4e00}-\x{9fff}]' "$T/zh_CN.$page.txt")" -gt 40 ] ||
                fail "zh_CN/$page is hardly Chinese"
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
        # shellcheck disable=SC2086 # the verb's words are separate arguments
        LC_ALL=C "$DUTYCTL" $v --help >"$T/verb-help.$v" || fail "dutyctl $v --help"
done
for lang in "" zh_CN/; do
        page="$T/$(printf '%s' "${lang}dutyctl.1" | tr / .).txt"
        case "$lang" in
        "") exit_heading="EXIT STATUS" ;;
        zh_CN/) exit_heading="退出状态" ;;
        esac
        for v in "${verbs[@]}"; do
                tagged "$page" "$v" || fail "verb '$v' is not described in ${lang}dutyctl.1"
                while read -r opt; do
                        grep -qF -- "$opt" "$page" || fail "option $opt of '$v' is not in ${lang}dutyctl.1"
                done < <(sed -n '/^Options:$/,$p' "$T/verb-help.$v" | grep -oE -- '--[a-z][a-z-]*')
        done
        while read -r opt; do
                grep -qF -- "$opt" "$page" || fail "global option $opt is not in ${lang}dutyctl.1"
        done < <(sed -n '/^Options:$/,/^$/p' "$T/help" | grep -oE -- '--[a-z][a-z-]*')

        # The exit statuses dutyctl defines.
        while read -r code; do
                sed -n "/^$exit_heading/,/^[^ ]/p" "$page" | grep -qE "^ {7}$code( |$)" ||
                        fail "exit status $code is not in ${lang}dutyctl.1"
        done < <(grep -oE '#define CLIENT_EXIT_[A-Z_]+ +[0-9]+' "$SRCDIR/cli/client.h" | awk '{print $3}')
done

# ---- dutyd(8): options, journal fields, message ids ----

mapfile -t fields < <(grep -ohE '"DUTY_[A-Z_]+=' "$SRCDIR/daemon/alert.c" | tr -d '"=' | sort -u)
[ "${#fields[@]}" -ge 8 ] || fail "only ${#fields[@]} journal fields read from daemon/alert.c"
mapfile -t ids < <(grep -oE 'ALERT_MESSAGE_ID_[A-Z_]+ +"[0-9a-f]{32}"' "$SRCDIR/daemon/alert.h" | grep -oE '[0-9a-f]{32}')
[ "${#ids[@]}" -ge 5 ] || fail "only ${#ids[@]} MESSAGE_IDs read from daemon/alert.h"
for id in "${ids[@]}"; do
        grep -q "^-- $id\$" "$SRCDIR/packaging/dutyd.catalog" || fail "MESSAGE_ID $id has no catalog entry"
done
for lang in "" zh_CN/; do
        page="$T/$(printf '%s' "${lang}dutyd.8" | tr / .).txt"
        while read -r opt; do
                grep -qF -- "$opt" "$page" || fail "option $opt of dutyd is not in ${lang}dutyd.8"
        done < <(LC_ALL=C "$DUTYD" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
        for f in "${fields[@]}"; do
                tagged "$page" "$f" || fail "journal field $f is not described in ${lang}dutyd.8"
        done
        for id in "${ids[@]}"; do
                tagged "$page" "$id" || fail "MESSAGE_ID $id is not described in ${lang}dutyd.8"
        done
done

# ---- dutyd.conf(5): the settings of the sample configuration ----

conf="$SRCDIR/conf/dutyd.conf"
# Top level: set, or shown commented out ("# socket = …").
mapfile -t settings < <(grep -oE '^(# ?)?[a-z_]+ = ' "$conf" | sed -E 's/^# ?//; s/ = $//' | sort -u)
# Inside the groups roster, swap and leave.
mapfile -t -O "${#settings[@]}" settings < <(awk '/^(roster|swap|leave) = \{/ { g = 1; next }
        /^\};/ { g = 0 } g && /^ +[a-z_]+ = / { sub(/^ +/, ""); sub(/ = .*/, ""); print }' "$conf" | sort -u)
[ "${#settings[@]}" -ge 25 ] || fail "only ${#settings[@]} settings read from conf/dutyd.conf"
# Every field of the records, as listed by config-parse.c's key tables.
mapfile -t keys < <(sed -n '/^static const char \*const [a-z_]*_keys\[\] = {/,/};/p' "$SRCDIR/daemon/config-parse.c" |
                    grep -oE '"[a-z_]+"' | tr -d '"' | sort -u)
[ "${#keys[@]}" -ge 40 ] || fail "only ${#keys[@]} keys read from daemon/config-parse.c"
for lang in "" zh_CN/; do
        page="$T/$(printf '%s' "${lang}dutyd.conf.5" | tr / .).txt"
        for s in "${settings[@]}"; do
                tagged "$page" "$s" || fail "setting '$s' is not described in ${lang}dutyd.conf.5"
        done
        for k in "${keys[@]}"; do
                grep -qE "(^|[^a-z_])$k([^a-z_]|$)" "$page" || fail "key '$k' of config-parse.c is not in ${lang}dutyd.conf.5"
        done
done

# ---- The Chinese pages name everything the English ones name ----

# What the English page PAGE names and its translation must name too: options (--xxx), identifiers
# with an underscore (settings, keys, values such as leader_on_call), journal fields, message ids.
for page in dutyctl.1 dutyd.conf.5 dutyd.8; do
        en="$T/$page.txt"
        zh="$T/zh_CN.$page.txt"
        while read -r word; do
                grep -qE -- "(^|[^a-z0-9_-])$word([^a-z0-9_-]|$)" "$zh" ||
                        fail "'$word' of $page is missing from zh_CN/$page (translate what the English page added)"
        done < <(grep -oE -- '--[a-z][a-z-]*|[a-z][a-z0-9]*(_[a-z0-9]+)+|[A-Z][A-Z0-9]*(_[A-Z0-9]+)+|[0-9a-f]{32}' "$en" | sort -u)
        # Every entry the English page describes (a tag: verb, setting, field, message id, value;
        # the first line after a blank one) is an entry of the Chinese page as well.
        while read -r word; do
                tagged "$zh" "$word" || fail "'$word' is described in $page but not in zh_CN/$page"
        done < <(awk 'prev == "" { print } { prev = $0 }' "$en" |
                 grep -oE '^ {7,}([a-z][a-z0-9_.-]*[a-z0-9]|[A-Z][A-Z0-9]*_[A-Z0-9_]+|[0-9a-f]{32})([ ,]|$)' |
                 tr -d ' ,' | sort -u)
done

echo "ok"
