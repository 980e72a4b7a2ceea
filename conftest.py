"""Test-session setup: the administrative units are loaded once into the test database."""

import os

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from phongdich.areas.services import areas_load

    with django_db_blocker.unblock():
        areas_load()


def pytest_report_header(config):  # type: ignore[no-untyped-def]
    return f"DATABASE_URL={os.environ.get('DATABASE_URL', '(unset: SQLite)')}"
