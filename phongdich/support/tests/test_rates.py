from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from phongdich.audit.models import AuditLog, Event
from phongdich.support.models import AllowanceRate, Beneficiary, Unit
from phongdich.support.rate_services import RateData, rate_close, rate_create, rate_replace, rate_update
from phongdich.support.tests.base import SupportTestCase


def data(**values: object) -> RateData:
    base = {
        "name": "Hỗ trợ chốt", "beneficiary": Beneficiary.FRONTLINE, "unit": Unit.PER_DAY, "amount": 100_000,
        "valid_from": date(2022, 1, 1), "valid_to": None, "document": "QĐ 1/QĐ-UBND",
    }  # fmt: skip
    return RateData(**{**base, **values})  # type: ignore[arg-type]


class RateServiceTests(SupportTestCase):
    def test_create_checks_every_field(self) -> None:
        with pytest.raises(ValidationError) as error:
            rate_create(
                actor=self.city_admin,
                data=data(name=" ", amount=0, valid_to=date(2021, 12, 31), document="", unit="week"),
            )
        assert set(error.value.message_dict) == {"name", "amount", "valid_to", "document", "unit"}

    def test_only_city_admins(self) -> None:
        for user in (self.district_officer_a, self.ward_officer_a1, self.steering):
            with pytest.raises(ValidationError):
                rate_create(actor=user, data=data())
        rate = rate_create(actor=self.city_admin, data=data())
        log = AuditLog.objects.get(target_type="allowance_rate", target_id=rate.pk)
        assert (log.event, log.actor, log.changes["amount"]) == (Event.CREATE, self.city_admin, 100_000)

    def test_unused_rate_can_be_corrected_used_rate_cannot(self) -> None:
        rate = rate_create(actor=self.city_admin, data=data())
        rate_update(actor=self.city_admin, rate=rate, data=data(amount=120_000))
        rate.refresh_from_db()
        assert rate.amount == 120_000
        assert AuditLog.objects.get(target_id=rate.pk, event=Event.UPDATE).changes == {"amount": [100_000, 120_000]}
        self.named(rate=rate, start_on=date(2022, 1, 1), end_on=date(2022, 1, 5))
        with pytest.raises(ValidationError) as error:
            rate_update(actor=self.city_admin, rate=rate, data=data(amount=200_000))
        assert "chỉ có thể đóng và thay" in error.value.message_dict["amount"][0]
        rate.refresh_from_db()
        assert rate.amount == 120_000

    def test_close_not_before_the_last_use(self) -> None:
        self.named(start_on=date(2022, 1, 1), end_on=date(2022, 1, 10))
        with pytest.raises(ValidationError) as error:
            rate_close(actor=self.city_admin, rate=self.day_rate, valid_to=date(2022, 1, 9))
        assert "đến hết ngày 10/01/2022" in error.value.message_dict["valid_to"][0]
        rate_close(actor=self.city_admin, rate=self.day_rate, valid_to=date(2022, 1, 10))
        self.day_rate.refresh_from_db()
        assert self.day_rate.valid_to == date(2022, 1, 10)

    def test_replace_closes_the_old_rate_the_day_before(self) -> None:
        e = self.named(start_on=date(2022, 1, 1), end_on=date(2022, 1, 10))
        with pytest.raises(ValidationError) as error:
            rate_replace(actor=self.city_admin, rate=self.day_rate, data=data(valid_from=date(2022, 1, 10)))
        assert "valid_from" in error.value.message_dict
        with pytest.raises(ValidationError):
            rate_replace(
                actor=self.city_admin, rate=self.day_rate,
                data=data(beneficiary=Beneficiary.COMMUNITY_TEAM, valid_from=date(2022, 2, 1)),
            )  # fmt: skip
        new = rate_replace(
            actor=self.city_admin, rate=self.day_rate, data=data(amount=200_000, valid_from=date(2022, 2, 1))
        )
        self.day_rate.refresh_from_db()
        assert (self.day_rate.valid_to, new.valid_from, new.replaces, new.amount) == (
            date(2022, 1, 31),
            date(2022, 2, 1),
            self.day_rate,
            200_000,
        )
        e.refresh_from_db()
        assert (e.rate, e.amount, e.rate_amount) == (self.day_rate, 1_500_000, 150_000)

    def test_seed_is_idempotent_and_marks_unconfirmed(self) -> None:
        out = StringIO()
        call_command("seed_allowances", stdout=out)
        call_command("seed_allowances", stdout=out)
        assert "7 thêm mới, 0 đã có" in out.getvalue() and "0 thêm mới, 7 đã có" in out.getvalue()
        community = AllowanceRate.objects.get(code="hn-community-team-month")
        assert community.unit == Unit.PER_MONTH and "UNCONFIRMED" in community.notes
        assert AllowanceRate.objects.get(code="nq145-infection-control-300k").document == "NQ 145/NQ-CP (19/11/2021)"
        assert {r.beneficiary for r in AllowanceRate.objects.filter(code__contains="-")} >= set(Beneficiary.values)
