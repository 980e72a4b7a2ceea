"""Staff pages beside the queue: importing Zalo/Facebook group messages, and the categories' deadlines (city admin)."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from phongdich.accounts.models import User
from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.areas.selectors import wards_visible_to
from phongdich.hotline.forms import CategoryForm, ImportForm
from phongdich.hotline.importing import already_imported, messages_import
from phongdich.hotline.models import RequestCategory
from phongdich.hotline.parsing import (
    ParseError,
    ParseResult,
    messages_from_json,
    messages_to_json,
    parse_text,
    parse_upload,
)
from phongdich.hotline.selectors import categories_active
from phongdich.hotline.services import category_update

_PREVIEW_SALT = "phongdich.hotline.import-preview"
PREVIEW_MAX_AGE = 6 * 3600


@perm_required(Perm.REQUEST_TAKE)
@require_http_methods(["GET", "POST"])
def import_messages(request: HttpRequest) -> HttpResponse:
    """Step 1: paste or upload → preview table (guessed category to confirm, lines that can't be read).
    Step 2 ("Tạo N yêu cầu"): the signed preview comes back with the confirmed categories and is created."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST" and request.POST.get("step") == "create":
        return _create(request, user)
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    if request.method != "POST" or not form.is_valid():
        return render(request, "hotline/import.html", {"form": form})
    data = form.cleaned_data
    try:
        if data["file"]:
            upload = data["file"]
            parsed: ParseResult = parse_upload(name=upload.name, raw=upload.read(), channel=data["channel"])
        else:
            parsed = parse_text(data["text"], channel=data["channel"])
    except ParseError as error:
        form.add_error("file" if data["file"] else "text", str(error))
        return render(request, "hotline/import.html", {"form": form})
    known = already_imported(parsed.messages)
    payload = signing.dumps(
        {"channel": data["channel"], "ward": data["default_ward"], "messages": messages_to_json(parsed.messages)},
        salt=_PREVIEW_SALT, compress=True,
    )  # fmt: skip
    new = [m for m in parsed.messages if m.external_ref not in known]
    context = {
        "form": form, "parsed": parsed, "payload": payload, "known": known, "new_count": len(new),
        "categories": list(categories_active()), "channel": data["channel"],
    }  # fmt: skip
    return render(request, "hotline/import.html", context)


def _create(request: HttpRequest, user: User) -> HttpResponse:
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=_PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("Bản xem trước đã hết hạn hoặc bị sửa; hãy nhập lại."))
        return redirect("hotline:import")
    batch = messages_from_json(payload["messages"])
    categories = {c.pk: c for c in categories_active()}
    chosen: dict[int, RequestCategory] = {}
    wanted = []
    for message in batch:
        if not request.POST.get(f"include_{message.line}"):
            continue
        raw = request.POST.get(f"category_{message.line}", "")
        category = categories.get(int(raw)) if raw.isdigit() else None
        if category is None:
            messages.error(request, _("Dòng %(line)s: hãy chọn loại yêu cầu.") % {"line": message.line})
            return redirect("hotline:import")
        chosen[message.line] = category
        wanted.append(message)
    default_ward = wards_visible_to(user.area).filter(pk=payload["ward"]).first() if payload["ward"] else None  # type: ignore[arg-type]
    outcome = messages_import(
        actor=user, messages=wanted, channel=payload["channel"], default_ward=default_ward, categories=chosen
    )
    return render(request, "hotline/import_done.html", {"outcome": outcome})


@perm_required(Perm.CONFIG_EDIT)
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest) -> HttpResponse:
    """The categories and their deadlines; a change applies to requests taken afterwards."""
    user: User = request.user  # type: ignore[assignment]
    rows = list(RequestCategory.objects.order_by("ordering", "code"))
    forms = {c.pk: CategoryForm(prefix=f"c{c.pk}", initial={"name": c.name, "deadline_minutes": c.deadline_minutes,
                                                              "active": c.active}) for c in rows}  # fmt: skip
    if request.method == "POST":
        category = next((c for c in rows if str(c.pk) == request.POST.get("category")), None)
        if category is None:
            raise Http404
        form = CategoryForm(request.POST, prefix=f"c{category.pk}")
        forms[category.pk] = form
        if form.is_valid():
            try:
                category_update(actor=user, category=category, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Đã lưu “%(name)s”.") % {"name": category.name})
                return redirect("hotline:categories")
    return render(request, "hotline/categories.html", {"rows": [(c, forms[c.pk]) for c in rows]})
