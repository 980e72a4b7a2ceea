"""The audit log page: who did what, where and when, filtered and paginated."""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.audit.models import AuditLog, Event
from phongdich.audit.selectors import AuditFilters, audit_log_list

PAGE_SIZE = 50
# Events whose `changes` hold [old, new] pairs; the others hold plain values.
_PAIR_EVENTS = {Event.UPDATE, Event.MERGE}


_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Người thực hiện (tên đăng nhập)"), max_length=150, required=False)
    event = forms.TypedChoiceField(
        label=gettext_lazy("Hành động"),
        choices=[("", gettext_lazy("Tất cả")), *Event.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    target_type = forms.CharField(label=gettext_lazy("Đối tượng"), max_length=30, required=False)
    target_id = forms.IntegerField(label=gettext_lazy("Mã đối tượng"), required=False)
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), required=False, widget=_DATE_WIDGET)
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), required=False, widget=_DATE_WIDGET)


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_show(v)}" for k, v in value.items())
    return str(value)


def change_lines(entry: AuditLog) -> list[str]:
    """ "field: old → new" for updates, "field: value" for the rest."""
    lines = []
    for name, value in entry.changes.items():
        if entry.event in _PAIR_EVENTS and isinstance(value, list) and len(value) == 2:
            lines.append(f"{name}: {_show(value[0])} → {_show(value[1])}")
        else:
            lines.append(f"{name}: {_show(value)}")
    return lines


@require_GET
@perm_required(Perm.AUDIT_VIEW)
def list_view(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    form.is_valid()
    # The fields that did validate still filter; the others show their error.
    valid = getattr(form, "cleaned_data", {})
    filters = AuditFilters(**{k: v for k, v in valid.items() if v not in (None, "")})
    page = Paginator(audit_log_list(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.change_lines = change_lines(entry)  # type: ignore[attr-defined]
        entry.extra_lines = [f"{k}: {_show(v)}" for k, v in entry.extra.items()]  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})
