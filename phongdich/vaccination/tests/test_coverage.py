"""Coverage by area and age group against hand-computed figures: denominators by date (and their change),
age bands by birth year at the reference date, the 18+ and 50+ totals, the weekly trend, scoping, pages."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from phongdich.areas.models import Area
from phongdich.audit.models import AuditLog, Event
from phongdich.testing import PhongdichTestCase
from phongdich.vaccination.coverage import (
    TOTAL_18,
    TOTAL_50,
    coverage_criterion,
    coverage_table,
    coverage_trend,
    denominators,
    population_by_age_set,
)
from phongdich.vaccination.models import PersonVaccination, PopulationByAge
from phongdich.vaccination.models import VaccinationStatus as S
from phongdich.vaccination.services import coverage_tallies_rebuild

ON = date(2022, 3, 1)
CHANGE = date(2021, 10, 28)
COVERAGE = reverse("vaccination:coverage")
POPULATION = reverse("vaccination:population")


def summary(person, *, status=S.UNVACCINATED, first=None, primary=None, last=None, **extra) -> PersonVaccination:
    return PersonVaccination.objects.create(
        person=person, ward=person.ward, birth_year=person.birth_year, status=status, first_dose_on=first,
        primary_complete_on=primary, last_dose_on=last or primary or first, doses=0 if first is None else 1, **extra,
    )  # fmt: skip


class CoverageData(PhongdichTestCase):
    """Ten people in three wards (two districts) and denominators with one mid-campaign change."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()

        def person(name: str, birth_year: int, ward: Area | None = None, **kw: object) -> PersonVaccination:
            p = cls.create_person(cls, full_name=name, birth_year=birth_year, ward=ward or cls.ward_a1)
            return summary(p, **kw)

        person("Trẻ Mười", 2012, status=S.PARTIAL, first=date(2022, 2, 10))
        person("Thiếu Niên", 2005, status=S.PRIMARY_COMPLETE, first=date(2021, 11, 1), primary=date(2021, 11, 22))
        # 18 in 2022 but 17 in 2021: changes band with the reference date.
        person("Mười Tám", 2004, status=S.BOOSTED, first=date(2021, 8, 1), primary=date(2021, 10, 1),
               last=date(2022, 2, 15))  # fmt: skip
        person("Chưa Tiêm", 1973, next_due_on=date(2021, 8, 1))
        # 50 in 2022, 49 in 2021.
        person("Năm Mươi", 1972, status=S.PRIMARY_COMPLETE, first=date(2021, 9, 1), primary=date(2021, 10, 15))
        person("Sáu Lăm", 1957, status=S.BOOSTED, first=date(2021, 7, 1), primary=date(2021, 8, 1),
               last=date(2022, 1, 10))  # fmt: skip
        person("Sáu Tư", 1958, status=S.PARTIAL, first=date(2022, 3, 5))  # after ON
        person("Bốn Tuổi", 2018, status=S.PARTIAL, first=date(2022, 2, 1))  # under 5: no band
        person("Trúc Bạch", 1980, cls.ward_a2, status=S.PRIMARY_COMPLETE, first=date(2021, 9, 1),
               primary=date(2021, 10, 1))  # fmt: skip
        person("Phúc Tân", 1980, cls.ward_b1, status=S.PRIMARY_COMPLETE, first=date(2021, 12, 1),
               primary=date(2022, 2, 20))  # fmt: skip

        def denom(area: Area, group: str, population: int, on: date = date(2021, 6, 1), note: str = "") -> None:
            PopulationByAge.objects.create(area=area, age_group=group, population=population, effective_from=on,
                                           note=note)  # fmt: skip

        denom(cls.ward_a1, "5-11", 5)
        denom(cls.ward_a1, "12-17", 4)
        denom(cls.ward_a1, "18-49", 10)
        denom(cls.ward_a1, "18-49", 20, CHANGE, "Thêm người lao động ngoại tỉnh trở lại")
        denom(cls.ward_a1, "50-64", 4)
        denom(cls.ward_a1, "65+", 2)
        denom(cls.ward_a2, "18-49", 8)
        denom(cls.district_a, "65+", 100)  # the district's own row wins over the sum of its wards
        coverage_tallies_rebuild()  # the summaries above were written directly, as a bulk load would

    def row(self, table, area: Area):
        return next(r for r in table.rows if r.area.pk == area.pk)


