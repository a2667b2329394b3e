"""Building the recipe: one estimator that applies every fix of the seed."""

import warnings

import numpy as np
from sklearn.pipeline import Pipeline

from sklstm.compose import ResidualRegressor, SeedAveragingRegressor
from sklstm.exceptions import LogSpaceWarning
from sklstm.forecasting import (
    AirlineForecaster,
    NaiveForecaster,
    RidgeLagForecaster,
    SeasonalNaiveForecaster,
)
from sklstm.preprocessing import (
    DiffFeatures,
    LagFeatures,
    LogTransformer,
    OutlierClipper,
    RollingFeatures,
    SeriesOneHot,
    SeriesScaler,
    TimeSeriesImputer,
    Windower,
)
from sklstm.utils._ahead import describe_columns

from ._folds import check_int, periods_of
from ._window import window_network

__all__ = ["make_lstm_forecaster"]

_LSTM_DEFAULTS = dict(
    units=16,
    epochs=200,
    patience=20,
    learning_rate=3e-3,
    # 32 up to 16,384 windows (every single series bundled), larger above:
    # a panel's epochs stay within 512 steps
    batch_size="auto",
    l2=1e-4,
    # every kernel, output layer included: the recipe's numbers in the README
    # were measured so (the seed's placement is regularize="lstm")
    regularize="all",
    # a panel's epoch: at most this many windows, drawn anew across all series
    # (every bundled single series has fewer, so they train on all of them)
    windows_per_epoch=16_384,
)

_BASELINE_NAMES = ("naive", "seasonal", "ridge", "airline")


def _default_seasonal_lags(periods):
    """Lags that give row t the values one and two seasons before step t+1."""
    return sorted({lag for p in periods for lag in (p - 1, 2 * p - 1)})


def _check_baseline(baseline, periods, m):
    """Raise a ValueError unless ``baseline`` is a known name or an estimator."""
    if isinstance(baseline, str):
        if baseline not in _BASELINE_NAMES:
            raise ValueError(
                f"baseline={baseline!r} must be 'naive', 'seasonal', 'ridge', "
                "'airline' or an estimator."
            )
        if baseline == "seasonal" and not periods:
            raise ValueError(f"baseline='seasonal' needs a period m >= 2; got m={m!r}.")
    elif not (hasattr(baseline, "fit") and hasattr(baseline, "predict")):
        raise ValueError(
            f"baseline={baseline!r} must be 'naive', 'seasonal', 'ridge', 'airline' "
            "or an estimator with fit and predict."
        )


def _resolve_seasonal_lags(seasonal_lags, baseline, periods):
    """The lags of the target given to the LSTM: checked, "auto" resolved."""
    if isinstance(seasonal_lags, str):
        if seasonal_lags != "auto":
            raise ValueError(
                f"seasonal_lags={seasonal_lags!r} must be 'auto', a list of lags "
                "(ints >= 1) or None."
            )
        # the seasonal baseline's inputs are seasonal differences already
        return None if baseline == "seasonal" else _default_seasonal_lags(periods)
    if seasonal_lags is None:
        return None
    seasonal_lags = list(seasonal_lags)
    for lag in seasonal_lags:
        check_int("each of seasonal_lags", lag, 1)
    return seasonal_lags


def _check_series_options(scale_by_series, series_identity):
    """Raise a ValueError for an unknown ``scale_by_series`` or ``series_identity``."""
    if not isinstance(scale_by_series, (bool, np.bool_)):
        raise ValueError(f"scale_by_series={scale_by_series!r} must be True or False.")
    if series_identity not in (None, "onehot"):
        raise ValueError(
            f"series_identity={series_identity!r} must be None or 'onehot'."
        )


def _make_baseline(baseline, target, periods, log):
    """The reference forecast of ``baseline`` (a name or an estimator)."""
    if not isinstance(baseline, str):
        return baseline
    if baseline == "seasonal":
        return SeasonalNaiveForecaster(
            m=periods[-1], target=target, growth="multiplicative" if log else "additive"
        )
    if baseline == "airline":
        return AirlineForecaster(
            m=periods[-1] if periods else 1, target=target, log=log
        )
    if baseline == "ridge":
        return RidgeLagForecaster(
            n_lags=2 * periods[-1] if periods else 16, target=target
        )
    return NaiveForecaster(target=target)


