"""`make image-test`: the image built by `make image`, run and checked.

``make image`` and ``make image-test`` themselves run here, as a person runs them; the
checks (size, health, predictions, user, pin) live in ``make image-test``, so they are
the same wherever it runs.
"""

from __future__ import annotations

from pathlib import Path

from tests.release.conftest import check_step, make, trained_dir


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
    assert f"image-test: {api_image} passed" in output


def test_image_test_names_the_step_that_failed(container_engine: str) -> None:
    # Given no image by that name
    # When `make image-test` is asked to check it
    result = make("image-test", "IMAGE=localhost/house-prices-api:does-not-exist")

    # Then it fails, naming the step
    assert result.returncode != 0
    assert "image-test FAILED at step image: no image" in result.stderr
