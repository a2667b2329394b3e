"""The result objects of a diagnosis: :class:`Finding` and :class:`Diagnosis`."""

import textwrap
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SEVERITIES = ("error", "warning", "info")
_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    """One problem found in the data or in a training run, with its fix.

    Parameters
    ----------
    name : str
        Stable identifier of the kind of problem, e.g. ``"feature_scale_mismatch"``.
        :func:`~sklstm.diagnose.diagnose` lists every identifier in its Notes.
    severity : {"error", "warning", "info"}
        "error": the model cannot train well as set up (NaN in the data, a
        diverged loss, no validation sample). "warning": a likely cause of
        inaccurate forecasts. "info": worth knowing, costs speed or is handled.
    message : str
        What was found, with the numbers that show it.
    fix : str
        The recommended remedy, as concrete sklstm / scikit-learn settings.
    column : str or None, default=None
        The data column the finding is about, if any.
    evidence : dict, default={}
        The numbers behind ``message``, by name (e.g. ``{"ratio": 100.0}``).
    epoch : int or None, default=None
        The (1-based) training epoch the finding points at, if any; marked by
        :meth:`Diagnosis.plot`.

    See Also
    --------
    Diagnosis : The collection of findings returned by the diagnose functions.

    Examples
    --------
    >>> from sklstm.diagnose import Finding
    >>> f = Finding("constant_column", "warning", "column 'c' is constant (0.0)",
    ...             "drop column 'c'", column="c", evidence={"value": 0.0})
    >>> f.name, f.severity, f.column
    ('constant_column', 'warning', 'c')
    """

    name: str
    severity: str
    message: str
    fix: str
    column: str | None = None
    evidence: dict = field(default_factory=dict, compare=False, hash=False)
    epoch: int | None = None

    def __post_init__(self):
        if self.severity not in _RANK:
            raise ValueError(
                f"severity={self.severity!r} is invalid: it must be one of "
                f"{', '.join(map(repr, SEVERITIES))}."
            )

    def to_text(self, width=88):
        """Render the finding as an indented paragraph.

        Parameters
        ----------
        width : int, default=88
            Maximum line width.

        Returns
        -------
        text : str
            ``[severity] name (column)`` followed by the message and the fix.

        Examples
        --------
        >>> from sklstm.diagnose import Finding
        >>> print(Finding("x", "info", "found x", "do y").to_text())
        [info] x
            found x
            fix: do y
        """
        head = f"[{self.severity}] {self.name}"
        if self.column is not None:
            head += f" ({self.column})"
        indent = " " * 4
        body = textwrap.fill(
            self.message, width, initial_indent=indent, subsequent_indent=indent
        )
        fix = textwrap.fill(
            "fix: " + self.fix,
            width,
            initial_indent=indent,
            subsequent_indent=indent + "     ",
        )
        return "\n".join([head, body, fix])


