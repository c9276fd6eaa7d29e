"""Staff editing of the search synonyms (/staff/angebote/synonyme/): district-wide editors only, since the
synonyms change search results for everybody. The curated list (synonyms.yaml) is shown read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from teilhabe.accounts.access import staff_required
from teilhabe.accounts.models import User
from teilhabe.audit.services import Action, record
from teilhabe.directory.forms import SynonymGroupForm
from teilhabe.directory.models import OfferType, SynonymGroup, _scope_filter, tokens_join
from teilhabe.directory.search import bump_content_version
from teilhabe.directory.searchindex import curated_synonym_entries


def synonym_save(*, acting_user: User | None, group: SynonymGroup, data: dict[str, Any]) -> SynonymGroup:
    """Save a synonym group, audit it and make searches use it at once (content version)."""
    with transaction.atomic():
        created = group.pk is None
        changed = [k for k, v in data.items() if getattr(group, k) != v]
        for key, value in data.items():
            setattr(group, key, value)
        group.save()
        record(Action.CREATE if created else Action.UPDATE, actor=acting_user, obj=group, changed_fields=changed)
        bump_content_version()
    return group


def _require_district(request: HttpRequest) -> None:
    if _scope_filter(request.user, owner_path="owner", gemeinde_path=None) is not None:
        raise PermissionDenied


@staff_required("directory.moderate")
def synonym_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_district(request)
    group = get_object_or_404(SynonymGroup, pk=pk) if pk else SynonymGroup()
    form = SynonymGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        data = {
            "language": form.cleaned_data["language"],
            "terms": form.cleaned_data["terms"],
            "is_active": form.cleaned_data["is_active"],
            "offer_types": tokens_join(form.cleaned_data["offer_type_list"]),
        }
        user = request.user if isinstance(request.user, User) else None
        synonym_save(acting_user=user, group=group, data=data)
        messages.success(request, _("Synonyme gespeichert. Die Suche verwendet sie ab sofort."))
        return redirect("directory_staff:synonyms")
    type_names = dict(OfferType.choices)
    curated = [
        {"terms": ", ".join(entry.phrases), "types": ", ".join(str(type_names.get(t, t)) for t in entry.types)}
        for entry in curated_synonym_entries()
    ]
    return render(
        request,
        "directory/staff/synonyms.html",
        {"form": form, "group": group, "groups": SynonymGroup.objects.all(), "curated": curated},
    )
