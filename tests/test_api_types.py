import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts/api_types.py"


def test_the_frontend_api_types_are_generated_from_the_current_schema() -> None:
    spec = importlib.util.spec_from_file_location("api_types", SCRIPT)
    assert spec is not None and spec.loader is not None
    api_types = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(api_types)
    assert api_types.TARGET.read_text() == api_types.render(), (
        "stale: run `.venv/bin/python scripts/api_types.py`"
    )
