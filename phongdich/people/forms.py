"""Forms for the person registry: identity fields parsed by people.identity, search and edit."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area, Level
from phongdich.areas.selectors import wards_visible_to
from phongdich.people.identity import (
    InvalidValue,
    national_id_conflicts,
    parse_birth,
    parse_date,
    parse_national_id,
    parse_phone,
)
from phongdich.people.models import Condition, Person, Sex
from phongdich.people.services import PersonData


class ParsedField(forms.CharField):
    """Text parsed by one of people.identity's parsers; its Vietnamese InvalidValue becomes the field error."""

    def __init__(self, *, parse: Callable[[str], Any], **kwargs: Any) -> None:
        self.parse = parse
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return self.parse(text)
        except InvalidValue as error:
            raise ValidationError(str(error), code="invalid") from error


class DateField(ParsedField):
    """A date typed dd/mm/yyyy (yyyy-mm-dd is accepted too). A text box, not a browser date picker:
    pickers show the browser's own format (mm/dd/yyyy in an English browser)."""

    widget = forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "maxlength": 10})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parse=parse_date, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%d/%m/%Y") if isinstance(value, date) else value


class WardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} — {obj.parent.name}" if obj.parent else obj.name


PERSON_FIELDS = ("full_name", "birth", "sex", "national_id", "phone", "address", "ward", "pregnant", "conditions")


class PersonFieldsForm(forms.Form):
    """The identity fields of a person; wards are limited to the user's area."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=100)
    birth = ParsedField(
        parse=parse_birth,
        label=_("Ngày sinh hoặc năm sinh"),
        help_text=_("dd/mm/yyyy, hoặc chỉ năm sinh, ví dụ 1980."),
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "maxlength": 10}),
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, required=False)
    national_id = ParsedField(
        parse=parse_national_id,
        label=_("CCCD/CMND"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 15}),
    )
    phone = ParsedField(
        parse=parse_phone,
        label=_("Số điện thoại"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "maxlength": 20}),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    ward = WardChoiceField(label=_("Phường/xã"), queryset=Area.objects.none(), empty_label=_("— Chọn phường/xã —"))
    pregnant = forms.BooleanField(label=_("Đang mang thai"), required=False)
    conditions = forms.ModelMultipleChoiceField(
        label=_("Bệnh nền"),
        queryset=Condition.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wards = wards_visible_to(user.area) if user.area else Area.objects.none()
        self.fields["ward"].queryset = wards  # type: ignore[attr-defined]
        if user.area and user.area.level == Level.WARD:
            self.fields["ward"].initial = user.area.pk

    @property
    def person_fields(self) -> list[BoundField]:
        return [self[name] for name in PERSON_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        national_id, birth, sex = cleaned.get("national_id"), cleaned.get("birth"), cleaned.get("sex", "")
        if national_id and birth:
            conflict = national_id_conflicts(national_id, birth_year=birth[1], sex=sex)
            if conflict:
                self.add_error("national_id", conflict)
        if cleaned.get("pregnant") and sex == Sex.MALE:
            self.add_error("pregnant", _("Giới tính Nam không thể đang mang thai."))
        return cleaned

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        birth_date, birth_year = data["birth"] or (None, None)
        return PersonData(
            full_name=data["full_name"],
            birth_date=birth_date,
            birth_year=birth_year,
            sex=data["sex"],
            national_id=data["national_id"],
            phone=data["phone"] or "",
            address=data["address"],
            ward=data["ward"],
            pregnant=data["pregnant"],
            conditions=list(data["conditions"]),
        )

    def add_service_error(self, error: ValidationError) -> None:
        """A service's ValidationError: messages keyed by a field of this form go there, others on top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


class PersonEditForm(PersonFieldsForm):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # Imported persons may lack a birth year; editing another field must not force one.
        self.fields["birth"].required = False

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        if person.birth_date:
            birth = person.birth_date.strftime("%d/%m/%Y")
        else:
            birth = str(person.birth_year) if person.birth_year else ""
        return {
            "full_name": person.full_name,
            "birth": birth,
            "sex": person.sex,
            "national_id": person.national_id or "",
            "phone": person.phone,
            "address": person.address,
            "ward": person.ward_id,
            "pregnant": person.pregnant,
            "conditions": list(person.conditions.all()),
        }


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm người"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Họ tên (có hoặc không dấu), số điện thoại hoặc CCCD/CMND"),
                "autofocus": True,
            }
        ),
    )
