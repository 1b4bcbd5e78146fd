"""Unit tests of the missing-data transformers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oop.transformers import CategoricalImputer, MeanImputer, UnseenLabelsToMissing


def test_unseen_labels_learns_the_sorted_training_labels(houses):
    # Given a variable with two labels and a missing value
    transformer = UnseenLabelsToMissing(variables=["Neighborhood"])
    # When it is fitted
    transformer.fit(houses)
    # Then it keeps the labels, sorted, without the missing value
    assert transformer.seen_labels_ == {"Neighborhood": ["CollgCr", "NAmes"]}


def test_unseen_labels_become_missing_and_seen_ones_stay(houses):
    # Given a transformer fitted on two neighbourhoods
    transformer = UnseenLabelsToMissing(variables=["Neighborhood"]).fit(houses)
    new = houses.assign(Neighborhood=["Atlantis", "NAmes", np.nan, "CollgCr"])
    # When new records are transformed
    result = transformer.transform(new)
    # Then only the unseen label became missing
    expected = new.assign(Neighborhood=[np.nan, "NAmes", np.nan, "CollgCr"])
    pd.testing.assert_frame_equal(result, expected)


def test_categorical_imputer_learns_missing_label_or_most_frequent(houses):
    # Given one variable with a missing value and one without
    imputer = CategoricalImputer(variables=["Neighborhood", "KitchenQual"])
    # When it is fitted
    imputer.fit(houses)
    # Then the first gets the label Missing, the second its most frequent label
    assert imputer.imputer_dict_ == {"Neighborhood": "Missing", "KitchenQual": "TA"}


def test_categorical_imputer_fills_missing_values(houses):
    # Given an imputer fitted on the records
    imputer = CategoricalImputer(variables=["Neighborhood", "KitchenQual"])
    imputer.fit(houses)
    new = houses.assign(KitchenQual=[np.nan, "Gd", "Gd", "Gd"])
    # When records with missing values are transformed
    result = imputer.transform(new)
    # Then every missing value got the learned label
    assert result["Neighborhood"].tolist() == ["NAmes", "Missing", "CollgCr", "NAmes"]
    assert result["KitchenQual"].tolist() == ["TA", "Gd", "Gd", "Gd"]


def test_categorical_imputer_uses_the_given_fill_value(houses):
    # Given an imputer with its own label for missing values
    imputer = CategoricalImputer(variables=["Neighborhood"], fill_value="None")
    # When it is fitted
    imputer.fit(houses)
    # Then that label is learned for the variable with missing values
    assert imputer.imputer_dict_ == {"Neighborhood": "None"}


def test_mean_imputer_learns_the_training_means(houses):
    # Given a numerical variable with a missing value
    imputer = MeanImputer(variables=["LotArea", "ScreenPorch"])
    # When it is fitted
    imputer.fit(houses)
    # Then it learns the means of the values present
    assert imputer.imputer_dict_ == {"LotArea": 10000.0, "ScreenPorch": 30.0}


def test_mean_imputer_fills_missing_values_with_the_mean(houses):
    # Given an imputer fitted on the records
    imputer = MeanImputer(variables=["LotArea"]).fit(houses)
    # When the records are transformed
    result = imputer.transform(houses)
    # Then the missing value became the mean, the others stayed
    expected = houses.assign(LotArea=[8000.0, 10000.0, 9000.0, 13000.0])
    pd.testing.assert_frame_equal(result, expected)


def test_mean_imputer_error_when_variable_not_numeric(houses):
    # Given a variable holding text
    imputer = MeanImputer(variables=["KitchenQual"])
    # When it is fitted
    # Then the error names the variable
    with pytest.raises(TypeError, match="KitchenQual"):
        imputer.fit(houses)


def test_mean_imputer_error_when_variable_has_no_value(houses):
    # Given a numerical variable without a single value
    empty = houses.assign(LotArea=np.nan)
    # When it is fitted
    # Then the error names the variable
    with pytest.raises(
        ValueError, match=r"no value to learn a mean from in \['LotArea'"
    ):
        MeanImputer(variables=["LotArea"]).fit(empty)
