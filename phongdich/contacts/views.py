"""F1 pages: the list and follow-up, an F0's contacts with the "Ghi F1" form, one F1 and its actions, F2."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.cases.selectors import case_for_user
from phongdich.contacts.clusters import cluster_add
from phongdich.contacts.forms import (
    REASON_LABELS,
    AssignForm,
    ClusterAddForm,
    ContactCheckForm,
    ContactFilterForm,
    ContactRecordForm,
    ContactTestForm,
    ReleaseForm,
    VersionForm,
)
from phongdich.contacts.models import Contact
from phongdich.contacts.selectors import (
    REASONS,
    clusters_visible_to,
    contact_counts,
    contact_for_user,
    contact_list,
    contacts_of_case,
)
from phongdich.contacts.services import contact_assign, contact_record
from phongdich.contacts.tracking import (
    contact_check_record,
    contact_convert_to_case,
    contact_release,
    contact_release_check,
    contact_test_record,
)
from phongdich.people.models import Person
from phongdich.people.selectors import person_match_for_registration
from phongdich.rules.registry import rule_set_by_code

PAGE_SIZE = 50


@perm_required(Perm.CASE_VIEW)
def contact_list_view(request: HttpRequest) -> HttpResponse:
    """F1/F2 of the ward, district or city, with the follow-up reasons as tabs and the usual filters."""
    today = timezone.localdate()
    form = ContactFilterForm(request.GET, user=request.user)
    form.is_valid()
    filters = form.filters()
    contacts = contact_list(user=request.user, filters=filters, today=today)
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = contact_counts(user=request.user, today=today, district_id=filters.district_id, ward_id=filters.ward_id)
    context = {
        "form": form, "page": page, "today": today, "reason": filters.reason,
        "reasons": [(reason, REASON_LABELS[reason], counts[reason]) for reason in REASONS], "counts": counts,
    }  # fmt: skip
    if request.htmx and not request.htmx.boosted:
        return render(request, "contacts/_table.html", context)
    return render(request, "contacts/list.html", context)


def _record(request: HttpRequest, form: ContactRecordForm, **source: object) -> tuple[Contact | None, tuple]:
    """Match the person like F0 registration does (same CCCD: that person; probable duplicates: ask), then record."""
    person_data = form.person_data()
    match = person_match_for_registration(
        user=request.user, national_id=person_data.national_id, full_name=person_data.full_name,
        birth_year=person_data.birth_year, phone=person_data.phone, choice=form.cleaned_data["person_choice"],
    )  # fmt: skip
    if match.candidates:
        return None, match.candidates
    try:
        contact, created = contact_record(
            actor=request.user, person=match.person, person_data=person_data, ward=person_data.ward,
            **source, **form.contact_values(),
        )  # fmt: skip
    except ValidationError as error:
        form.add_service_error(error)
        return None, ()
    if created:
        messages.success(request, _("Đã ghi F%(n)d %(name)s.") % {"n": contact.generation, "name": contact.person})
    else:
        messages.info(
            request, _("%(name)s đã có trong danh sách của nguồn này: không ghi trùng.") % {"name": contact.person}
        )
    return contact, ()


@perm_required(Perm.CASE_VIEW)
def case_contacts_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """One F0's F1 and F2, with the "Ghi F1" form for those who may trace contacts."""
    case = case_for_user(request.user, case_id)
    can_edit = request.user.has_perm_code(Perm.CONTACT_EDIT)
    clusters = clusters_visible_to(request.user).filter(ward=case.ward).order_by("-created_at")
    form = ContactRecordForm(
        request.POST if request.method == "POST" else None, user=request.user, clusters=clusters,
        initial={"contacted_on": timezone.localdate(), "address": case.person.address, "ward": case.person.ward_id},
    )  # fmt: skip
    candidates: tuple[Person, ...] = ()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            contact, candidates = _record(request, form, source_case=case)
            if contact is not None:
                return redirect("contacts:case", case_id=case.pk)
    context = {
        "case": case, "contacts": contacts_of_case(user=request.user, case_id=case.pk), "form": form,
        "candidates": candidates, "can_edit": can_edit,
    }  # fmt: skip
    return render(request, "contacts/case.html", context)


@perm_required(Perm.CONTACT_EDIT)
def contact_add_f2_view(request: HttpRequest, pk: int) -> HttpResponse:
    """F2: the contacts of an F1 (one level down only; the service refuses the contacts of an F2)."""
    source = contact_for_user(request.user, pk)
    form = ContactRecordForm(
        request.POST if request.method == "POST" else None, user=request.user,
        initial={"contacted_on": timezone.localdate(), "ward": source.ward_id},
    )  # fmt: skip
    candidates: tuple[Person, ...] = ()
    if request.method == "POST" and form.is_valid():
        contact, candidates = _record(request, form, source_contact=source)
        if contact is not None:
            return redirect("contacts:detail", pk=source.pk)
    return render(request, "contacts/add_f2.html", {"source": source, "form": form, "candidates": candidates})