def log_step(target, columns=None):
    """The recipe's log step: the target always, the other columns as decided.

    ``columns`` None: the target and every column strictly positive in the
    training rows of each fit (the others named once by a LogSpaceWarning);
    a list (from :func:`resolve_log_columns`): exactly those columns, quietly.
    """
    if columns is None:
        return LogTransformer(columns=[target])
    return LogTransformer(columns=list(columns), others="passthrough")


def resolve_log_columns(X, target, caller):
    """The columns the recipe logs on ``X``: the target and the positive ones.

    Decided once on all the training rows, so that every fold of a search logs
    the same columns and says nothing; the columns left out are named here,
    in one LogSpaceWarning. Names when X has them, else positions.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LogSpaceWarning)  # said below, once
        fitted = LogTransformer(columns=[target]).fit(X)
    names = getattr(fitted, "feature_names_in_", None)

    def label(j):
        return str(names[j]) if names is not None else int(j)

    left_out = [label(j) for j in fitted.passthrough_columns_]
    if left_out:
        warnings.warn(
            f"{caller}: column(s) {describe_columns(left_out)} hold values <= 0 "
            "in the training "
            "rows and stay outside log space; the target and the other columns "
            "are logged.",
            LogSpaceWarning,
            stacklevel=3,
        )
    return [label(j) for j in fitted.log_columns_]


def _feature_steps(*, target, periods, log, baseline, seasonal_lags, moving_average):
    """The pipeline's steps before scaling: clean, (log), lags, differences, MA."""
    steps = [
        ("impute", TimeSeriesImputer(strategy="ffill")),
        # on a panel, each series is clipped on its own scale: bounds pooled
        # over series of different levels clip the largest ones (17 of the 145
        # series of load_us_employment); ignored for a single series
        ("clip", OutlierClipper(method="iqr", factor=3.0, by_series=True)),
    ]
    if log:
        steps.append(("log", log_step(target)))
    if seasonal_lags:
        steps.append(
            ("seasonal_lags", LagFeatures(lags=seasonal_lags, columns=[target]))
        )
    if baseline == "seasonal":
        steps.append(
            ("seasonal_diff", DiffFeatures(period=periods[-1], drop_original=True))
        )
        steps.append(("diff", DiffFeatures(period=1, drop_original=True)))
    else:
        steps.append(("diff", DiffFeatures(period=1)))
    if moving_average is not None:
        steps.append(
            (
                "moving_average",
                RollingFeatures(windows=moving_average, stats=("mean",)),
            )
        )
    return steps


def _scale_step(scale_by_series):
    """Standardize the inputs: each series on its own, or all rows together.

    On one series both give the same numbers (``SeriesScaler`` is
    ``StandardScaler`` there).
    """
    if scale_by_series:
        return ("scale", SeriesScaler())
    from sklearn.preprocessing import StandardScaler

    return ("scale", StandardScaler())


def _network_steps(
    *, window, n_seeds, random_state, lstm_params, scale_by_series, series_identity
):
    """The pipeline's last steps: scale, (series identity), window, the LSTMs."""
    from sklstm.models import LSTMRegressor  # imports TensorFlow

    identity = [("identity", SeriesOneHot())] if series_identity == "onehot" else []
    return [
        _scale_step(scale_by_series),
        *identity,
        ("window", Windower(window=window)),
        (
            "lstm",
            SeedAveragingRegressor(
                estimator=LSTMRegressor(**{**_LSTM_DEFAULTS, **lstm_params}),
                n_estimators=n_seeds,
                random_state=random_state,
                n_jobs=n_seeds,  # side by side in threads: the same networks
            ),
        ),
    ]


