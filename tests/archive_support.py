"""Helpers for the archive CLI tests: run `python -m crawler.archive` on a data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from crawler.archive import ArchiveLocation, ArchiveStore, open_archive
from crawler.record import Article

REPO = Path(__file__).resolve().parents[1]


def run_archive(
    args: list[str],
    data_dir: Path,
    *,
    stdin: bytes | None = None,
    preexec_fn: Callable[[], object] | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m crawler.archive ARGS` with HERALD_DATA_DIR=data_dir (and `env`); text out."""
    env = {**os.environ, "HERALD_DATA_DIR": str(data_dir), **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "crawler.archive", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def jsonl(records: Iterable[Article | dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def assert_one_line_failure(done: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, no traceback, and a `python -m crawler.archive:` line saying `words`."""
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("python -m crawler")]
    assert len(errors) == 1, done.stderr
    for word in words:
        assert word in errors[0], errors[0]


class Backend:
    """One archive backend under test (the `backend` fixture yields each in turn): where its
    archives are, the environment that points the commands at one, and what it raises.

    `name` picks one of several archives of a test ("main", or e.g. "a" and "b").
    """

    def __init__(self, kind: str, root: Path, server: str | None = None) -> None:
        self.kind, self.root, self.server = kind, root, server
        self._databases: dict[str, str] = {}

    def __repr__(self) -> str:
        return self.kind

    @property
    def integrity_error(self) -> type[Exception]:
        if self.server is None:
            import sqlite3

            return sqlite3.IntegrityError
        import psycopg

        return psycopg.errors.IntegrityError

    def data_dir(self, name: str = "main") -> Path:
        return self.root / name

    def location(self, name: str = "main") -> ArchiveLocation:
        """What open_archive takes: the SQLite file, or this test's own database."""
        if self.server is None:
            return self.data_dir(name) / "archive.sqlite3"
        if name not in self._databases:
            from tests.services import fresh_database

            database = f"{self.root.name[:40]}_{name}".lower()
            self._databases[name] = fresh_database(
                self.server, "".join(c if c.isalnum() else "_" for c in database)
            )
        return self._databases[name]

    def env(self, name: str = "main") -> dict[str, str]:
        """HERALD_* variables that point a command (CLI, rebuild, web) at archive `name`."""
        env = {"HERALD_DATA_DIR": str(self.data_dir(name))}
        if self.server is not None:
            env["HERALD_ARCHIVE_URL"] = str(self.location(name))
        return env

    def open(self, name: str = "main", *, readonly: bool = False) -> ArchiveStore:
        return open_archive(self.location(name), readonly=readonly)

    def holds_archive(self, name: str = "main") -> bool:
        """Whether anything was created for archive `name` (a file, or tables)."""
        if self.server is None:
            return self.data_dir(name).exists()
        import psycopg

        with psycopg.connect(str(self.location(name))) as conn:
            row = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            return bool(row.fetchone()[0])  # type: ignore[index]

    def set_schema_version(self, version: int, name: str = "main") -> None:
        """Stamp archive `name` as written with schema `version` (as a newer release would)."""
        if self.server is None:
            import sqlite3

            with sqlite3.connect(self.location(name)) as db:
                db.execute(f"PRAGMA user_version = {int(version)}")
            return
        import psycopg

        with psycopg.connect(str(self.location(name))) as conn:
            conn.execute("UPDATE archive_schema SET version = %s", (version,))
