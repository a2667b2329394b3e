"""Calendar columns from the time index: :class:`CalendarFeatures`."""

import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from sklstm.preprocessing._base import _FLOAT_DTYPES, _check_int_list, _check_numeric
from sklstm.utils._compat import (
    Interval,
    StrOptions,
    _check_feature_names_in,
    _fit_context,
    validate_data,
)
from sklstm.utils._panel import panel_of, time_labels
from sklstm.utils._time import infer_offset

# name -> (period of the cyclic encoding, categories of the one-hot encoding)
_FEATURES = {
    "month": (12, range(1, 13)),
    "dayofweek": (7, range(7)),
    "hour": (24, range(24)),
    # ISO weeks 1..53; 52.1775 is the mean number of ISO weeks in a year
    "weekofyear": (52.1775, range(1, 54)),
}
_DAY = pd.Timedelta(days=1)
# the longest run of days without a holiday that the distances report
_MAX_DISTANCE = 366


def _auto_features(step):
    """The features that vary at a step of ``step`` (a Timedelta)."""
    if step < _DAY:
        return ["hour", "dayofweek"]
    if step < 7 * _DAY:
        return ["dayofweek", "month"]
    if step < 28 * _DAY:
        return ["weekofyear"]
    if step < 365 * _DAY:
        return ["month"]
    return []


def _row_times(X):
    """The time label of every row of ``X`` (an Index), or None if it has none.

    A DatetimeIndex or PeriodIndex, or for a panel its time level. A ValueError
    for a duplicated or unsorted time index (per series for a panel).
    """
    index = getattr(X, "index", None)
    if not isinstance(X, (pd.DataFrame, pd.Series)) or not isinstance(index, pd.Index):
        return None
    if isinstance(index, pd.MultiIndex):
        if index.nlevels != 2:
            return None
        level = index.get_level_values(1)
        if not isinstance(level, (pd.DatetimeIndex, pd.PeriodIndex)):
            return None
        panel_of(X)  # contiguous series, each sorted and unique
        return level
    if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
        return time_labels(index)
    return None


def _describe_index(X):
    index = getattr(X, "index", None)
    if not isinstance(X, (pd.DataFrame, pd.Series)):
        return f"a {type(X).__name__}, which has no index"
    if isinstance(index, pd.MultiIndex):
        kinds = [type(level).__name__ for level in index.levels]
        return f"a frame indexed by a MultiIndex of {kinds}"
    return f"a frame indexed by a {type(index).__name__}"


def _series_times(X, times):
    """The time labels of each series of ``X`` (one entry for a single series)."""
    panel = panel_of(X)
    if panel is None:
        return [times]
    return [times[rows] for _, rows, _ in panel.segments()]


def _offset(series_times):
    """The step of the time index as a DateOffset, or None when unknown.

    The index's ``freq`` when set (always for a PeriodIndex), else the one
    pandas infers; for a panel, that of every series that has one (they must
    agree).
    """
    found = set()
    for times in series_times:
        freq = times.freq if times.freq is not None else infer_offset(times)
        if freq is not None:
            found.add(freq)
    if len(found) > 1:
        raise ValueError(
            "the series of the panel X have different steps "
            f"({sorted(map(str, found))}); CalendarFeatures needs one step "
            "to compute the time stamps of the steps ahead."
        )
    return found.pop() if found else None


def _start_times(times):
    """Time stamps of ``times`` (periods: their start), wall clock, no time zone."""
    if isinstance(times, pd.PeriodIndex):
        times = times.to_timestamp(how="start")
    if times.tz is not None:
        times = times.tz_localize(None)
    return pd.DatetimeIndex(times)


def _median_step(series_times, offset):
    """The median step between consecutive rows, or None when unknown."""
    steps = [
        np.diff(_start_times(t).as_unit("ns").asi8) for t in series_times if len(t) > 1
    ]
    if steps:
        return pd.Timedelta(int(np.median(np.concatenate(steps))), unit="ns")
    first = next((t[:1] for t in series_times if len(t)), None)
    if offset is None or first is None:
        return None
    return _shifted(first, offset, 1)[0] - _start_times(first)[0]


