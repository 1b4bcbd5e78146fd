"""validate(): bad cells named by row and column, no row silently dropped, the same
answer for a DataFrame and for its rows as dicts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from regression_model.config import load_config
from regression_model.processing.validation import ValidatedRows, validate

VARIABLES = load_config().model.input_variables


@pytest.fixture
def rows(test_data: pd.DataFrame) -> pd.DataFrame:
    """The first three rows of test.csv."""
    return test_data.head(3).copy()


def records_of(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as dicts, an empty cell as None (as JSON sends it)."""
    values = frame.astype(object)
    return values.where(values.notna(), None).to_dict("records")


def assert_same_rows(a: ValidatedRows, b: ValidatedRows) -> None:
    assert (a.n_rows, a.rows, a.warnings) == (b.n_rows, b.rows, b.warnings)
    assert list(a.columns) == list(b.columns)
    for name in a.columns:
        np.testing.assert_array_equal(a.columns[name], b.columns[name], err_msg=name)


def test_wrong_type_reported_for_its_row_and_column(rows):
    # Given
    rows["GrLivArea"] = rows["GrLivArea"].astype(object)
    rows.loc[1, "GrLivArea"] = "abc"

    # When
    for given_as in (rows, records_of(rows)):
        checked = validate(given_as, VARIABLES)

        # Then
        assert [(e["row"], e["column"]) for e in checked.errors] == [(1, "GrLivArea")]
        assert "'abc'" in checked.errors[0]["message"]
        assert checked.rows == [0, 2]


def test_out_of_range_value_reported_with_the_bounds(rows):
    # Given
    rows.loc[0, "OverallQual"] = 11
    rows.loc[2, "1stFlrSF"] = 0

    # When
    for given_as in (rows, records_of(rows)):
        checked = validate(given_as, VARIABLES)

        # Then
        assert [(e["row"], e["column"]) for e in checked.errors] == [
            (0, "OverallQual"),
            (2, "1stFlrSF"),
        ]
        assert checked.errors[0]["message"] == (
            "out of the domain: must be >= 1 and <= 10 (got 11)"
        )
        assert "must be >= 33.4 and <= 46920 (got 0)" in checked.errors[1]["message"]
        assert checked.rows == [1]


def test_records_show_a_value_as_sent_and_a_frame_as_it_holds_it():
    # Given an integer column with a gap: pandas holds it as floats
    rows = [{"OverallQual": 11}, {"GrLivArea": 1500}]

    # When
    from_records = validate(rows, VARIABLES).errors[0]["message"]
    from_frame = validate(pd.DataFrame(rows), VARIABLES).errors[0]["message"]

    # Then
    assert from_records.endswith("(got 11)")
    assert from_frame.endswith("(got 11.0)")


def test_unseen_category_and_missing_value_are_not_errors(rows):
    # Given
    rows.loc[0, "Neighborhood"] = "Atlantis"
    rows.loc[1, "LotArea"] = np.nan

    # When
    checked = validate(rows, VARIABLES)

    # Then
    assert checked.errors == []
    assert checked.columns["Neighborhood"][0] == "Atlantis"
    assert np.isnan(checked.columns["LotArea"][1])


def test_columns_hold_float64_numbers_and_object_labels_with_none(rows):
    # Given a missing label and a missing number
    rows.loc[0, ["Neighborhood", "GrLivArea"]] = [np.nan, np.nan]

    # When
    checked = validate(rows, VARIABLES)

    # Then
    assert list(checked.columns) == VARIABLES
    assert checked.columns["GrLivArea"].dtype == np.float64
    assert checked.columns["Neighborhood"].dtype == object
    assert checked.columns["Neighborhood"][0] is None


def test_frame_and_its_records_give_the_same_rows(test_data):
    # Given test.csv with some bad cells, as a DataFrame and as dicts
    data = test_data.copy()
    data["YrSold"] = data["YrSold"].astype(object)
    data.loc[::100, "YrSold"] = "last year"
    data.loc[5, "GarageCars"] = 1000

    # When both are validated
    from_frame = validate(data, VARIABLES)
    from_records = validate(records_of(data), VARIABLES)

    # Then the rows, their values, the errors' places and the warnings agree
    assert_same_rows(from_frame, from_records)
    assert [(e["row"], e["column"]) for e in from_frame.errors] == [
        (e["row"], e["column"]) for e in from_records.errors
    ]


def test_extra_columns_ignored_and_order_free(rows):
    # Given
    shuffled = rows[rows.columns[::-1]].assign(Colour="blue")

    # When
    checked = validate(shuffled, VARIABLES)
    expected = validate(rows, VARIABLES)

    # Then the rows are the same, and the extra column is said
    assert checked.errors == []
    assert checked.warnings == ["ignored column 'Colour': not a column of the schema"]
    assert_same_rows(checked, validate(rows.assign(Colour="blue"), VARIABLES))
    assert checked.rows == expected.rows


def test_absent_used_column_named_in_warning_and_left_missing(rows):
    # Given
    without = rows.drop(columns=["GrLivArea", "PoolArea"])

    # When
    checked = validate(without, VARIABLES)

    # Then only the model's input is named, and it is missing in every row
    assert checked.errors == []
    assert checked.warnings == [
        "input has no column ['GrLivArea']: imputed as missing values"
    ]
    assert np.isnan(checked.columns["GrLivArea"]).all()
    assert checked.rows == [0, 1, 2]


def test_every_row_either_validated_or_reported(test_data):
    # Given
    data = test_data.copy()
    data["YrSold"] = data["YrSold"].astype(object)
    data.loc[::100, "YrSold"] = "last year"

    # When
    checked = validate(data, VARIABLES)

    # Then
    rejected = {e["row"] for e in checked.errors}
    assert rejected == set(range(0, len(data), 100))
    assert sorted(rejected | set(checked.rows)) == list(range(len(data)))


def test_no_rows_give_no_rows_and_name_the_absent_columns():
    # When
    checked = validate([], VARIABLES)

    # Then
    assert (checked.n_rows, checked.rows, checked.errors) == (0, [], [])
    assert checked.warnings[0].startswith("input has no column ['MSSubClass'")
    assert all(len(values) == 0 for values in checked.columns.values())
