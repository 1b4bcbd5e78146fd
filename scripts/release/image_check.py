"""Run the API's image and check it, each step named when it fails.

    make image-test   # = python -m scripts.release.image_check --tag TAG

| step        | check                                                               |
|-------------|---------------------------------------------------------------------|
| size        | the image is at most 700 MB                                         |
| healthcheck | the image's own HEALTHCHECK passes                                  |
| predict     | data/test.csv's prices equal make_prediction's here (1e-9 relative) |
| non-root    | PID 1 is the server (app.server), run by a user other than root     |
| pin         | the server started with the scoring plan's SHA-256 pinned           |
| cleanup     | the container is removed, also when a step failed                   |

The container listens on ``PORT=5000`` inside (not the image's default, 8001: this
proves the image honours ``$PORT``), published on a free port of 127.0.0.1 only. The
reference prices come from this checkout's ``make_prediction`` and its trained model
(``REGRESSION_MODEL_TRAINED_DIR`` chooses another trained folder, as the tests do).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import re
import secrets
import subprocess
import time
import urllib.request
from collections.abc import Iterator

from scripts.release.common import (
    ROOT,
    StepFailed,
    engine,
    engine_environment,
    image_exists,
    image_size_mb,
    package_version,
    run_engine,
    run_target,
    say,
)

TEST_CSV = ROOT / "data" / "test.csv"
# Measured: 611 MB on the local Debian base (deploy/README.md); ~15 % headroom.
IMAGE_SIZE_BUDGET_MB = 700
CONTAINER_PORT = 5000
MAX_BATCH_ROWS = 1000  # the API's default limit per request
RELATIVE_TOLERANCE = 1e-9
HEALTH_TRIES = 60
HEALTH_TIMEOUT_S = 90.0
HEALTH_PAUSE_S = 1.0


@contextlib.contextmanager
def running_container(name: str, tag: str) -> Iterator[tuple[str, str]]:
    """Run the image detached on 127.0.0.1; yield (container, URL); always remove it."""
    container = f"house-prices-api-test-{secrets.token_hex(4)}"
    health_args = ["--health-interval", "1s"] if name == "docker" else []
    run_engine(
        name,
        [
            *("run", "--detach", "--name", container, *health_args),
            *("--publish", f"127.0.0.1::{CONTAINER_PORT}"),  # the engine picks a port
            *("--env", f"PORT={CONTAINER_PORT}", tag),
        ],
        "run",
    )
    try:
        address = run_engine(name, ["port", container, str(CONTAINER_PORT)], "run")
        yield container, f"http://{address.split()[0]}"
    finally:
        subprocess.run(
            [name, "rm", "--force", container],
            env=engine_environment(name),
            capture_output=True,
        )
        say(f"cleanup: container {container} removed")


def container_logs(name: str, container: str) -> str:
    """The container's last 30 lines of output, for a failure's message."""
    result = subprocess.run(
        [name, "logs", "--tail", "30", container],
        env=engine_environment(name),
        capture_output=True,
        text=True,
    )
    return result.stdout + result.stderr


def healthy(name: str, container: str) -> bool:
    """One look at the image's HEALTHCHECK.

    Podman has no timer on a host without systemd, so ``podman healthcheck run``
    executes the check on demand; docker runs it itself and reports its status.
    """
    if name != "podman":
        inspect = ["inspect", "--format", "{{.State.Health.Status}}", container]
        return run_engine(name, inspect, "healthcheck").strip() == "healthy"
    check = subprocess.run(
        [name, "healthcheck", "run", container],
        env=engine_environment(name),
        capture_output=True,
        text=True,
    )
    if "no defined healthcheck" in check.stderr.lower():
        raise StepFailed("healthcheck", "the image has no HEALTHCHECK")
    return check.returncode == 0


def wait_until_healthy(name: str, container: str) -> int:
    """Look at the HEALTHCHECK until it passes; return how many looks it took."""
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    for attempt in range(1, HEALTH_TRIES + 1):
        if healthy(name, container):
            return attempt
        if time.monotonic() > deadline:
            break
        time.sleep(HEALTH_PAUSE_S)
    raise StepFailed(
        "healthcheck",
        f"not healthy after {HEALTH_TRIES} tries / {HEALTH_TIMEOUT_S:.0f} s; logs:\n"
        f"{container_logs(name, container)}",
    )


def rows_of_test_csv() -> list[dict[str, object]]:
    """The rows of data/test.csv as a JSON client sends them (missing -> null)."""
    import pandas as pd

    if not TEST_CSV.is_file():
        raise StepFailed("predict", f"{TEST_CSV} is missing: `make data` first")
    frame = pd.read_csv(TEST_CSV).astype(object)
    rows: list[dict[str, object]] = frame.where(frame.notna(), None).to_dict(
        orient="records"
    )
    return rows


def post_json(url: str, body: object) -> dict[str, object]:
    """POST ``body`` as JSON; return the decoded answer."""
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers=headers
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        result: dict[str, object] = json.loads(answer.read())
    return result


def check_predictions(url: str) -> int:
    """Price test.csv through the container and here; return the rows compared."""
    from regression_model.predict import make_prediction

    rows = rows_of_test_csv()
    served: list[object] = []
    for start in range(0, len(rows), MAX_BATCH_ROWS):
        batch = {"inputs": rows[start : start + MAX_BATCH_ROWS]}
        answer = post_json(f"{url}/api/v1/predict", batch)
        if answer["version"] != package_version():
            raise StepFailed(
                "predict", f"served model {answer['version']}, not {package_version()}"
            )
        if not isinstance(answer["predictions"], list):
            raise StepFailed("predict", f"no list of predictions in {answer}")
        served += answer["predictions"]
    expected = make_prediction(rows)["predictions"]
    mismatches = [
        (row, got, want)
        for row, (got, want) in enumerate(zip(served, expected, strict=True))
        if not (
            isinstance(got, float)
            and isinstance(want, float)
            and math.isclose(got, want, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0)
        )
    ]
    if mismatches:
        raise StepFailed(
            "predict",
            f"{len(mismatches)} of {len(rows)} rows differ from make_prediction "
            f"(> {RELATIVE_TOLERANCE} relative), first: {mismatches[:3]}",
        )
    return len(rows)


def check_non_root(name: str, container: str) -> tuple[int, str]:
    """Return the uid and command line of PID 1, checked to be the server, not root."""
    status, command = (
        run_engine(name, ["exec", container, "cat", f"/proc/1/{file}"], "non-root")
        for file in ("status", "cmdline")
    )
    uids = re.search(r"^Uid:\s+(\d+)\s+(\d+)", status, re.MULTILINE)
    if not uids:
        raise StepFailed("non-root", f"no Uid line in /proc/1/status:\n{status}")
    real, effective = int(uids.group(1)), int(uids.group(2))
    command = command.replace("\0", " ").strip()
    if "app.server" not in command:
        raise StepFailed("non-root", f"PID 1 is not the server: {command}")
    if 0 in (real, effective):
        raise StepFailed("non-root", f"the server runs as root: {command}")
    return effective, command


def check_pin(name: str, container: str) -> str:
    """The scoring plan's SHA-256 the server was started with (it refuses others)."""
    variable = "HOUSE_PRICES_API_EXPECTED_MODEL_SHA256"
    pin = run_engine(name, ["exec", container, "printenv", variable], "pin").strip()
    if len(pin) != 64:
        raise StepFailed("pin", f"the image pins no model SHA-256 (got {pin!r})")
    return pin


