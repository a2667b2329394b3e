"""Dirty inputs and targets: NaN in input columns and in the target, outliers."""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import LinearRegression, Ridge

from sklstm.compose import ResidualRegressor
from sklstm.exceptions import MissingTargetWarning
from sklstm.forecasting import (
    NaiveForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
    make_supervised,
)


def _dirty_frame(n=160, seed=0):
    """Daily load (target, weekly cycle) and temperature, with gaps in both."""
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    frame = pd.DataFrame(
        {
            "load": 500 + 50 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 5, n),
            "temp": 20 + 5 * np.sin(2 * np.pi * t / 30) + rng.normal(0, 1, n),
        },
        index=pd.date_range("2024-01-01", periods=n, freq="D"),
    )
    frame.iloc[[10, 11, 40, 90], 1] = np.nan  # gaps in the input column
    frame.iloc[[30, 31, 100], 0] = np.nan  # gaps in the target
    return frame


def test_baselines_forward_fill_gaps_causally():
    X = pd.DataFrame({"y": [1.0, 2.0, np.nan, np.nan, 5.0], "x": [np.nan] * 5})
    y = pd.Series([2.0, np.nan, np.nan, 5.0, 6.0])
    assert_allclose(NaiveForecaster(target="y").fit(X, y).predict(X), [1, 2, 2, 2, 5])
    # a leading gap takes the training mean of the target
    lead = X.assign(y=[np.nan, 2.0, 3.0, 4.0, 5.0])
    assert NaiveForecaster(target="y").fit(lead, y).predict(lead)[0] == 3.5
    seasonal = SeasonalNaiveForecaster(m=2, target="y").fit(X, y)
    assert np.isfinite(seasonal.predict(X)).all()


def test_ridge_lag_forecaster_leaves_unknown_targets_out():
    X, y = make_supervised(_dirty_frame(), "load")
    with pytest.warns(MissingTargetWarning, match="left 3 of") as rec:
        model = RidgeLagForecaster(n_lags=7, target="load", exog=True).fit(X, y)
    assert len(rec) == 1
    assert np.isfinite(model.predict(X)).all()


def test_residual_regressor_drops_unknown_targets_from_training_only():
    X, y = make_supervised(_dirty_frame().ffill(), "load")
    y = y.copy()
    y.iloc[[5, 50]] = np.nan
    with pytest.warns(MissingTargetWarning, match="left 2 of 159 rows out"):
        model = ResidualRegressor(
            regressor=LinearRegression(), baseline=NaiveForecaster(target="load")
        ).fit(X, y)
    known = y.notna().to_numpy()
    reference = ResidualRegressor(
        regressor=LinearRegression(), baseline=NaiveForecaster(target="load")
    ).fit(X[known], y[known])
    # weight 0 for a plain regressor is the same as leaving the rows out
    assert_allclose(model.predict(X), reference.predict(X), rtol=1e-6)


def test_nan_errors_name_the_sklstm_step_that_fixes_them():
    frame = _dirty_frame()
    X, y = make_supervised(frame.assign(load=frame["load"].ffill()), "load")
    model = ResidualRegressor(
        regressor=Ridge(), baseline=NaiveForecaster(target="load")
    )
    with pytest.raises(
        ValueError, match=r"(?s)got NaN.*TimeSeriesImputer.*contains NaN"
    ):
        model.fit(X, y)


@pytest.mark.parametrize(
    "params",
    [
        {"baseline": "naive"},
        {"baseline": "seasonal", "m": 7, "log": True},
    ],
    ids=["naive", "seasonal-log"],
)
def test_recipe_fits_and_predicts_with_nan_in_inputs_and_target(params):
    from sklstm.recipe import make_lstm_forecaster

    frame = _dirty_frame()
    X, y = make_supervised(frame, "load")
    X_train, X_test, y_train = X.iloc[:120], X.iloc[120:], y.iloc[:120]
    model = make_lstm_forecaster(
        target="load", window=4, units=2, epochs=2, random_state=0, **params
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X_train, y_train)
    missing = [w for w in caught if issubclass(w.category, MissingTargetWarning)]
    assert len(missing) == 1
    assert "left 3 of 120 rows out of training" in str(missing[0].message)
    assert np.isfinite(model.predict(X_test)).all()
    assert np.isfinite(model.predict(X_train)).all()


