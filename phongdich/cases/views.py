"""F0 pages: the home page, the F0 list, registering an F0 by hand, and one F0's details."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.cases.forms import CaseFilterForm, CaseRegisterForm
from phongdich.cases.models import Status
from phongdich.cases.selectors import case_counts, case_for_user, case_list, case_recent_counts
from phongdich.cases.services import case_register_with_person
from phongdich.people.models import Person
from phongdich.people.selectors import person_match_for_registration, persons_visible_to

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
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
    context = {
        "case": case,
        "conditions": case.person.conditions.all(),
        "person_visible": persons_visible_to(request.user).filter(pk=case.person_id).exists(),
    }
    return render(request, "cases/detail.html", context)
