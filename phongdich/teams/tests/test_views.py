from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongdich.audit.models import AuditLog, Event
from phongdich.teams.models import Team, TeamKind, TeamMember
from phongdich.teams.services import team_create, team_member_add
from phongdich.testing import PhongdichTestCase

LIST = reverse("teams:list")
CREATE = reverse("teams:create")


class TeamViewTests(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.team_a1 = team_create(actor=cls.city_admin, ward=cls.ward_a1, kind=TeamKind.HOME_CARE, name="Tổ Phúc Xá 1")
        cls.team_a2 = team_create(
            actor=cls.city_admin, ward=cls.ward_a2, kind=TeamKind.COMMUNITY, name="Tổ Trúc Bạch 1"
        )
        cls.team_b1 = team_create(
            actor=cls.city_admin, ward=cls.ward_b1, kind=TeamKind.MOBILE_STATION, name="Trạm lưu động Phúc Tân"
        )
        cls.member = team_member_add(
            actor=cls.city_admin, team=cls.team_a1, full_name="Trần Thị Bình", phone="0912345678"
        )
        cls.editors = [cls.city_admin, cls.district_officer_a, cls.ward_officer_a1]
        cls.readers = [cls.steering, cls.leader, cls.hotline, cls.team_member_a1, cls.doctor_a1]

    def listed(self, user, query: str = "") -> set[str]:  # type: ignore[no-untyped-def]
        response = self.client_for(user).get(LIST + query)
        assert response.status_code == 200
        return {team.name for team in response.context["page"]}

    def detail_url(self, team: Team) -> str:
        return reverse("teams:detail", args=[team.pk])

    def test_list_is_scoped(self) -> None:
        assert self.listed(self.city_admin) == {"Tổ Phúc Xá 1", "Tổ Trúc Bạch 1", "Trạm lưu động Phúc Tân"}
        assert self.listed(self.district_officer_a) == {"Tổ Phúc Xá 1", "Tổ Trúc Bạch 1"}
        assert self.listed(self.district_officer_b) == {"Trạm lưu động Phúc Tân"}
        assert self.listed(self.ward_officer_a1) == {"Tổ Phúc Xá 1"}
        assert self.listed(self.team_member_a1) == {"Tổ Phúc Xá 1"}

    def test_list_filters(self) -> None:
        assert self.listed(self.city_admin, f"?ward={self.ward_b1.pk}") == {"Trạm lưu động Phúc Tân"}
        assert self.listed(self.city_admin, "?kind=community") == {"Tổ Trúc Bạch 1"}
        # A ward outside the user's area is not a valid choice: the filter is ignored, scoping still holds.
        assert self.listed(self.ward_officer_a1, f"?ward={self.ward_b1.pk}") == {"Tổ Phúc Xá 1"}

    def count_list_queries(self) -> int:
        client = self.client_for(self.city_admin)
        client.get(LIST)
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST)
        return len(queries)

    def test_list_shows_member_counts_in_constant_queries(self) -> None:
        response = self.client_for(self.city_admin).get(LIST)
        counts = {team.name: team.member_count for team in response.context["page"]}
        assert counts == {"Tổ Phúc Xá 1": 1, "Tổ Trúc Bạch 1": 0, "Trạm lưu động Phúc Tân": 0}
        before = self.count_list_queries()
        for i in range(5):
            team = team_create(actor=self.city_admin, ward=self.ward_b1, kind=TeamKind.COMMUNITY, name=f"Tổ thêm {i}")
            team_member_add(actor=self.city_admin, team=team, full_name="Người thứ hai")
        assert self.count_list_queries() == before

    def test_detail_permission_matrix(self) -> None:
        url = self.detail_url(self.team_a1)
        self.assert_allowed(
            url, [self.city_admin, self.steering, self.district_officer_a, self.ward_officer_a1, self.team_member_a1]
        )
        self.assert_not_found(url, [self.district_officer_b, self.ward_officer_a2, self.ward_officer_b1])
        response = self.client_for(self.ward_officer_a1).get(url)
        self.assertContains(response, "Trần Thị Bình")
        self.assertContains(response, "0912345678")

    def test_create_permission_matrix(self) -> None:
        self.assert_allowed(CREATE, self.editors)
        for user in self.readers:
            assert self.client_for(user).get(CREATE).status_code == 403, user.username

    def test_create(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(
            CREATE, {"ward": self.ward_a1.pk, "kind": TeamKind.COMMUNITY, "name": "Tổ Covid cộng đồng số 3"}
        )
        team = Team.objects.get(name="Tổ Covid cộng đồng số 3")
        self.assertRedirects(response, self.detail_url(team))
        assert AuditLog.objects.filter(target_type="team", target_id=team.pk, actor=self.ward_officer_a1).exists()

    def test_create_in_another_ward_is_refused(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(
            CREATE, {"ward": self.ward_b1.pk, "kind": TeamKind.COMMUNITY, "name": "Tổ lạ"}
        )
        assert response.status_code == 422
        assert not Team.objects.filter(name="Tổ lạ").exists()

    def test_create_duplicate_name_shows_service_error(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(
            CREATE, {"ward": self.ward_a1.pk, "kind": TeamKind.COMMUNITY, "name": "Tổ Phúc Xá 1"}
        )
        self.assertContains(response, "đã có tổ tên", status_code=422)

    def test_member_add(self) -> None:
        url = reverse("teams:member_add", args=[self.team_a1.pk])
        response = self.client_for(self.ward_officer_a1).post(
            url, {"full_name": "Phạm Văn Dũng", "phone": "84 98 765 4321", "position": "Thành viên", "user": ""}
        )
        self.assertRedirects(response, self.detail_url(self.team_a1))
        member = TeamMember.objects.get(full_name="Phạm Văn Dũng")
        assert member.phone == "0987654321"
        assert AuditLog.objects.filter(target_type="team_member", target_id=member.pk, event=Event.CREATE).exists()

    def test_member_add_bad_phone_shows_error(self) -> None:
        url = reverse("teams:member_add", args=[self.team_a1.pk])
        response = self.client_for(self.ward_officer_a1).post(url, {"full_name": "Phạm Văn Dũng", "phone": "123"})
        self.assertContains(response, "không hợp lệ", status_code=422)
        assert not TeamMember.objects.filter(full_name="Phạm Văn Dũng").exists()

    def test_member_add_permission_matrix(self) -> None:
        url = reverse("teams:member_add", args=[self.team_a1.pk])
        data = {"full_name": "X"}
        for user in self.readers:
            assert self.client_for(user).post(url, data).status_code == 403, user.username
        for user in (self.ward_officer_a2, self.district_officer_b):
            assert self.client_for(user).post(url, data).status_code == 404, user.username
        assert not TeamMember.objects.filter(full_name="X").exists()

    def test_member_remove(self) -> None:
        url = reverse("teams:member_remove", args=[self.team_a1.pk, self.member.pk])
        assert self.client_for(self.ward_officer_a1).get(url).status_code == 405
        for user in self.readers:
            assert self.client_for(user).post(url).status_code == 403, user.username
        for user in (self.ward_officer_a2, self.district_officer_b):
            assert self.client_for(user).post(url).status_code == 404, user.username
        # The member id must belong to the team in the URL.
        other = reverse("teams:member_remove", args=[self.team_a2.pk, self.member.pk])
        assert self.client_for(self.city_admin).post(other).status_code == 404
        assert TeamMember.objects.filter(pk=self.member.pk).exists()
        response = self.client_for(self.district_officer_a).post(url)
        self.assertRedirects(response, self.detail_url(self.team_a1))
        assert not TeamMember.objects.filter(pk=self.member.pk).exists()
        assert AuditLog.objects.filter(target_type="team_member", target_id=self.member.pk, event=Event.DELETE).exists()
