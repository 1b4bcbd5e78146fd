"""The API's container image: wheelhouse, build, run-and-check, push, deploy.

    image.py wheelhouse --out api/wheelhouse          # needs MODEL_INDEX_URL
    image.py build --wheelhouse api/wheelhouse --tag TAG
    image.py test --tag TAG
    image.py push --tag TAG --to ghcr.io/OWNER/house-prices-api
    image.py deploy-heroku --tag TAG                  # HEROKU_APP, HEROKU_API_KEY

The Makefile's ``wheelhouse``, ``image``, ``image-test``, ``image-push`` and ``deploy``
targets call these; deploy/README.md tells the whole story.

The engine is podman, else docker if its daemon answers (``CONTAINER_ENGINE`` chooses).
Podman runs with ``CONTAINERS_CONF=deploy/containers.conf`` (runc, ulimits this machine
needs) and builds Docker-format images: the OCI format has no HEALTHCHECK.

Without ``BASE_IMAGE``, podman builds on a Debian bookworm image made here from Debian's
packages (``debootstrap``, once per machine), because no image registry can be reached
from our machines; docker uses the Dockerfile's default, ``python:3.11-slim``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "api" / "Dockerfile"
API_REQUIREMENTS = ROOT / "api" / "requirements.txt"
LOCK = ROOT / "requirements" / "lock.txt"
VERSION_FILE = ROOT / "package" / "regression_model" / "VERSION"
CONTAINERS_CONF = ROOT / "deploy" / "containers.conf"
TEST_CSV = ROOT / "data" / "test.csv"

MODEL_DISTRIBUTION = "regression-model"
LOCAL_BASE_IMAGE = "localhost/house-prices-base:bookworm"
IMAGE_LABEL = "house-prices.image=api"  # set by api/Dockerfile
DEBIAN_SUITE = "bookworm"
STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEFAULT_DEBIAN_MIRROR = "http://deb.debian.org/debian"
# Measured: 611 MB on the local Debian base (deploy/README.md); ~15 % headroom.
IMAGE_SIZE_BUDGET_MB = 700
CONTAINER_PORT = 5000  # not the image's default 8001: proves the image honours $PORT
MAX_BATCH_ROWS = 1000  # the API's default limit per request
RELATIVE_TOLERANCE = 1e-9
HEALTH_TRIES = 60
HEALTH_TIMEOUT_S = 90.0
HEALTH_PAUSE_S = 1.0


class StepFailed(Exception):
    """A step of a target failed; the message starts with the step's name."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"{step}: {message}")
        self.step = step


def say(message: str) -> None:
    print(message, flush=True)


# -- the engine ---------------------------------------------------------------------


def engine() -> str:
    """``podman``, or ``docker`` when podman is absent and docker's daemon answers."""
    chosen = os.environ.get("CONTAINER_ENGINE")
    if chosen:
        return chosen
    if shutil.which("podman"):
        return "podman"
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "info"], capture_output=True)
        if probe.returncode == 0:
            return "docker"
    raise StepFailed(
        "engine",
        "no container engine: install podman (Debian: apt-get install podman runc) "
        "or start Docker",
    )


def engine_environment(name: str) -> dict[str, str]:
    env = dict(os.environ)
    if name == "podman":
        env.setdefault("CONTAINERS_CONF", str(CONTAINERS_CONF))
    return env


def run_engine(
    name: str, args: Sequence[str], step: str, *, capture: bool = True, **kwargs: object
) -> str:
    """Run ``<engine> args``; on failure raise :class:`StepFailed` with its output."""
    result = subprocess.run(  # type: ignore[call-overload]
        [name, *args],
        env=engine_environment(name),
        capture_output=capture,
        text=True,
        **kwargs,
    )
    if result.returncode != 0:
        output = f"{result.stdout or ''}{result.stderr or ''}".strip()
        raise StepFailed(step, f"`{name} {' '.join(args)}` failed:\n{output}")
    return str(result.stdout or "")


def image_exists(name: str, tag: str) -> bool:
    if name == "podman":
        args = ["image", "exists", tag]
    else:
        args = ["image", "inspect", tag]
    return (
        subprocess.run(
            [name, *args], env=engine_environment(name), capture_output=True
        ).returncode
        == 0
    )


