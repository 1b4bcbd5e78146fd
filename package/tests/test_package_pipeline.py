"""The pipeline's first step, feature-engine's ``MatchVariables``, keeps the scoring
contract's first rule: extra columns are dropped, absent ones priced as missing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from feature_engine.preprocessing import MatchVariables

from regression_model.config import load_config
from regression_model.pipeline import build_pipeline

# A number, a text category, a numeric-coded category and one imputed as "Missing"
ABSENT = ["LotArea", "Neighborhood", "MSSubClass", "BsmtQual"]

# An absent text column comes in as float NaN, which the categorical imputer fills
# with text: pandas 3.1 warns that a later pandas will refuse (the package's
# validation gives absent columns their schema dtype, so it never meets this).
FILL_FLOAT_WITH_TEXT = "ignore:'str' is not supported as a fill value"


def test_pipeline_opens_with_a_silent_match_of_the_columns():
    # When the model is built from the configuration
    first = build_pipeline(load_config().model).regressor.steps[0]

    # Then its first step matches the columns, allows missing values, prints nothing
    name, step = first
    assert name == "select_inputs"
    assert type(step) is MatchVariables
    assert step.get_params()["missing_values"] == "ignore"
    assert step.get_params()["verbose"] is False


def test_trained_model_reads_exactly_the_input_variables(model):
    # Given the model trained by the package's command line
    select_inputs = model.regressor_["select_inputs"]

    # When its first step is read
    # Then it learned the configuration's input variables, in their order
    assert select_inputs.feature_names_in_ == load_config().model.input_variables


def test_extra_columns_dropped_and_absent_ones_added_as_missing(model, test_data):
    # Given houses with an extra column and without some input columns
    select_inputs = model.regressor_["select_inputs"]
    houses = test_data.head(5).drop(columns=ABSENT).assign(Extra="x")

    # When the first step matches their columns
    result = select_inputs.transform(houses)

    # Then they are the input variables: the absent ones missing, the extra gone
    assert result.columns.tolist() == load_config().model.input_variables
    assert result[ABSENT].isna().all().all()
    pd.testing.assert_frame_equal(
        result.drop(columns=ABSENT), houses[result.columns.drop(ABSENT)]
    )


@pytest.mark.filterwarnings(FILL_FLOAT_WITH_TEXT)
def test_matching_the_columns_prints_nothing(model, test_data, capsys):
    # Given houses without some input columns and with an extra one
    houses = test_data.head(5).drop(columns=ABSENT).assign(Extra="x")

    # When the model prices them
    model.predict(houses)

    # Then nothing is printed (MatchVariables prints by default)
    assert capsys.readouterr().out == ""


@pytest.mark.filterwarnings(FILL_FLOAT_WITH_TEXT)
def test_absent_column_priced_as_a_missing_value(model, test_data):
    # Given the test houses without some input columns, and with them all missing
    without = test_data.drop(columns=ABSENT)
    nowhere = np.zeros(len(test_data), dtype=bool)
    missing = test_data.assign(**{c: test_data[c].where(nowhere) for c in ABSENT})

    # When the model prices both
    prices_without = model.predict(without)
    prices_missing = model.predict(missing)

    # Then the prices are the same, to the bit, and not those of the whole houses
    np.testing.assert_array_equal(prices_without, prices_missing)
    assert not np.array_equal(prices_without, model.predict(test_data))
