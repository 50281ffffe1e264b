"""Real crawls: `scrapy crawl herald` in a subprocess against the sample site on 127.0.0.1.

One full crawl is shared by most assertions (module-scoped fixtures); the date-ranged,
news-only, killed and paused runs each get a fresh data directory.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from parsel import Selector

from crawler.archive import Archive
from crawler.record import FIELDS, RECORD_FIELDS, Article, parse_utc
from crawler.urls import arc_id_from_url
from tests.crawl_support import (
    REPO,
    Crawl,
    archived,
    crawl,
    page_fetches,
    sample_site,
    start_crawl,
    wait_for_articles,
)
from tests.sample_site import sitemaps
from tests.sample_site.render import LAYOUTS
from tests.sample_site.server import SampleServer
from tests.sample_site.site import (
    LEGACY_PATH,
    MISSING_ID,
    REAL_ORIGIN,
    Site,
    SitePage,
    path_of,
    standard_site,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served() -> Iterator[SampleServer]:
    with SampleServer(sample_site()) as server:
        yield server


@pytest.fixture(scope="module")
def full(served: SampleServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, Path]:
    data_dir = tmp_path_factory.mktemp("full")
    result = crawl(served, data_dir, "-O", str(data_dir / "items.jsonl"))
    assert result.returncode == 0, result.log[-3000:]
    return result, data_dir


def test_archive_holds_exactly_the_expected_records(
    served: SampleServer, full: tuple[Crawl, Path]
) -> None:
    expected = served.site.expected_records()
    got = archived(full[1])
    assert sorted(got) == sorted(expected)
    for article_id, record in expected.items():
        assert got[article_id] == record, article_id
    layouts = {p.layout or "fixture" for p in served.site.pages.values() if p.expected}
    assert layouts >= {*LAYOUTS, "fixture"}


def test_items_jsonl_has_exactly_the_record_fields(full: tuple[Crawl, Path]) -> None:
    lines = (full[1] / "items.jsonl").read_text("utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    assert items
    assert all(list(item) == list(RECORD_FIELDS) for item in items)
    assert sorted(i["id"] for i in items) == sorted(archived(full[1]))


def test_crawled_records_say_when_they_were_fetched(full: tuple[Crawl, Path]) -> None:
    with Archive(full[1] / "archive.sqlite3", readonly=True) as archive:
        records = list(archive)
        histories = [archive.history(a["id"]) for a in records]
    now = datetime.now(UTC)
    for record, history in zip(records, histories, strict=True):
        fetched = parse_utc(record["fetched"])
        assert now - timedelta(minutes=30) < fetched <= now
        assert history is not None
        assert history.first_seen == history.last_seen == record["fetched"]


def test_server_was_asked_only_for_what_it_should(
    served: SampleServer, full: tuple[Crawl, Path]
) -> None:
    site, paths = served.site, full[0].paths
    asked = {p.split("?")[0] for p in paths}
    assert not asked & set(site.disallowed)
    assert not asked & set(site.non_articles)
    assert sitemaps.VIDEO_PATH not in asked
    fetches = page_fetches(site, paths)
    flaky = next(iter(site.flaky))
    assert fetches.pop(flaky) == 2  # a 503, then the retry
    assert set(fetches.values()) == {1}, fetches.most_common(3)
    assert paths.count(LEGACY_PATH) == 1
    assert not [p for p in paths if "ref=rss" in p]


def test_retried_missing_and_malformed_pages_are_counted(
    served: SampleServer, full: tuple[Crawl, Path]
) -> None:
    result, data_dir = full
    flaky_id = served.site.pages[next(iter(served.site.flaky))].article["id"]
    assert flaky_id in archived(data_dir)
    assert result.stat("retry/reason_count/503 Service Unavailable") == 1
    assert result.stat("herald/errors/http/404") == 1  # gone: counted, not a failure
    assert any(MISSING_ID in p for p in result.paths)
    invalid = [p for p in served.site.pages.values() if p.expected is None]
    assert result.stat("herald/dropped") + result.stat("herald/not_article") == len(invalid)
    assert result.stat("herald/dropped/missing_body") >= 1  # the page rendered without text
    assert "dropped http" in result.log


def test_the_crawl_ends_with_a_short_summary(
    served: SampleServer, full: tuple[Crawl, Path]
) -> None:
    result = full[0]
    # The summary is the last thing the crawl prints, after Scrapy's stats dump.
    tail = result.log[result.log.rindex("Spider closed") :]
    summary = tail[tail.index("crawl finished in") :].splitlines()
    assert re.match(
        r"crawl finished in \d+\.\d s: (\d+) pages fetched, [\d.]+ pages/s$",
        summary[0].split("] INFO: ")[-1],
    )
    assert int(re.search(r"(\d+) pages fetched", summary[0]).group(1)) == result.stat(
        "response_received_count"
    )
    lines = {line.split()[0]: line.strip() for line in summary[1:]}
    new = len(served.site.expected_records())
    assert lines["articles"].startswith(f"articles     {new} new, 0 updated, 0 unchanged")
    dropped = result.stat("herald/dropped")
    assert dropped >= 1
    assert lines["dropped"] == (
        f"dropped      {dropped} (missing_body {result.stat('herald/dropped/missing_body')})"
    )
    assert lines["not"] == f"not articles {result.stat('herald/not_article')} pages"
    assert lines["errors"].startswith("errors       HTTP 404 ×1; no download errors; 1 retry")
    assert len(summary) == 5


def test_second_crawl_refetches_only_the_changed_article(
    served: SampleServer, full: tuple[Crawl, Path]
) -> None:
    site, data_dir = served.site, full[1]
    target = next(p for p in site.pages.values() if p.layout and p.expected)
    before = archived(data_dir)
    new_updated = "2026-11-01T00:00:00Z"
    changed = site.update_article(
        target.article["id"], body="A corrected story.\n\nIn full.", updated=new_updated
    )
    result = crawl(served, data_dir)
    assert result.returncode == 0, result.log[-3000:]
    # Pages that never made it into the archive (malformed, not articles) are asked again;
    # everything archived and unchanged is not.
    never_archived = {path for path, p in site.pages.items() if p.expected is None}
    assert set(page_fetches(site, result.paths)) == {path_of(changed["url"])} | never_archived
    after = archived(data_dir)
    assert after[changed["id"]] == changed
    assert {k: v for k, v in after.items() if k != changed["id"]} == {
        k: v for k, v in before.items() if k != changed["id"]
    }
    assert result.stat("herald/archive/updated") == 1
    assert result.stat("herald/archive/inserted") == 0
    # The previous version is kept; each version says when it was fetched.
    with Archive(data_dir / "archive.sqlite3", readonly=True) as archive:
        history = archive.history(changed["id"])
    assert history is not None
    assert [v.updated for v in history.versions] == [before[changed["id"]]["updated"], new_updated]
    first, second = (v.fetched for v in history.versions)
    assert first is not None
    assert second is not None
    assert first <= second
    assert history.first_seen == first
    assert history.last_seen == second


def _daily_paths(paths: list[str]) -> set[str]:
    return {p.split("?")[0] for p in paths if re.search(r"/sitemap\d*/\d{4}-", p)}


def test_date_range_reads_only_the_daily_sitemaps_in_range(tmp_path: Path) -> None:
    site = sample_site()
    days = sorted({p.day for p in site.pages.values()})
    since, until = days[2], days[6]
    with SampleServer(site) as server:
        result = crawl(server, tmp_path, "-a", f"since={since}", "-a", f"until={until}")
    assert result.returncode == 0, result.log[-3000:]
    in_range = [p for p in site.pages.values() if since <= p.day <= until]
    expected_sitemaps = {sitemaps.daily_path(p.sitemap, p.day) for p in in_range}
    assert _daily_paths(result.paths) == expected_sitemaps
    assert not any(sitemaps.NEWS_PATH in p for p in result.paths)
    assert set(page_fetches(site, result.paths)) == _listed_articles(site, server, since, until)
    assert set(archived(tmp_path)) == {
        site.pages[path].expected["id"]
        for path in _listed_articles(site, server, since, until)
        if site.pages[path].expected
    }


def _listed_articles(site: Site, server: SampleServer, since: date, until: date) -> set[str]:
    """Paths of the fetchable article pages the daily sitemaps from `since` to `until` list."""
    paths = set()
    for (_, day), entries in sitemaps.daily_entries(site, server.url).items():
        if since <= day <= until:
            for loc, _ in entries:
                target = site.redirects.get(loc.replace(REAL_ORIGIN, ""), loc)
                paths.add(path_of(target))
    return {p for p in paths if p in site.pages and p not in site.disallowed}


def test_latest_reads_only_the_news_sitemap(tmp_path: Path) -> None:
    site = sample_site()
    with SampleServer(site) as server:
        result = crawl(server, tmp_path, "-a", "latest=1")
    assert result.returncode == 0, result.log[-3000:]
    sitemaps_read = {p.split("?")[0] for p in result.paths if "/arc/outboundfeeds/" in p}
    assert sitemaps_read == {sitemaps.NEWS_PATH}
    news = {
        p.article["id"]
        for p in site.news_pages()
        if path_of(p.article["url"]) not in site.disallowed
    }
    assert set(archived(tmp_path)) == news
    fetches = page_fetches(site, result.paths)
    fetches.pop(next(iter(site.flaky)), None)  # a 503, then the retry
    assert set(fetches.values()) == {1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["since=2024-13-01"], "since='2024-13-01' is not a date: use YYYY-MM-DD"),
        (["until=yesterday"], "until='yesterday' is not a date: use YYYY-MM-DD"),
        (["since=2024-02-02", "until=2024-02-01"], "since=2024-02-02 is after -a until"),
    ],
)
def test_bad_dates_are_a_clear_error(tmp_path: Path, args: list[str], message: str) -> None:
    options = [part for arg in args for part in ("-a", arg)]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "herald",
            *options,
            "-s",
            f"HERALD_DATA_DIR={tmp_path}",
            "-s",
            "HERALD_BASE_URL=http://127.0.0.1:9",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2  # a usage error, as Scrapy's own option errors
    assert message in done.stderr.strip().splitlines()[-1]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "archive.sqlite3").exists()


def test_killed_crawl_keeps_its_batches_and_the_rerun_completes(tmp_path: Path) -> None:
    site = sample_site()
    with SampleServer(site, delay=0.3) as server:
        process = start_crawl(server, tmp_path)
        wait_for_articles(tmp_path, 3, process, limit=60)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        kept = archived(tmp_path)
        mark = len(server.paths())
        result = crawl(server, tmp_path)
        assert result.returncode == 0, result.log[-3000:]
    assert 3 <= len(kept) < len(site.expected_records())
    assert archived(tmp_path) == site.expected_records()
    refetched = {path_of(kept[i]["url"]) for i in kept} & set(page_fetches(site, result.paths))
    assert not refetched
    assert len(server.paths()) > mark
    with sqlite3.connect(tmp_path / "archive.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone() == (
            len(site.expected_records()),
            len(site.expected_records()),
        )


def test_jobdir_pause_and_resume(tmp_path: Path) -> None:
    site = sample_site()
    jobdir = str(tmp_path / "job")
    with SampleServer(site, delay=0.3) as server:
        process = start_crawl(server, tmp_path, JOBDIR=jobdir)
        wait_for_articles(tmp_path, 3, process, limit=60)
        process.send_signal(signal.SIGINT)  # Scrapy's graceful stop: the job is saved
        assert process.wait(timeout=60) == 0
        paused = archived(tmp_path)
        result = crawl(server, tmp_path, JOBDIR=jobdir, HERALD_ARCHIVE_BATCH="3")
        assert result.returncode == 0, result.log[-3000:]
        every_path = server.paths()
    assert len(paused) < len(site.expected_records())
    assert archived(tmp_path) == site.expected_records()
    assert "resuming crawl" in result.log.lower()
    # The resumed run carries on from the saved queue and dupefilter, not from scratch.
    assert sum(p.startswith(sitemaps.INDEX_PATH) for p in every_path) == 1
    fetches = page_fetches(site, every_path)
    fetches.pop(next(iter(site.flaky)), None)
    assert set(fetches.values()) == {1}


def test_demo_site_serves_until_stopped() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sample_site", "--port", "0", "--articles", "24"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" at ")[-1].strip()
        with urllib.request.urlopen(f"{url}/robots.txt", timeout=10) as answer:
            robots = answer.read().decode()
        assert f"Sitemap: {url}{sitemaps.INDEX_PATH}" in robots
        assert process.poll() is None
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


REAL_PAGES = REPO.parent / "shared" / "real-pages"


@pytest.mark.skipif(not REAL_PAGES.is_dir(), reason="../shared/real-pages is not present")
def test_a_saved_real_page_is_crawled_and_archived(tmp_path: Path) -> None:
    site = standard_site([], fixtures=False)
    for saved in sorted(REAL_PAGES.glob("*.html")):
        html = saved.read_text("utf-8")
        canonical = Selector(text=html).css('link[rel="canonical"]::attr(href)').get()
        stub = {
            **dict.fromkeys(FIELDS, ""),
            "url": canonical,
            "published": "2022-10-01T00:00:00Z",
            "updated": "",
        }
        site.add(SitePage(article=Article(**stub), html=html))
    with SampleServer(site) as server:
        result = crawl(server, tmp_path)
    assert result.returncode == 0, result.log[-3000:]
    records = archived(tmp_path)
    assert sorted(records) == sorted(arc_id_from_url(p.article["url"]) for p in site.pages.values())
    assert {r["url"] for r in records.values()} == {p.article["url"] for p in site.pages.values()}
