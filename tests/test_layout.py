"""The package's import graph has no circle (tools/layout.py finds them)."""

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "layout.py"


def _layout():
    spec = importlib.util.spec_from_file_location("layout", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_import_circle_between_sklstm_modules(capsys):
    assert _layout().main([]) == 0, capsys.readouterr().out


def test_the_circle_finder_finds_a_circle():
    layout = _layout()
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert layout.cycles(graph) == [["a", "b", "c"]]
    assert layout.cycles({"a": {"b"}, "b": set()}) == []


def test_imports_inside_functions_count(tmp_path):
    """The cli/demo circle was made of imports inside functions."""
    import ast

    layout = _layout()
    tree = ast.parse("def f():\n    from sklstm.cli import main\n")
    modules = {"sklstm.cli": None, "sklstm._demo": None, "sklstm": None}
    assert layout.imports(tree, "sklstm._demo", False, modules) == {"sklstm.cli"}


def test_the_package_root_holds_only_the_library():
    """Command-line code lives in sklstm/cli/, not beside the library."""
    root = Path(__file__).resolve().parents[1] / "sklstm"
    modules = sorted(path.name for path in root.glob("*.py"))
    assert modules == ["__init__.py", "exceptions.py"]
    assert (root / "cli" / "__init__.py").is_file()
