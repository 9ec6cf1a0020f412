"""Test runs. Fast hashing, captured mail, plain static storage; DATABASE_URL picks PostgreSQL."""

from config.settings.base import *
from config.settings.base import STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.Argon2PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
ALLOWED_HOSTS = ["*"]

# whitenoise warns when STATIC_ROOT is missing; tests serve from the app folders instead.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Certificates: a key of its own for test runs, generated on first use.
CERTIFICATE_SIGNING_KEY_PATH = str(BASE_DIR / "var" / "test-certificate-signing-key.pem")

# Every test runs in one process, where a change clears what the worker kept at once; a
# periodic re-read would only add a query at random moments to the query-count tests.
REVISION_TTL_SECONDS = 3600.0
