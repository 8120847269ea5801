"""Trygg settings, taken from the environment only (see .env.example for every variable)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from trygg.lib.env import env_bool, env_int, env_list, env_secret, env_str, local_secret

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

# development (the default, for `make run`), test (the suite) or production.
TRYGG_ENV = env_str("ENV", "development")
if TRYGG_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"TRYGG_ENV must be development, test or production, got {TRYGG_ENV!r}."
    )
PRODUCTION = TRYGG_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("TRYGG_DEBUG must be off when TRYGG_ENV=production.")

VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
if not PRODUCTION:
    # The embedded database and the local secrets live here.
    VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "TRYGG_SECRET_KEY or TRYGG_SECRET_KEY_FILE is required when TRYGG_ENV=production."
        )
    SECRET_KEY = local_secret(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not env_list("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("TRYGG_ALLOWED_HOSTS is required when TRYGG_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The jurisdiction profile this deployment follows: a file in trygg/jurisdictions/profile_data/.
TRYGG_JURISDICTION = env_str("JURISDICTION", "fi")
# Shown as a banner on every page; `make run DEMO=1` sets it.
TRYGG_DEMO = env_bool("DEMO", default=False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "trygg.jurisdictions",
    "trygg.vault",
    "trygg.audit",
    "trygg.accounts",
    "trygg.clients",
    "trygg.web",
    "trygg.public",
    "trygg.consent",
    "trygg.cases",
    "trygg.referrals",
    "trygg.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "trygg.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trygg.accounts.middleware.SessionTimeoutMiddleware",
    "trygg.accounts.middleware.RequireVerifiedMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last: it inspects the response of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trygg.urls"
WSGI_APPLICATION = "trygg.wsgi.application"
ASGI_APPLICATION = "trygg.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "trygg.web.context_processors.trygg",
            ],
        },
    },
]

DATABASE_URL = env_secret("DATABASE_URL")
if PRODUCTION and not DATABASE_URL:
    raise ImproperlyConfigured(
        "TRYGG_DATABASE_URL or TRYGG_DATABASE_URL_FILE is required when TRYGG_ENV=production."
    )
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'trygg.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded database take concurrent requests.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The vault's key-encryption keys (docs/operations.md, "Vault keys"): "file" keeps them in
# TRYGG_VAR_DIR/keys/, created on first use (development and tests only); "env" reads
# TRYGG_VAULT_KEYS ("id1:base64key,id2:base64key"); a dotted path names another provider class.
TRYGG_VAULT_PROVIDER = env_str("VAULT_PROVIDER", "env" if PRODUCTION else "file")
TRYGG_VAULT_KEYS = env_secret("VAULT_KEYS")
TRYGG_VAULT_CURRENT_KEY = env_str("VAULT_CURRENT_KEY")
TRYGG_VAULT_KEYS_DIR = VAR_DIR / "keys"
# Seconds an unwrapped data key stays in a process's memory (0: read it for every record).
TRYGG_VAULT_KEY_CACHE_SECONDS = env_int("VAULT_KEY_CACHE_SECONDS", default=30)
if PRODUCTION and TRYGG_VAULT_PROVIDER == "file":
    raise ImproperlyConfigured(
        "TRYGG_VAULT_PROVIDER=file is for development and tests; use env when TRYGG_ENV=production."
    )
if PRODUCTION and TRYGG_VAULT_PROVIDER == "env" and not TRYGG_VAULT_KEYS:
    raise ImproperlyConfigured(
        "TRYGG_VAULT_KEYS or TRYGG_VAULT_KEYS_FILE is required when TRYGG_ENV=production."
    )

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 15 minutes idle, 12 hours at most (enforced by SessionTimeoutMiddleware).
TRYGG_SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", default=15 * 60)
TRYGG_SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
# How long a re-authentication ("sudo mode") lasts.
TRYGG_SUDO_SECONDS = env_int("SUDO_SECONDS", default=10 * 60)
SESSION_COOKIE_AGE = TRYGG_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "trygg_session"
CSRF_COOKIE_NAME = "trygg_csrf"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_NAME = "trygg_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Login throttling: five failures for one user name from one address lock that pair out for
# an hour. The lock-out page says the same whether or not the account exists.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "trygg.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True
# Axes keeps the form data of failed attempts: never a code, a token or a typed user name.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token", "csrfmiddlewaretoken"]
# How many reverse proxies stand in front of Trygg and append to X-Forwarded-For (0: none).
TRYGG_PROXY_COUNT = env_int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "trygg.lib.http.client_ip"

OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Trygg")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Internationalisation: the four interface languages. Help pages add more later.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
    ("nb", _("Norwegian (bokmål)")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Helsinki")

STATIC_URL = "/static/"
# Production serves the collected files (`trygg collectstatic`); elsewhere the finders do.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static"))) if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Security headers. No third-party host is ever allowed: every asset is served from here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin": no other site learns which page linked to it, and Django's CSRF check still
# sees the form's origin ("no-referrer" makes browsers send `Origin: null`, refused as forged).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_bool(
    "SECURE_COOKIES", default=PRODUCTION
)
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=PRODUCTION)
if env_bool("BEHIND_PROXY", default=False):
    # Only behind a reverse proxy that sets this header itself (docs/operations.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Application logs are technical: they never carry names, contact details or narratives.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs would carry query strings; access logs belong to the reverse proxy.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each rendering step of the help card at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "trygg.web.views.csrf_failure"
