"""Load demo vaccination data (idempotent): denominators by age group, doses for most demo persons, Tết campaign days.

Denominators: each ward's population (seed_demo's demo populations) split by a FIXED, ILLUSTRATIVE age pyramid
(AGE_PYRAMID below, not census figures), effective 01/06/2021; plus, for the whole city, a Hà Nội-style change
of the adult denominator on 28/10/2021 (about 400,000 non-resident adults added, systems.md §A7 row 4).
Doses: a fixed-seed share of the demo persons get one, two or three doses (Dose rows in bulk, then one
person_vaccination_refresh), so coverage, due lists and campaign days have something to show.
Runs after `seed_demo`.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from phongdich.accounts.models import User
from phongdich.accounts.roles import Role
from phongdich.areas.models import Area, Level
from phongdich.areas.selectors import province
from phongdich.people.models import Person
from phongdich.vaccination.coverage import campaign_day_create, population_by_age_set
from phongdich.vaccination.models import AgeGroup, CampaignDay, Dose, DoseKind, PopulationByAge
from phongdich.vaccination.services import person_homebound_set, person_vaccination_refresh

SEED = 20211028
# Share of a ward's population in each age group (the rest, under 5, is not a denominator). Illustrative.
AGE_PYRAMID = {
    AgeGroup.CHILD_5_11: 0.10,
    AgeGroup.TEEN_12_17: 0.08,
    AgeGroup.ADULT_18_49: 0.48,
    AgeGroup.MIDDLE_50_64: 0.17,
    AgeGroup.ELDER_65: 0.09,
}
BASE_DAY = date(2021, 6, 1)
ADULT_CHANGE_DAY = date(2021, 10, 28)
ADULT_CHANGE = 400_000
ADULT_CHANGE_NOTE = (
    "Bổ sung khoảng 400.000 người từ 18 tuổi không thường trú trở lại sau giãn cách (một nửa ước tính của "
    "Công an thành phố), như Hà Nội ngày 28/10/2021"
)
DEMO_WARD = "00001"
TET_DAYS = [date(2022, 1, 31) + timedelta(days=i) for i in range(7)]  # 29 tháng Chạp – mùng 6 Tết Nhâm Dần
TET_SITES = ["Trạm y tế phường", "Trường THCS (điểm tiêm lưu động)"]
# (product, days from dose 1 to dose 2) for adults; children get their own products.
ADULT_PRODUCTS = [("astrazeneca", 56), ("pfizer", 21), ("vero_cell", 28), ("moderna", 28)]


class Command(BaseCommand):
    help = "Nạp dữ liệu tiêm chủng mẫu: mẫu số theo nhóm tuổi, mũi tiêm cho người mẫu, ngày tiêm Tết (chạy lại không tạo trùng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--share", type=float, default=0.85, help="tỷ lệ người mẫu được tiêm ít nhất 1 mũi")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(role=Role.CITY_ADMIN, area__level=Level.PROVINCE, is_active=True).first()
        if actor is None:
            raise CommandError("Cần một tài khoản quản trị thành phố (chạy seed_demo trước).")
        with transaction.atomic():
            denominators = self.load_denominators(actor)
            campaigns = self.load_campaign_days(actor)
        doses, refreshed = self.load_doses(actor=actor, share=options["share"])
        self.stdout.write(
            f"Mẫu số: {denominators} dòng mới (tháp tuổi cố định, minh hoạ; mẫu số người lớn toàn thành phố đổi "
            f"ngày {ADULT_CHANGE_DAY:%d/%m/%Y}); ngày tiêm Tết: {campaigns} mới; mũi tiêm: {doses} mới; "
            f"{refreshed} người được tính lại trạng thái."
        )

    def load_denominators(self, actor: User) -> int:
        wards = Area.objects.filter(level=Level.WARD, population__isnull=False).values_list("pk", "population")
        rows = [
            PopulationByAge(area_id=pk, age_group=group, population=round(population * share),
                            effective_from=BASE_DAY, note="Ước tính từ dân số phường theo tháp tuổi cố định (minh hoạ)")
            for pk, population in wards
            for group, share in AGE_PYRAMID.items()
        ]  # fmt: skip
        before = PopulationByAge.objects.count()
        PopulationByAge.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        city = province()
        adults = sum(r.population for r in rows if r.age_group == AgeGroup.ADULT_18_49)
        if not PopulationByAge.objects.filter(area=city, age_group=AgeGroup.ADULT_18_49).exists():
            population_by_age_set(actor=actor, area=city, age_group=AgeGroup.ADULT_18_49, population=adults,
                                  effective_from=BASE_DAY, note="Tổng các phường/xã")  # fmt: skip
            population_by_age_set(actor=actor, area=city, age_group=AgeGroup.ADULT_18_49,
                                  population=adults + ADULT_CHANGE, effective_from=ADULT_CHANGE_DAY,
                                  note=ADULT_CHANGE_NOTE)  # fmt: skip
        return PopulationByAge.objects.count() - before

    def load_campaign_days(self, actor: User) -> int:
        ward = Area.objects.filter(code=DEMO_WARD).first()
        if ward is None:
            return 0
        created = 0
        for i, day in enumerate(TET_DAYS):
            for j, site in enumerate(TET_SITES):
                if not CampaignDay.objects.filter(ward=ward, day=day, site=site).exists():
                    campaign_day_create(actor=actor, campaign="Tiêm xuyên Tết Nhâm Dần 2022", ward=ward, day=day,
                                        site=site, planned=60 - 10 * j + 5 * (i % 3))  # fmt: skip
                    created += 1
        return created

    def load_doses(self, *, actor: User, share: float) -> tuple[int, int]:
        rnd = random.Random(SEED)
        persons = list(
            Person.objects.active().filter(ward__isnull=False).order_by("pk").values_list("pk", "ward_id", "birth_year")
        )
        already = set(Dose.objects.values_list("person_id", flat=True).distinct())
        demo_ward = Area.objects.filter(code=DEMO_WARD).values_list("pk", flat=True).first()
        doses: list[Dose] = []
        for pk, ward_id, birth_year in persons:
            draw = rnd.random()  # drawn for everyone so a rerun makes the same choices
            plan = rnd.random()
            offset = rnd.randint(0, 120)
            if pk in already or birth_year is None or draw >= share:
                continue
            age = 2022 - birth_year
            if age < 5:
                continue
            first = date(2021, 7, 15) + timedelta(days=offset)
            if age < 12:
                product, gap, first = "pfizer_5_11", 21, date(2022, 4, 20) + timedelta(days=offset % 60)
            elif age < 18:
                product, gap, first = "pfizer", 21, date(2021, 11, 1) + timedelta(days=offset % 45)
            else:
                product, gap = ADULT_PRODUCTS[offset % len(ADULT_PRODUCTS)]
            planned = [(first, product, DoseKind.PRIMARY_1)]
            if plan < 0.85:
                planned.append((first + timedelta(days=gap), product, DoseKind.PRIMARY_2))
            if plan < 0.55 and age >= 18:
                booster = first + timedelta(days=gap + 100 + offset % 60)
                if ward_id == demo_ward and booster <= TET_DAYS[-1]:
                    booster = TET_DAYS[offset % len(TET_DAYS)]
                planned.append((booster, "pfizer", DoseKind.BOOSTER_1))
            site = "" if offset % 5 == 0 else TET_SITES[offset % 2] if ward_id == demo_ward else "Trạm y tế phường"
            for given_on, code, kind in planned:
                if given_on <= timezone.localdate():
                    doses.append(Dose(person_id=pk, ward_id=ward_id, given_on=given_on, product=code, kind=kind,
                                      site=site, given_by="Trạm y tế phường"))  # fmt: skip
        with transaction.atomic():
            Dose.objects.bulk_create(doses, ignore_conflicts=True, batch_size=5000)
        refreshed = person_vaccination_refresh(person_ids=[pk for pk, _w, _y in persons]) if persons else 0
        # Mobile-team demo: a few elderly people of the demo ward cannot leave home.
        elderly = [pk for pk, ward_id, year in persons if ward_id == demo_ward and year and 2022 - year >= 75][:10]
        for person in Person.objects.filter(pk__in=elderly, vaccination__homebound=False).select_related("ward"):
            person_homebound_set(actor=actor, person=person, homebound=True)
        return len(doses), refreshed
