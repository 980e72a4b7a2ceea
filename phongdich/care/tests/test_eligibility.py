from datetime import date, timedelta

from django.core.exceptions import ValidationError

from phongdich.care.models import Package
from phongdich.care.services import dispensing_check, package_rules
from phongdich.care.tests.base import CareTestCase
from phongdich.cases.models import Case, Severity
from phongdich.rules.registry import rule_set_in_force

# 10/01/2022: Hà Nội's molnupiravir programme (23/12/2021) is in force; 20/02/2022: after QĐ 69/QĐ-QLD.
PROGRAMME = date(2022, 1, 10)
LICENSED = date(2022, 2, 20)


class MedicineRuleSetTests(CareTestCase):
    def test_the_rule_set_in_force_follows_the_date(self) -> None:
        codes = {
            date(2021, 12, 5): "HN-SYT-TUI-THUOC-2021-12-05",
            date(2021, 12, 8): "HN-SYT-TUI-THUOC-2021-12-07",
            PROGRAMME: "HN-MOLNUPIRAVIR-2021-12-23",
            LICENSED: "HN-TUI-THUOC-QD-69-QLD-2022-02-17",
        }
        for day, code in codes.items():
            assert rule_set_in_force(kind="medicine", on=day).code == code, day

    def test_every_rule_set_describes_three_packages_with_contents(self) -> None:
        for day in (date(2021, 12, 5), date(2021, 12, 8), PROGRAMME, LICENSED):
            for package in Package.values:
                _rule_set, rules = package_rules(package=package, on=day)
                assert rules["contents"] and all(item["drug"] and item["quantity"] for item in rules["contents"])

    def test_before_the_first_rule_set_nothing_is_dispensed(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Chưa có quy định về túi thuốc áp dụng ngày 01/12/2021"):
            package_rules(package=Package.A, on=date(2021, 12, 1))


class DispensingCheckTests(CareTestCase):
    def refusals(self, case: Case, package: str = Package.C, *, on: date = PROGRAMME, **kwargs: object) -> list[str]:
        values = {"prescribed_by": None, "consent_signed": True, **kwargs}
        try:
            dispensing_check(case=case, package=package, on=on, **values)  # type: ignore[arg-type]
        except ValidationError as error:
            return error.messages
        return []

    def test_c_allowed_for_an_eligible_adult(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME - timedelta(days=2))
        assert self.refusals(case) == []

    def test_c_age_17_refused_18_allowed(self) -> None:
        on = PROGRAMME
        seventeen = self.adult_case(confirmed_on=on, birth_date=date(2004, 1, 11), birth_year=2004)
        eighteen = self.adult_case(confirmed_on=on, birth_date=date(2004, 1, 10), birth_year=2004)
        refused = self.refusals(seventeen, on=on)
        assert len(refused) == 1
        assert "Túi thuốc C chỉ dùng cho người từ 18 tuổi; F0 mới 17 tuổi" in refused[0]
        assert (
            "(theo Quy trình cấp phát molnupiravir theo chương trình có kiểm soát của Hà Nội ngày 23/12/2021)."
            in refused[0]
        )
        assert self.refusals(eighteen, on=on) == []

    def test_c_age_unknown_refused(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME, birth_date=None, birth_year=None)
        assert any("không xác định được tuổi" in m for m in self.refusals(case))

    def test_c_day_5_allowed_day_6_refused(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME)
        assert self.refusals(case, on=PROGRAMME + timedelta(days=5)) == []
        refused = self.refusals(case, on=PROGRAMME + timedelta(days=6))
        assert len(refused) == 1
        assert "Đã quá 5 ngày kể từ ngày dương tính 10/01/2022 (đã 6 ngày)" in refused[0]

    def test_c_refused_for_a_pregnant_woman(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME, birth_date=date(1995, 3, 3), birth_year=1995, pregnant=True)
        assert self.refusals(case) == [
            "Túi thuốc C không dùng cho phụ nữ đang mang thai "
            "(theo Quy trình cấp phát molnupiravir theo chương trình có kiểm soát của Hà Nội ngày 23/12/2021)."
        ]

    def test_c_refused_for_a_breastfeeding_woman(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME)
        Case.objects.filter(pk=case.pk).update(breastfeeding=True)
        case.refresh_from_db()
        refused = self.refusals(case)
        assert len(refused) == 1 and "không dùng cho phụ nữ đang cho con bú" in refused[0]

    def test_c_without_signed_consent_refused_on_the_consent_field(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME)
        with self.assertRaises(ValidationError) as raised:
            dispensing_check(case=case, package=Package.C, on=PROGRAMME, prescribed_by=None, consent_signed=False)
        assert list(raised.exception.message_dict) == ["consent_signed"]
        assert "Chưa có cam kết đồng ý ký tên của F0" in raised.exception.message_dict["consent_signed"][0]

    def test_every_reason_is_given_at_once(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME, birth_date=date(2005, 1, 1), birth_year=2005, pregnant=True)
        with self.assertRaises(ValidationError) as raised:
            dispensing_check(
                case=case, package=Package.C, on=PROGRAMME + timedelta(days=9), prescribed_by=None, consent_signed=False
            )
        errors = raised.exception.message_dict
        assert len(errors["package"]) == 3  # age, days, pregnancy
        assert len(errors["consent_signed"]) == 1

    def test_after_licensing_c_needs_a_risk_factor_and_a_mild_or_moderate_level(self) -> None:
        young = self.adult_case(confirmed_on=LICENSED, birth_date=date(1990, 1, 1), birth_year=1990)
        assert not young.high_risk
        refused = self.refusals(young, on=LICENSED)
        assert (
            len(refused) == 1
            and "ít nhất một yếu tố nguy cơ" in refused[0]
            and "(theo QĐ 69/QĐ-QLD ngày 17/02/2022)." in refused[0]
        )
        older = self.adult_case(confirmed_on=LICENSED)
        assert self.refusals(older, on=LICENSED) == []
        Case.objects.filter(pk=older.pk).update(severity=Severity.ASYMPTOMATIC)
        older.refresh_from_db()
        refused = self.refusals(older, on=LICENSED)
        assert len(refused) == 1 and "chỉ dùng cho F0 mức độ nhẹ, trung bình" in refused[0]

    def test_b_without_a_doctor_refused(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME)
        with self.assertRaises(ValidationError) as raised:
            dispensing_check(case=case, package=Package.B, on=PROGRAMME, prescribed_by=None, consent_signed=False)
        assert raised.exception.message_dict == {
            "prescribed_by": [
                "Túi thuốc B phải do bác sĩ kê đơn: chọn bác sĩ kê đơn "
                "(theo Quy trình cấp phát molnupiravir theo chương trình có kiểm soát của Hà Nội ngày 23/12/2021)."
            ]
        }

    def test_b_with_the_ward_doctor_allowed_and_with_a_non_doctor_refused(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME)
        assert self.refusals(case, Package.B, prescribed_by=self.doctor_a1) == []
        refused = self.refusals(case, Package.B, prescribed_by=self.ward_officer_a1)
        assert len(refused) == 1 and "Người kê đơn phải là bác sĩ" in refused[0]

    def test_a_needs_no_consent_and_no_doctor(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME - timedelta(days=20))
        assert self.refusals(case, Package.A, consent_signed=False) == []

    def test_not_for_an_f0_in_a_facility_or_no_longer_active(self) -> None:
        case = self.adult_case(confirmed_on=PROGRAMME)
        Case.objects.filter(pk=case.pk).update(place="facility", status="released")
        case.refresh_from_db()
        refused = self.refusals(case, Package.A)
        assert len(refused) == 2
        assert "F0 không còn đang điều trị" in refused[0]
        assert "dành cho F0 điều trị tại nhà" in refused[1]
