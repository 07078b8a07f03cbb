"""One settings module, read from the environment (django-environ).

Defaults suit the embedded run (`python3 dev.py run`); `DJANGO_PRODUCTION=1` turns on
the production profile that `manage.py check --deploy` checks.
"""
import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import environ
from django.utils.translation import gettext_lazy as _

from emergency.api.enums import ENUM_NAME_OVERRIDES

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

PRODUCTION = env.bool("DJANGO_PRODUCTION", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY") if PRODUCTION else env.str(
    "DJANGO_SECRET_KEY", default="insecure-development-key-set-DJANGO_SECRET_KEY-in-production"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "django_celery_beat",
    "channels",
    "axes",
    "csp",
    "emergency.org",
    "emergency.audit",
    "emergency.ui",
    "emergency.timers",
    "emergency.notify",
    "emergency.dashboard",
    "emergency.attachments",
    "plans",
    "incidents.grading",
    "incidents",
    "incidents.response",
    "alerts",
    "emergency.search",
    "resources",
]

MIDDLEWARE = [
    "emergency.clientip.ClientAddressMiddleware",  # X-Forwarded-* believed only from TRUSTED_PROXIES
    "django.middleware.security.SecurityMiddleware",
    "emergency.api.errors.ApiErrorFormatMiddleware",  # every 4xx/5xx under /api/ in the API's JSON format
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "emergency.limits.RequestLimitsMiddleware",  # oversized bodies 413, NUL characters 400
    "emergency.unavailable.DatabaseUnavailableMiddleware",  # a lost database answers 503, not 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "emergency.nostore.NoStoreMiddleware",  # Cache-Control: no-store for signed-in users and the API
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "emergency.urls"
WSGI_APPLICATION = "emergency.wsgi.application"
ASGI_APPLICATION = "emergency.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "emergency.ui.navigation.navigation",
                "emergency.notify.views.bell",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/emergency")}
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST", ""))  # socket directories arrive %-encoded
# Under ASGI each request runs in a thread of its own: a persistent connection per thread only piles
# up. Web processes connect per request within a bounded budget (emergency.gate), through PgBouncer
# in production; a Celery process (one thread each) keeps its connection.
_CELERY = Path(sys.argv[0]).name == "celery" or sys.argv[0].endswith(f"celery{os.sep}__main__.py")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60 if _CELERY else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ENGINE"] = "emergency.db.postgresql"  # Django's, with a process's pool (below)
if env.str("TEST_DATABASE_NAME", default=""):  # two test runs side by side on one server (xdist adds _gwN)
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}
# The application connects as a role that owns nothing; `migrate` connects to the same database
# as the tables' owner (emergency/audit/roles.py). Unset: one role for both.
DATABASE_APPLICATION_ROLE = DATABASES["default"]["USER"]
MIGRATE_DATABASE = env.db_url("MIGRATE_DATABASE_URL") if env.str("MIGRATE_DATABASE_URL", default="") else None
if MIGRATE_DATABASE:
    MIGRATE_DATABASE["HOST"] = unquote(MIGRATE_DATABASE.get("HOST", ""))
# Behind PgBouncer's transaction pooling a server-side cursor cannot outlive its transaction.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_BEHIND_POOLER", default=False)
# The live-event relay holds a session advisory lock and LISTENs: it needs a session of its own,
# so behind a transaction pooler it connects straight to PostgreSQL (DATABASE_DIRECT_URL).
if env.str("DATABASE_DIRECT_URL", default=""):
    DATABASES["direct"] = {**env.db_url("DATABASE_DIRECT_URL"), "CONN_MAX_AGE": 0, "TEST": {"MIRROR": "default"}}
