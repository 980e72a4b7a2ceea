from django.apps import AppConfig


class LevelsConfig(AppConfig):
    name = "phongdich.levels"
    verbose_name = "Cấp độ dịch"
