from django.urls import path

from phongdich.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.list_view, name="list"),
]
