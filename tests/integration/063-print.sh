#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The printed 值班表 in a real browser: the sample office's roster from 2026-09-20 to 2026-10-31 is
# generated, exported as HTML and printed to PDF by headless Chromium (A4). The 国庆节 period with
# the days around it (2026-09-26 … 10-11) fits on one page, the October month grid on at most two;
# pdftotext finds every person on duty with their name in one piece, every phone beside, and the
# dates, headings, 值班室电话, 值班要求 and 制表人/审核人 of the configuration. Needs chromium,
# poppler-utils and fonts-noto-cjk (packaging/deps.sh, group "print"; tests/run.sh installs them).
. "$(dirname "$0")/lib.sh"

require_print

export DUTYD_NOW=2026-09-01T10:00
start_dutyd
"$DUTYCTL" roster generate --from 2026-09-20 --to 2026-10-31 >/dev/null || fail "roster generate"

# print NAME FROM TO: the HTML export of the range, printed to $T/NAME.pdf; echoes the page count.
print() {
        local name=$1 from=$2 to=$3
        "$DUTYCTL" roster show --from "$from" --to "$to" --format html -o "$T/$name.html" || fail "html export $name"
        "$DUTYCTL" --json roster show --from "$from" --to "$to" >"$T/$name.json" || fail "roster show --json $name"
        HOME=$T timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
                --print-to-pdf="$T/$name.pdf" "file://$T/$name.html" >"$T/$name.chromium.log" 2>&1 ||
                { cat "$T/$name.chromium.log" >&2; fail "chromium could not print $name"; }
        pdftotext -enc UTF-8 "$T/$name.pdf" "$T/$name.txt" || fail "pdftotext $name"
        # A screenshot for whoever looks at the page, kept with the PDF when SCREENSHOT_DIR is set.
        if [ -n "${SCREENSHOT_DIR:-}" ]; then
                HOME=$T timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
                        --window-size=820,1400 --screenshot="$SCREENSHOT_DIR/$name.png" "file://$T/$name.html" \
                        >/dev/null 2>&1 || true
                cp "$T/$name.pdf" "$T/$name.html" "$SCREENSHOT_DIR/"
        fi
        pdfinfo "$T/$name.pdf" | awk '/^Pages:/ { print $2 }'
}

# check NAME list|grid: every name and phone of the reply is in the PDF's text in one piece, as are
# the headings and the office's words; in the list, each phone on its person's line (in the grid
# the phone stands under the name, and pdftotext reads a grid's cells out of order).
check() {
        python3 - "$T/$1.json" "$T/$1.txt" "$2" <<'PY' || fail "the printed $1 breaks or misses text"
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8").read()
problems = []
people = {}
for day in d["days"]:
    for a in day["assignments"]:
        if a.get("person"):
            people[a["name"]] = a.get("phone")
assert people, "nobody on duty"
lines = text.splitlines()
for name, phone in people.items():
    if name not in text:
        problems.append("name %s not found unbroken" % name)
    if phone and phone not in text:
        problems.append("phone %s of %s not found unbroken" % (phone, name))
    if phone and sys.argv[3] == "list" and not any(name in l and phone in l for l in lines):
        problems.append("phone %s not beside %s" % (phone, name))
for word in [d["office"] + "值班表", "带班领导", "值班室电话", "0791-88888110", "值班要求",
             "制表人：县委办值班室", "审核人：县委办主任", "制表日期：", "交接班时间"]:
    if word not in text:
        problems.append("%s not found unbroken" % word)
if problems:
    print("\n".join(problems))
    print("---- text ----")
    print(text)
    sys.exit(1)
print("%d people intact" % len(people))
PY
}

pages=$(print holiday 2026-09-26 2026-10-11)
[ "$pages" -le 1 ] || fail "the 国庆节 period prints on $pages pages (at most 1)"
check holiday list
# Every date of the list, whole, and the marks of a black-and-white print.
python3 - "$T/holiday.txt" <<'PY' || fail "dates or day marks are missing in the printed 国庆节 period"
import datetime, sys
text = open(sys.argv[1], encoding="utf-8").read()
d = datetime.date(2026, 9, 26)
while d <= datetime.date(2026, 10, 11):
    assert d.isoformat() in text, d
    d += datetime.timedelta(days=1)
assert text.count("休") >= 7 + 1, "holiday marks"        # the seven days off and the legend
assert "班" in text and "调休上班" in text, "make-up workday mark"
PY

pages=$(print october 2026-10-01 2026-10-31)
[ "$pages" -ge 1 ] && [ "$pages" -le 2 ] || fail "the October month grid prints on $pages pages (at most 2)"
check october grid
grep -q "星期一" "$T/october.txt" || fail "the October grid has no weekday heading"

stop_dutyd
echo "ok"
