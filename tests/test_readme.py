"""Every command the README shows must work in a fresh shell after `make run`, where the
uv that `make` installed may not be on PATH (pip puts it in ~/.local/bin)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The README and the documents it points to that show commands (docs/architecture.md's
# code blocks are the package layout).
DOCS = [ROOT / "README.md", ROOT / "bench" / "README.md"]
DOCS += [ROOT / "docs" / name for name in ("triage.md", "duplicates.md")]
README = "\n".join(doc.read_text() for doc in DOCS)
CODE_BLOCK = re.compile(r"^```(?:bash|sh)?\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
ENV_ASSIGNMENT = re.compile(r"^[A-Z_]+=\S*$")
# Programs a reader would type; an inline span starting with another word is a name, not a command.
RUNNERS = {"make", "uv", "uvx", "python", "python3", "pytest", "pip"}


def program(command: str) -> str | None:
    words = [w for w in command.split("#", 1)[0].split() if not ENV_ASSIGNMENT.match(w)]
    return words[0] if words else None


def shown_commands() -> list[str]:
    in_blocks = [line for block in CODE_BLOCK.findall(README) for line in block.splitlines()]
    inline = INLINE_CODE.findall(CODE_BLOCK.sub("", README))
    commands = [c for c in in_blocks if program(c)]
    return commands + [c for c in inline if program(c) in RUNNERS or c.startswith(".venv/bin/")]


def runs_in_a_fresh_shell(command: str) -> bool:
    name = program(command) or ""
    if name == "make":
        target = command.split("#", 1)[0].split()[-1]
        makefile = (ROOT / "Makefile").read_text()
        return re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE) is not None
    return name.startswith(".venv/bin/") and (ROOT / name).is_file()


def test_the_readme_shows_commands() -> None:
    assert any(program(c) == "make" for c in shown_commands())
    assert any(program(c) == ".venv/bin/supportdesk" for c in shown_commands())


def test_every_readme_command_needs_nothing_on_path_but_make() -> None:
    stranded = [c for c in shown_commands() if not runs_in_a_fresh_shell(c)]
    assert stranded == []
