"""What the three command lines write: special outputs, integer Ids, safe cells.

``procedural.score``, ``oop.score`` and ``regression_model.predict`` write to
standard output for ``--output -``, follow a symlink (its target written, the link
kept), write to a FIFO or a device instead of replacing it, write every Id as an
integer, and refuse a missing or fractional Id with one wording. Every special file
is made in a temporary folder, never in the machine's ``/dev``.
"""

from __future__ import annotations

import io
import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

CLIS = ["procedural", "oop", "package"]


@pytest.fixture
def cli(trained_stage, package_trained_dir) -> Callable[[str], Callable[..., int]]:
    """``cli(name)``: the command line's ``main``, its trained folder given."""

    def get(name: str) -> Callable[..., int]:
        if name == "package":
            from regression_model.predict import main

            folder, flag = package_trained_dir, "--trained-dir"
        else:
            if name == "procedural":
                from procedural.score import main
            else:
                from oop.score import main
            folder, flag = trained_stage(name).workdir, "--outputs-dir"
        return lambda *args: main([*map(str, args), flag, str(folder)])

    return get


def priced_csv(cli, name: str, records_csv: Path) -> str:
    """The CSV the command line writes to a plain file, as text."""
    plain = records_csv.with_name(f"plain-{name}.csv")
    assert cli(name)("--input", records_csv, "--output", plain) == 0
    return plain.read_text()


@pytest.mark.parametrize("name", CLIS)
def test_dash_writes_the_prices_to_standard_output(
    cli, name, records_csv, tmp_path, monkeypatch, capsys
):
    # Given the working directory a temporary folder, and the prices of a plain run
    monkeypatch.chdir(tmp_path)
    expected = priced_csv(cli, name, records_csv)
    capsys.readouterr()
    # When the command line is asked for --output -
    code = cli(name)("--input", records_csv, "--output", "-")
    # Then the same CSV goes to stdout, the summary to stderr, and no file "-"
    out, err = capsys.readouterr()
    assert code == 0
    assert out == expected
    assert "priced" in err
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("name", CLIS)
def test_symlink_output_writes_its_target_and_keeps_the_link(
    cli, name, records_csv, tmp_path
):
    # Given --output a symlink to an older predictions file
    target = tmp_path / "kept" / "predictions.csv"
    target.parent.mkdir()
    target.write_text("Id,SalePrice\n1,2.0\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    expected = priced_csv(cli, name, records_csv)
    # When the command line prices into the link
    code = cli(name)("--input", records_csv, "--output", link)
    # Then the link is still a link to the target, which holds the new prices
    assert code == 0
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_text() == expected


@pytest.mark.parametrize("name", CLIS)
def test_fifo_output_is_written_to_not_replaced(cli, name, records_csv, tmp_path):
    # Given --output a FIFO with a reader at the other end
    fifo = tmp_path / "prices.fifo"
    os.mkfifo(fifo)
    expected = priced_csv(cli, name, records_csv)
    received: list[str] = []
    reader = threading.Thread(
        target=lambda: received.append(fifo.read_text()), daemon=True
    )
    reader.start()
    # When the command line prices into it
    code = cli(name)("--input", records_csv, "--output", fifo)
    reader.join(timeout=60)
    # Then the reader got the prices and the FIFO is still a FIFO
    assert code == 0
    assert received == [expected]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("name", CLIS)
def test_character_device_output_is_written_to_not_replaced(
    cli, name, records_csv, tmp_path
):
    # Given --output a null device made in the temporary folder (needs root)
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device needs root")
    # When the command line prices into it
    code = cli(name)("--input", records_csv, "--output", device)
    # Then it succeeds, and the device is still a device, the folder as it was
    assert code == 0
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "records.csv"]


def with_ids(records_csv: Path, ids: list[object]) -> Path:
    """A copy of the records whose first Ids are ``ids``, written as given."""
    records = pd.read_csv(records_csv).astype({"Id": object})
    records.loc[: len(ids) - 1, "Id"] = ids
    path = records_csv.with_name("ids.csv")
    records.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("name", CLIS)
def test_ids_are_written_as_integers_when_the_input_has_floats(
    cli, name, records_csv, capsys
):
    # Given Ids written as floats (as a column with a gap is saved by pandas)
    records = pd.read_csv(records_csv)
    floats = records_csv.with_name("floats.csv")
    records.astype({"Id": float}).to_csv(floats, index=False)
    output = records_csv.with_name("out.csv")
    # When the command line prices them
    code = cli(name)("--input", floats, "--output", output)
    # Then every Id is written as the integer it is, never as 1461.0
    assert code == 0, capsys.readouterr().err
    written = output.read_text().splitlines()[1:]
    assert [line.split(",")[0] for line in written] == list(map(str, records["Id"]))


BAD_IDS = {"empty": "", "fractional": "1461.5", "text": "abc", "negative": "-3"}


