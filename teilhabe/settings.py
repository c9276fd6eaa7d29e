"""Teilhabe settings. One file, configured only by environment variables (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read a secret from NAME or from the file named in NAME_FILE (Docker/systemd credentials)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = env_bool("TEILHABE_DEBUG", False)
# Demo credentials and demo data only ever exist when this is set explicitly.
DEMO = env_bool("TEILHABE_DEMO", False)
# Only these demo builders (comma list, e.g. "directory,indicators,reports"); empty: all (teilhabe/core/demo.py).
DEMO_PARTS = env_list("TEILHABE_DEMO_PARTS")

SECRET_KEY = env_secret("TEILHABE_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or DEMO:
        SECRET_KEY = "insecure-demo-key-only-for-local-demo-runs-never-in-production"  # noqa: S105
    else:
        raise RuntimeError("TEILHABE_SECRET_KEY (or TEILHABE_SECRET_KEY_FILE) must be set.")

# Keyed hash for pseudonyms in the analytics store; never the same as SECRET_KEY in production.
PSEUDONYM_KEY = env_secret("TEILHABE_PSEUDONYM_KEY", SECRET_KEY if (DEBUG or DEMO) else "")

ALLOWED_HOSTS = env_list("TEILHABE_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("TEILHABE_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("TEILHABE_SITE_URL", "http://127.0.0.1:8000")

# The one Landkreis (or kreisfreie Stadt) this installation serves, by 5-digit AGS.
TEILHABE_KREIS = env_str("TEILHABE_KREIS", "12073")
# Minimum number of persons behind any published cell (primary disclosure control).
DISCLOSURE_MIN_COUNT = env_int("TEILHABE_DISCLOSURE_MIN", 3)

# Background tasks (report builds): database queue, processed by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": env_str("TEILHABE_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# /healthz fails when a store directory has less free space than this (MB).
TEILHABE_MIN_FREE_MB = env_int("TEILHABE_MIN_FREE_MB", 500)
# The task worker re-executes itself (same PID) when a task left it this many per cent above its start memory
# (Typst, DuckDB and pyarrow keep what they loaded); 0 = never (teilhabe/core/management/commands/run_worker.py).
WORKER_RECYCLE_GROWTH = env_int("TEILHABE_WORKER_RECYCLE_GROWTH", 10)
# Pseudonymous register microdata (Parquet per Stichtag) and staged uploads; never in the repository.
POPULATION_DIR = Path(env_str("TEILHABE_POPULATION_DIR", str(BASE_DIR / "var" / "population")))
# Memory the query engine of the register import (DuckDB) may use; beyond it intermediate results spill to
# POPULATION_DIR/spill. Fixed, so a Land-sized extract fits a small server (docs/decisions/0100-*, 0120-*):
# the whole import process then stays near 250 MB + this (Kreis: ~500 MB; 5 M rows with 1024: ≤ 1.5 GB).
POPULATION_PIPELINE_MEMORY_MB = env_int("TEILHABE_PIPELINE_MEMORY_MB", 256)
# Public monitoring and report pages are rendered into the fragment store after their data change:
# "task" (job on the task worker), "inline" (before the writing request returns), "off" (on first view).
TEILHABE_PRERENDER = env_str("TEILHABE_PRERENDER", "task")
# Joint disclosure decision after a register import: "task" = follow-up job on the task worker (db_worker),
# "inline" = before the commit returns. Tables become visible only once it has run.
TEILHABE_POPULATION_PUBLISH = env_str("TEILHABE_POPULATION_PUBLISH", "task")
# The exact differencing check after the joint decision covers groups of up to this many linked suppressed
# counts (dense linear algebra, cubic in the size); larger groups are listed as unchecked in the import.
TEILHABE_POPULATION_CHECK_MAX = env_int("TEILHABE_POPULATION_CHECK_MAX", 500_000)
# Register vs. Zensus 2022 foreign share: deviations beyond this many percentage points are flagged.
TEILHABE_POPULATION_TOLERANCE_PP = float(env_str("TEILHABE_POPULATION_TOLERANCE_PP", "2"))

# KiIM case records: Art. 9 field groups are off unless listed here (privacy by default, DP-09);
# person search needs a minimum input and returns at most this many hits (DP-11).
REGISTRY_ART9_GROUPS = env_list("TEILHABE_REGISTRY_ART9_GROUPS", "")
REGISTRY_SEARCH_MIN_CHARS = env_int("TEILHABE_REGISTRY_SEARCH_MIN_CHARS", 3)
REGISTRY_SEARCH_MAX_RESULTS = env_int("TEILHABE_REGISTRY_SEARCH_MAX_RESULTS", 20)
# Days a personal enrolment link (new account: own password and second factor) stays valid.
TEILHABE_INVITATION_DAYS = env_int("TEILHABE_INVITATION_DAYS", 7)
REGISTRY_API_TOKEN_DAYS = env_int("TEILHABE_REGISTRY_API_TOKEN_DAYS", 30)
REGISTRY_STATISTICS_ROLE = env_str("TEILHABE_REGISTRY_STATISTICS_ROLE", "teilhabe_statistics")
# Keys for application-level encryption of Art. 9 and residence-status values (first encrypts, all decrypt).
REGISTRY_ENCRYPTION_KEYS = [key for key in env_secret("TEILHABE_REGISTRY_ENCRYPTION_KEYS").split(",") if key.strip()]

# Audit log (DP-31): checkpoints of the chain head outside the database (a JSON-lines file, and/or syslog
# "/dev/log" or "host:514" for a remote log host), written every N minutes by the scheduler; events are
# removed only by `manage.py audit_retention` after this many days.
AUDIT_CHECKPOINT_FILE = env_str("TEILHABE_AUDIT_CHECKPOINT_FILE", str(BASE_DIR / "var" / "audit" / "checkpoints.jsonl"))
AUDIT_CHECKPOINT_SYSLOG = env_str("TEILHABE_AUDIT_CHECKPOINT_SYSLOG", "")
AUDIT_CHECKPOINT_MINUTES = env_int("TEILHABE_AUDIT_CHECKPOINT_MINUTES", 5)
# Art. 17 erasures as ids, outside the database and outside backups; replayed by `manage.py restore`.
ERASURE_JOURNAL_FILE = env_str("TEILHABE_ERASURE_JOURNAL_FILE", str(BASE_DIR / "var" / "erasure-journal.jsonl"))
# Backups (`manage.py backup`/`restore`): Fernet key(s), first encrypts, all decrypt; never stored in a backup.
BACKUP_KEYS = [key for key in env_secret("TEILHABE_BACKUP_KEYS").split(",") if key.strip()]
AUDIT_RETENTION_DAYS = env_int("TEILHABE_AUDIT_RETENTION_DAYS", 3 * 365)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "teilhabe.core",
    "teilhabe.regions",
    "teilhabe.accounts",
    "teilhabe.audit",
    "teilhabe.population",
    "teilhabe.indicators",
    "teilhabe.directory",
    "teilhabe.registry",
    "teilhabe.linkage",
    "teilhabe.privacy",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "teilhabe.reports",
    "teilhabe.concept",
    "teilhabe.surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "teilhabe.core.middleware.RequestIdMiddleware",
    "teilhabe.core.logs.AccessLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "teilhabe.core.i18n_urls.LocaleMiddleware",
    "teilhabe.core.middleware.StaffLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "teilhabe.accounts.middleware.OTPMiddleware",  # django-otp's, with a fixed statement
    "django.contrib.messages.middleware.MessageMiddleware",
    # Audit by construction: a staff/API response naming a person always has an audit event (issue 10).
    "teilhabe.registry.ledger.PersonDataAuditMiddleware",
    "teilhabe.accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "teilhabe.core.middleware.MethodNotAllowedMiddleware",
    "teilhabe.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

# One API layer (docs/decisions/0040): DRF views, OpenAPI generated by drf-spectacular, one error shape.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "teilhabe.lib.api.exception_handler",
    "UNICODE_JSON": True,
    "SCHEMA_COERCE_PATH_PK": False,  # documented path parameters keep the URL's names ({pk}, {id})
}
SPECTACULAR_SETTINGS = {
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema lists the Kreis's AGS codes from the database; `check --deploy` runs before `migrate` on a new
    # server. The schemas are validated in the test suite instead (schemathesis).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

ROOT_URLCONF = "teilhabe.urls"
WSGI_APPLICATION = "teilhabe.wsgi.application"

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
                "teilhabe.core.context_processors.site",
            ],
        },
    },
]

# Database: embedded SQLite by default, PostgreSQL in production via DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'teilhabe.sqlite3'}")
# Persistent connections (60 s, checked before reuse): opening a PostgreSQL connection per request cost more
# than many pages themselves (issue 17: staff pages p50 1.4 s → 37 ms at 20 req/s). 0 turns it off.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("TEILHABE_DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers up front, so the audit hash chain never forks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    (BASE_DIR / "var").mkdir(exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "teilhabe.accounts.backends.ModelBackend",  # Django's ModelBackend, reading the user by a fixed statement
    # Answers only the OIDC callback (code + state); it never creates accounts (decision 0024).
    "teilhabe.accounts.sso.StaffOIDCBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "core:home"

# Brute-force protection (DP-22): failures count per (username, client address); the 6th failure locks that
# pair for the base cool-off, each further failure doubles it up to the ceiling (teilhabe/accounts/lockout.py).
AXES_FAILURE_LIMIT = env_int("TEILHABE_LOGIN_FAILURE_LIMIT", 6)
LOGIN_COOLOFF_MINUTES = env_int("TEILHABE_LOGIN_COOLOFF_MINUTES", 15)
LOGIN_COOLOFF_MAX_HOURS = env_int("TEILHABE_LOGIN_COOLOFF_MAX_HOURS", 24)
AXES_COOLOFF_TIME = "teilhabe.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "teilhabe.accounts.views.lockout"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# One client-address function behind lockout and every rate limit (teilhabe/core/client.py).
AXES_CLIENT_IP_CALLABLE = "teilhabe.core.client.axes_client_address"
TEILHABE_TRUSTED_PROXIES = env_list("TEILHABE_TRUSTED_PROXIES")

# Sessions (DP-23): idle timeout slides with every request, absolute lifetime is enforced by middleware.
SESSION_ENGINE = "teilhabe.accounts.sessions"  # database sessions, read by a fixed statement (decision 0176)
SESSION_IDLE_TIMEOUT = env_int("TEILHABE_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_LIFETIME = env_int("TEILHABE_SESSION_MAX_HOURS", 10) * 3600
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# Renewed by SessionLifetimeMiddleware at most once a minute, not saved on every request (a write per page).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = env_str("TEILHABE_OTP_ISSUER", "Teilhabe")

# Single sign-on for staff (OpenID Connect, mozilla-django-oidc; decision 0024). Off unless an issuer is set.
# Accounts are never created by a sign-on: the IdP's subject or verified e-mail must match an existing
# active account. The platform's own second factor is still asked unless the ID token asserts MFA
# (``amr`` contains one of TEILHABE_OIDC_MFA_AMR, or ``acr`` is one of TEILHABE_OIDC_MFA_ACR).
OIDC_ISSUER = env_str("TEILHABE_OIDC_ISSUER").rstrip("/")
SSO_ENABLED = bool(OIDC_ISSUER)
OIDC_RP_CLIENT_ID = env_str("TEILHABE_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_secret("TEILHABE_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("TEILHABE_OIDC_AUTHORIZATION_ENDPOINT", f"{OIDC_ISSUER}/authorize")
OIDC_OP_TOKEN_ENDPOINT = env_str("TEILHABE_OIDC_TOKEN_ENDPOINT", f"{OIDC_ISSUER}/token")
OIDC_OP_USER_ENDPOINT = env_str("TEILHABE_OIDC_USERINFO_ENDPOINT", f"{OIDC_ISSUER}/userinfo")
OIDC_OP_JWKS_ENDPOINT = env_str("TEILHABE_OIDC_JWKS_ENDPOINT", f"{OIDC_ISSUER}/jwks")
OIDC_RP_SIGN_ALGO = env_str("TEILHABE_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_MFA_AMR = env_list("TEILHABE_OIDC_MFA_AMR", "mfa")
OIDC_MFA_ACR = env_list("TEILHABE_OIDC_MFA_ACR")
# Directory export (SCIM 2.0 ListResponse of Users, RFC 7644) for ``manage.py sync_directory``: a file path
# or an https URL (bearer token in TEILHABE_DIRECTORY_TOKEN). Empty: the scheduler does not run the job.
DIRECTORY_EXPORT = env_str("TEILHABE_DIRECTORY_EXPORT")
DIRECTORY_TOKEN = env_secret("TEILHABE_DIRECTORY_TOKEN")
DIRECTORY_SYNC_MINUTES = env_int("TEILHABE_DIRECTORY_SYNC_MINUTES", 60)

# TLS: behind a TLS-terminating proxy set TEILHABE_TLS=1; cookies become Secure and HSTS is sent.
TLS = env_bool("TEILHABE_TLS", False)
if TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("TEILHABE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("TEILHABE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Internationalisation: German source, English for the whole UI, more languages on public pages.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("ar", "العربية"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("fa", "فارسی"),
]
STAFF_LANGUAGES = ["de", "en"]
LANGUAGES_BIDI = ["ar", "fa", "he", "ur"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static_src"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("TEILHABE_STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not env_bool("TEILHABE_STATIC_MANIFEST", True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start otherwise
MEDIA_ROOT = Path(env_str("TEILHABE_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Upload caps per import kind (MB) and for the unpacked content of XLSX/ODS (zip bombs), teilhabe/lib/uploads.py.
UPLOAD_LIMITS_MB = {
    "default": env_int("TEILHABE_UPLOAD_LIMIT_DEFAULT_MB", 20),
    "register": env_int("TEILHABE_UPLOAD_LIMIT_REGISTER_MB", 512),
    "indicators": env_int("TEILHABE_UPLOAD_LIMIT_INDICATORS_MB", 20),
    "offers": env_int("TEILHABE_UPLOAD_LIMIT_OFFERS_MB", 20),
}
UPLOAD_MAX_UNPACKED_MB = env_int("TEILHABE_UPLOAD_MAX_UNPACKED_MB", 2048)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# E-mail (accessibility feedback, notifications). Console backend unless SMTP is configured.
EMAIL_BACKEND = env_str("TEILHABE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("TEILHABE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TEILHABE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("TEILHABE_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_secret("TEILHABE_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("TEILHABE_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("TEILHABE_FROM_EMAIL", "teilhabe@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where accessibility feedback and other public messages to the district go.
TEILHABE_CONTACT_EMAIL = env_str("TEILHABE_CONTACT_EMAIL", "integration@localhost")

# The body that runs this installation, used in the default Impressum / Datenschutzerklärung texts.
OPERATOR_NAME = env_str("TEILHABE_OPERATOR_NAME", "")
OPERATOR_ADDRESS = env_str("TEILHABE_OPERATOR_ADDRESS", "")
OPERATOR_PHONE = env_str("TEILHABE_OPERATOR_PHONE", "")
OPERATOR_REPRESENTATIVE = env_str("TEILHABE_OPERATOR_REPRESENTATIVE", "")
DPO_CONTACT = env_str("TEILHABE_DPO_CONTACT", "")
SUPERVISORY_AUTHORITY = env_str("TEILHABE_SUPERVISORY_AUTHORITY", "")
# Video in Deutscher Gebärdensprache for the Leichte-Sprache page (BITV 2.0 § 4); empty: the slot says so.
TEILHABE_DGS_VIDEO_URL = env_str("TEILHABE_DGS_VIDEO_URL", "")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("TEILHABE_REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("TEILHABE_REDIS_URL")}
    }

# Logs: JSON lines with request ids and no personal data in production (teilhabe/core/logs.py), plain text
# for the local demo; TEILHABE_ACCESS_LOG=1 adds one line per request (route pattern, status, duration).
LOG_FORMAT = env_str("TEILHABE_LOG_FORMAT", "text" if (DEBUG or DEMO) else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "teilhabe.core.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "teilhabe.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("TEILHABE_LOG_LEVEL", "WARNING")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "teilhabe.access": {"level": "INFO" if env_bool("TEILHABE_ACCESS_LOG", False) else "WARNING"},
    },
}

# Lockout is per (account, address), never per address alone: that would lock out a whole town hall behind one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Angebotsverzeichnis (issue #6): entries not confirmed for this many days are flagged for review.
DIRECTORY_STALE_DAYS = env_int("TEILHABE_DIRECTORY_STALE_DAYS", 365)
# Public proposals per client address and hour (together with honeypot and moderation).
DIRECTORY_SUBMISSION_RATE_LIMIT = env_int("TEILHABE_DIRECTORY_SUBMISSION_LIMIT", 5)
# Seconds a rendered public search result stays cached (writes invalidate it at once in the same process;
# with the per-process default cache other workers may show the old list for up to this long).
DIRECTORY_SEARCH_CACHE_SECONDS = env_int("TEILHABE_DIRECTORY_SEARCH_CACHE_SECONDS", 60)
# Machine translation: dotted path of a provider class ("" = none; nothing external is called by default).
TEILHABE_MT_PROVIDER = env_str("TEILHABE_MT_PROVIDER", "")
TEILHABE_MT_URL = env_str("TEILHABE_MT_URL", "")
TEILHABE_MT_API_KEY = env_secret("TEILHABE_MT_API_KEY")
