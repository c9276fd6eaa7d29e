"""Password backend: Django's ``ModelBackend``, reading a session's user with one fixed statement.

Every request of a logged-in user loads the user again (``django.contrib.auth.get_user`` → ``get_user``), and
is refused when the account is gone or inactive; the session hash is then checked by Django as before. The
statement replaces ``User.objects.get(pk=…)`` (compiling it cost more CPU than the database took, issue 17,
decision 0176). Sessions name their backend: this path is the one ``finish_login`` stores.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connection

from teilhabe.accounts.models import User
from teilhabe.core import fixed_sql

PATH = "teilhabe.accounts.backends.ModelBackend"
_FIELDS = tuple(f.attname for f in User._meta.concrete_fields)
_USER_SQL = f'SELECT {fixed_sql.columns(User, _FIELDS)} FROM "accounts_user" WHERE "id" = %s'  # noqa: S608


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        with connection.cursor() as cursor:
            cursor.execute(_USER_SQL, [user_id])
            rows = cursor.fetchall()
        if not rows:
            return None
        user = fixed_sql.instances(User, _FIELDS, rows)[0]
        return user if self.user_can_authenticate(user) else None
