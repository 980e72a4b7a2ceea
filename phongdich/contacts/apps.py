from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "phongdich.contacts"
    verbose_name = "F1, cách ly"
