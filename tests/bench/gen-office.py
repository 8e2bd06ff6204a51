#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes a synthetic office configuration in the format of conf/dutyd.conf.

    gen-office.py N [-o FILE] [--holidays-dir DIR] [--seed S]

N people, 10% of them leaders (at least one), the rest officers. The two posts of the sample office
are kept, with counts that grow with the office the way bench-generate.c's "scaled" table does: each
member serves about once a month, within the configuration's limit of 99 per post and day. Names are
drawn from common surnames and given names with a fixed seed, so the same N gives the same file.
"""

import argparse
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕晓东云飞小婷俊德胜"
POST_COUNT_MAX = 99  # config-parse.c: CONFIG_POST_COUNT_MAX


def post_count(members):
    """People per post and day: about one duty a month for each member."""
    return max(1, min(POST_COUNT_MAX, members // 30))


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def office(n, holidays_dir, seed):
    rng = random.Random(seed)
    leaders = max(1, n // 10)
    officers = n - leaders
    out = []
    w = out.append

    w("# Synthetic office of %d people (%d leaders, %d officers), written by tests/bench/gen-office.py."
      % (n, leaders, officers))
    w('office = %s;' % quote("合成测试办公室(%d人)" % n))
    w('timezone = "Asia/Shanghai";')
    w('handover = "08:30";')
    w('language = "zh";')
    if holidays_dir:
        w("holidays_dir = %s;" % quote(holidays_dir))
    w("")
    w("people = (")
    for i in range(n):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        roles = '"leader"' if i < leaders else '"officer"'
        sep = "," if i + 1 < n else ""
        w('        { id = "p%05d"; name = %s; roles = [ %s ]; }%s' % (i + 1, quote(name), roles, sep))
    w(");")
    w("")
    lc = post_count(leaders)
    oc = post_count(officers)
    w("posts = (")
    w('        { id = "leader_on_call"; name = "带班领导"; role = "leader";')
    w("          count = { workday = %d; weekend = %d; holiday = %d; sensitive = %d; }; }," % (lc, lc, lc, lc))
    w('        { id = "officer_on_duty"; name = "值班员"; role = "officer";')
    w("          count = { workday = %d; weekend = %d; holiday = %d; sensitive = %d; }; }" % (oc, oc, oc, oc))
    w(");")
    w("")
    w("sensitive_periods = (")
    w('        { id = "congress"; name = "代表大会"; from = "2026-09-20"; to = "2026-09-24";')
    w('          extra_officers = 1; leave = "escalate"; }')
    w(");")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of people (1-99999)")
    ap.add_argument("-o", "--output", help="file to write (default: standard output)")
    ap.add_argument("--holidays-dir", help="holidays_dir setting (default: none, i.e. \"holidays\")")
    ap.add_argument("--seed", type=int, default=1, help="seed for the names (default 1)")
    args = ap.parse_args()
    if not 1 <= args.n <= 99999:
        ap.error("n must be between 1 and 99999")

    text = office(args.n, args.holidays_dir, args.seed)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
