#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Views and exports of the roster: with the daemon's clock at 2026-01-20, the 春节 2026 roster is
# generated and exported as iCalendar (read back by python3-icalendar: handover to handover in
# Asia/Shanghai, stable unique UIDs, a personal feed with only that person's duties), as CSV for
# spreadsheets and as a self-contained printable HTML page.
. "$(dirname "$0")/lib.sh"

# The iCalendar reader is Debian's python3-icalendar, which a python3 of its own may not see.
PY=$(python_with icalendar)
[ -n "$PY" ] || fail "no python3 with the icalendar module (install python3-icalendar)"
CHECK="$(dirname "$0")/export-check.py"

export DUTYD_NOW=2026-01-20T10:00
start_dutyd

"$DUTYCTL" roster holiday 春节 --year 2026 >"$T/holiday.txt" || fail "roster holiday 春节 --year 2026"

FROM=2026-02-15
TO=2026-02-23
"$DUTYCTL" --json roster show --from "$FROM" --to "$TO" >"$T/roster.json" || fail "roster show --json"
office=$(json_get "$(cat "$T/roster.json")" 'd["office"]')
[ -n "$office" ] || fail "the roster names no office"
expect_eq "$(json_get "$(cat "$T/roster.json")" 'len(d["days"])')" "9" "days of the 春节 run"

# --format json is the reply as is.
"$DUTYCTL" roster show --from "$FROM" --to "$TO" --format json >"$T/roster2.json"
"$PY" - "$T/roster.json" "$T/roster2.json" <<'PY' || fail "--format json differs from --json"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
assert a == b
PY

# iCalendar: read back, twice, with the same UIDs.
"$DUTYCTL" roster show --from "$FROM" --to "$TO" --format ics -o "$T/a.ics" || fail "ics export"
sleep 1
"$DUTYCTL" roster show --from "$FROM" --to "$TO" --format ics -o "$T/b.ics" || fail "second ics export"
"$PY" "$CHECK" ics "$T/a.ics" "$T/roster.json" || fail "ics export does not read back"
"$PY" "$CHECK" same-uids "$T/a.ics" "$T/b.ics" || fail "UIDs change between exports"
expect_eq "$(stat -c %a "$T/a.ics")" "644" "mode of an exported file"
[ -z "$(find "$T" -maxdepth 1 -name '.a.ics.*')" ] || fail "a temporary file was left behind"

# A personal feed: an officer with duties in the run, only theirs.
person=$(json_get "$(cat "$T/roster.json")" \
        '([a["person"] for r in d["days"] for a in r["assignments"] if a.get("person") and a["role"] == "officer"] + [""])[0]')
[ -n "$person" ] || fail "no officer on duty in the run"
"$DUTYCTL" --json roster show --from "$FROM" --to "$TO" --person "$person" >"$T/mine.json" || fail "roster show --person"
expect_eq "$(json_get "$(cat "$T/mine.json")" \
        '{a.get("person") for r in d["days"] for a in r["assignments"]} == {"'"$person"'"}')" "True" \
        "roster show --person lists only that person"
"$DUTYCTL" roster show --from "$FROM" --to "$TO" --person "$person" --format ics -o "$T/mine.ics" ||
        fail "personal ics export"
"$PY" "$CHECK" ics "$T/mine.ics" "$T/roster.json" "$person" || fail "personal feed is not that person's duties"

# CSV for Excel and WPS: a byte order mark, CRLF records.
"$DUTYCTL" roster show --from "$FROM" --to "$TO" --format csv -o "$T/roster.csv" || fail "csv export"
expect_eq "$(head -c 3 "$T/roster.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "csv byte order mark"
"$PY" - "$T/roster.csv" <<'PY' || fail "csv is not RFC 4180 with one record per day"
import csv, io, sys
raw = open(sys.argv[1], "rb").read()
assert raw.count(b"\n") == raw.count(b"\r\n"), "bare LF"
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
assert rows[0] == ["日期", "星期", "节日", "带班领导", "值班人员", "电话"], rows[0]
assert len(rows) == 1 + 9, len(rows)
assert all(r[2].startswith("春节") for r in rows[1:]), rows
PY

# HTML: the office name, the publish state, no external references.
"$DUTYCTL" roster show --from "$FROM" --to "$TO" --format html -o "$T/roster.html" || fail "html export"
html=$(cat "$T/roster.html")
expect_contains "$html" "$office" "html office name"
expect_contains "$html" "未发布" "html publish state"
expect_contains "$html" "@page { size: A4" "html page size"
if grep -qiE 'https?:|src=|<script|<link|url\(' "$T/roster.html"; then
        fail "html refers to something outside itself"
fi

# The terminal table lists every day of the run.
"$DUTYCTL" roster show --from "$FROM" --to "$TO" >"$T/table.txt" || fail "table view"
expect_eq "$(grep -c '^2026-02-' "$T/table.txt")" "9" "table rows"

# Bad input: a format nobody knows, missing dates; a failed export leaves the old file intact.
rc=0
"$DUTYCTL" roster show --from "$FROM" --to "$TO" --format pdf >/dev/null 2>"$T/err" || rc=$?
expect_eq "$rc" "2" "exit status for an unknown format"
expect_contains "$(cat "$T/err")" "pdf" "unknown format message"
rc=0
"$DUTYCTL" roster show --from "$FROM" >/dev/null 2>"$T/err" || rc=$?
expect_eq "$rc" "2" "exit status for a missing --to"
expect_contains "$(cat "$T/err")" "--to" "missing --to message"
rc=0
"$DUTYCTL" roster show --from "$FROM" --to 2026-02-30 >/dev/null 2>"$T/err" || rc=$?
expect_eq "$rc" "2" "exit status for a bad date"
expect_contains "$(cat "$T/err")" "2026-02-30" "bad date message"
cp "$T/a.ics" "$T/keep.ics"
rc=0
"$DUTYCTL" roster show --from "$TO" --to "$FROM" --format ics -o "$T/a.ics" 2>/dev/null || rc=$?
expect_eq "$rc" "2" "exit status for a reversed range"
cmp -s "$T/a.ics" "$T/keep.ics" || fail "a failed export changed the file"
# Nor does a person nobody knows, refused by the daemon.
rc=0
"$DUTYCTL" roster show --from "$FROM" --to "$TO" --person nobody --format ics -o "$T/a.ics" 2>/dev/null || rc=$?
expect_eq "$rc" "1" "exit status for an unknown person"
cmp -s "$T/a.ics" "$T/keep.ics" || fail "a failed export changed the file"

stop_dutyd
echo "ok"
