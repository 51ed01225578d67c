"""What everyone reads on deadline night (catalogue, open data, the call), built once per change, not per request.

Each scope ("catalogue", "calls") has a generation stamp in the shared cache. Content is cached under
its scope's current stamp; a service that changes the content calls `public_content_changed(scope)`,
which sets a new stamp (again once the transaction commits), so every server process builds it again
at its next request. The cache is shared by the server's processes (files under var/ by default, Redis with
CACHE_URL), and entries also expire after PUBLIC_CACHE_SECONDS, a bound on any missed invalidation.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def _generation_key(scope: str) -> str:
    return f"public-generation:{scope}"


# While the shared cache keeps nothing (Redis unreachable: convergence.core.cache), each process keeps what it
# built for this long: pages stay up and cheap, and a change shows within this delay.
CACHE_UNREACHABLE_REBUILD_SECONDS = 10
# Scopes changed while the cache could not take their new stamp: renewed once it can, so that entries cached
# before the outage (a Redis cut off, not emptied) do not hide the change.
_renew_pending: set[str] = set()


def _generation(scope: str) -> int:
    key = _generation_key(scope)
    generation = cache.get(key)
    if generation is None:
        # A fresh stamp, never one used before: entries cached under an evicted stamp stay unreachable.
        cache.add(key, time.time_ns(), None)
        generation = cache.get(key)
    if generation is None:
        # A negative stamp, which the shared cache never holds, that changes every few seconds.
        return -int(time.time() // CACHE_UNREACHABLE_REBUILD_SECONDS)
    if _renew_pending:  # the cache is back: renew what changed while it was away, then read this scope's stamp
        for pending in list(_renew_pending):
            _renew(pending)
        generation = cache.get(key) or generation
    return generation


def _renew(scope: str) -> None:
    key = _generation_key(scope)
    cache.set(key, time.time_ns(), None)
    if cache.get(key) is None:
        _renew_pending.add(scope)
    else:
        _renew_pending.discard(scope)


def public_content_changed(scope: str) -> None:
    """Forget what was cached for `scope`: now, and again once the change is committed, since a reader
    between the two may have cached the state from before the change under the first new stamp."""
    _renew(scope)
    # robust: the change is committed; a cache that fails now must not turn it into an error page.
    transaction.on_commit(lambda: _renew(scope), robust=True)


# Each process also keeps the values it read last, under the same keys (stamp included): a read then costs one
# small cache get (the stamp) instead of unpickling a thousand catalogue entries. Callers never mutate values.
_MEMORY_ENTRIES = 64
_memory: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_memory_lock = threading.Lock()


def _remembered(key: str) -> Any:
    with _memory_lock:
        found = _memory.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        _memory.move_to_end(key)
        return found[1]


def _remember(key: str, value: Any) -> None:
    with _memory_lock:
        _memory[key] = (time.monotonic() + settings.PUBLIC_CACHE_SECONDS, value)
        while len(_memory) > _MEMORY_ENTRIES:
            _memory.popitem(last=False)


def cached_public(scope: str, name: str, build: Callable[[], T]) -> T:
    """`build()`'s result for the current state of `scope`, computed once per change."""
    key = f"public:{scope}:{_generation(scope)}:{name}"
    value = _remembered(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.PUBLIC_CACHE_SECONDS)
    _remember(key, value)
    return value
