"""Allowances for the anti-epidemic forces: rates as dated rows, what each person is owed, and what was paid.

A rate is never edited once an entitlement uses it: it is closed (`valid_to`) and replaced by a new row, so
every entitlement keeps pointing at the rate, amount and document it was computed from. `Entitlement.paid`
is the sum of its payments that are not cancelled, kept by the payment services in one conditional UPDATE;
the CHECK constraints make an overpayment impossible even under concurrent writes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area


class Beneficiary(models.TextChoices):
    COMMUNITY_TEAM = "community_team", _("Thành viên Tổ Covid cộng đồng")
    HOME_CARE_TEAM = "home_care_team", _("Thành viên Tổ hỗ trợ F0 tại nhà")
    MOBILE_STATION = "mobile_station", _("Nhân viên trạm y tế lưu động")
    FRONTLINE = "frontline", _("Lực lượng tuyến đầu (chốt kiểm soát, cán bộ phường/xã)")


class Unit(models.TextChoices):
    PER_DAY = "day", _("đồng/người/ngày")
    PER_MONTH = "month", _("đồng/người/tháng")
    ONCE = "once", _("đồng/người/lần")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    BANK = "bank", _("Chuyển khoản")


class AllowanceRate(models.Model):
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên chế độ"), max_length=200)
    beneficiary = models.CharField(_("đối tượng"), max_length=20, choices=Beneficiary.choices)
    unit = models.CharField(_("đơn vị tính"), max_length=5, choices=Unit.choices)
    amount = models.PositiveIntegerField(_("mức (đồng)"))
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True)
    document = models.CharField(_("văn bản"), max_length=200)
    source = models.URLField(_("nguồn"), max_length=500, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("thay cho mức")
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("mức hỗ trợ")
        verbose_name_plural = _("mức hỗ trợ")
        ordering = ["beneficiary", "valid_from", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allowance_rate_amount_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="allowance_rate_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.amount:,} {self.get_unit_display()})".replace(",", ".")

    def in_force_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Entitlement(models.Model):
    """What one person is owed for one period of service at one rate.

    The beneficiary is a team member (linked, name copied) or a named front-line person; the name is kept
    here because a member may later leave the team. `amount` is computed once, at creation, from the rate.
    """

    ward = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("phường/xã"))
    team_member = models.ForeignKey(
        "teams.TeamMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("thành viên tổ"),
    )  # fmt: skip
    team = models.ForeignKey(
        "teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tổ")
    )
    full_name = models.CharField(_("họ và tên"), max_length=100)
    phone = models.CharField(_("số điện thoại"), max_length=11, blank=True)
    unit_name = models.CharField(_("đơn vị, vai trò"), max_length=150, blank=True)
    # Who this is, for counting people rather than entitlements: "m<member id>", or "n:<folded name>:<phone>".
    person_key = models.CharField(max_length=140)
    rate = models.ForeignKey(AllowanceRate, on_delete=models.PROTECT, related_name="entitlements")
    start_on = models.DateField(_("từ ngày"))
    end_on = models.DateField(_("đến hết ngày"))
    days_served = models.PositiveIntegerField(_("số ngày làm nhiệm vụ"))
    amount = models.PositiveBigIntegerField(_("số tiền được hưởng"))
    paid = models.PositiveBigIntegerField(_("đã chi trả"), default=0)
    # The rate as it was when the amount was computed: what the public list shows.
    rate_amount = models.PositiveIntegerField(_("mức"))
    rate_unit = models.CharField(_("đơn vị tính"), max_length=5, choices=Unit.choices)
    document = models.CharField(_("văn bản"), max_length=200)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("lý do huỷ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("khoản được hưởng")
        verbose_name_plural = _("khoản được hưởng")
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=F("start_on")), name="entitlement_period"),
            models.CheckConstraint(condition=Q(paid__lte=F("amount")), name="entitlement_not_overpaid"),
        ]
        indexes = [models.Index(fields=["ward", "end_on"], name="entitlement_ward_end")]

    def __str__(self) -> str:
        return f"{self.full_name}: {self.amount}"

    @property
    def owed(self) -> int:
        return self.amount - self.paid


class Payment(models.Model):
    """Money handed over against one entitlement. Never deleted: a mistake is cancelled, with a reason."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveBigIntegerField(_("số tiền"))
    paid_on = models.DateField(_("ngày chi"))
    voucher = models.CharField(_("số chứng từ"), max_length=50)
    method = models.CharField(_("hình thức"), max_length=5, choices=PaymentMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("lý do huỷ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("chi trả")
        verbose_name_plural = _("chi trả")
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]
        indexes = [models.Index(fields=["entitlement", "paid_on"], name="payment_entitlement_day")]
