"""Push the checked image to a registry, and deploy it on Heroku.

    make image-push IMAGE_REPO=ghcr.io/OWNER/house-prices-api
                    # = python -m scripts.release.deploy push --tag TAG --to REPO
    make deploy     # = python -m scripts.release.deploy heroku --tag TAG
                    #   (with HEROKU_APP and HEROKU_API_KEY set)

Both ship the very image that ``make image-test`` checked: nothing is rebuilt.
``push`` tags it ``REPO:<VERSION>`` and ``REPO:latest`` (log in first, e.g.
``podman login ghcr.io``). ``heroku`` pushes it to ``registry.heroku.com/<app>/web``
and releases it through Heroku's Platform API: the ``heroku container:release web``
call, without the Heroku CLI. Heroku sets ``$PORT``; the image listens on it.
"""

from __future__ import annotations

import argparse
import json
import os
import urllib.error
import urllib.request

from scripts.release.common import (
    StepFailed,
    engine,
    package_version,
    run_engine,
    run_target,
    say,
)

HEROKU_REGISTRY = "registry.heroku.com"
HEROKU_API = "https://api.heroku.com"


def push_image(tag: str, repository: str) -> None:
    """Tag and push the image as ``repository:VERSION`` and ``repository:latest``."""
    name = engine()
    for version in (package_version(), "latest"):
        target = f"{repository}:{version}"
        run_engine(name, ["tag", tag, target], "push")
        run_engine(name, ["push", target], "push", capture=False)
        say(f"push: {target}")


def release_on_heroku(app: str, api_key: str, image_id: str) -> None:
    """Ask Heroku's Platform API to run ``image_id`` as the app's ``web`` process."""
    request = urllib.request.Request(
        f"{HEROKU_API}/apps/{app}/formation",
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


def deploy_heroku(tag: str) -> None:
    """Push the image to Heroku's registry and release it as the ``web`` process."""
    app = os.environ.get("HEROKU_APP")
    api_key = os.environ.get("HEROKU_API_KEY")
    if not app or not api_key:
        raise StepFailed("deploy", "HEROKU_APP and HEROKU_API_KEY must be set")
    name = engine()
    target = f"{HEROKU_REGISTRY}/{app}/web"
    login = ["login", "--username", "_", "--password-stdin", HEROKU_REGISTRY]
    run_engine(name, login, "deploy", input_text=api_key)
    run_engine(name, ["tag", tag, target], "deploy")
    run_engine(name, ["push", target], "deploy", capture=False)
    inspect = ["image", "inspect", "--format", "{{.Id}}", target]
    image_id = run_engine(name, inspect, "deploy").strip()
    if not image_id.startswith("sha256:"):
        image_id = f"sha256:{image_id}"
    release_on_heroku(app, api_key, image_id)
    say(f"deploy: {target} released on https://{app}.herokuapp.com")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``push --tag TAG --to REPO`` or ``heroku --tag TAG``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    push = commands.add_parser("push", help="push to a registry (make image-push)")
    push.add_argument("--tag", required=True)
    push.add_argument("--to", required=True, help="e.g. ghcr.io/OWNER/house-prices-api")
    heroku = commands.add_parser("heroku", help="release on Heroku (make deploy)")
    heroku.add_argument("--tag", required=True)
    args = parser.parse_args(argv)
    if args.command == "push":
        return run_target("image-push", lambda: push_image(args.tag, args.to))
    return run_target("deploy", lambda: deploy_heroku(args.tag))


if __name__ == "__main__":
    raise SystemExit(main())
