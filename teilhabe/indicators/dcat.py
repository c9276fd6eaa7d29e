"""DCAT-AP.de 3.0 catalogue of the published indicators and tables, for GovData and Land portals to harvest.

Written with rdflib: one ``dcat:Catalog`` (the Kreis' monitoring), one ``dcat:Dataset`` per published
indicator plus one for the overview table; each dataset has distributions for CSV, XLSX and the JSON API
(licence Datenlizenz Deutschland – Namensnennung 2.0). Controlled vocabularies as DCAT-AP.de requires:
EU language, data-theme, frequency and file-type authority tables, dcat-ap.de licences and political
geocoding (Kreis key). Served as Turtle at ``/api/v1/dcat.ttl`` and as JSON-LD at ``/api/v1/dcat.jsonld``.
Validated in the tests with pySHACL against GovData's shapes in ``shared/data/standards/dcat-ap-de-shacl``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from teilhabe.indicators.models import Indicator, IndicatorValue
from teilhabe.regions.models import Kreis

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
THEME = URIRef(EU + "data-theme/SOCI")
ANNUAL = URIRef(EU + "frequency/ANNUAL")
GERMAN = URIRef(EU + "language/DEU")
FORMATS = {
    "csv": (URIRef(EU + "file-type/CSV"), "text/csv", "CSV (Semikolon, Dezimalkomma)"),
    "xlsx": (
        URIRef(EU + "file-type/XLSX"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel-Arbeitsmappe",
    ),
    "json": (URIRef(EU + "file-type/JSON"), "application/json", "JSON-API"),
}


def _base() -> str:
    return settings.SITE_URL.rstrip("/")


def catalogue_graph() -> Graph:
    base = _base()
    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).first()
    kreis_name = kreis.name if kreis else settings.TEILHABE_KREIS
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("dcatde", DCATDE)
    catalog = URIRef(base + "/api/v1/dcat.ttl#katalog")
    publisher = URIRef(base + "/#herausgeber")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(kreis_name, lang="de")))
    g.add((publisher, FOAF.homepage, URIRef(base + "/")))
    spatial = URIRef(f"http://dcat-ap.de/def/politicalGeocoding/districtKey/{settings.TEILHABE_KREIS}")
    level = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/administrativeDistrict")
    modified = IndicatorValue.objects.aggregate(m=Max("computed_at"))["m"]

    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal(f"Integrationsmonitoring {kreis_name}", lang="de")))
    g.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "Veröffentlichte Indikatoren des kommunalen Integrationsmonitorings; Werte nach "
                "statistischer Geheimhaltung (kleine Fallzahlen gesperrt).",
                lang="de",
            ),
        )
    )
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, FOAF.homepage, URIRef(base + reverse("indicators:index"))))
    g.add((catalog, DCTERMS.language, GERMAN))
    g.add((catalog, DCTERMS.license, LICENCE))
    g.add((catalog, DCTERMS.spatial, spatial))
    if modified:
        g.add((catalog, DCTERMS.modified, Literal(modified.date().isoformat(), datatype=XSD.date)))

    def dataset(identifier: str, title: str, description: str, landing: str, downloads: dict[str, str]) -> None:
        node = URIRef(base + f"/api/v1/dcat.ttl#{identifier}")
        g.add((catalog, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.identifier, Literal(identifier)))
        g.add((node, DCTERMS.title, Literal(title, lang="de")))
        g.add((node, DCTERMS.description, Literal(description or title, lang="de")))
        g.add((node, DCTERMS.publisher, publisher))
        g.add((node, DCAT.theme, THEME))
        g.add((node, DCTERMS.language, GERMAN))
        g.add((node, DCTERMS.accrualPeriodicity, ANNUAL))
        g.add((node, DCTERMS.spatial, spatial))
        g.add((node, DCATDE.politicalGeocodingLevelURI, level))
        g.add((node, DCATDE.politicalGeocodingURI, spatial))
        g.add((node, DCAT.landingPage, URIRef(landing)))
        g.add((node, DCAT.keyword, Literal("Integration", lang="de")))
        g.add((node, DCAT.keyword, Literal("Integrationsmonitoring", lang="de")))
        for fmt, url in downloads.items():
            file_type, media_type, label = FORMATS[fmt]
            distribution = BNode(f"{identifier}-{fmt}")
            g.add((node, DCAT.distribution, distribution))
            g.add((distribution, RDF.type, DCAT.Distribution))
            g.add((distribution, DCTERMS.title, Literal(f"{title} – {label}", lang="de")))
            g.add((distribution, DCAT.accessURL, URIRef(url)))
            g.add((distribution, DCAT.downloadURL, URIRef(url)))
            g.add((distribution, DCTERMS.format, file_type))
            g.add((distribution, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")))
            g.add((distribution, DCTERMS.license, LICENCE))
            g.add((distribution, DCATDE.licenseAttributionByText, Literal(kreis_name)))

    index = base + reverse("indicators:index")
    dataset(
        "uebersicht",
        f"Indikatorenübersicht {kreis_name}",
        "Alle veröffentlichten Indikatoren mit dem jüngsten Kreiswert.",
        index,
        {"csv": index + "?format=csv", "xlsx": index + "?format=xlsx", "json": base + reverse("api:indicators")},
    )
    for indicator in Indicator.objects.published().order_by("code"):
        page = base + reverse("indicators:indicator", args=[indicator.code])
        dataset(
            indicator.code,
            indicator.name_de,
            indicator.definition,
            page,
            {
                "csv": page + "?format=csv",
                "xlsx": page + "?format=xlsx",
                "json": base + reverse("api:indicator_values", args=[indicator.code]),
            },
        )
    return g


def dcat_turtle(request: HttpRequest) -> HttpResponse:
    return HttpResponse(catalogue_graph().serialize(format="turtle"), content_type="text/turtle; charset=utf-8")


def dcat_jsonld(request: HttpRequest) -> HttpResponse:
    body: Any = catalogue_graph().serialize(format="json-ld", indent=2)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")
