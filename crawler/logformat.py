"""Log lines that name an item by its URL instead of dumping the whole article into the log."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class HeraldLogFormatter(LogFormatter):
    """LOG_FORMATTER: an item that breaks a pipeline is logged as its URL (Scrapy adds the
    traceback), not as the full record with its body text."""

    def item_error(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        result = super().item_error(item, exception, response, spider)
        url = item.get("url") if isinstance(item, dict) else None
        return {**result, "msg": "could not store %(item)s", "args": {"item": url or "an item"}}
