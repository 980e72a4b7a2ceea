"""Test settings: the same as production-shaped settings, with fast hashing and tasks run inline."""

from phongdich.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT = None  # tests use the finders; no collectstatic output to look for