class Diagnosis:
    """The findings of a diagnosis: iterable, sized, printable, tabular, plottable.

    Returned by :func:`~sklstm.diagnose.diagnose_data`,
    :func:`~sklstm.diagnose.diagnose_training` and
    :func:`~sklstm.diagnose.diagnose`; not usually built by hand.

    Parameters
    ----------
    findings : iterable of Finding
        The findings; kept sorted by severity (errors first), then in the order
        the checks ran.
    context : dict, default=None
        What was diagnosed (rows, columns, window, estimator, ...), shown in the
        report's header.
    history : dict of str to list of float, default=None
        The training history (``"loss"``, ``"val_loss"``) for :meth:`plot`.
    kept_epoch : int, default=None
        The (1-based) epoch whose weights the model kept.
    baselines : dict of str to float, default=None
        Losses of trivial forecasts in training units (``"train"``,
        ``"validation"``), drawn as reference lines by :meth:`plot`.
    series : pandas.Series, default=None
        The target series, drawn by :meth:`plot` when there is no history.
    n_validation : int, default=0
        Number of rows at the end of ``series`` that form the validation part.

    Attributes
    ----------
    findings : tuple of Finding
        The findings, errors first.
    context : dict
        What was diagnosed.
    history : dict or None
        The training history, if a training run was diagnosed.
    kept_epoch : int or None
        The epoch whose weights the model kept.
    baselines : dict
        Trivial-forecast losses in training units.
    series : pandas.Series or None
        The target series, if data was diagnosed.
    n_validation : int
        Rows of ``series`` in the validation part.

    See Also
    --------
    Finding : One finding.

    Examples
    --------
    >>> from sklstm.diagnose import Diagnosis, Finding
    >>> d = Diagnosis([Finding("b", "info", "b seen", "nothing"),
    ...                Finding("a", "error", "a seen", "fix a")])
    >>> len(d), d.names
    (2, ['a', 'b'])
    >>> "a" in d, d["b"].severity
    (True, 'info')
    >>> d.to_frame()[["name", "severity"]]
      name severity
    0    a    error
    1    b     info
    """

    def __init__(
        self,
        findings=(),
        *,
        context=None,
        history=None,
        kept_epoch=None,
        baselines=None,
        series=None,
        n_validation=0,
    ):
        findings = list(findings)
        for f in findings:
            if not isinstance(f, Finding):
                raise ValueError(
                    f"findings must hold Finding objects; got {type(f).__name__}."
                )
        order = sorted(
            range(len(findings)), key=lambda i: (_RANK[findings[i].severity], i)
        )
        self.findings = tuple(findings[i] for i in order)
        self.context = dict(context or {})
        self.history = history
        self.kept_epoch = kept_epoch
        self.baselines = dict(baselines or {})
        self.series = series
        self.n_validation = n_validation

    # ---- container protocol ----
    def __iter__(self):
        return iter(self.findings)

    def __len__(self):
        return len(self.findings)

    def __contains__(self, name):
        return any(f.name == name for f in self.findings)

    def __getitem__(self, key):
        """The i-th finding (int) or the first finding with that name (str)."""
        if isinstance(key, str):
            for f in self.findings:
                if f.name == key:
                    return f
            raise KeyError(f"no finding named {key!r}; found: {self.names}")
        return self.findings[key]

    @property
    def names(self):
        """Names of the findings in report order (a name repeats per column)."""
        return [f.name for f in self.findings]

    def count(self, severity):
        """Number of findings of one severity.

        Parameters
        ----------
        severity : {"error", "warning", "info"}
            The severity to count.

        Returns
        -------
        n : int
            How many findings have that severity.

        Examples
        --------
        >>> from sklstm.diagnose import Diagnosis, Finding
        >>> Diagnosis([Finding("a", "error", "m", "f")]).count("error")
        1
        """
        if severity not in _RANK:
            raise ValueError(
                f"severity={severity!r} is invalid: it must be one of "
                f"{', '.join(map(repr, SEVERITIES))}."
            )
        return sum(f.severity == severity for f in self.findings)

    # ---- renderings ----
    def summary(self):
        """One line: how many findings of each severity.

        Returns
        -------
        line : str
            E.g. ``"1 error, 2 warnings, 0 info"``.

        Examples
        --------
        >>> from sklstm.diagnose import Diagnosis
        >>> Diagnosis([]).summary()
        '0 errors, 0 warnings, 0 info'
        """
        e, w, i = (self.count(s) for s in SEVERITIES)
        return (
            f"{e} error{'' if e == 1 else 's'}, "
            f"{w} warning{'' if w == 1 else 's'}, {i} info"
        )

    def to_frame(self):
        """The findings as a DataFrame, one row per finding.

        Returns
        -------
        frame : pandas.DataFrame
            Columns ``name``, ``severity``, ``column``, ``message``, ``fix``,
            ``epoch`` and ``evidence`` (a dict per row).

        Examples
        --------
        >>> from sklstm.diagnose import Diagnosis
        >>> list(Diagnosis([]).to_frame().columns)
        ['name', 'severity', 'column', 'message', 'fix', 'epoch', 'evidence']
        """
        columns = ["name", "severity", "column", "message", "fix", "epoch", "evidence"]
        rows = [
            [f.name, f.severity, f.column, f.message, f.fix, f.epoch, dict(f.evidence)]
            for f in self.findings
        ]
        frame = pd.DataFrame(rows, columns=columns)
        frame["epoch"] = frame["epoch"].astype("Int64")
        return frame

    def to_text(self, width=88):
        """A readable report: a header, then one paragraph per finding.

        Parameters
        ----------
        width : int, default=88
            Maximum line width.

        Returns
        -------
        text : str
            The report.

        Examples
        --------
        >>> from sklstm.diagnose import Diagnosis
        >>> print(Diagnosis([], context={"data": "10 rows"}).to_text())
        sklstm diagnosis: 0 errors, 0 warnings, 0 info
        data: 10 rows
        No problems found.
        """
        lines = [f"sklstm diagnosis: {self.summary()}"]
        for key, value in self.context.items():
            lines.extend(
                textwrap.wrap(f"{key}: {value}", width, subsequent_indent="    ")
            )
        if not self.findings:
            lines.append("No problems found.")
        for f in self.findings:
            lines.append("")
            lines.append(f.to_text(width))
        return "\n".join(lines)

    def __str__(self):
        return self.to_text()

    def __repr__(self):
        names = ", ".join(self.names) or "no findings"
        return f"<Diagnosis: {self.summary()}: {names}>"

    # ---- figure ----
    def plot(self, ax=None):
        """Draw the learning curves with the findings marked, or the target series.

        With a training history: training and validation loss per epoch, the
        losses of the trivial forecasts as dashed lines, the kept epoch and each
        finding's epoch as vertical lines; a log scale when the losses span more
        than a factor 20. Without one: the target series, its validation part
        shaded, missing values and outliers marked. matplotlib is imported only
        here.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure is made if None.

        Returns
        -------
        ax : matplotlib.axes.Axes
            The axes drawn on (``ax.figure`` is the figure).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklstm.diagnose import Diagnosis
        >>> d = Diagnosis([], history={"loss": [1.0, 0.5, 0.4],
        ...                            "val_loss": [1.1, 0.7, 0.8]})
        >>> ax = d.plot()
        >>> [line.get_label() for line in ax.get_lines()][:2]
        ['loss', 'val_loss']
        """
        if self.history is None and self.series is None:
            raise ValueError(
                "Nothing to plot: this Diagnosis has neither a training history "
                "nor a target series."
            )
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(8, 4.5))
        if self.history is not None:
            self._plot_history(ax)
        else:
            self._plot_series(ax)
        return ax

    def _plot_history(self, ax):
        history = self.history
        for key, style in (("loss", "-"), ("val_loss", "-")):
            values = np.asarray(history.get(key, []), dtype=float)
            if values.size:
                ax.plot(np.arange(1, values.size + 1), values, style, label=key)
        colors = {"train": "C0", "validation": "C1"}
        for part, value in self.baselines.items():
            if value is not None and np.isfinite(value):
                ax.axhline(
                    value,
                    ls="--",
                    lw=1,
                    color=colors.get(part, "grey"),
                    label=f"trivial forecast ({part})",
                )
        if self.kept_epoch is not None:
            ax.axvline(
                self.kept_epoch,
                color="k",
                lw=1,
                ls=":",
                label=f"kept epoch {self.kept_epoch}",
            )
        marked = [f for f in self.findings if f.epoch is not None]
        for i, f in enumerate(marked):
            color = (
                "C3"
                if f.severity == "error"
                else "C2"
                if f.severity == "info"
                else "C4"
            )
            ax.axvline(f.epoch, color=color, lw=1.5, alpha=0.7)
            ax.annotate(
                f.name,
                xy=(f.epoch, 1 - 0.07 * (i + 1)),
                xycoords=("data", "axes fraction"),
                rotation=0,
                fontsize=8,
                color=color,
            )
        losses = [v for k in ("loss", "val_loss") for v in history.get(k, [])]
        finite = np.asarray(losses, dtype=float)
        finite = finite[np.isfinite(finite)]
        if finite.size and finite.min() > 0 and finite.max() / finite.min() > 20:
            ax.set_yscale("log")  # only when the losses span decades
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss (training units)")
        title = ", ".join(f.name for f in self.findings if f.epoch is not None)
        ax.set_title("Learning curves" + (f": {title}" if title else ""))
        ax.legend(fontsize=8)

    def _plot_series(self, ax):
        s = self.series
        x = np.arange(len(s)) if not isinstance(s.index, pd.DatetimeIndex) else s.index
        ax.plot(x, s.to_numpy(dtype=float), lw=1, label=str(s.name))
        if self.n_validation:
            ax.axvspan(
                x[len(s) - self.n_validation],
                x[len(s) - 1],
                color="C1",
                alpha=0.15,
                label="validation part",
            )
        values = s.to_numpy(dtype=float)
        missing = ~np.isfinite(values)
        if missing.any():
            ax.plot(
                np.asarray(x)[missing],
                np.full(missing.sum(), np.nanmin(values) if (~missing).any() else 0),
                "|",
                color="C3",
                ms=10,
                label="missing",
            )
        for f in self.findings:
            if f.name == "outliers" and f.column == s.name:
                rows = (values < f.evidence["lower"]) | (values > f.evidence["upper"])
                ax.plot(
                    np.asarray(x)[rows],
                    values[rows],
                    "o",
                    color="C3",
                    mfc="none",
                    label="outlier",
                )
        ax.set_title(
            f"{s.name}: " + (", ".join(dict.fromkeys(self.names)) or "no findings")
        )
        ax.legend(fontsize=8)
