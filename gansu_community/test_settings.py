"""Settings for the test suite: the real settings, with fast hashing and plain static files."""

import os

os.environ.setdefault("GANSU_TESTING", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
