"""evaluate_forecaster with refits: the rows each fit sees, the origins scored."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.dummy import DummyRegressor

from sklstm.forecasting import NaiveForecaster, evaluate_forecaster


def _frame(n=40):
    values = np.arange(n, dtype=float) ** 1.5
    index = pd.date_range("2020-01-01", periods=n, freq="MS")
    return pd.DataFrame({"y": values}, index=index)


class _Spy(RegressorMixin, BaseEstimator):
    """Predicts the mean of its training targets; logs what it saw."""

    log = []

    def fit(self, X, y):
        self.mean_ = np.mean(np.asarray(y), axis=0)
        self.fitted_rows_ = list(X.index)
        return self

    def predict(self, X):
        type(self).log.append((self.fitted_rows_, list(X.index)))
        return np.tile(self.mean_, (np.shape(X)[0], 1))


def test_default_is_one_fit_and_unchanged():
    frame = _frame()
    once = evaluate_forecaster(DummyRegressor(), frame, target="y", n_test=10)
    assert "n_fits" not in once
    # the training targets are y[1..29]; every forecast is their mean
    values = frame["y"].to_numpy()
    expected = np.mean(np.abs(values[30:] - values[1:30].mean()))
    assert once["MAE"] == pytest.approx(expected)


def test_refit_true_refits_before_every_origin_on_all_known_rows():
    frame = _frame()
    values = frame["y"].to_numpy()
    result = evaluate_forecaster(
        DummyRegressor(), frame, target="y", n_test=10, refit=True
    )
    # origin o forecasts y[o] from the targets known before it: y[1..o-1]
    errors = [abs(values[o] - values[1:o].mean()) for o in range(30, 40)]
    assert result["MAE"] == pytest.approx(np.mean(errors))
    assert result["n_fits"] == 10


def test_fixed_window_slides_with_the_training_length():
    frame = _frame()
    values = frame["y"].to_numpy()
    result = evaluate_forecaster(
        DummyRegressor(), frame, target="y", n_test=10, refit=3, window="fixed"
    )
    # 29 training rows; fits at origins 30, 33, 36, 39, each on the last 29
    errors = []
    for o in range(30, 40):
        first = 30 + 3 * ((o - 30) // 3)
        errors.append(abs(values[o] - values[first - 29 : first].mean()))
    assert result["MAE"] == pytest.approx(np.mean(errors))
    assert result["n_fits"] == 4


def test_no_fit_sees_a_target_of_the_origins_it_scores():
    _Spy.log = []
    frame, horizon = _frame(), 3
    evaluate_forecaster(_Spy(), frame, target="y", horizon=horizon, n_test=12, refit=4)
    position = {label: i for i, label in enumerate(frame.index)}
    assert len(_Spy.log) == 3  # 10 origins, 4 per fit
    for fitted, predicted in _Spy.log:
        last = position[fitted[-1]]  # its targets reach last + horizon
        first_scored = position[predicted[0]] + horizon - 1
        assert last + horizon <= first_scored  # known at the first origin
        # the predicted rows continue the training rows (no gap, no overlap)
        assert position[predicted[0]] == last + 1


def test_stride_scores_every_other_origin():
    frame = _frame()
    values = frame["y"].to_numpy()
    result = evaluate_forecaster(
        DummyRegressor(), frame, target="y", n_test=10, stride=2
    )
    origins = range(30, 40, 2)
    expected = np.mean([abs(values[o] - values[1:30].mean()) for o in origins])
    assert result["MAE"] == pytest.approx(expected)
    assert result["n_fits"] == 1


def test_a_panel_refits_all_series_at_the_same_offsets():
    frame = _frame()
    panel = pd.concat({"a": frame, "b": 2 * frame})
    single = evaluate_forecaster(
        DummyRegressor(), frame, target="y", n_test=10, refit=5
    )
    # the pooled mean of a and 2a is 1.5 a's: check one series by hand
    values = frame["y"].to_numpy()
    result = evaluate_forecaster(
        DummyRegressor(), panel, target="y", n_test=10, refit=5
    )
    errors = []
    for o in range(30, 40):
        first = 30 + 5 * ((o - 30) // 5)
        errors.append(abs(values[o] - 1.5 * values[1:first].mean()))
    assert result["per_series"].loc["a", "MAE"] == pytest.approx(np.mean(errors))
    assert result["n_fits"] == single["n_fits"] == 2


def test_refit_of_a_history_keeping_forecaster_equals_one_fit():
    frame = _frame()
    kwargs = dict(target="y", horizon=2, n_test=10)
    once = evaluate_forecaster(NaiveForecaster(target="y"), frame, **kwargs)
    again = evaluate_forecaster(
        NaiveForecaster(target="y"), frame, **kwargs, refit=True
    )
    assert again["MASE"] == pytest.approx(once["MASE"])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"refit": 0}, r"refit=0 must be False \(one fit\), True"),
        ({"refit": 1.5}, r"refit=1.5 must be"),
        ({"window": "rolling"}, r"window='rolling' must be 'expanding' or 'fixed'"),
        ({"stride": 0}, r"stride=0 must be an int >= 1"),
    ],
)
def test_bad_refit_arguments_name_the_parameter(params, match):
    with pytest.raises(ValueError, match=match):
        evaluate_forecaster(DummyRegressor(), _frame(), target="y", **params)


def test_refits_of_a_lag_pipeline_equal_fits_made_by_hand():
    """Each refit predicts its origins as a model fitted there by hand would."""
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from sklstm.forecasting import make_supervised
    from sklstm.preprocessing import LagFeatures

    rng = np.random.default_rng(0)
    frame = _frame(60)
    frame["y"] += rng.normal(0, 5, len(frame))

    def model():
        return make_pipeline(LagFeatures(lags=[1, 2, 3]), Ridge(alpha=1.0))

    result = evaluate_forecaster(model(), frame, target="y", n_test=15, refit=5)
    X, y = make_supervised(frame, "y")
    errors = []
    for first in (45, 50, 55):  # the first origin of each refit
        # row t forecasts y[t + 1]: known targets end at row first - 2
        fitted = model().fit(X.iloc[: first - 1], y.iloc[: first - 1])
        pred = fitted.predict(X)  # the whole history: lags computed from it
        errors += [abs(pred[t] - y.iloc[t]) for t in range(first - 1, first + 4)]
    assert result["n_fits"] == 3
    assert result["MAE"] == pytest.approx(np.mean(errors), rel=1e-10)
