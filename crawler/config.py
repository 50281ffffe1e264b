"""The one place configuration is read: defaults with HERALD_* environment overrides.

Every entry point (spider, archive CLI, index scripts, web app) calls `load_config()` once
and passes explicit values on from there, so tests can hand in their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_URL = "https://www.nzherald.co.nz"
REAL_ORIGIN = "https://www.nzherald.co.nz"


@dataclass(frozen=True)
class Config:
    data_dir: Path
    base_url: str
    show_premium_text: bool = False
    frontier: str | None = None  # HERALD_FRONTIER: a Redis URL, or None for one process

    @property
    def archive_path(self) -> Path:
        return self.data_dir / "archive.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """Read the configuration from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    return Config(
        data_dir=Path(env.get("HERALD_DATA_DIR") or "./data"),
        base_url=(env.get("HERALD_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
        show_premium_text=_truthy(env.get("HERALD_SHOW_PREMIUM_TEXT")),
        frontier=env.get("HERALD_FRONTIER") or None,
    )
