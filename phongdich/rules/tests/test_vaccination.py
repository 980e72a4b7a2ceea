"""Vaccination schedules by date and age: intervals, mixing, additional and booster doses, children, checks on a dose."""

import json
from datetime import date, timedelta

from django.test import SimpleTestCase

from phongdich.rules.registry import DATA_DIR, rule_set_by_code, rule_set_in_force, rule_sets
from phongdich.rules.vaccination import (
    KIND,
    DoseFact,
    _aliases,
    _normal,
    _schedule,
    dose_check,
    dose_kind_infer,
    product_code,
    products_in_force,
    vaccination_next,
)

ADULT = 1980  # birth year of an adult under 50 on every date of the tests
ELDER = 1960


def dose(day: date, product: str, kind: str) -> DoseFact:
    return DoseFact(given_on=day, product=product, kind=kind)


def course(first: date, product: str, second: date | None = None, product_2: str | None = None) -> list[DoseFact]:
    doses = [dose(first, product, "primary_1")]
    if second:
        doses.append(dose(second, product_2 or product, "primary_2"))
    return doses


def check(previous: list[DoseFact], new: DoseFact, *, birth_year: int | None = ADULT, birth_date: date | None = None):
    return dose_check(birth_date=birth_date, birth_year=birth_year, previous=previous, dose=new)


def fields(problems) -> list[str]:
    return [field for field, _message, _blocking in problems]


def nxt(doses, on, *, birth_year: int | None = ADULT, birth_date: date | None = None, **kwargs):
    return vaccination_next(birth_date=birth_date, birth_year=birth_year, doses=doses, on=on, **kwargs)


class DataTests(SimpleTestCase):
    def test_files_named_by_kind_and_date_with_sources_and_notes(self) -> None:
        paths = sorted(DATA_DIR.glob(f"{KIND}-*.json"))
        assert len(paths) == 8
        for path in paths:
            raw = json.loads(path.read_text(encoding="utf-8"))
            assert raw["kind"] == KIND
            assert path.name.endswith(raw["effective_from"] + ".json"), path.name
            assert raw["family"] == "moh" and raw["sources"] and raw["notes"], path.name

    def test_every_version_compiles_and_its_names_are_unambiguous(self) -> None:
        codes = [r.code for r in rule_sets() if r.kind == KIND]
        for code in codes:
            _schedule(code)
        owner: dict[str, str] = {}
        for code in codes:
            for product, raw in rule_set_by_code(code).params["products"].items():
                for name in (product, *raw["aliases"]):
                    assert owner.setdefault(_normal(name), product) == product, name
        assert _aliases()[0] == owner

    def test_unconfirmed_choices_are_written_down(self) -> None:
        assert "Abdala 3 mũi: khoảng cách UNCONFIRMED" in rule_set_by_code("VACCINE-SCHEDULE-2021-09-20").notes
        assert "Khoảng cách và liều cho trẻ: UNCONFIRMED" in rule_set_by_code("VACCINE-SCHEDULE-1535").notes

    def test_in_force_by_date(self) -> None:
        for on, code in (
            (date(2021, 3, 8), "VACCINE-SCHEDULE-2021-08"),
            (date(2021, 9, 19), "VACCINE-SCHEDULE-2021-08"),
            (date(2021, 9, 20), "VACCINE-SCHEDULE-2021-09-20"),
            (date(2021, 10, 14), "VACCINE-SCHEDULE-8688"),
            (date(2021, 11, 30), "VACCINE-SCHEDULE-8688"),
            (date(2021, 12, 1), "VACCINE-SCHEDULE-10225"),
            (date(2021, 12, 16), "VACCINE-SCHEDULE-10225"),
            (date(2021, 12, 17), "VACCINE-SCHEDULE-10722"),
            (date(2022, 3, 28), "VACCINE-SCHEDULE-1535"),
            (date(2022, 6, 21), "VACCINE-SCHEDULE-1439"),
            (date(2022, 6, 22), "VACCINE-SCHEDULE-1439"),
            (date(2022, 6, 23), "VACCINE-SCHEDULE-3309"),
        ):
            assert rule_set_in_force(kind=KIND, on=on).code == code, on

    def test_vaccination_status_rule_sets_untouched(self) -> None:
        assert rule_set_in_force(kind="vaccination_status", on=date(2022, 2, 21)).code == "VACCINATED-762"


