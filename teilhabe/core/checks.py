"""Deployment checks: a public site must name its operator (Impressum, § 5 DDG / § 18 MStV)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def operator_configured(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """``manage.py check --deploy`` fails while the operator's name, address or contact are unset."""
    errors = []
    required = {
        "TEILHABE_OPERATOR_NAME": settings.OPERATOR_NAME,
        "TEILHABE_OPERATOR_ADDRESS": settings.OPERATOR_ADDRESS,
    }
    for name, value in required.items():
        if not value.strip():
            errors.append(
                Error(
                    f"{name} ist nicht gesetzt: Impressum und Datenschutzerklärung nennen sonst keinen Betreiber.",
                    hint=f"{name} in der Umgebung setzen (siehe .env.example).",
                    id="teilhabe.E101",
                )
            )
    contact = settings.TEILHABE_CONTACT_EMAIL.strip()
    if not contact or contact.endswith("@localhost"):
        errors.append(
            Error(
                "TEILHABE_CONTACT_EMAIL ist nicht gesetzt: Impressum und Barriere-Meldungen brauchen eine Kontaktadresse.",
                hint="TEILHABE_CONTACT_EMAIL auf eine erreichbare Adresse der Behörde setzen.",
                id="teilhabe.E102",
            )
        )
    return errors
