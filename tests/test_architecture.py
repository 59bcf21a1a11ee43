"""The shape of the library: no import cycles (function-level imports included), small
subpackages that say what they are for, and a README module map that matches the tree."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "assistant"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """The project modules ``path`` imports anywhere (functions too), except for type checking."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                names = [child.module, *(f"{child.module}.{a.name}" for a in child.names)]
            for name in names:
                while name and name not in known:
                    name = name.rpartition(".")[0]
                if name:
                    found.add(name)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ``assistant`` it imports (packages' ``__init__`` left out)."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    graph = {}
    for name, path in files.items():
        if path.name != "__init__.py":
            graph[name] = {m for m in _imports(path, known) if m != name and m in files}
            graph[name] = {m for m in graph[name] if files[m].name != "__init__.py"}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules, or ``[]``."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := walk(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := walk(node)):
            return cycle
    return []


def test_no_import_cycles_in_the_library() -> None:
    graph = import_graph()
    assert len(graph) > 40
    assert find_cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_subpackages_are_small_and_say_what_they_may_import() -> None:
    subpackages = [p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()]
    assert 6 <= len(subpackages) <= 9
    for folder in subpackages:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= 15, folder.name
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text())) or ""
        assert "import" in doc.lower() or folder.name == "cli", folder.name


def test_the_readme_module_map_names_every_subpackage() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Working on it", 1)[1].split("\n## ", 1)[0]
    for folder in PACKAGE.iterdir():
        if (folder / "__init__.py").exists():
            assert f"  {folder.name}/ " in section, folder.name


def test_the_question_limit_has_one_home() -> None:
    from assistant.settings import MAX_QUESTION_CHARS

    page = (ROOT / "api" / "static" / "index.html").read_text(encoding="utf-8")
    assert f'maxlength="{MAX_QUESTION_CHARS}"' in page
    assert page.count('maxlength="') == page.count(f'maxlength="{MAX_QUESTION_CHARS}"')


def test_revision_years_are_read_one_way() -> None:
    from assistant.text.catalog import revision_year

    assert revision_year("Rev. WRC-97") == 1997 and revision_year("Rev. WRC-19") == 2019
    assert revision_year("Rev. New Delhi, 2024") == 2024