# One web process's connections (emergency.gate): requests in flight, reads and writes apart, so
# screens never take the slots of officers' writes; reads wait briefly then get a 503, writes queue.
DATABASE_BUDGET_READS = env.int("DATABASE_BUDGET_READS", default=6)
DATABASE_BUDGET_WRITES = env.int("DATABASE_BUDGET_WRITES", default=4)
DATABASE_READ_WAIT_SECONDS = env.float("DATABASE_READ_WAIT_SECONDS", default=20.0)
DATABASE_WRITE_WAIT_SECONDS = env.float("DATABASE_WRITE_WAIT_SECONDS", default=60.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Parallel test workers (pytest-xdist sets PYTEST_XDIST_WORKER=gwN) each get their own Redis
# database, Celery queue and channel prefix, so that one worker never consumes another's messages.
TEST_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
if TEST_WORKER:
    REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + f"/{1 + int(TEST_WORKER.removeprefix('gw')) % 15}"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# --- Auth and security ----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
# Locked by account (whatever the address: one address per guess must not help) and by address
# (one password tried on many accounts). Tokens issued before a lock-out keep working (README).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "emergency.clientip.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "emergency.clientip.lockout_response"
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks); nobody's by default.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # one duty shift
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + env.list("MAP_TILE_HOSTS", default=[]),
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Languages and time ---------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)  # tests' ASGI servers serve uncollected
# Attachments: outside the web root (nothing serves this directory; a view checks who may see each
# file). S3-compatible object storage instead: ATTACHMENT_STORAGE_BACKEND=storages.backends.s3.S3Storage
# with ATTACHMENT_S3_BUCKET, ATTACHMENT_S3_ENDPOINT_URL, ATTACHMENT_S3_ACCESS_KEY, ATTACHMENT_S3_SECRET_KEY.
ATTACHMENT_ROOT = Path(env.str("ATTACHMENT_ROOT", default=str(BASE_DIR / "var" / "attachments")))
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
_ATTACHMENT_BACKEND = env.str("ATTACHMENT_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")
_ATTACHMENT_OPTIONS = ({"location": str(ATTACHMENT_ROOT), "directory_permissions_mode": 0o750,
                        "file_permissions_mode": 0o640}
                       if _ATTACHMENT_BACKEND.endswith("FileSystemStorage") else {
                           "bucket_name": env.str("ATTACHMENT_S3_BUCKET", default=""),
                           "endpoint_url": env.str("ATTACHMENT_S3_ENDPOINT_URL", default="") or None,
                           "access_key": env.str("ATTACHMENT_S3_ACCESS_KEY", default=""),
                           "secret_key": env.str("ATTACHMENT_S3_SECRET_KEY", default=""),
                           "default_acl": "private", "querystring_auth": True, "file_overwrite": False})
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": {"BACKEND": _ATTACHMENT_BACKEND, "OPTIONS": _ATTACHMENT_OPTIONS},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [  # token first: missing credentials get 401 with WWW-Authenticate
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "emergency.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["emergency.api.filters.ScopedFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "emergency.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["emergency.api.parsers.StrictJSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_THROTTLE_RATES": {"token": "10/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Emergency command platform API",
    "DESCRIPTION": "Plans, organisation, incidents, responses and warnings. Scoped to the caller's units.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "emergency.api.schema.error_responses"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": ENUM_NAME_OVERRIDES,
}

# --- Celery and Channels --------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="emergency") + (f"-{TEST_WORKER}" if TEST_WORKER else "")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
TIMERS_SWEEP_SECONDS = env.float("TIMERS_SWEEP_SECONDS", default=5.0)
# Duties due within this horizon get a Celery message (eta) at once; the sweeper queues the rest later.
TIMERS_ENQUEUE_HORIZON_SECONDS = env.float("TIMERS_ENQUEUE_HORIZON_SECONDS", default=max(60.0, 6 * TIMERS_SWEEP_SECONDS))

# --- Incidents ------------------------------------------------------------------------
# Each organisation's reporting rules are data (incidents.ReportingRule, from the demo YAML: how soon,
# counted from receipt or from the occurrence, and on what basis). These apply to an organisation
# without its own rule: 1 h to the superior, 5 h for the release, 24 h for a press conference.
INCIDENT_DEADLINE_SECONDS = {"superior_report": 3600, "public_release": 5 * 3600, "press_conference": 24 * 3600}
# Set in the environment (benchmarks, drills), these replace every organisation's figure.
INCIDENT_DEADLINE_FORCED_SECONDS = {
    kind: env.int(variable) for kind, variable in (
        ("superior_report", "DEADLINE_SUPERIOR_REPORT_SECONDS"), ("public_release", "DEADLINE_PUBLIC_RELEASE_SECONDS"),
        ("press_conference", "DEADLINE_PRESS_CONFERENCE_SECONDS")) if env.str(variable, default="")}
