"""``sklstm forecast --report``: one self-contained HTML page of what happened.

No server and no network: the styles are inline and the figures are PNG
images embedded as base64. Sections: the data (gaps and outliers marked),
the diagnosis, the backtest table, the chosen settings, the backtest
forecasts against the actual values, the future forecast, and the fit log.
"""

import base64
import html
import io

import numpy as np
import pandas as pd

from sklstm.cli.forecast._backtest import RECIPE

__all__ = ["SECTIONS", "build_report", "outliers"]

#: The report's sections: (id, title), in order.
SECTIONS = [
    ("data", "The data"),
    ("diagnosis", "The diagnosis"),
    ("backtest", "The backtest: the tuned recipe against the baselines"),
    ("settings", "The chosen model and its settings"),
    ("backtest-forecasts", "Backtest forecasts against the actual values"),
    ("forecast", "The forecast"),
    ("log", "The fit log"),
]

_STYLE = """
body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222;
line-height:1.4;padding:0 1em}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;margin-top:1.8em}
table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.win{background:#e6f4e6;font-weight:bold}
.error{color:#b00020}.warning{color:#b36b00}.info{color:#555}
.verdict{font-size:1.1em;padding:.5em;border-left:4px solid #4a4;background:#f4faf4}
.verdict.baseline{border-color:#c80;background:#fdf6ec}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.85em}
img{max-width:100%}
"""


def outliers(values, factor=3.0):
    """Where ``values`` lie beyond the quartiles by ``factor`` IQR (the diagnosis')."""
    known = values[~np.isnan(values)]
    if known.size < 4:
        return np.zeros(values.shape, bool)
    q1, q3 = np.percentile(known, [25, 75])
    low, high = q1 - factor * (q3 - q1), q3 + factor * (q3 - q1)
    with np.errstate(invalid="ignore"):
        return (values < low) | (values > high)


def build_report(*, data, diagnosis, result, winner, final, future, log, known=None):
    """The report as one HTML string; ``known``: the columns known ahead."""
    parts = {
        "data": _data_section(data, result),
        "diagnosis": _diagnosis_section(diagnosis),
        "backtest": _backtest_section(result, winner),
        "settings": _settings_section(data, result, winner),
        "backtest-forecasts": _forecasts_section(data, result, winner),
        "forecast": _future_section(data, result, future, winner),
        "log": f"<pre>{html.escape(log)}</pre>",
    }
    body = "".join(
        f'<section id="{key}"><h2>{title}</h2>{parts[key]}</section>'
        for key, title in SECTIONS
    )
    title = f"sklstm forecast: {data.target} in {data.path}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{_summary(data, result, winner, future)}"
        f"{_known_ahead(known)}"
        f"{body}</body></html>\n"
    )


def _summary(data, result, winner, future):
    said = (
        "the tuned sklstm recipe won the backtest"
        if winner == RECIPE
        else f"a baseline, {winner}, won the backtest (the LSTM recipe did not)"
    )
    return (
        f"<p>The next {len(future)} values of <b>{html.escape(data.target)}</b> "
        f"were forecast by <b>{html.escape(winner)}</b>: {html.escape(said)} with "
        f"MASE {result.table.loc[winner, 'MASE']:.4f} on the last "
        f"{result.n_test} rows of the file.</p>"
    )


def _known_ahead(known):
    """Which columns the backtest and the forecast took as known ahead."""
    from sklstm.cli.forecast._future import describe

    text = describe(known)
    text = text[0].upper() + text[1:]
    return (
        f"<p>{html.escape(text)}. Every model of the backtest, the refit and the "
        "forecast were framed alike: each row holds the values of these columns "
        "at the steps it forecasts.</p>"
        if known is not None
        else f"<p>{html.escape(text)}.</p>"
    )


def when(label):
    """A time label as text: the date alone when it has no time of day."""
    if isinstance(label, pd.Timestamp) and label == label.normalize():
        return f"{label:%Y-%m-%d}"
    return str(label)


def _png(fig):
    """The figure as an embedded PNG."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{encoded}">'


def _figure(height=3.6):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(11, height), constrained_layout=True)


def _table(frame, *, win=None, digits=4):
    """A DataFrame as an HTML table; the row ``win`` highlighted."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for name, row in frame.iterrows():
        cells = "".join(_cell(v, digits) for v in row)
        attr = ' class="win"' if name == win else ""
        rows.append(f"<tr{attr}><th>{html.escape(str(name))}</th>{cells}</tr>")
    label = html.escape(str(frame.index.name or ""))
    return f"<table><tr><th>{label}</th>{head}</tr>{''.join(rows)}</table>"


