"""Vaccination: dose records, each person's status kept current, population by age group, campaign days.

Intervals, products and eligibility are national rules (rules/data/vaccination_*.json), never constants here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area
from phongdich.people.models import Person


class DoseKind(models.TextChoices):
    PRIMARY_1 = "primary_1", _("Mũi 1")
    PRIMARY_2 = "primary_2", _("Mũi 2")
    PRIMARY_3 = "primary_3", _("Mũi 3 (vắc xin 3 mũi cơ bản)")
    ADDITIONAL = "additional", _("Mũi bổ sung")
    BOOSTER_1 = "booster_1", _("Mũi nhắc lại lần 1")
    BOOSTER_2 = "booster_2", _("Mũi nhắc lại lần 2")


class Dose(models.Model):
    # Looked up by person through `dose_unique_person_day` (person first): no index of its own to maintain.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="doses", verbose_name=_("người"), db_index=False
    )
    given_on = models.DateField(_("ngày tiêm"))
    # A product code of the rule set in force (e.g. "astrazeneca", "pfizer", "pfizer_5_11", "vero_cell").
    product = models.CharField(_("vắc xin"), max_length=30)
    lot = models.CharField(_("số lô"), max_length=40, blank=True)
    site = models.CharField(_("điểm tiêm"), max_length=200, blank=True)
    kind = models.CharField(_("loại mũi"), max_length=15, choices=DoseKind.choices)
    given_by = models.CharField(_("người tiêm / đơn vị"), max_length=200, blank=True)
    # The ward that gets the credit in coverage: the person's ward when the dose was recorded.
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("phường/xã"), db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    import_job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.PROTECT, null=True, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        verbose_name = _("mũi tiêm")
        verbose_name_plural = _("mũi tiêm")
        constraints = [
            # One person is not vaccinated twice on one day: the same row imported again is the same dose.
            models.UniqueConstraint(fields=["person", "given_on"], name="dose_unique_person_day"),
        ]
        indexes = [models.Index(fields=["ward", "given_on"], name="dose_ward_day")]


class VaccinationStatus(models.TextChoices):
    UNVACCINATED = "unvaccinated", _("Chưa tiêm")
    PARTIAL = "partial", _("Chưa đủ liều cơ bản")
    PRIMARY_COMPLETE = "primary", _("Đủ liều cơ bản")
    BOOSTED = "boosted", _("Đã tiêm nhắc lại / bổ sung")


class PersonVaccination(models.Model):
    """One row per person who has a dose (or is due one), recomputed by the services after every change of
    their doses, so coverage and due lists read one narrow table instead of 20 million doses."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="vaccination")
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, db_index=False)
    birth_year = models.PositiveSmallIntegerField(null=True)
    doses = models.PositiveSmallIntegerField(default=0)
    first_dose_on = models.DateField(null=True)
    last_dose_on = models.DateField(null=True)
    last_product = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=15, choices=VaccinationStatus.choices, default=VaccinationStatus.UNVACCINATED)
    primary_complete_on = models.DateField(null=True)
    # The next dose: its kind, the earliest date, the products allowed (or why none, in Vietnamese).
    next_kind = models.CharField(max_length=15, choices=DoseKind.choices, blank=True)
    next_due_on = models.DateField(null=True)
    next_products = models.JSONField(default=list)
    next_note = models.CharField(max_length=255, blank=True)
    rule_sets = models.JSONField(default=list)
    priority = models.BooleanField(default=False)  # ≥ 50, an underlying condition, or homebound
    homebound = models.BooleanField(_("không đi lại được (cần đội tiêm lưu động)"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The due list sorts a ward's due people from this index alone (no visit to the wide rows).
            models.Index(
                fields=["ward", "next_due_on"],
                name="vacc_due",
                condition=Q(next_due_on__isnull=False),
                include=["birth_year", "priority", "homebound", "person"],
            ),
            models.Index(fields=["ward", "birth_year", "status"], name="vacc_coverage"),
        ]


class AgeGroup(models.TextChoices):
    # The bands of coverage reports.
    CHILD_5_11 = "5-11", _("5–11 tuổi")
    TEEN_12_17 = "12-17", _("12–17 tuổi")
    ADULT_18_49 = "18-49", _("18–49 tuổi")
    MIDDLE_50_64 = "50-64", _("50–64 tuổi")
    ELDER_65 = "65+", _("Từ 65 tuổi")


class PopulationByAge(models.Model):
    """The denominator of coverage: people of one age group in one area, from a date. A change is a new row
    (Hà Nội raised its adult denominator on 28/10/2021), so every figure can say which denominator it used."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("địa bàn"))
    age_group = models.CharField(_("nhóm tuổi"), max_length=5, choices=AgeGroup.choices)
    population = models.PositiveIntegerField(_("số người"))
    effective_from = models.DateField(_("áp dụng từ"))
    note = models.CharField(_("lý do thay đổi"), max_length=255, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "age_group", "effective_from"], name="population_age_unique_day")
        ]


class CampaignDay(models.Model):
    """A vaccination day of a campaign at one site of a ward (e.g. vaccinating through Tết), planned against done."""

    campaign = models.CharField(_("chiến dịch"), max_length=200)
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("phường/xã"))
    day = models.DateField(_("ngày"))
    site = models.CharField(_("điểm tiêm"), max_length=200)
    planned = models.PositiveIntegerField(_("số mũi dự kiến"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["day", "site"]
        constraints = [models.UniqueConstraint(fields=["ward", "day", "site"], name="campaign_day_unique_site")]


class VaccinationCertificate(models.Model):
    """A person's vaccination record, printable; its QR code opens a page with initials and the number of doses."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="vaccination_certificate")
    token = models.CharField(max_length=43, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class CoverageTally(models.Model):
    """How many persons of a ward, born in a year, have a status: today's coverage sums these few thousand
    rows instead of counting 8 million summaries. Kept by `person_vaccination_refresh` (the change of each
    person it recomputes); `manage.py rebuild_coverage` recounts everything. Unknown birth years are left out,
    as coverage by age leaves them out."""

    ward = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False, related_name="+")
    birth_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=15, choices=VaccinationStatus.choices)
    persons = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "birth_year", "status"], name="coverage_tally_unique"),
        ]


class CoverageDay(models.Model):
    """How many persons of a ward had their first dose ("first") or completed the primary course ("primary")
    on a day: the coverage trend reads these. Kept like CoverageTally."""

    ward = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False, related_name="+")
    day = models.DateField()
    event = models.CharField(max_length=7)
    persons = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ward", "day", "event"], name="coverage_day_unique")]
