"""Execute the numbered research notebooks in order, without rewriting them.

``make run-notebooks`` runs this script. Each ``NN-*.ipynb`` in this folder is
executed in memory with this folder as working directory (the notebooks read
``../data/`` and write ``outputs/``), so ``outputs/predictions.csv`` exists afterwards
while the committed notebooks, with their stored outputs, stay as they are. A failing
cell stops the run with a message naming the notebook and the cell.

Usage: ``python notebooks/run_notebooks.py`` or ``python -m notebooks.run_notebooks``,
from any working directory. Without the Kaggle files in ``../data/`` it says which are
missing and exits with code 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parent
DATA = NOTEBOOKS.parent / "data"  # the notebooks read ../data/
DATA_FILES = ["train.csv", "test.csv", "data_description.txt"]
CELL_TIMEOUT_SECONDS = 600


class NotebookFailed(Exception):
    """A cell of a notebook raised an error."""


def numbered_notebooks(folder: Path) -> list[Path]:
    """Return the notebooks named ``NN-description.ipynb`` in ``folder``, in order."""
    return sorted(folder.glob("[0-9][0-9]-*.ipynb"))


def run_notebook(path: Path) -> None:
    """Execute every code cell of the notebook at ``path``, in memory.

    Raises
    ------
    NotebookFailed
        If a cell raises, naming the notebook, the cell and the error.
    """
    notebook = nbformat.read(path, as_version=4)
    # encrypt the traffic with the kernel (CurveZMQ) when the kernel supports it
    kernel = KernelManager(kernel_name="python3", transport_encryption="auto")
    client = NotebookClient(
        notebook,
        km=kernel,
        timeout=CELL_TIMEOUT_SECONDS,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        with client.setup_kernel():
            for index, cell in enumerate(notebook.cells):
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as error:
                    first_line = cell.source.strip().splitlines()[0]
                    raise NotebookFailed(
                        f"{path.name}: cell {index + 1} of {len(notebook.cells)} "
                        f"(starting {first_line!r}) failed with "
                        f"{error.ename}: {error.evalue}"
                    ) from error
    finally:
        # The client does not own a kernel manager it was given, so it leaves the
        # kernel running: stop it here, or it lingers until this process exits.
        if kernel.has_kernel:
            kernel.shutdown_kernel(now=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    notebooks = numbered_notebooks(NOTEBOOKS)
    if not notebooks:
        print(f"run_notebooks: no NN-*.ipynb notebook in {NOTEBOOKS}", file=sys.stderr)
        return 2
    missing = [name for name in DATA_FILES if not (DATA / name).is_file()]
    if missing:
        print(
            f"run_notebooks: error: {DATA}: missing {', '.join(missing)}; "
            "run `make data`",
            file=sys.stderr,
        )
        return 2
    start = time.perf_counter()
    for path in notebooks:
        notebook_start = time.perf_counter()
        try:
            run_notebook(path)
        except NotebookFailed as error:
            print(f"run_notebooks: error: {error}", file=sys.stderr)
            return 1
        print(f"ran {path.name} in {time.perf_counter() - notebook_start:.1f} s")
    print(f"ran {len(notebooks)} notebooks in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
