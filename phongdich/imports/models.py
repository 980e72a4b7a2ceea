"""Import jobs and the issues found in their rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class ImportJob(models.Model):
    kind = models.CharField(_("loại"), max_length=20, default="cases")
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # The area the importing user works in: rows are accepted only for wards inside it.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("địa bàn"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    total_rows = models.PositiveIntegerField(default=0)
    # Data rows fully committed so far; a resumed job starts after them.
    processed_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("tạo mới"), default=0)
    matched_existing = models.PositiveIntegerField(_("đã có"), default=0)
    rejected = models.PositiveIntegerField(_("bị từ chối"), default=0)
    doubtful = models.PositiveIntegerField(_("cần xem lại"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    report = models.FileField(upload_to="import-reports/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("lượt nhập")
        verbose_name_plural = _("lượt nhập")
        ordering = ["-created_at"]

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class Severity(models.TextChoices):
    REJECTED = "rejected", _("Bị từ chối")
    DOUBTFUL = "doubtful", _("Cần xem lại")


class ImportIssue(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row_number = models.PositiveIntegerField(_("dòng"))  # as the spreadsheet numbers it (header = 1)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    field = models.CharField(_("cột"), max_length=100, blank=True)
    message = models.TextField(_("lý do"))
    values = models.JSONField(default=list)  # the row as it was read, for the report

    class Meta:
        ordering = ["row_number", "id"]
