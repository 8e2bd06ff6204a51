#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""No C file of daemon/ or cli/ spells a method or error name of io.dutyd.Duty: they come from the header
generated from the interface definition (duty-names.h, daemon/gen-names.py). Fails naming each
string literal that is a method's bare name, an error's bare name, or holds a full name
("io.dutyd.Duty.Something"). Comments do not count. Checks first that it finds a planted literal.

Usage: names-check.py SRCDIR"""
import os
import re
import sys

srcdir = sys.argv[1]
idl = open(os.path.join(srcdir, 'daemon', 'io.dutyd.Duty.varlink'), encoding='utf-8').read()
names = set()
for line in idl.split('\n'):
    m = re.match(r'\s*(method|error)\s+([A-Z][A-Za-z0-9]*)\s*\(', line.split('#', 1)[0])
    if m:
        names.add(m.group(2))
if len(names) < 10:
    sys.exit('names-check: found only %d names in the interface definition' % len(names))

TOKEN = re.compile(r'''
      (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<char>'(?:\\.|[^'\\\n])*')
    | (?P<string>"(?:\\.|[^"\\\n])*")
''', re.S | re.X)


def stray_literals(text):
    """(line, literal) of every string literal outside comments that names a method or an error."""
    found = []
    for m in TOKEN.finditer(text):
        s = m.group('string')
        if s is None:
            continue
        body = s[1:-1]
        if body in names or re.search(r'io\.dutyd\.Duty\.[A-Za-z]', body):
            found.append((text.count('\n', 0, m.start()) + 1, s))
    return found


# The check must be able to fail: a planted literal is found, one in a comment is not.
planted = ('/* "Status" in a comment is fine */\n'
           'static const char *a = "LeaveRequest";\n'
           'r = varlink_call_error(call, "io.dutyd.Duty.NotFound", NULL);\n'
           'x = "Statuses"; // "Who"\n')
got = stray_literals(planted)
if [line for line, _ in got] != [2, 3]:
    sys.exit('names-check: the scanner is broken, it found %r in the planted text' % got)

bad = []
checked = 0
for sub in ('daemon', 'cli'):
    top = os.path.join(srcdir, sub)
    for name in sorted(os.listdir(top)):
        if not name.endswith(('.c', '.h')):
            continue
        checked += 1
        text = open(os.path.join(top, name), encoding='utf-8').read()
        for line, literal in stray_literals(text):
            bad.append('%s/%s:%d: %s (use its DUTY_METHOD_* or DUTY_ERROR_* macro from duty-names.h)'
                       % (sub, name, line, literal))
# dutyctl's files are looked at too: a cli/ without C files means the path is wrong, not clean.
if checked < 40:
    sys.exit('names-check: only %d C files found under daemon/ and cli/' % checked)

if bad:
    print('\n'.join(bad))
    sys.exit(1)
print('names-check: no method or error name literal in daemon/ or cli/ (%d names, %d files)' % (len(names), checked))
