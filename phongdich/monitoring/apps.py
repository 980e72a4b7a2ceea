from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "phongdich.monitoring"
    verbose_name = "Theo dõi sức khỏe"
