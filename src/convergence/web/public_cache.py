"""What everyone reads on deadline night (catalogue, open data, the call), built once per change, not per request.

Each scope ("catalogue", "calls") has a generation stamp in the shared cache. Content is cached under
its scope's current stamp; a service that changes the content calls `public_content_changed(scope)`,
which sets a new stamp (again once the transaction commits), so every server process builds it again
at its next request. The cache is shared by the server's processes (files under var/ by default, Redis with
CACHE_URL), and entries also expire after PUBLIC_CACHE_SECONDS, a bound on any missed invalidation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def _generation_key(scope: str) -> str:
    return f"public-generation:{scope}"


def _generation(scope: str) -> int:
    key = _generation_key(scope)
    generation = cache.get(key)
    if generation is None:
        # A fresh stamp, never one used before: entries cached under an evicted stamp stay unreachable.
        cache.add(key, time.time_ns(), None)
        generation = cache.get(key) or time.time_ns()
    return generation


def _renew(scope: str) -> None:
    cache.set(_generation_key(scope), time.time_ns(), None)


def public_content_changed(scope: str) -> None:
    """Forget what was cached for `scope`: now, and again once the change is committed, since a reader
    between the two may have cached the state from before the change under the first new stamp."""
    _renew(scope)
    transaction.on_commit(lambda: _renew(scope))


def cached_public(scope: str, name: str, build: Callable[[], T]) -> T:
    """`build()`'s result for the current state of `scope`, computed once per change."""
    key = f"public:{scope}:{_generation(scope)}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.PUBLIC_CACHE_SECONDS)
    return value
