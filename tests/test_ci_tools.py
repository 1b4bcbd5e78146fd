"""CI fails fast: ``.ci/check-tools`` names each missing tool before the suite runs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / ".ci" / "check-tools"
BASH = shutil.which("bash") or "/bin/bash"


def run_check(
    path: Path, ci: str | None, postgresql_lib: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the check with ``path`` as the only folder on PATH, and PostgreSQL's
    programs looked for under ``postgresql_lib`` (by default an empty folder)."""
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PATH"] = str(path)
    env["POSTGRESQL_LIB"] = str(postgresql_lib or path / "no-postgresql")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [BASH, str(CHECK)], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_ci_check_names_each_missing_tool_in_one_line(tmp_path: Path) -> None:
    # Given a PATH with git and make only
    for tool in ("git", "make"):
        found = shutil.which(tool)
        assert found is not None
        (tmp_path / tool).symlink_to(found)

    # When the check runs in CI
    result = run_check(tmp_path, ci="true")

    # Then it fails with one line for each tool the suite needs and PATH lacks
    assert result.returncode == 1
    tools = ("chromium", "podman", "runc", "debootstrap", "haproxy", "prometheus")
    assert result.stderr.splitlines() == [
        *(f"CI needs {tool} on PATH: apt-get install {tool}" for tool in tools),
        "CI needs promtool on PATH: apt-get install prometheus",
        *(
            f"CI needs {tool} in {tmp_path}/no-postgresql/*/bin: "
            "apt-get install postgresql"
            for tool in ("initdb", "pg_ctl", "postgres")
        ),
    ]


def test_ci_check_finds_postgresql_off_path_in_its_versioned_folder(
    tmp_path: Path,
) -> None:
    # Given a PATH with git and make only, and PostgreSQL's programs where Debian
    # puts them: <lib>/<major>/bin, not on PATH
    path, lib = tmp_path / "bin", tmp_path / "postgresql"
    path.mkdir()
    for tool in ("git", "make"):
        found = shutil.which(tool)
        assert found is not None
        (path / tool).symlink_to(found)
    (lib / "15" / "bin").mkdir(parents=True)
    for tool in ("initdb", "pg_ctl", "postgres"):
        program = lib / "15" / "bin" / tool
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)

    # When the check runs in CI
    result = run_check(path, ci="true", postgresql_lib=lib)

    # Then it names the tools PATH lacks, and none of PostgreSQL's
    assert result.returncode == 1
    assert "chromium" in result.stderr
    assert "postgresql" not in result.stderr


def test_ci_check_does_nothing_outside_ci(tmp_path: Path) -> None:
    # Given an empty PATH, outside CI
    # When the check runs
    result = run_check(tmp_path, ci=None)

    # Then it passes silently: a learner's machine may lack the tools (tests skip)
    assert result.returncode == 0
    assert result.stderr == ""
