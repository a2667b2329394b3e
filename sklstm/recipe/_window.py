"""The recipe's global network: windows relative to their level, the whole horizon.

``make_lstm_forecaster(network="window")`` builds it. Where the residual network
learns what a baseline misses from differenced, scaled inputs, this one
forecasts the series itself, as recurrent networks are made competitive on
panels of many series (Hewamalage, Bergmeir & Bandara 2021): the target in log
space (``log(1 + y)`` for a non-negative target that touches 0, raw values for
one that goes below), optionally without its seasonal profile, each window
made relative to its own level inside the network and the level restored at
the output (instance normalization), all ``h`` steps from one output layer,
and one network trained on the windows of every series, a fresh sample of
them each epoch. The recipe then weighs it against its baseline with
``shrinkage`` (a forecast combination).
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from sklstm.compose import SeedAveragingRegressor
from sklstm.preprocessing import TimeSeriesImputer, Windower
from sklstm.utils._panel import panel_of
from sklstm.utils._time import infer_offset

__all__ = ["WindowForecaster", "window_network"]

#: The window network's LSTM settings, where they differ from the residual's.
WINDOW_LSTM_DEFAULTS = dict(
    units=32,
    epochs=100,
    patience=10,
    learning_rate=3e-3,
    loss="mae",
    batch_size=256,
    l2=0.0,
    scale_target=False,
    # an epoch is at most this many windows, drawn anew across all series
    windows_per_epoch=16_384,
    # windows that reach before their series' first row teach nothing
    nan_windows="skip",
    # the latest windows are the most like the next ones: train on them too
    validation_rows="random",
)


def target_first(target):
    """A step that puts the target's column first (the level's feature 0)."""
    return ColumnTransformer(
        [("target", "passthrough", [target])],
        remainder="passthrough",
        verbose_feature_names_out=False,
    )


def window_network(
    *, target, periods, window, deseasonalize, n_seeds, random_state, lstm_params
):
    """The window network: :class:`WindowForecaster` around its pipeline."""
    from sklstm.models import LSTMRegressor  # imports TensorFlow

    lstm = {
        **WINDOW_LSTM_DEFAULTS,
        "window_norm": "subtract",
        # a window's level: its last season (its last value without one)
        "norm_steps": min(periods[-1], window) if periods else 1,
        "norm_feature": 0,
        **lstm_params,
    }
    pipeline = Pipeline(
        [
            ("impute", TimeSeriesImputer(strategy="ffill")),
            ("target_first", target_first(target)),
            ("window", Windower(window=window, warmup="nan")),
            (
                "lstm",
                SeedAveragingRegressor(
                    estimator=LSTMRegressor(**lstm),
                    n_estimators=n_seeds,
                    random_state=random_state,
                    n_jobs=n_seeds,
                ),
            ),
        ]
    ).set_output(transform="pandas")
    return WindowForecaster(
        pipeline,
        target=target,
        m=periods[-1] if periods else 1,
        deseasonalize=deseasonalize,
    )


def _period_freq(offset):
    """The period frequency of a date offset ("MS" and "ME" are months, ...)."""
    name = offset.rule_code
    for prefix, period in (("M", "M"), ("Q", "Q"), ("Y", "Y")):
        if name.startswith(prefix) and name[1:2] in ("S", "E", ""):
            return period
    return name


def season_positions(index, m):
    """The position in the season (0 .. m-1) of every time label, or None.

    Dates count in steps of their own frequency (months for monthly data), so
    a frame that continues the training rows continues their positions; an
    integer index counts itself. None when the labels cannot tell (no
    frequency, other labels).
    """
    if isinstance(index, pd.PeriodIndex):
        return np.asarray(index.asi8 % m)
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or infer_offset(index)
        if freq is None:
            return None
        try:
            return np.asarray(index.to_period(_period_freq(freq)).asi8 % m)
        except (ValueError, TypeError, AttributeError):
            return None
    if pd.api.types.is_integer_dtype(index.dtype):
        return np.asarray(index, dtype=np.int64) % m
    return None


def season_profile(values, positions, m):
    """Mean detrended value at each position of the season (summing to 0).

    The trend is the centred moving average of one season; fewer than two
    seasons of values give no profile (zeros).
    """
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    if positions is None or m < 2 or n < 2 * m or np.isnan(values).all():
        return np.zeros(m)
    kernel = np.ones(m) / m
    if m % 2 == 0:
        kernel = np.convolve(kernel, [0.5, 0.5])
    filled = pd.Series(values).ffill().bfill().to_numpy()
    trend = np.convolve(filled, kernel, mode="same")
    half = len(kernel) // 2
    trend[:half] = np.nan
    trend[n - half :] = np.nan
    detrended = values - trend
    profile = np.zeros(m)
    for p in range(m):
        at = detrended[positions == p]
        at = at[~np.isnan(at)]
        profile[p] = at.mean() if at.size else 0.0
    return profile - profile.mean()


class WindowForecaster(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """A forecaster of its target in a level-free space, without its season.

    ``fit`` moves the target (its column of X and y) into log space (``log(1 +
    y)`` when it holds a 0; the raw values when it goes below 0) and, with
    ``deseasonalize`` and ``m > 1``, subtracts each series' seasonal profile
    (the mean detrended value at each position of the season, learned from
    its training rows);
    ``pipeline`` learns the rest, and ``predict`` adds the profile of the
    steps forecast back and returns to the target's units. A series unseen in
    fit has no profile (zeros).

    Parameters
    ----------
    pipeline : estimator
        Fitted on X (its target column moved) and y (moved likewise).
    target : str or int
        The target column of X.
    m : int, default=1
        The season (1: none).
    deseasonalize : bool, default=True
        Remove each series' seasonal profile (with a season).

    Attributes
    ----------
    pipeline_ : estimator
        The fitted pipeline.
    space_ : {"log", "log1p", "raw"}
        Where the target was modelled.
    profiles_ : dict
        Each series' seasonal profile (one entry, None, for one series).
    """

    def __init__(self, pipeline, *, target, m=1, deseasonalize=True):
        self.pipeline = pipeline
        self.target = target
        self.m = m
        self.deseasonalize = deseasonalize

    @property
    def _period(self):
        """The season whose profile is removed (1: none)."""
        return self.m if self.deseasonalize else 1

    def _column(self, X):
        if isinstance(self.target, str):
            return list(X.columns).index(self.target)
        return int(self.target)

    def _forward(self, values):
        if self.space_ == "log":
            return np.log(values)
        return np.log1p(values) if self.space_ == "log1p" else values

    def _backward(self, values):
        if self.space_ == "log":
            return np.exp(values)
        return np.expm1(values) if self.space_ == "log1p" else values

    def _season(self, X, steps):
        """Per row of X, the profile at the row (steps 0) or at rows t+1..t+h."""
        if self._period < 2:
            return 0.0
        panel = panel_of(X)
        segments = (
            [(None, slice(0, len(X)), X.index)]
            if panel is None
            else [(label, rows, X.index[rows].get_level_values(1))
                  for label, rows, _ in panel.segments()]
        )  # fmt: skip
        out = np.zeros((len(X), len(steps)))
        for label, rows, index in segments:
            profile = self.profiles_.get(label)
            if profile is None:
                continue
            m = self._period
            positions = season_positions(index, m)
            if positions is not None:
                out[rows] = profile[(positions[:, None] + np.asarray(steps)) % m]
        return out

    def _moved(self, X):
        """X with its target column in the model's space, the profile removed."""
        X = X.copy()
        j = self._column(X)
        values = self._forward(X.iloc[:, j].to_numpy(dtype=np.float64))
        if self._period > 1:
            values = values - self._season(X, [0])[:, 0]
        X.iloc[:, j] = values
        return X

    def fit(self, X, y):
        """Fit the pipeline on the moved target; remember the profiles.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            Rows of :func:`~sklstm.forecasting.make_supervised`.
        y : array-like of shape (n_samples,) or (n_samples, n_steps)
            The target at the next step(s).

        Returns
        -------
        self : WindowForecaster
            Fitted estimator.
        """
        j = self._column(X)
        known = X.iloc[:, j].to_numpy(dtype=np.float64)
        known = known[~np.isnan(known)]
        self.space_ = (
            "log" if np.all(known > 0) else "log1p" if np.all(known >= 0) else "raw"
        )
        self.profiles_ = self._profiles(X, j)
        y = np.asarray(y, dtype=np.float64)
        steps = np.arange(1, (y.shape[1] if y.ndim == 2 else 1) + 1)
        moved = self._forward(y.reshape(len(y), -1)) - self._season(X, steps)
        moved = moved.reshape(y.shape)
        self.pipeline_ = clone(self.pipeline).fit(self._moved(X), moved)
        self.n_steps_ = len(steps)
        return self

    def _profiles(self, X, j):
        if self._period < 2:
            return {}
        panel = panel_of(X)
        values = self._forward(X.iloc[:, j].to_numpy(dtype=np.float64))
        if panel is None:
            m = self._period
            return {None: season_profile(values, season_positions(X.index, m), m)}
        profiles = {}
        for label, rows, _ in panel.segments():
            index = X.index[rows].get_level_values(1)
            profiles[label] = season_profile(
                values[rows], season_positions(index, self._period), self._period
            )
        return profiles

    def predict(self, X):
        """Forecast: the pipeline's forecast, the season added, back in units.

        Parameters
        ----------
        X : DataFrame of shape (n_samples, n_columns)
            Rows in the framing of ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps)
            NaN where the pipeline predicts none (a window reaching before its
            series' first row).
        """
        check_is_fitted(self, "pipeline_")
        pred = np.asarray(self.pipeline_.predict(self._moved(X)), dtype=np.float64)
        shape = pred.shape
        steps = np.arange(1, self.n_steps_ + 1)
        pred = pred.reshape(len(pred), -1) + self._season(X, steps)
        return self._backward(pred).reshape(shape)
