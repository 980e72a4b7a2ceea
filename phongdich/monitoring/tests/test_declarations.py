"""Declaring health: validation, triage stored, the case's follow-up columns, alerts opened or raised; khai hộ pages."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from phongdich.areas.models import Area
from phongdich.audit.models import AuditLog, Event
from phongdich.cases.models import AlertLevel, Case, Place, Status
from phongdich.monitoring.models import Alert, AlertAction, AlertStatus, Channel, Declaration, Period
from phongdich.monitoring.services import NotAccepted, alert_handle, declaration_submit
from phongdich.rules.triage import Vitals
from phongdich.testing import PhongdichTestCase

NORMAL: dict[str, Any] = {"spo2": 98, "resp_rate": 16, "pulse": 80, "temperature": 36.8}
URGENT: dict[str, Any] = {"spo2": 95, "resp_rate": 18, "pulse": 88, "temperature": 37.2}
EMERGENCY: dict[str, Any] = {"spo2": 88, "spo2_remeasured": 88, "resp_rate": 32, "pulse": 118, "temperature": 38.5}


class MonitoringTestCase(PhongdichTestCase):
    """Factories for monitoring tests: an active home F0 confirmed two days ago, and declarations of it."""

    def make_case(self, *, ward: Area | None = None, **fields: Any) -> Case:
        fields.setdefault("confirmed_on", timezone.localdate() - timedelta(days=2))
        return self.create_case(ward=ward, **fields)

    def declare(self, case: Case, values: dict[str, Any] | None = None, **kwargs: Any) -> Declaration:
        vitals = Vitals(**(values if values is not None else NORMAL))
        kwargs.setdefault("channel", Channel.STAFF)
        kwargs.setdefault("entered_by", self.ward_officer_a1 if case.ward_id == self.ward_a1.pk else self.city_admin)
        return declaration_submit(case=case, vitals=vitals, **kwargs)

    def form_data(self, values: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        return {**{k: str(v) for k, v in (values if values is not None else NORMAL).items()}, **extra}


class DeclarationValidationTests(MonitoringTestCase):
    def test_impossible_vitals_are_refused_field_by_field_in_vietnamese(self) -> None:
        case = self.make_case()
        with self.assertRaises(ValidationError) as raised:
            self.declare(case, {"spo2": 140, "temperature": 60.0, "pulse": -5, "resp_rate": 16})
        errors = raised.exception.message_dict
        assert set(errors) == {"spo2", "temperature", "pulse"}
        assert "SpO2 140" in errors["spo2"][0] and "không hợp lý" in errors["spo2"][0]
        assert "Nhiệt độ" in errors["temperature"][0]
        assert "Mạch -5" in errors["pulse"][0]
        assert not Declaration.objects.exists()

    def test_unknown_symptom_code_is_refused(self) -> None:
        case = self.make_case()
        with self.assertRaises(ValidationError) as raised:
            self.declare(case, {**NORMAL, "symptoms": frozenset({"khong_co"})})
        assert "symptoms" in raised.exception.message_dict

    def test_empty_sheet_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            self.declare(self.make_case(), {})

    def test_future_time_and_time_before_the_positive_test_are_refused(self) -> None:
        case = self.make_case()
        with self.assertRaises(ValidationError) as raised:
            self.declare(case, declared_at=timezone.now() + timedelta(hours=2))
        assert "declared_at" in raised.exception.message_dict
        with self.assertRaises(ValidationError) as raised:
            self.declare(case, declared_at=timezone.now() - timedelta(days=10))
        assert "declared_at" in raised.exception.message_dict

    def test_staff_of_another_area_cannot_declare(self) -> None:
        with self.assertRaises(ValidationError):
            self.declare(self.make_case(), entered_by=self.ward_officer_b1)
        assert not Declaration.objects.exists()

    def test_released_or_dead_case_is_refused_with_the_neutral_message(self) -> None:
        for status in (Status.RELEASED, Status.DIED):
            case = self.make_case(person=self.create_person(full_name=f"Người {status}"))
            Case.objects.filter(pk=case.pk).update(status=status)
            case.refresh_from_db()
            with self.assertRaises(NotAccepted) as raised:
                self.declare(case)
            assert "Không thể ghi nhận khai báo" in raised.exception.messages[0]
        assert not Declaration.objects.exists()


class DeclarationSubmitTests(MonitoringTestCase):
    def test_normal_sheet_stores_triage_and_moves_the_case_columns(self) -> None:
        case = self.make_case()
        declared_at = timezone.now().replace(hour=8, minute=0) if timezone.localtime().hour >= 8 else timezone.now()
        declaration = self.declare(case, declared_at=declared_at)
        declaration.refresh_from_db()
        assert declaration.alert_level == AlertLevel.NONE
        assert declaration.signs == []
        assert declaration.rule_sets and declaration.rule_sets[0].startswith("TRIAGE")
        assert declaration.severity == "asymptomatic"
        assert declaration.channel == Channel.STAFF and declaration.entered_by == self.ward_officer_a1
        assert declaration.period in Period.values
        case.refresh_from_db()
        assert case.last_declared_at == declared_at
        assert case.last_alert_level == AlertLevel.NONE
        assert case.worsened is False
        assert case.severity == "asymptomatic"
        assert not Alert.objects.exists()
        # (on PostgreSQL these rows come from one statement: monitoring/onestatement.py; the same checks hold)
        log = AuditLog.objects.get(target_type="declaration", target_id=declaration.pk)
        assert (log.actor, log.area, log.event) == (self.ward_officer_a1, case.ward, Event.CREATE)
        assert log.changes == {"case": case.pk, "channel": Channel.STAFF, "alert_level": AlertLevel.NONE}
        assert log.extra == {"alert": None, "rule_sets": declaration.rule_sets}

    def test_period_follows_the_local_time(self) -> None:
        case = self.make_case()
        morning = timezone.localtime().replace(hour=7, minute=30) - timedelta(days=1)
        evening = morning.replace(hour=17)
        assert self.declare(case, declared_at=morning).period == Period.MORNING
        assert self.declare(case, declared_at=evening).period == Period.EVENING

    def test_worse_sheet_sets_worsened_and_opens_an_alert(self) -> None:
        case = self.make_case()
        self.declare(case, declared_at=timezone.now() - timedelta(hours=6))
        declaration = self.declare(case, URGENT)
        case.refresh_from_db()
        assert declaration.alert_level == AlertLevel.URGENT
        assert case.last_alert_level == AlertLevel.URGENT
        assert case.worsened is True
        assert case.severity == "moderate"
        alert = Alert.objects.get(case=case)
        assert alert.level == AlertLevel.URGENT
        assert alert.ward_id == case.ward_id
        assert alert.declaration_id == declaration.pk
        assert alert.status == AlertStatus.OPEN
        assert [s["code"] for s in alert.signs] == ["spo2"]

    def test_better_sheet_clears_worsened(self) -> None:
        case = self.make_case()
        self.declare(case, URGENT, declared_at=timezone.now() - timedelta(hours=6))
        self.declare(case)
        case.refresh_from_db()
        assert case.worsened is False and case.last_alert_level == AlertLevel.NONE

    def test_a_late_sheet_does_not_overwrite_a_newer_one(self) -> None:
        case = self.make_case()
        newer = self.declare(case, URGENT)
        self.declare(case, declared_at=newer.declared_at - timedelta(hours=5))
        case.refresh_from_db()
        assert case.last_declared_at == newer.declared_at
        assert case.last_alert_level == AlertLevel.URGENT
        assert Declaration.objects.filter(case=case).count() == 2

    def test_open_alert_is_raised_not_duplicated(self) -> None:
        case = self.make_case()
        self.declare(case, URGENT, declared_at=timezone.now() - timedelta(hours=3))
        first = Alert.objects.get(case=case)
        worse = self.declare(case, EMERGENCY)
        assert Alert.objects.filter(case=case).count() == 1
        alert = Alert.objects.get(case=case)
        assert alert.pk == first.pk
        assert alert.level == AlertLevel.EMERGENCY
        assert alert.declaration_id == worse.pk
        assert alert.raised_at > first.raised_at
        assert alert.version == first.version + 1
        assert alert.created_at == first.created_at  # waiting time counts from the first sheet
        # A later, milder bad sheet replaces the signs but keeps the level.
        self.declare(case, URGENT)
        alert.refresh_from_db()
        assert alert.level == AlertLevel.EMERGENCY
        assert [s["code"] for s in alert.signs] == ["spo2"]
        assert Alert.objects.filter(case=case).count() == 1

    def test_handled_alert_stays_closed_and_a_new_one_opens(self) -> None:
        case = self.make_case()
        self.declare(case, URGENT, declared_at=timezone.now() - timedelta(hours=3))
        alert = Alert.objects.get(case=case)
        alert_handle(actor=self.ward_officer_a1, alert=alert, action=AlertAction.PHONE_ADVICE, note="Đã gọi", version=1)
        self.declare(case, EMERGENCY)
        alert.refresh_from_db()
        assert alert.status == AlertStatus.HANDLED and alert.level == AlertLevel.URGENT
        new = Alert.objects.get(case=case, status=AlertStatus.OPEN)
        assert new.pk != alert.pk and new.level == AlertLevel.EMERGENCY

    def test_monitor_level_opens_no_alert(self) -> None:
        case = self.make_case()
        declaration = self.declare(case, {**NORMAL, "symptoms": frozenset({"dry_cough", "fever"})})
        assert declaration.alert_level == AlertLevel.MONITOR
        assert not Alert.objects.exists()

    def test_emergency_sign_in_symptoms(self) -> None:
        case = self.make_case()
        declaration = self.declare(case, {**NORMAL, "symptoms": frozenset({"cyanosis"})})
        assert declaration.alert_level == AlertLevel.EMERGENCY
        assert Alert.objects.get(case=case).level == AlertLevel.EMERGENCY

    def test_submit_path_query_count(self) -> None:
        case = self.make_case()
        case = Case.objects.select_related("ward").get(pk=case.pk)
        # savepoint, INSERT declaration, UPDATE case, INSERT audit, release savepoint; on PostgreSQL the three
        # writes are one statement (monitoring/onestatement.py)
        with self.assertNumQueries(3 if connection.vendor == "postgresql" else 5):
            self.declare(case)
        # + UPDATE of an unhandled alert (none yet), then savepoint, INSERT alert, release
        with self.assertNumQueries(9):
            self.declare(case, URGENT)


class DeclareViewTests(MonitoringTestCase):
    def setUp(self) -> None:
        self.case = self.make_case()

    def url(self, case: Case | None = None) -> str:
        return reverse("monitoring:declare", kwargs={"case_id": (case or self.case).pk})

    def test_permission_matrix(self) -> None:
        url = self.url()
        self.assert_login_required(url)
        entering = [
            self.city_admin, self.hotline, self.district_officer_a, self.ward_officer_a1, self.team_member_a1,
            self.doctor_a1,
        ]  # fmt: skip
        self.assert_allowed(url, entering)
        self.assert_status(url, [self.steering, self.leader], 403)
        self.assert_not_found(url, self.not_seeing_ward_a1)

    def test_post_saves_a_staff_declaration(self) -> None:
        client = self.client_for(self.team_member_a1)
        response = client.post(self.url(), self.form_data(URGENT))
        assert response.status_code == 302
        declaration = Declaration.objects.get(case=self.case)
        assert declaration.channel == Channel.STAFF
        assert declaration.entered_by == self.team_member_a1
        assert declaration.alert_level == AlertLevel.URGENT
        page = client.get(self.url())
        self.assertContains(page, "SpO2 95%")

    def test_impossible_value_shows_the_message_on_the_field(self) -> None:
        response = self.client_for(self.ward_officer_a1).post(self.url(), self.form_data({**NORMAL, "spo2": 140}))
        assert response.status_code == 200
        self.assertContains(response, "không hợp lý")
        assert not Declaration.objects.exists()

    def test_inline_htmx_form_then_save(self) -> None:
        client = self.client_for(self.ward_officer_a1)
        form = client.get(self.url() + "?inline=1", headers={"HX-Request": "true"})
        assert form.status_code == 200
        self.assertNotContains(form, "<html")
        self.assertContains(form, f'id="c{self.case.pk}_spo2"')
        saved = client.post(self.url(), self.form_data(inline="1"), headers={"HX-Request": "true"})
        assert saved.status_code == 200
        self.assertContains(saved, "Đã lưu phiếu")
        assert Declaration.objects.filter(case=self.case, alert_level=AlertLevel.NONE).count() == 1

    def test_released_case_is_refused(self) -> None:
        Case.objects.filter(pk=self.case.pk).update(status=Status.RELEASED)
        response = self.client_for(self.ward_officer_a1).post(self.url(), self.form_data())
        assert response.status_code == 200
        self.assertContains(response, "Không thể ghi nhận khai báo")
        assert not Declaration.objects.exists()


class DeclareBulkViewTests(MonitoringTestCase):
    url = reverse("monitoring:declare_bulk")

    def test_permission_matrix(self) -> None:
        self.assert_login_required(self.url)
        self.assert_allowed(self.url, [self.city_admin, self.hotline, self.district_officer_a, self.team_member_a1])
        self.assert_status(self.url, [self.steering, self.leader], 403)

    def test_lists_active_home_cases_of_the_area_silent_first(self) -> None:
        declared = self.make_case(person=self.create_person(full_name="Đã Khai"))
        silent = self.make_case(person=self.create_person(full_name="Chưa Khai"))
        released = self.make_case(person=self.create_person(full_name="Đã Khỏi"))
        facility = self.make_case(person=self.create_person(full_name="Ở Viện"))
        other_ward = self.make_case(
            ward=self.ward_a2, person=self.create_person(ward=self.ward_a2, full_name="Phường Khác")
        )
        Case.objects.filter(pk=released.pk).update(status=Status.RELEASED)
        Case.objects.filter(pk=facility.pk).update(place=Place.FACILITY)
        self.declare(declared)
        response = self.client_for(self.ward_officer_a1).get(self.url)
        names = [c.person.full_name for c in response.context["page"]]
        assert names == ["Chưa Khai", "Đã Khai"]
        assert silent.pk in [c.pk for c in response.context["page"]]
        district = self.client_for(self.district_officer_a).get(self.url)
        assert other_ward.pk in [c.pk for c in district.context["page"]]
        assert self.client_for(self.ward_officer_b1).get(self.url).context["page"].paginator.count == 0
        filtered = self.client_for(self.ward_officer_a1).get(self.url, {"q": declared.code})
        assert [c.pk for c in filtered.context["page"]] == [declared.pk]

    def test_query_count_does_not_grow_with_rows(self) -> None:
        client = self.client_for(self.district_officer_a)
        for i in range(3):
            self.make_case(person=self.create_person(full_name=f"Người {i}"))
        client.get(self.url)
        with self.assertNumQueries(10) as small:  # session, user, area, wards ×2, count, page, session save
            client.get(self.url)
        for i in range(8):
            self.make_case(ward=self.ward_a2, person=self.create_person(ward=self.ward_a2, full_name=f"Người khác {i}"))
        with self.assertNumQueries(len(small.captured_queries)):
            response = client.get(self.url)
        assert response.context["page"].paginator.count == 11
