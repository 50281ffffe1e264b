"""What a finished crawl achieved, read from its stats: the verdict (exit code) and the summary.

The spider, the pipelines and the guards count what happens under `herald/…` stats keys;
this module only reads them, so the exit code, the human summary and the JOBDIR guard all
agree on one account of the crawl:

    0  finished (or stopped on request): every fetched article is archived, dropped as
       invalid, or gone (404/410)
    1  failed: articles could not be archived, the site could not be reached, or no sitemap
       could be read (nothing was discovered)
    2  usage error (Scrapy's own: a bad -a/-s value)
    3  incomplete: the crawl finished, but some pages failed after their retries; they are
       not archived, so the next run fetches them again
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OK, FAILED, USAGE, INCOMPLETE = 0, 1, 2, 3

ARCHIVE_PREFIX = "herald/archive/"
ARCHIVE_ERROR = "herald/archive_error"  # the first storage error, as text
ITEM_ERRORS = "herald/items/error"  # items a pipeline raised on (never archived)
# Readable names for the archive's upsert outcomes; any other outcome shows by its key.
OUTCOME_NAMES = {
    "inserted": "new",
    "updated": "updated",
    "revised": "revised",
    "unchanged": "unchanged",
    "older": "older (kept archived)",
    "restored": "restored",
}


def counts_under(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """{suffix: value} for the integer stats under `prefix`."""
    return {
        key[len(prefix) :]: value
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int) and "/" not in key[len(prefix) :]
    }


@dataclass(frozen=True)
class CrawlOutcome:
    """One crawl's account, from its stats dict."""

    stats: Mapping[str, Any]

    def count(self, key: str) -> int:
        value = self.stats.get(key, 0)
        return value if isinstance(value, int) else 0

    @property
    def reason(self) -> str:
        return str(self.stats.get("finish_reason", ""))

    @property
    def archived(self) -> dict[str, int]:
        """Articles the archive settled, by upsert outcome (inserted, updated, unchanged, …)."""
        return counts_under(self.stats, ARCHIVE_PREFIX)

    @property
    def unarchived(self) -> int:
        """Articles that passed validation (or broke a pipeline) but are not in the archive."""
        reached = self.count("item_scraped_count") + self.count(ITEM_ERRORS)
        return max(0, reached - sum(self.archived.values()))

    @property
    def failed(self) -> dict[str, int]:
        """Fetches that failed after their retries, by kind (robots, sitemap, article)."""
        return counts_under(self.stats, "herald/failed/")

    def example(self, kind: str) -> str:
        """One failed fetch of `kind` as "URL: problem" ("" when none)."""
        return str(self.stats.get(f"herald/failed_example/{kind}", ""))

    @property
    def pages(self) -> int:
        return self.count("response_received_count")

    @property
    def elapsed(self) -> float:
        value = self.stats.get("elapsed_time_seconds", 0.0)
        return float(value) if isinstance(value, int | float) else 0.0

    def verdict(self) -> tuple[int, str]:
        """(exit code, one line saying why); the line is "" for a clean crawl."""
        if self.unarchived or self.reason == "archive_failed":
            error = self.stats.get(ARCHIVE_ERROR) or "see the errors above"
            return FAILED, f"{self.unarchived} articles could not be archived: {error}"
        if self.reason != "finished":
            return OK, ""  # stopped on request (Ctrl-C, a CLOSESPIDER_* limit): not a failure
        failed = self.failed
        if not self.pages and failed:
            first = next(self.example(kind) for kind in failed)
            return FAILED, f"the site could not be reached: {first}"
        # A process that joined a shared crawl (crawler.frontier) may read no sitemap itself.
        if not self.count("herald/sitemaps/read") and not self.count("herald/frontier/joined"):
            tried = "; ".join(filter(None, (self.example(k) for k in ("robots", "sitemap"))))
            return FAILED, f"no sitemap could be read, nothing to crawl ({tried or 'none found'})"
        if failed.get("article") or failed.get("sitemap"):
            parts = [f"{n} {kind} pages" for kind, n in failed.items() if kind != "robots"]
            example = self.example("article") or self.example("sitemap")
            return INCOMPLETE, (
                f"{' and '.join(parts)} failed after retries (e.g. {example}); "
                "they are not archived, so the next run fetches them again"
            )
        return OK, ""
