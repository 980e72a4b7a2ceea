"""Treatment facilities of the three tiers (QĐ 4111/QĐ-BYT), medicine packages A/B/C, stock and dispensing.

What a package holds and who may receive it is data (rule sets of kind "medicine" in rules/data/); the
records here keep the package letter and the code of the rule set that decided.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area


class Tier(models.IntegerChoices):
    # QĐ 4111/QĐ-BYT (26/08/2021), "tháp 3 tầng".
    ONE = 1, _("Tầng 1 (không triệu chứng, nhẹ)")
    TWO = 2, _("Tầng 2 (trung bình, nặng)")
    THREE = 3, _("Tầng 3 (nặng, nguy kịch)")


class Facility(models.Model):
    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên cơ sở"), max_length=200)
    tier = models.PositiveSmallIntegerField(_("tầng"), choices=Tier.choices)
    district = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("quận/huyện"))
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("kinh độ"), null=True, blank=True)
    beds = models.PositiveIntegerField(_("số giường"))
    icu_beds = models.PositiveIntegerField(_("số giường hồi sức tích cực"), default=0)
    # Kept exact by conditional UPDATEs in the transfer services; the constraints make overbooking impossible.
    occupied = models.PositiveIntegerField(_("đang điều trị"), default=0)
    icu_occupied = models.PositiveIntegerField(_("đang hồi sức tích cực"), default=0)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ sở điều trị")
        verbose_name_plural = _("cơ sở điều trị")
        ordering = ["tier", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(occupied__lte=F("beds")), name="facility_not_overbooked"),
            models.CheckConstraint(condition=Q(icu_occupied__lte=F("icu_beds")), name="facility_icu_not_overbooked"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def free_beds(self) -> int:
        return self.beds - self.occupied

    @property
    def free_icu_beds(self) -> int:
        return self.icu_beds - self.icu_occupied


class Package(models.TextChoices):
    # Hà Nội's three home-care packages; their contents change with the rule set in force.
    A = "A", _("Túi thuốc A")
    B = "B", _("Túi thuốc B")
    C = "C", _("Túi thuốc C")


class Stock(models.Model):
    """Packages held by a ward health station or a district health centre.

    `balance`, `received`, `dispensed` and `adjusted` change together in one conditional UPDATE; the
    constraints keep the balance at or above zero and equal to what came in minus what went out.
    """

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("nơi giữ thuốc"))
    package = models.CharField(_("túi thuốc"), max_length=1, choices=Package.choices)
    balance = models.PositiveIntegerField(_("tồn kho"), default=0)
    received = models.PositiveIntegerField(_("đã nhận"), default=0)
    dispensed = models.PositiveIntegerField(_("đã cấp phát"), default=0)
    adjusted = models.IntegerField(_("điều chỉnh kiểm kê"), default=0)

    class Meta:
        verbose_name = _("kho thuốc")
        verbose_name_plural = _("kho thuốc")
        constraints = [
            models.UniqueConstraint(fields=["area", "package"], name="stock_unique_area_package"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="stock_balance_not_negative"),
            models.CheckConstraint(
                condition=Q(balance=F("received") - F("dispensed") + F("adjusted")), name="stock_balance_adds_up"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.package}: {self.balance}"


class MovementKind(models.TextChoices):
    RECEIVED = "received", _("Nhận vào kho")
    DISPENSED = "dispensed", _("Cấp phát cho F0")
    ADJUSTED = "adjusted", _("Điều chỉnh kiểm kê")


class Dispensing(models.Model):
    """One package handed to one F0: who gave it, from which stock, under which rule set."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="dispensings", verbose_name=_("F0"))
    package = models.CharField(_("túi thuốc"), max_length=1, choices=Package.choices)
    rule_set = models.CharField(_("quy định áp dụng"), max_length=60)
    dispensed_at = models.DateTimeField(_("thời điểm cấp"), default=timezone.now)
    dispensed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người cấp")
    )
    from_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("lấy từ kho"))
    prescribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("bác sĩ kê đơn"),
    )  # fmt: skip
    consent_signed = models.BooleanField(_("đã ký cam kết đồng ý"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cấp phát thuốc")
        verbose_name_plural = _("cấp phát thuốc")
        indexes = [models.Index(fields=["case", "package"], name="dispensing_case_package")]

    def __str__(self) -> str:
        return f"{self.package} → {self.case_id}"


class StockMovement(models.Model):
    """One change of a stock's balance; `quantity` is the signed change (received +n, dispensed −1)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("nơi giữ thuốc"))
    package = models.CharField(_("túi thuốc"), max_length=1, choices=Package.choices)
    kind = models.CharField(_("loại"), max_length=10, choices=MovementKind.choices)
    quantity = models.IntegerField(_("số lượng"))
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người thực hiện")
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    dispensing = models.OneToOneField(
        Dispensing, on_delete=models.PROTECT, null=True, blank=True, related_name="movement"
    )

    class Meta:
        verbose_name = _("nhập/xuất kho")
        verbose_name_plural = _("nhập/xuất kho")
        indexes = [models.Index(fields=["area", "package", "at"], name="stock_movement_area_day")]


class TransferKind(models.TextChoices):
    ADMIT = "admit", _("Chuyển từ nhà vào cơ sở")
    TRANSFER = "transfer", _("Chuyển cơ sở, chuyển tầng")
    DISCHARGE = "discharge", _("Ra viện, về nhà")


class Transfer(models.Model):
    """One move of an F0 between home and facilities; an empty side means home."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="transfers", verbose_name=_("F0"))
    kind = models.CharField(_("loại"), max_length=10, choices=TransferKind.choices)
    from_facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("từ")
    )
    to_facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đến")
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người thực hiện")
    )
    reason = models.CharField(_("lý do"), max_length=255)
    # The F0's version as the officer saw it; the move applied only if nobody changed the F0 since.
    case_version = models.PositiveIntegerField(_("phiên bản F0"))

    class Meta:
        verbose_name = _("chuyển tầng, chuyển viện")
        verbose_name_plural = _("chuyển tầng, chuyển viện")
        indexes = [models.Index(fields=["case", "at"], name="transfer_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"
