"""Fixtures of the serving tests: the plan compiled from the session's pipeline."""

from __future__ import annotations

import pytest

from regression_model.serving.compile import compile_plan


@pytest.fixture(scope="module")
def plan(model) -> dict:
    """The plan compiled from the session's fitted pipeline."""
    return compile_plan(model)
