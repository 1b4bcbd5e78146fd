"""Unit tests of the feature selector and of the column check all transformers share."""

from __future__ import annotations

import pytest

from oop.transformers import FeatureSelector, MeanImputer


def test_selector_keeps_features_in_the_given_order(houses):
    # Given records with more columns than needed
    selector = FeatureSelector(features=["YrSold", "LotArea"])
    # When they are transformed
    result = selector.fit_transform(houses)
    # Then exactly the features remain, in the selector's order
    assert result.columns.tolist() == ["YrSold", "LotArea"]
    assert selector.get_feature_names_out().tolist() == ["YrSold", "LotArea"]


def test_selector_finds_columns_by_name_in_any_order(houses):
    # Given a selector fitted on the records, then records with columns reordered
    selector = FeatureSelector(features=["YrSold", "LotArea"]).fit(houses)
    reordered = houses[houses.columns[::-1]].assign(Extra=1)
    # When they are transformed
    result = selector.transform(reordered)
    # Then the output is the same
    assert result.equals(selector.transform(houses))


def test_selector_error_names_missing_features(houses):
    # Given a fitted selector and records without one feature
    selector = FeatureSelector(features=["YrSold", "LotArea"]).fit(houses)
    # When they are transformed
    # Then the error names it
    with pytest.raises(ValueError, match=r"no column\(s\) \['LotArea'\]"):
        selector.transform(houses.drop(columns="LotArea"))


def test_transformer_error_when_columns_differ_from_fit(houses):
    # Given an imputer fitted on the records
    imputer = MeanImputer(variables=["LotArea"]).fit(houses)
    # When records with a column less and one more are transformed
    # Then the error names both
    with pytest.raises(ValueError, match=r"missing \['YrSold'\], unexpected \['Id'\]"):
        imputer.transform(houses.drop(columns="YrSold").assign(Id=1))


def test_transformer_error_when_columns_in_another_order(houses):
    # Given an imputer fitted on the records
    imputer = MeanImputer(variables=["LotArea"]).fit(houses)
    # When the same columns come in another order
    # Then the error says so
    with pytest.raises(ValueError, match="in another order"):
        imputer.transform(houses[houses.columns[::-1]])