def _cell(value, digits):
    if isinstance(value, float | np.floating):
        text = "" if np.isnan(value) else f"{value:.{digits}g}"
        return f'<td class="n">{text}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def _data_section(data, result):
    raw = data.raw[data.target].to_numpy(float)
    filled = data.frame[data.target]
    gaps, far = np.isnan(raw), outliers(raw)
    fig, ax = _figure()
    ax.plot(filled.index, filled.to_numpy(), color="black", lw=1, label=data.target)
    if gaps.any():
        ax.plot(
            filled.index[gaps],
            filled.to_numpy()[gaps],
            "x",
            color="tab:orange",
            label=f"gap, interpolated ({int(gaps.sum())})",
        )
    if far.any():
        ax.plot(
            filled.index[far],
            raw[far],
            "o",
            mfc="none",
            color="tab:red",
            ms=9,
            label=f"outlier, beyond the quartiles ± 3 IQR ({int(far.sum())})",
        )
    split = filled.index[len(filled) - result.n_test]
    ax.axvspan(
        split,
        filled.index[-1],
        color="tab:blue",
        alpha=0.08,
        label=f"backtest test part ({result.n_test} rows)",
    )
    ax.set_ylabel(data.target)
    ax.legend(loc="upper left", fontsize=8)
    inputs = [c for c in data.frame.columns if c != data.target]
    inserted = f", {data.n_inserted} of them missing timestamps" * bool(data.n_inserted)
    dropped = "; left out (not numeric): " + ", ".join(data.dropped)
    text = (
        f"<p>{len(data.frame)} rows, step {html.escape(str(data.freq or 'one row'))}"
        f", from {when(data.frame.index[0])} to {when(data.frame.index[-1])}; "
        f"{int(gaps.sum())} gaps in the target (interpolated linearly"
        f"{inserted}"
        f"), {int(far.sum())} outliers marked. Inputs besides the target: "
        f"{html.escape(', '.join(inputs) or 'none')}"
        f"{html.escape(dropped) if data.dropped else ''}"
        ".</p>"
    )
    return text + _png(fig)


def _diagnosis_section(diagnosis):
    rows = "".join(
        f'<tr><td class="{f.severity}">{f.severity}</td><td>{html.escape(f.name)}'
        f"</td><td>{html.escape(f.column or '')}</td><td>{html.escape(f.message)}"
        f"</td><td>{html.escape(f.fix)}</td></tr>"
        for f in diagnosis
    )
    return (
        f"<p>{html.escape(diagnosis.summary())}. The recipe applies these fixes "
        "itself (imputation, clipping, scaling, differences, windows).</p>"
        "<table><tr><th>severity</th><th>finding</th><th>column</th>"
        f"<th>what</th><th>fix</th></tr>{rows}</table>"
    )


def _backtest_section(result, winner):
    table = result.table.copy()
    table["fit_seconds"] = table["fit_seconds"].round(1)
    keep = ["MASE", "MAE", "RMSE", "MAPE", "coverage", "width", "MSIS", "fit_seconds"]
    table = table[[c for c in keep if c in table.columns]]
    table = table.rename(columns={"fit_seconds": "fit seconds"})
    table.index.name = "model"
    verdict = (
        f"The tuned sklstm recipe wins (MASE {table.loc[winner, 'MASE']:.4f})."
        if winner == RECIPE
        else f"A baseline wins: {winner} (MASE {table.loc[winner, 'MASE']:.4f}) "
        f"beats the tuned sklstm recipe ({table.loc[RECIPE, 'MASE']:.4f}). "
        "The forecast is made with it."
    )
    kind = "verdict" if winner == RECIPE else "verdict baseline"
    h = result.horizon
    return (
        f"<p>The accuracy protocol: every model fitted once on the first rows "
        f"(the recipe tuned by time-ordered cross-validation inside them), then "
        f"{h} step{'s' if h > 1 else ''} ahead from every origin of the last "
        f"{result.n_test} rows with the true history. MASE: the error over the "
        f"in-sample seasonal naive (m={result.m}) error; lower is better. MAPE is "
        "a fraction.</p>"
        f'<p class="{kind}">{html.escape(verdict)}</p>'
        f"{_table(table, win=winner, digits=6)}"
    )


