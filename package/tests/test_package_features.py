"""The package's own transformers, on small hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from regression_model.processing.features import (
    FeatureSelector,
    Mapper,
    NumericCodedCategoricalTransformer,
    TemporalVariableTransformer,
    UnseenLabelsToMissing,
    category_label,
)


@pytest.mark.parametrize("value", [20, 20.0, "20", "20.0", np.int64(20)])
def test_category_label_writes_whole_numbers_as_digits(value):
    # When / Then
    assert category_label(value) == "20"


@pytest.mark.parametrize("value, label", [(20.5, "20.5"), ("abc", "abc")])
def test_category_label_keeps_other_values_as_text(value, label):
    # When / Then
    assert category_label(value) == label


def test_numeric_coded_categories_become_labels_and_missing_stays_missing():
    # Given
    X = pd.DataFrame({"MSSubClass": [20, 60.0, np.nan], "LotArea": [1.0, 2.0, 3.0]})
    transformer = NumericCodedCategoricalTransformer(["MSSubClass"])

    # When
    result = transformer.fit_transform(X)

    # Then
    assert result["MSSubClass"].tolist()[:2] == ["20", "60"]
    assert pd.isna(result.loc[2, "MSSubClass"])
    pd.testing.assert_series_equal(result["LotArea"], X["LotArea"])


def test_unseen_labels_become_missing(houses):
    # Given
    transformer = UnseenLabelsToMissing(["Neighborhood"]).fit(houses)
    new = houses.assign(Neighborhood=["NAmes", "Atlantis", np.nan])

    # When
    result = transformer.transform(new)

    # Then
    assert transformer.seen_labels_ == {"Neighborhood": ["CollgCr", "NAmes"]}
    assert result["Neighborhood"].tolist()[0] == "NAmes"
    assert result["Neighborhood"].iloc[1:].isna().all()


def test_temporal_variable_becomes_years_elapsed_without_changing_input(houses):
    # Given
    original = houses.copy()
    transformer = TemporalVariableTransformer(["YearRemodAdd"], "YrSold")

    # When
    result = transformer.fit_transform(houses)

    # Then
    assert result["YearRemodAdd"].tolist() == [8.0, 20.0, 0.0]
    pd.testing.assert_frame_equal(houses, original)


def test_error_when_reference_variable_absent(houses):
    # Given
    transformer = TemporalVariableTransformer(["YearRemodAdd"], "YrSold")

    # When / Then
    with pytest.raises(ValueError, match="YrSold"):
        transformer.fit(houses.drop(columns="YrSold"))


def test_mapper_replaces_labels_with_integers(houses):
    # Given
    transformer = Mapper(["ExterQual"], {"Missing": 0, "TA": 3, "Gd": 4})

    # When
    result = transformer.fit_transform(houses)

    # Then
    pd.testing.assert_series_equal(
        result["ExterQual"], pd.Series([3, 4, 0], name="ExterQual", dtype="int64")
    )


def test_mapper_keeps_the_mapping_it_was_fitted_with(houses):
    # Given a fitted Mapper whose parameter is changed afterwards
    transformer = Mapper(["ExterQual"], {"Missing": 0, "TA": 3, "Gd": 4}).fit(houses)
    transformer.set_params(mappings={"Missing": 9, "TA": 9, "Gd": 9})

    # When
    result = transformer.transform(houses)

    # Then what fit saw still applies, until the next fit
    assert result["ExterQual"].tolist() == [3, 4, 0]


def test_error_when_mappings_not_a_dict(houses):
    # Given a mapping given as a list of labels
    transformer = Mapper(["ExterQual"], ["Missing", "TA", "Gd"])

    # When / Then the error comes from fit, naming the argument
    with pytest.raises(TypeError, match="mappings must be a dict"):
        transformer.fit(houses)


def test_feature_selector_keeps_columns_in_given_order(houses):
    # Given
    transformer = FeatureSelector(["YrSold", "MSSubClass"]).fit(houses)

    # When
    result = transformer.transform(houses)

    # Then
    assert result.columns.tolist() == ["YrSold", "MSSubClass"]
    assert transformer.get_feature_names_out().tolist() == ["YrSold", "MSSubClass"]


def test_feature_selector_ignores_extra_columns_and_their_order(houses):
    # Given a selector fitted on the records
    transformer = FeatureSelector(["YrSold", "MSSubClass"]).fit(houses)
    other = houses.assign(Id=[1, 2, 3])[["Id", "MSSubClass", "YrSold"]]

    # When it selects from other columns in another order
    result = transformer.transform(other)

    # Then it keeps its columns, found by name, in its order
    pd.testing.assert_frame_equal(result, houses[["YrSold", "MSSubClass"]])


def test_error_names_absent_column(houses):
    # Given
    transformer = FeatureSelector(["YrSold", "GrLivArea"])

    # When / Then
    with pytest.raises(ValueError, match="GrLivArea"):
        transformer.fit(houses)


def test_error_when_not_fitted(houses):
    # Given
    transformer = Mapper(["ExterQual"], {"TA": 3})

    # When / Then
    with pytest.raises(NotFittedError):
        transformer.transform(houses)


def test_error_when_input_not_dataframe():
    # When / Then
    with pytest.raises(TypeError, match="DataFrame"):
        FeatureSelector(["a"]).fit(np.zeros((2, 1)))


def test_transformers_clone_with_their_parameters():
    # Given
    transformer = TemporalVariableTransformer(["YearBuilt"], reference_variable="Y")

    # When
    copy = clone(transformer)

    # Then
    assert copy.get_params() == {"variables": ["YearBuilt"], "reference_variable": "Y"}


def test_error_when_variables_is_a_single_string(houses):
    # Given a column name where a list of names is expected
    transformer = UnseenLabelsToMissing("Neighborhood")

    # When / Then the error comes from fit, naming the argument
    with pytest.raises(TypeError, match="variables must be a list of column names"):
        transformer.fit(houses)


def test_error_when_reference_variable_is_also_a_variable(houses):
    # Given
    transformer = TemporalVariableTransformer(["YearRemodAdd", "YrSold"], "YrSold")

    # When / Then
    with pytest.raises(ValueError, match="'YrSold' is also in variables"):
        transformer.fit(houses)


def test_error_names_year_that_is_not_a_number(houses):
    # Given years written as text
    transformer = TemporalVariableTransformer(["YearRemodAdd"], "YrSold")
    text_years = houses.assign(YearRemodAdd=["2000", "1990", "2008"])

    # When / Then
    with pytest.raises(TypeError, match=r"expected numbers in YearRemodAdd"):
        transformer.fit(text_years)
