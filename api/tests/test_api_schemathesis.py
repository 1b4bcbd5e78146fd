"""Property-based tests from the OpenAPI schema: no request makes the API fail.

Schemathesis generates requests from ``/openapi.json`` (valid and invalid bodies)
and checks every answer: never a 5xx, a status code and a body the schema documents.
The number of examples is bounded and the run is derandomised, so it is repeatable.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 50
# Absurd generated values (a million fireplaces) overflow the price: numpy warns, and
# the API answers a row error (tested in test_api_predict.py).
pytestmark = pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")


# Built when the module is collected: schemathesis makes one test per operation
# from it. The schema is read from the app object (``APP.openapi()``), not fetched
# from it: fetching would start the app, whose lifespan loads a model, and at
# collection no model has been trained yet (a fresh clone has none). The fixture
# below starts the app with the session's model.
# (schemathesis.pytest.from_fixture would defer this, but schemathesis 4.32 fails
# with pytest 9.2 there: it sets the removed ``Function._nodeid``.)
APP = create_app()
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.app = APP


@pytest.fixture(scope="module", autouse=True)
def started_app(api_settings: Settings) -> Iterator[None]:
    """Run the app's lifespan around the module's tests: the model is loaded once.

    The app was built at collection with default settings; it serves the session's
    model from the settings it holds when it starts.
    """
    APP.state.settings = api_settings
    with TestClient(APP):
        yield


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_as_documented(
    case: schemathesis.Case,
) -> None:
    # Given a request generated from the schema (case)
    # When it is sent, Then the answer is no 5xx and matches the schema
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
