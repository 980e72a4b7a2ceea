"""The weekly workload: every count against hand-computed numbers, the pages, scoping and query counts.

The week is Mon 14/02/2022 – Sun 20/02/2022. In Phúc Xá (A1): the team "Tổ dân phố 5" has team_a1 (an account)
and one member without an account; doctor_a1 and ward_a1 are the ward's other staff.
"""

from datetime import date, datetime, timedelta
from itertools import count

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.cases.models import Case, Status
from phongdich.contacts.models import Contact, ContactKind, ContactStatus, Setting
from phongdich.hotline.models import Channel as RequestChannel
from phongdich.hotline.models import Request, RequestCategory
from phongdich.hotline.models import Status as RequestStatus
from phongdich.monitoring.models import Alert, AlertAction, AlertStatus, Channel, Declaration
from phongdich.monitoring.services import declaration_submit
from phongdich.rules.triage import Vitals
from phongdich.teams.models import TeamKind
from phongdich.teams.services import team_create, team_member_add
from phongdich.teams.workload import Week, workload
from phongdich.testing import PhongdichTestCase

URL = reverse("teams:workload")
WEEK = Week(date(2022, 2, 14))
_codes = count(1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in February 2022."""
    return timezone.make_aware(datetime(2022, 2, day, hour, minute))


class WorkloadTestCase(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        self = cls()
        cls.team = team_create(actor=cls.city_admin, ward=cls.ward_a1, kind=TeamKind.HOME_CARE, name="Tổ dân phố 5")
        team_member_add(actor=cls.city_admin, team=cls.team, full_name="Vũ Văn Tổ", user=cls.team_member_a1)
        team_member_add(actor=cls.city_admin, team=cls.team, full_name="Đặng Thị Lan")
        tm, doctor = cls.team_member_a1, cls.doctor_a1

        # F0: two active (team_a1, doctor_a1), one released (not counted); one in A2.
        c1 = self.case(tm)
        self.case(tm, status=Status.RELEASED)
        c3 = self.case(doctor)
        self.case(cls.ward_officer_a2, ward=cls.ward_a2)
        cls.source = self.create_case(confirmed_on=date(2022, 2, 10))  # nobody's: counts for no one
        # F1: team_a1 has one in quarantine and one self-monitoring; a released one does not count.
        for user, status in [(tm, ContactStatus.QUARANTINE), (tm, ContactStatus.MONITORING),
                             (tm, ContactStatus.RELEASED), (doctor, ContactStatus.QUARANTINE)]:  # fmt: skip
            self.contact(user, status)
        # Declarations on behalf: team_a1 three in the week (both edges included) and one the next Monday;
        # doctor_a1 one; district_a one for an A1 case (counts for the ward, not for the ward's people).
        for when in (at(14, 0), at(16, 9), at(20, 23, 59), at(21, 0)):
            cls.d = self.declare(c1, tm, when)
        self.declare(c3, doctor, at(15, 8))
        self.declare(c1, cls.district_officer_a, at(17, 8))
        # Alerts handled: team_a1 6, 20 and 4 minutes to the first action (the 4 is doctor_a1's acknowledgement);
        # doctor_a1 30 minutes; one handled by team_a1 the week before does not count.
        self.alert(c1, created=at(14, 10), ack=(at(14, 10, 6), tm), handled=(at(14, 10, 30), tm))
        self.alert(c1, created=at(15, 8), ack=None, handled=(at(15, 8, 20), tm))
        self.alert(c3, created=at(16, 9), ack=(at(16, 9, 4), doctor), handled=(at(16, 9, 10), tm))
        self.alert(c3, created=at(17, 12), ack=None, handled=(at(17, 12, 30), doctor))
        self.alert(c1, created=at(13, 20), ack=None, handled=(at(13, 21), tm))
        # Requests answered: team_a1 one in time and one late; ward_a1 one exactly at the deadline (in time);
        # team_a1 one the Sunday before (not counted); district_a one in A2.
        self.request(tm, answered=at(15, 10), due=at(15, 12))
        self.request(tm, answered=at(16, 15), due=at(16, 14))
        self.request(cls.ward_officer_a1, answered=at(18, 9), due=at(18, 9))
        self.request(tm, answered=at(13, 23, 59), due=at(14, 9))
        self.request(cls.district_officer_a, answered=at(19, 9), due=at(19, 10), ward=cls.ward_a2)

    def case(self, user: User, *, ward: Area | None = None, status: str = Status.ACTIVE) -> Case:
        case = self.create_case(ward=ward, confirmed_on=date(2022, 2, 10))
        Case.objects.filter(pk=case.pk).update(assigned_to=user, status=status)
        return Case.objects.get(pk=case.pk)

    def contact(self, user: User, status: str, ward: Area | None = None) -> Contact:
        ward = ward or self.ward_a1
        return Contact.objects.create(
            person=self.create_person(ward=ward, full_name=f"Người tiếp xúc {next(_codes)}"), ward=ward,
            source_case=self.source,
            setting=Setting.HOUSEHOLD, kind=ContactKind.PHYSICAL, contacted_on=date(2022, 2, 12),
            quarantine_rule_set="TEST", monitor_until=date(2022, 2, 26), status=status, assigned_to=user,
            created_by=self.city_admin,
        )  # fmt: skip

    def declare(self, case: Case, user: User, when: datetime) -> Declaration:
        return declaration_submit(
            case=case, vitals=Vitals(spo2=98, resp_rate=16, temperature=36.8), declared_at=when, channel=Channel.STAFF,
            entered_by=user,
        )  # fmt: skip

    def alert(self, case: Case, *, created: datetime, ack, handled) -> Alert:  # type: ignore[no-untyped-def]
        return Alert.objects.create(
            case=case, ward=case.ward, declaration=self.d, level=2, created_at=created, raised_at=created,
            status=AlertStatus.HANDLED, acknowledged_at=ack[0] if ack else None, acknowledged_by=ack[1] if ack else None,
            handled_at=handled[0], handled_by=handled[1], action=AlertAction.PHONE_ADVICE,
        )  # fmt: skip

    def request(self, user: User, *, answered: datetime, due: datetime, ward: Area | None = None) -> Request:
        category = RequestCategory.objects.first() or RequestCategory.objects.create(
            code="khac", name="Khác", deadline_minutes=120, owner="ward"
        )
        return Request.objects.create(
            code=f"T{next(_codes):07d}", category=category, channel=RequestChannel.PHONE, caller_phone="0912000111",
            ward=ward or self.ward_a1, message="Cần hỗ trợ", status=RequestStatus.ANSWERED,
            created_at=answered - timedelta(hours=3), due_at=due, answered_at=answered, answered_by=user,
        )  # fmt: skip


def numbers(load):  # type: ignore[no-untyped-def]
    return (
        load.f0, load.f1, load.declarations, load.alerts, load.median_minutes, load.mean_minutes, load.requests,
        load.requests_in_time,
    )  # fmt: skip


class WorkloadNumbersTests(WorkloadTestCase):
    def test_people_and_ward_of_a_ward(self) -> None:
        loads = workload(area=self.ward_a1, week=WEEK)
        assert numbers(loads.user(self.team_member_a1.pk)) == (1, 2, 3, 3, 6.0, 10.0, 2, 1)
        assert numbers(loads.user(self.doctor_a1.pk)) == (1, 1, 1, 1, 30.0, 30.0, 0, 0)
        assert numbers(loads.user(self.ward_officer_a1.pk)) == (0, 0, 0, 0, None, None, 1, 1)
        assert numbers(loads.user(self.district_officer_a.pk)) == (0, 0, 1, 0, None, None, 0, 0)
        # The ward: everybody's work in it; alerts 6, 20, 4, 30 → median 13, mean 15.
        assert numbers(loads.ward(self.ward_a1.pk)) == (2, 3, 5, 4, 13.0, 15.0, 3, 2)

    def test_district_counts_each_ward_and_people_across_wards(self) -> None:
        loads = workload(area=self.district_a, week=WEEK)
        assert numbers(loads.ward(self.ward_a2.pk)) == (1, 0, 0, 0, None, None, 1, 1)
        assert numbers(loads.user(self.district_officer_a.pk)) == (0, 0, 1, 0, None, None, 1, 1)
        assert workload(area=self.district_b, week=WEEK).by_ward == {}

    def test_other_weeks(self) -> None:
        before = workload(area=self.ward_a1, week=Week.containing(date(2022, 2, 13)))
        # The week before: today's F0/F1 load, and only what happened that week.
        assert numbers(before.user(self.team_member_a1.pk)) == (1, 2, 0, 1, 60.0, 60.0, 1, 1)
        after = workload(area=self.ward_a1, week=Week(date(2022, 2, 21)))
        assert numbers(after.user(self.team_member_a1.pk)) == (1, 2, 1, 0, None, None, 0, 0)

    def test_week_bounds(self) -> None:
        assert Week.containing(date(2022, 2, 20)) == WEEK == Week.containing(date(2022, 2, 14))
        assert (WEEK.sunday, WEEK.end - WEEK.start) == (date(2022, 2, 20), timedelta(days=7))

    def test_six_queries_whatever_the_size(self) -> None:
        with self.assertNumQueries(6):  # the district's ward ids, then one query per metric
            workload(area=self.district_a, week=WEEK)


class WorkloadPageTests(WorkloadTestCase):
    def get(self, user: User, query: str = ""):  # type: ignore[no-untyped-def]
        response = self.client_for(user).get(f"{URL}?week=16/02/2022{query}")
        assert response.status_code == 200
        return response

    def test_ward_page_teams_members_staff_total(self) -> None:
        response = self.get(self.ward_officer_a1)
        (block,) = response.context["blocks"]
        assert [(m.name, m.user) for m in block.members] == [("Vũ Văn Tổ", self.team_member_a1), ("Đặng Thị Lan", None)]
        assert numbers(block.total) == (1, 2, 3, 3, 6.0, 10.0, 2, 1)
        staff = {u.username: numbers(load) for u, load in response.context["staff"]}
        assert staff == {
            "doctor_a1": (1, 1, 1, 1, 30.0, 30.0, 0, 0), "ward_a1": (0, 0, 0, 0, None, None, 1, 1),
        }  # fmt: skip
        assert numbers(response.context["total"]) == (2, 3, 5, 4, 13.0, 15.0, 3, 2)
        assert response.context["week"] == WEEK
        page = response.content.decode()
        assert "Khối lượng công việc tuần 14/02/2022 – 20/02/2022" in page
        assert (
            f"{reverse('cases:list')}?district={self.district_a.pk}&amp;ward={self.ward_a1.pk}&amp;status=active"
            in page
        )

    def test_district_and_city_pages(self) -> None:
        response = self.get(self.district_officer_a)
        rows = {row.area.code: numbers(row.load) for row in response.context["rows"]}
        assert len(rows) == Area.objects.filter(parent=self.district_a).count()
        assert rows["00001"] == (2, 3, 5, 4, 13.0, 15.0, 3, 2) and rows["00004"] == (1, 0, 0, 0, None, None, 1, 1)
        assert numbers(response.context["total"]) == (3, 3, 5, 4, 13.0, 15.0, 4, 3)
        self.assertContains(response, "<th>Phường/xã</th>", html=False)
        response = self.get(self.city_admin)
        self.assertContains(response, "<th>Quận/huyện</th>", html=False)
        rows = {row.area.code: numbers(row.load) for row in response.context["rows"]}
        assert rows["001"] == (3, 3, 5, 4, 13.0, 15.0, 4, 3) and rows["002"] == (0, 0, 0, 0, None, None, 0, 0)
        # A city user picks a district, then a ward.
        response = self.get(self.city_admin, f"&district={self.district_a.pk}&ward={self.ward_a1.pk}")
        assert numbers(response.context["total"]) == (2, 3, 5, 4, 13.0, 15.0, 3, 2)

    def test_scoping(self) -> None:
        response = self.get(self.ward_officer_b1, f"&ward={self.ward_a1.pk}")
        assert response.context["scope"] == self.ward_b1
        assert numbers(response.context["total"]) == (0, 0, 0, 0, None, None, 0, 0)
        response = self.get(self.district_officer_b)
        assert {row.area.parent_id for row in response.context["rows"]} == {self.district_b.pk}
        for user in self.everyone:
            assert self.client_for(user).get(URL).status_code == 200
        self.assert_login_required(URL)

    def test_default_week_is_this_week(self) -> None:
        response = self.client_for(self.ward_officer_a1).get(URL)
        assert response.context["week"] == Week.containing(timezone.localdate())

    def test_page_queries_do_not_grow_with_people(self) -> None:
        client = self.client_for(self.district_officer_a)
        client.get(URL)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                client.get(f"{URL}?week=16/02/2022")
            return len(captured)

        before = queries()
        for name in ("Một", "Hai", "Ba"):
            team_member_add(actor=self.city_admin, team=self.team, full_name=name)
        self.case(self.doctor_a1)
        self.contact(self.team_member_a1, ContactStatus.QUARANTINE)
        assert queries() == before
