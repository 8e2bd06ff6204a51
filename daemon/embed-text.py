#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Embeds a text file (the Varlink interface definition) as a C string constant."""
import sys

src, out, symbol = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, 'rb').read()
with open(out, 'w') as f:
    f.write('/* Generated from %s. Do not edit. */\n' % src.split('/')[-1])
    f.write('const char %s[] =\n' % symbol)
    lines = data.split(b'\n')
    for i, line in enumerate(lines):
        esc = ''.join('\\%03o' % b if b < 0x20 or b >= 0x7f or b in b'"\\?' else chr(b) for b in line)
        # The text is reproduced byte for byte: no newline after the last line unless the file had one.
        nl = '\\n' if i < len(lines) - 1 else ''
        f.write('        "%s%s"\n' % (esc, nl))
    f.write(';\n')
