"""Citizen requests (phản ánh, kiến nghị, yêu cầu hỗ trợ), their categories with answer deadlines, and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area


class Owner(models.TextChoices):
    """Who answers a category of request, and so whose queue it lands in."""

    WARD = "ward", _("Trạm y tế phường/xã")
    DOCTOR = "doctor", _("Thầy thuốc đồng hành")
    DISTRICT = "district", _("Quận/huyện")
    EMERGENCY = "emergency", _("Cấp cứu 115 (trạm y tế theo dõi)")


class RequestCategory(models.Model):
    """A kind of request and how long the city gives to answer it; rows edited by the city admin, audited."""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    deadline_minutes = models.PositiveIntegerField(_("thời hạn trả lời (phút)"))
    owner = models.CharField(_("bộ phận trả lời"), max_length=10, choices=Owner.choices)
    active = models.BooleanField(_("đang dùng"), default=True)
    ordering = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại yêu cầu")
        verbose_name_plural = _("loại yêu cầu")
        ordering = ["ordering", "code"]
        constraints = [models.CheckConstraint(condition=Q(deadline_minutes__gte=1), name="category_deadline_positive")]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    PHONE = "phone", _("Điện thoại")
    WEB = "web", _("Trang web")
    ZALO = "zalo", _("Zalo")
    FACEBOOK = "facebook", _("Facebook")
    WALK_IN = "walk_in", _("Đến trực tiếp")
    OTHER = "other", _("Khác")


class Status(models.TextChoices):
    NEW = "new", _("Mới")
    ASSIGNED = "assigned", _("Đã phân công")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")
    TRANSFERRED = "transferred", _("Đã chuyển cơ quan khác")


# Waiting for an answer: these are the queues, and what escalates when past due.
OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)


class Request(models.Model):
    """One citizen request: who asked, about what, through which channel, which ward answers it and by when."""

    # The caller's receipt: 8 characters without 0/O/1/I, read over the phone.
    code = models.CharField(_("mã yêu cầu"), max_length=8, unique=True)
    category = models.ForeignKey(RequestCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("loại"))
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    caller_name = models.CharField(_("tên người gửi"), max_length=120, blank=True)
    caller_phone = models.CharField(_("số điện thoại"), max_length=11, blank=True)
    caller_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    # Indexed by the queue indexes below.
    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("phường/xã"), db_index=False
    )
    message = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("tiếp nhận lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người tiếp nhận"), db_index=False,
    )  # fmt: skip
    # created_at + the category's deadline as it was at creation: a later change of the setting moves nothing.
    due_at = models.DateTimeField(_("hạn trả lời"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người được giao"),
    )  # fmt: skip
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người trả lời"), db_index=False,
    )  # fmt: skip
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    transferred_to = models.CharField(_("chuyển đến"), max_length=120, blank=True)
    escalated_at = models.DateTimeField(_("chuyển lên quận lúc"), null=True, blank=True)
    # A caller asking again within PHONGDICH_REQUEST_REPEAT_DAYS: linked to their first request, shown together.
    repeat_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="repeats", verbose_name=_("hỏi lại của")
    )
    # Imported messages: a hash of channel + sender + time + text, so importing them again adds nothing.
    external_ref = models.CharField(_("mã nguồn"), max_length=64, null=True, blank=True, unique=True)
    # Optimistic locking: every transition sends the version read; a stale one is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("yêu cầu của người dân")
        verbose_name_plural = _("yêu cầu của người dân")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.ANSWERED) | Q(answered_at__isnull=False), name="request_answered_has_time"
            ),
            models.CheckConstraint(condition=~Q(caller_phone="") | ~Q(caller_address=""), name="request_has_contact"),
        ]
        indexes = [
            # A ward's queue (and a district's: a few dozen ward ranges), by due time, open requests only.
            models.Index(fields=["ward", "due_at"], condition=Q(status__in=OPEN), name="request_ward_queue"),
            # The city's queue and its overdue view; the escalation job's scan.
            models.Index(fields=["due_at"], condition=Q(status__in=OPEN), name="request_open_due"),
            # "Answered today / in time" counts and workload reports.
            models.Index(fields=["ward", "answered_at"], name="request_ward_answered"),
            models.Index(fields=["answered_at"], condition=Q(answered_at__isnull=False), name="request_answered"),
            # A caller's earlier requests (intake panel, repeat linking).
            models.Index(fields=["caller_phone", "created_at"], name="request_caller"),
            # Duplicate suppression of the public form, reports by day.
            models.Index(fields=["created_at"], name="request_created"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def answered_in_time(self) -> bool | None:
        """ "In time" = answered at or before the due time; None while unanswered."""
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at


class EventKind(models.TextChoices):
    CREATED = "created", _("Tiếp nhận")
    STATUS = "status", _("Đổi trạng thái")
    ESCALATED = "escalated", _("Quá hạn, chuyển lên quận/huyện")


class RequestEvent(models.Model):
    """The history of one request: who did what, when, from which status to which."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("loại"), max_length=10, choices=EventKind.choices)
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người thực hiện"), db_index=False,
    )  # fmt: skip
    from_status = models.CharField(_("từ"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("sang"), max_length=12, choices=Status.choices)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử yêu cầu")
        verbose_name_plural = _("lịch sử yêu cầu")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.from_status}→{self.to_status}"
