#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Terminal injection: text that would make the reader's terminal act (ESC sequences that retitle or
# clear it, C1 controls, bidirectional overrides that reorder a line, newlines that fake another
# line) is refused in every text field of a request, with InvalidParameter naming the field, and
# nothing is stored. Text stored by an older dutyd (written here straight into the database) is
# printed escaped by dutyctl: leave list, leave show, swap list and swap show never send ESC, a C1
# control or a bidi override to the terminal.
. "$(dirname "$0")/lib.sh"
# The refusals are asserted by their Varlink error names, which dutyctl shows with --verbose.
verbose_dutyctl
. "$(dirname "$0")/swap-lib.sh"

start_with_roster 2026-06-01T10:00

ESC=$'\e'
TITLE=$'\e]0;root@dutyd: approved\a'          # retitles the terminal
CLEAR=$'\e[2J\e[H'                             # clears it
CSI8=$'\xc2\x9b2J'                             # the same with the C1 control CSI (U+009B)
RLO=$'\xe2\x80\xae'                            # RIGHT-TO-LEFT OVERRIDE
LRI=$'\xe2\x81\xa6'                            # LEFT-TO-RIGHT ISOLATE
FAKE=$'出差\n✓ 已批准 approved by 王建国'          # a second line that looks like dutyctl's

# A free officer in the second half of June, and a duty to hand over.
D1=2026-06-10
A=$(duty "$D1" officer_on_duty)
B=$(free_person officer "$D1")
[ -n "$A" ] && [ -n "$B" ] || fail "no officer on duty or free officer around $D1"

# refused_text FIELD CMD…: the command exits 1 with InvalidParameter naming --FIELD (or FIELD).
refused_text() {
        local field=$1 rc=0 err
        shift
        err=$("$@" 2>&1 >/dev/null) || rc=$?
        expect_eq "$rc" "1" "exit status of: $*"
        expect_contains "$err" "org.varlink.service.InvalidParameter" "error of: $*"
        expect_contains "$err" "$field" "the field named by: $*"
        expect_contains "$err" "control characters" "what to do, for: $*"
        case "$err" in *"$ESC"*) fail "the refusal itself carries ESC: $err" ;; esac
}

# ---- Requests with control characters are refused, naming the field ----

PERIODS=$(json_get "$("$DUTYCTL" --json sensitive list)" 'len(d["periods"])')

LEAVE=(leave request --from 2026-06-20 --to 2026-06-20)
for bad in "$TITLE" "x$CLEAR" "$CSI8" "${RLO}gnp.exe" "a${LRI}b" "$FAKE" $'tab\there' $'del\x7f'; do
        refused_text --destination as_person "$B" "$DUTYCTL" "${LEAVE[@]}" --destination "$bad" --reason "探亲"
        refused_text --reason as_person "$B" "$DUTYCTL" "${LEAVE[@]}" --destination "上海" --reason "$bad"
        refused_text --reason "$DUTYCTL" "${LEAVE[@]}" --for "$B" --destination "上海" --reason "$bad"
        refused_text --reason as_person "$A" "$DUTYCTL" swap cover "$D1" --by "$B" --reason "$bad"
        refused_text "the name" "$DUTYCTL" sensitive add "$bad" --from 2026-06-25 --to 2026-06-26
        refused_text --reason "$DUTYCTL" unavailable add "$B" --from 2026-06-25 --to 2026-06-26 --reason "$bad"
done
# The phone too: every string of a request, not only the ones listed above.
err=$(as_person "$B" "$DUTYCTL" "${LEAVE[@]}" --destination "上海" --reason "探亲" --phone $'139\e[8m' 2>&1) &&
        fail "a phone number with ESC was accepted"
expect_contains "$err" "InvalidParameter" "a phone number with ESC"
expect_contains "$err" "'phone'" "a phone number with ESC names the field"

# Nothing of that was stored.
out=$("$DUTYCTL" --json leave list) || fail "leave list"
expect_eq "$(json_get "$out" 'len(d["leaves"])')" "0" "leaves stored after the refusals"
out=$("$DUTYCTL" --json swap list) || fail "swap list"
expect_eq "$(json_get "$out" 'len(d["swaps"])')" "0" "swaps stored after the refusals"
out=$("$DUTYCTL" --json sensitive list) || fail "sensitive list"
expect_eq "$(json_get "$out" 'len(d["periods"])')" "$PERIODS" "sensitive periods after the refusals"
out=$("$DUTYCTL" --json unavailable list) || fail "unavailable list"
expect_eq "$(json_get "$out" 'len(d["items"])')" "0" "unavailability stored after the refusals"