class ProductTests(SimpleTestCase):
    def test_product_code_from_free_text(self) -> None:
        for text, code in (
            ("AstraZeneca", "astrazeneca"),
            ("Astra", "astrazeneca"),
            ("astra zeneca ", "astrazeneca"),
            ("Vero Cell", "vero_cell"),
            ("Sinopharm", "vero_cell"),
            ("Pfizer", "pfizer"),
            ("Comirnaty", "pfizer"),
            ("Pfizer (5-11)", "pfizer_5_11"),
            ("Pfizer (5-11 tuổi)", "pfizer_5_11"),
            ("Moderna", "moderna"),
            ("Spikevax", "moderna"),
            ("Sputnik V", "sputnik_v"),
            ("Sputnik Light", "sputnik_light"),
            ("Abdala", "abdala"),
            ("Janssen", "janssen"),
            ("J&J", "janssen"),
            ("Hayat-Vax", "hayat_vax"),
            ("vero_cell", "vero_cell"),
        ):
            assert product_code(text) == code, text
        for text in ("", "Sputnik", "Covaxin", "không rõ"):
            assert product_code(text) is None, text

    def test_products_in_force_by_date(self) -> None:
        assert products_in_force(on=date(2021, 3, 7)) == []
        codes = lambda on: [c for c, _label in products_in_force(on=on)]  # noqa: E731
        assert "abdala" not in codes(date(2021, 9, 19))
        assert "abdala" in codes(date(2021, 9, 20))
        assert "pfizer_5_11" not in codes(date(2022, 3, 27))
        assert "pfizer_5_11" in codes(date(2022, 3, 28))
        assert dict(products_in_force(on=date(2022, 7, 1)))["vero_cell"] == "Sinopharm (Vero Cell)"


class PrimaryIntervalTests(SimpleTestCase):
    def assert_interval(self, product: str, first: date, days: int) -> None:
        previous = course(first, product)
        on_time = dose(first + timedelta(days=days), product, "primary_2")
        early = dose(first + timedelta(days=days - 1), product, "primary_2")
        assert check(previous, on_time) == [], (product, days)
        assert fields(check(previous, early)) == ["given_on"], (product, days)
        assert nxt(previous, first + timedelta(days=1)).due_on == first + timedelta(days=days)

    def test_astrazeneca_eight_weeks_before_20_09_2021(self) -> None:
        self.assert_interval("astrazeneca", date(2021, 6, 1), 56)
        note = nxt(course(date(2021, 6, 1), "astrazeneca"), date(2021, 6, 2)).note
        assert note == "Mũi 2: ít nhất 56 ngày sau mũi 1, nên trước 24/08/2021"

    def test_astrazeneca_four_weeks_from_20_09_2021(self) -> None:
        self.assert_interval("astrazeneca", date(2021, 9, 20), 28)
        # The due date follows the rule in force on the date asked.
        first = course(date(2021, 9, 1), "astrazeneca")
        assert nxt(first, date(2021, 9, 19)).due_on == date(2021, 10, 27)
        assert nxt(first, date(2021, 9, 20)).due_on == date(2021, 9, 29)
        # A dose 2 judged on its own date: 29 days after dose 1 was early on 19/09, allowed from 20/09.
        assert fields(
            check(course(date(2021, 8, 21), "astrazeneca"), dose(date(2021, 9, 19), "astrazeneca", "primary_2"))
        )
        assert (
            check(course(date(2021, 8, 22), "astrazeneca"), dose(date(2021, 9, 20), "astrazeneca", "primary_2")) == []
        )

    def test_pfizer_21_moderna_28_vero_cell_21_sputnik_21(self) -> None:
        self.assert_interval("pfizer", date(2021, 8, 1), 21)
        self.assert_interval("moderna", date(2021, 8, 1), 28)
        self.assert_interval("vero_cell", date(2021, 8, 1), 21)
        self.assert_interval("hayat_vax", date(2021, 10, 1), 21)
        self.assert_interval("sputnik_v", date(2021, 8, 1), 21)

    def test_vero_cell_at_most_four_weeks_is_advice_only(self) -> None:
        result = nxt(course(date(2021, 8, 1), "vero_cell"), date(2021, 8, 2))
        assert result.note == "Mũi 2: ít nhất 21 ngày sau mũi 1, nên trước 29/08/2021"
        assert check(course(date(2021, 8, 1), "vero_cell"), dose(date(2021, 10, 1), "vero_cell", "primary_2")) == []

    def test_abdala_three_doses_fourteen_days_apart(self) -> None:
        d1, d2 = date(2021, 10, 1), date(2021, 10, 15)
        two = [dose(d1, "abdala", "primary_1"), dose(d2, "abdala", "primary_2")]
        result = nxt(two, date(2021, 10, 16))
        assert (result.status, result.kind, result.due_on, result.products) == (
            "partial",
            "primary_3",
            date(2021, 10, 29),
            ("abdala",),
        )
        assert check(two, dose(date(2021, 10, 29), "abdala", "primary_3")) == []
        assert fields(check(two, dose(date(2021, 10, 28), "abdala", "primary_3"))) == ["given_on"]
        assert fields(check(course(d1, "abdala"), dose(date(2021, 10, 14), "abdala", "primary_2"))) == ["given_on"]
        done = nxt([*two, dose(date(2021, 10, 29), "abdala", "primary_3")], date(2021, 11, 1))
        assert (done.status, done.primary_complete_on) == ("primary", date(2021, 10, 29))

    def test_single_dose_vaccine_completes_the_course(self) -> None:
        result = nxt([dose(date(2021, 8, 1), "janssen", "primary_1")], date(2021, 11, 1))
        assert (result.status, result.primary_complete_on, result.kind) == ("primary", date(2021, 8, 1), None)
        assert result.note == "Đã tiêm đủ theo CV 8688/BYT-DP"


