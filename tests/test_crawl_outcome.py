"""The crawl's verdict and summary from its stats, and the JOBDIR trust rule, without a crawl."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from crawler.jobdir import MARKER, forget_job, mark_paused, prepare_job
from crawler.outcome import FAILED, INCOMPLETE, OK, CrawlOutcome
from crawler.summary import summary_text

CLEAN = {
    "finish_reason": "finished",
    "response_received_count": 120,
    "elapsed_time_seconds": 4.0,
    "herald/sitemaps/read": 10,
    "item_scraped_count": 100,
    "herald/archive/inserted": 90,
    "herald/archive/updated": 4,
    "herald/archive/unchanged": 6,
    "herald/dropped": 2,
    "herald/dropped/missing_body": 2,
    "herald/errors/http/404": 1,
}


@pytest.mark.parametrize(
    ("changes", "code", "says"),
    [
        ({}, OK, ""),
        ({"herald/archive/older": 3, "item_scraped_count": 103}, OK, ""),
        (
            {"herald/archive/inserted": 40, "herald/archive_error": "disk I/O error"},
            FAILED,
            "50 articles could not be archived: disk I/O error",
        ),
        ({"herald/items/error": 1}, FAILED, "1 articles could not be archived"),
        (
            {
                "response_received_count": 0,
                "herald/sitemaps/read": 0,
                "item_scraped_count": 0,
                "herald/archive/inserted": 0,
                "herald/archive/updated": 0,
                "herald/archive/unchanged": 0,
                "herald/failed/robots": 1,
                "herald/failed_example/robots": "http://x/robots.txt: Connection refused",
            },
            FAILED,
            "the site could not be reached: http://x/robots.txt: Connection refused",
        ),
        (
            {
                "herald/sitemaps/read": 0,
                "herald/failed/sitemap": 2,
                "herald/failed_example/sitemap": "http://x/sitemap: HTTP 503",
            },
            FAILED,
            "no sitemap could be read, nothing to crawl (http://x/sitemap: HTTP 503)",
        ),
        (
            {"herald/failed/article": 2, "herald/failed_example/article": "http://x/a/: HTTP 500"},
            INCOMPLETE,
            "2 article pages failed after retries (e.g. http://x/a/: HTTP 500)",
        ),
        ({"finish_reason": "shutdown", "herald/sitemaps/read": 0}, OK, ""),
        ({"finish_reason": "archive_failed"}, FAILED, "0 articles could not be archived"),
    ],
)
def test_verdict(changes: dict, code: int, says: str) -> None:
    got_code, line = CrawlOutcome({**CLEAN, **changes}).verdict()
    assert got_code == code
    assert line.startswith(says)


def test_summary_names_every_outcome_drop_and_error() -> None:
    stats = {
        **CLEAN,
        "herald/archive/older": 3,
        "herald/archive/revised": 1,
        "item_scraped_count": 104,
        "herald/urls/unchanged": 7,
        "herald/not_article": 2,
        "herald/errors/download/TimeoutError": 1,
        "retry/count": 2,
    }
    assert summary_text(CrawlOutcome(stats)).splitlines() == [
        "crawl finished in 4.0 s: 120 pages fetched, 30.0 pages/s",
        "  articles     90 new, 4 updated, 1 revised, 6 unchanged, 3 older (kept archived); "
        "7 listed but unchanged (not fetched)",
        "  dropped      2 (missing_body 2)",
        "  not articles 2 pages",
        "  errors       HTTP 404 ×1; TimeoutError ×1; 2 retries",
    ]


def _job(path: Path) -> Path:
    (path / "requests.queue").mkdir(parents=True)
    (path / "requests.queue" / "active.json").write_text("{}")
    (path / "requests.seen").write_bytes(b"\x00\x14" + b"x" * 20)
    return path


def test_a_killed_job_is_forgotten_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    job = _job(tmp_path / "job")
    with caplog.at_level(logging.WARNING):
        assert prepare_job(job) is False
    assert "was not closed cleanly" in caplog.text
    assert list(job.iterdir()) == []


def test_a_paused_job_is_resumed_and_its_marker_removed(tmp_path: Path) -> None:
    job = _job(tmp_path / "job")
    mark_paused(job, "shutdown")
    assert prepare_job(job) is True
    assert (job / "requests.seen").exists()
    assert not (job / MARKER).exists()  # killed from now on: noticed next time
    assert prepare_job(job) is False
    assert list(job.iterdir()) == []


def test_forget_job_leaves_an_empty_directory(tmp_path: Path) -> None:
    job = _job(tmp_path / "job")
    (job / "spider.state").write_bytes(b"")
    mark_paused(job, "shutdown")
    forget_job(job)
    assert list(job.iterdir()) == []
