# SPDX-License-Identifier: GPL-2.0-or-later
"""What the Python benchmarks share: how a duration is printed and which sample is a quantile."""


def fmt(sec):
    usec = sec * 1e6
    if abs(usec) < 1000:
        return f"{usec:.1f} µs"
    if abs(usec) < 1e6:
        return f"{usec / 1000:.2f} ms"
    return f"{sec:.2f} s"


def quantile(values, q):
    """The nearest-rank quantile q (0 < q <= 1) of values."""
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(-(-q * len(v) // 1)) - 1))
    return v[k]
