"""Load a small demo city (idempotent): ward populations, one user per role, teams, and F0 lists.

The F0 are synthetic (bench/synthetic.py, fixed seed, dated like Hà Nội's Jan–Mar 2022 wave)
and go through the real import engine, so running this again creates nothing new.
"""

import csv
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

import phongdich.cases.importer  # noqa: F401  registers the "cases" importer
from bench.synthetic import write_case_xlsx
from phongdich.accounts.models import User
from phongdich.accounts.roles import Role
from phongdich.accounts.services import user_create
from phongdich.areas.models import Area
from phongdich.areas.services import DATA_DIR
from phongdich.imports.engine import import_job_run
from phongdich.imports.services import import_job_create
from phongdich.teams.models import Team, TeamKind, TeamMember

DEMO_PASSWORD = "phongdich-demo"  # noqa: S105  printed for the demo; never used outside it

# (username, role, area code, full name)
DEMO_USERS = [
    ("bcd", Role.STEERING, "01", "Trần Văn Chỉ Đạo"),
    ("admin", Role.CITY_ADMIN, "01", "Lê Thị Quản Trị"),
    ("lanhdao", Role.LEADER, "01", "Phạm Văn Lãnh Đạo"),
    ("tongdai", Role.HOTLINE, "01", "Ngô Thị Tổng Đài"),
    ("quan.badinh", Role.DISTRICT_OFFICER, "001", "Đỗ Văn Quận"),
    ("phuong.phucxa", Role.WARD_OFFICER, "00001", "Nguyễn Thị Phường"),
    ("to.phucxa", Role.TEAM_MEMBER, "00001", "Vũ Văn Tổ"),
    ("bacsi.phucxa", Role.DOCTOR, "00001", "Bùi Thị Bác Sĩ"),
]
DEMO_TEAMS = [
    (TeamKind.HOME_CARE, "Tổ hỗ trợ F0 tại nhà số 1", [("Hoàng Văn Hải", "0912000101", "Tổ trưởng")]),
    (TeamKind.COMMUNITY, "Tổ Covid cộng đồng tổ dân phố 5", [("Đặng Thị Lan", "0983000202", "Tổ trưởng")]),
    (TeamKind.MOBILE_STATION, "Trạm y tế lưu động Phúc Xá", [("Bác sĩ Lý Minh", "0904000303", "Trưởng trạm")]),
]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của một thành phố nhỏ (chạy lại không tạo trùng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=3000, help="số F0 mẫu trên toàn thành phố")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            self.load_populations()
            users = self.load_users()
            self.load_teams()
        self.load_cases(admin=users["admin"], count=options["cases"])

    def load_populations(self) -> None:
        with (DATA_DIR / "demo_population_hanoi.csv").open(encoding="utf-8") as f:
            populations = {row["ward_code"]: int(row["population"]) for row in csv.DictReader(f)}
        wards = list(Area.objects.filter(code__in=populations, population__isnull=True))
        for ward in wards:
            ward.population = populations[ward.code]
        Area.objects.bulk_update(wards, ["population"])

    def load_users(self) -> dict[str, User]:
        users = {}
        for username, role, code, full_name in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username, password=DEMO_PASSWORD, role=role, area=Area.objects.get(code=code),
                    full_name=full_name,
                )  # fmt: skip
            users[username] = user
        return users

    def load_teams(self) -> None:
        ward = Area.objects.get(code="00001")
        for kind, name, members in DEMO_TEAMS:
            team, created = Team.objects.get_or_create(ward=ward, name=name, defaults={"kind": kind})
            if created:
                TeamMember.objects.bulk_create(
                    TeamMember(team=team, full_name=n, phone=p, position=pos) for n, p, pos in members
                )

    def load_cases(self, *, admin: User, count: int) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "danh-sach-f0-mau.xlsx"
            write_case_xlsx(path, rows=count, seed=2022, messy=True)
            with path.open("rb") as f:
                job = import_job_create(actor=admin, file=f, name=path.name, enqueue=False)
            job = import_job_run(job=job)
        self.stdout.write(
            f"F0 mẫu: {job.total_rows} dòng, {job.created} tạo mới, {job.matched_existing} đã có, "
            f"{job.rejected} bị từ chối, {job.doubtful} cần xem lại"
        )
