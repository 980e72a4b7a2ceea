"""Rate limits of the public pages (personal links, the request form, the status check): counters per key in
fixed one-hour windows.

Counters live in Django's cache. The default LocMemCache is per process, so with several workers each counts on
its own; production sets CACHES to a shared cache (Redis, Memcached, the database cache or
PHONGDICH_CACHE_DIR's file cache) so that a limit holds across processes.
"""

import time

from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 3600


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR is the proxy's address behind a reverse proxy unless the proxy rewrites it
    # (e.g. nginx's real_ip module); X-Forwarded-For is not trusted here because anyone can send it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hourly_hit(key: str) -> int:
    """Count one hit against `key` (e.g. "link:a:127.0.0.1") in the current hour; returns the hour's count."""
    window = int(time.time() // WINDOW_SECONDS)
    full_key = f"pd:{key}:{window}"
    cache.add(full_key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, timeout=WINDOW_SECONDS + 60)
        return 1