def test_recipe_clips_the_residuals_of_target_outliers():
    from sklstm.recipe import make_lstm_forecaster

    frame = _dirty_frame().ffill()
    frame.iloc[[20, 60], 0] = [5000.0, -3000.0]
    X, y = make_supervised(frame, "load")
    model = make_lstm_forecaster(
        target="load", window=4, units=2, epochs=2, clip_residual=3.0
    ).fit(X.iloc[:120], y.iloc[:120])
    assert model.clip_residual == 3.0 and model.n_residuals_clipped_ >= 4
    assert np.isfinite(model.predict(X.iloc[120:])).all()


def test_clip_residual_bounds_what_the_regressor_learns():
    frame = _dirty_frame().ffill()
    frame.iloc[[20, 60], 0] = [5000.0, -3000.0]  # target outliers
    X, y = make_supervised(frame, "load")
    kwargs = dict(regressor=LinearRegression(), baseline=NaiveForecaster(target="load"))
    plain = ResidualRegressor(**kwargs).fit(X, y)
    clipped = ResidualRegressor(**kwargs, clip_residual=3.0).fit(X, y)
    assert plain.residual_bounds_ is None and plain.n_residuals_clipped_ == 0
    # each outlier makes two large residuals: into it and out of it
    assert clipped.n_residuals_clipped_ == 4
    low, high = clipped.residual_bounds_[:, 0]
    assert -500 < low < 0 < high < 500
    # the plain fit's correction is pulled by the outliers; the clipped one is not
    assert np.ptp(clipped.regressor_.predict(X)) < np.ptp(plain.regressor_.predict(X))
    with pytest.raises(ValueError, match="clip_residual"):
        ResidualRegressor(**kwargs, clip_residual=0).fit(X, y)


def test_select_baseline_and_tuning_skip_unknown_targets():
    from sklstm.recipe import select_baseline, tune_lstm_forecaster

    X, y = make_supervised(_dirty_frame(), "load")
    choice, scores = select_baseline(X, y, target="load", m=7)
    # a weekly pattern: last week (or a model on the lags) beats yesterday
    assert choice != "naive" and scores["seasonal"] < scores["naive"]
    assert np.isfinite(list(scores.values())).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingTargetWarning)
        search = tune_lstm_forecaster(
            X,
            y,
            target="load",
            m=7,
            param_grid={"regressor__lstm__estimator__units": [2]},
            n_splits=2,
            epochs=1,
            window=4,
        )
    for a in (0, 0.5, 1):
        assert np.isfinite(search.cv_results_[f"mean_test_shrinkage={a:g}"]).all()


class _StrictBaseline(LinearRegression):
    """A user's baseline that rejects unknown targets with its own words."""

    def fit(self, X, y, sample_weight=None):
        if np.isnan(np.asarray(y, dtype=float)).any():
            raise RuntimeError("targets must all be known")  # no "NaN" in it
        return super().fit(X, y, sample_weight)


def test_a_baseline_rejecting_unknown_targets_is_fitted_on_known_rows():
    X, y = make_supervised(_dirty_frame().ffill(), "load")
    y = y.copy()
    y.iloc[[5, 50]] = np.nan
    with pytest.warns(MissingTargetWarning):
        model = ResidualRegressor(
            regressor=LinearRegression(), baseline=_StrictBaseline()
        ).fit(X, y)
    known = y.notna().to_numpy()
    alone = LinearRegression().fit(X[known], y[known])
    assert_allclose(model.baseline_.coef_, alone.coef_)

    # an error with another cause is raised, not hidden by the retry
    class Broken(LinearRegression):
        def fit(self, X, y, sample_weight=None):
            raise RuntimeError("broken baseline")

    with pytest.warns(MissingTargetWarning), pytest.raises(RuntimeError, match="br"):
        ResidualRegressor(regressor=LinearRegression(), baseline=Broken()).fit(X, y)
