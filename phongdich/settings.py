"""Django settings. Every deployment-specific value comes from the environment.

SQLite (`db.sqlite3` beside manage.py) is used when DATABASE_URL is unset, so a new
user runs everything with one command; production sets DATABASE_URL to PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY phải được đặt khi DJANGO_DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The one province this deployment serves (GSO code; "01" is Hà Nội).
PHONGDICH_PROVINCE_CODE = os.environ.get("PHONGDICH_PROVINCE_CODE", "01")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs page's assets locally (no CDN)
    "django_tasks",
    "django_tasks_db",
    "phongdich.areas",
    "phongdich.accounts",
    "phongdich.audit",
    "phongdich.people",
    "phongdich.cases",
    "phongdich.imports",
    "phongdich.teams",
    "phongdich.rules",
    "phongdich.monitoring",
    "phongdich.care",
    "phongdich.vaccination",
    "phongdich.contacts",
    "phongdich.hotline",
    "phongdich.support",
    "phongdich.reports",
    "phongdich.levels",
    "phongdich.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "phongdich.accounts.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "phongdich.urls"
WSGI_APPLICATION = "phongdich.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "phongdich" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "phongdich.accounts.context_processors.role",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL and repeated statements are prepared by psycopg: the declaration
    # hot path runs the same five statements thousands of times a second.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": os.environ.get("PHONGDICH_DB_SERVER_BINDING", "1") == "1"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: this many failures for one username or address within the window lock it.
LOGIN_FAILURE_LIMIT = int(os.environ.get("PHONGDICH_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("PHONGDICH_LOGIN_FAILURE_WINDOW", "900"))

SESSION_COOKIE_AGE = int(os.environ.get("PHONGDICH_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# Vietnamese for everyone, whatever the browser asks: no English catalogue exists yet, and
# numbers and dates must read the Vietnamese way (2.984; 31/03/2022).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "phongdich" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["phongdich.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("PHONGDICH_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"
# Upload limit for import files; larger files are refused with a Vietnamese message.
PHONGDICH_IMPORT_MAX_BYTES = int(os.environ.get("PHONGDICH_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Home care (issue #3) -------------------------------------------------------------------
# Which family of home-care rule sets applies besides the ministry's: "hanoi" uses Hà Nội's own
# stricter criteria of December 2021 while they were in force; "moh" uses the ministry's only.
PHONGDICH_RULE_FAMILY = os.environ.get("PHONGDICH_RULE_FAMILY", "hanoi")
# An F0 with no health declaration for this long joins the follow-up ("nobody forgotten") queue.
PHONGDICH_FOLLOWUP_SILENCE_HOURS = int(os.environ.get("PHONGDICH_FOLLOWUP_SILENCE_HOURS", "24"))
# An emergency alert nobody has acted on for this long is escalated to the district.
PHONGDICH_ALERT_ESCALATE_MINUTES = int(os.environ.get("PHONGDICH_ALERT_ESCALATE_MINUTES", "30"))
# Reports: a report day ends at this local time (Hà Nội counted from 18:00 to 18:00; "00:00" = calendar days),
# and a case entered more than this many days after its positive test is counted apart as late / back-filled.
PHONGDICH_REPORT_DAY_ENDS_AT = os.environ.get("PHONGDICH_REPORT_DAY_ENDS_AT", "18:00")
PHONGDICH_LATE_ENTRY_DAYS = int(os.environ.get("PHONGDICH_LATE_ENTRY_DAYS", "2"))
# The patient's personal declaration link: requests allowed per token and per address, per hour.
PHONGDICH_LINK_RATE_PER_TOKEN = int(os.environ.get("PHONGDICH_LINK_RATE_PER_TOKEN", "30"))
PHONGDICH_LINK_RATE_PER_ADDRESS = int(os.environ.get("PHONGDICH_LINK_RATE_PER_ADDRESS", "300"))

# The cache holds the personal link's rate-limit counters. In-process by default; with several server
# processes on one machine set PHONGDICH_CACHE_DIR so that they share the counters.
if os.environ.get("PHONGDICH_CACHE_DIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["PHONGDICH_CACHE_DIR"],
        }
    }

# SQLite ignores the INCLUDE columns of covering indexes (PostgreSQL uses them); that is expected.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

TASKS = {
    "default": {
        "BACKEND": os.environ.get("PHONGDICH_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PHONGDICH_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
