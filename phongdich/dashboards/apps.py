from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "phongdich.dashboards"
    verbose_name = "Bảng điều khiển, bản đồ"