@perm_required(Perm.CASE_VIEW)
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_for_user(request.user, pk)
    today = timezone.localdate()
    clusters = clusters_visible_to(request.user).filter(ward=contact.ward).order_by("-created_at")
    context = {
        "contact": contact,
        "rule": rule_set_by_code(contact.quarantine_rule_set),
        "test_days": [date.fromisoformat(day) for day in contact.test_days],
        "checks": contact.checks.select_related("entered_by"),
        "tests": contact.tests.select_related("recorded_by"),
        "f2": contact.contacts.select_related("person", "converted_case").order_by("contacted_on", "id"),
        "release": contact_release_check(contact=contact, on=today),
        "check_form": ContactCheckForm(initial={"checked_on": today}),
        "test_form": ContactTestForm(initial={"tested_on": today}),
        "release_form": ReleaseForm(initial={"on": today, "version": contact.version}),
        "convert_form": VersionForm(initial={"version": contact.version}),
        "assign_form": AssignForm(
            initial={"assigned_to": contact.assigned_to_id, "version": contact.version}, ward=contact.ward
        ),
        "cluster_form": ClusterAddForm(initial={"cluster": contact.cluster_id}, clusters=clusters),
        "today": today,
    }
    return render(request, "contacts/detail.html", context)


def _back(request: HttpRequest, contact: Contact, form: forms.Form | None = None, error: ValidationError | None = None):  # type: ignore[no-untyped-def]
    if form is not None:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    if error is not None:
        messages.error(request, " ".join(error.messages))
    return redirect("contacts:detail", pk=contact.pk)


@require_POST
@perm_required(Perm.CONTACT_EDIT)
def check_create(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_for_user(request.user, pk)
    form = ContactCheckForm(request.POST)
    if not form.is_valid():
        return _back(request, contact, form)
    try:
        check = contact_check_record(actor=request.user, contact=contact, **form.cleaned_data)
    except ValidationError as error:
        return _back(request, contact, error=error)
    (messages.warning if check.suspected else messages.success)(
        request, _("Đã ghi kiểm tra: %(v)s") % {"v": check.verdict}
    )
    return redirect("contacts:detail", pk=contact.pk)


@require_POST
@perm_required(Perm.CONTACT_EDIT)
def test_create(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_for_user(request.user, pk)
    form = ContactTestForm(request.POST)
    if not form.is_valid():
        return _back(request, contact, form)
    try:
        test = contact_test_record(actor=request.user, contact=contact, **form.cleaned_data)
    except ValidationError as error:
        return _back(request, contact, error=error)
    if test.positive:
        messages.warning(request, _("Đã ghi kết quả dương tính: hãy chuyển F1 này thành F0."))
    else:
        messages.success(request, _("Đã ghi kết quả âm tính."))
    return redirect("contacts:detail", pk=contact.pk)


@require_POST
@perm_required(Perm.CONTACT_EDIT)
def release_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_for_user(request.user, pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return _back(request, contact, form)
    try:
        contact_release(
            actor=request.user,
            contact=contact,
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        return _back(request, contact, error=error)
    messages.success(request, _("Đã cập nhật: %(status)s.") % {"status": contact.get_status_display()})
    return redirect("contacts:detail", pk=contact.pk)


@require_POST
@perm_required(Perm.CONTACT_EDIT)
def convert_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_for_user(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _back(request, contact, form)
    try:
        case = contact_convert_to_case(
            actor=request.user, contact=contact, expected_version=form.cleaned_data["version"]
        )
    except ValidationError as error:
        return _back(request, contact, error=error)
    messages.success(request, _("Đã chuyển thành F0 %(code)s.") % {"code": case.code})
    return redirect("cases:detail", pk=case.pk)


@require_POST
@perm_required(Perm.CONTACT_EDIT)
def assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_for_user(request.user, pk)
    form = AssignForm(request.POST, ward=contact.ward)
    if not form.is_valid():
        return _back(request, contact, form)
    try:
        contact_assign(
            actor=request.user, contact=contact, assignee=form.cleaned_data["assigned_to"],
            expected_version=form.cleaned_data["version"],
        )  # fmt: skip
    except ValidationError as error:
        return _back(request, contact, error=error)
    messages.success(request, _("Đã phân công theo dõi."))
    return redirect("contacts:detail", pk=contact.pk)


@require_POST
@perm_required(Perm.CONTACT_EDIT)
def cluster_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_for_user(request.user, pk)
    form = ClusterAddForm(request.POST, clusters=clusters_visible_to(request.user))
    if not form.is_valid():
        return _back(request, contact, form)
    try:
        cluster_add(actor=request.user, cluster=form.cleaned_data["cluster"], contact=contact)
    except ValidationError as error:
        return _back(request, contact, error=error)
    messages.success(request, _("Đã đưa vào ổ dịch %(name)s.") % {"name": form.cleaned_data["cluster"].name})
    return redirect("contacts:detail", pk=contact.pk)
