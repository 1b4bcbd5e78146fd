"""Session fixtures: every stage is trained once and prices each input once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.parity import robustness, stages

# Every comparison the tests made, printed as a table at the end of the run.
COMPARISONS: list[tuple[str, stages.Comparison]] = []


@pytest.fixture(scope="session")
def parity_inputs(tmp_path_factory, real_data_dir) -> dict[str, Path]:
    """The CSV files every stage prices: test.csv, the holdout, the variants."""
    folder = tmp_path_factory.mktemp("parity-inputs")
    inputs = {"test": stages.TEST_CSV}
    inputs["holdout"] = stages.write_holdout(folder / "holdout.csv")
    inputs |= robustness.write_variants(stages.TEST_CSV, folder)
    return inputs


@pytest.fixture(scope="session")
def trained_stages(trained_stage) -> dict[str, stages.Stage]:
    """Each stage trained once per session (root ``conftest.py``); the API serves the
    package's model."""
    return {name: trained_stage(name) for name in stages.STAGES}


@pytest.fixture(scope="session")
def predictions(trained_stages, parity_inputs):
    """``predictions(stage, input name)``: prices by Id, each computed only once."""
    cache: dict[tuple[str, str], pd.Series] = {}

    def get(stage: str, name: str) -> pd.Series:
        if (stage, name) not in cache:
            cache[stage, name] = trained_stages[stage].score(parity_inputs[name], name)
        return cache[stage, name]

    return get


def pytest_terminal_summary(terminalreporter):
    if not COMPARISONS:
        return
    terminalreporter.section("parity: largest differences between stages")
    terminalreporter.write_line(
        f"{'input':<10}{'stage':<12}{'vs':<12}{'rows':>6}{'max abs':>12}{'max rel':>12}"
    )
    for name, c in COMPARISONS:
        terminalreporter.write_line(
            f"{name:<10}{c.left:<12}{c.right:<12}{c.rows:>6}"
            f"{c.max_abs:>12.3g}{c.max_rel:>12.3g}"
        )
