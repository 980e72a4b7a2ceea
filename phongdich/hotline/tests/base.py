"""The hotline's test base: the shared wards and users, the seeded categories, a frozen clock and a request factory."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache

from phongdich.hotline.models import Channel, Request, RequestCategory
from phongdich.hotline.services import request_create
from phongdich.testing import PhongdichTestCase

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2022, 2, 24, 9, 0, tzinfo=HANOI)


class HotlineTestCase(PhongdichTestCase):
    def setUp(self) -> None:
        cache.clear()  # rate-limit counters

    def category(self, code: str) -> RequestCategory:
        return RequestCategory.objects.get(code=code)

    def make_request(self, *, category: str = "food", now: datetime = T0, **fields: Any) -> Request:
        values: dict[str, Any] = {
            "actor": self.hotline, "channel": Channel.PHONE, "message": "Nhà tôi hết gạo, xin hỗ trợ.",
            "caller_phone": "0912345678", "caller_name": "Trần Văn Bình", "caller_address": "12 ngõ 5 Phúc Xá",
            "ward": self.ward_a1, **fields,
        }  # fmt: skip
        return request_create(category=self.category(category), now=now, **values)
