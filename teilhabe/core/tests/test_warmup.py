"""A web worker loads at start what its first pages would otherwise load while requests wait (issue 17)."""

from __future__ import annotations

from teilhabe.core.warmup import warm_up


def test_warm_up_loads_the_indicator_catalogue_and_its_translations() -> None:
    from teilhabe.indicators.catalogue import load_catalogue
    from teilhabe.indicators.i18n import _data
    from teilhabe.population.codes import states

    for cached in (load_catalogue, _data, states):
        cached.cache_clear()
    warm_up()
    # The first indicator page of a fresh worker took 1 s for these (YAML parsing) while requests queued.
    assert load_catalogue.cache_info().currsize == 1
    assert _data.cache_info().currsize == 1
    assert states.cache_info().currsize == 1
