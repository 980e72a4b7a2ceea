"""Demo allowances (idempotent): the rates, entitlements for the demo teams of Phúc Xá and front-line people of
other Ba Đình wards for Dec 2021 – Jan 2022, part paid before Tết Nhâm Dần (01/02/2022), part after, part not.

Needs seed_demo first (the teams and the city admin). Running it again adds nothing: entitlements already
there are skipped, and payments are only recorded for entitlements that have none.
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from phongdich.accounts.models import User
from phongdich.accounts.roles import Role
from phongdich.areas.models import Area
from phongdich.cases.management.commands.seed_demo import DEMO_TEAMS
from phongdich.support.models import AllowanceRate, Entitlement, PaymentMethod
from phongdich.support.rate_services import rates_seed
from phongdich.support.services import AlreadyCovered, entitlement_create, entitlements_create_for_team, payment_record
from phongdich.teams.models import Team, TeamKind

TODAY = date(2022, 3, 31)  # the demo's "today": every period has ended, every payment date has passed
# Team kind → (rate code, periods).
TEAM_PERIODS = {
    TeamKind.HOME_CARE: ("hn-home-care-team-150k", [(date(2021, 12, 1), date(2021, 12, 31)),
                                                    (date(2022, 1, 1), date(2022, 1, 25))]),
    TeamKind.COMMUNITY: ("hn-community-team-month", [(date(2021, 12, 1), date(2021, 12, 31)),
                                                     (date(2022, 1, 1), date(2022, 1, 31))]),
    TeamKind.MOBILE_STATION: ("nq37-nq16-direct-care-300k", [(date(2021, 12, 15), date(2022, 1, 14))]),
}  # fmt: skip
# (ward code, full name, phone, unit, rate code, start, end)
FRONTLINE = [
    (
        "00004",
        "Trần Minh Đức",
        "0912345001",
        "Công an phường, chốt Trúc Bạch",
        "hn-01-2020-participant-150k",
        date(2021, 12, 20),
        date(2022, 1, 20),
    ),
    (
        "00004",
        "Lê Thị Thu Hà",
        "0912345002",
        "Cán bộ UBND phường",
        "hn-01-2020-participant-150k",
        date(2022, 1, 3),
        date(2022, 1, 28),
    ),
    (
        "00006",
        "Phạm Văn Nam",
        "0912345003",
        "Chốt kiểm soát ngõ 24 Vĩnh Phúc",
        "hn-01-2020-checkpoint-meal-80k",
        date(2022, 1, 5),
        date(2022, 1, 30),
    ),
    (
        "00006",
        "Nguyễn Thị Mai",
        "0912345004",
        "Tình nguyện viên đoàn phường",
        "hn-01-2020-participant-150k",
        date(2022, 1, 10),
        date(2022, 2, 10),
    ),
    (
        "00007",
        "Đỗ Quang Huy",
        "0912345005",
        "Dân quân tự vệ phường",
        "hn-01-2020-checkpoint-meal-80k",
        date(2021, 12, 1),
        date(2021, 12, 31),
    ),
    (
        "00008",
        "Vũ Thị Hồng",
        "0912345006",
        "Cán bộ y tế phường",
        "hn-01-2020-participant-150k",
        date(2022, 1, 1),
        date(2022, 1, 31),
    ),
]
# Payments by position in the list of new entitlements: (share paid, day). None = not paid yet.
PLAN = [(1.0, date(2022, 1, 26)), (0.5, date(2022, 1, 28)), (1.0, date(2022, 2, 15)), None]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu chi trả hỗ trợ lực lượng phòng, chống dịch (chạy lại không tạo trùng)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, existing = rates_seed()
        self.stdout.write(f"Mức hỗ trợ: {created} thêm mới, {existing} đã có.")
        actor = User.objects.filter(username="admin").first() or User.objects.filter(role=Role.CITY_ADMIN).first()
        if actor is None:
            raise CommandError("Chưa có tài khoản quản trị thành phố: chạy manage.py seed_demo trước.")
        rates = {r.code: r for r in AllowanceRate.objects.all()}
        with transaction.atomic():
            entitlements = self.team_entitlements(actor, rates) + self.frontline(actor, rates)
            paid = self.payments(actor, entitlements)
        self.stdout.write(f"Khoản được hưởng mới: {len(entitlements)}; lần chi trả mới: {paid}.")

    def team_entitlements(self, actor: User, rates: dict[str, AllowanceRate]) -> list[Entitlement]:
        made: list[Entitlement] = []
        names = [name for _kind, name, _members in DEMO_TEAMS]
        for team in Team.objects.filter(ward__code="00001", name__in=names).order_by("id"):
            code, periods = TEAM_PERIODS[team.kind]
            for start_on, end_on in periods:
                result = entitlements_create_for_team(
                    actor=actor, team=team, rate=rates[code], start_on=start_on, end_on=end_on, today=TODAY
                )
                made.extend(result.created)
        return made

    def frontline(self, actor: User, rates: dict[str, AllowanceRate]) -> list[Entitlement]:
        wards = {a.code: a for a in Area.objects.filter(code__in={row[0] for row in FRONTLINE})}
        made: list[Entitlement] = []
        for code, name, phone, unit, rate, start_on, end_on in FRONTLINE:
            try:
                made.append(entitlement_create(
                    actor=actor, rate=rates[rate], ward=wards[code], full_name=name, phone=phone, unit_name=unit,
                    start_on=start_on, end_on=end_on, today=TODAY,
                ))  # fmt: skip
            except AlreadyCovered:
                continue
        return made

    def payments(self, actor: User, entitlements: list[Entitlement]) -> int:
        count = 0
        for i, entitlement in enumerate(entitlements):
            plan = PLAN[i % len(PLAN)]
            if plan is None or entitlement.payments.exists():
                continue
            share, day = plan
            amount = round(entitlement.amount * share / 1000) * 1000 if share < 1 else entitlement.amount
            payment_record(
                actor=actor, entitlement=entitlement, amount=amount, paid_on=max(day, entitlement.start_on),
                voucher=f"PC-{day:%Y%m}-{entitlement.pk:04d}", method=PaymentMethod.CASH if i % 2 else PaymentMethod.BANK,
                today=TODAY,
            )  # fmt: skip
            count += 1
        return count
