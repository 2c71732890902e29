"""Write frontend/src/types/openapi.ts, the UI's API types, from the API schema with
openapi-typescript: `.venv/bin/python scripts/api_types.py`
(tests/test_generated_frontend_files.py fails when the committed file is stale)."""

import json
import subprocess
import tempfile
from pathlib import Path

from supportdesk.app import create_app

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "frontend/src/types/openapi.ts"
GENERATOR = ROOT / "frontend/node_modules/.bin/openapi-typescript"


def render() -> str:
    with tempfile.TemporaryDirectory() as work:
        schema, out = Path(work) / "openapi.json", Path(work) / "openapi.ts"
        schema.write_text(json.dumps(create_app().openapi()))
        subprocess.run(
            [str(GENERATOR), str(schema), "--enum-values", "-o", str(out)],
            check=True,
            capture_output=True,
        )
        return out.read_text()


if __name__ == "__main__":
    TARGET.write_text(render())
