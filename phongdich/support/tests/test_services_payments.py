from datetime import date

import pytest
from django.core.exceptions import ValidationError

from phongdich.audit.models import AuditLog, Event
from phongdich.support.models import Entitlement, Payment
from phongdich.support.services import entitlement_cancel, payment_cancel
from phongdich.support.tests.base import SupportTestCase


class PaymentTests(SupportTestCase):
    def setUp(self) -> None:
        self.e = self.named()  # 1,500,000 owed

    def test_pay_in_parts_until_paid(self) -> None:
        self.pay(self.e, 1_000_000)
        self.pay(self.e, 500_000, paid_on=date(2022, 2, 10))
        self.e.refresh_from_db()
        assert (self.e.paid, self.e.owed) == (1_500_000, 0)
        log = AuditLog.objects.filter(target_type="payment", event=Event.CREATE).latest("id")
        assert log.changes["amount"] == 500_000 and log.changes["full_name"] == "Lê Văn Cường"

    def test_overpayment_is_refused_with_what_is_owed(self) -> None:
        self.pay(self.e, 1_000_000)
        with pytest.raises(ValidationError) as error:
            self.pay(self.e, 600_000)
        assert error.value.message_dict["amount"] == [
            "Số tiền 600.000 đồng vượt quá số còn phải trả cho Lê Văn Cường (500.000 đồng)."
        ]
        assert Payment.objects.count() == 1
        assert Entitlement.objects.get(pk=self.e.pk).paid == 1_000_000

    def test_bad_input_names_the_field(self) -> None:
        with pytest.raises(ValidationError) as error:
            self.pay(self.e, 0, paid_on=date(2022, 4, 2), voucher=" ")
        assert set(error.value.message_dict) == {"amount", "paid_on", "voucher"}
        with pytest.raises(ValidationError) as error:
            self.pay(self.e, 1000, paid_on=date(2021, 12, 31))
        assert "trước ngày bắt đầu" in error.value.message_dict["paid_on"][0]

    def test_outside_the_area(self) -> None:
        from phongdich.support.services import payment_record

        with pytest.raises(ValidationError):
            payment_record(
                actor=self.ward_officer_b1, entitlement=self.e, amount=1000, paid_on=date(2022, 1, 20), voucher="X",
                method="cash", today=date(2022, 3, 1),
            )  # fmt: skip

    def test_cancel_reverses_and_keeps_the_row(self) -> None:
        payment = self.pay(self.e, 1_500_000)
        with pytest.raises(ValidationError) as error:
            payment_cancel(actor=self.ward_officer_a1, payment=payment, reason="")
        assert "reason" in error.value.message_dict
        payment_cancel(actor=self.ward_officer_a1, payment=payment, reason="Ghi nhầm người")
        payment.refresh_from_db()
        self.e.refresh_from_db()
        assert payment.cancelled_at is not None and payment.cancelled_by == self.ward_officer_a1
        assert (self.e.paid, self.e.owed) == (0, 1_500_000)
        assert Payment.objects.filter(pk=payment.pk).exists()
        with pytest.raises(ValidationError):
            payment_cancel(actor=self.ward_officer_a1, payment=payment, reason="Lần nữa")
        assert Entitlement.objects.get(pk=self.e.pk).paid == 0
        assert AuditLog.objects.filter(target_type="payment", event=Event.UPDATE, target_id=payment.pk).count() == 1
        # The amount can be paid again, in full.
        self.pay(self.e, 1_500_000)

    def test_a_cancelled_entitlement_cannot_be_paid(self) -> None:
        entitlement_cancel(actor=self.city_admin, entitlement=self.e, reason="Lập nhầm")
        with pytest.raises(ValidationError) as error:
            self.pay(self.e, 1000)
        assert "đã bị huỷ" in error.value.message_dict["amount"][0]
