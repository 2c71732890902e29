"""Our example bank (data/examples/*.csv, written by us per the labeling guide).

The held-out part is fixed by a hash of the text, so it never drifts into training as the
bank grows, and every version of the model is judged on the same tickets.
"""

import csv
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from supportdesk.config import ROOT
from supportdesk.taxonomy import Category, Priority

BANK_DIR = ROOT / "data" / "examples"
HELD_OUT_PERCENT = 20


@dataclass(frozen=True)
class Example:
    title: str
    description: str
    category: Category
    priority: Priority | None

    @property
    def held_out(self) -> bool:
        digest = hashlib.sha256(f"{self.title}\n{self.description}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT


REQUIRED_COLUMNS = frozenset({"description", "category"})


def read_examples(path: Path) -> list[Example]:
    """Rows with title, description, category and (possibly empty) priority.

    Raises ValueError naming the file (and line and value) when a column is missing, a label
    is not in the taxonomy, or the file is not UTF-8 text."""
    examples = []
    # utf-8-sig: spreadsheets often save CSV with a byte-order mark before the header.
    with path.open(newline="", encoding="utf-8-sig") as file:
        rows = csv.DictReader(file)
        try:
            missing = sorted(REQUIRED_COLUMNS - set(rows.fieldnames or ()))
        except UnicodeDecodeError:
            raise ValueError(f"{path}: not UTF-8 text") from None
        if missing:
            raise ValueError(f"{path}: no column {', '.join(missing)} in the header")
        for row in rows:
            if not (row.get("description") or "").strip():
                continue
            try:
                category = Category((row.get("category") or "").strip())
                priority = Priority(row["priority"].strip()) if row.get("priority") else None
            except ValueError as error:
                raise ValueError(f"{path}:{rows.line_num}: {error}") from None
            examples.append(
                Example(
                    title=(row.get("title") or "").strip(),
                    description=row["description"].strip(),
                    category=category,
                    priority=priority,
                )
            )
    return examples


def load_bank(directory: Path = BANK_DIR) -> list[Example]:
    return [example for path in sorted(directory.glob("*.csv")) for example in read_examples(path)]


def split_bank(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(training part, held-out part)."""
    return [e for e in examples if not e.held_out], [e for e in examples if e.held_out]


# What the shipped heads depend on besides the bank: changing how features are read or
# heads are trained must rebuild them too.
TRAINING_SOURCES = (
    "model/embeddings.py",
    "model/signals.py",
    "model/features.py",
    "training/fit.py",
    "model/heads.py",
    "model/local.py",
)


def bank_digest(directory: Path = BANK_DIR) -> str:
    """Changes whenever the bank or the training code does, so the heads are rebuilt."""
    return _digest([*sorted(directory.glob("*.csv")), *_training_sources()])


@functools.cache  # the code of a running process does not change; reloads ask every 30 s
def training_code_digest() -> str:
    """Changes whenever the training code does: heads trained by other code read features
    differently (or other ones), so they must not be served."""
    return _digest(_training_sources())


def _training_sources() -> list[Path]:
    triage = Path(__file__).parent.parent
    return [triage / name for name in TRAINING_SOURCES]


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]
