from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "phongdich.cases"
    verbose_name = "F0"
