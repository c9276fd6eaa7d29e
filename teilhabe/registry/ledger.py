"""Audit by construction (issue 10, item 4): no response carries a person's name without an audit event.

Views read person data through the audited accessors in ``registry.services`` (``case_read``,
``identity_for_edit``, ``fieldgroup_values``, ``case_search``, ``transmission_read``, ``access_report``).
As the construction that a new view cannot forget, ``PersonDataAuditMiddleware`` keeps a per-request ledger
of every ``Case`` row loaded and every case the audit log mentioned; after the view, any loaded case whose
name appears in the response body without an event gets one (``case.read`` with ``via=response``).
Costs: one ``post_init`` hook per loaded case (a set insert) and substring tests on staff/API responses.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db.models.signals import post_init, post_save
from django.http import HttpRequest, HttpResponse

_loaded: ContextVar[dict[int, Any] | None] = ContextVar("registry_loaded_cases", default=None)
_audited: ContextVar[set[int] | None] = ContextVar("registry_audited_cases", default=None)
GUARDED_PREFIXES = ("/staff/", "/api/")
MIN_NAME_LENGTH = 3


def _case_loaded(sender: Any, instance: Any, **kwargs: Any) -> None:
    loaded = _loaded.get()
    if loaded is not None and instance.pk is not None:
        loaded.setdefault(instance.pk, instance)


def _event_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    audited = _audited.get()
    if audited is None or not created:
        return
    if instance.object_type == "registry.case" and str(instance.object_id).isdigit():
        audited.add(int(instance.object_id))
    elif instance.object_type == "registry.case":  # a search: the event lists the ids it showed
        audited.update(int(pk) for pk in (instance.extra or {}).get("result_ids", []))
    elif instance.object_type == "registry.transmission" and str(instance.object_id).isdigit():
        from teilhabe.registry.models import Transmission

        case_id = Transmission.objects.filter(pk=int(instance.object_id)).values_list("case_id", flat=True).first()
        if case_id:
            audited.add(case_id)


def connect() -> None:
    from teilhabe.audit.models import AuditEvent
    from teilhabe.registry.models import Case

    post_init.connect(_case_loaded, sender=Case, dispatch_uid="registry_ledger_case")
    post_save.connect(_event_saved, sender=AuditEvent, dispatch_uid="registry_ledger_audit")


def names(case: Any) -> list[str]:
    return [
        value
        for value in (case.family_name, case.family_name_latin, case.given_names, case.given_names_latin)
        if value and len(value) >= MIN_NAME_LENGTH
    ]


class PersonDataAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(GUARDED_PREFIXES):
            return self.get_response(request)
        loaded_token = _loaded.set({})
        audited_token = _audited.set(set())
        try:
            response = self.get_response(request)
            self._settle(request, response)
        finally:
            _loaded.reset(loaded_token)
            _audited.reset(audited_token)
        return response

    def _settle(self, request: HttpRequest, response: HttpResponse) -> None:
        loaded, audited = _loaded.get() or {}, _audited.get() or set()
        pending = [case for pk, case in loaded.items() if pk not in audited]
        if not pending or getattr(response, "streaming", False) or response.status_code >= 400:
            return
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(("text/", "application/json")):
            return
        body = response.content.decode(response.charset or "utf-8", errors="ignore")
        from teilhabe.audit.services import record

        for case in pending:
            if any(name in body for name in names(case)):
                record(
                    "case.read",
                    actor=request.user,
                    organisation=case.owner,
                    obj=case,
                    extra={"via": "response", "path": request.path[:200]},
                )
