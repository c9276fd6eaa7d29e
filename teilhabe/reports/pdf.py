"""Render a report to PDF with Typst: data.json + SVG charts in a temporary directory, fonts from the project.

Typst sees only the bundled Fira Sans (``ignore_system_fonts``), so the PDF looks the same on every
machine. The PDF is tagged; PDF/UA-1 is requested and every image carries alt text.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.reports.content import FONT_DIR, ReportContent, geometries_for, section_charts

TEMPLATE = Path(__file__).resolve().parent / "typst" / "report.typ"
PDF_STANDARD = "ua-1"

Progress = Callable[[int, str], None]


def _noop(_percent: int, _step: str) -> None:
    return None


def typst_data(content: ReportContent, chart_files: dict[str, tuple[str, str]], edition_label: str) -> dict[str, Any]:
    def section(s: Any) -> dict[str, Any]:
        series, map_file = chart_files.get(s.code, ("", ""))
        return {
            "code": s.code,
            "name": s.name,
            "figure": s.figure_name,
            "unit": s.unit,
            "definition": s.definition,
            "migration": s.migration_definition,
            "sources": ", ".join(s.sources),
            "synthetic": s.has_synthetic,
            "series": series,
            "map": map_file,
            "series_alt": s.series_alt,
            "map_alt": s.map_alt,
            "latest_year": str(s.latest_year or ""),
            "header": ["Gemeinde", *[str(y) for y in s.years]],
            "rows": [[name, *[c.text for c in cells]] for _a, name, cells in s.rows]
            + [[f"{content.kreis_name} (Kreis)", *[c.text for c in s.kreis]]],
            "notes": s.notes,
        }

    return {
        "title": content.title,
        "subtitle": content.subtitle,
        "author": content.kreis_name,
        "kreis": content.kreis_name,
        "stichtag": content.stichtag,
        "years": "–".join(str(y) for y in (content.years[:1] + content.years[-1:])) if content.years else "–",
        "edition": edition_label,
        "snapshot_taken_at": content.snapshot_taken_at,
        "synthetic": content.has_synthetic,
        "mark": SUPPRESSED_MARK,
        "previous": content.previous_title,
        "foreword": content.foreword,
        "summary": content.summary,
        "key_figures": [
            {
                "code": k.code,
                "name": k.name,
                "unit": k.unit,
                "year": k.year,
                "text": k.text,
                "previous": f"{k.previous_text} ({k.previous_year})" if k.previous_year else "–",
                "arrow": k.arrow,
                "delta": k.delta_text,
            }
            for k in content.key_figures
        ],
        "chapters": [
            {"title": c.title, "commentary": c.commentary, "sections": [section(s) for s in c.sections]}
            for c in content.chapters
        ],
        "methods": {
            **content.methods,
            "migration_definitions": [name for _code, name in content.methods["migration_definitions"]],
            "data_sources": [f"{code}: {name}" for code, name in content.methods["data_sources"]],
        },
    }


def render_pdf(
    content: ReportContent, snapshot: dict[str, Any], *, edition_label: str, progress: Progress = _noop
) -> tuple[bytes, str]:
    """Return (PDF bytes, standard used: "ua-1" or "tagged"). The PDF is German whoever requests it."""
    from django.utils import translation

    with translation.override("de"):
        return _render_pdf(content, snapshot, edition_label=edition_label, progress=progress)


def _render_pdf(
    content: ReportContent, snapshot: dict[str, Any], *, edition_label: str, progress: Progress
) -> tuple[bytes, str]:
    import typst

    sections = [s for c in content.chapters for s in c.sections]
    geometries = geometries_for(snapshot)
    workdir = Path(tempfile.mkdtemp(prefix="teilhabe-report-"))
    try:
        (workdir / "charts").mkdir()
        files: dict[str, tuple[str, str]] = {}
        for index, s in enumerate(sections, start=1):
            series_svg, map_svg = section_charts(s, content.kreis_name, geometries)
            names = ["", ""]
            for pos, (suffix, svg) in enumerate((("verlauf", series_svg), ("karte", map_svg))):
                if svg:
                    # The dashboard markup adds a second class attribute to the root; SVG parsers reject that.
                    svg = svg.replace(' class="chart-svg"', "", 1)
                    names[pos] = f"charts/{s.slug}-{suffix}.svg"
                    (workdir / names[pos]).write_text(svg, encoding="utf-8")
            files[s.code] = (names[0], names[1])
            progress(10 + int(70 * index / max(1, len(sections))), f"Diagramme {index}/{len(sections)}")
        data = typst_data(content, files, edition_label)
        (workdir / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        shutil.copy(TEMPLATE, workdir / "report.typ")
        progress(85, "PDF setzen (Typst)")
        options: dict[str, Any] = {
            "root": str(workdir),
            "font_paths": [str(FONT_DIR)],
            "ignore_system_fonts": True,
        }
        try:
            pdf = typst.compile(str(workdir / "report.typ"), pdf_standards=["ua-1"], **options)
            standard = PDF_STANDARD
        except RuntimeError:
            # PDF/UA-1 has stricter rules than Typst's tagging guarantees; a tagged PDF is the fallback.
            pdf = typst.compile(str(workdir / "report.typ"), **options)
            standard = "tagged"
        return bytes(pdf or b""), standard
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
