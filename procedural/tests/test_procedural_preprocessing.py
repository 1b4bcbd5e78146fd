"""Each preprocessing step on small hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from procedural import preprocessing as pp


def test_number_coded_categories_become_the_same_label():
    # Given MSSubClass written as an int, a float, a string and missing
    data = pd.DataFrame(
        {"MSSubClass": pd.Series([20, 20.0, "20", np.nan], dtype=object)}
    )
    # When the numbers become labels
    result = pp.labels_from_numbers(data, ["MSSubClass"])
    # Then all three read "20" and the missing value stays missing
    assert result["MSSubClass"].tolist()[:3] == ["20", "20", "20"]
    assert pd.isna(result["MSSubClass"].iloc[3])


def test_labels_that_are_not_whole_numbers_are_kept_as_text():
    # Given values that are not whole numbers
    data = pd.DataFrame({"MSSubClass": pd.Series(["abc", 20.5], dtype=object)})
    # When the numbers become labels
    result = pp.labels_from_numbers(data, ["MSSubClass"])
    # Then they stay as they were written, as text
    assert result["MSSubClass"].tolist() == ["abc", "20.5"]


def test_unseen_label_becomes_missing(houses):
    # Given a Neighborhood label training never had
    seen = {"Neighborhood": ["CollgCr", "NAmes"]}
    # When unseen labels are replaced
    result = pp.replace_unseen_labels(houses, seen)
    # Then it is missing, and the seen labels and missing values are unchanged
    expected = pd.Series(["NAmes", np.nan, np.nan, "CollgCr"], dtype="str")
    pd.testing.assert_series_equal(result["Neighborhood"], expected, check_names=False)


def test_unseen_labels_in_an_all_missing_column_stay_missing_as_text():
    # Given a categorical column read as numbers because it is entirely empty
    data = pd.DataFrame({"KitchenQual": [np.nan, np.nan]})
    # When unseen labels are replaced
    result = pp.replace_unseen_labels(data, {"KitchenQual": ["Gd", "TA"]})
    # Then the column holds text, all missing, so a label can fill it later
    assert result["KitchenQual"].dtype == "str"
    assert result["KitchenQual"].isna().all()


def test_imputes_missing_label_when_value_missing(houses):
    # Given a categorical variable that had missing values in training
    # When it is imputed with the missing label
    result = pp.impute_with_missing_label(houses, ["Neighborhood"])
    # Then only the missing value changes, to "Missing"
    assert result["Neighborhood"].tolist() == [
        "NAmes",
        "Missing",
        "Atlantis",
        "CollgCr",
    ]


def test_imputes_frequent_label_when_value_missing(houses):
    # Given a categorical variable that had no missing values in training
    # When it is imputed with its most frequent training label
    result = pp.impute_with_frequent_label(houses, {"KitchenQual": "TA"})
    # Then only the missing value changes, to that label
    assert result["KitchenQual"].tolist() == ["Gd", "TA", "Po", "TA"]


def test_imputes_mean_when_value_missing(houses):
    # Given numerical variables with missing values
    means = {"LotArea": 10597.5, "YrSold": 2007.8}
    # When they are imputed with the training means
    result = pp.impute_numerical(houses, means)
    # Then each missing value gets its variable's mean, the others are unchanged
    assert result["LotArea"].tolist() == [8450.0, 10597.5, 9600.0, 11250.0]
    assert result["YrSold"].tolist() == [2008.0, 2007.0, 2008.0, 2007.8]


def test_imputes_mean_when_value_is_not_a_number():
    # Given text in a numerical column
    data = pd.DataFrame({"GarageCars": ["2", "two", None]})
    # When it is imputed
    result = pp.impute_numerical(data, {"GarageCars": 1.75})
    # Then numbers written as text are read, and other text counts as missing
    assert result["GarageCars"].tolist() == [2.0, 1.75, 1.75]


def test_years_become_years_elapsed_until_the_sale(houses):
    # Given the year of the last remodelling and the year of the sale
    # When they become years elapsed
    result = pp.elapsed_years(houses, ["YearRemodAdd"], "YrSold")
    # Then each is the sale year minus the year; a missing year stays missing
    expected = pd.Series([5.0, 31.0, np.nan, np.nan], name="YearRemodAdd")
    pd.testing.assert_series_equal(result["YearRemodAdd"], expected)
    pd.testing.assert_series_equal(result["YrSold"], houses["YrSold"])


def test_log_transform_takes_the_natural_logarithm(houses):
    # Given a skewed area
    # When it is log transformed
    result = pp.log_transform(houses, ["LotArea"])
    # Then it holds exactly numpy's logarithm of each value
    pd.testing.assert_series_equal(result["LotArea"], np.log(houses["LotArea"]))


def test_binarize_marks_positive_values():
    # Given an area that is mostly zero
    data = pd.DataFrame({"ScreenPorch": [0.0, 120.0, 0.0, 3.0]})
    # When it is binarised
    result = pp.binarize(data, ["ScreenPorch"])
    # Then positive values become 1 and zeros stay 0, as integers
    expected = pd.Series([0, 1, 0, 1], name="ScreenPorch", dtype="int64")
    pd.testing.assert_series_equal(result["ScreenPorch"], expected)


def test_map_labels_gives_each_label_its_number():
    # Given quality labels
    data = pd.DataFrame({"KitchenQual": ["Gd", "TA", "Ex", "Missing"]})
    mapping = {"Missing": 0, "Po": 1, "Fa": 2, "TA": 3, "Gd": 4, "Ex": 5}
    # When they are mapped
    result = pp.map_labels(data, {"KitchenQual": mapping})
    # Then each label gets its rank, as integers
    expected = pd.Series([4, 3, 5, 0], name="KitchenQual", dtype="int64")
    pd.testing.assert_series_equal(result["KitchenQual"], expected)


def test_error_when_a_label_has_no_number():
    # Given a label the mapping does not know
    data = pd.DataFrame({"KitchenQual": ["Gd", "Excellent"]})
    # When the labels are mapped
    # Then it fails rather than leave a missing number for the model
    with pytest.raises(ValueError):
        pp.map_labels(data, {"KitchenQual": {"Gd": 4}})


def test_rare_labels_are_grouped(houses):
    # Given labels, one of them rare in training
    frequent = {"Neighborhood": ["NAmes", "CollgCr"]}
    data = houses.fillna({"Neighborhood": "NAmes"})
    # When rare labels are grouped
    result = pp.group_rare_labels(data, frequent)
    # Then the rare label reads "Rare" and the frequent ones are kept
    assert result["Neighborhood"].tolist() == ["NAmes", "NAmes", "Rare", "CollgCr"]


def test_select_features_keeps_the_model_order(houses):
    # Given more columns than the model uses, in another order
    # When the features are selected
    result = pp.select_features(houses, ["ScreenPorch", "LotArea"])
    # Then exactly those columns remain, in the order given
    assert result.columns.tolist() == ["ScreenPorch", "LotArea"]


@pytest.mark.parametrize(
    ("step", "parameters"),
    [
        (pp.labels_from_numbers, (["MSSubClass"],)),
        (pp.replace_unseen_labels, ({"Neighborhood": ["NAmes"]},)),
        (pp.impute_with_missing_label, (["Neighborhood"],)),
        (pp.impute_with_frequent_label, ({"KitchenQual": "TA"},)),
        (pp.impute_numerical, ({"LotArea": 1.0},)),
        (pp.elapsed_years, (["YearRemodAdd"], "YrSold")),
        (pp.log_transform, (["LotArea"],)),
        (pp.binarize, (["ScreenPorch"],)),
        (pp.map_labels, ({"KitchenQual": {"Gd": 4, "TA": 3, "Po": 1}},)),
        (pp.group_rare_labels, ({"Neighborhood": ["NAmes"]},)),
        (pp.select_features, (["LotArea"],)),
    ],
)
def test_step_never_changes_the_callers_frame(houses, step, parameters):
    # Given a frame and a copy of it
    data = houses.fillna({"KitchenQual": "TA"})
    before = data.copy()
    # When a step runs on it
    step(data, *parameters)
    # Then the caller's frame is unchanged
    pd.testing.assert_frame_equal(data, before)
