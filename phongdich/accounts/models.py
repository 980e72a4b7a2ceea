"""Users (each with one role and one area), login failures for throttling, and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.accounts.roles import Role, role_allows
from phongdich.areas.models import Area


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.LEADER)
    # The subtree the user sees and changes: the city, one district or one ward.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, verbose_name=_("địa bàn"))
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def has_perm_code(self, perm: str) -> bool:
        return self.is_active and self.area_id is not None and role_allows(self.role, perm)


class LoginFailure(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class ApiToken(models.Model):
    """A bearer token for another system; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True)

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)
