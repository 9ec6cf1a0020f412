"""Settings shared by every environment. Environment-specific modules import from here."""

from __future__ import annotations

from django.utils.csp import CSP

from config.env import BASE_DIR, cache_config, database_config, env_bool, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "micro.core",
    "micro.accounts",
    "micro.pathway",
    "micro.plans",
    "micro.practices",
    "micro.events",
    "micro.learning",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "micro.core.middleware.DatabaseUnavailableMiddleware",
    "micro.core.middleware.RejectNulInPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "micro.accounts.middleware.AuthenticationMiddleware",
    "micro.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Django's ModelBackend, with the signed-in user read in plain SQL (micro/accounts/backends.py).
AUTHENTICATION_BACKENDS = ["micro.accounts.backends.UserBackend"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "micro.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_config(BASE_DIR / "var" / "micro.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = cache_config()
# Sessions in Redis when there is one; else in the database, read in SQL (micro/core/sessions.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cache" if env_str("REDIS_URL", "-") != "-" else "micro.core.sessions"

# Nobody, the admin included, reads a user's authenticator secret or its QR code after set-up
# (django-otp's admin views answer 403; they also answered 500 for an unknown device id).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"
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
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Sign-in throttling: this many failures for one email (or from one address) inside the
# window lock further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
INVITATION_VALID_DAYS = 7

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("it", "Italiano"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("nl", "Nederlands"),
    ("ar", "العربية"),
    ("uk", "Українська"),
    ("ro", "Română"),
    ("tr", "Türkçe"),
]
LANGUAGES_BIDI = ["ar", "fa", "ur", "ps", "he"]
# Content (not UI) falls back along these chains before English; the page shows when it does.
CONTENT_FALLBACKS = {
    "ar": ["fr"],
    "uk": [],
    "ro": ["it"],
    "tr": ["de"],
    "nl": ["fr"],
    "es": [],
    "fr": [],
    "de": [],
    "it": [],
}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Rome"
LANGUAGE_COOKIE_NAME = "micro_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MICRO platform <no-reply@micro.example>")
SITE_NAME = "M.I.C.R.O."
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# xAPI learning records (micro/learning/services/xapi.py). Forwarding to an external learning record
# store is on when XAPI_LRS_ENDPOINT is set (statements go to <endpoint>/statements, basic auth).
XAPI_LRS_ENDPOINT = env_str("XAPI_LRS_ENDPOINT", "").strip()
XAPI_LRS_USERNAME = env_str("XAPI_LRS_USERNAME", "")
XAPI_LRS_PASSWORD = env_str("XAPI_LRS_PASSWORD", "")
XAPI_LRS_TIMEOUT = int(env_str("XAPI_LRS_TIMEOUT", "10"))
XAPI_LRS_BATCH_SIZE = int(env_str("XAPI_LRS_BATCH_SIZE", "100"))
XAPI_LRS_MAX_BATCHES = int(env_str("XAPI_LRS_MAX_BATCHES", "50"))
# A statement the record store refuses this many times is set aside (shown in the admin).
XAPI_LRS_MAX_ATTEMPTS = int(env_str("XAPI_LRS_MAX_ATTEMPTS", "5"))
# Key of the actors' pseudonyms (empty: derived from SECRET_KEY; set it to keep them across key rotations).
XAPI_PSEUDONYM_KEY = env_str("XAPI_PSEUDONYM_KEY", "")

NINJA_PAGINATION_PER_PAGE = 50
# Public calculators: requests per client address (ninja throttling, kept in the cache).
FINANCE_API_RATE = "120/m"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"micro": {"level": "INFO"}},
}

DEMO_PASSWORD = "micro-demo"  # noqa: S105 - published on purpose; only the demo loader (DEBUG only) uses it
# Proxies whose X-Forwarded-For / X-Real-IP we believe (nginx on the same host by default).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", True)
# How often each worker re-reads the "this changed" numbers (micro.core.revisions: content, two-factor).
REVISION_TTL_SECONDS = 1.0
# The reference page of `make bench` (micro.core.views.bench_ceiling); off everywhere else.
BENCH_CEILING_VIEW = env_bool("BENCH_CEILING_VIEW", False)
# Certificates: the Ed25519 key (PEM, PKCS#8) that signs Open Badges 3.0 credentials. Development and
# tests generate it on first use; production must provide the file (docs/administrator-guide.md).
CERTIFICATE_SIGNING_KEY_PATH = env_str(
    "CERTIFICATE_SIGNING_KEY_PATH", str(BASE_DIR / "var" / "certificate-signing-key.pem")
)
CERTIFICATE_SIGNING_KEY_GENERATE = True
CERTIFICATE_ISSUER_NAME = env_str(
    "CERTIFICATE_ISSUER_NAME", "M.I.C.R.O. project (Ente Nazionale per il Microcredito and partners)"
)
