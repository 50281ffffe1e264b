"""Links the app cannot take on trust: article source links and absolute URLs.

- `source_href(url)`: an archived article's own URL, only when it is an absolute http(s)
  URL. Validation keeps other schemes out of the archive, but rendering does not rely on
  that (a row written by other tools, an old archive): `javascript:`, `data:`, `vbscript:`,
  case, whitespace and control-character tricks never become a live link.
- `absolute_url(endpoint, **values)`: the absolute URL feeds and OpenSearch need, on the
  configured public base (HERALD_PUBLIC_URL) or, when none is set, on the request's own host
  only if that host is trusted (Flask's TRUSTED_HOSTS, loopback names by default), so a forged
  Host header never ends up in a document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for

# Hosts whose name may be taken from the request when no public base is configured.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
_HTTP_URL = re.compile(r"https?://[^\s/?#\\]+[^\s\\]*", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UntrustedHost(Exception):
    """An absolute URL was needed, no public base is set and the request's host is not trusted."""


def source_href(url: object) -> str | None:
    """`url` when it is an absolute http(s) URL (surrounding spaces removed), else None."""
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if _CONTROL.search(candidate) or not _HTTP_URL.fullmatch(candidate):
        return None
    return candidate


def check_public_url(value: str | None) -> str | None:
    """HERALD_PUBLIC_URL without its trailing slash; ValueError unless an http(s) URL."""
    if not value:
        return None
    parts = urlsplit(value)
    if source_href(value) is None or parts.query or parts.fragment:
        raise ValueError(
            f"HERALD_PUBLIC_URL={value!r} is not the site's public address: "
            "give an http(s) URL such as https://herald.example.org"
        )
    return value.strip().rstrip("/")


def _host_name(host: str) -> str:
    """The name of a Host header value, without port or IPv6 brackets, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else ""
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def host_allowed(host: str, trusted: Iterable[str]) -> bool:
    """Whether `host` (a Host header value) is one of `trusted` (".example.org": subdomains)."""
    name = _host_name(host)
    for ref in trusted:
        ref = ref.lower()
        if name and (name == ref.lstrip(".") or (ref.startswith(".") and name.endswith(ref))):
            return True
    return False


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of `endpoint`, never built from an untrusted Host header."""
    path = url_for(endpoint, **values)
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base + path[len(request.script_root) :]
    trusted = current_app.config.get("TRUSTED_HOSTS") or LOOPBACK_HOSTS
    if not host_allowed(request.host, trusted):
        raise UntrustedHost(request.host)
    return request.host_url.rstrip("/") + path


def register(app: Flask) -> None:
    app.jinja_env.filters["source_href"] = source_href
    app.jinja_env.globals["absolute_url"] = absolute_url
