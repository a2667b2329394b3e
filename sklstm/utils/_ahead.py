"""Names of known-ahead columns: ``<column>_ahead_<k>``, a column k steps later.

:func:`~sklstm.forecasting.make_supervised` with ``future=`` adds, to row t,
the value of a column known ahead (a planned advert, a price, a promotion
flag) at t+1 .. t+h, as the columns ``<column>_ahead_1`` ..
``<column>_ahead_<h>``. The forecast, the log step and the airline model's
regression read those names back here.
"""

import re

__all__ = ["ahead_groups", "ahead_name", "describe_columns", "share_within_groups"]

_AHEAD = re.compile(r"^(?P<base>.+)_ahead_(?P<k>[1-9][0-9]*)$")


def ahead_name(column, k):
    """The name of ``column``'s value ``k`` steps after the row."""
    return f"{column}_ahead_{k}"


def ahead_groups(names, bases=None):
    """``{base: {k: name}}`` of the ``names`` that are ``<base>_ahead_<k>``.

    Only the bases among ``bases`` (default: ``names`` themselves, i.e. a
    column framed with its own ahead-columns) count, in the order of their
    first ahead-column in ``names``; the steps k of each base in order.
    """
    names = [str(name) for name in names]
    bases = set(names if bases is None else map(str, bases))
    groups = {}
    for name in names:
        match = _AHEAD.match(name)
        if match and match["base"] in bases:
            groups.setdefault(match["base"], {})[int(match["k"])] = name
    return {base: dict(sorted(steps.items())) for base, steps in groups.items()}


def share_within_groups(names, decided):
    """``decided`` (a bool per name) shared by each column and its ahead-columns.

    A column and its ``<column>_ahead_<k>`` among ``names`` hold the same
    quantity at other times; they are all True only when all of them are, so
    that they stay in one space (logged, or not).
    """
    decided = list(map(bool, decided))
    position = {str(name): i for i, name in enumerate(names)}
    for base, steps in ahead_groups(names).items():
        members = [position[base], *(position[name] for name in steps.values())]
        together = all(decided[i] for i in members)
        for i in members:
            decided[i] = together
    return decided


def describe_columns(names):
    """``names`` as a list, a column's ahead-columns folded into its entry."""
    names = [str(name) for name in names]
    groups = ahead_groups(names)
    folded = {name for steps in groups.values() for name in steps.values()}
    items = []
    for name in names:
        if name in folded:
            continue
        steps = list(groups.get(name, {}).values())
        if not steps:
            items.append(repr(name))
        elif len(steps) == 1:
            items.append(f"{name!r} (with {steps[0]})")
        else:
            items.append(f"{name!r} (with {steps[0]} .. {steps[-1]})")
    return "[" + ", ".join(items) + "]"
