"""Convert KERN's Fira Sans WOFF2 files to TTF for the Typst report (Typst cannot read WOFF2).

Usage: python scripts/build_report_fonts.py [path to node_modules]
Writes teilhabe/reports/fonts/FiraSans-*.ttf; the SIL OFL 1.1 text lives next to them (OFL.txt).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "teilhabe" / "reports" / "fonts"
# The weights the report uses: body, italic, headings and table headers.
STYLES = ("Regular", "Italic", "SemiBold", "SemiBoldItalic", "Bold", "BoldItalic")


def main() -> int:
    modules = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "node_modules"
    source = modules / "@kern-ux" / "native" / "dist" / "fonts" / "fira-sans"
    if not source.is_dir():
        print(f"Fira Sans WOFF2 nicht gefunden: {source} (npm ci ausführen)", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for style in STYLES:
        font = TTFont(source / f"FiraSans-{style}.woff2")
        font.flavor = None  # plain sfnt: readable by Typst and vl-convert
        out = TARGET / f"FiraSans-{style}.ttf"
        font.save(out)
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
