from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "phongdich.support"
    verbose_name = "Chi trả hỗ trợ"
