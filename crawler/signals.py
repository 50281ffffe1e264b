"""Signals the crawler's own components send (Scrapy's signal manager, crawler.signals)."""

# Sent by the ArchivePipeline after each commit: every item it was given before is stored.
archive_committed = object()
