from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "phongdich.imports"
    verbose_name = "Nhập danh sách"
