import io
from datetime import date
from decimal import Decimal

from python_calamine import CalamineWorkbook

from phongdich.support.reports import deadline_report, deadline_report_xlsx
from phongdich.support.selectors import owed_by_ward, owed_people
from phongdich.support.tests.scenario import ScenarioTestCase

TET_EVE = date(2022, 1, 31)


def numbers(line):  # type: ignore[no-untyped-def]
    return (line.entitlements, line.people, line.due, line.paid, line.owed, line.percent, line.unpaid_people, line.met)


class DeadlineReportTests(ScenarioTestCase):
    def test_city_numbers_by_hand(self) -> None:
        report = deadline_report(user=self.city_admin, deadline=TET_EVE)
        assert [b.total.area for b in report.districts] == [self.district_a, self.district_b]
        a, b = report.districts
        assert [line.area for line in a.wards] == [self.ward_a1, self.ward_a2]
        # A1: e1 + e2 + e3 due; e4 ends after the deadline; e1's 05/02 payment and e3's cancelled one don't count.
        assert numbers(a.wards[0]) == (3, 3, 7_150_000, 5_650_000, 1_500_000, Decimal("79.0"), 2, False)
        assert numbers(a.wards[1]) == (1, 1, 1_500_000, 1_500_000, 0, Decimal("100.0"), 0, True)
        assert numbers(a.total) == (4, 4, 8_650_000, 7_150_000, 1_500_000, Decimal("82.7"), 2, False)
        # B1: two entitlements of one person.
        assert numbers(b.wards[0]) == (2, 1, 3_800_000, 800_000, 3_000_000, Decimal("21.1"), 1, False)
        assert numbers(report.total) == (6, 5, 12_450_000, 7_950_000, 4_500_000, Decimal("63.9"), 3, False)

    def test_target_below_100(self) -> None:
        report = deadline_report(user=self.city_admin, deadline=TET_EVE, target=80)
        a = report.districts[0]
        assert (a.wards[0].met, a.wards[1].met, a.total.met, report.total.met) == (False, True, True, False)

    def test_later_deadline_counts_later_service_and_payments(self) -> None:
        report = deadline_report(user=self.city_admin, deadline=date(2022, 2, 5))
        a1 = report.districts[0].wards[0]
        # e1 is now fully paid (both payments); e4 counts and is unpaid, e3 still unpaid.
        assert numbers(a1) == (4, 4, 8_950_000, 6_150_000, 1_800_000 + 1_000_000, Decimal("68.7"), 2, False)

    def test_scoped_and_district_filter(self) -> None:
        report = deadline_report(user=self.district_officer_b, deadline=TET_EVE)
        assert [line.area for b in report.districts for line in b.wards] == [self.ward_b1]
        assert report.total.due == 3_800_000
        report = deadline_report(user=self.city_admin, deadline=TET_EVE, district_id=self.district_a.pk)
        assert report.total.due == 8_650_000
        assert deadline_report(user=self.ward_officer_a2, deadline=TET_EVE).total.due == 1_500_000
        assert deadline_report(user=self.city_admin, deadline=date(2021, 12, 30)).districts == []

    def test_in_a_constant_number_of_queries(self) -> None:
        with self.assertNumQueries(5):  # ward ids of the city, due, paid, people short, wards
            deadline_report(user=self.city_admin, deadline=TET_EVE)

    def test_xlsx(self) -> None:
        report = deadline_report(user=self.city_admin, deadline=TET_EVE)
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(deadline_report_xlsx(report))).get_sheet_by_index(0)
        rows = sheet.to_python()
        assert "31/01/2022" in rows[0][0]
        assert rows[2][0] == "Quận/huyện" and rows[2][9] == "Đạt chỉ tiêu"
        body = [r for r in rows[3:] if r[0]]
        assert [(r[0], r[1], int(r[4]), int(r[5]), int(r[6]), r[9]) for r in body] == [
            ("Quận Ba Đình", "Cả quận/huyện", 8_650_000, 7_150_000, 1_500_000, "Chưa đạt"),
            ("Quận Ba Đình", "Phường Phúc Xá", 7_150_000, 5_650_000, 1_500_000, "Chưa đạt"),
            ("Quận Ba Đình", "Phường Trúc Bạch", 1_500_000, 1_500_000, 0, "Đạt"),
            ("Quận Hoàn Kiếm", "Cả quận/huyện", 3_800_000, 800_000, 3_000_000, "Chưa đạt"),
            ("Quận Hoàn Kiếm", "Phường Phúc Tân", 3_800_000, 800_000, 3_000_000, "Chưa đạt"),
            ("Tổng cộng", "", 12_450_000, 7_950_000, 4_500_000, "Chưa đạt"),
        ]
        assert body[1][7] == 79.0 and body[1][8] == 2


class OwedTests(ScenarioTestCase):
    def test_by_ward_sorted_by_amount_or_age(self) -> None:
        rows = owed_by_ward(user=self.city_admin)
        assert [(w.ward, w.people, w.entitlements, w.owed, w.oldest) for w in rows] == [
            (self.ward_b1, 1, 1, 3_000_000, date(2022, 1, 20)),
            (self.ward_a1, 2, 2, 2_800_000, date(2021, 12, 31)),
        ]
        assert [w.ward for w in owed_by_ward(user=self.city_admin, order="oldest")] == [self.ward_a1, self.ward_b1]
        assert [w.ward for w in owed_by_ward(user=self.district_officer_a)] == [self.ward_a1]
        assert [w.ward for w in owed_by_ward(user=self.city_admin, district_id=self.district_b.pk)] == [self.ward_b1]
        assert owed_by_ward(user=self.ward_officer_a2) == []

    def test_people_of_a_ward(self) -> None:
        assert list(owed_people(user=self.ward_officer_a1)) == [self.e4, self.e3]
        assert list(owed_people(user=self.ward_officer_a1, order="oldest")) == [self.e3, self.e4]
        assert [e.owed_amount for e in owed_people(user=self.city_admin, ward_id=self.ward_a1.pk)] == [
            1_800_000,
            1_000_000,
        ]
        assert list(owed_people(user=self.district_officer_b, ward_id=self.ward_a1.pk)) == []
