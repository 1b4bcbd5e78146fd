"""``make setup`` checks its Python before it installs anything.

The Makefile's ``$(VENV)/.python`` step runs first on every ``make setup``: it stops
in one line when ``PYTHON`` is older than 3.11 (or missing), and it makes the venv
again when the one there was made by another Python. These tests point ``VENV`` into
a temporary folder, so the repository's own ``.venv`` is never touched, and stand in
for an old interpreter with a shell script that answers only the version query.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``make`` at the repository root, outside any outer make's flags."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHON", "VENV"}
    }
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def our_lines(stderr: str) -> list[str]:
    """The Makefile's own lines (make adds its "Error 1" line after them)."""
    return [line for line in stderr.splitlines() if line.startswith("make setup")]


def fake_python(folder: Path, version: str) -> Path:
    """An executable that logs its arguments and prints ``version``, whatever asked."""
    script = folder / "python3.9"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{folder}/calls.log"\necho {version}\n')
    script.chmod(0o755)
    return script


def test_setup_with_a_too_old_python_stops_in_one_line_before_installing(
    tmp_path: Path,
) -> None:
    # Given an interpreter that says it is Python 3.9.18, and no venv yet
    old_python = fake_python(tmp_path, "3.9.18")
    venv = tmp_path / "venv"

    # When `make setup` is pointed at it
    result = make("setup", f"PYTHON={old_python}", f"VENV={venv}")

    # Then it fails with one line naming what was found, what is needed, how to fix it
    assert result.returncode != 0
    ours = our_lines(result.stderr)
    assert ours == [
        f"make setup: {old_python} is Python 3.9.18; this repository needs "
        "Python >= 3.11: name another with `make setup PYTHON=python3.11`"
    ]
    # and nothing was made or installed: the interpreter was asked its version only
    assert result.stdout == ""
    assert not venv.exists()
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert calls == ["-c import platform; print(platform.python_version())"]


def test_setup_without_the_named_python_says_so_in_one_line(tmp_path: Path) -> None:
    # Given a PYTHON that is not on PATH
    venv = tmp_path / "venv"

    # When `make setup` is pointed at it
    result = make("setup", "PYTHON=python-that-is-not-here", f"VENV={venv}")

    # Then one line says it was not found and how to name another
    assert result.returncode != 0
    ours = our_lines(result.stderr)
    assert ours == [
        "make setup: no 'python-that-is-not-here' found on PATH; this repository "
        "needs Python >= 3.11: name one with `make setup PYTHON=python3.11`"
    ]
    assert not venv.exists()


def test_a_venv_made_by_another_python_is_made_again(tmp_path: Path) -> None:
    # Given a venv left by a failed run with Python 3.9.18
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / ".python").write_text("3.9.18\n")
    (venv / "left-over").write_text("from the old venv")

    # When the venv step runs with this Python (3.11 or newer)
    result = make(str(venv / ".python"), f"PYTHON={sys.executable}", f"VENV={venv}")

    # Then it says so, removes the old venv and makes a new one with this Python
    assert result.returncode == 0, result.stderr
    assert "was made by Python 3.9.18" in result.stdout
    assert not (venv / "left-over").exists()
    assert (venv / ".python").read_text() == f"{platform.python_version()}\n"
    version = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert version.strip() == str(sys.version_info[:2])


def test_a_venv_made_by_the_same_python_is_kept(tmp_path: Path) -> None:
    # Given a venv whose record names this very Python
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("#!/bin/sh\n")
    (venv / "bin" / "python").chmod(0o755)
    (venv / ".python").write_text(f"{platform.python_version()}\n")
    (venv / "kept").write_text("installed before")

    # When the venv step runs with this Python
    result = make(str(venv / ".python"), f"PYTHON={sys.executable}", f"VENV={venv}")

    # Then the venv is left as it was, silently
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (venv / "kept").is_file()
