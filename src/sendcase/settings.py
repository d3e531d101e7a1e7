"""SENDcase settings: one module, driven by environment variables.

Every variable is read through a helper that fails loudly on a bad value, so a
typo in production stops the process at start-up rather than at 3am.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Lets Django's generic classes be subscripted at run time (`admin.ModelAdmin[Setting]`), as
# the type checker (django-stubs) asks.
django_stubs_ext.monkeypatch()

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


def envmap(name: str, default: str = "") -> dict[str, str]:
    """Pairs as "key=value,key=value", e.g. a provider's group ids and SENDcase's role names."""
    pairs: dict[str, str] = {}
    for item in envlist(name, default):
        key, sep, value = (part.strip() for part in item.partition("="))
        if not sep or not key or not value:
            raise ImproperlyConfigured(
                f'{name} must be pairs like "group=value,group=value", not {item!r}'
            )
        pairs[key] = value
    return pairs


def envproxyheader(name: str) -> tuple[str, str] | None:
    """A proxy's TLS header as "HEADER,value", e.g. "X-Forwarded-Proto,https" (empty: none)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    header, _, expected = (part.strip() for part in value.partition(","))
    if not header or not expected or " " in header:
        raise ImproperlyConfigured(
            f'{name} must be a header and its value, like "X-Forwarded-Proto,https", not {value!r}'
        )
    return "HTTP_" + header.upper().replace("-", "_"), expected


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
    # First, so that its `createsuperuser` (password rules) replaces Django's.
    "sendcase.accounts",
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
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "sendcase.core",
    "sendcase.casework",
    "sendcase.plans",
    "sendcase.placements",
    "sendcase.finance",
    "sendcase.reviews",
    "sendcase.returns",
    "sendcase.reporting",
    "sendcase.information",
    "sendcase.inspection",
    "sendcase.retention",
    "sendcase.administration",
    "sendcase.panels",
    "sendcase.documents",
    "sendcase.demo",
    "sendcase.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "sendcase.core.middleware.PrivacyHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sendcase.accounts.middleware.AuditActorMiddleware",
    "sendcase.accounts.middleware.SignOutAtProviderMiddleware",
    "sendcase.accounts.middleware.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sendcase.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sendcase.urls"
WSGI_APPLICATION = "sendcase.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in while the account is locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's, except that demo logins work only in demo mode.
    "sendcase.accounts.backends.StaffBackend",
]

