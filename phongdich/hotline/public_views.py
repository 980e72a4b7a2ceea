"""The pages anyone can open without an account: sending a request, and checking its status with code + phone digits."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from phongdich.areas.models import Area
from phongdich.areas.selectors import wards_visible_to
from phongdich.hotline import conf
from phongdich.hotline.forms import PublicRequestForm, StatusCheckForm
from phongdich.hotline.models import Channel
from phongdich.hotline.public import (
    duplicate_of,
    form_rate_exceeded,
    form_stamp,
    stamp_problem,
    status_rate_exceeded,
)
from phongdich.hotline.routing import province
from phongdich.hotline.selectors import request_for_status_check
from phongdich.hotline.services import normalise_code, request_create
from phongdich.people.identity import InvalidValue, parse_phone
from phongdich.ratelimit import client_address
from phongdich.vntext import nfc


def _rate_limited(request: HttpRequest) -> HttpResponse:
    return render(request, "hotline/public_rate_limited.html", status=429)


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def public_form(request: HttpRequest) -> HttpResponse:
    """A citizen sends a request and gets its code; defences: rate limit, honeypot, signed timestamp, duplicates."""
    city = province()
    if request.method != "POST":
        form = PublicRequestForm(province=city, max_chars=conf.message_max_chars(), initial={"stamp": form_stamp()})
        return render(request, "hotline/public_form.html", {"form": form})
    if form_rate_exceeded(client_address(request)):
        return _rate_limited(request)
    form = PublicRequestForm(request.POST, province=city, max_chars=conf.message_max_chars())
    if form.is_valid():
        data = form.cleaned_data
        problem = stamp_problem(data["stamp"])
        if data["website"]:
            problem = _("Không gửi được yêu cầu. Vui lòng gọi tổng đài 1022.")
        if problem:
            form.add_error(None, problem)
        else:
            return _submit(request, form, city)
    form.data = form.data.copy()
    form.data["stamp"] = form_stamp()  # a fresh stamp: the person fixes the form, the clock restarts
    return render(request, "hotline/public_form.html", {"form": form}, status=400)


def _submit(request: HttpRequest, form: PublicRequestForm, city: Area) -> HttpResponse:
    data = form.cleaned_data
    message = nfc(data["message"])
    try:
        phone = parse_phone(data["caller_phone"]) if data["caller_phone"].strip() else ""
    except InvalidValue:
        phone = ""  # request_create names the field below
    earlier = duplicate_of(message=message, phone=phone)
    if earlier is not None and phone and earlier.caller_phone == phone:
        return render(request, "hotline/public_done.html", {"item": earlier, "again": True})
    if earlier is not None:
        form.add_error(
            "message", _("Nội dung này vừa được gửi. Nếu bạn cần thêm, hãy ghi rõ hơn hoặc gọi tổng đài 1022.")
        )
        return render(request, "hotline/public_form.html", {"form": form}, status=400)
    ward = wards_visible_to(city).filter(pk=data["ward"]).first() if data["ward"] else None
    try:
        item = request_create(
            actor=None, category=data["category"], channel=Channel.WEB, message=message,
            caller_phone=data["caller_phone"], caller_name=data["caller_name"],
            caller_address=data["caller_address"], ward=ward,
        )  # fmt: skip
    except ValidationError as error:
        form.add_service_error(error)
        form.data = form.data.copy()
        form.data["stamp"] = form_stamp()
        return render(request, "hotline/public_form.html", {"form": form}, status=400)
    return render(request, "hotline/public_done.html", {"item": item, "again": False})


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def status_check(request: HttpRequest) -> HttpResponse:
    """Code + last four digits of the phone → status, category, times and the answer; one neutral message otherwise."""
    if request.method != "POST":
        return render(request, "hotline/status.html", {"form": StatusCheckForm()})
    if status_rate_exceeded(client_address(request)):
        return _rate_limited(request)
    form = StatusCheckForm(request.POST)
    item = None
    if form.is_valid():
        item = request_for_status_check(
            code=normalise_code(form.cleaned_data["code"]), phone_last4=form.cleaned_data["phone_last4"]
        )
    if item is None:
        context = {"form": form, "not_found": True}
        return render(request, "hotline/status.html", context, status=404)
    return render(request, "hotline/status.html", {"form": StatusCheckForm(), "item": item})
