"""Tests of notebooks/run_notebooks.py: the order it runs in and how it fails."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from notebooks.run_notebooks import NotebookFailed, numbered_notebooks, run_notebook


def write_notebook(path, *cells):
    notebook = new_notebook(cells=list(cells))
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    nbformat.write(notebook, path)
    return path


def test_numbered_notebooks_are_found_in_order(tmp_path):
    # Given
    for name in ["02-b.ipynb", "01-a.ipynb", "draft.ipynb", "10-c.ipynb"]:
        write_notebook(tmp_path / name)

    # When
    found = numbered_notebooks(tmp_path)

    # Then
    assert [path.name for path in found] == ["01-a.ipynb", "02-b.ipynb", "10-c.ipynb"]


def test_notebook_runs_with_its_folder_as_working_directory(tmp_path):
    # Given
    path = write_notebook(
        tmp_path / "01-write.ipynb",
        new_code_cell("open('written.txt', 'w').write('ok')"),
    )

    # When
    run_notebook(path)

    # Then
    assert (tmp_path / "written.txt").read_text() == "ok"


def test_error_names_the_notebook_and_the_failing_cell(tmp_path):
    # Given
    path = write_notebook(
        tmp_path / "01-broken.ipynb",
        new_markdown_cell("# A notebook that fails"),
        new_code_cell("x = 1"),
        new_code_cell("x / 0"),
    )

    # When
    with pytest.raises(NotebookFailed) as failure:
        run_notebook(path)

    # Then
    message = str(failure.value)
    assert message.startswith("01-broken.ipynb: cell 3 of 3 (starting 'x / 0')")
    assert message.endswith("ZeroDivisionError: division by zero")


def test_notebook_on_disk_is_not_rewritten(tmp_path):
    # Given
    path = write_notebook(tmp_path / "01-print.ipynb", new_code_cell("print('hi')"))
    before = path.read_bytes()

    # When
    run_notebook(path)

    # Then
    assert path.read_bytes() == before
