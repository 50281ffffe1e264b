"""A first run that works twice: the docs a clone has, and `make serve-demo` serving the demo.

`make demo` itself (a 400-article crawl and a rebuild) is exercised by hand on a fresh clone;
here the serving half runs on the web tests' corpus as the demo's data directory.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.crawl_support import REPO
from tests.web_support import Corpus

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Markdown links [text](target) and paths in backticks that climb out of the repository.
LINK = re.compile(r"\]\(([^)\s]+)\)")
OUTSIDE = re.compile(r"`(\.\./[^`]*)`")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_refer_only_to_files_in_the_repository(doc: Path) -> None:
    text = doc.read_text("utf-8")
    assert OUTSIDE.findall(text) == []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a URL or an anchor
        path = (doc.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(REPO), f"{doc.name} links outside the repository: {target}"
        assert path.exists(), f"{doc.name} links to a missing file: {target}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.read()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.skipif(not (REPO / ".venv" / "bin" / "flask").exists(), reason="needs make venv")
def test_make_serve_demo_serves_the_demo_data_again(corpus: Corpus) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            "serve-demo",
            f"DEMO_DATA={corpus.data_dir}",
            f"PORT={port}",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        answer = json.loads(_get(f"http://127.0.0.1:{port}/api/search?q=", time.monotonic() + 60))
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert answer["total"] == len(corpus.articles)
    assert f"demo's data ({corpus.data_dir}/)" in output


def test_make_serve_demo_without_a_demo_says_what_to_do(tmp_path: Path) -> None:
    done = subprocess.run(
        ["make", "--no-print-directory", "serve-demo", f"DEMO_DATA={tmp_path / 'none'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "run make demo first" in done.stdout + done.stderr