def _shifted(times, offset, k):
    """The time stamps ``k`` steps after ``times``."""
    if k == 0:
        return _start_times(times)
    if isinstance(times, pd.PeriodIndex):
        return _start_times(times + k)
    with warnings.catch_warnings():
        # business-hour and custom offsets are applied stamp by stamp
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        return _start_times(times + k * offset)


def _encode(values, feature, encoding, hours=None):
    """Columns of one calendar feature (``hours``: the fractional time of day)."""
    period, categories = _FEATURES[feature]
    if encoding == "ordinal":
        return values[:, None].astype(np.float64)
    if encoding == "onehot":
        return (values[:, None] == np.asarray(categories)[None, :]).astype(np.float64)
    start = 0 if feature in ("dayofweek", "hour") else 1
    position = hours if hours is not None else values - start
    angle = 2 * np.pi * position / period
    return np.column_stack([np.sin(angle), np.cos(angle)])


def _feature_columns(stamps, feature, encoding):
    if feature == "month":
        return _encode(stamps.month.to_numpy(), feature, encoding)
    if feature == "dayofweek":
        return _encode(stamps.day_of_week.to_numpy(), feature, encoding)
    if feature == "weekofyear":
        weeks = stamps.isocalendar()["week"].to_numpy(dtype=np.int64)
        return _encode(weeks, feature, encoding)
    hours = stamps.hour.to_numpy()
    fraction = hours + stamps.minute.to_numpy() / 60 + stamps.second.to_numpy() / 3600
    return _encode(hours, feature, encoding, hours=fraction)


def _feature_names(feature, encoding):
    if encoding == "ordinal":
        return [feature]
    if encoding == "onehot":
        return [f"{feature}_{c}" for c in _FEATURES[feature][1]]
    return [f"{feature}_sin", f"{feature}_cos"]


def _holiday_calendar(country, subdiv, years):
    """``holidays.country_holidays`` with errors that name the parameters."""
    try:
        import holidays
    except ImportError:
        raise ImportError(
            f"CalendarFeatures(country={country!r}) needs the optional package "
            "'holidays': pip install 'sklstm[holidays]' (or pip install holidays)."
        ) from None
    try:
        return holidays.country_holidays(country, subdiv=subdiv, years=years)
    except NotImplementedError as exc:
        raise ValueError(
            f"country={country!r}, subdiv={subdiv!r}: the holidays package has no "
            f"such calendar ({exc}); see holidays.list_supported_countries() for "
            "the allowed ISO 3166 codes and their subdivisions."
        ) from None


def _holiday_columns(dates, calendar, distance):
    """``holiday`` (0/1) and, if ``distance``, the days to / since the nearest one."""
    days = np.array(sorted(calendar.keys()), dtype="datetime64[D]")
    is_holiday = np.isin(dates, days).astype(np.float64)
    if not distance:
        return is_holiday[:, None]
    # sentinels at the cap on both sides: every date has a holiday before and after
    far = np.timedelta64(_MAX_DISTANCE, "D")
    bounds = np.concatenate([[dates.min() - far], days, [dates.max() + far]])
    to = bounds[np.searchsorted(bounds, dates, side="left")] - dates
    since = dates - bounds[np.searchsorted(bounds, dates, side="right") - 1]
    days_apart = np.column_stack([to, since]).astype(np.int64)
    return np.column_stack([is_holiday, np.minimum(days_apart, _MAX_DISTANCE)])


