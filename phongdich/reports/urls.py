from django.urls import path

from phongdich.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.situation, name="situation"),
    path("xuat/", views.export_create, name="export_create"),
    path("xuat/<int:pk>/", views.export_detail, name="export"),
    path("xuat/<int:pk>/tai-ve/", views.export_download, name="export_download"),
]
