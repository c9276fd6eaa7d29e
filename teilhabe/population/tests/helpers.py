"""Small extracts for tests: a few valid persons of Uckermark Gemeinden (AGS from the bundled data)."""

from __future__ import annotations

HEADER = (
    "ordnungsmerkmal;ags;planungsraum;wohnungsstatus;geburtsdatum;geschlecht;staatsangehoerigkeit_1;"
    "staatsangehoerigkeit_2;staatsangehoerigkeit_3;art_deutsche_staatsangehoerigkeit;geburtsstaat;"
    "zuzug_datum;zuzug_herkunft_staat;familienstand;religion;elternteil_1;elternteil_2"
)
AGS = "12073008"  # Angermünde, Stadt
OTHER_AGS = "12073572"  # Templin, Stadt


def row(key: str, **values: str) -> str:
    base = {
        "ordnungsmerkmal": key,
        "ags": AGS,
        "planungsraum": "",
        "wohnungsstatus": "A",
        "geburtsdatum": "1980-01-01",
        "geschlecht": "w",
        "staatsangehoerigkeit_1": "000",
        "staatsangehoerigkeit_2": "",
        "staatsangehoerigkeit_3": "",
        "art_deutsche_staatsangehoerigkeit": "G",
        "geburtsstaat": "000",
        "zuzug_datum": "",
        "zuzug_herkunft_staat": "",
        "familienstand": "VH",
        "religion": "ev",
        "elternteil_1": "",
        "elternteil_2": "",
    }
    base.update(values)
    return ";".join(base[name] for name in HEADER.split(";"))


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def valid_rows(n: int = 12, prefix: str = "P") -> list[str]:
    rows = []
    for i in range(n):
        foreign = i % 3 == 0
        rows.append(
            row(
                f"{prefix}{i:03d}",
                ags=AGS if i % 2 else OTHER_AGS,
                geschlecht="m" if i % 2 else "w",
                staatsangehoerigkeit_1="475" if foreign else "000",
                art_deutsche_staatsangehoerigkeit="" if foreign else "G",
                geburtsstaat="475" if foreign else "000",
                zuzug_datum="2016-05-01" if foreign else "",
                zuzug_herkunft_staat="475" if foreign else "",
            )
        )
    rows.append(
        row(
            f"{prefix}K1",
            geburtsdatum="2018-03-03",
            elternteil_1=f"{prefix}000",
            ags=OTHER_AGS,
            familienstand="LD",
        )
    )
    return rows
