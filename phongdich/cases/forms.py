"""Forms for F0 cases: registering one by hand, and the filters of the F0 list."""

from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from phongdich.accounts.models import User
from phongdich.areas.filters import area_filter_fields
from phongdich.areas.models import Area
from phongdich.cases.models import AgeGroup, Severity, Source, Status, TestKind
from phongdich.cases.selectors import SORTS, CaseFilters
from phongdich.cases.services import CaseChanges, CaseIntake, Observation
from phongdich.people.forms import DateField, PersonFieldsForm, WardChoiceField

CASE_FIELDS = ("sampled_on", "confirmed_on", "test_kind", "source", "case_ward")
INTAKE_FIELDS = ("vaccine_doses", "last_dose_on", "breastfeeding", "conditions_stable", "can_self_care")
OBSERVATION_FIELDS = ("spo2", "resp_rate", "abnormal_breathing")


class ObservationForm(forms.Form):
    """The numbers the home-care criteria ask for (SpO2, breathing); optional: without them the decision waits."""

    spo2 = forms.IntegerField(
        label=_("SpO2 (%)"), required=False, min_value=50, max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    resp_rate = forms.IntegerField(
        label=_("Nhịp thở (lần/phút)"), required=False, min_value=5, max_value=80,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    abnormal_breathing = forms.BooleanField(
        label=_("Thở bất thường (thở rên, co kéo, phập phồng cánh mũi, khò khè, thở rít)"), required=False
    )

    @property
    def observation_fields(self) -> list[BoundField]:
        return [self[name] for name in OBSERVATION_FIELDS]

    def observation(self) -> Observation:
        data = self.cleaned_data
        return Observation(
            spo2=data.get("spo2"),
            resp_rate=data.get("resp_rate"),
            abnormal_breathing=bool(data.get("abnormal_breathing")),
        )


class CaseRegisterForm(PersonFieldsForm, ObservationForm):
    """The person and the positive result on one page; `person_choice` answers the probable-match question."""

    sampled_on = DateField(label=_("Ngày lấy mẫu"), required=False)
    confirmed_on = DateField(label=_("Ngày có kết quả dương tính"))
    test_kind = forms.ChoiceField(label=_("Loại xét nghiệm"), choices=[("", "—"), *TestKind.choices])
    source = forms.ChoiceField(label=_("Nguồn phát hiện"), choices=Source.choices, initial=Source.COMMUNITY)
    case_ward = WardChoiceField(
        label=_("Phường/xã quản lý"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("— Như phường/xã nơi ở —"),
        help_text=_("Để trống nếu trạm y tế nơi người bệnh ở quản lý."),
    )
    vaccine_doses = forms.IntegerField(
        label=_("Số mũi vắc xin đã tiêm"), required=False, min_value=0, max_value=6,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    last_dose_on = DateField(label=_("Ngày tiêm mũi gần nhất"), required=False)
    breastfeeding = forms.BooleanField(label=_("Đang cho con bú"), required=False)
    conditions_stable = forms.BooleanField(label=_("Bệnh nền đã được điều trị ổn định"), required=False)
    can_self_care = forms.BooleanField(
        label=_("Tự chăm sóc được, hoặc có người nhà chăm sóc; liên lạc được với nhân viên y tế"), required=False,
        initial=True,
    )  # fmt: skip
    # "" (not asked yet), "new" (create a new person anyway) or the id of a probable match to reuse.
    person_choice = forms.CharField(required=False, max_length=20)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["case_ward"].queryset = self.fields["ward"].queryset  # type: ignore[attr-defined]

    @property
    def case_fields(self) -> list[BoundField]:
        return [self[name] for name in CASE_FIELDS]

    @property
    def intake_fields(self) -> list[BoundField]:
        return [self[name] for name in INTAKE_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        doses, last = data.get("vaccine_doses"), data.get("last_dose_on")
        if last and not doses:
            self.add_error("vaccine_doses", _("Có ngày tiêm mũi gần nhất thì số mũi phải từ 1 trở lên."))
        if last and data.get("confirmed_on") and last > data["confirmed_on"]:
            self.add_error("last_dose_on", _("Ngày tiêm mũi gần nhất phải trước ngày dương tính."))
        return data

    def case_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        intake = CaseIntake(
            vaccine_doses=data.get("vaccine_doses"), last_dose_on=data.get("last_dose_on"),
            breastfeeding=bool(data.get("breastfeeding")), conditions_stable=bool(data.get("conditions_stable")),
            can_self_care=bool(data.get("can_self_care")), observation=self.observation(),
        )  # fmt: skip
        return {
            "intake": intake,
            "ward": data["case_ward"] or data["ward"],
            "confirmed_on": data["confirmed_on"],
            "sampled_on": data["sampled_on"],
            "test_kind": data["test_kind"],
            "source": data["source"],
        }


_ANY = ("", _("Tất cả"))
# Column → the sort a first click on its header asks for.
_FIRST_SORT = {"confirmed_on": "-confirmed_on", "code": "code", "age": "age"}


class CaseFilterForm(forms.Form):
    """GET filters of the F0 list. Invalid values are reported and left out; the rest still apply."""

    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Họ tên (không dấu được) hoặc mã F0")}),
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=[_ANY, *Status.choices], required=False)
    confirmed_from = DateField(label=_("Dương tính từ ngày"), required=False)
    confirmed_to = DateField(label=_("đến ngày"), required=False)
    age_group = forms.ChoiceField(label=_("Nhóm tuổi"), choices=[_ANY, *AgeGroup.choices], required=False)
    high_risk = forms.ChoiceField(
        label=_("Nhóm nguy cơ"), choices=[_ANY, ("1", _("Có")), ("0", _("Không"))], required=False
    )
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_filter_fields(self, area=user.area, data=self.data)
        # Keep the filters in their usual place: after the dates, before age and risk.
        self.order_fields(["q", "status", "confirmed_from", "confirmed_to", "district", "ward"])

    def filters(self) -> CaseFilters:
        """The valid filters (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        risk = data.get("high_risk")
        return CaseFilters(
            status=data.get("status") or "",
            confirmed_from=data.get("confirmed_from"),
            confirmed_to=data.get("confirmed_to"),
            district_id=data.get("district"),
            ward_id=data.get("ward"),
            age_group=data.get("age_group") or "",
            high_risk=None if not risk else risk == "1",
            q=data.get("q") or "",
            sort=data.get("sort") or CaseFilters.sort,
        )

    @staticmethod
    def sort_links(current: str) -> dict[str, dict[str, str]]:
        """For each sortable column: the sort its header link asks for, and the arrow showing the current one."""
        links = {}
        for column, first in _FIRST_SORT.items():
            if current.lstrip("-") == column:
                following = column if current.startswith("-") else f"-{column}"
                arrow = "↓" if current.startswith("-") else "↑"
            else:
                following, arrow = first, ""
            links[column] = {"sort": following, "arrow": arrow}
        return links


class EligibilityForm(ObservationForm):
    """Re-assessing home-care eligibility on demand; `version` is the F0 as the officer saw it."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class IsolationTestForm(forms.Form):
    tested_on = DateField(label=_("Ngày xét nghiệm"))
    kind = forms.ChoiceField(label=_("Loại xét nghiệm"), choices=TestKind.choices, initial=TestKind.RAPID_ANTIGEN)
    negative = forms.TypedChoiceField(
        label=_("Kết quả"), choices=[("1", _("Âm tính")), ("0", _("Dương tính"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )  # fmt: skip
    supervised = forms.BooleanField(
        label=_("Nhân viên y tế làm hoặc giám sát trực tiếp/từ xa"), required=False, initial=True
    )


class ReleaseForm(forms.Form):
    released_on = DateField(label=_("Ngày hoàn thành cách ly"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeathForm(forms.Form):
    died_on = DateField(label=_("Ngày tử vong"))
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseUpdateForm(forms.Form):
    """Correcting an F0 after registration; `version` is the F0 as the officer saw it."""

    vaccine_doses = forms.IntegerField(
        label=_("Số mũi vắc xin đã tiêm"), required=False, min_value=0, max_value=6,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    last_dose_on = DateField(label=_("Ngày tiêm mũi gần nhất"), required=False)
    breastfeeding = forms.BooleanField(label=_("Đang cho con bú"), required=False)
    conditions_stable = forms.BooleanField(label=_("Bệnh nền đã được điều trị ổn định"), required=False)
    can_self_care = forms.BooleanField(
        label=_("Tự chăm sóc được, hoặc có người nhà chăm sóc; liên lạc được với nhân viên y tế"), required=False
    )
    severity = forms.ChoiceField(
        label=_("Mức độ (bác sĩ phân loại)"), choices=[("", "—"), *Severity.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_case(cls, case: Any) -> "CaseUpdateForm":
        fields = ("vaccine_doses", "last_dose_on", "breastfeeding", "conditions_stable", "can_self_care", "severity")
        return cls(initial={**{f: getattr(case, f) for f in fields}, "version": case.version})

    def changes(self) -> CaseChanges:
        data = self.cleaned_data
        return CaseChanges(
            vaccine_doses=data["vaccine_doses"], last_dose_on=data["last_dose_on"], breastfeeding=data["breastfeeding"],
            conditions_stable=data["conditions_stable"], can_self_care=data["can_self_care"], severity=data["severity"],
        )  # fmt: skip
