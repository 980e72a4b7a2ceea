"""Defences of the pages anyone can open (the request form, the status check), without any internet captcha:
per-address rate limits in hourly windows (`phongdich.ratelimit`), a honeypot field, a signed form timestamp
(too fast = a script, too old = a replay), and suppression of the same text sent again.
"""

import hashlib
from datetime import datetime, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.hotline import conf
from phongdich.hotline.models import Channel, Request
from phongdich.ratelimit import hourly_hit
from phongdich.vntext import nfc

_SALT = "phongdich.hotline.public-form"


def _address_key(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def form_rate_exceeded(address: str) -> bool:
    """Count one submission of the public form from `address`; True once over the hourly limit."""
    return hourly_hit(f"hotline:form:{_address_key(address)}") > conf.form_rate_per_address()


def status_rate_exceeded(address: str) -> bool:
    """Count one status check from `address`; True once over the hourly limit (guessing codes is what it stops)."""
    return hourly_hit(f"hotline:status:{_address_key(address)}") > conf.status_rate_per_address()


def form_stamp(now: datetime | None = None) -> str:
    """The signed time the form was shown, for its hidden field."""
    return signing.dumps({"t": (now or timezone.now()).timestamp()}, salt=_SALT)


def stamp_problem(stamp: str, now: datetime | None = None) -> str:
    """Why a submission with this stamp is refused ("" when it is fine): forged, sent too fast, or too old."""
    try:
        shown = float(signing.loads(stamp, salt=_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _("Biểu mẫu không hợp lệ. Vui lòng tải lại trang và gửi lại.")
    elapsed = (now or timezone.now()).timestamp() - shown
    if elapsed < conf.form_min_seconds():
        return _("Biểu mẫu được gửi quá nhanh. Vui lòng kiểm tra lại nội dung rồi gửi lại.")
    if elapsed > conf.form_max_age_seconds():
        return _("Biểu mẫu đã mở quá lâu. Vui lòng tải lại trang và gửi lại.")
    return ""


def duplicate_of(*, message: str, phone: str, now: datetime | None = None) -> Request | None:
    """A request sent through the public form recently with the same text (after folding white space)."""
    since = (now or timezone.now()) - timedelta(hours=conf.duplicate_hours())
    recent = Request.objects.filter(channel=Channel.WEB, created_at__gte=since, message=nfc(message))
    same_caller = recent.filter(caller_phone=phone).first() if phone else None
    return same_caller or recent.first()
