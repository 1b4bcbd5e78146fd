"""The stages stay apart: no stage imports another (import-linter contracts).

The contracts live in ``.importlinter`` at the repository root; ``make lint`` runs
them too. A negative control proves the check can fail: the same contracts over a
copy of the stages in which the procedural stage imports the OOP stage.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
STAGE_PACKAGES = {"procedural", "oop", "regression_model", "app"}


def lint_imports(
    root: Path, package_dir: Path, api_dir: Path
) -> subprocess.CompletedProcess[str]:
    """Run import-linter with ``root``'s contracts over the given source folders."""
    path = os.pathsep.join(str(folder) for folder in (root, package_dir, api_dir))
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / ".importlinter"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": path},
    )


def test_every_stage_keeps_its_import_contract() -> None:
    # Given the repository's stages and contracts
    # When import-linter checks them
    result = lint_imports(ROOT, ROOT / "package", ROOT / "api")

    # Then every contract is kept
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


def test_a_forbidden_import_breaks_the_contract(tmp_path: Path) -> None:
    # Given a copy of the stages where procedural imports the OOP stage
    for name in ("procedural", "oop", "notebooks", "package", "api"):
        shutil.copytree(
            ROOT / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("tests", "outputs", "__pycache__", "*.ipynb"),
        )
    shutil.copy2(CONFIG, tmp_path / ".importlinter")
    features = tmp_path / "procedural" / "features.py"
    features.write_text(features.read_text() + "\nimport oop.settings  # forbidden\n")

    # When import-linter checks the copy
    result = lint_imports(tmp_path, tmp_path / "package", tmp_path / "api")

    # Then it fails, naming the broken contract and the offending import
    assert result.returncode != 0
    assert "procedural (stage 2) imports no other stage" in result.stdout
    assert "BROKEN" in result.stdout
    assert "procedural.features -> oop.settings" in result.stdout


def notebook_imports(path: Path) -> set[str]:
    """The top-level names every code cell of a notebook imports."""
    names: set[str] = set()
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        lines = [
            line for line in source.splitlines() if not line.startswith(("%", "!"))
        ]
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name
)
def test_research_notebooks_import_no_later_stage(notebook: Path) -> None:
    # Given a research notebook (import-linter reads .py files only)
    # When the imports of its code cells are collected
    imported = notebook_imports(notebook)
    # Then none is a later stage: the notebooks' helper module is their own
    assert not imported & STAGE_PACKAGES, sorted(imported & STAGE_PACKAGES)
