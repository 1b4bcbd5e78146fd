"""deploy/kubernetes/ passes ``python -m scripts.check_kubernetes``; broken copies fail.

The check runs offline: Kubernetes' schemas come with ``kubernetes-validate``, the
API's paths from ``app.main.create_app()``; no cluster, no server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from scripts.check_kubernetes import check, main

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = ROOT / "deploy" / "kubernetes"


@pytest.fixture
def manifests_copy(tmp_path: Path) -> Path:
    """A copy of deploy/kubernetes/ that a test may break."""
    return Path(shutil.copytree(MANIFESTS, tmp_path / "kubernetes"))


def edit_deployment(folder: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in the copy's deployment.yaml."""
    path = folder / "deployment.yaml"
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new))


def test_manifests_pass_the_schema_and_the_project_rules() -> None:
    # Given the manifests shipped in deploy/kubernetes/
    kinds = {
        document["kind"]
        for path in MANIFESTS.glob("*.yaml")
        for document in yaml.safe_load_all(path.read_text())
    }

    # When they are checked
    count, problems = check(MANIFESTS)

    # Then there are the four kinds, and not one problem
    assert kinds == {
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    }
    assert (count, problems) == (4, [])


def test_probe_on_a_path_the_api_lacks_fails_in_one_line(
    manifests_copy: Path,
) -> None:
    # Given a Deployment whose liveness probe asks for a path the API has not
    path = manifests_copy / "deployment.yaml"
    deployment = yaml.safe_load(path.read_text())
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["livenessProbe"]["httpGet"]["path"] = "/api/v1/healthz"
    path.write_text(yaml.safe_dump(deployment))

    # When it is checked
    _, problems = check(manifests_copy)

    # Then one line names the file, the probe and the path
    assert problems == [
        f"{manifests_copy / 'deployment.yaml'}: Deployment/house-prices-api: "
        "container api: livenessProbe asks for /api/v1/healthz, "
        "a path the API does not have"
    ]


def test_replicas_as_a_string_fails_the_schema_in_one_line(
    manifests_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a Deployment with `replicas: "two"`
    edit_deployment(manifests_copy, "replicas: 2", 'replicas: "two"')

    # When the command checks the folder
    status = main([str(manifests_copy)])

    # Then it exits 1 with one line: the file, the field and what is wrong
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert lines == [
        f"{manifests_copy / 'deployment.yaml'}: Deployment/house-prices-api: "
        "spec.replicas: 'two' is not of type 'integer', 'null'"
    ]


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("maxUnavailable: 0", "maxUnavailable: 1", "maxUnavailable is not 0"),
        (
            "readOnlyRootFilesystem: true",
            "readOnlyRootFilesystem: false",
            "readOnlyRootFilesystem is not true",
        ),
        (
            "allowPrivilegeEscalation: false",
            "allowPrivilegeEscalation: true",
            "allowPrivilegeEscalation is not false",
        ),
        ("memory: 256Mi", "ephemeral-storage: 1Gi", "no memory limit"),
        (
            "terminationGracePeriodSeconds: 30",
            "terminationGracePeriodSeconds: 15",
            "terminationGracePeriodSeconds 15 is not above drain 5 s + "
            "shutdown grace 10 s",
        ),
    ],
)
def test_deployment_breaking_a_project_rule_fails_with_its_reason(
    manifests_copy: Path, old: str, new: str, reason: str
) -> None:
    # Given a Deployment valid for Kubernetes but breaking one of the project's rules
    edit_deployment(manifests_copy, old, new)

    # When it is checked
    _, problems = check(manifests_copy)

    # Then exactly that rule is reported
    assert len(problems) == 1
    assert problems[0].endswith(reason)


def test_folder_without_manifests_exits_2(tmp_path: Path) -> None:
    # Given an empty folder
    # When the command checks it
    status = main([str(tmp_path)])

    # Then it says there is nothing to check
    assert status == 2
