"""Vaccination pages, under /tiem-chung/."""

from django.urls import path

from phongdich.vaccination import views

app_name = "vaccination"
urlpatterns: list = [
    path("nguoi/<int:person_id>/", views.person_view, name="person"),
    path("nguoi/<int:person_id>/mui-tiem/", views.dose_add, name="dose_add"),
    path("nguoi/<int:person_id>/mui-tiem/<int:dose_id>/xoa/", views.dose_delete_view, name="dose_delete"),
    path("nguoi/<int:person_id>/di-lai/", views.homebound_view, name="homebound"),
    path("nguoi/<int:person_id>/giay/", views.certificate_view, name="certificate"),
    path("nguoi/<int:person_id>/giay/cap-ma/", views.certificate_issue_view, name="certificate_issue"),
]

# Coverage, outreach (due) lists, campaign days and denominators (phongdich/vaccination/coverage_views.py).
from phongdich.vaccination import coverage_views  # noqa: E402

urlpatterns += [
    path("bao-phu/", coverage_views.coverage_view, name="coverage"),
    path("mau-so/", coverage_views.population_view, name="population"),
    path("den-han/", coverage_views.due_view, name="due"),
    path("den-han/in/", coverage_views.due_print_view, name="due_print"),
    path("den-han/xuat/", coverage_views.due_export_view, name="due_export"),
    path("ngay-tiem/", coverage_views.campaigns_view, name="campaigns"),
    path("ngay-tiem/<int:pk>/sua/", coverage_views.campaign_update_view, name="campaign_update"),
]
