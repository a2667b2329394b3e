"""ResidualRegressor(learn="target"): a forecaster of its own, combined by shrinkage."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import LinearRegression

from sklstm.compose import ResidualRegressor

X = np.arange(1.0, 21.0).reshape(-1, 1)
Y = 2.0 * X.ravel() + 5.0


def _model(**params):
    return ResidualRegressor(
        regressor=LinearRegression(), baseline=DummyRegressor(), learn="target",
        **params,
    )  # fmt: skip


def test_shrinkage_weighs_the_two_forecasts():
    new = np.array([[30.0], [40.0]])
    own = LinearRegression().fit(X, Y).predict(new)
    base = np.full(2, Y.mean())
    for a in (0.0, 0.25, 0.5, 1.0):
        got = _model(shrinkage=a).fit(X, Y).predict(new)
        np.testing.assert_allclose(got, base + a * (own - base))


def test_in_log_space_the_combination_is_geometric():
    new = np.array([[30.0]])
    own = np.exp(LinearRegression().fit(X, np.log(Y)).predict(new))
    base = Y.mean()
    got = _model(shrinkage=0.5, log=True).fit(X, Y).predict(new)
    np.testing.assert_allclose(got, np.sqrt(base * own))


def test_the_residual_mode_is_unchanged():
    new = np.array([[30.0]])
    residual = ResidualRegressor(
        regressor=LinearRegression(), baseline=DummyRegressor()
    ).fit(X, Y)
    own = LinearRegression().fit(X, Y - Y.mean()).predict(new) + Y.mean()
    np.testing.assert_allclose(residual.predict(new), own)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"clip_residual": 3.0}, "clip_residual"),
        ({"scale_residual": "series"}, "scale"),
    ],
)
def test_residual_options_are_refused_with_target(params, name):
    with pytest.raises(ValueError, match=rf"{name}.*learn='target'"):
        clone(_model(**params)).fit(X, Y)
