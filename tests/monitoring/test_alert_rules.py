"""The alert rules and Prometheus's configuration, checked by ``promtool``.

``promtool check config`` reads ``deploy/prometheus/prometheus.yml`` and the rule
files it names as Prometheus would at start-up; ``promtool check rules`` checks
``alerts.yml``'s PromQL; ``promtool test rules`` runs ``tests/alerts_test.yml``:
for each alert, made-up series where it must fire and where it must not. A copy of
the rules with one threshold changed must fail those cases, so they can fail.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.monitoring.programs import ALERTS

TIMEOUT_S = 60


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S
    )


def test_prometheus_accepts_the_configuration_and_its_rule_file(
    promtool: str, prometheus_dir: Path
) -> None:
    # Given deploy/prometheus/prometheus.yml, which loads alerts.yml
    # When promtool checks it as Prometheus would at start-up
    result = run([promtool, "check", "config", "prometheus.yml"], prometheus_dir)

    # Then the configuration is valid and its five rules are found
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 5 rules found" in result.stdout


def test_the_rules_file_holds_the_five_alerts_and_valid_promql(
    promtool: str, prometheus_dir: Path
) -> None:
    # Given alerts.yml
    rules = yaml.safe_load((prometheus_dir / "alerts.yml").read_text())
    names = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}

    # When promtool checks its rules
    result = run([promtool, "check", "rules", "alerts.yml"], prometheus_dir)

    # Then they parse, and they are the five alerts the operators' guide explains
    assert result.returncode == 0, result.stdout + result.stderr
    assert names == ALERTS


def test_each_alert_fires_and_stays_quiet_where_its_cases_say(
    promtool: str, prometheus_dir: Path
) -> None:
    # Given the unit tests of the rules: a firing and a quiet case for every alert
    cases = yaml.safe_load((prometheus_dir / "tests" / "alerts_test.yml").read_text())
    firing = {
        check["alertname"]
        for case in cases["tests"]
        for check in case["alert_rule_test"]
        if check["exp_alerts"]
    }
    quiet = {
        check["alertname"]
        for case in cases["tests"]
        for check in case["alert_rule_test"]
        if not check["exp_alerts"]
    }

    # When promtool runs them
    result = run([promtool, "test", "rules", "tests/alerts_test.yml"], prometheus_dir)

    # Then every case passes, and every alert has both kinds of case
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
    assert firing == quiet == ALERTS


def test_the_cases_fail_when_a_threshold_changes(
    promtool: str, copy_of_rules: Callable[[str, str], Path]
) -> None:
    # Given a copy of the rules where drift must pass a PSI of 0.5, not 0.25
    tests = copy_of_rules(
        "house_prices_feature_drift_psi > 0.25", "house_prices_feature_drift_psi > 0.5"
    )

    # When promtool runs the same cases against it
    result = run([promtool, "test", "rules", tests.name], tests.parent)

    # Then the case where drift must fire fails, and promtool says which alert
    assert result.returncode == 1
    assert "alertname: HousePricesFeatureDrift" in result.stdout + result.stderr
