"""Who sees which population tables: the district's statistics office all of them, a Gemeinde its own.

``scope_for(user)`` answers with a ``PopulationScope``: ``full`` for holders of ``population.view``; otherwise
the areas released to the user's Gemeinde organisations (``GemeindeRelease``, decided by the district) for
holders of ``population.view.gemeinde``. Views call ``allows(level, area)`` before showing anything; an
area outside the scope is answered like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet

from teilhabe.accounts.access import has_permission, organisation_ids_with
from teilhabe.population.models import GEMEINDE_PERMISSION, VIEW_PERMISSION, GemeindeRelease, RegisterImport


@dataclass
class PopulationScope:
    full: bool
    gemeinden: dict[str, str] = field(default_factory=dict)  # AGS → GemeindeRelease.Scope
    owner_ids: set[int] = field(default_factory=set)  # organisations whose imports the user may read

    @property
    def any(self) -> bool:
        return self.full or bool(self.gemeinden)

    def allows(self, level: str, area: str) -> bool:
        if self.full:
            return True
        if level == "gemeinde":
            return area in self.gemeinden
        if level == "planungsraum":
            ags = area.partition(":")[0]
            return self.gemeinden.get(ags) == GemeindeRelease.Scope.PLANUNGSRAUM
        return False

    def imports(self, user: Any) -> QuerySet[RegisterImport]:
        if self.full:
            return RegisterImport.objects.visible_to(user, VIEW_PERMISSION)
        if not self.gemeinden:
            return RegisterImport.objects.none()
        # A released Gemeinde reads the district's committed imports, restricted to its own areas by allows().
        return RegisterImport.objects.filter(status=RegisterImport.Status.COMMITTED)


def scope_for(user: Any) -> PopulationScope:
    if has_permission(user, VIEW_PERMISSION):
        return PopulationScope(full=True)
    organisations = organisation_ids_with(user, GEMEINDE_PERMISSION)
    if not organisations:
        return PopulationScope(full=False)
    releases = (
        GemeindeRelease.objects.active()
        .filter(organisation_id__in=organisations, organisation__gemeinden=F("gemeinde"))
        .values_list("gemeinde_id", "scope")
    )
    gemeinden: dict[str, str] = {}
    for ags, scope in releases:
        if gemeinden.get(ags) != GemeindeRelease.Scope.PLANUNGSRAUM:
            gemeinden[ags] = scope
    return PopulationScope(full=False, gemeinden=gemeinden)
