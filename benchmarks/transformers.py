"""Time sklstm.preprocessing against feature-engine and pandas.

Run with ``python benchmarks/transformers.py [n_rows]`` (default 1,000,000 rows
of 10 float64 columns). Needs ``pip install feature-engine``. Every figure is the
best of 3 runs of ``fit_transform`` on the same DataFrame; the ratio is the
reference time divided by sklstm's (> 1 means sklstm is faster). sklstm is
timed with its default numpy output and with ``set_output(transform="pandas")``
(the like-for-like comparison with feature-engine, which returns DataFrames).

Not collected by pytest (no ``test_`` prefix, outside the test paths).
"""

import sys
import time
import warnings

import numpy as np
import pandas as pd

from sklstm.preprocessing import (
    DiffFeatures,
    LagFeatures,
    OutlierClipper,
    RollingFeatures,
    TimeSeriesImputer,
    Windower,
)

N_FEATURES = 10
REPEAT = 3
WINDOW = 24


def best_of(func, repeat=REPEAT):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def make_data(n_rows, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(n_rows, N_FEATURES)).cumsum(axis=0)
    values[rng.random(values.shape) < 0.001] *= 50  # a few outliers
    index = pd.date_range("2000-01-01", periods=n_rows, freq="min")
    columns = [f"x{j}" for j in range(N_FEATURES)]
    df = pd.DataFrame(values, index=index, columns=columns)
    with_nan = df.mask(rng.random(values.shape) < 0.1)
    return df, with_nan


def pandas_windows(df, window):
    """The 2-D table a pandas user builds instead of 3-D windows."""
    shifted = [df.shift(lag) for lag in range(window - 1, -1, -1)]
    return pd.concat(shifted, axis=1).bfill()


def root_base(array):
    """The array that owns the memory behind a chain of views."""
    owner, node = array, array
    while getattr(node, "base", None) is not None:
        node = node.base
        if isinstance(node, np.ndarray):
            owner = node
    return owner


def main(n_rows=1_000_000):
    from feature_engine.outliers import Winsorizer
    from feature_engine.timeseries.forecasting import (
        LagFeatures as FELagFeatures,
    )
    from feature_engine.timeseries.forecasting import WindowFeatures

    df, with_nan = make_data(n_rows)
    print(
        f"{n_rows:,} rows x {N_FEATURES} float64 columns, best of {REPEAT}; "
        "ratio = reference / sklstm(pandas out)\n"
    )
    cases = [
        (
            "OutlierClipper(iqr)",
            lambda: OutlierClipper(method="iqr"),
            "feature-engine Winsorizer(iqr)",
            lambda: Winsorizer(
                capping_method="iqr", tail="both", fold=1.5
            ).fit_transform(df),
            df,
        ),
        (
            "LagFeatures(lags=3)",
            lambda: LagFeatures(lags=3),
            "feature-engine LagFeatures([1,2,3])",
            lambda: FELagFeatures(periods=[1, 2, 3]).fit_transform(df),
            df,
        ),
        (
            "RollingFeatures(7, mean+std)",
            lambda: RollingFeatures(windows=7, stats=["mean", "std"]),
            "feature-engine WindowFeatures(7)",
            lambda: WindowFeatures(window=[7], functions=["mean", "std"]).fit_transform(
                df
            ),
            df,
        ),
        (
            "RollingFeatures([7,30], mean+std)",
            lambda: RollingFeatures(windows=[7, 30], stats=["mean", "std"]),
            "feature-engine WindowFeatures([7,30])",
            lambda: WindowFeatures(
                window=[7, 30], functions=["mean", "std"]
            ).fit_transform(df),
            df,
        ),
        (
            "TimeSeriesImputer(ffill), 10% NaN",
            lambda: TimeSeriesImputer(),
            "pandas DataFrame.ffill().bfill()",
            lambda: with_nan.ffill().bfill(),
            with_nan,
        ),
        (
            "DiffFeatures(drop_original)",
            lambda: DiffFeatures(drop_original=True),
            "pandas DataFrame.diff().fillna(0)",
            lambda: df.diff().fillna(0.0),
            df,
        ),
        (
            f"Windower(window={WINDOW}) (3-D view)",
            lambda: Windower(window=WINDOW),
            f"pandas shift-concat ({WINDOW} shifts)",
            lambda: pandas_windows(df, WINDOW),
            df,
        ),
    ]
    header = (
        f"{'sklstm':36s} {'numpy out':>10s} {'pandas out':>11s}   "
        f"{'reference':38s} {'time':>8s} {'ratio':>6s}"
    )
    print(header)
    print("-" * len(header))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # feature-engine's own deprecations
        for name, make, ref_name, ref, data in cases:
            t_numpy = best_of(lambda make=make, data=data: make().fit_transform(data))
            t_pandas = best_of(
                lambda make=make, data=data: (
                    make().set_output(transform="pandas").fit_transform(data)
                )
            )
            t_ref = best_of(ref)
            print(
                f"{name:36s} {t_numpy * 1e3:8.0f}ms {t_pandas * 1e3:9.0f}ms   "
                f"{ref_name:38s} {t_ref * 1e3:6.0f}ms {t_ref / t_pandas:5.1f}x"
            )

    windows = Windower(window=WINDOW).fit_transform(df)
    base = root_base(windows)
    table = pandas_windows(df, WINDOW)
    print(
        f"\nWindower memory: 3-D result {windows.shape} would take "
        f"{windows.nbytes / 1e6:,.0f} MB as a copy; it is a view "
        f"(np.shares_memory: {np.shares_memory(windows, base)}) of a "
        f"{base.shape} base of {base.nbytes / 1e6:,.0f} MB "
        f"(input {df.to_numpy().nbytes / 1e6:,.0f} MB + {WINDOW - 1} padding rows). "
        f"The pandas shift-concat table takes "
        f"{table.memory_usage(index=False).sum() / 1e6:,.0f} MB."
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
