"""F1 and F2 (close contacts) and their quarantine, daily checks and tests; clusters (household, workplace).

A `Contact` is one exposure of a person to a source: an F0 (`source_case`, generation 1) or an F1
(`source_contact`, generation 2). Its plan (quarantine, test days, self-monitoring) is fixed at recording by the
quarantine rule set in force on the contact date, whose code it keeps. Follow-up columns (`next_test_on`,
`needs_test`, `positive_on`) are kept current by the services so the ward's follow-up list reads one table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area
from phongdich.cases.models import Case, TestKind
from phongdich.people.models import Person


class Setting(models.TextChoices):
    HOUSEHOLD = "household", _("Hộ gia đình")
    WORKPLACE = "workplace", _("Nơi làm việc")
    SCHOOL = "school", _("Trường học")
    OTHER = "other", _("Khác")


class ContactKind(models.TextChoices):
    # The four kinds of CV 11042/BYT-DP and CV 1909/BYT-DP; the wording in force is rule data (contact_definition).
    PHYSICAL = "physical", _("Tiếp xúc cơ thể trực tiếp")
    MASKED_NEAR = "masked_near", _("Có khẩu trang, ở gần hoặc cùng không gian kín ≥ 15 phút")
    UNMASKED_NEAR = "unmasked_near", _("Không khẩu trang, ở gần hoặc cùng không gian kín")
    CARE = "care", _("Chăm sóc, khám F0 không đủ phòng hộ")


class ContactStatus(models.TextChoices):
    QUARANTINE = "quarantine", _("Đang cách ly")
    MONITORING = "monitoring", _("Tự theo dõi sức khỏe")
    RELEASED = "released", _("Đã kết thúc theo dõi")
    CONVERTED = "converted", _("Đã chuyển F0")


OPEN_STATUSES = (ContactStatus.QUARANTINE, ContactStatus.MONITORING)


class Cluster(models.Model):
    """A named group of exposures in one ward: a household (made automatically from an F0's address) or an
    outbreak at a workplace or school (made by hand). Members are contacts (`Contact.cluster`) and F0 (`cases`)."""

    name = models.CharField(_("tên ổ dịch"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=Setting.choices)
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("phường/xã"))
    # Household clusters: the F0's address folded (no diacritics, one space), to find the same household again.
    address_key = models.CharField(max_length=255, blank=True)
    index_case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("F0 đầu tiên")
    )
    cases = models.ManyToManyField(Case, blank=True, related_name="clusters", verbose_name=_("F0 trong ổ dịch"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ổ dịch")
        verbose_name_plural = _("ổ dịch")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "address_key"], condition=Q(kind="household") & ~Q(address_key=""),
                name="cluster_unique_household",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("người"))
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("phường/xã theo dõi"), db_index=False)
    source_case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts", verbose_name=_("F0 nguồn")
    )
    source_contact = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts", verbose_name=_("F1 nguồn")
    )
    generation = models.PositiveSmallIntegerField(_("F"), default=1)
    setting = models.CharField(_("nơi tiếp xúc"), max_length=20, choices=Setting.choices)
    kind = models.CharField(_("hình thức tiếp xúc"), max_length=20, choices=ContactKind.choices)
    contacted_on = models.DateField(_("ngày tiếp xúc (lần cuối)"))

    # The plan, by the quarantine rule set in force on the contact date, and what it was decided on.
    quarantine_rule_set = models.CharField(_("quy định cách ly"), max_length=40)
    quarantine_until = models.DateField(_("cách ly đến hết ngày"), null=True, blank=True)
    monitor_until = models.DateField(_("tự theo dõi đến hết ngày"))
    test_days = models.JSONField(_("ngày xét nghiệm"), default=list)
    test_when_symptomatic = models.BooleanField(default=False)
    plan_reasons = models.JSONField(default=list)
    vaccine_doses = models.PositiveSmallIntegerField(_("số mũi vắc xin"), null=True, blank=True)
    last_dose_on = models.DateField(_("ngày tiêm mũi gần nhất"), null=True, blank=True)
    fully_vaccinated = models.BooleanField(_("tiêm đủ liều"), null=True)
    recovered_on = models.DateField(_("khỏi bệnh / dương tính lần trước"), null=True, blank=True)

    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ContactStatus.choices, default=ContactStatus.QUARANTINE
    )
    # Follow-up columns kept by the services.
    next_test_on = models.DateField(_("xét nghiệm tiếp theo"), null=True, blank=True)
    last_test_on = models.DateField(null=True, blank=True)
    last_checked_on = models.DateField(_("kiểm tra gần nhất"), null=True, blank=True)
    needs_test = models.BooleanField(_("cần xét nghiệm (có triệu chứng)"), default=False)
    symptomatic_on = models.DateField(null=True, blank=True)
    positive_on = models.DateField(_("ngày xét nghiệm dương tính"), null=True, blank=True)
    quarantine_ended_on = models.DateField(_("ngày kết thúc cách ly"), null=True, blank=True)
    released_on = models.DateField(_("ngày kết thúc theo dõi"), null=True, blank=True)
    converted_case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="from_contacts",
        verbose_name=_("F0 sau khi chuyển"),
    )  # fmt: skip
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts", verbose_name=_("ổ dịch")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_contacts",
        verbose_name=_("người theo dõi"),
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("F1")
        verbose_name_plural = _("F1")
        constraints = [
            # Re-recording the same F1 of the same F0 (or F2 of the same F1) never makes a second open record.
            models.UniqueConstraint(
                fields=["person", "source_case"], condition=Q(status__in=OPEN_STATUSES, source_case__isnull=False),
                name="contact_unique_open_f1",
            ),
            models.UniqueConstraint(
                fields=["person", "source_contact"],
                condition=Q(status__in=OPEN_STATUSES, source_contact__isnull=False), name="contact_unique_open_f2",
            ),
            models.CheckConstraint(
                condition=Q(generation=1, source_case__isnull=False, source_contact__isnull=True)
                | Q(generation=2, source_case__isnull=True, source_contact__isnull=False),
                name="contact_one_source",
            ),
        ]  # fmt: skip
        indexes = [
            # History of a ward by status (released, converted).
            models.Index(fields=["ward", "status", "contacted_on"], name="contact_ward_status"),
            # The follow-up list of a ward in its order, and its counts by reason read from the index alone
            # (PostgreSQL; INCLUDE is ignored elsewhere).
            models.Index(
                fields=["ward", "-contacted_on", "-id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="contact_open",
                include=["status", "next_test_on", "needs_test", "positive_on", "quarantine_until", "monitor_until"],
            ),
            # The first page of a district's or the city's follow-up list, newest first.
            models.Index(
                fields=["-contacted_on", "-id"], condition=Q(status__in=OPEN_STATUSES), name="contact_open_recent"
            ),
        ]

    def __str__(self) -> str:
        return f"F{self.generation} {self.person}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ContactCheck(models.Model):
    """The daily symptom check of an F1 (by phone or visit), judged by the suspected-case rule in force."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField(_("ngày kiểm tra"))
    symptoms = models.JSONField(_("triệu chứng"), default=list)
    temperature = models.DecimalField(_("nhiệt độ (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    suspected = models.BooleanField(_("nghi nhiễm"), default=False)
    verdict = models.CharField(max_length=500, blank=True)
    rule_set = models.CharField(max_length=40)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiểm tra sức khỏe F1")
        ordering = ["-checked_on", "-id"]


class ContactTest(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="tests")
    tested_on = models.DateField(_("ngày xét nghiệm"))
    kind = models.CharField(_("loại xét nghiệm"), max_length=20, choices=TestKind.choices)
    positive = models.BooleanField(_("dương tính"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xét nghiệm F1")
        ordering = ["-tested_on", "-id"]
