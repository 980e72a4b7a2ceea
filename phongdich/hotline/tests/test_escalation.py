from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from phongdich.audit.models import AuditLog
from phongdich.hotline.models import EventKind, Request, Status
from phongdich.hotline.services import request_transition, requests_escalate
from phongdich.hotline.tests.base import T0, HotlineTestCase


class EscalationTests(HotlineTestCase):
    def test_not_before_the_deadline_exactly_at_it_and_once(self) -> None:
        item = self.make_request(category="emergency")  # due T0 + 15 min
        assert requests_escalate(now=T0 + timedelta(minutes=14, seconds=59)) == 0
        assert requests_escalate(now=T0 + timedelta(minutes=15)) == 1
        item.refresh_from_db()
        assert item.escalated_at == T0 + timedelta(minutes=15)
        assert item.status == Status.NEW  # still waiting: escalation flags, the workflow goes on
        assert requests_escalate(now=T0 + timedelta(hours=1)) == 0
        event = item.events.get(kind=EventKind.ESCALATED)
        assert event.actor is None and "quận/huyện" in event.note
        assert (
            AuditLog.objects.filter(target_type="request", target_id=item.pk, changes__has_key="escalated_at").count()
            == 1
        )

    def test_per_category_deadline(self) -> None:
        advice = self.make_request(category="medical_advice")
        food = self.make_request(category="food", caller_phone="0987654321")
        assert requests_escalate(now=T0 + timedelta(hours=2)) == 1
        assert Request.objects.get(pk=advice.pk).escalated_at is not None
        assert Request.objects.get(pk=food.pk).escalated_at is None
        assert requests_escalate(now=T0 + timedelta(hours=24, seconds=1)) == 1

    def test_answered_or_transferred_requests_are_not_escalated(self) -> None:
        answered = self.make_request(category="emergency")
        request_transition(actor=self.hotline, item=answered, to_status=Status.ANSWERED, version=1,
                           answer="Đã chuyển 115.", now=T0 + timedelta(minutes=20))  # fmt: skip
        moved = self.make_request(category="emergency", caller_phone="0987654321")
        request_transition(actor=self.hotline, item=moved, to_status=Status.TRANSFERRED, version=1,
                           transferred_to="115", now=T0 + timedelta(minutes=1))  # fmt: skip
        in_progress = self.make_request(category="emergency", caller_phone="0977654321")
        request_transition(actor=self.hotline, item=in_progress, to_status=Status.IN_PROGRESS, version=1, now=T0)
        assert requests_escalate(now=T0 + timedelta(hours=1)) == 1
        assert list(Request.objects.filter(escalated_at__isnull=False)) == [in_progress]

    def test_command(self) -> None:
        self.make_request(category="emergency", now=T0 - timedelta(days=1))
        out = StringIO()
        call_command("escalate_requests", "--json", stdout=out)
        assert out.getvalue().strip() == '{"escalated": 1}'
        out = StringIO()
        call_command("escalate_requests", stdout=out)
        assert "Đã chuyển 0 yêu cầu" in out.getvalue()
