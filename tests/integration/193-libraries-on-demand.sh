#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libcurl and libical are loaded when first used (daemon/dl.h), not at exec:
#   - dutyd started, answering, with no webhook or mail sent and no feed written, maps neither
#     (nor the TLS library libcurl brings, nor ICU); a webhook sent loads libcurl;
#   - where the file of that soname is not libcurl (an impostor on LD_LIBRARY_PATH: another
#     library under its name), a webhook fails with the loader's words — the soname and the
#     function it lacks — in `dutyctl notify list`, is retried as any failure, and the person's
#     command channel, which needs no libcurl, still delivers;
#   - likewise dutyctl: `roster show --format ics` with no libical says which library it could not
#     load and why, and that the table, json and csv formats do without it; those still work.
. "$(dirname "$0")/lib.sh"
verbose_dutyctl
. "$(dirname "$0")/notify-lib.sh"

person_set wum 'notify = [ "ops", "sms" ];'

# attempts_of ID: the attempts the outbox counts for notification ID.
attempts_of() {
        json_get "$("$DUTYCTL" --json notify list)" "sum(n['attempts'] for n in d['notifications'] if n['id'] == $1)"
}
# mapped PATTERN: how many of dutyd's mappings are of a file matching PATTERN.
mapped() { grep -c -- "$1" "/proc/$DUTYD_PID/maps" || true; }

export DUTYD_NOTIFY_RETRY_SEC=1
export DUTYD_NOW=2026-06-01T10:00
start_dutyd
"$DUTYCTL" status >/dev/null || fail "status"
"$DUTYCTL" who >/dev/null || fail "who"
expect_eq "$(mapped '/libcurl')" "0" "libcurl mapped before any webhook"
expect_eq "$(mapped '/libical')" "0" "libical mapped without feeds"
expect_eq "$(mapped '/libssl\|/libcrypto\|/libgnutls\|/libicu')" "0" "TLS or ICU mapped at start"

out=$("$DUTYCTL" --json notify test wum) || fail "notify test"
ID1=$(json_get "$out" 'd["notification"]["id"]')
wait_until 20 "the webhook" at_least 1 hook_count "r['path'] == '/ops'"
wait_until 10 "the outbox to record the delivery" at_least 1 sent_count
[ "$(mapped '/libcurl')" -gt 0 ] || fail "libcurl not mapped after a webhook was sent"
stop_dutyd

# ---- impostors: another library under libcurl's and libical's sonames ----
IMPOSTOR=$(ldd "$DUTYD" | awk '$1 ~ /^libjansson\.so/ { print $3 }')
[ -f "$IMPOSTOR" ] || fail "cannot find libjansson to stand in for libcurl"
CURL_SONAME=$(sed -n 's/^#define LIBCURL_SONAME "\(.*\)"$/\1/p' "$BUILDDIR/build-config.h")
ICAL_SONAME=$(sed -n 's/^#define LIBICAL_SONAME "\(.*\)"$/\1/p' "$BUILDDIR/build-config.h")
[ -n "$CURL_SONAME" ] && [ -n "$ICAL_SONAME" ] || fail "no sonames in build-config.h"
mkdir "$T/impostors"
cp "$IMPOSTOR" "$T/impostors/$CURL_SONAME"
cp "$IMPOSTOR" "$T/impostors/$ICAL_SONAME"

: >"$CMD_LOG"
LD_LIBRARY_PATH="$T/impostors" start_dutyd
out=$("$DUTYCTL" --json notify test wum) || fail "notify test with the impostor"
ID2=$(json_get "$out" 'd["notification"]["id"]')
wait_until 20 "the command channel" at_least 1 cmd_count "True"
wait_until 20 "a failed attempt on the webhook" at_least 1 attempts_of "$ID2"
out=$("$DUTYCTL" --json notify list) || fail "notify list"
row="[n for n in d['notifications'] if n['id'] == $ID2][0]"
expect_eq "$(json_get "$out" "$row['delivered']")" "['sms']" "delivered on the command channel only"
expect_eq "$(json_get "$out" "$row['state']")" "queued" "queued again for the webhook"
err=$(json_get "$out" "$row['last_error']")
expect_contains "$err" "$CURL_SONAME" "the error names the library"
expect_contains "$err" "curl_global_init" "the error names the function it lacks"
expect_eq "$(hook_count "r['key'] == '$(json_get "$out" "$row['uuid']")'")" "0" "webhooks sent through the impostor"
stop_dutyd

# ---- dutyctl without libical ----
start_dutyd
"$DUTYCTL" roster generate --from 2026-06-01 --to 2026-06-07 >/dev/null || fail "roster generate"
rc=0
LD_LIBRARY_PATH="$T/impostors" "$DUTYCTL" roster show --from 2026-06-01 --to 2026-06-07 --format ics \
        >"$T/out.ics" 2>"$T/err" || rc=$?
[ "$rc" -ne 0 ] || fail "roster show --format ics succeeded without libical"
expect_contains "$(cat "$T/err")" "cannot load the iCalendar library $ICAL_SONAME" "dutyctl's error"
expect_contains "$(cat "$T/err")" "icalcomponent_" "dutyctl's error names what the file lacks"
expect_contains "$(cat "$T/err")" "the table, json and csv formats do without it" "dutyctl's advice"
[ ! -s "$T/out.ics" ] || fail "a partial iCalendar was written"
LD_LIBRARY_PATH="$T/impostors" "$DUTYCTL" roster show --from 2026-06-01 --to 2026-06-07 --format csv \
        >"$T/out.csv" || fail "roster show --format csv without libical"
[ "$(wc -l <"$T/out.csv")" -gt 1 ] || fail "the csv has no rows"
"$DUTYCTL" roster show --from 2026-06-01 --to 2026-06-07 --format ics >"$T/out.ics" || fail "ics with libical"
grep -q "^BEGIN:VEVENT" "$T/out.ics" || fail "no event in the iCalendar"
echo "OK"
