"""The JSON API: one NinjaAPI mounted at /api/, each app adds its router under v1/; OpenAPI at /api/openapi.json.

Every endpoint needs a bearer token or a signed-in session (with CSRF for writes). Errors answer with a
Vietnamese `detail`: 401 not authenticated, 403 role lacks the permission, 404 not found or outside the
user's area, 422 invalid data (the services' ValidationError or a malformed request).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError

from phongdich.accounts.api_auth import SessionCsrfAuth, TokenAuth

api = NinjaAPI(
    title="phongdich API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionCsrfAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)

api.add_router("v1/persons", "phongdich.people.api.router")
api.add_router("v1/cases", "phongdich.cases.api.router")
api.add_router("v1/imports", "phongdich.imports.api.router")
api.add_router("v1/triage", "phongdich.rules.api.router")
api.add_router("v1/monitoring", "phongdich.monitoring.api.router")
api.add_router("v1/care", "phongdich.care.api.router")
api.add_router("v1/vaccination", "phongdich.vaccination.api.router")
api.add_router("v1/contacts", "phongdich.contacts.api.router")
api.add_router("v1/requests", "phongdich.hotline.api.router")
api.add_router("v1/support", "phongdich.support.api.router")
api.add_router("v1/reports", "phongdich.reports.api.router")
api.add_router("v1/levels", "phongdich.levels.api.router")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("Cần khoá API hợp lệ (Authorization: Bearer …) hoặc đăng nhập.")}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Không tìm thấy, hoặc nằm ngoài địa bàn của bạn.")}, status=404)


@api.exception_handler(DjangoValidationError)
def _invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {}
    detail = " ".join(exc.messages)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(SchemaValidationError)
def _malformed_request(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        # ("body", "payload", "person", "full_name") → "person.full_name"; ("query", "page") → "page"
        path = loc[2:] if loc[:1] == ["body"] else loc[1:]
        errors.append(
            {"field": ".".join(str(p) for p in path), "message": error.get("msg", ""), "type": error.get("type", "")}
        )
    fields = ", ".join(sorted({e["field"] for e in errors if e["field"]})) or "?"
    detail = _("Dữ liệu gửi lên không hợp lệ ở: %(fields)s.") % {"fields": fields}
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)
