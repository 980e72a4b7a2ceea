"""Epidemic levels (cấp độ dịch, NQ 128/NQ-CP): one assessment per area and cut-off day, with all it was based on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area
from phongdich.levels.evaluate import CAPACITY_LABELS


class Level(models.IntegerChoices):
    GREEN = 1, _("Cấp 1 – nguy cơ thấp (xanh)")
    YELLOW = 2, _("Cấp 2 – nguy cơ trung bình (vàng)")
    ORANGE = 3, _("Cấp 3 – nguy cơ cao (cam)")
    RED = 4, _("Cấp 4 – nguy cơ rất cao (đỏ)")


# The colours of NQ 128 (xanh, vàng, cam, đỏ) as the pages and the map paint them.
LEVEL_COLOURS = {1: "#2e7d32", 2: "#f9a825", 3: "#ef6c00", 4: "#c62828"}


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
    # What produced the level: {"band", "adjustment"} under 4800, {"row", "column"} of the matrix under 218.
    cell = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("đánh giá cấp độ dịch")
        verbose_name_plural = _("đánh giá cấp độ dịch")
        constraints = [
            models.UniqueConstraint(fields=["area", "cutoff_on", "kind"], name="assessment_unique"),
        ]
        indexes = [
            models.Index(fields=["cutoff_on", "kind", "area"], name="assessment_day"),
            # The newest assessment of an area: one index probe per area (the map, the dashboards).
            models.Index(fields=["area", "-cutoff_on", "-computed_at", "-id"], name="assessment_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.cutoff_on} {self.level}"

    @property
    def capacity_label(self) -> str:
        """218: cao / trung bình / thấp; 4800: whether the treatment-capacity criterion was met."""
        if self.capacity:
            return str(CAPACITY_LABELS.get(self.capacity, self.capacity))
        met = (self.inputs.get("criteria") or {}).get("capacity_met")
        return "" if met is None else str(_("đạt") if met else _("chưa đạt"))

    @property
    def cell_label(self) -> str:
        """Which matrix cell (218) or band and adjustment (4800) produced the level."""
        if "row" in self.cell:
            return str(_("lây nhiễm %(row)s × đáp ứng %(column)s")) % {
                "row": self.cell["row"],
                "column": CAPACITY_LABELS.get(self.cell["column"], self.cell["column"]),
            }
        if "band" in self.cell:
            adjustment = {
                "raised": _(", nâng 1 cấp (tiêm chủng chưa đạt)"),
                "lowered": _(", hạ về cấp 3 (đạt tiêm chủng và năng lực)"),
            }.get(self.cell.get("adjustment"), "")
            return str(_("dải cấp %(band)s")) % {"band": self.cell["band"]} + str(adjustment)
        return ""


class RuleVersion(models.Model):
    """The numbers of an epidemic-level rule set as a health department set them: a change is a new version.

    Version 1 is seeded from the rule set's JSON file the first time it is used; the evaluator always uses the
    latest version of the rule set in force on the cut-off date, and every Assessment records the version."""

    rule_set = models.CharField(_("quy định"), max_length=40)
    number = models.PositiveIntegerField(_("phiên bản"))
    params = models.JSONField(_("các ngưỡng"))
    note = models.CharField(_("lý do thay đổi"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản quy định cấp độ dịch")
        verbose_name_plural = _("phiên bản quy định cấp độ dịch")
        constraints = [models.UniqueConstraint(fields=["rule_set", "number"], name="rule_version_unique")]

    def __str__(self) -> str:
        return f"{self.rule_set} v{self.number}"
