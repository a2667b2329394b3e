"""Shared test configuration: quiet TensorFlow, fixed hypothesis profile."""

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
        derandomize=True,
    )
    settings.load_profile("sklstm")
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass


@pytest.fixture(autouse=True)
def _matplotlib_agg(monkeypatch):
    """Never open a window from a test."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
