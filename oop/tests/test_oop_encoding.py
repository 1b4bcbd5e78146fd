"""Unit tests of the categorical transformers: cast, map, group rare labels, encode."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oop.transformers import (
    CategoricalCaster,
    Mapper,
    OrderedOrdinalEncoder,
    RareLabelEncoder,
)

QUALITY = {"Missing": 0, "Po": 1, "Fa": 2, "TA": 3, "Gd": 4, "Ex": 5}


def test_caster_turns_numeric_codes_into_labels_and_keeps_missing():
    # Given the same code written three ways, a missing value and odd values
    X = pd.DataFrame({"MSSubClass": [20, 20.0, "20", np.nan, "20.5", "abc"]})
    # When it is cast
    result = CategoricalCaster(variables=["MSSubClass"]).fit_transform(X)
    # Then the codes are one label, missing stays missing, odd values stay as written
    assert result["MSSubClass"].tolist() == ["20", "20", "20", np.nan, "20.5", "abc"]


def test_mapper_replaces_labels_with_their_codes(houses):
    # Given a quality variable
    mapper = Mapper(variables=["KitchenQual"], mappings=QUALITY)
    # When it is fitted and applied
    result = mapper.fit_transform(houses)
    # Then each label is its code, as integers
    expected = houses.assign(KitchenQual=np.array([4, 3, 3, 5], dtype="int64"))
    pd.testing.assert_frame_equal(result, expected)
    assert mapper.mappings_ == QUALITY


def test_mapper_error_when_a_label_has_no_code(houses):
    # Given a mapper fitted on known labels and a record with a typo
    mapper = Mapper(variables=["KitchenQual"], mappings=QUALITY).fit(houses)
    new = houses.assign(KitchenQual=["Gd", "Good", "TA", "TA"])
    # When it is transformed
    # Then the error names the variable and the label
    with pytest.raises(ValueError, match=r"'KitchenQual': \['Good'\]"):
        mapper.transform(new)


def test_rare_label_encoder_learns_labels_above_tol(houses):
    # Given a neighbourhood in half the records and two in a quarter each
    X = houses.fillna({"Neighborhood": "Missing"})
    encoder = RareLabelEncoder(variables=["Neighborhood"], tol=0.3)
    # When it is fitted
    encoder.fit(X)
    # Then only the label with a share of at least tol is frequent
    assert encoder.frequent_labels_ == {"Neighborhood": ["NAmes"]}


def test_rare_label_encoder_keeps_a_label_exactly_at_tol(houses):
    # Given labels with shares of 0.5, 0.25 and 0.25
    X = houses.fillna({"Neighborhood": "Missing"})
    # When the tolerance equals the smallest share
    encoder = RareLabelEncoder(variables=["Neighborhood"], tol=0.25).fit(X)
    # Then every label is frequent
    assert encoder.frequent_labels_ == {"Neighborhood": ["CollgCr", "Missing", "NAmes"]}


def test_rare_label_encoder_replaces_rare_and_unseen_labels(houses):
    # Given an encoder fitted with tol=0.3
    X = houses.fillna({"Neighborhood": "Missing"})
    encoder = RareLabelEncoder(variables=["Neighborhood"], tol=0.3).fit(X)
    new = X.assign(Neighborhood=["NAmes", "CollgCr", "Atlantis", "NAmes"])
    # When records with a rare and an unseen label are transformed
    result = encoder.transform(new)
    # Then both became Rare
    assert result["Neighborhood"].tolist() == ["NAmes", "Rare", "Rare", "NAmes"]


def test_rare_label_encoder_error_when_missing_values(houses):
    # Given a variable not yet imputed
    encoder = RareLabelEncoder(variables=["Neighborhood"])
    # When it is fitted
    # Then the error says to impute first and names the variable and row
    with pytest.raises(
        ValueError, match=r"impute them first.*Neighborhood \(rows \[1\]"
    ):
        encoder.fit(houses)


def test_rare_label_encoder_error_when_tol_out_of_range(houses):
    # Given a share above 1
    encoder = RareLabelEncoder(variables=["KitchenQual"], tol=5)
    # When it is fitted
    # Then the error names the parameter
    with pytest.raises(ValueError, match="tol must be between 0 and 1, got 5"):
        encoder.fit(houses)


def test_ordinal_encoder_orders_labels_by_mean_target(houses, log_prices):
    # Given KitchenQual with mean log prices Ex < TA < Gd
    encoder = OrderedOrdinalEncoder(variables=["KitchenQual"])
    # When it is fitted with the log prices
    encoder.fit(houses, log_prices)
    # Then the codes follow the mean target, lowest first
    assert encoder.encoder_dict_ == {"KitchenQual": {"Ex": 0, "TA": 1, "Gd": 2}}


def test_ordinal_encoder_replaces_labels_with_codes(houses, log_prices):
    # Given a fitted encoder
    encoder = OrderedOrdinalEncoder(variables=["KitchenQual"])
    # When the records are transformed
    result = encoder.fit_transform(houses, log_prices)
    # Then each label is its code, as integers
    expected = houses.assign(KitchenQual=np.array([2, 1, 1, 0], dtype="int64"))
    pd.testing.assert_frame_equal(result, expected)


def test_ordinal_encoder_aligns_target_by_position_not_index(houses, log_prices):
    # Given records whose index is not 0..n-1, and the target as a plain array
    shuffled = houses.set_axis([7, 3, 9, 1])
    # When it is fitted
    encoder = OrderedOrdinalEncoder(variables=["KitchenQual"]).fit(shuffled, log_prices)
    # Then the order is the same as with the default index
    assert encoder.encoder_dict_ == {"KitchenQual": {"Ex": 0, "TA": 1, "Gd": 2}}


def test_ordinal_encoder_error_when_no_target(houses):
    # Given no target
    encoder = OrderedOrdinalEncoder(variables=["KitchenQual"])
    # When it is fitted
    # Then the error says y is needed
    with pytest.raises(ValueError, match="needs the target y"):
        encoder.fit(houses)


def test_ordinal_encoder_error_when_target_length_differs(houses):
    # Given one target value too few
    encoder = OrderedOrdinalEncoder(variables=["KitchenQual"])
    # When it is fitted
    # Then the error gives both lengths
    with pytest.raises(ValueError, match=r"y has shape \(3,\); expected \(4,\)"):
        encoder.fit(houses, [1.0, 2.0, 3.0])


def test_ordinal_encoder_error_when_label_unknown(houses, log_prices):
    # Given a fitted encoder and a label it never saw
    encoder = OrderedOrdinalEncoder(variables=["KitchenQual"]).fit(houses, log_prices)
    new = houses.assign(KitchenQual=["Gd", "Po", "TA", "TA"])
    # When it is transformed
    # Then the error names the variable and the label
    with pytest.raises(ValueError, match=r"'KitchenQual': \['Po'\]"):
        encoder.transform(new)