class MixingTests(SimpleTestCase):
    def test_astrazeneca_then_pfizer_from_august_moderna_from_20_09(self) -> None:
        az = course(date(2021, 6, 1), "astrazeneca")
        assert check(az, dose(date(2021, 8, 1), "pfizer", "primary_2")) == []
        assert fields(check(az, dose(date(2021, 8, 1), "moderna", "primary_2"))) == ["product"]
        assert check(az, dose(date(2021, 9, 20), "moderna", "primary_2")) == []
        assert nxt(az, date(2021, 9, 19)).products == ("astrazeneca", "pfizer")
        assert nxt(az, date(2021, 9, 20)).products == ("astrazeneca", "pfizer", "moderna")

    def test_pfizer_and_moderna_interchangeable_from_20_09_sinopharm_same_only(self) -> None:
        assert fields(check(course(date(2021, 8, 1), "pfizer"), dose(date(2021, 9, 1), "moderna", "primary_2")))
        assert check(course(date(2021, 9, 1), "pfizer"), dose(date(2021, 9, 22), "moderna", "primary_2")) == []
        message = check(course(date(2021, 10, 1), "vero_cell"), dose(date(2021, 10, 25), "pfizer", "primary_2"))
        assert fields(message) == ["product"]
        assert "được dùng: Sinopharm (Vero Cell), Hayat-Vax" in message[0][1]


