"""The person registry: one row per real person, whatever role (F0, F1, vaccinee) they later take."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")
    UNKNOWN = "", _("Không rõ")


class Condition(models.Model):
    """An underlying condition from the MoH list, loaded from `people/data/conditions.json`."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    document = models.CharField(_("văn bản"), max_length=100)

    class Meta:
        verbose_name = _("bệnh nền")
        verbose_name_plural = _("bệnh nền")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> "PersonQuerySet":
        return self.filter(merged_into__isnull=True)


class Person(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=100)
    # fold(full_name): lower case without diacritics, for search and matching.
    name_search = models.CharField(max_length=100)  # indexed by person_match (and trigram on PostgreSQL)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    # CCCD (12 digits) or CMND (9 digits).
    national_id = models.CharField(_("CCCD/CMND"), max_length=12, null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=11, blank=True, db_index=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, verbose_name=_("phường/xã"))
    pregnant = models.BooleanField(_("đang mang thai"), default=False)
    conditions = models.ManyToManyField(Condition, blank=True, verbose_name=_("bệnh nền"))
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
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

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("người")
        verbose_name_plural = _("người")
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"], condition=Q(national_id__isnull=False), name="person_unique_national_id"
            )
        ]
        indexes = [models.Index(fields=["name_search", "birth_year"], name="person_match")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def id_kind(self) -> str:
        if not self.national_id:
            return ""
        return "CCCD" if len(self.national_id) == 12 else "CMND"
