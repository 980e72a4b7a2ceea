from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "phongdich.rules"
    verbose_name = "Quy định"
