"""The one place configuration is read: defaults with HERALD_* environment overrides.

Every entry point (spider, archive CLI, index scripts, web app) calls `load_config()` once
and passes explicit values on from there, so tests can hand in their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://www.nzherald.co.nz"
REAL_ORIGIN = "https://www.nzherald.co.nz"


@dataclass(frozen=True)
class Config:
    data_dir: Path
    base_url: str
    show_premium_text: bool = False
    # The public origin for absolute URLs in feeds and OpenSearch (None: trusted request hosts).
    public_url: str | None = None
    frontier: str | None = None  # HERALD_FRONTIER: a Redis URL, or None for one process
    archive_url: str | None = None  # HERALD_ARCHIVE_URL: postgresql://…, or None for SQLite

    @property
    def archive_path(self) -> Path:
        return self.data_dir / "archive.sqlite3"

    @property
    def archive(self) -> str | Path:
        """Where the archive is: its PostgreSQL URL, else the SQLite file in the data dir
        (what crawler.archive.open_archive takes)."""
        return self.archive_url or self.archive_path

    @property
    def archive_name(self) -> str:
        """The archive's location for messages (a URL without its password)."""
        return redacted(self.archive_url) if self.archive_url else str(self.archive_path)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


def from_settings(settings: Any) -> Config:
    """The crawl's configuration from its Scrapy settings (which start from load_config()
    and take `-s NAME=VALUE` overrides)."""
    return Config(
        data_dir=Path(settings.get("HERALD_DATA_DIR")),
        base_url=settings.get("HERALD_BASE_URL"),
        frontier=settings.get("HERALD_FRONTIER") or None,
        archive_url=settings.get("HERALD_ARCHIVE_URL") or None,
    )


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """Read the configuration from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    return Config(
        data_dir=Path(env.get("HERALD_DATA_DIR") or "./data"),
        base_url=(env.get("HERALD_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
        show_premium_text=_truthy(env.get("HERALD_SHOW_PREMIUM_TEXT")),
        public_url=(env.get("HERALD_PUBLIC_URL") or "").strip().rstrip("/") or None,
        frontier=env.get("HERALD_FRONTIER") or None,
        archive_url=env.get("HERALD_ARCHIVE_URL") or None,
    )


def redacted(url: str) -> str:
    """`url` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()
