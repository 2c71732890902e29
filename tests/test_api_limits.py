import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts/api_limits.py"


def test_the_frontend_limits_are_the_schemas() -> None:
    spec = importlib.util.spec_from_file_location("api_limits", SCRIPT)
    assert spec is not None and spec.loader is not None
    api_limits = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(api_limits)
    assert api_limits.TARGET.read_text() == api_limits.render(), (
        "stale: run `.venv/bin/python scripts/api_limits.py`"
    )
