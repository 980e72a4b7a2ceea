from django.urls import path

from phongdich.monitoring import views

app_name = "monitoring"
urlpatterns: list = []
