"""Fixtures shared with the indicator tests (published monitoring values)."""

from teilhabe.indicators.tests.conftest import catalogue, data  # noqa: F401 - fixtures used by the Gemeinde page tests
