"""Load demo citizen requests (idempotent): ~40 across the categories and wards of Quận Ba Đình, taken through the
real services over the last two days, some answered in time, some late, some still open and overdue.

Codes come from a seeded random and each request has external_ref "seed-hotline-<n>", so a re-run adds nothing.
Runs after `seed_demo` (it needs the demo users "tongdai" and "phuong.phucxa").
"""

import random
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.hotline.models import Channel, Request, RequestCategory, Status
from phongdich.hotline.services import categories_load, request_create, request_transition, requests_escalate

DISTRICT = "001"  # Quận Ba Đình
MESSAGES = {
    "emergency": "Bố tôi F0 ngày thứ 5, SpO2 còn 93%, thở gấp, xin hướng dẫn gấp.",
    "medical_advice": "Con tôi 6 tuổi test nhanh dương tính, sốt 38,5 độ, cho uống hạ sốt thế nào?",
    "medicines": "Nhà có 3 F0 chưa nhận được túi thuốc A, nhờ trạm y tế kiểm tra.",
    "food": "Gia đình cách ly 7 ngày, hết gạo và thực phẩm, xin hỗ trợ.",
    "social_support": "Tôi mất việc do dịch, hỏi thủ tục nhận gói hỗ trợ theo Nghị quyết 68.",
    "paperwork": "Đã khỏi bệnh 3 ngày, xin giấy xác nhận hoàn thành cách ly để làm BHXH.",
    "violation": "Quán cà phê đầu ngõ vẫn cho khách ngồi tụ tập đông sau 21 giờ.",
    "other": "Xin hỏi lịch tiêm mũi nhắc lại cho người trên 50 tuổi ở phường.",
}
STREETS = [
    "ngõ 12 Phúc Xá",
    "số 5 Hàng Bún",
    "ngõ 34 Đội Cấn",
    "số 8 Nguyễn Thái Học",
    "ngõ 2 Giảng Võ",
    "số 17 Kim Mã",
]


class Command(BaseCommand):
    help = "Nạp khoảng 40 yêu cầu mẫu của người dân ở quận Ba Đình (chạy lại không tạo trùng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=40)

    def handle(self, *args: Any, **options: Any) -> None:
        categories_load()
        operator = User.objects.filter(username="tongdai").first()
        officer = User.objects.filter(username="phuong.phucxa").first()
        if operator is None or officer is None:
            raise CommandError("Cần chạy seed_demo trước (tài khoản tongdai, phuong.phucxa).")
        wards = list(Area.objects.filter(parent__code=DISTRICT).select_related("parent").order_by("code"))
        categories = list(RequestCategory.objects.filter(active=True).order_by("ordering"))
        rnd = random.Random(2022)
        now = timezone.now()
        created = 0
        for n in range(options["count"]):
            category = categories[n % len(categories)]
            ward = officer.area if n % 4 == 0 else rnd.choice(wards)
            received = now - timedelta(minutes=rnd.randint(10, 48 * 60))
            phone = f"09{rnd.randint(10_000_000, 99_999_999)}"
            street = rnd.choice(STREETS)
            outcome = rnd.random()
            ref = f"seed-hotline-{n}"
            if Request.objects.filter(external_ref=ref).exists():
                continue
            item = request_create(
                actor=operator, category=category, channel=rnd.choice(Channel.values), rng=rnd,
                message=MESSAGES.get(category.code, MESSAGES["other"]), caller_phone=phone,
                caller_name=f"Người dân {n + 1}", caller_address=f"{street}, {ward.name}, {ward.parent.name}",
                ward=ward, external_ref=ref, now=received,
            )  # fmt: skip
            created += 1
            self._progress(item, officer=officer if ward.pk == officer.area_id else operator, outcome=outcome, now=now)
        escalated = requests_escalate(now=now)
        self.stdout.write(f"Đã tạo {created} yêu cầu mẫu; {escalated} yêu cầu quá hạn được chuyển lên quận.")

    def _progress(self, item: Request, *, officer: User, outcome: float, now: Any) -> None:
        """About half answered (most in time), a few closed or transferred, the rest left open."""
        deadline = item.due_at - item.created_at
        if outcome < 0.35:
            at = min(item.created_at + deadline * 0.5, now)
        elif outcome < 0.5:
            at = item.created_at + deadline * 1.5
            if at > now:
                return
        elif outcome < 0.58 and item.category.code in ("social_support", "emergency"):
            target = "Sở LĐ-TB&XH" if item.category.code == "social_support" else "115"
            request_transition(actor=officer, item=item, to_status=Status.TRANSFERRED, version=item.version,
                               transferred_to=target, now=min(item.created_at + deadline * 0.3, now))  # fmt: skip
            return
        else:
            if outcome < 0.75:
                request_transition(actor=officer, item=item, to_status=Status.IN_PROGRESS, version=item.version,
                                   now=min(item.created_at + deadline * 0.2, now))  # fmt: skip
            return
        item = request_transition(
            actor=officer, item=item, to_status=Status.ANSWERED, version=item.version, now=at,
            answer="Trạm y tế đã gọi lại, hướng dẫn và hẹn hỗ trợ trong ngày.",
        )  # fmt: skip
        if outcome < 0.2:
            request_transition(actor=officer, item=item, to_status=Status.CLOSED, version=item.version, now=at)
