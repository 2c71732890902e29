"""The benchmarks import the package inside their functions (so `--help` starts fast); a
rename in the package must not leave a benchmark that fails only when someone runs it."""

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def package_imports() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(BENCH.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("supportdesk"):
                found += [(path.name, node.module or "", alias.name) for alias in node.names]
    return found


def test_the_benchmarks_import_from_the_package() -> None:
    assert len(package_imports()) > 10


@pytest.mark.parametrize(("script", "module", "name"), package_imports())
def test_each_name_a_benchmark_imports_exists(script: str, module: str, name: str) -> None:
    imported = importlib.import_module(module)
    assert hasattr(imported, name) or importlib.util.find_spec(f"{module}.{name}"), (
        f"{script}: {module} has no {name}"
    )
