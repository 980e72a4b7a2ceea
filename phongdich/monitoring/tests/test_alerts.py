"""Alerts: acknowledging and handling with optimistic locking, escalation, the queue page and its scoping."""

from datetime import timedelta
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from phongdich.cases.models import AlertLevel, Case
from phongdich.monitoring.models import Alert, AlertAction, AlertStatus
from phongdich.monitoring.services import StaleAlert, alert_acknowledge, alert_handle, alerts_escalate
from phongdich.monitoring.tasks import alerts_escalate_task
from phongdich.monitoring.tests.test_declarations import EMERGENCY, URGENT, MonitoringTestCase


class AlertTestCase(MonitoringTestCase):
    def alert_for(self, case: Case, values: dict | None = None, **kwargs: object) -> Alert:
        self.declare(case, values or URGENT, **kwargs)
        return Alert.objects.get(case=case, status__in=(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED))


class AlertHandlingTests(AlertTestCase):
    def test_acknowledge_then_handle_records_times_and_who(self) -> None:
        alert = self.alert_for(self.make_case())
        alert = alert_acknowledge(actor=self.team_member_a1, alert=alert, version=alert.version)
        assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == self.team_member_a1
        alert = alert_handle(
            actor=self.ward_officer_a1,
            alert=alert,
            action=AlertAction.HOME_VISIT,
            note="Đến nhà",
            version=alert.version,
        )
        assert alert.status == AlertStatus.HANDLED
        assert alert.handled_by == self.ward_officer_a1 and alert.action == AlertAction.HOME_VISIT
        assert alert.minutes_to_first_action == 0
        Alert.objects.filter(pk=alert.pk).update(created_at=alert.acknowledged_at - timedelta(minutes=17))
        alert.refresh_from_db()
        assert alert.minutes_to_first_action == 17

    def test_second_officer_with_a_stale_version_is_told_who_handled_it(self) -> None:
        alert = self.alert_for(self.make_case())
        read_version = alert.version
        alert_handle(
            actor=self.ward_officer_a1, alert=alert, action=AlertAction.PHONE_ADVICE, note="", version=read_version
        )
        with self.assertRaises(StaleAlert) as raised:
            alert_handle(
                actor=self.team_member_a1, alert=alert, action=AlertAction.CALL_115, note="", version=read_version
            )
        message = raised.exception.messages[0]
        assert "vừa được ward_a1 xử lý lúc" in message and "tải lại" in message
        alert.refresh_from_db()
        assert alert.action == AlertAction.PHONE_ADVICE and alert.handled_by == self.ward_officer_a1

    def test_a_raised_alert_refuses_the_version_read_before(self) -> None:
        case = self.make_case()
        alert = self.alert_for(case, declared_at=timezone.now() - timedelta(hours=1))
        self.declare(case, EMERGENCY)
        with self.assertRaises(StaleAlert) as raised:
            alert_acknowledge(actor=self.ward_officer_a1, alert=alert, version=alert.version)
        assert "cập nhật theo khai báo mới" in raised.exception.messages[0]

    def test_handle_needs_a_valid_action_and_an_officer_of_the_area(self) -> None:
        alert = self.alert_for(self.make_case())
        with self.assertRaises(ValidationError) as raised:
            alert_handle(actor=self.ward_officer_a1, alert=alert, action="khong_co", note="", version=alert.version)
        assert "action" in raised.exception.message_dict
        with self.assertRaises(ValidationError):
            alert_handle(
                actor=self.ward_officer_b1, alert=alert, action=AlertAction.CALL_115, note="", version=alert.version
            )
        alert.refresh_from_db()
        assert alert.status == AlertStatus.OPEN


