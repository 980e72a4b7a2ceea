"""The city's allowance rates: everyone reads them; city admins add, correct (while unused), close, replace."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.support.forms import RateCloseForm, RateForm
from phongdich.support.rate_services import rate_close, rate_create, rate_replace, rate_update
from phongdich.support.selectors import rate_by_id, rate_list
from phongdich.support.views import add_errors


@require_GET
def rates(request: HttpRequest) -> HttpResponse:
    context = {"rates": rate_list(), "can_edit": request.user.has_perm_code(Perm.CONFIG_EDIT)}
    return render(request, "support/rates.html", context)


@perm_required(Perm.CONFIG_EDIT)
def rate_create_view(request: HttpRequest) -> HttpResponse:
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate = rate_create(actor=request.user, data=form.rate_data())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm mức “%(name)s”.") % {"name": rate.name})
            return redirect("support:rates")
    context = {"form": form, "title": _("Thêm mức hỗ trợ")}
    return render(request, "support/rate_form.html", context, status=422 if form.errors else 200)


@perm_required(Perm.CONFIG_EDIT)
def rate_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a rate nobody uses yet, close it, or replace it from a date (the only ways once it is used)."""
    rate = rate_by_id(pk)
    used = rate.entitlements.exists()
    action = request.POST.get("action", "")
    form = RateForm(request.POST) if action in ("update", "replace") else RateForm.for_rate(rate)
    close_form = RateCloseForm(request.POST if action == "close" else None)
    if request.method == "POST":
        active = close_form if action == "close" else form
        if active.is_valid():
            try:
                if action == "close":
                    rate_close(actor=request.user, rate=rate, valid_to=close_form.cleaned_data["valid_to"])
                    messages.success(request, _("Đã đóng mức “%(name)s”.") % {"name": rate.name})
                elif action == "replace":
                    new = rate_replace(actor=request.user, rate=rate, data=form.rate_data())
                    messages.success(
                        request, _("Đã thay bằng mức mới từ %(day)s.") % {"day": f"{new.valid_from:%d/%m/%Y}"}
                    )
                else:
                    rate_update(actor=request.user, rate=rate, data=form.rate_data())
                    messages.success(request, _("Đã sửa mức “%(name)s”.") % {"name": rate.name})
            except ValidationError as error:
                add_errors(active, error)
            else:
                return redirect("support:rates")
    context = {"form": form, "close_form": close_form, "rate": rate, "used": used, "title": rate.name}
    status = 422 if form.errors or close_form.errors else 200
    return render(request, "support/rate_form.html", context, status=status)
