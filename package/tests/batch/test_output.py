"""The batch job's output: a folder the job owns, its parts replaced whole when a
run succeeds, kept when it fails, one run at a time, counted from the footers."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from regression_model.batch.output import (
    LOCK,
    MANIFEST,
    MARKER,
    OutputError,
    check_output,
    count_output,
    part_files,
    staged_output,
)


@pytest.fixture
def previous_output(tmp_path: Path) -> Path:
    """An output folder of an earlier run: its marker and one part file."""
    output = tmp_path / "priced"
    output.mkdir()
    (output / MARKER).write_text("")
    pd.DataFrame({"Id": [9], "SalePrice": [1.0]}).to_parquet(
        output / "part.000099.parquet"
    )
    return output


def visible(folder: Path) -> list[str]:
    """The names of a folder's files that readers see (not hidden ones)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_files_of_a_successful_run_replace_the_previous_parts(
    previous_output: Path,
) -> None:
    # Given an earlier run's output
    # When a run writes two files into its staging folder and succeeds
    with staged_output(previous_output, {"plan_sha256": "abc"}) as staging:
        for n in range(2):
            pd.DataFrame({"Id": [n]}).to_parquet(staging / f"part.{n:06d}.parquet")
    # Then the output holds this run's parts and manifest, and no staging or lock
    assert visible(previous_output) == [
        MANIFEST,
        "part.000000.parquet",
        "part.000001.parquet",
    ]
    assert json.loads((previous_output / MANIFEST).read_text()) == {
        "plan_sha256": "abc"
    }
    assert sorted(p.name for p in previous_output.iterdir() if p.name[0] == ".") == [
        MARKER
    ]
    assert sorted(p.name for p in previous_output.parent.iterdir()) == ["priced"]


def test_a_failed_run_keeps_the_previous_output_whole(previous_output: Path) -> None:
    # Given an earlier run's output
    before = (previous_output / "part.000099.parquet").read_bytes()
    # When a run writes a file into its staging folder and then fails
    with pytest.raises(OSError), staged_output(previous_output) as staging:
        pd.DataFrame({"Id": [0]}).to_parquet(staging / "part.000000.parquet")
        raise OSError("No space left on device")
    # Then the output is the earlier run's, untouched, and its lock is released
    assert visible(previous_output) == ["part.000099.parquet"]
    assert (previous_output / "part.000099.parquet").read_bytes() == before
    assert not (previous_output / LOCK).exists()


def test_files_the_job_did_not_write_are_kept(previous_output: Path) -> None:
    # Given a user's own files in an output the job wrote before
    (previous_output / "my-important-data.parquet").write_bytes(b"mine")
    (previous_output / "part.1.parquet").write_bytes(b"mine too")
    # When a run succeeds
    with staged_output(previous_output) as staging:
        pd.DataFrame({"Id": [0]}).to_parquet(staging / "part.000000.parquet")
    # Then only the job's own part file was replaced
    assert visible(previous_output) == [
        "my-important-data.parquet",
        "part.000000.parquet",
        "part.1.parquet",
    ]
    assert (previous_output / "my-important-data.parquet").read_bytes() == b"mine"


def test_a_folder_the_job_never_wrote_is_refused_untouched(tmp_path: Path) -> None:
    # Given a folder holding a user's file and no marker
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "houses.parquet").write_bytes(b"data")
    # When it is checked as an output, then claimed as one
    with pytest.raises(OutputError) as refused:
        check_output(folder, [])
    with pytest.raises(OutputError), staged_output(folder):
        pass
    # Then it is refused in one line, and nothing in it changed
    assert str(refused.value).startswith(f"error: {folder}: not empty")
    assert sorted(p.name for p in folder.iterdir()) == ["houses.parquet"]


def test_an_output_that_holds_or_equals_the_input_is_refused(tmp_path: Path) -> None:
    # Given an input file inside a new folder
    houses = tmp_path / "out" / "houses.parquet"
    houses.parent.mkdir()
    houses.write_bytes(b"data")
    # When the folder, or the file itself, is checked as the output
    # Then each is refused, naming the input
    for output in (houses.parent, houses):
        with pytest.raises(OutputError, match="holds the input"):
            check_output(output, [houses])


def test_a_second_run_into_a_locked_output_is_refused(previous_output: Path) -> None:
    # Given a run that holds the output
    with staged_output(previous_output) as staging:
        pd.DataFrame({"Id": [0]}).to_parquet(staging / "part.000000.parquet")
        # When a second run claims the same output
        with pytest.raises(OutputError) as refused, staged_output(previous_output):
            pass
        # Then it is refused, naming the lock, and the first run's staging is intact
        assert str(previous_output / LOCK) in str(refused.value)
        assert part_files(staging) == [staging / "part.000000.parquet"]
    # ... and the first run still finishes, releasing the lock
    assert visible(previous_output) == ["part.000000.parquet"]
    assert not (previous_output / LOCK).exists()


def test_count_output_counts_rows_and_priced_rows(tmp_path: Path) -> None:
    # Given two part files, three rows in all, one of them without a price, and a
    # file the job did not write
    pd.DataFrame({"Id": [1, 2], "SalePrice": [1e5, None]}).to_parquet(
        tmp_path / "part.000000.parquet"
    )
    pd.DataFrame({"Id": [3], "SalePrice": [2e5]}).to_parquet(
        tmp_path / "part.000001.parquet"
    )
    pd.DataFrame({"Id": [4], "SalePrice": [3e5]}).to_parquet(tmp_path / "other.parquet")
    # When the output is counted
    counts = count_output(tmp_path)
    # Then it has three rows, two priced
    assert counts == (3, 2)
