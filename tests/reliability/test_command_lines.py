"""The three command lines fail the same way: exit codes, one line, nothing lost.

``procedural.score``, ``oop.score`` and ``regression_model.predict`` are called
in-process (their ``main``) for the table of cases, and in a subprocess with a file
size limit (``RLIMIT_FSIZE``) for the full disk: 0 every row priced, 1 some rows
had errors, 2 a file could not be used, with one line on stderr naming it.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIS = ["procedural", "oop", "package"]


@pytest.fixture
def cli(trained_stage, package_trained_dir) -> Callable[..., Callable[..., int]]:
    """``cli(name, trained_dir=None)``: the command line's ``main``, with its trained
    folder (or ``trained_dir``) already given."""

    def get(name: str, trained_dir: Path | None = None) -> Callable[..., int]:
        if name == "package":
            from regression_model.predict import main

            folder = trained_dir or package_trained_dir
            return lambda *args: main([*map(str, args), "--trained-dir", str(folder)])
        if name == "procedural":
            from procedural.score import main
        else:
            from oop.score import main  # type: ignore[no-redef]
        folder = trained_dir or trained_stage(name).workdir
        return lambda *args: main([*map(str, args), "--outputs-dir", str(folder)])

    return get


def model_folder(name: str, trained_stage, package_trained_dir) -> Path:
    return package_trained_dir if name == "package" else trained_stage(name).workdir


def model_file(name: str, folder: Path) -> Path:
    """The file each stage loads first (the one a corrupt copy spoils)."""
    if name == "package":
        return next(folder.glob("*.plan.json"))
    return folder / ("scaler.joblib" if name == "procedural" else "model.joblib")


def one_error_line(stderr: str, names: Path) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert str(names) in lines[0], stderr
    assert "Traceback" not in stderr
    return lines[0]


UNUSABLE_INPUTS: dict[str, bytes | None] = {
    "absent": None,
    "empty": b"",
    "not-utf8": b"Id,LotArea\n1,\xff\xfe\x81\n",
    "malformed": b"Id,MSSubClass\n1,20\n2,30,40,50\n",
}


@pytest.mark.parametrize("name", CLIS)
@pytest.mark.parametrize("case", [*UNUSABLE_INPUTS, "no-id"])
def test_unusable_input_exits_2_with_one_line(cli, name, case, records_csv, capsys):
    # Given an input that is absent, empty, not UTF-8, malformed or has no Id
    path = records_csv.with_name("bad.csv")
    if case == "no-id":
        pd.read_csv(records_csv).drop(columns="Id").to_csv(path, index=False)
    elif UNUSABLE_INPUTS[case] is not None:
        path.write_bytes(UNUSABLE_INPUTS[case])
    output = path.with_name("out.csv")
    # When the command line is asked to price it
    code = cli(name)("--input", path, "--output", output)
    # Then it exits 2 with one line naming the input, and writes nothing
    assert code == 2
    one_error_line(capsys.readouterr().err, path)
    assert not output.exists()


@pytest.mark.parametrize("name", CLIS)
@pytest.mark.parametrize("case", ["same-path", "same-file-other-spelling"])
def test_output_equal_to_input_is_refused(cli, name, case, records_csv, capsys):
    # Given --output naming the input file itself
    before = records_csv.read_bytes()
    output = records_csv
    if case == "same-file-other-spelling":
        output = (
            records_csv.parent / "." / ".." / records_csv.parent.name / "records.csv"
        )
    # When the command line runs
    code = cli(name)("--input", records_csv, "--output", output)
    # Then it refuses with exit code 2 and one line, and the input is untouched
    assert code == 2
    assert "input" in one_error_line(capsys.readouterr().err, output)
    assert records_csv.read_bytes() == before


@pytest.mark.parametrize("name", CLIS)
@pytest.mark.parametrize("case", ["parent-is-a-file", "output-is-a-folder"])
def test_unwritable_output_exits_2_with_one_line(cli, name, case, records_csv, capsys):
    # Given an output that cannot be written: under a file, or a folder itself
    if case == "parent-is-a-file":
        output = records_csv / "out.csv"
    else:
        output = records_csv.with_name("a-folder")
        output.mkdir()
    before = sorted(p.name for p in records_csv.parent.iterdir())
    # When the command line prices good records
    code = cli(name)("--input", records_csv, "--output", output)
    # Then it exits 2 with one line naming the output, and leaves no temporary file
    assert code == 2
    one_error_line(capsys.readouterr().err, output)
    assert sorted(p.name for p in records_csv.parent.iterdir()) == before


@pytest.mark.parametrize("name", CLIS)
def test_corrupt_model_exits_2_with_one_line(
    cli, name, trained_stage, package_trained_dir, records_csv, tmp_path, capsys
):
    # Given a copy of the stage's trained folder whose model file is cut in half
    folder = Path(
        shutil.copytree(
            model_folder(name, trained_stage, package_trained_dir), tmp_path / "model"
        )
    )
    spoilt = model_file(name, folder)
    spoilt.write_bytes(spoilt.read_bytes()[: spoilt.stat().st_size // 2])
    # When the command line prices good records with it
    code = cli(name, folder)("--input", records_csv, "--output", tmp_path / "out.csv")
    # Then it exits 2 with one line naming the model file, and writes nothing
    assert code == 2
    one_error_line(capsys.readouterr().err, spoilt)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("name", CLIS)
def test_exit_codes_0_when_all_priced_and_1_when_some_rows_had_errors(
    cli, name, records_csv, capsys
):
    # Given good records, and the same with text in one GrLivArea
    records = pd.read_csv(records_csv)
    bad = records_csv.with_name("bad.csv")
    records.astype({"GrLivArea": object}).assign(
        GrLivArea=lambda f: f["GrLivArea"].where(f.index != 3, "large")
    ).to_csv(bad, index=False)
    # When each is priced
    good_code = cli(name)(
        "--input", records_csv, "--output", records_csv.with_name("a.csv")
    )
    bad_code = cli(name)("--input", bad, "--output", records_csv.with_name("b.csv"))
    # Then 0 for the good file, 1 for the one with a bad row (named on stderr), and
    # the prices file has the mode a plain open() gives (not mkstemp's private 0600)
    assert (good_code, bad_code) == (0, 1)
    assert "GrLivArea" in capsys.readouterr().err
    umask = os.umask(0o022)
    os.umask(umask)
    mode = stat.S_IMODE(records_csv.with_name("a.csv").stat().st_mode)
    assert mode == 0o666 & ~umask


def _full_disk(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))

    return apply


@pytest.mark.parametrize("name", CLIS)
def test_full_disk_keeps_the_previous_predictions(
    name, trained_stage, package_trained_dir, records_csv
):
    # Given a previous predictions file, and a process that may not write a file
    # past 1,000 bytes (50 prices take about 1,300)
    output = records_csv.with_name("predictions.csv")
    previous = b"Id,SalePrice\n1461,123456.0\n"
    output.write_bytes(previous)
    module = {
        "procedural": ["procedural.score", "--outputs-dir"],
        "oop": ["oop.score", "--outputs-dir"],
        "package": ["regression_model.predict", "--trained-dir"],
    }[name]
    folder = model_folder(name, trained_stage, package_trained_dir)
    # When the command line prices the records into it
    result = subprocess.run(
        [sys.executable, "-m", module[0], "--input", str(records_csv)]
        + ["--output", str(output), module[1], str(folder)],
        capture_output=True,
        text=True,
        cwd=records_csv.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=_full_disk(1000),
        timeout=120,
    )
    # Then it exits 2 with one line naming the output, the previous file is whole
    # and no temporary file is left behind
    assert result.returncode == 2, result.stderr
    one_error_line(result.stderr, output)
    assert output.read_bytes() == previous
    assert sorted(p.name for p in records_csv.parent.iterdir()) == [
        "predictions.csv",
        "records.csv",
    ]


def test_failed_batch_run_keeps_the_previous_output(
    package_trained_dir, real_data_dir, tmp_path, capsys
):
    # Given a previous run's output, and an input whose second file breaks deep
    # inside (a row with too many cells), so that it fails on a worker
    from regression_model.batch.job import main

    output = tmp_path / "priced"
    output.mkdir()
    previous = pd.read_csv(real_data_dir / "test.csv").head(5)
    previous.to_parquet(output / "part.000000.parquet", index=False)
    before = (output / "part.000000.parquet").read_bytes()
    records = pd.read_csv(real_data_dir / "test.csv").head(200)
    records.to_csv(tmp_path / "a.csv", index=False)
    text = records.to_csv(index=False).splitlines()
    text[150] += ",1,2,3"
    (tmp_path / "b.csv").write_text("\n".join(text) + "\n")
    # When the batch job prices both into the same output
    code = main(
        ["--input", str(tmp_path / "*.csv"), "--output", str(output)]
        + ["--workers", "1", "--trained-dir", str(package_trained_dir)]
    )
    # Then it exits 2, the previous output is whole and no staging folder is left
    assert code == 2, capsys.readouterr()
    assert sorted(p.name for p in output.iterdir()) == ["part.000000.parquet"]
    assert (output / "part.000000.parquet").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "priced"]
