"""Run every gallery example in quick mode.

Each ``examples/plot_*.py`` runs in its own Python process with
``SKLSTM_QUICK=1`` (tiny epochs, one seed, tiny grids) in a temporary directory;
it must exit with 0, print a table of scores (MASE for the forecasting
examples, accuracy for the classification one) and write a PNG figure there.
"""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(EXAMPLES_DIR.glob("plot_*.py"))

# optional dependencies of single examples (the "examples" extra)
REQUIRES = {
    "plot_optuna_search.py": ["optuna", "optuna_integration"],
    "plot_prediction_intervals.py": ["mapie"],
}

# the score every example reports; forecasting examples report MASE
SCORE = {"plot_lstm_classification.py": "accuracy"}

# a row of a printed score table: a label followed by decimal numbers
TABLE_ROW = re.compile(r"^\S.*?(\s+-?\d+\.\d{3}){3,}", re.MULTILINE)


def test_examples_are_found():
    names = {script.name for script in SCRIPTS}
    assert {
        "plot_lesson_1_scaling.py",
        "plot_lesson_2_depth.py",
        "plot_lesson_3_regularization.py",
        "plot_recipe_grid_search.py",
        "plot_optuna_search.py",
        "plot_lstm_classification.py",
    } <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_example_runs_in_quick_mode(script, tmp_path):
    for module in REQUIRES.get(script.name, []):
        # skip without importing it here: the example imports it in its own process
        if importlib.util.find_spec(module) is None:
            pytest.importorskip(module)
    env = {
        **os.environ,
        "SKLSTM_QUICK": "1",
        "MPLBACKEND": "Agg",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    env.pop("SKLSTM_FIGURE_DIR", None)  # figures go to the working directory
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"{script.name} exited with {result.returncode}\n"
        f"--- stdout ---\n{result.stdout[-3000:]}\n"
        f"--- stderr ---\n{result.stderr[-3000:]}"
    )
    assert SCORE.get(script.name, "MASE") in result.stdout, result.stdout
    assert TABLE_ROW.search(result.stdout), result.stdout
    figures = list(tmp_path.glob("*.png"))
    assert figures, f"{script.name} wrote no PNG into its working directory"
    assert all(figure.stat().st_size > 1000 for figure in figures)
