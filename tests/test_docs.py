"""The commands the README and the docs show work in a fresh shell after `make run`."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "bench" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A fenced block's lines and every inline code span: where the docs show commands.
CODE = re.compile(r"```[a-z]*\n(.*?)```|`([^`\n]+)`", re.DOTALL)
PROGRAM = re.compile(r"\.venv/bin/[\w.-]+")


def shown_commands() -> list[tuple[str, str]]:
    commands = []
    for doc in DOCS:
        for block, span in CODE.findall(doc.read_text(encoding="utf-8")):
            lines = block.splitlines() if block else [span]
            commands += [(doc.name, line.strip()) for line in lines if line.strip()]
    return commands


def test_no_command_needs_uv_on_the_path() -> None:
    # `make run` may install uv into ~/.local/bin, which a fresh shell does not search yet.
    needing_uv = [(doc, line) for doc, line in shown_commands() if line.split()[0] == "uv"]
    assert needing_uv == []


def test_every_program_shown_in_the_environment_exists() -> None:
    programs = {program for _, line in shown_commands() for program in PROGRAM.findall(line)}
    assert programs >= {".venv/bin/supportdesk", ".venv/bin/python"}
    assert [program for program in programs if not (ROOT / program).is_file()] == []
