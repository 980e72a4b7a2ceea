from django.urls import path

from phongdich.care import views

app_name = "care"
urlpatterns: list = []
