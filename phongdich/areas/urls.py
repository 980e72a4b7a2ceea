from django.urls import path

from phongdich.areas import views

app_name = "areas"
urlpatterns = [
    path("dan-so/", views.population, name="population"),
    path("dan-so/<int:ward_id>/", views.population_row, name="population_row"),
    path("dan-so/nhap/", views.population_upload, name="population_upload"),
    path("dan-so/tai-xuong/", views.population_export, name="population_export"),
]
