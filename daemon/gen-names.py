#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the C header of the interface's names from its definition (daemon/io.dutyd.Duty.varlink):
the interface, each method's bare name and each error's full name, so that no C file spells one.

  #define DUTY_INTERFACE          "io.dutyd.Duty"
  #define DUTY_INTERFACE_VERSION  "0.14"    (the newest entry of its change history)
  #define DUTY_METHOD_STATUS      "Status"
  #define DUTY_ERROR_NOT_FOUND    "io.dutyd.Duty.NotFound"
"""
import re
import sys

src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding='utf-8').read()

interface = None
methods, errors = [], []
versions = []
for line in text.split('\n'):
    m = re.match(r'#\s+(\d+)\.(\d+)\s', line)
    if m:
        versions.append((int(m.group(1)), int(m.group(2))))
    line = line.split('#', 1)[0].strip()
    m = re.match(r'interface\s+([A-Za-z][A-Za-z0-9.-]*)\s*$', line)
    if m:
        interface = m.group(1)
        continue
    m = re.match(r'(method|error)\s+([A-Z][A-Za-z0-9]*)\s*\(', line)
    if m:
        (methods if m.group(1) == 'method' else errors).append(m.group(2))

if not interface or not methods:
    sys.exit('%s: no interface or no method found' % src)
if not versions:
    sys.exit('%s: no change history ("#   0.N  …") found' % src)
version = '%d.%d' % max(versions)


def macro(name):
    # RosterGenerate → ROSTER_GENERATE, ListPeople → LIST_PEOPLE
    return re.sub(r'(?<=[a-z0-9])(?=[A-Z])', '_', name).upper()


def define(name, value):
    return '#define %-40s "%s"\n' % (name, value)


with open(out, 'w', encoding='utf-8') as f:
    f.write('/* Generated from %s by gen-names.py. Do not edit. */\n' % src.split('/')[-1])
    f.write('#pragma once\n\n')
    f.write(define('DUTY_INTERFACE', interface))
    f.write('/* The newest version of its change history. */\n')
    f.write(define('DUTY_INTERFACE_VERSION', version))
    f.write('\n/* Methods, by their bare name within the interface. */\n')
    for n in methods:
        f.write(define('DUTY_METHOD_' + macro(n), n))
    f.write('\n/* Errors, by their full name. */\n')
    for n in errors:
        f.write(define('DUTY_ERROR_' + macro(n), interface + '.' + n))
