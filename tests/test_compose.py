"""ResidualRegressor: hand-computed corrections and no look-ahead end to end."""

import math

import numpy as np
import pytest
from _lookahead import assert_predictions_do_not_look_ahead, series_frames
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.pipeline import make_pipeline

from sklstm.compose import ResidualRegressor, SeedAveragingRegressor
from sklstm.forecasting import NaiveForecaster, SeasonalNaiveForecaster
from sklstm.preprocessing import LagFeatures, RollingFeatures, TimeSeriesImputer

# the baseline forecasts the current value (column 0); y doubles it
X_DOUBLE = np.array([[1.0], [2.0], [4.0]])
Y_DOUBLE = np.array([2.0, 4.0, 8.0])


def test_log_residual_is_a_ratio_and_predictions_multiply():
    reg = ResidualRegressor(
        regressor=DummyRegressor(), baseline=NaiveForecaster(), log=True
    ).fit(X_DOUBLE, Y_DOUBLE)
    # residuals log(2x) - log(x) = log 2 for every row; their mean is learned
    assert reg.regressor_.constant_.item() == pytest.approx(math.log(2.0))
    # baseline 10 and 3, times exp(log 2)
    assert_allclose(reg.predict([[10.0], [3.0]]), [20.0, 6.0])


def test_log_residual_follows_a_fitted_correction():
    # y = x * exp(0.1 x): the log residual is 0.1 x, which a line fits exactly
    X = np.array([[1.0], [2.0], [4.0], [8.0]])
    y = X.ravel() * np.exp(0.1 * X.ravel())
    reg = ResidualRegressor(
        regressor=LinearRegression(), baseline=NaiveForecaster(), log=True
    ).fit(X, y)
    assert_allclose(reg.predict([[10.0]]), [10.0 * math.e])


def test_additive_residual_adds():
    y = np.array([3.0, 5.0, 9.0])  # residuals 2, 3, 5: mean 10 / 3
    reg = ResidualRegressor(regressor=DummyRegressor(), baseline=NaiveForecaster())
    assert_allclose(reg.fit(X_DOUBLE, y).predict([[10.0]]), [10.0 + 10.0 / 3.0])


@pytest.mark.parametrize("y", [[2.0, -4.0, 8.0], [2.0, 0.0, 8.0]])
def test_log_needs_strictly_positive_values(y):
    reg = ResidualRegressor(
        regressor=DummyRegressor(), baseline=NaiveForecaster(), log=True
    )
    with pytest.raises(ValueError, match="log=True needs strictly positive values"):
        reg.fit(X_DOUBLE, y)


@pytest.fixture(scope="module")
def fitted_residual():
    """Fitted once: a causal pipeline correcting the seasonal naive forecast."""
    X_train, y_train, X_test = series_frames()
    pipeline = make_pipeline(
        TimeSeriesImputer(),
        LagFeatures(lags=2),
        RollingFeatures(windows=3, stats=("mean", "max")),
        Ridge(alpha=1e-3),
    ).set_output(transform="pandas")
    baseline = SeasonalNaiveForecaster(m=12, target="y", growth="multiplicative")
    model = ResidualRegressor(regressor=pipeline, baseline=baseline, log=True)
    return model.fit(X_train, y_train), X_test


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_residual_regressor_does_not_look_ahead(fitted_residual, data):
    """Forecasts up to row t do not change when the test part after t does."""
    model, X_test = fitted_residual
    assert_predictions_do_not_look_ahead(model, X_test, data)


@pytest.mark.parametrize("log", [False, True])
def test_shrinkage_scales_the_correction(log):
    X = np.array([[1.0], [2.0], [4.0], [8.0]])
    y = X.ravel() * 1.5
    kwargs = dict(regressor=DummyRegressor(), baseline=NaiveForecaster(), log=log)
    full = ResidualRegressor(**kwargs).fit(X, y)
    corr = full.regressor_.predict([[10.0]])[0]
    for a in (0.0, 0.3, 1.0, 2.0):
        model = ResidualRegressor(**kwargs, shrinkage=a).fit(X, y)
        expected = 10.0 * math.exp(a * corr) if log else 10.0 + a * corr
        assert_allclose(model.predict([[10.0]]), [expected])
    # 0 is the baseline, bit for bit; 1 is the unshrunk model, bit for bit
    zero = ResidualRegressor(**kwargs, shrinkage=0.0).fit(X, y)
    assert_array_equal(zero.predict(X), zero.baseline_.predict(X))
    assert_array_equal(
        full.predict(X), ResidualRegressor(**kwargs).fit(X, y).predict(X)
    )


