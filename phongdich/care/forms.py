"""Forms of the care app: facility filter and edit, stock in, dispensing, transfer."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.care.models import Facility, MovementKind, Package, Tier
from phongdich.care.services import FacilityData

HOME = "home"


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.parent.name})" if obj.is_ward and obj.parent_id else obj.name


class FacilityFilterForm(forms.Form):
    tier = forms.TypedChoiceField(
        label=_("Tầng"), choices=[("", _("Tất cả")), *Tier.choices], coerce=int, required=False, empty_value=None
    )
    district = AreaChoiceField(
        label=_("Quận/huyện"), queryset=Area.objects.none(), required=False, empty_label=_("Tất cả")
    )

    def __init__(self, *args: object, districts: QuerySet[Area], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]


class FacilityForm(forms.Form):
    code = forms.CharField(label=_("Mã cơ sở"), max_length=20)
    name = forms.CharField(label=_("Tên cơ sở"), max_length=200)
    tier = forms.TypedChoiceField(label=_("Tầng điều trị"), choices=Tier.choices, coerce=int)
    district = AreaChoiceField(label=_("Quận/huyện"), queryset=Area.objects.none())
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    beds = forms.IntegerField(label=_("Số giường"), min_value=0)
    icu_beds = forms.IntegerField(label=_("Số giường hồi sức tích cực"), min_value=0, initial=0)
    icu_occupied = forms.IntegerField(label=_("Đang hồi sức tích cực"), min_value=0, initial=0)
    lat = forms.FloatField(label=_("Vĩ độ"), required=False)
    lon = forms.FloatField(label=_("Kinh độ"), required=False)
    active = forms.BooleanField(label=_("Đang tiếp nhận"), required=False, initial=True)

    def __init__(self, *args: object, districts: QuerySet[Area], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, facility: Facility) -> dict[str, object]:
        return {name: getattr(facility, name) for name in cls.base_fields}

    def facility_data(self) -> FacilityData:
        return FacilityData(**self.cleaned_data)


class StockForm(forms.Form):
    area = AreaChoiceField(label=_("Kho (trạm y tế hoặc quận/huyện)"), queryset=Area.objects.none())
    package = forms.ChoiceField(label=_("Túi thuốc"), choices=Package.choices)
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=[(MovementKind.RECEIVED, _("Nhận vào kho")), (MovementKind.ADJUSTED, _("Điều chỉnh kiểm kê (±)"))],
    )
    quantity = forms.IntegerField(label=_("Số túi"))
    note = forms.CharField(label=_("Ghi chú (lô, nơi cấp, lý do điều chỉnh)"), max_length=255, required=False)

    def __init__(self, *args: object, areas: QuerySet[Area], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class DoctorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return obj.get_full_name() or obj.username


class DispenseForm(forms.Form):
    package = forms.ChoiceField(label=_("Túi thuốc"), choices=Package.choices, widget=forms.RadioSelect)
    prescribed_by = DoctorChoiceField(
        label=_("Bác sĩ kê đơn (bắt buộc với túi B)"), queryset=User.objects.none(), required=False,
        empty_label=_("Không"),
    )  # fmt: skip
    consent_signed = forms.BooleanField(label=_("F0 đã ký cam kết đồng ý (bắt buộc với túi C)"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: object, doctors: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["prescribed_by"].queryset = doctors  # type: ignore[attr-defined]


def _facility_label(facility: Facility) -> str:
    values = {"name": facility.name, "district": facility.district.name, "free": facility.free_beds,
              "beds": facility.beds}  # fmt: skip
    if facility.free_beds <= 0:
        return str(_("%(name)s — %(district)s — hết giường (%(beds)s)") % values)
    return str(_("%(name)s — %(district)s — còn %(free)s/%(beds)s giường") % values)


class TransferForm(forms.Form):
    destination = forms.ChoiceField(label=_("Chuyển đến"))
    reason = forms.CharField(label=_("Lý do"), max_length=255)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: object, groups: list[tuple[int, str, list[Facility]]], at_facility: bool, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices: list[tuple[str, object]] = [("", _("— Chọn cơ sở —"))]
        if at_facility:
            choices.append((HOME, _("Về nhà (ra viện, tiếp tục điều trị tại nhà)")))
        for _tier, label, facilities in groups:
            options = [(str(f.pk), _facility_label(f)) for f in facilities]
            if options:
                choices.append((label, options))
        self.fields["destination"].choices = choices  # type: ignore[attr-defined]
