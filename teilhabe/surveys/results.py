"""Results of a survey: dashboard counts, frequency tables and cross-tabs with disclosure control.

Every published count passes ``teilhabe.lib.disclosure`` with the survey's k (≥ 10): primary suppression of
1 … k-1 respondents and secondary suppression along every line of a table with its margins. Weighted shares
are shown only where the unweighted count is published. Open-text answers never appear here (see
``staff_views.open_text``, permission ``surveys.open_text``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Sum
from django.utils.safestring import SafeString

from teilhabe.lib.disclosure import SUPPRESSED_MARK, Cell, protect_table
from teilhabe.surveys import formspec, weighting
from teilhabe.surveys.models import FormOpening, Response, Survey


@dataclass
class Dashboard:
    total: int
    complete: int
    openings: int
    per_day: list[tuple[date, int]]
    per_language: list[tuple[str, int, int]]  # code, responses, openings
    interviews: int

    @property
    def web(self) -> int:
        return self.total - self.interviews

    @property
    def completion_rate(self) -> float | None:
        """Online responses per opening of the form (each view of the form page counts as an opening);
        ``None`` while openings were not counted for all responses (e.g. imported responses)."""
        if not self.openings or self.openings < self.web:
            return None
        return self.web / self.openings


def dashboard(survey: Survey) -> Dashboard:
    responses = Response.objects.filter(survey=survey)
    per_day = list(responses.values_list("submitted_on").annotate(n=Count("id")).order_by("submitted_on"))
    by_language = dict(responses.values_list("language").annotate(n=Count("id")))
    openings = dict(FormOpening.objects.filter(survey=survey).values_list("language").annotate(n=Sum("count")))
    languages = sorted(set(by_language) | set(openings))
    return Dashboard(
        total=responses.count(),
        complete=responses.filter(complete=True).count(),
        openings=sum(openings.values()),
        per_day=[(day, n) for day, n in per_day],
        per_language=[(code, by_language.get(code, 0), openings.get(code, 0)) for code in languages],
        interviews=responses.filter(mode=Response.Mode.INTERVIEW).count(),
    )


@dataclass
class Row:
    code: str
    label: str
    cell: Cell
    weighted_share: float | None  # 0 … 1 among respondents who answered, only if the count is published

    @property
    def shown(self) -> str:
        return SUPPRESSED_MARK if self.cell.suppressed else str(self.cell.value)


@dataclass
class Frequency:
    key: str
    label: str
    multiple: bool
    rows: list[Row]
    total: Cell
    answered: int


def _answers(survey: Survey) -> list[tuple[dict[str, Any], float]]:
    return [
        (a, w if w is not None else 1.0)
        for a, w in Response.objects.filter(survey=survey).values_list("answers", "weight")
    ]


def select_questions(spec: formspec.Spec) -> list[formspec.Question]:
    return [q for q in spec.questions() if q.is_select]


def frequencies(survey: Survey, spec: formspec.Spec, language: str, k: int) -> list[Frequency]:
    data = _answers(survey)
    result = []
    for question in select_questions(spec):
        codes = [str(c["name"]) for c in question.choices]
        counts: Counter[str] = Counter()
        weights: defaultdict[str, float] = defaultdict(float)
        answered, weight_total = 0, 0.0
        for answers, weight in data:
            value = answers.get(question.key)
            if value in (None, "", []):
                continue
            answered += 1
            weight_total += weight
            for code in value if isinstance(value, list) else [value]:
                counts[code] += 1
                weights[code] += weight
        if question.multiple:
            # Each choice is its own yes/no line: protect "yes" and "no" with the number answering.
            rows = []
            for c in question.choices:
                code = str(c["name"])
                line = protect_table([[counts[code], answered - counts[code]]], k)
                rows.append(Row(code, formspec.text(c.get("label"), language) or code, line[0][0],
                                None if line[0][0].suppressed or not weight_total else weights[code] / weight_total))  # fmt: skip
            total = protect_table([[answered]], k)[0][0]
        else:
            table = protect_table([[counts[code] for code in codes]], k)
            rows = [
                Row(
                    code,
                    formspec.text(c.get("label"), language) or code,
                    table[0][i],
                    None if table[0][i].suppressed or not weight_total else weights[code] / weight_total,
                )
                for i, (code, c) in enumerate(zip(codes, question.choices, strict=True))
            ]
            total = table[0][-1]
        result.append(Frequency(question.key, formspec.text(question.label, language) or question.key,
                                question.multiple, rows, total, answered))  # fmt: skip
    return result


@dataclass
class CrossTab:
    row_labels: list[str]
    column_labels: list[str]
    grid: list[list[Cell]]  # with margins: last column and last row are totals
    weighted: list[list[float | None]]  # row percentages (weighted), None where suppressed

    @property
    def rows(self) -> list[tuple[str, list[tuple[Cell, float | None]]]]:
        labels = [*self.row_labels, "Insgesamt"]
        out = []
        for i, line in enumerate(self.grid):
            shares = self.weighted[i] if i < len(self.weighted) else []
            out.append((labels[i], [(cell, shares[j] if j < len(shares) else None) for j, cell in enumerate(line)]))
        return out


def crosstab(survey: Survey, spec: formspec.Spec, row_key: str, column_key: str, language: str, k: int) -> CrossTab:
    questions = spec.by_key()
    row_q, col_q = questions[row_key], questions[column_key]
    if row_q.multiple or col_q.multiple or not row_q.is_select or not col_q.is_select:
        raise ValueError("Kreuztabellen nur für Einfachauswahl-Fragen.")
    row_codes = [str(c["name"]) for c in row_q.choices]
    col_codes = [str(c["name"]) for c in col_q.choices]
    counts = [[0] * len(col_codes) for _ in row_codes]
    weights = [[0.0] * len(col_codes) for _ in row_codes]
    for answers, weight in _answers(survey):
        r, c = answers.get(row_key), answers.get(column_key)
        if r in row_codes and c in col_codes:
            counts[row_codes.index(r)][col_codes.index(c)] += 1
            weights[row_codes.index(r)][col_codes.index(c)] += weight
    grid = protect_table(counts, k)
    shares: list[list[float | None]] = []
    for i, line in enumerate(weights):
        total = sum(line)
        shares.append([None if grid[i][j].suppressed or not total else v / total for j, v in enumerate(line)])
    return CrossTab(
        [formspec.text(c.get("label"), language) or str(c["name"]) for c in row_q.choices],
        [formspec.text(c.get("label"), language) or str(c["name"]) for c in col_q.choices],
        grid,
        shares,
    )


def frequency_chart(freq: Frequency, unit: str = "Anteil in %") -> SafeString:
    """Horizontal bars of the published weighted shares (suppressed rows are left out and say so)."""
    from teilhabe.indicators.charts import PALETTE, _base, _render

    values = [
        {"Antwort": r.label, "Wert": round(100 * r.weighted_share, 1)}
        for r in freq.rows
        if r.weighted_share is not None
    ]
    if not values:
        return SafeString("")
    spec = _base(freq.label, width=420, height=max(60, 24 * len(values)))
    spec.update(
        {
            "data": {"values": values},
            "mark": {"type": "bar", "color": PALETTE[0]},
            "encoding": {
                "y": {"field": "Antwort", "type": "nominal", "sort": None, "title": None},
                "x": {"field": "Wert", "type": "quantitative", "title": unit, "axis": {"format": ",.0f"}},
            },
        }
    )
    return _render(spec, freq.label)


def daily_chart(per_day: Sequence[tuple[date, int]]) -> SafeString:
    from teilhabe.indicators.charts import PALETTE, _base, _render

    if not per_day:
        return SafeString("")
    spec = _base("Antworten je Tag", width=520, height=180)
    spec.update(
        {
            "data": {"values": [{"Tag": d.isoformat(), "Antworten": n} for d, n in per_day]},
            "mark": {"type": "bar", "color": PALETTE[2]},
            "encoding": {
                "x": {"field": "Tag", "type": "temporal", "title": None, "axis": {"format": "%d.%m."}},
                "y": {"field": "Antworten", "type": "quantitative", "title": "Antworten"},
            },
        }
    )
    return _render(spec, "Antworten je Tag")


def weighted_share(
    survey: Survey, key: str, values: Sequence[str], *, filter_key: str = "", filter_values: Sequence[str] = ()
) -> weighting.Share:
    """Weighted share of respondents whose answer to ``key`` is one of ``values`` (among those answering)."""
    flags, weights = [], []
    for answers, weight in _answers(survey):
        if filter_key and answers.get(filter_key) not in filter_values:
            continue
        value = answers.get(key)
        if value in (None, "", []):
            continue
        chosen = value if isinstance(value, list) else [value]
        flags.append(any(v in values for v in chosen))
        weights.append(weight)
    return weighting.share(flags, weights)


@dataclass
class GroupValue:
    """One monitoring input (e.g. BEF-01's ``umf_zugehoerigkeit_top2``) for one Gemeinde group."""

    key: str
    share: weighting.Share | None  # None where suppressed
    suppressed: bool

    @property
    def percent(self) -> tuple[float, float, float] | None:
        """(share, low, high) in percent, or None where suppressed."""
        if self.share is None:
            return None
        return 100 * self.share.value, 100 * self.share.low, 100 * self.share.high


@dataclass
class GroupRow:
    code: str
    label: str
    respondents: Cell
    values: list[GroupValue]


def group_values(survey: Survey, k: int) -> list[GroupRow]:
    """BEF inputs per Gemeinde group: weighted share with 95 % interval per group and monitoring input.

    The group of a respondent is the answer to the question mapped to ``gemeindegruppe`` in
    ``survey.weighting``. Disclosure (k ≥ 10, as for published tables): the respondents per group pass
    ``protect_table`` as one line with its total, and per input the groups × (counted, not counted) table of
    unweighted respondents passes ``protect_table`` with margins; a share is shown only if its group's count
    and both of its cells are published (a share with n would otherwise give a suppressed cell back).
    Returns [] without groups or without a mapped question."""
    question = survey.weighting.get("gemeindegruppe")
    groups = survey.gemeinde_groups
    if not question or not groups:
        return []
    codes = list(groups)
    data = [(a, w) for a, w in _answers(survey) if a.get(question) in groups]
    counts = [sum(1 for a, _w in data if a.get(question) == code) for code in codes]
    respondents = protect_table([counts], k)[0]
    per_key: dict[str, list[GroupValue]] = {code: [] for code in codes}
    for key, spec in survey.indicator_inputs.items():
        wanted = {str(v) for v in spec.get("values", [])}
        flags: dict[str, list[tuple[bool, float]]] = {code: [] for code in codes}
        for answers, weight in data:
            value = answers.get(spec["question"])
            if value in (None, "", []):
                continue
            chosen = value if isinstance(value, list) else [value]
            flags[answers[question]].append((any(str(v) in wanted for v in chosen), weight))
        grid = protect_table([[sum(f for f, _w in flags[c]), sum(not f for f, _w in flags[c])] for c in codes], k)
        for i, code in enumerate(codes):
            hidden = respondents[i].suppressed or grid[i][0].suppressed or grid[i][1].suppressed or not flags[code]
            share = None if hidden else weighting.share([f for f, _w in flags[code]], [w for _f, w in flags[code]])
            per_key[code].append(GroupValue(key, share, hidden))
    return [
        GroupRow(code, str(groups[code].get("label", code)), respondents[i], per_key[code])
        for i, code in enumerate(codes)
    ]
