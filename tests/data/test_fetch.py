"""The data step: every Kaggle file ends up in data/ with the right SHA-256, or the
run stops with one line naming the file."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from data import fetch

ROOT = Path(__file__).resolve().parents[2]
FETCH_SCRIPT = ROOT / "data" / "fetch.py"
KAGGLE_FILES = [
    "train.csv",
    "test.csv",
    "data_description.txt",
    "sample_submission.csv",
]


def write_files(folder: Path, contents: dict[str, bytes]) -> dict[str, str]:
    """Write small stand-in files; return their checksums."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        (folder / name).write_bytes(content)
    return {name: hashlib.sha256(c).hexdigest() for name, c in contents.items()}


@pytest.fixture
def stand_ins() -> dict[str, bytes]:
    return {"train.csv": b"Id,SalePrice\n1,100\n", "test.csv": b"Id\n2\n"}


def run_script(data_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if k != fetch.SOURCE_ENV_VAR}
    clean_env["PATH"] = os.path.dirname(sys.executable)  # no Kaggle CLI on the path
    return subprocess.run(
        [sys.executable, str(FETCH_SCRIPT), "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env={**clean_env, **env},
    )


def test_checksums_file_lists_the_four_kaggle_files():
    # Given the tracked checksums file
    # When it is read
    checksums = fetch.read_checksums(fetch.CHECKSUMS_FILE)
    # Then it names exactly the four Kaggle files with their published SHA-256 sums
    assert sorted(checksums) == sorted(KAGGLE_FILES)
    assert checksums["train.csv"] == (
        "1e18addf81e5e4d347cc17ee6075bbe4a42b7fa26b9e5b063e8f692a5f929d41"
    )


def test_copies_files_from_source_dir(tmp_path, stand_ins):
    # Given the files in a source folder and an empty data folder
    checksums = write_files(tmp_path / "source", stand_ins)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    # When the data step runs with that source
    errors = fetch.fetch(data_dir, tmp_path / "source", checksums)
    # Then every file is copied unchanged and nothing is reported
    assert errors == []
    for name, content in stand_ins.items():
        assert (data_dir / name).read_bytes() == content


def test_keeps_file_already_present_without_a_source(tmp_path, stand_ins):
    # Given the files already in the data folder and no source
    data_dir = tmp_path / "data"
    checksums = write_files(data_dir, stand_ins)
    before = {name: (data_dir / name).stat().st_mtime_ns for name in stand_ins}
    # When the data step runs
    errors = fetch.fetch(data_dir, None, checksums)
    # Then it succeeds and leaves the files untouched
    assert errors == []
    assert {name: (data_dir / name).stat().st_mtime_ns for name in stand_ins} == before


def test_error_names_missing_file(tmp_path, stand_ins):
    # Given a source folder that lacks test.csv
    checksums = write_files(tmp_path / "source", stand_ins)
    (tmp_path / "source" / "test.csv").unlink()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    # When the data step runs
    errors = fetch.fetch(data_dir, tmp_path / "source", checksums)
    # Then exactly one error names test.csv, and train.csv is still provided
    assert len(errors) == 1
    assert errors[0].startswith("test.csv is missing")
    assert (data_dir / "train.csv").is_file()
    assert not (data_dir / "test.csv").exists()


def test_error_names_corrupt_file_in_source_and_copies_nothing_bad(tmp_path, stand_ins):
    # Given a source train.csv with a bogus line appended
    checksums = write_files(tmp_path / "source", stand_ins)
    with (tmp_path / "source" / "train.csv").open("ab") as stream:
        stream.write(b"bogus line\n")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    # When the data step runs
    errors = fetch.fetch(data_dir, tmp_path / "source", checksums)
    # Then the error names train.csv and no corrupt copy (or partial file) is left
    assert len(errors) == 1
    assert errors[0].startswith("train.csv") and "SHA-256" in errors[0]
    assert sorted(p.name for p in data_dir.iterdir()) == ["test.csv"]


def test_corrupt_file_in_data_dir_is_reported_not_replaced(tmp_path, stand_ins):
    # Given a corrupt train.csv in the data folder and a good one in the source
    checksums = write_files(tmp_path / "source", stand_ins)
    data_dir = tmp_path / "data"
    write_files(data_dir, {"train.csv": b"corrupt\n"})
    # When the data step runs
    errors = fetch.fetch(data_dir, tmp_path / "source", checksums)
    # Then the corrupt file is reported by path and left as it was
    assert errors == [
        f"{data_dir / 'train.csv'} is corrupt (its SHA-256 is not the Kaggle file's): "
        "delete it and run `make data` again"
    ]
    assert (data_dir / "train.csv").read_bytes() == b"corrupt\n"


def test_script_reports_one_line_per_missing_file_without_traceback(tmp_path):
    # Given an empty data folder, no source and no Kaggle CLI
    # When the script runs
    result = run_script(tmp_path, env={})
    # Then it exits non-zero with one line per Kaggle file and no traceback
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(KAGGLE_FILES)
    for line, name in zip(
        lines, fetch.read_checksums(fetch.CHECKSUMS_FILE), strict=True
    ):
        assert line.startswith(f"data: error: {name} is missing")
        assert fetch.SOURCE_ENV_VAR in line
    assert "Traceback" not in result.stderr


def test_script_rejects_kaggle_file_with_bogus_line(tmp_path, real_data_dir):
    # Given a copy of the real Kaggle files where train.csv has a bogus line appended
    source = tmp_path / "source"
    source.mkdir()
    for name in KAGGLE_FILES:
        (source / name).write_bytes((real_data_dir / name).read_bytes())
    with (source / "train.csv").open("a") as stream:
        stream.write("bogus,line\n")
    # When the script copies from there
    result = run_script(tmp_path / "data", env={fetch.SOURCE_ENV_VAR: str(source)})
    # Then it fails with one line naming train.csv, and the good files are copied
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"data: error: train.csv copied from {source} has the wrong SHA-256: "
        "replace it with the original, unmodified Kaggle file"
    ]
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == sorted(
        set(KAGGLE_FILES) - {"train.csv"}
    )