class CalendarFeatures(TransformerMixin, BaseEstimator):
    """Append calendar columns computed from the time index of ``X``.

    Month, day of week, hour and week of year of each row's time stamp,
    encoded as sine/cosine pairs, one-hot columns or plain numbers, and, for a
    given country, whether the row's date is a public holiday. The time is
    the index of ``X``: a :class:`pandas.DatetimeIndex` or
    :class:`pandas.PeriodIndex`, or, for a panel (a DataFrame indexed by a
    (series, time) :class:`pandas.MultiIndex`), its time level, row by row.
    The input columns pass through first; the calendar columns follow.

    With ``steps_ahead``, the columns describe the time stamps after each
    row's own (``t + 1``, ..., ``t + h``, one step being the index's
    frequency): the calendar of the steps a forecast made at ``t`` covers,
    known in advance by construction.

    Parameters
    ----------
    features : "auto" or list of str, default="auto"
        Which of "month", "dayofweek" (0 = Monday), "hour" (time of day) and
        "weekofyear" (ISO week, 1-53) to compute. "auto" picks those that
        vary at the step of the training index (see Notes), e.g. "month"
        alone for monthly data. An empty list computes only the holiday
        columns (then ``country`` is needed).

    encoding : {"cyclic", "onehot", "ordinal"}, default="cyclic"
        "cyclic": two columns per feature, ``<feature>_sin`` and
        ``<feature>_cos``, the position in its cycle (12 months, 7 days, 24
        hours, 52.1775 ISO weeks) as an angle, so that December sits next to
        January; the hour is the time of day with its minutes and seconds.
        "onehot": one 0/1 column per value, ``<feature>_<value>`` (every
        value of the cycle, whatever the data holds: ``month_1`` ..
        ``month_12``, ``dayofweek_0`` .. ``dayofweek_6``, ``hour_0`` ..
        ``hour_23``, ``weekofyear_1`` .. ``weekofyear_53``). "ordinal": the
        value itself, one column named ``<feature>``.

    country : str or None, default=None
        ISO 3166 code of a country whose public holidays (including their
        observed days) give a column ``holiday``, 1.0 when the row's date is
        one and 0.0 otherwise. Needs the optional package ``holidays``
        (``pip install 'sklstm[holidays]'``). None adds no holiday column.

    subdiv : str or None, default=None
        A subdivision of ``country`` (a state, province...), as the
        ``holidays`` package names it, whose own holidays count too.

    holiday_distance : bool, default=False
        Also add ``days_to_holiday`` and ``days_since_holiday``: the days from
        the row's date to the next public holiday and since the last one (0
        on a holiday), at most 366. Needs ``country``.

    steps_ahead : int or list of int, default=0
        Whose calendar each row gets. 0: the row's own time ``t``. An int
        ``h >= 1``: the steps ``t + 1``, ..., ``t + h``, one block of columns
        per step, suffixed ``_ahead_<k>`` (``month_sin_ahead_1``). A list
        gives the steps explicitly (each ``>= 0``, no duplicates; 0 is ``t``
        itself, unsuffixed).

    Attributes
    ----------
    features_ : list of str
        The calendar features computed, ``features`` with "auto" resolved.

    steps_ : list of int
        The steps ahead, expanded from ``steps_ahead``.

    freq_ : pandas.DateOffset or None
        The step of the training index: its ``freq``, else the one pandas
        infers (for a panel, the one its series share); None when unknown.
        ``transform`` computes the stamps ``t + k`` with it, so that a row's
        output never depends on the stamps of other rows.

    n_features_out_ : int
        Number of output columns.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    SeriesOneHot : Append one-hot columns of a panel row's series.
    sklearn.preprocessing.OneHotEncoder : One-hot columns of a column's values.

    Notes
    -----
    "auto" decides from the median step between consecutive training stamps
    (for a PeriodIndex, between the periods' starts):

    ========================  ======================
    step                      features
    ========================  ======================
    under a day               "hour", "dayofweek"
    a day to under a week     "dayofweek", "month"
    a week to under 28 days   "weekofyear"
    28 days to under a year   "month"
    a year or more            none (an error)
    ========================  ======================

    Row ``t`` of the output depends only on row ``t`` of the input, its time
    stamp and what :meth:`fit` learned (no look-ahead); ``n`` rows in, ``n``
    rows out, in the same order. A time-zone-aware index is read in its
    local (wall-clock) time. Holidays are those of the row's date, so for
    data coarser than daily the column marks only stamps that fall on a
    holiday.

    ``X`` may have no column at all when it has a time index: the output is
    then the calendar alone. In a :class:`~sklearn.pipeline.Pipeline`, call
    ``pipe.set_output(transform="pandas")`` so that the index reaches this
    step; a NumPy array has no time and is refused.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.preprocessing import CalendarFeatures
    >>> index = pd.date_range("1949-01-01", periods=4, freq="MS")
    >>> X = pd.DataFrame({"passengers": [112.0, 118.0, 132.0, 129.0]}, index=index)
    >>> calendar = CalendarFeatures().fit(X)
    >>> calendar.features_
    ['month']
    >>> calendar.transform(X).round(3)
    array([[112.   ,   0.   ,   1.   ],
           [118.   ,   0.5  ,   0.866],
           [132.   ,   0.866,   0.5  ],
           [129.   ,   1.   ,   0.   ]])
    >>> calendar.get_feature_names_out().tolist()
    ['passengers', 'month_sin', 'month_cos']
    >>> ahead = CalendarFeatures(encoding="ordinal", steps_ahead=2).fit(X)
    >>> ahead.set_output(transform="pandas").transform(X)
                passengers  month_ahead_1  month_ahead_2
    1949-01-01       112.0            2.0            3.0
    1949-02-01       118.0            3.0            4.0
    1949-03-01       132.0            4.0            5.0
    1949-04-01       129.0            5.0            6.0

    Public holidays need the optional package ``holidays``:

    >>> days = pd.DataFrame(index=pd.date_range("2024-12-24", periods=3, freq="D"))
    >>> christmas = CalendarFeatures(features=[], country="US").fit(days)
    >>> christmas.transform(days).ravel()
    array([0., 1., 0.])
    """

    _parameter_constraints: dict = {
        "features": [StrOptions({"auto"}), "array-like"],
        "encoding": [StrOptions({"cyclic", "onehot", "ordinal"})],
        "country": [str, None],
        "subdiv": [str, None],
        "holiday_distance": ["boolean"],
        "steps_ahead": [Interval(Integral, 0, None, closed="left"), "array-like"],
    }

    def __init__(
        self,
        *,
        features="auto",
        encoding="cyclic",
        country=None,
        subdiv=None,
        holiday_distance=False,
        steps_ahead=0,
    ):
        self.features = features
        self.encoding = encoding
        self.country = country
        self.subdiv = subdiv
        self.holiday_distance = holiday_distance
        self.steps_ahead = steps_ahead

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Resolve the features and learn the step of the time index.

        Parameters
        ----------
        X : pandas.DataFrame of shape (n_samples, n_features)
            Training data indexed by a DatetimeIndex or PeriodIndex, or a
            panel whose time level is one.

        y : None
            Ignored.

        Returns
        -------
        self : CalendarFeatures
            The fitted transformer.
        """
        _, times = self._validate(X, reset=True)
        self.steps_ = self._check_steps()
        self._check_holiday_parameters()
        series_times = _series_times(X, times)
        self.freq_ = _offset(series_times)
        self._periods = isinstance(times, pd.PeriodIndex)
        if max(self.steps_) > 0 and self.freq_ is None and not self._periods:
            raise ValueError(
                f"steps_ahead={self.steps_ahead!r} needs the step of the time "
                "index, but X's index has no freq and pandas cannot infer one "
                "(irregular stamps, fewer than 3 per series, or series with "
                "different steps); set one, e.g. with X.asfreq('MS')."
            )
        self.features_ = self._resolve_features(series_times)
        new = self._new_names()
        clash = sorted(set(new) & set(map(str, getattr(self, "feature_names_in_", []))))
        if clash:
            raise ValueError(
                f"X already has the column(s) {clash} that CalendarFeatures "
                "adds; rename or drop them first."
            )
        self.n_features_out_ = self.n_features_in_ + len(new)
        return self

    def transform(self, X):
        """``X`` followed by the calendar columns of its rows' time stamps.

        Parameters
        ----------
        X : pandas.DataFrame of shape (n_samples, n_features)
            Data indexed by a DatetimeIndex or PeriodIndex, or a panel whose
            time level is one.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out_)
            The input columns, then the calendar columns.
        """
        check_is_fitted(self)
        X_arr, times = self._validate(X, reset=False)
        if max(self.steps_) > 0:
            self._check_same_step(times)
        stamps = [_shifted(times, self.freq_, k) for k in self.steps_]
        calendar = None
        if self.country is not None and len(times):
            years = range(
                min(s.year.min() for s in stamps) - 1,
                max(s.year.max() for s in stamps) + 2,
            )
            calendar = _holiday_calendar(self.country, self.subdiv, years)
        blocks = [X_arr]
        for step_stamps in stamps:
            columns = [
                _feature_columns(step_stamps, feature, self.encoding)
                for feature in self.features_
            ]
            if calendar is not None:
                dates = step_stamps.to_numpy().astype("datetime64[D]")
                columns.append(_holiday_columns(dates, calendar, self.holiday_distance))
            blocks.extend(columns)
        out = np.empty((X_arr.shape[0], self.n_features_out_), dtype=X_arr.dtype)
        if len(times):
            out[:] = np.hstack(blocks)
        return out

    def get_feature_names_out(self, input_features=None):
        """Get output feature names for transformation.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names. If None, ``feature_names_in_`` is used if
            defined, else ``["x0", "x1", ...]``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            The input names, then the calendar columns' names (see
            ``encoding``, ``country`` and ``steps_ahead``).
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        return np.asarray([*names.tolist(), *self._new_names()], dtype=object)

    def _validate(self, X, *, reset):
        """Validate ``X`` as a float array; return it and its rows' time labels."""
        times = _row_times(X)
        _check_numeric(self, X)
        if times is not None and X.ndim == 2 and X.shape[1] == 0:
            X = np.empty((X.shape[0], 0))  # check_array refuses a column-less frame
        X_arr = validate_data(
            self,
            X,
            reset=reset,
            dtype=_FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
            # a time index alone is enough: the output is then the calendar
            ensure_min_features=0 if times is not None else 1,
        )
        if times is None:
            raise ValueError(
                "CalendarFeatures needs the time of every row: X must be a pandas "
                "DataFrame indexed by a DatetimeIndex or PeriodIndex, or a panel "
                "indexed by a (series, time) MultiIndex whose time level is one; "
                f"got {_describe_index(X)}. In a Pipeline, call "
                "set_output(transform='pandas') so that the index reaches it."
            )
        return X_arr, times

    def _check_steps(self):
        steps = self.steps_ahead
        if isinstance(steps, Integral):
            return [0] if steps == 0 else list(range(1, int(steps) + 1))
        return _check_int_list("steps_ahead", steps, minimum=0)

    def _check_holiday_parameters(self):
        if self.country is None:
            for name in ("subdiv", "holiday_distance"):
                if getattr(self, name):
                    raise ValueError(
                        f"{name}={getattr(self, name)!r} needs a country for its "
                        "holidays, but country=None; give one, e.g. country='US'."
                    )
            return
        _holiday_calendar(self.country, self.subdiv, years=[])

    def _resolve_features(self, series_times):
        if isinstance(self.features, str):  # "auto"
            step = _median_step(series_times, self.freq_)
            if step is None:
                raise ValueError(
                    "features='auto' needs the step of the time index, but X has "
                    "a single time stamp and no freq; pass the features "
                    "explicitly, e.g. features=['month']."
                )
            features = _auto_features(step)
            if not features and self.country is None:
                raise ValueError(
                    f"features='auto' finds no calendar feature that varies at a "
                    f"step of {step}; pass the features explicitly or a country "
                    "for its holidays."
                )
            return features
        features = list(self.features)
        for feature in features:
            if not isinstance(feature, str) or feature not in _FEATURES:
                raise ValueError(
                    f"features={self.features!r}: {feature!r} is not a calendar "
                    f"feature; allowed are 'auto' or a list of {list(_FEATURES)}."
                )
        if len(set(features)) != len(features):
            raise ValueError(f"features={self.features!r} lists a feature twice.")
        if not features and self.country is None:
            raise ValueError(
                "features=[] and country=None: CalendarFeatures would add no "
                "column; give features or a country."
            )
        return features

    def _check_same_step(self, times):
        """The stamps ahead need the step ``fit`` learned; refuse another one."""
        periods, freq = isinstance(times, pd.PeriodIndex), times.freq
        if periods != self._periods or (
            freq is not None and self.freq_ is not None and freq != self.freq_
        ):
            got = f"{type(times).__name__} with freq {freq}"
            raise ValueError(
                f"X has a {got}, but fit saw a "
                f"{'PeriodIndex' if self._periods else 'DatetimeIndex'} with step "
                f"{self.freq_}: the steps ahead would be computed with the wrong "
                "step; transform data of the frequency fit saw."
            )

    def _new_names(self):
        block = [
            name
            for feature in self.features_
            for name in _feature_names(feature, self.encoding)
        ]
        if self.country is not None:
            block.append("holiday")
            if self.holiday_distance:
                block += ["days_to_holiday", "days_since_holiday"]
        return [
            name if k == 0 else f"{name}_ahead_{k}"
            for k in self.steps_
            for name in block
        ]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