def check_image(tag: str) -> None:
    """Check the image ``tag`` step by step (the table above); then remove it."""
    name = engine()
    if not image_exists(name, tag):
        raise StepFailed("image", f"no image {tag}: `make image` first")
    size = image_size_mb(name, tag)
    if size > IMAGE_SIZE_BUDGET_MB:
        raise StepFailed(
            "size", f"{tag} is {size:.0f} MB, over the {IMAGE_SIZE_BUDGET_MB} MB budget"
        )
    say(f"size: {size:.0f} MB (budget {IMAGE_SIZE_BUDGET_MB} MB)")
    started = time.monotonic()
    with running_container(name, tag) as (container, url):
        say(f"run: {container} on {url} (PORT={CONTAINER_PORT} inside)")
        tries = wait_until_healthy(name, container)
        seconds = time.monotonic() - started
        say(
            f"healthcheck: healthy after {tries} run(s) of the image's HEALTHCHECK, "
            f"{seconds:.1f} s"
        )
        try:
            priced = check_predictions(url)
        except (OSError, KeyError, ValueError) as error:
            raise StepFailed(
                "predict", f"{error!r}; logs:\n{container_logs(name, container)}"
            ) from error
        say(
            f"predict: {priced} rows of test.csv, equal to make_prediction "
            f"(<= {RELATIVE_TOLERANCE} relative)"
        )
        uid, command = check_non_root(name, container)
        say(f"non-root: PID 1 `{command}` runs as uid {uid}")
        pin = check_pin(name, container)
        say(f"pin: the server started with its plan pinned to SHA-256 {pin[:12]}…")
    say(f"image-test: {tag} passed")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--tag TAG``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tag", required=True, help="the image to check")
    args = parser.parse_args(argv)
    return run_target("image-test", lambda: check_image(args.tag))


if __name__ == "__main__":
    raise SystemExit(main())
