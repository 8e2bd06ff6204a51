# SPDX-License-Identifier: GPL-2.0-or-later
"""What the integration scripts that open many connections to dutyd share.

Scripts run as another uid get a copy of this file beside them (cp it with the script).
"""
import select
import socket


def connect(path, timeout=2.0):
    """A non-blocking connection to the Unix socket at path, or None when it cannot be made."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
    except OSError:
        s.close()
        return None
    s.setblocking(False)
    return s


def hung_up(s, peek=False):
    """Whether the other end closed s (EOF or reset). With peek, what is waiting stays unread."""
    r, _, _ = select.select([s], [], [], 0)
    if not r:
        return False
    try:
        if peek:
            return s.recv(1, socket.MSG_PEEK) == b""
        return s.recv(4096) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
