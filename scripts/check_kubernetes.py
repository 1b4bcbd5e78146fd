"""Check the Kubernetes manifests offline: the schema, then this project's rules.

``kubernetes-validate`` (strict) checks every document in every ``*.yaml`` of a folder
against Kubernetes' own OpenAPI schemas, with no cluster: a misspelt field or
``replicas: "two"`` fails. A manifest can be valid and still wrong for this service,
so every Deployment is then checked against the API it runs:

- its probes ask for paths the API has (``GET`` operations of the OpenAPI schema of
  ``app.main.create_app()``, no server started): readiness ``/api/v1/health/ready``,
  liveness ``/api/v1/health/live``;
- its containers run as a non-root user, on a read-only root file system, without
  privilege escalation, with CPU and memory requests and limits;
- a rollout never lowers the ready replicas (``RollingUpdate``, ``maxUnavailable: 0``);
- the pod's termination grace outlasts the server's drain plus its shutdown grace.

Usage, from the repository root (``make lint`` runs it)::

    python -m scripts.check_kubernetes deploy/kubernetes

One line per problem (``file: kind/name: reason``). Exit codes: 0 every manifest
passes, 1 some problem, 2 no manifest found.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

KUBERNETES_VERSION = "1.37.0"
READY_PATH = "/api/v1/health/ready"
LIVE_PATH = "/api/v1/health/live"
PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
RESOURCES = ("cpu", "memory")
# The server's defaults (app.core.config.Settings) when a container sets no env.
DEFAULT_DRAIN_SECONDS = 5
DEFAULT_GRACE_SECONDS = 10


def api_paths() -> set[str]:
    """The paths the API answers with ``GET``, read from its OpenAPI schema."""
    from app.main import create_app  # the API's own routes: no server, no model

    schema = create_app().openapi()
    return {path for path, operations in schema["paths"].items() if "get" in operations}


def manifests(folder: Path) -> Iterator[tuple[Path, Any]]:
    """Every YAML document in ``folder``'s ``*.yaml`` and ``*.yml`` files."""
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        for document in yaml.safe_load_all(path.read_text()):
            if document is not None:
                yield path, document


def schema_problems(document: Any) -> list[str]:
    """What Kubernetes' schema (strict: no unknown fields) refuses in ``document``."""
    if not isinstance(document, dict):
        return ["not a mapping"]
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        where = ".".join(str(part) for part in error.path) or "(top level)"
        return [f"{where}: {error.message}"]
    except kubernetes_validate.SchemaNotFoundError as error:
        return [error.message]
    return []


def probe_problems(container: dict[str, Any], paths: set[str]) -> list[str]:
    """Probes missing, or asking for a path the API does not answer."""
    problems = []
    expected = {"readinessProbe": READY_PATH, "livenessProbe": LIVE_PATH}
    for probe, path in expected.items():
        if probe not in container:
            problems.append(f"no {probe} (expected GET {path})")
    for probe in PROBES:
        asked = container.get(probe, {}).get("httpGet", {}).get("path")
        if probe in container and asked is None:
            problems.append(f"{probe} is not an httpGet probe")
        elif asked is not None and asked not in paths:
            problems.append(f"{probe} asks for {asked}, a path the API does not have")
        elif probe in expected and asked is not None and asked != expected[probe]:
            problems.append(f"{probe} asks for {asked}, expected {expected[probe]}")
    return problems


def security_problems(pod: dict[str, Any], container: dict[str, Any]) -> list[str]:
    """A container that may run as root, write its image, or gain privileges."""
    pod_context = pod.get("securityContext", {})
    context = container.get("securityContext", {})
    problems = []
    if not context.get("runAsNonRoot", pod_context.get("runAsNonRoot", False)):
        problems.append("runAsNonRoot is not true")
    if context.get("runAsUser", pod_context.get("runAsUser")) == 0:
        problems.append("runAsUser is 0 (root)")
    if context.get("readOnlyRootFilesystem") is not True:
        problems.append("readOnlyRootFilesystem is not true")
    if context.get("allowPrivilegeEscalation") is not False:
        problems.append("allowPrivilegeEscalation is not false")
    return problems


def resource_problems(container: dict[str, Any]) -> list[str]:
    """CPU or memory without a request or a limit."""
    resources = container.get("resources", {})
    return [
        f"no {name} {kind.removesuffix('s')}"
        for kind in ("requests", "limits")
        for name in RESOURCES
        if name not in resources.get(kind, {})
    ]


def env_seconds(container: dict[str, Any], setting: str, default: int) -> float:
    """A ``HOUSE_PRICES_API_*`` number from the container's env, else the default."""
    for variable in container.get("env", []):
        if variable.get("name") == f"HOUSE_PRICES_API_{setting}":
            return float(variable.get("value", default))
    return float(default)


def deployment_problems(document: dict[str, Any], paths: set[str]) -> list[str]:
    """This project's rules for a Deployment of the API (module docstring)."""
    spec = document.get("spec", {})
    strategy = spec.get("strategy", {})
    problems = []
    if strategy.get("type") != "RollingUpdate":
        problems.append("strategy is not RollingUpdate")
    elif strategy.get("rollingUpdate", {}).get("maxUnavailable") != 0:
        problems.append("rollingUpdate.maxUnavailable is not 0")
    pod = spec.get("template", {}).get("spec", {})
    termination = pod.get("terminationGracePeriodSeconds", 30)
    for container in pod.get("containers", []):
        name = container.get("name", "?")
        found = [
            *probe_problems(container, paths),
            *security_problems(pod, container),
            *resource_problems(container),
        ]
        drain = env_seconds(container, "DRAIN_SECONDS", DEFAULT_DRAIN_SECONDS)
        grace = env_seconds(container, "SHUTDOWN_GRACE_SECONDS", DEFAULT_GRACE_SECONDS)
        if termination <= drain + grace:
            found.append(
                f"terminationGracePeriodSeconds {termination} is not above drain "
                f"{drain:g} s + shutdown grace {grace:g} s"
            )
        problems += [f"container {name}: {problem}" for problem in found]
    return problems


def check(folder: Path) -> tuple[int, list[str]]:
    """Check every manifest in ``folder``: how many documents, one line per problem."""
    paths: set[str] | None = None  # read once, at the first Deployment
    count, problems = 0, []
    for path, document in manifests(folder):
        count += 1
        found = schema_problems(document)
        if not found and document.get("kind") == "Deployment":
            paths = api_paths() if paths is None else paths
            found = deployment_problems(document, paths)
        meta = document.get("metadata", {}) if isinstance(document, dict) else {}
        kind = document.get("kind", "?") if isinstance(document, dict) else "?"
        problems += [f"{path}: {kind}/{meta.get('name', '?')}: {p}" for p in found]
    return count, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.check_kubernetes",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("folder", type=Path, help="folder of *.yaml manifests")
    args = parser.parse_args(argv)
    count, problems = check(args.folder)
    if count == 0:
        print(f"{args.folder}: no Kubernetes manifest found", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"{args.folder}: {count} manifests valid (Kubernetes {KUBERNETES_VERSION})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
