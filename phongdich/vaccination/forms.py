"""Forms of a person's vaccination page: a new dose, deleting one, the homebound answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from phongdich.people.forms import DateField
from phongdich.vaccination.models import DoseKind


class DoseForm(forms.Form):
    given_on = DateField(label=_("Ngày tiêm"))
    product = forms.ChoiceField(label=_("Vắc xin"))
    kind = forms.ChoiceField(
        label=_("Loại mũi"),
        choices=[("", _("Tự xác định theo các mũi trước")), *DoseKind.choices],
        required=False,
    )
    lot = forms.CharField(label=_("Số lô"), max_length=40, required=False)
    site = forms.CharField(label=_("Điểm tiêm"), max_length=200, required=False)
    given_by = forms.CharField(label=_("Người tiêm / đơn vị"), max_length=200, required=False)

    def __init__(self, *args: object, products: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["product"].choices = [("", "—"), *products]  # type: ignore[attr-defined]

    def clean_kind(self) -> str | None:
        return self.cleaned_data["kind"] or None


class DoseDeleteForm(forms.Form):
    reason = forms.CharField(label=_("Lý do xoá"), max_length=255)


class HomeboundForm(forms.Form):
    homebound = forms.BooleanField(label=_("Không đi lại được (cần đội tiêm lưu động)"), required=False)
