"""A crawl opens no listening socket: no Telnet console, no remote-control HTTP server.

The running `scrapy crawl herald` process's sockets (from /proc/PID/fd) are matched against
the kernel's TCP tables (/proc/net/tcp, tcp6) while it crawls, several times over the run.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.crawl_support import REPO, crawl_command, page_fetches, sample_site
from tests.sample_site.server import SampleServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux's /proc"),
]

LISTEN = "0A"  # the TCP state "listen" in /proc/net/tcp


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def listening_ports(pid: int) -> set[int]:
    """The TCP ports process `pid` listens on (IPv4 and IPv6)."""
    mine = _socket_inodes(pid)
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == LISTEN and inode in mine:
                ports.add(int(local.rsplit(":", 1)[1], 16))
    return ports


def test_a_crawl_listens_on_no_port(tmp_path: Path) -> None:
    site = sample_site()
    with SampleServer(site, delay=0.2) as server:
        process = subprocess.Popen(
            crawl_command(server, tmp_path, CONCURRENT_REQUESTS="2"),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seen: set[int] = set()
        looks = 0
        try:
            while process.poll() is None:
                if page_fetches(site, server.paths()):  # the crawl is in full swing
                    seen |= listening_ports(process.pid)
                    looks += 1
                time.sleep(0.1)
        finally:
            process.kill()
            process.wait(timeout=10)
    assert looks >= 3, "the crawl ended before it could be looked at"
    assert seen == set(), f"the crawl listened on {sorted(seen)}"
