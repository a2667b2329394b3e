"""README.md's python blocks (and those of the components page it links) run as
written, in order, in a fresh interpreter."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMPONENTS = ROOT / "docs" / "user_guide" / "components.md"


def _python_blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_has_python_blocks():
    assert len(_python_blocks(README.read_text())) >= 1


def _run(blocks, tmp_path):
    script = tmp_path / "blocks.py"
    script.write_text("\n\n".join(blocks))
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_readme_python_blocks_run_top_to_bottom(tmp_path):
    done = _run(_python_blocks(README.read_text()), tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    # what README promises to print, it prints: the recipe beats seasonal naive
    found = re.search(r"MASE: sklstm ([0-9.]+), seasonal naive ([0-9.]+)", done.stdout)
    assert found, done.stdout[-2000:]
    assert float(found[1]) < float(found[2])


def test_components_page_python_blocks_run(tmp_path):
    blocks = _python_blocks(COMPONENTS.read_text())
    assert len(blocks) >= 2
    done = _run(blocks, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    # the pipeline example beats the seasonal naive forecast, as it prints
    found = re.search(r"MASE: sklstm ([0-9.]+), seasonal naive ([0-9.]+)", done.stdout)
    assert found and float(found[1]) < float(found[2]), done.stdout[-2000:]
