"""The batch job as a careless or hostile user meets it: it never deletes what it
did not write, one run at a time, one model per run (recorded in the output),
arguments checked before any work, and a bad Id costs its row only.

Runs that price start a ``LocalCluster`` of one worker on 127.0.0.1 (as
``package/tests/batch`` does); refusals happen before any cluster starts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from regression_model.batch import job
from regression_model.batch.job import main
from regression_model.batch.output import LOCK, MANIFEST, MARKER
from regression_model.batch.score import ShippedModel
from regression_model.config import TRAINED_DIR_ENV
from regression_model.predict import load_model, make_prediction
from regression_model.processing import data_manager as dm


@pytest.fixture(autouse=True)
def default_trained_dir_is_the_sessions(
    package_trained_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job's default trained folder is the session's trained package (a fresh
    clone has no model of its own)."""
    monkeypatch.setenv(TRAINED_DIR_ENV, str(package_trained_dir))


def run(*args: str) -> int:
    """The job's command line, on one local worker."""
    return main([*args, "--workers", "1"])


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def houses(records_csv: Path) -> pd.DataFrame:
    """50 houses of test.csv, every column."""
    return pd.read_csv(records_csv)


def test_an_input_inside_the_output_is_refused_and_kept(
    tmp_path: Path, houses: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given houses.parquet in a folder "out"
    out = tmp_path / "out"
    out.mkdir()
    houses.to_parquet(out / "houses.parquet", index=False)
    before = tree(tmp_path)
    # When the job is asked to write its output into that same folder
    status = run("--input", str(out / "houses.parquet"), "--output", str(out))
    # Then it refuses in one line, exit 2, and the input is where it was
    err = capsys.readouterr().err
    assert status == 2
    assert err == f"error: {out}: holds the input {out / 'houses.parquet'}; " + (
        "write to another folder\n"
    )
    assert tree(tmp_path) == before


def test_a_folder_of_the_users_own_files_is_refused_untouched(
    tmp_path: Path, records_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a folder the job never wrote, holding a user's Parquet file
    output = tmp_path / "mine"
    output.mkdir()
    (output / "my-important-data.parquet").write_bytes(b"precious")
    before = tree(output)
    # When the job is pointed at it
    status = run("--input", str(records_csv), "--output", str(output))
    # Then it refuses in one line and deletes nothing
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(f"error: {output}: not empty and not written by this job")
    assert err.count("\n") == 1
    assert tree(output) == before


def test_a_stale_or_held_lock_refuses_a_second_run_naming_the_lock(
    tmp_path: Path, records_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an output whose lock another run holds (or a killed run left)
    output = tmp_path / "priced"
    output.mkdir()
    (output / MARKER).write_text("")
    (output / LOCK).write_text("pid 4242 on elsewhere\n")
    before = tree(output)
    # When a run is started into it
    status = run("--input", str(records_csv), "--output", str(output))
    # Then it is refused, naming the holder and the lock to remove if stale
    err = capsys.readouterr().err
    assert status == 2
    assert "pid 4242 on elsewhere" in err and f"stale lock {output / LOCK}" in err
    assert err.count("\n") == 1
    assert tree(output) == before


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--workers", "0"], "error: --workers: must be 1 or more, got 0"),
        (["--workers", "-1"], "error: --workers: must be 1 or more, got -1"),
        (
            ["--blocksize", "abc"],
            "error: --blocksize: not a size such as 16MB, got 'abc'",
        ),
        (
            ["--partition-rows", "0"],
            "error: --partition-rows: must be 1 or more, got 0",
        ),
    ],
)
def test_a_bad_argument_is_refused_in_one_line_before_any_work(
    tmp_path: Path,
    records_csv: Path,
    flags: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a valid input and a new output
    output = tmp_path / "priced"
    # When the job is run with a bad argument
    status = main(["--input", str(records_csv), "--output", str(output), *flags])
    # Then it says which, exits 2 and writes nothing
    assert status == 2
    assert capsys.readouterr().err == message + "\n"
    assert not output.exists()


@pytest.mark.parametrize("kind", ["file", "root"])
def test_an_output_that_is_a_file_or_the_root_is_refused(
    tmp_path: Path,
    records_csv: Path,
    kind: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given an output that is an existing file, or /
    output = tmp_path / "taken.txt" if kind == "file" else Path("/")
    if kind == "file":
        output.write_text("mine")
    # When the job is pointed at it
    status = run("--input", str(records_csv), "--output", str(output))
    # Then it refuses in one line, exit 2, naming the output
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(f"error: {output}: ") and err.count("\n") == 1
    if kind == "file":
        assert output.read_text() == "mine"


def test_a_missing_trained_folder_is_blamed_on_the_trained_folder(
    tmp_path: Path, records_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a trained folder that does not exist
    missing = tmp_path / "no-model"
    # When the job is pointed at it
    status = run(
        *("--input", str(records_csv), "--output", str(tmp_path / "priced")),
        *("--trained-dir", str(missing)),
    )
    # Then the error names the trained folder, not the input
    assert status == 2
    assert capsys.readouterr().err == f"error: {missing}: no such trained folder\n"
    assert not (tmp_path / "priced").exists()


def test_a_model_replaced_during_the_run_never_prices_any_row(
    tmp_path: Path,
    houses: pd.DataFrame,
    package_copy: Path,
    rehash: Callable[[Path, str, bytes], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given 50 houses in 5 partitions, and a trained folder whose plan is replaced
    # (by a model pricing every house e times higher) as soon as the job has read it
    path = tmp_path / "houses.parquet"
    houses.to_parquet(path, index=False, row_group_size=10)
    original = load_model(package_copy)
    plan_file = dm.plan_path(dm.pipeline_path(package_copy))
    read_once = job._shipped

    def read_then_replace(trained_dir: Path | None) -> ShippedModel:
        shipped = read_once(trained_dir)
        plan = json.loads(plan_file.read_text())
        next(s for s in plan["steps"] if s["op"] == "linear")["intercept"] += 1.0
        rehash(package_copy, "plan", json.dumps(plan).encode())
        return shipped

    monkeypatch.setattr(job, "_shipped", read_then_replace)
    output = tmp_path / "priced"
    # When the job runs
    status = run(
        *("--input", str(path), "--output", str(output)),
        *("--partition-rows", "10", "--trained-dir", str(package_copy)),
    )
    # Then every row is priced by the model the job read, which the output records
    priced = pd.read_parquet(output)
    expected = make_prediction(houses, model=original)["predictions"]
    manifest = json.loads((output / MANIFEST).read_text())
    assert status == 0
    np.testing.assert_allclose(priced["SalePrice"].to_numpy(), expected, rtol=1e-12)
    assert manifest["plan_sha256"] != dm.file_sha256(plan_file)  # the new one
    assert (manifest["rows"], manifest["priced"], len(manifest["parts"])) == (50, 50, 5)
    for part in manifest["parts"]:
        record = json.loads(pq.read_schema(output / part).metadata[b"regression_model"])
        assert record["plan_sha256"] == manifest["plan_sha256"]


def run_with_bad_ids(tmp_path: Path, houses: pd.DataFrame, kind: str) -> Any:
    """Price the houses, Ids of rows 3, 4 and 40 bad, from a CSV in partitions of
    about 4 kB (or Parquet whose Ids are text), into an output the job wrote before
    that also holds a user's file; return the status and the output."""
    data = houses.astype({"Id": object})
    data.loc[3, "Id"], data.loc[4, "Id"], data.loc[40, "Id"] = "", "1464.5", "abc"
    path = tmp_path / f"houses.{kind}"
    if kind == "csv":
        data.to_csv(path, index=False)
        sizes = ["--blocksize", "4kB"]
    else:
        data.astype({"Id": str}).to_parquet(path, index=False, row_group_size=10)
        sizes = ["--partition-rows", "10"]
    output = tmp_path / "priced"
    output.mkdir()
    (output / MARKER).write_text("")
    (output / "notes.parquet").write_bytes(b"mine")
    status = run("--input", str(path), "--output", str(output), *sizes)
    return status, output


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_bad_id_costs_only_its_row_and_output_ids_are_integers(
    tmp_path: Path, houses: pd.DataFrame, kind: str
) -> None:
    # Given 50 houses, three of them with an empty, fractional or text Id
    # When the job prices them into an output it wrote before
    status, output = run_with_bad_ids(tmp_path, houses, kind)
    # Then only those three rows are unpriced, every other Id is an integer, and
    # the user's file in the output is kept
    parts = sorted(output.glob("part.*.parquet"))
    priced = pd.concat([pd.read_parquet(part) for part in parts], ignore_index=True)
    bad = [3, 4, 40]
    assert status == 1
    assert {str(pq.read_schema(part).field("Id").type) for part in parts} == {"int64"}
    assert priced["SalePrice"].isna().tolist() == [row in bad for row in range(50)]
    assert priced["Id"].isna().tolist() == [row in bad for row in range(50)]
    assert priced["Id"].dropna().tolist() == houses["Id"].drop(index=bad).tolist()
    assert (
        priced.loc[40, "error"].startswith("Id: ")
        and "'abc'" in (priced.loc[40, "error"])
    )
    assert (output / "notes.parquet").read_bytes() == b"mine"


def test_many_one_row_files_are_priced_in_few_partitions(
    tmp_path: Path, houses: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given 50 CSV files of one house each
    folder = tmp_path / "houses"
    folder.mkdir()
    for n in range(50):
        houses.iloc[[n]].to_csv(folder / f"house-{n:02d}.csv", index=False)
    output = tmp_path / "priced"
    # When the job prices the folder (blocksize of about ten files)
    status = run("--input", str(folder), "--output", str(output), "--blocksize", "8kB")
    # Then every house is priced once, in a handful of partitions, not fifty
    priced = pd.read_parquet(output)
    parts = sorted(output.glob("part.*.parquet"))
    assert status == 0, capsys.readouterr().err
    assert sorted(priced["Id"].tolist()) == sorted(houses["Id"].tolist())
    assert 2 <= len(parts) <= 10
