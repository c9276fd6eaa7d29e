from __future__ import annotations

from typing import Any

from django.db import transaction

from teilhabe.accounts.models import Organisation, User
from teilhabe.audit.services import Action, record
from teilhabe.regions.models import Planungsraum


@transaction.atomic
def planungsraum_save(
    *, acting_user: User, owner: Organisation, instance: Planungsraum, geometry: Any, changed_fields: list[str]
) -> Planungsraum:
    created = instance.pk is None
    instance.owner = owner
    instance.geometry = geometry
    instance.save()
    record(
        Action.CREATE if created else Action.UPDATE,
        actor=acting_user,
        organisation=owner,
        obj=instance,
        changed_fields=changed_fields,
    )
    return instance
