"""The report page's form: the area (district/ward as the user's area allows) and the period."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from phongdich.areas.filters import area_filter_fields
from phongdich.areas.models import Area
from phongdich.people.forms import DateField
from phongdich.reports.services import check_report_period


class ReportForm(forms.Form):
    start = DateField(label=_("Từ ngày"), required=False)
    end = DateField(label=_("Đến ngày"), required=False)

    def __init__(self, data: Any = None, *, area: Area | None, today: date, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.today = today
        area_filter_fields(self, area=area, data=data or {})

    def clean(self) -> dict[str, Any]:
        values = super().clean()
        end = values.get("end") or self.today
        start = values.get("start") or end - timedelta(days=6)
        try:
            check_report_period(start=start, end=end, today=self.today)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        values["start"], values["end"] = start, end
        return values

    def period(self) -> tuple[date, date]:
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.today - timedelta(days=6), self.today

    def area_id(self) -> int | None:
        if not self.is_valid():
            return None
        return self.cleaned_data.get("ward") or self.cleaned_data.get("district")
