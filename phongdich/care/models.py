"""Treatment facilities of the three tiers (QĐ 4111/QĐ-BYT), medicine packages A/B/C, stock and dispensing."""

from django.db import models
from django.db.models import F, Q
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