class EscalationTests(AlertTestCase):
    @override_settings(PHONGDICH_ALERT_ESCALATE_MINUTES=30)
    def test_unhandled_emergency_escalates_after_the_configured_minutes(self) -> None:
        emergency = self.alert_for(self.make_case(), EMERGENCY)
        urgent = self.alert_for(self.make_case(person=self.create_person(full_name="Khẩn")), URGENT)
        handled = self.alert_for(self.make_case(person=self.create_person(full_name="Đã xử lý")), EMERGENCY)
        alert_handle(actor=self.ward_officer_a1, alert=handled, action=AlertAction.CALL_115, note="", version=1)
        now = timezone.now()
        assert alerts_escalate(now=now + timedelta(minutes=29)) == 0
        assert alerts_escalate(now=now + timedelta(minutes=31)) == 1
        emergency.refresh_from_db()
        assert emergency.escalated_at == now + timedelta(minutes=31)
        assert emergency.version == 1  # escalation does not make an officer's open form stale
        for other in (urgent, handled):
            other.refresh_from_db()
            assert other.escalated_at is None
        assert alerts_escalate(now=now + timedelta(minutes=60)) == 0  # once only

    @override_settings(PHONGDICH_ALERT_ESCALATE_MINUTES=0)
    def test_command_and_task(self) -> None:
        self.alert_for(self.make_case(), EMERGENCY)
        out = StringIO()
        call_command("escalate_alerts", "--json", stdout=out)
        assert out.getvalue().strip() == '{"escalated": 1}'
        self.alert_for(self.make_case(person=self.create_person(full_name="Hai")), EMERGENCY)
        assert alerts_escalate_task.enqueue().return_value == 1


class AlertQueueViewTests(AlertTestCase):
    url = reverse("monitoring:alerts")

    def setUp(self) -> None:
        self.urgent_a1 = self.alert_for(self.make_case(), URGENT)
        self.emergency_a1 = self.alert_for(self.make_case(person=self.create_person(full_name="Cấp Cứu")), EMERGENCY)
        person_a2 = self.create_person(ward=self.ward_a2, full_name="Phường A2")
        self.emergency_a2 = self.alert_for(self.make_case(ward=self.ward_a2, person=person_a2), EMERGENCY)
        person_b1 = self.create_person(ward=self.ward_b1, full_name="Quận B")
        self.urgent_b1 = self.alert_for(self.make_case(ward=self.ward_b1, person=person_b1), URGENT)

    def ids(self, user: object, **params: object) -> list[int]:
        response = self.client_for(user).get(self.url, params)
        assert response.status_code == 200
        return [a.pk for a in response.context["page"]]

    def test_permission_matrix(self) -> None:
        self.assert_login_required(self.url)
        self.assert_allowed(self.url, self.everyone)

    def test_scoped_and_ordered_by_level_then_waiting(self) -> None:
        Alert.objects.filter(pk=self.emergency_a2.pk).update(created_at=timezone.now() - timedelta(hours=2))
        assert self.ids(self.ward_officer_a1) == [self.emergency_a1.pk, self.urgent_a1.pk]
        assert self.ids(self.ward_officer_b1) == [self.urgent_b1.pk]
        assert self.ids(self.district_officer_a) == [self.emergency_a2.pk, self.emergency_a1.pk, self.urgent_a1.pk]
        assert self.ids(self.city_admin) == [
            self.emergency_a2.pk, self.emergency_a1.pk, self.urgent_a1.pk, self.urgent_b1.pk
        ]  # fmt: skip

    def test_escalated_on_top_for_the_district(self) -> None:
        Alert.objects.filter(pk=self.emergency_a1.pk).update(escalated_at=timezone.now())
        assert self.ids(self.district_officer_a)[0] == self.emergency_a1.pk
        assert self.ids(self.district_officer_a, escalated="on") == [self.emergency_a1.pk]

    def test_filters_and_rollup(self) -> None:
        assert self.ids(self.city_admin, level=AlertLevel.URGENT) == [self.urgent_a1.pk, self.urgent_b1.pk]
        assert self.ids(self.city_admin, ward=self.ward_a2.pk) == [self.emergency_a2.pk]
        assert self.ids(self.city_admin, district=self.district_b.pk) == [self.urgent_b1.pk]
        assert self.ids(self.ward_officer_a1, ward=self.ward_b1.pk) == [self.emergency_a1.pk, self.urgent_a1.pk]
        summary = self.client_for(self.city_admin).get(self.url).context["summary"]
        assert summary.by_level == {AlertLevel.EMERGENCY: 2, AlertLevel.URGENT: 2}
        rows = {row.area.pk: row.counts for row in summary.rows}
        assert rows == {self.district_a.pk: {3: 2, 2: 1}, self.district_b.pk: {2: 1}}
        district_rows = self.client_for(self.district_officer_a).get(self.url).context["summary"].rows
        assert {row.area.pk for row in district_rows} == {self.ward_a1.pk, self.ward_a2.pk}

    def test_handled_today_tab_shows_time_to_first_action(self) -> None:
        alert_handle(
            actor=self.ward_officer_a1, alert=self.urgent_a1, action=AlertAction.PHONE_ADVICE, note="ok", version=1
        )
        assert self.urgent_a1.pk not in self.ids(self.ward_officer_a1)
        response = self.client_for(self.ward_officer_a1).get(self.url, {"tab": "handled_today"})
        assert [a.pk for a in response.context["page"]] == [self.urgent_a1.pk]
        self.assertContains(response, "Xử trí đầu tiên sau 0 phút")
        self.assertContains(response, "Tư vấn qua điện thoại")

    def test_row_shows_day_of_illness_and_signs(self) -> None:
        response = self.client_for(self.ward_officer_a1).get(self.url)
        self.assertContains(response, "thứ 3")  # confirmed two days ago = day 3
        self.assertContains(response, "SpO2 95%")

    def test_query_count_does_not_grow_with_rows(self) -> None:
        client = self.client_for(self.city_admin)
        client.get(self.url)
        # session ×3, user, area, districts (a city's ward choices wait for a district), wards ×2, count, page, rollup
        with self.assertNumQueries(13) as few:
            client.get(self.url)
        for i in range(6):
            person = self.create_person(ward=self.ward_a2, full_name=f"Thêm {i}")
            self.alert_for(self.make_case(ward=self.ward_a2, person=person), URGENT)
        with self.assertNumQueries(len(few.captured_queries)):
            response = client.get(self.url)
        assert response.context["page"].paginator.count == 10


