"""Forms of the levels pages: the filters of the table, and a rule set's numbers as a form (never raw JSON)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phongdich.levels.models import AssessmentKind, Level
from phongdich.levels.params import CASE_SCOPES, param_fields, param_get


class TableFilterForm(forms.Form):
    district = forms.TypedChoiceField(label=_("Quận/huyện"), required=False, coerce=int, empty_value=None)
    date = forms.TypedChoiceField(label=_("Ngày chốt số liệu"), required=False, empty_value=None)
    level = forms.TypedChoiceField(label=_("Cấp độ"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("Mọi cấp")), *list(Level.choices)])  # fmt: skip
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Mọi loại")), *list(AssessmentKind.choices)]
    )

    def __init__(self, *args: Any, districts: list[tuple[int, str]], days: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("Mọi quận/huyện")), *districts]
        self.fields["date"].choices = [("", _("Mới nhất"))] + [(d.isoformat(), f"{d:%d/%m/%Y}") for d in days]


class RuleVersionForm(forms.Form):
    """One field per editable number of the rule set, pre-filled from the version being edited."""

    based_on = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Lý do thay đổi (số văn bản, ngày)"), max_length=255)

    def __init__(self, *args: Any, params: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.param_fields = param_fields(params)
        for f in self.param_fields:
            initial = param_get(params, f.path)
            if f.kind == "bool":
                field: forms.Field = forms.BooleanField(label=f.label, required=False, initial=initial)
            elif f.kind == "scope":
                field = forms.ChoiceField(label=f.label, choices=list(CASE_SCOPES.items()), initial=initial)
            elif f.kind in ("int", "level"):
                field = forms.IntegerField(label=f.label, initial=initial, min_value=f.minimum,
                                           max_value=4 if f.kind == "level" else None)  # fmt: skip
            else:
                field = forms.FloatField(label=f.label, initial=initial, min_value=f.minimum,
                                         max_value=100 if f.kind == "percent" else None)  # fmt: skip
            self.fields[f.name] = field

    def param_values(self) -> dict[str, Any]:
        return {f.name: self.cleaned_data[f.name] for f in self.param_fields}

    def add_service_error(self, error: Any) -> None:
        for name, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            self.add_error(name if name in self.fields else None, messages)