class AdditionalAndBoosterTests(SimpleTestCase):
    VERO = course(date(2021, 8, 1), "vero_cell", date(2021, 8, 25))
    PFIZER = course(date(2021, 7, 1), "pfizer", date(2021, 7, 22))

    def test_nothing_after_the_primary_course_before_10225(self) -> None:
        result = nxt(self.PFIZER, date(2021, 11, 30))
        assert (result.status, result.kind, result.note) == ("primary", None, "Đã tiêm đủ theo CV 8688/BYT-DP")
        flags = check(self.PFIZER, dose(date(2021, 11, 30), "pfizer", "booster_1"))
        assert fields(flags) == ["kind"]
        assert "chưa quy định «Mũi nhắc lại lần 1»" in flags[0][1]

    def test_10225_additional_28_days_for_the_immunocompromised(self) -> None:
        result = nxt(self.PFIZER, date(2021, 12, 5), immunocompromised=True)
        assert (result.kind, result.due_on, result.rule_sets) == (
            "additional",
            date(2021, 8, 19),
            ("VACCINE-SCHEDULE-10225",),
        )
        assert check(self.PFIZER, dose(date(2021, 12, 5), "moderna", "additional")) == []
        recent = course(date(2021, 10, 20), "pfizer", date(2021, 11, 10))
        assert check(recent, dose(date(2021, 12, 8), "pfizer", "additional")) == []
        assert fields(check(recent, dose(date(2021, 12, 7), "pfizer", "additional"))) == ["given_on"]

    def test_10225_booster_six_months(self) -> None:
        result = nxt(self.VERO, date(2021, 12, 10))
        assert (result.kind, result.due_on) == ("booster_1", date(2022, 2, 25))
        assert result.note == "Mũi nhắc lại lần 1: ít nhất 6 tháng sau liều cơ bản (CV 10225/BYT-DP)"
        pfizer = nxt(self.PFIZER, date(2021, 12, 10))
        assert (pfizer.kind, pfizer.due_on) == ("booster_1", date(2022, 1, 22))
        assert fields(check(self.PFIZER, dose(date(2021, 12, 16), "pfizer", "booster_1"))) == ["given_on"]
        june = course(date(2021, 5, 20), "pfizer", date(2021, 6, 10))
        assert check(june, dose(date(2021, 12, 10), "pfizer", "booster_1")) == []
        assert fields(check(june, dose(date(2021, 12, 9), "pfizer", "booster_1"))) == ["given_on"]

    def test_10722_additional_for_sinopharm_28_days_to_3_months(self) -> None:
        result = nxt(self.VERO, date(2021, 12, 17))
        assert (result.status, result.kind, result.due_on) == ("primary", "additional", date(2021, 9, 22))
        assert result.products == ("vero_cell", "hayat_vax", "pfizer", "moderna", "astrazeneca")
        assert result.note.endswith("đã quá 3 tháng, vẫn tiêm")
        recent = course(date(2021, 11, 1), "vero_cell", date(2021, 11, 25))
        within = nxt(recent, date(2021, 12, 20))
        assert (within.due_on, within.note) == (
            date(2021, 12, 23),
            "Mũi bổ sung: 28 ngày – 3 tháng sau mũi cơ bản cuối (CV 10722/BYT-DP)",
        )
        assert check(recent, dose(date(2021, 12, 23), "pfizer", "additional")) == []
        assert fields(check(recent, dose(date(2021, 12, 22), "pfizer", "additional"))) == ["given_on"]
        sputnik = course(date(2021, 10, 1), "sputnik_v", date(2021, 10, 22))
        assert nxt(sputnik, date(2021, 12, 20)).kind == "additional"

    def test_10722_booster_three_months(self) -> None:
        result = nxt(self.PFIZER, date(2021, 12, 17))
        assert (result.kind, result.due_on, result.products) == ("booster_1", date(2021, 10, 22), ("pfizer", "moderna"))
        late = course(date(2021, 10, 1), "pfizer", date(2021, 10, 22))
        assert check(late, dose(date(2022, 1, 22), "moderna", "booster_1")) == []
        assert fields(check(late, dose(date(2022, 1, 21), "moderna", "booster_1"))) == ["given_on"]
        assert fields(check(late, dose(date(2022, 1, 22), "vero_cell", "booster_1"))) == ["product"]
        # After an additional dose, the booster counts from it.
        with_additional = [*self.VERO, dose(date(2021, 12, 20), "pfizer", "additional")]
        boosted = nxt(with_additional, date(2022, 1, 5))
        assert (boosted.status, boosted.kind, boosted.due_on) == ("boosted", "booster_1", date(2022, 3, 20))
        assert nxt([*self.PFIZER, dose(date(2022, 1, 5), "pfizer", "booster_1")], date(2022, 5, 1)).note == (
            "Đã tiêm đủ theo CV 1535/BYT-DP"
        )

    def test_3309_fourth_dose_four_months_for_50_and_over(self) -> None:
        boosted = [*self.PFIZER, dose(date(2022, 1, 10), "pfizer", "booster_1")]
        before = nxt(boosted, date(2022, 6, 22), birth_year=ELDER)
        assert (before.kind, before.note) == (None, "Đã tiêm đủ theo CV 1439/VSDTTƯ-TCQG")
        result = nxt(boosted, date(2022, 6, 23), birth_year=ELDER)
        assert (result.kind, result.due_on, result.rule_sets) == (
            "booster_2",
            date(2022, 5, 10),
            ("VACCINE-SCHEDULE-3309",),
        )
        assert check(boosted, dose(date(2022, 7, 1), "moderna", "booster_2"), birth_year=ELDER) == []
        recent = [*self.PFIZER, dose(date(2022, 3, 1), "pfizer", "booster_1")]
        assert check(recent, dose(date(2022, 7, 1), "pfizer", "booster_2"), birth_year=ELDER) == []
        assert fields(check(recent, dose(date(2022, 6, 30), "pfizer", "booster_2"), birth_year=ELDER)) == ["given_on"]
        on = date(2022, 7, 1)
        fifty = nxt(boosted, on, birth_date=date(1972, 7, 1))
        forty_nine = nxt(boosted, on, birth_date=date(1972, 7, 2))
        assert (fifty.kind, forty_nine.kind) == ("booster_2", None)
        assert forty_nine.note.endswith("mũi nhắc lại lần 2 cho người từ 50 tuổi hoặc suy giảm miễn dịch")
        assert nxt(boosted, on, birth_date=date(1972, 7, 2), immunocompromised=True).kind == "booster_2"
        done = nxt([*boosted, dose(date(2022, 7, 1), "pfizer", "booster_2")], date(2022, 8, 1), birth_year=ELDER)
        assert (done.status, done.kind, done.note) == ("boosted", None, "Đã tiêm đủ theo CV 3309/BYT-DP")


