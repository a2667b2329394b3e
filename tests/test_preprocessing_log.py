"""LogTransformer: log space for the columns that allow it, decided in fit."""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from sklstm.exceptions import LogSpaceWarning
from sklstm.preprocessing import LogTransformer


def _frame():
    return pd.DataFrame(
        {
            "sales": [10.0, 20.0, np.nan, 40.0],
            "promo": [0.0, 1.0, 1.0, 0.0],
            "temp": [-2.0, 3.0, 5.0, 1.0],
            "price": [1.5, 1.5, 2.0, 2.5],
        }
    )


def test_logs_the_positive_columns_and_names_the_others_once():
    X = _frame()
    with pytest.warns(LogSpaceWarning, match=r"\['promo', 'temp'\] hold values <= 0"):
        log = LogTransformer().fit(X)
    assert_array_equal(log.log_columns_, [0, 3])
    assert_array_equal(log.passthrough_columns_, [1, 2])
    out = log.transform(X)
    assert_array_equal(out[:, [1, 2]], X[["promo", "temp"]])
    assert_array_equal(out[:, [0, 3]], np.log(X[["sales", "price"]]))  # NaN stays
    back = log.inverse_transform(pd.DataFrame(out, columns=X.columns))
    np.testing.assert_allclose(back, X, rtol=1e-15)
    assert_array_equal(log.get_feature_names_out(), X.columns)


def test_explicit_columns_are_quiet_and_required_to_be_positive():
    X = _frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log = LogTransformer(columns=["price"], others="passthrough").fit(X)
    assert_array_equal(log.log_columns_, [3])
    with pytest.raises(ValueError, match=r"column 'temp' holds -2\.0 at row 0"):
        LogTransformer(columns=["sales", "temp"]).fit(X)
    with pytest.raises(ValueError, match=r"column 'promo' holds 0\.0 at row 0"):
        LogTransformer(columns="promo", others="passthrough").fit(X)


def test_a_logged_column_turning_non_positive_later_is_an_error():
    X = np.array([[1.0, -1.0], [2.0, 1.0], [3.0, 0.0]])
    log = LogTransformer(others="passthrough", columns=[0]).fit(X)
    with pytest.raises(ValueError, match=r"column x0 is in log space.*-0\.5 at row 1"):
        log.transform(np.array([[1.0, 5.0], [-0.5, 5.0]]))
    index = pd.date_range("2024-01-01", periods=2, freq="D")
    log = LogTransformer().fit(pd.DataFrame({"a": [1.0, 2.0]}, index=index))
    later = pd.DataFrame({"a": [3.0, 0.0]}, index=index + pd.Timedelta(days=2))
    with pytest.raises(ValueError, match=r"0\.0 at row 1 \(index 2024-01-04"):
        log.transform(later)


def test_keeps_float32_and_pandas_output():
    X = _frame()[["sales", "price"]].astype(np.float32)
    out = LogTransformer().fit(X).transform(X)
    assert out.dtype == np.float32
    frame = LogTransformer().set_output(transform="pandas").fit_transform(X)
    assert list(frame.columns) == ["sales", "price"]
    assert frame.index.equals(X.index)