def test_shrinkage_must_be_non_negative():
    model = ResidualRegressor(
        regressor=DummyRegressor(), baseline=NaiveForecaster(), shrinkage=-0.1
    )
    with pytest.raises(ValueError, match="'shrinkage' parameter .* must be a float"):
        model.fit(X_DOUBLE, Y_DOUBLE)


# --- SeedAveragingRegressor -------------------------------------------------


def _mlp(**kwargs):
    from sklearn.neural_network import MLPRegressor

    return MLPRegressor(hidden_layer_sizes=(5,), max_iter=30, **kwargs)


@pytest.fixture
def wave():
    X = np.linspace(0, 1, 60).reshape(-1, 1)
    return X, np.sin(6 * X.ravel())


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_seed_averaging_averages_copies_with_their_own_seeds(wave):
    X, y = wave
    model = SeedAveragingRegressor(estimator=_mlp(), n_estimators=3, random_state=0)
    model.fit(X, y)
    assert len(model.estimators_) == 3 and len(set(model.seeds_)) == 3
    for copy, seed in zip(model.estimators_, model.seeds_, strict=True):
        assert copy.random_state == seed
        assert_array_equal(
            copy.predict(X), _mlp(random_state=seed).fit(X, y).predict(X)
        )
    mean = np.mean([copy.predict(X) for copy in model.estimators_], axis=0)
    assert_allclose(model.predict(X), mean)
    # the same random_state draws the same seeds; another one, others
    again = SeedAveragingRegressor(estimator=_mlp(), n_estimators=3, random_state=0)
    assert_array_equal(again.fit(X, y).predict(X), model.predict(X))
    other = SeedAveragingRegressor(estimator=_mlp(), n_estimators=3, random_state=1)
    assert not np.array_equal(other.fit(X, y).seeds_, model.seeds_)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_seed_averaging_seeds_every_step_of_a_pipeline(wave):
    from sklearn.decomposition import PCA

    X, y = wave
    X2 = np.hstack([X, X**2])
    pipe = make_pipeline(PCA(random_state=5), _mlp(random_state=5))
    model = SeedAveragingRegressor(estimator=pipe, n_estimators=2, random_state=0)
    model.fit(X2, y)
    for copy, seed in zip(model.estimators_, model.seeds_, strict=True):
        assert copy[0].random_state == seed and copy[-1].random_state == seed
    assert pipe[-1].random_state == 5  # the given estimator is not changed


def test_seed_averaging_threads_fit_the_same_networks():
    # copies of one network side by side in threads: each fit depends on its
    # seed alone, so the copies equal those fitted one after the other, bit
    # for bit (early stopping included: each copy stops at its own epoch)
    from sklstm import LSTMRegressor

    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 4, 2)).astype(np.float32)
    y = X[:, -1, 0] + 0.1 * rng.normal(size=120)
    lstm = LSTMRegressor(units=3, epochs=12, patience=2, random_state=0)
    fits = {
        n_jobs: SeedAveragingRegressor(
            estimator=lstm, n_estimators=3, random_state=0, n_jobs=n_jobs
        ).fit(X, y)
        for n_jobs in (None, 3)
    }
    assert_array_equal(fits[3].seeds_, fits[None].seeds_)
    for threaded, serial in zip(
        fits[3].estimators_, fits[None].estimators_, strict=True
    ):
        assert threaded.history_ == serial.history_
    assert_array_equal(fits[3].predict(X), fits[None].predict(X))


def test_the_recipe_trains_its_seeds_side_by_side():
    from sklstm.recipe import make_lstm_forecaster

    model = make_lstm_forecaster(target=0, n_seeds=3)
    assert model.get_params()["regressor__lstm__n_jobs"] == 3


def test_seed_averaging_passes_sample_weight():
    X = np.arange(6.0).reshape(-1, 1)
    y = np.array([1.0, 1.0, 1.0, 5.0, 5.0, 5.0])
    weight = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    model = SeedAveragingRegressor(estimator=DummyRegressor(), n_estimators=2)
    assert_allclose(model.fit(X, y, sample_weight=weight).predict(X[:1]), [1.0])
    # ResidualRegressor finds the parameter and weights unknown targets 0
    from sklearn.utils.validation import has_fit_parameter

    assert has_fit_parameter(model, "sample_weight")


def test_seed_averaging_rejects_bad_parameters(wave):
    X, y = wave
    with pytest.raises(ValueError, match="'n_estimators' parameter .* must be an int"):
        SeedAveragingRegressor(estimator=Ridge(), n_estimators=0).fit(X, y)
    with pytest.raises(ValueError, match="'n_jobs' parameter .* must be an instance"):
        SeedAveragingRegressor(estimator=Ridge(), n_jobs=1.5).fit(X, y)
    with pytest.raises(ValueError, match="requires y to be passed"):
        SeedAveragingRegressor(estimator=Ridge()).fit(X, None)
