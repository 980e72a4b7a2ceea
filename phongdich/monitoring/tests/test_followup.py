"""The follow-up queue, its counts, each member's list, the daily counts and assigning an F0 (monitoring/followup.py)."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from phongdich.accounts.roles import Role
from phongdich.accounts.services import user_create
from phongdich.audit.models import AuditLog, Event
from phongdich.cases.models import AlertLevel, Case, Place, Status
from phongdich.monitoring.followup import (
    ALL_AT_HOME,
    UNASSIGNED,
    Reason,
    RiskGroup,
    case_assign,
    followup_counts,
    followup_queue,
    my_cases_today,
    ward_daily,
)
from phongdich.monitoring.models import Alert, AlertStatus, Channel, Declaration, Period
from phongdich.people.models import Condition
from phongdich.testing import PASSWORD, PhongdichTestCase

# 10:00 in Hà Nội on 25/02/2022; cases are confirmed on 20/02 unless a test says otherwise.
NOW = timezone.make_aware(datetime(2022, 2, 25, 10, 0))
TODAY = date(2022, 2, 25)


class FollowupTestCase(PhongdichTestCase):
    def quiet_case(self, *, ward=None, person=None, **fields) -> Case:  # type: ignore[no-untyped-def]
        """An F0 at home who declared an hour ago, is well, in no risk group and not due for release;
        `fields` then change it."""
        case = self.create_case(ward=ward, person=person)
        values = {
            "last_declared_at": NOW - timedelta(hours=1), "worsened": False, "last_alert_level": AlertLevel.NONE,
            "vaccine_doses": 2, "release_due_on": TODAY + timedelta(days=3), "status": Status.ACTIVE,
            "place": Place.HOME, "released_on": None, **fields,
        }  # fmt: skip
        Case.objects.filter(pk=case.pk).update(**values)
        case.refresh_from_db()
        return case

    def queue(self, user=None, **kwargs) -> list:  # type: ignore[no-untyped-def]
        return list(followup_queue(user=user or self.ward_officer_a1, now=NOW, **kwargs))

    def codes(self, user=None, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
        return [row.case.code for row in self.queue(user, **kwargs)]

    def row_of(self, case: Case, **kwargs):  # type: ignore[no-untyped-def]
        rows = [row for row in self.queue(**kwargs) if row.case.pk == case.pk]
        return rows[0] if rows else None


class QueueReasonTests(FollowupTestCase):
    def test_a_quiet_case_is_not_in_the_queue_but_is_at_home(self) -> None:
        case = self.quiet_case()
        assert self.codes() == []
        assert self.codes(reason=ALL_AT_HOME) == [case.code]

    def test_silent_from_24_hours(self) -> None:
        silent = self.quiet_case(last_declared_at=NOW - timedelta(hours=24))
        almost = self.quiet_case(last_declared_at=NOW - timedelta(hours=23, minutes=59))
        assert self.codes() == [silent.code]
        row = self.row_of(silent)
        assert row.reasons == (Reason.SILENT,)
        assert row.silent_hours == 24
        assert almost.code not in self.codes(reason=Reason.SILENT)

    @override_settings(PHONGDICH_FOLLOWUP_SILENCE_HOURS=12)
    def test_silence_threshold_is_a_setting(self) -> None:
        silent = self.quiet_case(last_declared_at=NOW - timedelta(hours=12))
        self.quiet_case(last_declared_at=NOW - timedelta(hours=11, minutes=59))
        assert self.codes() == [silent.code]

    def test_never_declared_is_silent_since_the_day_of_confirmation(self) -> None:
        # Confirmed yesterday: silent since 24/02 00:00, 34 hours at 25/02 10:00.
        yesterday = self.quiet_case(last_declared_at=None, confirmed_on=TODAY - timedelta(days=1))
        # Confirmed today: 10 hours, not yet silent.
        today = self.quiet_case(last_declared_at=None, confirmed_on=TODAY)
        assert self.codes() == [yesterday.code]
        row = self.row_of(yesterday)
        assert row.never_declared and row.silent_hours == 34 and row.reasons == (Reason.SILENT,)
        assert today.code in self.codes(reason=ALL_AT_HOME)

    def test_worsened(self) -> None:
        worse = self.quiet_case(worsened=True, last_alert_level=AlertLevel.MONITOR)
        self.quiet_case(worsened=False, last_alert_level=AlertLevel.NONE)
        assert self.codes() == [worse.code]
        assert self.row_of(worse).reasons == (Reason.WORSENED,)

    def test_each_risk_group(self) -> None:
        condition = Condition.objects.order_by("id").first()
        assert condition is not None
        older = self.quiet_case(person=self.create_person(full_name="Lê Văn Già", birth_year=1972))  # 50 in 2022
        younger = self.quiet_case(person=self.create_person(full_name="Lê Văn Trẻ", birth_year=1973))  # 49
        pregnant = self.quiet_case(person=self.create_person(full_name="Trần Thị Mang", sex="F", pregnant=True))
        sick = self.quiet_case(person=self.create_person(full_name="Phạm Văn Bệnh", conditions=[condition]))
        unvaccinated = self.quiet_case(vaccine_doses=0)
        unknown_doses = self.quiet_case(vaccine_doses=None)
        codes = self.codes(reason=Reason.RISK)
        assert set(codes) == {older.code, pregnant.code, sick.code, unvaccinated.code}
        assert younger.code not in codes and unknown_doses.code not in codes
        assert self.row_of(older).risk_groups == (RiskGroup.AGE,)
        assert self.row_of(pregnant).risk_groups == (RiskGroup.PREGNANT,)
        assert self.row_of(sick).risk_groups == (RiskGroup.CONDITION,)
        assert self.row_of(unvaccinated).risk_groups == (RiskGroup.UNVACCINATED,)
        assert self.row_of(sick).reasons == (Reason.RISK,)

    def test_release_due_today_not_tomorrow(self) -> None:
        due = self.quiet_case(release_due_on=TODAY)
        overdue = self.quiet_case(release_due_on=TODAY - timedelta(days=2))
        self.quiet_case(release_due_on=TODAY + timedelta(days=1))
        assert set(self.codes()) == {due.code, overdue.code}
        assert self.row_of(due).reasons == (Reason.RELEASE_DUE,)

    def test_released_facility_and_dead_are_never_in_the_queue(self) -> None:
        silent = {"last_declared_at": None, "worsened": True, "vaccine_doses": 0, "release_due_on": TODAY}
        self.quiet_case(status=Status.RELEASED, released_on=TODAY, **silent)
        self.quiet_case(place=Place.FACILITY, **silent)
        self.quiet_case(status=Status.DIED, **silent)
        kept = self.quiet_case(**silent)
        assert self.codes() == [kept.code]
        assert self.codes(reason=ALL_AT_HOME) == [kept.code]
        assert set(self.row_of(kept).reasons) == set(Reason)

    def test_day_of_illness(self) -> None:
        case = self.quiet_case(worsened=True)
        assert self.row_of(case).day_of_illness == 6  # 20/02 is day 1, 25/02 day 6


class QueueOrderTests(FollowupTestCase):
    def test_urgency_order(self) -> None:
        risk = self.quiet_case(vaccine_doses=0)
        due = self.quiet_case(release_due_on=TODAY)
        risk_and_due_later = self.quiet_case(vaccine_doses=0, release_due_on=TODAY)
        silent_30 = self.quiet_case(last_declared_at=NOW - timedelta(hours=30))
        silent_48 = self.quiet_case(last_declared_at=NOW - timedelta(hours=48))
        # Never declared, confirmed 22/02: silent since 22/02 00:00, 82 hours.
        never = self.quiet_case(last_declared_at=None, confirmed_on=date(2022, 2, 22))
        urgent_alert = self.quiet_case(vaccine_doses=0, last_alert_level=AlertLevel.URGENT)
        worsened = self.quiet_case(worsened=True, last_alert_level=AlertLevel.MONITOR)
        worsened_emergency = self.quiet_case(worsened=True, last_alert_level=AlertLevel.EMERGENCY)
        expected = [
            worsened_emergency, worsened, urgent_alert, never, silent_48, silent_30, risk_and_due_later, risk, due,
        ]  # fmt: skip
        assert self.codes() == [case.code for case in expected]

    def test_never_declared_ranks_by_time_since_confirmation_among_the_silent(self) -> None:
        # Declared 26 hours ago vs never declared since 24/02 00:00 (34 hours): the latter has been silent longer.
        declared = self.quiet_case(last_declared_at=NOW - timedelta(hours=26))
        never = self.quiet_case(last_declared_at=None, confirmed_on=date(2022, 2, 24))
        # Declared 40 hours ago: longer than the never-declared one.
        long_ago = self.quiet_case(last_declared_at=NOW - timedelta(hours=40))
        assert self.codes() == [long_ago.code, never.code, declared.code]


class QueueScopeAndFilterTests(FollowupTestCase):
    def setUp(self) -> None:
        self.a1 = self.quiet_case(worsened=True)
        self.a2 = self.quiet_case(ward=self.ward_a2, worsened=True)
        self.b1 = self.quiet_case(ward=self.ward_b1, worsened=True)

    def test_scoped_to_the_users_area(self) -> None:
        assert set(self.codes(self.ward_officer_a1)) == {self.a1.code}
        assert set(self.codes(self.team_member_a1)) == {self.a1.code}
        assert set(self.codes(self.district_officer_a)) == {self.a1.code, self.a2.code}
        assert set(self.codes(self.city_admin)) == {self.a1.code, self.a2.code, self.b1.code}

    def test_ward_filter_stays_inside_the_area(self) -> None:
        assert self.codes(self.district_officer_a, ward_id=self.ward_a2.pk) == [self.a2.code]
        assert self.codes(self.district_officer_a, ward_id=self.ward_b1.pk) == []
        assert self.codes(self.ward_officer_a1, ward_id=self.ward_a2.pk) == []

    def test_assignee_filter(self) -> None:
        Case.objects.filter(pk=self.a1.pk).update(assigned_to=self.team_member_a1)
        assert self.codes(self.city_admin, assignee_id=self.team_member_a1.pk) == [self.a1.code]
        assert set(self.codes(self.city_admin, assignee_id=UNASSIGNED)) == {self.a2.code, self.b1.code}

    def test_counts_equal_the_lists(self) -> None:
        self.quiet_case(vaccine_doses=0, last_declared_at=None, confirmed_on=TODAY - timedelta(days=3))
        self.quiet_case(release_due_on=TODAY)
        self.quiet_case()
        counts = followup_counts(user=self.district_officer_a, now=NOW)
        assert counts["total"] == len(self.queue(self.district_officer_a)) == 4
        for reason in Reason:
            assert counts[reason] == len(self.queue(self.district_officer_a, reason=reason)), reason
        assert counts == {"total": 4, "silent": 1, "worsened": 2, "risk": 1, "release_due": 1}


class MyCasesTodayTests(FollowupTestCase):
    def test_the_members_own_cases_most_urgent_first(self) -> None:
        mine_quiet = self.quiet_case(assigned_to=self.team_member_a1)
        mine_silent = self.quiet_case(assigned_to=self.team_member_a1, last_declared_at=NOW - timedelta(hours=30))
        mine_worse = self.quiet_case(assigned_to=self.team_member_a1, worsened=True)
        self.quiet_case(assigned_to=self.team_member_a1, status=Status.RELEASED, released_on=TODAY)
        self.quiet_case(assigned_to=self.doctor_a1, worsened=True)
        self.quiet_case(worsened=True)
        rows = list(my_cases_today(user=self.team_member_a1, now=NOW))
        assert [row.case.code for row in rows] == [mine_worse.code, mine_silent.code, mine_quiet.code]
        assert rows[2].reasons == ()
        assert list(my_cases_today(user=self.ward_officer_a1, now=NOW)) == []


class WardDailyTests(FollowupTestCase):
    def alert(self, case: Case, level: int, status: str = AlertStatus.OPEN) -> Alert:
        declaration = Declaration.objects.create(
            case=case, declared_at=NOW - timedelta(hours=1), period=Period.MORNING, channel=Channel.STAFF,
            alert_level=level,
        )  # fmt: skip
        extra = {"handled_at": NOW, "action": "goi_115"} if status == AlertStatus.HANDLED else {}
        return Alert.objects.create(
            case=case, ward=case.ward, declaration=declaration, level=level, status=status, **extra
        )

    def test_counts(self) -> None:
        self.quiet_case()
        self.quiet_case(last_declared_at=NOW - timedelta(hours=25), release_due_on=TODAY)
        self.quiet_case(last_declared_at=None, confirmed_on=TODAY)  # new today, not yet silent
        self.quiet_case(release_due_on=TODAY - timedelta(days=1))
        self.quiet_case(place=Place.FACILITY, confirmed_on=TODAY, last_declared_at=None)  # new, not at home
        self.quiet_case(status=Status.RELEASED, released_on=TODAY, release_due_on=TODAY)
        self.quiet_case(ward=self.ward_a2, last_declared_at=None)
        emergency = self.quiet_case(worsened=True)
        urgent = self.quiet_case(worsened=True)
        handled = self.quiet_case(worsened=True)
        self.alert(emergency, AlertLevel.EMERGENCY)
        self.alert(urgent, AlertLevel.URGENT, status=AlertStatus.ACKNOWLEDGED)
        self.alert(handled, AlertLevel.URGENT, status=AlertStatus.HANDLED)
        self.alert(self.quiet_case(ward=self.ward_b1), AlertLevel.EMERGENCY)

        daily = ward_daily(user=self.ward_officer_a1, now=NOW)
        assert daily.today == TODAY
        counts = {key: daily.count(key) for key in ("home", "new", "silent", "release_due")}
        assert counts == {"home": 7, "new": 2, "silent": 1, "release_due": 2}
        assert daily.count(f"alert_{AlertLevel.EMERGENCY}") == 1
        assert daily.count(f"alert_{AlertLevel.URGENT}") == 1

        district = ward_daily(user=self.district_officer_a, now=NOW)
        assert district.count("home") == 8 and district.count("silent") == 2
        only_a2 = ward_daily(user=self.district_officer_a, now=NOW, ward_id=self.ward_a2.pk)
        assert only_a2.count("home") == 1 and only_a2.count(f"alert_{AlertLevel.EMERGENCY}") == 0
        city = ward_daily(user=self.city_admin, now=NOW)
        assert city.count(f"alert_{AlertLevel.EMERGENCY}") == 2


class CaseAssignTests(FollowupTestCase):
    def setUp(self) -> None:
        self.case = self.quiet_case(worsened=True)

    def test_assign_to_a_team_member_bumps_the_version_and_is_audited(self) -> None:
        case = case_assign(actor=self.ward_officer_a1, case=self.case, assignee=self.team_member_a1, expected_version=1)
        assert case.assigned_to == self.team_member_a1 and case.version == 2
        stored = Case.objects.get(pk=self.case.pk)
        assert stored.assigned_to_id == self.team_member_a1.pk and stored.version == 2
        log = AuditLog.objects.filter(target_type="case", target_id=self.case.pk, event=Event.UPDATE).get()
        assert log.actor == self.ward_officer_a1
        assert log.changes == {"assigned_to": [None, self.team_member_a1.pk]}
        # Unassigning is allowed too.
        case = case_assign(actor=self.ward_officer_a1, case=case, assignee=None, expected_version=2)
        assert Case.objects.get(pk=self.case.pk).assigned_to_id is None

    def test_doctors_and_ward_officers_may_follow_including_a_city_doctor(self) -> None:
        city_doctor = user_create(
            username="city_doctor", password=PASSWORD, role=Role.DOCTOR, area=self.province, full_name="BS Thành phố"
        )
        version = self.case.version
        for assignee in (self.doctor_a1, self.ward_officer_a1, city_doctor):
            case = case_assign(
                actor=self.district_officer_a, case=self.case, assignee=assignee, expected_version=version
            )
            version = case.version
            assert Case.objects.get(pk=self.case.pk).assigned_to_id == assignee.pk

    def test_wrong_role_is_refused(self) -> None:
        for assignee in (self.hotline, self.district_officer_a, self.city_admin, self.steering, self.leader):
            with self.assertRaises(ValidationError) as raised:
                case_assign(actor=self.ward_officer_a1, case=self.case, assignee=assignee, expected_version=1)
            assert "assigned_to" in raised.exception.message_dict
        assert Case.objects.get(pk=self.case.pk).assigned_to_id is None

    def test_member_of_another_ward_is_refused(self) -> None:
        team_b1 = user_create(username="team_b1", password=PASSWORD, role=Role.TEAM_MEMBER, area=self.ward_b1)
        for assignee in (self.ward_officer_a2, team_b1):
            with self.assertRaises(ValidationError):
                case_assign(actor=self.city_admin, case=self.case, assignee=assignee, expected_version=1)
        assert Case.objects.get(pk=self.case.pk).version == 1

    def test_inactive_member_is_refused(self) -> None:
        self.team_member_a1.is_active = False
        self.team_member_a1.save(update_fields=["is_active"])
        with self.assertRaises(ValidationError):
            case_assign(actor=self.ward_officer_a1, case=self.case, assignee=self.team_member_a1, expected_version=1)

    def test_actor_outside_the_area_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            case_assign(actor=self.ward_officer_b1, case=self.case, assignee=self.team_member_a1, expected_version=1)

    def test_released_case_is_refused(self) -> None:
        Case.objects.filter(pk=self.case.pk).update(status=Status.RELEASED, released_on=TODAY)
        self.case.refresh_from_db()
        with self.assertRaises(ValidationError):
            case_assign(actor=self.ward_officer_a1, case=self.case, assignee=self.team_member_a1, expected_version=1)

    def test_stale_version_names_who_changed_it(self) -> None:
        stale_copy = Case.objects.get(pk=self.case.pk)
        case_assign(actor=self.district_officer_a, case=self.case, assignee=self.doctor_a1, expected_version=1)
        with self.assertRaises(ValidationError) as raised:
            case_assign(actor=self.ward_officer_a1, case=stale_copy, assignee=self.team_member_a1, expected_version=1)
        message = raised.exception.message_dict["assigned_to"][0]
        assert "district_a" in message  # the full name of the district officer in the test users
        stored = Case.objects.get(pk=self.case.pk)
        assert stored.assigned_to_id == self.doctor_a1.pk and stored.version == 2
        assert AuditLog.objects.filter(target_type="case", target_id=self.case.pk, event=Event.UPDATE).count() == 1
