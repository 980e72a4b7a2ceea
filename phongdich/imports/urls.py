from django.urls import path

from phongdich.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/bao-cao/", views.job_report, name="report"),
    path("<int:pk>/tiep-tuc/", views.job_resume, name="resume"),
]
