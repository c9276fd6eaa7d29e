"""Show entries in the visitor's language: translation if present, else the German text with a note."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from teilhabe.directory.models import (
    EVENT_TEXT_FIELDS,
    OFFER_TEXT_FIELDS,
    EventTranslation,
    OfferTranslation,
    TranslationStatus,
)


@dataclass
class Localized:
    """Texts of one entry for one visitor language, plus why they may not be in that language."""

    language: str  # language of the texts actually shown
    requested: str
    notice: str = ""  # "", "missing", "outdated", "machine"
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested

    @property
    def is_rtl(self) -> bool:
        return self.language in {"ar", "fa"}

    def __getattr__(self, name: str) -> str:
        texts = self.__dict__.get("texts", {})
        if name in texts:
            return texts[name]
        raise AttributeError(name)


def visitor_language() -> str:
    return (get_language() or "de").split("-")[0]


def with_translations(queryset: QuerySet, language: str) -> QuerySet:
    model = queryset.model
    translation_model = OfferTranslation if model.__name__ == "Offer" else EventTranslation
    return queryset.prefetch_related(
        Prefetch(
            "translations",
            queryset=translation_model.objects.filter(language=language),
            to_attr="visitor_translations",
        )
    )


def localize(obj: Any, language: str) -> Localized:
    fields = OFFER_TEXT_FIELDS if obj._meta.model_name == "offer" else EVENT_TEXT_FIELDS
    source = {f: getattr(obj, f) for f in fields}
    if language == obj.source_language:
        return Localized(language=language, requested=language, texts=source)
    candidates = getattr(obj, "visitor_translations", None)
    if candidates is None:
        candidates = [t for t in obj.translations.all() if t.language == language]
    translation = next((t for t in candidates if t.language == language), None)
    if translation is None or translation.status == TranslationStatus.MISSING or not translation.title:
        return Localized(language=obj.source_language, requested=language, notice="missing", texts=source)
    texts = {f: getattr(translation, f) or source[f] for f in fields}
    notice = ""
    if translation.status == TranslationStatus.OUTDATED:
        notice = "outdated"
    elif translation.status == TranslationStatus.MACHINE or translation.machine_translated:
        notice = "machine"
    return Localized(language=language, requested=language, notice=notice, texts=texts)
