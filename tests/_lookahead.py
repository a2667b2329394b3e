"""Shared pieces of the product-level no-look-ahead properties.

A monthly series frame with a DatetimeIndex (a positive seasonal target with
growth, ``y``, and a positive covariate, ``x``), framed by ``make_supervised``;
and a hypothesis strategy for a test part that continues the training part and
differs from it only after a row ``t``.
"""

import numpy as np
import pandas as pd
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from sklstm.forecasting import make_supervised

N_TRAIN, N_TEST = 60, 16


def series_frames(seed=0):
    """``X_train, y_train, X_test`` of a monthly frame; X_test continues X_train."""
    rng = np.random.default_rng(seed)
    t = np.arange(N_TRAIN + N_TEST + 1)
    y = 100 * 1.01**t * (1 + 0.2 * np.sin(2 * np.pi * t / 12)) + rng.normal(
        0, 1, t.size
    )
    x = 10 + np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.1, t.size)
    frame = pd.DataFrame(
        {"y": y, "x": x}, index=pd.date_range("2015-01-01", periods=t.size, freq="MS")
    )
    X, target = make_supervised(frame, "y")
    return X.iloc[:N_TRAIN], target.iloc[:N_TRAIN], X.iloc[N_TRAIN:]


@st.composite
def changed_after_t(draw, X_test):
    """``(first, second, t)``: two test parts equal up to row t, not after it.

    The covariate has gaps (NaN) anywhere, often at row t itself, so that a
    backward fill would carry a value from after t into row t. The target
    column stays positive and finite (the baselines read it).
    """
    n = len(X_test)
    t = draw(st.integers(0, n - 2))
    positive = st.floats(1.0, 1000.0, allow_nan=False, allow_infinity=False)
    gaps = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    gaps[t] = draw(st.booleans()) or gaps[t]
    first = X_test.copy()
    first.loc[np.array(gaps), "x"] = np.nan
    second = first.copy()
    tail = n - t - 1
    second.iloc[t + 1 :, 0] = draw(st.lists(positive, min_size=tail, max_size=tail))
    second.iloc[t + 1 :, 1] = draw(
        st.lists(st.one_of(positive, st.just(np.nan)), min_size=tail, max_size=tail)
    )
    return first, second, t


def assert_predictions_do_not_look_ahead(model, X_test, data):
    """Draw two test parts equal up to row t; the forecasts up to t must agree."""
    first, second, t = data.draw(changed_after_t(X_test))
    out_first, out_second = model.predict(first), model.predict(second)
    assert np.isfinite(out_first).all()
    assert_array_equal(out_first[: t + 1], out_second[: t + 1])
