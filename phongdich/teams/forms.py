"""Forms for community teams: the list filter, a new team, a new member."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from phongdich.accounts.models import User
from phongdich.areas.models import Area
from phongdich.teams.models import TeamKind


class WardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


class TeamFilterForm(forms.Form):
    ward = WardChoiceField(label=_("Phường/xã"), queryset=Area.objects.none(), required=False, empty_label=_("Tất cả"))
    kind = forms.ChoiceField(label=_("Loại tổ"), choices=[("", _("Tất cả")), *TeamKind.choices], required=False)

    def __init__(self, *args: object, wards: QuerySet[Area], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["ward"].queryset = wards  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    ward = WardChoiceField(label=_("Phường/xã"), queryset=Area.objects.none())
    kind = forms.ChoiceField(label=_("Loại tổ"), choices=TeamKind.choices)
    name = forms.CharField(label=_("Tên tổ"), max_length=150)

    def __init__(self, *args: object, wards: QuerySet[Area], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["ward"].queryset = wards  # type: ignore[attr-defined]
        first_two = list(wards[:2])
        if len(first_two) == 1:
            self.fields["ward"].initial = first_two[0]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        name = obj.get_full_name()
        return f"{obj.username} — {name}" if name else obj.username


class TeamMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=100)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=30, required=False)
    position = forms.CharField(label=_("Vai trò trong tổ"), max_length=100, required=False)
    user = UserChoiceField(
        label=_("Tài khoản phongdich (nếu có)"), queryset=User.objects.none(), required=False, empty_label=_("Không")
    )

    def __init__(self, *args: object, users: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
