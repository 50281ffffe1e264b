"""The frontier's state in Redis, and every change to it as one atomic Lua script.

    herald:requests   sorted set: the queue (scrapy-redis's PriorityQueue: request → -priority)
    herald:seen       set: fingerprints of every request ever queued in this crawl (dupefilter)
    herald:inflight   hash: request taken from the queue → "state|score|worker"
                      state c: being fetched or parsed; d: done, its items not yet committed
    herald:workers    sorted set: worker → lease expiry (Redis server time, seconds)

A request moves from the queue to `inflight` in the same step that hands it to a process,
and leaves `inflight` only when that process has finished it and committed what it yielded.
A process that stops renewing its lease (killed, or its host gone) is dead: any other
process puts its in-flight requests back on the queue. So nothing taken is ever lost, and
nothing is fetched twice except what a dead process had in flight.

The crawl is the frontier's contents: the first process to join an empty frontier (no queue,
nothing in flight, no live process) starts a new crawl and clears `seen`; the last to leave
a finished one clears it too (a next crawl, e.g. tomorrow's `-a latest=1`, starts afresh).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import redis

PREFIX = "herald"

# Server time in seconds (every host agrees on it, whatever its own clock says).
_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000 "

_JOIN = (
    _NOW
    + """
local fresh = 0
if redis.call('ZCOUNT', KEYS[1], now, '+inf') == 0 and redis.call('ZCARD', KEYS[2]) == 0
   and redis.call('HLEN', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[4], KEYS[1])
  fresh = 1
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return fresh
"""
)

_RENEW = _NOW + "return redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])"

_CLAIM = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], r[1], 'c|' .. r[2] .. '|' .. ARGV[1])
return r[1]
"""

# ARGV[1]: worker; ARGV[2]: 'ack' (forget), 'done' (mark d) or 'requeue'; ARGV[3..]: requests
_SETTLE = """
local n = 0
for i = 3, #ARGV do
  local v = redis.call('HGET', KEYS[1], ARGV[i])
  if v then
    local state, score, owner = string.match(v, '^(%a)|([^|]*)|(.*)$')
    if owner == ARGV[1] then
      if ARGV[2] == 'done' then
        redis.call('HSET', KEYS[1], ARGV[i], 'd|' .. score .. '|' .. owner)
      else
        redis.call('HDEL', KEYS[1], ARGV[i])
        if ARGV[2] == 'requeue' then redis.call('ZADD', KEYS[2], score, ARGV[i]) end
      end
      n = n + 1
    end
  end
end
return n
"""

# Put the in-flight requests of dead workers back on the queue; forget the dead.
_REAP = (
    _NOW
    + """
local entries = redis.call('HGETALL', KEYS[2])
local n = 0
for i = 1, #entries, 2 do
  local state, score, owner = string.match(entries[i + 1], '^(%a)|([^|]*)|(.*)$')
  local lease = tonumber(redis.call('ZSCORE', KEYS[1], owner) or '0')
  if lease < now then
    redis.call('ZADD', KEYS[3], score, entries[i])
    redis.call('HDEL', KEYS[2], entries[i])
    n = n + 1
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
return n
"""
)

# Is there work this worker may still get: queued, being fetched by another, or held by
# a dead worker (reaped once its lease runs out)? A live worker's done-but-uncommitted
# requests are not work: waiting for them would keep two finished processes alive forever.
_PENDING = (
    _NOW
    + """
if redis.call('ZCARD', KEYS[2]) > 0 then return 1 end
local entries = redis.call('HVALS', KEYS[3])
for i = 1, #entries do
  local state, score, owner = string.match(entries[i], '^(%a)|([^|]*)|(.*)$')
  if owner ~= ARGV[1] then
    if state == 'c' then return 1 end
    if tonumber(redis.call('ZSCORE', KEYS[1], owner) or '0') < now then return 1 end
  end
end
return 0
"""
)

