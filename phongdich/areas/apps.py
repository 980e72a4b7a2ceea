from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "phongdich.areas"
    verbose_name = "Đơn vị hành chính"
