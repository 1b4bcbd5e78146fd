"""Commands that paste: what the READMEs tell a learner to type works as written.

A fenced block marked ``bash`` is a promise: every line of it runs as written from the
root of a fresh clone, after ``make run``. Illustrations with placeholders (your own
file, a cluster's address) are fenced as ``text``. These tests check, for every
``bash`` block of every README:

- every ``make`` target a README mentions (in a block or in running text) is listed by
  ``make help``;
- every command starts with something the repository provides (``make``,
  ``.venv/bin/...``) or a documented tool, every ``-m`` module can be imported and
  every file it names exists;
- the cheap ones (:data:`CHEAP_COMMANDS`, each checked to appear in a README) run in a
  fresh clone of the repository and exit 0.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
INLINE_MAKE = re.compile(r"`make ([a-z][a-z-]*)")
# The programs a runnable line may start with, besides the repository's own.
TOOLS = {"make", "curl", "podman", "eval", "export", "cd"}
# Cheap commands, exactly as the READMEs write them, run in a fresh clone in this order.
CHEAP_COMMANDS = [
    "make help",
    ".venv/bin/python -m oop.lesson",
    ".venv/bin/python -m procedural.train",
    ".venv/bin/python -m procedural.score",
    ".venv/bin/python -m procedural.score --input data/test.csv"
    " --output procedural/outputs/my_prices.csv",
    ".venv/bin/python -m oop.train",
    ".venv/bin/python -m oop.score",
    ".venv/bin/python -m regression_model.train_pipeline --data-dir data"
    " --trained-dir package/outputs/trained",
    ".venv/bin/python -m regression_model.predict --input data/test.csv"
    " --output package/outputs/my_prices.csv --trained-dir package/outputs/trained",
]


def readmes() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    return [ROOT / name for name in listed if Path(name).name == "README.md"]


def runnable_commands() -> list[tuple[str, str]]:
    """``(readme, command)`` for every line of every ``bash`` block, comments cut."""
    commands = []
    for readme in readmes():
        for language, body in FENCE.findall(readme.read_text()):
            if language != "bash":
                continue
            pending = ""
            for line in body.replace("\\\n", " ").splitlines():
                line = line.split("  #", 1)[0].split(" # ", 1)[0].rstrip()
                if not pending and (not line.strip() or line.startswith("#")):
                    continue
                pending = f"{pending}\n{line}" if pending else line.strip()
                try:  # a quoted argument may span lines (curl -d '...')
                    shlex.split(pending)
                except ValueError:
                    continue
                commands.append((str(readme.relative_to(ROOT)), pending))
                pending = ""
    return commands


def make_help_targets() -> set[str]:
    listed = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return {line.split()[0] for line in listed.splitlines() if line.strip()}


def test_every_make_target_a_readme_mentions_is_listed_by_make_help() -> None:
    # Given every `make <target>` the READMEs mention
    mentioned = {
        (str(readme.relative_to(ROOT)), target)
        for readme in readmes()
        for target in INLINE_MAKE.findall(readme.read_text())
    }
    # When `make help` lists the targets
    listed = make_help_targets()
    # Then each mentioned target is one of them
    assert sorted(m for m in mentioned if m[1] not in listed) == []


@pytest.mark.parametrize(
    ("readme", "command"), runnable_commands(), ids=lambda value: str(value)[:60]
)
def test_runnable_command_names_what_the_repository_has(
    readme: str, command: str
) -> None:
    # Given a line of a README's bash block
    words = shlex.split(command)
    program = words[0]
    # When its program, module and files are looked up from the repository root
    # Then the program is the repository's own or a documented tool
    assert program in TOOLS or program.startswith(".venv/bin/"), (readme, command)
    if program.startswith(".venv/bin/") and "-m" in words:
        module = words[words.index("-m") + 1]
        with_root = [str(ROOT), str(ROOT / "api"), *sys.path]
        found = importlib.util.find_spec(module.split(".")[0]) is not None or any(
            (Path(folder) / module.replace(".", "/")).with_suffix(".py").is_file()
            or (Path(folder) / module.replace(".", "/")).is_dir()
            for folder in with_root
        )
        assert found, f"{readme}: no module {module}"
    elif program.startswith(".venv/bin/python"):
        assert (ROOT / words[1]).is_file(), f"{readme}: no file {words[1]}"
    if program.startswith(".venv/bin/pytest"):
        paths = [word for word in words[1:] if not word.startswith("-")]
        assert all((ROOT / path).exists() for path in paths), (readme, command)


def test_every_cheap_command_is_one_a_readme_gives() -> None:
    # Given the documented list of cheap commands
    # When it is compared with the READMEs' runnable lines
    given = {command for _, command in runnable_commands()}
    # Then each is there, word for word (so the list cannot drift from the docs)
    assert [command for command in CHEAP_COMMANDS if command not in given] == []


def test_cheap_commands_run_as_written_in_a_fresh_clone(
    tmp_path: Path, real_data_dir: Path
) -> None:
    # Given a fresh clone of this repository, with the environment and the data
    # that `make run` would have set up
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)],
        check=True,
    )
    (clone / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    for path in real_data_dir.iterdir():
        if path.suffix in {".csv", ".txt"}:
            (clone / "data" / path.name).symlink_to(path)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH"}}

    # When each cheap command runs as written, from the clone's root
    for command in CHEAP_COMMANDS:
        result = subprocess.run(
            command, shell=True, cwd=clone, env=env, capture_output=True, text=True
        )
        # Then it succeeds
        assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"
    assert (clone / "procedural" / "outputs" / "my_prices.csv").is_file()
    assert (clone / "oop" / "outputs" / "predictions.csv").is_file()
