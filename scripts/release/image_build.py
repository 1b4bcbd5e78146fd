"""Build the API's container image from the wheelhouse.

    make image   # = python -m scripts.release.image_build --wheelhouse api/wheelhouse
                 #       --tag localhost/house-prices-api:latest

The build context is a temporary folder holding only what api/Dockerfile copies, at the
repository's paths: requirements/lock.txt, api/requirements.txt, api/app/ and the
wheelhouse (``make wheelhouse``). The image pins the SHA-256 of the scoring plan that
the model wheel records, so the server refuses to start with any other plan.

The base image is ``--base-image`` (``$BASE_IMAGE``). Without one, docker uses the
Dockerfile's default, ``python:3.11-slim``; podman uses a Debian bookworm image made
from Debian's packages by deploy/base-image/build.sh, run here the first time, for
hosts that reach no image registry. Podman builds Docker-format images: the OCI format
has no HEALTHCHECK.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from scripts.release.common import (
    API_REQUIREMENTS,
    LOCK,
    ROOT,
    StepFailed,
    engine,
    engine_environment,
    image_exists,
    image_size_mb,
    run,
    run_engine,
    run_target,
    say,
)

DOCKERFILE = ROOT / "api" / "Dockerfile"
BASE_IMAGE_BUILDER = ROOT / "deploy" / "base-image" / "build.sh"
LOCAL_BASE_IMAGE = "localhost/house-prices-base:bookworm"
IMAGE_LABEL = "house-prices.image=api"  # set by api/Dockerfile
WHEEL_PATTERN = "model/regression_model-*.whl"


def released_plan_sha256(wheelhouse: Path) -> str:
    """The scoring plan's SHA-256, as the model wheel's metadata file records it.

    Parameters
    ----------
    wheelhouse : Path
        A folder made by ``make wheelhouse``, with the model's wheel in ``model/``.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    [wheel] = wheelhouse.glob(WHEEL_PATTERN)
    models = "regression_model/trained_models/"
    with zipfile.ZipFile(wheel) as archive:
        names = [
            name
            for name in archive.namelist()
            # the metadata: regression_model_output_v<version>.json (not the plan,
            # not the training reference beside it)
            if name.startswith(f"{models}regression_model_output")
            and name.endswith(".json")
            and not name.endswith(".plan.json")
        ]
        if len(names) != 1:
            raise StepFailed("build", f"{wheel.name}: no single model metadata file")
        metadata = json.loads(archive.read(names[0]))
    sha256 = metadata.get("plan_sha256")
    if not isinstance(sha256, str) or len(sha256) != 64:
        raise StepFailed("build", f"{wheel.name}: {names[0]} records no plan_sha256")
    return sha256


def local_base_image(name: str) -> str:
    """The Debian base image made here; deploy/base-image/ builds it if absent."""
    if not image_exists(name, LOCAL_BASE_IMAGE):
        command = [str(BASE_IMAGE_BUILDER), LOCAL_BASE_IMAGE]
        run("base image", command, env=engine_environment(name), capture=False)
    return LOCAL_BASE_IMAGE


def stage_context(wheelhouse: Path, context: Path) -> None:
    """Copy into ``context`` only what the image needs, at the repository's paths."""
    (context / "requirements").mkdir(parents=True)
    shutil.copy2(LOCK, context / "requirements" / "lock.txt")
    (context / "api").mkdir()
    shutil.copy2(API_REQUIREMENTS, context / "api" / "requirements.txt")
    shutil.copytree(
        ROOT / "api" / "app",
        context / "api" / "app",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(wheelhouse, context / "api" / "wheelhouse")


def build_image(wheelhouse: Path, tag: str, base_image: str | None) -> None:
    """Build api/Dockerfile as ``tag`` from a staged context holding the wheelhouse.

    Parameters
    ----------
    wheelhouse : Path
        The wheels to install (``make wheelhouse``).
    tag : str
        The image's name, e.g. ``localhost/house-prices-api:latest``.
    base_image : str or None
        The ``FROM`` image (Python 3.11 with its venv module); None chooses as the
        module's docstring says.
    """
    if not list(wheelhouse.glob(WHEEL_PATTERN)):
        missing = f"no regression_model wheel in {wheelhouse}: `make wheelhouse` first"
        raise StepFailed("build", missing)
    name = engine()
    if not base_image and name == "podman":
        base_image = local_base_image(name)
    build_args = ["--build-arg", f"BASE_IMAGE={base_image}"] if base_image else []
    pinned = released_plan_sha256(wheelhouse)
    build_args += ["--build-arg", f"MODEL_SHA256={pinned}"]
    say(f"build: pins the model's scoring plan, SHA-256 {pinned}")
    if name == "podman":
        build_args += ["--format", "docker"]  # OCI images drop HEALTHCHECK
    with tempfile.TemporaryDirectory(prefix="house-prices-context-") as context:
        stage_context(wheelhouse, Path(context))
        base = base_image or "the Dockerfile's default"
        say(f"build: {name} build -f api/Dockerfile -t {tag} (base: {base})")
        run_engine(
            name,
            ["build", *build_args, "-f", str(DOCKERFILE), "-t", tag, context],
            "build",
            capture=False,
        )
    # Each build leaves the previous image untagged: remove this project's (by their
    # label; the install stage has none, so its cached dependency layer stays).
    prune = ["image", "prune", "--force", "--filter", f"label={IMAGE_LABEL}"]
    run_engine(name, prune, "prune")
    say(f"build: {tag}, {image_size_mb(name, tag):.0f} MB")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--wheelhouse FOLDER --tag TAG [--base-image IMAGE]``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--wheelhouse", type=Path, required=True)
    parser.add_argument("--tag", required=True)
    parser.add_argument(
        "--base-image",
        default=os.environ.get("BASE_IMAGE") or None,
        help="FROM image (default: $BASE_IMAGE; else podman: the local Debian base)",
    )
    args = parser.parse_args(argv)
    return run_target(
        "image", lambda: build_image(args.wheelhouse, args.tag, args.base_image)
    )


if __name__ == "__main__":
    raise SystemExit(main())
