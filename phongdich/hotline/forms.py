"""Forms of the hotline: operator intake, workflow actions, queue filters, message import, the categories page."""

from itertools import groupby
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from phongdich.accounts.models import User
from phongdich.areas.filters import area_filter_fields
from phongdich.areas.models import Area
from phongdich.areas.selectors import wards_visible_to
from phongdich.hotline.models import OPEN, Channel, RequestCategory, Status
from phongdich.hotline.selectors import TAB_DONE, TAB_OPEN, TAB_OVERDUE, RequestFilters, categories_active
from phongdich.hotline.workflow import ACTIONS


class ServiceErrorsMixin:
    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names, the rest on the form."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)  # type: ignore[attr-defined]
        else:
            self.add_error(None, error.messages)  # type: ignore[attr-defined]


def ward_choices(area: Area | None) -> list[tuple[Any, Any]]:
    """The wards of `area`, grouped by district, for a select (a city's ~600 wards: one page, no list below it)."""
    wards = wards_visible_to(area) if area is not None else Area.objects.none()
    grouped = [
        (district, [(w.pk, w.name) for w in group])
        for district, group in groupby(wards, key=lambda w: w.parent.name if w.parent else "")
    ]
    return [("", _("— Tự xác định từ địa chỉ —")), *grouped]


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RequestCategory) -> str:
        return obj.name


class IntakeForm(ServiceErrorsMixin, forms.Form):
    caller_phone = forms.CharField(
        label=_("Số điện thoại người gọi"), required=False, max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "autofocus": True}),
    )  # fmt: skip
    caller_name = forms.CharField(label=_("Tên người gọi"), required=False, max_length=120)
    caller_address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=300)
    ward = forms.TypedChoiceField(label=_("Phường/xã"), required=False, coerce=int, empty_value=None)
    category = CategoryChoiceField(label=_("Loại yêu cầu"), queryset=RequestCategory.objects.none(), empty_label="—")
    channel = forms.ChoiceField(label=_("Kênh"), choices=Channel.choices, initial=Channel.PHONE)
    message = forms.CharField(label=_("Nội dung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_active()
        self.fields["ward"].choices = ward_choices(user.area)


class PublicRequestForm(ServiceErrorsMixin, forms.Form):
    """The citizen's form: no account; `website` is the honeypot (hidden, people leave it empty)."""

    caller_name = forms.CharField(label=_("Họ và tên"), required=False, max_length=120)
    caller_phone = forms.CharField(
        label=_("Số điện thoại"), required=False, max_length=30, widget=forms.TextInput(attrs={"type": "tel"}),
        help_text=_("Để cán bộ gọi lại, và để bạn tra cứu kết quả."),
    )  # fmt: skip
    caller_address = forms.CharField(
        label=_("Địa chỉ"), required=False, max_length=300,
        help_text=_("Số nhà, ngõ, phường/xã, quận/huyện: yêu cầu được chuyển đến trạm y tế phường/xã của bạn."),
    )  # fmt: skip
    ward = forms.TypedChoiceField(label=_("Phường/xã"), required=False, coerce=int, empty_value=None)
    category = CategoryChoiceField(label=_("Bạn cần"), queryset=RequestCategory.objects.none(), empty_label="—")
    message = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 5}))
    website = forms.CharField(label=_("Trang web"), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, province: Area, max_chars: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_active()
        self.fields["ward"].choices = ward_choices(province)
        self.fields["message"].validators.append(MaxLengthValidator(max_chars))
        self.fields["message"].widget.attrs["maxlength"] = str(max_chars)


class StatusCheckForm(forms.Form):
    code = forms.CharField(label=_("Mã yêu cầu"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone_last4 = forms.CharField(
        label=_("4 số cuối điện thoại đã cung cấp"), min_length=4, max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip


class ActionForm(ServiceErrorsMixin, forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    version = forms.IntegerField(widget=forms.HiddenInput)
    assigned_to = forms.TypedChoiceField(label=_("Giao cho"), required=False, coerce=int, empty_value=None)
    answer = forms.CharField(label=_("Nội dung trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    transferred_to = forms.CharField(label=_("Chuyển đến"), required=False, max_length=120)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)

    def __init__(self, *args: Any, assignees: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignees = {u.pk: u for u in assignees}
        self.fields["assigned_to"].choices = [
            ("", "—"),
            *[(u.pk, f"{u.get_full_name() or u.username} ({u.get_role_display()})") for u in assignees],
        ]


class QueueFilterForm(forms.Form):
    tab = forms.ChoiceField(
        required=False,
        choices=[
            (TAB_OPEN, _("Đang chờ")),
            (TAB_OVERDUE, _("Quá hạn")),
            (TAB_DONE, _("Đã trả lời, đóng, chuyển (7 ngày)")),
        ],
    )
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    category = forms.TypedChoiceField(label=_("Loại"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(label=_("Kênh"), required=False, choices=[("", _("Mọi kênh")), *Channel.choices])
    all_categories = forms.BooleanField(label=_("Cả các loại bộ phận khác trả lời"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Mọi trạng thái")), *Status.choices]
        self.fields["category"].choices = [
            ("", _("Mọi loại")),
            *[(c.pk, c.name) for c in RequestCategory.objects.all()],
        ]
        area_filter_fields(self, area=user.area, data=self.data)
        self.show_district = "district" in self.fields
        self.show_ward = "ward" in self.fields

    def filters(self) -> RequestFilters:
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        tab = data.get("tab") or TAB_OPEN
        status = data.get("status") or ""
        if (tab == TAB_DONE) == (status in OPEN):
            status = ""
        return RequestFilters(
            tab=tab, status=status, category_id=data.get("category"), channel=data.get("channel") or "",
            district_id=data.get("district"), ward_id=data.get("ward"), mine=not data.get("all_categories"),
        )  # fmt: skip


class ImportForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Nguồn tin nhắn"),
        choices=[(Channel.ZALO, Channel.ZALO.label), (Channel.FACEBOOK, Channel.FACEBOOK.label)],
    )
    default_ward = forms.TypedChoiceField(
        label=_("Phường/xã mặc định"), required=False, coerce=int, empty_value=None,
        help_text=_("Cho tin nhắn không ghi tên phường/xã (ví dụ: nhóm Zalo của một phường)."),
    )  # fmt: skip
    text = forms.CharField(label=_("Dán tin nhắn"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    file = forms.FileField(label=_("Hoặc tải tệp xuất (.txt, .csv, .xlsx)"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = ward_choices(user.area)
        self.fields["default_ward"].choices = [("", "—"), *choices[1:]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise ValidationError(_("Hãy dán tin nhắn hoặc chọn tệp."))
        return data


class CategoryForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=120)
    deadline_minutes = forms.IntegerField(label=_("Thời hạn trả lời (phút)"), min_value=1, max_value=7 * 24 * 60)
    active = forms.BooleanField(label=_("Đang dùng"), required=False)
