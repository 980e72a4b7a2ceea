from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "phongdich.reports"
    verbose_name = "Báo cáo, số liệu"
