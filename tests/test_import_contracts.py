"""The stages stay apart and the package's layers point down (import-linter).

The contracts live in ``.importlinter`` at the repository root; ``make lint`` runs
them too. Negative controls prove the checks can fail: the same contracts over a
copy of the stages in which the procedural stage imports the OOP stage, the
package's bottom layer imports its serving layer, or the plan imports scikit-learn.
A serving process is checked as it runs, too: after it has priced a house, none of
the training libraries is in ``sys.modules``.
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
    contracts = CONFIG.read_text().count("[importlinter:contract:")

    # When import-linter checks them
    result = lint_imports(ROOT, ROOT / "package", ROOT / "api")

    # Then every contract is kept
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{contracts} kept, 0 broken" in result.stdout


# (file to edit, the import added, the contract it breaks, the import named)
FORBIDDEN_IMPORTS = {
    "procedural imports oop": (
        "procedural/features.py",
        "import oop.settings",
        "procedural (stage 2) imports no other stage",
        "procedural.features -> oop.settings",
    ),
    "processing imports serving": (
        "package/regression_model/processing/schema.py",
        "import regression_model.serving.plan",
        "regression_model (stage 4) in layers that point down",
        "regression_model.processing.schema -> regression_model.serving.plan",
    ),
    "the plan imports scikit-learn": (
        "package/regression_model/serving/plan.py",
        "import sklearn.linear_model",
        "regression_model's plan and explanations import no skops",
        "regression_model.serving.plan -> sklearn",
    ),
}


@pytest.mark.parametrize(
    ("edited", "added", "contract", "named"),
    FORBIDDEN_IMPORTS.values(),
    ids=FORBIDDEN_IMPORTS.keys(),
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, edited: str, added: str, contract: str, named: str
) -> None:
    # Given a copy of the stages with one forbidden import added
    for name in ("procedural", "oop", "notebooks", "package", "api"):
        shutil.copytree(
            ROOT / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("tests", "outputs", "__pycache__", "*.ipynb"),
        )
    shutil.copy2(CONFIG, tmp_path / ".importlinter")
    module = tmp_path / edited
    module.write_text(module.read_text() + f"\n{added}  # forbidden\n")

    # When import-linter checks the copy
    result = lint_imports(tmp_path, tmp_path / "package", tmp_path / "api")

    # Then it fails, naming the broken contract and the offending import
    output = " ".join(result.stdout.split())  # long lines are wrapped
    assert result.returncode != 0
    assert "1 broken" in output
    assert f"{contract}" in output and "BROKEN" in output
    assert named in output


SERVE_ONE_HOUSE = """
import sys
from pathlib import Path
from regression_model.predict import load_model, make_prediction
plan = load_model(Path(sys.argv[1]))
result = make_prediction([{"GrLivArea": 1500}], model=plan, explain=True)
assert result["predictions"][0] > 0, result
assert result["explanations"][0]["contributions"], result
print(" ".join(sorted({m.split(".")[0] for m in sys.modules if m[0] != "_"})))
"""


def test_serving_a_price_loads_no_training_library(package_trained_dir: Path) -> None:
    # Given a fresh interpreter
    # When it loads the plan and prices (and explains) a house
    completed = subprocess.run(
        [sys.executable, "-c", SERVE_ONE_HOUSE, str(package_trained_dir)],
        capture_output=True,
        text=True,
        check=False,
    )

    # Then none of skops, scikit-learn and feature-engine was imported
    assert completed.returncode == 0, completed.stderr
    loaded = set(completed.stdout.split())
    print("top-level modules of a serving process:", *sorted(loaded))
    assert "regression_model" in loaded
    assert not loaded & {"skops", "sklearn", "feature_engine"}


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
