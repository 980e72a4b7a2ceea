"""The dashboards' GET filters: which district or ward of the user's area to show, and a period of report days."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from phongdich.accounts.models import User
from phongdich.areas.filters import area_filter_fields
from phongdich.dashboards.selectors import KIND_ALL, MAX_REPORTED_DAYS, REPORTED_KINDS
from phongdich.people.forms import DateField


class ScopeForm(forms.Form):
    """District and ward pickers limited to the user's area (`areas.filters`); an invalid choice is reported and
    the user's whole area shown."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_filter_fields(self, area=user.area, data=self.data)

    def area_ids(self) -> dict[str, int | None]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"district_id": data.get("district"), "ward_id": data.get("ward")}


class ReportedFilterForm(ScopeForm):
    """The report days and the kind of new case of the list behind a curve count."""

    start = DateField(label=_("Từ ngày báo cáo"), required=False)
    end = DateField(label=_("đến ngày"), required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=list(REPORTED_KINDS.items()), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", ValidationError(_("Ngày kết thúc phải từ ngày bắt đầu trở đi.")))
        elif start and end and (end - start).days >= MAX_REPORTED_DAYS:
            self.add_error(
                "end", ValidationError(_("Mỗi lần xem tối đa %(n)s ngày báo cáo.") % {"n": MAX_REPORTED_DAYS})
            )
        return data

    def period(self, *, today: date) -> tuple[date, date, str]:
        """The chosen days (default: `today`, the current report day) and kind (default: all on time)."""
        data = getattr(self, "cleaned_data", {})
        end = data.get("end") if "end" not in self.errors else None
        start = data.get("start") if "end" not in self.errors else None
        end = end or start or today
        start = start or end
        if (end - start).days >= MAX_REPORTED_DAYS:
            start = end - timedelta(days=MAX_REPORTED_DAYS - 1)
        return start, end, data.get("kind") or KIND_ALL
