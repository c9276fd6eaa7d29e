"""System check: every field of a case-record model has a protection class and every personal-data class is
covered by a processing activity in registry.yaml (DP-01, DP-02). Fails `manage.py check` otherwise."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import Error, register

from teilhabe.privacy.processing import REQUIRED_ACTIVITY_KEYS, coverage, load_registry

CHECKED_APPS = ("registry", "linkage")
BY_GROUP = "by_group"


def _field_names(model: Any) -> list[str]:
    return [f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many]


def check_protection(registry: dict[str, Any] | None = None, app_labels: tuple[str, ...] = CHECKED_APPS) -> list[Error]:
    from teilhabe.registry.fieldgroups import FIELD_GROUPS, Protection

    registry = registry if registry is not None else load_registry()
    errors: list[Error] = []
    for activity in registry.get("activities", []):
        missing = [key for key in REQUIRED_ACTIVITY_KEYS if not activity.get(key)]
        if missing:
            errors.append(
                Error(
                    f"Verarbeitungstätigkeit {activity.get('id', '?')}: {', '.join(missing)} fehlt.",
                    id="privacy.E001",
                )
            )
    covered_models, covered_groups = coverage(registry)
    retention = registry.get("retention_days") or {}
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            protection: dict[str, str] = getattr(model, "PROTECTION", {})
            model_label = model._meta.label_lower
            for name in _field_names(model):
                cls = protection.get(name)
                if cls is None or (cls not in Protection.ALL and cls != BY_GROUP):
                    errors.append(
                        Error(
                            f"{model._meta.label}.{name} hat keine Schutzklasse (PROTECTION).",
                            id="privacy.E002",
                            obj=model,
                        )
                    )
                    continue
                row_groups = getattr(model, "ROW_GROUPS", FIELD_GROUPS.keys())
                classes = {FIELD_GROUPS[g].protection for g in row_groups} if cls == BY_GROUP else {cls}
                for item in classes - {Protection.NONE}:
                    if (model_label, item) not in covered_models:
                        errors.append(
                            Error(
                                f"{model._meta.label}.{name} ({item}) ist von keiner Verarbeitungstätigkeit "
                                f"mit Zweck, "
                                "Rechtsgrundlage und Löschfrist abgedeckt.",
                                id="privacy.E003",
                                obj=model,
                            )
                        )
    from teilhabe.privacy.sharing import check_matrix

    for problem in check_matrix(registry):
        errors.append(Error(f"Übermittlungsmatrix: {problem}.", id="privacy.E006"))
    for group in FIELD_GROUPS.values():
        if (group.name, group.protection) not in covered_groups:
            errors.append(
                Error(
                    f"Feldgruppe {group.name} ({group.protection}) fehlt im Verarbeitungsregister.",
                    id="privacy.E004",
                )
            )
        if retention.get(group.name) != group.retention_days:
            errors.append(
                Error(
                    f"Löschfrist der Feldgruppe {group.name} weicht vom Verarbeitungsregister ab.",
                    id="privacy.E005",
                )
            )
    return errors


@register("privacy")
def privacy_registry_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return check_protection()
