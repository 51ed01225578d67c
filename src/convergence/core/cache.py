"""The shared cache (Redis) as a help, never a condition: when it cannot be reached, pages still answer.

Django's RedisCache raises when Redis is down, so every page that reads the cache (the call page, the catalogue,
the API, the login form through allauth's rate limits) failed with it. Here a read that cannot reach Redis is a
miss and a write is dropped. After one failure the process stops asking for CACHE_PAUSE_SECONDS, so that a
request during an outage does not wait for a connection that will not come.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

CACHE_PAUSE_SECONDS = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

_unreachable_since: float | None = None


def _reachable() -> bool:
    return _unreachable_since is None or time.monotonic() - _unreachable_since >= CACHE_PAUSE_SECONDS


def _through(operation: Callable[[], Any], fallback: Any) -> Any:
    global _unreachable_since
    if not _reachable():
        return fallback
    try:
        result = operation()
    except UNREACHABLE as error:
        if _unreachable_since is None:
            logger.warning("Cache unreachable, pages go on without it: %s", error)
        _unreachable_since = time.monotonic()
        return fallback
    if _unreachable_since is not None:
        logger.warning("Cache reachable again")
        _unreachable_since = None
    return result


class FailSafeRedisCacheClient(RedisCacheClient):
    def add(self, key, value, timeout):
        # True: with nothing shared, no one else holds the key (allauth's rate-limit lock would wait a second).
        return _through(partial(RedisCacheClient.add, self, key, value, timeout), True)

    def get(self, key, default):
        return _through(partial(RedisCacheClient.get, self, key, default), default)

    def set(self, key, value, timeout):
        _through(partial(RedisCacheClient.set, self, key, value, timeout), None)

    def touch(self, key, timeout):
        return _through(partial(RedisCacheClient.touch, self, key, timeout), False)

    def delete(self, key):
        return _through(partial(RedisCacheClient.delete, self, key), False)

    def get_many(self, keys):
        return _through(partial(RedisCacheClient.get_many, self, keys), {})

    def has_key(self, key):
        return _through(partial(RedisCacheClient.has_key, self, key), False)

    def set_many(self, data, timeout):
        _through(partial(RedisCacheClient.set_many, self, data, timeout), None)

    def delete_many(self, keys):
        _through(partial(RedisCacheClient.delete_many, self, keys), None)

    # incr and clear still raise: a counter that silently stays put, or a clear that did not happen, would be wrong.


class FailSafeRedisCache(RedisCache):
    """Django's RedisCache, whose reads miss and writes are dropped while Redis cannot be reached."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSafeRedisCacheClient
