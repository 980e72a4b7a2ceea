"""Forms of the F1 pages: recording an F1/F2, daily checks, tests, end of follow-up, assignment, clusters, filters."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.accounts.models import User
from phongdich.areas.filters import area_filter_fields
from phongdich.areas.models import Area
from phongdich.areas.selectors import wards_visible_to
from phongdich.cases.models import TestKind
from phongdich.contacts.models import Cluster, ContactStatus, Setting
from phongdich.contacts.selectors import REASONS, ContactFilters
from phongdich.contacts.services import ASSIGNEE_ROLES
from phongdich.people.forms import DateField, PersonFieldsForm, WardChoiceField
from phongdich.people.identity import InvalidValue, parse_date
from phongdich.people.services import PersonData
from phongdich.rules.quarantine import contact_definition_in_force, f1_symptoms_in_force

_ANY = ("", _("Tất cả"))
REASON_LABELS = {
    "quarantine": _("Đang cách ly"),
    "test_due": _("Đến hạn / quá hạn xét nghiệm"),
    "symptoms": _("Có triệu chứng, cần xét nghiệm"),
    "ending": _("Đến ngày kết thúc"),
    "positive": _("Dương tính, chờ chuyển F0"),
}
CONTACT_PERSON_FIELDS = ("full_name", "birth", "sex", "national_id", "phone", "address", "ward")
CONTACT_FIELDS = ("contacted_on", "setting", "kind", "doses", "last_dose_on", "cluster")


def _date_in(data: Any, name: str, default: date) -> date:
    try:
        return parse_date(data.get(name) or "") if data else default
    except InvalidValue:
        return default


class ContactRecordForm(PersonFieldsForm):
    """The F1 (or F2) and the exposure on one form. The four kinds read as the definition in force on the contact
    date; vaccination is asked for the quarantine rules when the person has no record in the vaccination registry."""

    contacted_on = DateField(label=_("Ngày tiếp xúc (lần cuối)"))
    setting = forms.ChoiceField(label=_("Nơi tiếp xúc"), choices=Setting.choices, initial=Setting.HOUSEHOLD)
    kind = forms.ChoiceField(label=_("Hình thức tiếp xúc"), widget=forms.RadioSelect)
    doses = forms.IntegerField(
        label=_("Số mũi vắc xin đã tiêm"), required=False, min_value=0, max_value=6,
        help_text=_("Để trống nếu không rõ (áp dụng thời gian cách ly dài hơn)."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    last_dose_on = DateField(label=_("Ngày tiêm mũi gần nhất"), required=False)
    cluster = forms.ModelChoiceField(
        label=_("Ổ dịch"), queryset=Cluster.objects.none(), required=False,
        empty_label=_("— Tự động (hộ gia đình của F0) / không —"),
    )  # fmt: skip
    person_choice = forms.CharField(required=False, max_length=20)

    def __init__(self, *args: Any, user: User, clusters: QuerySet[Cluster] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        on = _date_in(self.data, "contacted_on", timezone.localdate())
        self.definition = contact_definition_in_force(on=on)
        self.fields["kind"].choices = [(code, text) for code, text in self.definition.params["kinds"]]
        self.fields["cluster"].queryset = clusters if clusters is not None else Cluster.objects.none()  # type: ignore[attr-defined]
        # A person's identity is optional detail for an F1: only the name and the ward are required; pregnancy and
        # underlying conditions decide nothing in the quarantine rules, so the form does not ask for them.
        self.fields["birth"].required = False
        for name in ("pregnant", "conditions"):
            del self.fields[name]

    @property
    def person_fields(self) -> list[BoundField]:
        return [self[name] for name in CONTACT_PERSON_FIELDS]

    def person_data(self) -> PersonData:
        self.cleaned_data.setdefault("pregnant", False)
        self.cleaned_data.setdefault("conditions", [])
        return super().person_data()

    @property
    def contact_fields(self) -> list[BoundField]:
        return [self[name] for name in CONTACT_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("last_dose_on") and not data.get("doses"):
            self.add_error("doses", _("Có ngày tiêm mũi gần nhất thì số mũi phải từ 1 trở lên."))
        return data

    def contact_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "contacted_on": data["contacted_on"], "setting": data["setting"], "kind": data["kind"],
            "doses": data.get("doses"), "last_dose_on": data.get("last_dose_on"), "cluster": data.get("cluster"),
        }  # fmt: skip


class ContactCheckForm(forms.Form):
    checked_on = DateField(label=_("Ngày kiểm tra"))
    symptoms = forms.MultipleChoiceField(
        label=_("Triệu chứng"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    temperature = forms.DecimalField(
        label=_("Nhiệt độ (°C)"), required=False, max_digits=3, decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )  # fmt: skip
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on = _date_in(self.data, "checked_on", timezone.localdate())
        self.fields["symptoms"].choices = f1_symptoms_in_force(on=on)  # type: ignore[attr-defined]


class ContactTestForm(forms.Form):
    tested_on = DateField(label=_("Ngày xét nghiệm"))
    kind = forms.ChoiceField(label=_("Loại xét nghiệm"), choices=TestKind.choices, initial=TestKind.RAPID_ANTIGEN)
    positive = forms.TypedChoiceField(
        label=_("Kết quả"), choices=[("0", _("Âm tính")), ("1", _("Dương tính"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )  # fmt: skip
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReleaseForm(VersionForm):
    on = DateField(label=_("Ngày kết thúc"))


class AssignForm(VersionForm):
    assigned_to = forms.ModelChoiceField(
        label=_("Người theo dõi"), queryset=User.objects.none(), required=False, empty_label=_("— Chưa phân công —")
    )

    def __init__(self, *args: Any, ward: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = User.objects.filter(is_active=True, role__in=ASSIGNEE_ROLES, area=ward)
        self.fields["assigned_to"].queryset = users.order_by("role", "last_name", "first_name", "username")  # type: ignore[attr-defined]


class ClusterAddForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Ổ dịch"), queryset=Cluster.objects.none())

    def __init__(self, *args: Any, clusters: QuerySet[Cluster], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Tên ổ dịch"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=Setting.choices, initial=Setting.WORKPLACE)
    ward = WardChoiceField(label=_("Phường/xã"), queryset=Area.objects.none(), empty_label=_("— Chọn phường/xã —"))
    address = forms.CharField(label=_("Địa chỉ (hộ gia đình)"), max_length=255, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards_visible_to(user.area) if user.area else Area.objects.none()  # type: ignore[attr-defined]
        if user.area and user.area.is_ward:
            self.fields["ward"].initial = user.area.pk


class ContactFilterForm(forms.Form):
    """GET filters of the F1 list; invalid values are reported and left out."""

    q = forms.CharField(
        label=_("Tìm"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Họ tên (không dấu được)")}),
    )  # fmt: skip
    reason = forms.ChoiceField(
        label=_("Cần làm"), required=False, choices=[_ANY, *((r, REASON_LABELS[r]) for r in REASONS)]
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=[_ANY, *ContactStatus.choices], required=False)
    generation = forms.TypedChoiceField(
        label=_("F"), choices=[_ANY, (1, "F1"), (2, "F2")], coerce=int, empty_value=None, required=False
    )
    source_case = forms.IntegerField(required=False, widget=forms.HiddenInput)
    cluster = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_filter_fields(self, area=user.area, data=self.data)

    def filters(self) -> ContactFilters:
        data = getattr(self, "cleaned_data", {})
        return ContactFilters(
            status=data.get("status") or "", reason=data.get("reason") or "", district_id=data.get("district"),
            ward_id=data.get("ward"), source_case_id=data.get("source_case"), cluster_id=data.get("cluster"),
            generation=data.get("generation"), q=data.get("q") or "",
        )  # fmt: skip
