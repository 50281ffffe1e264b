"""The sample site over real HTTP: a ThreadingHTTPServer on 127.0.0.1 serving a `Site`.

    with SampleServer(site) as server:     # port 0: the OS picks a free port
        server.url                         # "http://127.0.0.1:PORT"
        server.paths()                     # every request path (with query) so far, in order

Pages are rendered at request time from the model, so a test can change an article
between crawls. `delay` slows article pages down (for the kill-mid-crawl test).
"""

from __future__ import annotations

import gzip
import re
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.sample_site import sitemaps
from tests.sample_site.site import Site, render_non_article_page

_DAILY_RE = re.compile(r"^/arc/outboundfeeds/sitemap(\d*)/(\d{4}-\d{2}-\d{2})/$")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.server.record(self.path)
        status, content_type, body, headers = self.server.answer(self.path)
        payload = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: tests read `SampleServer.paths()` instead of the access log."""


Answer = tuple[int, str, str | bytes, dict[str, str]]
_HTML = "text/html; charset=utf-8"
_XML = "application/xml; charset=utf-8"
_NOT_FOUND: Answer = (404, _HTML, "<html><body><h1>Page not found</h1></body></html>", {})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Site, delay: float, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.site = site
        self.delay = delay
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        self._paths: list[str] = []
        self._times: list[float] = []
        self._lock = threading.Lock()

    def record(self, path: str) -> None:
        with self._lock:
            self._paths.append(path)
            self._times.append(time.monotonic())

    def arrivals(self) -> list[tuple[float, str]]:
        with self._lock:
            return list(zip(self._times, self._paths, strict=True))

    def paths(self) -> list[str]:
        with self._lock:
            return list(self._paths)

    def answer(self, raw_path: str) -> Answer:
        path = urlsplit(raw_path).path
        site, origin = self.site, self.origin
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", sitemaps.robots_txt(site, origin), {}
        if path == sitemaps.INDEX_PATH:
            return 200, _XML, sitemaps.sitemap_index(site, origin), {}
        if path == sitemaps.NEWS_PATH:
            return 200, _XML, sitemaps.news_sitemap(site, origin), {}
        if match := _DAILY_RE.match(path):
            variant, day = int(match.group(1) or 1), date.fromisoformat(match.group(2))
            xml = sitemaps.daily_sitemap(site, origin, variant, day)
            if xml is None:
                return _NOT_FOUND
            if variant == 2:  # served as a gzip file, as some sitemaps are
                return 200, "application/x-gzip", gzip.compress(xml.encode("utf-8")), {}
            return 200, _XML, xml, {}
        if raw_path in site.redirects:
            return 301, _HTML, "", {"Location": site.redirects[raw_path]}
        return self._page(path)

    def _page(self, path: str) -> Answer:
        with self.site.lock:
            page = self.site.pages.get(path)
            if page is not None and self.site.flaky.get(path, 0) > 0:
                self.site.flaky[path] -= 1
                return 503, _HTML, "<html><body>Service unavailable</body></html>", {}
            html = page.render() if page is not None else None
        if html is not None:
            if self.delay:
                time.sleep(self.delay)
            return 200, _HTML, html, {}
        other = render_non_article_page(self.site, path)
        return (200, _HTML, other, {}) if other is not None else _NOT_FOUND


class SampleServer:
    """Serve `site` on 127.0.0.1 in a background thread until `stop()`."""

    def __init__(self, site: Site, *, delay: float = 0.0, port: int = 0) -> None:
        self.site = site
        self._server = _Server(site, delay, port)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return self._server.origin

    def paths(self) -> list[str]:
        """Every request path (with its query string) the server has answered, in order."""
        return self._server.paths()

    def arrivals(self) -> list[tuple[float, str]]:
        """(time.monotonic() on arrival, path) of every request so far, in order."""
        return self._server.arrivals()

    def start(self) -> SampleServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
