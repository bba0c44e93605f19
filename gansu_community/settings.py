"""Settings for 甘肃省社区服务体系建设管理平台, read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# `make run` serves the demo on this machine as its users will see it: DEBUG off (the
# portal's Chinese error pages, never Django's debug page), plain HTTP on 127.0.0.1, static
# files straight from the source tree. Never set it on a server.
LOCAL_RUN = env_bool("LOCAL_RUN", False)
NOT_PRODUCTION = DEBUG or LOCAL_RUN or env_bool("GANSU_TESTING")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not NOT_PRODUCTION:
        raise ImproperlyConfigured(
            "生产环境必须设置 SECRET_KEY 环境变量（SECRET_KEY is required when DEBUG is off）。"
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or LOCAL_RUN else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "gansu_community.admin_apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "core",
    "accounts",
    "streets",
    "communities",
    "facilities",
    "volunteers",
    "workforce",
    "certificates",
    "targets",
    "funding",
    "standards",
    "teams",
    "casework",
    "excel",
    "reporting",
    "assessment",
    "jobs",
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
    "core.sessions.PortalLoginRequiredMiddleware",  # Django's, keeping htmx and forms whole
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.middleware.AuditRefusalsMiddleware",
    # Last, so that its 400 answers still pass the header middleware above on the way out.
    "core.middleware.RejectNullCharactersMiddleware",
]

ROOT_URLCONF = "gansu_community.urls"
WSGI_APPLICATION = "gansu_community.wsgi.application"

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
                "django.template.context_processors.i18n",
                "communities.context_processors.portal",
                "core.sessions.session_context",
            ],
        },
    },
]

# Database: DATABASE_URL, or an SQLite file beside manage.py.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside the one writer; IMMEDIATE makes concurrent writers queue
    # for the lock instead of failing halfway through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.validators.GuessablePasswordValidator"},
]
# Refused attempts (403/404) of one user recorded per window: (rows, seconds).
AUDIT_REFUSALS_PER_WINDOW = (20, 600)
# A second factor (TOTP, accounts/otp.py) for administrators and officials: on wherever the
# portal runs for real, off in `make run`, DEBUG and the tests unless OTP_REQUIRED=1.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not NOT_PRODUCTION)
# Every user of the Django admin signs in there with a dynamic password wherever DEBUG is off
# and the portal runs for real; no environment variable turns that off in production.
ADMIN_OTP_REQUIRED = not NOT_PRODUCTION or env_bool("ADMIN_OTP_REQUIRED", False)
OTP_TOTP_ISSUER = "甘肃省社区服务体系建设管理平台"
SECOND_FACTOR_CHECK = "accounts.otp.second_factor_check"
# Passwords published with the portal (the demo accounts'): never accepted for a real account.
PUBLISHED_PASSWORDS = ["Gansu-demo-2015"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
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
            if not NOT_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = LOCAL_RUN

# Uploaded attachments (service standard self-checks: photos and files).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploads: Excel files up to 10 MB checked inside a web request, up to 40 MB (200,000 rows of
# volunteers are about 12 MB) as a background job or with import_excel.
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
IMPORT_WEB_MAX_BYTES = 10 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(40 * 1024 * 1024)))
# The row limit of every import: a background job from the web page and import_excel alike.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))

# Background jobs run on Django's tasks framework (the django-tasks backport). One machine
# needs nothing but the database: the ORM backend, with `manage.py db_worker` beside the web
# server. A province on several machines sets TASKS_BACKEND=rq and runs
# `manage.py rqworker --job-class django_tasks_rq.Job` against Redis (REDIS_URL).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job whose worker has not written a heartbeat for this long counts as lost.
JOBS_HEARTBEAT_SECONDS = 10
JOBS_STALE_SECONDS = int(os.environ.get("JOBS_STALE_SECONDS", "120"))
# A queued job waiting this long has its task looked for in the queue (a Redis restart empties it).
JOBS_LOST_SECONDS = int(os.environ.get("JOBS_LOST_SECONDS", "60"))

# Sessions end after 30 idle minutes: the expiry is renewed on every request.
SESSION_ENGINE = "core.session_store"  # the database store, retrying a save on a locked table
SESSION_COOKIE_AGE = 30 * 60
SESSION_WARNING_SECONDS = 2 * 60  # the page warns this long before the idle timeout
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Five failed logins lock the username at that address for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind reverse proxies (nginx in front of gunicorn) set TRUSTED_PROXY_COUNT to their number so
# that the lockout and the audit log key on the client's address, not the proxy's.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.services.client_ip"
# The function core calls to append a row to the audit log (core.audit).
AUDIT_RECORDER = "accounts.services.audit_record"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Production (DEBUG off): HTTPS only.
if not NOT_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an unauthenticated request 401 (API.md).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than any record is 400, not a RecursionError (core.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "UNICODE_JSON": True,
    "COERCE_DECIMAL_TO_STRING": True,
}

# API tokens (django-rest-knox, ``Authorization: Token …``): a token ends 30 minutes after its
# last use and 12 hours after it was issued at the latest; each login issues a new one.
REST_KNOX = {
    "TOKEN_TTL": timedelta(minutes=int(os.environ.get("API_TOKEN_IDLE_MINUTES", "30"))),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(hours=int(os.environ.get("API_TOKEN_MAX_HOURS", "12"))),
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "甘肃省社区服务体系建设管理平台 API",
    "DESCRIPTION": "社区、设施、志愿者、社会组织、社区工作者、年度统计与达标情况的 REST 接口（v1）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Keep `check --deploy` about deployment: the schema's completeness is a documentation
    # matter, checked with `manage.py spectacular --validate --fail-on-warn`.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "ENUM_NAME_OVERRIDES": {"ServiceCategoryEnum": "volunteers.models.ServiceCategory"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

