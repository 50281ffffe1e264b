"""A crawl frontier shared by several `scrapy crawl herald` processes, on Redis.

    scrapy crawl herald -s HERALD_FRONTIER=redis://frontier-host:6379/0   # on each crawler host
    HERALD_FRONTIER=redis://frontier-host:6379/0 scrapy crawl herald      # the same
    python -m crawler.frontier status|clear                                # look at / abandon it

Unset, the crawl uses Scrapy's own scheduler (one process, JOBDIR to pause and resume).
Set, it uses scrapy-redis's scheduler and duplicate filter, extended so that:
- every process takes requests from one queue, and a URL is queued once per crawl
  (fingerprints: crawler.fingerprint, keyed on the Arc id): dupefilter.py;
- a killed process loses nothing: what it had in flight goes back on the queue once its
  lease (HERALD_FRONTIER_LEASE, 30 s) runs out: scheduler.py, store.py;
- the per-site request rate is one budget for all processes: politeness.py.
Turned on by the add-on in addon.py (settings.ADDONS).
"""

from crawler.frontier.addon import FrontierAddon

__all__ = ["FrontierAddon"]
