"""F0 pages: home, list, registration, one F0 (timeline, eligibility, end of isolation), certificates."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm, Role
from phongdich.cases.forms import (
    CaseFilterForm,
    CaseRegisterForm,
    CaseUpdateForm,
    DeathForm,
    EligibilityForm,
    IsolationTestForm,
    ReleaseForm,
)
from phongdich.cases.models import Case, Certificate, Status
from phongdich.cases.release import (
    case_death_record,
    case_release,
    case_release_check,
    certificate_by_token,
    initials,
    isolation_test_record,
)
from phongdich.cases.selectors import case_counts, case_for_user, case_list, case_recent_counts
from phongdich.cases.services import case_eligibility_assess, case_register_with_person, case_update
from phongdich.cases.timeline import case_timeline, case_vitals_chart
from phongdich.people.models import Person
from phongdich.people.selectors import person_match_for_registration, persons_visible_to

PAGE_SIZE = 50


# Those who work one ward's F0 start their day on the ward's daily view.
_DAILY_FIRST = {Role.WARD_OFFICER, Role.TEAM_MEMBER}


def home(request: HttpRequest) -> HttpResponse:
    if request.user.role in _DAILY_FIRST and request.user.has_perm_code(Perm.CASE_VIEW):
        return redirect("monitoring:daily")
    counts = case_counts(user=request.user)
    context = {
        "statuses": [(status, label, counts[status]) for status, label in Status.choices],
        "total": sum(counts.values()),
        "recent": case_recent_counts(user=request.user, today=timezone.localdate()),
    }
    return render(request, "cases/home.html", context)


@perm_required(Perm.CASE_VIEW)
def case_list_view(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET, user=request.user)
    form.is_valid()
    filters = form.filters()
    page = Paginator(case_list(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "sort": filters.sort, "sort_links": form.sort_links(filters.sort)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "cases/_table.html", context)
    return render(request, "cases/list.html", context)


@perm_required(Perm.CASE_EDIT)
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseRegisterForm(request.POST or None, user=request.user)
    candidates: tuple[Person, ...] = ()
    if request.method == "POST" and form.is_valid():
        person_data = form.person_data()
        match = person_match_for_registration(
            user=request.user, national_id=person_data.national_id, full_name=person_data.full_name,
            birth_year=person_data.birth_year, phone=person_data.phone, choice=form.cleaned_data["person_choice"],
        )  # fmt: skip
        candidates = match.candidates
        if not candidates:
            try:
                case = case_register_with_person(
                    actor=request.user, person=match.person, person_data=person_data, **form.case_values()
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                if match.by_national_id:
                    messages.info(
                        request,
                        _("CCCD/CMND %(id)s đã có trong sổ (%(name)s): F0 được ghi cho người này.")
                        % {"id": person_data.national_id, "name": case.person.full_name},
                    )
                elif match.person is not None:
                    messages.info(request, _("Đã dùng người có sẵn: %(name)s.") % {"name": case.person.full_name})
                messages.success(request, _("Đã đăng ký F0 %(code)s.") % {"code": case.code})
                return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/create.html", {"form": form, "candidates": candidates})


@perm_required(Perm.CASE_VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    today = timezone.localdate()
    context = {
        "case": case,
        "conditions": case.person.conditions.all(),
        "person_visible": persons_visible_to(request.user).filter(pk=case.person_id).exists(),
        "eligibility_form": EligibilityForm(initial={"version": case.version}),
        "release": case_release_check(case=case, on=today),
        "isolation_tests": case.isolation_tests.all(),
        "test_form": IsolationTestForm(initial={"tested_on": today}),
        "release_form": ReleaseForm(initial={"released_on": today, "version": case.version}),
        "death_form": DeathForm(initial={"died_on": today, "version": case.version}),
        "certificate": Certificate.objects.filter(case=case).first(),
        "timeline": case_timeline(case),
        "chart": case_vitals_chart(case),
    }
    return render(request, "cases/detail.html", context)


@perm_required(Perm.CASE_EDIT)
def case_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    form = CaseUpdateForm(request.POST) if request.method == "POST" else CaseUpdateForm.for_case(case)
    if request.method == "POST" and form.is_valid():
        try:
            case_update(
                actor=request.user, case=case, changes=form.changes(), expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            form.add_error(None, error)  # a field's error lands on that field
        else:
            messages.success(request, _("Đã lưu thay đổi của F0 %(code)s.") % {"code": case.code})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/update.html", {"case": case, "form": form})


@require_POST
@perm_required(Perm.CASE_EDIT)
def case_eligibility_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    form = EligibilityForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, case, form)
    try:
        decision = case_eligibility_assess(
            actor=request.user, case=case, observation=form.observation(), expected_version=form.cleaned_data["version"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        verdict = {True: _("Đủ điều kiện"), False: _("Không đủ điều kiện"), None: _("Chưa đủ dữ liệu")}[
            decision.eligible
        ]
        messages.success(
            request, _("%(verdict)s điều trị tại nhà (%(rule)s).") % {"verdict": verdict, "rule": decision.rule_label}
        )
    return redirect("cases:detail", pk=case.pk)


@require_POST
@perm_required(Perm.CASE_RELEASE)
def isolation_test_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    form = IsolationTestForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, case, form)
    try:
        isolation_test_record(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã ghi kết quả xét nghiệm."))
    return redirect("cases:detail", pk=case.pk)


@require_POST
@perm_required(Perm.CASE_RELEASE)
def case_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, case, form)
    try:
        certificate = case_release(
            actor=request.user, case=case, released_on=form.cleaned_data["released_on"],
            expected_version=form.cleaned_data["version"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:detail", pk=case.pk)
    messages.success(request, _("Đã xác nhận hoàn thành cách ly, giấy số %(number)s.") % {"number": certificate.number})
    return redirect("cases:certificate", pk=case.pk)


@require_POST
@perm_required(Perm.CASE_RELEASE)
def case_death_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    form = DeathForm(request.POST)
    if not form.is_valid():
        return _back_with_errors(request, case, form)
    try:
        case_death_record(
            actor=request.user, case=case, died_on=form.cleaned_data["died_on"], note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:detail", pk=case.pk)
    messages.success(request, _("Đã ghi nhận F0 tử vong ngày %(day)s.") % {"day": f"{case.died_on:%d/%m/%Y}"})
    return redirect("cases:detail", pk=case.pk)


@perm_required(Perm.CASE_VIEW)
def certificate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable certificate (A5/A4), with a QR code that opens the public check page."""
    case = case_for_user(request.user, pk)
    certificate = get_object_or_404(Certificate.objects.select_related("issued_by"), case=case)
    check_url = request.build_absolute_uri(reverse("certificate_check", args=[certificate.token]))
    qr = segno.make(check_url, error="m").svg_inline(scale=3)
    return render(
        request, "cases/certificate.html", {"case": case, "certificate": certificate, "qr": qr, "check_url": check_url}
    )


@login_not_required
@require_GET
def certificate_check(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what the QR code on a certificate opens. Initials and dates only; never the person's details."""
    certificate = certificate_by_token(token)
    if certificate is None:
        return render(request, "cases/certificate_check.html", {"found": False}, status=404)
    case = certificate.case
    context = {
        "found": True,
        "certificate": certificate,
        "initials": initials(case.person.full_name),
        "valid": certificate.revoked_at is None and case.status == Status.RELEASED,
        "case": case,
    }
    return render(request, "cases/certificate_check.html", context)


def _back_with_errors(request: HttpRequest, case: Case, form: forms.Form) -> HttpResponse:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("cases:detail", pk=case.pk)
