"""Community teams registered per ward, and their members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area


class TeamKind(models.TextChoices):
    HOME_CARE = "home_care", _("Tổ hỗ trợ F0 tại nhà")
    COMMUNITY = "community", _("Tổ Covid cộng đồng")
    MOBILE_STATION = "mobile_station", _("Trạm y tế lưu động")


class Team(models.Model):
    ward = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("phường/xã"))
    kind = models.CharField(_("loại tổ"), max_length=20, choices=TeamKind.choices)
    name = models.CharField(_("tên tổ"), max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tổ")
        verbose_name_plural = _("tổ")
        ordering = ["ward__code", "name"]
        constraints = [models.UniqueConstraint(fields=["ward", "name"], name="team_unique_name_in_ward")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("họ và tên"), max_length=100)
    phone = models.CharField(_("số điện thoại"), max_length=11, blank=True)
    position = models.CharField(_("vai trò trong tổ"), max_length=100, blank=True)
    # A member who also logs in to phongdich.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["id"]
