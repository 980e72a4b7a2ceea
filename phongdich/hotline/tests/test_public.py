from datetime import timedelta
from unittest import mock

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.hotline.models import Channel, Request, Status
from phongdich.hotline.public import form_stamp, stamp_problem
from phongdich.hotline.services import request_transition
from phongdich.hotline.tests.base import T0, HotlineTestCase

FORM = reverse("hotline:public_form")
STATUS = reverse("hotline:status")


class PublicFormTests(HotlineTestCase):
    def post(self, client: Client | None = None, *, shown_ago: float = 10, **fields: object):  # type: ignore[no-untyped-def]
        data = {
            "caller_name": "Lê Thị Hoa", "caller_phone": "0912 345 678", "caller_address": "8 ngõ 2, Phúc Xá, Ba Đình",
            "ward": "", "category": self.category("food").pk, "message": "Nhà tôi 4 F0, hết gạo và rau.",
            "website": "", "stamp": form_stamp(timezone.now() - timedelta(seconds=shown_ago)), **fields,
        }  # fmt: skip
        return (client or Client()).post(FORM, data)

    def test_the_form_opens_without_an_account(self) -> None:
        response = Client().get(FORM)
        assert response.status_code == 200
        assert 'name="stamp"' in response.content.decode() and 'name="website"' in response.content.decode()

    def test_a_citizen_sends_a_request_and_gets_its_code(self) -> None:
        response = self.post()
        assert response.status_code == 200, response.content.decode()
        item = Request.objects.get()
        assert item.code in response.content.decode()
        assert (item.channel, item.created_by, item.ward, item.caller_phone) == (
            Channel.WEB,
            None,
            self.ward_a1,
            "0912345678",
        )

    def test_the_chosen_ward_wins_over_the_address(self) -> None:
        assert self.post(ward=self.ward_b1.pk, caller_address="8 Hàng Bún").status_code == 200
        assert Request.objects.get().ward == self.ward_b1

    def test_honeypot(self) -> None:
        response = self.post(website="http://spam.example")
        assert response.status_code == 400 and not Request.objects.exists()

    def test_too_fast_too_old_or_forged(self) -> None:
        response = self.post(shown_ago=1)
        assert response.status_code == 400 and "quá nhanh" in response.content.decode()
        response = self.post(shown_ago=3 * 3600)
        assert response.status_code == 400 and "quá lâu" in response.content.decode()
        response = self.post(stamp="gia-mao")
        assert response.status_code == 400 and "không hợp lệ" in response.content.decode()
        assert not Request.objects.exists()

    def test_duplicate_text(self) -> None:
        first = self.post()
        code = Request.objects.get().code
        again = self.post(message="  Nhà tôi 4 F0,   hết gạo và rau. ")  # same caller, same text: same code back
        assert again.status_code == 200 and code in again.content.decode()
        other = self.post(caller_phone="0987654321")  # same text from another phone: refused
        assert other.status_code == 400 and "vừa được gửi" in other.content.decode()
        assert Request.objects.count() == 1 and first.status_code == 200

    def test_no_contact_and_bad_phone(self) -> None:
        response = self.post(caller_phone="", caller_address="")
        assert response.status_code == 400
        assert "Cần số điện thoại hoặc địa chỉ để liên hệ lại người gửi." in response.content.decode()
        response = self.post(caller_phone="0123")
        assert response.status_code == 400 and "Số điện thoại người gửi" in response.content.decode()

    def test_message_length_limit(self) -> None:
        with self.settings(PHONGDICH_HOTLINE_MESSAGE_MAX_CHARS=50):
            response = self.post(message="gạo " * 20)
        assert response.status_code == 400 and not Request.objects.exists()

    def test_rate_limit_per_address(self) -> None:
        with self.settings(PHONGDICH_HOTLINE_FORM_RATE_PER_ADDRESS=2):
            assert self.post(message="Cần gạo lần một cho gia đình.").status_code == 200
            assert self.post(message="Cần thuốc hạ sốt cho con.").status_code == 200
            assert self.post(message="Cần rau xanh.").status_code == 429
            assert Client(REMOTE_ADDR="10.0.0.9").get(FORM).status_code == 200
        assert Request.objects.count() == 2


class StatusCheckTests(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.item = self.make_request(category="medical_advice", now=timezone.now())

    def check(self, code: str, last4: str, client: Client | None = None):  # type: ignore[no-untyped-def]
        return (client or Client()).post(STATUS, {"code": code, "phone_last4": last4})

    def test_right_code_and_digits_show_status_and_answer_only(self) -> None:
        request_transition(actor=self.doctor_a1, item=self.item, to_status=Status.ANSWERED, version=1,
                           answer="Uống nhiều nước, đo SpO2 ngày 2 lần.")  # fmt: skip
        response = self.check(self.item.code.lower(), "5678")
        page = response.content.decode()
        assert response.status_code == 200
        assert "Đã trả lời" in page and "Uống nhiều nước, đo SpO2 ngày 2 lần." in page and "Tư vấn y tế cho F0" in page
        for private in ("Trần Văn Bình", "0912345678", "ngõ 5", "hết gạo"):
            assert private not in page

    def test_wrong_code_and_wrong_digits_get_the_same_answer(self) -> None:
        wrong_code = self.check("ABCDEFGH", "5678")
        wrong_digits = self.check(self.item.code, "5679")
        assert wrong_code.status_code == wrong_digits.status_code == 404
        neutral = "Không tìm thấy yêu cầu với mã và số điện thoại này."
        assert neutral in wrong_code.content.decode() and neutral in wrong_digits.content.decode()
        for response in (wrong_code, wrong_digits):
            assert 'id="request-status"' not in response.content.decode()
            assert "Tư vấn y tế cho F0" not in response.content.decode()

    def test_request_without_phone_cannot_be_checked(self) -> None:
        item = self.make_request(caller_phone="", now=timezone.now())
        assert self.check(item.code, "0000").status_code == 404

    def test_rate_limited(self) -> None:
        with self.settings(PHONGDICH_HOTLINE_STATUS_RATE_PER_ADDRESS=3):
            for _i in range(3):
                assert self.check("ABCDEFGH", "1234").status_code == 404
            assert self.check(self.item.code, "5678").status_code == 429

    def test_page_opens_without_account(self) -> None:
        assert Client().get(STATUS).status_code == 200


class FrozenClockTests(HotlineTestCase):
    def test_the_stamp_check_follows_the_clock(self) -> None:
        stamp = form_stamp(T0)
        with mock.patch("django.utils.timezone.now", return_value=T0 + timedelta(seconds=2)):
            assert "quá nhanh" in stamp_problem(stamp)
        with mock.patch("django.utils.timezone.now", return_value=T0 + timedelta(seconds=4)):
            assert stamp_problem(stamp) == ""
