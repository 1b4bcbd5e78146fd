"""The pipeline's last selection, ``FeatureSelector``, on small hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from regression_model.processing.selection import FeatureSelector

# feature-engine's error when a variable is not a column
ABSENT_VARIABLE = "Some of the variables are not in the dataframe"


def test_feature_selector_keeps_columns_in_given_order(houses):
    # Given
    transformer = FeatureSelector(["YrSold", "MSSubClass"]).fit(houses)

    # When
    result = transformer.transform(houses)

    # Then
    assert result.columns.tolist() == ["YrSold", "MSSubClass"]
    assert transformer.get_feature_names_out() == ["YrSold", "MSSubClass"]


def test_feature_selector_ignores_extra_columns_and_their_order(houses):
    # Given a selector fitted on the records
    transformer = FeatureSelector(["YrSold", "MSSubClass"]).fit(houses)
    other = houses.assign(Id=[1, 2, 3])[["Id", "MSSubClass", "YrSold"]]

    # When it selects from other columns in another order
    result = transformer.transform(other)

    # Then it keeps its columns, found by name, in its order
    pd.testing.assert_frame_equal(result, houses[["YrSold", "MSSubClass"]])


def test_error_when_a_variable_is_absent_at_fit(houses):
    # Given a selector of a column the records lack
    transformer = FeatureSelector(["YrSold", "GrLivArea"])

    # When / Then feature-engine's check refuses them
    with pytest.raises(KeyError, match=ABSENT_VARIABLE):
        transformer.fit(houses)


def test_error_when_a_variable_is_absent_at_transform(houses):
    # Given a fitted selector and records without one of its columns
    transformer = FeatureSelector(["YrSold", "MSSubClass"]).fit(houses)

    # When / Then
    with pytest.raises(KeyError, match=ABSENT_VARIABLE):
        transformer.transform(houses.drop(columns="MSSubClass"))
