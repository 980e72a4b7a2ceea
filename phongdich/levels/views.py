"""Pages of the epidemic levels: the table of a scope, an area's history, week-on-week changes, the what-if
calculator, the rule sets with their versions and the form that saves a new version.

Reading: every role (all have Perm.CASE_VIEW), within the user's area. "Tính lại" (an on-demand assessment):
the city admin (Perm.CONFIG_EDIT) for the whole city, a district officer for their district and its wards.
Editing the numbers of a rule set: Perm.CONFIG_EDIT only.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from phongdich.accounts.models import User
from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm, Role
from phongdich.areas.models import Area, Level
from phongdich.areas.scoping import areas_within
from phongdich.levels.forms import RuleVersionForm, TableFilterForm
from phongdich.levels.models import LEVEL_COLOURS, AssessmentKind, RuleVersion
from phongdich.levels.params import params_with
from phongdich.levels.selectors import cutoff_days, districts_visible_to, level_changes, level_history, levels_table
from phongdich.levels.services import levels_assess
from phongdich.levels.versions import level_rule_sets, rule_version_create, rule_version_current
from phongdich.reports.days import current_report_day
from phongdich.rules.registry import NoRuleInForce, rule_set_by_code


def recompute_areas(user: User) -> list[Area] | None:
    """What the user may recompute on demand: None = the whole city; else a district and its wards. 403 otherwise."""
    if user.has_perm_code(Perm.CONFIG_EDIT) and user.area is not None and user.area.level == Level.PROVINCE:
        return None
    if user.role == Role.DISTRICT_OFFICER and user.area is not None and user.area.level == Level.DISTRICT:
        return list(areas_within(user.area))
    raise PermissionDenied


def _can_recompute(user: User) -> bool:
    try:
        recompute_areas(user)
    except PermissionDenied:
        return False
    return True


@perm_required(Perm.CASE_VIEW)
def table(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    districts = [(d.pk, d.name) for d in districts_visible_to(user)]
    form = TableFilterForm(request.GET or None, districts=districts, days=cutoff_days(user=user))
    data = form.cleaned_data if form.is_valid() else {}
    day = date.fromisoformat(data["date"]) if data.get("date") else None
    cutoff_on, rows = levels_table(user=user, cutoff_on=day, kind=data.get("kind") or None,
                                   district_id=data.get("district"), level=data.get("level"))  # fmt: skip
    counts = {
        level: sum(1 for r in rows if r.assessment.level == level and r.area.level == Level.WARD)
        for level in LEVEL_COLOURS
    }
    context = {"form": form, "rows": rows, "cutoff_on": cutoff_on, "counts": counts, "colours": LEVEL_COLOURS,
               "can_recompute": _can_recompute(user), "default_cutoff": current_report_day() - timedelta(days=1)}  # fmt: skip
    return render(request, "levels/table.html", context)


@perm_required(Perm.CASE_VIEW)
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    areas = recompute_areas(user)
    raw = request.POST.get("cutoff_on", "")
    try:
        cutoff_on = date.fromisoformat(raw) if raw else current_report_day() - timedelta(days=1)
    except ValueError:
        messages.error(request, _("Ngày chốt số liệu không hợp lệ (dd/mm/yyyy)."))
        return redirect("levels:table")
    try:
        count = levels_assess(cutoff_on=cutoff_on, kind=AssessmentKind.ON_DEMAND, actor=user, areas=areas)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã tính lại cấp độ của %(n)s địa bàn, số liệu đến hết ngày %(d)s.")
                         % {"n": count, "d": f"{cutoff_on:%d/%m/%Y}"})  # fmt: skip
    return redirect(f"{reverse('levels:table')}?date={cutoff_on.isoformat()}")


@perm_required(Perm.CASE_VIEW)
def history(request: HttpRequest, area_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    area, rows = level_history(user=user, area_id=area_id)
    pairs = [(row, rows[i + 1] if i + 1 < len(rows) else None) for i, row in enumerate(rows)]
    return render(request, "levels/history.html", {"area": area, "pairs": pairs, "colours": LEVEL_COLOURS})


@perm_required(Perm.CASE_VIEW)
def changes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    latest, before, rows = level_changes(user=user)
    context = {"latest": latest, "before": before, "up": [r for r in rows if (r.change or 0) > 0],
               "down": [r for r in rows if (r.change or 0) < 0], "colours": LEVEL_COLOURS}  # fmt: skip
    return render(request, "levels/changes.html", context)


@perm_required(Perm.CASE_VIEW)
def whatif(request: HttpRequest) -> HttpResponse:
    rules = [(r, rule_version_current(r.code)) for r in level_rule_sets()]
    default = rules[-1][0].code if rules else ""
    return render(request, "levels/whatif.html", {"rules": rules, "default_rule": default, "colours": LEVEL_COLOURS})


@perm_required(Perm.CASE_VIEW)
def rules(request: HttpRequest) -> HttpResponse:
    items = []
    for rule in level_rule_sets():
        current = rule_version_current(rule.code)
        versions = list(RuleVersion.objects.filter(rule_set=rule.code).select_related("created_by").order_by("-number"))
        form = RuleVersionForm(params=current.params, initial={"based_on": current.number})
        items.append({"rule": rule, "current": current, "versions": versions, "fields": list(form)})
    can_edit = request.user.has_perm_code(Perm.CONFIG_EDIT)  # type: ignore[union-attr]
    return render(request, "levels/rules.html", {"items": items, "can_edit": can_edit})


@perm_required(Perm.CONFIG_EDIT)
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, code: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        rule = rule_set_by_code(code)
    except NoRuleInForce:
        raise Http404 from None
    if rule.kind != "epidemic_level":
        raise Http404
    current = rule_version_current(code)
    form = RuleVersionForm(request.POST or None, params=current.params, initial={"based_on": current.number})
    if request.method == "POST" and form.is_valid():
        try:
            row = rule_version_create(actor=user, code=code, params=params_with(current.params, form.param_values()),
                                      note=form.cleaned_data["note"], based_on=form.cleaned_data["based_on"])  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu phiên bản %(n)s của %(rule)s. Lần đánh giá sau sẽ dùng phiên bản này.")
                             % {"n": row.number, "rule": rule.label})  # fmt: skip
            return redirect("levels:rules")
    return render(request, "levels/rule_edit.html", {"rule": rule, "current": current, "form": form})
