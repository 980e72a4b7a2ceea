from django.urls import path

from phongdich.teams import views
from phongdich.teams.workload_views import workload_view

app_name = "teams"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("tao/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/thanh-vien/", views.member_add, name="member_add"),
    path("<int:pk>/thanh-vien/<int:member_id>/xoa/", views.member_remove, name="member_remove"),
    path("khoi-luong/", workload_view, name="workload"),
]
