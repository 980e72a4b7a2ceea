from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "phongdich.care"
    verbose_name = "Thuốc, cơ sở điều trị"
