"""The administrative-unit tree (province > district > ward) with GSO codes and population."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Tỉnh/Thành phố")
    DISTRICT = 2, _("Quận/Huyện")
    WARD = 3, _("Phường/Xã")


class Area(models.Model):
    # GSO codes are strings with leading zeros: "01" province, "001" district, "00001" ward.
    code = models.CharField(_("mã"), max_length=5, unique=True)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # Real boundaries when the city supplies them (import_geojson); null means none yet.
    geometry = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ward(self) -> bool:
        return self.level == Level.WARD
