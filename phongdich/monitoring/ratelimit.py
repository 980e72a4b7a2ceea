"""Rate limits of the personal-link endpoints, per token and per address (hourly windows of phongdich.ratelimit)."""

import hashlib

from django.conf import settings

from phongdich.ratelimit import hourly_hit


def link_rate_exceeded(*, token: str, address: str) -> bool:
    """Count this request against its token and its address; True when either is over its hourly limit.

    Unknown tokens count too: guessing tokens from one address is what the address limit stops."""
    token_key = hashlib.sha256(token.encode()).hexdigest()[:32]
    over_token = hourly_hit(f"link:t:{token_key}") > settings.PHONGDICH_LINK_RATE_PER_TOKEN
    over_address = hourly_hit(f"link:a:{address}") > settings.PHONGDICH_LINK_RATE_PER_ADDRESS
    return over_token or over_address
