"""Size limits and one-way imports on every product module (tests aside).

No module over MAX_MODULE_LINES lines, no function or method over
MAX_FUNCTION_LINES (from its ``def`` to its last line, nested functions
included), no import cycle among our own modules (imports inside functions count;
``if TYPE_CHECKING:`` ones, for annotations only, do not).  Read with
``ast``, without importing anything.  The pytest output with ``-rP`` or
``-s`` lists what is over today.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

import pytest

from tests.conftest import ROOT

PACKAGES = ("actions", "channels", "settings", "stores", "rasa_fixes", "tools", "deploy", "nlu_components")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# What is over today, at its size today: each may shrink (then lower or drop
# its entry) but never grow.  Every one sits in code another change is
# rewriting now; the entry goes when that change lands.
KNOWN_OVER: Dict[str, int] = {}


def product_files() -> List[Path]:
    return sorted(f for package in PACKAGES for f in (ROOT / package).rglob("*.py") if "__pycache__" not in f.parts)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=None)
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def functions(tree: ast.AST, prefix: str = "") -> Iterator[Tuple[str, int]]:
    """(qualified name, lines) of every function and method, nested ones too."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node.end_lineno - node.lineno + 1
            yield from functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.")
        else:
            yield from functions(node, prefix)


def sizes() -> Dict[str, int]:
    """Every module and function over its limit -> its size, keyed like KNOWN_OVER."""
    over = {}
    for path in product_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            over[rel(path)] = lines
        for name, size in functions(parse(path)):
            if size > MAX_FUNCTION_LINES:
                over[f"{rel(path)}::{name}"] = size
    return over


def test_known_over_is_printed_and_real():
    over = sizes()
    print("\nover the limits (KNOWN_OVER):", *(f"  {k}: {v}" for k, v in sorted(over.items())), sep="\n")
    gone = {k: v for k, v in KNOWN_OVER.items() if k not in over}
    assert not gone, f"now within the limits: drop them from KNOWN_OVER: {gone}"


def test_no_module_over_the_limit_and_none_grows():
    over = {k: v for k, v in sizes().items() if "::" not in k}
    new = {k: v for k, v in over.items() if v > KNOWN_OVER.get(k, MAX_MODULE_LINES)}
    assert not new, f"modules over {MAX_MODULE_LINES} lines (or longer than KNOWN_OVER says): {new}"


def test_no_function_over_the_limit_and_none_grows():
    over = {k: v for k, v in sizes().items() if "::" in k}
    new = {k: v for k, v in over.items() if v > KNOWN_OVER.get(k, MAX_FUNCTION_LINES)}
    assert not new, f"functions over {MAX_FUNCTION_LINES} lines (or longer than KNOWN_OVER says): {new}"


# --- import cycles -------------------------------------------------------------------------------
def resolve(name: str, modules: Set[str]) -> Optional[str]:
    """The deepest of our modules ``name`` names (``a.b.C`` -> ``a.b``), or None if not ours."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def is_type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``): never run, annotations only."""
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def run_time_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node that may run on import or call: all of them but the bodies of ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        yield node
        if is_type_checking(node):
            for branch in node.orelse:
                yield branch
                yield from run_time_nodes(branch)
        else:
            yield from run_time_nodes(node)


def imports(path: Path, modules: Set[str], root: Path = ROOT) -> Set[str]:
    """Our modules that ``path`` imports, at the top or inside a function (not for annotations only)."""
    me = module_name(path, root)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = set()
    for node in run_time_nodes(parse(path)):
        if isinstance(node, ast.Import):
            found |= {resolve(alias.name, modules) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import sub` imports the submodule pkg.sub; `from pkg import name`, pkg itself.
            found |= {resolve(f"{base}.{alias.name}", modules) or resolve(base, modules) for alias in node.names}
    return {m for m in found if m and m != me}


def import_graph() -> Dict[str, Set[str]]:
    files = product_files()
    modules = {module_name(f) for f in files}
    return {module_name(f): imports(f, modules) for f in files}


def cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_sees_our_imports():
    graph = import_graph()
    assert {"channels.messages", "channels.webchat.events"} <= graph["channels.webchat.input"]  # at the top
    assert "deploy.cluster" in graph["tools.bench.cluster"]  # inside a function
    assert "settings.table" in graph["settings"]  # a package's __init__
    # `if TYPE_CHECKING:` imports are for annotations: never run, no cycle.
    assert "channels.webchat.input" not in graph["channels.webchat.events"]


def test_relative_imports_resolve(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    source = "from . import b\nfrom .b import name\nfrom .. import top\nfrom ..c import d\nimport pkg.c\n"
    (tmp_path / "pkg" / "sub" / "a.py").write_text(source, encoding="utf-8")
    modules = {"pkg", "pkg.top", "pkg.c", "pkg.sub", "pkg.sub.a", "pkg.sub.b"}
    assert imports(tmp_path / "pkg" / "sub" / "a.py", modules, tmp_path) == {"pkg.sub.b", "pkg.top", "pkg.c"}


@pytest.mark.parametrize(
    "graph, expected",
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_cycles_finds_them(graph, expected):
    assert cycles(graph) == expected


def test_no_import_cycle_among_our_modules():
    found = cycles(import_graph())
    assert not found, f"modules that import each other (directly or through others): {found}"
