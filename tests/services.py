"""Real PostgreSQL and Redis servers for the tests, started in temporary directories.

Each server is started once per test session (tests/conftest.py; the benchmarks use them
too) on a free 127.0.0.1 port and stopped at the end; ServiceMissing, saying which package
to install, when the server's binary is not installed (the tests then skip). PostgreSQL
refuses to run as root, so under root (CI) it runs as the `postgres` user, in a directory
that user owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STARTUP = 30.0  # seconds a server may take to accept connections


class ServiceMissing(RuntimeError):
    """The server's binary is not installed (the message says which package to install)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(check, what: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"{what} did not start in {STARTUP:.0f} s:\n{tail}")


# -- Redis ---------------------------------------------------------------------------------


@contextmanager
def redis_server() -> Iterator[str]:
    """A redis-server on a free port (no persistence); yields its redis:// URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceMissing("redis-server is not installed (apt-get install redis-server)")
    import redis

    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="herald-redis-"))
    log = workdir / "redis.log"
    command = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(workdir),
        "--save",
        "",
        "--appendonly",
        "no",
        "--logfile",
        str(log),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)

    def ready() -> bool:
        if process.poll() is not None:
            return True  # exited: the ping below says why
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        _wait_for(ready, "redis-server", log)
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited: {log.read_text(errors='replace')[-2000:]}")
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


# -- PostgreSQL ----------------------------------------------------------------------------


def _postgres_bindir() -> Path | None:
    """Debian keeps initdb and pg_ctl under /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(versions[-1]).parent if versions else None


def _as_server_user() -> dict[str, object]:
    """Popen arguments that run PostgreSQL as `postgres` when the tests run as root."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ServiceMissing(
            "PostgreSQL cannot run as root and there is no `postgres` user"
        ) from None
    return {"user": "postgres", "group": "postgres"}


@contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL cluster on a free port (trust auth, fsync off: test data only); yields
    the URL of its `postgres` database, as superuser `herald`."""
    bindir = _postgres_bindir()
    if bindir is None:
        raise ServiceMissing("PostgreSQL is not installed (apt-get install postgresql)")
    as_user = _as_server_user()
    workdir = Path(tempfile.mkdtemp(prefix="herald-pg-"))
    if as_user:
        shutil.chown(workdir, "postgres", "postgres")
    data, log, port = workdir / "data", workdir / "postgres.log", free_port()
    run = {"check": True, "capture_output": True, **as_user}
    subprocess.run(  # type: ignore[call-overload]
        [bindir / "initdb", "-D", data, "-U", "herald", "--auth=trust", "-E", "UTF8", "--locale=C"],
        **run,
    )
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {workdir} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
    )
    subprocess.run(  # type: ignore[call-overload]
        [bindir / "pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start"],
        **run,
    )
    try:
        yield f"postgresql://herald@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(  # type: ignore[call-overload]
            [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
            **{**run, "check": False},
        )
        shutil.rmtree(workdir, ignore_errors=True)


def fresh_database(server_url: str, name: str) -> str:
    """Create an empty database `name` on the server (dropping an old one); its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
