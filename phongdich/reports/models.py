"""Daily summary tables: what every report, dashboard and epidemic level reads instead of the raw tables.

`WardDay` holds one row per ward and day with the day's counts. Flows are counted on their day; stocks (people
under treatment by place, F1 in quarantine) are stored as the day's moves in and out, so the stock on any day is
the running sum up to it (per ward, district or city: a sum over a few thousand rows, never over the cases).
`reports.tallies` keeps the rows current as data arrives (each write refreshes the ward-days it touched, from
indexed reads of the raw rows) and `manage.py rebuild_tallies` recomputes them all.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area


class WardDay(models.Model):
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("phường/xã"))
    day = models.DateField(_("ngày"))

    # New F0 by report day: the day (with the reporting boundary, Hà Nội 18:00 → 18:00) on which the case was
    # entered. Cases entered more than PHONGDICH_LATE_ENTRY_DAYS after their positive test are counted apart
    # (`new_late`), never in the day's community/quarantine count.
    new_community = models.PositiveIntegerField(default=0)
    new_quarantine = models.PositiveIntegerField(default=0)  # source quarantine or F1 → F0
    new_other = models.PositiveIntegerField(default=0)  # arrivals from other provinces
    new_late = models.PositiveIntegerField(default=0)
    # By positive-test date (the epidemic curve by date of onset of the record).
    positive = models.PositiveIntegerField(default=0)
    released = models.PositiveIntegerField(default=0)
    died = models.PositiveIntegerField(default=0)

    # Under treatment, by place: moves in and out on the day (registration, transfer, release, death).
    home_in = models.PositiveIntegerField(default=0)
    home_out = models.PositiveIntegerField(default=0)
    tier1_in = models.PositiveIntegerField(default=0)
    tier1_out = models.PositiveIntegerField(default=0)
    tier2_in = models.PositiveIntegerField(default=0)
    tier2_out = models.PositiveIntegerField(default=0)
    tier3_in = models.PositiveIntegerField(default=0)
    tier3_out = models.PositiveIntegerField(default=0)

    # Alerts opened on the day; handled on the day, and of those within PHONGDICH_ALERT_ESCALATE_MINUTES.
    alerts_opened = models.PositiveIntegerField(default=0)
    alerts_handled = models.PositiveIntegerField(default=0)
    alerts_handled_in_time = models.PositiveIntegerField(default=0)

    # F1: recorded on the day; quarantine moves in and out (the stock is their running sum).
    contacts_new = models.PositiveIntegerField(default=0)
    quarantine_in = models.PositiveIntegerField(default=0)
    quarantine_out = models.PositiveIntegerField(default=0)

    # Citizen requests received; answered on the day, and of those by their deadline.
    requests_new = models.PositiveIntegerField(default=0)
    requests_answered = models.PositiveIntegerField(default=0)
    requests_in_time = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu ngày của phường/xã")
        verbose_name_plural = _("số liệu ngày của phường/xã")
        constraints = [models.UniqueConstraint(fields=["ward", "day"], name="wardday_unique")]
        indexes = [models.Index(fields=["day", "ward"], name="wardday_day")]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.day}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang lập")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")


class ReportExport(models.Model):
    """A situation report written to xlsx by the worker (`reports.tasks.report_export_task`); the page polls it."""

    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("người yêu cầu")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo xuất xlsx")
        verbose_name_plural = _("báo cáo xuất xlsx")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="report_export_user")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.start}–{self.end}"

    @property
    def running(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
