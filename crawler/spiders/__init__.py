"""The herald spider (see crawler.spiders.herald)."""
