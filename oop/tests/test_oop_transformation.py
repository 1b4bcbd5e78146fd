"""Unit tests of the numerical transformers: years elapsed, log, binarise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oop.transformers import Binarizer, LogTransformer, TemporalVariableTransformer


def test_temporal_transformer_gives_years_elapsed_until_sale(houses):
    # Given remodelling years and sale years
    transformer = TemporalVariableTransformer(variables=["YearRemodAdd"])
    # When they are transformed
    result = transformer.fit_transform(houses)
    # Then the years become ages and the reference year stays
    expected = houses.assign(YearRemodAdd=[5, 31, 7, 20])
    pd.testing.assert_frame_equal(result, expected)


def test_temporal_transformer_error_when_reference_absent(houses):
    # Given records without the reference variable
    X = houses.drop(columns="YrSold")
    # When it is fitted
    # Then the error names the reference variable
    with pytest.raises(ValueError, match=r"no column\(s\) \['YrSold'\]"):
        TemporalVariableTransformer(variables=["YearRemodAdd"]).fit(X)


def test_log_transformer_takes_the_natural_log(houses):
    # Given complete positive areas
    X = houses.fillna({"LotArea": 10000.0})
    # When they are transformed
    result = LogTransformer(variables=["LotArea"]).fit_transform(X)
    # Then each is its natural log, bit for bit
    expected = X.assign(LotArea=np.log(X["LotArea"]))
    pd.testing.assert_frame_equal(result, expected, check_exact=True)


def test_log_transformer_error_when_value_not_positive(houses):
    # Given a fitted transformer and a record with an area of 0
    X = houses.fillna({"LotArea": 10000.0})
    transformer = LogTransformer(variables=["LotArea"]).fit(X)
    # When it is transformed
    # Then the error names the variable and the row
    with pytest.raises(ValueError, match=r"values > 0.*LotArea \(rows \[2\]\)"):
        transformer.transform(X.assign(LotArea=[1.0, 2.0, 0.0, 3.0]))


def test_binarizer_flags_values_above_threshold(houses):
    # Given porch areas of 0 and 120
    binarizer = Binarizer(variables=["ScreenPorch"])
    # When they are transformed
    result = binarizer.fit_transform(houses)
    # Then a porch is 1, no porch is 0, as integers
    expected = houses.assign(ScreenPorch=np.array([0, 1, 0, 0], dtype="int64"))
    pd.testing.assert_frame_equal(result, expected)


def test_binarizer_uses_the_given_threshold(houses):
    # Given a threshold above the only porch area
    binarizer = Binarizer(variables=["ScreenPorch"], threshold=120)
    # When the records are transformed
    result = binarizer.fit_transform(houses)
    # Then nothing is strictly above it
    assert result["ScreenPorch"].tolist() == [0, 0, 0, 0]