class CoverageTableTest(CoverageData):
    def test_city_by_district_hand_computed(self) -> None:
        table = coverage_table(user=self.city_admin, on=ON)
        assert table.scope.pk == self.province.pk
        assert {r.area.level for r in table.rows} == {2}
        a = self.row(table, self.district_a).cells
        wards_in_a = Area.objects.filter(parent=self.district_a).count()
        assert (a["5-11"].counts.vaccinated, a["5-11"].counts.primary, a["5-11"].population) == (1, 0, 5)
        assert a["5-11"].denominator.wards_missing == wards_in_a - 1
        assert (a["12-17"].counts.vaccinated, a["12-17"].counts.primary, a["12-17"].population) == (1, 1, 4)
        # 18–49: Mười Tám (boosted, last dose 15/02 ≤ ON) and Trúc Bạch; Chưa Tiêm is not counted.
        c = a["18-49"]
        assert (c.counts.vaccinated, c.counts.primary, c.counts.boosted) == (2, 2, 1)
        assert c.population == 28  # 20 (Phúc Xá after the change) + 8 (Trúc Bạch)
        assert c.denominator.effective_from == CHANGE
        assert c.pct_vaccinated == 7.1
        # 50–64: Năm Mươi; Sáu Tư's first dose is after ON.
        assert (a["50-64"].counts.vaccinated, a["50-64"].counts.primary, a["50-64"].population) == (1, 1, 4)
        assert (a["65+"].counts.vaccinated, a["65+"].counts.boosted, a["65+"].population) == (1, 1, 100)
        assert (a[TOTAL_18].counts.vaccinated, a[TOTAL_18].counts.primary, a[TOTAL_18].counts.boosted) == (4, 4, 2)
        assert a[TOTAL_18].population == 132
        assert a[TOTAL_18].pct_vaccinated == 3.0
        assert (a[TOTAL_50].counts.vaccinated, a[TOTAL_50].counts.primary, a[TOTAL_50].population) == (2, 2, 104)
        assert a[TOTAL_50].pct_primary == 1.9
        b = self.row(table, self.district_b).cells
        assert (b["18-49"].counts.vaccinated, b["18-49"].counts.primary) == (1, 1)  # primary complete 20/02 ≤ ON
        assert b["18-49"].population is None and b["18-49"].pct_vaccinated is None
        total = table.total.cells
        assert total[TOTAL_18].counts.vaccinated == 5
        assert total["5-11"].counts.vaccinated == 1  # the four-year-old is in no band

    def test_primary_complete_counted_by_date(self) -> None:
        table = coverage_table(user=self.city_admin, on=date(2022, 2, 19))
        assert self.row(table, self.district_b).cells["18-49"].counts.primary == 0

    def test_denominator_before_and_after_the_change_and_bands_by_reference_year(self) -> None:
        before = self.row(coverage_table(user=self.district_officer_a, on=date(2021, 10, 27)), self.ward_a1).cells
        # In 2021 Năm Mươi (1972) is 49 and Mười Tám (2004) is 17.
        assert (before["18-49"].counts.vaccinated, before["18-49"].population) == (1, 10)
        assert before["18-49"].pct_vaccinated == 10.0
        assert before["18-49"].denominator.previous is None
        # Thiếu Niên's first dose (01/11) is after the date; Sáu Lăm (1957) is 64 in 2021.
        assert before["12-17"].counts.vaccinated == 1
        assert (before["50-64"].counts.vaccinated, before["65+"].counts.vaccinated) == (1, 0)
        after = self.row(coverage_table(user=self.district_officer_a, on=ON), self.ward_a1).cells
        assert (after["18-49"].counts.vaccinated, after["18-49"].population) == (1, 20)
        assert after["18-49"].pct_vaccinated == 5.0
        assert after["18-49"].denominator.previous == 10
        assert after["18-49"].denominator.note == "Thêm người lao động ngoại tỉnh trở lại"
        assert after[TOTAL_18].denominator.previous == 16  # 10 + 4 + 2 before the change
        assert after[TOTAL_18].population == 26

    def test_district_rows_are_its_wards_and_ward_user_one_row(self) -> None:
        table = coverage_table(user=self.district_officer_a, on=ON)
        assert [r.area.pk for r in table.rows] == list(
            Area.objects.filter(parent=self.district_a).order_by("code").values_list("pk", flat=True)
        )
        assert self.row(table, self.ward_a2).cells["18-49"].counts.vaccinated == 1
        mine = coverage_table(user=self.ward_officer_a1, on=ON)
        assert [r.area.pk for r in mine.rows] == [self.ward_a1.pk]
        assert mine.total.cells[TOTAL_18].counts.vaccinated == 3

    def test_city_user_chooses_a_district_others_get_404(self) -> None:
        table = coverage_table(user=self.city_admin, on=ON, district_id=self.district_a.pk)
        assert table.scope.pk == self.district_a.pk
        with self.assertRaises(Http404):
            coverage_table(user=self.district_officer_b, on=ON, district_id=self.district_a.pk)
        with self.assertRaises(Http404):
            coverage_table(user=self.ward_officer_a1, on=ON, district_id=self.district_a.pk)

    def test_today_reads_status_only(self) -> None:
        today = timezone.localdate()
        table = coverage_table(user=self.ward_officer_a1, on=today)
        year = today.year
        counts = {k: (c.counts.vaccinated, c.counts.primary, c.counts.boosted) for k, c in table.total.cells.items()}
        expected: dict[str, list[int]] = {k: [0, 0, 0] for k in counts}
        people = [(2012, S.PARTIAL), (2005, S.PRIMARY_COMPLETE), (2004, S.BOOSTED), (1973, S.UNVACCINATED),
                  (1972, S.PRIMARY_COMPLETE), (1957, S.BOOSTED), (1958, S.PARTIAL), (2018, S.PARTIAL)]  # fmt: skip
        bands = [("5-11", 5, 11), ("12-17", 12, 17), ("18-49", 18, 49), ("50-64", 50, 64), ("65+", 65, 999)]
        for birth_year, status in people:
            age = year - birth_year
            for key, low, high in bands:
                if low <= age <= high:
                    keys = [key] + ([TOTAL_18] if age >= 18 else []) + ([TOTAL_50] if age >= 50 else [])
                    for k in keys:
                        expected[k][0] += status != S.UNVACCINATED
                        expected[k][1] += status in (S.PRIMARY_COMPLETE, S.BOOSTED)
                        expected[k][2] += status == S.BOOSTED
        assert counts == {k: tuple(v) for k, v in expected.items()}

    def test_criterion_for_levels(self) -> None:
        figures = coverage_criterion(area=self.district_a, on=ON)
        assert figures["adult_vaccinated"] == 4
        assert figures["adult_population"] == 132
        assert figures["adult_pct_first_dose"] == 3.0
        assert figures["adult_denominator_from"] == CHANGE
        assert (figures["over_50_primary"], figures["over_50_population"], figures["over_50_pct_primary"]) == (
            2, 104, 1.9,
        )  # fmt: skip

    def test_query_count_does_not_grow_with_people_or_rows(self) -> None:
        with CaptureQueriesContext(connection) as city:
            coverage_table(user=self.city_admin, on=ON)
        with CaptureQueriesContext(connection) as district:
            coverage_table(user=self.district_officer_a, on=ON)
        for i in range(5):
            summary(self.create_person(full_name=f"Thêm {i}", birth_year=1990, ward=self.ward_a2), status=S.PARTIAL,
                    first=date(2021, 9, 1))  # fmt: skip
        with self.assertNumQueries(len(city.captured_queries)):
            coverage_table(user=self.city_admin, on=ON)
        assert len(city.captured_queries) <= 8
        assert len(district.captured_queries) <= 8


