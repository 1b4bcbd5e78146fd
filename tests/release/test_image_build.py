"""`make image`: api/Dockerfile built from the wheelhouse, on a base image at hand."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from scripts.release.image_build import BASE_IMAGE_BUILDER, released_plan_sha256
from tests.release.conftest import ROOT, VERSION, trained_dir

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


def test_image_pins_the_sha256_of_the_plan_file_the_model_was_trained_with(
    wheelhouse: Path, trained_package: Path
) -> None:
    # Given the wheelhouse made from the released package, and the trained plan file
    plan = (
        trained_dir(trained_package) / f"regression_model_output_v{VERSION}.plan.json"
    )

    # When the build reads the pin from the model wheel's metadata
    pinned = released_plan_sha256(wheelhouse)

    # Then it is the SHA-256 of that very plan file
    assert pinned == hashlib.sha256(plan.read_bytes()).hexdigest()


def test_base_image_builder_names_what_it_needs_without_debootstrap(
    tmp_path: Path,
) -> None:
    # Given a PATH without debootstrap (and without podman)
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path)}

    # When the base-image builder runs
    result = subprocess.run(
        ["bash", str(BASE_IMAGE_BUILDER), "localhost/house-prices-base:never-built"],
        env=env,
        capture_output=True,
        text=True,
    )

    # Then it stops before making anything, saying what to install or to set instead
    assert result.returncode == 1
    assert "debootstrap is needed (apt-get install debootstrap)" in result.stderr
    assert "or set BASE_IMAGE" in result.stderr
    assert list(tmp_path.iterdir()) == []
