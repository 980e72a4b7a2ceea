"""Epidemic levels (cấp độ dịch, NQ 128/NQ-CP): one assessment per area and cut-off day, with all it was based on."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area


class Level(models.IntegerChoices):
    GREEN = 1, _("Cấp 1 – nguy cơ thấp (xanh)")
    YELLOW = 2, _("Cấp 2 – nguy cơ trung bình (vàng)")
    ORANGE = 3, _("Cấp 3 – nguy cơ cao (cam)")
    RED = 4, _("Cấp 4 – nguy cơ rất cao (đỏ)")


class AssessmentKind(models.TextChoices):
    WEEKLY = "weekly", _("Đánh giá hằng tuần")
    ON_DEMAND = "on_demand", _("Tính khi cần")


class Assessment(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    cutoff_on = models.DateField(_("số liệu đến hết ngày"))
    kind = models.CharField(_("loại"), max_length=10, choices=AssessmentKind.choices)
    level = models.PositiveSmallIntegerField(_("cấp độ"), choices=Level.choices)
    # QĐ 218: the two dimensions; empty under 4800.
    transmission = models.PositiveSmallIntegerField(_("mức độ lây nhiễm"), null=True, blank=True)
    capacity = models.CharField(_("khả năng đáp ứng"), max_length=10, blank=True)
    rule_set = models.CharField(_("quy định"), max_length=40)
    rule_version = models.PositiveIntegerField(_("phiên bản quy định"), default=1)
    # The indicator values (counts, population, window, coverage, capacity) and the steps / matrix cell.
    inputs = models.JSONField(default=dict)
    reasoning = models.JSONField(default=list)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("đánh giá cấp độ dịch")
        verbose_name_plural = _("đánh giá cấp độ dịch")
        constraints = [
            models.UniqueConstraint(fields=["area", "cutoff_on", "kind"], name="assessment_unique"),
        ]
        indexes = [models.Index(fields=["cutoff_on", "kind", "area"], name="assessment_day")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.cutoff_on} {self.level}"