class AlertHandleViewTests(AlertTestCase):
    def setUp(self) -> None:
        self.alert = self.alert_for(self.make_case())
        self.url = reverse("monitoring:alert_handle", kwargs={"alert_id": self.alert.pk})

    def test_permission_matrix(self) -> None:
        data = {"step": "ack", "version": 1}
        self.assert_login_required(self.url, method="post")
        for user in (self.steering, self.leader, self.hotline):
            assert self.client_for(user).post(self.url, data).status_code == 403
        for user in self.not_seeing_ward_a1:
            assert self.client_for(user).post(self.url, data).status_code == 404
        assert self.client_for(self.ward_officer_a1).get(self.url).status_code == 405
        self.alert.refresh_from_db()
        assert self.alert.status == AlertStatus.OPEN

    def test_htmx_acknowledge_then_handle(self) -> None:
        client = self.client_for(self.team_member_a1)
        row = client.post(self.url, {"step": "ack", "version": 1}, headers={"HX-Request": "true"})
        assert row.status_code == 200
        self.assertContains(row, f'id="alert-{self.alert.pk}"')
        self.assertNotContains(row, "<html")
        self.alert.refresh_from_db()
        assert self.alert.status == AlertStatus.ACKNOWLEDGED
        data = {"step": "handle", "version": self.alert.version, "action": AlertAction.PACKAGE_B, "note": "Cấp túi B"}
        row = client.post(self.url, data, headers={"HX-Request": "true"})
        self.assertContains(row, "Cấp túi thuốc B")
        self.alert.refresh_from_db()
        assert self.alert.status == AlertStatus.HANDLED and self.alert.note == "Cấp túi B"

    def test_stale_version_is_refused_and_told(self) -> None:
        alert_handle(actor=self.doctor_a1, alert=self.alert, action=AlertAction.STATION_VISIT, note="", version=1)
        data = {"step": "handle", "version": 1, "action": AlertAction.CALL_115, "note": ""}
        row = self.client_for(self.ward_officer_a1).post(self.url, data, headers={"HX-Request": "true"})
        self.assertContains(row, "vừa được doctor_a1 xử lý lúc")
        response = self.client_for(self.ward_officer_a1).post(self.url, data, follow=True)
        self.assertContains(response, "tải lại để xem")
        self.alert.refresh_from_db()
        assert self.alert.action == AlertAction.STATION_VISIT
