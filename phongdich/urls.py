"""Top-level URL map: one include per app, the JSON API under /api/."""

from django.contrib import admin
from django.urls import include, path

from phongdich.api import api
from phongdich.cases.views import certificate_check
from phongdich.health import healthz
from phongdich.vaccination.views import vaccination_check

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Public: the page a certificate's QR code opens (short, outside any app prefix so it fits the code).
    path("xn/<str:token>/", certificate_check, name="certificate_check"),
    path("xv/<str:token>/", vaccination_check, name="vaccination_check"),
    path("", include("phongdich.cases.urls")),
    path("tai-khoan/", include("phongdich.accounts.urls")),
    path("nguoi/", include("phongdich.people.urls")),
    path("nhap/", include("phongdich.imports.urls")),
    path("dia-ban/", include("phongdich.areas.urls")),
    path("to/", include("phongdich.teams.urls")),
    path("nhat-ky/", include("phongdich.audit.urls")),
    path("theo-doi/", include("phongdich.monitoring.urls")),
    path("dieu-tri/", include("phongdich.care.urls")),
    path("tiem-chung/", include("phongdich.vaccination.urls")),
    path("f1/", include("phongdich.contacts.urls")),
    path("tong-dai/", include("phongdich.hotline.urls")),
    path("ho-tro/", include("phongdich.support.urls")),
    path("bao-cao/", include("phongdich.reports.urls")),
    path("cap-do/", include("phongdich.levels.urls")),
    path("tong-quan/", include("phongdich.dashboards.urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]
