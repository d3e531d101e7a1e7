"""SENDcase settings: one module, driven by environment variables.

Every variable is read through a helper that fails loudly on a bad value, so a
typo in production stops the process at start-up rather than at 3am.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "sendcase.core",
    "sendcase.accounts",
    "sendcase.casework",
    "sendcase.plans",
    "sendcase.placements",
    "sendcase.reviews",
    "sendcase.returns",
    "sendcase.reporting",
    "sendcase.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sendcase.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sendcase.urls"
WSGI_APPLICATION = "sendcase.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "casework:queue"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sendcase.core.context_processors.council",
            ],
        },
    }
]

# Form widgets render with the project's templates too (the GOV.UK date input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite is the embedded default (the demo needs no server); DATABASE_URL selects
# PostgreSQL, which is what a council runs in production.
DATABASE_URL = os.environ.get(
    "DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'var' / 'sendcase.sqlite3'}"
)
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_name = str(DATABASES["default"].get("NAME") or "")
    if _sqlite_name and _sqlite_name != ":memory:" and not _sqlite_name.startswith("file:"):
        # SQLite makes the file but not its folder: make the folder (e.g. var/ after
        # `make setup`), or say which path cannot be used and how to fix it.
        try:
            Path(_sqlite_name).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"Cannot create the folder for the SQLite database {_sqlite_name}: "
                f"{exc.strerror}. Create it, or set DATABASE_URL to a path you can write."
            ) from exc
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "var" / "static"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", PROJECT_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
# The documents store: files kept with a child's record (Django's default storage). It is backed
# up with the database (docs/operations.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "var" / "documents"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Staff sign in with a password and a second factor (TOTP). Demo users may skip
# the second factor only when this is switched on; it is off unless set.
SENDCASE_DEMO_SKIP_2FA = envbool("SENDCASE_DEMO_SKIP_2FA", "false")

# The council this installation serves (shown on every page and in returns).
SENDCASE_COUNCIL_NAME = os.environ.get("SENDCASE_COUNCIL_NAME", "Demo Council")
SENDCASE_LA_CODE = os.environ.get("SENDCASE_LA_CODE", "999")

# GOV.UK Notify: with no API key, messages go to the local backend, which records
# them in the database for the demo and the tests.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")

# Uploads. A request body other than files is capped at 2.5 MB (Django's default, stated here);
# a file above 2.5 MB goes to a temporary file, not memory. The SEN2 check page takes files up to
# SENDCASE_SEN2_UPLOAD_MAX_MB: checking one in the web worker must end well inside the worker
# timeout (gunicorn --timeout 30), and bench/bench_upload.py measures a file of exactly that
# size. Larger files are checked and imported on the command line (`sendcase sen2 validate`).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
SENDCASE_SEN2_UPLOAD_MAX_MB = envint("SENDCASE_SEN2_UPLOAD_MAX_MB", "10")

# Days a family, school or professional should wait for a reply to a logged contact.
SENDCASE_CONTACT_RESPONSE_WORKING_DAYS = envint("SENDCASE_CONTACT_RESPONSE_WORKING_DAYS", "10")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
