"""The Flask application factory: configuration, blueprints, headers and error pages.

    flask --app web run                       # development
    gunicorn 'web:create_app()'               # production

Shared resources (the process's Searcher, the request's archive connection) are
web.resources'; error answers are web.errors'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from crawler.config import load_config
from web import api, cite, compare, exports, facetpages, feeds, formatting, links, pages
from web.errors import register_error_handlers
from web.resources import close_archive, close_searcher

__all__ = ["close_searcher", "create_app"]

# No inline script or style anywhere: everything the page needs comes from /static.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `test_config` overrides values read by `crawler.config.load_config()`."""
    app = Flask(__name__)
    config = load_config()
    app.config.from_mapping(
        DATA_DIR=config.data_dir,
        SHOW_PREMIUM_TEXT=config.show_premium_text,
        PUBLIC_URL=config.public_url,
    )
    if test_config:
        app.config.update(test_config)
    app.config["PUBLIC_URL"] = links.check_public_url(app.config["PUBLIC_URL"])
    data_dir = Path(app.config["DATA_DIR"])
    # The archive: HERALD_ARCHIVE_URL (PostgreSQL) when set, else the SQLite file in DATA_DIR.
    app.config.setdefault("ARCHIVE_PATH", config.archive_url or data_dir / "archive.sqlite3")
    app.config.setdefault("INDEX_DIR", data_dir / "index")
    app.json.sort_keys = False  # keep the documented key order in API answers

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(cite.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(facetpages.bp)
    formatting.register(app)
    links.register(app)
    app.teardown_appcontext(close_archive)
    app.after_request(_add_security_headers)
    register_error_handlers(app)
    return app


def _add_security_headers(response: Any) -> Any:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
