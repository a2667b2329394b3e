"""Report the sizes the house rules watch: modules, function bodies, import circles.

``python tools/layout.py`` prints the largest modules of ``sklstm/`` (lines),
the longest function bodies (lines from the first statement after the
docstring to the end of the function, nested functions included) and every
import circle between sklstm modules, counting imports made inside functions
too. ``--top N`` shows more rows. Exit status 1 if a circle exists.
"""

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sklstm"


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def body_lines(node):
    """Lines of a function's body, its docstring left out."""
    body = node.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    if not body:
        return 0
    return body[-1].end_lineno - body[0].lineno + 1


def functions(tree, prefix=""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield f"{prefix}{node.name}", body_lines(node)
            yield from functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.")


def resolve(name, current, is_package, level, modules):
    """The sklstm module an import names, or None."""
    if level:
        base = current.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (level - 1)]
        name = ".".join(base + ([name] if name else []))
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports(tree, current, is_package, modules):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = resolve(alias.name, current, is_package, 0, modules)
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = resolve(node.module or "", current, is_package, node.level, modules)
            for alias in node.names:
                full = f"{base}.{alias.name}" if base else None
                if full in modules:
                    found.add(full)
                elif base:
                    found.add(base)
    # a package's __init__ importing its own children is not a circle with them
    found.discard(current)
    return found


def cycles(graph):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args(argv)
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p): p for p in paths}
    sizes, bodies, graph = [], [], {}
    for name, path in modules.items():
        text = path.read_text()
        tree = ast.parse(text)
        sizes.append((len(text.splitlines()), name))
        bodies += [(n, f"{name}.{f}") for f, n in functions(tree)]
        is_package = path.name == "__init__.py"
        graph[name] = {
            target
            for target in imports(tree, name, is_package, modules)
            # a submodule importing its own package's __init__ is how
            # relative imports of siblings resolve; not a dependency circle
            if not (target != name and name.startswith(target + "."))
        }
    print("largest modules (lines):")
    for n, name in sorted(sizes, reverse=True)[: args.top]:
        print(f"  {n:5d}  {name}")
    print("longest function bodies (lines, docstrings not counted):")
    for n, name in sorted(bodies, reverse=True)[: args.top]:
        print(f"  {n:5d}  {name}")
    found = cycles(graph)
    print("import circles:", "none" if not found else "")
    for component in found:
        print("  " + " <-> ".join(component))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