# Passwords: at least 12 characters, not a common password, not like the person's own
# details, not all numbers. Applied wherever a password is set: the administrator's
# screens, `createsuperuser`, `changepassword` and the emailed reset link.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long an emailed password reset link works.
PASSWORD_RESET_TIMEOUT = envint("SENDCASE_PASSWORD_RESET_MINUTES", "60") * 60

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
                "sendcase.accounts.context_processors.session_timeout",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler pays off only for long analytic scans; for the reports' counts,
    # whose FILTER clauses hold correlated subqueries, its compile time (about 3 s on the
    # 20,000-plan bench) exceeded the query itself. Off for the application's connections.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    # Kept beside any server options the council's DATABASE_URL gives (`?options=...`).
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()
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
    # Letters sent and files uploaded to a case (sendcase.documents): MEDIA_ROOT, outside the web
    # root (no URL serves it: downloads go through a view that checks access and audits), or an
    # S3-compatible bucket through django-storages when SENDCASE_DOCUMENTS_S3_BUCKET is set.
    "documents": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["SENDCASE_DOCUMENTS_S3_BUCKET"],
            "endpoint_url": os.environ.get("SENDCASE_DOCUMENTS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SENDCASE_DOCUMENTS_S3_REGION") or None,
            "location": os.environ.get("SENDCASE_DOCUMENTS_S3_PREFIX", "documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if os.environ.get("SENDCASE_DOCUMENTS_S3_BUCKET")
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS only. Behind a TLS-terminating proxy, SECURE_PROXY_SSL_HEADER names the header the
# proxy sets (and always overwrites) to say the request came over HTTPS, e.g.
# "X-Forwarded-Proto,https" (README: "Running in production"). Local development and the demo
# on http://127.0.0.1 switch the redirect and HSTS off (DEBUG, or SECURE_SSL_REDIRECT=false).
SECURE_PROXY_SSL_HEADER = envproxyheader("SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
SECURE_REDIRECT_EXEMPT = [r"^health$"]  # the load balancer's check may speak plain HTTP
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A strict Content Security Policy (django-csp): scripts, styles, images and fonts from this
# site only; no inline script or style, no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# Browser features no page here uses (core/middleware.py sends it on every response).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "screen-wake-lock=(), xr-spatial-tracking=()"
)
# Demo mode: only an installation in demo mode lets the demo logins (published
# password) sign in, and only there does `sendcase demo` build the demo council.
# `make demo` sets it; a council's installation never does.
SENDCASE_DEMO = envbool("SENDCASE_DEMO", "false")

# Staff sign in with a password and a second factor (TOTP). Demo users may skip
# the second factor only when this is switched on, and only in demo mode.
SENDCASE_DEMO_SKIP_2FA = envbool("SENDCASE_DEMO_SKIP_2FA", "false")
if SENDCASE_DEMO_SKIP_2FA and not SENDCASE_DEMO:
    raise ImproperlyConfigured(
        "SENDCASE_DEMO_SKIP_2FA=true is allowed only in demo mode (SENDCASE_DEMO=true)."
    )

# An administrator's enrolment code for the second factor works this many hours, once.
SENDCASE_ENROLMENT_CODE_HOURS = envint("SENDCASE_ENROLMENT_CODE_HOURS", "72")

# Signing in: after this many wrong passwords for one username the account is locked
# for SENDCASE_LOCKOUT_MINUTES (django-axes); every failed sign-in is in the audit log.
AXES_FAILURE_LIMIT = envint("SENDCASE_SIGN_IN_ATTEMPTS", "5")
SENDCASE_LOCKOUT_MINUTES = envint("SENDCASE_LOCKOUT_MINUTES", "15")
AXES_COOLOFF_TIME = dt.timedelta(minutes=SENDCASE_LOCKOUT_MINUTES)
# Per account, not per address: council staff share a few outgoing addresses, so locking an
# address would lock out a whole office for one person's typing. django-axes warns about a
# list without "ip_address" (axes.W006); that is this deliberate choice.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout are refused and audited but do not make it longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "sendcase.accounts.views.locked_out"
AXES_VERBOSE = False

# Staff single sign-on with the council's OpenID Connect provider (Microsoft Entra ID, or any
# other): on when SENDCASE_SSO_DISCOVERY_URL is set (README, "Staff single sign-on").
# The client authenticates with SENDCASE_SSO_CLIENT_SECRET, or with private_key_jwt when
# SENDCASE_SSO_PRIVATE_KEY_FILE names a PEM private key. Groups in the ID token's
# SENDCASE_SSO_GROUPS_CLAIM give the role and team (SENDCASE_SSO_ROLE_GROUPS,
# SENDCASE_SSO_TEAM_GROUPS); without a mapped group, the role assigned in SENDcase stands. The
# provider's second factor counts when the token's `amr` names one of SENDCASE_SSO_MFA_METHODS;
# a sign-in without one is refused.
SENDCASE_SSO_DISCOVERY_URL = os.environ.get("SENDCASE_SSO_DISCOVERY_URL", "").strip()
SENDCASE_SSO_CLIENT_ID = os.environ.get("SENDCASE_SSO_CLIENT_ID", "").strip()
SENDCASE_SSO_CLIENT_SECRET = os.environ.get("SENDCASE_SSO_CLIENT_SECRET", "")
SENDCASE_SSO_PRIVATE_KEY_FILE = os.environ.get("SENDCASE_SSO_PRIVATE_KEY_FILE", "").strip()
SENDCASE_SSO_LABEL = os.environ.get("SENDCASE_SSO_LABEL", "Sign in with your council account")
SENDCASE_SSO_GROUPS_CLAIM = os.environ.get("SENDCASE_SSO_GROUPS_CLAIM", "groups")
SENDCASE_SSO_ROLE_GROUPS = envmap("SENDCASE_SSO_ROLE_GROUPS")
SENDCASE_SSO_TEAM_GROUPS = envmap("SENDCASE_SSO_TEAM_GROUPS")
SENDCASE_SSO_MFA_METHODS = envlist("SENDCASE_SSO_MFA_METHODS", "mfa,otp,hwk,swk,fido,sms")
if SENDCASE_SSO_DISCOVERY_URL and not SENDCASE_SSO_CLIENT_ID:
    raise ImproperlyConfigured("SENDCASE_SSO_DISCOVERY_URL is set: set SENDCASE_SSO_CLIENT_ID too.")
if SENDCASE_SSO_DISCOVERY_URL and not (SENDCASE_SSO_CLIENT_SECRET or SENDCASE_SSO_PRIVATE_KEY_FILE):
    raise ImproperlyConfigured(
        "SENDCASE_SSO_DISCOVERY_URL is set: set SENDCASE_SSO_CLIENT_SECRET or "
        "SENDCASE_SSO_PRIVATE_KEY_FILE too."
    )

# Families, young people and professionals sign in to the portal (/portal/) with GOV.UK One
# Login (README, "Sign-in for families and professionals"): on when
# SENDCASE_ONE_LOGIN_DISCOVERY_URL is set. One Login requires private_key_jwt: the client's PEM
# private key is in SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE and its public key is registered with
# One Login. SENDCASE_ONE_LOGIN_VTR is the vector of trust asked for ("Cl.Cm": medium-level
# authentication, a second factor; no identity check is needed, because the council links a
# person to a child itself).
SENDCASE_ONE_LOGIN_DISCOVERY_URL = os.environ.get("SENDCASE_ONE_LOGIN_DISCOVERY_URL", "").strip()
SENDCASE_ONE_LOGIN_CLIENT_ID = os.environ.get("SENDCASE_ONE_LOGIN_CLIENT_ID", "").strip()
SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE = os.environ.get(
    "SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE", ""
).strip()
SENDCASE_ONE_LOGIN_VTR = os.environ.get("SENDCASE_ONE_LOGIN_VTR", "Cl.Cm").strip()
if SENDCASE_ONE_LOGIN_DISCOVERY_URL and not (
    SENDCASE_ONE_LOGIN_CLIENT_ID and SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE
):
    raise ImproperlyConfigured(
        "SENDCASE_ONE_LOGIN_DISCOVERY_URL is set: set SENDCASE_ONE_LOGIN_CLIENT_ID and "
        "SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE too."
    )
# The portal's public address, for links in messages (e.g. https://send.council.gov.uk/portal/).
SENDCASE_PORTAL_URL = os.environ.get("SENDCASE_PORTAL_URL", "http://127.0.0.1:8000/portal/")
# Wrong linking codes a signed-in person may enter in an hour before they must wait.
SENDCASE_PORTAL_CODE_ATTEMPTS = envint("SENDCASE_PORTAL_CODE_ATTEMPTS", "5")
# How long a linking code sent to a family contact works.
SENDCASE_PORTAL_CODE_DAYS = envint("SENDCASE_PORTAL_CODE_DAYS", "14")
# Files one person may upload through the portal in an hour.
SENDCASE_PORTAL_UPLOADS_PER_HOUR = envint("SENDCASE_PORTAL_UPLOADS_PER_HOUR", "20")
# The team whose work queue requests for assessment made online arrive in (by name; empty: the
# first team by name).
SENDCASE_PORTAL_REQUEST_TEAM = os.environ.get("SENDCASE_PORTAL_REQUEST_TEAM", "")

# Signed-in staff are signed out after this many minutes without a request; a warning
# with a "Stay signed in" button appears SENDCASE_IDLE_WARNING_MINUTES before.
SENDCASE_IDLE_TIMEOUT_MINUTES = envint("SENDCASE_IDLE_TIMEOUT_MINUTES", "30")
SENDCASE_IDLE_WARNING_MINUTES = envint("SENDCASE_IDLE_WARNING_MINUTES", "2")
if not 0 < SENDCASE_IDLE_WARNING_MINUTES < SENDCASE_IDLE_TIMEOUT_MINUTES:
    raise ImproperlyConfigured(
        "SENDCASE_IDLE_WARNING_MINUTES must be more than 0 and less than "
        "SENDCASE_IDLE_TIMEOUT_MINUTES."
    )

# The council this installation serves (shown on every page and in returns).
SENDCASE_COUNCIL_NAME = os.environ.get("SENDCASE_COUNCIL_NAME", "Demo Council")
SENDCASE_LA_CODE = os.environ.get("SENDCASE_LA_CODE", "999")
# A decision to cease a plan needs a team manager's approval before it is sent to the family.
SENDCASE_CEASE_NEEDS_APPROVAL = envbool("SENDCASE_CEASE_NEEDS_APPROVAL", "false")

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
# Files uploaded to a case (advice, reports, views, evidence): PDF, DOCX, PNG or JPEG, by content.
SENDCASE_DOCUMENT_UPLOAD_MAX_MB = envint("SENDCASE_DOCUMENT_UPLOAD_MAX_MB", "10")

# Days a family, school or professional should wait for a reply to a logged contact.
SENDCASE_CONTACT_RESPONSE_WORKING_DAYS = envint("SENDCASE_CONTACT_RESPONSE_WORKING_DAYS", "10")

# Retention (docs/operations.md, "Retention and erasure"): a child's record is due for erasure
# this many years after the later of their birthday of this age and the last activity on it.
# The council's data protection officer sets both; the defaults follow the IRMS toolkit's
# "date of birth + 31 years" for SEN files and EHC plans (25 + the Limitation Act's 6 years).
SENDCASE_RETENTION_AGE = envint("SENDCASE_RETENTION_AGE", "25")
SENDCASE_RETENTION_YEARS = envint("SENDCASE_RETENTION_YEARS", "6")
if not 18 <= SENDCASE_RETENTION_AGE <= 100:
    raise ImproperlyConfigured(
        f"SENDCASE_RETENTION_AGE must be from 18 to 100, not {SENDCASE_RETENTION_AGE}"
    )
if not 0 <= SENDCASE_RETENTION_YEARS <= 100:
    raise ImproperlyConfigured(
        f"SENDCASE_RETENTION_YEARS must be from 0 to 100, not {SENDCASE_RETENTION_YEARS}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# True only in settings_test: the test suite's flush between tests may empty the audit log,
# which the database otherwise refuses (core/audit_lock.py). Not read from the environment.
SENDCASE_TEST_SUITE = False
