#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Usage: adapt-conf.sh INPUT HOLIDAYS_DIR SOCKET_GROUP
# Prints conf/dutyd.conf as installed: the holiday notices are in HOLIDAYS_DIR (the source tree keeps
# them in conf/holidays.d) and the socket group is the one that sysusers.d/dutyd.conf creates. Fails
# if a setting to replace is missing, so a reworded sample cannot ship pointing at the wrong place.
set -eu

input=$1
holidays_dir=$2
socket_group=$3

grep -q '^holidays_dir = ' "$input" || { echo "$0: no holidays_dir line in $input" >&2; exit 1; }
grep -q '^#\?socket_group = ' "$input" || { echo "$0: no socket_group line in $input" >&2; exit 1; }

sed -e "s|^holidays_dir = .*|holidays_dir = \"$holidays_dir\";|" \
    -e "s|^#\?socket_group = .*|socket_group = \"$socket_group\";|" \
    "$input"
