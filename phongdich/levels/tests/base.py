"""A small fixed city for the levels tests: three wards with populations, cases, coverage, beds and teams."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

from phongdich.areas.models import Area, Level
from phongdich.care.models import Facility
from phongdich.reports.models import WardDay
from phongdich.teams.models import Team, TeamKind
from phongdich.testing import PhongdichTestCase
from phongdich.vaccination.models import CoverageTally, PopulationByAge

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def frozen(day: date):  # type: ignore[no-untyped-def]
    """Freeze the clock at 10:00 the day after `day` (the weekly run after the cut-off)."""
    return mock.patch(
        "django.utils.timezone.now", return_value=datetime(day.year, day.month, day.day + 1, 10, tzinfo=HANOI)
    )


class LevelsTestCase(PhongdichTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Area.objects.filter(code__in=["00001"]).update(population=10000)
        Area.objects.filter(code__in=["00004"]).update(population=20000)
        Area.objects.filter(code__in=["00037"]).update(population=40000)
        for area in (cls.ward_a1, cls.ward_a2, cls.ward_b1):
            area.refresh_from_db()
        cls.city_areas = (
            Area.objects.filter(level__in=[Level.DISTRICT, Level.WARD])
            .filter(parent__in=Area.objects.filter(pk=cls.province.pk) | Area.objects.filter(parent=cls.province))
            .count()
            + 1
        )
        # Coverage at the end of 2021 (ages = 2021 − birth year): denominators 1,000 / 500 / 100 in each ward.
        for ward, statuses in (
            (cls.ward_a1, {1990: {"primary": 800, "unvaccinated": 200}, 1960: {"primary": 500}, 1950: {"primary": 100}}),
            (cls.ward_a2, {1990: {"partial": 600, "unvaccinated": 400}, 1960: {"primary": 350, "partial": 150},
                           1950: {"primary": 50, "unvaccinated": 50}}),
            (cls.ward_b1, {1990: {"primary": 1000}, 1960: {"primary": 500}, 1950: {"primary": 100}}),
        ):  # fmt: skip
            for group, population in (("18-49", 1000), ("50-64", 500), ("65+", 100)):
                PopulationByAge.objects.create(area=ward, age_group=group, population=population,
                                               effective_from=date(2021, 6, 1))  # fmt: skip
            for birth_year, counts in statuses.items():
                for status, persons in counts.items():
                    CoverageTally.objects.create(ward=ward, birth_year=birth_year, status=status, persons=persons)
        # Beds: Ba Đình 1 free bed (3.3 per 100,000), Hoàn Kiếm 40 free and the city's only free ICU bed.
        Facility.objects.create(code="BD1", name="BV Ba Đình", tier=2, district=cls.district_a, beds=10, occupied=9)
        Facility.objects.create(code="HK1", name="BV Hoàn Kiếm", tier=3, district=cls.district_b, beds=100,
                                occupied=60, icu_beds=5, icu_occupied=4)  # fmt: skip
        Team.objects.create(ward=cls.ward_b1, kind=TeamKind.HOME_CARE, name="Tổ chăm sóc F0 Phúc Tân")
        Team.objects.create(ward=cls.ward_a1, kind=TeamKind.COMMUNITY, name="Tổ Covid cộng đồng Phúc Xá")

    @staticmethod
    def day(ward: Area, on: date, **counts: int) -> WardDay:
        return WardDay.objects.create(ward=ward, day=on, **counts)
