"""The main job end to end, as `make demo` runs it: site → scrapy crawl → index.rebuild → web.

Real parts throughout: the sample site on 127.0.0.1, the `scrapy crawl herald` and
`python -m index.rebuild` processes, the SQLite archive, the Whoosh index and the Flask app.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from markupsafe import escape

from crawler.archive import Archive
from tests.crawl_support import REPO, crawl, sample_site
from tests.sample_site.server import SampleServer
from web import close_searcher, create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("e2e")
    site = sample_site(24)
    with SampleServer(site) as server:
        result = crawl(server, data_dir)
    assert result.returncode == 0, result.log[-3000:]
    env = {**os.environ, "HERALD_DATA_DIR": str(data_dir)}
    rebuild = subprocess.run(
        [sys.executable, "-m", "index.rebuild", "--quiet"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert rebuild.returncode == 0, rebuild.stderr
    app = create_app({"DATA_DIR": data_dir, "TESTING": True})
    yield site, data_dir, app.test_client()
    close_searcher(app)


def test_everything_crawled_is_searchable_by_its_headline(pipeline):
    site, data_dir, client = pipeline
    with Archive(data_dir / "archive.sqlite3", readonly=True) as archive:
        articles = list(archive)
    assert len(articles) >= 24
    health = client.get("/healthz").get_json()
    assert health["archive"]["articles"] == health["index"]["articles"] == len(articles)
    for article in articles:
        answer = client.get("/api/search", query_string={"q": f'"{article["title"]}"'})
        assert answer.status_code == 200
        assert article["id"] in [hit["id"] for hit in answer.get_json()["hits"]], article["title"]


def test_the_article_page_shows_the_crawled_record(pipeline):
    _, data_dir, client = pipeline
    with Archive(data_dir / "archive.sqlite3", readonly=True) as archive:
        article = next(a for a in archive if not a["premium"])
    html = client.get(f"/article/{article['id']}").get_data(as_text=True)
    first_paragraph = article["body"].split("\n\n")[0]
    assert str(escape(article["title"])) in html
    assert str(escape(first_paragraph)) in html
    assert f'href="{escape(article["url"])}"' in html
