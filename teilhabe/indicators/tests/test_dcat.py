"""DCAT-AP.de catalogue of the published indicators, validated with rdflib + pySHACL against GovData's
DCAT-AP.de 3.0 shapes (read from shared/data/standards; mandatory under CI=true)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from teilhabe.indicators.models import Indicator
from teilhabe.lib.tests.standards import standard

pytestmark = pytest.mark.django_db
SHAPES = ("dcat-ap-spec-german-additions.ttl", "dcat-ap-de-controlledvocabularies.ttl", "dcat-ap-SHACL-DE.ttl")


def _shapes() -> Graph:
    graph = Graph()
    for name in SHAPES:
        graph.parse(standard("dcat-ap-de-shacl", "v3.0", name), format="turtle")
    return graph


def test_dcat_catalogue_is_valid_dcat_ap_de(catalogue: None, client: Client) -> None:
    from pyshacl import validate

    shapes = _shapes()
    Indicator.objects.filter(code__in=["DEM-01", "DEM-02"]).update(is_published=True)
    response = client.get("/api/v1/dcat.ttl")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/turtle")
    data = Graph().parse(data=response.content, format="turtle")
    datasets = set(data.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 3  # overview + two published indicators; unpublished ones are not listed
    assert all(data.value(d, DCTERMS.title) and data.value(d, DCAT.distribution) for d in datasets)
    vocabulary = Graph().parse(Path(__file__).with_name("dcat_vocabulary.ttl"), format="turtle")
    # The vocabulary extract is loaded next to the data, as GovData's validator loads the vocabularies.
    conforms, _results, text = validate(data + vocabulary, shacl_graph=shapes, inference="none")
    assert conforms, text
    # A broken catalogue is caught: the same validation on a dataset without publisher fails.
    dataset = next(iter(datasets))
    data.remove((dataset, DCTERMS.publisher, None))
    assert not validate(data + vocabulary, shacl_graph=shapes, inference="none")[0]


def test_dcat_jsonld_has_the_same_triples(catalogue: None, client: Client) -> None:
    Indicator.objects.filter(code="DEM-01").update(is_published=True)
    turtle = Graph().parse(data=client.get("/api/v1/dcat.ttl").content, format="turtle")
    jsonld: Any = Graph().parse(data=client.get("/api/v1/dcat.jsonld").content, format="json-ld")
    assert len(turtle) == len(jsonld) > 0
