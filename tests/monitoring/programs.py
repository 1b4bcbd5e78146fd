"""What the monitoring tests share: Prometheus's files, programs and alert names.

The tests drive Debian's real programs (``apt-get install prometheus`` installs
``prometheus`` and ``promtool``). Without them a test skips with one line, except in
CI (``CI`` set), where a missing program is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
# The alerts deploy/prometheus/alerts.yml defines (deploy/monitoring.md explains each).
ALERTS = {
    "HousePricesHighErrorRatio",
    "HousePricesSlowRequests",
    "HousePricesFeatureDrift",
    "HousePricesTargetDown",
    "HousePricesRowsRefused",
}


def program(name: str) -> str:
    """The path of ``name`` (PATH, then /usr/bin); skips, or fails in CI, if absent."""
    found = shutil.which(name) or shutil.which(name, path="/usr/bin")
    if found is None:
        reason = f"no {name} (apt-get install prometheus)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to run this: {reason}")
        pytest.skip(reason)
    return found
