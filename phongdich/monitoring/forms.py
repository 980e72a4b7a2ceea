"""Forms of home monitoring: the health sheet (personal link, khai hộ, one F0), alert handling, queue filters."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.accounts.models import User
from phongdich.areas.filters import area_filter_fields
from phongdich.cases.models import AlertLevel
from phongdich.monitoring.models import UNHANDLED, AlertAction, AlertStatus
from phongdich.monitoring.selectors import QUEUE_HANDLED_TODAY, QUEUE_OPEN, AlertFilters
from phongdich.rules.triage import Vitals, symptoms_in_force

VITAL_FIELDS = ("spo2", "spo2_remeasured", "resp_rate", "pulse", "temperature", "bp_systolic", "bp_diastolic")
# Loose bounds only to keep a typo out of a small-integer column; plausibility is vitals_check's job.
_INT_BOUNDS = {"min_value": -1000, "max_value": 1000}


def _number(label: Any, *, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, help_text=help_text, **_INT_BOUNDS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip


class DeclarationForm(forms.Form):
    """The health sheet of QĐ 261/QĐ-BYT: indices, the symptom list in force, free text."""

    spo2 = _number(_("SpO2 (%)"), help_text=_("Chỉ số trên máy đo kẹp ngón tay"))
    spo2_remeasured = _number(
        _("SpO2 đo lại (%)"), help_text=_("Nếu SpO2 từ 96 trở xuống: ngồi yên, đo lại sau 30 giây – 1 phút")
    )
    resp_rate = _number(_("Nhịp thở (lần/phút)"), help_text=_("Đếm đủ 1 phút khi nằm yên"))
    pulse = _number(_("Mạch (lần/phút)"))
    temperature = forms.DecimalField(
        label=_("Nhiệt độ (°C)"), required=False, max_digits=3, decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1", "autocomplete": "off"}),
    )  # fmt: skip
    bp_systolic = _number(_("Huyết áp tâm thu (số trên, nếu đo được)"))
    bp_diastolic = _number(_("Huyết áp tâm trương (số dưới, nếu đo được)"))
    symptoms = forms.MultipleChoiceField(
        label=_("Triệu chứng đang có"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Điều khác muốn báo"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["symptoms"].choices = symptoms_in_force(on=timezone.localdate())

    @property
    def vital_fields(self) -> list[BoundField]:
        return [self[name] for name in VITAL_FIELDS]

    def clean_temperature(self) -> Decimal | None:
        value = self.cleaned_data.get("temperature")
        if value is not None and not (Decimal("-99.9") <= value <= Decimal("99.9")):
            raise ValidationError(_("Nhiệt độ phải là số đo bằng độ C, ví dụ 37,5."))
        return value

    def vitals(self) -> Vitals:
        data = self.cleaned_data
        return Vitals(
            resp_rate=data.get("resp_rate"),
            pulse=data.get("pulse"),
            temperature=float(data["temperature"]) if data.get("temperature") is not None else None,
            spo2=data.get("spo2"),
            spo2_remeasured=data.get("spo2_remeasured"),
            bp_systolic=data.get("bp_systolic"),
            bp_diastolic=data.get("bp_diastolic"),
            symptoms=frozenset(data.get("symptoms") or ()),
        )

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names, the rest on the form."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class AlertHandleForm(forms.Form):
    action = forms.ChoiceField(label=_("Xử trí"), choices=[("", "—"), *AlertAction.choices])
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AlertAckForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AlertFilterForm(forms.Form):
    tab = forms.ChoiceField(
        choices=[(QUEUE_OPEN, _("Đang chờ")), (QUEUE_HANDLED_TODAY, _("Đã xử lý hôm nay"))], required=False
    )
    level = forms.TypedChoiceField(
        label=_("Mức"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Mọi mức")), (AlertLevel.EMERGENCY, AlertLevel.EMERGENCY.label),
                 (AlertLevel.URGENT, AlertLevel.URGENT.label)],
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False,
        choices=[("", _("Chưa xử lý")), *[(s, AlertStatus(s).label) for s in UNHANDLED]],
    )  # fmt: skip
    escalated = forms.BooleanField(label=_("Chỉ cảnh báo đã chuyển lên quận"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_filter_fields(self, area=user.area, data=self.data)
        self.show_district = "district" in self.fields
        self.show_ward = "ward" in self.fields
        self.order_fields(["tab", "level", "status", "district", "ward", "escalated"])

    def filters(self) -> AlertFilters:
        # A bad value of one filter drops that filter only: cleaned_data keeps the valid ones.
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return AlertFilters(
            tab=data.get("tab") or QUEUE_OPEN,
            level=data.get("level"),
            district_id=data.get("district"),
            ward_id=data.get("ward"),
            status=data.get("status") or "",
            escalated=bool(data.get("escalated")),
        )
