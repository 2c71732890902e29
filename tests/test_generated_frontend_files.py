"""The UI's files generated from the API schema are committed; each must match a fresh run
of its script (`.venv/bin/python scripts/<script>`)."""

import importlib.util
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.mark.parametrize("script", ["api_types.py", "api_limits.py"])
def test_the_committed_file_is_what_the_schema_generates(script: str) -> None:
    spec = importlib.util.spec_from_file_location(script.removesuffix(".py"), SCRIPTS / script)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.TARGET.read_text() == generator.render(), (
        f"stale: run `.venv/bin/python scripts/{script}`"
    )