INCIDENT_REMINDER_MARKS_SECONDS = env.list("DEADLINE_REMINDER_MARKS_SECONDS", cast=int, default=[900, 300])
# Plans: reminders of drills, evaluations and filings, this many days before the due date.
PLAN_REMINDER_LEAD_DAYS = env.list("PLAN_REMINDER_LEAD_DAYS", cast=int, default=[90, 30, 7])
# Notifications beyond the app: e-mail (Django's backend) and a webhook an SMS or broadcast gateway
# sits behind (HMAC-SHA256 of the body in X-Signature-SHA256, Idempotency-Key per delivery).
NOTIFY_WEBHOOK_URL = env.str("NOTIFY_WEBHOOK_URL", default="")
NOTIFY_WEBHOOK_SECRET = env.str("NOTIFY_WEBHOOK_SECRET", default="change-me")
NOTIFY_WEBHOOK_TIMEOUT = env.float("NOTIFY_WEBHOOK_TIMEOUT", default=5.0)
# Retries: 5, 10, 20, 40 s, then every minute (a warning must go out soon after a gateway is back),
# for about 12 minutes before the recipient is listed to be called.
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=15)
NOTIFY_BACKOFF_SECONDS = env.float("NOTIFY_BACKOFF_SECONDS", default=5.0)
NOTIFY_BACKOFF_MAX_SECONDS = env.float("NOTIFY_BACKOFF_MAX_SECONDS", default=60.0)
NOTIFY_OUTSIDE_KINDS = env.list("NOTIFY_OUTSIDE_KINDS", default=["warning", "incident", "response", "plans"])
# Public outputs (CAP 1.2, Atom, the public warning pages). PUBLIC_BASE_URL is the address the public
# reaches the platform at (behind the proxy: its https:// name); the embedded run's own port by default.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
# The defaults for an organisation without an AlertingProfile (alerts.models): CAP sender and contact,
# the prefix of identifiers where the unit has no GB/T 35965.1 codes, and the validity of a warning
# issued without an expected end.
CAP_SENDER = env.str("CAP_SENDER", default=f"warnings@{urlsplit(PUBLIC_BASE_URL).hostname}")
CAP_CONTACT = env.str("CAP_CONTACT", default="")
CAP_IDENTIFIER_PREFIX = env.str("CAP_IDENTIFIER_PREFIX", default="cn.emergency-platform")
CAP_DEFAULT_VALIDITY_HOURS = env.int("CAP_DEFAULT_VALIDITY_HOURS", default=24)
# Map tiles for the incident form; empty: a plain coordinate grid without tiles (no internet needed).
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_CENTER = env.list("MAP_CENTER", cast=float, default=[23.11, 109.6])  # 贵港市


def _expiring(seconds: float) -> dict:
    """A periodic run not started within `seconds` is dropped, so a backlog left by an outage does
    not stampede. django-celery-beat's DatabaseScheduler reads `expire_seconds` (whole seconds)
    and silently ignores `expires`."""
    return {"expire_seconds": max(1, round(seconds))}


CELERY_BEAT_SCHEDULE = {
    "plans-annual-review": {
        "task": "plans.annual.ensure_annual_review_duties",
        "schedule": 6 * 3600,
        "options": _expiring(3600),
    },
    "notify-deliveries": {
        "task": "emergency.notify.tasks.sweep_deliveries",
        "schedule": TIMERS_SWEEP_SECONDS,
        "options": _expiring(TIMERS_SWEEP_SECONDS),
    },
    "timers-sweep": {
        "task": "emergency.timers.tasks.sweep_duties",
        "schedule": TIMERS_SWEEP_SECONDS,
        "options": _expiring(TIMERS_SWEEP_SECONDS),
    },
    "audit-chain-verify": {
        "task": "emergency.audit.tasks.audit_chain_verify",
        "schedule": env.float("AUDIT_VERIFY_EVERY_SECONDS", default=3600.0),
        "options": _expiring(600),
    },
}

LIVE_RELAY = env.bool("LIVE_RELAY", default=True)  # ASGI processes compete to relay the live-event outbox
# A web process's PostgreSQL connections at most: its requests, the WebSocket consumers' thread, the relay.
DATABASE_BUDGET = DATABASE_BUDGET_READS + DATABASE_BUDGET_WRITES + 1 + int(LIVE_RELAY)
# Outside Celery (one thread per process, its connection kept) a process's requests take their
# connections from its pool of at most the budget's (emergency.db.pool, emergency.gate): connecting
# costs PostgreSQL a new server process each time otherwise. The test process itself connects
# plainly (it creates and drops its databases); the servers the tests start do pool.
if env.bool("DATABASE_POOL", default=not _CELERY and "pytest" not in sys.modules):
    DATABASES["default"]["POOL"] = {"size": DATABASE_BUDGET, "wait": DATABASE_WRITE_WAIT_SECONDS}
# Redis pub/sub: a group message is published once and each server process fans it out to its own
# sockets (the list-based layer stores a copy per socket). At most once, which the outbox covers:
# a screen that misses a number fetches it. CHANNELS_BACKEND=core selects the list-based layer.
# Pub/sub ignores the Redis database number, so the prefix carries it (tests use one per worker).
_REDIS_DB = REDIS_URL.rsplit("/", 1)[-1].split("?")[0]
_CHANNELS_PREFIX = f'{env.str("CHANNELS_PREFIX", default="asgi")}{TEST_WORKER}.{_REDIS_DB}'
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": _CHANNELS_PREFIX},
    } if env.str("CHANNELS_BACKEND", default="pubsub") == "pubsub" else {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": _CHANNELS_PREFIX, "capacity": 1000},
    }
}

# --- Mail and logging -----------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="应急指挥平台 <noreply@emergency.invalid>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
