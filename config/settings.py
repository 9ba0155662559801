"""Django settings, read from the environment (see .env.example); defaults need no server."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")

DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "test", "production"))
PRODUCTION = DJANGO_ENV == "production"
# Django's debug pages (every URL pattern on a 404, settings on a 500) only when asked for:
# `DJANGO_DEBUG=1 make run`. Everyone else sees the product's own 403, 404 and 500 pages.
DEBUG = env_bool("DJANGO_DEBUG", False)

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise RuntimeError("DJANGO_SECRET_KEY must be set to 50+ random characters in production")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-not-for-production")

CSP_ENABLED = env_bool("CSP_ENABLED", PRODUCTION)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "axes",
    "accounts",
    "vendors",
    "contracts",
    "kpis",
    "reports",
    "outbox",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language a signed-in user saved (pages), or the one an API client asks for.
    "config.locale.UserLanguageMiddleware",
    # Before any view (and CSRF's check) reads a body: one declared larger than the upload
    # limit gets 413 unread.
    "config.security.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

# Login throttling: after AXES_FAILURE_LIMIT failed logins for a username from one address,
# that pair is locked out for the cool-off time (page, admin and token endpoint alike).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind a TLS proxy REMOTE_ADDR is the proxy: lock-outs key on the client address that the
# TRUSTED_PROXY_COUNT proxies in front of the app recorded in X-Forwarded-For (0: no proxy).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"


ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
                "accounts.context_processors.role",
                "accounts.context_processors.languages",
            ],
            # core has no models and is no app; its filters are registered here.
            "libraries": {
                "display": "core.templatetags.display",
                "marked": "core.templatetags.marked",
            },
        },
    },
]

# Database: SQLite under var/ by default; DATABASE_URL switches to PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    # Web, worker and beat share the file: WAL lets readers run beside one writer, IMMEDIATE
    # takes the write lock at BEGIN so two writers queue instead of failing mid-transaction.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("nl", _("Dutch")),
    ("ro", _("Romanian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The languages the footer's picker and the account page offer: those whose catalogs
# (locale/<code>/LC_MESSAGES/django.po and djangojs.po) translate every string, checked against
# `msgfmt --statistics` by tests/core/test_catalogs.py. English is the source and always offered.
# Every language of LANGUAGES is still spoken when a browser or an API client asks for it
# (Accept-Language) or a user saved it: what is not translated yet reads in English (docs/i18n.md).
COMPLETE_LANGUAGES = ["en", "nl", "ro", "es"]
# English dates in ISO form and a 24-hour clock (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
# The address people reach the product at: links in e-mails start with it.
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
USE_I18N = True
USE_TZ = True
# Numbers follow the user's language (decimal comma in nl, ro, es). Grouping is asked for
# where a figure is an amount (`floatformat:"2g"`), never globally: a global thousands separator
# would also group ids, years and counts that end up in links and attributes.
USE_THOUSAND_SEPARATOR = False
# The language picked in the footer (Django's set_language) is kept a year in this cookie.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
# Seconds an SMTP conversation may take; the e-mail queue retries a timeout (outbox).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sla-tracker@localhost")

# Celery: an embedded filesystem broker by default so a real worker runs with no server;
# CELERY_BROKER_URL switches to Redis or RabbitMQ.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),  # default: ./control in the cwd
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
if CELERY_BROKER_URL.startswith("filesystem"):
    # kombu's filesystem transport fails on a missing folder instead of creating it.
    for _folder in ("queue", "processed", "control"):
        (_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# Queues: each kind of work has its own, so that slow files cannot hold up e-mails, reports or
# evaluations. `make run` and the tests start one worker on all of them (`-Q`); production runs
# a worker (or several) per queue (README "Production deployment").
JOB_QUEUES = ("ingestion", "evaluation", "reports", "email", "default")
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_CREATE_MISSING_QUEUES = True
CELERY_TASK_QUEUES = {name: {"exchange": name, "routing_key": name} for name in JOB_QUEUES}
_TASK_QUEUE = {
    "kpis.tasks.ingest_upload": "ingestion",
    "kpis.evaluate_month": "evaluation",
    "kpis.evaluation_request_run": "evaluation",
    "kpis.evaluate_previous_month": "evaluation",
    "kpis.breach_waiver_apply": "evaluation",
    "reports.tasks.render_report": "reports",
    "vendors.tasks.event_change_notify": "email",
    "contracts.tasks.notify_award": "email",
    "contracts.tasks.send_reminders": "email",
    "vendors.tasks.send_bid_reminders": "email",
    "outbox.tasks.send_mail_row": "email",
}
CELERY_TASK_ROUTES = {name: {"queue": queue} for name, queue in _TASK_QUEUE.items()}
# Time limits per queue, in seconds (soft: the task is told and fails its row cleanly; hard:
# the pool process is killed, the message is redelivered and the claim is taken back).
JOB_SOFT_TIME_LIMITS = {
    "ingestion": env_int("JOB_SOFT_LIMIT_INGESTION", 600, minimum=1),
    "evaluation": env_int("JOB_SOFT_LIMIT_EVALUATION", 300, minimum=1),
    "reports": env_int("JOB_SOFT_LIMIT_REPORTS", 300, minimum=1),
    "email": env_int("JOB_SOFT_LIMIT_EMAIL", 60, minimum=1),
    "default": env_int("JOB_SOFT_LIMIT_DEFAULT", 120, minimum=1),
}
JOB_HARD_GRACE = env_int("JOB_HARD_LIMIT_GRACE", 30, minimum=1)  # hard = soft + this
CELERY_TASK_SOFT_TIME_LIMIT = JOB_SOFT_TIME_LIMITS["default"]
CELERY_TASK_TIME_LIMIT = JOB_SOFT_TIME_LIMITS["default"] + JOB_HARD_GRACE
CELERY_TASK_ANNOTATIONS = {
    name: {
        "soft_time_limit": JOB_SOFT_TIME_LIMITS[queue],
        "time_limit": JOB_SOFT_TIME_LIMITS[queue] + JOB_HARD_GRACE,
    }
    for name, queue in _TASK_QUEUE.items()
}
# A claimed job row's heartbeat is written this often; a holder silent for JOB_DEAD_AFTER is
# taken as dead and its row claimed again (core.jobs).
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10, minimum=1)
JOB_DEAD_AFTER_SECONDS = env_int("JOB_DEAD_AFTER_SECONDS", 45, minimum=2)
# Workers and beat prove they are alive this often (status page, GET /api/v1/status/).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 20, minimum=1)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "contract-reminders": {
        "task": "contracts.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Invited vendors without a bid, 48 hours before an event's deadline (once each).
    "bid-reminders": {
        "task": "vendors.tasks.send_bid_reminders",
        "schedule": crontab(minute=5),
    },
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    # KPI uploads the broker never received (it was down) or whose worker died.
    "kpi-uploads-requeue": {
        "task": "kpis.tasks.requeue_uploads",
        "schedule": 60.0,
    },
    # E-mails of the outbox the broker never received or whose worker died.
    "outbox-requeue": {
        "task": "outbox.tasks.requeue_mail",
        "schedule": 60.0,
    },
    # Waiver re-evaluations the broker never received or whose worker died.
    "waivers-requeue": {
        "task": "kpis.requeue_waivers",
        "schedule": 60.0,
    },
    # Evaluation requests the broker never received or whose worker died.
    "evaluations-requeue": {
        "task": "kpis.requeue_evaluations",
        "schedule": 60.0,
    },
    # Reports the broker never received (it was down) or whose worker died.
    "reports-requeue": {
        "task": "reports.tasks.requeue_reports",
        "schedule": 60.0,
    },
    # Beat's own heartbeat, and one task per queue that records that a worker consumes it.
    **{
        f"worker-heartbeat-{queue}": {
            "task": "accounts.tasks.worker_heartbeat",
            "schedule": float(WORKER_HEARTBEAT_SECONDS),
            "args": (queue,),
            "options": {"queue": queue, "expires": WORKER_HEARTBEAT_SECONDS * 3},
        }
        for queue in JOB_QUEUES
    },
    # The 1st of each month: last month of every contract in force (missing reports too).
    "kpis-evaluate-previous-month": {
        "task": "kpis.evaluate_previous_month",
        "schedule": crontab(day_of_month=1, hour=2, minute=30),
    },
}
# Seconds /healthz waits for the broker before calling it down.
BROKER_HEALTH_TIMEOUT = env_int("BROKER_HEALTH_TIMEOUT", 2, minimum=1)
# The largest KPI file accepted, in bytes; larger uploads are refused before they are stored.
KPI_UPLOAD_MAX_BYTES = env_int("KPI_UPLOAD_MAX_BYTES", 50_000_000, minimum=1)
# The most cells an XLSX KPI file's first sheet may hold (counted while it is read); a workbook
# past it is refused with the limit named, before it can hold a worker for minutes.
KPI_XLSX_MAX_CELLS = env_int("KPI_XLSX_MAX_CELLS", 2_000_000, minimum=1)
# A CSV KPI file of at least KPI_PARALLEL_MIN_BYTES is checked by this many processes at once
# on PostgreSQL (kpis.ingestion.parts); 1 reads every file in one pass.
KPI_PARSE_PROCESSES = env_int("KPI_PARSE_PROCESSES", min(os.cpu_count() or 1, 4), minimum=1)
KPI_PARALLEL_MIN_BYTES = env_int("KPI_PARALLEL_MIN_BYTES", 5_000_000, minimum=0)
# Request bodies other than files (forms, JSON) stay small; a file past 2.5 MB is streamed to a
# temporary file rather than held in memory (the KPI upload handler stops it at the limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns "not logged in" into a 401, not a 403.
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    # JSON nested deeper than config.parsers.MAX_JSON_DEPTH is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "PAGE_SIZE": 50,
    "DATETIME_FORMAT": "iso-8601",
}
# /api/schema/ and /api/docs/ for anonymous visitors: open in development and tests (the fuzzer
# and the docs read them), closed in production unless this says otherwise.
API_SCHEMA_PUBLIC = env_bool("API_SCHEMA_PUBLIC", not PRODUCTION)

# API tokens (accounts.ApiToken) expire this many days after they are issued.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30, minimum=1)

SPECTACULAR_SETTINGS = {
    "TITLE": "BPO vendor selection and SLA tracking API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the CEFR levels, whether a field may be null or not.
    # One name per choice set that several serializers share (their labels may differ).
    "ENUM_NAME_OVERRIDES": {
        "LanguageLevelEnum": "vendors.services.validation.LanguageLevel",
        "ChannelEnum": "core.labels.CHANNEL_CHOICES",
        "ReportKindEnum": "reports.models.Report.Kind",
        "InvoiceLineKindEnum": "kpis.models.invoices.InvoiceLine.Kind",
        "TargetStatusEnum": ["met", "warning", "breach", "missing"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
