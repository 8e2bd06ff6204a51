#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The printed duty log (值班记录) in a real browser, as 063-print.sh checks the roster: a typical
# duty day (calls, a document, an emergency with its reports, a leader's instruction, a correction,
# a follow-up and an open item carried over from the day before) exported as HTML and printed to
# PDF by headless Chromium on A4 fits on one page; pdftotext finds the heading, the day, the people
# on duty with their phones, every entry's number, kind and the start of its matter, the carried
# item marked 待办, and the lines to sign. The CSV export has one row per entry with the phone kept
# as typed. Needs chromium, poppler-utils and fonts-noto-cjk (packaging/deps.sh, group "print").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/swap-lib.sh"

require_print

start_with_roster 2026-06-01T10:00
stop_dutyd

D0=2026-06-09
D1=2026-06-10
A0=$(duty "$D0" officer_on_duty)
A=$(duty "$D1" officer_on_duty)
L=$(duty "$D1" leader_on_call)

# The day before: an open item, carried to D1.
export DUTYD_NOW=${D0}T16:00
start_dutyd
as_person "$A0" "$DUTYCTL" log add 交办事项 "县委办转来群众来信，请信访局于三日内答复并反馈办理结果" --from 县委办秘书科 \
        --measures "已转县信访局" --open >/dev/null || fail "the carried item"
stop_dutyd

export DUTYD_NOW=${D1}T23:30
start_dutyd
add() { as_person "$A" "$DUTYCTL" --json log add "$@" | json_get "$(cat)" 'd["entry"]["id"]'; }
I1=$(add 来电 "市应急管理局通知：今晚至明日有暴雨，请做好防汛值守" --time 08:50 --from "市应急管理局 王科长" \
        --phone 0833-2345678 --measures "已报带班领导，转发各乡镇" --informed 带班领导) || fail "entry 1"
I2=$(add 来文 "省委办公厅明传电报：关于做好汛期值班值守工作的通知" --time 09:30 --from 省委办公厅 \
        --measures "已登记，呈送带班领导阅示" --informed 带班领导) || fail "entry 2"
I3=$(add 突发事件 "某镇发生山体滑坡，2 户房屋受损，暂无人员伤亡" --time 10:40 --from "某镇党委值班室" \
        --phone 0833-3456789 --measures "通知应急、自然资源部门赶赴现场" --informed "带班领导、县应急局") || fail "entry 3"
as_person "$A" "$DUTYCTL" log report "$I3" phone --to 市委总值班室 --time 11:05 >/dev/null || fail "report phone"
as_person "$A" "$DUTYCTL" log report "$I3" written --to 市委总值班室 --time 11:35 >/dev/null || fail "report written"
I4=$(as_person "$L" "$DUTYCTL" --json log add 领导批示 "请县应急局牵头做好转移安置，随时报告雨情" --time 11:10 \
        | json_get "$(cat)" 'd["entry"]["id"]') || fail "entry 4"
I5=$(add 突发事件 "某镇山体滑坡续报：受损房屋 3 户，已转移群众 12 人" --time 14:20 --from "某镇党委值班室" \
        --follows "$I3") || fail "entry 5"
I6=$(add 来电 "更正：来电单位为市防汛抗旱指挥部办公室" --time 15:00 --corrects "$I1") || fail "entry 6"
I7=$(add 来电 "县融媒体中心询问汛情发布口径" --time 16:30 --from 县融媒体中心 --phone 13800138000 \
        --measures "请示带班领导后答复" --informed 带班领导) || fail "entry 7"
I8=$(add 其他 "晚间巡查机房、值班室设备，运行正常" --time 21:00) || fail "entry 8"

"$DUTYCTL" log print -o "$T/log.html" || fail "log print"
"$DUTYCTL" log print --format csv -o "$T/log.csv" || fail "log print --format csv"
"$DUTYCTL" --json log list >"$T/log.json" || fail "log list --json"
"$DUTYCTL" --json people >"$T/people.json" || fail "people"

HOME=$T timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$T/log.pdf" "file://$T/log.html" >"$T/chromium.log" 2>&1 ||
        { cat "$T/chromium.log" >&2; fail "chromium could not print the log"; }
