"""A forecaster chosen per series of a panel, and select_baseline choosing so."""

import warnings

import numpy as np
import pandas as pd
import pytest

from sklstm.forecasting import (
    NaiveForecaster,
    SeasonalNaiveForecaster,
    SeriesChoiceForecaster,
    make_supervised,
)
from sklstm.recipe import select_baseline
from sklstm.recipe._selection import _select_baseline


def _panel(kinds, n=96, seed=0):
    """Series that repeat a season exactly ("season") or walk at random ("walk")."""
    rng = np.random.default_rng(seed)
    frames = {}
    for k, kind in enumerate(kinds):
        t = np.arange(n)
        if kind == "season":
            values = 100 + 10 * np.sin(2 * np.pi * t / 12) + 5 * (t % 12 == 3)
            values = values + rng.normal(0, 0.01, n)
        else:
            values = 100 + np.cumsum(rng.normal(0, 1, n))
        index = pd.date_range("2010-01", periods=n, freq="MS", name="month")
        frames[f"{kind}{k}"] = pd.DataFrame({"y": values}, index=index)
    return make_supervised(pd.concat(frames, names=["series"]), "y")


def _members():
    return [
        ("naive", NaiveForecaster(target="y")),
        ("seasonal", SeasonalNaiveForecaster(m=12, target="y")),
    ]


def test_each_series_gets_its_choice_the_rest_the_default():
    X, y = _panel(["season", "walk", "walk"])
    model = SeriesChoiceForecaster(
        estimators=_members(),
        choices={"season0": "seasonal", "walk1": ["naive", "seasonal"]},
        default="naive",
    ).fit(X, y)
    naive = model.named_estimators_["naive"].predict(X)
    seasonal = model.named_estimators_["seasonal"].predict(X)
    pred = model.predict(X)
    labels = X.index.get_level_values(0)
    rows = {label: np.asarray(labels == label) for label in labels.unique()}
    np.testing.assert_allclose(pred[rows["season0"]], seasonal[rows["season0"]])
    np.testing.assert_allclose(
        pred[rows["walk1"]], (naive[rows["walk1"]] + seasonal[rows["walk1"]]) / 2
    )
    np.testing.assert_allclose(pred[rows["walk2"]], naive[rows["walk2"]])
    # one series (no panel index): the default; default None: the mean of all
    one = X.loc["season0"]
    np.testing.assert_allclose(
        model.predict(one),
        NaiveForecaster(target="y").fit(one, y.loc["season0"]).predict(one),
    )
    mean = SeriesChoiceForecaster(estimators=_members()).fit(X, y).predict(X)
    np.testing.assert_allclose(mean, (naive + seasonal) / 2)


def test_a_series_prediction_ignores_the_other_series():
    X, y = _panel(["season", "walk"])
    model = SeriesChoiceForecaster(
        estimators=_members(), choices={"season0": "seasonal"}, default="naive"
    ).fit(X, y)
    alone = model.predict(X.loc[["walk1"]])
    together = model.predict(X)[np.asarray(X.index.get_level_values(0) == "walk1")]
    np.testing.assert_allclose(alone, together)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"choices": {"season0": "arima"}}, r"choices\['season0'\]='arima' must be"),
        ({"default": ["naive", "ets"]}, r"default=\['naive', 'ets'\] must be"),
        ({"default": []}, r"default=\[\] must be"),
    ],
)
def test_unknown_member_names_are_refused(params, message):
    X, y = _panel(["season", "walk"])
    model = SeriesChoiceForecaster(estimators=_members(), **params)
    with pytest.raises(ValueError, match=message) as info:
        model.fit(X, y)
    assert "the members are ['naive', 'seasonal']" in str(info.value)


def test_select_baseline_chooses_per_series_when_validation_says_so():
    # seasons repeat exactly in half of the series and walk at random in the
    # other half: no one candidate is good for both kinds
    X, y = _panel(["season", "walk"] * 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        name, scores, model = _select_baseline(
            X, y, target="y", m=12, log=True, n_splits=3
        )
        public_name, public_scores = select_baseline(X, y, target="y", m=12, log=True)
    assert name == public_name == "per series"
    assert public_scores == scores
    others = {k: v for k, v in scores.items() if k != "per series"}
    assert scores["per series"] < min(others.values())
    assert isinstance(model, SeriesChoiceForecaster)
    for label, members in model.choices.items():
        uses_season = any("seasonal" in m or "airline" in m for m in members)
        assert uses_season == label.startswith("season"), (label, members)
    model.fit(X, y)
    assert model.predict(X).shape == (len(X),)


def test_select_baseline_keeps_one_choice_for_alike_series():
    # four copies of one series: choosing per series gains nothing (alike
    # series with their own noise may tip it either way by chance, which the
    # cross-validated score then says)
    one_x, one_y = _panel(["season"])
    copies = [f"copy{k}" for k in range(4)]
    X = pd.concat({c: one_x.loc["season0"] for c in copies}, names=["series"])
    y = pd.concat({c: one_y.loc["season0"] for c in copies}, names=["series"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        name, scores, model = _select_baseline(
            X, y, target="y", m=12, log=True, n_splits=3
        )
    assert name != "per series"
    # scored honestly (choices made on other folds), it cannot beat the best
    # single choice scored on the folds that chose it
    assert scores["per series"] >= scores[name]
    assert not isinstance(model, SeriesChoiceForecaster)


def test_the_recipe_tunes_and_forecasts_with_a_baseline_per_series():
    from sklstm.forecasting import forecast
    from sklstm.recipe import tune_lstm_forecaster

    X, y = _panel(["season", "walk"] * 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = tune_lstm_forecaster(
            X,
            y,
            target="y",
            m=12,
            param_grid={"regressor__window__window": [4]},
            epochs=2,
            units=4,
        )
    assert min(search.baseline_scores_, key=search.baseline_scores_.get) == (
        "per series"
    )
    model = search.best_estimator_
    assert isinstance(model.baseline_, SeriesChoiceForecaster)
    frame = pd.concat(
        {label: X.loc[label][["y"]] for label in X.index.get_level_values(0).unique()},
        names=["series"],
    )
    future = forecast(model, frame)
    assert future.index.get_level_values(0).nunique() == 6
    assert np.isfinite(future.to_numpy()).all()


@pytest.mark.parametrize("below, chosen", [(0.01, False), (0.03, True)])
def test_a_choice_per_series_must_win_by_two_percent(monkeypatch, below, chosen):
    """Many choices made from a few folds: a near tie keeps one for all series."""
    import sklstm.recipe._selection as selection

    X, y = _panel(["season", "walk"] * 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, scores, _ = _select_baseline(X, y, target="y", m=12, log=True, n_splits=3)
    best = min(v for k, v in scores.items() if k != "per series")
    original = selection._per_series_choice

    def scored(*args):
        choices, _ = original(*args)
        return choices, best * (1 - below)

    monkeypatch.setattr(selection, "_per_series_choice", scored)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        name, _, _ = _select_baseline(X, y, target="y", m=12, log=True, n_splits=3)
    assert (name == "per series") == chosen
