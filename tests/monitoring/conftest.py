"""Fixtures of the monitoring tests: Debian's ``prometheus`` and ``promtool``
(found by :func:`tests.monitoring.programs.program`), and copies of the rules."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.monitoring.programs import PROMETHEUS_DIR, program


@pytest.fixture
def promtool() -> str:
    """The path of ``promtool``."""
    return program("promtool")


@pytest.fixture
def prometheus() -> str:
    """The path of the ``prometheus`` server."""
    return program("prometheus")


@pytest.fixture
def prometheus_dir() -> Path:
    """``deploy/prometheus/``: the configuration, the alert rules and their tests."""
    return PROMETHEUS_DIR


@pytest.fixture
def copy_of_rules(tmp_path: Path) -> Callable[[str, str], Path]:
    """``copy_of_rules(old, new)``: a copy of deploy/prometheus with ``old`` replaced
    by ``new`` in alerts.yml (exactly once); returns the copy's alerts_test.yml."""

    def copy(old: str, new: str) -> Path:
        folder = Path(shutil.copytree(PROMETHEUS_DIR, tmp_path / "prometheus"))
        rules = folder / "alerts.yml"
        text = rules.read_text()
        assert text.count(old) == 1, f"{old!r} is not in alerts.yml exactly once"
        rules.write_text(text.replace(old, new))
        return folder / "tests" / "alerts_test.yml"

    return copy