_LEAVE = (
    _NOW
    + """
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCOUNT', KEYS[1], now, '+inf') == 0 and redis.call('ZCARD', KEYS[2]) == 0
   and redis.call('HLEN', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[4], KEYS[1])
  return 1
end
return 0
"""
)


@dataclass(frozen=True)
class Keys:
    requests: str = f"{PREFIX}:requests"
    seen: str = f"{PREFIX}:seen"
    inflight: str = f"{PREFIX}:inflight"
    workers: str = f"{PREFIX}:workers"


@dataclass
class Status:
    queued: int
    in_flight: int
    seen: int
    workers: int  # with a live lease


class FrontierStore:
    """One worker's view of the shared frontier state (see the module docstring)."""

    def __init__(
        self, server: redis.Redis, worker: str, lease: float, keys: Keys | None = None
    ) -> None:
        self.server, self.worker, self.lease = server, worker, lease
        self.keys = keys or Keys()
        self._join = server.register_script(_JOIN)
        self._renew = server.register_script(_RENEW)
        self._claim = server.register_script(_CLAIM)
        self._settle = server.register_script(_SETTLE)
        self._reap = server.register_script(_REAP)
        self._pending = server.register_script(_PENDING)
        self._leave = server.register_script(_LEAVE)

    def join(self) -> bool:
        """Register this worker; True when it starts a new crawl (`seen` was cleared)."""
        k = self.keys
        keys = [k.workers, k.requests, k.inflight, k.seen]
        return bool(self._join(keys=keys, args=[self.worker, self.lease]))

    def renew(self) -> bool:
        """Extend this worker's lease; False when it had run out (others took its work)."""
        return not self._renew(keys=[self.keys.workers], args=[self.worker, self.lease])

    def claim(self) -> bytes | None:
        """Take the first queued request (its encoded form) and record it as in flight."""
        return self._claim(keys=[self.keys.requests, self.keys.inflight], args=[self.worker])

    def _apply(self, action: str, raws: Iterable[bytes]) -> int:
        raws = list(raws)
        if not raws:
            return 0
        keys = [self.keys.inflight, self.keys.requests]
        return int(self._settle(keys=keys, args=[self.worker, action, *raws]))

    def ack(self, raws: Iterable[bytes]) -> int:
        """Forget finished requests whose output is safely stored."""
        return self._apply("ack", raws)

    def mark_done(self, raws: Iterable[bytes]) -> int:
        """Record requests as fetched and parsed, their items not yet committed."""
        return self._apply("done", raws)

    def requeue(self, raws: Iterable[bytes]) -> int:
        """Put requests this worker holds back on the queue."""
        return self._apply("requeue", raws)

    def reap(self) -> int:
        """Put dead workers' in-flight requests back on the queue; how many."""
        k = self.keys
        return int(self._reap(keys=[k.workers, k.inflight, k.requests]))

    def pending(self) -> bool:
        """Whether there is work left that this worker may be given (see _PENDING)."""
        k = self.keys
        return bool(self._pending(keys=[k.workers, k.requests, k.inflight], args=[self.worker]))

    def leave(self) -> bool:
        """Deregister; True when this worker was the last of a finished crawl."""
        k = self.keys
        keys = [k.workers, k.requests, k.inflight, k.seen]
        return bool(self._leave(keys=keys, args=[self.worker]))

    def status(self) -> Status:
        k = self.keys
        seconds, micros = self.server.time()
        pipe = self.server.pipeline()
        pipe.zcard(k.requests).hlen(k.inflight).scard(k.seen)
        pipe.zcount(k.workers, seconds + micros / 1e6, "+inf")
        queued, in_flight, seen, workers = pipe.execute()
        return Status(queued, in_flight, seen, workers)

    def clear(self) -> None:
        """Forget the whole crawl (an operator abandoning it)."""
        k = self.keys
        self.server.delete(k.requests, k.seen, k.inflight, k.workers)
