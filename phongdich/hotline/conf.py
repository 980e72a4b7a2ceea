"""The hotline's settings, each with its default: a deployment overrides them in settings.py or not at all."""

from django.conf import settings


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def repeat_days() -> int:
    """A caller asking again within this many days is linked to their first request."""
    return _setting("PHONGDICH_REQUEST_REPEAT_DAYS", 7)


def form_rate_per_address() -> int:
    """Public form submissions allowed per address and hour."""
    return _setting("PHONGDICH_HOTLINE_FORM_RATE_PER_ADDRESS", 10)


def status_rate_per_address() -> int:
    """Status checks (code + last digits of the phone) allowed per address and hour."""
    return _setting("PHONGDICH_HOTLINE_STATUS_RATE_PER_ADDRESS", 30)


def form_min_seconds() -> int:
    """A public form sent back faster than this after it was shown was not typed by a person."""
    return _setting("PHONGDICH_HOTLINE_FORM_MIN_SECONDS", 3)


def form_max_age_seconds() -> int:
    """A public form older than this is refused (reload the page): an old signed form cannot be replayed forever."""
    return _setting("PHONGDICH_HOTLINE_FORM_MAX_AGE_SECONDS", 2 * 3600)


def message_max_chars() -> int:
    return _setting("PHONGDICH_HOTLINE_MESSAGE_MAX_CHARS", 2000)


def duplicate_hours() -> int:
    """The same text sent through the public form within this many hours is not taken again."""
    return _setting("PHONGDICH_HOTLINE_DUPLICATE_HOURS", 24)
