from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from phongdich.audit.models import AuditLog
from phongdich.hotline.models import EventKind, Request, Status
from phongdich.hotline.services import request_transition
from phongdich.hotline.tests.base import T0, HotlineTestCase
from phongdich.hotline.workflow import ALLOWED_TRANSITIONS, actions_available, time_left_label


class TransitionTests(HotlineTestCase):
    def move(self, item: Request, to: str, **kwargs: object) -> Request:
        values = {"actor": self.ward_officer_a1, "version": item.version, "now": T0 + timedelta(minutes=30), **kwargs}
        return request_transition(item=item, to_status=to, **values)  # type: ignore[arg-type]

    def test_the_full_path(self) -> None:
        item = self.make_request(category="medical_advice")
        item = self.move(item, Status.ASSIGNED, assignee=self.doctor_a1)
        assert item.assigned_to == self.doctor_a1 and item.version == 2
        item = self.move(item, Status.IN_PROGRESS, actor=self.doctor_a1)
        item = self.move(item, Status.ANSWERED, actor=self.doctor_a1, answer="Uống hạ sốt, theo dõi SpO2.")
        assert (item.answered_by, item.answered_at, item.answer) == (
            self.doctor_a1,
            T0 + timedelta(minutes=30),
            "Uống hạ sốt, theo dõi SpO2.",
        )
        assert item.answered_in_time is True
        item = self.move(item, Status.CLOSED)
        assert item.status == Status.CLOSED and item.closed_at is not None and item.version == 5
        history = [(e.kind, e.from_status, e.to_status) for e in item.events.all()]
        assert history == [
            (EventKind.CREATED, "", Status.NEW),
            (EventKind.STATUS, Status.NEW, Status.ASSIGNED),
            (EventKind.STATUS, Status.ASSIGNED, Status.IN_PROGRESS),
            (EventKind.STATUS, Status.IN_PROGRESS, Status.ANSWERED),
            (EventKind.STATUS, Status.ANSWERED, Status.CLOSED),
        ]
        assert AuditLog.objects.filter(target_type="request", target_id=item.pk).count() == 5

    def test_answered_after_the_deadline_is_late(self) -> None:
        item = self.make_request(category="medical_advice")
        on_time = self.move(item, Status.ANSWERED, answer="Đã gọi lại.", now=T0 + timedelta(minutes=120))
        assert on_time.answered_in_time is True
        other = self.make_request(category="medical_advice", caller_phone="0987654321")
        late = self.move(other, Status.ANSWERED, answer="Đã gọi lại.", now=T0 + timedelta(minutes=121))
        assert late.answered_in_time is False

    def test_refused_transitions(self) -> None:
        item = self.make_request()
        for to in (Status.CLOSED, Status.NEW):
            with pytest.raises(ValidationError) as error:
                self.move(item, to)
            assert "Không thể chuyển" in error.value.message_dict["status"][0]
        item = self.move(item, Status.ANSWERED, answer="Đã hỗ trợ gạo.")
        for to in (Status.ASSIGNED, Status.ANSWERED, Status.TRANSFERRED):
            with pytest.raises(ValidationError):
                self.move(item, to)

    def test_every_allowed_move_is_reachable_from_the_table(self) -> None:
        assert actions_available(Status.NEW) == ["assign", "start", "answer", "transfer"]
        assert actions_available(Status.ANSWERED) == ["close", "reopen"]
        assert actions_available(Status.CLOSED) == ["reopen"]
        assert Status.NEW not in {s for targets in ALLOWED_TRANSITIONS.values() for s in targets}

    def test_missing_answer_transfer_target_assignee(self) -> None:
        item = self.make_request()
        with pytest.raises(ValidationError) as error:
            self.move(item, Status.ANSWERED, answer=" ")
        assert "answer" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            self.move(item, Status.TRANSFERRED)
        assert "transferred_to" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            self.move(item, Status.ASSIGNED)
        assert "assigned_to" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            self.move(item, Status.ASSIGNED, assignee=self.ward_officer_b1)
        assert "không xử lý được" in error.value.message_dict["assigned_to"][0]
        transferred = self.move(item, Status.TRANSFERRED, transferred_to="Sở LĐ-TB&XH")
        assert transferred.transferred_to == "Sở LĐ-TB&XH" and not transferred.is_open

    def test_version_conflict_loses_nothing(self) -> None:
        item = self.make_request()
        stale_copy = Request.objects.get(pk=item.pk)
        self.move(item, Status.ANSWERED, answer="Đã gọi lại, sẽ mang gạo tới.")
        with pytest.raises(ValidationError) as error:
            self.move(stale_copy, Status.ANSWERED, actor=self.hotline, answer="Câu trả lời khác.")
        assert "vừa được người khác cập nhật" in error.value.message_dict["version"][0]
        item.refresh_from_db()
        assert item.answer == "Đã gọi lại, sẽ mang gạo tới." and item.answered_by == self.ward_officer_a1

    def test_same_status_but_old_version_is_refused(self) -> None:
        item = self.make_request()
        with pytest.raises(ValidationError) as error:
            self.move(item, Status.IN_PROGRESS, version=item.version + 1)
        assert "version" in error.value.message_dict

    def test_outside_the_area_or_without_the_permission(self) -> None:
        item = self.make_request()
        for actor in (self.ward_officer_b1, self.ward_officer_a2, self.leader):
            with pytest.raises(ValidationError):
                self.move(item, Status.IN_PROGRESS, actor=actor)

    def test_reopen_needs_a_reason_and_clears_the_answer(self) -> None:
        item = self.move(self.make_request(), Status.ANSWERED, answer="Đã hướng dẫn.")
        with pytest.raises(ValidationError) as error:
            self.move(item, Status.IN_PROGRESS)
        assert "note" in error.value.message_dict
        item = self.move(item, Status.IN_PROGRESS, note="Người dân gọi lại, chưa nhận được gạo.")
        assert (item.status, item.answered_at, item.answer) == (Status.IN_PROGRESS, None, "")
        assert "Đã hướng dẫn." in item.events.last().note

    def test_start_takes_the_request(self) -> None:
        item = self.move(self.make_request(), Status.IN_PROGRESS, actor=self.team_member_a1)
        assert item.assigned_to == self.team_member_a1


class TimeLeftTests(HotlineTestCase):
    def test_labels(self) -> None:
        assert time_left_label(T0 + timedelta(minutes=80), T0) == "còn 1 giờ 20 phút"
        assert time_left_label(T0 + timedelta(days=1), T0) == "còn 1 ngày"
        assert time_left_label(T0, T0) == "quá hạn 0 phút"
        assert time_left_label(T0 - timedelta(minutes=35, seconds=20), T0) == "quá hạn 35 phút"
