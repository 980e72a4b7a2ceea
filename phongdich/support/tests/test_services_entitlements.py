from datetime import date

import pytest
from django.core.exceptions import ValidationError

from phongdich.audit.models import AuditLog
from phongdich.support.models import Beneficiary, Entitlement, Unit
from phongdich.support.rate_services import RateData, rate_replace
from phongdich.support.services import entitlement_cancel, entitlement_create, entitlements_create_for_team
from phongdich.support.tests.base import TODAY, SupportTestCase
from phongdich.teams.models import TeamKind


class EntitlementCreateTests(SupportTestCase):
    def test_named_person_per_day(self) -> None:
        e = self.named(days_served=8)
        assert (e.amount, e.days_served, e.paid, e.owed) == (1_200_000, 8, 0, 1_200_000)
        assert (e.rate_amount, e.rate_unit, e.document) == (150_000, Unit.PER_DAY, "NQ 16/NQ-CP (08/02/2021)")
        assert e.person_key == "n:le van cuong:0912345678"
        log = AuditLog.objects.get(target_type="entitlement", target_id=e.pk)
        assert log.changes["amount"] == 1_200_000 and log.changes["phone"] == "0912345678"

    def test_team_member_per_month_takes_name_ward_and_team(self) -> None:
        team = self.make_team()
        member = team.members.first()
        e = entitlement_create(
            actor=self.ward_officer_a1, rate=self.month_rate, team_member=member, start_on=date(2021, 12, 1),
            end_on=date(2022, 1, 15), today=TODAY,
        )  # fmt: skip
        # December whole + 15/31 of January = 1,000,000 + 483,870.97… → 1,483,871.
        assert (e.full_name, e.ward, e.team, e.amount, e.days_served) == (
            "Nguyễn Văn An",
            self.ward_a1,
            team,
            1_483_871,
            46,
        )

    def test_days_served_bounds_and_units(self) -> None:
        with pytest.raises(ValidationError) as error:
            self.named(days_served=11)
        assert "Số ngày làm nhiệm vụ phải từ 1 đến 10" in error.value.message_dict["days_served"][0]
        team = self.make_team()
        with pytest.raises(ValidationError) as error:
            entitlement_create(
                actor=self.city_admin, rate=self.month_rate, team_member=team.members.first(),
                start_on=date(2022, 1, 1), end_on=date(2022, 1, 31), days_served=20, today=TODAY,
            )  # fmt: skip
        assert "days_served" in error.value.message_dict

    def test_period_errors(self) -> None:
        with pytest.raises(ValidationError) as error:
            self.named(start_on=date(2022, 1, 10), end_on=date(2022, 1, 1))
        assert "end_on" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            self.named(start_on=date(2022, 3, 25), end_on=date(2022, 4, 5))
        assert "không được sau hôm nay" in error.value.message_dict["end_on"][0]
        with pytest.raises(ValidationError) as error:
            self.named(start_on=date(2020, 12, 25), end_on=date(2021, 1, 5))
        assert "chỉ áp dụng từ ngày 01/01/2021" in error.value.message_dict["start_on"][0]

    def test_period_across_a_rate_change_is_refused_then_entered_in_two(self) -> None:
        new = rate_replace(
            actor=self.city_admin, rate=self.day_rate,
            data=RateData(name="Hỗ trợ người tham gia chống dịch", beneficiary=Beneficiary.FRONTLINE,
                          unit=Unit.PER_DAY, amount=200_000, valid_from=date(2022, 1, 16), valid_to=None,
                          document="NQ mới"),
        )  # fmt: skip
        self.day_rate.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            self.named(start_on=date(2022, 1, 10), end_on=date(2022, 1, 20))
        message = error.value.message_dict["end_on"][0]
        assert "hết áp dụng sau ngày 15/01/2022" in message and "từ 16/01/2022 theo mức mới" in message
        first = self.named(start_on=date(2022, 1, 10), end_on=date(2022, 1, 15))
        second = self.named(rate=new, start_on=date(2022, 1, 16), end_on=date(2022, 1, 20))
        assert (first.amount, second.amount) == (6 * 150_000, 5 * 200_000)
        assert (first.document, second.document) == ("NQ 16/NQ-CP (08/02/2021)", "NQ mới")

    def test_team_member_needs_the_rate_of_their_team_kind(self) -> None:
        team = self.make_team(kind=TeamKind.HOME_CARE, name="Tổ F0 số 1")
        with pytest.raises(ValidationError) as error:
            entitlement_create(
                actor=self.city_admin, rate=self.month_rate, team_member=team.members.first(),
                start_on=date(2022, 1, 1), end_on=date(2022, 1, 5), today=TODAY,
            )  # fmt: skip
        assert "chỉ hưởng mức dành cho thành viên tổ hỗ trợ f0 tại nhà" in error.value.message_dict["rate"][0]

    def test_overlap_at_the_same_rate_is_refused(self) -> None:
        self.named()
        with pytest.raises(ValidationError) as error:
            self.named(full_name="LÊ VĂN CƯỜNG", start_on=date(2022, 1, 10), end_on=date(2022, 1, 12))
        assert "trùng thời gian" in error.value.message_dict["start_on"][0]
        # Another person, or the same person right after the period, is fine.
        self.named(full_name="Lê Văn Cường", start_on=date(2022, 1, 11), end_on=date(2022, 1, 12))
        self.named(full_name="Lê Thị Dung", phone="0912345679")
        assert Entitlement.objects.count() == 3

    def test_outside_the_area_and_bad_phone(self) -> None:
        with pytest.raises(ValidationError) as error:
            entitlement_create(
                actor=self.ward_officer_a2, rate=self.day_rate, ward=self.ward_a1, full_name="Lê Văn Cường",
                start_on=date(2022, 1, 1), end_on=date(2022, 1, 2), today=TODAY,
            )  # fmt: skip
        assert "ward" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            self.named(phone="12345")
        assert "phone" in error.value.message_dict

    def test_whole_team_skips_members_already_covered(self) -> None:
        team = self.make_team(members=("Nguyễn Văn An", "Trần Thị Bình", "Phạm Văn Chung"))
        first = team.members.first()
        entitlement_create(
            actor=self.city_admin, rate=self.month_rate, team_member=first, start_on=date(2022, 1, 20),
            end_on=date(2022, 1, 31), today=TODAY,
        )  # fmt: skip
        result = entitlements_create_for_team(
            actor=self.ward_officer_a1, team=team, rate=self.month_rate, start_on=date(2022, 1, 1),
            end_on=date(2022, 1, 31), today=TODAY,
        )  # fmt: skip
        assert [e.full_name for e in result.created] == ["Trần Thị Bình", "Phạm Văn Chung"]
        assert result.skipped == ["Nguyễn Văn An"]
        assert {e.amount for e in result.created} == {1_000_000}
        again = entitlements_create_for_team(
            actor=self.ward_officer_a1, team=team, rate=self.month_rate, start_on=date(2022, 1, 1),
            end_on=date(2022, 1, 31), today=TODAY,
        )  # fmt: skip
        assert (again.created, len(again.skipped)) == ([], 3)

    def test_whole_team_wrong_rate_is_refused_for_all(self) -> None:
        team = self.make_team()
        with pytest.raises(ValidationError):
            entitlements_create_for_team(
                actor=self.city_admin, team=team, rate=self.home_rate, start_on=date(2022, 1, 1),
                end_on=date(2022, 1, 31), today=TODAY,
            )  # fmt: skip
        assert Entitlement.objects.count() == 0

    def test_cancel_only_while_unpaid(self) -> None:
        e = self.named()
        self.pay(e, 100_000)
        with pytest.raises(ValidationError):
            entitlement_cancel(actor=self.ward_officer_a1, entitlement=e, reason="Lập nhầm")
        other = self.named(full_name="Lê Thị Dung", phone="0912345679")
        with pytest.raises(ValidationError) as error:
            entitlement_cancel(actor=self.ward_officer_a1, entitlement=other, reason=" ")
        assert "reason" in error.value.message_dict
        entitlement_cancel(actor=self.ward_officer_a1, entitlement=other, reason="Lập nhầm")
        other.refresh_from_db()
        assert other.cancelled_at is not None and other.cancel_reason == "Lập nhầm"
        # A cancelled entitlement no longer blocks a new one for the same period.
        self.named(full_name="Lê Thị Dung", phone="0912345679")
