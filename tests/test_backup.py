"""`supportdesk backup` / `restore` on real SQLite files: a round trip keeps every row, and
a damaged archive, another version's, or a database holding data is refused untouched."""

import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest

from supportdesk import backup
from tests.factories import run_cli


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An install with demo tickets, conversations and the demo's staff."""
    path = tmp_path_factory.mktemp("install") / "supportdesk.db"
    seeded = run_cli("seed", "--count", "40", "--threads", "0.25", "--no-workflow", url=_url(path))
    assert seeded.returncode == 0, seeded.stderr
    return path


@pytest.fixture(scope="module")
def archive(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("backups") / "backup.tar.gz"
    done = run_cli("backup", str(made), url=_url(installed))
    assert done.returncode == 0, done.stderr
    return made


def test_a_backup_restores_every_row(installed: Path, archive: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "restored.db"
    done = run_cli("restore", str(archive), url=_url(fresh))
    assert done.returncode == 0, done.stderr
    for table in ("tickets", "messages", "users", "audit_events"):
        assert _rows(fresh, table) == _rows(installed, table), table
    assert len(_rows(fresh, "messages")) > 0


def test_a_backup_is_taken_while_the_database_is_written(installed: Path, tmp_path: Path) -> None:
    with sqlite3.connect(installed) as writer:
        writer.execute("BEGIN IMMEDIATE")  # a writer holds the database meanwhile
        writer.execute("UPDATE tickets SET title = 'being edited' WHERE id = 1")
        manifest = backup.backup(_url(installed), tmp_path / "during.tar.gz")
        writer.rollback()
    assert manifest["counts"]["tickets"] == 40


def test_restoring_over_data_needs_replace(archive: Path, installed: Path, tmp_path: Path) -> None:
    target = tmp_path / "busy.db"
    assert run_cli("restore", str(archive), url=_url(target)).returncode == 0
    with sqlite3.connect(target) as connection:
        connection.execute("DELETE FROM messages")
    refused = run_cli("restore", str(archive), url=_url(target))
    assert refused.returncode != 0 and "--replace" in refused.stderr
    assert _rows(target, "messages") == []  # untouched
    assert run_cli("restore", str(archive), "--replace", url=_url(target)).returncode == 0
    assert _rows(target, "messages") == _rows(installed, "messages")


def _rewritten(archive: Path, out: Path, manifest_change: dict[str, object]) -> Path:
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile(backup.MANIFEST_MEMBER).read())  # type: ignore[union-attr]
        database = tar.extractfile(backup.DATABASE_MEMBER).read()  # type: ignore[union-attr]
    body = json.dumps(manifest | manifest_change).encode()
    with tarfile.open(out, "w:gz") as tar:
        for name, data in ((backup.MANIFEST_MEMBER, body), (backup.DATABASE_MEMBER, database)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def test_damaged_or_foreign_archives_are_refused_before_anything_is_written(
    archive: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    cases = {
        "cannot be read": cut,
        "is damaged": _rewritten(archive, tmp_path / "damaged.tar.gz", {"sha256": "0" * 64}),
        "made at migration 0001": _rewritten(
            archive, tmp_path / "old.tar.gz", {"revision": "0001"}
        ),
        "not a backup this version": _rewritten(
            archive, tmp_path / "v9.tar.gz", {"format_version": 9}
        ),
    }
    for reason, bad in cases.items():
        target = tmp_path / f"{bad.stem}.db"
        refused = run_cli("restore", str(bad), url=_url(target))
        assert refused.returncode != 0 and reason in refused.stderr, (reason, refused.stderr)
        assert not target.exists()


def test_postgresql_is_pointed_to_pg_dump(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    refused = run_cli("backup", str(tmp_path / "x.tar.gz"), url=url)
    assert refused.returncode != 0 and "pg_dump" in refused.stderr
