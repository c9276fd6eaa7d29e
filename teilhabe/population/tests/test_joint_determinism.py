"""The joint disclosure decision is the same in every process (issue 17): set order changes with
``PYTHONHASHSEED``, the decision must not. No database: runs in the SQLite pass only."""

from __future__ import annotations

import os
import subprocess
import sys

# Run in a fresh interpreter with a given hash seed: the decision's suppressed keys, in a seed-free order.
_DECIDE_IN_PROCESS = """
import django, hashlib
django.setup()
from teilhabe.indicators.register_source import input_attributes
from teilhabe.population import differencing
from teilhabe.population.synth import specs_from_files
from teilhabe.population.tests.test_joint import K, KREIS, synthetic_areas
gemeinden = tuple(sorted(s.ags for s in specs_from_files(KREIS))[:6])
decision = differencing.decide_verified(synthetic_areas(gemeinden), K, kreis=KREIS, extra_keys=input_attributes())
keys = sorted((area, sorted((name, sorted(values)) for name, values in attrs)) for area, attrs in decision.suppressed)
print(len(keys), hashlib.sha256(repr(keys).encode()).hexdigest())
"""


def test_the_same_counts_give_the_same_decision_in_every_process() -> None:
    # Found re-measuring: Karlsruhe's counts were published with 26,654–26,837 cells suppressed depending on
    # PYTHONHASHSEED (the set order of the relations); six Gemeinden of the demo district gave 2,052–2,250.
    # A re-publication of the same counts must suppress exactly the same cells.
    results = set()
    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "teilhabe.settings"}
        done = subprocess.run(
            [sys.executable, "-c", _DECIDE_IN_PROCESS], env=environment, capture_output=True, text=True, check=True
        )
        results.add(done.stdout.strip().splitlines()[-1])
    assert len(results) == 1, results
