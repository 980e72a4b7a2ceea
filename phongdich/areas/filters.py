"""The district and ward filter fields every list offers, limited to the user's area.

A ward user gets neither; a district user chooses among its wards; a city user chooses a district,
then among that district's wards only: a select of a city's ~600 wards takes longer to render than
the list's own query takes to run.
"""

from itertools import groupby
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phongdich.areas.models import Area, Level
from phongdich.areas.selectors import districts_visible_to, wards_visible_to

ANY = ("", _("Tất cả"))


def area_filter_fields(form: forms.Form, *, area: Area | None, data: Any) -> None:
    """Add `district` and `ward` (both optional, coerced to ids) to `form` as the user's area allows."""
    if area is not None and area.level == Level.PROVINCE:
        districts = [(d.pk, d.name) for d in districts_visible_to(area)]
        form.fields["district"] = forms.TypedChoiceField(
            label=_("Quận/huyện"), choices=[ANY, *districts], coerce=int, empty_value=None, required=False
        )
    if area is None or area.level == Level.WARD:
        return
    wards = wards_visible_to(area)
    if area.level == Level.PROVINCE:
        district, ward = data.get("district"), data.get("ward")
        by_district = Q(parent_id=district) if str(district or "").isdigit() else Q(pk__in=[])
        chosen = Q(pk=ward) if str(ward or "").isdigit() else Q(pk__in=[])
        wards = wards.filter(by_district | chosen)
    grouped = [
        (district_name, [(w.pk, w.name) for w in group])
        for district_name, group in groupby(wards, key=lambda w: w.parent.name if w.parent else "")
    ]
    form.fields["ward"] = forms.TypedChoiceField(
        label=_("Phường/xã"), choices=[ANY, *grouped], coerce=int, empty_value=None, required=False
    )
