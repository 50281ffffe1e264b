"""Scrapy settings for the herald crawler: polite defaults for the real site.

Tests and local runs override any of these with `-s NAME=VALUE`, e.g.
`-s HERALD_BASE_URL=http://127.0.0.1:8000 -s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=0`.
"""

from __future__ import annotations

from crawler.config import load_config
from crawler.record import RECORD_FIELDS

_config = load_config()

BOT_NAME = "herald"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# Our `crawl` command: Scrapy's, plus the summary and exit codes (crawler/commands/crawl.py).
COMMANDS_MODULE = "crawler.commands"

# Where to crawl and where the archive lives (crawler.config is the source of the defaults).
HERALD_BASE_URL = _config.base_url
HERALD_DATA_DIR = str(_config.data_dir)
# The archive: the SQLite file in HERALD_DATA_DIR, or PostgreSQL at this postgresql:// URL.
HERALD_ARCHIVE_URL = _config.archive_url
# A crawl frontier shared by several processes (crawler.frontier): a redis:// URL, or None.
# The add-on switches the scheduler, dupefilter and download handlers when it is set, and
# then HERALD_SITE_DELAY (default: DOWNLOAD_DELAY) spaces the requests of all processes.
HERALD_FRONTIER = _config.frontier
HERALD_FRONTIER_LEASE = 30.0  # seconds without a heartbeat before a process counts as dead
ADDONS = {"crawler.frontier.FrontierAddon": 0}
# Commit the archive every N items (and at close): a killed crawl keeps every committed batch.
HERALD_ARCHIVE_BATCH = 50

USER_AGENT = "herald-search/0.1 (NZ Herald archive search engine; polite crawler, obeys robots.txt)"
ROBOTSTXT_OBEY = True

# Politeness: a few requests at a time, adapting to the server's latency.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30

# Transient failures (5xx, timeouts, dropped connections) are retried; 404s are not.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# One fetch per article: requests for the same Arc id (tracking query strings,
# redirected legacy URLs) share a fingerprint, so the dupefilter drops the repeats.
REQUEST_FINGERPRINTER_CLASS = "crawler.fingerprint.ArticleFingerprinter"

ITEM_PIPELINES = {
    "crawler.pipelines.ValidatePipeline": 100,
    "crawler.pipelines.ArchivePipeline": 800,
}
# Drops are logged by the validation pipeline with their reason; Scrapy's own drop
# message dumps the whole item, so it goes to DEBUG.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

# `-O items.jsonl` writes exactly the article record's fields, in contract order.
FEED_EXPORT_FIELDS = list(RECORD_FIELDS)
FEED_EXPORT_ENCODING = "utf-8"

LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
LOG_FORMATTER = "crawler.logformat.HeraldLogFormatter"

EXTENSIONS = {
    # Stops the crawl at the first storage error: what it fetched after would be lost too.
    "crawler.guard.ArchiveGuard": 100,
    # Trusts a JOBDIR only after a clean pause; after its spider_closed runs Scrapy's
    # SpiderState (order 0) has already saved, so this order must stay above 0.
    "crawler.jobdir.JobDirGuard": 1000,
}

# Nothing listens that nobody asked for: Scrapy's Telnet console (127.0.0.1:6023) and
# Scrapy 2.19's remote-control HTTP server (runs any Python code sent to it) stay off.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
