"""Parts of the page shell rendered once per language (decision 0176): the same HTML as rendering every time,
per language, never around per-request values; and the site header's Kreis read by a fixed statement."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory, override_settings
from django.utils import translation

from teilhabe.core.context_processors import site_kreis
from teilhabe.regions.models import Kreis

SOURCE = "{% load i18n teilhabe %}{% once_per_language %}<a href=\"{% url 'core:sources' %}\">{% translate 'Impressum' %}</a>{% endonce_per_language %}"
PLAIN = "{% load i18n %}<a href=\"{% url 'core:sources' %}\">{% translate 'Impressum' %}</a>"


def test_each_language_gets_its_own_rendering() -> None:
    template = Template(SOURCE)
    for language in ("de", "en", "de", "ar"):
        with translation.override(language):
            assert template.render(Context()) == Template(PLAIN).render(Context())
    with translation.override("en"):
        assert "/en/" in template.render(Context()) and "Legal notice" in template.render(Context())


@pytest.mark.parametrize("inside", ["{{ user }}", "{% block x %}{% endblock %}"])
def test_per_request_values_are_refused(inside: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% load teilhabe %}{% once_per_language %}" + inside + "{% endonce_per_language %}")


def test_a_changed_setting_renders_again() -> None:
    template = Template(
        "{% load static teilhabe %}{% once_per_language %}{% static 'x.css' %}{% endonce_per_language %}"
    )
    first = template.render(Context())
    with override_settings(STATIC_URL="/anders/"):
        assert template.render(Context()) != first


@pytest.mark.django_db
def test_the_header_kreis_is_read_once_per_request(regions: Any, django_assert_num_queries: Any) -> None:
    from django.conf import settings

    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        kreis = site_kreis(request)
        assert site_kreis(request) is kreis
    expected = Kreis.objects.get(ags=settings.TEILHABE_KREIS)
    assert (kreis.ags, kreis.name, kreis.kreis_typ) == (expected.ags, expected.name, expected.kreis_typ)
    Kreis.objects.filter(ags=settings.TEILHABE_KREIS).update(name="Neuer Name")
    assert site_kreis(RequestFactory().get("/")).name == "Neuer Name"
