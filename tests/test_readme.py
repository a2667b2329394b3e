"""README.md's python blocks run as written, in order, in a fresh interpreter."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _python_blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_has_python_blocks():
    assert len(_python_blocks(README.read_text())) >= 1


def test_readme_python_blocks_run_top_to_bottom(tmp_path):
    blocks = _python_blocks(README.read_text())
    script = tmp_path / "readme.py"
    script.write_text("\n\n".join(blocks))
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # what README promises to print, it prints: the recipe beats seasonal naive
    found = re.search(r"MASE: sklstm ([0-9.]+), seasonal naive ([0-9.]+)", done.stdout)
    assert found, done.stdout[-2000:]
    assert float(found[1]) < float(found[2])
