"""`make deploy`: the checked image released on Heroku, only with its credentials."""

from __future__ import annotations

from tests.release.conftest import make


def test_deploy_needs_the_heroku_app_and_key_in_the_environment() -> None:
    # Given no HEROKU_APP and no HEROKU_API_KEY
    env = {"HEROKU_APP": "", "HEROKU_API_KEY": ""}

    # When deploying
    result = make("deploy", "IMAGE=localhost/house-prices-api:never-pushed", env=env)

    # Then it stops before pushing anything, naming the step and the variables
    assert result.returncode != 0
    assert (
        "deploy FAILED at step deploy: HEROKU_APP and HEROKU_API_KEY must be set"
        in result.stderr
    )
