"""The outputs pasted in docs/user_guide/diagnose.rst that need no network.

The page says every output on it was produced by the code above it. The data
reports (the article's first example, and ``sklstm diagnose`` on the three
shipped series) are cheap and deterministic: they are rerun here and must match
the page character for character. The training reports fit networks and are
not rerun.
"""

import contextlib
import io
import re
import shlex
import textwrap
from pathlib import Path

import pytest

from sklstm.cli import main
from sklstm.datasets import DATASETS

PAGE = Path(__file__).resolve().parents[1] / "docs" / "user_guide" / "diagnose.rst"


def _blocks():
    """``(language, code)`` of every code block of the page, in order."""
    text = PAGE.read_text()
    pattern = re.compile(r"^\.\. code-block:: (\w+)\n\n((?:(?:    .*)?\n)+)", re.M)
    return [
        (lang, textwrap.dedent(body).strip("\n"))
        for lang, body in pattern.findall(text)
    ]


def _cli_blocks():
    return [body for lang, body in _blocks() if body.startswith("$ sklstm diagnose ")]


def test_the_page_has_the_outputs_this_file_checks():
    assert len(_cli_blocks()) == 3
    assert _blocks()[0][0] == "python" and "diagnose_data" in _blocks()[0][1]


def test_first_data_report_matches_the_page():
    (_, code), (_, expected) = _blocks()[:2]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {})  # the page's own example
    assert out.getvalue().strip("\n") == expected


@pytest.mark.parametrize("index", range(3))
def test_cli_data_report_matches_the_page(index, tmp_path, monkeypatch, capsys):
    command, *expected = _cli_blocks()[index].splitlines()
    argv = shlex.split(command)[2:]  # after "$ sklstm"
    csv = argv[1]
    DATASETS[csv.removesuffix(".csv")].load().to_csv(tmp_path / csv, index_label="date")
    monkeypatch.chdir(tmp_path)
    main(argv)
    assert capsys.readouterr().out.rstrip("\n").splitlines() == [
        line.rstrip() for line in expected
    ]
