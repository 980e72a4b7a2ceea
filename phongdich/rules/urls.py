from django.urls import path

from phongdich.rules import views

app_name = "rules"
urlpatterns: list = []
