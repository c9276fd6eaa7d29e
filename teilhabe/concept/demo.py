"""Demo: a realistic integration concept for the demo district (only with TEILHABE_DEMO=1).

Six fields of action, one goal per published monitoring indicator with Kreis values (up to 20), two
measures per goal owned by the demo organisations and Gemeinden, an adopted first version and a draft
second version open for comments, a Steuerungsgruppe and a Runder Tisch (three meetings, minutes, action
items, one overdue), an organigram and a built, published status report. Everything goes through the
audited services. Targets are set for the demonstration; attainment is computed from the synthetic
monitoring values like in production.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from teilhabe.concept import network_services as net
from teilhabe.concept import report, services
from teilhabe.concept.models import BodyKind, Concept, MeasureStatus
from teilhabe.indicators.models import Indicator, IndicatorValue, Level

BERLIN = ZoneInfo("Europe/Berlin")

FIELDS = [
    (
        "B",
        "Rechtliche Integration und Einbürgerung",
        "Aufenthalt sichern, Einbürgerung erleichtern, Verfahren verständlich machen.",
    ),
    (
        "C",
        "Frühe Bildung und Sprache",
        "Alle Kinder erreichen die Kita; Deutsch von Anfang an, Mehrsprachigkeit als Stärke.",
    ),
    ("D", "Schule, Ausbildung und Anerkennung", "Gleiche Bildungschancen, Übergänge begleiten, Abschlüsse anerkennen."),
    ("E", "Arbeit und Lebensunterhalt", "Zugewanderte finden Arbeit, die zu ihren Fähigkeiten passt."),
    ("G", "Wohnen und Zusammenleben", "Dezentral wohnen, Nachbarschaften stärken, Begegnung in allen Gemeinden."),
    (
        "I",
        "Interkulturelle Öffnung und Teilhabe",
        "Verwaltung und Vereine öffnen sich; Migrantenorganisationen wirken mit.",
    ),
]
# Monitoring themes without their own field of action join the closest one.
THEME_TO_FIELD = {"A": "I", "F": "I", "H": "G"}

MEASURE_IDEAS = [
    ("Beratungssprechstunde vor Ort", "beratung"),
    ("Sprach- und Kulturmittlerpool", "landkreis"),
    ("Jobcafé mit Arbeitgebern", "jobcenter"),
    ("Begegnungsfest in der Gemeinde", "gemeinde1"),
    ("Lotsenprogramm mit Ehrenamtlichen", "mso"),
    ("Mehrsprachige Informationsreihe", "gemeinde2"),
    ("Fortbildung interkulturelle Kompetenz", "landkreis"),
    ("Patenschaften für Neuzugewanderte", "gemeinde3"),
]
FUNDING = ["Landesprogramm Integration", "Kreishaushalt", "ESF Plus", "Bundesprogramm", "Eigenmittel des Trägers"]


def _when(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BERLIN)


def _candidates() -> list[tuple[Indicator, str, str, float, float]]:
    """(indicator, direction, title, value 2022, latest value) for the demo goals whose indicator is
    published with unsuppressed Kreis values for 2022 and a later year."""
    out = []
    indicators = Indicator.objects.published().in_bulk([c for c, _d, _t in DEMO_GOALS], field_name="code")
    for code, direction, title in DEMO_GOALS:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        rows = dict(
            IndicatorValue.objects.filter(
                indicator=indicator, category="", level=Level.KREIS, region=settings.TEILHABE_KREIS, suppression=""
            )
            .exclude(published_value=None)
            .values_list("year", "published_value")
        )
        if 2022 in rows and max(rows) > 2022:
            out.append((indicator, direction, title, float(rows[2022] or 0), float(rows[max(rows)] or 0)))
    return out[:20]


# Policy goals of the demo concept: (indicator code, direction, goal title). Descriptive indicators
# (population shares, age structure) are context, not goals, and are left out.
DEMO_GOALS = [
    ("REC-02", "higher", "Mehr Drittstaatsangehörige erhalten ein unbefristetes Aufenthaltsrecht"),
    ("REC-04", "higher", "Einbürgerungen erleichtern und beschleunigen"),
    ("REC-05", "higher", "Mehr langjährig hier Lebende lassen sich einbürgern"),
    ("REC-03", "higher", "Bleibeperspektiven sichern"),
    ("KITA-01", "higher", "Mehr Kinder unter 3 Jahren mit Migrationshintergrund in der Kita"),
    ("KITA-02", "higher", "Alle Kinder von 3 bis 6 Jahren besuchen eine Kita"),
    ("KITA-04", "lower", "Weniger Sprachförderbedarf bei der Einschulung"),
    ("SPR-01", "higher", "Mehr Teilnehmende erreichen im Integrationskurs B1"),
    ("IV-01", "lower", "Schneller vom Zuzug in den Integrationskurs"),
    ("BIL-02", "lower", "Weniger Schulabgänge ohne Abschluss"),
    ("BIL-03", "higher", "Mehr Schulabgänge mit Hochschulreife"),
    ("BIL-04", "higher", "Mehr junge Zugewanderte in Ausbildung"),
    ("BIL-05", "higher", "Ausländische Berufsabschlüsse schneller anerkennen"),
    ("ARB-01", "higher", "Beschäftigung von Zugewanderten steigern"),
    ("ARB-03", "lower", "Arbeitslosigkeit von Ausländerinnen und Ausländern senken"),
    ("ARB-02", "lower", "Weniger ausschließlich geringfügige Beschäftigung"),
    ("SOZ-01", "lower", "Weniger Abhängigkeit von Mindestsicherung"),
    ("WOH-01", "higher", "Schneller aus Gemeinschaftsunterkünften in eigene Wohnungen"),
    ("WOH-02", "lower", "Wohnsegregation verringern"),
    ("IKO-01", "higher", "Kreisverwaltung öffnet sich: mehr Beschäftigte mit Migrationshintergrund"),
    ("BEF-02", "lower", "Weniger Diskriminierungserfahrungen"),
    ("TEI-01", "higher", "Politische Teilhabe stärken"),
]


def _target(index: int, indicator: Indicator, direction: str, baseline: float, latest: float) -> float:
    """Demo targets giving a mix of states (reached, on track, behind); a series moving the wrong way
    is behind whatever the target."""
    sign = 1 if direction == "higher" else -1
    gain = sign * (latest - baseline)  # > 0: moving the right way
    step = max(abs(baseline) * 0.05, 0.5)
    factor = (0.8, 2.5, 12.0)[index % 3]
    distance = gain * factor if gain > 0 else step * 3
    target = baseline + sign * max(distance, 0.1)
    # Keep targets plausible: no more than a 60 % rise or fall, never below zero.
    target = min(target, baseline * 1.6) if sign > 0 and baseline > 0 else max(target, baseline * 0.4)
    if "%" in indicator.unit:
        target = min(100.0, max(0.0, target))
    return round(target, 1)


def build_demo_concept(district: Any) -> None:
    if Concept.objects.filter(kreis_ags=district.kreis.ags).exists():
        district.notes.append("Integrationskonzept: bereits vorhanden (/konzept/).")
        return
    orgs = district.organisations
    users = district.users
    office = orgs["landkreis"]
    kai_user = users.get("koordination")
    today = timezone.localdate()

    # Contacts (persons in the network); accounts linked only for people who log in.
    def contact(
        name: str, org_key: str | None, function: str, email: str, user_key: str | None = None, other: str = ""
    ) -> Any:
        return net.contact_save(
            acting_user=kai_user,
            owner=office,
            changes={
                "name": name,
                "organisation": orgs.get(org_key) if org_key else None,
                "organisation_other": other,
                "function": function,
                "email": email,
                "user": users.get(user_key) if user_key else None,
            },
        )

    kai = contact(
        "Kai Koordination",
        "landkreis",
        "Integrationsbeauftragter des Landkreises",
        "integration@landkreis.example",
        "koordination",
    )
    people = {
        "landkreis": kai,
        "jobcenter": contact(
            "Judith Admin",
            "jobcenter",
            "Bereichsleitung Markt und Integration",
            "j.admin@jobcenter.example",
            "jc.admin",
        ),
        "beratung": contact(
            "Mira Beratung", "beratung", "Migrationsberatung für Erwachsene", "m.beratung@mbe.example", "mbe.beratung"
        ),
        "mso": contact("Vera Verein", "mso", "Vorsitzende", "vorstand@verein.example", "verein"),
        "abh": contact("Lea Leitung", "abh", "Leitung Ausländerbehörde", "l.leitung@abh.example"),
    }
    for i in (1, 2, 3):
        key = f"gemeinde{i}"
        if key in orgs:
            people[key] = contact(
                f"Gero Gemeinde {i}", key, "Ansprechperson Integration", f"integration@gemeinde{i}.example", key
            )
    kreistag = contact(
        "Karla Kreistag",
        None,
        "Kreistagsmitglied, Ausschuss für Soziales",
        "k.kreistag@kreistag.example",
        other="Kreistag",
    )
    wohlfahrt = contact(
        "Willi Wohlfahrt", None, "Geschäftsführer", "w.wohlfahrt@wohlfahrt.example", other="Wohlfahrtsverband im Kreis"
    )
    deputy_kai = contact(
        "Stefanie Statistik", "landkreis", "Kommunalstatistik, Vertretung", "statistik@landkreis.example", "statistik"
    )

    # The concept: six fields, goals from indicators, measures.
    concept = services.concept_create(
        acting_user=kai_user,
        owner=office,
        kreis_ags=district.kreis.ags,
        title=f"Integrationskonzept {district.kreis.name}",
        with_default_fields=False,
    )
    version = concept.versions.get()
    services.version_update(
        acting_user=kai_user,
        version=version,
        changes={
            "title": "Integrationskonzept 2024–2030",
            "preamble": "Gemeinsam mit Gemeinden, Trägern und Migrantenorganisationen in einem offenen Beteiligungsprozess erarbeitet.",
            "valid_from": date(2024, 1, 1),
            "valid_until": date(2030, 12, 31),
        },
    )
    fields = {
        theme: services.field_save(
            acting_user=kai_user, version=version, changes={"title": title, "description": text, "theme": theme}
        )
        for theme, title, text in FIELDS
    }
    gemeinden = list(district.kreis.gemeinden.filter(is_gemeinde=True).order_by("-population")[:6])
    measure_count = 0
    for index, (indicator, direction, goal_title, baseline, latest) in enumerate(_candidates()):
        fld = fields.get(indicator.theme) or fields[THEME_TO_FIELD.get(indicator.theme, "I")]
        target = _target(index, indicator, direction, baseline, latest)
        goal = services.goal_save(
            acting_user=kai_user,
            field=fld,
            changes={
                "title": goal_title,
                "description": f"Gemessen mit {indicator.code}: {indicator.definition[:300]}",
            },
        )
        services.target_save(
            acting_user=kai_user,
            goal=goal,
            changes={
                "indicator": indicator,
                "baseline_value": baseline,
                "baseline_year": 2022,
                "target_value": target,
                "target_date": date(2030, 12, 31),
                "direction": direction,
            },
        )
        for j in range(2):
            title, owner_key = MEASURE_IDEAS[(index * 2 + j) % len(MEASURE_IDEAS)]
            owner_key = owner_key if owner_key in orgs else "landkreis"
            status = [
                MeasureStatus.RUNNING,
                MeasureStatus.PLANNED,
                MeasureStatus.DONE,
                MeasureStatus.RUNNING,
                MeasureStatus.SUSPENDED,
            ][(index + j) % 5]
            measure = services.measure_save(
                acting_user=kai_user,
                goal=goal,
                changes={
                    "title": f"{title}: {indicator.name_de[:60]}",
                    "description": "Umsetzung gemeinsam mit den Partnern im Netzwerk; Bericht im Runden Tisch.",
                    "owner": orgs[owner_key],
                    "responsible": people.get(owner_key),
                    "partners": [orgs[k] for k in ("mso", "beratung") if k in orgs and k != owner_key],
                    "partners_other": "Wohlfahrtsverband im Kreis" if j else "",
                    "gemeinden": gemeinden[
                        (index + j) % max(1, len(gemeinden)) : (index + j) % max(1, len(gemeinden)) + 1
                    ],
                    "budget": Decimal(5000 + 2500 * ((index + j) % 7)),
                    "funding_source": FUNDING[(index + j) % len(FUNDING)],
                    "status": status,
                    "start_date": date(2024, 1 + (index % 6), 1),
                    "end_date": date(2027 + (j % 3), 12, 31),
                },
            )
            for k, (ms_title, months) in enumerate(
                (("Konzept und Partner", 3), ("Start der Angebote", 9), ("Auswertung", 30))
            ):
                due = date(2024, 1 + (index % 6), 1) + timedelta(days=30 * months)
                done = (
                    due + timedelta(days=5)
                    if (status != MeasureStatus.PLANNED and due < today and (k < 2 or status == MeasureStatus.DONE))
                    else None
                )
                services.milestone_save(
                    acting_user=kai_user, measure=measure, changes={"title": ms_title, "due_date": due, "done_on": done}
                )
            if status == MeasureStatus.DONE:
                services.evidence_add(
                    acting_user=kai_user,
                    measure=measure,
                    title="Abschlussbericht (Presse)",
                    url="https://www.example.org/abschlussbericht",
                )
            measure_count += 1

    # Bodies and meetings.
    steering = net.body_save(
        acting_user=kai_user,
        owner=office,
        changes={
            "kind": BodyKind.STEUERUNGSGRUPPE,
            "name": "Steuerungsgruppe Integrationskonzept",
            "responsible": kai,
            "description": "Steuert die Umsetzung des Konzepts: Kreis, Kreistagsfraktionen, Städte und Zivilgesellschaft.",
        },
    )
    round_table = net.body_save(
        acting_user=kai_user,
        owner=office,
        changes={
            "kind": BodyKind.RUNDER_TISCH,
            "name": "Runder Tisch Integration",
            "responsible": kai,
            "description": "Kreisweiter Austausch zwischen Kreis, Gemeinden, Trägern und Migrantenorganisationen.",
        },
    )
    net.body_save(
        acting_user=kai_user,
        owner=office,
        changes={
            "kind": BodyKind.ARBEITSGRUPPE,
            "name": "AG Arbeit und Ausbildung",
            "parent": round_table,
            "responsible": people["jobcenter"],
        },
    )
    for key, function in (
        ("jobcenter", "Jobcenter"),
        ("mso", "Migrantenorganisationen"),
        ("gemeinde1", "Städte und Gemeinden"),
    ):
        if key in people:
            net.member_add(acting_user=kai_user, body=steering, changes={"contact": people[key], "function": function})
    net.member_add(acting_user=kai_user, body=steering, changes={"contact": kreistag, "function": "Kreistag"})
    net.member_add(
        acting_user=kai_user,
        body=steering,
        changes={"contact": kai, "function": "Geschäftsstelle", "deputy": deputy_kai},
    )
    for key in ("beratung", "mso", "abh", "gemeinde1", "gemeinde2", "gemeinde3"):
        if key in people:
            net.member_add(
                acting_user=kai_user,
                body=round_table,
                changes={"contact": people[key], "function": people[key].function},
            )
    net.member_add(
        acting_user=kai_user, body=round_table, changes={"contact": wohlfahrt, "function": "Wohlfahrtspflege"}
    )

    meetings = []
    for n, offset in enumerate((-200, -90, 21), start=1):
        day = today + timedelta(days=offset)
        meetings.append(
            net.meeting_save(
                acting_user=kai_user,
                body=round_table,
                changes={
                    "title": f"{n}. Sitzung {day.year}",
                    "starts_at": _when(day, 16),
                    "ends_at": _when(day, 18),
                    "location": "Kreishaus, Sitzungssaal",
                    "agenda": "1. Begrüßung und Protokoll der letzten Sitzung\n2. Sachstand Integrationskonzept\n3. Berichte aus den Arbeitsgruppen\n4. Verschiedenes",
                },
            )
        )
    first, second, third = meetings
    net.attendance_set(
        acting_user=kai_user,
        meeting=first,
        statuses={c.pk: "present" for c in (kai, people["mso"], wohlfahrt)} | {people["beratung"].pk: "excused"},
    )
    net.minutes_save(
        acting_user=kai_user,
        meeting=first,
        text="TOP 2: Die Geschäftsstelle stellt den Sachstand vor. Die Gemeinden berichten über ihre Maßnahmen.\nTOP 3: Die AG Arbeit und Ausbildung schlägt Jobcafés vor.",
    )
    g1 = people.get("gemeinde1", kai)
    net.decision_add(
        acting_user=kai_user,
        meeting=first,
        kind="agreement",
        text="Die Gemeinden benennen je eine Ansprechperson für Integration.",
        action_title="Ansprechperson benennen und melden",
        action_owner=g1,
        action_due=today - timedelta(days=120),
    )
    net.decision_add(
        acting_user=kai_user,
        meeting=first,
        kind="decision",
        text="Der Runde Tisch empfiehlt Jobcafés in allen Städten.",
        action_title="Standorte für Jobcafés vorschlagen",
        action_owner=people["jobcenter"],
        action_due=today - timedelta(days=150),
    )
    net.minutes_save(
        acting_user=kai_user,
        meeting=second,
        text="TOP 1: Das Protokoll der 1. Sitzung wird genehmigt.\nTOP 2: Sachstand und Entwurf der Fortschreibung.",
    )
    net.minutes_approve(acting_user=kai_user, meeting=first, at_meeting=second)
    net.decision_add(
        acting_user=kai_user,
        meeting=second,
        kind="agreement",
        text="Die Fortschreibung des Konzepts wird in den Gremien beraten.",
        action_title="Mehrsprachige Informationsreihe planen",
        action_owner=g1,
        action_due=today + timedelta(days=30),
    )
    done_item = first.decisions.last().action_items.get()  # type: ignore[union-attr]
    net.action_status(acting_user=kai_user, item=done_item, status="done", today=today - timedelta(days=160))
    net.meeting_save(
        acting_user=kai_user,
        body=round_table,
        changes={"agenda": third.agenda + "\n5. Genehmigung des Protokolls der 2. Sitzung"},
        meeting=third,
    )
    net.meeting_save(
        acting_user=kai_user,
        body=steering,
        changes={
            "title": "Steuerungsgruppe Frühjahr",
            "starts_at": _when(today - timedelta(days=60), 10),
            "ends_at": _when(today - timedelta(days=60), 12),
            "location": "Kreishaus, Raum 1.12",
            "agenda": "1. Zielerreichung laut Monitoring\n2. Fortschreibung",
        },
    )

    # Organigram.
    top = net.responsibility_save(
        acting_user=kai_user,
        changes={
            "owner": office,
            "role_title": "Integrationsbeauftragter des Landkreises",
            "contact": kai,
            "is_public": True,
            "tasks": "Gesamtkoordination, Geschäftsstelle von Steuerungsgruppe und Rundem Tisch",
        },
    )
    net.responsibility_save(
        acting_user=kai_user,
        changes={
            "owner": office,
            "parent": top,
            "role_title": "Kommunale Integrationskoordination",
            "contact": deputy_kai,
            "is_public": True,
            "tasks": "Integrationsmonitoring, Sachstandsberichte",
            "position": 1,
        },
    )
    net.responsibility_save(
        acting_user=kai_user,
        changes={
            "owner": orgs["abh"],
            "parent": top,
            "role_title": "Ausländerbehörde: Einbürgerung",
            "contact": people["abh"],
            "is_public": True,
            "position": 2,
        },
    )
    for i, gemeinde in enumerate(gemeinden[:3], start=1):
        key = f"gemeinde{i}"
        if key in orgs:
            net.responsibility_save(
                acting_user=kai_user,
                changes={
                    "owner": orgs[key],
                    "parent": top,
                    "gemeinde": gemeinde,
                    "position": 10 + i,
                    "role_title": f"Ansprechperson Integration {gemeinde.short_name}",
                    "contact": people[key],
                    "is_public": True,
                },
            )

    # Adoption, status report, next version open for comments.
    services.version_adopt(
        acting_user=kai_user,
        version=version,
        body="Kreistag",
        decision_date=date(2024, 3, 14),
        drucksache="DS 0123/2024",
    )
    status_report = report.report_build(
        acting_user=kai_user,
        version=version,
        title=f"Sachstandsbericht Integrationskonzept {today.year}",
        period_start=today - timedelta(days=365),
        period_end=today,
    )
    report.report_publish(acting_user=kai_user, report=status_report)
    draft = services.version_copy(
        acting_user=kai_user, version=version, title="Integrationskonzept 2024–2030, Fortschreibung"
    )
    services.version_update(acting_user=kai_user, version=draft, changes={"comments_open": True})
    first_goal = draft.fields.order_by("position").first().goals.first()  # type: ignore[union-attr]
    if first_goal is not None and users.get("verein"):
        comment = services.comment_create(
            acting_user=users["verein"],
            version=draft,
            body=round_table,
            goal=first_goal,
            text="Bitte die Migrantenorganisationen als Partner ausdrücklich nennen.",
        )
        services.comment_answer(
            acting_user=kai_user, comment=comment, answer="Danke, wir ergänzen die Partner in den Maßnahmen."
        )
    district.notes.append(
        f"Integrationskonzept: {len(fields)} Handlungsfelder, {version.fields.filter(goals__isnull=False).values('goals').count()} Ziele, "
        f"{measure_count} Maßnahmen, beschlossen (DS 0123/2024), Fortschreibung im Entwurf; Sachstandsbericht "
        f"{len(bytes(status_report.pdf or b'')) // 1024} KiB PDF ({status_report.pdf_standard}); /konzept/ und /staff/konzept/."
    )