if [ -n "${SCREENSHOT_DIR:-}" ]; then
        HOME=$T timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
                --window-size=820,1200 --screenshot="$SCREENSHOT_DIR/log.png" "file://$T/log.html" >/dev/null 2>&1 || true
        cp "$T/log.pdf" "$T/log.html" "$SCREENSHOT_DIR/"
fi
pages=$(pdfinfo "$T/log.pdf" | awk '/^Pages:/ { print $2 }')
size=$(pdfinfo "$T/log.pdf" | awk '/^Page size:/ { print $3 "x" $5 }')
echo "142-log-print: a day of $(json_get "$(cat "$T/log.json")" 'len(d["entries"])') entries prints on $pages page(s) of $size pt"
expect_eq "$pages" "1" "a typical day's log on one A4 page"
# A4 is 595.28 × 841.89 pt; Chromium rounds to its own units.
awk -v s="$size" 'BEGIN { split(s, a, "x"); exit !(a[1] > 593 && a[1] < 597 && a[2] > 840 && a[2] < 844) }' ||
        fail "the page is not A4: $size pt"
pdftotext -enc UTF-8 "$T/log.pdf" "$T/log.txt" || fail "pdftotext"

python3 - "$T/log.json" "$T/log.txt" "$T/people.json" "$A" "$L" <<'PY' || fail "the printed log misses text"
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8").read()
people = {p["id"]: p for p in json.load(open(sys.argv[3], encoding="utf-8"))["people"]}
flat = re.sub(r"\s+", "", text)
problems = []
for word in ["值班记录", "值班日期：" + d["date"], "交接班时间", "值班室电话", "0791-88888110", "序号", "来电来文方",
             "事由", "处理情况", "记录人", "交班人：", "接班人：", "带班领导：", "来电", "来文", "突发事件",
             "领导批示", "交办事项", "其他", "待办", "【更正第", "【续报第", "电话报告", "书面报告"]:
    if word not in flat:
        problems.append("%s not found" % word)
for pid in sys.argv[4:]:
    p = people[pid]
    if p["name"] not in text:
        problems.append("the name of %s on duty not found unbroken" % pid)
    if p.get("phone") and p["phone"] not in text:
        problems.append("the phone of %s on duty not found unbroken" % pid)
for e in d["entries"]:
    # The start of each matter, in one piece: a cell wraps longer text at its own width (sooner
    # after the 【更正第 N 条】 or 【续报第 N 条】 in front of it, which must be there too).
    prefixed = e.get("corrects") or e.get("follows")
    start = re.sub(r"\s+", "", e["matter"])[:4 if prefixed else 6]
    if prefixed and ("【%s第%d条】" % ("更正" if e.get("corrects") else "续报", prefixed)) not in flat:
        problems.append("entry %d: what it corrects or follows not found" % e["id"])
    if start not in flat:
        problems.append("entry %d: '%s' not found" % (e["id"], start))
    if e.get("phone") and e["phone"] not in text:
        problems.append("entry %d: phone %s not found unbroken" % (e["id"], e["phone"]))
if problems:
    print("\n".join(problems))
    print("---- text ----")
    print(text)
    sys.exit(1)
PY

# The CSV: a header and one row per entry, the phone kept as typed.
python3 - "$T/log.csv" "$T/log.json" <<'PY' || fail "the CSV export"
import csv, io, json, sys
raw = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
rows = list(csv.reader(io.StringIO(raw)))
d = json.load(open(sys.argv[2], encoding="utf-8"))
assert rows[0][:7] == ["编号", "值班日", "时间", "类别", "来电来文方", "电话", "事由"], rows[0]
assert len(rows) == 1 + len(d["entries"]), (len(rows), len(d["entries"]))
for row, e in zip(rows[1:], d["entries"]):
    assert row[0] == str(e["id"]) and row[6] == e["matter"], (row, e)
    if e.get("phone"):
        assert row[5] == '="%s"' % e["phone"], row[5]
carried = [r for r in rows[1:] if r[1] != d["date"]]
assert len(carried) == 1 and carried[0][10] == "是", carried
print("csv ok: %d rows" % (len(rows) - 1))
PY
echo "142-log-print: ok"
