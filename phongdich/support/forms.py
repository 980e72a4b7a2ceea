"""Forms of the support pages: filters, entitlements (one person or a whole team), payments, rates."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phongdich.areas.filters import area_filter_fields
from phongdich.areas.models import Area
from phongdich.people.forms import DateField, WardChoiceField
from phongdich.support.models import AllowanceRate, Beneficiary, PaymentMethod, Unit
from phongdich.support.rate_services import RateData
from phongdich.teams.models import Team, TeamMember


class RateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AllowanceRate) -> str:
        end = f"{obj.valid_to:%d/%m/%Y}" if obj.valid_to else "…"
        amount = f"{obj.amount:,}".replace(",", ".")
        return f"{obj.name} — {amount} {obj.get_unit_display()} ({obj.valid_from:%d/%m/%Y}–{end})"


class TeamMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TeamMember) -> str:
        return f"{obj.full_name} — {obj.team.name} ({obj.team.ward.name})"


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.ward.name}, {obj.get_kind_display().lower()})"


class AreaFilterForm(forms.Form):
    """District and ward filters as the user's area allows (areas.filters)."""

    def __init__(self, data: Any = None, *, area: Area | None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        area_filter_fields(self, area=area, data=data or {})


class EntitlementFilterForm(AreaFilterForm):
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("Tất cả")), ("owed", _("Còn nợ")), ("paid", _("Đã trả đủ"))],
    )


class OwedFilterForm(AreaFilterForm):
    order = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[("owed", _("Nợ nhiều nhất trước")), ("oldest", _("Nợ lâu nhất trước"))],
    )


class DeadlineForm(AreaFilterForm):
    deadline = DateField(label=_("Hạn chi trả (đến hết ngày)"), required=False)
    target = forms.IntegerField(label=_("Chỉ tiêu (% số tiền)"), min_value=1, max_value=100, required=False)

    def __init__(self, data: Any = None, *, area: Area | None, **kwargs: Any) -> None:
        super().__init__(data, area=area, **kwargs)
        self.fields.pop("ward", None)  # the report lists every ward of the districts


class EntitlementForm(forms.Form):
    rate = RateChoiceField(label=_("Mức hỗ trợ"), queryset=AllowanceRate.objects.none())
    team_member = TeamMemberChoiceField(
        label=_("Thành viên tổ"), queryset=TeamMember.objects.none(), required=False,
        help_text=_("Chọn thành viên tổ, hoặc để trống và ghi họ tên, phường/xã của người được hưởng."),
    )  # fmt: skip
    full_name = forms.CharField(label=_("Họ và tên"), max_length=100, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=15, required=False)
    unit_name = forms.CharField(label=_("Đơn vị, vai trò"), max_length=150, required=False)
    ward = WardChoiceField(label=_("Phường/xã"), queryset=Area.objects.none(), required=False)
    start_on = DateField(label=_("Từ ngày"))
    end_on = DateField(label=_("Đến hết ngày"))
    days_served = forms.IntegerField(
        label=_("Số ngày làm nhiệm vụ"), min_value=1, required=False,
        help_text=_("Chỉ với mức tính theo ngày; để trống = cả khoảng thời gian."),
    )  # fmt: skip
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, data: Any = None, *, rates: QuerySet, members: QuerySet, wards: QuerySet, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["rate"].queryset = rates
        self.fields["team_member"].queryset = members
        self.fields["ward"].queryset = wards

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("team_member"):
            if not data.get("full_name"):
                self.add_error("full_name", _("Ghi họ tên người được hưởng, hoặc chọn một thành viên tổ."))
            if not data.get("ward"):
                self.add_error("ward", _("Chọn phường/xã của người được hưởng."))
        return data


class TeamEntitlementForm(forms.Form):
    team = TeamChoiceField(label=_("Tổ"), queryset=Team.objects.none())
    rate = RateChoiceField(label=_("Mức hỗ trợ"), queryset=AllowanceRate.objects.none())
    start_on = DateField(label=_("Từ ngày"))
    end_on = DateField(label=_("Đến hết ngày"))

    def __init__(self, data: Any = None, *, teams: QuerySet, rates: QuerySet, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["rate"].queryset = rates


class PaymentForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Số tiền (đồng)"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1000})
    )
    paid_on = DateField(label=_("Ngày chi"))
    voucher = forms.CharField(label=_("Số chứng từ"), max_length=50)
    method = forms.ChoiceField(label=_("Hình thức"), choices=PaymentMethod.choices)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do huỷ"), max_length=255)


class RateForm(forms.Form):
    name = forms.CharField(label=_("Tên chế độ"), max_length=200)
    beneficiary = forms.ChoiceField(label=_("Đối tượng"), choices=Beneficiary.choices)
    unit = forms.ChoiceField(label=_("Đơn vị tính"), choices=Unit.choices)
    amount = forms.IntegerField(label=_("Mức (đồng)"), min_value=1)
    valid_from = DateField(label=_("Áp dụng từ ngày"))
    valid_to = DateField(label=_("Áp dụng đến hết ngày"), required=False, help_text=_("Để trống nếu chưa hết."))
    document = forms.CharField(label=_("Văn bản (số, ngày)"), max_length=200)
    source = forms.URLField(label=_("Nguồn (địa chỉ web)"), max_length=500, required=False, assume_scheme="https")
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def rate_data(self) -> RateData:
        return RateData(**self.cleaned_data)

    @classmethod
    def for_rate(cls, rate: AllowanceRate) -> "RateForm":
        fields = ("name", "beneficiary", "unit", "amount", "valid_from", "valid_to", "document", "source", "notes")
        return cls(initial={f: getattr(rate, f) for f in fields})


class RateCloseForm(forms.Form):
    valid_to = DateField(label=_("Áp dụng đến hết ngày"))
