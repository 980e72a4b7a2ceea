from django.urls import path

from phongdich.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard_view, name="home"),
    path("ban-do/", views.map_view, name="map"),
    path("ca-moi/", views.reported_cases_view, name="reported"),
]
