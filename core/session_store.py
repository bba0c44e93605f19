"""The database session store, patient with a table locked for a moment.

Every request saves the session (``SESSION_SAVE_EVERY_REQUEST``, for the idle timeout). A page
that loads several parts at once (charts, the inbox count, the reporting summary) saves it
several times together; on SQLite one of those saves can find the table locked and fail, and
Django would answer that request 400 (``SessionInterrupted``). The save is tried again a few
times, briefly, before giving up as before. A cookie that is not a session key is no session.
"""

import time

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

ATTEMPTS = 5


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        # Keys are letters and digits; anything else in a cookie (a NUL, which PostgreSQL
        # cannot compare) is no session at all, never a lookup.
        return bool(key) and len(key) >= 8 and key.isascii() and key.isalnum()

    def save(self, must_create=False):
        for attempt in range(ATTEMPTS):
            try:
                return super().save(must_create=must_create)
            except UpdateError:
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
