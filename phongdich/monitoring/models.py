"""Health declarations of home F0, the personal links they declare through, and the alerts they raise."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area
from phongdich.cases.models import AlertLevel, Case, Severity


class Period(models.TextChoices):
    MORNING = "am", _("Sáng")
    EVENING = "pm", _("Chiều/tối")


class Channel(models.TextChoices):
    LINK = "link", _("Người bệnh tự khai qua liên kết")
    STAFF = "staff", _("Cán bộ khai hộ")
    API = "api", _("Ứng dụng khác (API)")


class Declaration(models.Model):
    """One health-monitoring sheet (phiếu theo dõi sức khỏe); ten million of them, so the row stays narrow."""

    # Indexed by (case, declared_at) below.
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("F0"), db_index=False
    )
    declared_at = models.DateTimeField(_("thời điểm khai báo"))
    period = models.CharField(_("buổi"), max_length=2, choices=Period.choices)
    resp_rate = models.PositiveSmallIntegerField(_("nhịp thở (lần/phút)"), null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(_("mạch (lần/phút)"), null=True, blank=True)
    temperature = models.DecimalField(_("nhiệt độ (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    spo2 = models.PositiveSmallIntegerField(_("SpO2 (%)"), null=True, blank=True)
    spo2_remeasured = models.PositiveSmallIntegerField(_("SpO2 đo lại (%)"), null=True, blank=True)
    bp_systolic = models.PositiveSmallIntegerField(_("huyết áp tâm thu"), null=True, blank=True)
    bp_diastolic = models.PositiveSmallIntegerField(_("huyết áp tâm trương"), null=True, blank=True)
    symptoms = models.JSONField(_("triệu chứng"), default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    channel = models.CharField(_("kênh khai báo"), max_length=5, choices=Channel.choices)
    # Null: the patient or family declared through the personal link. Users are never deleted,
    # so, as on Case.created_by, no FK constraint is checked on each of ten million inserts.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người khai hộ"), db_index=False, db_constraint=False,
    )  # fmt: skip
    # The triage decision and the rule sets it came from, kept with the sheet it judged.
    alert_level = models.PositiveSmallIntegerField(_("mức cảnh báo"), choices=AlertLevel.choices)
    severity = models.CharField(_("mức độ"), max_length=15, choices=Severity.choices, blank=True)
    signs = models.JSONField(_("dấu hiệu"), default=list, blank=True)
    rule_sets = models.JSONField(_("bộ quy tắc áp dụng"), default=list, blank=True)

    class Meta:
        verbose_name = _("phiếu theo dõi sức khỏe")
        verbose_name_plural = _("phiếu theo dõi sức khỏe")
        indexes = [models.Index(fields=["case", "declared_at"], name="declaration_case_time")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.declared_at:%d/%m/%Y %H:%M}"


class PatientLink(models.Model):
    """A personal link (no account) through which a patient or family declares; only its hash is stored."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="patient_links", verbose_name=_("F0"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tạo"),
        db_index=False, db_constraint=False,
    )  # fmt: skip
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người thu hồi"), db_index=False, db_constraint=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("liên kết khai báo cá nhân")
        verbose_name_plural = _("liên kết khai báo cá nhân")
        constraints = [
            # Creating a new link revokes the old one: at most one live link per case, even under a race.
            models.UniqueConstraint(fields=["case"], condition=Q(revoked_at__isnull=True), name="patientlink_one_live"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%d/%m/%Y}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Chưa nhận")
    ACKNOWLEDGED = "acknowledged", _("Đã nhận, đang xử lý")
    HANDLED = "handled", _("Đã xử lý")


UNHANDLED = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class AlertAction(models.TextChoices):
    PHONE_ADVICE = "tu_van_dien_thoai", _("Tư vấn qua điện thoại")
    HOME_VISIT = "tham_tai_nha", _("Đến khám tại nhà")
    STATION_VISIT = "kham_tai_tram", _("Khám tại trạm y tế")
    PACKAGE_B = "tui_thuoc_b", _("Cấp túi thuốc B")
    PACKAGE_C = "tui_thuoc_c", _("Cấp túi thuốc C")
    CALL_115 = "goi_115", _("Gọi cấp cứu 115")
    TRANSFER = "chuyen_vien", _("Chuyển cơ sở điều trị")


class Alert(models.Model):
    """A declaration that needs a person to act (level ≥ URGENT); one unhandled alert per case at a time."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("F0"))
    # Copied from the case so that the per-ward queue is one index range; indexed by the queue indexes.
    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("phường/xã"), db_index=False
    )
    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="+", verbose_name=_("phiếu khai báo"), db_index=False
    )
    level = models.PositiveSmallIntegerField(_("mức cảnh báo"), choices=AlertLevel.choices)
    signs = models.JSONField(_("dấu hiệu"), default=list, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    # When the alert reached its current level: an emergency escalates counted from here.
    raised_at = models.DateTimeField(_("lên mức hiện tại lúc"), default=timezone.now)
    status = models.CharField(_("trạng thái"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    acknowledged_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người nhận"), db_index=False,
    )  # fmt: skip
    handled_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người xử lý"), db_index=False,
    )  # fmt: skip
    action = models.CharField(_("xử trí"), max_length=20, choices=AlertAction.choices, blank=True)
    note = models.TextField(_("ghi chú xử trí"), blank=True)
    escalated_at = models.DateTimeField(_("chuyển lên quận lúc"), null=True, blank=True)
    # Optimistic locking: acknowledging or handling sends the version read; a stale one is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        constraints = [
            # A new bad declaration raises the unhandled alert instead of adding a second one.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status__in=UNHANDLED), name="alert_one_unhandled_per_case"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=AlertLevel.URGENT) & Q(level__lte=AlertLevel.EMERGENCY), name="alert_level_range"
            ),
            models.CheckConstraint(
                condition=~Q(status=AlertStatus.HANDLED) | (Q(handled_at__isnull=False) & ~Q(action="")),
                name="alert_handled_has_action",
            ),
        ]
        indexes = [
            # The queue: unhandled alerts of a ward (or a few hundred wards) by level, then waiting time.
            models.Index(
                fields=["ward", "-level", "created_at"], condition=Q(status__in=UNHANDLED), name="alert_queue"
            ),
            # "Handled today" and time-to-first-action reports.
            models.Index(fields=["ward", "handled_at"], condition=Q(status=AlertStatus.HANDLED), name="alert_handled"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_level_display()}"

    @property
    def first_action_at(self) -> datetime | None:
        times = [t for t in (self.acknowledged_at, self.handled_at) if t is not None]
        return min(times) if times else None

    @property
    def minutes_to_first_action(self) -> int | None:
        first = self.first_action_at
        if first is None:
            return None
        return int((first - self.created_at).total_seconds() // 60)

    @property
    def is_handled(self) -> bool:
        return self.status == AlertStatus.HANDLED
