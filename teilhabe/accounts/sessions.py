"""Session engine: Django's database sessions, read with one fixed statement.

Every staff request loads its session; building and compiling the queryset
(``Session.objects.get(session_key=…, expire_date__gt=now)``) cost more CPU than the database took to answer
(issue 17, decision 0176). Same table, same rows, same expiry rule; writing, rotating and clearing sessions
are Django's own. ``SESSION_ENGINE = "teilhabe.accounts.sessions"``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

_LOAD_SQL = 'SELECT "session_data" FROM "django_session" WHERE "session_key" = %s AND "expire_date" > %s'


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if key is None:  # Django loads only sessions with a key; as its own lookup would, find nothing
            return None
        connection = connections[router.db_for_read(self.model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_LOAD_SQL, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=key, session_data=row[0])