class TrendTest(CoverageData):
    def test_cumulative_by_week(self) -> None:
        points = coverage_trend(user=self.city_admin, weeks=4, on=ON)
        # Before 02/02: Thiếu Niên, Mười Tám, Năm Mươi, Sáu Lăm, Bốn Tuổi, Trúc Bạch, Phúc Tân (5 complete);
        # Trẻ Mười's first dose on 10/02, Phúc Tân complete on 20/02, Sáu Tư's first dose after ON.
        assert [(p.week_end, p.vaccinated, p.primary) for p in points] == [
            (date(2022, 2, 8), 7, 5), (date(2022, 2, 15), 8, 5), (date(2022, 2, 22), 8, 6), (date(2022, 3, 1), 8, 6),
        ]  # fmt: skip
        assert points[-1].week_end == ON

    def test_scoped_to_the_ward(self) -> None:
        points = coverage_trend(user=self.ward_officer_a1, weeks=4, on=ON)
        assert [(p.vaccinated, p.primary) for p in points] == [(5, 4), (6, 4), (6, 4), (6, 4)]
        with self.assertNumQueries(3):  # the wards of the area, before the window, the window by day and event
            coverage_trend(user=self.district_officer_a, weeks=52, on=ON)


class DenominatorTest(CoverageData):
    def test_set_records_history_and_audit(self) -> None:
        row = population_by_age_set(
            actor=self.city_admin, area=self.province, age_group="18-49", population=5_000_000,
            effective_from=date(2021, 6, 1),
        )  # fmt: skip
        population_by_age_set(
            actor=self.city_admin, area=self.province, age_group="18-49", population=5_400_000,
            effective_from=CHANGE, note="Hà Nội bổ sung khoảng 400.000 người lớn không thường trú",
        )  # fmt: skip
        assert PopulationByAge.objects.filter(area=self.province, age_group="18-49").count() == 2
        found = denominators(areas=[self.province], on=ON)[(self.province.pk, "18-49")]
        assert (found.population, found.effective_from, found.previous) == (5_400_000, CHANGE, 5_000_000)
        assert denominators(areas=[self.province], on=date(2021, 10, 27))[(self.province.pk, "18-49")].population == (
            5_000_000
        )
        assert AuditLog.objects.filter(event=Event.CREATE, target_type="population_by_age", target_id=row.pk).exists()
        # Without its own row, a group of the city is the sum of its wards.
        assert denominators(areas=[self.province], on=ON)[(self.province.pk, "50-64")].population == 4

    def test_change_needs_a_reason_and_scope(self) -> None:
        with self.assertRaises(ValidationError) as ctx:
            population_by_age_set(actor=self.city_admin, area=self.ward_a1, age_group="18-49", population=30,
                                  effective_from=date(2022, 1, 1))  # fmt: skip
        assert "note" in ctx.exception.message_dict
        with self.assertRaises(ValidationError) as ctx:
            population_by_age_set(actor=self.district_officer_b, area=self.ward_a1, age_group="65+", population=3,
                                  effective_from=date(2022, 1, 1))  # fmt: skip
        assert "area" in ctx.exception.message_dict


