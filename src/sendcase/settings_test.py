"""Settings for the test suite: the production module with a fixed key."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_COOKIES", "false")
# The test client speaks plain HTTP; tests of the HTTPS headers ask for secure=True.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from sendcase.settings import *  # noqa: E402,F403
from sendcase.settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["OPTIONS"] = {}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}

# WhiteNoise warns when STATIC_ROOT does not exist (before collectstatic); tests read
# static files through the finders, so an empty folder is enough.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

SENDCASE_TEST_SUITE = True
