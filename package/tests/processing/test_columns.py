"""Column names: aliases read, repeats and unknown keys said, notes capped."""

from __future__ import annotations

import pandas as pd

from regression_model.processing.columns import (
    MAX_COLUMN_NOTES,
    canonical_frame,
    canonical_records,
    column_notes,
)


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


def test_near_miss_gets_a_did_you_mean():
    # When
    _, notes = column_notes(["GrLivArae", "overallqual"])

    # Then
    assert notes == [
        "ignored column 'GrLivArae': not a column of the schema "
        "(did you mean 'GrLivArea'?)",
        "ignored column 'overallqual': not a column of the schema "
        "(did you mean 'OverallQual'?)",
    ]


def test_alias_renamed_and_the_first_of_two_names_kept_in_records():
    # Given a row giving 1stFlrSF by its alias first, then by its Kaggle name
    rows = [{"FirstFlrSF": 900, "1stFlrSF": 1200, "Colour": "red"}]

    # When
    records, notes = canonical_records(rows)

    # Then the first is used under the Kaggle name, and both oddities are said
    assert records == [{"1stFlrSF": 900}]
    assert notes == [
        "column '1stFlrSF' names the same column as 'FirstFlrSF': the first one "
        "given is used",
        "ignored column 'Colour': not a column of the schema",
    ]


def test_frame_read_like_its_records():
    # Given the same row as a DataFrame
    frame = pd.DataFrame(
        [[900, 1200, "red"]], columns=["FirstFlrSF", "1stFlrSF", "Colour"]
    )

    # When
    renamed, notes = canonical_frame(frame)

    # Then
    assert renamed.to_dict("records") == [{"1stFlrSF": 900}]
    assert notes == canonical_records(frame.to_dict("records"))[1]


def test_kaggle_named_frame_returned_as_it_is():
    # Given a frame with Kaggle names only
    frame = pd.DataFrame({"GrLivArea": [1500], "1stFlrSF": [900]})

    # When
    renamed, notes = canonical_frame(frame)

    # Then it is the same object, and nothing is said
    assert renamed is frame
    assert notes == []
