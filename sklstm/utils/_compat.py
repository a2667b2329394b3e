"""The one place where sklstm imports private or version-dependent scikit-learn
(and joblib) names.

Everything here is re-exported so that a change in scikit-learn's private API has
to be handled in exactly one file.
"""

from joblib.parallel import ThreadingBackend  # joblib's, subclassed for searches
from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    Options,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.validation import (
    _check_feature_names,
    _check_feature_names_in,
    validate_data,
)

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "Options",
    "RealNotInt",
    "StrOptions",
    "ThreadingBackend",
    "_BaseComposition",
    "_check_feature_names",
    "_check_feature_names_in",
    "_fit_context",
    "validate_data",
    "validate_params",
]