class TeenagerTests(SimpleTestCase):
    BIRTH = date(2006, 5, 10)  # 15 in late 2021, 16 in mid-2022

    def test_12_to_17_pfizer_from_14_10_2021(self) -> None:
        assert nxt([], date(2021, 10, 13), birth_date=self.BIRTH).note == "Chưa đủ tuổi tiêm"
        result = nxt([], date(2021, 10, 14), birth_date=self.BIRTH)
        assert (result.status, result.kind, result.due_on, result.products) == (
            "unvaccinated",
            "primary_1",
            date(2021, 10, 14),
            ("pfizer",),
        )
        assert fields(check([], dose(date(2021, 11, 1), "moderna", "primary_1"), birth_date=self.BIRTH)) == ["product"]
        assert fields(check([], dose(date(2021, 10, 13), "pfizer", "primary_1"), birth_date=self.BIRTH)) == ["product"]

    def test_age_boundary_12_and_18(self) -> None:
        on = date(2021, 11, 1)
        assert nxt([], on, birth_date=date(2009, 11, 1)).products == ("pfizer",)
        assert nxt([], on, birth_date=date(2009, 11, 2)).kind is None
        assert nxt([], on, birth_date=date(2003, 11, 2)).products == ("pfizer",)
        adult = nxt([], on, birth_date=date(2003, 11, 1)).products
        assert "astrazeneca" in adult and "pfizer_5_11" not in adult

    def test_teen_booster_five_months_from_3309(self) -> None:
        primary = course(date(2021, 11, 1), "pfizer", date(2021, 11, 22))
        before = nxt(primary, date(2022, 6, 22), birth_date=self.BIRTH)
        assert (before.kind, before.note) == (None, "Đã tiêm đủ theo CV 1439/VSDTTƯ-TCQG")
        result = nxt(primary, date(2022, 6, 23), birth_date=self.BIRTH)
        assert (result.kind, result.due_on, result.products) == ("booster_1", date(2022, 4, 22), ("pfizer",))
        late = course(date(2022, 2, 1), "pfizer", date(2022, 2, 22))
        assert check(late, dose(date(2022, 7, 22), "pfizer", "booster_1"), birth_date=self.BIRTH) == []
        assert fields(check(late, dose(date(2022, 7, 21), "pfizer", "booster_1"), birth_date=self.BIRTH)) == [
            "given_on"
        ]
        assert fields(check(late, dose(date(2022, 7, 22), "moderna", "booster_1"), birth_date=self.BIRTH)) == [
            "product"
        ]


