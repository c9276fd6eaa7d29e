"""The public HTML edition in Chromium: axe-core finds no violations."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from teilhabe.reports import services

# WCAG 2.1 A/AA rules, as in the other browser tests (the best-practice "region" rule flags the site's
# shared header strip, which is not part of this app).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_html_edition_is_axe_clean(edition: Any, live_server: Any, page: Any) -> None:
    build = services.run_build(services.build_request(acting_user=None, edition=edition, enqueue=False).pk)
    services.edition_publish(acting_user=None, edition=edition, build=build)
    axe = Axe()
    base = f"/berichte/{edition.slug}/"
    for path in (base, base + "kapitel/a/", base + "kapitel/e/", base + "methoden/"):
        page.goto(live_server.url + path)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, (path, results.generate_report())
