"""The archive pipeline keeps the archive's rule for crawled items: newer wins, an older copy
is kept out and counted, a same-`updated` change is replaced and logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.archive import Archive
from crawler.pipelines import ArchivePipeline
from crawler.record import validate
from tests.web_support import make_article

ID = "P1PE11NE000000000000000001"


def test_crawled_items_follow_newer_wins(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    path = tmp_path / "archive.sqlite3"
    archived = make_article(ID, updated="2024-02-02T00:00:00Z", published="2024-02-01T00:00:00Z")
    with Archive(path) as archive:
        archive.upsert(archived)
    older = {**archived, "updated": "2024-02-01T12:00:00Z", "body": "An old copy."}
    revised = {**archived, "body": "Fixed without a new timestamp."}
    newer = {**archived, "updated": "2024-02-03T00:00:00Z", "body": "The newest."}
    crawler = get_crawler()
    crawler.stats = stats = MemoryStatsCollector(crawler)
    pipeline = ArchivePipeline(path, batch_size=10, crawler=crawler)
    pipeline.open_spider()
    with caplog.at_level(logging.INFO, logger="crawler.pipelines"):
        for item in (older, revised, newer):
            pipeline.process_item(validate(item))
        pipeline.close_spider()
    counts = {k.rsplit("/", 1)[1]: v for k, v in stats.get_stats().items() if "archive/" in k}
    assert counts == {"older": 1, "revised": 1, "updated": 1}
    assert f"older than the archived copy, kept archived: {archived['url']}" in caplog.text
    assert f"revised (same updated, new content; previous kept): {archived['url']}" in caplog.text
    assert "0 new, 1 updated, 1 revised, 0 unchanged, 1 older (kept archived)" in caplog.text
    with Archive(path, readonly=True) as archive:
        history = archive.history(ID)
    assert history is not None
    assert [v.article["body"] for v in history.versions] == [
        archived["body"],
        revised["body"],
        newer["body"],
    ]
