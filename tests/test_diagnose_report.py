"""The result objects: Finding, Diagnosis (container, table, text, figure)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sklstm
from sklstm.diagnose import Diagnosis, Finding, diagnose_data

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


def _diagnosis():
    return Diagnosis(
        [
            Finding("late", "info", "an info", "nothing", epoch=3),
            Finding(
                "bad",
                "error",
                "an error with 1.5",
                "fix it",
                column="x",
                evidence={"value": 1.5},
                epoch=2,
            ),
            Finding("meh", "warning", "a warning " + "word " * 30, "long fix " * 20),
        ],
        context={"data": "10 rows"},
        history={"loss": [1.0, 0.5, 0.4, 0.35], "val_loss": [1.1, 0.6, 0.7, 0.8]},
        kept_epoch=2,
        baselines={"train": 0.45, "validation": 0.5},
    )


def test_findings_sorted_by_severity_and_container_protocol():
    d = _diagnosis()
    assert d.names == ["bad", "meh", "late"]
    assert len(d) == 3 and [f.name for f in d] == d.names
    assert d[0].name == "bad" and d["late"].epoch == 3
    assert "meh" in d and "nope" not in d
    with pytest.raises(KeyError, match="no finding named 'nope'"):
        d["nope"]
    assert [d.count(s) for s in ("error", "warning", "info")] == [1, 1, 1]
    with pytest.raises(ValueError, match="severity='fatal' is invalid"):
        d.count("fatal")


def test_finding_rejects_unknown_severity_and_diagnosis_non_findings():
    with pytest.raises(ValueError, match="severity='critical' is invalid"):
        Finding("x", "critical", "m", "f")
    with pytest.raises(ValueError, match="findings must hold Finding objects; got str"):
        Diagnosis(["x"])


def test_to_frame_columns_and_values():
    frame = _diagnosis().to_frame()
    assert list(frame.columns) == [
        "name",
        "severity",
        "column",
        "message",
        "fix",
        "epoch",
        "evidence",
    ]
    assert frame["name"].tolist() == ["bad", "meh", "late"]
    assert frame["epoch"].tolist()[0] == 2 and pd.isna(frame["epoch"].iloc[1])
    assert frame["evidence"].iloc[0] == {"value": 1.5}


def test_text_report_header_wrapping_and_str():
    d = _diagnosis()
    text = d.to_text()
    assert text.splitlines()[0] == "sklstm diagnosis: 1 error, 1 warning, 1 info"
    assert "data: 10 rows" in text
    assert "[error] bad (x)\n    an error with 1.5\n    fix: fix it" in text
    assert max(len(line) for line in text.splitlines()) <= 88
    assert max(len(line) for line in d.to_text(width=60).splitlines()) <= 60
    assert str(d) == text
    assert repr(d) == "<Diagnosis: 1 error, 1 warning, 1 info: bad, meh, late>"


def test_plot_learning_curves_marks_findings_and_baselines():
    d = _diagnosis()
    ax = d.plot()
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["loss", "val_loss"]
    assert "trivial forecast (train)" in labels and "kept epoch 2" in labels
    marked = [t.get_text() for t in ax.texts]
    assert marked == ["bad", "late"]
    assert ax.get_yscale() == "linear"  # the losses span less than a factor 20
    wide = Diagnosis([], history={"loss": [1000.0, 10.0, 1.0]}).plot()
    assert wide.get_yscale() == "log"
    assert "bad, late" in ax.get_title()


def test_plot_series_without_history_marks_validation_and_outliers():
    y = pd.Series(
        np.random.default_rng(0).normal(size=200),
        name="load",
        index=pd.date_range("2020-01-01", periods=200, freq="D"),
    )
    y.iloc[50] = 40.0
    y.iloc[60] = np.nan
    d = diagnose_data(None, y)
    ax = d.plot()
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["load", "missing", "outlier"]
    outlier = ax.get_lines()[2]
    assert outlier.get_ydata().tolist() == [40.0]
    assert "outliers" in ax.get_title()


def test_plot_draws_on_given_axes_and_refuses_an_empty_diagnosis():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert _diagnosis().plot(ax=ax) is ax
    plt.close(fig)
    with pytest.raises(ValueError, match="Nothing to plot"):
        Diagnosis([]).plot()


def test_import_does_not_load_tensorflow_or_matplotlib():
    root = Path(sklstm.__file__).resolve().parents[1]
    code = (
        "import sys, sklstm.diagnose, sklstm.cli; "
        "sklstm.diagnose.diagnose_data(None, [1.0, 2.0, 3.0]); "
        "bad = [m for m in ('tensorflow', 'keras', 'scikeras', 'matplotlib') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
