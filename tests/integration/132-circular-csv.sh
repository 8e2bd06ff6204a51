#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The monthly circular's checks as CSV (`dutyctl check list --format csv`), as a spreadsheet opens
# it: a month of spot checks, one remark that is a telephone number and one that looks like a
# formula. The file is UTF-8 with a byte order mark and CRLF records like the roster's and the
# log's; LibreOffice Calc (headless) converts it to .xlsx and python3-openpyxl reads it back: a row
# per check in order, the times answered a number of seconds, the answered and missed rows adding up
# to the tally dutyd reports, the names as dutyd gives them, the phone remark a text cell exactly as
# typed, the formula-like remark text that computes nothing (behind an apostrophe). Needs libreoffice-calc-nogui and
# python3-openpyxl (packaging/deps.sh, group "office").
. "$(dirname "$0")/lib.sh"

require_office

DUTYD_NOW=2026-02-20T10:00 start_dutyd
"$DUTYCTL" roster generate --from 2026-03-01 --to 2026-03-31 >/dev/null || fail "roster generate"
stop_dutyd

DUTYD_NOW=2026-03-31T23:30 start_dutyd
for d in 02 05 09 12 16 20 24; do
        case $d in
        09) "$DUTYCTL" check add officer --missed --at "2026-03-${d}T02:10" --remarks "13879100102" ;;
        20) "$DUTYCTL" check add leader --missed --how video --at "2026-03-${d}T21:40" --remarks "=SUM(1,2)" ;;
        *) "$DUTYCTL" check add officer --answered --seconds "1${d#0}" --at "2026-03-${d}T22:15" ;;
        esac >/dev/null || fail "check add on 03-$d"
done
"$DUTYCTL" check add room --answered --seconds 8 --how visit --at 2026-03-30T10:00 --remarks "实地查看值班记录，运转正常" \
        >/dev/null || fail "check add visit"
"$DUTYCTL" --json check list --month 2026-03 >"$T/list.json" || fail "check list --json"
"$DUTYCTL" check list --month 2026-03 --format csv -o "$T/checks.csv" || fail "check list --format csv -o"
"$DUTYCTL" check list --month 2026-03 --format csv >"$T/stdout.csv" || fail "check list --format csv"
cmp -s "$T/checks.csv" "$T/stdout.csv" || fail "the CSV on standard output differs from the file"

# Bytes: the byte order mark, CRLF records, the header.
head -c 3 "$T/checks.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "no UTF-8 byte order mark"
[ "$(grep -c $'\r$' "$T/checks.csv")" = "$(wc -l <"$T/checks.csv")" ] || fail "records do not end with CRLF"
head -n 1 "$T/checks.csv" | grep -q "值班日,时间,对象,被查人,方式,应答" || fail "header: $(head -n 1 "$T/checks.csv")"

HOME=$T timeout 120 soffice --headless --norestore --infilter="CSV:44,34,76,1" \
        --convert-to xlsx --outdir "$T/xlsx" "$T/checks.csv" >"$T/soffice.log" 2>&1 ||
        { cat "$T/soffice.log"; fail "LibreOffice could not convert checks.csv"; }
[ -f "$T/xlsx/checks.xlsx" ] || { cat "$T/soffice.log"; fail "LibreOffice wrote no checks.xlsx"; }

"$PY" - "$T/xlsx/checks.xlsx" "$T/list.json" <<'PY' || fail "a spreadsheet reads the circular's CSV wrong"
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], data_only=True).active
rows = [[c.value for c in r] for r in ws.iter_rows()]
head, rows = rows[0], rows[1:]
d = json.load(open(sys.argv[2], encoding="utf-8"))
col = {h: i for i, h in enumerate(head)}
for h in ("类别", "编号", "值班日", "时间", "对象", "被查人", "方式", "应答", "应答用时（秒）", "备注", "记录人"):
    assert h in col, head
problems = []
checks = d["checks"]
if len(rows) != len(checks) + len(d["presence"]):
    problems.append("%d rows for %d checks" % (len(rows), len(checks)))
for r, c in zip(rows, checks):
    if r[col["编号"]] != c["id"]:
        problems.append("row of check %s numbered %r" % (c["id"], r[col["编号"]]))
    if r[col["类别"]] != "查岗":
        problems.append("check %s: kind %r" % (c["id"], r[col["类别"]]))
    if (r[col["被查人"]] or None) != c["person_name"]:
        problems.append("check %s: person %r, dutyd says %r" % (c["id"], r[col["被查人"]], c["person_name"]))
    secs = r[col["应答用时（秒）"]]
    if c["answered"] and c["seconds"] is not None:
        if not isinstance(secs, (int, float)) or secs != c["seconds"]:
            problems.append("check %s: seconds read as %r, dutyd says %r" % (c["id"], secs, c["seconds"]))
    elif secs is not None:
        problems.append("check %s, not answered, has seconds %r" % (c["id"], secs))
    # A remark that would be a formula is written behind an apostrophe (cli/export.c, as the
    # roster's and the log's CSV): text, never computed.
    want = "'" + c["remarks"] if (c["remarks"] or "").startswith("=") else c["remarks"]
    if (r[col["备注"]] or None) != want:
        problems.append("check %s: remarks read as %r (%s), typed %r" % (c["id"], r[col["备注"]],
                                                                        type(r[col["备注"]]).__name__, c["remarks"]))
answered = sum(1 for r in rows if r[col["应答"]] == "已应答")
missed = sum(1 for r in rows if r[col["应答"]] == "未应答")
t = {x["target"]: x for x in d["tally"]}["all"]
if (answered, missed) != (t["answered"], t["missed"]) or (answered, missed) != (6, 2):
    problems.append("answered/missed %d/%d, the tally %d/%d" % (answered, missed, t["answered"], t["missed"]))
if problems:
    sys.exit("\n".join(problems))
print("ok: %d checks, %d answered, %d missed" % (len(rows), answered, missed))
PY

# Only the documents go to a file.
rc=0
"$DUTYCTL" check list --month 2026-03 -o "$T/x.csv" >/dev/null 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "--output without --format html or csv was accepted"
stop_dutyd
echo "ok"
