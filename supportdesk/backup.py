"""`supportdesk backup` and `supportdesk restore` for the embedded default (SQLite).

A backup is one .tar.gz: the database, copied with SQLite's online backup API (safe while
the server runs and writes: the copy is of one moment), and a manifest naming the format,
the migration revision, each table's row count and the database file's SHA-256.
Attachments live in the database, so the one file is everything. Restoring checks the
archive whole before anything is written: a damaged file, another version's, or a
database that already holds data (without `replace`) is refused with the reason.

On PostgreSQL, `pg_dump` is the tool (README, "Backups")."""

import hashlib
import io
import json
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from supportdesk.migrate import head_revision

FORMAT = "supportdesk-backup"
FORMAT_VERSION = 1
DATABASE_MEMBER = "supportdesk.db"
MANIFEST_MEMBER = "manifest.json"


class BackupError(Exception):
    """Why a backup or a restore was refused; nothing was written."""


@dataclass(frozen=True)
class Restored:
    revision: str
    counts: dict[str, int]


def sqlite_file(database_url: str) -> Path:
    if not database_url.startswith("sqlite"):
        raise BackupError(
            "backup and restore are for the embedded SQLite database; on PostgreSQL use "
            "pg_dump -Fc (README: Backups)"
        )
    path = database_url.split("///", 1)[-1]
    if not path or path == ":memory:":
        raise BackupError("the database is in memory: there is no file to back up")
    return Path(path)


def _counts(connection: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%\\_fts%' ESCAPE '\\'"
            " AND name NOT LIKE '%\\_trigram%' ESCAPE '\\' ORDER BY name"
        )
    ]
    return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return str(row[0]) if row else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def backup(database_url: str, archive: Path) -> dict[str, Any]:
    """Write the archive; its manifest."""
    source_path = sqlite_file(database_url)
    if not source_path.is_file():
        raise BackupError(f"no database at {source_path}")
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / DATABASE_MEMBER
        with sqlite3.connect(source_path) as source, sqlite3.connect(copy) as target:
            source.backup(target)  # one consistent moment, while the server writes on
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "revision": _revision(target),
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "counts": _counts(target),
            }
        manifest["sha256"] = _sha256(copy)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_MEMBER)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
            tar.add(copy, arcname=DATABASE_MEMBER)
        partial.replace(archive)  # a backup cut short never takes the archive's name
    return manifest


def _checked(archive: Path, into: Path) -> tuple[dict[str, Any], Path]:
    """The manifest and the extracted database, once both are what they say they are."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            names = set(tar.getnames())
            if names != {MANIFEST_MEMBER, DATABASE_MEMBER}:
                raise BackupError(f"{archive} is not a supportdesk backup (it holds {names})")
            manifest_file = tar.extractfile(MANIFEST_MEMBER)
            assert manifest_file is not None
            manifest = json.loads(manifest_file.read())
            tar.extract(DATABASE_MEMBER, into, filter="data")
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive} cannot be read as a backup: {error}") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{archive} is not a backup this version can read")
    if manifest.get("revision") != head_revision():
        raise BackupError(
            f"{archive} was made at migration {manifest.get('revision')}; this version is at "
            f"{head_revision()}: restore it with the version that made it, then upgrade"
        )
    database = into / DATABASE_MEMBER
    if _sha256(database) != manifest.get("sha256"):
        raise BackupError(f"{archive} is damaged: its database does not match its checksum")
    return manifest, database


def _holds_data(path: Path) -> bool:
    if not path.is_file():
        return False
    with sqlite3.connect(path) as connection:
        counts = _counts(connection)
    return any(n for table, n in counts.items() if table != "alembic_version")


def restore(database_url: str, archive: Path, *, replace: bool = False) -> Restored:
    """Put the archive's database in place of this install's. Stop the server first."""
    target_path = sqlite_file(database_url)
    with tempfile.TemporaryDirectory() as work:
        manifest, database = _checked(archive, Path(work))
        if _holds_data(target_path) and not replace:
            raise BackupError(f"{target_path} already holds data: restore over it with --replace")
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(database) as source, sqlite3.connect(target_path) as target:
            source.backup(target)  # page by page, in one transaction on the target
            counts = _counts(target)
    if counts != manifest["counts"]:
        raise BackupError(f"restored, but the row counts differ from the backup's: {counts}")
    return Restored(manifest["revision"], counts)
