"""Enumerated legal bases (DP-03, DP-07). Sources: data-protection research note, section (c)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.TextChoices):
    # Recording by the owning agency
    ART6_1_E = "art6_1_e", _("Art. 6 Abs. 1 lit. e DSGVO i. V. m. Fachrecht (öffentliche Aufgabe)")
    SGB_X_67A = "sgb_x_67a", _("§ 67a SGB X (Erhebung von Sozialdaten)")
    AUFENTHG_86 = "aufenthg_86", _("§ 86 AufenthG (Erhebung durch die Ausländerbehörde)")
    ART9_2_B = "art9_2_b", _("Art. 9 Abs. 2 lit. b DSGVO (Sozialschutz)")
    ART9_2_H = "art9_2_h", _("Art. 9 Abs. 2 lit. h DSGVO (Gesundheitsversorgung)")
    # Transmission to another agency
    SGB_X_69_1_1 = "sgb_x_69_1_1", _("§ 69 Abs. 1 Nr. 1 SGB X (Erfüllung sozialer Aufgaben)")
    SGB_X_71_2 = "sgb_x_71_2", _("§ 71 Abs. 2 SGB X (Übermittlung an die Ausländerbehörde)")
    AUFENTHG_87 = "aufenthg_87", _("§ 87 AufenthG (Übermittlung an Ausländerbehörden)")
    AUFENTHG_90 = "aufenthg_90", _("§ 90 AufenthG (Mitteilungen der Ausländerbehörden)")
    # Both
    CONSENT = "art6_1_a", _("Art. 6 Abs. 1 lit. a DSGVO / § 67b Abs. 2 SGB X (Einwilligung)")


RECORDING_BASES = (
    LegalBasis.ART6_1_E,
    LegalBasis.SGB_X_67A,
    LegalBasis.AUFENTHG_86,
    LegalBasis.ART9_2_B,
    LegalBasis.ART9_2_H,
    LegalBasis.CONSENT,
)
ART9_BASES = (LegalBasis.ART9_2_B, LegalBasis.ART9_2_H, LegalBasis.CONSENT)
TRANSMISSION_BASES = (
    LegalBasis.SGB_X_69_1_1,
    LegalBasis.SGB_X_71_2,
    LegalBasis.AUFENTHG_87,
    LegalBasis.AUFENTHG_90,
    LegalBasis.CONSENT,
)


def choices_for(bases: tuple[LegalBasis, ...]) -> list[tuple[str, str]]:
    return [(str(b.value), str(b.label)) for b in bases]