class CoveragePageTest(CoverageData):
    def test_permission_matrix(self) -> None:
        self.assert_login_required(COVERAGE)
        self.assert_allowed(COVERAGE, self.everyone)
        self.assert_allowed(POPULATION, self.everyone)
        response = self.client_for(self.district_officer_b).get(f"{COVERAGE}?district={self.district_a.pk}")
        assert response.status_code == 200  # not a choice for this user: ignored, their own district shown
        assert response.context["table"].scope.pk == self.district_b.pk

    def test_page_shows_the_denominator_change_and_the_chart(self) -> None:
        response = self.client_for(self.district_officer_a).get(f"{COVERAGE}?on=01/03/2022")
        assert response.status_code == 200
        assert response.context["table"].on == ON
        html = response.content.decode()
        assert "Thêm người lao động ngoại tỉnh trở lại" in html
        assert "trước đó 10" in html
        assert "28/10/2021" in html
        assert "chart.umd.min.js" in html
        assert 'id="trend-data"' in html

    def test_population_page_post(self) -> None:
        data = {"area": self.ward_a1.pk, "age_group": "65+", "population": "3", "effective_from": "01/01/2022",
                "note": "Điều tra lại"}  # fmt: skip
        self.assert_status(POPULATION, [self.district_officer_a, self.ward_officer_a1, self.leader], 403, method="post")
        response = self.client_for(self.city_admin).post(POPULATION, data)
        assert response.status_code == 302
        assert PopulationByAge.objects.filter(area=self.ward_a1, age_group="65+", population=3).exists()
        response = self.client_for(self.city_admin).post(POPULATION, {**data, "population": "4", "note": ""})
        assert response.status_code == 422
        assert "Cần ghi lý do" in response.content.decode()

    def test_page_query_count_is_flat(self) -> None:
        client = self.client_for(self.city_admin)
        with CaptureQueriesContext(connection) as first:
            client.get(COVERAGE)
        for i in range(5):
            summary(self.create_person(full_name=f"Thêm {i}", birth_year=1990, ward=self.ward_b1), status=S.PARTIAL,
                    first=date(2021, 9, 1))  # fmt: skip
        with self.assertNumQueries(len(first.captured_queries)):
            client.get(COVERAGE)


class SeedCommandTest(PhongdichTestCase):
    def test_seed_is_idempotent_and_fills_the_pages(self) -> None:
        from io import StringIO

        from django.core.management import call_command

        from phongdich.vaccination.models import CampaignDay, Dose

        Area.objects.filter(pk__in=[self.ward_a1.pk, self.ward_a2.pk]).update(population=10_000)
        for i in range(30):
            self.create_person(full_name=f"Người Mẫu {i}", birth_year=1940 + 2 * i, ward=self.ward_a1)
        call_command("seed_vaccination", stdout=StringIO())
        counts = (Dose.objects.count(), PopulationByAge.objects.count(), CampaignDay.objects.count(),
                  PersonVaccination.objects.count(), AuditLog.objects.count())  # fmt: skip
        assert counts[0] > 20
        assert PopulationByAge.objects.get(area=self.ward_a1, age_group="18-49").population == 4800
        city = PopulationByAge.objects.filter(area=self.province, age_group="18-49").order_by("effective_from")
        assert [r.population for r in city] == [9600, 409_600]
        assert counts[3] == 30
        call_command("seed_vaccination", stdout=StringIO())
        again = (Dose.objects.count(), PopulationByAge.objects.count(), CampaignDay.objects.count(),
                 PersonVaccination.objects.count(), AuditLog.objects.count())  # fmt: skip
        assert again == counts
        table = coverage_table(user=self.city_admin)
        assert table.total.cells[TOTAL_18].counts.vaccinated > 0
        assert table.total.cells[TOTAL_18].denominator.previous == 9600 + 1700 * 2 + 900 * 2
