"""Small helpers shared by the diagnosis modules: parameter checks, number format."""

import math
from numbers import Integral, Real

import numpy as np


def check_number(
    name, value, *, low=None, high=None, integer=False, closed="both", allow_none=False
):
    """Check a scalar parameter and raise a ValueError that names it.

    ``closed`` says which bounds are inclusive: "both", "left", "right" or
    "neither". Booleans are rejected (``True`` is not a window length).
    """
    if value is None and allow_none:
        return None
    kind = Integral if integer else Real
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if ok and not integer:
        ok = math.isfinite(value)
    if ok and low is not None:
        ok = value >= low if closed in ("both", "left") else value > low
    if ok and high is not None:
        ok = value <= high if closed in ("both", "right") else value < high
    if ok:
        return value
    what = "an int" if integer else "a finite number"
    bounds = []
    if low is not None:
        bounds.append((">= " if closed in ("both", "left") else "> ") + str(low))
    if high is not None:
        bounds.append(("<= " if closed in ("both", "right") else "< ") + str(high))
    rule = what + (" " + " and ".join(bounds) if bounds else "")
    if allow_none:
        rule += " or None"
    raise ValueError(f"{name}={value!r} is invalid: it must be {rule}.")


def fmt(x):
    """Format a number with about three significant digits, without exponent
    for everyday magnitudes: 1118.03 -> '1118', 11.18 -> '11.2', 0.01234 -> '0.0123'.
    """
    if isinstance(x, (Integral, np.integer)):
        return str(int(x))
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude >= 6 or magnitude < -3:
        return f"{x:.3g}"
    digits = max(0, 2 - magnitude)
    text = f"{round(x, digits):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def pct(fraction):
    """Format a fraction as a percentage with one decimal: 0.0312 -> '3.1%'."""
    return f"{100 * float(fraction):.1f}%"
