"""Input validation: bad cells named by row and column, no row silently dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from regression_model.processing.validation import (
    MAX_COLUMN_NOTES,
    HouseInput,
    MissingColumnsWarning,
    column_notes,
    schema_columns,
    validate_inputs,
)


@pytest.fixture
def rows(test_data: pd.DataFrame) -> pd.DataFrame:
    """The first three rows of test.csv."""
    return test_data.head(3).copy()


def test_schema_has_the_79_kaggle_fields_and_id(kaggle_dir):
    # Given
    train_columns = pd.read_csv(kaggle_dir / "train.csv", nrows=1).columns

    # Then
    assert schema_columns() == [c for c in train_columns if c != "SalePrice"]


def test_kaggle_names_and_python_names_both_accepted():
    # When
    by_alias = HouseInput.model_validate({"1stFlrSF": 856, "3SsnPorch": 0})
    by_name = HouseInput(FirstFlrSF=856, ThreeSsnPorch=0)

    # Then
    assert by_alias == by_name
    assert by_alias.model_dump(by_alias=True)["1stFlrSF"] == 856


@pytest.mark.parametrize("value", [20, 20.0, "20"])
def test_numeric_coded_category_accepts_number_or_text(value):
    # When / Then
    assert str(HouseInput(MSSubClass=value).MSSubClass) == "20"


def test_numeric_coded_category_rejects_fractional_number():
    # When / Then
    with pytest.raises(ValueError, match="MSSubClass"):
        HouseInput(MSSubClass=20.5)


def test_wrong_type_reported_for_its_row_and_column(rows):
    # Given
    rows["GrLivArea"] = rows["GrLivArea"].astype(object)
    rows.loc[1, "GrLivArea"] = "abc"

    # When
    validated, errors = validate_inputs(rows)

    # Then
    assert [(e["row"], e["column"]) for e in errors] == [(1, "GrLivArea")]
    assert "'abc'" in errors[0]["message"]
    assert validated.index.tolist() == [0, 2]


def test_out_of_range_value_reported_for_its_row_and_column(rows):
    # Given
    rows.loc[0, "OverallQual"] = 11
    rows.loc[2, "1stFlrSF"] = 0

    # When
    validated, errors = validate_inputs(rows)

    # Then
    assert [(e["row"], e["column"]) for e in errors] == [
        (0, "OverallQual"),
        (2, "1stFlrSF"),
    ]
    assert "out of the domain: must be >= 1 and <= 10 (got 11)" in errors[0]["message"]
    assert validated.index.tolist() == [1]


def test_unseen_category_and_missing_value_are_not_errors(rows):
    # Given
    rows.loc[0, "Neighborhood"] = "Atlantis"
    rows.loc[1, "LotArea"] = np.nan

    # When
    validated, errors = validate_inputs(rows)

    # Then
    assert errors == []
    assert validated.loc[0, "Neighborhood"] == "Atlantis"
    assert np.isnan(validated.loc[1, "LotArea"])


def test_extra_columns_ignored_and_order_free(rows):
    # Given
    shuffled = rows[rows.columns[::-1]].assign(Colour="blue")

    # When
    validated, errors = validate_inputs(shuffled)
    expected, _ = validate_inputs(rows)

    # Then
    assert errors == []
    pd.testing.assert_frame_equal(validated, expected)


def test_absent_used_column_named_in_warning_and_left_missing(rows):
    # Given
    without = rows.drop(columns=["GrLivArea", "PoolArea"])

    # When
    with pytest.warns(MissingColumnsWarning, match="GrLivArea"):
        validated, errors = validate_inputs(without)

    # Then
    assert errors == []
    assert validated["GrLivArea"].isna().all()
    assert len(validated) == len(rows)


def test_every_row_either_validated_or_reported(test_data):
    # Given
    data = test_data.copy()
    data["YrSold"] = data["YrSold"].astype(object)
    data.loc[::100, "YrSold"] = "last year"

    # When
    validated, errors = validate_inputs(data)

    # Then
    rejected = {e["row"] for e in errors}
    assert rejected == set(range(0, len(data), 100))
    assert sorted(rejected | set(validated.index)) == list(range(len(data)))


def test_notes_about_column_names_are_capped_with_a_count_of_the_rest():
    # Given 500 keys that are no column of the schema, and one real column
    keys = [f"junk{i}" for i in range(500)] + ["GrLivArea"]

    # When the column names are read
    used, notes = column_notes(keys)

    # Then the real column is used, and at most MAX_COLUMN_NOTES notes name junk
    # keys, followed by one that counts the rest
    assert used == {"GrLivArea": "GrLivArea"}
    assert len(notes) == MAX_COLUMN_NOTES + 1
    assert notes[0].startswith("ignored column 'junk0'")
    assert notes[-1] == f"{500 - MAX_COLUMN_NOTES} more notes about ignored or " + (
        "repeated columns not shown"
    )
