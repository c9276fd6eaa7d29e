"""What the staff pages of the directory share: permissions, target languages, the acting user."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.http import HttpRequest

from teilhabe.accounts.models import User

MODERATE = "directory.moderate"
DIALOGUE = "directory.dialogue"
TARGET_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "de"]


def actor(request: HttpRequest) -> User:
    """The signed-in staff user (staff_required has already rejected anonymous requests)."""
    return cast(User, request.user)