class ChildrenTests(SimpleTestCase):
    def test_5_to_11_from_28_03_2022_product_by_age(self) -> None:
        assert nxt([], date(2022, 3, 27), birth_date=date(2014, 1, 1)).note == "Chưa đủ tuổi tiêm"
        on = date(2022, 4, 15)
        assert nxt([], on, birth_date=date(2014, 1, 1)).products == ("pfizer_5_11", "moderna")
        assert nxt([], on, birth_date=date(2016, 4, 15)).products == ("pfizer_5_11", "moderna")
        assert nxt([], on, birth_date=date(2016, 4, 16)).products == ("pfizer_5_11",)
        assert nxt([], on, birth_date=date(2017, 4, 15)).products == ("pfizer_5_11",)
        too_young = nxt([], on, birth_date=date(2017, 4, 16))
        assert (too_young.kind, too_young.note) == (None, "Chưa đủ tuổi tiêm")
        assert fields(check([], dose(on, "moderna", "primary_1"), birth_date=date(2016, 4, 16))) == ["product"]
        assert check([], dose(on, "moderna", "primary_1"), birth_date=date(2016, 4, 15)) == []
        assert fields(check([], dose(on, "pfizer", "primary_1"), birth_date=date(2014, 1, 1))) == ["product"]
        assert fields(check([], dose(on, "pfizer_5_11", "primary_1"), birth_date=date(1990, 1, 1))) == ["product"]

    def test_same_vaccine_no_mixing_and_paediatric_intervals(self) -> None:
        birth = date(2014, 1, 1)
        pfizer = course(date(2022, 4, 15), "pfizer_5_11")
        assert check(pfizer, dose(date(2022, 5, 6), "pfizer_5_11", "primary_2"), birth_date=birth) == []
        assert fields(check(pfizer, dose(date(2022, 5, 5), "pfizer_5_11", "primary_2"), birth_date=birth)) == [
            "given_on"
        ]
        mixed = check(pfizer, dose(date(2022, 5, 20), "moderna", "primary_2"), birth_date=birth)
        assert mixed == [
            (
                "product",
                "Trẻ 5 – dưới 12 tuổi: Mũi 2 phải cùng loại vắc xin với mũi 1 (Pfizer (trẻ 5 – dưới 12 tuổi)), "
                "không tiêm trộn",
                False,
            )
        ]
        moderna = course(date(2022, 4, 15), "moderna")
        result = nxt(moderna, date(2022, 4, 20), birth_date=birth)
        assert (result.due_on, result.products) == (date(2022, 5, 13), ("moderna",))
        assert result.note == "Mũi 2: ít nhất 28 ngày sau mũi 1 (cùng loại, không tiêm trộn)"
        done = nxt([*pfizer, dose(date(2022, 5, 6), "pfizer_5_11", "primary_2")], date(2022, 8, 1), birth_date=birth)
        assert (done.status, done.kind, done.note) == ("primary", None, "Đã tiêm đủ theo CV 3309/BYT-DP")

    def test_turning_12_before_dose_2_takes_the_12_plus_formulation_from_1439(self) -> None:
        birth = date(2010, 6, 1)
        first = course(date(2022, 5, 20), "pfizer_5_11")
        assert nxt(first, date(2022, 6, 20), birth_date=birth).products == ()
        assert nxt(first, date(2022, 6, 21), birth_date=birth).products == ("pfizer",)
        assert check(first, dose(date(2022, 6, 21), "pfizer", "primary_2"), birth_date=birth) == []
        assert fields(check(first, dose(date(2022, 6, 21), "pfizer_5_11", "primary_2"), birth_date=birth)) == [
            "product"
        ]


