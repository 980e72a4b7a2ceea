"""Pages of the follow-up queue: permissions, scoping, the inline assign control, daily links, query counts."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phongdich.cases.models import AlertLevel, Case, Place, Status
from phongdich.monitoring.followup import ward_daily
from phongdich.monitoring.models import Alert, Channel, Declaration, Period
from phongdich.testing import PhongdichTestCase

FOLLOWUP = reverse("monitoring:followup")
MY_LIST = reverse("monitoring:my_list")
DAILY = reverse("monitoring:daily")


class FollowupViewTestCase(PhongdichTestCase):
    def case_at_home(self, *, ward=None, **fields) -> Case:  # type: ignore[no-untyped-def]
        """An F0 at home; by default silent for two days (so in the queue), not due for release."""
        case = self.create_case(ward=ward)
        now = timezone.now()
        values = {
            "last_declared_at": now - timedelta(hours=48), "worsened": False, "vaccine_doses": 2,
            "release_due_on": timezone.localdate() + timedelta(days=3), "place": Place.HOME, **fields,
        }  # fmt: skip
        Case.objects.filter(pk=case.pk).update(**values)
        case.refresh_from_db()
        return case

    def assign_url(self, case: Case) -> str:
        return reverse("monitoring:assign", args=[case.pk])

    def listed(self, user, url: str = FOLLOWUP) -> set[str]:  # type: ignore[no-untyped-def]
        response = self.client_for(user).get(url)
        assert response.status_code == 200
        return {row.case.code for row in response.context["page"]}


class PermissionTests(FollowupViewTestCase):
    def setUp(self) -> None:
        self.case = self.case_at_home()

    def test_pages_need_login(self) -> None:
        for url in (FOLLOWUP, MY_LIST, DAILY):
            self.assert_login_required(url)
        self.assert_login_required(self.assign_url(self.case), method="post")

    def test_every_role_with_case_view_sees_the_pages(self) -> None:
        for url in (FOLLOWUP, MY_LIST, DAILY):
            self.assert_allowed(url, self.everyone)

    def test_assign_permission_matrix(self) -> None:
        url = self.assign_url(self.case)
        # No ALERT_HANDLE: 403 (steering, leader, hotline).
        for user in (self.steering, self.leader, self.hotline):
            response = self.client_for(user).post(url, {"assignee": self.team_member_a1.pk, "version": 1})
            assert response.status_code == 403, user.username
        # Outside the area: 404, even with the right permission.
        for user in (self.ward_officer_a2, self.ward_officer_b1, self.district_officer_b):
            response = self.client_for(user).post(url, {"assignee": self.team_member_a1.pk, "version": 1})
            assert response.status_code == 404, user.username
        assert Case.objects.get(pk=self.case.pk).version == 1
        for user in (
            self.city_admin,
            self.district_officer_a,
            self.ward_officer_a1,
            self.team_member_a1,
            self.doctor_a1,
        ):
            version = Case.objects.get(pk=self.case.pk).version
            response = self.client_for(user).post(url, {"assignee": self.doctor_a1.pk, "version": version})
            assert response.status_code == 302, user.username
            assert Case.objects.get(pk=self.case.pk).version == version + 1

    def test_assign_is_post_only(self) -> None:
        self.assert_status(self.assign_url(self.case), [self.ward_officer_a1], 405)

    def test_queue_is_scoped(self) -> None:
        a2 = self.case_at_home(ward=self.ward_a2)
        b1 = self.case_at_home(ward=self.ward_b1)
        assert self.listed(self.ward_officer_a1) == {self.case.code}
        assert self.listed(self.team_member_a1) == {self.case.code}
        assert self.listed(self.district_officer_a) == {self.case.code, a2.code}
        assert self.listed(self.city_admin) == {self.case.code, a2.code, b1.code}
        assert self.listed(self.district_officer_a, f"{FOLLOWUP}?ward={a2.ward_id}") == {a2.code}
        # A ward outside the area is not a valid choice: dropped, the scope still holds.
        assert self.listed(self.ward_officer_a1, f"{FOLLOWUP}?ward={b1.ward_id}") == {self.case.code}


class QueuePageTests(FollowupViewTestCase):
    def test_rows_show_reasons_day_of_illness_and_never_declared(self) -> None:
        today = timezone.localdate()
        self.case_at_home(last_declared_at=None, confirmed_on=today - timedelta(days=4), vaccine_doses=0)
        response = self.client_for(self.ward_officer_a1).get(FOLLOWUP)
        self.assertContains(response, "chưa khai báo")
        self.assertContains(response, "Ngày thứ 5")
        self.assertContains(response, "Chưa tiêm vắc xin")
        self.assertContains(response, 'name="version"')  # the inline assign control
        self.assertContains(response, f'value="{self.team_member_a1.pk}"')
        # A reader without ALERT_HANDLE sees who follows, not the control.
        response = self.client_for(self.leader).get(FOLLOWUP)
        self.assertNotContains(response, 'name="version"')

    def test_assignee_choices_are_the_members_covering_the_ward(self) -> None:
        self.case_at_home()
        response = self.client_for(self.city_admin).get(FOLLOWUP)
        choices = {user.pk for user in response.context["entries"][0]["assignees"]}
        assert choices == {self.ward_officer_a1.pk, self.team_member_a1.pk, self.doctor_a1.pk}

    def test_reason_and_assignee_filters(self) -> None:
        worse = self.case_at_home(worsened=True, last_declared_at=timezone.now())
        mine = self.case_at_home(assigned_to=self.team_member_a1)
        assert self.listed(self.ward_officer_a1, f"{FOLLOWUP}?reason=worsened") == {worse.code}
        assert self.listed(self.ward_officer_a1, f"{FOLLOWUP}?assignee={self.team_member_a1.pk}") == {mine.code}
        assert self.listed(self.ward_officer_a1, f"{FOLLOWUP}?assignee=0") == {worse.code}

    def test_htmx_request_gets_the_table_only(self) -> None:
        self.case_at_home()
        response = self.client_for(self.ward_officer_a1).get(FOLLOWUP, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="followup-table"')
        self.assertNotContains(response, "<html")

    def count_queries(self, user, url: str) -> int:  # type: ignore[no-untyped-def]
        client = self.client_for(user)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    def test_query_count_does_not_grow_with_rows(self) -> None:
        users = (self.city_admin, self.ward_officer_a1, self.team_member_a1)

        def measure() -> dict[tuple[str, str], int]:
            return {
                (user.username, url): self.count_queries(user, url)
                for user in users
                for url in (FOLLOWUP, MY_LIST, DAILY)
            }

        for ward in (self.ward_a1, self.ward_a2):
            self.case_at_home(ward=ward, assigned_to=self.team_member_a1 if ward == self.ward_a1 else None)
        before = measure()
        for i in range(6):
            ward = (self.ward_a1, self.ward_a2, self.ward_b1)[i % 3]
            self.case_at_home(
                ward=ward, worsened=bool(i % 2), vaccine_doses=i % 2,
                assigned_to=self.team_member_a1 if ward == self.ward_a1 else None,
            )  # fmt: skip
        assert measure() == before


class MyListPageTests(FollowupViewTestCase):
    def test_lists_only_my_cases(self) -> None:
        mine = self.case_at_home(assigned_to=self.team_member_a1, last_declared_at=timezone.now())
        doctors = self.case_at_home(assigned_to=self.doctor_a1)
        self.case_at_home()
        assert self.listed(self.team_member_a1, MY_LIST) == {mine.code}
        assert self.listed(self.doctor_a1, MY_LIST) == {doctors.code}
        assert self.listed(self.ward_officer_a1, MY_LIST) == set()
        response = self.client_for(self.team_member_a1).get(MY_LIST)
        self.assertContains(response, "Ổn định")  # declared just now, no reason to call


class AssignPageTests(FollowupViewTestCase):
    def setUp(self) -> None:
        self.case = self.case_at_home()

    def test_htmx_assign_returns_the_control(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(
            self.assign_url(self.case),
            {"assignee": self.team_member_a1.pk, "version": 1},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        self.assertContains(response, f'id="assign-{self.case.pk}"')
        self.assertContains(response, "Đã lưu")
        self.assertContains(response, 'name="version" value="2"')
        assert Case.objects.get(pk=self.case.pk).assigned_to_id == self.team_member_a1.pk

    def test_stale_and_invalid_assignments_are_shown_not_saved(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        client.post(self.assign_url(self.case), {"assignee": self.doctor_a1.pk, "version": 1})
        response = client.post(
            self.assign_url(self.case),
            {"assignee": self.team_member_a1.pk, "version": 1},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "vừa được ward_a1 thay đổi")
        response = client.post(
            self.assign_url(self.case), {"assignee": self.hotline.pk, "version": 2}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, "Người phụ trách phải là")
        response = client.post(
            self.assign_url(self.case), {"assignee": self.ward_officer_b1.pk, "version": 2}, follow=True
        )
        self.assertContains(response, "Người phụ trách phải thuộc địa bàn")
        stored = Case.objects.get(pk=self.case.pk)
        assert stored.assigned_to_id == self.doctor_a1.pk and stored.version == 2

    def test_redirects_back_to_a_local_next_only(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        response = client.post(
            self.assign_url(self.case), {"assignee": "", "version": 1, "next": f"{FOLLOWUP}?reason=risk"}
        )
        assert response["Location"] == f"{FOLLOWUP}?reason=risk"
        response = client.post(
            self.assign_url(self.case), {"assignee": "", "version": 2, "next": "https://evil.example/"}
        )
        assert response["Location"] == FOLLOWUP


class DailyPageTests(FollowupViewTestCase):
    def test_each_count_equals_the_list_it_opens(self) -> None:
        today = timezone.localdate()
        self.case_at_home()
        self.case_at_home(release_due_on=today)
        self.case_at_home(last_declared_at=timezone.now(), confirmed_on=today)
        self.case_at_home(place=Place.FACILITY, confirmed_on=today)
        self.case_at_home(status=Status.RELEASED, released_on=today, release_due_on=today)
        self.case_at_home(ward=self.ward_a2, release_due_on=date(2022, 2, 1))
        worse = self.case_at_home(worsened=True, last_declared_at=timezone.now())
        declaration = Declaration.objects.create(
            case=worse, declared_at=timezone.now(), period=Period.MORNING, channel=Channel.STAFF,
            alert_level=AlertLevel.EMERGENCY,
        )  # fmt: skip
        Alert.objects.create(case=worse, ward=worse.ward, declaration=declaration, level=AlertLevel.EMERGENCY)
        for user, query in (
            (self.ward_officer_a1, ""),
            (self.district_officer_a, ""),
            (self.city_admin, f"?ward={self.ward_a2.pk}"),
        ):
            response = self.client_for(user).get(DAILY + query)
            assert response.status_code == 200
            daily = response.context["daily"]
            nonzero = 0
            for item in (*daily.items, *daily.alerts):
                listed = self.client_for(user).get(item.url)
                assert listed.status_code == 200, item.url
                assert listed.context["page"].paginator.count == item.count, (user.username, item.key, item.url)
                nonzero += bool(item.count)
            assert nonzero >= 3, user.username
        assert ward_daily(user=self.ward_officer_a1).count(f"alert_{AlertLevel.EMERGENCY}") == 1