@pytest.fixture
def records_plain(cli, records_csv) -> Path:
    """The package's prices of the records, in plain.csv beside them."""
    plain = records_csv.with_name("plain.csv")
    assert cli("package")("--input", records_csv, "--output", plain) == 0
    return plain


@pytest.mark.parametrize("case", BAD_IDS)
def test_package_prices_every_row_but_the_one_with_a_bad_id(
    cli, case, records_csv, records_plain, capsys
):
    # Given a file whose row 2 has a bad Id, and the prices of the good file
    good = pd.read_csv(records_plain)
    bad = with_ids(records_csv, [1461, 1462, BAD_IDS[case]])
    output = records_csv.with_name("out.csv")
    # When the package's command line prices it
    code = cli("package")("--input", bad, "--output", output)
    # Then exit 1, one line names the file, row 2 and column Id; that row has no Id
    # and no price, the others their Ids (integers) and their prices, unchanged
    assert code == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == [
        f"{bad}: row 2, column Id: the Id {BAD_IDS[case] or 'nan'} is not a whole "
        "number >= 0"
    ]
    written = pd.read_csv(output, dtype={"Id": "Int64"})
    assert written["Id"].isna().tolist() == [i == 2 for i in range(len(good))]
    assert written["SalePrice"].isna().tolist() == [i == 2 for i in range(len(good))]
    assert written["Id"].drop(2).tolist() == good["Id"].drop(2).tolist()
    assert np.array_equal(written["SalePrice"].drop(2), good["SalePrice"].drop(2))


@pytest.mark.parametrize("name", ["procedural", "oop"])
@pytest.mark.parametrize("case", BAD_IDS)
def test_script_stages_refuse_a_bad_id_with_the_package_wording(
    cli, name, case, records_csv, capsys
):
    # Given a file whose row 2 has a bad Id
    bad = with_ids(records_csv, [1461, 1462, BAD_IDS[case]])
    output = records_csv.with_name("out.csv")
    # When a script stage prices it
    code = cli(name)("--input", bad, "--output", output)
    # Then exit 1 (a record is wrong), one line in the package's words, no output
    assert code == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {bad}: row 2, column Id: the Id {BAD_IDS[case] or 'nan'} is not a "
        "whole number >= 0"
    ]
    assert not output.exists()


@pytest.mark.parametrize("name", CLIS)
def test_a_huge_bad_id_is_echoed_cut_to_80_characters(cli, name, records_csv, capsys):
    # Given a file whose first Id is 100,000 characters of text
    bad = with_ids(records_csv, ["x" * 100_000])
    # When the command line prices it
    cli(name)("--input", bad, "--output", records_csv.with_name("out.csv"))
    # Then its error line shows the Id cut to 80 characters
    line = capsys.readouterr().err.strip().splitlines()[0]
    assert f"the Id {'x' * 77}... is not" in line
    assert len(line) < len(str(bad)) + 150


def test_a_huge_bad_cell_is_echoed_cut_to_80_characters(cli, records_csv, capsys):
    # Given a file whose first GrLivArea is 100,000 characters of text
    records = pd.read_csv(records_csv).astype({"GrLivArea": object})
    records.loc[0, "GrLivArea"] = "x" * 100_000
    bad = records_csv.with_name("cell.csv")
    records.to_csv(bad, index=False)
    output = records_csv.with_name("out.csv")
    # When the package's command line prices it
    code = cli("package")("--input", bad, "--output", output)
    # Then exit 1, the row's error line quotes the cell cut to 80 characters
    assert code == 1
    [line] = [e for e in capsys.readouterr().err.splitlines() if "GrLivArea" in e]
    assert f"(got '{'x' * 79}...)" in line
    assert len(line) < len(str(bad)) + 250


def test_text_cells_starting_a_formula_are_neutralised():
    # Given a frame with text cells that a spreadsheet would run as formulas
    from regression_model.processing.files import neutralise_cells

    frame = pd.DataFrame(
        {
            "label": ["=1+1", "+33", "-2", "@SUM(A1)", "plain", None],
            "price": [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    # When its cells are neutralised and written as CSV
    text = io.StringIO()
    neutralise_cells(frame).to_csv(text, index=False)
    # Then each such cell starts with a quote; numbers and other text are as given
    assert text.getvalue().splitlines() == [
        "label,price",
        "'=1+1,-1.0",
        "'+33,2.0",
        "'-2,3.0",
        "'@SUM(A1),4.0",
        "plain,5.0",
        ",6.0",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1461, 1461),
        (np.int64(1461), 1461),
        (1461.0, 1461),
        (np.float64(1461.0), 1461),
        ("1461", 1461),
        (" 1461.0 ", 1461),
        (1461.5, None),
        (float("nan"), None),
        (float("inf"), None),
        (-3, None),
        ("-3", None),
        ("1e3", None),
        ("abc", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_whole_number_accepts_only_whole_ids(value, expected):
    # Given an Id as a CSV reader may give it
    from regression_model.processing.files import whole_number

    # When it is read as a whole number
    found = whole_number(value)
    # Then only a whole number >= 0 is one
    assert found == expected
