"""The package's own transformers, on small hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from feature_engine.imputation import CategoricalImputer
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline

from regression_model.processing.features import (
    Mapper,
    NumericCodedCategoricalTransformer,
    TemporalVariableTransformer,
    UnseenLabelsToMissing,
)

QUALITY = {"Missing": 0, "Po": 1, "Fa": 2, "TA": 3, "Gd": 4, "Ex": 5}


@pytest.mark.parametrize("value", [20, 20.0, "20", "20.0", np.int64(20)])
def test_numeric_coded_category_written_as_its_digits(value):
    # Given one house whose class is a whole number, however it is written
    X = pd.DataFrame({"MSSubClass": pd.Series([value], dtype=object)})

    # When its class becomes a label
    result = NumericCodedCategoricalTransformer(["MSSubClass"]).fit_transform(X)

    # Then the label is the number's digits
    assert result["MSSubClass"].tolist() == ["20"]


@pytest.mark.parametrize("value, label", [(20.5, "20.5"), ("abc", "abc")])
def test_other_category_codes_kept_as_text(value, label):
    # Given one house whose class is not a whole number
    X = pd.DataFrame({"MSSubClass": pd.Series([value], dtype=object)})

    # When its class becomes a label
    result = NumericCodedCategoricalTransformer(["MSSubClass"]).fit_transform(X)

    # Then the label is the value as text
    assert result["MSSubClass"].tolist() == [label]


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

    # When / Then feature-engine's check names it
    with pytest.raises(KeyError, match="The variable YrSold is not in the dataframe"):
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


def test_error_when_not_fitted(houses):
    # Given
    transformer = Mapper(["ExterQual"], {"TA": 3})

    # When / Then
    with pytest.raises(NotFittedError):
        transformer.transform(houses)


def test_transformers_clone_with_their_parameters():
    # Given
    transformer = TemporalVariableTransformer(["YearBuilt"], reference_variable="Y")

    # When
    copy = clone(transformer)

    # Then
    assert copy.get_params() == {"variables": ["YearBuilt"], "reference_variable": "Y"}


def test_a_single_name_is_one_variable(houses):
    # Given one column name where a list of names is expected
    transformer = UnseenLabelsToMissing("Neighborhood")

    # When fitted
    transformer.fit(houses)

    # Then it is read as that one variable, as feature-engine reads it
    assert transformer.seen_labels_ == {"Neighborhood": ["CollgCr", "NAmes"]}


def test_error_when_variables_is_not_names(houses):
    # Given variables given as a dict
    transformer = UnseenLabelsToMissing({"Neighborhood": "NAmes"})

    # When / Then the error comes from fit: feature-engine's check of `variables`
    with pytest.raises(ValueError, match="`variables` should contain a string"):
        transformer.fit(houses)


def test_error_when_reference_variable_is_also_a_variable(houses):
    # Given
    transformer = TemporalVariableTransformer(["YearRemodAdd", "YrSold"], "YrSold")

    # When / Then
    with pytest.raises(ValueError, match="'YrSold' is also in variables"):
        transformer.fit(houses)


def test_error_when_year_is_not_a_number(houses):
    # Given years written as text
    transformer = TemporalVariableTransformer(["YearRemodAdd"], "YrSold")
    text_years = houses.assign(YearRemodAdd=["2000", "1990", "2008"])

    # When / Then feature-engine's check refuses them
    with pytest.raises(TypeError, match="Some of the variables are not numerical"):
        transformer.fit(text_years)


def test_error_when_reference_year_is_not_a_number(houses):
    # Given the reference year written as text
    transformer = TemporalVariableTransformer(["YearRemodAdd"], "YrSold")
    text_years = houses.assign(YrSold=["2008", "2010", "2008"])

    # When / Then feature-engine's check refuses it too
    with pytest.raises(TypeError, match="Some of the variables are not numerical"):
        transformer.fit(text_years)


# The Mapper under the scoring contract: an unseen label becomes missing, then a
# training label, before it is mapped; a label that reaches the Mapper without a code
# is an error naming it, never a silent NaN.


def test_mapper_error_names_label_without_a_code_at_transform(houses):
    # Given a Mapper fitted on labels that all have a code
    mapper = Mapper(variables=["ExterQual"], mappings=QUALITY).fit(houses)
    unseen = houses.assign(ExterQual=["TA", "Superb", "Gd"])
    # When a label without a code reaches it
    # Then the error names the variable and the label
    with pytest.raises(ValueError, match=r"\{'ExterQual': \['Superb'\]\}"):
        mapper.transform(unseen)


def test_mapper_error_names_label_without_a_code_at_fit(houses):
    # Given a mapping without the training label "Missing"
    mapper = Mapper(variables=["ExterQual"], mappings={"TA": 3, "Gd": 4})
    # When it is fitted
    # Then the error names the variable and the label
    with pytest.raises(ValueError, match=r"\{'ExterQual': \['Missing'\]\}"):
        mapper.fit(houses)


def test_mapper_error_when_a_value_is_missing(houses):
    # Given a fitted Mapper and records where one label is missing
    mapper = Mapper(variables=["ExterQual"], mappings=QUALITY).fit(houses)
    with_missing = houses.assign(ExterQual=["TA", None, "Gd"])
    # When they are mapped
    # Then feature-engine's check refuses them: impute first
    with pytest.raises(ValueError, match="variables in the dataset contain NaN"):
        mapper.transform(with_missing)


@pytest.mark.filterwarnings("ignore:For backward compatibility, 'str' dtypes")
def test_unseen_label_is_imputed_then_mapped_as_in_the_pipeline():
    # Given the package's steps in the pipeline's order, fitted on training labels
    steps = Pipeline(
        [
            ("unseen", UnseenLabelsToMissing(variables=["ExterQual"])),
            (
                "impute",
                CategoricalImputer(
                    imputation_method="frequent", variables=["ExterQual"]
                ),
            ),
            ("map", Mapper(variables=["ExterQual"], mappings=QUALITY)),
        ]
    ).fit(pd.DataFrame({"ExterQual": ["TA", "TA", "Gd"]}))
    # When a label never seen in training arrives
    result = steps.transform(pd.DataFrame({"ExterQual": ["Superb", "Gd"]}))
    # Then it is priced as the most frequent training label (TA = 3)
    pd.testing.assert_frame_equal(result, pd.DataFrame({"ExterQual": [3, 4]}))
