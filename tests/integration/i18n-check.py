#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks of dutyctl's translated interface, for 060-i18n.sh.

  chinese TEXT [JSON…]       once the data (the strings of the JSON replies with Chinese or digits
                             in them: names, places, dates, phones) is removed, a line that still
                             has words has Chinese words: nothing of the interface is left English
  english TEXT [JSON…]       no Chinese is left once the data is removed, except the Chinese terms
                             English texts give in parentheses, e.g. "(重要敏感时期)"
  aligned TEXT SKIP          the table after the first SKIP lines: every cell starts at the display
                             column (East Asian Wide and Fullwidth characters take two) of its
                             column's header
  aligned-last TEXT SKIP     after the first SKIP lines, the last cell of every line starts at the
                             same display column (help texts beside options)
  pairs TEXT                 a key/value list: the ": " after every key at the same display column
  msgids POT                 every msgid is English: no Chinese outside parentheses
"""
import json
import re
import sys
import unicodedata

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
PARENTHESES = re.compile(r"\([^()]*\)")


# Members whose values are identifiers of the configuration (ASCII, shown as they are).
ID_KEYS = {"id", "person", "user", "requester", "counterpart", "actor", "approver", "acting",
           "decided_by", "approved_by", "post", "office", "timezone", "config_path", "database"}


def data_strings(paths, chinese_or_digits):
    """The strings of the JSON documents (if chinese_or_digits, only those with Chinese or digits
    and identifiers), longest first."""
    found = set()

    def walk(v, key=None):
        if isinstance(v, str):
            if v and (not chinese_or_digits or CJK.search(v) or re.search(r"[0-9]", v) or key in ID_KEYS):
                found.add(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)

    for p in paths:
        walk(json.load(open(p, encoding="utf-8")))
    return sorted(found, key=len, reverse=True)


def without_data(text, data):
    for s in data:
        text = text.replace(s, "\0")
    return text


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else
               0 if unicodedata.combining(c) else 1 for c in s)


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def syntax_line(line):
    """A line that only shows how a command is typed, e.g. a verb whose synopsis is too wide to be
    followed by its help on the same line: "roster generate --from DATE --to DATE [--dry-run]"."""
    rest = line
    while True:
        stripped = re.sub(r"\[[^\[\]]*\]", " ", rest)
        if stripped == rest:
            break
        rest = stripped
    rest = re.sub(r"(?<!\S)(--?[a-z][a-z-]*|[A-Z][A-Z_-]*|\|)(?!\S)", " ", rest)
    return re.fullmatch(r"\s*[a-z][a-z-]*( [a-z][a-z-]*)?\s*", rest) is not None


def check_chinese(text, data):
    lines = [l for l in text.split("\n") if l.strip()]
    if not lines:
        fail("no output")
    for line in lines:
        rest = without_data(line, data)
        # Option names, formats and placeholders stay as they are typed: --from, YYYY-MM-DD, json.
        if re.search(r"[A-Za-z]{2,}", rest) and not CJK.search(rest) and not syntax_line(rest):
            fail("a line of the interface left in English: %r" % line)


def check_english(text, data):
    lines = [l for l in text.split("\n") if l.strip()]
    if not lines:
        fail("no output")
    for line in lines:
        rest = PARENTHESES.sub("", without_data(line, data))
        if CJK.search(rest):
            fail("Chinese in the English interface: %r" % line)


def cells(line):
    """(display column, text) of the cells of a line: runs separated by two spaces or more."""
    out = []
    for m in re.finditer(r"\S+(?: \S+)*", line):
        out.append((width(line[:m.start()]), m.group(0)))
    return out


def check_aligned(text, skip):
    lines = [l for l in text.split("\n") if l]
    lines = lines[skip:]
    if len(lines) < 2:
        fail("no table")
    header = cells(lines[0])
    starts = [c for c, _ in header]
    if len(starts) < 2:
        fail("the header has fewer than two columns: %r" % lines[0])
    for line in lines[1:]:
        if line != line.rstrip():
            fail("trailing blanks: %r" % line)
        row = cells(line)
        columns = [c for c, _ in row]
        # Every cell starts where a header does, in order; an empty cell leaves its column out.
        if not set(columns) <= set(starts) or columns != sorted(columns):
            fail("misaligned row (cells at %s, columns at %s):\n%s\n%s" % (columns, starts, lines[0], line))
        if columns[0] != starts[0]:
            fail("the first cell does not start where the header does: %r" % line)
    return len(lines) - 1


def check_aligned_last(text, skip):
    lines = [l for l in text.split("\n") if l][skip:]
    if len(lines) < 2:
        fail("no table")
    columns = set()
    for line in lines:
        if line != line.rstrip():
            fail("trailing blanks: %r" % line)
        row = cells(line)
        if len(row) < 2:
            fail("a line with one cell: %r" % line)
        columns.add(row[-1][0])
    if len(columns) != 1:
        fail("the last cells start at columns %s:\n%s" % (sorted(columns), "\n".join(lines)))


def check_pairs(text):
    lines = [l for l in text.split("\n") if l]
    if len(lines) < 2:
        fail("no list")
    columns = {width(l[:l.index(": ")]) if ": " in l else None for l in lines}
    if len(columns) != 1 or None in columns:
        fail("the keys are not aligned:\n" + "\n".join(lines))


def check_msgids(pot):
    text = open(pot, encoding="utf-8").read()
    bad = []
    for entry in text.split("\n\n"):
        parts = re.findall(r'^msgid(?:_plural)? ((?:".*"\n?)+)', entry, re.M)
        for p in parts:
            msgid = "".join(re.findall(r'"(.*)"', p))
            if CJK.search(PARENTHESES.sub("", msgid)):
                bad.append(msgid)
    if bad:
        fail("msgids that are not English (English is the language of the sources):\n  " + "\n  ".join(bad))


def main():
    what = sys.argv[1]
    if what == "chinese":
        check_chinese(open(sys.argv[2], encoding="utf-8").read(), data_strings(sys.argv[3:], True))
    elif what == "english":
        check_english(open(sys.argv[2], encoding="utf-8").read(), data_strings(sys.argv[3:], False))
    elif what == "aligned":
        print(check_aligned(open(sys.argv[2], encoding="utf-8").read(), int(sys.argv[3])))
    elif what == "aligned-last":
        check_aligned_last(open(sys.argv[2], encoding="utf-8").read(), int(sys.argv[3]))
    elif what == "pairs":
        check_pairs(open(sys.argv[2], encoding="utf-8").read())
    elif what == "msgids":
        check_msgids(sys.argv[2])
    else:
        fail("unknown check " + what)


if __name__ == "__main__":
    main()
