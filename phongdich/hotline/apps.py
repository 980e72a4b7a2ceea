from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "phongdich.hotline"
    verbose_name = "Tổng đài, phản ánh"
