from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from phongdich.audit.models import AuditLog
from phongdich.care.models import Dispensing, MovementKind, Package, Stock, StockMovement
from phongdich.care.services import medicine_dispense, stock_adjust, stock_receive
from phongdich.care.tests.base import CareTestCase


class StockReceiveTests(CareTestCase):
    def test_receive_adds_up_and_is_audited(self) -> None:
        stock_receive(actor=self.ward_officer_a1, area=self.ward_a1, package=Package.A, quantity=30, note="Lô 1")
        stock = stock_receive(actor=self.ward_officer_a1, area=self.ward_a1, package=Package.A, quantity=20)
        assert (stock.balance, stock.received, stock.dispensed) == (50, 50, 0)
        assert list(StockMovement.objects.filter(area=self.ward_a1).values_list("kind", "quantity")) == [
            (MovementKind.RECEIVED, 30), (MovementKind.RECEIVED, 20),
        ]  # fmt: skip
        assert AuditLog.objects.filter(target_type="stock_movement", actor=self.ward_officer_a1).count() == 2

    def test_receive_is_refused_outside_the_area_or_for_a_province(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Kho thuốc phải thuộc địa bàn của bạn"):
            stock_receive(actor=self.ward_officer_a1, area=self.ward_b1, package=Package.A, quantity=1)
        with self.assertRaisesMessage(ValidationError, "trạm y tế phường/xã hoặc của quận/huyện"):
            stock_receive(actor=self.city_admin, area=self.province, package=Package.A, quantity=1)
        with self.assertRaisesMessage(ValidationError, "Số túi nhận vào phải từ 1"):
            stock_receive(actor=self.city_admin, area=self.ward_a1, package=Package.A, quantity=0)
        assert not Stock.objects.exists()

    def test_adjust_never_below_zero(self) -> None:
        self.stock(self.ward_a1, Package.B, 3)
        stock = stock_adjust(
            actor=self.ward_officer_a1, area=self.ward_a1, package=Package.B, quantity=-2, note="Kiểm kê"
        )
        assert (stock.balance, stock.adjusted) == (1, -2)
        with self.assertRaisesMessage(ValidationError, "Tồn kho không đủ để giảm 2 túi"):
            stock_adjust(actor=self.ward_officer_a1, area=self.ward_a1, package=Package.B, quantity=-2, note="Kiểm kê")
        with self.assertRaisesMessage(ValidationError, "Ghi lý do điều chỉnh"):
            stock_adjust(actor=self.ward_officer_a1, area=self.ward_a1, package=Package.B, quantity=5, note=" ")
        assert self.balance(self.ward_a1, Package.B) == 1

    def test_the_database_refuses_a_negative_balance(self) -> None:
        stock = self.stock(self.ward_a1, Package.A, 1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Stock.objects.filter(pk=stock.pk).update(balance=-1, adjusted=-2)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Stock.objects.filter(pk=stock.pk).update(balance=5)  # no longer received − dispensed + adjusted


class MedicineDispenseTests(CareTestCase):
    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.case = self.adult_case(confirmed_on=self.today - timedelta(days=1))

    def dispense(self, package: str = Package.C, **kwargs: object) -> Dispensing:
        values = {
            "actor": self.ward_officer_a1,
            "case": self.case,
            "package": package,
            "consent_signed": True,
            **kwargs,
        }
        return medicine_dispense(**values)  # type: ignore[arg-type]

    def test_dispense_takes_from_the_ward_station_then_the_district(self) -> None:
        self.stock(self.ward_a1, Package.C, 1)
        self.stock(self.district_a, Package.C, 1)
        first = self.dispense(note="  Giao tận nhà ")
        assert first.from_area == self.ward_a1
        assert first.rule_set == "HN-TUI-THUOC-QD-69-QLD-2022-02-17"
        assert first.note == "Giao tận nhà"
        other = self.adult_case(confirmed_on=self.today, birth_date=None, birth_year=1950)
        second = self.dispense(case=other)
        assert second.from_area == self.district_a
        assert (self.balance(self.ward_a1), self.balance(self.district_a)) == (0, 0)
        ward_stock = Stock.objects.get(area=self.ward_a1, package=Package.C)
        assert (ward_stock.received, ward_stock.dispensed) == (1, 1)
        movement = StockMovement.objects.get(dispensing=first)
        assert (movement.kind, movement.quantity, movement.area) == (MovementKind.DISPENSED, -1, self.ward_a1)
        assert AuditLog.objects.filter(target_type="dispensing", target_id=first.pk).exists()

    def test_empty_stock_is_refused_and_nothing_is_recorded(self) -> None:
        self.stock(self.ward_a1, Package.A, 3)  # other packages do not help
        with self.assertRaisesMessage(
            ValidationError, "Hết túi thuốc C tại trạm y tế Phường Phúc Xá và tại kho Quận Ba Đình."
        ):
            self.dispense()
        assert not Dispensing.objects.exists()
        assert not StockMovement.objects.filter(kind=MovementKind.DISPENSED).exists()

    def test_sequential_dispensing_never_goes_negative(self) -> None:
        self.stock(self.ward_a1, Package.A, 2)
        cases = [self.adult_case(confirmed_on=self.today, full_name=f"Người {i}") for i in range(3)]
        self.dispense(Package.A, case=cases[0])
        self.dispense(Package.A, case=cases[1])
        with self.assertRaisesMessage(ValidationError, "Hết túi thuốc A"):
            self.dispense(Package.A, case=cases[2])
        assert self.balance(self.ward_a1, Package.A) == 0

    def test_the_same_package_only_once_per_f0(self) -> None:
        self.stock(self.ward_a1, Package.C, 5)
        self.dispense()
        with self.assertRaisesMessage(ValidationError, f"F0 đã được cấp Túi thuốc C ngày {self.today:%d/%m/%Y}"):
            self.dispense()
        assert self.balance(self.ward_a1) == 4

    def test_refusal_leaves_stock_untouched(self) -> None:
        self.stock(self.ward_a1, Package.C, 5)
        with self.assertRaisesMessage(ValidationError, "cam kết đồng ý"):
            self.dispense(consent_signed=False)
        assert self.balance(self.ward_a1) == 5

    def test_b_is_dispensed_with_a_prescription_and_not_by_a_team_member(self) -> None:
        self.stock(self.ward_a1, Package.B, 5)
        with self.assertRaisesMessage(ValidationError, "do nhân viên y tế cấp phát"):
            self.dispense(Package.B, actor=self.team_member_a1, prescribed_by=self.doctor_a1)
        dispensing = self.dispense(Package.B, actor=self.doctor_a1, prescribed_by=self.doctor_a1)
        assert dispensing.prescribed_by == self.doctor_a1
        # A is what community teams hand out.
        self.stock(self.ward_a1, Package.A, 1)
        assert self.dispense(Package.A, actor=self.team_member_a1).dispensed_by == self.team_member_a1

    def test_an_f0_outside_the_actors_area_is_refused(self) -> None:
        self.stock(self.ward_a1, Package.A, 1)
        with self.assertRaisesMessage(ValidationError, "không thuộc địa bàn của bạn"):
            self.dispense(Package.A, actor=self.ward_officer_b1)
        assert self.balance(self.ward_a1, Package.A) == 1
