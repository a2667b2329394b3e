"""The figure of ``sklstm demo``: the accuracy ladder and the forecasts."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Band:
    """The recipe's prediction intervals over the test part, for the figure."""

    lower: np.ndarray
    upper: np.ndarray
    nominal: float  # the coverage asked for
    coverage: float  # the share of the test values inside, measured


def plot(series, forecasts, steps, table, path, band, *, rungs, lines):
    """Draw the ladder and the forecasts side by side; save to ``path``.

    ``rungs`` names the ladder's bars; ``lines`` maps the forecasts drawn
    over the test part to their legend labels.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_ladder, ax_series) = plt.subplots(
        1, 2, figsize=(13, 4.8), width_ratios=[1, 2], constrained_layout=True
    )
    _plot_ladder(ax_ladder, steps, table, rungs)
    _plot_forecasts(ax_series, series, forecasts, band, lines)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_ladder(ax, steps, table, rungs):
    """The MASE of each rung, with the naive forecasts' as vertical lines."""
    labels = [f"{i}. {short}" for i, short in enumerate(rungs)]
    values = [s["MASE"] for s in steps]
    ax.barh(labels[::-1], values[::-1], color="tab:blue")
    for name, style in [("naive forecast", ":")] + [
        (n, "--") for n in table.index if n.startswith("seasonal naive")
    ]:
        mase = table.loc[name, "MASE"] if name in table.index else None
        if mase is not None:
            ax.axvline(mase, color="grey", ls=style, lw=1, label=name)
    ax.set_xlabel("MASE on the test part (lower is better)")
    ax.set_title("The accuracy ladder")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), fontsize=7)


def _plot_forecasts(ax, series, forecasts, band, lines):
    """The whole series, the test part's forecasts of the first and last rung,
    and the recipe's prediction interval as a band."""
    info = series.info
    target = series.frame[info.target]
    split = target.index[len(target) - info.n_test]
    # y_test row i is the value at label n_train + i (its origin is one earlier)
    when = target.index[len(target) - info.n_test :]
    ax.plot(target.index, target.to_numpy(), color="black", lw=1, label="actual")
    styles = [dict(color="tab:red", lw=1), dict(color="tab:blue", lw=1.5)]
    for (name, label), style in zip(lines.items(), styles, strict=True):
        ax.plot(when, forecasts[name], label=label, **style)
    ax.fill_between(
        when,
        band.lower,
        band.upper,
        color="tab:blue",
        alpha=0.3,
        lw=0,
        label=f"recipe's {band.nominal:.0%} interval (conformal): "
        f"{band.coverage:.0%} of the test values inside",
    )
    ax.axvline(split, color="grey", ls=":", lw=1)
    ax.text(split, ax.get_ylim()[1], " test part ->", va="top", fontsize=8)
    ax.text(
        split, ax.get_ylim()[1], "<- training part ", va="top", ha="right", fontsize=8
    )
    ax.set_xlabel(target.index.name or "time")
    ax.set_ylabel(info.target)
    ax.set_title(f"{info.name}: one-step-ahead forecasts of the test part")
    ax.legend(loc="upper left")