def make_lstm_forecaster(
    *,
    target,
    m=1,
    log=False,
    window=8,
    moving_average=4,
    baseline="naive",
    seasonal_lags="auto",
    n_seeds=1,
    shrinkage=1.0,
    clip_residual=None,
    scale_by_series=False,
    series_identity=None,
    network="residual",
    deseasonalize=True,
    random_state=0,
    **lstm_params,
):
    """Build sklstm's forecasting recipe for a supervised series frame.

    The returned estimator takes the ``X`` of
    :func:`~sklstm.forecasting.make_supervised` (row t: every column known at
    time t) and predicts its ``y`` (the target 1..h steps ahead).

    Parameters
    ----------
    target : str or int
        The target column of X.
    m : int or sequence of int, default=1
        Seasonal period, or several (``m=(48, 336)`` for half-hourly data with
        a daily and a weekly season). Periods of 1 mean "no season". They set
        the seasonal lag features, the seasonal baseline (the longest period)
        and the Ridge baseline's default lags.
    log : bool, default=False
        Work in log space (the target, its residual and the inputs that allow
        it): for strictly positive series whose swings grow with their level.
        The target's column is logged (a value <= 0 in it is an error), and so
        is every other column that is strictly positive in the training rows
        of a fit; the others (0/1 dummies, signed covariates) pass through
        unchanged, named once by a :class:`~sklstm.exceptions.LogSpaceWarning`
        (``step "log"``, a :class:`~sklstm.preprocessing.LogTransformer`). A
        logged column that holds a value <= 0 at predict time raises a
        ``ValueError`` naming it.
    window : int, default=8
        Length of the LSTM's input windows (rows of the past).
    moving_average : int or None, default=4
        Add a moving average of this length of every input column (after
        differencing). None: none.
    baseline : {"naive", "seasonal", "ridge", "airline"}, estimator or None, \
default="naive"
        What the LSTM corrects. "naive": the last value; the inputs are the
        levels and their first differences. "seasonal": the seasonal naive
        forecast of the longest period with the last season's growth
        (``SeasonalNaiveForecaster(growth=...)``); the inputs are seasonally
        and then regularly differenced. "ridge": RidgeCV on the target's last
        ``2 * max(m)`` values (16 without a season,
        :class:`~sklstm.forecasting.RidgeLagForecaster`), a linear model the
        LSTM corrects (Zhang's hybrid); the inputs are as for "naive".
        "airline": Box and Jenkins' SARIMA (0,1,1)(0,1,1) of the longest period
        (ARIMA (0,1,1) without one, :class:`~sklstm.forecasting.AirlineForecaster`,
        in log space with ``log``); the inputs are as for "naive". An
        estimator (any regressor of ``make_supervised``'s rows) is used as
        given, with the inputs of "naive". :func:`tune_lstm_forecaster` picks
        one by cross-validation (:func:`select_baseline`). None (with
        ``network="window"`` only): the network's forecast alone, the
        seasonal naive forecast (naive without a season) where a series has
        no full window.
    seasonal_lags : "auto", list of int or None, default="auto"
        Lags of the target column given to the LSTM as extra inputs, so that a
        short window still sees the seasons. "auto": ``p - 1`` and ``2p - 1``
        for every period p of ``m`` (the values one and two seasons before the
        step forecast); none without a season, and none with
        ``baseline="seasonal"``, whose inputs are seasonal differences already
        (the lags did not help there: see the benchmarks page). None: none.
    n_seeds : int, default=1
        Networks trained with different seeds and averaged
        (:class:`~sklstm.compose.SeedAveragingRegressor`); their seeds are
        drawn from ``random_state``. They train side by side in threads of
        this process (its ``n_jobs=n_seeds``), which gives the same networks
        as one after the other in less time; set
        ``regressor__lstm__n_jobs=1`` to train them in turn.
    shrinkage : float >= 0, default=1.0
        Share of the LSTM's correction that is applied
        (:class:`~sklstm.compose.ResidualRegressor`'s ``shrinkage``): 0
        predicts the baseline exactly, 1 the baseline plus the whole
        correction.
    clip_residual : float > 0 or None, default=None
        Against outliers in the target: clip the residuals the LSTM learns to
        this many inter-quartile ranges beyond their quartiles
        (:class:`~sklstm.compose.ResidualRegressor`'s ``clip_residual``; 3.0
        is a good start, see Notes). None: no clipping.
    scale_by_series : bool, default=False
        On a panel: standardize the network's inputs per series
        (:class:`~sklstm.preprocessing.SeriesScaler`, statistics of each
        series' training rows) and divide the residual it learns by each
        series' residual standard deviation
        (``ResidualRegressor(scale_residual="series")``), so that series of
        very different levels and volatilities weigh alike in its loss.
        False: one scaler and one target scale for all rows. On one series
        both are the same (no change).
    series_identity : {None, "onehot"}, default=None
        On a panel: give the network one 0/1 input column per series seen in
        fit (:class:`~sklstm.preprocessing.SeriesOneHot`; a series unseen in
        fit gets zeros). None: the network sees only the series' values. No
        change on one series.
    network : {"residual", "window"}, default="residual"
        The LSTM's design. "residual": it learns what the baseline misses,
        from the pipeline above (differences, moving averages, seasonal lags,
        scaled inputs). "window": a global forecaster of the series itself,
        for panels of many series (:class:`WindowForecaster`): the target in
        log space (``log(1 + y)`` for one that touches 0, raw values for one
        that goes below 0), without each series' seasonal profile
        (``deseasonalize``), every window of ``window`` rows made relative to
        its own level (the mean of its last season) inside the network and
        the level restored at the output (``LSTMRegressor(window_norm=...)``),
        all steps from one output layer, an MAE loss, windows that reach
        before their series' first row left out, and a fresh sample of at
        most 16,384 windows of all series each epoch; ``shrinkage`` then
        weighs its forecast against the baseline's (``ResidualRegressor(learn=
        "target")``: 0.5 is their mean). ``log`` then only sets the
        baseline's space; ``moving_average``, ``seasonal_lags``,
        ``clip_residual``, ``scale_by_series`` and ``series_identity`` belong
        to the residual network.
    deseasonalize : bool, default=True
        With ``network="window"`` and a season: remove each series' seasonal
        profile (learned from its training rows) before the network, add it
        back to the forecast.
    random_state : int, RandomState instance or None, default=0
        Draws the seeds of the LSTMs.
    **lstm_params : dict
        Further :class:`~sklstm.LSTMRegressor` parameters (``n_layers``,
        ``units``, ``dropout``, ``l2``, ``epochs``, ...), overriding the
        recipe's defaults (units=16, epochs=200, patience=20,
        learning_rate=3e-3, batch_size="auto", l2=1e-4: 32 for up to 16,384
        training windows, larger above, see :class:`~sklstm.LSTMRegressor`).

    Returns
    -------
    estimator : ResidualRegressor
        ``ResidualRegressor(regressor=Pipeline([impute, clip, (log),
        (seasonal lags), diff, (moving average), scale, (identity), window,
        lstm]),
        baseline=...)``, whose ``lstm`` step is a
        ``SeedAveragingRegressor(estimator=LSTMRegressor(...))``: its
        parameters are named ``regressor__lstm__estimator__<name>``. Pandas
        output is set so that test folds continue the training history.

    See Also
    --------
    tune_lstm_forecaster : The same recipe tuned by time-ordered grid search.
    sklstm.forecasting.forecast : The next values after the end of a frame.

    Notes
    -----
    Dirty data. Gaps (NaN) in the input columns, the target's column included,
    are filled causally: by the pipeline's first step (``TimeSeriesImputer``,
    forward fill) for the LSTM, and by the baseline itself (forward fill) for
    the reference forecast. Rows whose target ``y`` is NaN are left out of
    training with one :class:`~sklstm.exceptions.MissingTargetWarning` saying
    how many; they stay in ``X`` as history (the LSTM gets them with sample
    weight 0). The ``clip`` step clips outliers in the inputs only; against
    outliers in the target pass ``clip_residual=3.0``, which beat a Huber loss
    on outlier-ridden training parts and clipped nothing on clean ones
    (``benchmarks/target_outliers.py``; the figures are on the benchmarks
    page of the documentation).

    Panels. On a panel (a (series, time) MultiIndex, e.g. from
    :func:`~sklstm.forecasting.make_supervised` of a long frame) one global
    network is fitted on the windows of all series, which never straddle two
    series; every step before scaling works within each series (``clip``
    learns bounds per series), the baseline is fitted per series (naive,
    seasonal, airline) or once on the pooled per-series lag rows (ridge), and
    with ``log`` the residual is a ratio, comparable across series of very
    different levels. A series' predictions do not depend on the other
    series' rows given to ``predict``. On a ragged panel (series of any
    lengths and start dates) a series with no more rows than the steps'
    lags, season or window gives the network no rows (weight 0;
    ``short_series_``), and a series unseen in fit, or that short, is
    forecast by the baseline alone (``unseen_series="baseline"``), named in
    one :class:`~sklstm.exceptions.UnseenSeriesWarning`. The network's
    windows are streamed from one 2-D base
    (:class:`~sklstm.preprocessing.Windows`), and its early
    stopping holds out the windows of the latest time stamps across all
    series (the last ``validation_fraction`` of the windows in time order),
    not the last series.

    ``scale_by_series`` and ``series_identity`` are off by default: neither
    helped on ``load_us_employment`` (``benchmarks/panel_options.py``; the
    figures are on the benchmarks page of the documentation).

    Examples
    --------
    >>> from sklstm.datasets import load_airpassengers
    >>> from sklstm.forecasting import train_test_split_series
    >>> from sklstm.recipe import make_lstm_forecaster
    >>> X_train, X_test, y_train, y_test = train_test_split_series(
    ...     load_airpassengers(), "passengers", n_test=36)
    >>> model = make_lstm_forecaster(target="passengers", m=12, log=True,
    ...                              baseline="seasonal", epochs=5, units=4)
    >>> model.fit(X_train, y_train).predict(X_test).shape
    (36,)
    """
    periods = periods_of(m)
    check_int("window", window, 1)
    check_int("n_seeds", n_seeds, 1)
    _check_series_options(scale_by_series, series_identity)
    if network not in ("residual", "window"):
        raise ValueError(f"network={network!r} must be 'residual' or 'window'.")
    if network == "window" and baseline is None:
        # the network alone; windows without history: the seasonal naive's
        baseline = "seasonal" if periods else "naive"
        shrinkage = 1.0
    _check_baseline(baseline, periods, m)
    if network == "window":
        return ResidualRegressor(
            regressor=window_network(
                target=target,
                periods=periods,
                window=window,
                deseasonalize=deseasonalize,
                n_seeds=n_seeds,
                random_state=random_state,
                lstm_params=lstm_params,
            ),
            baseline=_make_baseline(baseline, target, periods, log),
            shrinkage=shrinkage,
            learn="target",
            unseen_series="baseline",
        )
    seasonal_lags = _resolve_seasonal_lags(seasonal_lags, baseline, periods)
    if moving_average is not None:
        check_int("moving_average", moving_average, 2)
    steps = _feature_steps(
        target=target,
        periods=periods,
        log=log,
        baseline=baseline,
        seasonal_lags=seasonal_lags,
        moving_average=moving_average,
    )
    steps += _network_steps(
        window=window,
        n_seeds=n_seeds,
        random_state=random_state,
        lstm_params=lstm_params,
        scale_by_series=scale_by_series,
        series_identity=series_identity,
    )
    return ResidualRegressor(
        regressor=Pipeline(steps).set_output(transform="pandas"),
        baseline=_make_baseline(baseline, target, periods, log),
        log=log,
        clip_residual=clip_residual,
        shrinkage=shrinkage,
        scale_residual="series" if scale_by_series else None,
        unseen_series="baseline",
    )