def _settings_section(data, result, winner):
    search = result.search
    scores = search.baseline_scores_ or {}
    chosen = {k.split("__")[-1]: v for k, v in search.best_params_.items()}
    rows = {
        "forecast made with": winner,
        "refit": "the chosen settings fitted again on every row of the file "
        "(not tuned again)",
        "recipe: baseline it corrects": min(scores, key=scores.get) if scores else "",
        "recipe: chosen grid values": ", ".join(f"{k}={v}" for k, v in chosen.items()),
        "recipe: candidates tried": str(len(search.cv_results_["params"])),
        "recipe: share of the LSTM's correction": _shrinkage(chosen["shrinkage"]),
        "horizon, m, test rows": f"{result.horizon}, {result.m}, {result.n_test}",
        "intervals": "none"
        if result.coverage is None
        else f"{result.coverage:g} coverage, split conformal on time-ordered folds",
    }
    if winner != RECIPE:
        model = result.fitted[winner]
        inner = model if result.coverage is None else model.estimator_
        rows["baseline's parameters"] = repr(inner)  # not ConformalForecaster's
    body = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in rows.items()
    )
    return f"<table>{body}</table>"


def _shrinkage(value):
    if value == 0:
        return (
            "0: the LSTM added nothing in validation; the recipe predicts its "
            "baseline alone"
        )
    return f"{value:g} (chosen in validation)"


def _forecasts_section(data, result, winner):
    h = result.horizon
    steps = sorted({1, h})
    target = data.frame[data.target]
    fig, axes = _figure(3.2 * len(steps))
    axes = np.atleast_1d(axes) if len(steps) == 1 else _split_axes(fig, axes, steps)
    for ax, step in zip(axes, steps, strict=True):
        _plot_step(ax, target, result, winner, step)
    return (
        f"<p>Each forecast of the test part drawn at the time it forecasts, "
        f"{' and '.join(f'{s} step{chr(115) if s > 1 else chr(32)}' for s in steps)}"
        f" ahead, against the actual values.</p>" + _png(fig)
    )


def _split_axes(fig, ax, steps):
    ax.remove()
    return fig.subplots(len(steps), 1)


def _plot_step(ax, target, result, winner, step):
    """The test forecasts ``step`` ahead, placed at the time they forecast."""
    rows = target.index.get_indexer(result.X_test.index) + step
    keep = rows < len(target)
    keep[: result.horizon - 1] = False  # the bridge rows are not scored
    when = target.index[rows[keep]]
    start = max(0, len(target) - result.n_test - result.n_test // 2)
    ax.plot(
        target.index[start:],
        target.to_numpy()[start:],
        color="black",
        lw=1,
        label="actual",
    )
    names = [winner] if winner == RECIPE else [RECIPE, winner]  # the winner on top
    colors = {winner: "tab:blue", RECIPE: "tab:red"}
    for name in names:
        color = colors[name]
        ax.plot(
            when,
            result.forecasts[name][keep, step - 1],
            color=color,
            lw=1.3,
            label=name + (" (chosen)" if name == winner else ""),
        )
    if winner in result.bounds:
        band = result.bounds[winner][keep, step - 1]
        ax.fill_between(
            when,
            band[:, 0],
            band[:, 1],
            color="tab:blue",
            alpha=0.2,
            label=f"{result.coverage:g} interval",
        )
    ax.set_title(f"{step} step{'s' if step > 1 else ''} ahead", fontsize=10)
    ax.legend(loc="upper left", fontsize=8)


def _future_section(data, result, future, winner):
    target = data.frame[data.target]
    n_show = min(len(target), max(4 * len(future), 3 * result.m, 48))
    fig, ax = _figure()
    ax.plot(
        target.index[-n_show:],
        target.to_numpy()[-n_show:],
        color="black",
        lw=1,
        label="history",
    )
    ax.plot(
        future.index,
        future[data.target],
        color="tab:blue",
        marker=".",
        label=f"forecast ({winner})",
    )
    if "lower" in future.columns:
        ax.fill_between(
            future.index,
            future["lower"],
            future["upper"],
            color="tab:blue",
            alpha=0.2,
            label=f"{result.coverage:g} interval",
        )
    ax.set_ylabel(data.target)
    ax.legend(loc="upper left", fontsize=8)
    table = future.copy()
    table.index = [when(i) for i in table.index]
    table.index.name = future.index.name
    return _png(fig) + _table(table, digits=6)