class InfectionTests(SimpleTestCase):
    def test_children_three_months_after_infection_from_1535(self) -> None:
        birth = date(2014, 1, 1)
        result = nxt([], date(2022, 4, 15), birth_date=birth, infected_on=date(2022, 3, 1))
        assert (result.kind, result.due_on) == ("primary_1", date(2022, 6, 1))
        assert result.note.endswith("Sau khi mắc COVID-19: tiêm sau 3 tháng")
        long_ago = nxt([], date(2022, 7, 15), birth_date=birth, infected_on=date(2022, 3, 1))
        assert (long_ago.due_on, "mắc COVID-19" in long_ago.note) == (date(2022, 7, 15), False)

    def test_adults_delayed_from_3309_only(self) -> None:
        primary = course(date(2021, 10, 1), "pfizer", date(2021, 10, 22))
        before = nxt(primary, date(2022, 6, 22), infected_on=date(2022, 5, 1))
        assert before.due_on == date(2022, 1, 22)
        after = nxt(primary, date(2022, 6, 23), infected_on=date(2022, 5, 1))
        assert (after.kind, after.due_on) == ("booster_1", date(2022, 8, 1))

    def test_an_infection_before_the_last_dose_does_not_delay(self) -> None:
        primary = course(date(2021, 10, 1), "pfizer", date(2021, 10, 22))
        result = nxt(primary, date(2022, 7, 1), infected_on=date(2021, 10, 10))
        assert result.due_on == date(2022, 1, 22)


class StatusTests(SimpleTestCase):
    def test_transitions(self) -> None:
        on = date(2022, 7, 1)
        doses = [
            dose(date(2021, 8, 1), "astrazeneca", "primary_1"),
            dose(date(2021, 10, 1), "astrazeneca", "primary_2"),
            dose(date(2022, 1, 5), "pfizer", "booster_1"),
        ]
        expected = [
            ("unvaccinated", None, "primary_1"),
            ("partial", None, "primary_2"),
            ("primary", date(2021, 10, 1), "booster_1"),
            ("boosted", date(2021, 10, 1), "booster_2"),
        ]
        for count, (status, complete_on, kind) in enumerate(expected):
            result = nxt(doses[:count], on, birth_year=ELDER)
            assert (result.status, result.primary_complete_on, result.kind) == (status, complete_on, kind), count

    def test_doses_after_the_date_asked_are_not_counted(self) -> None:
        doses = course(date(2021, 8, 1), "pfizer", date(2021, 8, 22))
        assert nxt(doses, date(2021, 8, 21)).status == "partial"
        assert nxt(doses, date(2021, 8, 22)).status == "primary"

    def test_unknown_age_follows_the_adult_schedule(self) -> None:
        result = nxt([], date(2021, 8, 1), birth_year=None)
        assert result.kind == "primary_1" and "astrazeneca" in result.products
        assert result.note.startswith("Chưa rõ tuổi: theo lịch người từ 18 tuổi")

    def test_before_the_campaign(self) -> None:
        result = nxt([], date(2021, 3, 7))
        assert (result.kind, result.rule_sets, result.note) == (None, (), "Chưa triển khai tiêm vắc xin phòng COVID-19")


class KindInferTests(SimpleTestCase):
    def test_primary_doses(self) -> None:
        assert dose_kind_infer(previous=[], product="pfizer", on=date(2021, 8, 1)) == "primary_1"
        assert dose_kind_infer(previous=course(date(2021, 8, 1), "pfizer"), product="pfizer", on=date(2021, 9, 1)) == (
            "primary_2"
        )
        abdala = course(date(2021, 10, 1), "abdala", date(2021, 10, 15))
        assert dose_kind_infer(previous=abdala, product="abdala", on=date(2021, 10, 29)) == "primary_3"

    def test_third_dose_additional_or_booster_by_the_rule_in_force(self) -> None:
        vero = course(date(2021, 8, 1), "vero_cell", date(2021, 8, 25))
        assert dose_kind_infer(previous=vero, product="pfizer", on=date(2021, 12, 16)) == "booster_1"
        assert dose_kind_infer(previous=vero, product="pfizer", on=date(2021, 12, 17)) == "additional"
        az = course(date(2021, 8, 1), "astrazeneca", date(2021, 10, 1))
        assert dose_kind_infer(previous=az, product="pfizer", on=date(2022, 1, 5)) == "booster_1"
        janssen = [dose(date(2021, 8, 1), "janssen", "primary_1")]
        assert dose_kind_infer(previous=janssen, product="pfizer", on=date(2022, 1, 5)) == "booster_1"

    def test_after_additional_and_booster(self) -> None:
        vero = [
            *course(date(2021, 8, 1), "vero_cell", date(2021, 8, 25)),
            dose(date(2021, 12, 20), "pfizer", "additional"),
        ]
        assert dose_kind_infer(previous=vero, product="pfizer", on=date(2022, 4, 1)) == "booster_1"
        boosted = [*vero, dose(date(2022, 4, 1), "pfizer", "booster_1")]
        assert dose_kind_infer(previous=boosted, product="pfizer", on=date(2022, 8, 1)) == "booster_2"

    def test_later_doses_in_previous_are_ignored(self) -> None:
        doses = course(date(2021, 8, 1), "pfizer", date(2021, 8, 22))
        assert dose_kind_infer(previous=doses, product="pfizer", on=date(2021, 8, 1)) == "primary_1"