# Plain Chinese text, punctuation and a literal backslash are still taken as typed.
out=$(as_person "$B" "$DUTYCTL" --json "${LEAVE[@]}" --destination "上海（浦东）" --reason 'C:\temp 探亲') ||
        fail "a plain leave request"
LEAVE_ID=$(json_get "$out" 'd["leave"]["id"]')
expect_eq "$(json_get "$out" 'd["leave"]["reason"]')" 'C:\temp 探亲' "a backslash is kept as typed"
out=$(as_person "$A" "$DUTYCTL" --json swap cover "$D1" --by "$B" --reason "外出开会") || fail "a plain swap cover"
SWAP_ID=$(swap_field "$out" '["id"]')

# ---- Text stored by an older dutyd is printed escaped ----

stop_dutyd
DB="$T/state/dutyd.sqlite"
[ -f "$DB" ] || fail "no database at $DB"
sqlite3 "$DB" <<SQL || fail "cannot write the hostile text into the database"
UPDATE leave SET destination = CAST(X'$(printf '%s' "$TITLE$CLEAR" | od -An -tx1 | tr -d ' \n')' AS TEXT) || '北京',
                 reason = CAST(X'$(printf '%s' "$FAKE$CSI8$RLO" | od -An -tx1 | tr -d ' \n')' AS TEXT)
 WHERE id = $LEAVE_ID;
UPDATE swap SET reason = CAST(X'$(printf '%s' "${ESC}[1;32m✓ approved$LRI" | od -An -tx1 | tr -d ' \n')' AS TEXT)
 WHERE id = $SWAP_ID;
SQL
start_dutyd

# no_raw WHAT TEXT: TEXT holds none of ESC, BEL, the C1 CSI or the bidi controls used above.
no_raw() {
        case "$2" in
        *"$ESC"* | *$'\a'* | *$'\xc2\x9b'* | *"$RLO"* | *"$LRI"*) fail "$1 prints raw control characters: $(printf '%q' "$2")" ;;
        esac
}

for lang in C zh_CN.UTF-8; do
        out=$(LANG=$lang LC_ALL=$lang "$DUTYCTL" leave list) || fail "leave list ($lang)"
        no_raw "leave list ($lang)" "$out"
        expect_contains "$out" '\x1b]0;root@dutyd: approved\a\x1b[2J\x1b[H北京' "leave list shows the destination escaped ($lang)"

        out=$(LANG=$lang LC_ALL=$lang "$DUTYCTL" leave show "$LEAVE_ID") || fail "leave show ($lang)"
        no_raw "leave show ($lang)" "$out"
        expect_contains "$out" '\x1b]0;root@dutyd: approved\a\x1b[2J\x1b[H北京' "leave show: the destination escaped ($lang)"
        expect_contains "$out" '出差\n✓ 已批准 approved by 王建国\u009b2J\u202e' "leave show: the reason escaped on one line ($lang)"
        # The fake line is not a line of its own.
        if grep -q '^✓ 已批准' <<<"$out"; then
                fail "leave show lets a stored newline start a line of its own ($lang)"
        fi

        out=$(LANG=$lang LC_ALL=$lang "$DUTYCTL" swap show "$SWAP_ID") || fail "swap show ($lang)"
        no_raw "swap show ($lang)" "$out"
        expect_contains "$out" '\x1b[1;32m✓ approved\u2066' "swap show: the reason escaped ($lang)"

        out=$(LANG=$lang LC_ALL=$lang "$DUTYCTL" swap list) || fail "swap list ($lang)"
        no_raw "swap list ($lang)" "$out"
done

# JSON keeps the text exactly as stored (as JSON escapes), for scripts.
out=$("$DUTYCTL" --json leave show "$LEAVE_ID") || fail "leave show --json"
no_raw "leave show --json" "$out"
expect_eq "$(json_get "$out" 'd["leave"]["destination"].startswith("\x1b]0;")')" "True" "JSON keeps the stored text"
expect_eq "$(json_get "$out" 'd["leave"]["reason"].endswith("\u009b2J\u202e")')" "True" "JSON keeps C1 and bidi as escapes"
expect_contains "$out" '\u202e' "JSON writes the bidi override as an escape"

stop_dutyd
