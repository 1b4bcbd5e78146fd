"""`make publish`: the package built, checked and uploaded to a private index."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from scripts.release.local_index import LocalIndex
from tests.release.conftest import VERSION, make

MODEL_FILE = f"regression_model/trained_models/regression_model_output_v{VERSION}.skops"


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
    }


def test_publish_uploads_sdist_and_wheel_that_carries_the_model(
    published: list[Path], local_index: LocalIndex
) -> None:
    # Given a trained package copy, published by `make publish` (fixture)
    # When the index lists the package
    with urllib.request.urlopen(f"{local_index.simple_url}regression-model/") as page:
        listing = page.read().decode()

    # Then it holds this version's sdist and wheel, and the wheel carries the model
    names = sorted(p.name for p in published)
    assert names == [
        f"regression_model-{VERSION}-py3-none-any.whl",
        f"regression_model-{VERSION}.tar.gz",
    ]
    assert sorted(p.name for p in Path(local_index.packages).iterdir()) == names
    assert all(name in listing for name in names)
    with zipfile.ZipFile(published[0]) as wheel:
        assert MODEL_FILE in wheel.namelist()


def test_publish_refuses_a_version_the_index_already_holds(
    published: list[Path],
    local_index: LocalIndex,
    trained_package: Path,
    tmp_path: Path,
) -> None:
    # Given the index already holds this version
    before = digests(Path(local_index.packages))

    # When the same version is published again
    result = make(
        "publish",
        f"PACKAGE_DIR={trained_package}",
        f"DIST_DIR={tmp_path / 'dist'}",
        env=local_index.environment(),
    )

    # Then the upload step fails, saying why in one line, and the index still serves
    # the first files
    url = local_index.environment()["TWINE_REPOSITORY_URL"]
    assert result.returncode != 0
    assert [line for line in result.stderr.splitlines() if "FAILED" in line] == [
        f"publish FAILED at step upload: regression-model {VERSION} already exists "
        f"on the index {url} (it answered 400 Bad Request): a released version never "
        "changes; raise package/regression_model/VERSION to publish again"
    ]
    assert digests(Path(local_index.packages)) == before
    log = (Path(local_index.packages).parent / "server.log").read_text()
    assert "already exists" in log


def test_publish_refuses_an_upload_with_a_wrong_password(
    published: list[Path],
    local_index: LocalIndex,
    trained_package: Path,
    tmp_path: Path,
) -> None:
    # Given the index, and a wrong password
    before = digests(Path(local_index.packages))
    env = {**local_index.environment(), "TWINE_PASSWORD": "not-the-password"}

    # When publishing with it
    result = make(
        "publish",
        f"PACKAGE_DIR={trained_package}",
        f"DIST_DIR={tmp_path / 'dist'}",
        env=env,
    )

    # Then the index answers 403 and keeps what it had
    assert result.returncode != 0
    assert "403 Forbidden" in result.stderr
    assert digests(Path(local_index.packages)) == before


def test_publish_needs_the_index_named_in_the_environment(tmp_path: Path) -> None:
    # Given no TWINE_* variables (so twine would fall back to pypi.org)
    env = {"TWINE_REPOSITORY_URL": "", "TWINE_USERNAME": "", "TWINE_PASSWORD": ""}

    # When publishing
    result = make("publish", f"DIST_DIR={tmp_path / 'dist'}", env=env)

    # Then it stops before building, naming the variables
    assert result.returncode != 0
    assert "publish FAILED at step index: set TWINE_REPOSITORY_URL" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_index_does_not_send_unknown_names_to_pypi(local_index: LocalIndex) -> None:
    # Given the local index (PyPI has projects this index does not)
    # When pip asks it for a project it does not hold
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(f"{local_index.simple_url}requests/")

    # Then it answers 404 instead of redirecting to PyPI
    assert answer.value.code == 404
