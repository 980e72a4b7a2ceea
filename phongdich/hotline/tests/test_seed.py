from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from phongdich.accounts.roles import Role
from phongdich.accounts.services import user_create
from phongdich.hotline.models import OPEN, Request
from phongdich.hotline.tests.base import HotlineTestCase


class SeedTests(HotlineTestCase):
    def test_needs_the_demo_users(self) -> None:
        with pytest.raises(CommandError):
            call_command("seed_hotline", stdout=StringIO())

    def test_idempotent_demo_requests(self) -> None:
        user_create(
            username="tongdai", password="x-Mat-khau-2022", role=Role.HOTLINE, area=self.province, full_name="TĐ"
        )
        user_create(username="phuong.phucxa", password="x-Mat-khau-2022", role=Role.WARD_OFFICER, area=self.ward_a1,
                    full_name="PX")  # fmt: skip
        call_command("seed_hotline", stdout=StringIO())
        codes = set(Request.objects.values_list("code", flat=True))
        assert len(codes) == 40
        assert set(Request.objects.values_list("ward__parent__code", flat=True)) == {"001"}
        assert Request.objects.values("category").distinct().count() == 8
        answered = Request.objects.filter(answered_at__isnull=False)
        assert (
            answered.filter(answered_at__lte=F("due_at")).exists()
            and answered.filter(answered_at__gt=F("due_at")).exists()
        )
        assert Request.objects.filter(status__in=OPEN, escalated_at__isnull=False).exists()
        assert Request.objects.filter(status__in=OPEN, escalated_at__isnull=True).exists()
        call_command("seed_hotline", stdout=StringIO())
        assert set(Request.objects.values_list("code", flat=True)) == codes
