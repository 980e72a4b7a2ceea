from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "phongdich.teams"
    verbose_name = "Tổ cộng đồng"
