"""Settings for the test suite: the real settings with TRYGG_ENV=test and quick hashing."""

import os

os.environ.setdefault("TRYGG_ENV", "test")
os.environ.setdefault("TRYGG_SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment-0123")

from trygg.settings import *  # noqa: F403

# Argon2 stays in the list and is what production uses (accounts/tests/
# test_production_settings.py); the suite hashes with MD5 only to stay fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
