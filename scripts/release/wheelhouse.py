"""The wheelhouse: every wheel the API's image installs, made on the host.

    make wheelhouse   # = python -m scripts.release.wheelhouse --out api/wheelhouse

Two folders, so that the image installs them in two layers and the dependencies' layer
stays cached while only the model changes:

- ``model/``: the released model package, ``regression-model==<pin>`` (the pin in
  api/requirements.txt, which must equal package/regression_model/VERSION), downloaded
  from ``$MODEL_INDEX_URL`` **only**: no other index and no pip configuration, because
  PyPI has an unrelated ``regression-model`` and an extra index offering the same name
  is how dependency-confusion attacks work.
- ``deps/``: every other wheel, from pip's usual sources, at requirements/lock.txt's
  versions.

The image build then installs with ``pip install --no-index``: it needs no network.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

from scripts.release.common import (
    API_REQUIREMENTS,
    LOCK,
    StepFailed,
    package_version,
    run,
    run_target,
    say,
)

MODEL_DISTRIBUTION = "regression-model"
PIP = (sys.executable, "-m", "pip", "--disable-pip-version-check")


def pinned_model_version() -> str:
    """The version of regression-model that api/requirements.txt pins with ``==``."""
    pattern = re.compile(rf"^{MODEL_DISTRIBUTION}==(\S+)\s*(#.*)?$", re.IGNORECASE)
    for line in API_REQUIREMENTS.read_text().splitlines():
        if match := pattern.match(line.strip()):
            return match.group(1)
    raise StepFailed(
        "pin", f"{API_REQUIREMENTS} has no `{MODEL_DISTRIBUTION}==VERSION` line"
    )


def index_only_environment() -> dict[str, str]:
    """pip settings that reach the given index and nothing else.

    No ``PIP_*`` variables and no pip configuration file: a configured extra index
    (PyPI) must not offer its own ``regression-model``.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def build_wheelhouse(out: Path, index_url: str) -> Path:
    """Fill ``out/model`` and ``out/deps``; return the model's wheel.

    Parameters
    ----------
    out : Path
        The wheelhouse folder; emptied first.
    index_url : str
        The package index holding the released model (a PEP 503 "simple" URL).

    Returns
    -------
    Path
        The model package's wheel, in ``out/model``.
    """
    version = pinned_model_version()
    if version != package_version():
        raise StepFailed(
            "pin",
            f"api/requirements.txt pins {MODEL_DISTRIBUTION}=={version}, but "
            f"package/regression_model/VERSION is {package_version()}",
        )
    shutil.rmtree(out, ignore_errors=True)
    model_wheels, dependency_wheels = out / "model", out / "deps"
    try:
        run(
            "wheelhouse",
            [
                *PIP,
                *("download", "--quiet", "--no-deps", "--only-binary", ":all:"),
                *("--index-url", index_url, "--dest", str(model_wheels)),
                f"{MODEL_DISTRIBUTION}=={version}",
            ],
            env=index_only_environment(),
        )
    except StepFailed as failure:
        raise StepFailed(
            "wheelhouse",
            f"{MODEL_DISTRIBUTION}=={version} not found at {index_url} "
            f"(published? `make publish`): {failure}",
        ) from failure
    [model_wheel] = model_wheels.glob("regression_model-*.whl")
    run(
        "wheelhouse",
        [
            *PIP,
            *("wheel", "--quiet", "--wheel-dir", str(dependency_wheels)),
            *("-c", str(LOCK), str(model_wheel), "-r", str(API_REQUIREMENTS)),
        ],
    )
    (dependency_wheels / model_wheel.name).unlink()  # it belongs in model/ only
    return model_wheel


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--out FOLDER [--index-url URL]``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True, help="the wheelhouse")
    parser.add_argument(
        "--index-url",
        default=os.environ.get("MODEL_INDEX_URL"),
        help="the index with regression-model (default: $MODEL_INDEX_URL)",
    )
    args = parser.parse_args(argv)

    def steps() -> None:
        if not args.index_url:
            raise StepFailed("wheelhouse", "set MODEL_INDEX_URL (or --index-url)")
        wheel = build_wheelhouse(args.out, args.index_url)
        count = len(list(args.out.glob("*/*.whl")))
        say(f"wheelhouse: {count} wheels in {args.out}, {wheel.name} from the index")

    return run_target("wheelhouse", steps)


if __name__ == "__main__":
    raise SystemExit(main())
