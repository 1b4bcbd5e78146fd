"""The API's container image: built from the wheelhouse, run, and checked.

``make image`` and ``make image-test`` themselves run here, as a person runs them; the
checks (health, predictions, user, size) live in ``make image-test``, so they are the
same wherever it runs.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.release.conftest import ROOT, check_step, make, trained_dir

DOCKERFILE = ROOT / "api" / "Dockerfile"


def instructions(keyword: str) -> list[str]:
    """The Dockerfile's ``keyword`` instructions, continuation lines joined."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip().upper().startswith(f"{keyword} ")
    ]


def test_dockerfile_takes_the_base_image_as_a_build_argument() -> None:
    # Given the Dockerfile
    # When its ARG and FROM instructions are read
    args, froms = instructions("ARG"), instructions("FROM")

    # Then every stage starts from BASE_IMAGE, python:3.11-slim unless told otherwise
    assert "ARG BASE_IMAGE=python:3.11-slim" in args
    assert froms and all(line.split()[1] == "${BASE_IMAGE}" for line in froms)


def test_dockerfile_installs_only_from_the_wheelhouse() -> None:
    # Given the Dockerfile
    # When its pip commands are read
    installs = [line for line in instructions("RUN") if "pip install" in line]

    # Then each installs without an index, from the wheelhouse, at the locked versions
    assert installs
    for line in installs:
        assert re.search(r"--no-index --find-links /tmp/install/deps", line), line
        assert "-c /tmp/install/lock.txt" in line


def test_image_test_passes_on_the_image_built_by_make_image(
    api_image: str, trained_package: Path
) -> None:
    # Given the image `make image` built from the released package
    # When `make image-test` runs it (compared with make_prediction of the same model)
    result = make(
        "image-test",
        f"IMAGE={api_image}",
        env={"REGRESSION_MODEL_TRAINED_DIR": str(trained_dir(trained_package))},
    )
    output = check_step(result, "make image-test")

    # Then every check passed, and the container is gone
    steps = ("size:", "healthcheck: healthy", "predict: 1459 rows", "non-root:")
    for step in (*steps, "pin: the server started with its plan pinned"):
        assert step in output
    assert "cleanup: container" in output
    assert "image-test: " + api_image + " passed" in output


def test_image_test_names_the_step_that_failed(container_engine: str) -> None:
    # Given no image by that name
    # When `make image-test` is asked to check it
    result = make("image-test", "IMAGE=localhost/house-prices-api:does-not-exist")

    # Then it fails, naming the step
    assert result.returncode != 0
    assert "test FAILED at step image: no image" in result.stderr