# -- versions -------------------------------------------------------------------------


def package_version() -> str:
    """The model package's version: package/regression_model/VERSION."""
    return VERSION_FILE.read_text().strip()


def pinned_model_version() -> str:
    """The version of regression-model that api/requirements.txt pins (``==``)."""
    pattern = re.compile(rf"^{MODEL_DISTRIBUTION}==(\S+)\s*(#.*)?$", re.IGNORECASE)
    for line in API_REQUIREMENTS.read_text().splitlines():
        if match := pattern.match(line.strip()):
            return match.group(1)
    raise StepFailed(
        "pin", f"{API_REQUIREMENTS} has no `{MODEL_DISTRIBUTION}==VERSION` line"
    )


# -- the wheelhouse -------------------------------------------------------------------


def index_only_environment() -> dict[str, str]:
    """pip settings that reach the given index and nothing else.

    No ``PIP_*`` variables and no pip configuration file: a configured extra index
    (PyPI) must not offer its own ``regression-model``.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def build_wheelhouse(out: Path, index_url: str) -> Path:
    """Fill ``out`` with every wheel the image installs; return the model's wheel.

    ``out/model/``: the model package, from ``index_url`` alone, at the version
    api/requirements.txt pins (which must be package/regression_model/VERSION).
    ``out/deps/``: everything else, from pip's usual sources, at the versions of
    requirements/lock.txt. Two folders, so that the image installs them in two
    layers: the dependencies' layer stays cached while only the model changes.
    """
    version = pinned_model_version()
    if version != package_version():
        raise StepFailed(
            "pin",
            f"api/requirements.txt pins {MODEL_DISTRIBUTION}=={version}, but "
            f"package/regression_model/VERSION is {package_version()}",
        )
    shutil.rmtree(out, ignore_errors=True)
    model_dir, deps_dir = out / "model", out / "deps"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    download = subprocess.run(
        [
            *pip,
            *("download", "--quiet", "--no-deps", "--only-binary", ":all:"),
            *("--index-url", index_url, "--dest", str(model_dir)),
            f"{MODEL_DISTRIBUTION}=={version}",
        ],
        env=index_only_environment(),
        capture_output=True,
        text=True,
    )
    if download.returncode != 0:
        raise StepFailed(
            "wheelhouse",
            f"{MODEL_DISTRIBUTION}=={version} not found at {index_url} "
            f"(published? `make publish`):\n{download.stdout}{download.stderr}",
        )
    [model_wheel] = model_dir.glob("regression_model-*.whl")
    wheel = subprocess.run(
        [
            *pip,
            *("wheel", "--quiet", "--wheel-dir", str(deps_dir)),
            *("-c", str(LOCK), str(model_wheel), "-r", str(API_REQUIREMENTS)),
        ],
        capture_output=True,
        text=True,
    )
    if wheel.returncode != 0:
        raise StepFailed("wheelhouse", f"pip wheel failed:\n{wheel.stderr}")
    (deps_dir / model_wheel.name).unlink()
    return model_wheel


# -- the base image -------------------------------------------------------------------


def debian_mirror() -> str:
    """The Debian mirror this machine's apt uses for bookworm (both source formats)."""
    sources_dir = Path("/etc/apt/sources.list.d")
    files = [Path("/etc/apt/sources.list")]
    if sources_dir.is_dir():
        files += sorted(sources_dir.iterdir())
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        for stanza in re.split(r"\n\s*\n", text):  # deb822 (.sources)
            fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, re.MULTILINE))
            if DEBIAN_SUITE in fields.get("Suites", "").split() and "URIs" in fields:
                return fields["URIs"].split()[0]
        for line in text.splitlines():  # one-line (.list)
            words = re.sub(r"\[[^]]*\]", "", line).split()
            if len(words) >= 3 and words[0] == "deb" and words[2] == DEBIAN_SUITE:
                return words[1]
    return DEFAULT_DEBIAN_MIRROR


