"""The thresholds of the diagnosis: their rules, checked in one place.

Every keyword of :func:`~sklstm.diagnose.diagnose_data`,
:func:`~sklstm.diagnose.diagnose_training`,
:func:`~sklstm.diagnose.diagnose_forecast` and
:func:`~sklstm.diagnose.diagnose` that is a number has one rule here;
:func:`check_settings` applies them.
"""

from sklstm.diagnose._utils import check_number

# name -> the bounds ``check_number`` enforces
_RULES = {
    # data checks
    "window": {"low": 1, "integer": True, "allow_none": True},
    "validation_fraction": {"low": 0, "high": 1, "closed": "left"},
    "scale_ratio": {"low": 1, "closed": "neither"},
    "scale_limit": {"low": 0, "closed": "neither"},
    "outlier_iqr": {"low": 0, "closed": "neither"},
    "trend_r2": {"low": 0, "high": 1, "closed": "right"},
    "variance_ratio": {"low": 1, "closed": "neither"},
    "seasonal_acf": {"low": 0, "high": 1, "closed": "right"},
    "min_samples": {"low": 1, "integer": True},
    # training checks
    "overfit_rise": {"low": 0, "closed": "neither"},
    "underfit_ratio": {"low": 0, "closed": "neither"},
    "convergence_tol": {"low": 0, "closed": "neither"},
    "convergence_epochs": {"low": 1, "integer": True},
    "divergence_factor": {"low": 1, "closed": "neither"},
    "min_best_epoch": {"low": 1, "integer": True},
    # forecast checks
    "m": {"low": 1, "integer": True},
    "max_lag": {"low": 1, "integer": True},
    "naive_ratio": {"low": 0, "closed": "neither"},
    "flat_ratio": {"low": 0, "high": 1, "closed": "neither"},
    "bias_ratio": {"low": 0, "high": 1, "closed": "neither"},
    "horizon_growth": {"low": 1, "closed": "neither"},
    # interval checks (coverage: the intervals' nominal coverage, an input)
    "coverage": {"low": 0, "high": 1, "closed": "neither"},
    "coverage_band": {"low": 0, "high": 1, "closed": "neither"},
    "coverage_gap": {"low": 0, "high": 1, "closed": "left"},
}

# the keywords of the data checks and of the training checks
DATA_SETTINGS = (
    "window",
    "validation_fraction",
    "scale_ratio",
    "scale_limit",
    "outlier_iqr",
    "trend_r2",
    "variance_ratio",
    "seasonal_acf",
    "min_samples",
)
TRAINING_SETTINGS = (
    "overfit_rise",
    "underfit_ratio",
    "convergence_tol",
    "convergence_epochs",
    "divergence_factor",
    "min_best_epoch",
    "scale_ratio",
    "scale_limit",
)


def check_settings(**settings):
    """Check each keyword against its rule, in the order given.

    Returns the keywords as a dict; the first invalid one raises the
    ValueError of :func:`~sklstm.diagnose._utils.check_number`.
    """
    for name, value in settings.items():
        check_number(name, value, **_RULES[name])
    return settings


def pick(settings, names):
    """The entries of ``settings`` named in ``names``, as keywords."""
    return {name: settings[name] for name in names}
