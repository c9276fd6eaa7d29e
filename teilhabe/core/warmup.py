"""Work a web worker does once at start instead of on its first requests (issue 17: first loads count).

Importing the URL configuration imports every app's views and what they import (pandas, pyarrow, …); the
translation catalogues of every language and the page templates are loaded and compiled. Without this the
first request of each worker waits for all of it (seconds, and much longer without bytecode caches) and
every request arriving meanwhile queues behind it. Called from ``teilhabe.wsgi`` (and so before gunicorn's
worker accepts connections).
"""

from __future__ import annotations

import logging

from django.conf import settings

log = logging.getLogger(__name__)

TEMPLATES = (
    "base.html",
    "staff/base.html",
    "indicators/index.html",
    "indicators/detail.html",
    "indicators/profile.html",
    "reports/index.html",
    "reports/stored.html",
    "population/tables.html",
)


def _data_files() -> None:
    """The YAML and CSV files pages read through a per-process cache: the indicator catalogue and its
    translations (1 s the first time an indicator's name is shown, measured on the public indicator page, so a
    fresh worker held every request behind it) and the state key list."""
    from teilhabe.indicators.catalogue import load_catalogue
    from teilhabe.indicators.i18n import _data
    from teilhabe.population.codes import states

    load_catalogue()
    _data()
    states()


def warm_up() -> None:
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - the import side effect is the point
    try:
        _data_files()
    except Exception:  # a broken file shows on its page, not at start
        log.exception("data files could not be loaded at start")
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Integrationsmonitoring")
    for name in TEMPLATES:
        try:
            get_template(name)
        except Exception:  # a missing template shows on its page, not at start
            log.exception("template %s could not be loaded at start", name)
