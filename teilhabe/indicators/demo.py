"""Synthetic agency aggregates for the demo district (and the benchmark): seeded, deterministic, plausible.

Counts are scaled to each Gemeinde's real population and Zensus 2022 foreign share; sub-groups always add
up to their totals. Every row is flagged ``is_synthetic`` and the UI shows a badge wherever they appear.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from teilhabe.audit.services import record
from teilhabe.indicators.models import AgencyValue, Indicator, IndicatorValue
from teilhabe.regions.models import Gemeinde, Kreis, ReferenceValue

DEMO_YEARS = (2022, 2023, 2024)
DEMO_DOCUMENT = "Synthetische Demodaten (keine echten Behördenzahlen)"


def _split(rng: random.Random, total: int, shares: list[float]) -> list[int]:
    """Split a count by noisy shares so that the parts add up exactly."""
    weights = [max(0.0, s * rng.uniform(0.8, 1.2)) for s in shares]
    norm = sum(weights) or 1.0
    parts = [int(total * w / norm) for w in weights[:-1]]
    parts.append(total - sum(parts))
    return parts


def _n(rng: random.Random, base: float, share: float) -> int:
    return max(0, round(base * share * rng.uniform(0.85, 1.15)))


def synthetic_values(kreis: Kreis, years: tuple[int, ...] = DEMO_YEARS) -> list[tuple[str, str, str, int, float]]:
    """(key, level, ags, year, value) for all Gemeinden of the Kreis plus Kreis-only keys."""
    gemeinden = list(Gemeinde.objects.filter(kreis=kreis, is_gemeinde=True).order_by("ags"))
    shares = dict(
        ReferenceValue.objects.filter(
            source="zensus2022",
            indicator="share_foreign",
            level="gemeinde",
            ags__in=[g.ags for g in gemeinden],
        ).values_list("ags", "value")
    )
    kreis_share = (
        ReferenceValue.objects.filter(source="zensus2022", indicator="share_foreign", level="kreis", ags=kreis.ags)
        .values_list("value", flat=True)
        .first()
        or 8.0
    )
    rows: list[tuple[str, str, str, int, float]] = []
    kreis_totals: dict[tuple[str, int], float] = {}
    for g in gemeinden:
        rng = random.Random(f"teilhabe-demo-{g.ags}")
        population = g.population or 1000
        share = shares.get(g.ags, kreis_share) / 100
        for offset, year in enumerate(years):
            out: dict[str, float] = {}
            pop = round(population * (1 + 0.002 * (offset - 1)))
            foreign = max(0, round(pop * share * (1 + 0.05 * offset) * rng.uniform(0.97, 1.03)))
            out["ew_gesamt"] = pop
            out["ew_gesamt_mittel"] = round(pop * 0.999)
            out["ew_auslaender"] = foreign
            for key, part in zip(
                ["eu", "europa_dritt", "asyl8", "ukraine", "sonstige"],
                _split(rng, foreign, [0.32, 0.12, 0.22, 0.2, 0.14]),
                strict=True,
            ):
                out[f"ew_auslaender_{key}"] = part
            for key, part in zip(
                ["0_6", "6_18", "18_25", "25_65", "65plus"],
                _split(rng, foreign, [0.09, 0.14, 0.12, 0.58, 0.07]),
                strict=True,
            ):
                out[f"ew_auslaender_alter_{key}"] = part
            out["ew_auslaender_15_65"] = round(foreign * 0.72)
            out["ew_auslaender_18_21"] = round(foreign * 0.05)
            adults = (
                out["ew_auslaender_alter_18_25"] + out["ew_auslaender_alter_25_65"] + out["ew_auslaender_alter_65plus"]
            )
            out["ew_auslaender_18plus"] = adults
            for key, part in zip(
                ["ledig", "verheiratet", "geschieden_verwitwet"],
                _split(rng, int(adults), [0.4, 0.5, 0.1]),
                strict=True,
            ):
                out[f"ew_auslaender_18plus_{key}"] = part
            out["ew_deutsch_mehrstaatig"] = _n(rng, pop, 0.03)
            out["ew_migrationshintergrund"] = min(pop, foreign + _n(rng, pop, 0.06))
            out["ew_geburtsland_ausland"] = min(pop, round(foreign * 0.85) + _n(rng, pop, 0.03))
            out["ew_u3_mh"] = _n(rng, foreign, 0.035) + _n(rng, pop, 0.002)
            out["ew_3_6_mh"] = _n(rng, foreign, 0.04) + _n(rng, pop, 0.002)
            germans_adult = round((pop - foreign) * 0.84)
            out["ew_deutsch_18plus"] = germans_adult
            out["ew_deutsch_18plus_mh"] = _n(rng, germans_adult, 0.05)
            out["wand_zuzug_ausland_auslaender"] = _n(rng, foreign, 0.11)
            out["wand_fortzug_ausland_auslaender"] = _n(rng, foreign, 0.06)
            out["wand_zuzug_binnen_auslaender"] = _n(rng, foreign, 0.09)
            out["wand_fortzug_binnen_auslaender"] = _n(rng, foreign, 0.1)
            out["abh_auslaender"] = foreign
            status = _split(rng, foreign, [0.38, 0.3, 0.06, 0.04, 0.22])
            for key, part in zip(
                ["unbefristet", "befristet", "gestattung", "duldung", "eu_titelfrei"], status, strict=True
            ):
                out[f"abh_status_{key}"] = part
            out["abh_drittstaat_mit_titel"] = status[0] + status[1]
            out["abh_drittstaat_unbefristet"] = status[0]
            out["abh_aufenthalt_8j"] = _n(rng, foreign, 0.38)
            out["abh_fluchtkontext"] = _n(rng, foreign, 0.3)
            out["einb_einbuergerungen"] = _n(rng, out["abh_aufenthalt_8j"], 0.04 + 0.01 * offset)
            for key, part in zip(
                ["anerkannt", "offen", "abgelehnt"],
                _split(rng, round(out["abh_fluchtkontext"]), [0.7, 0.18, 0.12]),
                strict=True,
            ):
                out[f"azr_schutz_{key}"] = part
            out["kjh_kita_u3_mh"] = _n(rng, out["ew_u3_mh"], 0.32 + 0.02 * offset)
            out["kjh_kita_3_6_mh"] = _n(rng, out["ew_3_6_mh"], 0.82)
            out["kjh_kita_3_6"] = _n(rng, pop, 0.027) + out["kjh_kita_3_6_mh"]
            out["kjh_kita_3_6_nichtdeutsch"] = _n(rng, out["kjh_kita_3_6_mh"], 0.6)
            out["ga_untersuchte"] = _n(rng, pop, 0.009)
            out["ga_sprachfoerderbedarf"] = _n(rng, out["ga_untersuchte"], 0.2)
            pupils = _n(rng, foreign, 0.012)
            out["schul_jg8_ausl"] = pupils
            for key, part in zip(
                ["gymnasium", "mittlere", "hauptschule", "foerderschule"],
                _split(rng, pupils, [0.25, 0.5, 0.17, 0.08]),
                strict=True,
            ):
                out[f"schul_jg8_ausl_{key}"] = part
            leavers = _n(rng, foreign, 0.011)
            out["schul_abg_ausl"] = leavers
            out["schul_abg_ausl_ohne_hsa"] = _n(rng, leavers, 0.15)
            out["schul_abg_ausl_hochschulreife"] = _n(rng, leavers, 0.17)
            out["bamf_ik_berechtigte"] = _n(rng, foreign, 0.05)
            out["bamf_ik_eintritte"] = _n(rng, out["bamf_ik_berechtigte"], 0.7)
            out["ba_beschaeftigte_auslaender"] = _n(rng, out["ew_auslaender_15_65"], 0.46 + 0.02 * offset)
            out["ba_geringfuegig_auslaender"] = _n(rng, out["ew_auslaender_15_65"], 0.07)
            out["ba_arbeitslose_auslaender"] = _n(rng, out["ew_auslaender_15_65"], 0.09 - 0.005 * offset)
            out["sgb2_leb_auslaender"] = _n(rng, foreign, 0.2)
            out["sgb12_auslaender"] = _n(rng, foreign, 0.015)
            out["asylblg_empfaenger"] = _n(rng, foreign, 0.05)
            out["gu_bewohner_stichtag"] = _n(rng, foreign, 0.04)
            out["gu_auszuege_wohnung"] = _n(rng, out["gu_bewohner_stichtag"], 0.3)
            for key, value in out.items():
                rows.append((key, "gemeinde", g.ags, year, float(value)))
                kreis_totals[(key, year)] = kreis_totals.get((key, year), 0) + value
    rng = random.Random(f"teilhabe-demo-{kreis.ags}")
    for offset, year in enumerate(years):
        kreis_foreign = kreis_totals.get(("ew_auslaender", year), 1000.0)
        kreis_only: dict[str, float] = {
            "ba_erwerbspersonen_auslaender": round(
                kreis_totals.get(("ba_beschaeftigte_auslaender", year), 0) * 1.25
                + kreis_totals.get(("ba_arbeitslose_auslaender", year), 0)
            ),
            "ba_arbeitsuchende_fluchtkontext": _n(rng, kreis_totals.get(("abh_fluchtkontext", year), 0), 0.3),
            "bbs_azubi_ausl_18_21": _n(rng, kreis_totals.get(("ew_auslaender_18_21", year), 0), 0.2),
            "aner_antraege": _n(rng, kreis_foreign, 0.006),
            "bamf_dtz_teilnehmende": _n(rng, kreis_foreign, 0.03),
            "umf_personal_antworten": 610 + 12 * offset,
            "umf_personal_mh": 41 + 4 * offset,
            "umf_befragte": 1480 + 20 * offset,
            "umf_zugehoerigkeit_top2": 980 + 15 * offset,
            "umf_diskriminierung_12m": 210 - 6 * offset,
            "cm_kohorte_kurs": _n(rng, kreis_foreign, 0.015),
            "cm_median_tage_kurs": 148 - 11 * offset,
            "cm_ziele_gesetzt": _n(rng, kreis_foreign, 0.02),
        }
        kreis_only["bamf_dtz_b1"] = _n(rng, kreis_only["bamf_dtz_teilnehmende"], 0.52)
        kreis_only["cm_ziele_erreicht"] = _n(rng, kreis_only["cm_ziele_gesetzt"], 0.58)
        for key, value in kreis_only.items():
            rows.append((key, "kreis", kreis.ags, year, float(value)))
    return rows


@transaction.atomic
def load_synthetic_values(kreis: Kreis, *, owner: Any, user: Any = None, years: tuple[int, ...] = DEMO_YEARS) -> int:
    """Replace all synthetic agency values of the Kreis with a fresh deterministic set."""
    rows = synthetic_values(kreis, years)
    now = timezone.now()
    AgencyValue.objects.filter(is_synthetic=True).delete()
    AgencyValue.objects.bulk_create(
        [
            AgencyValue(
                source_key=key,
                level=level,
                ags=ags,
                year=year,
                value=value,
                source_document=DEMO_DOCUMENT,
                file_name="",
                is_synthetic=True,
                owner=owner,
                entered_by=user,
                entered_at=now,
            )
            for key, level, ags, year, value in rows
        ],
        batch_size=2000,
    )
    record(
        "indicators.agency_import",
        actor=user,
        organisation=owner,
        object_type="indicators.agencyvalue",
        object_repr="Synthetische Demodaten",
        extra={"rows": len(rows), "synthetic": True},
        username="demo",
    )
    return len(rows)


def build_demo_monitoring(district: Any) -> None:
    from teilhabe.indicators.services import catalogue_sync, recompute_all

    catalogue_sync()
    owner = district.organisations["landkreis"]
    count = load_synthetic_values(district.kreis, owner=owner, user=district.users.get("statistik"))
    recompute_all(acting_user=None)
    with_values = Indicator.objects.filter(pk__in=IndicatorValue.objects.values("indicator_id"))
    with_values.update(is_published=True, updated_at=timezone.now())
    district.notes.append(
        f"Integrationsmonitoring: {count} synthetische Behördenaggregate, "
        f"{IndicatorValue.objects.count()} Indikatorwerte, {with_values.count()} Indikatoren veröffentlicht "
        f"(/monitoring/)."
    )
