"""Vaccination pages of one person: doses, status and next dose, recording a dose, the printable record."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.cases.release import initials
from phongdich.people.selectors import person_for_user
from phongdich.rules.release import fully_vaccinated
from phongdich.rules.vaccination import products_in_force
from phongdich.vaccination.forms import DoseDeleteForm, DoseForm, HomeboundForm
from phongdich.vaccination.selectors import (
    dose_for_user,
    person_vaccination_record,
    vaccination_certificate_by_token,
)
from phongdich.vaccination.services import (
    dose_delete,
    dose_record,
    person_homebound_set,
    vaccination_certificate_issue,
)


def _dose_form(data: object = None) -> DoseForm:
    return DoseForm(data, products=products_in_force(on=timezone.localdate()))  # type: ignore[arg-type]


def _person_page(request: HttpRequest, person_id: int, dose_form: DoseForm | None = None) -> HttpResponse:
    record = person_vaccination_record(user=request.user, person_id=person_id)
    can_edit = request.user.has_perm_code(Perm.VACCINATION_EDIT)
    context = {
        "record": record,
        "person": record.person,
        "summary": record.summary,
        "can_edit": can_edit,
        "dose_form": (dose_form or _dose_form()) if can_edit else None,
        "homebound_form": HomeboundForm(initial={"homebound": bool(record.summary and record.summary.homebound)}),
        "delete_form": DoseDeleteForm(),
    }
    return render(request, "vaccination/person.html", context, status=422 if dose_form and dose_form.errors else 200)


@require_GET
@perm_required(Perm.PERSON_VIEW)
def person_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, person_id)


@require_POST
@perm_required(Perm.VACCINATION_EDIT)
def dose_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for_user(request.user, person_id)
    form = _dose_form(request.POST)
    if form.is_valid():
        try:
            dose, flags = dose_record(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã ghi mũi tiêm ngày %(day)s.") % {"day": dose.given_on.strftime("%d/%m/%Y")})
            for flag in flags:
                messages.warning(request, flag)
            return redirect("vaccination:person", person_id=person.pk)
    return _person_page(request, person.pk, form)


@require_POST
@perm_required(Perm.VACCINATION_EDIT)
def dose_delete_view(request: HttpRequest, person_id: int, dose_id: int) -> HttpResponse:
    dose = dose_for_user(user=request.user, person_id=person_id, dose_id=dose_id)
    form = DoseDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do xoá mũi tiêm."))
        return redirect("vaccination:person", person_id=person_id)
    given_on = dose.given_on
    dose_delete(actor=request.user, dose=dose, reason=form.cleaned_data["reason"])
    messages.success(request, _("Đã xoá mũi tiêm ngày %(day)s.") % {"day": given_on.strftime("%d/%m/%Y")})
    return redirect("vaccination:person", person_id=person_id)


@require_POST
@perm_required(Perm.VACCINATION_EDIT)
def homebound_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for_user(request.user, person_id)
    form = HomeboundForm(request.POST)
    form.is_valid()
    homebound = bool(form.cleaned_data.get("homebound"))
    person_homebound_set(actor=request.user, person=person, homebound=homebound)
    if homebound:
        messages.success(request, _("Đã ghi: người này không đi lại được, cần đội tiêm lưu động."))
    else:
        messages.success(request, _("Đã bỏ đánh dấu không đi lại được."))
    return redirect("vaccination:person", person_id=person.pk)


@require_POST
@perm_required(Perm.VACCINATION_EDIT)
def certificate_issue_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for_user(request.user, person_id)
    try:
        vaccination_certificate_issue(actor=request.user, person=person)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("vaccination:person", person_id=person.pk)
    messages.success(request, _("Đã cấp mã kiểm tra cho phiếu tiêm chủng."))
    return redirect("vaccination:certificate", person_id=person.pk)


@require_GET
@perm_required(Perm.PERSON_VIEW)
def certificate_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """The printable vaccination record; once a check code is issued, its QR code opens the public check page."""
    record = person_vaccination_record(user=request.user, person_id=person_id)
    qr = check_url = None
    if record.certificate is not None:
        check_url = request.build_absolute_uri(reverse("vaccination_check", args=[record.certificate.token]))
        qr = segno.make(check_url, error="m").svg_inline(scale=3)
    context = {
        "record": record,
        "person": record.person,
        "certificate": record.certificate,
        "qr": qr,
        "check_url": check_url,
        "today": timezone.localdate(),
        "can_edit": request.user.has_perm_code(Perm.VACCINATION_EDIT),
    }
    return render(request, "vaccination/certificate.html", context)


@login_not_required
@require_GET
def vaccination_check(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what the QR code on a vaccination record opens. Initials and the number of doses only."""
    certificate = vaccination_certificate_by_token(token)
    if certificate is None:
        return render(request, "vaccination/check.html", {"found": False}, status=404)
    doses = certificate.person.doses.order_by("-given_on").values_list("given_on", flat=True)
    dates = list(doses)
    today = timezone.localdate()
    context = {
        "found": True,
        "initials": initials(certificate.person.full_name),
        "doses": len(dates),
        "fully_vaccinated": fully_vaccinated(doses=len(dates), last_dose_on=dates[0] if dates else None, on=today),
        "today": today,
    }
    return render(request, "vaccination/check.html", context)
