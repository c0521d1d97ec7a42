"""The import graph of the package: no cycles, and the Beam graph without the command line."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Where each top-level package of the installed ``newsevents`` lives in the repository (setup.py).
PACKAGE_DIRS = {"newsevents": ROOT / "newsevents", "newsevents.pipelines": ROOT / "pipelines",
                "newsevents.transforms": ROOT / "transforms", "newsevents.schemas": ROOT / "schemas"}


def _modules() -> dict[str, Path]:
    modules = {}
    for package, directory in PACKAGE_DIRS.items():
        for path in directory.rglob("*.py"):
            parts = path.relative_to(directory).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join((package, *parts))
            if package == "newsevents" and parts and parts[0] in ("pipelines", "transforms", "schemas"):
                continue
            modules[name] = path
    return modules


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports, at module level or inside functions alike."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, *([base] if base else [])])
            # "from package import module" imports the module; "from module import name" the module.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # a name inside a module: the module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
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
                out.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_is_walked():
    graph = _graph()
    # A known edge of each kind: module level, and inside a function.
    assert "newsevents.pipelines.options" in graph["newsevents.pipelines.pipeline"]
    assert "newsevents.pipelines.pipeline" in graph["newsevents.pipelines.commands.run"]


def test_no_module_imports_form_a_cycle():
    assert _cycles(_graph()) == []


def test_a_package_import_pulls_in_its_parent_package_s_init_only():
    # "import newsevents.x.y" runs newsevents/__init__.py too: it must not import back down.
    graph = _graph()
    assert not {m for m in graph["newsevents"] if m.startswith("newsevents.pipelines")}


def test_importing_the_pipeline_does_not_import_the_command_line():
    code = ("import sys, newsevents.pipelines.pipeline; "
            "print(sorted(m for m in sys.modules if m.startswith('newsevents.pipelines.c')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    loaded = eval(proc.stdout.strip().splitlines()[-1])
    assert "newsevents.pipelines.cli" not in loaded and not any(m.startswith("newsevents.pipelines.commands")
                                                                for m in loaded), loaded
    assert loaded == ["newsevents.pipelines.config"]
