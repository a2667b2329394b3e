"""Shared test configuration: quiet TensorFlow, the hypothesis profiles.

Property tests draw new examples on every run ("sklstm", the default), so CI
explores more than a fixed set. A failure prints the falsifying example and a
``@reproduce_failure(...)`` blob; ``pytest --hypothesis-seed=N`` replays a
run's seed, and ``pytest --hypothesis-profile=sklstm-fixed`` draws the same
examples every time (for bisecting).
"""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

try:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "sklstm",
        deadline=None,
        max_examples=40,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=False,
        print_blob=True,
    )
    settings.register_profile(
        "sklstm-fixed", parent=settings.get_profile("sklstm"), derandomize=True
    )
    settings.load_profile("sklstm")
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass


@pytest.fixture(autouse=True)
def _matplotlib_agg(monkeypatch):
    """Never open a window from a test."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
