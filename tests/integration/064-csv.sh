#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The CSV exports as a spreadsheet opens them: the sample office's October 2026, with one officer's
# phone written with a leading 0 and one with +86, exported as the day-per-row CSV, as one person's
# CSV (a row per duty, naming its leader and colleagues), as the long form of everyone and as the
# duty counts per person (值班补贴). LibreOffice Calc (headless) converts each to .xlsx and
# python3-openpyxl reads it back: every phone is a text cell exactly as configured (no number, no
# lost 0 or +86, no 1.38791E+10), the counts are numbers that add up to the duties of the roster.
# Excel and WPS read ="…" the same way. Needs libreoffice-calc-nogui and python3-openpyxl
# (packaging/deps.sh, group "office"; tests/run.sh installs them).
. "$(dirname "$0")/lib.sh"

require_office

# A mobile phone with its country code and a landline written without a dash: what spreadsheets
# turn into numbers.
sed -i 's|phone = "13879100102";|phone = "+8613879100102";|; s|phone = "13879100103";|phone = "079186201103";|' \
        "$T/etc/dutyd.conf"
grep -q '"+8613879100102"' "$T/etc/dutyd.conf" && grep -q '"079186201103"' "$T/etc/dutyd.conf" ||
        fail "the sample office changed: the phones of wum and zhenght are not where this test expects"

export DUTYD_NOW=2026-09-01T10:00
start_dutyd
"$DUTYCTL" roster generate --from 2026-10-01 --to 2026-10-31 >/dev/null || fail "roster generate"
"$DUTYCTL" --json roster show --from 2026-10-01 --to 2026-10-31 >"$T/roster.json" || fail "roster show --json"

show() {
        local name=$1
        shift
        "$DUTYCTL" roster show --from 2026-10-01 --to 2026-10-31 "$@" -o "$T/$name.csv" || fail "export $name"
}
show days --format csv
show wum --format csv --person wum
show zhenght --format csv --person zhenght
show long --format csv-long
show counts --format csv-counts

# As LibreOffice opens them: UTF-8 (the byte order mark), comma-separated, quoted by ".
for f in days wum zhenght long counts; do
        HOME=$T timeout 120 soffice --headless --norestore --infilter="CSV:44,34,76,1" \
                --convert-to xlsx --outdir "$T/xlsx" "$T/$f.csv" >"$T/soffice.log" 2>&1 ||
                { cat "$T/soffice.log"; fail "LibreOffice could not convert $f.csv"; }
        [ -f "$T/xlsx/$f.xlsx" ] || { cat "$T/soffice.log"; fail "LibreOffice wrote no $f.xlsx"; }
done

"$PY" - "$T/xlsx" "$T/roster.json" <<'PY' || fail "a spreadsheet reads the CSV wrong"
import json, os, sys, openpyxl
xdir, roster = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))

def sheet(name):
    # data_only: the values a spreadsheet shows (a ="…" cell shows its text).
    ws = openpyxl.load_workbook(os.path.join(xdir, name + ".xlsx"), data_only=True).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    return rows[0], rows[1:]

phones = {}
duties = {}
for day in roster["days"]:
    for a in day["assignments"]:
        if a.get("person"):
            phones[a["person"]] = a.get("phone")
            duties.setdefault(a["person"], []).append((day["day"]["date"], a))
assert phones["wum"] == "+8613879100102" and phones["zhenght"] == "079186201103", phones
problems = []

# One person's rows: each of their duties, the phone as text, the leader and colleagues named.
for who in ("wum", "zhenght"):
    head, rows = sheet(who)
    col = {h: i for i, h in enumerate(head)}
    for h in ("日期", "姓名", "电话", "带班领导", "带班领导电话", "同班值班人员"):
        assert h in col, (who, head)
    assert len(rows) == len(duties[who]), (who, len(rows), len(duties[who]))
    for r, (date, a) in zip(rows, duties[who]):
        assert str(r[col["日期"]]).startswith(date) or r[col["日期"]] is not None
        phone = r[col["电话"]]
        if not isinstance(phone, str) or phone != phones[who]:
            problems.append("%s %s: phone read as %r (%s)" % (who, date, phone, type(phone).__name__))
        day = next(d for d in roster["days"] if d["day"]["date"] == date)
        leaders = [x["name"] for x in day["assignments"] if x.get("role") == "leader" and x.get("person")]
        others = [x["name"] for x in day["assignments"]
                  if x.get("role") != "leader" and x.get("person") and x["person"] != who]
        if r[col["带班领导"]] != "、".join(leaders):
            problems.append("%s %s: leader %r, expected %r" % (who, date, r[col["带班领导"]], leaders))
        lp = r[col["带班领导电话"]]
        if not isinstance(lp, str) or not lp.startswith("0791"):
            problems.append("%s %s: leader's phone read as %r" % (who, date, lp))
        for o in others:
            if o not in (r[col["同班值班人员"]] or ""):
                problems.append("%s %s: colleague %s missing" % (who, date, o))

# The long form: a row per duty, every phone text.
head, rows = sheet("long")
col = {h: i for i, h in enumerate(head)}
assert len(rows) == sum(len(v) for v in duties.values()) + sum(
    1 for d in roster["days"] for a in d["assignments"] if not a.get("person")), len(rows)
for r in rows:
    p = r[col["电话"]]
    if r[col["编号"]] and (not isinstance(p, str) or p != phones[r[col["编号"]]]):
        problems.append("long form: phone of %s read as %r" % (r[col["编号"]], p))

# The day-per-row CSV: a day whose phones are one number is still text.
head, rows = sheet("days")
col = head.index("电话")
for r in rows:
    if r[col] is not None and not isinstance(r[col], str):
        problems.append("days: phones read as %r" % r[col])

# The counts: numbers, adding up to the duties of the roster.
head, rows = sheet("counts")
col = {h: i for i, h in enumerate(head)}
for r in rows:
    who, total = r[col["编号"]], r[col["合计"]]
    if not isinstance(total, (int, float)):
        problems.append("counts: %s's total read as %r" % (who, total))
        continue
    dates = {d for d, _ in duties[who]}
    if total != len(dates):
        problems.append("counts: %s has %r, the roster %d" % (who, total, len(dates)))
    parts = sum(r[col[h]] for h in ("工作日", "周末", "法定节假日", "调休上班日", "日历未知"))
    if parts != total:
        problems.append("counts: %s's kinds add up to %r, not %r" % (who, parts, total))
if {r[col["编号"]] for r in rows} != set(duties):
    problems.append("counts: people %s, roster %s" % (sorted(r[col["编号"]] for r in rows), sorted(duties)))
holiday = {r[col["编号"]]: r[col["法定节假日"]] for r in rows}
if sum(holiday.values()) != sum(1 for d in roster["days"] if d["day"]["type"] == "holiday"
                                for a in d["assignments"] if a.get("person")):
    problems.append("counts: holiday duties do not add up")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("ok:", len(duties), "people")
PY

stop_dutyd
echo "ok"