class DoseCheckTests(SimpleTestCase):
    def test_before_birth_is_blocking(self) -> None:
        new = dose(date(2021, 8, 1), "pfizer", "primary_1")
        problems = check([], new, birth_date=date(2021, 8, 2), birth_year=2021)
        assert problems == [("given_on", "Ngày tiêm 01/08/2021 trước ngày sinh 02/08/2021", True)]
        assert check([], new, birth_date=None, birth_year=2022) == [
            ("given_on", "Ngày tiêm 01/08/2021 trước năm sinh 2022", True)
        ]
        assert all(not blocking for *_rest, blocking in check([], new, birth_date=date(2021, 8, 1)))

    def test_future_dose_is_blocking(self) -> None:
        from django.utils import timezone

        tomorrow = timezone.localdate() + timedelta(days=1)
        problems = check([], dose(tomorrow, "pfizer", "primary_1"))
        assert problems == [("given_on", f"Ngày tiêm {tomorrow:%d/%m/%Y} là ngày trong tương lai", True)]

    def test_duplicate_day_is_a_flag(self) -> None:
        previous = course(date(2021, 8, 1), "pfizer")
        problems = check(previous, dose(date(2021, 8, 1), "pfizer", "primary_1"))
        assert ("given_on", "Đã có mũi tiêm ngày 01/08/2021 (trùng dòng?)", False) in problems

    def test_unknown_product_and_before_the_campaign(self) -> None:
        problems = check([], dose(date(2021, 8, 1), "covaxin", "primary_1"))
        assert problems[0] == ("product", "Vắc xin «covaxin» không có trong danh mục ngày 01/08/2021 "
                               "(Hướng dẫn tiêm vắc xin phòng COVID-19 của Bộ Y tế (08/2021))", False)  # fmt: skip
        early = check([], dose(date(2021, 3, 1), "astrazeneca", "primary_1"))
        assert early == [("given_on", "Ngày tiêm 01/03/2021 trước khi bắt đầu tiêm vắc xin phòng COVID-19", False)]

    def test_kind_not_matching_the_history(self) -> None:
        problems = check([], dose(date(2021, 8, 1), "pfizer", "primary_2"))
        assert problems == [("kind", "Loại mũi «Mũi 2» không khớp lịch sử tiêm: dự kiến «Mũi 1»", False)]
        primary = course(date(2021, 8, 1), "pfizer")
        assert fields(check(primary, dose(date(2022, 1, 5), "pfizer", "booster_1"))) == ["kind"]

    def test_additional_dose_accepted_where_immunodeficiency_may_apply(self) -> None:
        pfizer = course(date(2021, 7, 1), "pfizer", date(2021, 7, 22))
        assert check(pfizer, dose(date(2022, 1, 5), "pfizer", "additional")) == []
        assert check(pfizer, dose(date(2022, 1, 5), "pfizer", "booster_1")) == []
        # A Sinopharm course: the third dose is the additional one under 10722, booster 1 is flagged.
        vero = course(date(2021, 8, 1), "vero_cell", date(2021, 8, 25))
        assert fields(check(vero, dose(date(2022, 1, 5), "pfizer", "booster_1"))) == ["kind"]

    def test_flags_never_block(self) -> None:
        previous = course(date(2021, 8, 1), "vero_cell")
        problems = check(previous, dose(date(2021, 8, 5), "moderna", "booster_1"), birth_year=2010)
        assert problems and not any(blocking for *_rest, blocking in problems)
