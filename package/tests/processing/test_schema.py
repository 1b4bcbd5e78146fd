"""The input schema: the Kaggle fields, their aliases and one table of domains."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from regression_model.processing.schema import (
    ALIASES,
    DOMAINS,
    HouseInput,
    category_label,
    is_missing,
    numerical_columns,
    schema_columns,
)


def test_schema_has_the_79_kaggle_fields_and_id(kaggle_dir):
    # Given the columns of train.csv
    train_columns = pd.read_csv(kaggle_dir / "train.csv", nrows=1).columns

    # When / Then the schema has them all but the target, in order
    assert schema_columns() == [c for c in train_columns if c != "SalePrice"]


def test_every_numerical_field_is_typed_as_its_domain_says():
    # Given each field of HouseInput and the domain table
    for column, name in zip(schema_columns(), HouseInput.model_fields, strict=True):
        annotation = str(HouseInput.model_fields[name].annotation)
        # When / Then a number of the table is an int or a float field, as stated
        if column in DOMAINS:
            assert DOMAINS[column].kind in annotation, column
        # and every other field is a label (a string)
        else:
            assert "str" in annotation, column
    assert numerical_columns() == [c for c in schema_columns() if c in DOMAINS]


def test_bounds_of_the_fields_are_those_of_the_domain_table():
    # Given a value just inside and just outside each bound of every domain
    for column, domain in DOMAINS.items():
        for bound, step in ((domain.ge, -1), (domain.le, 1)):
            if bound is None:
                continue
            inside, outside = bound, bound + step
            # When validated / Then the bound itself passes and beyond it fails
            assert HouseInput.model_validate({column: inside})
            with pytest.raises(ValueError, match=column):
                HouseInput.model_validate({column: outside})


def test_domain_text_names_the_bounds():
    # When / Then
    assert DOMAINS["OverallQual"].text() == ">= 1 and <= 10"
    assert DOMAINS["GrLivArea"].text() == ">= 33.4 and <= 56420"
    assert DOMAINS["Id"].text() == ">= 0"


def test_kaggle_names_and_python_names_both_accepted():
    # When
    by_alias = HouseInput.model_validate({"1stFlrSF": 856, "3SsnPorch": 0})
    by_name = HouseInput(FirstFlrSF=856, ThreeSsnPorch=0)

    # Then
    assert by_alias == by_name
    assert by_alias.model_dump(by_alias=True)["1stFlrSF"] == 856
    assert set(ALIASES) <= set(schema_columns())


@pytest.mark.parametrize("value", [20, 20.0, "20"])
def test_numeric_coded_category_accepts_number_or_text(value):
    # When / Then
    assert str(HouseInput(MSSubClass=value).MSSubClass) == "20"


def test_numeric_coded_category_rejects_fractional_number():
    # When / Then
    with pytest.raises(ValueError, match="MSSubClass"):
        HouseInput(MSSubClass=20.5)


@pytest.mark.parametrize("value", [None, math.nan, np.float64("nan"), pd.NA])
def test_is_missing_knows_none_nan_and_pandas_na(value):
    # When / Then
    assert is_missing(value)


@pytest.mark.parametrize("value", [0, 0.0, "", "NA", "Missing", False])
def test_is_missing_keeps_every_present_value(value):
    # When / Then
    assert not is_missing(value)


@pytest.mark.parametrize(("value", "label"), [(20, "20"), (20.0, "20"), ("20", "20")])
def test_category_label_writes_whole_numbers_as_digits(value, label):
    # When / Then
    assert category_label(value) == label


@pytest.mark.parametrize(("value", "label"), [(20.5, "20.5"), ("1Fam", "1Fam")])
def test_category_label_keeps_other_values_as_text(value, label):
    # When / Then
    assert category_label(value) == label
