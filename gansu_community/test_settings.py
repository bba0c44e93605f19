"""Settings for the test suite: the real settings, with fast hashing and plain static files."""

import os

os.environ.setdefault("GANSU_TESTING", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Uploaded attachments go to a throw-away folder.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="gansu-media-")
# The verification page's rate per client address: high here, where every test client is
# 127.0.0.1; tests of the limit set their own.
CERTIFICATE_VERIFY_RATE = (10000, 600)