def ensure_local_base(name: str) -> str:
    """The local Debian base image (python3 3.11, python3-venv); built once."""
    if image_exists(name, LOCAL_BASE_IMAGE):
        return LOCAL_BASE_IMAGE
    if not shutil.which("debootstrap"):
        raise StepFailed(
            "base image",
            "debootstrap is needed to make the base image (apt-get install "
            "debootstrap), or set BASE_IMAGE to an image you can pull",
        )
    mirror = debian_mirror()
    say(f"base image: debootstrap {DEBIAN_SUITE} from {mirror} (once per machine)")
    with tempfile.TemporaryDirectory(prefix="house-prices-base-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        result = subprocess.run(
            [
                *("debootstrap", "--variant=minbase"),
                "--include=python3,python3-venv",
                *(DEBIAN_SUITE, str(rootfs), mirror),
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise StepFailed("base image", f"debootstrap failed:\n{result.stdout}")
        # Like python:3.11-slim: no package caches, documentation or translations.
        for folder in (
            "var/cache/apt",
            "var/lib/apt/lists",
            "usr/share/doc",
            "usr/share/man",
            "usr/share/info",
            "usr/share/locale",
        ):
            shutil.rmtree(rootfs / folder, ignore_errors=True)
            (rootfs / folder).mkdir(parents=True)
        tar = subprocess.Popen(
            ["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE
        )
        run_engine(
            name,
            [
                "import",
                *("--change", f"ENV PATH={STANDARD_PATH}"),
                *("--change", "ENV LANG=C.UTF-8"),
                *("--change", 'CMD ["python3"]'),
                "-",
                LOCAL_BASE_IMAGE,
            ],
            "base image",
            stdin=tar.stdout,
        )
        tar.wait()
    return LOCAL_BASE_IMAGE


# -- build ----------------------------------------------------------------------------


def stage_context(wheelhouse: Path, context: Path) -> None:
    """The build context: only what the image needs, at the repository's paths."""
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


def image_size_mb(name: str, tag: str) -> float:
    size = run_engine(name, ["image", "inspect", "--format", "{{.Size}}", tag], "size")
    return int(size.strip()) / 1e6


def released_plan_sha256(wheelhouse: Path) -> str:
    """The scoring plan's SHA-256, as the model wheel's metadata records it."""
    [wheel] = wheelhouse.glob("model/regression_model-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = [
            name
            for name in archive.namelist()
            if name.startswith("regression_model/trained_models/")
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


def build_image(wheelhouse: Path, tag: str, base_image: str | None) -> None:
    """Build api/Dockerfile from a staged context holding the wheelhouse."""
    if not list(wheelhouse.glob("model/regression_model-*.whl")):
        raise StepFailed(
            "build",
            f"no regression_model wheel in {wheelhouse}: `make wheelhouse` first",
        )
    name = engine()
    if not base_image and name == "podman":
        base_image = ensure_local_base(name)
    build_args = ["--build-arg", f"BASE_IMAGE={base_image}"] if base_image else []
    # The image serves the plan of the wheel it installs, and only that plan.
    pinned = released_plan_sha256(wheelhouse)
    build_args += ["--build-arg", f"MODEL_SHA256={pinned}"]
    say(f"build: pins the model's scoring plan, SHA-256 {pinned}")
    if name == "podman":
        build_args += ["--format", "docker"]  # OCI images drop HEALTHCHECK
    with tempfile.TemporaryDirectory(prefix="house-prices-context-") as tmp:
        stage_context(wheelhouse, Path(tmp))
        base = base_image or "the Dockerfile's default"
        say(f"build: {name} build -f api/Dockerfile -t {tag} (base: {base})")
        run_engine(
            name,
            ["build", *build_args, "-f", str(DOCKERFILE), "-t", tag, tmp],
            "build",
            capture=False,
        )
    # Each build leaves the previous image untagged: remove this project's (by their
    # label; the install stage has none, so its cached dependency layer stays).
    run_engine(
        name, ["image", "prune", "--force", "--filter", f"label={IMAGE_LABEL}"], "prune"
    )
    say(f"build: {tag}, {image_size_mb(name, tag):.0f} MB")


# -- run and check --------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextlib.contextmanager
def running_container(name: str, tag: str) -> Iterator[tuple[str, str]]:
    """Run the image detached on 127.0.0.1; yield (container, URL); always remove it."""
    container = f"house-prices-api-test-{secrets.token_hex(4)}"
    port = free_port()
    health_args = ["--health-interval", "1s"] if name == "docker" else []
    run_engine(
        name,
        [
            *("run", "--detach", "--name", container, *health_args),
            *("--publish", f"127.0.0.1:{port}:{CONTAINER_PORT}"),
            *("--env", f"PORT={CONTAINER_PORT}", tag),
        ],
        "run",
    )
    try:
        yield container, f"http://127.0.0.1:{port}"
    finally:
        subprocess.run(
            [name, "rm", "--force", container],
            env=engine_environment(name),
            capture_output=True,
        )
        say(f"cleanup: container {container} removed")


def container_logs(name: str, container: str) -> str:
    result = subprocess.run(
        [name, "logs", "--tail", "30", container],
        env=engine_environment(name),
        capture_output=True,
        text=True,
    )
    return result.stdout + result.stderr


def wait_until_healthy(name: str, container: str) -> int:
    """Run the image's own HEALTHCHECK until it passes; return how many tries it took.

    Podman has no timer here (no systemd), so ``podman healthcheck run`` executes the
    check on demand; docker runs it itself and this polls the reported status.
    """
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    for attempt in range(1, HEALTH_TRIES + 1):
        if name == "podman":
            check = subprocess.run(
                [name, "healthcheck", "run", container],
                env=engine_environment(name),
                capture_output=True,
                text=True,
            )
            if "no defined healthcheck" in check.stderr.lower():
                raise StepFailed("healthcheck", "the image has no HEALTHCHECK")
            healthy = check.returncode == 0
        else:
            status = run_engine(
                name,
                ["inspect", "--format", "{{.State.Health.Status}}", container],
                "healthcheck",
            )
            healthy = status.strip() == "healthy"
        if healthy:
            return attempt
        if time.monotonic() > deadline:
            break
        time.sleep(HEALTH_PAUSE_S)
    raise StepFailed(
        "healthcheck",
        f"not healthy after {HEALTH_TRIES} tries / {HEALTH_TIMEOUT_S:.0f} s; logs:\n"
        f"{container_logs(name, container)}",
    )


def test_rows() -> list[dict[str, object]]:
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
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        result: dict[str, object] = json.loads(answer.read())
    return result


def check_predictions(url: str) -> int:
    """Price test.csv through the container; compare with make_prediction here."""
    from regression_model.predict import make_prediction

    rows = test_rows()
    served: list[object] = []
    for start in range(0, len(rows), MAX_BATCH_ROWS):
        answer = post_json(
            f"{url}/api/v1/predict", {"inputs": rows[start : start + MAX_BATCH_ROWS]}
        )
        if answer["version"] != package_version():
            raise StepFailed(
                "predict", f"served model {answer['version']}, not {package_version()}"
            )
        predictions = answer["predictions"]
        if not isinstance(predictions, list):
            raise StepFailed("predict", f"no list of predictions in {answer}")
        served += predictions
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
    """The server (PID 1 of the container) runs as a user other than root."""
    status = run_engine(name, ["exec", container, "cat", "/proc/1/status"], "non-root")
    command = run_engine(
        name, ["exec", container, "cat", "/proc/1/cmdline"], "non-root"
    )
    uids = re.search(r"^Uid:\s+(\d+)\s+(\d+)", status, re.MULTILINE)
    if not uids:
        raise StepFailed("non-root", f"no Uid line in /proc/1/status:\n{status}")
    real, effective = int(uids.group(1)), int(uids.group(2))
    command = command.replace("\0", " ").strip()
    if "uvicorn" not in command:
        raise StepFailed("non-root", f"PID 1 is not the server: {command}")
    if 0 in (real, effective):
        raise StepFailed("non-root", f"the server runs as root: {command}")
    return effective, command


def check_image(tag: str) -> None:
    """Run the image and check it: health, predictions, user, size; then remove it."""
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
        say(
            f"healthcheck: healthy after {tries} run(s) of the image's HEALTHCHECK, "
            f"{time.monotonic() - started:.1f} s"
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
        pin = run_engine(
            name,
            ["exec", container, "printenv", "HOUSE_PRICES_API_EXPECTED_MODEL_SHA256"],
            "pin",
        ).strip()
        if len(pin) != 64:
            raise StepFailed("pin", f"the image pins no model SHA-256 (got {pin!r})")
        say(f"pin: the server started with its plan pinned to SHA-256 {pin[:12]}…")


# -- push and deploy ------------------------------------------------------------------


def push_image(tag: str, repository: str) -> None:
    """Tag and push the image as ``repository:VERSION`` and ``repository:latest``."""
    name = engine()
    for version in (package_version(), "latest"):
        target = f"{repository}:{version}"
        run_engine(name, ["tag", tag, target], "push")
        run_engine(name, ["push", target], "push", capture=False)
        say(f"push: {target}")


def deploy_heroku(tag: str) -> None:
    """Push the image to Heroku's registry and release it as the ``web`` process."""
    app = os.environ.get("HEROKU_APP")
    api_key = os.environ.get("HEROKU_API_KEY")
    if not app or not api_key:
        raise StepFailed("deploy", "HEROKU_APP and HEROKU_API_KEY must be set")
    name = engine()
    target = f"registry.heroku.com/{app}/web"
    run_engine(
        name,
        ["login", "--username", "_", "--password-stdin", "registry.heroku.com"],
        "deploy",
        input=api_key,
    )
    run_engine(name, ["tag", tag, target], "deploy")
    run_engine(name, ["push", target], "deploy", capture=False)
    image_id = run_engine(
        name, ["image", "inspect", "--format", "{{.Id}}", target], "deploy"
    )
    image_id = image_id.strip()
    if not image_id.startswith("sha256:"):
        image_id = f"sha256:{image_id}"
    request = urllib.request.Request(
        f"https://api.heroku.com/apps/{app}/formation",
        method="PATCH",
        data=json.dumps(
            {"updates": [{"type": "web", "docker_image": image_id}]}
        ).encode(),
        headers={
            "Accept": "application/vnd.heroku+json; version=3.docker-releases",
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60):
            pass
    except urllib.error.HTTPError as error:
        raise StepFailed("deploy", f"Heroku refused the release: {error}") from error
    say(f"deploy: {target} released on https://{app}.herokuapp.com")


# -- command line ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    wheelhouse = commands.add_parser("wheelhouse", help="wheels the image installs")
    wheelhouse.add_argument("--out", type=Path, required=True)
    wheelhouse.add_argument(
        "--index-url",
        default=os.environ.get("MODEL_INDEX_URL"),
        help="the index with regression-model (default: $MODEL_INDEX_URL)",
    )
    build = commands.add_parser("build", help="build api/Dockerfile")
    build.add_argument("--wheelhouse", type=Path, required=True)
    build.add_argument("--tag", required=True)
    build.add_argument(
        "--base-image",
        default=os.environ.get("BASE_IMAGE") or None,
        help="FROM image (default: $BASE_IMAGE; else podman: the local Debian base)",
    )
    for command, help_text in [
        ("test", "run the image and check it"),
        ("deploy-heroku", "release the image on Heroku"),
    ]:
        commands.add_parser(command, help=help_text).add_argument(
            "--tag", required=True
        )
    push = commands.add_parser("push", help="push to a registry")
    push.add_argument("--tag", required=True)
    push.add_argument("--to", required=True, help="e.g. ghcr.io/OWNER/house-prices-api")
    args = parser.parse_args(argv)

    try:
        if args.command == "wheelhouse":
            if not args.index_url:
                raise StepFailed("wheelhouse", "set MODEL_INDEX_URL (or --index-url)")
            wheel = build_wheelhouse(args.out, args.index_url)
            count = len(list(args.out.glob("*/*.whl")))
            say(
                f"wheelhouse: {count} wheels in {args.out}, {wheel.name} from the index"
            )
        elif args.command == "build":
            build_image(args.wheelhouse, args.tag, args.base_image)
        elif args.command == "test":
            check_image(args.tag)
            say(f"image-test: {args.tag} passed")
        elif args.command == "push":
            push_image(args.tag, args.to)
        else:
            deploy_heroku(args.tag)
    except StepFailed as failure:
        print(f"{args.command} FAILED at step {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
