"""Tables of the directory search index (one shared design for SQLite and PostgreSQL, decision 0060).

``SearchTerm`` holds one row per (offer, term) with the best field weight the term has in that offer;
``SearchWord`` the vocabulary (every single-word term once, with a readable spelling for "Meinten Sie …?");
``SynonymGroup`` the synonyms staff add to the curated list shipped in ``directory/synonyms.yaml``;
``SearchIndexChange`` which offers were re-indexed, so every process patches its in-memory copy (decision 0061).
Rows are written only by ``teilhabe.directory.searchindex``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchTerm(models.Model):
    offer = models.ForeignKey("directory.Offer", on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=80)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "offer"], name="unique_search_term")]

    def __str__(self) -> str:
        return f"{self.term} → {self.offer_id} ({self.weight})"


class SearchWord(models.Model):
    term = models.CharField(max_length=80, unique=True)
    display = models.CharField(max_length=80)

    def __str__(self) -> str:
        return self.display


class SearchIndexChange(models.Model):
    """One row per offer whose ``SearchTerm`` rows were rewritten; ``offer_id`` None: the whole index was rebuilt.

    Not a foreign key: the row must outlive a deleted offer. A full rebuild empties the table.
    """

    offer_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.offer_id or 'alle'} @ {self.created_at:%Y-%m-%d %H:%M:%S}"


class SynonymGroup(models.Model):
    """Words that mean the same for a searcher, e.g. "Kita, Kindertagesstätte, Kindergarten"."""

    language = models.CharField(_("Sprache"), max_length=8, default="de")
    terms = models.TextField(
        _("Begriffe"), help_text=_("Durch Komma getrennt, z. B. „Kita, Kindertagesstätte, Kindergarten“.")
    )
    offer_types = models.CharField(
        _("Passende Arten von Angeboten"), max_length=200, blank=True, help_text=_("Tokens wie ,health,")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "terms"]
        verbose_name = _("Synonymgruppe")
        verbose_name_plural = _("Synonymgruppen")

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.split(",") if t.strip()]
