from django.urls import path

from phongdich.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("f0/", views.case_list_view, name="list"),
    path("f0/dang-ky/", views.case_create, name="create"),
    path("f0/<int:pk>/", views.case_detail, name="detail"),
]
