#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The monthly circular of spot checks (值班查岗情况通报, issue 17) printed in a real browser: a
# month's checks recorded by an inspector, `dutyctl check list --format html` printed to
# PDF (A4) by headless Chromium: one page for a typical month, with the office's title, the period,
# the figures of the tally, every person checked with the name in one piece and the missed checks.
# Needs chromium and poppler-utils (packaging/deps.sh, group "print").
. "$(dirname "$0")/lib.sh"

require_print

DUTYD_NOW=2026-02-20T10:00 start_dutyd
"$DUTYCTL" roster generate --from 2026-03-01 --to 2026-03-31 >/dev/null || fail "roster generate"
stop_dutyd

# A typical month: a dozen checks, two of them not answered.
DUTYD_NOW=2026-03-31T23:30 start_dutyd
for d in 02 04 06 09 11 13 16 18 20 23 25 27; do
        case $d in
        09) "$DUTYCTL" check add officer --missed --at "2026-03-${d}T02:10" --remarks "值班电话无人接听" ;;
        20) "$DUTYCTL" check add leader --missed --how video --at "2026-03-${d}T21:40" ;;
        *) "$DUTYCTL" check add officer --answered --seconds "1${d#0}" --at "2026-03-${d}T22:15" ;;
        esac >/dev/null || fail "check add on 03-$d"
done
"$DUTYCTL" check add room --answered --seconds 8 --how visit --at 2026-03-30T10:00 --remarks "实地查看值班记录" >/dev/null ||
        fail "check add visit"
"$DUTYCTL" --json check list --month 2026-03 >"$T/list.json" || fail "check list"
"$DUTYCTL" check list --month 2026-03 --format html -o "$T/circular.html" || fail "check list --format html"
grep -q "值班查岗情况通报" "$T/circular.html" || fail "the circular has no title"

HOME=$T timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$T/circular.pdf" "file://$T/circular.html" >"$T/chromium.log" 2>&1 ||
        { cat "$T/chromium.log" >&2; fail "chromium could not print the circular"; }
pdftotext -enc UTF-8 "$T/circular.pdf" "$T/circular.txt" || fail "pdftotext"
pages=$(pdfinfo "$T/circular.pdf" | awk '/^Pages:/ { print $2 }')
size=$(pdfinfo "$T/circular.pdf" | awk '/^Page size:/ { print $3 "x" $5 }')
echo "circular: $pages page(s), $size pt"
expect_eq "$pages" "1" "pages of a month's circular"
# A4 is 595.28 x 841.89 pt; Chromium rounds to whole CSS pixels.
python3 -c 'import sys; w, h = map(float, sys.argv[1].split("x")); sys.exit(not (abs(w - 595.3) < 2 and abs(h - 841.9) < 2))' "$size" ||
        fail "the page is not A4: $size pt"

python3 - "$T/list.json" "$T/circular.txt" <<'PY' || fail "the printed circular breaks or misses text"
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8").read()
flat = re.sub(r"\s+", "", text)
problems = []
for word in ["值班查岗情况通报", "2026年3月1日至2026年3月31日", "一、总体情况", "二、未应答情况", "三、查岗明细",
             "本期共查岗13次，应答11次，未应答2次", "值班电话无人接听", "实地查看值班记录"]:
    if word not in flat:
        problems.append("missing: " + word)
names = {c["person_name"] for c in d["checks"] if c["person_name"]}
assert len(names) >= 3, names
for n in names:
    if n not in text:
        problems.append("name not in one piece: " + n)
t = {x["target"]: x for x in d["tally"]}
if (t["all"]["checks"], t["all"]["missed"]) != (13, 2):
    problems.append("tally: %s" % t["all"])
if problems:
    sys.exit("\n".join(problems))
PY
stop_dutyd
echo "ok"
