"""Rate limits of the personal-link endpoints, per token and per address, in fixed one-hour windows.

Counters live in Django's cache. The default LocMemCache is per process, so with several workers each
counts on its own; production sets CACHES to a shared cache (Redis, Memcached or the database cache)
so that the limit holds across processes.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 3600


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR is the proxy's address behind a reverse proxy unless the proxy rewrites it
    # (e.g. nginx's real_ip module); X-Forwarded-For is not trusted here because anyone can send it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _hit(key: str) -> int:
    window = int(time.time() // WINDOW_SECONDS)
    full_key = f"pd:link:{key}:{window}"
    cache.add(full_key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, timeout=WINDOW_SECONDS + 60)
        return 1


def link_rate_exceeded(*, token: str, address: str) -> bool:
    """Count this request against its token and its address; True when either is over its hourly limit.

    Unknown tokens count too: guessing tokens from one address is what the address limit stops."""
    token_key = hashlib.sha256(token.encode()).hexdigest()[:32]
    over_token = _hit(f"t:{token_key}") > settings.PHONGDICH_LINK_RATE_PER_TOKEN
    over_address = _hit(f"a:{address}") > settings.PHONGDICH_LINK_RATE_PER_ADDRESS
    return over_token or over_address
