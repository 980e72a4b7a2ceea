"""The append-only audit trail (Zulip's RealmAuditLog): who did what to which record, where and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area


class Event(models.IntegerChoices):
    CREATE = 1, _("Tạo")
    UPDATE = 2, _("Sửa")
    MERGE = 3, _("Gộp")
    IMPORT = 4, _("Nhập tệp")
    EXPORT = 5, _("Xuất dữ liệu")
    DELETE = 6, _("Xoá")


class AuditLog(models.Model):
    event_time = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name=_("người thực hiện")
    )
    event = models.PositiveSmallIntegerField(_("hành động"), choices=Event.choices)
    target_type = models.CharField(_("đối tượng"), max_length=30)
    target_id = models.BigIntegerField(_("mã đối tượng"), null=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, verbose_name=_("địa bàn"))
    # {"field": [old, new]} for updates; the created values for creates.
    changes = models.JSONField(_("thay đổi"), default=dict)
    extra = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-event_time", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
