"""``scripts/release/common.py``: the environment the release scripts give podman."""

from __future__ import annotations

import pytest

from scripts.release import common


@pytest.fixture
def environment(monkeypatch):
    """No CONTAINERS_CONF or DISABLE_HC_SYSTEMD of the caller's own."""
    monkeypatch.delenv("CONTAINERS_CONF", raising=False)
    monkeypatch.delenv("DISABLE_HC_SYSTEMD", raising=False)
    return monkeypatch


def test_without_systemd_podman_is_told_not_to_ask_it_for_healthcheck_timers(
    environment, tmp_path
):
    # Given a host not booted with systemd (its runtime folder is missing)
    environment.setattr(common, "SYSTEMD_RUNTIME", tmp_path / "missing")

    # When the release scripts make podman's environment
    env = common.engine_environment("podman")

    # Then podman gets the repository's settings and skips the systemd timers
    assert env["CONTAINERS_CONF"] == str(common.CONTAINERS_CONF)
    assert env["DISABLE_HC_SYSTEMD"] == "true"


def test_with_systemd_podman_keeps_its_healthcheck_timers(environment, tmp_path):
    # Given a host booted with systemd
    environment.setattr(common, "SYSTEMD_RUNTIME", tmp_path)

    # When the release scripts make podman's environment
    env = common.engine_environment("podman")

    # Then podman's healthcheck timers are left on
    assert env["CONTAINERS_CONF"] == str(common.CONTAINERS_CONF)
    assert "DISABLE_HC_SYSTEMD" not in env


def test_a_setting_of_the_caller_wins(environment, tmp_path):
    # Given a host without systemd and a caller who wants the timers anyway
    environment.setattr(common, "SYSTEMD_RUNTIME", tmp_path / "missing")
    environment.setenv("DISABLE_HC_SYSTEMD", "false")

    # When the release scripts make podman's environment
    env = common.engine_environment("podman")

    # Then the caller's value is kept
    assert env["DISABLE_HC_SYSTEMD"] == "false"


def test_docker_gets_no_podman_settings(environment, tmp_path):
    # Given a host without systemd
    environment.setattr(common, "SYSTEMD_RUNTIME", tmp_path / "missing")

    # When the release scripts make docker's environment
    env = common.engine_environment("docker")

    # Then none of podman's settings are in it
    assert "CONTAINERS_CONF" not in env and "DISABLE_HC_SYSTEMD" not in env
