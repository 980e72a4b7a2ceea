from django.urls import path

from phongdich.support import rate_views, report_views, views

app_name = "support"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("tao/", views.create, name="create"),
    path("tao-theo-to/", views.create_for_team, name="create_team"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/chi-tra/", views.pay, name="pay"),
    path("<int:pk>/huy/", views.entitlement_cancel_view, name="cancel"),
    path("chi-tra/<int:pk>/huy/", views.payment_cancel_view, name="payment_cancel"),
    path("con-no/", views.owed, name="owed"),
    path("han-chot/", report_views.deadline_view, name="deadline"),
    path("han-chot/xlsx/", report_views.deadline_export, name="deadline_export"),
    path("muc-ho-tro/", rate_views.rates, name="rates"),
    path("muc-ho-tro/tao/", rate_views.rate_create_view, name="rate_create"),
    path("muc-ho-tro/<int:pk>/", rate_views.rate_edit_view, name="rate_edit"),
    path("cong-khai/<str:ward_code>/", views.public_list, name="public"),
]
