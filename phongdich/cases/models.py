"""F0 cases: one row per confirmed infection of a person, managed by one ward."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import DateTimeField, F, Func, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area
from phongdich.people.models import Person


class TestKind(models.TextChoices):
    RT_PCR = "rt_pcr", _("RT-PCR")
    RAPID_ANTIGEN = "rapid_antigen", _("Test nhanh kháng nguyên do nhân viên y tế thực hiện")
    SELF_TEST_CONFIRMED = "self_test", _("Tự test, nhân viên y tế xác nhận")


class Source(models.TextChoices):
    COMMUNITY = "community", _("Cộng đồng")
    QUARANTINE = "quarantine", _("Đang cách ly")
    F1 = "f1", _("F1 chuyển F0")
    ARRIVAL = "arrival", _("Từ tỉnh khác đến")


class Status(models.TextChoices):
    ACTIVE = "active", _("Đang theo dõi")
    RELEASED = "released", _("Đã hoàn thành cách ly")
    DIED = "died", _("Tử vong")


class Place(models.TextChoices):
    HOME = "home", _("Điều trị tại nhà")
    FACILITY = "facility", _("Tại cơ sở điều trị")


class Severity(models.TextChoices):
    # QĐ 4689/QĐ-BYT (06/10/2021); "không triệu chứng" added by QĐ 250/QĐ-BYT (28/01/2022).
    ASYMPTOMATIC = "asymptomatic", _("Không triệu chứng")
    MILD = "mild", _("Nhẹ")
    MODERATE = "moderate", _("Trung bình")
    SEVERE = "severe", _("Nặng")
    CRITICAL = "critical", _("Nguy kịch")


class AlertLevel(models.IntegerChoices):
    NONE = 0, _("Bình thường")
    MONITOR = 1, _("Theo dõi")
    URGENT = 2, _("Khẩn")
    EMERGENCY = 3, _("Cấp cứu")


class AgeGroup(models.TextChoices):
    # Bands used in MoH reports; "risk" in the home-care rules starts at 50.
    CHILD = "0-17", _("Dưới 18")
    ADULT = "18-49", _("18–49")
    MIDDLE = "50-64", _("50–64")
    ELDER = "65+", _("Từ 65")


class LocalMidnight(Func):
    """The start of a date in the project's time zone, as an aware datetime.

    On PostgreSQL the SQL is immutable (`date::timestamp AT TIME ZONE 'zone'`), so an index can hold it:
    the city-wide follow-up order is read from the index `case_followup_order` instead of sorting every F0."""

    output_field = DateTimeField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        zone = str(settings.TIME_ZONE).replace("'", "")
        return self.as_sql(compiler, connection, template=f"((%(expressions)s)::timestamp AT TIME ZONE '{zone}')")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # Stored datetimes are UTC text; the zone has no daylight saving, so today's offset serves every date.
        offset = timezone.localtime().utcoffset() or timedelta(0)
        seconds = -int(offset.total_seconds())
        return self.as_sql(compiler, connection, template=f"datetime(%(expressions)s, '{seconds} seconds')")


# The F0 the follow-up queues look at: active, at home, not released.
FOLLOWED_AT_HOME = Q(status="active", place="home", released_on__isnull=True)


def age_group_of(age: int | None) -> str:
    if age is None:
        return ""
    if age < 18:
        return AgeGroup.CHILD
    if age < 50:
        return AgeGroup.ADULT
    if age < 65:
        return AgeGroup.MIDDLE
    return AgeGroup.ELDER


class Case(models.Model):
    # Both foreign keys are indexed by the composite indexes and constraints below.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("người"), db_index=False
    )
    code = models.CharField(_("mã F0"), max_length=20, unique=True)
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("phường/xã quản lý"), db_index=False)
    confirmed_on = models.DateField(_("ngày có kết quả dương tính"))
    sampled_on = models.DateField(_("ngày lấy mẫu"), null=True, blank=True)
    test_kind = models.CharField(_("loại xét nghiệm"), max_length=20, choices=TestKind.choices)
    source = models.CharField(_("nguồn phát hiện"), max_length=20, choices=Source.choices, default=Source.COMMUNITY)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # Copied from the person at registration so that city-scale lists filter without a join:
    # age at confirmation, and whether the person is in a risk group (≥ 50, pregnant, condition).
    age = models.PositiveSmallIntegerField(_("tuổi"), null=True, blank=True)
    high_risk = models.BooleanField(_("nhóm nguy cơ"), default=False)
    # What the home-care rules ask beyond the person record, as told at registration.
    vaccine_doses = models.PositiveSmallIntegerField(_("số mũi vắc xin đã tiêm"), null=True, blank=True)
    last_dose_on = models.DateField(_("ngày tiêm mũi gần nhất"), null=True, blank=True)
    breastfeeding = models.BooleanField(_("đang cho con bú"), default=False)
    conditions_stable = models.BooleanField(_("bệnh nền đã điều trị ổn định"), default=False)
    can_self_care = models.BooleanField(_("tự chăm sóc được hoặc có người chăm sóc"), default=True)
    # The latest home-care eligibility decision: {"eligible", "reasons", "rule_set", "decided_on"}.
    eligibility = models.JSONField(_("đủ điều kiện điều trị tại nhà"), default=dict, blank=True)

    place = models.CharField(_("nơi điều trị"), max_length=10, choices=Place.choices, default=Place.HOME)
    facility = models.ForeignKey(
        "care.Facility", on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("cơ sở điều trị"),
    )  # fmt: skip
    severity = models.CharField(_("mức độ"), max_length=15, choices=Severity.choices, blank=True)

    # Follow-up state, kept on the case so that city-wide queues need no scan of 10 million declarations.
    last_declared_at = models.DateTimeField(_("khai báo gần nhất"), null=True, blank=True)
    last_alert_level = models.PositiveSmallIntegerField(
        _("mức cảnh báo gần nhất"), choices=AlertLevel.choices, default=AlertLevel.NONE
    )
    worsened = models.BooleanField(_("diễn biến xấu đi"), default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases",
        verbose_name=_("người phụ trách"),
    )  # fmt: skip

    # End of isolation: the due date by the rule set in force on the positive test, then the actual date.
    release_due_on = models.DateField(_("ngày dự kiến hoàn thành cách ly"), null=True, blank=True)
    released_on = models.DateField(_("ngày hoàn thành cách ly"), null=True, blank=True)
    died_on = models.DateField(_("ngày tử vong"), null=True, blank=True)

    # Optimistic locking: every edit of the case sends the version it read; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bookkeeping references (users and import jobs are never deleted) carry no FK constraint:
    # checking two more keys per row at commit time costs a third of a bulk import.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.PROTECT, null=True, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        verbose_name = _("F0")
        verbose_name_plural = _("F0")
        constraints = [
            # Re-registering or re-importing the same positive result never creates a second case.
            models.UniqueConstraint(fields=["person", "confirmed_on"], name="case_unique_person_day"),
        ]
        indexes = [
            models.Index(fields=["ward", "status", "confirmed_on"], name="case_ward_status_day"),
            models.Index(fields=["confirmed_on"], name="case_day"),
            models.Index(fields=["status", "confirmed_on"], name="case_status_day"),
            # Follow-up queues (monitoring/followup.py): the city-wide order straight from an index…
            models.Index(
                F("worsened").desc(), F("last_alert_level").desc(),
                Coalesce("last_declared_at", LocalMidnight("confirmed_on")),
                name="case_followup_order", condition=FOLLOWED_AT_HOME,
            ),
            # …and per ward: the "khai hộ" list by last declaration, and the queue's counts as an index-only scan.
            models.Index(
                fields=["ward", "last_declared_at"], name="case_followup_ward", condition=FOLLOWED_AT_HOME,
                include=["worsened", "last_alert_level", "confirmed_on", "high_risk", "vaccine_doses", "release_due_on",
                         "assigned_to"],
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.code

    @property
    def age_group(self) -> str:
        return age_group_of(self.age)


class CaseCodeCounter(models.Model):
    """The last case number handed out in a province; blocks of numbers are taken in one UPDATE."""

    province_code = models.CharField(max_length=2, unique=True)
    last = models.PositiveBigIntegerField(default=0)


class IsolationTest(models.Model):
    """A test taken to end isolation (CV 11011/BYT-KCB: by health staff, or by the patient under their supervision)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="isolation_tests")
    tested_on = models.DateField(_("ngày xét nghiệm"))
    kind = models.CharField(_("loại xét nghiệm"), max_length=20, choices=TestKind.choices)
    negative = models.BooleanField(_("âm tính"))
    supervised = models.BooleanField(_("do nhân viên y tế làm hoặc giám sát"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xét nghiệm kết thúc cách ly")
        ordering = ["tested_on", "id"]


class Certificate(models.Model):
    """Giấy xác nhận hoàn thành cách ly, issued by the ward health station; its QR code opens a public check page."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("số giấy"), max_length=30, unique=True)
    issued_on = models.DateField(_("ngày cấp"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Unguessable key of the public check page; the page shows initials and dates only.
    token = models.CharField(max_length=43, unique=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("giấy xác nhận hoàn thành cách ly")

    def __str__(self) -> str:
        return self.number
