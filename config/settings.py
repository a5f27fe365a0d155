"""Commonroom settings: one module, configured by environment variables (see README)."""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# The test run is detected so that pytest needs no extra flags; it only relaxes dev-only settings.
TESTING = env_bool("COMMONROOM_TESTING", default="pytest" in sys.modules)

# Commands that only read the models' schema never sign anything, so they need no key: a developer
# can check for missing migrations without production settings.
SCHEMA_ONLY_COMMAND = len(sys.argv) > 1 and sys.argv[1] in {"makemigrations", "showmigrations", "sqlmigrate"}

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not TESTING and not SCHEMA_ONLY_COMMAND:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django_htmx",
    "csp",
    "core",
    "accounts",
    "partnerships",
    "schools",
    "meetings",
    "finance",
    "subscriptions",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleSessionTimeoutMiddleware",
    "config.middleware.RejectNulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "partnerships.tenancy.TenantMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "partnerships.context_processors.tenant",
            ],
        },
    },
]

# Database: SQLite file unless DATABASE_URL is set (PostgreSQL in production and CI).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'commonroom.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sign-in (django-allauth): email is the login, no open sign-up, verification required,
# no account enumeration, allauth's default rate limits.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Commonroom] "
# allauth's forms with messages that name their field (accounts/forms.py).
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
}
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.MfaReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Commonroom"

# Object permissions (django-guardian): never fall back to global permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# Sessions: end after an idle period and after an absolute lifetime.
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60, minimum=60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or TESTING) else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])

# A strict Content Security Policy (django-csp 4): no inline script, no framing, nothing off-site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not (DEBUG or TESTING))
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
# Papers and other private records: no URL maps this folder; views serve its files after a permission check.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
# The largest paper a meeting takes (PDF and office documents), in bytes.
PAPER_MAX_BYTES = env_int("PAPER_MAX_BYTES", 20 * 1024 * 1024)
# The largest agreement PDF taken: a signed copy uploaded to check its seal, or a scan signed on paper.
# How long a place offered from an event's waiting list is held for the school it is offered to.
EVENT_OFFER_HOLD_HOURS = env_int("EVENT_OFFER_HOLD_HOURS", 48, minimum=1)
AGREEMENT_UPLOAD_MAX_BYTES = env_int("AGREEMENT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1)

# The seal of signed agreements (partnerships/agreements/seal.py). Without a configured certificate each
# partnership gets a self-issued one on first use, its key kept encrypted under PRIVATE_MEDIA_ROOT/seals/
# with SEAL_KEY (or, when that is empty, a key derived from SECRET_KEY: set SEAL_KEY in production, so
# rotating SECRET_KEY leaves the seal keys readable).
SEAL_KEY = env_str("SEAL_KEY", "")
SEAL_CERT_PATH = env_str("SEAL_CERT_PATH", "")
SEAL_KEY_PATH = env_str("SEAL_KEY_PATH", "")
SEAL_KEY_PASSWORD = env_str("SEAL_KEY_PASSWORD", "")
SEAL_CHAIN_PATHS = env_list("SEAL_CHAIN_PATHS", [])
# A timestamp authority (RFC 3161) for the seal: PAdES B-T when set, B-B without.
SEAL_TSA_URL = env_str("SEAL_TSA_URL", "")

# Email: console by default; EMAIL_BACKEND / EMAIL_HOST etc. for SMTP.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds an SMTP operation may take; the outbox treats a send still "in flight" after far longer as cut off.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Commonroom <no-reply@commonroom.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a real Redis broker when REDIS_URL is set; otherwise tasks run eagerly in process.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Tests run tasks eagerly; the worker integration test switches this off for itself.
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None or TESTING
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
# How often beat sweeps the outbox, in seconds. A message whose task never ran waits one sweep before the
# sweep sends it, and a refused one 1, 2, 4 ... sweeps (at most an hour) before its next try.
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 60, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "core.tasks.sweep_outbox", "schedule": OUTBOX_SWEEP_SECONDS},
    "prepare-partnerships": {
        "task": "partnerships.tasks.terms.prepare_partnerships_everywhere",
        "schedule": 24 * 60 * 60,
    },
    # Hourly: each reminder is one outbox row, so a sweep that runs again sends nothing twice.
    "meeting-reminders": {"task": "meetings.tasks.send_meeting_reminders_everywhere", "schedule": 60 * 60},
    "remind-missing-declarations": {
        "task": "partnerships.tasks.interests.remind_missing_declarations_everywhere",
        "schedule": 24 * 60 * 60,
    },
    # Hourly: agreement copies missed at publishing are made, and fully signed ones sealed (idempotent).
    # Daily: credits unspent when their academic year has ended lapse (each once: the balance is then nothing).
    "lapse-unspent-credits": {
        "task": "subscriptions.tasks.lapse_unspent_credits_everywhere",
        "schedule": 24 * 60 * 60,
    },
    # Hourly: places offered from an event's waiting list and not taken in time go to the next in line.
    "expire-event-offers": {"task": "subscriptions.tasks.expire_event_offers_everywhere", "schedule": 60 * 60},
    "finish-agreement-copies": {
        "task": "partnerships.tasks.agreements.finish_agreement_copies_everywhere",
        "schedule": 60 * 60,
    },
    # Daily: reminders to sign (at most weekly) and of the agreement's end; each is an AgreementReminder
    # row, so a rerun sends nothing twice.
    "agreement-reminders": {
        "task": "partnerships.tasks.agreements.send_agreement_reminders_everywhere",
        "schedule": 24 * 60 * 60,
    },
    # Daily: reminders fall due by the day; each is a ContributionReminder row, so a rerun sends nothing twice.
    "contribution-reminders": {
        "task": "finance.tasks.send_contribution_reminders_everywhere",
        "schedule": 24 * 60 * 60,
    },
    # Hourly: a term that has ended gets its governors' reports once (a ReportRun row per term), and a
    # run left unfinished by a broker or worker that was down has its missing schools sent again.
    "governors-reports": {"task": "reports.tasks.generate_due_reports_everywhere", "schedule": 60 * 60},
}

# allauth's rate limits count in the cache, so with several web processes it must be shared (Redis).
# "pages" keeps dashboards' rendered panels and the data versions that name them (core/freshness.py),
# apart from the rate limits so that its entries never push those out. Short socket timeouts: a Redis
# that stops answering costs a request a fraction of a second, not the client's default five.
_REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
_SHARED_CACHE = bool(REDIS_URL and not TESTING)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "OPTIONS": _REDIS_OPTIONS}
        if _SHARED_CACHE
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
            "OPTIONS": _REDIS_OPTIONS,
        }
        if _SHARED_CACHE
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
    ),
}

# How long a dashboard's rendered panels are kept at most (core/freshness.py): any write to the data
# they show replaces them at once; this bounds only what the clock changes. 0 renders every time.
# Keeping needs a cache every process shares: off by default in production without Redis, where each
# web process would have its own.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300 if (REDIS_URL or DEBUG or TESTING) else 0, minimum=0)

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14, minimum=1)
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo-password-1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each rendering step at INFO; only its warnings (a missing font, bad CSS) matter.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
FORM_RENDERER = "core.forms.GovukFormRenderer"
