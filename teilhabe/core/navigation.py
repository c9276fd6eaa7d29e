"""Areas that apps contribute to the public start page and the staff start page.

Each app registers its entries in ``AppConfig.ready()``; the start pages only list what exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Area:
    url_name: str
    title: str | Promise
    description: str | Promise
    permission: str = ""  # staff areas: shown only to users holding this permission somewhere
    order: int = 100
    in_nav: bool = True  # public areas: also listed in the main navigation


PUBLIC_AREAS: list[Area] = []
STAFF_AREAS: list[Area] = []


def register_public(area: Area) -> None:
    if area not in PUBLIC_AREAS:
        PUBLIC_AREAS.append(area)
        PUBLIC_AREAS.sort(key=lambda a: a.order)


def register_staff(area: Area) -> None:
    if area not in STAFF_AREAS:
        STAFF_AREAS.append(area)
        STAFF_AREAS.sort(key=lambda a: a.order)
