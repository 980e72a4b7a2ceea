from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from phongdich.audit.models import AuditLog, Event
from phongdich.hotline.models import EventKind, Request, RequestCategory, Status
from phongdich.hotline.services import CODE_ALPHABET, category_update, normalise_code
from phongdich.hotline.tests.base import T0, HotlineTestCase


class DeadlineTests(HotlineTestCase):
    def test_the_eight_categories_and_their_deadlines(self) -> None:
        deadlines = dict(RequestCategory.objects.values_list("code", "deadline_minutes"))
        assert deadlines == {
            "emergency": 15, "medical_advice": 120, "medicines": 120, "food": 1440, "social_support": 1440,
            "paperwork": 1440, "violation": 1440, "other": 1440,
        }  # fmt: skip

    def test_due_at_is_created_at_plus_the_category_deadline(self) -> None:
        for code, minutes in (("emergency", 15), ("medical_advice", 120), ("food", 24 * 60)):
            item = self.make_request(category=code, caller_phone=f"09123456{minutes % 100:02d}")
            assert item.created_at == T0
            assert item.due_at == T0 + timedelta(minutes=minutes), code

    def test_due_at_is_stored_a_later_deadline_change_moves_nothing(self) -> None:
        item = self.make_request(category="food")
        category_update(actor=self.city_admin, category=self.category("food"), name="Lương thực", deadline_minutes=60,
                        active=True)  # fmt: skip
        item.refresh_from_db()
        assert item.due_at == T0 + timedelta(hours=24)
        later = self.make_request(category="food", caller_phone="0987654321", now=T0 + timedelta(hours=1))
        assert later.due_at == T0 + timedelta(hours=2)
        log = AuditLog.objects.get(target_type="request_category")
        assert log.changes["deadline_minutes"] == [1440, 60] and log.actor == self.city_admin

    def test_only_the_city_admin_changes_deadlines_within_bounds(self) -> None:
        with pytest.raises(ValidationError):
            category_update(actor=self.district_officer_a, category=self.category("food"), name="x",
                            deadline_minutes=60, active=True)  # fmt: skip
        with pytest.raises(ValidationError) as error:
            category_update(actor=self.city_admin, category=self.category("food"), name="Lương thực",
                            deadline_minutes=0, active=True)  # fmt: skip
        assert "deadline_minutes" in error.value.message_dict


class CreateTests(HotlineTestCase):
    def test_code_event_audit(self) -> None:
        item = self.make_request()
        assert len(item.code) == 8 and set(item.code) <= set(CODE_ALPHABET)
        assert not set(item.code) & set("01OI")
        assert item.status == Status.NEW and item.version == 1 and item.created_by == self.hotline
        event = item.events.get()
        assert (event.kind, event.to_status, event.actor) == (EventKind.CREATED, Status.NEW, self.hotline)
        log = AuditLog.objects.get(target_type="request", target_id=item.pk)
        assert log.event == Event.CREATE and log.changes["code"] == item.code and log.area == self.ward_a1

    def test_codes_typed_loosely_are_normalised(self) -> None:
        assert normalise_code(" abcd-2345 ") == "ABCD2345"

    def test_phone_is_normalised(self) -> None:
        assert self.make_request(caller_phone="+84 912.345.678").caller_phone == "0912345678"

    def test_no_phone_and_no_address_is_refused(self) -> None:
        with pytest.raises(ValidationError) as error:
            self.make_request(caller_phone="", caller_address="  ")
        assert error.value.message_dict["caller_phone"] == ["Cần số điện thoại hoặc địa chỉ để liên hệ lại người gửi."]
        assert not Request.objects.exists()

    def test_address_alone_is_enough(self) -> None:
        assert self.make_request(caller_phone="").caller_phone == ""

    def test_invalid_phone_names_the_field(self) -> None:
        with pytest.raises(ValidationError) as error:
            self.make_request(caller_phone="12345")
        assert "Số điện thoại người gửi" in error.value.message_dict["caller_phone"][0]

    def test_empty_message_and_inactive_category(self) -> None:
        with pytest.raises(ValidationError) as error:
            self.make_request(message="   ")
        assert "message" in error.value.message_dict
        RequestCategory.objects.filter(code="other").update(active=False)
        with pytest.raises(ValidationError) as error:
            self.make_request(category="other")
        assert "category" in error.value.message_dict


class RoutingTests(HotlineTestCase):
    def test_routed_from_the_address(self) -> None:
        item = self.make_request(ward=None, caller_address="Số 3 ngõ 12, P. Phúc Xá, Q. Ba Đình")
        assert item.ward == self.ward_a1
        item = self.make_request(ward=None, caller_address="45 Hàng Bún, phuong Truc Bach", caller_phone="0987654321")
        assert item.ward == self.ward_a2

    def test_unroutable_address_asks_for_the_ward(self) -> None:
        with pytest.raises(ValidationError) as error:
            self.make_request(ward=None, caller_address="Số 3 ngõ 12 phố Không Có")
        assert "Hãy chọn phường/xã" in error.value.message_dict["ward"][0]

    def test_a_ward_officer_takes_requests_of_their_ward_only(self) -> None:
        assert self.make_request(actor=self.ward_officer_a1).ward == self.ward_a1
        with pytest.raises(ValidationError) as error:
            self.make_request(actor=self.ward_officer_a1, ward=self.ward_b1)
        assert "ngoài địa bàn" in error.value.message_dict["ward"][0]

    def test_a_district_is_not_a_ward(self) -> None:
        with pytest.raises(ValidationError):
            self.make_request(ward=self.district_a)


class RepeatTests(HotlineTestCase):
    def test_repeat_within_the_window_links_to_the_first(self) -> None:
        first = self.make_request()
        second = self.make_request(now=T0 + timedelta(days=2), category="medicines")
        third = self.make_request(now=T0 + timedelta(days=3))
        assert second.repeat_of == first and third.repeat_of == first
        assert set(first.repeats.all()) == {second, third}

    def test_other_phones_are_not_linked(self) -> None:
        self.make_request()
        assert self.make_request(caller_phone="0987654321").repeat_of is None
        assert self.make_request(caller_phone="", caller_address="12 Phúc Xá").repeat_of is None

    def test_after_the_window_only_an_open_request_links(self) -> None:
        first = self.make_request()
        Request.objects.filter(pk=first.pk).update(status=Status.CLOSED)
        late = self.make_request(now=T0 + timedelta(days=8))
        assert late.repeat_of is None
        assert self.make_request(now=T0 + timedelta(days=20)).repeat_of == late  # still open
        with self.settings(PHONGDICH_REQUEST_REPEAT_DAYS=30):
            Request.objects.filter(pk=late.pk).update(status=Status.CLOSED)
            assert self.make_request(now=T0 + timedelta(days=21)).repeat_of == first
