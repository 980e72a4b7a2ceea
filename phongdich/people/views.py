"""Person pages: search, one person's details and probable duplicates, editing, and merging."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.cases.selectors import cases_of_person
from phongdich.people.forms import PersonEditForm, PersonSearchForm
from phongdich.people.selectors import person_for_user, person_probable_matches, person_search
from phongdich.people.services import person_merge, person_update


@perm_required(Perm.PERSON_VIEW)
def person_search_view(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "query": query, "people": person_search(user=request.user, query=query)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "people/_results.html", context)
    return render(request, "people/search.html", context)


@perm_required(Perm.PERSON_VIEW)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(request.user, pk)
    duplicates = person_probable_matches(
        full_name=person.full_name, birth_year=person.birth_year, phone=person.phone, exclude_id=person.pk,
        user=request.user,
    ).select_related("ward__parent")  # fmt: skip
    context = {
        "person": person,
        "conditions": person.conditions.all(),
        "cases": cases_of_person(user=request.user, person=person),
        "duplicates": duplicates,
    }
    return render(request, "people/detail.html", context)


@perm_required(Perm.PERSON_EDIT)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(request.user, pk)
    form = PersonEditForm(request.POST or None, user=request.user, initial=PersonEditForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=person, data=form.person_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu thông tin của %(name)s.") % {"name": person.full_name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/edit.html", {"form": form, "person": person})


@require_POST
@perm_required(Perm.PERSON_EDIT)
def person_merge_view(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    source = person_for_user(request.user, pk)
    target = person_for_user(request.user, target_pk)
    try:
        person_merge(actor=request.user, source=source, target=target)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("people:detail", pk=source.pk)
    messages.success(
        request, _("Đã gộp %(source)s (mã %(source_id)d) vào người này.") % {"source": source, "source_id": source.pk}
    )
    return redirect("people:detail", pk=target.pk)
