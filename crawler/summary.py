"""The short human summary that ends every `scrapy crawl herald` (Scrapy's stats dump stays
above it for the details):

    crawl finished in 9.8 s: 517 pages fetched, 52.8 pages/s
      articles   412 new, 0 updated, 0 unchanged; 6 listed but unchanged (not fetched)
      dropped    2 (missing_body 2)
      not articles 2 pages
      errors     HTTP 404 ×1; no download errors
"""

from __future__ import annotations

from crawler.outcome import OUTCOME_NAMES, CrawlOutcome, counts_under

_REASONS = {
    "finished": "finished",
    "shutdown": "stopped (Ctrl-C or a signal)",
    "archive_failed": "stopped: the archive failed",
}


def _tally(counts: dict[str, int], label: str = "{key} ×{n}") -> str:
    return ", ".join(label.format(key=key, n=n) for key, n in counts.items())


def _articles(outcome: CrawlOutcome) -> str:
    counts = outcome.archived
    # The archive's outcomes in their usual order (new, updated, unchanged always shown),
    # then any outcome this module does not know by name.
    shown = [k for k in OUTCOME_NAMES if counts.get(k) or k in ("inserted", "updated", "unchanged")]
    shown += [k for k in counts if k not in OUTCOME_NAMES]
    text = ", ".join(f"{counts.get(k, 0)} {OUTCOME_NAMES.get(k, k)}" for k in shown)
    skipped = outcome.count("herald/urls/unchanged")
    if skipped:
        text += f"; {skipped} listed but unchanged (not fetched)"
    disallowed = outcome.count("herald/urls/ignored")
    if disallowed:
        text += f"; {disallowed} disallowed by robots.txt"
    if outcome.unarchived:
        text += f"; {outcome.unarchived} NOT ARCHIVED"
    return text


def _errors(outcome: CrawlOutcome) -> str:
    http = counts_under(outcome.stats, "herald/errors/http/")
    download = counts_under(outcome.stats, "herald/errors/download/")
    parts = [_tally(http, "HTTP {key} ×{n}") if http else "no HTTP errors"]
    parts.append(_tally(download) if download else "no download errors")
    retried = outcome.count("retry/count")
    if retried:
        parts.append(f"{retried} {'retry' if retried == 1 else 'retries'}")
    failed = outcome.failed
    if failed:
        parts.append("failed after retries: " + _tally(failed, "{n} {key}"))
    return "; ".join(parts)


def summary_text(outcome: CrawlOutcome) -> str:
    """The crawl in a few lines: what it archived, dropped and skipped, its errors, its pace."""
    elapsed = outcome.elapsed
    pace = outcome.pages / elapsed if elapsed > 0 else 0.0
    how = _REASONS.get(outcome.reason, f"stopped ({outcome.reason or 'unknown reason'})")
    dropped = counts_under(outcome.stats, "herald/dropped/")
    lines = [
        f"crawl {how} in {elapsed:.1f} s: {outcome.pages} pages fetched, {pace:.1f} pages/s",
        f"  articles     {_articles(outcome)}",
        f"  dropped      {sum(dropped.values())}"
        + (f" ({_tally(dropped, '{key} {n}')})" if dropped else ""),
        f"  not articles {outcome.count('herald/not_article')} pages",
        f"  errors       {_errors(outcome)}",
    ]
    return "\n".join(lines)
