from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from phongdich.audit.models import AuditLog
from phongdich.hotline.models import Request, RequestCategory, Status
from phongdich.hotline.services import request_transition
from phongdich.hotline.tests.base import HotlineTestCase

QUEUE = reverse("hotline:queue")
INTAKE = reverse("hotline:intake")
CATEGORIES = reverse("hotline:categories")


class PermissionMatrixTests(HotlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.item = self.make_request(now=timezone.now())

    def test_queue_and_detail(self) -> None:
        detail = reverse("hotline:detail", args=[self.item.pk])
        handlers = [self.city_admin, self.hotline, self.district_officer_a, self.ward_officer_a1, self.team_member_a1,
                    self.doctor_a1]  # fmt: skip
        self.assert_allowed(QUEUE, handlers)
        self.assert_allowed(detail, handlers)
        self.assert_status(QUEUE, [self.steering, self.leader], 403)
        self.assert_not_found(detail, self.not_seeing_ward_a1)
        self.assert_login_required(QUEUE)

    def test_intake_import_categories(self) -> None:
        takers = [self.city_admin, self.hotline, self.district_officer_a, self.ward_officer_a1]
        for url in (INTAKE, reverse("hotline:import")):
            self.assert_allowed(url, takers)
            self.assert_status(url, [self.team_member_a1, self.doctor_a1, self.leader], 403)
        self.assert_allowed(CATEGORIES, [self.city_admin])
        self.assert_status(CATEGORIES, [self.hotline, self.district_officer_a, self.ward_officer_a1], 403)

    def test_actions_outside_the_area_are_not_found(self) -> None:
        url = reverse("hotline:act", args=[self.item.pk])
        for user in self.not_seeing_ward_a1:
            response = self.client_for(user).post(url, {"action": "start", "version": 1})
            assert response.status_code == 404, user.username
        assert self.client_for(self.leader).post(url, {"action": "start", "version": 1}).status_code == 403
        assert Request.objects.get(pk=self.item.pk).status == Status.NEW


class QueueTests(HotlineTestCase):
    def test_ward_queue_by_due_time_overdue_first_in_red(self) -> None:
        now = timezone.now()
        later = self.make_request(category="food", now=now - timedelta(hours=1))
        overdue = self.make_request(category="medicines", now=now - timedelta(hours=3), caller_phone="0987654321")
        soon = self.make_request(category="emergency", now=now - timedelta(minutes=5), caller_phone="0977654321")
        self.make_request(category="food", ward=self.ward_a2, caller_phone="0967654321")
        page = self.client_for(self.ward_officer_a1).get(QUEUE)
        rows = list(page.context["page"])
        assert rows == [overdue, soon, later]
        assert rows[0].overdue and rows[0].time_left.startswith("quá hạn 1 giờ")
        assert rows[1].time_left.startswith("còn 9 phút") or rows[1].time_left.startswith("còn 10 phút")
        html = page.content.decode()
        assert html.index(overdue.code) < html.index(soon.code) < html.index(later.code)
        assert f'class="hl-overdue" data-code="{overdue.code}"' in html
        counts = page.context["counts"]
        assert (counts.open, counts.overdue) == (3, 1)

    def test_owner_decides_whose_queue(self) -> None:
        advice = self.make_request(category="medical_advice")
        food = self.make_request(category="food", caller_phone="0987654321")
        assert list(self.client_for(self.doctor_a1).get(QUEUE).context["page"]) == [advice]
        assert list(self.client_for(self.ward_officer_a1).get(QUEUE).context["page"]) == [food]
        everything = self.client_for(self.ward_officer_a1).get(QUEUE, {"all_categories": "on"}).context["page"]
        assert set(everything) == {advice, food}
        assert set(self.client_for(self.hotline).get(QUEUE).context["page"]) == {advice, food}
        assert set(self.client_for(self.district_officer_a).get(QUEUE).context["page"]) == {advice, food}
        assert list(self.client_for(self.district_officer_b).get(QUEUE).context["page"]) == []

    def test_overdue_tab_done_tab_and_filters(self) -> None:
        now = timezone.now()
        old = self.make_request(category="emergency", now=now - timedelta(hours=1))
        fresh = self.make_request(category="food", now=now, caller_phone="0987654321")
        done = self.make_request(category="food", now=now, caller_phone="0977654321", channel="zalo")
        request_transition(
            actor=self.ward_officer_a1, item=done, to_status=Status.ANSWERED, version=1, answer="Đã hỗ trợ."
        )
        client = self.client_for(self.district_officer_a)
        assert list(client.get(QUEUE, {"tab": "overdue"}).context["page"]) == [old]
        assert list(client.get(QUEUE, {"tab": "done"}).context["page"]) == [done]
        assert list(client.get(QUEUE, {"category": self.category("food").pk}).context["page"]) == [fresh]
        assert list(client.get(QUEUE, {"tab": "done", "channel": "phone"}).context["page"]) == []
        assert list(client.get(QUEUE, {"ward": self.ward_a2.pk}).context["page"]) == []
        counts = client.get(QUEUE).context["counts"]
        assert (counts.answered_today, counts.answered_in_time_today) == (1, 1)

    def test_city_queue_query_count(self) -> None:
        for i in range(5):
            self.make_request(caller_phone=f"09876543{i:02d}", ward=[self.ward_a1, self.ward_b1][i % 2])
        client = self.client_for(self.hotline)
        # Session, user, categories, districts of the filter, the page and its count, the header counts; none per row.
        with self.assertNumQueries(12):
            response = client.get(QUEUE)
        assert len(response.context["page"]) == 5
        for i in range(5):
            self.make_request(caller_phone=f"09776543{i:02d}", ward=self.ward_a2)
        with self.assertNumQueries(12):
            assert len(client.get(QUEUE).context["page"]) == 10
        # A district reads through the literal list of its wards (queue, header) and lists them in the filter.
        district = self.client_for(self.district_officer_a)
        with self.assertNumQueries(14):
            assert len(district.get(QUEUE).context["page"]) == 8


class DetailActionTests(HotlineTestCase):
    def test_officer_answers_from_the_detail_page(self) -> None:
        item = self.make_request(now=timezone.now())
        client = self.client_for(self.ward_officer_a1)
        page = client.get(reverse("hotline:detail", args=[item.pk])).content.decode()
        assert 'id="action-answer"' in page and 'id="action-close"' not in page
        url = reverse("hotline:act", args=[item.pk])
        response = client.post(url, {"action": "answer", "version": 1, "answer": "Tổ sẽ mang gạo tới trong chiều nay."})
        assert response.status_code == 302
        page = client.get(reverse("hotline:detail", args=[item.pk])).content.decode()
        assert "Trả lời đúng hạn" in page and "Tổ sẽ mang gạo tới trong chiều nay." in page
        stale = client.post(url, {"action": "close", "version": 1}, follow=True).content.decode()
        assert "vừa được người khác cập nhật" in stale

    def test_assign_to_a_user_of_the_ward(self) -> None:
        item = self.make_request(now=timezone.now())
        client = self.client_for(self.ward_officer_a1)
        url = reverse("hotline:act", args=[item.pk])
        client.post(url, {"action": "assign", "version": 1, "assigned_to": self.ward_officer_b1.pk})
        assert Request.objects.get(pk=item.pk).assigned_to is None  # not a choice: refused by the form
        client.post(url, {"action": "assign", "version": 1, "assigned_to": self.team_member_a1.pk})
        assert Request.objects.get(pk=item.pk).assigned_to == self.team_member_a1

    def test_repeats_are_shown_together(self) -> None:
        first = self.make_request(now=timezone.now() - timedelta(days=1))
        second = self.make_request(now=timezone.now(), category="medicines")
        page = self.client_for(self.ward_officer_a1).get(reverse("hotline:detail", args=[second.pk])).content.decode()
        assert first.code in page and "hỏi lại" in page


class IntakeTests(HotlineTestCase):
    def test_operator_takes_a_call_routed_from_the_address(self) -> None:
        data = {"caller_phone": "0912 345 678", "caller_name": "Ngô Văn Hải", "caller_address": "15 ngõ 3, Phúc Xá, Ba Đình",
                "ward": "", "category": self.category("medical_advice").pk, "channel": "phone",
                "message": "F0 ngày 3, sốt 38,5, hỏi cách dùng thuốc hạ sốt."}  # fmt: skip
        response = self.client_for(self.hotline).post(INTAKE, data)
        item = Request.objects.get()
        html = response.content.decode()
        assert response.status_code == 200 and item.code in html and "Phường Phúc Xá" in html
        assert (item.ward, item.created_by, item.caller_phone) == (self.ward_a1, self.hotline, "0912345678")

    def test_errors_are_shown_on_the_fields(self) -> None:
        data = {"caller_phone": "", "caller_address": "", "category": self.category("food").pk, "channel": "phone",
                "message": "Cần gạo"}  # fmt: skip
        response = self.client_for(self.hotline).post(INTAKE, data)
        assert "Cần số điện thoại hoặc địa chỉ để liên hệ lại người gửi." in response.content.decode()
        data.update(caller_address="Số 1 phố Không Có")
        assert "Hãy chọn phường/xã" in self.client_for(self.hotline).post(INTAKE, data).content.decode()
        assert not Request.objects.exists()

    def test_caller_panel_shows_earlier_requests_and_f0_in_scope(self) -> None:
        earlier = self.make_request()
        case = self.create_case(person=self.create_person(full_name="Phan Thị Mai", phone="0912345678"))
        url = reverse("hotline:caller")
        html = self.client_for(self.hotline).get(url, {"caller_phone": "+84912345678"}).content.decode()
        assert earlier.code in html and case.code in html and "Phan Thị Mai" in html
        for user in (self.ward_officer_b1, self.district_officer_b, self.ward_officer_a2):
            html = self.client_for(user).get(url, {"caller_phone": "0912345678"}).content.decode()
            assert earlier.code not in html and "Phan Thị Mai" not in html and "chưa gọi lần nào" in html
        assert self.client_for(self.doctor_a1).get(url, {"caller_phone": "0912345678"}).status_code == 403
        html = self.client_for(self.hotline).get(url, {"caller_phone": "123"}).content.decode()
        assert "không hợp lệ" in html

    def test_route_panel_selects_the_ward(self) -> None:
        html = (
            self.client_for(self.hotline)
            .get(reverse("hotline:route"), {"caller_address": "8 Hàng Bún, P. Trúc Bạch"})
            .content.decode()
        )
        assert f'value="{self.ward_a2.pk}" selected' in html and "Theo địa chỉ: Phường Trúc Bạch" in html
        html = (
            self.client_for(self.ward_officer_a1)
            .get(reverse("hotline:route"), {"caller_address": "P. Phúc Tân"})
            .content.decode()
        )
        assert "ngoài địa bàn" in html


class CategoriesPageTests(HotlineTestCase):
    def test_city_admin_changes_a_deadline_audited(self) -> None:
        food = self.category("food")
        prefix = f"c{food.pk}"
        data = {
            "category": food.pk,
            f"{prefix}-name": food.name,
            f"{prefix}-deadline_minutes": 720,
            f"{prefix}-active": "on",
        }
        response = self.client_for(self.city_admin).post(CATEGORIES, data)
        assert response.status_code == 302
        assert RequestCategory.objects.get(pk=food.pk).deadline_minutes == 720
        assert AuditLog.objects.get(target_type="request_category").changes == {"deadline_minutes": [1440, 720]}
        data[f"{prefix}-deadline_minutes"] = 0
        assert self.client_for(self.city_admin).post(CATEGORIES, data).status_code == 200
        assert self.client_for(self.hotline).post(CATEGORIES, data).status_code == 403
        assert RequestCategory.objects.get(pk=food.pk).deadline_minutes == 720
