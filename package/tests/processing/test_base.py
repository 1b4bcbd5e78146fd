"""The checks every package transformer shares: feature-engine's, in ``base``."""

from __future__ import annotations

import pytest

from regression_model.processing.base import check_variables

# feature-engine's error when a variable is not a column
ABSENT_VARIABLE = "Some of the variables are not in the dataframe"


def test_no_variables_give_an_empty_list(houses):
    # When / Then
    assert check_variables(houses, None) == []


def test_a_single_name_gives_a_list_of_it(houses):
    # When / Then
    assert check_variables(houses, "YrSold") == ["YrSold"]


def test_variables_come_back_as_a_new_list(houses):
    # Given
    variables = ["YrSold", "MSSubClass"]

    # When
    result = check_variables(houses, variables)

    # Then the same names, in a list the caller's changes do not reach
    assert result == ["YrSold", "MSSubClass"]
    assert result is not variables


def test_error_when_a_variable_is_not_a_column(houses):
    # When / Then
    with pytest.raises(KeyError, match=ABSENT_VARIABLE):
        check_variables(houses, ["YrSold", "GrLivArea"])


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ([], "The list of `variables` is empty"),
        (["YrSold", "YrSold"], "contains duplicated variable names"),
        (("YrSold",), "`variables` should contain a string"),
    ],
    ids=["empty list", "repeated name", "tuple"],
)
def test_error_when_variables_is_malformed(houses, variables, message):
    # When / Then feature-engine's check of its own `variables` refuses it
    with pytest.raises(ValueError, match=message):
        check_variables(houses, variables)
