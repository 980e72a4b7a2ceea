import pytest
from django.core.exceptions import ValidationError

from phongdich.audit.models import AuditLog, Event
from phongdich.teams.models import Team, TeamKind, TeamMember
from phongdich.teams.services import team_create, team_member_add, team_member_remove
from phongdich.testing import PhongdichTestCase


class TeamCreateTests(PhongdichTestCase):
    def test_creates_and_audits(self) -> None:
        team = team_create(actor=self.ward_officer_a1, ward=self.ward_a1, kind=TeamKind.HOME_CARE, name="  Tổ  số 1 ")
        assert team.name == "Tổ số 1"
        log = AuditLog.objects.get(target_type="team", target_id=team.pk)
        assert log.event == Event.CREATE
        assert log.actor == self.ward_officer_a1
        assert log.area == self.ward_a1
        assert log.changes == {"ward": "00001", "kind": "home_care", "name": "Tổ số 1"}

    def test_ward_outside_the_area_is_refused(self) -> None:
        for actor, ward in ((self.ward_officer_a1, self.ward_a2), (self.district_officer_a, self.ward_b1)):
            with pytest.raises(ValidationError) as error:
                team_create(actor=actor, ward=ward, kind=TeamKind.COMMUNITY, name="Tổ 1")
            assert "ward" in error.value.message_dict
        assert not Team.objects.exists()

    def test_district_is_not_a_ward(self) -> None:
        with pytest.raises(ValidationError):
            team_create(actor=self.city_admin, ward=self.district_a, kind=TeamKind.COMMUNITY, name="Tổ 1")

    def test_name_is_unique_in_the_ward(self) -> None:
        team_create(actor=self.ward_officer_a1, ward=self.ward_a1, kind=TeamKind.COMMUNITY, name="Tổ 1")
        with pytest.raises(ValidationError) as error:
            team_create(actor=self.ward_officer_a1, ward=self.ward_a1, kind=TeamKind.HOME_CARE, name="tổ 1")
        assert "name" in error.value.message_dict
        team_create(actor=self.ward_officer_a2, ward=self.ward_a2, kind=TeamKind.COMMUNITY, name="Tổ 1")

    def test_unknown_kind_and_empty_name(self) -> None:
        with pytest.raises(ValidationError):
            team_create(actor=self.ward_officer_a1, ward=self.ward_a1, kind="other", name="Tổ 1")
        with pytest.raises(ValidationError):
            team_create(actor=self.ward_officer_a1, ward=self.ward_a1, kind=TeamKind.COMMUNITY, name="   ")


class TeamMemberTests(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.team = team_create(actor=cls.city_admin, ward=cls.ward_a1, kind=TeamKind.HOME_CARE, name="Tổ 1")

    def test_add_normalises_phone_and_audits(self) -> None:
        member = team_member_add(
            actor=self.ward_officer_a1, team=self.team, full_name="Trần Thị Bình", phone="+84 912.345.678",
            position="Tổ trưởng", user=self.team_member_a1,
        )  # fmt: skip
        assert member.phone == "0912345678"
        log = AuditLog.objects.get(target_type="team_member", target_id=member.pk)
        assert log.event == Event.CREATE
        assert log.area == self.ward_a1
        assert log.changes == {
            "team": self.team.pk, "full_name": "Trần Thị Bình", "phone": "0912345678", "position": "Tổ trưởng",
            "user": self.team_member_a1.pk,
        }  # fmt: skip

    def test_phone_is_optional(self) -> None:
        member = team_member_add(actor=self.ward_officer_a1, team=self.team, full_name="Lê Văn C")
        assert member.phone == ""

    def test_invalid_phone(self) -> None:
        with pytest.raises(ValidationError) as error:
            team_member_add(actor=self.ward_officer_a1, team=self.team, full_name="Lê Văn C", phone="12345")
        assert "phone" in error.value.message_dict
        assert not TeamMember.objects.exists()

    def test_team_outside_the_area(self) -> None:
        with pytest.raises(ValidationError):
            team_member_add(actor=self.ward_officer_b1, team=self.team, full_name="Lê Văn C")

    def test_linked_user_must_be_in_the_area_and_not_twice(self) -> None:
        with pytest.raises(ValidationError) as error:
            team_member_add(actor=self.ward_officer_a1, team=self.team, full_name="X", user=self.ward_officer_b1)
        assert "user" in error.value.message_dict
        team_member_add(actor=self.ward_officer_a1, team=self.team, full_name="X", user=self.doctor_a1)
        with pytest.raises(ValidationError) as error:
            team_member_add(actor=self.ward_officer_a1, team=self.team, full_name="X", user=self.doctor_a1)
        assert "user" in error.value.message_dict

    def test_remove_audits_what_was_removed(self) -> None:
        member = team_member_add(actor=self.ward_officer_a1, team=self.team, full_name="Lê Văn C", phone="0912345678")
        member_id = member.pk
        team_member_remove(actor=self.ward_officer_a1, member=member)
        assert not TeamMember.objects.exists()
        log = AuditLog.objects.get(target_type="team_member", event=Event.DELETE)
        assert log.target_id == member_id
        assert log.changes["full_name"] == "Lê Văn C"
        assert log.changes["phone"] == "0912345678"

    def test_remove_outside_the_area(self) -> None:
        member = team_member_add(actor=self.ward_officer_a1, team=self.team, full_name="Lê Văn C")
        with pytest.raises(ValidationError):
            team_member_remove(actor=self.ward_officer_a2, member=member)
        assert TeamMember.objects.filter(pk=member.pk).exists()
